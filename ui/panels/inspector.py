"""The inspector: a form that edits the fields of the selected object.

The form is built from the object's pydantic type (`ui.widgets.fields`): every field
gets the editor that fits its type and constraints, so a field added to the core model
appears here without new code. The tables below only group fields into boxes; a field
they do not name lands in "More". Ids and the key fields of dependencies and
assignments are shown, not edited: other objects refer to them.

Every change is one `ApplyEditsCommand` holding one `SetField`. A value the model
refuses is not pushed: the message shows under the field and nothing changes. When
the document changes (an edit elsewhere, undo, redo) the editors are updated in place,
so the field being typed in keeps the focus.
"""

from __future__ import annotations

from ecomraci.edits import SetField, target_object
from ui.document import Document
from ui.widgets.editing import dump
from ui.widgets.editors import FieldEditor, make_editor
from ui.widgets.fields import KINDS, MULTILINE, FieldSpec, field_specs
from ui.widgets.forms import aligned_form
from ui.widgets.message import InlineMessage

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

GROUPS: dict[str, list[tuple[str, list[str]]]] = {
    "contract": [
        ("Contract", ["name", "id", "party", "covers", "start", "end"]),
        ("Term and renewal", ["auto_renew", "renewal_term_months", "notice_period_months"]),
        (
            "Exit and reversibility",
            [
                "termination_for_convenience",
                "partial_termination",
                "insourcing_rights",
                "exclusivity",
                "cross_termination",
                "cooperation_duty",
                "exit_plan",
                "transition_assistance",
                "data_return",
                "knowledge_transfer",
                "staff_transfer_on_exit",
                "step_in_rights",
            ],
        ),
        (
            "Commercial terms",
            [
                "bundled_price",
                "price_card_per_function",
                "minimum_commitment",
                "benchmarking",
                "change_control",
                "service_levels",
            ],
        ),
        ("Assets and intellectual property", ["marketing_assets", "custom_work", "ip_assignment"]),
        (
            "Data protection and payments",
            ["data_processing_agreement", "transfer_basis", "payment"],
        ),
        ("Notes", ["note"]),
    ],
    "party": [
        ("Party", ["name", "id", "kind", "category", "contact"]),
        (
            "Data and storefront",
            ["data_location", "delivery_model", "adds_storefront_scripts", "reaches_payment_page"],
        ),
        ("Notes", ["note"]),
    ],
    "function": [
        ("Function", ["name", "id", "criticality", "reversible", "lead_time_months", "data"]),
        ("Description", ["description"]),
    ],
}

LABEL_WIDTH = 120  # px; longer labels wrap onto a second line

KIND_TITLES = {
    "party": "Party",
    "function": "Function",
    "activity": "Activity",
    "contract": "Contract",
    "forum": "Forum",
    "dependency": "Dependency",
    "assignment": "Assignment",
}


def _groups(kind: str, specs: list[FieldSpec]) -> list[tuple[str, list[FieldSpec]]]:
    by_name = {s.name: s for s in specs}
    groups = GROUPS.get(kind) or [
        (KIND_TITLES[kind], ["name", "id"] + [s.name for s in specs if s.name != "note"]),
        ("Notes", ["note"]),
    ]
    placed: set[str] = set()
    result = []
    for title, names in groups:
        members = [by_name[n] for n in names if n in by_name]
        placed.update(s.name for s in members)
        if members:
            result.append((title, members))
    rest = [s for s in specs if s.name not in placed]
    if rest:
        result.append(("More", rest))
    return result


# The collections whose objects the editors offer to choose from (and whose names a
# dependency's or an assignment's heading shows).
_CHOICES = ("parties", "functions", "activities", "contracts")


class InspectorPanel(QWidget):
    """Edits one object of `document`. Call `show_object(kind, key)` when the selection
    changes; `show_object(None, None)` (or `clear()`) shows nothing."""

    objectShown = Signal(str, str)  # kind, key; empty strings when nothing is shown

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.kind: str | None = None
        self.key: str | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, InlineMessage] = {}
        self.title = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle.setStyleSheet("color: palette(placeholder-text);")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(4)
        layout.addWidget(self.scroll, 1)
        self._choices_signature = None
        self._show_placeholder(
            "Select a party, function, activity, contract or forum to edit its fields here."
        )
        document.changed.connect(self._document_changed)

    # --- public -----------------------------------------------------------------------

    def show_object(self, kind: str | None, key: str | None) -> None:
        """Edit the object `key` of `kind` (party, function, activity, contract, forum,
        dependency, assignment; key as `ecomraci.edits.object_key` gives it)."""
        if kind is None or key is None:
            self.clear()
            return
        if kind not in KINDS:  # a waiver, the organisation…: edited elsewhere
            self.clear()
            return
        obj = self._object(kind, key)
        if obj is None:
            self.clear()
            return
        if (kind, key) == (self.kind, self.key):
            self._refresh()
            return
        self.kind, self.key = kind, key
        self._build(obj)
        self.objectShown.emit(kind, key)

    def clear(self) -> None:
        self.kind = self.key = None
        self.editors, self.messages = {}, {}
        self._show_placeholder("Nothing selected.")
        self.objectShown.emit("", "")

    def current(self) -> tuple[str, str] | None:
        return (self.kind, self.key) if self.kind else None

    def editor(self, field: str) -> FieldEditor:
        """The editor of `field` of the shown object."""
        return self.editors[field]

    def message(self, field: str) -> str:
        """The message shown under `field` ("" when none)."""
        return self.messages[field].message() if field in self.messages else ""

    # --- building -----------------------------------------------------------------------

    def _object(self, kind: str, key: str):
        try:
            return target_object(self.document.model, kind, key)
        except KeyError:
            return None

    def _show_placeholder(self, text: str) -> None:
        self.title.setText("")
        self.subtitle.setText("")
        self.title.hide()
        self.subtitle.hide()
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: palette(placeholder-text); padding: 24px;")
        self.scroll.setWidget(label)

    def _heading(self, obj) -> tuple[str, str]:
        model = self.document.model
        names = {
            x.id: x.name for c in ("parties", "functions", "activities") for x in getattr(model, c)
        }
        kind_title = KIND_TITLES[self.kind]
        if self.kind == "dependency":
            return (
                f"{names.get(obj.function, obj.function)} → {names.get(obj.needs, obj.needs)}",
                f"{kind_title} · {self.key}",
            )
        if self.kind == "assignment":
            return (
                f"{names.get(obj.party, obj.party)} delivers {names.get(obj.function, obj.function)}",
                f"{kind_title} · {self.key}",
            )
        return obj.name, f"{kind_title} · {obj.id}"

    def _build(self, obj) -> None:
        model = self.document.model
        cls = KINDS[self.kind][0]
        content = QWidget()
        content.setObjectName("inspectorContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 6, 6)
        column.setSpacing(8)
        self.editors, self.messages = {}, {}
        labels: list[QLabel] = []

        def label(text: str, tooltip: str = "", caption: bool = False) -> QLabel:
            widget = QLabel(text)
            widget.setToolTip(tooltip)
            widget.setWordWrap(True)
            widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if caption:
                widget.setStyleSheet("font-weight: 600;")
            labels.append(widget)
            return widget

        for title, specs in _groups(self.kind, field_specs(cls)):
            box = QGroupBox(title)
            form = aligned_form(box)
            for spec in specs:
                editor = make_editor(spec, box, model)
                editor.set_value(getattr(obj, spec.name))
                editor.committed.connect(lambda value, s=spec: self._commit(s, value))
                message = InlineMessage(box)
                self.editors[spec.name] = editor
                self.messages[spec.name] = message
                if spec.name in MULTILINE:
                    if len(specs) > 1:
                        form.addRow(label(spec.label + ":", spec.tooltip), editor.widget)
                    else:
                        form.addRow(editor.widget)
                elif spec.editor == "bool":
                    form.addRow("", editor.widget)
                elif editor.rows():
                    form.addRow(label(spec.label, spec.tooltip, caption=True), editor.widget)
                    for text, widget in editor.rows():
                        if text:
                            form.addRow(label(text + ":", widget.toolTip()), widget)
                        else:
                            form.addRow("", widget)
                else:
                    buddy = label(spec.label + ":", spec.tooltip)
                    buddy.setBuddy(editor.widget)
                    form.addRow(buddy, editor.widget)
                form.addRow(message)
            column.addWidget(box)
        column.addStretch(1)
        # One label column width for every box, so that the fields line up; long labels wrap.
        width = min(max((w.sizeHint().width() for w in labels), default=0), LABEL_WIDTH)
        for w in labels:
            w.setFixedWidth(width)
        self.scroll.setWidget(content)
        title, subtitle = self._heading(obj)
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.title.show()
        self.subtitle.show()
        self._choices_signature = self._signature()

    # --- keeping up with the document -------------------------------------------------

    def _signature(self):
        m = self.document.model
        return tuple(
            tuple((x.id, x.name, getattr(x, "kind", "")) for x in getattr(m, c))
            for c in ("parties", "functions", "activities", "contracts")
        )

    def _document_changed(self, change=None) -> None:
        if self.kind is not None and self._touches(change):
            self._refresh()

    def _touches(self, change) -> bool:
        """Whether the document's change (a `Change`; None: anything) touches what the
        panel shows: the shown object itself (changed, removed, or put back under its
        key), or the objects its choices and its heading name (added, removed, moved,
        renamed, of another kind)."""
        if change is None:
            return True
        collection = KINDS[self.kind][1]
        for table in (change.added, change.removed, change.fields):
            if self.key in table.get(collection, ()):
                return True
        for named in _CHOICES:
            if named in change.added or named in change.removed or named in change.moved:
                return True
            if any(names & {"name", "kind"} for names in change.changed_fields(named).values()):
                return True
        return False

    def _refresh(self) -> None:
        obj = self._object(self.kind, self.key)
        if obj is None:
            self.kind = self.key = None
            self.editors, self.messages = {}, {}
            self._show_placeholder("The selected object no longer exists.")
            self.objectShown.emit("", "")
            return
        signature = self._signature()
        if signature != self._choices_signature:
            self._choices_signature = signature
            for editor in self.editors.values():
                editor.set_choices(self.document.model)
        for name, editor in self.editors.items():
            editor.set_value(getattr(obj, name))
            self.messages[name].clear_message()
        title, subtitle = self._heading(obj)
        self.title.setText(title)
        self.subtitle.setText(subtitle)

    def _commit(self, spec: FieldSpec, value) -> None:
        obj = self._object(self.kind, self.key)
        if obj is None:
            return
        current = dump(getattr(obj, spec.name))
        if value == current:
            return
        name = self.title.text()
        edit = SetField(target=self.kind, id=self.key, field=spec.name, value=value)
        problem = self.document.apply([edit], f"Set {spec.label.lower()} of {name}")
        if problem:
            self.messages[spec.name].show_message(problem)
            # The editor keeps what was typed so it can be corrected; the model kept its value.
            self.editors[spec.name].reset_value(getattr(obj, spec.name))
        else:
            self.messages[spec.name].clear_message()
