"""Small validation helpers: every failure names the file, the line and, for keys, the
nearest valid spelling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compositor.errors import Location, Report, suggest
from compositor.load.yamlfile import Mapping, Sequence


class Checker:
    """Validates values of one YAML file and collects the problems in a Report."""

    def __init__(self, path: Path, report: Report):
        self.path = path
        self.report = report

    def at(self, mapping: Any, key: str | None = None) -> Location:
        line = 0
        if isinstance(mapping, Mapping):
            line = mapping.line_of(key) if key is not None else mapping.line
        elif isinstance(mapping, Sequence):
            line = mapping.line
        return Location(self.path, line)

    def mapping(self, value: Any, where: Location, what: str) -> Mapping | None:
        if isinstance(value, Mapping):
            return value
        self.report.error(where, f"{what} must be a mapping of 'key: value' lines, "
                                 f"not {describe(value)}")
        return None

    def known_keys(self, mapping: Mapping, allowed: dict[str, str] | set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                names = ", ".join(sorted(allowed))
                self.report.error(self.at(mapping, key),
                                  f"unknown key '{key}' in {what}{suggest(key, allowed)}; "
                                  f"valid keys: {names}")

    def required(self, mapping: Mapping, key: str, what: str) -> bool:
        if mapping.get(key) in (None, ""):
            empty = " (it is empty)" if key in mapping else ""
            self.report.error(self.at(mapping), f"{what} needs '{key}'{empty}")
            return False
        return True

    def text(self, mapping: Mapping, key: str, default: str | None = None) -> str | None:
        value = mapping.get(key, default)
        if value is None:
            return default
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip()
        self.report.error(self.at(mapping, key),
                          f"'{key}' must be text, not {describe(value)}")
        return default

    def integer(self, mapping: Mapping, key: str, low: int | None = None,
                high: int | None = None) -> int | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.report.error(self.at(mapping, key),
                              f"'{key}' must be a whole number, not {describe(value)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.report.error(self.at(mapping, key), f"'{key}' must be {bounds}, not {value}")
            return None
        return value


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{value}'"
