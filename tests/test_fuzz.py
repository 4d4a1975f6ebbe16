"""Property-based fuzzing: any input gives a model or a user error, never a crash.

Run longer campaigns with `FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from compositor.errors import UserError
from compositor.load.articles import split_front_matter
from compositor.load.manifest import load_issue
from compositor.model.excerpt import cut_to_words
from compositor.model.markdown import parse_markdown

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

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
