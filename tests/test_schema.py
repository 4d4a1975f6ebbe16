"""The JSON Schemas shipped for editors agree with the loader: the same keys, and on every
example below (the sample issue's files, what `compositor new` writes, and each key given
a spread of right and wrong values) a file is valid for the schema exactly when the loader
accepts it. Where the loader is deliberately more lenient the case is listed with why."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, SAMPLE, make_photo

from compositor.designer.schema import KINDS, SHIPPED, schema
from compositor.errors import Location, Report, UserError
from compositor.load.yamlfile import load_yaml_file

CHECKER = jsonschema.FormatChecker()
_VALIDATORS: dict = {}


@pytest.fixture(autouse=True)
def _parse_default_layout_once(monkeypatch):
    """Hundreds of cases load a layout: read the built-in default once (it does not change
    during the run), as a long-running process would."""
    import compositor.load.layout as layout_loader
    from compositor.load.layout import BUILTIN

    original = layout_loader.load_yaml_file
    cached = {}

    def load(path, named_at=None):
        if path == BUILTIN / "default.yaml":
            if path not in cached:
                cached[path] = original(path, named_at)
            import copy
            return copy.deepcopy(cached[path])
        return original(path, named_at)

    monkeypatch.setattr(layout_loader, "load_yaml_file", load)


def schema_ok(kind: str, data) -> bool:
    if kind not in _VALIDATORS:
        _VALIDATORS[kind] = jsonschema.Draft202012Validator(schema(kind),
                                                            format_checker=CHECKER)
    return _VALIDATORS[kind].is_valid(_as_json(data))


def _as_json(value):
    """What an editor's YAML language server sees: dates are strings."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_schemas_are_the_generated_ones(kind):
    shipped = json.loads((SHIPPED / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert shipped == schema(kind), "run: python -m compositor.designer.schema"
    jsonschema.Draft202012Validator.check_schema(shipped)


def test_schema_keys_are_the_loader_keys():
    from compositor.load.articles import ARTICLE_KEYS, BOX_KEYS
    from compositor.load.layout import BUILTIN
    from compositor.load.manifest import (
        ARTICLE_ENTRY_KEYS,
        BOX_ENTRY_KEYS,
        MANIFEST_KEYS,
        PUBLICATION_KEYS,
    )

    assert set(schema("manifest")["properties"]) == set(MANIFEST_KEYS)
    assert set(schema("article")["properties"]) == set(ARTICLE_KEYS)
    assert set(schema("box")["properties"]) == set(BOX_KEYS)
    assert set(schema("publication")["properties"]) == PUBLICATION_KEYS
    items = schema("manifest")["properties"]["articles"]["items"]["anyOf"][1]
    assert set(items["properties"]) == ARTICLE_ENTRY_KEYS
    boxes = schema("manifest")["properties"]["boxes"]["items"]["anyOf"][1]
    assert set(boxes["properties"]) == BOX_ENTRY_KEYS
    default = load_yaml_file(BUILTIN / "default.yaml")
    layout = schema("layout")["properties"]
    assert set(layout) == set(default) | {"extends"}
    for section, body in default.items():
        assert set(layout[section]["properties"]) == set(body), section


# -- the loader's verdict ---------------------------------------------------------------

def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n" \
        "Text of the article, long enough to count. " * 3 + "\n"


def loader_ok_article(tmp_path: Path, data: dict) -> bool:
    from compositor.load.articles import load_article
    path = tmp_path / "articles" / "a.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(_front(data), encoding="utf-8")
    report = Report()
    try:
        load_article(path, Location(tmp_path / "issue.yaml", 1), None,
                     tmp_path / "issue.yaml", report)
    except UserError:
        return False
    return not report.errors


def loader_ok_box(tmp_path: Path, data: dict) -> bool:
    from compositor.load.articles import load_box
    path = tmp_path / "box.md"
    path.write_text(_front(data), encoding="utf-8")
    report = Report()
    try:
        load_box(path, Location(tmp_path / "issue.yaml", 1), None, report)
    except UserError:
        return False
    return not report.errors


def loader_ok_manifest(tmp_path: Path, data: dict) -> bool:
    from compositor.build import load
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "articles" / "one.md").write_text(_front({"title": "One"}), encoding="utf-8")
    (tmp_path / "box.md").write_text(_front({"title": "Box"}), encoding="utf-8")
    path = tmp_path / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    try:
        load(path)  # the manifest, the files it names and the layout, as a build loads them
    except UserError:
        return False
    return True


def loader_ok_layout(tmp_path: Path, data: dict) -> bool:
    from compositor.load.layout import load_layout
    path = tmp_path / "layout.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    try:
        load_layout("layout.yaml", Location(tmp_path / "issue.yaml", 1))
    except UserError:
        return False
    return True


# -- valid files --------------------------------------------------------------------------

def _front_matter(path: Path) -> dict:
    from compositor.load.articles import split_front_matter
    from compositor.load.yamlfile import read_text
    return split_front_matter(read_text(path), path)[0]


def test_sample_issue_files_are_valid_for_the_schemas(tmp_path):
    folder = SAMPLE.parent
    assert schema_ok("manifest", load_yaml_file(SAMPLE))
    assert schema_ok("publication", load_yaml_file(ROOT / "issues" / "harbor-light.yaml"))
    assert schema_ok("layout", load_yaml_file(ROOT / "issues" / "harbor-light-layout.yaml"))
    assert schema_ok("layout", load_yaml_file(ROOT / "compositor" / "layouts" / "default.yaml"))
    for article in sorted((folder / "articles").glob("*.md")):
        assert schema_ok("article", _front_matter(article)), article
    for box in sorted((folder / "boxes").glob("*.md")):
        assert schema_ok("box", _front_matter(box)), box


def test_new_issue_files_are_valid_for_the_schemas(tmp_path):
    from compositor.designer.scaffold import scaffold
    folder = tmp_path / "new"
    scaffold(folder, "default")
    assert schema_ok("manifest", load_yaml_file(folder / "issue.yaml"))
    assert schema_ok("publication", load_yaml_file(folder / "publication.yaml"))
    assert schema_ok("layout", load_yaml_file(folder / "layout.yaml"))
    for article in (folder / "articles").glob("*.md"):
        assert schema_ok("article", _front_matter(article))
    assert schema_ok("box", _front_matter(folder / "boxes" / "about.md"))


# -- each key with right and wrong values ----------------------------------------------------

COMMON = [None, "", "  ", "text", 0, 7, 25, -3, 2.5, True, False, [1, 2], ["a"], {"a": 1},
          dt.date(2023, 7, 1)]
BOOL_AS_TEXT = "the article loader takes Python's bool (an int) as text and prints True"
YAML_DATE = "PyYAML (YAML 1.1) reads 2023-07-01 as a date, not text; editors' YAML 1.2 sees text"
BLANK = "the loader takes blank text as given (prints nothing, or uses the default)"
ON_DISK = "names and paths are checked against the disk by the loader"
# Every case where the loader and the schema disagree, and why. Each is asserted to still
# disagree, so a loader that changes shows up here instead of drifting silently.
KNOWN = {
    **{("article", k, r): BOOL_AS_TEXT for k in ("title", "toc_title", "byline", "caption",
                                                 "alt") for r in ("True", "False")},
    **{("article", k, "datetime.date(2023, 7, 1)"): YAML_DATE
       for k in ("title", "toc_title", "byline", "caption", "alt", "pullquote")},
    ("article", "excerpt", "0"): "0 == False in Python: the loader reads it as excerpt: none",
    ("article", "excerpt", "20.0"): "JSON has one number type: 20.0 is an integer to a schema",
    ("box", "title", "datetime.date(2023, 7, 1)"): YAML_DATE,
    **{("manifest", k, "datetime.date(2023, 7, 1)"): YAML_DATE
       for k in ("publication", "volume", "number", "date", "layout")},
    ("manifest", "date", "'  '"): BLANK, ("manifest", "language", "''"): BLANK,
    ("manifest", "language", "'  '"): BLANK,
    ("manifest", "publication", "'text'"): ON_DISK, ("manifest", "layout", "'text'"): ON_DISK,
    ("manifest", "layout", "'nosuch'"): ON_DISK, ("manifest", "articles", "['a']"): ON_DISK,
    ("manifest", "boxes", "['a']"): ON_DISK,
}


ARTICLE_VALUES = {
    "date": ["2023-07-01", "2023-02-30", "July 2023", "2023-7-1"],
    "url": ["https://example.org/a", "http://x.org", "mailto:a@b.org", "ftp://f.org/x",
            "HTTPS://EXAMPLE.ORG", "javascript:alert(1)", "example.org", " https://a.org"],
    "excerpt": [20, 19, 150, "auto", "none", "all", 20.0],
    "pullquote": ["A line worth quoting."],
}


def _article_cases():
    from compositor.load.articles import ARTICLE_KEYS
    for key in ARTICLE_KEYS:
        if key == "image":
            continue  # a path: checked against the disk, below
        for value in COMMON + ARTICLE_VALUES.get(key, []):
            yield key, value


def _disagreements(kind: str, key: str, verdicts) -> list[str]:
    """Cases where loader and schema disagree without a known reason, or agree although
    a known reason says they should not."""
    out = []
    for value, loader, editor in verdicts:
        reason = KNOWN.get((kind, key, repr(value)))
        if reason and loader == editor:
            out.append(f"{key}: {value!r}: now agree ({reason}): drop the exception")
        elif not reason and loader != editor:
            out.append(f"{key}: {value!r}: loader says {loader}, schema says {editor}")
    return out


def _by_key(cases):
    keys: dict[str, list] = {}
    for key, value in cases:
        keys.setdefault(key, []).append(value)
    return sorted(keys.items())


@pytest.mark.parametrize("key,values", _by_key(_article_cases()), ids=lambda v: str(v)[:20])
def test_article_keys_schema_agrees_with_loader(tmp_path, key, values):
    verdicts = []
    for value in values:
        data = {"title": "A title", key: value}
        if value is None:
            del data[key]
        verdicts.append((value, loader_ok_article(tmp_path, data), schema_ok("article", data)))
    assert not _disagreements("article", key, verdicts)


def test_article_image_schema_agrees_with_loader(tmp_path):
    make_photo(tmp_path / "articles" / "p.jpg", size=(600, 400))
    for value, valid in (("p.jpg", True), (["p.jpg"], False), (3, False), (True, False)):
        data = {"title": "T", "image": value}
        assert loader_ok_article(tmp_path, data) == valid == schema_ok("article", data)


BOX_VALUES = {"page": ["first", "last", "own", "middle", "Own", 1, 3, 0, -1, "2"]}


@pytest.mark.parametrize("key", ["title", "page"])
def test_box_keys_schema_agrees_with_loader(tmp_path, key):
    verdicts = []
    for value in COMMON + BOX_VALUES.get(key, []):
        data = {} if value is None else {key: value}
        verdicts.append((value, loader_ok_box(tmp_path, data), schema_ok("box", data)))
    assert not _disagreements("box", key, verdicts)


MANIFEST_VALUES = {
    "language": ["en", "en-GB", "fr", "pt_BR", "english", "e", "zh-Hant-TW"],
    "layout": ["default", "nosuch"],
    "pages": [1, 4, 512, 513],
    "number": [[19, 20], ["19a"], [1.5]],
    "articles": [["articles/one.md"], [{"file": "articles/one.md", "excerpt": 30}],
                 [{"file": "articles/one.md", "bylin": "x"}], [{"excerpt": 30}], []],
    "boxes": [["box.md"], [{"file": "box.md", "page": "first"}],
              [{"file": "box.md", "page": "top"}], [{"file": "box.md", "page": "own"}],
              [{"page": 1}]],
    "publication": [{"name": "N"}, {"name": "N", "tagline": "t"}, {"nam": "N"}, {}],
}


def _manifest_cases():
    from compositor.load.manifest import MANIFEST_KEYS
    for key in MANIFEST_KEYS:
        for value in COMMON + MANIFEST_VALUES.get(key, []):
            yield key, value


@pytest.mark.parametrize("key,values", _by_key(_manifest_cases()), ids=lambda v: str(v)[:20])
def test_manifest_keys_schema_agrees_with_loader(tmp_path, key, values):
    verdicts = []
    for value in values:
        data = {"publication": {"name": "Tide"}, "date": "July 2023",
                "articles": ["articles/one.md"]}
        data[key] = value
        if value is None:
            del data[key]
        verdicts.append((value, loader_ok_manifest(tmp_path, data),
                         schema_ok("manifest", data)))
    assert not _disagreements("manifest", key, verdicts)


def _layout_cases():
    from compositor.load.layout import BUILTIN
    default = load_yaml_file(BUILTIN / "default.yaml")
    for section, body in default.items():
        if section in ("fonts", "colors", "styles"):
            continue
        for key, value in body.items():
            for candidate in (value, "nonsense", True, [1, 2], {"a": 1}, -1, 12):
                yield section, key, candidate


NAMES_COLOURS = "a colour name must exist in 'colors': a per-key schema cannot say so"
KNOWN_LAYOUT = {
    ("page", "size", "[1, 2]"): "the page must be at least an inch a side, in any unit",
    **{(s, k, r): NAMES_COLOURS for s, k in (("masthead", "background"),
                                            ("masthead", "rule"), ("boxes", "background"))
       for r in ("'nonsense'", "-1", "12")},
    ("print", "profile", "'nonsense'"): "the ICC profile is looked up on the disk by the loader",
}


def _layout_sections():
    sections: dict[str, list] = {}
    for section, key, value in _layout_cases():
        sections.setdefault(section, []).append((key, value))
    return sorted(sections.items())


@pytest.mark.parametrize("section,cases", _layout_sections(), ids=lambda v: str(v)[:12])
def test_layout_keys_schema_agrees_with_loader(tmp_path, section, cases):
    problems = []
    for key, value in cases:
        data = {"extends": "default", section: {key: value}}
        loader, editor = loader_ok_layout(tmp_path, data), schema_ok("layout", data)
        reason = KNOWN_LAYOUT.get((section, key, repr(value)))
        if reason and loader == editor:
            problems.append(f"{key}: {value!r}: now agree ({reason}): drop the exception")
        elif not reason and loader != editor:
            problems.append(f"{key}: {value!r}: loader says {loader}, schema says {editor}")
    assert not problems


@pytest.mark.parametrize("data", [
    {"colors": {"accent": "#12ab9f"}}, {"colors": {"accent": [0, 50, 100, 0]}},
    {"colors": {"brand": {"spot": "PANTONE 288 C", "cmyk": [100, 67, 0, 23]}}},
    {"colors": {"accent": "#12ab9"}}, {"colors": {"accent": [0, 50, 100]}},
    {"colors": {"accent": [0, 50, 140, 0]}}, {"colors": {"accent": {"spot": "X"}}},
    {"styles": {"body": {"size": 10, "leading": 13}}}, {"styles": {"body": {"size": 1}}},
    {"styles": {"body": {"weight": "heavy"}}}, {"styles": {"body": {"colour": "text"}}},
    {"styles": {"note": {"font": "sans", "size": 8, "leading": 10, "color": "text"}}},
    {"styles": {"quote": {"font": "sans", "size": 8, "leading": 10, "color": "text"}}},
    {"fonts": {"serif": {"regular": "NotoSans-Regular.ttf"}}},
    {"fonts": {"serif": {"light": "NotoSans-Regular.ttf"}}},
    {"pages": {"size": "A4"}}, {"page": {"size": "a5"}}, {"page": {"size": "B5"}},
    {"page": {"size": ["150mm", "210mm"]}}, {"page": {"size": ["150mm"]}},
], ids=repr)
def test_layout_tables_schema_agrees_with_loader(tmp_path, data):
    data = {"extends": "default", **data}
    assert loader_ok_layout(tmp_path, data) == schema_ok("layout", data)
