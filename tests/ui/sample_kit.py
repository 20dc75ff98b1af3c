"""Helpers for the widget tests: a document on the outsourced e-store sample, a widget
shown at a realistic size, and the keyboard gestures the tests repeat."""

from pathlib import Path

from ecomraci import store
from ui.document import Document

from PySide6.QtCore import Qt

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "outsourced-estore.ecomraci.json"


def sample_document() -> Document:
    return Document(store.load(SAMPLE))


def shown(qtbot, widget, width: int, height: int):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def step_combo(qtbot, combo):
    """Choose the next item (the previous one at the end) with the keyboard, as a user
    does; returns the chosen item's data."""
    combo.setFocus()
    at_end = combo.currentIndex() == combo.count() - 1
    qtbot.keyClick(combo, Qt.Key.Key_Up if at_end else Qt.Key.Key_Down)
    return combo.currentData()


def retype(qtbot, line_edit, text: str, enter: bool = True) -> None:
    """Replace the text of a line edit by typing, then press Enter."""
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line_edit, text)
    if enter:
        qtbot.keyClick(line_edit, Qt.Key.Key_Return)
