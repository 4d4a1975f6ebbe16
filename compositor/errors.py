"""User-facing diagnostics: every problem the user can fix names a file and a line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a source file; line is 1-based, 0 when unknown. A finding about the
    laid-out pages rather than a line of the source (a hole in a column) names that place
    instead: `issue.yaml: page 2, column 3:`."""

    path: Path
    line: int = 0
    place: str = field(default="", kw_only=True)

    def __str__(self) -> str:
        shown = _display_path(self.path)
        if self.place:
            return f"{shown}: {self.place}"
        return f"{shown}:{self.line}" if self.line else f"{shown}:1"


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return printable(f"{self.location}: {prefix}{self.message}")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to show on a terminal: control characters from a title or a file name
    (an escape sequence, a bidi override) are shown as \\x1b, never sent raw."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class UserError(Exception):
    """Bad input: reported as `path:line: message` lines and exit status 1."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics

    @classmethod
    def at(cls, location: Location, message: str) -> UserError:
        return cls([Diagnostic(location, message)])


@dataclass
class Report:
    """Collects diagnostics so a run can report every problem at once, not one per attempt."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(location, message, "error"))

    def warn(self, location: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(location, message, "warning"))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise UserError(self.errors)


def suggest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """A ' (did you mean ...?)' hint for a misspelt key, or ''."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
