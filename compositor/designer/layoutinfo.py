"""A layout as a designer reads it: the chain of files it `extends`, and the resolved
value of every key with the file and line it came from (or `default`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compositor.errors import Location, UserError
from compositor.load.layout import BUILTIN, LENGTH_KEYS, _resolve, load_layout, parse_length
from compositor.load.yamlfile import Mapping, load_yaml_file

DEFAULT = BUILTIN / "default.yaml"


@dataclass
class Resolved:
    chain: list[Path]  # the named layout first, the built-in default last
    values: dict[str, Any]  # merged, as written (lengths keep their units)
    origins: dict[tuple[str, ...], tuple[Path, int] | None]  # None: the built-in default


def layout_chain(ref: str, named_at: Location) -> list[Path]:
    """Files a layout reference reads, from the named one down to the built-in default."""
    out: list[Path] = []
    path = _resolve(ref, named_at)
    while path != DEFAULT and path not in out:
        out.append(path)
        try:
            data = load_yaml_file(path, named_at)
        except UserError:
            break  # the loader reports it; the chain so far is still worth watching
        parent = data.get("extends", "default") if isinstance(data, Mapping) else "default"
        if not isinstance(parent, str) or parent == "default":
            break
        named_at = Location(path, data.line_of("extends"))
        try:
            path = _resolve(parent, named_at)
        except UserError:
            break
    out.append(DEFAULT)
    return out


def resolve(ref: str, named_at: Location) -> Resolved:
    """Validate the layout as a build would (errors are raised as for a build), then
    overlay the chain from the default up, remembering the origin of every value."""
    load_layout(ref, named_at)
    chain = layout_chain(ref, named_at)
    values: dict[str, Any] = {}
    origins: dict[tuple[str, ...], tuple[Path, int] | None] = {}
    for path in reversed(chain):
        data = load_yaml_file(path)
        if isinstance(data, Mapping):
            _overlay(values, data, (), None if path == DEFAULT else path, origins)
    return Resolved(chain, values, origins)


def _overlay(target: dict, data: Mapping, prefix: tuple[str, ...], path: Path | None,
             origins: dict) -> None:
    for key, value in data.items():
        if not prefix and key == "extends":
            continue
        here = prefix + (key,)
        if isinstance(value, Mapping):
            node = target.setdefault(key, {})
            if not isinstance(node, dict):
                node = target[key] = {}
            _overlay(node, value, here, path, origins)
        else:
            target[key] = value
            origins[here] = None if path is None else (path, data.line_of(key))


def format_resolved(resolved: Resolved, shown) -> str:
    """YAML a designer can read (and paste): each value with its origin as a comment;
    lengths also in points."""
    lines = ["# layout chain: " + " -> ".join(shown(p) if p != DEFAULT else "default"
                                               for p in resolved.chain)]

    def walk(node: dict, prefix: tuple[str, ...], indent: int) -> None:
        for key, value in node.items():
            here = prefix + (key,)
            pad = "  " * indent
            if isinstance(value, dict):
                lines.append(f"{pad}{key}:")
                walk(value, here, indent + 1)
                continue
            origin = resolved.origins.get(here)
            where = "default" if origin is None else f"{shown(origin[0])}:{origin[1]}"
            text = f"{pad}{key}: {_yaml_scalar(value)}"
            note = where
            if key in LENGTH_KEYS and isinstance(value, str):
                points = parse_length(value)
                if points is not None:
                    note = f"{points:.2f} pt · {where}"
            lines.append(f"{text:<44} # {note}")

    walk(resolved.values, (), 0)
    return "\n".join(lines)


def _yaml_scalar(value: Any) -> str:
    import json

    import yaml

    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return yaml.safe_dump(value).splitlines()[0]
    text = str(value)
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1000).splitlines()[0]
    if dumped.startswith(("'", '"')) or "#" in text or ":" in text or text != text.strip():
        return json.dumps(text, ensure_ascii=False)
    return dumped
