"""YAML reading that remembers where every key and value came from.

PyYAML's node graph carries line marks; we construct plain dicts and lists but keep a
side table of line numbers so validation errors can point at the exact line.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

import yaml
import yaml.reader

from compositor import inputs
from compositor.errors import Location, UserError


class Mapping(dict):
    """A dict that knows the line of each key (and of itself)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# An alias repeats a whole subtree; nested aliases multiply ("billion laughs"). Real
# files hold a few thousand values, so this bounds memory without getting in the way.
MAX_VALUES = 100_000
MAX_DEPTH = 100
MAX_INT = 2**53  # the largest whole number a float holds exactly


def _where(loader: yaml.SafeLoader, node: yaml.Node) -> Location:
    return Location(Path(loader.name), node.start_mark.line + 1 + loader.line_offset)


def _build(node: yaml.Node, loader: yaml.SafeLoader, active: tuple[int, ...] = ()) -> Any:
    line = node.start_mark.line + 1
    loader.values_built += 1
    if loader.values_built > MAX_VALUES:
        raise UserError.at(_where(loader, node), f"this YAML expands to more than {MAX_VALUES:,} "
                                                 "values (aliases repeated inside aliases?)")
    if len(active) > MAX_DEPTH:
        raise UserError.at(_where(loader, node), f"values are nested more than {MAX_DEPTH} "
                                                 "levels deep")
    if id(node) in active:
        raise UserError.at(_where(loader, node), "an alias refers to the value that contains it")
    active = (*active, id(node))
    if isinstance(node, yaml.MappingNode):
        out = Mapping()
        out.line = line
        out.key_lines = {}
        out.merged_keys = set()
        explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)
        merged = len(node.value) - explicit  # pairs from '<<' come first; explicit ones win
        for index, (key_node, value_node) in enumerate(node.value):
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise UserError.at(Location(Path(loader.name), key_node.start_mark.line + 1
                                            + loader.line_offset),
                                   "a key must be a plain word")
            key = str(key)
            if index >= merged and key in out.key_lines and key not in out.merged_keys:
                first = out.key_lines[key] + loader.line_offset
                raise UserError.at(_where(loader, key_node),
                                   f"duplicate key '{key}' (first given on line {first}); a "
                                   "second one would silently replace the first")
            out[key] = _build(value_node, loader, active)
            out.key_lines[key] = key_node.start_mark.line + 1
            if index < merged:
                out.merged_keys.add(key)
            else:
                out.merged_keys.discard(key)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(_build(n, loader, active) for n in node.value)
        seq.line = line
        seq.item_lines = [n.start_mark.line + 1 for n in node.value]
        return seq
    try:
        value = loader.construct_object(node, deep=True)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            # Past this a number no longer converts to a float exactly (or at all): every
            # check and length of ours works in floats.
            raise UserError.at(Location(Path(loader.name), line + loader.line_offset),
                               f"the number {node.value[:30]}{'…' if len(node.value) > 30 else ''}"
                               f" is too large; no setting takes more than {MAX_INT:,}")
        if isinstance(value, float) and not math.isfinite(value):
            # No setting of ours means infinity or not-a-number; refused at the source so
            # no later check can let one through.
            raise UserError.at(Location(Path(loader.name), line + loader.line_offset),
                               f"'{node.value}' is not a finite number")
        return value
    except ValueError as exc:  # e.g. an impossible date such as 2023-02-30
        raise UserError.at(Location(Path(loader.name), line + loader.line_offset),
                           f"invalid value '{node.value}': {exc}") from None


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse YAML text; line numbers are shifted so they count from `first_line` of the file."""
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # rejects control characters straight away
        loader.name = str(path)
        loader.line_offset = first_line - 1
        loader.values_built = 0
        node = loader.get_single_node()
        if node is None:
            return None
        value = _build(node, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        problem = exc.problem or "cannot read this YAML"
        raise UserError.at(Location(path, line), f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise UserError.at(Location(path, line), f"invalid YAML: character U+{exc.character:04X} "
                                                 "is not allowed in YAML text") from None
    except yaml.YAMLError as exc:
        raise UserError.at(Location(path, first_line), f"invalid YAML: {exc}") from None
    except RecursionError:  # PyYAML's parser recurses once per nesting level
        raise UserError.at(Location(path, first_line), "invalid YAML: values are nested too "
                                                       "deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    if first_line != 1:
        _shift(value, first_line - 1)
    return value


def _shift(value: Any, by: int) -> None:
    if isinstance(value, Mapping):
        value.line += by
        value.key_lines = {k: v + by for k, v in value.key_lines.items()}
        for v in value.values():
            _shift(v, by)
    elif isinstance(value, Sequence):
        value.line += by
        value.item_lines = [v + by for v in value.item_lines]
        for v in value:
            _shift(v, by)


MAX_TEXT_BYTES = 8 * 1024 * 1024  # a manifest, article or layout; a book is about 1 MB


def read_text(path: Path, named_at: Location | None = None) -> str:
    """Read a UTF-8 text file or raise a user error pointing at whoever named it."""
    where = named_at or Location(path)
    inputs.note(path)
    try:
        # Opened without blocking and checked before reading: a named pipe would wait
        # forever and /dev/zero would never end.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                raise UserError.at(where, f"cannot read {path}: not a regular file (a pipe or "
                                          "a device?)")
            if info.st_size > MAX_TEXT_BYTES:
                raise UserError.at(where, f"{path} is {info.st_size / 2**20:.0f} MB; text files "
                                          f"are limited to {MAX_TEXT_BYTES // 2**20} MB")
            data = f.read(MAX_TEXT_BYTES + 1)[:MAX_TEXT_BYTES]
    except FileNotFoundError:
        raise UserError.at(where, f"file not found: {path}") from None
    except IsADirectoryError:
        raise UserError.at(where, f"expected a file but found a folder: {path}") from None
    except OSError as exc:
        raise UserError.at(where, f"cannot read {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError.at(Location(path, line),
                           "this file is not UTF-8 text (save it as UTF-8)") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml_file(path: Path, named_at: Location | None = None) -> Any:
    return parse_yaml(read_text(path, named_at), path)
