"""Redo answers to Ctrl+Y and to Ctrl+Shift+Z, with the matrix focused, as spreadsheet
users expect; Undo to Ctrl+Z."""

from __future__ import annotations

from ecomraci import store
from tests.ui.conftest import SAMPLES

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest


def test_ctrl_y_and_ctrl_shift_z_redo_in_the_matrix(make_window, qtbot):
    window = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"))
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    stack = window.document.undo_stack
    m = window.matrix_model
    row = next(r for r in range(m.rowCount()) if m.row_object(r)[0] == "activity")
    index = m.index(row, 0)
    before = index.data()
    letter = "I" if before != "I" else "C"
    assert m.setData(index, letter)
    after = index.data()
    window.matrix.setFocus()
    window.matrix.setCurrentIndex(index)
    keys = {a.text(): a.shortcuts() for a in window.edit_menu.actions() if a.shortcuts()}
    redo_keys = next(v for k, v in keys.items() if k.startswith("&Redo"))
    assert QKeySequence("Ctrl+Y") in redo_keys and QKeySequence("Ctrl+Shift+Z") in redo_keys

    def press(key, modifiers):
        # through the window, as the platform delivers keys: shortcuts apply
        QTest.keyClick(window.windowHandle(), key, modifiers)

    for redo in ("y", "z"):
        press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert stack.index() == 0 and index.data() == before
        if redo == "y":
            press(Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        else:
            press(
                Qt.Key.Key_Z,
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            )
        assert stack.index() == 1 and index.data() == after, redo
