"""The designer commands end to end through the CLI: preview, diff, new, layout show and
schema, with what they write read back."""

from __future__ import annotations

import json
import shutil

import pypdf
import pytest
from conftest import ROOT, SAMPLE, write_issue
from PIL import Image

from compositor.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def small_issue(tmp_path_factory):
    folder = tmp_path_factory.mktemp("designer")
    manifest = write_issue(folder, articles=4, sentences=30)
    assert main(["build", str(manifest), "-q", "--no-preflight"]) == 0
    return manifest


def _web(manifest):
    return manifest.parent / "build" / f"{manifest.parent.name}-web.pdf"


# -- preview ---------------------------------------------------------------------------------

def test_preview_writes_selected_pages_and_a_sheet(small_issue, tmp_path, capsys):
    count = len(pypdf.PdfReader(_web(small_issue)).pages)
    assert count >= 3
    out = tmp_path / "png"
    code, stdout, err = run(capsys, "preview", str(small_issue), "-o", str(out),
                            "--pages", "1,3-3", "--dpi", "40", "--sheet")
    assert code == 0, err
    name = small_issue.parent.name
    pages = sorted(p.name for p in out.glob(f"{name}-page-*.png"))
    assert pages == [f"{name}-page-01.png", f"{name}-page-03.png"]
    first = Image.open(out / pages[0])
    assert first.size == (round(595.28 * 40 / 72), round(841.89 * 40 / 72))  # A4 at 40 dpi
    # The page has the masthead's colour band at the top and white paper lower down.
    assert first.convert("RGB").getpixel((first.width // 2, 20)) != (255, 255, 255)
    assert len(first.getcolors(1 << 20)) > 20
    sheet = Image.open(out / f"{name}-sheet.png").convert("RGB")
    assert sheet.width > sheet.height  # spreads side by side
    # Page 1 stands alone on the right: the left half of the first spread is ground.
    ground = sheet.getpixel((5, 5))
    assert sheet.getpixel((40, 60)) == ground
    assert "wrote 2 page images" in stdout and "sheet.png" in stdout


def test_preview_sheet_scales_with_dpi(small_issue, tmp_path, capsys):
    """Twice the --dpi, twice the page on the contact sheet: the page's own pixels are
    measured, the grey ground between pages left out."""
    heights = {}
    for dpi in (40, 80):
        out = tmp_path / f"png{dpi}"
        code, _, err = run(capsys, "preview", str(small_issue), "-o", str(out), "--pages",
                           "1", "--dpi", str(dpi), "--sheet")
        assert code == 0, err
        sheet = Image.open(out / f"{small_issue.parent.name}-sheet.png").convert("RGB")
        ground = sheet.getpixel((5, 5))
        column = [sheet.getpixel((sheet.width // 4 + sheet.width // 8, y))
                  for y in range(sheet.height)]  # down through page 1
        first = next(y for y, px in enumerate(column) if px != ground)
        last = next(y for y, px in enumerate(column[first:], first) if px == ground)
        heights[dpi] = last - first
    assert heights[40] == round(841.89 / 72 * 40 / 2)  # A4 at half the resolution
    assert abs(heights[80] - 2 * heights[40]) <= 1


def test_preview_of_a_pdf_and_its_mistakes(small_issue, tmp_path, capsys):
    code, stdout, _ = run(capsys, "preview", str(_web(small_issue)), "-o", str(tmp_path / "a"),
                          "--dpi", "20")
    assert code == 0
    count = len(pypdf.PdfReader(_web(small_issue)).pages)
    assert len(list((tmp_path / "a").glob("*-page-*.png"))) == count

    code, _, err = run(capsys, "preview", str(small_issue), "-o", str(tmp_path / "b"),
                       "--pages", "99")
    assert code == 1 and f"only {count} pages" in err and "Traceback" not in err
    assert not (tmp_path / "b").exists()

    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    code, _, err = run(capsys, "preview", str(small_issue), "-o", str(a_file))
    assert code == 1 and "must name a folder" in err
    assert a_file.read_text() == "keep me"

    with pytest.raises(SystemExit) as usage:
        main(["preview", str(small_issue), "--pages", "3-1"])
    assert usage.value.code == 2
    assert "not a page list" in capsys.readouterr().err


# -- diff ------------------------------------------------------------------------------------

def test_diff_names_the_changed_pages_and_marks_them(tmp_path, capsys):
    manifest = write_issue(tmp_path / "issue", articles=4, sentences=30)
    old = tmp_path / "old.pdf"
    assert main(["build", str(manifest), "-q", "--no-preflight", "-o", str(old)]) == 0
    article = manifest.parent / "articles" / "a3.md"
    article.write_text(article.read_text().replace("Story 3: news from the river",
                                                   "Story 3: a new headline here"))
    new = tmp_path / "new.pdf"
    assert main(["build", str(manifest), "-q", "--no-preflight", "-o", str(new)]) == 0
    old_text = [p.extract_text() for p in pypdf.PdfReader(old).pages]
    new_text = [p.extract_text() for p in pypdf.PdfReader(new).pages]
    expected = [i + 1 for i, (a, b) in enumerate(zip(old_text, new_text, strict=True)) if a != b]
    assert expected

    out = tmp_path / "d"
    code, stdout, err = run(capsys, "diff", str(old), str(new), "-o", str(out), "--dpi", "50")
    assert code == 0, err
    reported = [int(line.split()[1].rstrip(":")) for line in stdout.splitlines()
                if line.startswith("page ")]
    assert set(expected) <= set(reported)
    assert f"{len(reported)} of {len(old_text)} pages differ" in stdout
    picture = Image.open(out / f"page-{reported[0]:03d}.png").convert("RGB")
    assert picture.width > picture.height  # old | new
    magenta = sum(n for n, px in picture.getcolors(1 << 22)
                  if px[0] > 200 and px[1] < 60 and px[2] > 90)
    assert magenta > 20  # the changed region is outlined
    # The pictures and the list of the files diff wrote, which lets it replace them.
    assert sorted(p.name for p in out.iterdir()) == [".compositor-written.json"] + [
        f"page-{n:03d}.png" for n in reported]

    code, stdout, _ = run(capsys, "diff", str(old), str(old), "-o", str(out))
    assert code == 0 and f"0 of {len(old_text)} pages differ" in stdout
    assert list(out.iterdir()) == []  # the earlier pictures went with the differences
    assert run(capsys, "diff", str(old), str(new), "--exit-code", "-o", str(out))[0] == 1


def test_diff_of_things_that_are_not_pdfs(tmp_path, capsys):
    text = tmp_path / "a.pdf"
    text.write_text("hello")
    code, _, err = run(capsys, "diff", str(text), str(text))
    assert code == 1 and "a.pdf:1: not a PDF" in err and "Traceback" not in err
    code, _, err = run(capsys, "diff", str(tmp_path / "missing.pdf"), str(text))
    assert code == 1 and "missing.pdf:1: file not found" in err


# -- new --------------------------------------------------------------------------------------

def test_new_scaffolds_an_issue_that_builds(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run(capsys, "new", "spring")
    assert code == 0, err
    assert "warning" not in err, err  # the first thing a new user sees
    folder = tmp_path / "spring"
    for name in ("issue.yaml", "publication.yaml", "layout.yaml", "articles/planting-day.md",
                 "articles/seed-library.md", "boxes/about.md", "images/beds.jpg",
                 "images/pond.jpg", "schemas/manifest.schema.json",
                 "schemas/layout.schema.json"):
        assert (folder / name).is_file(), name
    layout = (folder / "layout.yaml").read_text()
    assert "\nextends: default\n" in layout and layout.count("#") > 5  # explained
    assert (folder / "issue.yaml").read_text().startswith(
        "# yaml-language-server: $schema=schemas/manifest.schema.json")

    # Built again from the CLI with a fit report: no warning, no hole, one folded sheet.
    report = tmp_path / "fit.json"
    code, _, err = run(capsys, "build", "spring/issue.yaml", "--report", str(report))
    assert code == 0, err
    assert "warning" not in err, err
    fit = json.loads(report.read_text())
    assert fit["holes"] == [] and fit["pages"] == 4
    assert fit["makeup"]["score"] == 0, fit["makeup"]
    web = pypdf.PdfReader(folder / "build" / "spring-web.pdf")
    assert len(web.pages) == 4
    assert len(pypdf.PdfReader(folder / "build" / "spring-print.pdf").pages) == 4
    pages = [" ".join(p.extract_text().split()) for p in web.pages]
    assert "About the garden" in pages[-1] and "Dates for the diary" in pages[-1]
    # The contents box on page 1 lists every article the issue holds.
    contents = pages[0][pages[0].index("Inside this issue"):]
    for entry in fit["articles"]:
        assert entry["title"] in contents, entry["title"]
    assert len(fit["articles"]) == 6
    for page in pages[1:]:  # no page of boxes alone: every page carries body text
        assert len(page.split()) > 200

    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code, _, err = run(capsys, "new", "spring")
    assert code == 1 and "already exists" in err and "nothing was written" in err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_new_extends_a_house_layout(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "issues" / "harbor-light-layout.yaml", tmp_path / "house.yaml")
    code, _, err = run(capsys, "new", "issues/autumn", "--layout", "house.yaml")
    assert code == 0, err
    layout = (tmp_path / "issues" / "autumn" / "layout.yaml").read_text()
    assert "\nextends: ../../house.yaml\n" in layout
    code, stdout, _ = run(capsys, "layout", "show", "issues/autumn/issue.yaml")
    assert code == 0 and "qr_code: 15mm" in stdout and "house.yaml:5" in stdout

    code, _, err = run(capsys, "new", "other", "--layout", "fancy")
    assert code == 1 and "no built-in layout 'fancy'" in err
    assert not (tmp_path / "other").exists()


# -- layout show ----------------------------------------------------------------------------------

def test_layout_show_gives_every_value_its_origin(tmp_path, capsys):
    (tmp_path / "house.yaml").write_text("extends: default\n\ncolors:\n  accent: '#123456'\n"
                                         "article:\n  qr_code: 12mm\n")
    (tmp_path / "issue-layout.yaml").write_text("extends: house.yaml\npage:\n  columns: 2\n"
                                                "article:\n  qr_code: 0mm\n")
    code, stdout, err = run(capsys, "layout", "show", str(tmp_path / "issue-layout.yaml"))
    assert code == 0, err
    lines = {line.split(":")[0].strip(): line for line in stdout.splitlines()}
    assert "issue-layout.yaml:3" in lines["columns"]
    assert "issue-layout.yaml:5" in lines["qr_code"] and "0mm" in lines["qr_code"]
    assert "house.yaml:4" in lines["accent"]
    assert lines["gutter"].rstrip().endswith("# 14.17 pt · default")
    assert stdout.startswith("# layout chain: ") and "house.yaml -> default" in stdout

    code, stdout, _ = run(capsys, "layout", "show", str(tmp_path / "issue-layout.yaml"),
                          "--json")
    data = json.loads(stdout)
    assert data["values"]["page.columns"]["value"] == 2
    assert data["values"]["page.columns"]["from"].endswith("issue-layout.yaml:3")
    assert data["values"]["page.size"]["from"] == "default"
    assert len(data["chain"]) == 3


def test_layout_show_for_a_manifest_default_and_errors(tmp_path, capsys):
    code, stdout, _ = run(capsys, "layout", "show", str(SAMPLE))
    assert code == 0 and "harbor-light-layout.yaml:5" in stdout
    code, stdout, _ = run(capsys, "layout", "show")
    assert code == 0 and "# layout chain: default" in stdout and "harbor" not in stdout
    manifest = write_issue(tmp_path / "issue", articles=1)
    (tmp_path / "issue" / "articles" / "a0.md").write_text("no front matter\n")
    code, stdout, _ = run(capsys, "layout", "show", str(manifest.parent))
    assert code == 0 and "# layout chain: default" in stdout  # the article does not matter
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: default\npage:\n  colums: 2\n")
    code, _, err = run(capsys, "layout", "show", str(bad))
    assert code == 1 and "bad.yaml:3: unknown layout key 'page.colums'" in err


# -- schema ---------------------------------------------------------------------------------

def test_schema_prints_and_writes(tmp_path, capsys):
    import jsonschema

    from compositor.load.yamlfile import load_yaml_file
    code, stdout, _ = run(capsys, "schema", "layout")
    assert code == 0
    layout = json.loads(stdout)
    jsonschema.Draft202012Validator.check_schema(layout)
    assert "qr_code" in layout["properties"]["article"]["properties"]
    target = tmp_path / "schemas" / "manifest.json"
    code, stdout, _ = run(capsys, "schema", "manifest", "-o", str(target))
    assert code == 0 and target.is_file()
    jsonschema.validate(load_yaml_file(SAMPLE), json.loads(target.read_text()))
    keep = tmp_path / "issue.yaml"
    keep.write_text("date: x\n")
    code, _, err = run(capsys, "schema", "manifest", "-o", str(keep))
    assert code == 1 and keep.read_text() == "date: x\n"
