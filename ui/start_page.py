"""The page shown when no model is open: start from the catalog, open a file, or pick a
recent file or one of the bundled samples."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
FOCUS_TEXT = {
    "commerce": "Commerce: selling products online",
    "content": "Content: producing and licensing content",
    "community": "Community: advertising and moderation",
}
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def bundled_samples() -> list[Path]:
    return sorted(SAMPLES_DIR.glob("*.ecomraci.json")) if SAMPLES_DIR.is_dir() else []


class StartPage(QWidget):
    newRequested = Signal(str)  # strategy focus
    openRequested = Signal()
    pathChosen = Signal(Path)

    def __init__(self, parent=None):
        super().__init__(parent)
        title = QLabel("ecomraci")
        title.setStyleSheet("font-size: 26pt; font-weight: 600;")
        subtitle = QLabel(
            "Who does what in your e-commerce, under which contract, and can you take it back?"
        )
        subtitle.setStyleSheet("color: #555; font-size: 11pt;")

        new_box = QGroupBox("Start a new model from the function catalog")
        self.focus = QComboBox()
        for key, text in FOCUS_TEXT.items():
            self.focus.addItem(text, key)
        new_button = QPushButton("New from catalog")
        new_button.setDefault(True)
        new_button.clicked.connect(lambda: self.newRequested.emit(self.focus.currentData()))
        open_button = QPushButton("Open a model…")
        open_button.clicked.connect(self.openRequested)
        row = QHBoxLayout(new_box)
        row.addWidget(QLabel("Strategy focus:"))
        row.addWidget(self.focus, 1)
        row.addWidget(new_button)
        row.addWidget(open_button)

        self.recent = self._list("Recent files")
        self.samples = self._list("Samples")
        for path in bundled_samples():
            self._add(self.samples.list, path, _sample_title(path))

        grid = QGridLayout()
        grid.addWidget(self.recent, 0, 0)
        grid.addWidget(self.samples, 0, 1)

        inner = QFrame()
        inner.setMaximumWidth(980)
        layout = QVBoxLayout(inner)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(16)
        layout.addWidget(new_box)
        layout.addLayout(grid, 1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(inner, 6)
        outer.addStretch(1)

    def _list(self, title: str) -> QGroupBox:
        box = QGroupBox(title)
        box.list = QListWidget()
        box.list.itemActivated.connect(lambda item: self.pathChosen.emit(item.data(PATH_ROLE)))
        QVBoxLayout(box).addWidget(box.list)
        return box

    @staticmethod
    def _add(widget: QListWidget, path: Path, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(PATH_ROLE, path)
        item.setToolTip(str(path))
        widget.addItem(item)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.list.clear()
        for path in paths:
            self._add(self.recent.list, path, f"{path.name}  —  {path.parent}")
        if not paths:
            item = QListWidgetItem("No recent files yet")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.list.addItem(item)


def _sample_title(path: Path) -> str:
    stem = path.name.removesuffix(".ecomraci.json")
    return stem.replace("-", " ").capitalize()
