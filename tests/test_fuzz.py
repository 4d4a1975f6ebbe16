"""Property-based fuzzing: any input gives a model or a user error, never a crash.

Run longer campaigns with `FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`; by default CI
runs 60 examples per fast target and 12 per slow one (whole CLI runs, preflight).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from compositor.errors import UserError
from compositor.load.articles import split_front_matter
from compositor.load.manifest import load_issue
from compositor.model.excerpt import cut_to_words
from compositor.model.markdown import parse_markdown

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
# The slower targets (whole builds, preflight) run fewer examples by default.
SLOW_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
slow_fuzz = settings(fuzz, max_examples=SLOW_EXAMPLES)

yaml_atoms = st.sampled_from([
    "publication:", "  name: X", "date: 2023", "articles:", "  - a.md", "  - file: a.md",
    "    excerpt: 50", "boxes:", "  - file: b.md", "    page: last", "number: [1, 2]",
    "volume: 4", "layout: default", "language: en", "pages: 4", "- x", ": :", "{", "[",
    "&a x", "*a", "!!python/object:os.system", "date: 2023-02-30", "? x", "'", '"', "\t",
    "publication: pub.yaml", "articles: 5", "  - {file: a.md, title: [1]}",
])


@fuzz
@given(st.lists(yaml_atoms, max_size=14), st.text(max_size=40))
@example(["!!python/object:os.system"], "")
@example([], "\x08")  # found by this test: a control character crashed the YAML reader
def test_manifest_loader_never_crashes(tmp_path_factory, lines, noise):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "a.md").write_text("---\ntitle: A\n---\nBody text.\n")
    (folder / "b.md").write_text("Box text.\n")
    (folder / "issue.yaml").write_text("\n".join(lines) + "\n" + noise, encoding="utf-8")
    try:
        load_issue(folder / "issue.yaml")
    except UserError as exc:
        assert all(str(d).startswith(str(d.location)) for d in exc.diagnostics)


@fuzz
@given(st.text(max_size=300))
@example("---\n---\n")
@example("---\ntitle: [unclosed\n---\n")
@example("---\n: x\n---")
def test_front_matter_parser_never_crashes(text):
    try:
        front, body, line = split_front_matter(text, Path("x.md"))
        assert line >= 1
    except UserError:
        pass


markdownish = st.lists(
    st.sampled_from(list("ab *_#>-`[]()!\n1.\\<&;\u200b\u202e🎉é") + ["http://", "\n\n"]),
    max_size=120).map("".join)


@fuzz
@given(markdownish, st.integers(min_value=20, max_value=200))
def test_markdown_to_model_never_crashes(text, budget):
    blocks = parse_markdown(text, Path("x.md"), 5)
    kept, words = cut_to_words(tuple(blocks), budget)
    assert words <= max(budget, words)
    for block in blocks:
        assert block.where.line >= 5


# --------------------------------------------------------------------------------------
# Layout loader, command line and preflight. Each example runs under a time limit: a
# hang fails the test instead of stalling it. `FUZZ_EXAMPLES` scales these too.

class _Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    def alarm(signum, frame):
        raise _Hang(f"example took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


layout_keys = st.sampled_from([
    "page", "size", "columns", "gutter", "margin_top", "margin_inside", "fonts", "serif",
    "regular", "colors", "accent", "text", "styles", "body", "title", "size", "leading",
    "font", "color", "footer", "left", "center", "masthead", "height", "print", "bleed",
    "max_ink", "web", "image_ppi", "fit", "min_words", "article", "qr_code", "extends",
    "contents", "position", "spot", "cmyk", "hyphenate", "min_leading", "pullquote_columns",
])
layout_values = st.one_of(
    st.sampled_from([".nan", ".inf", "-.inf", "0", "-1", "1e308", "3", "12mm", "2in", "A5",
                     "Letter", "[100, 0, 0, 0]", "'#ff0000'", "'{page}'", "'{page:>9}'", "{}",
                     "[]", "~", "yes", "default", "[default]", "&a x", "*a", "'x/y'",
                     "{spot: 'A/B', cmyk: [0, 0, 0, 100]}", "[1, 2]", "'{'", "'}'", "''"]),
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8).map(repr),
)


@st.composite
def layout_yaml(draw):
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        depth = draw(st.integers(0, 2))
        key = draw(layout_keys)
        if draw(st.booleans()):
            lines.append("  " * depth + f"{key}:")
        else:
            lines.append("  " * depth + f"{key}: {draw(layout_values)}")
    return "\n".join(lines) + "\n"


@fuzz
@given(layout_yaml())
@example("page:\n  gutter: .nan\n")
@example("extends: [default]\n")
@example("footer:\n  left: '{page:>99999999}'\n")
@example("colors: &c\n  loop: *c\n")
@example("page:\n  columns: 2\npage:\n  columns: 3\n")
def test_layout_loader_never_crashes(tmp_path_factory, text):
    from compositor.errors import Location
    from compositor.load.layout import load_layout

    folder = tmp_path_factory.mktemp("layout")
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    with time_limit(20):
        try:
            spec = load_layout("mine.yaml", Location(folder / "issue.yaml", 3))
        except UserError as exc:
            assert all(str(d).startswith(str(d.location)) for d in exc.diagnostics)
        else:
            assert spec.columns >= 1 and spec.page_width > 0


@pytest.fixture(scope="module")
def cli_issue(tmp_path_factory) -> Path:
    from conftest import write_issue
    folder = tmp_path_factory.mktemp("cli-fuzz")
    write_issue(folder, articles=1, sentences=5, boxes=False, photo=False)
    os.mkfifo(folder / "pipe")
    (folder / "sub").mkdir()
    return folder


cli_tokens = st.sampled_from([
    "build", "check", "preflight", "-o", "--output", "--variant", "print", "web", "all",
    "--pages", "0", "1", "2", "-3", "x", "999", "--report", "--timings", "--strict",
    "--no-preflight", "--force", "--impose", "saddle", "--greedy", "-q", "--profile", "-h",
    "@MANIFEST", "@FOLDER", "@ARTICLE", "@PIPE", "@SUB", "@NEW.pdf", "@NEW.json",
    "@MISSING/x.pdf", "/dev/null", "", "--", "-", "--bogus", "\x00",
])


# Random token lists mostly exercise argument parsing; the second form is a command, a
# real target and well-formed options whose values are drawn from the same hostile set
# (inputs, a pipe, /dev/null, folders), so whole builds, checks and preflights run too.
cli_targets = st.sampled_from(["@MANIFEST", "@FOLDER", "@ARTICLE", "@PIPE", "@SUB",
                               "@NEW.pdf", "@NEW.json", "@MISSING/x.pdf", "/dev/null"])
cli_options = st.one_of(
    st.sampled_from([["-q"], ["--greedy"], ["--no-preflight"], ["--strict"], ["--force"],
                     ["--timings"], ["--impose", "saddle"], ["--preflight", "full"],
                     ["--preflight", "off"], ["--variant", "print"], ["--variant", "web"],
                     ["--variant", "all"], ["--profile", "web"]]),
    st.tuples(st.sampled_from(["-o", "--report"]), cli_targets).map(list),
    st.tuples(st.just("--pages"), st.sampled_from(["1", "2", "0", "x", "600"])).map(list),
)
cli_argv = st.one_of(
    st.lists(cli_tokens, max_size=9),
    st.builds(lambda cmd, target, opts: [cmd, target, *(o for group in opts for o in group)],
              st.sampled_from(["build", "build", "check", "preflight"]),
              st.sampled_from(["@MANIFEST", "@FOLDER", "@NEW.pdf"]),
              st.lists(cli_options, max_size=4)),
)


@slow_fuzz
@given(cli_argv)
@example(["build", "@MANIFEST", "-o", "@MANIFEST"])
@example(["build", "@MANIFEST", "--report", "@ARTICLE", "--no-preflight"])
@example(["build", "@MANIFEST", "-o", "@PIPE", "--no-preflight"])
@example(["build", "@MANIFEST", "--pages", "0"])
def test_cli_arguments_never_crash_or_touch_inputs(cli_issue, capsys, tokens):
    from compositor.cli import main

    places = {"@MANIFEST": cli_issue / "issue.yaml", "@FOLDER": cli_issue,
              "@ARTICLE": cli_issue / "articles" / "a0.md", "@PIPE": cli_issue / "pipe",
              "@SUB": cli_issue / "sub", "@NEW.pdf": cli_issue / "sub" / "new.pdf",
              "@NEW.json": cli_issue / "sub" / "new.json",
              "@MISSING/x.pdf": cli_issue / "missing" / "x.pdf"}
    argv = [str(places.get(t, t)) for t in tokens]
    inputs = {p: p.read_bytes() for p in (cli_issue / "issue.yaml",
                                           cli_issue / "articles" / "a0.md")}
    with time_limit(240):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, or a command-line mistake
            code = exc.code
    err = capsys.readouterr().err
    if os.environ.get("FUZZ_TRACE"):
        print(code, argv, file=sys.__stderr__)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    assert {p: p.read_bytes() for p in inputs} == inputs, argv
    assert (cli_issue / "pipe").is_fifo()


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> bytes:
    """A small PDF with the structures preflight walks: a form, an image, a tagged
    structure tree, a spot colour, fonts, annotations."""
    import pikepdf
    from reportlab.lib.colors import CMYKColorSep
    from reportlab.pdfgen import canvas

    path = tmp_path_factory.mktemp("seed") / "seed.pdf"
    c = canvas.Canvas(str(path), pagesize=(200, 200))
    c.setFillColor(CMYKColorSep(0, 0.5, 1, 0, spotName="INK", density=1))
    c.rect(10, 10, 50, 50, fill=1)
    c.setFont("Helvetica", 9)
    c.drawString(20, 150, "Hello preflight")
    c.beginForm("F1")
    c.circle(20, 20, 10, fill=1)
    c.endForm()
    c.doForm("F1")
    c.linkURL("https://example.org", (10, 10, 60, 60))
    c.showPage()
    c.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        elem = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                    S=pikepdf.Name.Figure, Pg=page.obj, K=0))
        pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([elem])))
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.save(path, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return path.read_bytes()


@slow_fuzz
@given(st.data())
def test_preflight_on_mutated_pdfs(tmp_path_factory, seed_pdf, data):
    from compositor.preflight import Finding, preflight

    blob = bytearray(seed_pdf)
    for _ in range(data.draw(st.integers(1, 8), label="edits")):
        kind = data.draw(st.sampled_from(["flip", "digit", "token", "cut", "dup"]))
        at = data.draw(st.integers(0, len(blob) - 1))
        if kind == "flip":
            blob[at] = data.draw(st.integers(0, 255))
        elif kind == "digit":  # numbers steer sizes, counts and references
            blob[at:at + 1] = data.draw(st.sampled_from([b"9", b"0", b"-", b"99999999", b"."]))
        elif kind == "token":
            blob[at:at] = data.draw(st.sampled_from(
                [b" 1 0 R ", b"/Parent 1 0 R", b"q ", b" Q ", b"/F1 Do ", b"[", b"]", b"<<",
                 b">>", b"/K 3 0 R", b"stream\n", b"endobj", b"/Filter /FlateDecode"]))
        elif kind == "cut":
            del blob[at:]
            if not blob:
                blob = bytearray(b"%PDF-1.4\n")
        else:
            end = min(len(blob), at + data.draw(st.integers(1, 400)))
            blob[at:at] = blob[at:end]
    path = tmp_path_factory.mktemp("mutant") / "m.pdf"
    path.write_bytes(bytes(blob))
    profile = data.draw(st.sampled_from(["print", "web"]))
    with time_limit(60):
        findings = preflight(path, profile)
    assert all(isinstance(f, Finding) for f in findings)
    assert all("\n" not in f.format(path) for f in findings)
