"""A date field that may also hold no date.

QDateEdit has no empty state, so the earliest date it allows stands for "none" and is
shown as a special text; a clear button sets it. The calendar popup opens on today's
month when no date is set.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QStyle, QToolButton, QWidget

_NONE = QDate(1900, 1, 1)


class OptionalDateEdit(QWidget):
    """`dateCommitted(date | None)` is emitted when the user finishes a change: Enter,
    leaving the field, picking a day in the calendar or clearing it."""

    dateCommitted = Signal(object)

    def __init__(
        self, parent: QWidget | None = None, none_text: str = "none", optional: bool = True
    ):
        super().__init__(parent)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(_NONE)
        self.edit.setMaximumDate(QDate(9999, 12, 31))
        self.edit.setSpecialValueText(none_text if optional else "")
        self.edit.setDate(_NONE)
        self.clear_button = QToolButton(self)
        self.clear_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton)
        )
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip("Clear the date")
        self.clear_button.setVisible(optional)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.edit)
        self._last: date | None = None
        calendar = self.edit.calendarWidget()
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.installEventFilter(self)
        self.edit.editingFinished.connect(self._finish)
        self.clear_button.clicked.connect(self._clear)

    def date(self) -> date | None:
        qd = self.edit.date()
        return None if qd == _NONE else date(qd.year(), qd.month(), qd.day())

    def set_date(self, value: date | None) -> None:
        """Show `value` without emitting `dateCommitted`."""
        self._last = value
        if value == self.date():
            return
        self.edit.blockSignals(True)
        self.edit.setDate(_NONE if value is None else QDate(value.year, value.month, value.day))
        self.edit.blockSignals(False)

    def _picked(self, qdate: QDate) -> None:
        self.edit.setDate(qdate)
        self._finish()

    def _clear(self) -> None:
        self.edit.setDate(_NONE)
        self._finish()

    def _finish(self) -> None:
        value = self.date()
        if value != self._last:
            self._last = value
            self.dateCommitted.emit(value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.date() is None:
            today = QDate.currentDate()
            watched.setCurrentPage(today.year(), today.month())
        return False
