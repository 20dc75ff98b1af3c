"""Our workbooks printed by LibreOffice: each converted to PDF, then read back with
poppler's tools (pdfinfo, pdftotext) as a person would look at the pages.

Checked: the paper (A4 landscape, or US Letter when asked), every sheet printed with
its name in the page header and page numbers in the footer, text of at least 7 points
at the printed scale (worked out from the column widths, the chart beside them and
fit-to-width), one font family, and Findings rows whose text neither overlaps nor is cut off.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.utils import get_column_letter

from ecomraci.rules import check
from ecomraci.xlsx import layout as L
from tests.core import xlsx_kit as kit

A4_LANDSCAPE = (841.89, 595.28)  # points
LETTER_LANDSCAPE = (792.0, 612.0)
SMALLEST_PT = 7.0


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} (poppler-utils) is not installed; CI installs poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def run(tool: str, *args: str) -> str:
    return subprocess.run(
        [poppler(tool), *args], check=True, capture_output=True, text=True, timeout=120
    ).stdout


def to_pdf(libreoffice, xlsx: Path, outdir: Path) -> Path:
    libreoffice.convert(xlsx, "pdf", outdir)
    pdf = outdir / (xlsx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no {pdf.name}"
    return pdf


class Page:
    def __init__(self, number: int, width: float, height: float, words: list[tuple]):
        self.number, self.width, self.height = number, width, height
        self.words = words  # (xMin, yMin, xMax, yMax, text)

    @property
    def header(self) -> list[tuple]:
        top = min(w[1] for w in self.words)
        return [w for w in self.words if w[1] < top + 2]

    @property
    def sheet(self) -> str:
        """The sheet's name, printed in the middle of the page header."""
        middle = [w for w in self.header if abs((w[0] + w[2]) / 2 - self.width / 2) < 120]
        return " ".join(w[4] for w in sorted(middle))

    def body(self) -> list[tuple]:
        top = self.header[0][3]
        bottom = max(w[1] for w in self.words)  # the footer
        return [w for w in self.words if w[1] > top + 1 and w[3] < bottom - 1]


def pages(pdf: Path) -> list[Page]:
    html = run("pdftotext", "-bbox", str(pdf), "-")
    tree = etree.fromstring(html.encode(), etree.HTMLParser(encoding="utf-8"))
    out = []
    for i, page in enumerate(tree.iter("page"), start=1):
        words = [
            (
                float(w.get("xmin")),
                float(w.get("ymin")),
                float(w.get("xmax")),
                float(w.get("ymax")),
                w.text or "",
            )
            for w in page.iter("word")
        ]
        out.append(Page(i, float(page.get("width")), float(page.get("height")), words))
    return out


@pytest.fixture(scope="module")
def printed(libreoffice, tmp_path_factory):
    from ecomraci.scenario import add_scenario, insource

    folder = tmp_path_factory.mktemp("lo-print")
    model = kit.sample()
    what_if = insource(model, "online-marketing", as_of=date(2026, 12, 1))
    add_scenario(model, what_if.to_scenario("Marketing in-house"))
    path = kit.export(model, folder, scenario="Marketing in-house")
    pdf = to_pdf(libreoffice, path, folder / "pdf")
    return model, path, pdf, pages(pdf)


def test_every_page_is_a4_landscape_and_every_sheet_prints_with_header_and_footer(printed):
    _, path, pdf, got = printed
    info = run("pdfinfo", "-f", "1", "-l", str(len(got)), str(pdf))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == len(got) > 0
    for w, h in sizes:
        assert (float(w), float(h)) == pytest.approx(A4_LANDSCAPE, abs=1)
    sheets = openpyxl.load_workbook(path).sheetnames
    assert list(dict.fromkeys(p.sheet for p in got)) == sheets
    for page in got:
        header = " ".join(w[4] for w in sorted(page.header))
        assert header.startswith("Hallberg Living") and header.endswith("As of 2026-06-01")
        footer = " ".join(w[4] for w in page.words if w[1] > page.height - 60)
        assert f"Page {page.number} of {len(got)}" in footer


def test_letter_paper_when_asked(libreoffice, tmp_path):
    path = kit.export(kit.sample(), tmp_path, "letter.xlsx", paper="letter")
    info = run("pdfinfo", str(to_pdf(libreoffice, path, tmp_path / "pdf")))
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    assert (float(w), float(h)) == pytest.approx(LETTER_LANDSCAPE, abs=1)


def column_points(width: float) -> float:
    """A column `width` (in digits of the default font) in points: 7 pixels a digit and
    5 of padding, at 96 pixels an inch."""
    return (int(width * 7 + 0.5) + 5) * 0.75


def test_every_sheet_prints_text_of_at_least_7_points(printed):
    _, path, _, _ = printed
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        # The fit-to-width scale, from the column widths and the chart beside them.
        last = ws.max_column
        columns = [ws.column_dimensions[get_column_letter(c)] for c in range(1, last + 1)]
        widths = [column_points(d.width or 8.43) for d in columns if not d.hidden]
        wide = sum(widths)
        for chart in ws._charts:
            start = sum(widths[: chart.anchor._from.col])
            wide = max(wide, start + chart.anchor.ext.width / 12700)
        paper = A4_LANDSCAPE[0] - 72 * (ws.page_margins.left + ws.page_margins.right)
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        scale = min(1.0, paper / wide)
        sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None}
        hf = (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right, ws.oddFooter.center)
        sizes |= {part.size for part in hf if part.text}
        smallest = min(s or 11 for s in sizes)
        assert smallest * scale >= SMALLEST_PT, (ws.title, smallest, round(scale, 3))


def test_one_font_family_and_no_serif(printed):
    _, _, pdf, _ = printed
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    families = {re.sub(r"^[A-Z]{6}\+", "", f.split()[0]).split("-")[0] for f in fonts}
    assert families == {"LiberationSans"}, families


def overlaps(a: tuple, b: tuple) -> bool:
    """Two words' boxes cross: they share more than a point across and more than a third
    of a line's height down (a word's box is taller than the line spacing of wrapped
    text, so the next line of the same cell shares a sliver)."""
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    return across > 1 and down > (min(a[3] - a[1], b[3] - b[1])) / 3


def test_findings_rows_neither_overlap_nor_lose_text(printed):
    model, _, _, got = printed
    findings = [p for p in got if p.sheet == L.FINDINGS_SHEET]
    assert findings
    printed_words: dict[str, int] = defaultdict(int)
    for page in findings:
        body = sorted(page.body())
        for i, a in enumerate(body):
            for b in body[i + 1 :]:
                if b[0] > a[2]:
                    break
                assert not overlaps(a, b), (page.number, a, b)
            printed_words[a[4]] += 1
    # Every word of every message and fix is on the pages: no wrapped line was cut off.
    expected: dict[str, int] = defaultdict(int)
    for f in check(model, as_of=kit.AS_OF):
        for text in (f.message, f.fix):
            for word in text.split():
                expected[word] += 1
    missing = {w: n for w, n in expected.items() if printed_words[w] < n}
    assert not missing, missing
