"""The designer's layout YAML: merged over the built-in default, validated, resolved to points.

The default layout doubles as the schema: a key the default does not have is unknown, and
a value must have the same kind as the default's (length, number, text, colour, ...).
"""

from __future__ import annotations

import copy
import math
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compositor import inputs
from compositor.errors import Location, Report, UserError, suggest
from compositor.inputs import real_path
from compositor.load.rules import (  # noqa: F401 - FOOTER_FIELDS: re-exported
    FOOTER_FIELDS,
    LAYOUT_RULES,
    LEADING_TIMES_SIZE,
    LENGTH_KEYS,
    STRING_FIELDS,
    STYLE_SIZE,
    Rule,
)
from compositor.load.schema import describe
from compositor.load.yamlfile import Mapping, load_yaml_file

PACKAGE = Path(__file__).resolve().parent.parent
BUILTIN = PACKAGE / "layouts"
FONT_DIR = PACKAGE / "fonts"  # shipped inside the package, so any install finds them

WEIGHTS = ("regular", "italic", "bold", "bold_italic")
PAGE_SIZES = {  # points
    "A3": (841.89, 1190.55), "A4": (595.28, 841.89), "A5": (419.53, 595.28),
    "LETTER": (612.0, 792.0), "LEGAL": (612.0, 1008.0), "TABLOID": (792.0, 1224.0),
}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|em)?\s*$")
_UNITS = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, None: 1.0}
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class Color:
    """A colour as the designer gave it; converted once to the variant's colour space."""

    cmyk: tuple[float, float, float, float] | None = None  # 0..1
    rgb: tuple[float, float, float] | None = None  # 0..1
    spot: str | None = None  # a named ink (Separation), e.g. "PANTONE 185 C"

    def as_cmyk(self) -> tuple[float, float, float, float]:
        if self.cmyk is not None:
            return self.cmyk
        r, g, b = self.rgb or (0, 0, 0)
        k = 1 - max(r, g, b)
        if k >= 1:
            return (0.0, 0.0, 0.0, 1.0)
        return ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)

    def as_rgb(self) -> tuple[float, float, float]:
        if self.rgb is not None:
            return self.rgb
        c, m, y, k = self.cmyk or (0, 0, 0, 1)
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


@dataclass(frozen=True)
class TextStyle:
    font: str  # registered font name
    size: float
    leading: float
    color: str  # name in the colour table


@dataclass(frozen=True)
class LayoutSpec:
    """Everything the layout engine and renderer need, in points."""

    source: Path
    page_width: float
    page_height: float
    margin_top: float
    margin_bottom: float
    margin_inside: float
    margin_outside: float
    columns: int
    gutter: float
    column_rules: bool
    fonts: dict[str, dict[str, Path]]
    colors: dict[str, Color]
    styles: dict[str, TextStyle]
    raw: dict[str, Any]

    def section(self, name: str) -> dict[str, Any]:
        return self.raw[name]

    @property
    def column_width(self) -> float:
        inner = self.page_width - self.margin_inside - self.margin_outside
        return (inner - self.gutter * (self.columns - 1)) / self.columns


def load_layout(ref: str, named_at: Location) -> LayoutSpec:
    """Resolve a layout reference (built-in name or YAML path) to a validated spec."""
    report = Report()
    default = _builtin_default()
    path = _resolve(ref, named_at)
    raw = _load_chain(path, named_at, report, depth=0) if path != BUILTIN / "default.yaml" \
        else default
    report.raise_if_errors()
    merged = _merge(copy.deepcopy(default), raw, default, path, report, "")
    report.raise_if_errors()
    spec = _resolve_spec(merged, raw, path, report)
    report.raise_if_errors()
    return spec


_DEFAULT_CACHE: dict[tuple[int, int], Mapping] = {}


def _builtin_default() -> Mapping:
    """The built-in default, parsed once per version of the file: a process that loads
    layouts again and again (`compositor watch`) does not parse it on every rebuild."""
    path = BUILTIN / "default.yaml"
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    if key not in _DEFAULT_CACHE:
        _DEFAULT_CACHE.clear()
        _DEFAULT_CACHE[key] = load_yaml_file(path)
    return copy.deepcopy(_DEFAULT_CACHE[key])


def _resolve(ref: str, named_at: Location) -> Path:
    if len(ref.encode("utf-8")) > 1024:  # beyond any file name the system allows
        raise UserError.at(named_at, f"the layout '{ref[:40]}…' is {len(ref):,} characters "
                                     "long; give a built-in layout's name or a YAML path")
    if "/" not in ref and not ref.endswith((".yaml", ".yml")):
        builtin = BUILTIN / f"{ref}.yaml"
        if _is_file(builtin):
            return builtin
        names = sorted(p.stem for p in BUILTIN.glob("*.yaml"))
        raise UserError.at(named_at, f"no built-in layout '{ref}'{suggest(ref, names)}; "
                                     f"built-in layouts: {', '.join(names)}, or give a YAML path")
    path = real_path(named_at.path.parent / ref)
    if not _is_file(path):
        try:
            path.stat()
        except FileNotFoundError:
            pass
        except OSError as exc:  # e.g. a symlink loop
            raise UserError.at(named_at, f"cannot read layout {path}: {exc.strerror}") from None
        raise UserError.at(named_at, f"layout file not found: {path}")
    return path


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, say: then it is no file
        return False


def _load_chain(path: Path, named_at: Location, report: Report, depth: int) -> Mapping:
    data = load_yaml_file(path, named_at)
    if data is None:
        data = Mapping()
        data.line, data.key_lines = 1, {}
    if not isinstance(data, Mapping):
        raise UserError.at(Location(path, 1), "a layout must be a mapping of 'key: value' lines")
    parent = data.pop("extends", "default")
    if not isinstance(parent, str) or not parent.strip():
        raise UserError.at(Location(path, data.line_of("extends")),
                           "'extends' takes one layout: a built-in name such as default, or "
                           f"the path of a layout YAML, not {describe(parent)}")
    if parent != "default":
        if depth > 8:
            raise UserError.at(Location(path, data.line_of("extends")), "'extends' loops")
        base = _load_chain(_resolve(parent, Location(path, data.line_of("extends"))),
                           Location(path, data.line_of("extends")), report, depth + 1)
        data = _overlay(base, data)
    return data


def _overlay(base: Mapping, top: Mapping) -> Mapping:
    out = copy.copy(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _overlay(out[key], value)
        else:
            out[key] = value
        out.key_lines[key] = top.line_of(key)
    return out


def _merge(target: dict, raw: Any, schema: Any, path: Path, report: Report, prefix: str) -> dict:
    """Overlay `raw` on `target`, checking each key and value kind against `schema`."""
    if not isinstance(raw, Mapping):
        return target
    for key, value in raw.items():
        where = Location(path, raw.line_of(key))
        name = f"{prefix}{key}"
        # Colours and font families are the designer's own names; styles are the roles
        # the pages use, so a style the default does not have would never print.
        open_table = prefix in ("colors.", "fonts.")
        if key not in schema and not open_table:
            report.error(where, f"unknown layout key '{name}'{suggest(key, schema.keys())}; "
                                f"valid here: {', '.join(sorted(schema))}")
            continue
        expected = schema.get(key)
        if expected is None and open_table:
            expected = next(iter(schema.values()))  # a new colour/font/style is like the others
        if isinstance(expected, dict):
            if not isinstance(value, Mapping):
                report.error(where, f"'{name}' must be a mapping, not {describe(value)}")
                continue
            target[key] = _merge(copy.deepcopy(target.get(key, {}) or {}), value, expected,
                                 path, report, name + ".")
        else:
            target[key] = value
            rule = LAYOUT_RULES.get((prefix[:-1], key))
            if rule is not None:
                _check_rule(name, value, rule, where, report)
            else:
                _check_kind(name, key, value, expected, where, report)
    return target


def _check_rule(name: str, value: Any, rule: Rule, where: Location, report: Report) -> None:
    """A value of a key in the rules table: of the right kind, one of its choices, not
    longer than its text may be. Ranges are checked once the body size is known (a length
    in em depends on it): see _check_ranges."""
    if rule.kind == "length":
        if parse_length(value) is None:
            report.error(where, f"'{name}' must be a length such as 12mm, 0.5in or 14 (points), "
                                f"not {describe(value)}")
    elif rule.kind == "bool":
        if not isinstance(value, bool):
            report.error(where, f"'{name}' must be true or false, not {describe(value)}")
    elif rule.kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            report.error(where, f"'{name}' must be a number, not {describe(value)}")
        elif rule.kind == "integer" and isinstance(value, float) and not value.is_integer():
            report.error(where, f"'{name}' must be a whole number, not {value}")
    elif rule.kind == "choice":
        if not isinstance(value, str) or value not in rule.choices:
            near = suggest(value, rule.choices) if isinstance(value, str) else ""
            report.error(where, f"'{name}' must be one of {', '.join(rule.choices)}, not "
                                f"{describe(value)}{near}")
    elif rule.kind == "file" and not isinstance(value, str):
        report.error(where, f"'{name}' must be a file name, not {describe(value)}")
    elif rule.nonblank and isinstance(value, str) and not value.strip():
        report.error(where, f"'{name}' is empty; it needs a value (the default is "
                            f"{_default_value(name)!r})")
    elif rule.kind in ("text", "template", "file", "colour_name"):
        if isinstance(value, bool) or not isinstance(value, str | int):
            # yes/no/on/off are booleans to YAML: a word meant as text needs quotes
            hint = " (put it in quotes)" if isinstance(value, bool) else ""
            report.error(where, f"'{name}' must be text, not {describe(value)}{hint}")
        elif rule.max_chars is not None and len(str(value)) > rule.max_chars:
            report.error(where, f"'{name}' is {len(str(value)):,} characters long; it takes at "
                                f"most {rule.max_chars} (shorten it)")


def _default_value(name: str) -> Any:
    section, key = name.split(".", 1)
    return _builtin_default()[section][key]


def _check_kind(name: str, key: str, value: Any, expected: Any, where: Location,
                report: Report) -> None:
    """A value of a key the rules table does not list (inside styles, fonts, colours):
    the same kind as the default's."""
    if isinstance(expected, bool):
        if not isinstance(value, bool):
            report.error(where, f"'{name}' must be true or false, not {describe(value)}")
    elif isinstance(expected, int | float) and not isinstance(expected, bool):
        if isinstance(value, bool) or not isinstance(value, int | float):
            report.error(where, f"'{name}' must be a number, not {describe(value)}")
    elif isinstance(expected, str) and not isinstance(value, str | int):
        report.error(where, f"'{name}' must be text, not {describe(value)}")


def parse_length(value: Any, em: float = 10.0) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        m = _LENGTH.match(value)
        if m:
            number, unit = float(m.group(1)), m.group(2)
            return number * (em if unit == "em" else _UNITS[unit])
    return None


def parse_color(value: Any) -> Color | None:
    if isinstance(value, dict) and set(value) == {"spot", "cmyk"}:
        base = parse_color(value["cmyk"])
        name = value["spot"]
        if base is None or base.cmyk is None or not isinstance(name, str) or not name.strip() \
                or len(name.strip().encode("utf-8")) > 40 or "/" in name \
                or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
            return None  # ink names are short words; '/' would split the PDF name
        return Color(cmyk=base.cmyk, spot=name.strip())
    if isinstance(value, str):
        m = _HEX.match(value.strip())
        if m:
            h = m.group(1)
            return Color(rgb=tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    if isinstance(value, list) and len(value) == 4 and all(
            isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100
            for v in value):
        return Color(cmyk=tuple(v / 100 for v in value))
    return None


def _colour_problem(name: str, value: Any) -> str:
    """Why a colour was refused and what to write instead."""
    ink = value.get("spot") if isinstance(value, dict) and set(value) == {"spot", "cmyk"} \
        else None
    if isinstance(ink, str) and parse_color(value["cmyk"]) is not None:
        if "/" in ink:
            # The ink's name becomes a PDF name, where '/' starts the next name: the
            # printer's RIP would see an ink called only by the part before it.
            return (f"colour '{name}': the spot ink name '{ink}' contains '/', which cannot "
                    "be part of an ink's name in a PDF (it starts a new name there); write "
                    f"it as the printer's ink list spells it without '/', e.g. "
                    f"'{ink.replace('/', '-')}'")
        if len(ink.strip().encode("utf-8")) > 40:
            return (f"colour '{name}': the spot ink name '{ink}' is longer than 40 bytes; ink "
                    "names are short, such as PANTONE 185 C: shorten it")
        return (f"colour '{name}': the spot ink name {describe(ink)} must be a visible word "
                "such as PANTONE 185 C (no control characters, not blank)")
    return (f"colour '{name}' must be '#rrggbb', a CMYK list in percent like [100, 60, 0, 20], "
            f"or a spot colour {{spot: PANTONE 185 C, cmyk: [0, 91, 76, 0]}}, "
            f"not {describe(value)}")


def _resolve_spec(m: dict, raw: Mapping, path: Path, report: Report) -> LayoutSpec:
    def where(*keys: str) -> Location:
        node: Any = raw
        line = 1
        for k in keys:
            if isinstance(node, Mapping) and k in node:
                line = node.line_of(k)
                node = node[k]
            else:
                break
        return Location(path, line)

    page = m["page"]
    size = page["size"]
    if isinstance(size, str) and size.upper() in PAGE_SIZES:
        width, height = PAGE_SIZES[size.upper()]
    elif isinstance(size, list) and len(size) == 2 and all(parse_length(v) for v in size):
        width, height = (parse_length(v) for v in size)
    else:
        report.error(where("page", "size"),
                     f"'page.size' must be A4, A5, A3, Letter, Legal, Tabloid or "
                     f"[width, height], not {describe(size)}"
                     f"{suggest(str(size).upper(), PAGE_SIZES)}")
        width, height = PAGE_SIZES["A4"]
    lengths = {k: parse_length(page[k]) or 0.0 for k in
               ("margin_top", "margin_bottom", "margin_inside", "margin_outside", "gutter")}
    columns = int(page["columns"])  # a whole number (checked as it was read)
    if not LAYOUT_RULES["page", "columns"].within(columns):
        columns = 1  # reported by _check_ranges; 1 lets the other checks go on
    if width < 72 or height < 72 or width > 5000 or height > 5000:
        report.error(where("page", "size"), "the page must be between 1 and 70 inches a side")
    inner_w = width - lengths["margin_inside"] - lengths["margin_outside"]
    inner_h = height - lengths["margin_top"] - lengths["margin_bottom"]
    col_w = (inner_w - lengths["gutter"] * (columns - 1)) / max(columns, 1)
    if any(v < 0 for v in lengths.values()):
        report.error(where("page"), "margins and gutter cannot be negative")
    if col_w < 72 or inner_h < 200:
        report.error(where("page"),
                     f"the margins, gutter and {columns} columns leave a text column of "
                     f"{col_w / _UNITS['mm']:.0f} mm × {inner_h / _UNITS['mm']:.0f} mm; "
                     "columns need at least 25 mm width and the text area 70 mm height "
                     "(reduce margins or columns)")

    masthead_h = parse_length(m["masthead"]["height"])
    if masthead_h is not None and inner_h >= 200 and inner_h - masthead_h < 72:
        # Checked here so the message names the masthead, not the first article that
        # then finds no room on page 1.
        report.error(where("masthead", "height"),
                     f"the masthead ({masthead_h / _UNITS['mm']:.0f} mm) leaves "
                     f"{max(inner_h - masthead_h, 0) / _UNITS['mm']:.0f} mm of the "
                     f"{inner_h / _UNITS['mm']:.0f} mm text area on page 1; at least 25 mm "
                     "is needed (lower masthead.height)")

    colors: dict[str, Color] = {}
    for name, value in m["colors"].items():
        color = parse_color(value)
        if color is None:
            report.error(where("colors", name), _colour_problem(name, value))
            color = Color(cmyk=(0, 0, 0, 1))
        colors[name] = color

    fonts: dict[str, dict[str, Path]] = {}
    for family, faces in m["fonts"].items():
        fonts[family] = {}
        for weight in ("regular", "italic", "bold", "bold_italic"):
            file = faces.get(weight) or faces.get("regular")
            if not isinstance(file, str):
                report.error(where("fonts", family), f"font family '{family}' needs a '{weight}' "
                                                     "font file")
                continue
            found = next((p for p in (path.parent / file, FONT_DIR / file) if p.is_file()), None)
            if found is None:
                shipped = sorted(p.name for p in FONT_DIR.glob("*.ttf"))
                report.error(where("fonts", family, weight),
                             f"font file '{file}' not found next to the layout or in the shipped "
                             f"fonts{suggest(file, shipped)}")
                continue
            if found.suffix.lower() not in (".ttf",):
                report.error(where("fonts", family, weight),
                             f"'{file}': only TrueType (.ttf) fonts can be embedded")
                continue
            fonts[family][weight] = found
            inputs.note(found)

    styles: dict[str, TextStyle] = {}
    for name, st in m["styles"].items():
        loc = where("styles", name)
        family, weight = st.get("font"), st.get("weight", "regular")
        if family not in m["fonts"]:
            report.error(loc, f"style '{name}': unknown font family '{family}'"
                              f"{suggest(str(family), m['fonts'])}")
            continue
        if weight not in WEIGHTS:
            report.error(loc, f"style '{name}': weight must be regular, italic, bold or "
                              f"bold_italic, not {describe(weight)}"
                              f"{suggest(str(weight), WEIGHTS)}")
            continue
        size, leading = st.get("size"), st.get("leading")
        if not isinstance(size, int | float) or isinstance(size, bool) or \
                not STYLE_SIZE[0] <= size <= STYLE_SIZE[1]:
            report.error(loc, f"style '{name}': size must be {STYLE_SIZE[0]} to {STYLE_SIZE[1]} "
                              f"points, not {describe(size)}")
            continue
        low, high = LEADING_TIMES_SIZE
        if not isinstance(leading, int | float) or isinstance(leading, bool) or \
                not size * low <= leading <= size * high:
            # Tighter, lines overprint; looser, one line is taller than a column can take.
            report.error(loc, f"style '{name}': leading must be a number of points from "
                              f"{low} to {high:g} × the size ({size * low:g} to "
                              f"{size * high:g}), not {describe(leading)}")
            continue
        color = st.get("color", "text")
        if color not in colors:
            report.error(loc, f"style '{name}': unknown colour '{color}'"
                              f"{suggest(str(color), colors)}")
            color = "text"
        styles[name] = TextStyle(f"{family}:{weight}", float(size), float(leading), color)

    for section, key in (("masthead", "background"), ("masthead", "rule"),
                         ("boxes", "background")):
        value = m[section][key]
        if value not in colors and value != "none":
            report.error(where(section, key), f"'{section}.{key}' must name a colour or be none"
                                              f"{suggest(str(value), colors)}")
    col = m["contents"]["column"]
    if LAYOUT_RULES["contents", "column"].within(col) and col > columns:
        report.error(where("contents", "column"), f"'contents.column' must be 1 to {columns} "
                                                  f"(the page has {columns} columns), not {col}")
    body = styles.get("body")
    _check_ranges(m, where, report, em=body.size if body else 10.0)
    profile = m["print"]["profile"]
    shipped = PACKAGE / "icc"
    if isinstance(profile, str) and profile.strip() and not any(
            p.is_file() for p in (path.parent / profile, shipped / profile)):
        # Checked here, where the line is known; the print variant looks in the same places.
        names = sorted(p.name for p in shipped.glob("*.icc"))
        report.error(where("print", "profile"),
                     f"'print.profile': ICC profile '{profile}' not found next to the layout "
                     f"or among the shipped profiles{suggest(profile, names)} (shipped: "
                     f"{', '.join(names)})")
    indent = parse_length(m["text"]["paragraph_indent"], em=body.size if body else 10.0)
    if indent is not None and LAYOUT_RULES["text", "paragraph_indent"].within(indent) and \
            col_w > 0 and indent > col_w / 3:
        report.error(where("text", "paragraph_indent"),
                     f"'text.paragraph_indent' ({indent / _UNITS['mm']:.0f} mm) is more than a "
                     f"third of the {col_w / _UNITS['mm']:.0f} mm column; the first words of "
                     "paragraphs would not fit (use 1em to 3em)")
    templates = [(section, slot, rule.fields) for (section, slot), rule in LAYOUT_RULES.items()
                 if rule.kind == "template"]
    for section, slot, allowed in templates:
        template = m[section][slot]
        try:
            fields = [(n, spec, conv) for _, n, spec, conv in
                      string.Formatter().parse(str(template or "")) if n is not None]
            names = {n for n, _, _ in fields if n}
        except ValueError as exc:
            report.error(where(section, slot), f"'{section}.{slot}': {exc} (write {{{{ for a "
                                               "literal brace)")
            continue
        for name, spec, conv in fields:
            if spec or conv or not name:
                shown = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") \
                    + "}"
                report.error(where(section, slot), f"'{section}.{slot}': {shown} is not a "
                                                   "field; write a field name in braces, such "
                                                   "as {page}, without format codes")
        for name in sorted(names - allowed):
            report.error(where(section, slot), f"'{section}.{slot}': unknown field {{{name}}}"
                                               f"{suggest(name, allowed)}; fields: "
                                               f"{', '.join(sorted(allowed)) or 'none'}")
    return LayoutSpec(source=path, page_width=width, page_height=height, columns=columns,
                      column_rules=bool(page["column_rules"]), fonts=fonts, colors=colors,
                      styles=styles, raw=m, **lengths)


def _check_ranges(m: dict, where: Any, report: Report, em: float) -> None:
    """Every number and length of the rules table within its range (lengths in points,
    an em being the body size)."""
    for (section, key), rule in LAYOUT_RULES.items():
        if rule.kind not in ("length", "number", "integer"):
            continue
        value = m[section][key]
        number = parse_length(value, em=em) if rule.kind == "length" else value
        if not isinstance(number, int | float) or isinstance(number, bool) or \
                rule.within(number):
            continue
        shown = f"{value}" if not isinstance(value, str) else value.strip()
        if rule.kind == "length" and isinstance(value, str) and not value.strip().endswith("pt"):
            shown += f" = {number:g} pt"
        report.error(where(section, key), f"'{section}.{key}' must be "
                                          f"{rule.bounds_text(rule.kind == 'length')}, "
                                          f"not {shown}")
