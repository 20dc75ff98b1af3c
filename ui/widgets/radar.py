"""A radar (spider) chart painted with QPainter: one axis per dimension, rings for the
levels, the assessed values as a filled polygon and a target as a dashed outline."""

from __future__ import annotations

import math

from ecomraci import palette

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

# the assessed level in the info blue, the target in the warning amber (`ecomraci.palette`)
VALUE_COLOUR = QColor(palette.SEVERITIES["info"].strong)
TARGET_COLOUR = QColor(palette.SEVERITIES["warning"].strong)
LABEL_AT = 1.08  # an axis's label sits this far out, in outer-ring radii


class RadarChart(QWidget):
    def __init__(self, parent: QWidget | None = None, maximum: int = 5):
        super().__init__(parent)
        self.maximum = maximum
        self.axes: list[str] = []
        self.values: list[float | None] = []
        self.target: list[float] | None = None
        self.value_label = "Assessed"
        self.target_label = "Target"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 240)

    def sizeHint(self) -> QSize:
        return QSize(420, 360)

    def set_data(
        self,
        axes: list[str],
        values: list[float | None],
        target: list[float] | None = None,
        value_label: str = "Assessed",
        target_label: str = "Target",
    ) -> None:
        self.axes, self.values, self.target = list(axes), list(values), target
        self.value_label, self.target_label = value_label, target_label
        self.setToolTip(
            "\n".join(
                f"{a}: {'not assessed' if v is None else f'level {v:g}'}"
                + ("" if target is None else f" (target {target[i]:g})")
                for i, (a, v) in enumerate(zip(axes, values))
            )
        )
        self.update()

    # --- geometry -----------------------------------------------------------------

    def _lines(self, label: str) -> list[str]:
        """An axis label on one line, or wrapped at words to a sixth of the chart's
        width (a narrow label leaves the rings more room)."""
        fm = self.fontMetrics()
        limit = self.width() / 6
        if fm.horizontalAdvance(label) <= limit or " " not in label:
            return [label]
        words = label.split()
        lines = [words[0]]
        for word in words[1:]:
            joined = f"{lines[-1]} {word}"
            if fm.horizontalAdvance(joined) <= limit:
                lines[-1] = joined
            else:
                lines.append(word)
        return lines

    def plot_rect(self) -> QRectF:
        """The square the rings are drawn in (labels and legend sit around it): as big
        as the height allows, less the room each axis's label needs beside its end (a
        label at the top or bottom needs none sideways)."""
        fm = self.fontMetrics()
        top = fm.height() * 2.2
        bottom = fm.height() * 3.2
        radius = (self.height() - top - bottom) / 2
        n = max(1, len(self.axes))
        for i, label in enumerate(self.axes):
            sideways = abs(math.cos(-math.pi / 2 + 2 * math.pi * i / n))
            if sideways < 0.05:
                continue
            width = max(fm.horizontalAdvance(line) for line in self._lines(label)) + 8
            radius = min(radius, (self.width() / 2 - width) / (LABEL_AT * sideways))
        side = max(10.0, 2 * radius)
        return QRectF(
            (self.width() - side) / 2, top + (self.height() - top - bottom - side) / 2, side, side
        )

    def _point(self, rect: QRectF, axis: int, value: float) -> QPointF:
        angle = -math.pi / 2 + 2 * math.pi * axis / max(1, len(self.axes))
        r = rect.width() / 2 * value / self.maximum
        return QPointF(
            rect.center().x() + r * math.cos(angle), rect.center().y() + r * math.sin(angle)
        )

    # --- painting -----------------------------------------------------------------

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        n = len(self.axes)
        if n < 3:
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing to chart")
            return
        rect = self.plot_rect()
        text = pal.color(QPalette.ColorRole.Text)
        grid = QColor(text)
        grid.setAlpha(60)
        # rings, one per level, with the level number on the first axis
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.8))
        for level in range(1, self.maximum + 1):
            ring = QPolygonF([self._point(rect, i, level) for i in range(n)])
            p.setPen(QPen(grid, 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolygon(ring)
            p.setFont(small)
            p.setPen(QColor(text.red(), text.green(), text.blue(), 140))
            at = self._point(rect, 0, level)
            p.drawText(QPointF(at.x() + 4, at.y() + 4), str(level))
        p.setFont(self.font())
        for i in range(n):
            p.setPen(QPen(grid, 1))
            p.drawLine(rect.center(), self._point(rect, i, self.maximum))
        # target: dashed outline
        if self.target:
            pen = QPen(TARGET_COLOUR, 2, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolygon(QPolygonF([self._point(rect, i, v) for i, v in enumerate(self.target)]))
        # assessed values: filled polygon (unassessed axes count as 0)
        points = [self._point(rect, i, v or 0) for i, v in enumerate(self.values)]
        fill = QColor(VALUE_COLOUR)
        fill.setAlpha(70)
        p.setPen(QPen(VALUE_COLOUR, 2))
        p.setBrush(QBrush(fill))
        p.drawPolygon(QPolygonF(points))
        p.setBrush(QBrush(VALUE_COLOUR))
        for pt, v in zip(points, self.values):
            if v:
                p.drawEllipse(pt, 3.5, 3.5)
        # axis labels outside the outer ring
        fm = self.fontMetrics()
        p.setPen(text)
        for i, label in enumerate(self.axes):
            lines = self._lines(label)
            at = self._point(rect, i, self.maximum * LABEL_AT)
            w = max(fm.horizontalAdvance(line) for line in lines)
            h = fm.height() * len(lines)
            dx = at.x() - rect.center().x()
            if abs(dx) < 1:
                x, align = at.x() - w / 2, Qt.AlignmentFlag.AlignHCenter
            elif dx > 0:
                x, align = at.x(), Qt.AlignmentFlag.AlignLeft
            else:
                x, align = at.x() - w, Qt.AlignmentFlag.AlignRight
            y = at.y() - h if at.y() < rect.center().y() - 1 else at.y()
            if i == 0 or abs(at.y() - rect.center().y()) < rect.height() / 3:
                y = at.y() - h / 2 if i else at.y() - h
            p.drawText(
                QRectF(x, y, w + 2, h), align | Qt.AlignmentFlag.AlignVCenter, "\n".join(lines)
            )
        self._legend(p, fm)
        p.end()

    def _legend(self, p: QPainter, fm) -> None:
        y = self.height() - fm.height() * 1.3
        x = 8.0
        fill = QColor(VALUE_COLOUR)
        fill.setAlpha(70)
        p.setPen(QPen(VALUE_COLOUR, 2))
        p.setBrush(fill)
        p.drawRect(QRectF(x, y - 9, 14, 10))
        p.setPen(self.palette().color(QPalette.ColorRole.Text))
        p.drawText(QPointF(x + 20, y), self.value_label)
        if self.target:
            x += 20 + fm.horizontalAdvance(self.value_label) + 24
            p.setPen(QPen(TARGET_COLOUR, 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, y - 4), QPointF(x + 18, y - 4))
            p.setPen(self.palette().color(QPalette.ColorRole.Text))
            p.drawText(QPointF(x + 24, y), self.target_label)
