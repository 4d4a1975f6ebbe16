"""Whose archive it is: its name, tagline, logo, colours and feed key.

From ISSUES_DIR/site.yaml when there is one; else from the publication when every issue
belongs to one; else (issues of several publications, no site.yaml) from the newest
issue's publication, with a warning that says how to name the archive itself.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from compositor.errors import Location, Report, UserError
from compositor.inputs import real_path
from compositor.load.images import check_image
from compositor.load.manifest import PUBLICATION_KEY
from compositor.load.schema import Checker, describe
from compositor.load.yamlfile import load_yaml_file
from compositor.model.content import Publication

SETTINGS = "site.yaml"
SETTINGS_KEYS = {
    "name": "the archive's name, in the masthead, the page titles and the feed",
    "tagline": "line under the name in the masthead",
    "publisher": "who publishes it (footer and feed author)",
    "website": "the organisation's website (footer)",
    "logo": "logo image beside the name, relative to site.yaml",
    "key": "domain name or e-mail address naming the archive's feed for good",
    "colors": "masthead, masthead_text, accent: #rrggbb colours of the archive",
}
COLOR_KEYS = {"masthead": "masthead", "masthead_text": "masthead-text", "accent": "accent"}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Branding:
    name: str
    tagline: str | None = None
    publisher: str | None = None
    website: str | None = None
    logo: Path | None = None
    key: str = ""
    colors: dict[str, str] = field(default_factory=dict)  # CSS property -> #rrggbb
    own: bool = False  # from site.yaml rather than a publication


def publication_key(pub: Publication) -> str:
    """The publication's tag: authority: its `key`, else its name as a DNS-style label
    (a name in another script gets a label made from its digest, stable all the same)."""
    if pub.key:
        return pub.key
    folded = unicodedata.normalize("NFKD", pub.name).encode("ascii", "ignore").decode()
    label = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:63].strip("-")
    if not label:
        named = pub.name.encode("utf-8", "surrogatepass")
        label = "publication-" + hashlib.sha256(named).hexdigest()[:12]
    return label


def from_publication(pub: Publication) -> Branding:
    return Branding(name=pub.name, tagline=pub.tagline, publisher=pub.publisher,
                    website=pub.website, logo=pub.logo, key=publication_key(pub))


def read_settings(issues_dir: Path) -> Branding | None:
    """ISSUES_DIR/site.yaml, checked: every problem as `site.yaml:line: message`."""
    path = issues_dir / SETTINGS
    if not path.is_file():
        return None
    from compositor import inputs

    inputs.note(path)
    report = Report()
    data = load_yaml_file(path)
    check = Checker(path, report)
    top = check.mapping(data, Location(path, 1), f"{SETTINGS}")
    if top is None:
        report.raise_if_errors()
        raise UserError.at(Location(path, 1), f"{SETTINGS} is empty")
    check.known_keys(top, SETTINGS_KEYS, SETTINGS)
    name = check.text(top, "name") if check.required(top, "name", SETTINGS) else ""
    logo = None
    if top.get("logo") is not None:
        value = check.text(top, "logo")
        if value:
            logo = real_path(path.parent / value)
            try:
                check_image(logo, check.at(top, "logo"))
            except UserError as exc:
                report.diagnostics.extend(exc.diagnostics)
    key = check.text(top, "key")
    if key is not None and (len(key) > 100 or not re.match(PUBLICATION_KEY, key)):
        report.error(check.at(top, "key"), "'key' must be a domain name or e-mail address in "
                                           "lower case, such as news.example.org, not "
                                           f"{describe(top.get('key'))}")
    colors: dict[str, str] = {}
    raw = top.get("colors")
    if raw is not None:
        found = check.mapping(raw, check.at(top, "colors"), "'colors'")
        if found is not None:
            check.known_keys(found, set(COLOR_KEYS), "'colors'")
            for k, css in COLOR_KEYS.items():
                value = found.get(k)
                if value is None:
                    continue
                if not isinstance(value, str) or not _HEX.match(value.strip()):
                    report.error(check.at(found, k), f"'{k}' must be a colour written "
                                                     f"#rrggbb, not {describe(value)}")
                else:
                    colors[css] = value.strip().lower()
    report.raise_if_errors()
    pub = Publication(name=name or "", key=key)
    return Branding(name=name or "", tagline=check.text(top, "tagline"),
                    publisher=check.text(top, "publisher"), website=check.text(top, "website"),
                    logo=logo, key=publication_key(pub), colors=colors, own=True)


def archive_branding(issues_dir: Path, newest_first: list[Publication]
                     ) -> tuple[Branding, str | None]:
    """The archive's branding and, when issues of several publications are mixed without
    a site.yaml, the warning to print."""
    own = read_settings(issues_dir)
    if own is not None:
        return own, None
    names = list(dict.fromkeys(p.name for p in newest_first))
    chosen = from_publication(newest_first[0])
    if len(names) < 2:
        return chosen, None
    listed = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return chosen, (f"{issues_dir}: warning: the archive mixes issues of {len(names)} "
                    f"publications ({listed}) and is named after the newest, "
                    f"{names[0]!r}; give it its own name, logo and colours in "
                    f"{issues_dir / SETTINGS} (name:, logo:, colors:)")
