"""Colours, pens and fonts of the sourcing map, shared by the window and the exports.

Every colour comes from `ecomraci.palette`, the table the matrix, the workbook and the
report read too: an internal team is the same blue everywhere.

Fonts are set in pixels so that the drawing scales the same on screen, in SVG, PNG and
PDF; the pixel sizes are the ones `ecomraci.layout` wraps and cuts labels for.
"""

from __future__ import annotations

from ecomraci import palette

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

FAMILIES = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "sans-serif"]

TEXT = QColor(palette.TEXT)
MUTED = QColor(palette.MUTED)
BACKGROUND = QColor(palette.WHITE)
ON_MARK = QColor(palette.WHITE)  # the glyphs and outlines on a marker, a flag or a tab


def _lane(side: palette.Swatch) -> tuple[QColor, QColor, QColor, QColor]:
    """A lane's band, alternate band, header and header text: tints of the side's fill,
    so that its boxes (the fill itself) stand out on the band."""
    return (
        QColor(palette.mix(side.fill, palette.WHITE, 0.6)),
        QColor(palette.mix(side.fill, palette.WHITE, 0.35)),
        QColor(palette.mix(side.fill, side.strong, 0.12)),
        QColor(side.text),
    )


SIDES = ("internal", "external", "unassigned")
LANE = {kind: _lane(palette.SIDES[kind]) for kind in SIDES}  # kind -> (band, alt, header, text)
BOX = {  # kind -> (fill, border)
    kind: (QColor(palette.SIDES[kind].fill), QColor(palette.SIDES[kind].strong)) for kind in SIDES
}
GROUP = {kind: QColor(palette.SIDES[kind].strong) for kind in SIDES}
FRAME = QColor(palette.CONTRACT)
_EDGE_STYLE = {
    "data-feed": (Qt.PenStyle.SolidLine, "data feed"),
    "system-integration": (Qt.PenStyle.DashLine, "system integration"),
    "process-handoff": (Qt.PenStyle.DotLine, "process hand-off"),
}
EDGE = {
    kind: (QColor(palette.DEPENDENCIES[kind]), pen, words)
    for kind, (pen, words) in _EDGE_STYLE.items()
}
STRENGTH = {"strong": 2.6, "medium": 1.6, "weak": 1.0}
LINK = QColor(palette.mix(palette.MUTED, palette.WHITE, 0.3))  # a co-sourced box's link
FORUM = QColor(palette.FORUM)
SEVERITY = {s: QColor(swatch.strong) for s, swatch in palette.SEVERITIES.items()}
SELECTED = QColor(palette.SELECTION)
# objects a what-if or a comparison changes: the accent the RACI matrix marks its cells with
CHANGED = QColor(palette.ACCENT)


def _alpha(colour: str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


CHANGED_TINT = _alpha(palette.ACCENT, 60)
CHANGED_BAND = _alpha(palette.ACCENT, 90)
DROP_TARGET = _alpha(palette.SELECTION, 60)


def font(px: int, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FAMILIES)
    f.setPixelSize(px)
    f.setBold(bold)
    f.setItalic(italic)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f
