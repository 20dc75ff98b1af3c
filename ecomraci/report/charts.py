"""The report's charts as reportlab drawings (vector graphics): the maturity radar and
the contract timeline. The PDF places them as they are; the HTML page gets them as SVG
(`reportlab.graphics.renderSVG`), so both show the same picture."""

from __future__ import annotations

import math
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib.colors import HexColor

from ecomraci import palette as P
from ecomraci.report.document import Radar, Timeline
from ecomraci.text import visible

FONT, BOLD = "Helvetica", "Helvetica-Bold"

EVENT_COLOURS = {
    "notice": P.SEVERITIES["warning"].strong,
    "renewal": P.LETTERS["R"].strong,
    "end": P.SEVERITIES["error"].strong,
    "exit": P.OUTCOMES["better"].strong,
    "other": P.FORUM,
}
EVENT_WORDS = {
    "notice": "last day to give notice",
    "renewal": "end of a renewed term",
    "end": "end of term",
    "exit": "earliest exit",
    "other": "re-test, hand-over, attestation",
}


def _c(colour: str) -> HexColor:
    return HexColor(colour)


def radar_drawing(radar: Radar, size: float = 300) -> Drawing:
    """Five spokes, rings for levels 1 to 5, the assessed levels as a filled polygon and
    the next target as a dashed ring."""
    width, height = size * 1.6, size
    d = Drawing(width, height)
    cx, cy, r = width / 2, height / 2, size * 0.36
    n = len(radar.levels)

    def point(i: int, level: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * i / n
        return cx + r * level / 5 * math.cos(angle), cy + r * level / 5 * math.sin(angle)

    for level in range(1, 6):
        pts = [c for i in range(n) for c in point(i, level)]
        d.add(Polygon(pts, fillColor=None, strokeColor=_c(P.GRID), strokeWidth=0.6))
        x, y = point(0, level)
        d.add(String(x + 3, y - 3, str(level), fontName=FONT, fontSize=7, fillColor=_c(P.MUTED)))
    for i, (name, level) in enumerate(radar.levels):
        x, y = point(i, 5)
        d.add(Line(cx, cy, x, y, strokeColor=_c(P.GRID), strokeWidth=0.6))
        lx, ly = point(i, 5.7)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        label = f"{name}: {level}" if level else f"{name}: not assessed"
        d.add(
            String(
                lx,
                ly - 3,
                label,
                fontName=FONT,
                fontSize=9,
                fillColor=_c(P.TEXT),
                textAnchor=anchor,
            )
        )
    if radar.target is not None:
        pts = [c for i in range(n) for c in point(i, radar.target)]
        d.add(
            Polygon(
                pts,
                fillColor=None,
                strokeColor=_c(P.SEVERITIES["warning"].strong),
                strokeWidth=1,
                strokeDashArray=[3, 2],
            )
        )
    pts = [c for i, (_, level) in enumerate(radar.levels) for c in point(i, level)]
    side = P.SIDES["internal"]
    d.add(
        Polygon(
            pts,
            fillColor=_c(side.fill),
            fillOpacity=0.7,
            strokeColor=_c(side.strong),
            strokeWidth=1.6,
        )
    )
    for i, (_, level) in enumerate(radar.levels):
        x, y = point(i, level)
        d.add(Circle(x, y, 2.4, fillColor=_c(side.strong), strokeColor=None))
    # legend
    d.add(Rect(6, 8, 10, 8, fillColor=_c(side.fill), strokeColor=_c(side.strong)))
    d.add(String(20, 9, "assessed level", fontName=FONT, fontSize=8, fillColor=_c(P.TEXT)))
    if radar.target is not None:
        d.add(
            Line(
                90,
                12,
                104,
                12,
                strokeColor=_c(P.SEVERITIES["warning"].strong),
                strokeDashArray=[3, 2],
            )
        )
        d.add(
            String(
                108,
                9,
                f"next target ({radar.target})",
                fontName=FONT,
                fontSize=8,
                fillColor=_c(P.TEXT),
            )
        )
    return d


def _fit(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _months(first: date, last: date) -> list[date]:
    out: list[date] = []
    y, m = first.year, first.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        day = date(y, m, 1)
        if day > last:
            return out
        out.append(day)


def timeline_drawing(timeline: Timeline, width: float = 480) -> Drawing:
    """One row per contract: its term as a bar, its dated events as marks, the as-of
    date as a line; quarters marked along the top."""
    label_w, row_h, top, bottom = 150, 22, 26, 30
    rows = timeline.rows
    height = top + row_h * len(rows) + bottom
    d = Drawing(width, height)
    x0, x1 = label_w, width - 6
    span = (timeline.last - timeline.first).days or 1

    def x(day: date) -> float:
        return x0 + (x1 - x0) * (day - timeline.first).days / span

    def clip(day: date) -> float:
        return min(max(x(day), x0), x1)

    y_top = height - top
    for month in _months(timeline.first, timeline.last):
        xm = x(month)
        quarter = month.month in (1, 4, 7, 10)
        d.add(
            Line(
                xm,
                bottom - 4,
                xm,
                y_top,
                strokeColor=_c(P.GRID),
                strokeWidth=0.6 if quarter else 0.25,
            )
        )
        if quarter:
            d.add(
                String(
                    xm + 2,
                    y_top + 6,
                    f"{month:%b %Y}",
                    fontName=FONT,
                    fontSize=7,
                    fillColor=_c(P.MUTED),
                )
            )
    for i, row in enumerate(rows):
        yc = y_top - row_h * i - row_h / 2
        d.add(
            String(
                4,
                yc - 3,
                _fit(visible(row.name), 30),
                fontName=FONT,
                fontSize=8,
                fillColor=_c(P.TEXT),
            )
        )
        if (
            row.end is not None
            and row.end >= timeline.first
            and (row.start or timeline.first) <= timeline.last
        ):
            start = clip(row.start or timeline.first)
            end = clip(row.end)
            d.add(
                Rect(
                    start,
                    yc - 5,
                    max(end - start, 1),
                    10,
                    fillColor=_c(P.mix(P.CONTRACT, P.WHITE, 0.75)),
                    strokeColor=_c(P.CONTRACT),
                    strokeWidth=0.6,
                )
            )
        elif row.end is None and not row.events:  # a word, where no mark covers it
            d.add(
                String(
                    x0 + 4, yc - 3, "no end date", fontName=FONT, fontSize=7, fillColor=_c(P.MUTED)
                )
            )
        later = False
        for e in row.events:
            if e.day > timeline.last:
                later = True
                continue
            if e.day < timeline.first:
                continue
            xe = x(e.day)
            colour = _c(EVENT_COLOURS.get(e.kind, P.FORUM))
            if e.kind == "notice":
                d.add(
                    Polygon(
                        [xe, yc + 7, xe + 5, yc, xe, yc - 7, xe - 5, yc],
                        fillColor=colour,
                        strokeColor=_c(P.WHITE),
                        strokeWidth=0.5,
                    )
                )
            elif e.kind == "exit":
                d.add(Circle(xe, yc, 4, fillColor=colour, strokeColor=_c(P.WHITE), strokeWidth=0.5))
            else:
                d.add(Rect(xe - 1.5, yc - 8, 3, 16, fillColor=colour, strokeColor=None))
        if later:
            d.add(
                String(
                    x1,
                    yc - 3,
                    "later ›",
                    fontName=FONT,
                    fontSize=7,
                    fillColor=_c(P.MUTED),
                    textAnchor="end",
                )
            )
    xt = x(timeline.as_of)
    d.add(Line(xt, bottom - 6, xt, y_top + 2, strokeColor=_c(P.ACCENT), strokeWidth=1.2))
    d.add(
        String(
            xt,
            bottom - 16,
            "today",
            fontName=BOLD,
            fontSize=7,
            fillColor=_c(P.ACCENT),
            textAnchor="middle",
        )
    )
    # legend
    lx = 4.0
    kinds = {e.kind for row in rows for e in row.events}
    for kind in [k for k in EVENT_WORDS if k in kinds or k in ("notice", "end")]:
        colour = _c(EVENT_COLOURS[kind])
        if kind == "notice":
            d.add(
                Polygon(
                    [lx + 4, 9, lx + 8, 5, lx + 4, 1, lx, 5], fillColor=colour, strokeColor=None
                )
            )
        elif kind == "exit":
            d.add(Circle(lx + 4, 5, 4, fillColor=colour, strokeColor=None))
        else:
            d.add(Rect(lx + 2.5, 0, 3, 10, fillColor=colour, strokeColor=None))
        d.add(
            String(lx + 12, 2, EVENT_WORDS[kind], fontName=FONT, fontSize=7, fillColor=_c(P.TEXT))
        )
        lx += 16 + len(EVENT_WORDS[kind]) * 3.6
    return d
