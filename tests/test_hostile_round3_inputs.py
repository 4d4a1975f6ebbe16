"""Hostile input, third round: settings the schema and the loader must agree on, input
files that crashed the build, and the watch server under load.

A refused input exits 1 with `path:line: message` naming the value and what to do, no
traceback, and nothing written or changed in the issue's folder or the output folder."""

from __future__ import annotations

import json
import shutil
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import write_issue
from designer_helpers import InProcessWatch, WatchProcess, wait_for

from compositor.cli import main
from compositor.designer.schema import schema
from compositor.errors import Location, UserError
from compositor.load.layout import BUILTIN, load_layout
from compositor.load.rules import LAYOUT_RULES, PDFX_STANDARDS
from compositor.load.yamlfile import load_yaml_file

WORDS_480 = " ".join(f"word{k}" for k in range(480))


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("round3")
    write_issue(folder, articles=2, sentences=10, boxes=False, photo=False)
    return folder


@pytest.fixture
def issue(base, tmp_path) -> Path:
    folder = tmp_path / "issue"
    shutil.copytree(base, folder)
    return folder


def listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def build(folder: Path, capsys, variant: str = "print") -> tuple[int, str]:
    """Build into out/ beside the issue; asserts no traceback and, on failure, that
    neither folder changed."""
    out = folder.parent / "out"
    out.mkdir(exist_ok=True)
    before, outputs = listing(folder), listing(out)
    code = main(["build", str(folder / "issue.yaml"), "-o", str(out / "x.pdf"),
                 "--variant", variant, "-q"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert listing(folder) == before
    if code != 0:
        assert listing(out) == outputs
    return code, err


def use_layout(folder: Path, text: str) -> None:
    (folder / "lay.yaml").write_text(text, encoding="utf-8")
    manifest = folder / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "language: en\n", "language: en\nlayout: lay.yaml\n"), encoding="utf-8")


def set_front(folder: Path, front: str, body: str = "Body words. " * 30) -> None:
    (folder / "articles" / "a1.md").write_text(f"---\n{front}\n---\n\n{body}\n",
                                               encoding="utf-8")


# -- layout values the loader used to take (or crash on) -----------------------------------

@pytest.mark.parametrize("layout,needle", [
    # exit 70 (KeyError) although the schema allowed any string
    ("print:\n  standard: PDF/X-3\n",
     "lay.yaml:2: 'print.standard' must be one of PDF/X-4, PDF/X-1a, not 'PDF/X-3'"),
    # accepted, and drop caps silently went off
    ("article:\n  drop_cap: banana\n",
     "lay.yaml:2: 'article.drop_cap' must be one of none, lead, all, not 'banana'"),
    ("article:\n  drop_cap: yes\n", "lay.yaml:2: 'article.drop_cap' must be one of none, lead, "
                                    "all, not the boolean true"),
    # the first letters of paragraphs vanished
    ("text:\n  paragraph_indent: 100000\n",
     "lay.yaml:2: 'text.paragraph_indent' must be between 0 and 48 pt (17 mm), not 100000"),
    ("text:\n  paragraph_indent: -20\n",
     "lay.yaml:2: 'text.paragraph_indent' must be between 0 and 48 pt (17 mm), not -20"),
    ("text:\n  paragraph_indent: 9cm\n", "lay.yaml:2: 'text.paragraph_indent' must be between "
                                         "0 and 48 pt (17 mm), not 9cm = 255.118 pt"),
    ("page:\n  size: A5\n  columns: 3\ntext:\n  paragraph_indent: 45\n",
     "lay.yaml:5: 'text.paragraph_indent' (16 mm) is more than a third of the"),
    ("masthead:\n  logo_height: -20mm\n",
     "lay.yaml:2: 'masthead.logo_height' must be between 3 pt (1 mm) and 600 pt (212 mm), "
     "not -20mm"),
    ("article:\n  qr_code: 2m\n", "lay.yaml:2: 'article.qr_code' must be a length"),
    ("article:\n  qr_code: 500mm\n", "lay.yaml:2: 'article.qr_code' must be between 0 and "
                                     "288 pt (102 mm), not 500mm"),
    # exit 70 (OverflowError: int too large to convert to float)
    ("page:\n  margin_top: " + "9" * 400 + "\n",
     "lay.yaml:2: the number 999999999999999999999999999999… is too large; no setting takes "
     "more than 9,007,199,254,740,992"),
    # whole numbers
    ("page:\n  columns: 2.5\n", "lay.yaml:2: 'page.columns' must be a whole number, not 2.5"),
    ("article:\n  jump_first: 1.5\n", "lay.yaml:2: 'article.jump_first' must be a whole "
                                      "number, not 1.5"),
    ("web:\n  jpeg_quality: 99\n", "lay.yaml:2: 'web.jpeg_quality' must be 10 to 95, not 99"),
    ("makeup:\n  photo_lines: 2.5\n", "lay.yaml:2: 'makeup.photo_lines' must be a whole"),
    # text: yes/no are booleans to YAML; long text is refused where it prints
    ("contents:\n  title: no\n", "lay.yaml:2: 'contents.title' must be text, not the boolean "
                                 "false (put it in quotes)"),
    (f"contents:\n  title: {WORDS_480}\n", "lay.yaml:2: 'contents.title' is 3,729 characters "
                                           "long; it takes at most 80"),
    (f"strings:\n  volume: {WORDS_480}\n", "lay.yaml:2: 'strings.volume' is 3,729 characters"),
    # exit 70 (TypeError), and an empty condition made the printer's PDF fail its checks
    ("print:\n  profile: 0\n", "lay.yaml:2: 'print.profile' must be a file name, not the "
                                "number 0"),
    ("print:\n  profile: FOGRA39.icc\n", "lay.yaml:2: 'print.profile': ICC profile "
                                         "'FOGRA39.icc' not found next to the layout"),
    ("print:\n  output_condition: ''\n", "lay.yaml:2: 'print.output_condition' is empty; "
                                          "it needs a value (the default is 'FOGRA39')"),
    # a line taller than a column was blamed on the first article
    ("styles:\n  body: {font: serif, weight: regular, size: 9.4, leading: 5000, "
     "color: text}\n", "lay.yaml:2: style 'body': leading must be a number of points from "
                       "0.8 to 4 × the size (7.52 to 37.6), not the number 5000"),
])
def test_layout_values_are_checked_where_written(issue, capsys, layout, needle):
    use_layout(issue, layout)
    code, err = build(issue, capsys)
    assert code == 1 and needle in err, err
    assert "a0.md" not in err and "a1.md" not in err


def test_spot_colour_with_a_slash_says_why_and_what_to_do(issue, capsys):
    use_layout(issue, 'colors:\n  accent: {spot: "PANTONE 2/3 C", cmyk: [100, 50, 0, 0]}\n')
    code, err = build(issue, capsys)
    assert code == 1 and "lay.yaml:2: colour 'accent': the spot ink name 'PANTONE 2/3 C' " \
                         "contains '/'" in err
    assert "starts a new name" in err and "'PANTONE 2-3 C'" in err  # why, and what to write


def test_every_choice_loads_and_builds_with_pdfx_1a(issue, capsys):
    use_layout(issue, "print:\n  standard: PDF/X-1a\narticle:\n  drop_cap: all\n")
    code, err = build(issue, capsys)
    assert code == 0, err


# -- article and manifest text that prints in a fixed place ------------------------------

def test_long_toc_title_is_refused_not_grown_over_the_masthead(issue, capsys):
    set_front(issue, f"title: Short\ntoc_title: {WORDS_480}")
    code, err = build(issue, capsys)
    assert code == 1 and "a1.md:3: 'toc_title' is 3,729 characters long; it takes at most 200" \
        in err, err
    assert "shorten it" in err


def test_long_byline_is_blamed_not_the_title(issue, capsys):
    set_front(issue, f"title: Short\nbyline: {WORDS_480}")
    code, err = build(issue, capsys)
    assert code == 1 and "a1.md:3: 'byline' is 3,729 characters long; it takes at most 200" \
        in err, err
    assert "title" not in err  # it was "a1.md:1: the title is taller than a column"


def test_long_title_without_toc_title_asks_for_one(issue, capsys):
    title = " ".join(f"w{k}" for k in range(80))  # fits a column, not the contents box
    set_front(issue, f"title: {title}")
    code, err = build(issue, capsys)
    assert code == 1 and "a1.md:2: the title is 309 characters long" in err
    assert "add a shorter 'toc_title'" in err
    set_front(issue, f"title: {title}\ntoc_title: Short one")
    code, err = build(issue, capsys)
    assert code == 0, err


@pytest.mark.parametrize("key,value,needle", [
    ("date", WORDS_480, "issue.yaml:8: 'date' is 3,729 characters long; the masthead prints "
                        "at most 80"),
    ("volume", "x" * 41, "issue.yaml:6: 'volume' is 41 characters long"),
    ("number", "[19, " + "9" * 30 + "a]", "issue.yaml:7: 'number' is 31 characters long"),
    # the footer's message used to blame the built-in layout's footer templates
    ("  website", "https://example.org/" + "a" * 3000,
     "issue.yaml:5: 'website' is 3,020 characters long; the footer prints at most 100"),
])
def test_long_masthead_text_is_refused_in_the_manifest(issue, capsys, key, value, needle):
    manifest = issue / "issue.yaml"
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line
             for line in manifest.read_text(encoding="utf-8").splitlines()]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = build(issue, capsys)
    assert code == 1 and needle in err, err
    assert "default.yaml" not in err  # it used to blame the footer of the built-in layout


# -- files -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["x" * 300, "x" * 300 + ".yaml", "x" * 5000])
def test_layout_name_too_long_for_a_file(issue, capsys, name):
    manifest = issue / "issue.yaml"  # exit 70 (OSError: File name too long)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "language: en\n", f"language: en\nlayout: {name}\n"), encoding="utf-8")
    code, err = build(issue, capsys)
    assert code == 1 and "issue.yaml:10: " in err and "layout" in err and "xxxxxxxx" in err



@pytest.mark.parametrize("size", [(1, 100_000), (100_000, 1), (30_001, 2)])
def test_image_with_an_impossible_side_is_refused(issue, capsys, size):
    from PIL import Image
    Image.new("RGB", size, (200, 100, 50)).save(issue / "images-thin.png")
    set_front(issue, "title: Thin\nimage: ../images-thin.png\ncaption: A strip")
    for variant in ("web", "print"):
        code, err = build(issue, capsys, variant)
        w, h = size
        assert code == 1 and f"a1.md:3: images-thin.png: image is {w:,}×{h:,} px" in err, err
        assert "crop or scale it" in err


def test_jpeg_encoder_never_sees_a_side_it_cannot_hold():
    from PIL import Image

    from compositor.render.images import JPEG_MAX_SIDE, _jpeg, jpeg_size
    data = _jpeg(Image.new("RGB", (1, 70_000), (10, 20, 30)), 80, 2)
    assert max(jpeg_size(data)) == JPEG_MAX_SIDE


def test_import_into_a_manifest_with_a_byte_order_mark(tmp_path, capsys):
    issue = tmp_path / "issue"
    (issue / "articles").mkdir(parents=True)
    (issue / "articles" / "a.md").write_text("---\ntitle: A\n---\n\nHello there.\n",
                                             encoding="utf-8")
    manifest = issue / "issue.yaml"
    manifest.write_bytes("\ufeffarticles:\n  - articles/a.md\npublication:\n  name: Bom\n"
                         "date: June 2024\n".encode())
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html lang=en><head><title>A garden post</title></head>"
                    "<body><article><h1>A garden post</h1><p>The beans grew tall this summer "
                    "and the peas followed them up the poles.</p><p>Another paragraph of "
                    "words so the article has a body.</p></article></body></html>",
                    encoding="utf-8")
    before = listing(issue)
    assert main(["import", str(page), "--into", str(issue), "-q"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    after = listing(issue)
    assert set(after) - set(before) == {"articles/a-garden-post.md"}
    assert {k for k in before if before[k] != after[k]} == {"issue.yaml"}
    text = manifest.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffarticles:\n") and text.count("articles:") == 1
    assert yaml.safe_load(text)["articles"] == ["articles/a.md", "articles/a-garden-post.md"]
    assert main(["check", str(manifest)]) == 0


# -- one table: the schema's enums and ranges are the loader's -----------------------------

def _layout_ok(tmp_path: Path, data: dict) -> bool:
    path = tmp_path / "layout.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_layout("layout.yaml", Location(tmp_path / "issue.yaml", 1))
    except UserError:
        return False
    return True


def _schema_ok(data: dict) -> bool:
    return jsonschema.Draft202012Validator(schema("layout")).is_valid(data)


def test_every_layout_key_has_one_rule():
    default = load_yaml_file(BUILTIN / "default.yaml")
    keys = {(s, k) for s, body in default.items() if s not in ("fonts", "colors", "styles")
            for k in body}
    assert keys == set(LAYOUT_RULES)


def test_pdfx_standards_are_the_ones_the_finisher_writes():
    from compositor.finish.pdfx import VERSIONS
    assert set(PDFX_STANDARDS) == set(VERSIONS)


def test_schema_enums_and_ranges_are_the_loaders():
    props = schema("layout")["properties"]
    shipped = json.loads((Path(__file__).resolve().parent.parent / "compositor" / "schemas"
                          / "layout.schema.json").read_text(encoding="utf-8"))
    assert shipped["properties"] == props
    for (section, key), rule in LAYOUT_RULES.items():
        leaf = props[section]["properties"][key]
        if rule.kind == "choice":
            assert leaf["enum"] == list(rule.choices), key
        elif rule.kind in ("number", "integer"):
            assert leaf["type"] == rule.kind
            assert (leaf.get("minimum"), leaf.get("maximum")) == (rule.low, rule.high), key
        elif rule.kind == "length":
            number = leaf["anyOf"][0]
            assert (number.get("minimum"), number.get("maximum")) == (rule.low, rule.high), key
        elif rule.kind in ("text", "template"):
            assert leaf.get("maxLength") == rule.max_chars, key
    from compositor.load.rules import ARTICLE_TEXT_LIMITS, MANIFEST_TEXT_LIMITS
    article = schema("article")["properties"]
    for key, limit in ARTICLE_TEXT_LIMITS.items():
        assert article[key]["maxLength"] == limit
    manifest = schema("manifest")["properties"]
    assert manifest["volume"]["maxLength"] == MANIFEST_TEXT_LIMITS["volume"]
    assert manifest["date"]["anyOf"][0]["maxLength"] == MANIFEST_TEXT_LIMITS["date"]


def _edges(rule) -> list[tuple[float, bool]]:
    """Values at and just past each bound, with whether they are allowed."""
    step = 1 if rule.kind == "integer" else 0.01
    out = []
    if rule.low is not None:
        out += [(rule.low, True), (rule.low - step, False)]
    if rule.high is not None:
        out += [(rule.high, True), (rule.high + step, False)]
    return out


# Values that are right on their own but wrong next to the default's others.
_CONTEXT = {("contents", "column"): {"page": {"columns": 6}},
            ("text", "paragraph_indent"): {"page": {"columns": 1}},
            ("page", "columns"): {"page": {"size": "A3", "margin_inside": 5,
                                           "margin_outside": 5, "gutter": 4}},
            ("masthead", "height"): {"page": {"size": "A3"}}}


def test_every_choice_and_range_edge_agrees(tmp_path):
    """Each word a choice allows loads, as the schema says; each range's bounds load and a
    step past them is refused, by both."""
    problems = []
    for (section, key), rule in LAYOUT_RULES.items():
        if rule.kind == "choice":
            cases = [(word, True) for word in rule.choices] + [("nonsense", False)]
        elif rule.kind in ("number", "integer", "length"):
            cases = _edges(rule)
        else:
            continue
        for value, allowed in cases:
            data = {"extends": "default", **json.loads(json.dumps(_CONTEXT.get((section, key),
                                                                               {})))}
            data.setdefault(section, {})[key] = value
            loader, editor = _layout_ok(tmp_path, data), _schema_ok(data)
            if not loader == editor == allowed:
                problems.append(f"{section}.{key}: {value!r}: loader {loader}, schema "
                                f"{editor}, expected {allowed}")
    assert not problems


# -- the watch server under load -------------------------------------------------------

@pytest.fixture
def watched(tmp_path) -> Path:
    return write_issue(tmp_path / "issue", articles=2, sentences=10, boxes=False, photo=False)


def _port(url: str) -> int:
    return int(url.rstrip("/").rsplit(":", 1)[1])


def test_slow_clients_do_not_exhaust_the_server(watched):
    """300 connections that send nothing (and 50 that send half a request, then reset):
    a normal request is still answered at once, and the terminal shows no traceback."""
    proc = WatchProcess(watched, cwd=watched.parent)
    port = _port(proc.url)
    idle, partial = [], []
    try:
        for _ in range(300):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /state.json HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            partial.append(s)
        started = time.monotonic()
        for _ in range(5):
            with urllib.request.urlopen(proc.url + "state.json", timeout=10) as answer:
                assert answer.status == 200 and json.loads(answer.read())["build"] >= 1
        assert time.monotonic() - started < 2.0
    finally:
        for s in partial:  # a reset, as a client that crashes or a proxy that gives up
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00"
                                                              b"\x00")
            s.close()
        for s in idle:
            s.close()
    time.sleep(0.5)
    with urllib.request.urlopen(proc.url, timeout=10) as answer:
        assert answer.status == 200
    assert proc.stop() == 0
    assert "Traceback" not in proc.output and "Error" not in proc.output, proc.output


def test_connections_cost_no_thread_until_they_send_a_request(watched):
    import threading
    with InProcessWatch(watched) as w:
        port = _port(w.url)
        before = threading.active_count()
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(200)]
        with urllib.request.urlopen(w.url + "state.json", timeout=5) as answer:
            assert answer.status == 200
        assert threading.active_count() <= before  # the old server held 200 more threads
        for s in idle:
            s.close()


def _open_stream(port: int) -> tuple[socket.socket, bytes]:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head = b""
    while b"\r\n" not in head:
        head += s.recv(1)
    return s, head


def test_event_streams_are_capped(watched):
    from compositor.designer.server import MAX_STREAMS

    with InProcessWatch(watched) as w:
        port = _port(w.url)
        streams = [_open_stream(port) for _ in range(MAX_STREAMS)]
        assert all(head.startswith(b"HTTP/1.1 200") for _, head in streams)
        extra, head = _open_stream(port)
        assert head.startswith(b"HTTP/1.1 503")
        extra.close()
        with urllib.request.urlopen(w.url + "state.json", timeout=5) as answer:
            assert answer.status == 200  # the streams never take every worker
        # A page that is closed (or reloaded) frees its place within about a second.
        streams.pop()[0].close()
        started = time.monotonic()

        def reopened():
            s, head = _open_stream(port)
            s.close()
            return head.startswith(b"HTTP/1.1 200")
        wait_for(reopened, timeout=10, step=0.2)
        assert time.monotonic() - started < 3
        for s, _ in streams:
            s.close()


def test_kept_alive_connections_are_served_in_turn(watched):
    """A browser reuses its connections: many requests on one connection, from several
    connections at once, all answered."""
    import http.client
    with InProcessWatch(watched) as w:
        conns = [http.client.HTTPConnection("127.0.0.1", _port(w.url), timeout=5)
                 for _ in range(30)]
        for _ in range(3):
            for c in conns:
                c.request("GET", "/state.json")
            for c in conns:
                answer = c.getresponse()
                assert answer.status == 200 and answer.read()
        for c in conns:
            c.close()


def _shows(w: InProcessWatch, word: str) -> bool:
    """Does the preview's last published build show `word`?"""
    with w.session._cond:
        state = w.session.state
    return not state["errors"] and any(word in p["text"] for p in state["pages"])


def test_a_folder_moved_away_and_back_is_watched_again(watched):
    articles = watched.parent / "articles"
    away = watched.parent.parent / "articles-away"
    with InProcessWatch(watched) as w:
        builds = w.session.builds
        articles.rename(away)
        wait_for(lambda: w.session.builds > builds and w.session.state["errors"])
        time.sleep(0.5)
        away.rename(articles)
        wait_for(lambda: _shows(w, "Story 1"))
        time.sleep(0.5)
        a1 = articles / "a1.md"
        a1.write_text(a1.read_text(encoding="utf-8").replace("Story 1", "Story Qwx"),
                      encoding="utf-8")
        wait_for(lambda: _shows(w, "Qwx"), timeout=10)


def test_a_folder_replaced_by_another_is_watched(watched):
    """An editor or a sync tool writes a new folder and swaps it in."""
    articles = watched.parent / "articles"
    fresh = watched.parent / "articles-new"
    with InProcessWatch(watched) as w:
        shutil.copytree(articles, fresh)
        build = w.session.state["build"]
        shutil.rmtree(articles)
        fresh.rename(articles)
        wait_for(lambda: w.session.state["build"] > build and _shows(w, "Story 0"))
        time.sleep(0.5)
        a0 = articles / "a0.md"
        a0.write_text(a0.read_text(encoding="utf-8").replace("Story 0", "Story Vbk"),
                      encoding="utf-8")
        wait_for(lambda: _shows(w, "Vbk"), timeout=10)

