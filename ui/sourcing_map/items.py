"""Graphics items of the sourcing map. They are passive: each paints one piece of the
core's `MapLayout` and carries the id of the model object it shows (`subject`); the view
turns gestures on them into commands."""

from __future__ import annotations

import math

from ecomraci import layout as geo
from ui.sourcing_map import style

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem

MARK_R = 8.0
GLYPH_MIN_PX = 4.0  # a marker's radius on screen below which its glyph is left out
FLAG_TEXT = "changed"
FLAG_H = 16.0
FLAG_W = 62.0  # room for the flag's text at its pixel size, with padding
CHANGED_PEN = 3.5  # the dashed outline of an item a what-if or comparison changes
NOTES_SHOWN = 8


def qrect(r: geo.Rect) -> QRectF:
    return QRectF(r.x, r.y, r.w, r.h)


def draw_marker(painter: QPainter, centre: QPointF, severity: str, count: int = 1) -> None:
    """A severity marker: red circle (error), amber triangle (warning), blue circle (info)."""
    color = style.SEVERITY[severity]
    painter.save()
    painter.setPen(QPen(style.ON_MARK, 1.6))
    painter.setBrush(color)
    if severity == "warning":
        r = MARK_R + 1.5
        tri = QPolygonF(
            [
                QPointF(centre.x(), centre.y() - r),
                QPointF(centre.x() + r, centre.y() + r * 0.8),
                QPointF(centre.x() - r, centre.y() + r * 0.8),
            ]
        )
        painter.drawPolygon(tri)
        glyph, glyph_rect = "!", QRectF(centre.x() - r, centre.y() - r * 0.45, 2 * r, r * 1.3)
        painter.setPen(style.TEXT)
    else:
        painter.drawEllipse(centre, MARK_R, MARK_R)
        glyph = "!" if severity == "error" else "i"
        glyph_rect = QRectF(centre.x() - MARK_R, centre.y() - MARK_R, 2 * MARK_R, 2 * MARK_R)
        painter.setPen(style.ON_MARK)
    # Below a few pixels on screen (a big map fitted to the window) the glyph and the
    # count cannot be read: the coloured shape says it, and text is most of the cost of
    # painting thousands of markers.
    if math.sqrt(abs(painter.worldTransform().determinant())) * MARK_R < GLYPH_MIN_PX:
        painter.restore()
        return
    painter.setFont(style.font(11, bold=True))
    painter.drawText(glyph_rect, Qt.AlignmentFlag.AlignCenter, glyph)
    if count > 1:
        painter.setPen(style.TEXT)
        painter.setFont(style.font(10, bold=True))
        painter.drawText(
            QRectF(centre.x() + MARK_R + 1, centre.y() - MARK_R, 24, 2 * MARK_R),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            str(count),
        )
    painter.restore()


def changed_pen(painter: QPainter, width: float = CHANGED_PEN) -> QPen:
    return line_pen(painter, style.CHANGED, width, Qt.PenStyle.DashLine)


def _bullets(title: str, lines: list[str]) -> str:
    shown = lines[:NOTES_SHOWN]
    more = f"\n… and {len(lines) - NOTES_SHOWN} more" if len(lines) > NOTES_SHOWN else ""
    return f"\n\n{title}" + "\n".join(f"• {m}" for m in shown) + more


class MapItem(QGraphicsItem):
    """Common part: the subject it shows, the findings on it, and whether a what-if or
    a comparison changes it (`changed`, with `change_notes` saying how)."""

    kind = ""  # party, function, contract, dependency, forum

    def __init__(self, subject: str, tip: str):
        super().__init__()
        self.subject = subject
        self.base_tip = tip
        self.severity: str | None = None
        self.messages: list[str] = []
        self.changed = False
        self.change_notes: list[str] = []
        self.setToolTip(tip)
        self.setAcceptHoverEvents(True)

    def _show_tip(self) -> None:
        # Written when the pointer reaches the item (or someone reads toolTip()): a
        # check of a big model would otherwise word thousands of findings at once.
        self._tip_dirty = True

    def _write_tip(self) -> None:
        if not getattr(self, "_tip_dirty", False):
            return
        self._tip_dirty = False
        tip = self.base_tip
        if self.changed:
            tip += _bullets("Changed:\n", self.change_notes) if self.change_notes else "\n\nChanged"
        if self.messages:
            tip += _bullets("", self.messages)
        self.setToolTip(tip)

    def toolTip(self) -> str:  # noqa: N802 - Qt's name
        self._write_tip()
        return super().toolTip()

    def hoverEnterEvent(self, event) -> None:
        self._write_tip()
        super().hoverEnterEvent(event)

    def set_tip(self, tip: str) -> None:
        """A new tooltip for what the item shows (the lines of findings and changes
        follow it); written when next shown."""
        if tip != self.base_tip:
            self.base_tip = tip
            self._show_tip()

    def set_findings(self, severity: str | None, messages: list[str]) -> None:
        if severity == self.severity and messages == self.messages:
            return
        self.severity, self.messages = severity, list(messages)
        self._show_tip()
        self.update()

    def set_changed(self, notes: list[str] | None) -> None:
        """Mark the item as changed (notes: how, for the tooltip), or unmark it (None).
        The scene puts a `FlagItem` at `flag_at`."""
        changed, notes = notes is not None, list(notes or [])
        if changed == self.changed and notes == self.change_notes:
            return
        self.changed, self.change_notes = changed, notes
        self._show_tip()
        self.update()

    def flag_at(self) -> QPointF:
        """Top left corner of the "changed" flag."""
        return self.boundingRect().topLeft()


class FlagItem(QGraphicsItem):
    """The violet "changed" tag of an item a what-if or a comparison changes; above
    everything else, so that no arrow or contract tab hides it."""

    def __init__(self, owner: MapItem):
        super().__init__()
        self.owner = owner
        at = owner.flag_at()
        self.rect = QRectF(at.x(), at.y(), FLAG_W, FLAG_H)
        self.setZValue(6)
        self.setToolTip(owner.toolTip())

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(QPen(style.ON_MARK, 1.2))
        painter.setBrush(style.CHANGED)
        painter.drawRoundedRect(self.rect, 4, 4)
        painter.setPen(style.ON_MARK)
        painter.setFont(style.font(11, bold=True))
        painter.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, FLAG_TEXT)


class LaneItem(MapItem):
    kind = "party"

    def __init__(self, lane: geo.Lane, tip: str):
        super().__init__(lane.party, tip)
        self.lane = lane
        self.setZValue(0)
        if lane.kind != "unassigned":
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.highlight = False

    def boundingRect(self) -> QRectF:
        return qrect(self.lane.rect).adjusted(-1, -1, 1, 1)

    def shape(self) -> QPainterPath:  # only the header takes clicks
        path = QPainterPath()
        path.addRect(qrect(self.lane.header))
        return path

    def flag_at(self) -> QPointF:
        h = self.lane.header
        return QPointF(h.right - FLAG_W - 6, h.bottom - FLAG_H - 6)

    def set_highlight(self, on: bool) -> None:
        if on != self.highlight:
            self.highlight = on
            self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        lane = self.lane
        band, alternate, header, header_text = style.LANE[lane.kind]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(band if lane.index % 2 == 0 else alternate)
        painter.drawRect(qrect(lane.rect))
        if self.highlight:
            painter.setBrush(style.DROP_TARGET)
            painter.drawRect(qrect(lane.rect))
        painter.setBrush(header)
        painter.drawRect(qrect(lane.header))
        painter.setPen(QPen(style.BACKGROUND, 1.5))
        painter.drawLine(
            QPointF(lane.rect.x, lane.rect.bottom), QPointF(lane.rect.right, lane.rect.bottom)
        )
        h = lane.header
        lines = lane.title_lines
        block = len(lines) * 18 + 16
        y = h.y + max(6.0, (h.h - block) / 2)
        painter.setPen(header_text)
        painter.setFont(style.font(geo.FONT_LANE, bold=True))
        for line in lines:
            painter.drawText(
                QRectF(h.x + 10, y, h.w - 20, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            y += 18
        painter.setFont(style.font(geo.FONT_LANE_NOTE))
        painter.setPen(style.MUTED)
        painter.drawText(
            QRectF(h.x + 10, y + 1, h.w - 20, 15),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            lane.note,
        )
        if self.isSelected():
            painter.setPen(QPen(style.SELECTED, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(qrect(h).adjusted(1.5, 1.5, -1.5, -1.5))
        if self.changed:
            painter.setPen(changed_pen(painter))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(qrect(lane.rect).adjusted(2, 2, -2, -2))
        if self.severity:
            draw_marker(painter, QPointF(h.right - 14, h.y + 13), self.severity, len(self.messages))


class BoxItem(MapItem):
    kind = "function"

    def __init__(self, box: geo.Box, tip: str):
        super().__init__(box.function, tip)
        self.box = box
        self.setZValue(4)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.drop_target = False
        self.hovered = False

    @property
    def key(self) -> str:
        return self.box.key

    def boundingRect(self) -> QRectF:
        return qrect(self.box.rect).adjusted(-MARK_R - 4, -MARK_R - 4, MARK_R + 26, MARK_R + 4)

    def flag_at(self) -> QPointF:
        return QPointF(self.box.rect.x + 8, self.box.rect.y - FLAG_H - 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(qrect(self.box.rect), 6, 6)
        return path

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        self.update()
        super().hoverLeaveEvent(event)

    def set_drop_target(self, on: bool) -> None:
        if on != self.drop_target:
            self.drop_target = on
            self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        b = self.box
        r = qrect(b.rect)
        fill, border = style.BOX[b.kind]
        if self.changed:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.CHANGED_TINT)
            painter.drawRoundedRect(r.adjusted(-7, -7, 7, 7), 10, 10)
        if self.isSelected() or self.drop_target:
            painter.setPen(QPen(style.SELECTED, 6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(r, 6, 6)
        if self.changed:
            painter.setPen(changed_pen(painter))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(r.adjusted(-6, -6, 6, 6), 10, 10)
        painter.setPen(QPen(border, 2.8 if b.critical else 1.3))
        painter.setBrush(fill)
        painter.drawRoundedRect(r, 6, 6)
        t = b.text_rect
        note_h = 14 if b.note else 0
        block = len(b.lines) * geo.LINE_H + note_h
        y = t.y + (t.h - block) / 2
        painter.setPen(style.TEXT)
        painter.setFont(style.font(geo.FONT_BOX))
        for line in b.lines:
            painter.drawText(QRectF(t.x, y, t.w, geo.LINE_H), Qt.AlignmentFlag.AlignCenter, line)
            y += geo.LINE_H
        if b.note:
            painter.setPen(style.MUTED)
            painter.setFont(style.font(geo.FONT_BOX_NOTE, italic=True))
            painter.drawText(QRectF(t.x, y, t.w, note_h), Qt.AlignmentFlag.AlignCenter, b.note)
        if self.hovered:  # the handle to drag a new dependency from
            painter.setPen(QPen(style.ON_MARK, 1.5))
            painter.setBrush(style.SELECTED)
            painter.drawEllipse(QPointF(b.rect.right, b.rect.center[1]), 5.5, 5.5)
        if self.severity:
            draw_marker(painter, QPointF(b.rect.right, b.rect.y), self.severity, len(self.messages))


class FrameItem(MapItem):
    """A contract: the label tab, drawn above the arrows, is what takes clicks; the dashed
    outline around the covered functions is a `FrameOutlineItem` below them."""

    kind = "contract"
    LINE = 13

    def __init__(self, frame: geo.Frame, tip: str):
        super().__init__(frame.contract, tip)
        self.frame = frame
        self.setZValue(5)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.tab = self._measure()
        self.outline = FrameOutlineItem(self)

    def _measure(self) -> QRectF:
        """The tab: as wide as the label needs, within the room the frame gives it."""
        frame = self.frame
        metrics = QFontMetricsF(style.font(geo.FONT_FRAME, bold=True))
        lr = frame.label_rect
        text_w = max(metrics.horizontalAdvance(line) for line in frame.label)
        return QRectF(
            lr.x, lr.y, min(lr.w, text_w + geo.FRAME_TEXT_PAD), len(frame.label) * self.LINE + 4
        )

    def relabel(self) -> None:
        """The frame's label changed: fit the tab to it (the frame stays where it is)."""
        self.prepareGeometryChange()
        self.tab = self._measure()
        self.update()

    def boundingRect(self) -> QRectF:
        return self.tab.adjusted(-2, -MARK_R - 4, 2 * MARK_R + 30, MARK_R + 2)

    def set_changed(self, notes: list[str] | None) -> None:
        super().set_changed(notes)
        self.outline.update()

    def flag_at(self) -> QPointF:
        """Right of the tab, after a finding's marker."""
        x = self.tab.right() + (2 * MARK_R + 16 if self.severity else 6)
        return QPointF(x, self.tab.y() + 1)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.tab, 4, 4)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(QPen(style.SELECTED, 3) if self.isSelected() else Qt.PenStyle.NoPen)
        painter.setBrush(style.FRAME)
        painter.drawRoundedRect(self.tab, 4, 4)
        painter.setPen(style.ON_MARK)
        painter.setFont(style.font(geo.FONT_FRAME, bold=True))
        pad = geo.FRAME_TEXT_PAD / 2
        for i, line in enumerate(self.frame.label):
            painter.drawText(
                QRectF(
                    self.tab.x() + pad,
                    self.tab.y() + 2 + i * self.LINE,
                    self.tab.width() - 2 * pad + 2,
                    self.LINE,
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
        if self.severity:
            draw_marker(
                painter,
                QPointF(self.tab.right() + MARK_R + 2, self.tab.y() + MARK_R),
                self.severity,
                len(self.messages),
            )


class FrameOutlineItem(QGraphicsItem):
    def __init__(self, tab: FrameItem):
        super().__init__()
        self.tab = tab
        self.setZValue(1)

    def boundingRect(self) -> QRectF:
        return qrect(self.tab.frame.rect).adjusted(-8, -8, 8, 8)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        tint = QColor(style.FRAME)
        tint.setAlpha(20)
        painter.setBrush(tint)
        selected = self.tab.isSelected()
        painter.setPen(
            QPen(
                style.SELECTED if selected else style.FRAME,
                3.5 if selected else 1.6,
                Qt.PenStyle.DashLine,
            )
        )
        painter.drawRoundedRect(qrect(self.tab.frame.rect), 8, 8)
        if self.tab.changed:  # a second, violet outline just outside the contract's own
            painter.setPen(changed_pen(painter))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(qrect(self.tab.frame.rect).adjusted(-4, -4, 4, 4), 11, 11)


# in pen widths: long dashes and spaced dots, fewer pieces to stroke than Qt's own
DASHES = {Qt.PenStyle.DashLine: [5.0, 3.0], Qt.PenStyle.DotLine: [1.2, 2.4]}


def line_pen(painter: QPainter, color: QColor, width: float, pen_style) -> QPen:
    """A pen for a map line. Dashed lines on a raster device (the window, PNG) use a
    cosmetic pen of the same drawn width: Qt's raster engine strokes those several
    times faster, and long dashed arrows otherwise dominate the painting time."""
    pen = QPen(color, width, pen_style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if pen_style in DASHES:
        pen.setDashPattern(DASHES[pen_style])
    if (
        pen_style != Qt.PenStyle.SolidLine
        and painter.paintEngine().type() == QPaintEngine.Type.Raster
    ):
        scale = math.sqrt(abs(painter.worldTransform().determinant())) or 1.0
        pen.setWidthF(width * scale)
        pen.setCosmetic(True)
    return pen


CORNER_R = 7.0  # the radius of an arrow's rounded corners


def rounded_path(points: list[tuple[float, float]], radius: float = CORNER_R) -> QPainterPath:
    """A polyline with its corners rounded."""
    pts = [QPointF(*p) for p in points]
    path = QPainterPath(pts[0])
    for prev, corner, nxt in zip(pts, pts[1:], pts[2:]):
        d_in = math.hypot(corner.x() - prev.x(), corner.y() - prev.y())
        d_out = math.hypot(nxt.x() - corner.x(), nxt.y() - corner.y())
        r = min(radius, d_in / 2, d_out / 2)
        if r < 0.5:
            path.lineTo(corner)
            continue
        a = corner + (prev - corner) * (r / d_in)
        b = corner + (nxt - corner) * (r / d_out)
        path.lineTo(a)
        path.quadTo(corner, b)
    path.lineTo(pts[-1])
    return path


def arrow_head(tip: QPointF, towards_from: QPointF, size: float) -> QPolygonF:
    angle = math.atan2(tip.y() - towards_from.y(), tip.x() - towards_from.x())
    left = QPointF(tip.x() - size * math.cos(angle - 0.42), tip.y() - size * math.sin(angle - 0.42))
    right = QPointF(
        tip.x() - size * math.cos(angle + 0.42), tip.y() - size * math.sin(angle + 0.42)
    )
    return QPolygonF([tip, left, right])


class EdgeItem(MapItem):
    kind = "dependency"

    def __init__(self, edge: geo.Edge, tip: str):
        super().__init__(edge.id, tip)
        self.edge = edge
        self.setZValue(3)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        pts = list(edge.points)
        tip, before = QPointF(*pts[-1]), QPointF(*pts[-2])
        self.width = style.STRENGTH.get(edge.strength, 1.8)
        self.head_size = 9 + self.width * 1.6
        self.head = arrow_head(tip, before, self.head_size)
        # end the line inside the arrow head, so a thick line does not poke through it
        back = math.hypot(tip.x() - before.x(), tip.y() - before.y()) or 1.0
        shorten = min(self.head_size * 0.6, back)
        end = tip - (tip - before) * (shorten / back)
        self._points = pts[:-1] + [(end.x(), end.y())]
        # The rounded path and the stroke the mouse hits are made when first needed: a
        # big map has thousands of arrows, and at Fit, where all of them show, their
        # corners are below a pixel and a plain polyline draws them.
        self._path: QPainterPath | None = None
        self._polyline: QPolygonF | None = None
        self._shape: QPainterPath | None = None
        xs, ys = [x for x, _ in self._points], [y for _, y in self._points]
        self._bounds = (
            QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
            .united(self.head.boundingRect())
            .adjusted(-5 - MARK_R - 4, -5 - MARK_R - 4, 5 + MARK_R + 26, 5 + MARK_R + 4)
        )

    @property
    def path(self) -> QPainterPath:
        if self._path is None:
            self._path = rounded_path(self._points)
        return self._path

    def _line(self, painter: QPainter) -> None:
        """The arrow's line: rounded where its corners show, a polyline where they do
        not (the radius under a pixel on screen)."""
        scale = math.sqrt(abs(painter.worldTransform().determinant()))
        if scale * CORNER_R >= 1.0:
            painter.drawPath(self.path)
            return
        if self._polyline is None:
            self._polyline = QPolygonF([QPointF(x, y) for x, y in self._points])
        painter.drawPolyline(self._polyline)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            self._shape = stroker.createStroke(self.path)
            self._shape.addPolygon(self.head)
        return self._shape

    def set_changed(self, notes: list[str] | None) -> None:
        super().set_changed(notes)
        # above the other arrows and the boxes it joins, so that neither hides the band
        self.setZValue(4.5 if self.changed else 3)

    def flag_at(self) -> QPointF:
        """Beside the middle of the arrow's longest straight piece, where it runs alone."""
        pts = self.edge.points
        (x0, y0), (x1, y1) = max(
            zip(pts, pts[1:]), key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1])
        )
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        if x0 == x1:  # left of a vertical piece: contract tabs sit on the right of the arrows
            return QPointF(x - FLAG_W - 8, y - FLAG_H / 2)
        return QPointF(x - FLAG_W / 2, y - FLAG_H - 8)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        color, pen_style, _ = style.EDGE.get(self.edge.kind, style.EDGE["data-feed"])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.changed:  # a violet band along the line, like a highlighter's
            painter.setPen(
                QPen(
                    style.CHANGED_BAND,
                    self.width + 10,
                    Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin,
                )
            )
            self._line(painter)
        if self.isSelected():
            painter.setPen(QPen(style.SELECTED, self.width + 6))
            self._line(painter)
        painter.setPen(line_pen(painter, color, self.width, pen_style))
        self._line(painter)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(self.head)
        if self.severity:
            draw_marker(painter, QPointF(*self.edge.mid), self.severity, len(self.messages))


class LinkItem(QGraphicsItem):
    """The dashed line between the boxes of one co-sourced function."""

    def __init__(self, link: geo.Link):
        super().__init__()
        self.link = link
        self.setZValue(2)
        self.path = rounded_path(link.points)

    def boundingRect(self) -> QRectF:
        return self.path.boundingRect().adjusted(-3, -3, 3, 3)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(QPen(style.LINK, 2.0, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path)


class ForumItem(MapItem):
    kind = "forum"

    def __init__(self, line: geo.ForumLine, tip: str):
        super().__init__(line.forum, tip)
        self.line = line
        self.setZValue(2)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self._rect = self._measure()

    def _measure(self) -> QRectF:
        f = self.line
        return QRectF(f.x - 8, f.top - 8, f.label_rect.right - f.x + 16, f.bottom - f.top + 16)

    def relabel(self) -> None:
        """The forum's label changed, and with it the length of its line."""
        self.prepareGeometryChange()
        self._rect = self._measure()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-MARK_R - 4, -MARK_R - 20, MARK_R + 20, 4)

    def flag_at(self) -> QPointF:
        return QPointF(self.line.x + MARK_R + 4, self.line.top - FLAG_H - 14)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        f = self.line
        color = style.SELECTED if self.isSelected() else style.FORUM
        painter.setPen(QPen(color, 3.5 if self.isSelected() else 2.2))
        painter.drawLine(QPointF(f.x, f.top), QPointF(f.x, f.bottom))
        painter.setPen(QPen(style.ON_MARK, 1.5))
        painter.setBrush(color)
        for _, y in f.dots:
            painter.drawEllipse(QPointF(f.x, y), 5.5, 5.5)
        painter.save()
        lr = f.label_rect
        painter.translate(lr.x, lr.y)
        painter.rotate(90)
        painter.setPen(style.FORUM)
        painter.setFont(style.font(geo.FONT_FORUM))
        painter.drawText(
            QRectF(0, -lr.w, lr.h, lr.w),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f.label,
        )
        painter.restore()
        if self.changed:
            painter.setPen(changed_pen(painter))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect, 6, 6)
        if self.severity:
            draw_marker(painter, QPointF(f.x, f.top - 14), self.severity, len(self.messages))


class GroupItem(QGraphicsItem):
    def __init__(self, group: geo.Group):
        super().__init__()
        self.group = group

    def boundingRect(self) -> QRectF:
        return qrect(self.group.rect)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        r = qrect(self.group.rect)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.GROUP[self.group.kind])
        painter.drawRoundedRect(r, 4, 4)
        painter.save()
        painter.translate(r.center())
        painter.rotate(-90)
        painter.setPen(style.ON_MARK)
        painter.setFont(style.font(geo.FONT_LANE_NOTE, bold=True))
        painter.drawText(
            QRectF(-r.height() / 2, -r.width() / 2, r.height(), r.width()),
            Qt.AlignmentFlag.AlignCenter,
            self.group.label,
        )
        painter.restore()


class TitleItem(QGraphicsItem):
    def __init__(self, rect: geo.Rect, title: str, subtitle: str):
        super().__init__()
        self.rect = qrect(rect)
        self.title = title
        self.subtitle = subtitle

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(style.TEXT)
        painter.setFont(style.font(geo.FONT_TITLE, bold=True))
        r = self.rect
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        metrics = QFontMetricsF(painter.font())
        painter.drawText(
            QRectF(r.x(), r.y(), r.width(), 28),
            flags,
            metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, r.width()),
        )
        painter.setPen(style.MUTED)
        painter.setFont(style.font(geo.FONT_SUBTITLE))
        painter.drawText(QRectF(r.x(), r.y() + 29, r.width(), 18), flags, self.subtitle)


class LegendItem(QGraphicsItem):
    """What the colours, lines and markers mean, laid out in rows within a width."""

    ICON_W = 40
    ROW_H = 26

    def __init__(self, rect: geo.Rect):
        super().__init__()
        self.origin = QPointF(rect.x, rect.y)
        self.width = rect.w
        entries = [
            ("box-internal", "Internal team delivers it"),
            ("box-external", "Outside party delivers it"),
            ("box-critical", "Critical function"),
            ("link", "Co-sourced: a box in each party's lane"),
            ("frame", "Contract: frames the functions it covers"),
            ("forum", "Forum: dots mark its members"),
            ("data-feed", "Data feed"),
            ("system-integration", "System integration"),
            ("process-handoff", "Process hand-off"),
            ("strength", "Strong · medium · weak"),
            ("direction", "Arrow runs from a function to the one that needs it"),
            ("error", "Error"),
            ("warning", "Warning"),
            ("info", "Info (hover for the findings)"),
        ]
        metrics = QFontMetricsF(style.font(12))
        self.placed: list[tuple[str, str, QPointF]] = []
        x, y = 0.0, 24.0
        for key, text in entries:
            w = self.ICON_W + 8 + metrics.horizontalAdvance(text) + 26
            if x > 0 and x + w > self.width:
                x, y = 0.0, y + self.ROW_H
            self.placed.append((key, text, QPointF(x, y)))
            x += w
        self.height = y + self.ROW_H

    def boundingRect(self) -> QRectF:
        return QRectF(self.origin.x(), self.origin.y(), self.width, self.height)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        ox, oy = self.origin.x(), self.origin.y()
        painter.setPen(style.TEXT)
        painter.setFont(style.font(12, bold=True))
        painter.drawText(
            QRectF(ox, oy, 200, 18),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            "Legend",
        )
        for key, text, at in self.placed:
            icon = QRectF(ox + at.x(), oy + at.y() + 4, self.ICON_W, 16)
            self._icon(painter, key, icon)
            painter.setPen(style.TEXT)
            painter.setFont(style.font(12))
            painter.drawText(
                QRectF(icon.right() + 8, icon.y() - 2, 600, 20),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def _icon(self, painter: QPainter, key: str, r: QRectF) -> None:
        painter.save()
        mid = r.center().y()
        if key.startswith("box-"):
            kind = "internal" if key == "box-internal" else "external"
            fill, border = style.BOX[kind if key != "box-critical" else "internal"]
            painter.setPen(QPen(border, 2.8 if key == "box-critical" else 1.3))
            painter.setBrush(fill)
            painter.drawRoundedRect(r.adjusted(2, 0, -2, 0), 4, 4)
        elif key == "link":
            painter.setPen(QPen(style.LINK, 2.0, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(r.left(), mid), QPointF(r.right(), mid))
        elif key == "frame":
            tint = QColor(style.FRAME)
            tint.setAlpha(22)
            painter.setBrush(tint)
            painter.setPen(QPen(style.FRAME, 1.6, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(r.adjusted(1, 0, -1, 0), 4, 4)
        elif key == "forum":
            painter.setPen(QPen(style.FORUM, 2.2))
            painter.drawLine(QPointF(r.left() + 4, mid), QPointF(r.right() - 4, mid))
            painter.setBrush(style.FORUM)
            painter.setPen(QPen(style.ON_MARK, 1.5))
            painter.drawEllipse(QPointF(r.left() + 8, mid), 5, 5)
            painter.drawEllipse(QPointF(r.right() - 8, mid), 5, 5)
        elif key in style.EDGE or key in ("strength", "direction"):
            if key == "strength":
                for i, w in enumerate(style.STRENGTH.values()):
                    y = r.top() + 2 + i * 6
                    painter.setPen(QPen(style.EDGE["data-feed"][0], w))
                    painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
            else:
                color, pen_style, _ = style.EDGE["data-feed" if key == "direction" else key]
                painter.setPen(QPen(color, 1.9, pen_style))
                painter.drawLine(QPointF(r.left(), mid), QPointF(r.right() - 8, mid))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(color)
                painter.drawPolygon(arrow_head(QPointF(r.right(), mid), QPointF(r.left(), mid), 12))
        elif key in style.SEVERITY:
            draw_marker(painter, QPointF(r.center().x(), mid), key)
        painter.restore()
