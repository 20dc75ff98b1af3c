"""Colours, pens and fonts of the sourcing map, shared by the window and the exports.

Fonts are set in pixels so that the drawing scales the same on screen, in SVG, PNG and
PDF; the pixel sizes are the ones `ecomraci.layout` wraps and cuts labels for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

FAMILIES = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "sans-serif"]

TEXT = QColor("#1a202c")
MUTED = QColor("#4a5568")
BACKGROUND = QColor("#ffffff")

LANE = {  # kind -> (band, alternate band, header, header text)
    "internal": (QColor("#f1f6fc"), QColor("#e7effa"), QColor("#cfe0f3"), QColor("#1c3d63")),
    "external": (QColor("#fdf5ec"), QColor("#fbecdd"), QColor("#f7d9bd"), QColor("#6b2d0c")),
    "unassigned": (QColor("#f4f4f4"), QColor("#ececec"), QColor("#dcdcdc"), QColor("#333333")),
}
BOX = {  # kind -> (fill, border)
    "internal": (QColor("#d6e6f8"), QColor("#2c5f93")),
    "external": (QColor("#fde0c5"), QColor("#b0501c")),
    "unassigned": (QColor("#ececec"), QColor("#6b6b6b")),
}
GROUP = {
    "internal": QColor("#2c5f93"),
    "external": QColor("#b0501c"),
    "unassigned": QColor("#6b6b6b"),
}
FRAME = QColor("#23706f")
EDGE = {
    "data-feed": (QColor("#2d3748"), Qt.PenStyle.SolidLine, "data feed"),
    "system-integration": (QColor("#5a3fb0"), Qt.PenStyle.DashLine, "system integration"),
    "process-handoff": (QColor("#2f7d32"), Qt.PenStyle.DotLine, "process hand-off"),
}
STRENGTH = {"strong": 2.6, "medium": 1.6, "weak": 1.0}
LINK = QColor("#8896a8")
FORUM = QColor("#55606e")
SEVERITY = {"error": QColor("#c53030"), "warning": QColor("#d69e2e"), "info": QColor("#3182ce")}
SELECTED = QColor("#f0a000")
# objects a what-if or a comparison changes: the violet the RACI matrix marks its cells with
CHANGED = QColor("#7b2fbf")
CHANGED_TINT = QColor(123, 47, 191, 60)
CHANGED_BAND = QColor(123, 47, 191, 90)
DROP_TARGET = QColor(240, 160, 0, 60)


def font(px: int, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FAMILIES)
    f.setPixelSize(px)
    f.setBold(bold)
    f.setItalic(italic)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f
