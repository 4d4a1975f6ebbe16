"""Bad manifests, articles and layouts: `path:line: message`, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

from conftest import write_issue

from compositor.cli import main


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_typo_in_front_matter_names_file_line_and_suggestion(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=2)
    art = tmp_path / "articles" / "a1.md"
    art.write_text(art.read_text().replace("byline:", "bylin:"))
    code, err = run(capsys, "build", str(manifest))
    assert code == 1
    assert "a1.md:3: unknown key 'bylin'" in err
    assert "did you mean 'byline'?" in err
    assert "Traceback" not in err
    assert not (tmp_path / "build").exists()


def test_typo_in_manifest_key(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1, extra="titel: Summer\n")
    code, err = run(capsys, "check", str(manifest))
    assert code == 1
    line = manifest.read_text().splitlines().index("titel: Summer") + 1
    assert f"issue.yaml:{line}: unknown key 'titel'" in err


def test_missing_article_file_points_at_manifest_line(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=2)
    (tmp_path / "articles" / "a1.md").unlink()
    code, err = run(capsys, "check", str(manifest))
    line = manifest.read_text().splitlines().index("  - articles/a1.md") + 1
    assert code == 1
    assert f"issue.yaml:{line}: file not found" in err


def test_impossible_date_and_wrong_types(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=2)
    art = tmp_path / "articles" / "a0.md"
    art.write_text(art.read_text().replace("date: '2023-07-10'", "date: 2023-02-30"))
    art1 = tmp_path / "articles" / "a1.md"
    art1.write_text(art1.read_text().replace("byline: 'Zoë Brontë'", "byline: [1, 2]"))
    code, err = run(capsys, "check", str(manifest))
    assert code == 1
    assert "a0.md:4:" in err and "2023-02-30" in err
    assert "a1.md:3: 'byline' must be text, not a list" in err


def test_broken_yaml(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1)
    manifest.write_text(manifest.read_text() + "boxes: [unclosed\n")
    code, err = run(capsys, "check", str(manifest))
    assert code == 1
    assert "issue.yaml:" in err and "invalid YAML" in err


def test_unreadable_image(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1)
    (tmp_path / "images" / "lead.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    code, err = run(capsys, "build", str(manifest))
    assert code == 1
    assert "a0.md:5:" in err and "lead.jpg" in err


def test_truncated_image(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=1)
    img = tmp_path / "images" / "lead.jpg"
    img.write_bytes(img.read_bytes()[:3000])
    code, err = run(capsys, "build", str(manifest))
    assert code == 1
    assert "damaged or truncated" in err


def layout_error(tmp_path: Path, capsys, layout_yaml: str) -> str:
    manifest = write_issue(tmp_path, articles=1, extra="layout: mine.yaml\n")
    (tmp_path / "mine.yaml").write_text("extends: default\n" + layout_yaml)
    code, err = run(capsys, "build", str(manifest))
    assert code == 1, err
    assert not (tmp_path / "build").exists()
    return err


def test_layout_zero_columns(tmp_path, capsys):
    err = layout_error(tmp_path, capsys, "page:\n  columns: 0\n")
    assert "mine.yaml:3: 'page.columns' must be 1 to 6" in err


def test_layout_margins_wider_than_page(tmp_path, capsys):
    err = layout_error(tmp_path, capsys, "page:\n  margin_inside: 120mm\n  margin_outside: 100mm\n")
    assert "mine.yaml:" in err and "leave a text column" in err


def test_layout_missing_font_and_typo(tmp_path, capsys):
    err = layout_error(tmp_path, capsys, "fonts:\n  serif:\n    regular: NoSuchFont.ttf\n")
    assert "mine.yaml:4: font file 'NoSuchFont.ttf' not found" in err
    err = layout_error(tmp_path / "b", capsys, "page:\n  colums: 2\n")
    assert "mine.yaml:3: unknown layout key 'page.colums' (did you mean 'columns'?)" in err


def test_layout_bad_colour_and_unknown_builtin(tmp_path, capsys):
    err = layout_error(tmp_path, capsys, "colors:\n  accent: '#12345'\n")
    assert "mine.yaml:3: colour 'accent' must be '#rrggbb'" in err
    manifest = write_issue(tmp_path / "b", articles=1, extra="layout: defualt\n")
    code, err = run(capsys, "check", str(manifest))
    assert code == 1 and "no built-in layout 'defualt' (did you mean 'default'?)" in err


def test_failed_build_leaves_previous_pdf_untouched(tmp_path, capsys):
    manifest = write_issue(tmp_path, articles=2)
    assert main(["build", str(manifest), "-q", "--variant", "web"]) == 0
    out = tmp_path / "build" / f"{tmp_path.name}-web.pdf"
    before = out.read_bytes()
    art = tmp_path / "articles" / "a1.md"
    art.write_text(art.read_text().replace("title:", "titel:"))
    assert main(["build", str(manifest), "-q", "--variant", "web"]) == 1
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_failure_after_rendering_started_leaves_no_file(tmp_path, capsys, monkeypatch):
    """A crash in the finishing step (after the PDF is rendered) writes nothing."""
    manifest = write_issue(tmp_path, articles=2)
    import compositor.finish.web as web

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(web, "finish_web", boom)
    code = main(["build", str(manifest), "-q", "--variant", "web"])
    assert code == 70
    assert not list((tmp_path / "build").glob("*")) if (tmp_path / "build").exists() else True


def test_output_folder_and_manifest_folder(tmp_path, capsys):
    manifest = write_issue(tmp_path / "issue", articles=1)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["build", str(manifest.parent), "-q", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["issue-print.pdf", "issue-web.pdf"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, err = run(capsys, "build", str(manifest), "-q", "-o", str(blocker / "x.pdf"))
    # The message names the file in the way and what to do about it.
    assert code == 1 and f"{blocker} is not a folder" in err and "Traceback" not in err
    assert "choose another output" in err


def test_layout_footer_field_typo(tmp_path, capsys):
    err = layout_error(tmp_path, capsys, "footer:\n  left: '{webstie}'\n")
    assert "mine.yaml:3: 'footer.left': unknown field {webstie} (did you mean 'website'?)" in err
