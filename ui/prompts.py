"""Every question the main window asks the user, in one object.

The window never opens a dialog itself: it asks `window.prompts`. Tests hand the window
an object with the same methods that answers at once, so no modal dialog is ever left
waiting for a click. The dialog classes are imported when a question is first asked:
PySide6 builds a class's Python enums on first use, which start-up can do without.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

MODEL_FILTER = "ecomraci models (*.ecomraci.json *.json);;All files (*)"
XLSX_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
MAP_FILTER = "SVG drawing (*.svg);;PNG image (*.png);;PDF document (*.pdf)"


class Prompts:
    def __init__(self, parent: QWidget):
        self.parent = parent

    def save_changes(self, title: str) -> str:
        """'save', 'discard' or 'cancel'."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self.parent,
            "Unsaved changes",
            f"“{title}” has changes that are not saved. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return {
            QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard",
        }.get(answer, "cancel")

    def open_path(self, title: str = "Open model", file_filter: str = MODEL_FILTER) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self.parent, title, "", file_filter)
        return Path(path) if path else None

    def save_path(
        self, suggestion: str, title: str = "Save model as", file_filter: str = MODEL_FILTER
    ) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggestion, file_filter)
        return Path(path) if path else None

    def text(self, title: str, label: str, default: str = "") -> str | None:
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getText(self.parent, title, label, text=default)
        return value.strip() if ok and value.strip() else None

    def item(self, title: str, label: str, items: list[str]) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        if not items:
            return None
        value, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return value if ok else None

    def confirm(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self.parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def error(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(self.parent, title, text)

    def recover(self, label: str) -> str:
        """'recover', 'discard' (delete the copy) or 'later' (keep it for next time).
        `label`'s first line names the model; the lines after it (when the copy was
        written, what differs) are shown under the question."""
        from PySide6.QtWidgets import QMessageBox

        name, _, details = label.partition("\n")
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Recover unsaved work")
        box.setText(f"ecomraci ended without saving {name}. Open the recovered copy?")
        box.setInformativeText(
            (details + "\n\n" if details else "")
            + "Recover opens it, not saved yet; Discard deletes it; Later keeps it for next "
            "time."
        )
        recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "recover" if clicked is recover else "discard" if clicked is discard else "later"

    def review_import(self, changes, notes) -> bool:
        from ui.dialogs import ImportReviewDialog

        return bool(ImportReviewDialog(changes, notes, self.parent).exec())
