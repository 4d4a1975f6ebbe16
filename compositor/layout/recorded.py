"""The layout passes of a fitting, each remembered with the arguments that made it, so a
build can say which call made the layout that fitting chose (layout/remembered.py keeps
that call for the next build of the same content)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from compositor.layout import planner
from compositor.layout.result import IssueLayout


@dataclass(frozen=True)
class Call:
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


_MADE: dict[int, tuple[weakref.ref, Call]] = {}
KEPT = 256


def layout_issue(*args: Any, **kwargs: Any) -> IssueLayout:
    """The planner's layout_issue, remembering which arguments made the layout."""
    made = planner.layout_issue(*args, **kwargs)
    if len(_MADE) >= KEPT:  # fitting called outside a build (tests, a script): stay small
        for key in [k for k, (ref, _) in _MADE.items() if ref() is None]:
            del _MADE[key]
    _MADE[id(made)] = (weakref.ref(made), Call(args, kwargs))
    return made


def call_that_made(layout: IssueLayout) -> Call | None:
    held = _MADE.get(id(layout))
    if held is None or held[0]() is not layout:  # an id reused by a later object
        return None
    return held[1]


def forget() -> None:
    _MADE.clear()
