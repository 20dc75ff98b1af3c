"""The inspector: a form that edits the fields of the selected object.

The form is built from the object's pydantic type (`ui.widgets.fields`): every field
gets the editor that fits its type and constraints, so a field added to the core model
appears here without new code. The tables below only group fields into boxes; a field
they do not name lands in "More". Ids and the key fields of dependencies and
assignments are shown, not edited: other objects refer to them.

Above the fields, the object's place in the model (`ecomraci.facts`): who delivers a
function, in which mode and under which contract (editable there, `ui.panels.delivery`),
and its dependencies both ways; what a party delivers, its contracts, its A and R counts;
which functions a contract covers and when it can be left; and the findings of the last
check about the object (`set_findings`). Names link to the objects they name. Ids show
only in the Id field.

Every change is one `ApplyEditsCommand` holding one `SetField`. A value the model
refuses is not pushed: the message shows under the field and nothing changes. When
the document changes (an edit elsewhere, undo, redo) the editors are updated in place,
so the field being typed in keeps the focus.
"""

from __future__ import annotations

import html
from datetime import date

from ecomraci import facts
from ecomraci.edits import SetField, target_object
from ecomraci.palette import LINK, MUTED, SEVERITIES
from ui.document import Document
from ui.panels.delivery import DeliveryEditor
from ui.widgets.editing import dump
from ui.widgets.editors import FieldEditor, make_editor
from ui.widgets.fields import KINDS, MULTILINE, FieldSpec, enum_label, field_specs
from ui.widgets.forms import aligned_form, indented_row, set_indent
from ui.widgets.message import InlineMessage

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
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
                "data_processing_service",
                "switching",
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
            [
                "data_processing_agreement",
                "sub_processor_list",
                "sub_processor_notice",
                "personal_data_at_end",
                "transfer_basis",
                "payment",
            ],
        ),
        ("Notes", ["note"]),
    ],
    "party": [
        ("Party", ["name", "id", "kind", "category", "contact"]),
        (
            "Data and storefront",
            [
                "data_location",
                "dpf_certified",
                "delivery_model",
                "adds_storefront_scripts",
                "reaches_payment_page",
            ],
        ),
        ("Notes", ["note"]),
    ],
    "function": [
        ("Function", ["name", "id", "criticality", "reversible", "lead_time_months", "data"]),
        ("Description", ["description"]),
    ],
}

LABEL_WIDTH = 104  # px; longer labels wrap onto a second line

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
        (
            KIND_TITLES[kind],
            ["name", "id"] + [s.name for s in specs if s.name not in ("name", "id", "note")],
        ),
        ("Notes", ["note"]),
    ]
    placed: set[str] = set()
    result = []
    for title, names in groups:
        # each field once, in the first group that names it
        members = [by_name[n] for n in dict.fromkeys(names) if n in by_name and n not in placed]
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


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _by_severity(finding) -> int:
    return _SEVERITY_ORDER.get(finding.severity, 3)


class InspectorPanel(QWidget):
    """Edits one object of `document`. Call `show_object(kind, key)` when the selection
    changes; `show_object(None, None)` (or `clear()`) shows nothing."""

    objectShown = Signal(str, str)  # kind, key; empty strings when nothing is shown
    objectRequested = Signal(str, str)  # a name followed as a link: kind, key

    def __init__(
        self, document: Document, parent: QWidget | None = None, as_of: date | None = None
    ):
        super().__init__(parent)
        self.document = document
        self.as_of = as_of
        self.findings: list = []
        self.facts: QWidget | None = None
        self._findings_box: QGroupBox | None = None  # the findings box inside `facts`
        self._box_signature: tuple = (0, [])  # what it shows (`_findings_signature`)
        self.delivery: DeliveryEditor | None = None
        self._column: QVBoxLayout | None = None
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

    def set_findings(self, findings: list) -> None:
        """The findings of the last check; those about the shown object show with it."""
        self.findings = list(findings)
        if self.kind is not None and self._findings_signature() != self._box_signature:
            self._show_findings_box()

    def _show_findings_box(self) -> None:
        """Replace only the findings box of the facts (the other boxes, built from the
        model, are as they were): a re-check changes the findings, not the model."""
        facts_widget = self.facts
        layout = facts_widget.layout() if facts_widget is not None else None
        if layout is None:
            self._show_facts()
            return
        old = self._findings_box
        self._findings_box = new = self._findings_group(facts_widget)
        if old is not None and new is not None:
            layout.replaceWidget(old, new)
        elif new is not None:
            layout.addWidget(new)
        if old is not None:
            layout.removeWidget(old)
            old.hide()
            old.setParent(None)  # out of the panel's children at once
            old.deleteLater()
        facts_widget.setVisible(layout.count() > 0)

    def _findings_signature(self, mine: list | None = None) -> tuple:
        """What the findings box shows for the shown object (`mine`: its findings, by
        severity; None: those of `findings`): its first findings' marks, words and
        tooltips, and how many there are. Each check makes new `Finding` objects, so
        comparing them would rebuild the boxes after every check (on a big model that
        costs more than the edit); the box is rebuilt only when what it shows changes."""
        if mine is None:
            mine = self._findings_shown()
            mine.sort(key=_by_severity)
        return len(mine), [(f.severity, f.message, f.why) for f in mine[:12]]

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
        self._column = self.facts = self.delivery = None
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
        """The title and subtitle: names, never ids."""
        model = self.document.model
        names = {
            x.id: x.name
            for c in ("parties", "functions", "activities", "contracts")
            for x in getattr(model, c)
        }
        kind_title = KIND_TITLES[self.kind]
        if self.kind == "dependency":
            return (
                f"{names.get(obj.function, obj.function)} → {names.get(obj.needs, obj.needs)}",
                f"{kind_title} · {names.get(obj.function, obj.function)} needs "
                f"{names.get(obj.needs, obj.needs)}",
            )
        if self.kind == "assignment":
            return (
                f"{names.get(obj.party, obj.party)} delivers {names.get(obj.function, obj.function)}",
                kind_title,
            )
        if self.kind == "party":
            side = "internal team" if obj.kind == "internal" else "outside party"
            return obj.name, f"{kind_title} · {side} · {enum_label(obj.category)}"
        if self.kind == "activity":
            return obj.name, f"{kind_title} of {names.get(obj.function, obj.function)}"
        if self.kind == "contract":
            return obj.name, f"{kind_title} with {names.get(obj.party, obj.party)}"
        return obj.name, kind_title

    def _build(self, obj) -> None:
        model = self.document.model
        cls = KINDS[self.kind][0]
        content = QWidget()
        content.setObjectName("inspectorContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 6, 6)
        column.setSpacing(8)
        self.editors, self.messages = {}, {}
        self.delivery = None
        self._column = column
        self.facts = None
        labels: list[QLabel] = []
        indents = []

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
                    indents.append(indented_row(form, editor.widget))
                elif editor.rows():
                    form.addRow(label(spec.label, spec.tooltip, caption=True), editor.widget)
                    for text, widget in editor.rows():
                        if text:
                            form.addRow(label(text + ":", widget.toolTip()), widget)
                        elif isinstance(widget, QCheckBox):
                            indents.append(indented_row(form, widget))
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
        for spacer in indents:
            set_indent(spacer, width + 10)  # the form's horizontal spacing
        self.scroll.setWidget(content)
        self._show_facts()
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
        if self.kind is None:
            return
        if self._touches(change):
            self._refresh()
        elif change is None or change.added or change.removed or change.fields:
            self._show_facts()  # who delivers what, the letters, a contract's dates
        elif change.cells and self._shows_cells(change.cells):
            if not self._update_letters():
                self._show_facts()

    def _update_letters(self) -> bool:
        """Rewrite the shown activity's letters in place (True), when it has a letters
        label and still has letters: rebuilding the boxes for one typed letter costs
        more than the edit on a big model."""
        if self.kind != "activity" or self.facts is None:
            return False
        label = self.facts.findChild(QLabel, "activityLetters")
        row = self.document.model.raci.get(self.key, {})
        if label is None or not row:
            return False
        label.setText(self._letters_text(row))
        return True

    def _letters_text(self, row: dict[str, str]) -> str:
        """An activity's letters, a line per combination of letters (A, R, A/R, C, ...)."""
        names = {p.id: p.name for p in self.document.model.parties}
        by_letters: dict[str, list[str]] = {}
        for pid, letters in row.items():
            by_letters.setdefault(letters, []).append(self._link("party", pid, names.get(pid, pid)))
        order = "ARCIVS"
        ranked = sorted(by_letters, key=lambda x: [order.find(c) for c in x])
        return "<br>".join(f"{'/'.join(x)}: {', '.join(by_letters[x])}" for x in ranked)

    def _shows_cells(self, cells) -> bool:
        """Whether the facts shown count letters of any of `cells` (activity, party): a
        party's or an activity's letters, or the letters on a function's activities. A
        typed letter elsewhere leaves the boxes as they are (rebuilding them costs more
        than the edit)."""
        if self.kind == "party":
            return any(party == self.key for _activity, party in cells)
        if self.kind == "activity":
            return any(activity == self.key for activity, _party in cells)
        if self.kind == "function":
            touched = {activity for activity, _party in cells}
            return any(
                a.function == self.key for a in self.document.model.activities if a.id in touched
            )
        return False

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
        self._show_facts()
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

    # --- the object's place in the model ------------------------------------------------

    def _link(self, kind: str, key: str, name: str) -> str:
        return (
            f'<a href="{kind}:{html.escape(key, quote=True)}" '
            f'style="color: {LINK}; text-decoration: none;">{html.escape(name)}</a>'
        )

    def _text(self, rich: str, parent: QWidget) -> QLabel:
        label = QLabel(rich, parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.linkActivated.connect(self._follow)
        return label

    def _follow(self, href: str) -> None:
        kind, _, key = href.partition(":")
        self.show_object(kind, key)
        self.objectRequested.emit(kind, key)

    def _box(self, title: str, parent: QWidget) -> tuple[QGroupBox, QVBoxLayout]:
        box = QGroupBox(title, parent)
        box.setObjectName("inspectorFacts")
        lines = QVBoxLayout(box)
        lines.setSpacing(4)
        return box, lines

    def _show_facts(self) -> None:
        """(Re)build the boxes above the fields for the shown object."""
        column = self._column
        if column is None or self.kind is None:
            return
        old, self.facts, self.delivery = self.facts, QWidget(), None
        self._findings_box = None
        facts_widget = self.facts
        facts_widget.setObjectName("inspectorFacts")
        layout = QVBoxLayout(facts_widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        build = {
            "function": self._function_facts,
            "party": self._party_facts,
            "contract": self._contract_facts,
            "activity": self._activity_facts,
        }.get(self.kind)
        if build is not None:
            build(layout, facts_widget)
        self._findings_box = self._findings_group(facts_widget)
        if self._findings_box is not None:
            layout.addWidget(self._findings_box)
        if old is not None:
            column.replaceWidget(old, facts_widget)
            old.hide()
            old.setParent(None)  # out of the panel's children at once
            old.deleteLater()
        else:
            column.insertWidget(0, facts_widget)
        facts_widget.setVisible(layout.count() > 0)

    def _none(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {MUTED};")
        return label

    def _function_facts(self, layout: QVBoxLayout, parent: QWidget) -> None:
        model = self.document.model
        box, lines = self._box("Delivery", parent)
        found = facts.deliveries(model, function=self.key)
        if len(found) > 1:
            for d in found:
                under = (
                    f" under {self._link('contract', d.contract, d.contract_name or '')}"
                    if d.contract
                    else ""
                )
                lines.addWidget(
                    self._text(
                        f"{self._link('party', d.party, d.party_name)}{under}, "
                        f"{enum_label(d.mode).lower()}",
                        box,
                    )
                )
        elif not found:
            lines.addWidget(self._none("Nobody delivers this function yet.", box))
        self.delivery = DeliveryEditor(self.document, self.key, box)
        lines.addWidget(self.delivery)
        layout.addWidget(box)

        needs, needed_by = facts.dependencies(model, self.key)
        box, lines = self._box("Dependencies", parent)
        for title, links in (("Depends on", needs), ("Needed by", needed_by)):
            if links:
                items = "".join(
                    f"<li>{self._link('function', x.function, x.name)} "
                    f'<span style="color: {MUTED};">({enum_label(x.kind).lower()}, '
                    f"{x.strength})</span></li>"
                    for x in links
                )
                text = f"<b>{title}:</b><ul style='margin: 0 0 0 -20px;'>{items}</ul>"
            else:
                text = f"<b>{title}:</b> <span style='color: {MUTED};'>nothing</span>"
            lines.addWidget(self._text(text, box))
        layout.addWidget(box)

    def _party_facts(self, layout: QVBoxLayout, parent: QWidget) -> None:
        model = self.document.model
        box, lines = self._box("Delivers", parent)
        found = facts.deliveries(model, party=self.key)
        for d in found:
            under = (
                f" under {self._link('contract', d.contract, d.contract_name or '')}"
                if d.contract
                else ""
            )
            lines.addWidget(
                self._text(
                    f"{self._link('function', d.function, d.function_name)}: "
                    f"{enum_label(d.mode).lower()}{under}",
                    box,
                )
            )
        if not found:
            lines.addWidget(self._none("No function.", box))
        layout.addWidget(box)

        contracts = facts.contracts_of(model, self.key)
        party = model.party(self.key)
        if contracts or party.kind == "external":
            box, lines = self._box("Contracts", parent)
            for c in contracts:
                lines.addWidget(self._text(self._link("contract", c.id, c.name), box))
            if not contracts:
                lines.addWidget(self._none("No contract.", box))
            layout.addWidget(box)

        counts = facts.letter_counts(model, self.key)
        box, lines = self._box("RACI letters", parent)
        summary = QLabel(
            f"A on {counts['A']} · R on {counts['R']} · C on {counts['C']} · "
            f"I on {counts['I']} activities",
            box,
        )
        summary.setObjectName("letterCounts")
        summary.setWordWrap(True)
        summary.setToolTip(
            "How many activities of the RACI matrix this party holds each letter on "
            "(an A/R cell counts for A and for R)."
        )
        lines.addWidget(summary)
        layout.addWidget(box)

    def _contract_facts(self, layout: QVBoxLayout, parent: QWidget) -> None:
        model = self.document.model
        contract = model.contract(self.key)
        box, lines = self._box("Functions covered", parent)
        by_function = {d.function: d for d in facts.deliveries(model) if d.contract == self.key}
        names = {f.id: f.name for f in model.functions}
        for fid in dict.fromkeys(contract.covers):
            d = by_function.get(fid)
            note = "" if d is not None else " (not delivered under this contract)"
            lines.addWidget(
                self._text(
                    self._link("function", fid, names.get(fid, fid))
                    + f'<span style="color: {MUTED};">{html.escape(note)}</span>',
                    box,
                )
            )
        if not contract.covers:
            lines.addWidget(self._none("No function yet.", box))
        layout.addWidget(box)

        as_of = self.as_of or date.today()
        box, lines = self._box(f"Exit dates (as of {as_of.isoformat()})", parent)
        for e in facts.contract_exits(model, self.key, as_of):
            day = e.on.isoformat() if e.on is not None else "no date"
            if e.function is None:
                text = f"<b>Whole contract: {day}</b>"
            else:
                how = "" if e.alone else ", only with the whole contract"
                text = f"{self._link('function', e.function, e.name)}: {day}{html.escape(how)}"
            label = self._text(text, box)
            label.setToolTip(e.reason)
            lines.addWidget(label)
        layout.addWidget(box)

    def _activity_facts(self, layout: QVBoxLayout, parent: QWidget) -> None:
        row = self.document.model.raci.get(self.key, {})
        box, lines = self._box("RACI", parent)
        if row:
            # One label, a line per combination of letters (A, R, A/R, C, I, ...): a
            # label per party made a 200-party model's row cost a widget each to show.
            label = self._text(self._letters_text(row), box)
            label.setObjectName("activityLetters")
            lines.addWidget(label)
        else:
            lines.addWidget(self._none("No letters yet.", box))
        layout.addWidget(box)

    def _findings_shown(self) -> list:
        """The findings shown with the object: about it (a party: or its contracts)."""
        if self.kind not in ("party", "function", "contract", "activity", "forum"):
            return []
        subjects = {self.key}
        if self.kind == "party":
            subjects |= {c.id for c in facts.contracts_of(self.document.model, self.key)}
        return [f for f in self.findings if not f.waived and not subjects.isdisjoint(f.subjects)]

    def _findings_group(self, parent: QWidget) -> QGroupBox | None:
        """The box of the findings about the shown object (None: there are none)."""
        mine = self._findings_shown()
        mine.sort(key=_by_severity)
        self._box_signature = self._findings_signature(mine)
        if not mine:
            return None
        box, lines = self._box(f"Findings ({len(mine)})", parent)
        marks = {"error": "✖", "warning": "▲", "info": "ℹ"}
        for f in mine[:12]:
            colour = SEVERITIES.get(f.severity, SEVERITIES["info"]).strong
            label = self._text(
                f'<span style="color: {colour};">{marks.get(f.severity, "•")}</span> '
                f"{html.escape(f.message)}",
                box,
            )
            label.setObjectName("finding")
            label.setToolTip(f.why)
            lines.addWidget(label)
        if len(mine) > 12:
            lines.addWidget(self._none(f"and {len(mine) - 12} more in the findings panel", box))
        return box
