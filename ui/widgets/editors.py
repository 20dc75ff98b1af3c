"""One editor per kind of field, built from a `FieldSpec`.

Each `FieldEditor` owns one widget, shows a value with `set_value` (without signalling)
and emits `committed(value)` once the user has finished a change: Enter or leaving a
line edit, a choice in a combo, a click on a check box or a check list. The inspector
turns `committed` into an undoable edit; the contracts table uses the same editors as
its delegates' editors.
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from ecomraci.model import PartyKind
from ui.widgets.check_list import CheckList
from ui.widgets.date_edit import OptionalDateEdit
from ui.widgets.fields import FieldSpec, display_value, enum_label, field_specs, ref_choices

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

NONE_TEXT = "—"
SPIN_TOP = 1_000_000_000


class FieldEditor(QObject):
    committed = Signal(object)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.widget: QWidget = self._make(parent)
        self.widget.setToolTip(spec.tooltip)
        self.widget.setProperty("field", spec.name)
        self._value = None

    def _make(self, parent) -> QWidget:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def set_choices(self, model) -> None:
        """Refresh the choices that come from the model (parties, functions…)."""

    def set_value(self, value) -> None:
        self._value = value
        self._show(value)

    def _show(self, value) -> None:
        raise NotImplementedError  # pragma: no cover

    def value(self):
        """The last value shown or committed."""
        return self._value

    def current(self):
        """The value the widget holds now (a table delegate reads it on closing)."""
        return self._value

    def finish(self) -> None:
        """Commit what the widget holds, if it differs from the last value."""
        self._commit(self.current())

    def rows(self) -> list[tuple[str, QWidget]]:
        """Extra (label, widget) rows of a compound editor, laid out under its own row."""
        return []

    def reset_value(self, value) -> None:
        """Take `value` as the last committed one, leaving the widget as it is (after a
        refused edit, so that typing the old value again is no change)."""
        self._value = value

    def _commit(self, value) -> None:
        if value != self._value:
            self._value = value
            self.committed.emit(value)

    def _leave_undo_to_the_document(self, widget: QWidget) -> None:
        """Ctrl+Z in a field that holds what was committed undoes the model's last step,
        not the field's own typing: otherwise the field goes back to the old text while
        the model keeps the new one, and leaving the field commits the old text again
        as a new step. While the field holds uncommitted typing, Ctrl+Z is its own."""
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
            and self.current() == self._value
        ):
            event.ignore()
            return True
        return False


class ReadOnlyEditor(FieldEditor):
    """Ids and keys: shown, selectable, not edited (references to them would break)."""

    def __init__(self, spec, parent=None, model=None):
        self.model = model
        super().__init__(spec, parent)

    def _make(self, parent):
        label = QLabel(parent)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def set_choices(self, model) -> None:
        self.model = model

    def _show(self, value) -> None:
        text = display_value(self.model, self.spec, value) if self.model is not None else str(value)
        self.widget.setText(text)
        if self.spec.editor == "id":
            self.widget.setToolTip("The id other objects use to refer to this one.")


class TextEditor(FieldEditor):
    def _make(self, parent):
        edit = QLineEdit(parent)
        if self.spec.optional:
            edit.setPlaceholderText("none")
        edit.editingFinished.connect(lambda *_: self.finish())
        self._leave_undo_to_the_document(edit)
        return edit

    def _show(self, value) -> None:
        text = "" if value is None else str(value)
        if self.widget.text() != text:
            self.widget.setText(text)
            self.widget.setCursorPosition(0)

    def current(self):
        text = self.widget.text()
        return None if self.spec.optional and not text.strip() else text


class MultilineEditor(FieldEditor):
    """A note: committed when the field loses focus."""

    def _make(self, parent):
        edit = QPlainTextEdit(parent)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
        edit.installEventFilter(self)
        if self.spec.optional:
            edit.setPlaceholderText("none")
        return edit

    def _show(self, value) -> None:
        text = "" if value is None else str(value)
        if self.widget.toPlainText() != text:
            self.widget.setPlainText(text)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.finish()
        return super().eventFilter(watched, event)

    def current(self):
        text = self.widget.toPlainText()
        return None if self.spec.optional and not text.strip() else text


class BoolEditor(FieldEditor):
    def _make(self, parent):
        box = QCheckBox(self.spec.label, parent)
        box.clicked.connect(lambda *_: self.finish())
        return box

    def current(self):
        return self.widget.isChecked()

    def _show(self, value) -> None:
        self.widget.setChecked(bool(value))


class NumberEditor(FieldEditor):
    """A whole or decimal number in a spin box whose range is the field's ``ge``/``le``;
    for an optional field "none" is the value one step below the range, shown as a word."""

    none_text = "none"

    def _make(self, parent):
        whole = self.spec.editor == "int"
        self._cast = int if whole else float
        spin = QSpinBox(parent) if whole else QDoubleSpinBox(parent)
        if not whole:
            spin.setDecimals(1 if self.spec.suffix == " %" else 2)
            spin.setGroupSeparatorShown(True)
        low = self._cast(self.spec.minimum) if self.spec.minimum is not None else -SPIN_TOP
        high = self._cast(self.spec.maximum) if self.spec.maximum is not None else SPIN_TOP
        spin.setKeyboardTracking(False)
        spin.setAccelerated(True)
        if self.spec.suffix:
            spin.setSuffix(self.spec.suffix)
        if self.spec.optional:
            spin.setSpecialValueText(self.none_text)
            low = low - 1
        spin.setRange(low, high)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.editingFinished.connect(lambda *_: self.finish())
        self._leave_undo_to_the_document(spin)
        return spin

    def _show(self, value) -> None:
        shown = self.widget.minimum() if value is None else value
        if self.widget.value() != shown:
            self.widget.blockSignals(True)
            self.widget.setValue(shown)
            self.widget.blockSignals(False)

    def current(self):
        self.widget.interpretText()  # typed text not yet taken (keyboard tracking is off)
        v = self.widget.value()
        return None if self.spec.optional and v == self.widget.minimum() else self._cast(v)


class DateEditor(FieldEditor):
    def _make(self, parent):
        edit = OptionalDateEdit(parent, optional=self.spec.optional)
        edit.dateCommitted.connect(lambda *_: self.finish())
        return edit

    def current(self):
        return self.widget.date()

    def _show(self, value) -> None:
        self.widget.set_date(value)


class _Combo(FieldEditor):
    """A choice among (value, label) pairs; None is the "—" item of an optional field."""

    def _make(self, parent):
        combo = QComboBox(parent)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)  # narrow docks: the full text is in the list
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        combo.activated.connect(lambda *_: self.finish())
        return combo

    def current(self):
        return self.widget.currentData()

    def _fill(self, items: list[tuple[object, str]]) -> None:
        combo = self.widget
        if self.spec.optional:
            items = [(None, NONE_TEXT)] + items
        if [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())] == items:
            return
        combo.blockSignals(True)
        combo.clear()
        for value, label in items:
            combo.addItem(label, value)
        combo.blockSignals(False)
        self._show(self._value)

    def _show(self, value) -> None:
        i = self.widget.findData(value)
        if i < 0 and value is not None:  # a value the choices do not hold: show it anyway
            self.widget.addItem(str(value), value)
            i = self.widget.count() - 1
        self.widget.setCurrentIndex(i)


class EnumEditor(_Combo):
    def __init__(self, spec, parent=None):
        super().__init__(spec, parent)
        self._fill([(e.value, enum_label(e)) for e in spec.enum])


class RefEditor(_Combo):
    def set_choices(self, model) -> None:
        choices = ref_choices(model, self.spec.ref)
        if self.spec.external_only:
            external = {p.id for p in model.parties if p.kind == PartyKind.EXTERNAL.value}
            choices = [(k, label) for k, label in choices if k in external or k == self._value]
        self._fill(choices)


class SetEditor(FieldEditor):
    """A set as a check list: enum values, or ids of the model's objects."""

    def _make(self, parent):
        check_list = CheckList(parent)
        check_list.checkedChanged.connect(lambda *_: self.finish())
        if self.spec.enum is not None:
            check_list.set_choices([(e.value, enum_label(e)) for e in self.spec.enum])
        return check_list

    def set_choices(self, model) -> None:
        if self.spec.ref:
            self.widget.set_choices(ref_choices(model, self.spec.ref))
            self.widget.updateGeometry()

    def _show(self, value) -> None:
        self.widget.set_checked(list(value or []))

    def current(self):
        return self.widget.checked()


class EnumMapEditor(FieldEditor):
    """A dict from one choice to another (who owns each marketing asset): one combo per
    key, laid out by the form as rows of their own (`rows`)."""

    def _make(self, parent):
        self.combos: dict[str, QComboBox] = {}
        self._rows = []
        for key in self.spec.enum:
            combo = QComboBox(parent)
            combo.addItem("not agreed", None)
            for v in self.spec.value_enum:
                combo.addItem(enum_label(v), v.value)
            combo.activated.connect(lambda *_: self.finish())
            combo.setProperty("field", self.spec.name)
            self.combos[key.value] = combo
            self._rows.append((enum_label(key), combo))
        header = QLabel(parent)  # nothing to show beside the caption
        return header

    def rows(self):
        return self._rows

    def _show(self, value) -> None:
        value = {getattr(k, "value", k): getattr(v, "value", v) for k, v in (value or {}).items()}
        for key, combo in self.combos.items():
            combo.setCurrentIndex(max(0, combo.findData(value.get(key))))

    def current(self):
        return {k: c.currentData() for k, c in self.combos.items() if c.currentData() is not None}

    def _commit(self, value) -> None:
        old = {
            getattr(k, "value", k): getattr(v, "value", v) for k, v in (self._value or {}).items()
        }
        if value != old:
            self._value = value
            self.committed.emit(value)


def default_of(cls: type[BaseModel]) -> BaseModel:
    """A fresh `cls`; required numbers start at their lower bound (or 0)."""
    try:
        return cls()
    except ValidationError:
        data = {}
        for spec in field_specs(cls):
            if spec.required:
                data[spec.name] = (spec.minimum or 0) if spec.editor in ("int", "float") else ""
        return cls.model_validate(data)


class NestedEditor(FieldEditor):
    """A small object inside another (exit plan, data return). Its fields are editors of
    their own, laid out by the form as rows (`rows`); each change commits the whole
    object. An optional one (minimum commitment, payment terms) has an "agreed" box as
    its `widget`; unchecking it sets the object to none."""

    def __init__(self, spec, parent=None, model=None):
        self.model = model
        super().__init__(spec, parent)

    def _make(self, parent):
        self.subs: dict[str, FieldEditor] = {}
        self._rows = []
        for sub in field_specs(self.spec.nested):
            editor = make_editor(sub, parent, self.model)
            editor.committed.connect(lambda v, name=sub.name: self._sub_changed(name, v))
            editor.widget.setProperty("field", self.spec.name)
            self.subs[sub.name] = editor
            self._rows.append(("" if sub.editor == "bool" else sub.label, editor.widget))
        if self.spec.optional:
            header = QCheckBox("Applies" if self.spec.name == "payment" else "Agreed", parent)
            header.clicked.connect(self._toggled)
        else:
            header = QLabel(parent)
        return header

    def rows(self):
        return self._rows

    def _enable(self, on: bool) -> None:
        for editor in self.subs.values():
            editor.widget.setEnabled(on)

    def _show(self, value) -> None:
        if self.spec.optional:
            self.widget.setChecked(value is not None)
            self._enable(value is not None)
        shown = value if value is not None else default_of(self.spec.nested)
        for name, editor in self.subs.items():
            editor.set_value(getattr(shown, name))

    def _toggled(self, on: bool) -> None:
        self._enable(on)
        self._commit(default_of(self.spec.nested).model_dump() if on else None)

    def _sub_changed(self, name: str, value) -> None:
        current = self._value if self._value is not None else default_of(self.spec.nested)
        data = current.model_dump() if isinstance(current, BaseModel) else dict(current)
        data[name] = value
        self._commit(data)

    def _commit(self, value) -> None:
        old = self._value.model_dump() if isinstance(self._value, BaseModel) else self._value
        if value != old:
            self._value = value
            self.committed.emit(value)

    def set_choices(self, model) -> None:
        self.model = model
        for editor in self.subs.values():
            editor.set_choices(model)


_EDITORS = {
    "text": TextEditor,
    "multiline": MultilineEditor,
    "bool": BoolEditor,
    "int": NumberEditor,
    "float": NumberEditor,
    "date": DateEditor,
    "enum": EnumEditor,
    "ref": RefEditor,
    "enum-set": SetEditor,
    "ref-set": SetEditor,
    "enum-map": EnumMapEditor,
}


def make_editor(spec: FieldSpec, parent: QWidget | None, model=None) -> FieldEditor:
    """The editor that fits `spec`, with its choices filled from `model`."""
    if spec.editor in ("id", "key", "other"):
        editor: FieldEditor = ReadOnlyEditor(spec, parent, model)
    elif spec.editor == "nested":
        editor = NestedEditor(spec, parent, model)
    else:
        editor = _EDITORS[spec.editor](spec, parent)
    if model is not None:
        editor.set_choices(model)
    return editor
