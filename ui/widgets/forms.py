"""Form layouts that look the same in every panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QSizePolicy, QSpacerItem, QWidget


def aligned_form(parent: QWidget) -> QFormLayout:
    """A form with right-aligned labels and fields that grow only when they want to."""
    form = QFormLayout(parent)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    return form


def indented_row(form: QFormLayout, widget: QWidget, indent: int = 0) -> QSpacerItem:
    """Add `widget` (a check box: its own text is its label) on a row of its own, under
    the fields when there is room and moving left into the labels' column when the form
    is narrow, so that a long text is not cut off. Returns the indent, whose width
    `set_indent` changes once the labels' width is known."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    spacer = QSpacerItem(indent, 0, QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    row.addSpacerItem(spacer)
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, widget.sizePolicy().verticalPolicy())
    row.addWidget(widget)
    row.addStretch(1)
    form.addRow(row)
    return spacer


def set_indent(spacer: QSpacerItem, width: int) -> None:
    spacer.changeSize(width, 0, QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
