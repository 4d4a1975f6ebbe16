"""What the default build checks (against what it drew) and what `--preflight full` adds:
faults are injected into the renderer or the input, and both must refuse the file."""

from __future__ import annotations

import pytest
from conftest import make_photo, prose, write_article, write_issue

from compositor.cli import main
from compositor.preflight.quick import Drawn, quick_check
from compositor.render import pdf as render_pdf

MODES = ["quick", "full"]


def run(capsys, manifest, *args):
    code = main(["build", str(manifest), "-q", *args])
    return code, capsys.readouterr().err


def nothing_written(folder):
    build = folder / "build"
    return not build.exists() or not any(build.iterdir())


@pytest.mark.parametrize("mode", MODES)
def test_rgb_in_the_print_file_is_refused(tmp_path, capsys, monkeypatch, mode):
    """A renderer fault that paints an RGB colour into the print file."""
    manifest = write_issue(tmp_path, articles=2, photo=False)
    real = render_pdf._Painter.fill

    def rgb_fill(self, name, target=None):
        if self.opt.color_mode == "cmyk" and name == "accent":
            (target or self.canv).setFillColorRGB(0.1, 0.3, 0.6)
        else:
            real(self, name, target)

    monkeypatch.setattr(render_pdf._Painter, "fill", rgb_fill)
    code, err = run(capsys, manifest, "--variant", "print", "--preflight", mode)
    assert code == 1, err
    assert "RGB" in err and "error" in err
    assert nothing_written(tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_a_font_that_is_not_embedded_is_refused(tmp_path, capsys, monkeypatch, mode):
    """A renderer fault that sets a line in a standard font (never embedded)."""
    manifest = write_issue(tmp_path, articles=2, photo=False)
    real = render_pdf._Painter.text

    def with_helvetica(self, texts, marks):
        self.canv.setFont("Helvetica", 8)
        self.canv.drawString(100, 100, "stray")
        real(self, texts, marks)

    monkeypatch.setattr(render_pdf._Painter, "text", with_helvetica)
    for variant in ("print", "web"):
        code, err = run(capsys, manifest, "--variant", variant, "--preflight", mode)
        assert code == 1, err
        assert "Helvetica" in err and "not embedded" in err
        assert nothing_written(tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_a_low_resolution_photo_is_found_in_the_file(tmp_path, capsys, monkeypatch, mode):
    """The layout refuses a low-ppi photo before rendering; with that first line of
    defence switched off, the check of the written file still finds it."""
    from compositor.finish import variants

    write_issue(tmp_path, articles=1, photo=False)
    make_photo(tmp_path / "images" / "small.jpg", size=(200, 130))
    manifest = tmp_path / "issue.yaml"
    write_article(tmp_path, "a0", "Photo", [prose(1, 8)], image="../images/small.jpg",
                  caption="A photo")
    monkeypatch.setattr(variants, "check_resolution", lambda layout, force: [])
    code, err = run(capsys, manifest, "--variant", "print", "--preflight", mode)
    assert code == 1, err
    assert "ppi" in err and "below" in err
    assert nothing_written(tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_too_much_ink_in_a_layout_colour_is_refused(tmp_path, capsys, mode):
    manifest = write_issue(tmp_path, articles=2, photo=False, extra="layout: ink.yaml\n")
    (tmp_path / "ink.yaml").write_text(
        "extends: default\ncolors:\n  accent: [100, 100, 100, 100]\n")
    code, err = run(capsys, manifest, "--variant", "print", "--preflight", mode)
    assert code == 1, err
    assert "ink coverage" in err and "300% limit" in err
    assert nothing_written(tmp_path)
    code, err = run(capsys, manifest, "--variant", "print", "--preflight", mode, "--force")
    assert code == 0 and "ink coverage" in err


def test_an_image_the_build_did_not_draw_is_an_error(built_issue):
    findings = quick_check(built_issue["print"], Drawn("print", pages=_pages(built_issue)))
    assert any("did not draw" in f.message and f.severity == "error" for f in findings)


def test_a_page_count_that_differs_from_the_layout_is_an_error(built_issue):
    pages = _pages(built_issue)
    findings = quick_check(built_issue["web"], Drawn("web", pages=pages + 1))
    assert any(f"the build laid out {pages + 1}" in f.message for f in findings)


def test_the_clean_sample_passes_both_ways(built_issue):
    """The quick check of a good build has no errors, and neither has the full one."""
    from compositor.preflight import preflight

    for variant in ("print", "web"):
        full = preflight(built_issue[variant], variant, tac_limit=330)
        assert not [f for f in full if f.severity == "error"], full


def _pages(built_issue) -> int:
    import pikepdf

    with pikepdf.open(built_issue["print"]) as pdf:
        return len(pdf.pages)


@pytest.mark.parametrize("mode", MODES)
def test_a_cmyk_photo_with_too_much_ink_is_refused(tmp_path, capsys, mode):
    """A CMYK photo goes to print unconverted: its ink, measured when it is prepared
    (quick) or read from the file's image (full), is over the limit."""
    from PIL import Image

    write_issue(tmp_path, articles=1, photo=False)
    (tmp_path / "images").mkdir()
    Image.new("CMYK", (1800, 1200), (255, 255, 255, 230)).save(tmp_path / "images" / "ink.jpg",
                                                               quality=95)
    write_article(tmp_path, "a0", "Photo", [prose(1, 8)], image="../images/ink.jpg",
                  caption="A photo")
    code, err = run(capsys, tmp_path / "issue.yaml", "--variant", "print", "--preflight", mode)
    assert code == 1, err
    assert "total ink coverage reaches 39" in err and "ink.jpg" in err or mode == "full"
    assert "ink coverage" in err and "300% limit" in err
    assert nothing_written(tmp_path)


def test_full_preflight_measures_pages_without_rendering_them(built_issue):
    """The standard test issue: CMYK colours and converted photos only, so no page needs
    Ghostscript; the crop marks' registration colour lies outside the bleed."""
    from compositor.preflight import preflight

    findings = preflight(built_issue["print"], "print", tac_limit=330)
    ink = [f for f in findings if f.obj == "ink coverage"]
    assert [f.severity for f in ink] == ["info"], ink
    assert "were rendered" in ink[0].message and ink[0].message.startswith(
        f"{_pages(built_issue)} of {_pages(built_issue)} pages measured")


def test_check_refuses_what_the_build_refuses_after_rendering(tmp_path, capsys):
    """`check` makes the same checks as a build, those on the drawn PDFs included (here a
    CMYK photo over the ink limit, found only once the print file is made), and writes
    nothing."""
    from PIL import Image

    write_issue(tmp_path, articles=1, photo=False)
    (tmp_path / "images").mkdir()
    Image.new("CMYK", (1800, 1200), (255, 255, 255, 230)).save(tmp_path / "images" / "ink.jpg",
                                                               quality=95)
    write_article(tmp_path, "a0", "Photo", [prose(1, 8)], image="../images/ink.jpg",
                  caption="A photo")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["check", str(tmp_path / "issue.yaml")]) == 1
    err = capsys.readouterr().err
    assert "ink coverage" in err and "300% limit" in err and "ink.jpg" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    # Without the photo the same issue passes.
    write_article(tmp_path, "a0", "Photo", [prose(1, 8)])
    assert main(["check", str(tmp_path / "issue.yaml")]) == 0
