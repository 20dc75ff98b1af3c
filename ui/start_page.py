"""The page shown when no model is open: start from the catalog, open a file, or pick a
recent file or one of the bundled samples.

A single click on a recent file or a sample opens it (as does a double click, or Enter
on the selected one). Samples are listed by their models' names, with the first
sentence of each model's comment under it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ecomraci.palette import MUTED

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
# A sample's description on the page: its comment's first sentence, cut to this length.
DESCRIPTION_CHARS = 140


@dataclass(frozen=True)
class SampleInfo:
    path: Path
    name: str  # the model's name, or one made from the file's name
    description: str  # one line; the comment's first sentence
    comment: str  # the whole comment


def sample_info(path: Path) -> SampleInfo:
    """What the start page shows of a model file: its `name` and the first sentence of
    its `comment`; a file that cannot be read gets a name from its file name."""
    fallback = path.name.removesuffix(".ecomraci.json").replace("-", " ").capitalize()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        return SampleInfo(path, fallback, "", "")
    name = data.get("name")
    comment = data.get("comment")
    name = name.strip() if isinstance(name, str) and name.strip() else fallback
    comment = " ".join(comment.split()) if isinstance(comment, str) else ""
    return SampleInfo(path, name, _first_sentence(comment), comment)


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    sentence = text if end < 0 else text[: end + 1]
    if len(sentence) <= DESCRIPTION_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, DESCRIPTION_CHARS - 1)
    return sentence[: cut if cut > 0 else DESCRIPTION_CHARS - 1].rstrip(",;: ") + "…"


def bundled_samples() -> list[Path]:
    return sorted(SAMPLES_DIR.glob("*.ecomraci.json")) if SAMPLES_DIR.is_dir() else []


class _EntryDelegate(QStyledItemDelegate):
    """Draws an entry's first line (a model's or file's name) in bold and the rest (its
    description or folder) under it in a muted colour, wrapped to the list's width."""

    PAD = 6

    def __init__(self, view: QListWidget):
        super().__init__(view)
        self.view = view

    def _parts(self, index) -> tuple[str, str]:
        title, _, rest = str(index.data() or "").partition("\n")
        return title, rest

    def _fonts(self, option) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return bold, QFont(option.font)

    def _width(self) -> int:
        return max(120, self.view.viewport().width() - 2 * self.PAD - 4)

    def sizeHint(self, option, index) -> QSize:
        title, rest = self._parts(index)
        bold, plain = self._fonts(option)
        flags = Qt.TextFlag.TextWordWrap
        height = (
            QFontMetrics(bold)
            .boundingRect(QRect(0, 0, self._width(), 10_000), flags, title)
            .height()
        )
        if rest:
            height += (
                QFontMetrics(plain)
                .boundingRect(QRect(0, 0, self._width(), 10_000), flags, rest)
                .height()
                + 2
            )
        return QSize(self._width(), height + 2 * self.PAD)

    def paint(self, painter: QPainter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, self.view)
        title, rest = self._parts(index)
        bold, plain = self._fonts(option)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        text = (
            option.palette.highlightedText().color() if selected else option.palette.text().color()
        )
        if not enabled:
            text = QColor(MUTED)
        flags = Qt.TextFlag.TextWordWrap
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        painter.save()
        painter.setPen(text)
        painter.setFont(bold if enabled else plain)
        used = painter.boundingRect(rect, flags, title)
        painter.drawText(rect, flags, title)
        if rest:
            painter.setFont(plain)
            painter.setPen(text if selected else QColor(MUTED))
            painter.drawText(rect.adjusted(0, used.height() + 2, 0, 0), flags, rest)
        painter.restore()


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
        subtitle.setStyleSheet(f"color: {MUTED}; font-size: 11pt;")
        subtitle.setWordWrap(True)

        new_box = QGroupBox("Start a new model from the function catalog")
        new_box.setToolTip(
            "New model… asks the company's name and offers a guided start: for each "
            "catalog function, your own team or the company you buy it from."
        )
        self.focus = QComboBox()
        self.focus.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.focus.setMinimumContentsLength(16)
        for key, text in FOCUS_TEXT.items():
            self.focus.addItem(text, key)
        new_button = QPushButton("New model…")
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
        for info in map(sample_info, bundled_samples()):
            text = f"{info.name}\n{info.description}" if info.description else info.name
            item = self._add(self.samples.list, info.path, text)
            item.setToolTip(f"{info.comment}\n\n{info.path}" if info.comment else str(info.path))
        hint = QLabel("Click a file or a sample to open it.")
        hint.setStyleSheet(f"color: {MUTED};")
        # a click opens after the double-click time, so that the second click of a
        # double click does not land on the model's window (a double click opens at once)
        self._pending: Path | None = None
        self._click_timer = QTimer(self, singleShot=True)
        self._click_timer.setInterval(QApplication.doubleClickInterval())
        self._click_timer.timeout.connect(self._open_pending)

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
        layout.addWidget(hint)
        layout.addLayout(grid, 1)
        page = QWidget()
        centred = QHBoxLayout(page)
        centred.addStretch(1)
        centred.addWidget(inner, 6)
        centred.addStretch(1)
        # in a scroll area: a small window scrolls the page, and the page, which stays in
        # the window's stack while a model is open, asks the window for no room of its own
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _list(self, title: str) -> QGroupBox:
        box = QGroupBox(title)
        box.list = QListWidget()
        box.list.setItemDelegate(_EntryDelegate(box.list))
        box.list.setResizeMode(QListWidget.ResizeMode.Adjust)  # descriptions re-wrap
        box.list.setMouseTracking(True)
        box.list.setCursor(Qt.CursorShape.PointingHandCursor)
        box.list.itemClicked.connect(self._clicked)
        box.list.itemActivated.connect(self._activated)
        QVBoxLayout(box).addWidget(box.list)
        return box

    @staticmethod
    def _add(widget: QListWidget, path: Path, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(PATH_ROLE, path)
        item.setToolTip(str(path))
        widget.addItem(item)
        return item

    def _clicked(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path is None:
            return
        self._pending = path
        self._click_timer.start()

    def _activated(self, item: QListWidgetItem) -> None:
        """Enter or a double click: open now."""
        path = item.data(PATH_ROLE)
        if path is None:
            return
        self._pending = path
        self._open_pending()

    def _open_pending(self) -> None:
        self._click_timer.stop()
        path, self._pending = self._pending, None
        if path is not None:
            self.pathChosen.emit(path)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.list.clear()
        for path in paths:
            self._add(self.recent.list, path, f"{path.name}\n{path.parent}")
        if not paths:
            item = QListWidgetItem("No recent files yet")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.list.addItem(item)
