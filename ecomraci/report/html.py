"""The report as one self-contained HTML page: inline CSS, the map as an embedded PNG,
the charts as inline SVG (the same drawings as the PDF). Every text from the model is
escaped (`html.escape` of `ecomraci.text.visible`)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from reportlab.graphics import renderSVG

from ecomraci import palette as P
from ecomraci.report import document as doc
from ecomraci.report.charts import radar_drawing, timeline_drawing
from ecomraci.text import visible

TONES = {**P.SEVERITIES, **P.OUTCOMES}


def _t(text: str) -> str:
    return html.escape(visible(text))


def _css() -> str:
    tones = "\n".join(
        f"tr.{name} td {{ background: {s.fill}; }} .sev-{name} {{ color: {s.text}; }}"
        f" .finding.{name} {{ border-left-color: {s.strong}; }}"
        f" .finding.{name} .head {{ background: {s.fill}; }}"
        for name, s in TONES.items()
    )
    return f"""
body {{ font-family: Helvetica, Arial, sans-serif; color: {P.TEXT}; max-width: 60em;
  margin: 2em auto; padding: 0 1.5em; font-size: 10.5pt; line-height: 1.4; }}
h1 {{ color: {P.SIDES["internal"].text}; font-size: 18pt; margin: 1.6em 0 0.1em;
  border-top: 2px solid {P.CONTRACT}; padding-top: 0.6em; }}
h2 {{ font-size: 11.5pt; margin: 1.2em 0 0.3em; }}
.sub, .note {{ color: {P.MUTED}; }}
.empty {{ color: {P.MUTED}; font-weight: bold; }}
.cover {{ padding: 3em 0 2em; border-top: 14px solid {P.CONTRACT}; }}
.cover .kicker {{ color: {P.CONTRACT}; font-weight: bold; letter-spacing: 0.05em; }}
.cover .org {{ font-size: 26pt; font-weight: bold; color: {P.SIDES["internal"].text}; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.3em 0 0.8em; }}
th {{ background: {P.HEADER}; text-align: left; }}
th, td {{ padding: 0.25em 0.5em; border-bottom: 1px solid {P.GRID}; vertical-align: top; }}
.figures {{ display: flex; gap: 4px; }}
.figures div {{ flex: 1; background: {P.TOTALS}; padding: 0.5em 0.7em; }}
.figures b {{ display: block; font-size: 22pt; }}
.finding {{ border-left: 4px solid {P.GRID}; margin: 0 0 0.6em; }}
.finding p {{ margin: 0; padding: 0.25em 0.6em; }}
figure {{ margin: 0.5em 0; }} figure img {{ max-width: 100%; }}
figcaption {{ color: {P.MUTED}; font-size: 9pt; }}
{tones}
"""


def _table(block: doc.Table) -> str:
    out = [f"<h2>{_t(block.title)}</h2>"] if block.title else []
    out.append("<table>")
    if any(block.headers):
        out.append("<tr>" + "".join(f"<th>{_t(h)}</th>" for h in block.headers) + "</tr>")
    for i, row in enumerate(block.rows):
        tone = block.tones[i] if i < len(block.tones) else ""
        cls = f' class="{tone}"' if tone else ""
        out.append(f"<tr{cls}>" + "".join(f"<td>{_t(v)}</td>" for v in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _block(block: doc.Block) -> str:
    if isinstance(block, doc.Paragraph):
        return f'<p class="{block.tone}">{_t(block.text)}</p>'
    if isinstance(block, doc.Figures):
        items = "".join(
            f'<div><b class="sev-{tone}">{value}</b>{_t(label)}</div>'
            for label, value, tone in block.items
        )
        return f'<h2>{_t(block.title)}</h2><div class="figures">{items}</div>'
    if isinstance(block, doc.Table):
        return _table(block)
    if isinstance(block, doc.FindingList):
        out = []
        for first, run in block.groups():
            count = f" ({len(run)} findings)" if len(run) > 1 else ""
            out.append(
                f'<div class="finding {first.severity}">'
                f'<p class="head"><b class="sev-{first.severity}">{first.severity.upper()}</b> '
                f"<b>{_t(first.rule)}</b>{count}</p>"
                f'<p><span class="note">Why:</span> {_t(first.why)}</p>'
            )
            out += [
                f"<p><b>{_t(f.message)}</b><br>"
                f'<span class="note">How to fix:</span> {_t(f.fix)}</p>'
                for f in run
            ]
            out.append("</div>")
        return "\n".join(out)
    if isinstance(block, doc.Radar):
        return f"<figure>{_svg(renderSVG.drawToString(radar_drawing(block)))}</figure>"
    if isinstance(block, doc.Timeline):
        return f"<figure>{_svg(renderSVG.drawToString(timeline_drawing(block, 760)))}</figure>"
    if isinstance(block, doc.Picture):
        data = base64.b64encode(block.png).decode("ascii")
        return (
            f'<figure><img alt="{_t(block.caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_t(block.caption)}</figcaption></figure>"
        )
    raise TypeError(f"unknown block {type(block).__name__}")


def _svg(svg: str) -> str:
    """An SVG document as an inline element (without its XML declaration and doctype)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def to_html(report: doc.Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_t(report.organisation)}: board report</title>",
        f"<style>{_css()}</style></head><body>",
        '<section class="cover">',
        f'<div class="kicker">{_t(report.title.upper())}</div>',
        f'<div class="org">{_t(report.organisation)}</div><table>',
    ]
    parts += [f'<tr><td class="sub">{_t(k)}</td><td>{_t(v)}</td></tr>' for k, v in report.cover]
    parts.append("</table></section>")
    for section in report.sections:
        parts.append(f"<section><h1>{_t(section.title)}</h1>")
        if section.subtitle:
            parts.append(f'<p class="sub">{_t(section.subtitle)}</p>')
        parts += [_block(b) for b in section.blocks]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(report: doc.Report, target: str | Path) -> None:
    Path(target).write_text(to_html(report), encoding="utf-8")
