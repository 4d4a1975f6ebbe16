"""The one walk over the PDF that every check shares: pages, their boxes, and what each
page's content streams draw (colour spaces, images, fonts, marked content, transparency)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from compositor.preflight.colour import _OPERATOR_SPACES, _ColourSpaces, _Space
from compositor.preflight.objects import (
    IDENTITY,
    Matrix,
    Rect,
    TooLarge,
    _apply,
    _filters,
    _inherited,
    _is_dict,
    _key,
    _lookup,
    _mul,
    _name,
    _numbers,
    _oneline,
    _positive_number,
    _rect,
    read_bounded,
)
from compositor.preflight.report import Finding


@dataclass(frozen=True)
class _Mark:
    tag: str
    mcid: int | None
    owner: tuple[int, int] | None  # page or stream that the MCID is relative to


@dataclass
class _Placement:
    obj: str
    width: int
    height: int
    ctm: Matrix
    marks: tuple[_Mark, ...]
    image: Any = None  # the image dictionary (stream) itself


@dataclass
class _PageScan:
    spaces: dict[str, set[_Space]] = field(default_factory=dict)
    images: list[_Placement] = field(default_factory=list)
    transparency: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    fonts: list[Any] = field(default_factory=list)  # font dictionaries selected with Tf
    too_large: bool = False  # the walk stopped at its limits; the page is only partly checked
    # For the ink check: the highest total of a CMYK or grey colour set by k/K/g/G, and
    # what else the page draws whose ink only a rendering can tell (images, shadings,
    # RGB, colours set with sc/scn, overprint).
    ink: float = 0.0
    render: set[str] = field(default_factory=set)

    def needs_rendering_apart_from_images(self, tac_limit: float) -> bool:
        """Whether the page's ink needs a rendering even if its photos are measured."""
        return bool(self.render - {"image"} or self.transparency or self.problems
                    or self.ink > tac_limit
                    or any(space.family not in ("CMYK", "Gray")
                           for used in self.spaces.values() for space in used))

    def use(self, obj: str, space: _Space) -> None:
        self.spaces.setdefault(obj, set()).add(space)

    def transparent(self, obj: str, reason: str) -> None:
        reasons = self.transparency.setdefault(obj, [])
        if reason not in reasons:
            reasons.append(reason)


_PATH_POINTS = {"m": 2, "l": 2, "c": 6, "v": 4, "y": 4, "re": 4}  # operands per operator
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
_STROKES = {"S", "s", "B", "B*", "b", "b*"}


MAX_DOCUMENT_OPERATORS = 10_000_000


class _Walker:
    """Interprets just enough of a content stream to know what each object costs in print."""

    MAX_DEPTH = 16
    # Per page, so a crafted file costs bounded time and memory: tokens parsed
    # (each parsed operator costs a few hundred bytes) and operators interpreted
    # (a form drawn 100 times by a form drawn 100 times... is interpreted each time).
    MAX_PAGE_TOKENS = 1_000_000
    MAX_PAGE_OPERATORS = 1_000_000

    def __init__(self, scan: _PageScan, spaces: _ColourSpaces, area: Rect | None = None
                 ) -> None:
        self.scan = scan
        self.spaces = spaces
        self.tokens_left = self.MAX_PAGE_TOKENS
        self.operators_left = self.MAX_PAGE_OPERATORS
        self.parsed: dict[tuple[int, int], list[Any]] = {}
        self.area = area  # what prints (the bleed box): ink outside it does not count

    def _parse(self, content: Any, key: tuple[int, int] | None) -> list[Any]:
        """The instructions of a page or form, each form parsed once per page; TooLarge
        when the decoded data or its token count is beyond the page's budget."""
        if key is not None and key in self.parsed:
            return self.parsed[key]
        if isinstance(content, pikepdf.Page):
            streams = content.obj.get("/Contents")
            streams = list(streams) if isinstance(streams, pikepdf.Array) else [streams]
        else:
            streams = [content]
        for stream in streams:
            if not isinstance(stream, pikepdf.Stream):
                continue
            data = read_bounded(stream)
            # An upper bound on the operators and operands, counted without parsing.
            tokens = data.count(b" ") + data.count(b"\n") + data.count(b"\r") + 1
            self.tokens_left -= tokens
            if self.tokens_left < 0:
                raise TooLarge(f"more than {self.MAX_PAGE_TOKENS:,} tokens of content")
        instructions = list(pikepdf.parse_content_stream(content))
        if key is not None:
            self.parsed[key] = instructions
        return instructions

    def run(
        self,
        content: Any,
        resources: Any,
        ctm: Matrix,
        owner: tuple[int, int] | None,
        where: str,
        marks: tuple[_Mark, ...],
        depth: int,
        active: frozenset[tuple[int, int]],
    ) -> None:
        try:
            instructions = self._parse(content, owner if depth else None)
        except TooLarge:
            raise
        except Exception as exc:  # damaged stream: report and keep checking the rest
            self.scan.problems.append((where, f"cannot parse content stream: {_oneline(exc)}"))
            return
        self.operators_left -= len(instructions)
        if self.operators_left < 0:
            raise TooLarge(f"more operators to interpret than the {self.MAX_PAGE_OPERATORS:,} "
                           f"per page and {MAX_DOCUMENT_OPERATORS:,} per file preflight allows "
                           "(forms drawn over and over?)")
        base_ctm = ctm
        saved: list[tuple[Matrix, float, float]] = []
        open_marks = list(marks)
        inherited = len(marks)
        fill = stroke = 0.0  # total ink of the current colours, in percent
        path: list[tuple[float, float]] = []
        for inst in instructions:
            op = str(inst.operator)
            args = inst.operands
            if op in _PATH_POINTS:
                nums = _numbers(args, len(args)) if len(args) == _PATH_POINTS[op] else None
                if nums is None:
                    continue
                if op == "re":
                    x, y, w, h = nums
                    nums = (x, y, x + w, y + h)
                path += [_apply(ctm, nums[i], nums[i + 1]) for i in range(0, len(nums), 2)]
            elif op in _PAINT:
                if path and self._prints(path):
                    if op in _STROKES:
                        self.scan.ink = max(self.scan.ink, stroke)
                    if op not in ("S", "s"):
                        self.scan.ink = max(self.scan.ink, fill)
                path = []
            elif op in ("Tj", "TJ", "'", '"'):
                self.scan.ink = max(self.scan.ink, fill)
            elif op == "q":
                saved.append((ctm, fill, stroke))
            elif op == "Q":
                if saved:
                    ctm, fill, stroke = saved.pop()
            elif op == "cm":
                nums = _numbers(args, 6)
                if nums is not None:
                    ctm = _mul(nums, ctm)  # type: ignore[arg-type]
            elif op in _OPERATOR_SPACES:
                self.scan.use(where, _OPERATOR_SPACES[op])
                ink = self._ink(op, args)
                if op in ("k", "g", "rg"):
                    fill = ink
                else:
                    stroke = ink
            elif op in ("cs", "CS") and args:
                self.scan.use(where, self.spaces.classify(args[0], resources))
            elif op in ("sc", "scn", "SC", "SCN"):
                self.scan.render.add("colour set with sc/scn")
                if args and _name(args[-1]):
                    self._pattern(args[-1], resources, base_ctm, marks, depth, active)
            elif op == "sh" and args:
                self.scan.render.add("shading")
                shading = _lookup(resources, "/Shading", args[0])
                if _is_dict(shading):
                    label = f"shading {str(args[0]).lstrip('/')}"
                    cs = shading.get("/ColorSpace")
                    self.scan.use(label, self.spaces.classify(cs, resources))
            elif op == "Do" and args:
                self._xobject(args[0], resources, ctm, tuple(open_marks), depth, active)
            elif op == "INLINE IMAGE" and args:
                image = getattr(inst, "iimage", args[0])
                self._image("inline image", image.obj, resources, ctm, tuple(open_marks))
            elif op == "gs" and args:
                self._extgstate(args[0], resources)
            elif op == "Tf" and args:
                font = _lookup(resources, "/Font", args[0])
                if _is_dict(font):
                    self.scan.fonts.append(font)
            elif op in ("BMC", "BDC") and args:
                open_marks.append(self._mark(op, args, resources, owner))
            elif op == "EMC" and len(open_marks) > inherited:
                # Never pop the caller's marks: an unbalanced form must not
                # untag the rest of the page.
                open_marks.pop()

    def _ink(self, op: str, args: Any) -> float:
        """Total ink of a colour set by k/K/g/G; RGB only a rendering can tell."""
        if op in ("k", "K"):
            nums = _numbers(args, 4)
            return 100 * sum(nums) if nums is not None else 400.0
        if op in ("g", "G"):
            nums = _numbers(args, 1)
            return 100 * (1 - nums[0]) if nums is not None else 100.0
        self.scan.render.add("RGB colour")
        return 0.0

    def _prints(self, points: list[tuple[float, float]]) -> bool:
        """Whether a path's bounding box reaches into the printed area."""
        if self.area is None:
            return True
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, y0, x1, y1 = self.area
        return max(xs) > x0 and min(xs) < x1 and max(ys) > y0 and min(ys) < y1

    @staticmethod
    def _mark(op: str, args: Any, resources: Any, owner: tuple[int, int] | None) -> _Mark:
        tag = str(args[0])
        mcid = None
        if op == "BDC" and len(args) > 1:
            props = args[1]
            if _name(props):
                props = _lookup(resources, "/Properties", props)
            if _is_dict(props):
                value = props.get("/MCID")
                if isinstance(value, int) and not isinstance(value, bool):
                    mcid = value
        return _Mark(tag, mcid, owner)

    def _xobject(
        self,
        name: Any,
        resources: Any,
        ctm: Matrix,
        marks: tuple[_Mark, ...],
        depth: int,
        active: frozenset[tuple[int, int]],
    ) -> None:
        xobj = _lookup(resources, "/XObject", name)
        if not isinstance(xobj, pikepdf.Stream):
            return
        short = str(name).lstrip("/")
        subtype = _name(xobj.get("/Subtype"))
        if subtype == "/Image":
            self._image(f"image {short}", xobj, resources, ctm, marks)
        elif subtype == "/Form":
            label = f"form {short}"
            self.scan.render.add("form")  # it may paint with colours set outside it
            key = _key(xobj)
            if depth >= self.MAX_DEPTH or (key is not None and key in active):
                self.scan.problems.append((label, "form XObject nests too deeply or recursively"))
                return
            self._group(label, xobj.get("/Group"), resources)
            matrix = _numbers(xobj.get("/Matrix"), 6) or IDENTITY
            form_resources = xobj.get("/Resources")
            # Forms without /Resources fall back to the page's (PDF 1.1 files).
            inner = form_resources if _is_dict(form_resources) else resources
            self.run(
                xobj,
                inner,
                _mul(matrix, ctm),  # type: ignore[arg-type]
                key,
                label,
                marks,
                depth + 1,
                active | {key} if key is not None else active,
            )

    def _image(
        self, label: str, image: Any, resources: Any, ctm: Matrix, marks: tuple[_Mark, ...]
    ) -> None:
        if not bool(image.get("/ImageMask", False)):
            cs = image.get("/ColorSpace")
            if cs is not None:
                self.scan.use(label, self.spaces.classify(cs, resources))
            elif "/JPXDecode" in _filters(image):
                self.scan.use(label, _Space("Other", "JPEG 2000 embedded colour space"))
        if image.get("/SMask") is not None:
            self.scan.transparent(label, "image has a soft mask (SMask)")
        try:
            smask_in_data = int(image.get("/SMaskInData", 0))
        except (TypeError, ValueError):
            smask_in_data = 0
        if smask_in_data:
            self.scan.transparent(label, "JPEG 2000 image carries its own alpha (SMaskInData)")
        try:
            width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        except (TypeError, ValueError):
            width = height = 0
        self.scan.images.append(_Placement(label, width, height, ctm, marks, image))
        self.scan.render.add("image")

    def _pattern(
        self,
        name: Any,
        resources: Any,
        base_ctm: Matrix,
        marks: tuple[_Mark, ...],
        depth: int,
        active: frozenset[tuple[int, int]],
    ) -> None:
        pattern = _lookup(resources, "/Pattern", name)
        if not _is_dict(pattern):
            return
        label = f"pattern {str(name).lstrip('/')}"
        pattern_type = pattern.get("/PatternType")
        if pattern_type == 2:
            shading = pattern.get("/Shading")
            if _is_dict(shading):
                self.scan.use(label, self.spaces.classify(shading.get("/ColorSpace"), resources))
            return
        if pattern_type != 1 or pattern.get("/PaintType") != 1:
            return  # uncoloured tiling patterns take their colour from the cs operator
        key = _key(pattern)
        if depth >= self.MAX_DEPTH or (key is not None and key in active):
            return
        matrix = _numbers(pattern.get("/Matrix"), 6) or IDENTITY
        inner = pattern.get("/Resources")
        self.run(
            pattern,
            inner if _is_dict(inner) else resources,
            # Pattern space hangs off the default space of the stream that
            # uses it, not off the CTM in force when the pattern is selected.
            _mul(matrix, base_ctm),  # type: ignore[arg-type]
            key,
            label,
            marks,
            depth + 1,
            active | {key} if key is not None else active,
        )

    def _extgstate(self, name: Any, resources: Any) -> None:
        state = _lookup(resources, "/ExtGState", name)
        if not _is_dict(state):
            return
        label = f"ExtGState {str(name).lstrip('/')}"
        if state.get("/OP") is True or state.get("/op") is True:
            self.scan.render.add("overprint")
        for key, what in (("/CA", "stroke opacity"), ("/ca", "fill opacity")):
            value = state.get(key)
            if value is not None:
                try:
                    alpha = float(value)
                except (TypeError, ValueError):
                    continue
                if alpha < 1:
                    self.scan.transparent(label, f"{what} {key[1:]}={alpha:g}")
        smask = state.get("/SMask")
        if smask is not None and _name(smask) != "/None":
            self.scan.transparent(label, "soft mask (SMask)")
        blend = state.get("/BM")
        modes = list(blend) if isinstance(blend, pikepdf.Array) else [blend]
        modes = [str(m) for m in modes if m is not None]
        if modes and not any(m in ("/Normal", "/Compatible") for m in modes):
            self.scan.transparent(label, f"blend mode {modes[0].lstrip('/')}")

    def _group(self, label: str, group: Any, resources: Any) -> None:
        if not _is_dict(group):
            return
        cs = group.get("/CS")
        if cs is not None:
            self.scan.use(f"{label} transparency group", self.spaces.classify(cs, resources))
        if _name(group.get("/S")) == "/Transparency":
            self.scan.transparent(label, "transparency group")


class Document:
    def __init__(self, pdf: pikepdf.Pdf, path: Path) -> None:
        self.pdf = pdf
        self.path = path
        self._scans: list[_PageScan] | None = None
        self._spaces = _ColourSpaces()
        # Shared by all pages: a file of many crafted pages is bounded as a whole too.
        self._operators_left = MAX_DOCUMENT_OPERATORS

    # -- shared page data ---------------------------------------------------

    def pages(self) -> Iterator[tuple[int, Any]]:
        for number, page in enumerate(self.pdf.pages, 1):
            yield number, page.obj

    def scans(self) -> list[_PageScan]:
        if self._scans is None:
            self._scans = [self._scan(page) for _, page in self.pages()]
        return self._scans

    def _scan(self, page: Any) -> _PageScan:
        scan = _PageScan()
        _, crop, _, bleed = self.boxes(page)
        walker = _Walker(scan, self._spaces, bleed or crop)
        walker.operators_left = min(walker.operators_left, self._operators_left)
        resources = _inherited(page, "/Resources")
        walker._group("page", page.get("/Group"), resources)
        if page.get("/Contents") is not None:
            key = _key(page)
            try:
                walker.run(pikepdf.Page(page), resources, IDENTITY, key, "content stream", (), 0,
                           frozenset())
            except TooLarge as exc:
                scan.too_large = True
                scan.problems.append(("content stream", f"page is too large to check: {exc}; "
                                      "what follows on this page was not checked"))
            self._operators_left -= walker.MAX_PAGE_OPERATORS - walker.operators_left
        return scan

    def too_large(self) -> bool:
        """True when some page is beyond the walk's limits: tools that render or extract
        every page (Ghostscript, pdftotext) would then take unbounded time too."""
        return any(scan.too_large for scan in self.scans())

    def problem_findings(self) -> list[Finding]:
        return [
            Finding("error", number, where, message)
            for number, scan in enumerate(self.scans(), 1)
            for where, message in scan.problems
        ]

    def user_unit(self, page: Any) -> float:
        return _positive_number(page.get("/UserUnit"), 1.0)

    def boxes(self, page: Any) -> tuple[Rect, Rect, Rect | None, Rect | None]:
        """MediaBox, CropBox, and TrimBox/BleedBox as written (None when absent)."""
        media = _rect(_inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
        crop = _rect(_inherited(page, "/CropBox")) or media
        return media, crop, _rect(page.get("/TrimBox")), _rect(page.get("/BleedBox"))
