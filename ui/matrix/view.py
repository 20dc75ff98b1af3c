"""The RACI grid view: function bands span the row, finding cells are outlined, letters
typed on the keyboard go straight into the cell, Delete clears the selection as one
undoable step, and rectangular ranges copy and paste as tab-separated text (the form
Excel and LibreOffice use on the clipboard)."""

from __future__ import annotations

from ecomraci import operations as ops
from ecomraci.edits import KIND_OF, raci_edits
from ecomraci.model import RACI_LETTERS, display_letters, normalize_letters
from ui.matrix.model import FINDING_ROLE, HIGHLIGHT_ROLE, RaciTableModel
from ui.prompts import Prompts

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyledItemDelegate,
    QTableView,
)

SEVERITY_PEN = {"error": QColor("#c62828"), "warning": QColor("#ef8f00"), "info": QColor("#1e88e5")}
HIGHLIGHT_PEN = QColor("#7b2fbf")  # cells marked by a what-if or a comparison


class FindingOutlineDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        severity = index.data(FINDING_ROLE)
        if severity:
            painter.save()
            painter.setPen(QPen(SEVERITY_PEN[severity], 2))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()
        if index.data(HIGHLIGHT_ROLE):
            # A dashed frame inside any finding outline, and a corner flag.
            r = option.rect
            painter.save()
            painter.setPen(QPen(HIGHLIGHT_PEN, 2, Qt.PenStyle.DashLine))
            painter.drawRect(r.adjusted(4, 4, -5, -5))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(HIGHLIGHT_PEN)
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(r.right() - 9, r.top()),
                        QPointF(r.right() + 1, r.top()),
                        QPointF(r.right() + 1, r.top() + 10),
                    ]
                )
            )
            painter.restore()


class RaciTableView(QTableView):
    # Emitted while a row's context menu is built (menu, row kind, function or activity
    # id), so other parts of the window can add their actions to it.
    rowMenuAboutToShow = Signal(object, str, str)

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
        # Long activity names are elided (the tooltip and the inspector show them whole)
        # so that the party columns keep the room.
        self.verticalHeader().setFixedWidth(330)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setWordWrap(False)
        model.modelReset.connect(self._span_bands)
        model.modelReset.connect(self._fit_columns)
        model.headerDataChanged.connect(self._header_changed)
        self._span_bands()
        self._fit_columns()
        # Questions go through these two, so tests can answer them without a dialog.
        prompts = Prompts(self)
        self.ask_text = prompts.text
        self.ask_item = prompts.item
        for header, handler in (
            (self.horizontalHeader(), self._party_menu),
            (self.verticalHeader(), self._activity_menu),
        ):
            header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            header.customContextMenuRequested.connect(handler)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._band_menu)

    def raci_model(self) -> RaciTableModel:
        return self.model()  # type: ignore[return-value]

    def _span_bands(self) -> None:
        self.clearSpans()
        m = self.raci_model()
        for row in range(m.rowCount()):
            if m.row_object(row)[0] == "function" and m.columnCount() > 1:
                self.setSpan(row, 0, 1, m.columnCount())

    def _fit_columns(self, columns=None) -> None:
        """Wide enough for each party's name (within bounds): cheap even for hundreds
        of parties, unlike resizing to every cell's contents."""
        m = self.raci_model()
        metrics = self.horizontalHeader().fontMetrics()
        for column in range(m.columnCount()) if columns is None else columns:
            name = str(m.headerData(column, Qt.Orientation.Horizontal) or "")
            self.setColumnWidth(column, max(72, min(190, metrics.horizontalAdvance(name) + 22)))

    def _header_changed(self, orientation, first: int, last: int) -> None:
        if orientation == Qt.Orientation.Horizontal:  # a party's new name
            self._fit_columns(range(first, last + 1))

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
        elif (
            event.text()
            and event.text().upper() in RACI_LETTERS
            and self.state() != QAbstractItemView.State.EditingState
        ):
            # One keystroke toggles that letter in every selected cell (one undo step).
            self.toggle_letter(event.text().upper())
        else:
            super().keyPressEvent(event)

    def toggle_letter(self, letter: str) -> None:
        doc = self.raci_model().document
        cells = {}
        for aid, pid in self._selected_cells():
            current = doc.model.letters(aid, pid)
            cells[(aid, pid)] = (
                current.replace(letter, "")
                if letter in current
                else normalize_letters(current + letter)
            )
        if cells:
            doc.apply(raci_edits(cells), f"Toggle {letter}")

    def clear_selection(self) -> None:
        doc = self.raci_model().document
        cells = {key: "" for key in self._selected_cells() if doc.model.letters(*key)}
        if cells:
            doc.apply(raci_edits(cells), "Clear RACI cells")

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
            lines.append(
                "\t".join(
                    display_letters(m.document.model.letters(aid, m.party_at(c)))
                    for c in range(cols[0], cols[-1] + 1)
                )
            )
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self) -> None:
        """Paste tab-separated text from the current cell on, skipping band rows; a
        value that is not RACI letters stops the paste with a message, changing nothing."""
        text = QGuiApplication.clipboard().text()
        current = self.currentIndex()
        if not text or not current.isValid():
            return
        m = self.raci_model()
        activity_rows = [
            r for r in range(current.row(), m.rowCount()) if m.row_object(r)[0] == "activity"
        ]
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
            doc.apply(raci_edits(changed), f"Paste {len(changed)} RACI cells")

    # --- structure: parties (columns) and activities (rows) ----------------------------

    def _push(self, edits: list, text: str) -> bool:
        """One undo step, or the model's reason for refusing it in the status bar."""
        problem = self.raci_model().document.apply(edits, text)
        if problem is not None:
            self.raci_model().rejected.emit(f"{text}: {problem}")
        return problem is None

    def _party_menu(self, pos) -> None:
        column = self.horizontalHeader().logicalIndexAt(pos)
        menu = self.party_menu(column)
        menu.exec(self.horizontalHeader().mapToGlobal(pos))

    def party_menu(self, column: int) -> QMenu:
        m = self.raci_model()
        menu = QMenu(self)
        menu.addAction("Add party…", self.add_party)
        if 0 <= column < m.columnCount():
            pid = m.party_at(column)
            menu.addAction("Rename party…", lambda: self.rename("party", pid))
            menu.addAction("Move left", lambda: self.move_party(pid, -1))
            menu.addAction("Move right", lambda: self.move_party(pid, +1))
            menu.addSeparator()
            menu.addAction("Remove party", lambda: self.remove("parties", pid))
        return menu

    def _activity_menu(self, pos) -> None:
        row = self.verticalHeader().logicalIndexAt(pos)
        menu = self.activity_menu(row)
        menu.exec(self.verticalHeader().mapToGlobal(pos))

    def _band_menu(self, pos) -> None:
        """A function band row (it spans the grid) has the row menu too."""
        row = self.rowAt(pos.y())
        if (
            0 <= row < self.raci_model().rowCount()
            and self.raci_model().row_object(row)[0] == "function"
        ):
            menu = self.activity_menu(row)
            if not menu.isEmpty():
                menu.exec(self.viewport().mapToGlobal(pos))

    def activity_menu(self, row: int) -> QMenu:
        m = self.raci_model()
        menu = QMenu(self)
        if not 0 <= row < m.rowCount():
            return menu
        kind, oid = m.row_object(row)
        if kind == "totals":
            return menu
        function = oid if kind == "function" else m.document.model.activity(oid).function
        menu.addAction("Add activity…", lambda: self.add_activity(function))
        if kind == "activity":
            menu.addAction("Rename activity…", lambda: self.rename("activity", oid))
            menu.addAction("Move up", lambda: self.move_activity(oid, -1))
            menu.addAction("Move down", lambda: self.move_activity(oid, +1))
            menu.addSeparator()
            menu.addAction("Remove activity", lambda: self.remove("activities", oid))
        self.rowMenuAboutToShow.emit(menu, kind, oid)
        return menu

    def add_party(self) -> None:
        name = self.ask_text("Add party", "Name of the team or outside party:")
        if not name:
            return
        kind = self.ask_item(
            "Add party", f"Is “{name}” internal or external?", ["internal", "external"]
        )
        if not kind:
            return
        doc = self.raci_model().document
        self._push(ops.add_party(doc.model, name, kind), f"Add party {name}")

    def add_activity(self, function_id: str) -> None:
        name = self.ask_text("Add activity", "Name of the activity:")
        if not name:
            return
        doc = self.raci_model().document
        self._push(ops.add_activity(doc.model, function_id, name), f"Add activity {name}")

    def rename(self, target: str, oid: str) -> None:
        doc = self.raci_model().document
        obj = doc.model.party(oid) if target == "party" else doc.model.activity(oid)
        name = self.ask_text(f"Rename {target}", "New name:", obj.name)
        if name and name != obj.name:
            self._push(ops.rename(doc.model, target, oid, name), f"Rename {obj.name} to {name}")

    def move_party(self, pid: str, step: int) -> None:
        """Move a column one place among the parties of the same kind."""
        edits = ops.move_step(self.raci_model().document.model, "party", pid, step)
        if edits:
            self._push(edits, "Move party")

    def move_activity(self, aid: str, step: int) -> None:
        """Move a row one place within its function."""
        edits = ops.move_step(self.raci_model().document.model, "activity", aid, step)
        if edits:
            self._push(edits, "Move activity")

    def remove(self, collection: str, key: str) -> None:
        doc = self.raci_model().document
        name = next(x.name for x in getattr(doc.model, collection) if x.id == key)
        kind = KIND_OF[collection]
        self._push(ops.remove(doc.model, kind, key), f"Remove {name}")
