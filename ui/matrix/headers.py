"""What the RACI grid paints around and in its cells: the party header (names turned on
their side, internal and external under a coloured group strip), the activity header
(the frozen column: each function's band row with its fold marker, activities indented
under it), and the cell delegate (letters, the band rows, the totals in four lines, the
current row and column tinted, finding outlines and what-if marks).

Colours come from `ecomraci.palette`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecomraci import letters as typed_letters
from ecomraci import palette
from ecomraci.model import display_letters
from ui.matrix.model import LETTER_COLOURS, LETTER_TEXT, cell_letter

from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QHeaderView, QLineEdit, QStyle, QStyledItemDelegate

if TYPE_CHECKING:
    from ui.matrix.view import RaciTableView

SEVERITY_PEN = {k: QColor(s.strong) for k, s in palette.SEVERITIES.items()}
HIGHLIGHT_PEN = QColor(palette.ACCENT)  # cells marked by a what-if or a comparison
SIDE_FILL = {k: QColor(s.fill) for k, s in palette.SIDES.items()}
SIDE_TEXT = {k: QColor(s.text) for k, s in palette.SIDES.items()}
SIDE_STRONG = {k: QColor(s.strong) for k, s in palette.SIDES.items()}
BAND = QColor(palette.BAND)
TOTALS = QColor(palette.TOTALS)
GRID = QColor(palette.GRID)
TEXT = QColor(palette.TEXT)
MUTED = QColor(palette.MUTED)
WHITE = QColor("#ffffff")


def _tint(alpha: int) -> QColor:
    """The current row's and column's tint (the selection colour, see-through)."""
    colour = QColor(palette.SELECTION)
    colour.setAlpha(alpha)
    return colour


CROSS_TINT = _tint(34)
HEADER_TINT = _tint(90)
GROUP_LABEL = {"internal": "Internal", "external": "External"}


class PartyHeader(QHeaderView):
    """Column headers: each party's name written bottom to top, in its side's colours,
    under a strip naming the group (internal, external); a thicker line before the
    first outside party. The current column's header is tinted."""

    def __init__(self, view: RaciTableView):
        super().__init__(Qt.Orientation.Horizontal, view)
        self.grid = view
        self.strip = 16
        self._height = 120
        self.setSectionsClickable(True)
        self.setHighlightSections(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter)

    def fit(self, cap: int) -> None:
        """As tall as the longest party name (at most `cap` pixels of text)."""
        m = self.grid.raci_model()
        metrics = self.fontMetrics()
        self.strip = metrics.height() + 4
        longest = max(
            (metrics.horizontalAdvance(m.name_of(m.party_at(c))) for c in range(m.columnCount())),
            default=40,
        )
        self._height = self.strip + min(cap, longest) + 14
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._height)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        m = self.grid.raci_model()
        if not rect.isValid() or not 0 <= logical < m.columnCount():
            return
        pid = m.party_at(logical)
        side = m.kind_of(pid)
        painter.save()
        painter.fillRect(rect, SIDE_FILL[side])
        if logical == self.grid.currentIndex().column():
            painter.fillRect(rect, HEADER_TINT)
        painter.setPen(GRID)
        painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        if logical == self.grid.first_external:
            painter.setPen(QPen(SIDE_STRONG["external"], 3))
            painter.drawLine(rect.left() + 1, rect.top(), rect.left() + 1, rect.bottom())
        font = QFont(self.font())
        font.setItalic(side == "external")
        painter.setFont(font)
        painter.setPen(SIDE_TEXT[side])
        length = rect.height() - self.strip - 10
        name = self.fontMetrics().elidedText(m.name_of(pid), Qt.TextElideMode.ElideRight, length)
        painter.translate(rect.left(), rect.bottom() - 5)
        painter.rotate(-90)
        painter.drawText(
            QRect(0, 0, length, rect.width()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            name,
        )
        painter.restore()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        m = self.grid.raci_model()
        n = m.columnCount()
        if not n:
            return
        painter = QPainter(self.viewport())
        first_external = self.grid.first_external if self.grid.first_external >= 0 else n
        for side, first, last in (
            ("internal", 0, first_external - 1),
            ("external", first_external, n - 1),
        ):
            if last < first:
                continue
            x0 = self.sectionViewportPosition(first)
            x1 = self.sectionViewportPosition(last) + self.sectionSize(last)
            band = QRect(x0, 0, x1 - x0, self.strip)
            painter.fillRect(band, SIDE_STRONG[side])
            painter.setPen(WHITE)
            label = f"{GROUP_LABEL[side]} ({last - first + 1})"
            visible = band.intersected(self.viewport().rect()).adjusted(4, 0, -2, 0)
            text = self.fontMetrics().elidedText(
                label, Qt.TextElideMode.ElideRight, visible.width()
            )
            painter.drawText(visible, int(Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()


class ActivityHeader(QHeaderView):
    """Row headers, the frozen column: a function's band row (▾ unfolded, ▸ folded, the
    function's name in bold), each activity indented under it, the totals row last. A
    click on a band row folds or unfolds it; the current row's header is tinted."""

    def __init__(self, view: RaciTableView):
        super().__init__(Qt.Orientation.Vertical, view)
        self.grid = view
        self.setSectionsClickable(True)
        self.setHighlightSections(False)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        m = self.grid.raci_model()
        if not rect.isValid() or not 0 <= logical < m.rowCount():
            return
        kind, oid = m.row_object(logical)
        painter.save()
        font = QFont(self.font())
        metrics = self.fontMetrics()
        pad = max(4, metrics.height() // 3)
        if kind == "function":
            painter.fillRect(rect, BAND)
            font.setBold(True)
            marker = "▸" if oid in self.grid.collapsed else "▾"
            text = f"{marker} {m.name_of(oid)}"
            indent = pad
        elif kind == "totals":
            painter.fillRect(rect, TOTALS)
            font.setItalic(True)
            text, indent = "Totals (R A C I)", pad
        else:
            painter.fillRect(rect, WHITE)
            text, indent = m.name_of(oid), pad + metrics.horizontalAdvance("▾ ")
        if logical == self.grid.currentIndex().row():
            painter.fillRect(rect, HEADER_TINT)
        painter.setPen(GRID)
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.setFont(font)
        painter.setPen(TEXT)
        area = rect.adjusted(indent, 0, -pad, 0)
        align = Qt.AlignmentFlag.AlignLeft | (
            Qt.AlignmentFlag.AlignTop if kind == "totals" else Qt.AlignmentFlag.AlignVCenter
        )
        if kind == "totals":
            area.setTop(area.top() + 3)
        shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(area, int(align), shown)
        painter.restore()

    def mousePressEvent(self, event) -> None:
        row = self.logicalIndexAt(event.position().toPoint())
        m = self.grid.raci_model()
        if (
            event.button() == Qt.MouseButton.LeftButton
            and 0 <= row < m.rowCount()
            and m.row_object(row)[0] == "function"
        ):
            self.grid.toggle_function(m.row_object(row)[1])
            event.accept()
            return
        super().mousePressEvent(event)


class LetterEditor(QLineEdit):
    """The in-cell editor: the letters as people write them; text that is not RACI
    letters turns red and says why in the status bar while it is typed."""


class GridDelegate(QStyledItemDelegate):
    """Paints the cells and runs the in-cell editor (see the module's doc)."""

    def __init__(self, view: RaciTableView):
        super().__init__(view)
        self.grid = view
        self.typed: str | None = None  # the key that opened the editor, replacing the cell
        self.editor: LetterEditor | None = None  # the last one opened

    # --- painting -----------------------------------------------------------------------

    def paint(self, painter, option, index):
        m = self.grid.raci_model()
        kind = m.row_object(index.row())[0]
        rect = option.rect
        current = self.grid.currentIndex()
        if kind == "function":
            painter.fillRect(rect, BAND)
            return
        if kind == "totals":
            painter.save()
            painter.fillRect(rect, TOTALS)
            if index.column() == current.column():
                painter.fillRect(rect, CROSS_TINT)
            self._totals(painter, rect, m.totals(m.party_at(index.column())))
            self._separator(painter, rect, index.column())
            painter.restore()
            return
        # An activity's cell, painted here from the model's letters (not through `data`
        # role by role: a dozen parties make three times the cells of wide columns).
        aid = m.row_object(index.row())[1]
        pid = m.party_at(index.column())
        letters = m.document.model.letters(aid, pid)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        letter = cell_letter(letters) if letters else None
        if selected:
            painter.fillRect(rect, option.palette.highlight())
        elif letter:
            painter.fillRect(rect, LETTER_COLOURS[letter])
        if (
            not selected
            and current.isValid()
            and index != current
            and (index.row() == current.row() or index.column() == current.column())
        ):
            painter.fillRect(rect, CROSS_TINT)
        if letters:
            painter.setFont(option.font)
            painter.setPen(
                option.palette.highlightedText().color()
                if selected
                else LETTER_TEXT[letter or letters[0]]
            )
            text = option.fontMetrics.elidedText(
                display_letters(letters), Qt.TextElideMode.ElideRight, rect.width() - 2
            )
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        if index == current and self.grid.hasFocus():
            painter.setPen(QPen(TEXT, 1, Qt.PenStyle.DotLine))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        self._separator(painter, rect, index.column())
        severity, marked = m.cell_marks(aid, pid)
        if severity:
            painter.setPen(QPen(SEVERITY_PEN[severity], 2))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        if marked:
            # A dashed frame inside any finding outline, and a corner flag.
            painter.setPen(QPen(HIGHLIGHT_PEN, 2, Qt.PenStyle.DashLine))
            painter.drawRect(rect.adjusted(4, 4, -5, -5))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(HIGHLIGHT_PEN)
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(rect.right() - 9, rect.top()),
                        QPointF(rect.right() + 1, rect.top()),
                        QPointF(rect.right() + 1, rect.top() + 10),
                    ]
                )
            )
        painter.restore()

    def _separator(self, painter, rect, column: int) -> None:
        if column == self.grid.first_external:
            painter.setPen(QPen(SIDE_STRONG["external"], 3))
            painter.drawLine(rect.left() + 1, rect.top(), rect.left() + 1, rect.bottom())

    def _totals(self, painter, rect, counts: dict[str, int]) -> None:
        """R, A, C and I each on its own line, in the letter's text colour."""
        metrics = painter.fontMetrics()
        line = metrics.height()
        top = rect.top() + max(2, (rect.height() - 4 * line) // 2)
        for i, ch in enumerate("RACI"):
            painter.setPen(LETTER_TEXT[ch])
            text = f"{ch} {counts.get(ch, 0)}"
            if metrics.horizontalAdvance(text) > rect.width() - 2:
                text = text.replace(" ", "")  # R120: big counts in a narrow column
            painter.drawText(
                QRect(rect.left(), top + i * line, rect.width(), line),
                int(Qt.AlignmentFlag.AlignCenter),
                text,
            )

    # --- editing --------------------------------------------------------------------------

    def createEditor(self, parent, option, index):
        editor = self.editor = LetterEditor(parent)
        editor.setFrame(False)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.textEdited.connect(lambda text: self._check(editor, index, text))
        return editor

    def setEditorData(self, editor, index):
        if self.typed is not None:
            editor.setText(self.typed)  # typing replaces the cell, as in a spreadsheet
            self.typed = None
            editor.setCursorPosition(len(editor.text()))
            self._check(editor, index, editor.text())
        else:
            editor.setText(display_letters(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor, model, index):
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def _check(self, editor, index, text: str) -> None:
        try:
            typed_letters.parse(text)
        except typed_letters.LetterError as exc:
            editor.setStyleSheet(f"color: {palette.SEVERITIES['error'].strong};")
            m = self.grid.raci_model()
            aid, pid = m.row_object(index.row())[1], m.party_at(index.column())
            self.grid.message.emit(f"{m.cell_name(aid, pid)}: {exc}")
        else:
            editor.setStyleSheet("")

    def eventFilter(self, editor, event):
        """Enter keeps the letters and moves down (Shift+Enter up), as in a spreadsheet;
        Up, Down, Tab and Shift+Tab keep them and move."""
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, LetterEditor):
            key = event.key()
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            shift = mods == Qt.KeyboardModifier.ShiftModifier
            step = {
                Qt.Key.Key_Return: (-1 if shift else 1, 0),
                Qt.Key.Key_Enter: (-1 if shift else 1, 0),
                Qt.Key.Key_Down: (1, 0),
                Qt.Key.Key_Up: (-1, 0),
                Qt.Key.Key_Tab: (0, 1),
                Qt.Key.Key_Backtab: (0, -1),
            }.get(key)
            plain = not mods or (
                shift and key in (Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            )
            if step is not None and plain:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
                self.grid.move_current(*step)
                return True
        return super().eventFilter(editor, event)


# What a totals cell needs beyond its default height: four lines.
def totals_height(metrics) -> int:
    return 4 * metrics.height() + 8


__all__ = [
    "ActivityHeader",
    "GridDelegate",
    "HIGHLIGHT_PEN",
    "PartyHeader",
    "SEVERITY_PEN",
    "totals_height",
]
