"""A list of checkable choices for a field that holds a set (functions a contract
covers, members of a forum, kinds of data), over a small item model."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckListModel(QAbstractListModel):
    """Choices as (key, label); the checked keys keep the order they were given in and
    a newly checked key goes last, so a toggle changes one entry of the stored list."""

    checkedChanged = Signal(list)  # the new list of checked keys, after a user's toggle

    def __init__(self, parent=None):
        super().__init__(parent)
        self.choices: list[tuple[str, str]] = []
        self.checked: list[str] = []

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        self.beginResetModel()
        self.choices = list(choices)
        self.endResetModel()

    def set_checked(self, keys: list[str]) -> None:
        self.checked = list(keys)
        if self.choices:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.choices) - 1), [Qt.ItemDataRole.CheckStateRole]
            )

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.choices):
            return None
        key, label = self.choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if key in self.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{label} ({key})"
        if role == KEY_ROLE:
            return key
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        key = self.choices[index.row()][0]
        on = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if on == (key in self.checked):
            return False
        if on:
            self.checked = self.checked + [key]
        else:
            self.checked = [k for k in self.checked if k != key]
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit(list(self.checked))
        return True

    def checked_keys(self) -> list[str]:
        return list(self.checked)


class CheckList(QListView):
    """`checkedChanged(list)` when the user checks or unchecks a choice."""

    checkedChanged = Signal(list)

    def __init__(self, parent: QWidget | None = None, max_visible_rows: int = 8):
        super().__init__(parent)
        self.list_model = CheckListModel(self)
        self.setModel(self.list_model)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.max_visible_rows = max_visible_rows
        self.list_model.checkedChanged.connect(self.checkedChanged)
        self.list_model.modelReset.connect(self.updateGeometry)

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        if choices != self.list_model.choices:
            self.list_model.set_choices(choices)

    def set_checked(self, keys: list[str]) -> None:
        """Show `keys` as checked, without emitting `checkedChanged`."""
        if list(keys) != self.list_model.checked:
            self.list_model.set_checked(keys)

    def checked(self) -> list[str]:
        return self.list_model.checked_keys()

    def sizeHint(self) -> QSize:
        rows = max(1, min(self.max_visible_rows, self.list_model.rowCount()))
        row = (
            self.sizeHintForRow(0)
            if self.list_model.rowCount()
            else self.fontMetrics().height() + 6
        )
        return QSize(super().sizeHint().width(), rows * row + 2 * self.frameWidth() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, min(self.sizeHint().height(), 3 * (self.fontMetrics().height() + 6)))
