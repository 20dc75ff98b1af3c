from ui.matrix.model import OBJECT_ROLE

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _cell(window, activity_id, party_id):
    m = window.matrix_model
    return m.index(m.row_of(activity_id), m.column_of(party_id))


def test_item_models_pass_qtmodeltester(window, qtmodeltester):
    qtmodeltester.check(window.matrix_model)
    qtmodeltester.check(window.findings.model)


def test_rows_grouped_by_function_and_internal_parties_first(window):
    m = window.matrix_model
    assert m.row_object(0) == ("function", "shop-management")
    assert m.row_object(1)[0] == "activity"
    kinds = [window.document.model.party(m.party_at(c)).kind for c in range(m.columnCount())]
    assert kinds == sorted(kinds, key=lambda k: k != "internal")


def test_typed_letters_are_one_undoable_step_and_mark_the_title(window, qtbot):
    m = window.matrix_model
    index = _cell(window, "web-store-it.hosting", "marketing")
    assert m.setData(index, "c, i")
    assert window.document.model.letters("web-store-it.hosting", "marketing") == "CI"
    assert index.data() == "C/I"
    assert window.windowTitle().startswith(window.document.title + " *")
    window.document.undo_stack.undo()
    assert window.document.model.letters("web-store-it.hosting", "marketing") == ""
    assert "*" not in window.windowTitle()


def test_bad_letter_is_rejected_with_a_message_and_changes_nothing(window, qtbot):
    m = window.matrix_model
    index = _cell(window, "web-store-it.hosting", "marketing")
    with qtbot.waitSignal(m.rejected) as blocker:
        assert not m.setData(index, "X")
    assert "'X' is not one of R, A, C, I" in blocker.args[0]
    name = window.document.model.activity("web-store-it.hosting").name
    assert name in blocker.args[0] and "Marketing" in blocker.args[0]
    assert "unchanged" in blocker.args[0]
    assert window.document.undo_stack.count() == 0


def test_keyboard_toggle_delete_and_paste(window, qtbot):
    view, doc = window.matrix, window.document
    start = _cell(window, "web-store-it.hosting", "ecommerce-team")
    view.setCurrentIndex(start)
    view.selectionModel().select(start, view.selectionModel().SelectionFlag.ClearAndSelect)
    # a letter opens the cell's editor with it; Enter keeps it
    qtbot.keyClick(view, Qt.Key.Key_I)
    editor = view.delegate.editor
    assert editor is not None and editor.text() == "i"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert doc.model.letters("web-store-it.hosting", "ecommerce-team") == "I"
    view.setCurrentIndex(start)
    # Ctrl+Shift+letter adds or takes out one letter
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL_SHIFT)
    assert doc.model.letters("web-store-it.hosting", "ecommerce-team") == "RI"
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL_SHIFT)
    assert doc.model.letters("web-store-it.hosting", "ecommerce-team") == "I"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert doc.model.letters("web-store-it.hosting", "ecommerce-team") == ""
    # A 2x2 paste from a spreadsheet is one undo step.
    QGuiApplication.clipboard().setText("C\tI\nA/R\t\n")
    before = doc.undo_stack.count()
    view.paste()
    assert doc.undo_stack.count() == before + 1
    row_next = window.matrix_model.index(start.row() + 1, start.column()).data(OBJECT_ROLE)
    assert doc.model.letters("web-store-it.hosting", "ecommerce-team") == "C"
    assert doc.model.letters(row_next[0], row_next[1]) == "AR"
    doc.undo_stack.undo()
    assert doc.model.letters("web-store-it.hosting", "ecommerce-team") == ""


def test_findings_follow_edits(window, qtbot):
    doc = window.document
    window.findings.recheck_now(wait=True)
    assert window.findings.model.rowCount() == 0
    index = _cell(window, "web-store-it.hosting", "it")
    window.matrix_model.setData(index, "")  # no A, no R left
    window.findings.recheck_now(wait=True)
    rules = {f.rule for f in window.findings.model.findings}
    assert {"RACI-01", "RACI-02"} <= rules
    assert "errors" in window.counts.text() and not window.counts.text().startswith("✖ 0")
    doc.undo_stack.undo()
    window.findings.recheck_now(wait=True)
    assert not [f for f in window.findings.model.findings if f.rule in ("RACI-01", "RACI-02")]
