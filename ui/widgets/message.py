"""An inline message under a field or a table: why an edit was refused."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class InlineMessage(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("inlineMessage")
        self.setStyleSheet(
            "QLabel#inlineMessage { color: #9b1c1c; background: #fdecec;"
            " border: 1px solid #f0b9b9; border-radius: 3px; padding: 3px 6px; }"
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setToolTip(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.setText("")
        self.hide()

    def message(self) -> str:
        return self.text()
