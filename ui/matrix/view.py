"""The RACI grid view: function bands span the row, finding cells are outlined, letters
typed on the keyboard go straight into the cell, Delete clears the selection as one
undoable step, and rectangular ranges copy and paste as tab-separated text (the form
Excel and LibreOffice use on the clipboard)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QPen
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QTableView

from ecomraci.model import RACI_LETTERS, display_letters, normalize_letters
from ui.commands import SetRaciCommand
from ui.matrix.model import FINDING_ROLE, RaciTableModel

SEVERITY_PEN = {"error": QColor("#c62828"), "warning": QColor("#ef8f00"), "info": QColor("#1e88e5")}


class FindingOutlineDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        severity = index.data(FINDING_ROLE)
        if severity:
            painter.save()
            painter.setPen(QPen(SEVERITY_PEN[severity], 2))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()


class RaciTableView(QTableView):
    def __init__(self, model: RaciTableModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(FindingOutlineDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.horizontalHeader().setDefaultSectionSize(110)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setWordWrap(False)
        model.modelReset.connect(self._span_bands)
        self._span_bands()

    def raci_model(self) -> RaciTableModel:
        return self.model()  # type: ignore[return-value]

    def _span_bands(self) -> None:
        self.clearSpans()
        m = self.raci_model()
        for row in range(m.rowCount()):
            if m.row_object(row)[0] == "function" and m.columnCount() > 1:
                self.setSpan(row, 0, 1, m.columnCount())

    def _selected_cells(self) -> list[tuple[str, str]]:
        m = self.raci_model()
        cells = []
        for index in self.selectedIndexes():
            kind, aid = m.row_object(index.row())
            if kind == "activity":
                cells.append((aid, m.party_at(index.column())))
        return cells

    def keyPressEvent(self, event):
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_selection()
        elif event.text() and event.text().upper() in RACI_LETTERS and self.state() != QAbstractItemView.State.EditingState:
            # One keystroke toggles that letter in every selected cell (one undo step).
            self.toggle_letter(event.text().upper())
        else:
            super().keyPressEvent(event)

    def toggle_letter(self, letter: str) -> None:
        doc = self.raci_model().document
        cells = {}
        for aid, pid in self._selected_cells():
            current = doc.model.letters(aid, pid)
            cells[(aid, pid)] = current.replace(letter, "") if letter in current else normalize_letters(current + letter)
        if cells:
            doc.undo_stack.push(SetRaciCommand(doc, cells, f"Toggle {letter}"))

    def clear_selection(self) -> None:
        doc = self.raci_model().document
        cells = {key: "" for key in self._selected_cells() if doc.model.letters(*key)}
        if cells:
            doc.undo_stack.push(SetRaciCommand(doc, cells, "Clear RACI cells"))

    def copy_selection(self) -> None:
        indexes = self.selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        m = self.raci_model()
        lines = []
        for r in range(rows[0], rows[-1] + 1):
            kind, aid = m.row_object(r)
            if kind != "activity":
                continue
            lines.append("\t".join(
                display_letters(m.document.model.letters(aid, m.party_at(c)))
                for c in range(cols[0], cols[-1] + 1)
            ))
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self) -> None:
        """Paste tab-separated text from the current cell on, skipping band rows; a
        value that is not RACI letters stops the paste with a message, changing nothing."""
        text = QGuiApplication.clipboard().text()
        current = self.currentIndex()
        if not text or not current.isValid():
            return
        m = self.raci_model()
        activity_rows = [r for r in range(current.row(), m.rowCount()) if m.row_object(r)[0] == "activity"]
        cells = {}
        for i, line in enumerate(text.rstrip("\n").split("\n")):
            if i >= len(activity_rows):
                break
            aid = m.row_object(activity_rows[i])[1]
            for j, value in enumerate(line.rstrip("\r").split("\t")):
                col = current.column() + j
                if col >= m.columnCount():
                    break
                try:
                    cells[(aid, m.party_at(col))] = normalize_letters(value)
                except ValueError as exc:
                    m.rejected.emit(f"Paste, row {i + 1} column {j + 1}: {exc}; nothing was pasted")
                    return
        doc = m.document
        changed = {k: v for k, v in cells.items() if doc.model.letters(*k) != v}
        if changed:
            doc.undo_stack.push(SetRaciCommand(doc, changed, f"Paste {len(changed)} RACI cells"))
