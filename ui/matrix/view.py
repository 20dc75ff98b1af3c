"""The RACI grid, used like a spreadsheet.

Frozen panes: the party header stays at the top and the activity column (the row
header, `ui.matrix.headers.ActivityHeader`) at the left whatever the scrolling; each
function's band row shows its name in that column, and the corner above it names the
function of the top row in view. Party names are written on their side so that a dozen
parties fit; internal and external parties sit under a group strip each.

Keys, as in Excel: typing a letter replaces the cell's letters (the editor opens with
it; Enter keeps them and moves down, Esc cancels), Ctrl+Shift+R/A/C/I adds or takes out
one letter in every selected cell, Delete clears, Ctrl+X/C/V cut, copy and paste
(tab-separated text, the form spreadsheets use), Ctrl+D fills down, Ctrl+R fills right,
F2 edits, arrows and Tab move, Ctrl++ / Ctrl+- / Ctrl+0 zoom (remembered). A function
folds and unfolds with a click on its band row, or Left/Right (Enter, Space) on it, or
Alt+Left/Alt+Right on any of its rows. Each gesture on several cells is one undo step.
"""

from __future__ import annotations

import html

from ecomraci import letters as typed_letters
from ecomraci import operations as ops
from ecomraci import palette
from ecomraci.edits import KIND_OF, raci_edits
from ecomraci.model import display_letters
from ui.matrix.headers import (
    HIGHLIGHT_PEN,
    SEVERITY_PEN,
    ActivityHeader,
    GridDelegate,
    PartyHeader,
    totals_height,
)
from ui.matrix.model import RaciTableModel
from ui.prompts import Prompts

from PySide6.QtCore import QEvent, QRect, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
)

# Kept for callers that import them from here.
FindingOutlineDelegate = GridDelegate
__all__ = ["HIGHLIGHT_PEN", "SEVERITY_PEN", "FindingOutlineDelegate", "RaciTableView"]

ZOOM_STEPS = (60, 70, 80, 90, 100, 115, 130, 150, 175, 200)  # percent
SET_CHOICES = (("R", "R"), ("A", "A"), ("C", "C"), ("I", "I"), ("A+R", "AR"))
ZOOM_KEY = "matrix/zoom"
TYPING_RULE_KEY = "matrix/typingRuleShown"
ROW_HEADER_WIDTH = 290  # at 100 %
NAME_CAP = 130  # the longest part of a party name written in its header, at 100 %
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
# Ctrl+Shift+R, A, C, I toggle a letter (not S or V: Ctrl+Shift+S is Save As).
LETTER_KEYS = {getattr(Qt.Key, f"Key_{ch}"): ch for ch in "RACI"}
ZOOM_KEYS = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Equal: 1, Qt.Key.Key_Minus: -1, Qt.Key.Key_0: 0}


def _mods(event) -> Qt.KeyboardModifier:
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


class RaciTableView(QTableView):
    # Emitted while a row's context menu is built (menu, row kind, function or activity
    # id), so other parts of the window can add their actions to it.
    rowMenuAboutToShow = Signal(object, str, str)
    # A hint for the status bar (the typing rule, a refused key).
    message = Signal(str)
    # Add party… / Add activity… in the header menus: (kind, function id or ""); the
    # window opens the Model menu's form for it, one form wherever adding starts
    addRequested = Signal(str, str)

    def __init__(self, model: RaciTableModel, parent=None, settings: QSettings | None = None):
        super().__init__(parent)
        self.settings = settings
        self.collapsed: set[str] = set()  # folded functions
        self._hidden: set[int] = set()  # the rows hidden for them
        self.first_external = -1  # the first outside party's column
        self.setHorizontalHeader(PartyHeader(self))
        self.setVerticalHeader(ActivityHeader(self))
        self.setModel(model)
        self.delegate = GridDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Typing is handled in keyPressEvent (it replaces the cell); F2 and a double
        # click edit what the cell holds.
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.sticky = QLabel(self)  # the corner: the function of the top row in view
        self.sticky.setObjectName("matrixStickyFunction")
        self.sticky.setWordWrap(True)
        self.sticky.setTextFormat(Qt.TextFormat.RichText)
        self._sticky_name = ""
        self.sticky.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.sticky.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.sticky.setAutoFillBackground(True)
        self.sticky.setStyleSheet(f"QLabel {{ background: {palette.BAND}; padding: 4px; }}")
        self.verticalScrollBar().valueChanged.connect(self._update_sticky)
        model.modelReset.connect(self._after_reset)
        model.headerDataChanged.connect(self._header_changed)
        model.dataChanged.connect(self._band_renamed)
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
        self.customContextMenuRequested.connect(self._cell_menu)
        zoom = self._setting(ZOOM_KEY, 100)
        self.zoom = zoom if zoom in ZOOM_STEPS else 100
        self._apply_zoom()
        self._after_reset()

    def raci_model(self) -> RaciTableModel:
        return self.model()  # type: ignore[return-value]

    def _setting(self, key: str, default: int) -> int:
        if self.settings is None:
            return default
        try:
            return int(self.settings.value(key, default))
        except (TypeError, ValueError):
            return default

    # --- layout: bands, columns, zoom, folding ----------------------------------------

    def _after_reset(self) -> None:
        m = self.raci_model()
        self.first_external = next(
            (c for c in range(m.columnCount()) if m.kind_of(m.party_at(c)) != "internal"), -1
        )
        self._span_bands()
        self._fit_columns()
        self._totals_row()
        functions = {
            oid
            for kind, oid in (m.row_object(r) for r in range(m.rowCount()))
            if kind == "function"
        }
        self.collapsed &= functions
        # the header keeps hidden rows by number across a reset: show them all, then
        # hide the rows of the folded functions where they are now
        for row in self._hidden:
            if row < m.rowCount():
                self.setRowHidden(row, False)
        self._hidden = set()
        for fid in self.collapsed:
            self._set_folded(fid, True)
        self._update_sticky()

    def _span_bands(self) -> None:
        self.clearSpans()
        m = self.raci_model()
        for row in range(m.rowCount()):
            if m.row_object(row)[0] == "function" and m.columnCount() > 1:
                self.setSpan(row, 0, 1, m.columnCount())

    def _fit_columns(self, columns=None) -> None:
        """Every party column as narrow as its letters need (names are on their side),
        the party header as tall as the longest name within bounds."""
        width = self.horizontalHeader().defaultSectionSize()
        for column in range(self.raci_model().columnCount()) if columns is None else columns:
            self.setColumnWidth(column, width)
        self.horizontalHeader().fit(round(NAME_CAP * self.zoom / 100))
        self.updateGeometries()

    def _totals_row(self) -> None:
        m = self.raci_model()
        if m.rowCount():
            self.setRowHeight(m.rowCount() - 1, totals_height(QFontMetrics(self.font())))

    def _header_changed(self, orientation, first: int, last: int) -> None:
        if orientation == Qt.Orientation.Horizontal:  # a party's new name
            self.horizontalHeader().fit(round(NAME_CAP * self.zoom / 100))
            self.horizontalHeader().viewport().update()
            self.updateGeometries()
        else:
            self.verticalHeader().viewport().update()

    def _band_renamed(self, top, bottom, roles=()) -> None:
        """A function's new name shows on its band row in the frozen column."""
        m = self.raci_model()
        if top.row() == bottom.row() and m.row_object(top.row())[0] == "function":
            self.verticalHeader().viewport().update()
            self._update_sticky()

    def set_zoom(self, percent: int) -> None:
        """Zoom the grid to `percent` (one of ZOOM_STEPS), remembered in the settings."""
        if percent not in ZOOM_STEPS or percent == self.zoom:
            return
        self.zoom = percent
        if self.settings is not None:
            self.settings.setValue(ZOOM_KEY, percent)
        self._apply_zoom()
        self.message.emit(f"Matrix zoom {percent} % (Ctrl++, Ctrl+-, Ctrl+0 for 100 %)")

    def zoom_step(self, step: int) -> None:
        """One step in (1) or out (-1); 0 goes back to 100 %."""
        if step == 0:
            self.set_zoom(100)
            return
        i = ZOOM_STEPS.index(self.zoom) + step
        if 0 <= i < len(ZOOM_STEPS):
            self.set_zoom(ZOOM_STEPS[i])

    def _apply_zoom(self) -> None:
        z = self.zoom / 100
        font = QFont(QApplication.font())
        size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
        font.setPointSizeF(size * z)
        for widget in (self, self.horizontalHeader(), self.verticalHeader(), self.sticky):
            widget.setFont(font)
        metrics = QFontMetrics(font)
        line = metrics.height()
        column = max(line + 10, metrics.horizontalAdvance("A/R") + 10)
        self.verticalHeader().setDefaultSectionSize(line + 8)
        self.verticalHeader().setMinimumSectionSize(min(line + 8, 12))
        self.horizontalHeader().setMinimumSectionSize(min(column, 20))
        self.horizontalHeader().setDefaultSectionSize(column)
        self._fit_row_header()
        self._fit_columns()
        self._totals_row()
        self._update_sticky()

    def _fit_row_header(self) -> None:
        """The frozen activity column: ROW_HEADER_WIDTH at 100 %, narrower in a narrow
        window (at most 45 % of the grid's width) so that the parties keep the room."""
        z = self.zoom / 100
        room = round(self.width() * 0.45) if self.width() > 100 else 10**6
        width = max(round(150 * z), min(round(ROW_HEADER_WIDTH * z), room))
        if width != self.verticalHeader().width():
            self.verticalHeader().setFixedWidth(width)

    def toggle_function(self, function_id: str) -> None:
        self.set_folded(function_id, function_id not in self.collapsed)

    def set_folded(self, function_id: str, folded: bool) -> None:
        """Fold (hide) or unfold the activity rows of a function; its band row stays."""
        if folded == (function_id in self.collapsed):
            return
        if folded:
            self.collapsed.add(function_id)
        else:
            self.collapsed.discard(function_id)
        self._set_folded(function_id, folded)
        self.verticalHeader().viewport().update()
        self._update_sticky()

    def set_all_folded(self, folded: bool) -> None:
        m = self.raci_model()
        for row in range(m.rowCount()):
            kind, oid = m.row_object(row)
            if kind == "function":
                self.set_folded(oid, folded)

    def _set_folded(self, function_id: str, folded: bool) -> None:
        m = self.raci_model()
        band = m.row_of(function_id)
        if band < 0:
            return
        row = band + 1
        while row < m.rowCount() and m.row_object(row)[0] == "activity":
            self.setRowHidden(row, folded)
            if folded:
                self._hidden.add(row)
            else:
                self._hidden.discard(row)
            row += 1
        current = self.currentIndex()
        if folded and current.isValid() and band < current.row() < row:
            self.setCurrentIndex(m.index(band, 0))

    def _update_sticky(self, *_args) -> None:
        """The corner names the function of the top row in view."""
        m = self.raci_model()
        row = self.rowAt(0)
        fid = m.function_of_row(row) if 0 <= row < m.rowCount() else ""
        name = m.name_of(fid) if fid else ""
        self._sticky_name = name
        self.sticky.setText(
            f'<span style="color:{palette.MUTED}">Function of the top row</span><br><b>{html.escape(name)}</b>'
            if name
            else ""
        )
        self.sticky.setToolTip(f"Function of the top row in view: {name}" if name else "")
        self._place_sticky()

    def sticky_function(self) -> str:
        """The function name the corner shows (empty above no row)."""
        return self._sticky_name

    def _place_sticky(self) -> None:
        frame = self.frameWidth()
        self.sticky.setGeometry(
            QRect(frame, frame, self.verticalHeader().width(), self.horizontalHeader().height())
        )
        self.sticky.raise_()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "sticky"):
            self._place_sticky()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_row_header()
        self._update_sticky()

    def mouseDoubleClickEvent(self, event) -> None:
        """A double click on a function's band row folds or unfolds it."""
        index = self.indexAt(event.position().toPoint())
        m = self.raci_model()
        if index.isValid() and m.row_object(index.row())[0] == "function":
            self.toggle_function(m.row_object(index.row())[1])
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # --- the current cell -----------------------------------------------------------------

    def currentChanged(self, current, previous) -> None:
        super().currentChanged(current, previous)
        # repaint the tinted row and column, the old and the new
        vp = self.viewport()
        for index in (previous, current):
            if index.isValid():
                vp.update(
                    QRect(
                        0,
                        self.rowViewportPosition(index.row()),
                        vp.width(),
                        self.rowHeight(index.row()),
                    )
                )
                vp.update(
                    QRect(
                        self.columnViewportPosition(index.column()),
                        0,
                        self.columnWidth(index.column()),
                        vp.height(),
                    )
                )
        self.horizontalHeader().viewport().update()
        self.verticalHeader().viewport().update()

    def move_current(self, rows: int, columns: int) -> None:
        """Move the current cell (as the arrow keys do), selecting it alone."""
        action = {
            (1, 0): QAbstractItemView.CursorAction.MoveDown,
            (-1, 0): QAbstractItemView.CursorAction.MoveUp,
            (0, 1): QAbstractItemView.CursorAction.MoveRight,
            (0, -1): QAbstractItemView.CursorAction.MoveLeft,
        }[(rows, columns)]
        index = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    # --- keys -------------------------------------------------------------------------------

    def _own_shortcut(self, event) -> bool:
        """Keys the grid takes before the window's shortcuts see them."""
        mods, key = _mods(event), event.key()
        if mods == CTRL and key in (
            Qt.Key.Key_D,
            Qt.Key.Key_R,
            Qt.Key.Key_X,
            Qt.Key.Key_C,
            Qt.Key.Key_V,
        ):
            return True
        if mods == CTRL | SHIFT and key in LETTER_KEYS:
            return True
        if mods in (CTRL, CTRL | SHIFT) and key in ZOOM_KEYS:
            return True
        return mods == ALT and key in (Qt.Key.Key_Left, Qt.Key.Key_Right)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._own_shortcut(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event):
        mods, key, text = _mods(event), event.key(), event.text()
        m = self.raci_model()
        current = self.currentIndex()
        kind = m.row_object(current.row())[0] if current.isValid() else ""
        if self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.matches(QKeySequence.StandardKey.Cut):
            self.cut_selection()
        elif mods == CTRL and key == Qt.Key.Key_D:
            self.fill_down()
        elif mods == CTRL and key == Qt.Key.Key_R:
            self.fill_right()
        elif mods in (CTRL, CTRL | SHIFT) and key in ZOOM_KEYS:
            self.zoom_step(ZOOM_KEYS[key])
        elif mods == CTRL | SHIFT and key in LETTER_KEYS:
            self.toggle_letter(LETTER_KEYS[key])
        elif mods == ALT and key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and current.isValid():
            fid = m.function_of_row(current.row())
            if fid:
                self.set_folded(fid, key == Qt.Key.Key_Left)
        elif (
            kind == "function"
            and not mods
            and key
            in (
                Qt.Key.Key_Left,
                Qt.Key.Key_Right,
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
                Qt.Key.Key_Space,
            )
        ):
            oid = m.row_object(current.row())[1]
            if key == Qt.Key.Key_Left:
                self.set_folded(oid, True)
            elif key == Qt.Key.Key_Right:
                self.set_folded(oid, False)
            else:
                self.toggle_function(oid)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not mods:
            self.clear_selection()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods in (
            Qt.KeyboardModifier.NoModifier,
            SHIFT,
        ):
            self.move_current(-1 if mods == SHIFT else 1, 0)
        elif text and text.isprintable() and not text.isspace() and not mods & (CTRL | ALT):
            self.type_into_cell(text)
        else:
            super().keyPressEvent(event)

    def type_into_cell(self, text: str) -> None:
        """A key typed on the current cell: a letter (or a separator such as /) opens the
        editor with it, replacing the cell's letters; any other character is refused
        with a message naming it, and the cell keeps its letters."""
        m = self.raci_model()
        current = self.currentIndex()
        if not current.isValid():
            return
        kind, oid = m.row_object(current.row())
        if kind != "activity":
            self.message.emit(
                f"“{m.name_of(oid)}” is a function's band row: type letters in its activities' rows"
                if oid
                else "The totals row counts the letters: type them in an activity's row"
            )
            return
        aid, pid = m.row_object(current.row())[1], m.party_at(current.column())
        if not typed_letters.is_typing_key(text):
            try:
                typed_letters.parse(text)
            except typed_letters.LetterError as exc:
                m.rejected.emit(f"{m.cell_name(aid, pid)}: {exc}; the cell is unchanged")
            return
        self._tell_typing_rule()
        self.delegate.typed = text
        if not self.edit(current, QAbstractItemView.EditTrigger.AllEditTriggers, None):
            self.delegate.typed = None
            return
        editor = self.delegate.editor
        if editor is not None:  # the view selects an editor's text: type after it instead
            editor.deselect()
            editor.end(False)

    def _tell_typing_rule(self) -> None:
        """The rule for typing into a cell, in the status bar the first time only."""
        if self.settings is not None and self._setting(TYPING_RULE_KEY, 0):
            return
        if self.settings is None and getattr(self, "_rule_told", False):
            return
        self._rule_told = True
        if self.settings is not None:
            self.settings.setValue(TYPING_RULE_KEY, 1)
        self.message.emit(typed_letters.TYPING_RULE)

    # --- gestures on the selected cells (each one undo step) ------------------------------

    def _selected_cells(self) -> list[tuple[str, str]]:
        m = self.raci_model()
        cells = []
        for index in self.selectedIndexes():
            if self.isRowHidden(index.row()):
                continue
            kind, aid = m.row_object(index.row())
            if kind == "activity":
                cells.append((aid, m.party_at(index.column())))
        return cells

    def _apply_cells(self, cells: dict[tuple[str, str], str], text: str) -> None:
        doc = self.raci_model().document
        changed = {k: v for k, v in cells.items() if doc.model.letters(*k) != v}
        if changed:
            problem = doc.apply(raci_edits(changed), text)
            if problem is not None:
                self.raci_model().rejected.emit(f"{text}: {problem}")

    def toggle_letter(self, letter: str) -> None:
        """Add `letter` to every selected cell, or take it out where it is (one step)."""
        doc = self.raci_model().document
        cells = {
            key: typed_letters.toggle(doc.model.letters(*key), letter)
            for key in self._selected_cells()
        }
        self._apply_cells(cells, f"Toggle {letter}")

    def set_letters(self, letters: str) -> None:
        """Set every selected cell to `letters` (one step)."""
        cells = dict.fromkeys(self._selected_cells(), letters)
        self._apply_cells(cells, f"Set {display_letters(letters) or 'nothing'}")

    def clear_selection(self) -> None:
        cells = dict.fromkeys(self._selected_cells(), "")
        self._apply_cells(cells, "Clear RACI cells")

    def cut_selection(self) -> None:
        self.copy_selection()
        cells = dict.fromkeys(self._selected_cells(), "")
        self._apply_cells(cells, "Cut RACI cells")

    def _block(self) -> tuple[list[int], list[int]]:
        """The visible activity rows and the columns of the selection's bounding box."""
        indexes = self.selectedIndexes() or (
            [self.currentIndex()] if self.currentIndex().isValid() else []
        )
        if not indexes:
            return [], []
        m = self.raci_model()
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        activity_rows = [
            r
            for r in range(min(rows), max(rows) + 1)
            if m.row_object(r)[0] == "activity" and not self.isRowHidden(r)
        ]
        return activity_rows, list(range(min(cols), max(cols) + 1))

    def _fill(self, down: bool) -> None:
        """Ctrl+D / Ctrl+R: the first row (column) of the selection copied into the rest
        of it; with one row (column) selected, the cell above (left) is copied."""
        m = self.raci_model()
        rows, cols = self._block()
        if not rows or not cols:
            return
        letters = m.document.model.letters
        cells: dict[tuple[str, str], str] = {}
        if down:
            if len(rows) == 1:
                above = [
                    r
                    for r in range(rows[0] - 1, -1, -1)
                    if m.row_object(r)[0] == "activity" and not self.isRowHidden(r)
                ][:1]
                if not above:
                    return
                rows = above + rows
            source = m.row_object(rows[0])[1]
            for r in rows[1:]:
                aid = m.row_object(r)[1]
                for c in cols:
                    pid = m.party_at(c)
                    cells[(aid, pid)] = letters(source, pid)
        else:
            if len(cols) == 1:
                if cols[0] == 0:
                    return
                cols = [cols[0] - 1, *cols]
            source = m.party_at(cols[0])
            for r in rows:
                aid = m.row_object(r)[1]
                for c in cols[1:]:
                    cells[(aid, m.party_at(c))] = letters(aid, source)
        self._apply_cells(cells, "Fill down" if down else "Fill right")

    def fill_down(self) -> None:
        self._fill(True)

    def fill_right(self) -> None:
        self._fill(False)

    def copy_selection(self) -> None:
        rows, cols = self._block()
        if not rows:
            return
        m = self.raci_model()
        lines = []
        for r in rows:
            aid = m.row_object(r)[1]
            lines.append(
                "\t".join(
                    display_letters(m.document.model.letters(aid, m.party_at(c))) for c in cols
                )
            )
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self) -> None:
        """Paste tab-separated text from the current cell on, skipping band rows and
        folded rows; a value that is not RACI letters stops the paste with a message
        naming its place, changing nothing."""
        text = QGuiApplication.clipboard().text()
        current = self.currentIndex()
        if not text or not current.isValid():
            return
        m = self.raci_model()
        activity_rows = [
            r
            for r in range(current.row(), m.rowCount())
            if m.row_object(r)[0] == "activity" and not self.isRowHidden(r)
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
                    cells[(aid, m.party_at(col))] = typed_letters.parse(value)
                except typed_letters.LetterError as exc:
                    m.rejected.emit(
                        f"Paste, row {i + 1} column {j + 1} "
                        f"({m.cell_name(aid, m.party_at(col))}): {exc}; nothing was pasted"
                    )
                    return
        self._apply_cells(cells, f"Paste {len(cells)} RACI cells")

    # --- the cell menu ----------------------------------------------------------------------

    def _cell_menu(self, pos) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        if not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        menu = self.cell_menu(index.row())
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(pos))

    def cell_menu(self, row: int) -> QMenu:
        """The context menu of a cell: the cell gestures on the selection, the row's
        own actions (a function's band row: the row menu alone), and the view's."""
        m = self.raci_model()
        if not 0 <= row < m.rowCount():
            return QMenu(self)
        kind = m.row_object(row)[0]
        menu = self.activity_menu(row)
        top = menu.actions()[0] if menu.actions() else None
        if kind == "activity":
            cell_actions = []
            for label, slot in (
                ("Cut\tCtrl+X", self.cut_selection),
                ("Copy\tCtrl+C", self.copy_selection),
                ("Paste\tCtrl+V", self.paste),
                ("Clear\tDelete", self.clear_selection),
                (None, None),
                *(
                    (f"Set {name}", lambda _=False, v=value: self.set_letters(v))
                    for name, value in SET_CHOICES
                ),
                (None, None),
                ("Fill down\tCtrl+D", self.fill_down),
                ("Fill right\tCtrl+R", self.fill_right),
                (None, None),
            ):
                action = QAction(label or "", menu)
                if slot is None:
                    action.setSeparator(True)
                else:
                    action.triggered.connect(slot)
                cell_actions.append(action)
            if top is not None:
                menu.insertActions(top, cell_actions)
            else:
                menu.addActions(cell_actions)
        fold = menu.addMenu("Functions")
        fid = m.function_of_row(row)
        if fid:
            folded = fid in self.collapsed
            fold.addAction(
                ("Unfold" if folded else "Fold")
                + f" “{m.name_of(fid)}”\tAlt+"
                + ("Right" if folded else "Left"),
                lambda: self.toggle_function(fid),
            )
        fold.addAction("Fold all", lambda: self.set_all_folded(True))
        fold.addAction("Unfold all", lambda: self.set_all_folded(False))
        zoom = menu.addMenu("Zoom")
        zoom.addAction("Zoom in\tCtrl++", lambda: self.zoom_step(1))
        zoom.addAction("Zoom out\tCtrl+-", lambda: self.zoom_step(-1))
        zoom.addAction("Actual size\tCtrl+0", lambda: self.zoom_step(0))
        return menu

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
        """Ask the window for the Model menu's party form (`addRequested`)."""
        self.addRequested.emit("party", "")

    def add_activity(self, function_id: str) -> None:
        """Ask the window for the Model menu's activity form, under `function_id`."""
        self.addRequested.emit("activity", function_id)

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
