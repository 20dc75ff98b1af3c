"""The RACI grid used as a spreadsheet, on the outsourced e-store sample in the real main
window: typed spellings, refused letters, fill down and right, frozen activity column
and function names when scrolled sideways, zoom, folding, the cell menu."""

from __future__ import annotations

import pytest

from ecomraci import store
from ecomraci.letters import TYPING_RULE
from ui.matrix.model import RaciTableModel
from ui.matrix.view import TYPING_RULE_KEY, ZOOM_KEY, RaciTableView

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication

from .conftest import SAMPLES
from .sample_kit import sample_document, shown

CTRL = Qt.KeyboardModifier.ControlModifier
ESTORE = SAMPLES / "outsourced-estore.ecomraci.json"


@pytest.fixture
def estore(make_window):
    w = make_window(store.load(ESTORE), path=ESTORE)
    w.tabs.setCurrentWidget(w.matrix_page)
    w.matrix.setFocus()
    return w


def _go(w, activity: str, party: str):
    m = w.matrix_model
    index = m.index(m.row_of(activity), m.column_of(party))
    w.matrix.setCurrentIndex(index)
    return index


def _type(qtbot, w, text: str) -> None:
    """Type `text` on the current cell, then Enter, as a user does."""
    view = w.matrix
    qtbot.keyClick(view, text[0])
    editor = view.delegate.editor
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


@pytest.mark.parametrize("typed", ["A/R", "AR", "a r", "R,A", "RA"])
def test_each_spelling_of_a_and_r_stores_a_and_r(estore, qtbot, typed):
    doc = estore.document
    index = _go(estore, "sm-strategy", "pixelforge")
    assert doc.model.letters("sm-strategy", "pixelforge") == ""
    _type(qtbot, estore, typed)
    assert doc.model.letters("sm-strategy", "pixelforge") == "AR"
    assert index.data() == "A/R"
    assert doc.undo_stack.count() == 1
    # Enter moved down, as in a spreadsheet
    assert estore.matrix.currentIndex().row() == index.row() + 1


def test_typing_replaces_the_letters_and_tells_the_rule_once(estore, qtbot):
    doc, m = estore.document, estore.matrix_model
    aid = next(a for a, row in doc.model.raci.items() if len(row.get("marketing-dept", "")) >= 1)
    before = doc.model.letters(aid, "marketing-dept")
    _go(estore, aid, "marketing-dept")
    messages = []
    estore.matrix.message.connect(messages.append)
    _type(qtbot, estore, "i")
    assert doc.model.letters(aid, "marketing-dept") == "I" != before
    assert [msg for msg in messages if "replaces" in msg] == [messages[0]]
    _go(estore, aid, "marketing-dept")
    _type(qtbot, estore, "c")
    assert [msg for msg in messages if "replaces" in msg] == [messages[0]]
    assert m.index(m.row_of(aid), m.column_of("marketing-dept")).data() == "C"


def test_an_invalid_letter_is_refused_with_a_message_and_the_cell_unchanged(estore, qtbot):
    doc = estore.document
    aid, pid = "sm-strategy", "marketing-dept"
    before = doc.model.letters(aid, pid)
    _go(estore, aid, pid)
    # as the first key: refused at once
    qtbot.keyClick(estore.matrix, "x")
    text = estore.statusBar().currentMessage()
    assert "'x' is not one of R, A, C, I" in text and "unchanged" in text
    assert estore.matrix.delegate.editor is None
    # inside the editor: said while typing, refused on Enter
    said = []
    estore.matrix.message.connect(said.append)
    qtbot.keyClick(estore.matrix, "a")
    editor = estore.matrix.delegate.editor
    qtbot.keyClicks(editor, "/Q")
    assert "'Q' is not one of" in said[-1]
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "'Q' is not one of" in estore.statusBar().currentMessage()
    assert doc.model.letters(aid, pid) == before
    assert doc.undo_stack.count() == 0


def _select_block(view, top_left, bottom_right) -> None:
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    view.setCurrentIndex(top_left)
    view.selectionModel().select(
        QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def test_fill_down_and_right_are_one_undo_step_each(estore, qtbot):
    doc, m, view = estore.document, estore.matrix_model, estore.matrix
    fid = "online-marketing"
    acts = [a.id for a in doc.model.activities_of(fid)]
    assert len(acts) >= 3
    parties = [m.party_at(c) for c in range(3)]
    top = m.index(m.row_of(acts[0]), 0)
    bottom = m.index(m.row_of(acts[2]), 2)
    source = [doc.model.letters(acts[0], p) for p in parties]
    _select_block(view, top, bottom)
    steps = doc.undo_stack.count()
    qtbot.keyClick(view, Qt.Key.Key_D, CTRL)
    assert doc.undo_stack.count() == steps + 1
    for a in acts[1:3]:
        assert [doc.model.letters(a, p) for p in parties] == source
    doc.undo_stack.undo()
    # fill right: the first column of the block copied into the others
    before = {(a, p): doc.model.letters(a, p) for a in acts[:3] for p in parties}
    _select_block(view, top, bottom)
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)
    assert doc.undo_stack.count() == steps + 1
    for a in acts[:3]:
        assert [doc.model.letters(a, p) for p in parties] == [doc.model.letters(a, parties[0])] * 3
    doc.undo_stack.undo()
    assert {(a, p): doc.model.letters(a, p) for a in acts[:3] for p in parties} == before
    # one cell: Ctrl+D copies the cell above
    below = m.index(m.row_of(acts[1]), 1)
    _select_block(view, below, below)
    qtbot.keyClick(view, Qt.Key.Key_D, CTRL)
    assert doc.model.letters(acts[1], parties[1]) == doc.model.letters(acts[0], parties[1])


def test_the_activity_column_and_function_names_stay_when_scrolled_to_the_last_party(
    make_window, qtbot
):
    w = make_window(store.load(ESTORE), path=ESTORE)
    w.resize(1024, 700)
    w.tabs.setCurrentWidget(w.matrix_page)
    view, m = w.matrix, w.matrix_model
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    view.scrollTo(m.index(m.row_of("om-search"), m.columnCount() - 1))
    hbar = view.horizontalScrollBar()
    hbar.setValue(hbar.maximum())
    QApplication.processEvents()
    last = m.columnCount() - 1
    # the last party is in view
    x = view.columnViewportPosition(last)
    assert 0 <= x and x + view.columnWidth(last) <= view.viewport().width()
    # the frozen column (row header) is still at the left, showing names
    header = view.verticalHeader()
    assert header.isVisible() and header.x() < view.viewport().x() and header.width() >= 150
    # the top row in view: its function is named in the corner, readable in full
    top_row = view.rowAt(0)
    fid = m.function_of_row(top_row)
    name = m.name_of(fid)
    assert view.sticky_function() == name and view.sticky.isVisible()
    label_width = view.sticky.contentsRect().width()
    assert QFontMetrics(view.sticky.font()).horizontalAdvance(name) <= label_width * 2
    assert view.sticky.geometry().right() <= view.viewport().x()
    # a band row's header cell carries its function's name whatever the scrolling
    band = m.row_of("online-marketing")
    view.scrollTo(m.index(band, last))
    hbar.setValue(hbar.maximum())
    image = header.viewport().grab().toImage()
    y = header.sectionViewportPosition(band) + header.sectionSize(band) // 2
    band_fill = image.pixelColor(header.width() - 4, y)
    assert band_fill.name() == "#d0d7de"
    darker = [image.pixelColor(px, y) for px in range(0, min(200, header.width()))]
    assert any(c.lightness() < 100 for c in darker)  # the name is drawn there
    # scrolling down: the corner follows the top row's function
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert view.sticky_function() == m.name_of(m.function_of_row(view.rowAt(0)))


def test_twelve_parties_fit_in_a_1400_wide_window(make_window, qtbot):
    model = store.load(ESTORE)
    from ecomraci.model import Party

    while len(model.parties) < 12:
        n = len(model.parties)
        model.parties.append(
            Party(id=f"extra-{n}", name=f"Extra outside party {n}", kind="external")
        )
    w = make_window(model)
    w.resize(1400, 900)
    w.tabs.setCurrentWidget(w.matrix_page)
    QApplication.processEvents()
    view, m = w.matrix, w.matrix_model
    assert m.columnCount() == 12
    total = sum(view.columnWidth(c) for c in range(12))
    assert total <= view.viewport().width(), (total, view.viewport().width())
    # each header tells the full name, kind and category
    tip = m.headerData(11, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Extra outside party 11" in tip and "Outside party" in tip


def _grid(qtbot, settings):
    """The matrix alone on the sample, with the settings the window would give it."""
    return shown(
        qtbot, RaciTableView(RaciTableModel(sample_document()), settings=settings), 900, 600
    )


def test_zoom_keys_change_the_sizes_and_are_remembered(qtbot, settings):
    view = _grid(qtbot, settings)
    size, width, height = view.font().pointSizeF(), view.columnWidth(0), view.rowHeight(1)
    header = view.horizontalHeader().height()
    qtbot.keyClick(view, Qt.Key.Key_Plus, CTRL)
    assert view.font().pointSizeF() > size and view.columnWidth(0) > width
    assert view.rowHeight(1) > height and view.horizontalHeader().height() > header
    assert int(settings.value(ZOOM_KEY)) == view.zoom > 100
    qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    assert view.font().pointSizeF() < size and view.columnWidth(0) < width
    zoom = view.zoom
    again = _grid(qtbot, settings)  # the next time the matrix is shown: the same zoom
    assert again.zoom == zoom and again.font().pointSizeF() < size
    qtbot.keyClick(view, Qt.Key.Key_0, CTRL)
    assert view.zoom == 100 and view.font().pointSizeF() == size and view.columnWidth(0) == width


def test_the_typing_rule_is_told_once_across_sessions(qtbot, settings):
    view = _grid(qtbot, settings)
    m = view.raci_model()
    told = []
    view.message.connect(told.append)
    view.setCurrentIndex(m.index(m.row_of("sm-strategy"), 0))
    qtbot.keyClick(view, "r")
    assert told == [TYPING_RULE] and settings.value(TYPING_RULE_KEY) in (1, "1")
    qtbot.keyClick(view.delegate.editor, Qt.Key.Key_Escape)
    later = _grid(qtbot, settings)
    later.message.connect(told.append)
    later.setCurrentIndex(m.index(m.row_of("sm-strategy"), 0))
    qtbot.keyClick(later, "r")
    assert told == [TYPING_RULE]


def test_folding_a_function_hides_its_rows(estore, qtbot):
    view, m, doc = estore.matrix, estore.matrix_model, estore.document
    fid = "online-marketing"
    band = m.row_of(fid)
    rows = [m.row_of(a.id) for a in doc.model.activities_of(fid)]
    header = view.verticalHeader()
    view.scrollTo(m.index(band, 0))
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(20, header.sectionViewportPosition(band) + 3),
    )
    assert all(view.isRowHidden(r) for r in rows) and not view.isRowHidden(band)
    # keys on the band row: Right unfolds, Left folds
    view.setCurrentIndex(m.index(band, 0))
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert not any(view.isRowHidden(r) for r in rows)
    view.setCurrentIndex(m.index(rows[1], 2))
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert all(view.isRowHidden(r) for r in rows)
    assert view.currentIndex().row() == band
    # still folded after an edit that resets the rows (a new activity elsewhere)
    form = estore.building.open_form("activity", function="order-management")
    form.name.setText("Check returns")
    form.add_button.click()
    form.close()
    assert all(view.isRowHidden(m.row_of(a.id)) for a in doc.model.activities_of(fid))
    shown_rows = [
        r
        for r in range(m.rowCount())
        if m.row_object(r)[0] != "activity" or m.function_of_row(r) != fid
    ]
    assert not any(view.isRowHidden(r) for r in shown_rows)  # no row hidden by its old number
    view.set_all_folded(False)
    # a double click on the band row in the grid folds it too
    band = m.row_of(fid)
    view.scrollTo(m.index(band, 0))
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(m.index(band, 0)).center()
    )
    assert all(view.isRowHidden(m.row_of(a.id)) for a in doc.model.activities_of(fid))
    view.set_all_folded(False)
    assert not any(view.isRowHidden(m.row_of(a.id)) for a in doc.model.activities_of(fid))


def test_the_cell_menu_cuts_copies_pastes_clears_and_sets(estore, qtbot):
    view, m, doc = estore.matrix, estore.matrix_model, estore.document
    aid = "sm-strategy"
    cell = m.index(m.row_of(aid), m.column_of("pixelforge"))
    other = m.index(m.row_of(aid), m.column_of("marketing-dept"))
    _select_block(view, cell, cell)

    def act(label: str) -> None:
        menu = view.cell_menu(cell.row())
        texts = [a.text().split("\t")[0] for a in menu.actions()]
        assert {"Cut", "Copy", "Paste", "Clear", "Set R", "Set A+R", "Add activity…"} <= set(texts)
        next(a for a in menu.actions() if a.text().split("\t")[0] == label).trigger()
        menu.deleteLater()

    act("Set A+R")
    assert doc.model.letters(aid, "pixelforge") == "AR"
    act("Set C")
    assert doc.model.letters(aid, "pixelforge") == "C"
    act("Copy")
    assert QGuiApplication.clipboard().text() == "C"
    act("Cut")
    assert doc.model.letters(aid, "pixelforge") == ""
    assert QGuiApplication.clipboard().text() == "C"
    _select_block(view, other, other)
    before = doc.model.letters(aid, "marketing-dept")
    act("Paste")
    assert doc.model.letters(aid, "marketing-dept") == "C"
    act("Clear")
    assert doc.model.letters(aid, "marketing-dept") == ""
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.model.letters(aid, "marketing-dept") == before
    # a right click on a cell opens that menu
    seen = []

    def read_and_close():
        popup = QApplication.activePopupWidget()
        seen.extend(a.text().split("\t")[0] for a in popup.actions())
        popup.close()

    QTimer.singleShot(0, read_and_close)
    view.customContextMenuRequested.emit(view.visualRect(cell).center())
    assert "Set A+R" in seen and "Fill down" in seen


def test_totals_tell_counts_and_share(estore):
    m = estore.matrix_model
    col = m.column_of("pixelforge")
    totals = m.index(m.rowCount() - 1, col)
    tip = totals.data(Qt.ItemDataRole.ToolTipRole)
    n = len(estore.document.model.activities)
    r = sum(1 for row in estore.document.model.raci.values() if "R" in row.get("pixelforge", ""))
    assert f"Responsible (R): {r} ({r / n:.0%})" in tip and f"{n} activities" in tip
    # the totals row is tall enough for its four lines
    lines = QFontMetrics(estore.matrix.font()).height() * 4
    assert estore.matrix.rowHeight(m.rowCount() - 1) >= lines


def test_tab_keeps_the_letters_and_moves_right_without_editing(estore, qtbot):
    view, doc = estore.matrix, estore.document
    index = _go(estore, "sm-strategy", "pixelforge")
    qtbot.keyClick(view, "c")
    editor = view.delegate.editor
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert doc.model.letters("sm-strategy", "pixelforge") == "C"
    assert view.currentIndex().row() == index.row()
    assert view.currentIndex().column() == index.column() + 1
    assert view.state() != view.State.EditingState
    # Enter without an editor moves down too; F2 edits what the cell holds
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.state() == view.State.EditingState and view.delegate.editor.text() == "C"
    qtbot.keyClick(view.delegate.editor, Qt.Key.Key_Escape)
    assert doc.model.letters("sm-strategy", "pixelforge") == "C"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.currentIndex().row() == index.row() + 1


def test_typing_on_a_band_row_says_where_letters_go(estore, qtbot):
    view, m, doc = estore.matrix, estore.matrix_model, estore.document
    said = []
    view.message.connect(said.append)
    view.setCurrentIndex(m.index(m.row_of("online-marketing"), 0))
    qtbot.keyClick(view, "a")
    assert said and "Online marketing" in said[-1] and "band row" in said[-1]
    assert view.state() != view.State.EditingState and doc.undo_stack.count() == 0


def test_save_as_still_works_from_the_matrix(estore, qtbot):
    """Ctrl+Shift+S is the window's Save As, not a letter toggle of the grid."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    view = estore.matrix
    _go(estore, "sm-strategy", "pixelforge")
    for key, taken in ((Qt.Key.Key_S, False), (Qt.Key.Key_R, True), (Qt.Key.Key_D, False)):
        mods = CTRL | Qt.KeyboardModifier.ShiftModifier
        event = QKeyEvent(QEvent.Type.ShortcutOverride, key, mods)
        event.ignore()  # as Qt sends it: a widget that wants the key accepts it
        QApplication.sendEvent(view, event)
        assert event.isAccepted() == taken, key
