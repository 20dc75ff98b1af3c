"""The report as a PDF, with reportlab.

reportlab is pure Python with wheels for Windows, macOS and Linux and needs no system
library at run time (unlike HTML-to-PDF converters built on Pango or a browser); it has
been maintained since 2000. The pages are A4 portrait; the one font family is Helvetica
(one of the PDF standard fonts, so nothing is embedded), and every colour comes from
`ecomraci.palette`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph

from ecomraci import palette as P
from ecomraci.report import document as doc
from ecomraci.report.charts import BOLD, FONT, radar_drawing, timeline_drawing
from ecomraci.text import visible

MARGIN = 18 * mm
PAGE_W, PAGE_H = A4
TEXT_W = PAGE_W - 2 * MARGIN - 12  # the frame pads 6 points on each side


def _c(colour: str) -> HexColor:
    return HexColor(colour)


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = dict(fontName=FONT, fontSize=9.5, leading=12.5, textColor=_c(P.TEXT))
    base.update(kw)
    return ParagraphStyle(name, alignment=TA_LEFT, **base)


BODY = _style("body")
NOTE = _style("note", textColor=_c(P.MUTED), fontSize=8.5, leading=11)
EMPTY = _style("empty", fontName=BOLD, textColor=_c(P.MUTED), fontSize=10.5, spaceBefore=6)
H1 = _style("h1", fontName=BOLD, fontSize=18, leading=22, textColor=_c(P.SIDES["internal"].text))
SUB = _style("sub", textColor=_c(P.MUTED), fontSize=10, leading=13)
H2 = _style("h2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3)
CELL = _style("cell", fontSize=8.5, leading=10.5)
HEAD = _style("head", fontName=BOLD, fontSize=8.5, leading=10.5)
BIG = _style("big", fontName=BOLD, fontSize=22, leading=24)
SMALL = _style("small", fontSize=8, leading=10, textColor=_c(P.MUTED))

TONES = {**P.SEVERITIES, **P.OUTCOMES}


def _t(text: str) -> str:
    """Text from the model as reportlab's paragraph markup: escaped, controls shown."""
    return escape(visible(text))


def _para(text: str, style: ParagraphStyle) -> RLParagraph:
    return RLParagraph(_t(text), style)


def _figures(block: doc.Figures) -> list[Any]:
    cells = []
    for label, value, tone in block.items:
        colour = TONES[tone].text if tone else P.TEXT
        cells.append(
            [
                RLParagraph(f'<font color="{colour}">{value}</font>', BIG),
                _para(label, SMALL),
            ]
        )
    table = Table([cells], colWidths=[TEXT_W / len(cells)] * len(cells))
    styles: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    for i, (_, value, tone) in enumerate(block.items):
        fill = TONES[tone].fill if tone and value else P.TOTALS
        styles += [
            ("BACKGROUND", (i, 0), (i, 0), _c(fill)),
            ("LINEAFTER", (i, 0), (i, 0), 3, _c(P.WHITE)),
        ]
    table.setStyle(TableStyle(styles))
    return [_para(block.title, H2), table, Spacer(1, 4)]


def _table(block: doc.Table) -> list[Any]:
    widths = block.widths or [1 / len(block.headers)] * len(block.headers)
    has_head = any(block.headers)
    data = [[_para(h, HEAD) for h in block.headers]] if has_head else []
    data += [[_para(v, CELL) for v in row] for row in block.rows]
    table = Table(data, colWidths=[w * TEXT_W for w in widths], repeatRows=1 if has_head else 0)
    styles: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, _c(P.GRID)),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if has_head:
        styles.append(("BACKGROUND", (0, 0), (-1, 0), _c(P.HEADER)))
    offset = 1 if has_head else 0
    for i, tone in enumerate(block.tones):
        if tone in TONES:
            styles.append(("BACKGROUND", (0, i + offset), (-1, i + offset), _c(TONES[tone].fill)))
    table.setStyle(TableStyle(styles))
    out: list[Any] = []
    if block.title:  # the title with at least the first rows, not alone at a page's foot
        out += [CondPageBreak(35 * mm), _para(block.title, H2)]
    out += [table, Spacer(1, 6)]
    return out


def _finding_styles(severity: str) -> tuple[ParagraphStyle, ParagraphStyle]:
    """The head line (a tint of the severity) and the body of a finding, indented."""
    swatch = P.SEVERITIES[severity]
    head = _style(
        f"finding-head-{severity}",
        fontSize=8.5,
        leading=11,
        backColor=_c(swatch.fill),
        borderPadding=(2, 4, 2, 4),
        leftIndent=4,
        keepWithNext=1,
        spaceBefore=8,
    )
    body = _style(f"finding-{severity}", fontSize=8.5, leading=10.5, leftIndent=4, spaceBefore=3)
    return head, body


FINDING_STYLES = {severity: _finding_styles(severity) for severity in P.SEVERITIES}


def _findings(block: doc.FindingList) -> list[Any]:
    """A head line per rule, its why once, then each finding's message and fix (plain
    paragraphs, laid out once: a table per finding laid its text out several times)."""
    out: list[Any] = []
    for first, run in block.groups():
        swatch = P.SEVERITIES[first.severity]
        head, body = FINDING_STYLES[first.severity]
        count = f" ({len(run)} findings)" if len(run) > 1 else ""
        out.append(
            RLParagraph(
                f'<font color="{swatch.text}"><b>{first.severity.upper()}</b></font>  '
                f"<b>{_t(first.rule)}</b>{count}",
                head,
            )
        )
        out.append(RLParagraph(f'<font color="{P.MUTED}">Why:</font> {_t(first.why)}', body))
        for f in run:
            out.append(
                RLParagraph(
                    f"<b>{_t(f.message)}</b><br/>"
                    f'<font color="{P.MUTED}">How to fix:</font> {_t(f.fix)}',
                    body,
                )
            )
    return out


def _picture(block: doc.Picture) -> list[Any]:
    ratio = block.height / block.width if block.width else 1
    width = TEXT_W
    height = width * ratio
    most = PAGE_H - 2 * MARGIN - 70
    if height > most:
        height, width = most, most / ratio
    image = Image(io.BytesIO(block.png), width=width, height=height)
    return [image, Spacer(1, 4), _para(block.caption, NOTE)]


def _blocks(section: doc.Section) -> list[Any]:
    out: list[Any] = []
    for block in section.blocks:
        if isinstance(block, doc.Paragraph):
            style = {"note": NOTE, "empty": EMPTY}.get(block.tone, BODY)
            out += [_para(block.text, style), Spacer(1, 4)]
        elif isinstance(block, doc.Figures):
            out += _figures(block)
        elif isinstance(block, doc.Table):
            out += _table(block)
        elif isinstance(block, doc.FindingList):
            out += _findings(block)
        elif isinstance(block, doc.Radar):
            out += [radar_drawing(block, size=TEXT_W / 1.6 * 0.9), Spacer(1, 6)]
        elif isinstance(block, doc.Timeline):
            out += [CondPageBreak(60 * mm), timeline_drawing(block, width=TEXT_W), Spacer(1, 8)]
        elif isinstance(block, doc.Picture):
            out += _picture(block)
    return out


def _cover(report: doc.Report) -> list[Any]:
    title = _style(
        "cover", fontName=BOLD, fontSize=28, leading=34, textColor=_c(P.SIDES["internal"].text)
    )
    kicker = _style("kicker", fontName=BOLD, fontSize=12, leading=16, textColor=_c(P.CONTRACT))
    out: list[Any] = [Spacer(1, 60 * mm), _para(report.title.upper(), kicker), Spacer(1, 6)]
    out += [_para(report.organisation, title), Spacer(1, 14 * mm)]
    rows = [[_para(label, SUB), _para(value, BODY)] for label, value in report.cover]
    table = Table(rows, colWidths=[45 * mm, TEXT_W - 45 * mm])
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, _c(P.CONTRACT)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, _c(P.GRID)),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    out.append(table)
    contents = ", ".join(s.title for s in report.sections)
    out += [Spacer(1, 10 * mm), _para(f"Contents: {contents}.", NOTE)]
    return out


def write_pdf(report: doc.Report, target: str | Path) -> None:
    """Write `report` to `target` as an A4 PDF."""
    out = Path(target)
    buffer = io.BytesIO()
    footer = visible(f"{report.organisation} · board report · as of {report.as_of:%d %b %Y}")

    def page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(_c(P.MUTED))
        canvas.setStrokeColor(_c(P.GRID))
        canvas.line(MARGIN + 6, MARGIN - 6, PAGE_W - MARGIN - 6, MARGIN - 6)
        canvas.drawString(MARGIN + 6, MARGIN - 16, footer[:110])
        canvas.drawRightString(PAGE_W - MARGIN - 6, MARGIN - 16, f"Page {document.page}")
        canvas.restoreState()

    def cover_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(_c(P.CONTRACT))
        canvas.rect(0, PAGE_H - 14 * mm, PAGE_W, 14 * mm, stroke=0, fill=1)
        canvas.restoreState()

    frame = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, id="text")
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=visible(f"{report.organisation}: board report"),
        author="ecomraci",
        pageTemplates=[
            PageTemplate("cover", [frame], onPage=cover_page),
            PageTemplate("page", [frame], onPage=page),
        ],
    )
    story: list[Any] = _cover(report)
    story.append(NextPageTemplate("page"))
    for i, section in enumerate(report.sections):
        if section.new_page or i == 0:
            story.append(PageBreak())
        story.append(_para(section.title, H1))
        if section.subtitle:
            story.append(_para(section.subtitle, SUB))
        story.append(Spacer(1, 8))
        story += _blocks(section)
    document.build(story)
    out.write_bytes(buffer.getvalue())
