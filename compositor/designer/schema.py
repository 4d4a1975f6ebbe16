"""JSON Schemas for the files editors and designers write, derived from the loader's own
tables: the key sets and their descriptions (manifest, articles, boxes, publication), and
for layouts the built-in default itself with its comments, the length keys and the number
ranges. The copies shipped in compositor/schemas/ are these, written by
`python -m compositor.designer.schema`; a test keeps the two identical and checks the
schemas against the loader on valid and invalid examples."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from compositor.load.articles import ARTICLE_KEYS, BOX_KEYS, BOX_PAGE_WORDS
from compositor.load.layout import BUILTIN, PAGE_SIZES, WEIGHTS
from compositor.load.manifest import (
    _LANG,
    ARTICLE_ENTRY_KEYS,
    BOX_ENTRY_KEYS,
    MANIFEST_KEYS,
    PUBLICATION_KEY,
    PUBLICATION_KEYS,
)
from compositor.load.rules import (
    ARTICLE_TEXT_LIMITS,
    CONTENTS_ENTRY_CHARS,
    LAYOUT_RULES,
    LEADING_TIMES_SIZE,
    MANIFEST_TEXT_LIMITS,
    PUBLICATION_TEXT_LIMITS,
    STYLE_SIZE,
    Rule,
)
from compositor.model.markdown import SAFE_SCHEMES

SHIPPED = Path(__file__).resolve().parent.parent / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("manifest", "article", "box", "layout", "publication")

TEXT = {"type": ["string", "number"]}  # the loader prints numbers as written
NONBLANK = {"type": "string", "pattern": r"\S"}


def _text(limit: int | None) -> dict[str, Any]:
    """Text (or a number, printed as written) of at most `limit` characters."""
    return TEXT if limit is None else {**TEXT, "maxLength": limit}


def _anycase(word: str) -> str:
    """A regex matching `word` in any letter case (JSON Schema regexes have no flags)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


def _article_properties() -> dict[str, Any]:
    schemes = "|".join(_anycase(s) for s in SAFE_SCHEMES)
    kinds: dict[str, Any] = {
        "title": {"anyOf": [NONBLANK, {"type": "number"}]},
        **{k: _text(ARTICLE_TEXT_LIMITS.get(k)) for k in ("toc_title", "byline", "caption",
                                                           "alt")},
        "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "url": {"type": "string", "pattern": rf"^\s*({schemes})"},
        "image": {"type": "string"},
        "excerpt": {"anyOf": [{"type": "integer", "minimum": 20},
                              {"enum": ["none", "auto", False]}]},
        "continue": {"type": "boolean"},
        "new_page": {"type": "boolean"},
        "filler": {"type": "boolean"},
        "pullquote": NONBLANK,
    }
    assert set(kinds) == set(ARTICLE_KEYS), "every article key needs a schema"
    return {k: {**kinds[k], "description": ARTICLE_KEYS[k]} for k in ARTICLE_KEYS}


BOX_PAGE = {"anyOf": [{"enum": list(BOX_PAGE_WORDS)}, {"type": "integer", "minimum": 1}],
            "description": BOX_KEYS["page"]}


def article_schema() -> dict:
    # Without a toc_title the title is the contents box's entry, and held to its length.
    short_title = {"if": {"not": {"required": ["toc_title"]}},
                   "then": {"properties": {"title": {"maxLength": CONTENTS_ENTRY_CHARS}}}}
    return {"$schema": DRAFT, "title": "compositor article front matter",
            "description": "The YAML between the two '---' lines at the top of an article.",
            "type": "object", "additionalProperties": False, "required": ["title"],
            "properties": _article_properties(), **short_title}


def box_schema() -> dict:
    return {"$schema": DRAFT, "title": "compositor box front matter",
            "description": "The YAML between the two '---' lines at the top of a box file "
                           "(optional).",
            "type": "object", "additionalProperties": False,
            "properties": {"title": {**TEXT, "description": BOX_KEYS["title"]},
                           "page": BOX_PAGE}}


_PUBLICATION_DESCRIPTIONS = {
    "name": "name of the newsletter, set in the masthead (required)",
    "tagline": "line under the name in the masthead",
    "publisher": "who publishes it; also the PDF author",
    "website": "address printed in the footer and the PDF metadata",
    "logo": "logo image, relative to this file",
    "key": "domain name or e-mail address the publication owns, naming it in the archive's "
           "feed ids for good (default: made from the name)",
}


def publication_schema() -> dict:
    assert set(_PUBLICATION_DESCRIPTIONS) == PUBLICATION_KEYS
    return {"$schema": DRAFT, "title": "compositor publication",
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {k: {**_text(PUBLICATION_TEXT_LIMITS.get(k)), "description": v}
                           if k not in ("name", "key") else
                           {"anyOf": [NONBLANK, {"type": "number"}], "description": v}
                           if k == "name" else
                           {"type": "string", "pattern": PUBLICATION_KEY, "maxLength": 100,
                            "description": v}
                           for k, v in _PUBLICATION_DESCRIPTIONS.items()}}


def manifest_schema() -> dict:
    article_props = _article_properties()
    entry = {"type": "object", "additionalProperties": False, "required": ["file"],
             "properties": {"file": {**NONBLANK, "description": "the article's Markdown file"},
                            **{k: v for k, v in article_props.items()
                               if k in ARTICLE_ENTRY_KEYS}},
             "description": "an article with front-matter keys overridden for this issue"}
    assert set(entry["properties"]) == ARTICLE_ENTRY_KEYS
    box_entry = {"type": "object", "additionalProperties": False, "required": ["file"],
                 "properties": {"file": {**NONBLANK, "description": "the box's Markdown file"},
                                "page": BOX_PAGE}}
    assert set(box_entry["properties"]) == BOX_ENTRY_KEYS
    kinds: dict[str, Any] = {
        "publication": {"anyOf": [NONBLANK, publication_schema() | {"$schema": None}]},
        "volume": _text(MANIFEST_TEXT_LIMITS["volume"]),
        "number": {"anyOf": [_text(MANIFEST_TEXT_LIMITS["number"]), {
            "type": "array", "items": {"type": ["string", "integer"],
                                       "maxLength": MANIFEST_TEXT_LIMITS["number"]}}]},
        "date": {"anyOf": [{**NONBLANK, "maxLength": MANIFEST_TEXT_LIMITS["date"]},
                           {"type": "number"}]},
        "language": {"type": "string", "pattern": _LANG.pattern, "default": "en"},
        "layout": {"type": "string", "default": "default"},
        "articles": {"type": "array", "minItems": 1,
                     "items": {"anyOf": [NONBLANK, entry]}},
        "boxes": {"type": "array", "items": {"anyOf": [NONBLANK, box_entry]}},
        "pages": {"type": "integer", "minimum": 1, "maximum": 512},
    }
    pub = kinds["publication"]["anyOf"][1]
    del pub["$schema"]
    assert set(kinds) == set(MANIFEST_KEYS), "every manifest key needs a schema"
    return {"$schema": DRAFT, "title": "compositor issue manifest (issue.yaml)",
            "type": "object", "additionalProperties": False,
            "required": ["publication", "date", "articles"],
            "properties": {k: {**kinds[k], "description": MANIFEST_KEYS[k]}
                           for k in MANIFEST_KEYS}}


# -- layouts: the default layout is the schema -------------------------------------------

_COMMENT = re.compile(r"^(\s*)([A-Za-z_][\w]*):(?:[^#]*?)(?:#\s*(.*))?$")


def _default_comments() -> dict[tuple[str, ...], str]:
    """Descriptions from the default layout's own comments, keyed by (section, key)."""
    out: dict[tuple[str, ...], str] = {}
    section = None
    for line in (BUILTIN / "default.yaml").read_text(encoding="utf-8").splitlines():
        m = _COMMENT.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        indent, key, comment = m.groups()
        if not indent:
            section = key
            path: tuple[str, ...] = (key,)
        elif len(indent) == 2 and section:
            path = (section, key)
        else:
            continue
        if comment:
            out[path] = comment.strip()
    return out


LENGTH = {"anyOf": [{"type": "number"},
                    {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?\s*(mm|cm|in|pt|em)?\s*$"}]}
COLOR = {"anyOf": [
    {"type": "string", "pattern": r"^\s*#[0-9a-fA-F]{6}\s*$", "description": "#rrggbb"},
    {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100},
     "minItems": 4, "maxItems": 4, "description": "CMYK in percent"},
    {"type": "object", "additionalProperties": False, "required": ["spot", "cmyk"],
     "properties": {"spot": {**NONBLANK, "description": "ink name, e.g. PANTONE 288 C"},
                    "cmyk": {"type": "array", "minItems": 4, "maxItems": 4,
                             "items": {"type": "number", "minimum": 0, "maximum": 100}}},
     "description": "a spot colour with its CMYK equivalent"}]}


def _leaf(section: str, key: str, rule: Rule) -> dict:
    """The schema of one layout key, from its rule (compositor/load/rules.py)."""
    if rule.kind == "page_size":
        names = "|".join(_anycase(n) for n in PAGE_SIZES)
        return {"anyOf": [{"type": "string", "pattern": rf"^({names})$"},
                          {"type": "array", "items": LENGTH, "minItems": 2, "maxItems": 2}]}
    if rule.kind == "choice":
        return {"enum": list(rule.choices)}
    if rule.kind == "bool":
        return {"type": "boolean"}
    bounds = {k: v for k, v in (("minimum", rule.low), ("maximum", rule.high)) if v is not None}
    if rule.kind == "length":
        out = json.loads(json.dumps(LENGTH))
        out["anyOf"][0] |= bounds
        if rule.low is not None and rule.low >= 0:  # a unit's number is bounded by the loader
            out["anyOf"][1]["pattern"] = out["anyOf"][1]["pattern"].replace("-?", "")
        return out
    if rule.kind in ("number", "integer"):
        return {"type": rule.kind} | bounds
    out: dict[str, Any] = {"type": "string"} if rule.kind == "file" else \
        {"type": ["string", "integer"]}
    if rule.nonblank:
        out["pattern"] = r"\S"
    if rule.max_chars is not None:
        out["maxLength"] = rule.max_chars
    if rule.kind == "template" and rule.fields:
        out["description"] = "fields: " + ", ".join("{" + f + "}" for f in sorted(rule.fields))
    return out


def layout_schema() -> dict:
    from compositor.load.yamlfile import load_yaml_file

    default = load_yaml_file(BUILTIN / "default.yaml")
    notes = _default_comments()
    sections: dict[str, Any] = {}
    for section, body in default.items():
        if section == "colors":
            node = {"type": "object", "additionalProperties": COLOR,
                    "properties": {k: COLOR for k in body}}
        elif section == "fonts":
            family = {"type": "object", "additionalProperties": False,
                      "properties": {w: {"type": ["string", "integer"],
                                         "description": f"{w} TrueType file (.ttf)"}
                                     for w in WEIGHTS}}
            node = {"type": "object", "additionalProperties": family,
                    "properties": {k: family for k in body}}
        elif section == "styles":
            style = {"type": "object", "additionalProperties": False, "properties": {
                "font": {"type": ["string", "integer"],
                         "description": "a family from 'fonts'"},
                "weight": {"enum": list(WEIGHTS)},
                "size": {"type": "number", "minimum": STYLE_SIZE[0],
                         "maximum": STYLE_SIZE[1], "description": "points"},
                "leading": {"type": "number",
                            "minimum": STYLE_SIZE[0] * LEADING_TIMES_SIZE[0],
                            "maximum": STYLE_SIZE[1] * LEADING_TIMES_SIZE[1],
                            "description": f"points, {LEADING_TIMES_SIZE[0]} to "
                                           f"{LEADING_TIMES_SIZE[1]:g} × size"},
                "color": {"type": ["string", "integer"],
                          "description": "a name from 'colors'"}}}
            # The roles are the renderer's: a style it does not know is an error.
            node = {"type": "object", "additionalProperties": False,
                    "properties": {k: style for k in body}}
        else:
            node = {"type": "object", "additionalProperties": False, "properties": {}}
            for key, value in body.items():
                rule = LAYOUT_RULES[section, key]
                leaf = _leaf(section, key, rule)
                described = notes.get((section, key)) or leaf.get("description")
                text = f"default: {json.dumps(value)}"
                if rule.kind == "length" and (rule.low is not None or rule.high is not None):
                    text += f"; {rule.bounds_text(True)}"
                leaf["description"] = f"{described} ({text})" if described else text
                node["properties"][key] = leaf
        if (section,) in notes:
            node["description"] = notes[(section,)]
        sections[section] = node
    return {"$schema": DRAFT, "title": "compositor layout",
            "description": "A layout overrides the built-in default: start with "
                           "'extends: default' and set only what changes.",
            "type": "object", "additionalProperties": False,
            "properties": {"extends": {"type": "string", "default": "default",
                                       "description": "the layout this one changes: a "
                                                      "built-in name or a YAML path"},
                           **sections}}


BUILDERS = {"manifest": manifest_schema, "article": article_schema, "box": box_schema,
            "layout": layout_schema, "publication": publication_schema}


def schema(kind: str) -> dict:
    return BUILDERS[kind]()


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the shipped copies (run after changing the loader's keys or the default)."""
    SHIPPED.mkdir(exist_ok=True)
    for kind in KINDS:
        (SHIPPED / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
    print(f"wrote {len(KINDS)} schemas to {SHIPPED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
