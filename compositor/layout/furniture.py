"""Page furniture: the masthead on page 1 and the footer on every page."""

from __future__ import annotations

from dataclasses import replace

from compositor.errors import Location, UserError
from compositor.layout.chunks import ImagePart, Part, RectPart, RulePart, Tag, TextPart
from compositor.layout.compose import Composer, style_of
from compositor.load.images import check_image
from compositor.load.layout import LayoutSpec, parse_length
from compositor.load.locale import Labels, digits, labels, numerals, translated
from compositor.model.content import Issue, Run
from compositor.model.smart import smart_text
from compositor.text.paragraph import Style

MM = 72 / 25.4
_SCALES = (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6)


def _scaled(st: Style, scale: float) -> Style:
    return st if scale == 1.0 else replace(st, size=st.size * scale,
                                           leading=st.leading * scale)


def issue_line(spec: LayoutSpec, issue: Issue) -> str:
    """'Volume 4, Numbers 19–20' in the layout's words (masthead, footer, slug, metadata).
    A layout that kept the built-in English words gets the edition's own, and its digits."""
    s = spec.section("strings")
    volume, number, plural = str(s["volume"]), str(s["number"]), str(s["numbers"])
    own = labels(issue.language)
    if own != Labels():
        volume = translated(volume, "Volume {volume}", own.volume.replace("{n}", "{volume}"))
        number = translated(number, "Number {number}", own.number.replace("{n}", "{number}"))
        plural = translated(plural, "Numbers {numbers}", own.number.replace("{n}", "{numbers}"))
    line = issue.issue_line_with(volume, number, plural, own.list_sep)
    return digits(smart_text(line, issue.language),
                  numerals(str(spec.section("text")["numerals"]), issue.language))


def masthead(comp: Composer, issue: Issue, height: float) -> list[Part]:
    """Parts in page coordinates. The colour band runs to the trim edge (and the bleed)."""
    spec = comp.spec
    m = spec.section("masthead")
    pub = issue.publication
    left = spec.margin_inside
    right = spec.page_width - spec.margin_outside
    width = right - left
    info = style_of(spec, "masthead_info")
    info_h = info.leading * 1.6
    band_bottom = spec.margin_top + height - info_h
    parts: list[Part] = []
    if m["background"] != "none":
        parts.append(RectPart(0, 0, spec.page_width, band_bottom, m["background"]))
    name_st = style_of(spec, "masthead_name")
    tag_st = style_of(spec, "masthead_tagline")
    text_left = left
    if pub.logo is not None:
        lh = min(parse_length(m["logo_height"]) or 60.0, band_bottom - spec.margin_top - 8)
        pw, ph = check_image(pub.logo, issue.layout_where)
        lw = lh * pw / ph
        ly = spec.margin_top + (band_bottom - spec.margin_top - lh) / 2
        parts.append(ImagePart(pub.logo, left, ly, lw, lh, f"{pub.name} logo", (pw, ph),
                               Tag("Figure", comp.new_element()),
                               matte=m["background"] if m["background"] != "none" else None))
        text_left = left + lw + 10
    # The name on one line at the designer's size when it fits; on a narrow page it is
    # set smaller (down to 40 %), and only then wrapped, so it is never clipped; the
    # tagline likewise, and both together must fit the band.
    room = band_bottom - spec.margin_top - 4
    measure = right - text_left
    for step in range(13):
        scale = 1.0 - 0.05 * step
        name_at = replace(name_st, size=name_st.size * scale, leading=name_st.leading * scale)
        tag_at = replace(tag_st, size=tag_st.size * max(scale, 0.7),
                         leading=tag_st.leading * max(scale, 0.7))
        name_lines = comp.set((Run(pub.name),), name_at, measure, "publication", "left")
        tagline_lines = (comp.set((Run(pub.tagline),), tag_at, measure, "publication",
                                  "left").lines if pub.tagline else ())
        block_h = len(name_lines.lines) * name_at.leading + len(tagline_lines) * tag_at.leading
        if len(name_lines.lines) == 1 and block_h <= room:
            break
    name_st, tag_st = name_at, tag_at
    if block_h > room + 0.5:
        raise UserError.at(Location(issue.manifest),
                           f"the publication name and tagline need {block_h / MM:.0f} mm but "
                           f"the masthead has {room / MM:.0f} mm, even set at 40 % size; "
                           "shorten them or raise masthead.height")
    y = spec.margin_top + max(0.0, (band_bottom - spec.margin_top - block_h) / 2)
    p, y = comp.lines_parts(name_lines.lines, name_st, text_left, y, "left",
                            Tag("Title", comp.new_element()))
    parts += p
    if tagline_lines:
        p, y = comp.lines_parts(tagline_lines, tag_st, text_left, y, "left",
                                Tag("P", comp.new_element()))
        parts += p
    # The info bar: "Volume 4, Numbers 19–20" on the left, the date on the right.
    base = band_bottom + (info_h - info.leading) / 2
    el = comp.new_element()
    numbers = issue_line(spec, issue)
    if numbers:
        line = comp.set((Run(numbers),), info, width / 2, "manifest", "left").lines[0]
        parts.append(TextPart(line, left, base + comp.baseline(info), "left", Tag("P", el)))
    date = comp.set((Run(comp.digits(issue.date_text)),), info, width / 2, "manifest",
                    "left").lines[0]
    parts.append(TextPart(date, right - date.natural, base + comp.baseline(info), "left",
                          Tag("P", el)))
    if m["rule"] != "none":
        parts.append(RulePart(left, band_bottom + info_h, width, 1.2, m["rule"]))
    return parts


def footer(comp: Composer, issue: Issue, page: int, pages: int, left: float, right: float
           ) -> list[Part]:
    spec = comp.spec
    st = style_of(spec, "footer")
    f = spec.section("footer")
    pub = issue.publication
    values = {"website": (pub.website or "").removeprefix("https://").removeprefix("http://"),
              "publication": pub.name,
              "issue": issue_line(spec, issue),
              "issue_date": comp.digits(issue.date_text), "page": comp.digits(str(page)),
              "pages": comp.digits(str(pages)), "publisher": pub.publisher or ""}
    y_rule = spec.page_height - spec.margin_bottom + st.leading * 0.9
    base = y_rule + st.leading * 1.1
    width = right - left
    parts: list[Part] = [RulePart(left, y_rule, width, 0.5, "rule")]
    # Left and right swap on left-hand pages so the page number sits on the outer edge.
    slots = {"left": f["left"], "center": f["center"], "right": f["right"]}
    if page % 2 == 0:
        slots["left"], slots["right"] = slots["right"], slots["left"]
    texts = {}
    for where, template in slots.items():
        template = translated(str(template or ""), Labels().page, comp.labels.page)
        texts[where] = smart_text(template.format(**values).strip(" ·|"), comp.language)
    # The three slots share one line: smaller type before any overlap, and an error
    # rather than a footer that overprints itself or loses its end.
    for scale in _SCALES:
        fst = _scaled(st, scale)
        lines = {k: comp.set((Run(t),), fst, width, "layout", "left").lines for k, t in
                 texts.items() if t}
        side = max((lines[k][0].natural for k in ("left", "right") if k in lines), default=0)
        mid = lines["center"][0].natural if "center" in lines else 0.0
        needed = (2 * side + mid + 2 * fst.size) if mid else (side * 2 + fst.size)
        if all(len(v) == 1 for v in lines.values()) and needed <= width + 0.5:
            break
    else:
        raise UserError.at(Location(spec.source), f"page {page}: the footer needs "
                                                   f"{needed / MM:.0f} mm but the page has "
                                                   f"{width / MM:.0f} mm, even set at "
                                                   f"{_SCALES[-1]:.0%} size; shorten the "
                                                   "footer templates")
    st = fst
    for where in slots:
        if where not in lines:
            continue
        line = lines[where][0]
        x = left if where == "left" else (right - line.natural if where == "right"
                                          else left + (width - line.natural) / 2)
        parts.append(TextPart(line, x, base, "left", Tag("Artifact", 0)))
    return parts
