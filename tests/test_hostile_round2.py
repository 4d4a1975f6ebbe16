"""Hostile input, second round: every case either prints everything the author wrote
(checked with pdftotext) or fails with `path:line: message`, exit status 1 or 2, no
traceback, no output and no input changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import make_photo, write_issue

from compositor.cli import main

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("round2")
    write_issue(folder, articles=2, sentences=10, boxes=False, photo=False)
    return folder


@pytest.fixture
def issue(base, tmp_path) -> Path:
    folder = tmp_path / "issue"
    shutil.copytree(base, folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def build(folder: Path, capsys, *extra: str, variant: str = "web") -> tuple[int, str, Path]:
    out = folder.parent / "out" / "x.pdf"
    before = snapshot(folder)
    outputs = snapshot(out.parent) if out.parent.exists() else {}
    code = main(["build", str(folder / "issue.yaml"), "-o", str(out), "--variant", variant,
                 "-q", *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert snapshot(folder) == before  # no input changed, success or not
    if code != 0:  # nothing written, nothing left behind
        assert (snapshot(out.parent) if out.parent.exists() else {}) == outputs
    return code, err, out


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return " ".join(text.split())


def set_article(folder: Path, body: str, front: str = "title: Deep") -> None:
    (folder / "articles" / "a1.md").write_text(f"---\n{front}\n---\n\n{body}\n",
                                               encoding="utf-8")


def use_layout(folder: Path, text: str) -> None:
    (folder / "lay.yaml").write_text(text, encoding="utf-8")
    manifest = folder / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    if "layout: lay.yaml" not in text:
        manifest.write_text(text.replace("language: en\n", "language: en\nlayout: lay.yaml\n"),
                            encoding="utf-8")


# -- class 3: never print less than the author wrote --------------------------------------

def test_deeply_nested_lists_and_quotes_keep_every_word(issue, capsys):
    items = "".join("  " * k + f"- level{k} item\n" for k in range(12))
    quote = "> " * 14 + "deeply quoted words"
    set_article(issue, f"{items}\n{quote}\n\nClosing paragraph AFTERNEST.")
    code, err, out = build(issue, capsys)
    assert code == 0, err
    text = pdf_text(out)
    for k in range(12):
        assert f"level{k} item" in text
    assert "deeply quoted words" in text and "AFTERNEST" in text


def test_nesting_past_the_parser_limit_is_an_error(issue, capsys):
    set_article(issue, "> " * 120 + "lost words\n\nafter")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "a1.md:5: lists or quotes nested more than" in err


def test_ordered_list_keeps_its_numbers(issue, capsys):
    set_article(issue, "1998. The first year\n1999. The second year\n2000. The third")
    code, err, out = build(issue, capsys)
    assert code == 0, err
    text = pdf_text(out)
    assert "1998. The first year" in text and "2000. The third" in text


def test_excerpt_of_text_without_full_stops_keeps_words(issue, capsys):
    words = " ".join(f"name{k}" for k in range(400))
    set_article(issue, words, "title: Names\nurl: https://example.org/names\nexcerpt: 40")
    code, err, out = build(issue, capsys)
    assert code == 0, err
    text = pdf_text(out)
    assert "name0 name1" in text and "name39" in text and "name41" not in text
    assert "example.org/names" in text.replace(" ", "")  # may wrap after the /


@pytest.mark.parametrize("where", ["manifest", "front", "layout"])
def test_duplicate_keys_name_both_lines(issue, capsys, where):
    if where == "manifest":
        path = issue / "issue.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "articles:\n  - articles/a0.md\n",
                        encoding="utf-8")
        needle = "issue.yaml:"
    elif where == "front":
        set_article(issue, "Body.", "title: One\nbyline: A\ntitle: Two")
        needle = "a1.md:4: duplicate key 'title' (first given on line 2)"
    else:
        use_layout(issue, "page:\n  columns: 2\npage:\n  columns: 3\n")
        needle = "lay.yaml:3: duplicate key 'page' (first given on line 1)"
    code, err, _ = build(issue, capsys)
    assert code == 1 and "duplicate key" in err and needle in err, err


def test_whitespace_only_title(issue, capsys):
    set_article(issue, "Body.", "title: '   '")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "a1.md:2: 'title' is blank" in err


def test_same_named_font_files_both_print(issue, capsys):
    fonts = HERE.parent / "compositor" / "fonts"
    for sub, src in (("x", "NotoSans-Regular.ttf"), ("y", "CharisSIL-Bold.ttf")):
        (issue / sub).mkdir()
        shutil.copy(fonts / src, issue / sub / "Face.ttf")
    use_layout(issue, "fonts:\n  serif:\n    regular: x/Face.ttf\n    italic: x/Face.ttf\n"
                      "    bold: y/Face.ttf\n    bold_italic: y/Face.ttf\n")
    set_article(issue, "Plain words and **bold words** together.")
    code, err, out = build(issue, capsys)
    assert code == 0, err
    with pikepdf.open(out) as pdf:
        names = {str(f.get("/BaseFont")) for page in pdf.pages
                 for f in page.Resources.get("/Font", {}).values()}
    assert any("CharisSIL-Bold" in n for n in names) and any("NotoSans-Regular" in n
                                                             for n in names)


def test_spot_colour_names_are_valid_pdf_names(issue, capsys):
    use_layout(issue, 'colors:\n  accent: {spot: "PANTONE Grün C", cmyk: [100, 50, 0, 0]}\n')
    code, err, out = build(issue, capsys, variant="print")
    assert code == 0, err
    with pikepdf.open(out) as pdf:
        spaces = [cs for page in pdf.pages
                  for cs in page.Resources.get("/ColorSpace", {}).values()]
    seps = [cs for cs in spaces if isinstance(cs, pikepdf.Array) and cs[0] == "/Separation"]
    assert len(seps) == 1 and len(seps[0]) == 4
    raw = seps[0][1].unparse()  # the name as written: #xx escapes of its UTF-8 bytes
    assert raw == b"/PANTONE#20Gr#c3#bcn#20C" or _unescape(raw[1:]) == "PANTONE Grün C".encode()


def test_spot_colour_name_with_a_slash_is_refused(issue, capsys):
    use_layout(issue, 'colors:\n  accent: {spot: "PANTONE 2/3 C", cmyk: [100, 50, 0, 0]}\n')
    code, err, _ = build(issue, capsys, variant="print")
    assert code == 1 and "lay.yaml:2: colour 'accent'" in err and "without '/'" in err


def _unescape(name: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(name):
        if name[i:i + 1] == b"#":
            out.append(int(name[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(name[i])
            i += 1
    return bytes(out)


def test_non_ascii_url_links_as_uri_and_prints_as_written(issue, capsys):
    set_article(issue, "Short text. " * 80,
                "title: Bücher\nurl: https://bücher.example/straße?q=ü\nexcerpt: 20")
    code, err, out = build(issue, capsys)
    assert code == 0, err
    with pikepdf.open(out) as pdf:
        uris = {bytes(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])
                if "/A" in a and "/URI" in a.A}
    assert b"https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC" in uris
    assert "bücher.example/straße?q=ü" in pdf_text(out).replace(" ", "")


def test_long_publication_name_and_footer_fit_or_fail(issue, capsys):
    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "name: Test Tide", "name: The Extraordinarily Long Publication Name of the Riverside "
                           "Rowing Club NAMEEND"), encoding="utf-8")
    use_layout(issue, 'footer:\n  center: "{publication} · {issue} · {issue_date} FOOTEND"\n')
    code, err, out = build(issue, capsys)
    assert code == 0, err
    text = pdf_text(out)
    assert text.count("NAMEEND") >= 2 and "FOOTEND" in text
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) >= 1
    use_layout(issue, 'footer:\n  center: "' + "{publication} " * 6 + '"\n')
    code, err, _ = build(issue, capsys)
    assert code == 1 and "lay.yaml:1: page 1: the footer needs" in err, err


# -- classes 4 and 5: bounded, and no traceback ------------------------------------------

def test_billion_laughs_is_refused(issue, capsys):
    lines = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"x{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, 9)]
    set_article(issue, "Body.", "title: Laughs\n" + "\n".join(lines))
    code, err, _ = build(issue, capsys)
    assert code == 1 and "expands to more than 100,000 values" in err


def test_recursive_alias_and_deep_nesting(issue, capsys):
    use_layout(issue, "colors: &c\n  loop: *c\n")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "lay.yaml:" in err and ("refers to the value that contains it" in err
                                                 or "must be" in err), err
    use_layout(issue, "page: " + "[" * 3000 + "]" * 3000 + "\n")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "nested too deeply" in err


@pytest.mark.parametrize("kind", ["fifo", "zero", "loop"])
def test_articles_that_are_not_regular_files(issue, capsys, kind):
    target = issue / "articles" / "a1.md"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "zero":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to(target.name)
    code, err, _ = build(issue, capsys)
    assert code == 1 and "issue.yaml:" in err and "a1.md" in err
    assert ("not a regular file" in err) or ("symbolic links" in err)


@pytest.mark.parametrize("what", ["image", "logo", "layout"])
def test_symlink_loops(issue, capsys, what):
    loop = issue / f"loop-{what}.yaml"
    loop.symlink_to(loop.name)
    manifest = issue / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    if what == "image":
        set_article(issue, "Body.", f"title: Loop\nimage: ../{loop.name}\ncaption: c")
    elif what == "logo":
        manifest.write_text(text.replace("  website:", f"  logo: {loop.name}\n  website:"),
                            encoding="utf-8")
    else:
        manifest.write_text(text.replace("language: en\n", f"language: en\nlayout: {loop.name}\n"),
                            encoding="utf-8")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "Too many levels of symbolic links" in err, err


@pytest.mark.parametrize("text", ["page:\n  gutter: .nan\n", "fit:\n  min_photo: .inf\n",
                                  "page:\n  size: [.nan, 500]\n"])
def test_non_finite_layout_numbers(issue, capsys, text):
    use_layout(issue, text)
    code, err, _ = build(issue, capsys)
    assert code == 1 and "lay.yaml:" in err


@pytest.mark.parametrize("template", ["{page:>99999999}", "{page!r}", "{}", "{page.real}"])
def test_footer_format_codes(issue, capsys, template):
    use_layout(issue, f'footer:\n  left: "{template}"\n')
    code, err, _ = build(issue, capsys)
    assert code == 1 and "lay.yaml:2: 'footer.left'" in err


def test_truncated_font(issue, capsys):
    data = (HERE.parent / "compositor" / "fonts" / "NotoSans-Regular.ttf").read_bytes()
    (issue / "Cut.ttf").write_bytes(data[: len(data) // 3])
    use_layout(issue, "fonts:\n  serif:\n    regular: Cut.ttf\n")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "Cut.ttf" in err


@pytest.mark.parametrize("size", [(6000, 4), (4, 6000)])
def test_extreme_aspect_ratio_photos(issue, capsys, size):
    make_photo(issue / "images" / "thin.png", size=size)
    set_article(issue, "Body words. " * 30, "title: Thin\nimage: ../images/thin.png\n"
                                            "caption: A thin picture")
    code, err, out = build(issue, capsys)
    assert code in (0, 1), err
    if code == 0:
        assert "A thin picture" in pdf_text(out)
    else:
        assert "a1.md:" in err


def test_terminal_that_cannot_show_titles(issue):
    set_article(issue, "Body.", "title: Zoë's ünïcödé → 😀")
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    proc = subprocess.run([sys.executable, "-m", "compositor.cli", "build",
                           str(issue / "issue.yaml"), "-o", str(issue.parent / "o.pdf"),
                           "--variant", "web", "--no-preflight"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "\\xeb" in proc.stdout or "\\u" in proc.stdout or "Zo" in proc.stdout


def test_control_characters_in_messages_are_escaped(issue, capsys):
    set_article(issue, "Body.", 'title: "\\e[31mRED"')
    code, err, _ = build(issue, capsys)
    assert "\x1b" not in err and "\\x1b" in err


# -- class 6: messages that point at the real culprit ----------------------------------

@pytest.mark.parametrize("value", ["0", "513", "x"])
def test_bad_pages_is_a_usage_error(issue, capsys, value):
    with pytest.raises(SystemExit) as exc:
        main(["build", str(issue / "issue.yaml"), "--pages", value])
    assert exc.value.code == 2
    assert "--pages" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999"])
def test_bad_source_date_epoch(issue, capsys, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    code = main(["build", str(issue / "issue.yaml"), "-o", str(issue.parent / "o.pdf")])
    assert code == 2 and "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (issue.parent / "o.pdf").exists()


def test_unknown_style_and_list_extends(issue, capsys):
    use_layout(issue, "styles:\n  bodyy:\n    size: 9\n")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "unknown layout key 'styles.bodyy' (did you mean 'body'?)" in err
    use_layout(issue, "extends: [default]\n")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "lay.yaml:1: 'extends' takes one layout" in err


def test_masthead_too_tall_blames_the_masthead(issue, capsys):
    use_layout(issue, "page:\n  size: A5\nmasthead:\n  height: 560\n")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "lay.yaml:4: the masthead" in err and "a0.md" not in err


def test_long_pull_quote_is_called_a_pull_quote(issue, capsys):
    quote = " ".join(f"longword{k}" for k in range(150))
    set_article(issue, f"Intro text.\n\n> [!pullquote] {quote}\n\nMore text.")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "the pull quote is taller than a column" in err
    assert "photo" not in err


def test_check_refuses_what_build_refuses(issue, capsys):
    make_photo(issue / "images" / "small.jpg", size=(90, 60))
    set_article(issue, "Body.", "title: Small\nimage: ../images/small.jpg\ncaption: c")
    code = main(["check", str(issue / "issue.yaml")])
    err = capsys.readouterr().err
    assert code == 1 and "small.jpg prints at" in err


# -- bounded time and memory, measured for real: a subprocess under an address-space
# limit (generous: a normal build needs a fraction of it) must end with a message ------

LIMIT = 1536 * 1024 * 1024


@pytest.mark.parametrize("case", ["laughs", "letters", "fifo-publication"])
def test_bounded_under_a_memory_limit(issue, case):
    if case == "laughs":
        lines = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        lines += [f"x{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, 10)]
        manifest = issue / "issue.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8") + "\n".join(lines) + "\n",
                            encoding="utf-8")
        needle = "expands to more than"
    elif case == "letters":
        set_article(issue, "a " * 200_000)
        needle = "the article has 200,000 words"
    else:
        os.mkfifo(issue / "pub.yaml")
        manifest = issue / "issue.yaml"
        text = manifest.read_text(encoding="utf-8")
        head, _, rest = text.partition("volume:")
        manifest.write_text("publication: pub.yaml\nvolume:" + rest, encoding="utf-8")
        needle = "not a regular file"
    code = ("import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))\n"
            "from compositor.cli import main\n"
            f"sys.exit(main(['build', {str(issue / 'issue.yaml')!r}, '-o', "
            f"{str(issue.parent / 'o.pdf')!r}]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert needle in proc.stderr and "Traceback" not in proc.stderr
    assert not (issue.parent / "o.pdf").exists()


@pytest.mark.parametrize("kind", ["jpeg", "flate"])
def test_ink_error_names_the_image(tmp_path, kind):
    # A photo in rich black (400 % ink): the finding says which image, not only where
    # (measured from the JPEG's pixels, or found under the area Ghostscript rendered).
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from compositor.preflight import preflight

    black = Image.new("CMYK", (300, 200), (255, 255, 255, 255))
    photo = tmp_path / "black.jpg"
    black.save(photo, quality=95)
    path = tmp_path / "ink.pdf"
    c = canvas.Canvas(str(path), pagesize=(300, 300))
    c.drawImage(str(photo) if kind == "jpeg" else ImageReader(black), 20, 20, 150, 100)
    c.showPage()
    c.save()
    ink = [f for f in preflight(path, "print") if f.obj == "ink coverage"
           and f.severity == "error"]
    assert len(ink) == 1 and "image" in ink[0].message and "above the 300% limit" in ink[0].message


def test_overlong_caption_is_refused_not_run_off_the_page(issue, capsys):
    make_photo(issue / "images" / "p.jpg")
    caption = " ".join(f"capword{k}" for k in range(300))
    set_article(issue, "Body words. " * 40, f"title: Cap\nimage: ../images/p.jpg\n"
                                            f"caption: '{caption}'")
    code, err, _ = build(issue, capsys)
    assert code == 1 and "a1.md:3: the caption is" in err and "lines long" in err, err
