"""Justification measured the way a reader sees it: word gaps read back from the PDF."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict

import pdfplumber
import pikepdf
from conftest import SAMPLE

from compositor.cli import main


def space_widths(pdf_path) -> dict[str, float]:
    """Width of a word space, per em, of every font embedded in the PDF (from /Widths)."""
    out: dict[str, float] = {}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                widths = font.get("/Widths")
                first = int(font.get("/FirstChar", 0))
                if widths is not None and first <= 32 < first + len(widths):
                    out[str(font.BaseFont)[1:]] = float(widths[32 - first]) / 1000
    return out


def word_gap_ratios(pdf_path, body_size: float) -> list[float]:
    """For every justified body line: (mean gap between words - mean space) / mean space.

    A line counts as justified when its last glyph ends on a column's right edge; the
    column edges are the most common line ends on the page, since most lines are full.
    """
    space = space_widths(pdf_path)
    ratios = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows = defaultdict(list)
            for ch in page.chars:
                if abs(ch["size"] - body_size) < 0.05:
                    rows[round(ch["top"], 1)].append(ch)
            segments = []
            for chars in rows.values():
                chars.sort(key=lambda c: c["x0"])
                seg = [chars[0]]
                for ch in chars[1:]:
                    if ch["x0"] - seg[-1]["x1"] > 8:  # a column gutter
                        segments.append(seg)
                        seg = []
                    seg.append(ch)
                segments.append(seg)
            ends = Counter(round(max(c["x1"] for c in s if c["text"] != " "), 0)
                           for s in segments if any(c["text"] != " " for c in s))
            edges = [x for x, n in ends.most_common(3) if n >= 5]
            for seg in segments:
                ink = [c for c in seg if c["text"] != " "]
                if not ink or not any(abs(ink[-1]["x1"] - e) < 0.6 for e in edges):
                    continue
                gaps, normal = [], []
                for i, ch in enumerate(seg[1:-1], 1):
                    if ch["text"] == " " and seg[i - 1]["text"] != " " and \
                            seg[i + 1]["text"] != " ":
                        gaps.append(seg[i + 1]["x0"] - seg[i - 1]["x1"])
                        normal.append(space[ch["fontname"]] * ch["size"])
                if gaps:
                    mean = sum(normal) / len(normal)
                    ratios.append((sum(gaps) / len(gaps) - mean) / mean)
    return ratios


def test_word_gaps_read_back_match_the_fit_report(tmp_path):
    out, report = tmp_path / "sample.pdf", tmp_path / "report.json"
    assert main(["build", str(SAMPLE), "-q", "--variant", "print", "--no-preflight",
                 "-o", str(out), "--report", str(report)]) == 0
    counts = json.loads(report.read_text())["counts"]
    ratios = word_gap_ratios(out, 9.4)
    assert len(ratios) > 300  # the sample's body text, read back
    # max_word_space 1.5 and min_word_space 0.8 in the house layout; 1 % for rounding.
    loose = sum(r > 0.51 for r in ratios)
    tight = sum(r < -0.21 for r in ratios)
    assert abs(loose - counts["loose"]) <= 1, (loose, counts)
    assert abs(tight - counts["tight"]) <= 1, (tight, counts)
    # Letter spacing and glyph scaling take slack off the word spaces, so gaps beyond
    # 150 % are rare in 37-character columns (they were 55 of 439 lines with word and
    # letter spacing alone).
    assert loose <= 15
    # The typical line is set close to normal word spacing.
    assert abs(statistics.median(ratios)) < 0.15

