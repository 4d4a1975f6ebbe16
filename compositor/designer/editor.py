"""The link a click on a preview page opens: the source file at the line, in the
designer's editor. `{path}` is the absolute path as in a file URL (it begins with "/",
"/C:/…" on Windows, spaces as %20); `{line}` the 1-based line."""

from __future__ import annotations

import os
import re

PRESETS = {
    "vscode": "vscode://file{path}:{line}",
    "vscodium": "vscodium://file{path}:{line}",
    "subl": "subl://open?url=file://{path}&line={line}",
    "idea": "idea://open?file={path}&line={line}",
    "none": None,
}
ENVIRONMENT = "COMPOSITOR_EDITOR"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
# Schemes that would run or show something in the preview page itself, not in an editor.
_REFUSED = {"javascript", "data", "vbscript", "blob", "about", "http", "https", "file"}


def editor_link(text: str | None) -> str | None:
    """The link template for a preset name or a template; None: no editor (a click shows
    file:line to copy). ValueError, with the reason, for anything else."""
    value = (text or "").strip()
    if not value:
        return None
    if value.lower() in PRESETS:
        return PRESETS[value.lower()]
    m = _SCHEME.match(value)
    if m is None or "{path}" not in value:
        raise ValueError(f"'{value}' is neither an editor ({', '.join(PRESETS)}) nor a link "
                         "such as vscode://file{path}:{line} (with {path}, and {line})")
    if m.group(1).lower() in _REFUSED:
        raise ValueError(f"an editor link cannot use '{m.group(1)}:' (it would open in the "
                         "preview, not in an editor)")
    return value


def default_editor() -> str | None:
    """The editor named in $COMPOSITOR_EDITOR, if any (a bad value is reported as such)."""
    return os.environ.get(ENVIRONMENT) or None
