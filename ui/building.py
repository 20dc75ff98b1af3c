"""The *Model* menu and toolbar entries that build a model: add a party, a function, an
activity, a contract or a forum, each with one small form that does not block the
window.

Each form asks everything at once (a party's kind first, then its name and a category
from those that fit the kind, named in words and guessed from the name until the user
picks one), checks the answers as the core would and says what is wrong under the
fields, and turns *Add* into one undoable step through `Document.apply` with the core's
operations (`ecomraci.operations`, and `ecomraci.guided` for the defaults a new
activity's letters and a new function's deliverer take). The form stays open after
*Add*, cleared for the next one, and shows the new object in the window; *Close* or
Escape closes it. The forms read the document shown when they act, so one form serves
whichever model is open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecomraci.palette import MUTED
from ui.document import Document
from ui.widgets.forms import aligned_form
from ui.widgets.message import InlineMessage

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QRadioButton,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

# kind, menu text, toolbar text, tooltip
ENTRIES = (
    ("party", "Add &party…", "+ Party", "Add an internal team or an outside party"),
    ("function", "Add &function…", "+ Function", "Add a function and say who delivers it"),
    ("activity", "Add &activity…", "+ Activity", "Add an activity (a row of the RACI matrix)"),
    ("contract", "Add &contract…", "+ Contract", "Add a contract with an outside party"),
    ("forum", "Add f&orum…", "+ Forum", "Add a recurring alignment meeting"),
)
NAME_LIMIT = 200
NOBODY = ""  # the "not yet" choice of a function's deliverer
NEW_CONTRACT = "+new"
NO_OUTSIDE_PARTY = "A contract is with an outside party: add one first (Model › Add party)."


class BuildingActions(QObject):
    """The add gestures of one window. Collaborators, passed in:

    * `current()`: the document shown, or None;
    * `show_object(kind, id)`: bring a new object into view;
    * `status(text, ms)`: a message in the status bar;
    * `selected()`: the (kind, id) the user has selected (the inspector's), or None:
      a new activity goes under the selected function (or the selected activity's), a
      new contract is with the selected outside party, a new function is delivered by
      the selected party."""

    def __init__(
        self,
        *,
        current: Callable[[], Document | None],
        show_object: Callable[[str, str], None],
        status: Callable[[str, int], None],
        parent: QWidget,
        selected: Callable[[], tuple[str | None, str | None] | None] | None = None,
    ):
        super().__init__(parent)
        self._selected = selected
        self._current = current
        self._show_object = show_object
        self._status = status
        self._window = parent
        self.forms: dict[str, AddForm] = {}
        self.actions: dict[str, QAction] = {}
        self._watched: Document | None = None  # the document the forms' lists are of

    def install(self, menu: QMenu, toolbar: QToolBar | None) -> list[QAction]:
        """Fill the Model menu (and the toolbar); returns the actions, which need a
        model to be open."""
        for kind, text, short, tip in ENTRIES:
            action = QAction(text, self._window)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setIconText(short)
            action.triggered.connect(lambda _checked=False, k=kind: self.open_form(k))
            menu.addAction(action)
            self.actions[kind] = action
        if toolbar is not None:
            for action in self.actions.values():
                toolbar.addAction(action)
                button = toolbar.widgetForAction(action)
                if button is not None:
                    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            toolbar.addSeparator()
        return list(self.actions.values())

    def open_form(self, kind: str, **preset: str) -> AddForm:
        """Show the form that adds a `kind` (raised if it is open), with `preset`
        choices (``function=...`` for an activity, ``party=...`` for a contract)."""
        if not preset:
            preset = self._from_selection(kind)
        form = self.forms.get(kind)
        if form is None:
            form = FORMS[kind](self, self._window)
            self.forms[kind] = form
        self.watch()
        form.refresh(**preset)
        form.show()
        form.raise_()
        form.activateWindow()
        form.first_field().setFocus()
        return form

    def _from_selection(self, kind: str) -> dict[str, str]:
        document = self._current()
        picked = self._selected() if self._selected is not None else None
        if document is None or not picked or not picked[0] or not picked[1]:
            return {}
        what, key = picked
        model = document.model
        if kind == "activity":
            if what == "function":
                return {"function": key}
            if what == "activity":
                found = [a.function for a in model.activities if a.id == key]
                return {"function": found[0]} if found else {}
        if kind in ("contract", "function") and what == "party":
            return {"party": key}
        return {}

    # --- what the forms use -----------------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self._current()

    def watch(self) -> bool:
        """Follow the document shown now: the open forms' lists follow its changes (a
        party added elsewhere shows in the contract form). True when it is another
        document than the forms showed."""
        document = self._current()
        if document is self._watched:
            return False
        self._watched = document
        if document is not None:
            document.changed.connect(self._document_changed)
        self._document_changed()
        return True

    def _document_changed(self, *_args) -> None:
        for form in self.forms.values():
            if form.isVisible():
                form.refresh()

    def added(self, kind: str, key: str, text: str) -> None:
        self._status(f"{text}. Undo takes it back.", 6000)
        self._show_object(kind, key)


class AddForm(QDialog):
    """A non-modal form with fields, an inline message, Add and Close."""

    kind = ""
    title = ""

    def __init__(self, actions: BuildingActions, parent: QWidget | None = None):
        super().__init__(parent)
        self.actions = actions
        self.setWindowTitle(self.title)
        self.setObjectName(f"add-{self.kind}")
        self.setModal(False)
        self.body = QWidget()
        self.form = aligned_form(self.body)
        self.message = InlineMessage()
        self.done_label = QLabel()
        self.done_label.setStyleSheet(f"color: {MUTED};")
        self.done_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.add_button = self.buttons.addButton("&Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        layout.addWidget(self.message)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.build()
        self.setMinimumWidth(420)

    # for subclasses
    def build(self) -> None:
        raise NotImplementedError

    def first_field(self) -> QWidget:
        raise NotImplementedError

    def refresh(self, **preset: str) -> None:
        """Choices from the document shown now."""

    def edits(self, model) -> tuple[list[Any], str, str]:
        """(edits, undo text, id of the new object), or raise ValueError with the
        message to show."""
        raise NotImplementedError

    def clear(self) -> None:
        """Ready for the next one."""

    # shared
    def _name_field(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setMaxLength(NAME_LIMIT)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(lambda _t: self.message.clear_message())
        return edit

    @staticmethod
    def _name(edit: QLineEdit, what: str, taken: list[str]) -> str:
        name = " ".join(edit.text().split())
        if not name:
            raise ValueError(f"Name: type the {what}'s name.")
        if name.casefold() in {t.casefold() for t in taken}:
            raise ValueError(f"Name: there is already a {what} called “{name}”.")
        return name

    def add(self) -> None:
        self.done_label.clear()
        document = self.actions.document
        if document is None:
            self.message.show_message("Open or create a model first.")
            return
        if self.actions.watch():
            self.message.show_message(
                "Another model is open now: check the choices, then Add again."
            )
            return
        try:
            edits, text, key = self.edits(document.model)
        except ValueError as exc:  # EditError too: the core's reason
            self.message.show_message(str(exc))
            return
        problem = document.apply(edits, text)
        if problem is not None:
            self.message.show_message(problem)
            return
        self.message.clear_message()
        self.done_label.setText(f"{text}. Add another, or close this form.")
        self.clear()
        self.refresh()
        self.first_field().setFocus()
        self.actions.added(self.kind, key, text)


class PartyForm(AddForm):
    kind, title = "party", "Add party"

    def build(self) -> None:
        from ecomraci import catalog

        self._catalog = catalog
        self.internal = QRadioButton("&Internal team")
        self.external = QRadioButton("Outside &party")
        self.external.setChecked(True)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.internal)
        self.kind_group.addButton(self.external)
        row = QHBoxLayout()
        row.addWidget(self.external)
        row.addWidget(self.internal)
        row.addStretch(1)
        self.name = self._name_field("e.g. Pixel Agency, or Customer service")
        self.category = QComboBox()
        self._category_touched = False
        self.category.activated.connect(lambda _i: setattr(self, "_category_touched", True))
        self.kind_group.buttonToggled.connect(lambda *_a: self._fill_categories())
        self.name.textChanged.connect(lambda _t: self._guess())
        self.form.addRow("Kind:", row)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("Ca&tegory:", self.category)
        self._fill_categories()

    def first_field(self) -> QWidget:
        return self.name

    def party_kind(self) -> str:
        return "internal" if self.internal.isChecked() else "external"

    def _fill_categories(self) -> None:
        kind = self.party_kind()
        self.category.clear()
        for cid in self._catalog.categories_for(kind):
            self.category.addItem(self._catalog.category_label(cid, kind), cid)
        self._category_touched = False
        self._guess()

    def _guess(self) -> None:
        if self._category_touched:
            return
        cid = self._catalog.guess_category(self.name.text(), self.party_kind())
        self.category.setCurrentIndex(max(0, self.category.findData(cid)))

    def edits(self, model):
        from ecomraci.operations import add_party

        name = self._name(self.name, "party", [p.name for p in model.parties])
        edits = add_party(model, name, self.party_kind(), self.category.currentData())
        return edits, f"Add party {name}", edits[0].item["id"]

    def clear(self) -> None:
        self.name.clear()
        self._category_touched = False
        self._guess()


class FunctionForm(AddForm):
    kind, title = "function", "Add function"

    def build(self) -> None:
        self.name = self._name_field("e.g. Marketplaces")
        self.criticality = QComboBox()
        for value, text in (
            ("normal", "Normal"),
            ("important", "Important"),
            ("critical", "Critical"),
        ):
            self.criticality.addItem(text, value)
        self.reversible = QCheckBox("The company wants to be able to take it back or move it")
        self.deliverer = QComboBox()
        self.contract = QComboBox()
        self.deliverer.currentIndexChanged.connect(lambda _i: self._fill_contracts())
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Criticality:", self.criticality)
        self.form.addRow("Reversible:", self.reversible)
        self.form.addRow("&Delivered by:", self.deliverer)
        self.form.addRow("&Under contract:", self.contract)

    def first_field(self) -> QWidget:
        return self.name

    def refresh(self, **preset: str) -> None:
        document = self.actions.document
        keep = preset.get("party") or self.deliverer.currentData()
        self.deliverer.blockSignals(True)
        self.deliverer.clear()
        self.deliverer.addItem("Nobody yet", NOBODY)
        if document is not None:
            for kind, heading in (("internal", "team"), ("external", "outside party")):
                for p in document.model.parties:
                    if p.kind == kind:
                        self.deliverer.addItem(f"{p.name} ({heading})", p.id)
        index = self.deliverer.findData(keep) if keep else -1
        if index < 0 and document is not None:
            # the e-commerce team, the usual owner of something new
            first = next(
                (p.id for p in document.model.parties if p.category == "ecommerce"), NOBODY
            )
            index = self.deliverer.findData(first)
        self.deliverer.setCurrentIndex(max(0, index))
        self.deliverer.blockSignals(False)
        self._fill_contracts()

    def _fill_contracts(self) -> None:
        document = self.actions.document
        party = self.deliverer.currentData()
        self.contract.clear()
        outside = document is not None and any(
            p.id == party and p.kind == "external" for p in document.model.parties
        )
        if not outside:
            self.contract.addItem("None (in-house)", None)
            self.contract.setEnabled(False)
            return
        self.contract.setEnabled(True)
        who = next(p for p in document.model.parties if p.id == party)
        for c in document.model.contracts:
            if c.party == party:
                self.contract.addItem(c.name, c.id)
        self.contract.addItem(f"New contract “{who.name} contract”", NEW_CONTRACT)
        self.contract.addItem("No contract yet", None)

    def edits(self, model):
        from ecomraci import operations
        from ecomraci.guided import delivered_function_edits

        name = self._name(self.name, "function", [f.name for f in model.functions])
        party = self.deliverer.currentData() or None
        contract = self.contract.currentData() if self.contract.isEnabled() else None
        new_name = None
        if contract == NEW_CONTRACT:
            who = model.party(party)
            new_name = f"{who.name} contract"
            taken = {c.name.casefold() for c in model.contracts}
            n = 2
            while new_name.casefold() in taken:
                new_name, n = f"{who.name} contract {n}", n + 1
            contract = operations.NEW_CONTRACT
        edits = delivered_function_edits(
            model,
            name,
            party,
            contract,
            new_name,
            criticality=self.criticality.currentData(),
            reversible=self.reversible.isChecked(),
        )
        return edits, f"Add function {name}", edits[0].item["id"]

    def clear(self) -> None:
        self.name.clear()
        self.reversible.setChecked(False)


class ActivityForm(AddForm):
    kind, title = "activity", "Add activity"

    KINDS = (
        ("run", "Run: recurring work"),
        ("change", "Change: changes to the service"),
        ("interface", "Interface with another function"),
        ("integration", "Integration across providers"),
        ("supplier-management", "Supplier management"),
        ("control", "Control: needs a second pair of eyes"),
    )

    def build(self) -> None:
        self.function = QComboBox()
        self.name = self._name_field("e.g. Run price comparison feeds")
        self.activity_kind = QComboBox()
        for value, text in self.KINDS:
            self.activity_kind.addItem(text, value)
        self.letters = QCheckBox()
        self.letters.setChecked(True)
        self.function.currentIndexChanged.connect(lambda _i: self._preview())
        self.form.addRow("&Function:", self.function)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Kind:", self.activity_kind)
        self.form.addRow("Letters:", self.letters)

    def first_field(self) -> QWidget:
        return self.name

    def refresh(self, **preset: str) -> None:
        document = self.actions.document
        keep = preset.get("function") or self.function.currentData()
        self.function.blockSignals(True)
        self.function.clear()
        if document is not None:
            for f in document.model.functions:
                self.function.addItem(f.name, f.id)
        self.function.setCurrentIndex(max(0, self.function.findData(keep)) if keep else 0)
        self.function.blockSignals(False)
        self._preview()

    def _preview(self) -> None:
        from ecomraci.guided import default_letters

        document = self.actions.document
        fid = self.function.currentData()
        if document is None or fid is None:
            self.letters.setText("Fill in R and A from who delivers the function")
            return
        model = document.model
        names = {p.id: p.name for p in model.parties}
        cells = default_letters(model, fid)
        said = ", ".join(f"{'/'.join(v)} {names.get(k, k)}" for k, v in cells.items())
        self.letters.setText(f"Fill in {said}" if said else "No one to fill in yet")

    def edits(self, model):
        from ecomraci.guided import activity_edits

        fid = self.function.currentData()
        if fid is None:
            raise ValueError("Function: add a function first; an activity belongs to one.")
        siblings = [a.name for a in model.activities_of(fid)]
        name = self._name(self.name, "activity", siblings)
        edits = activity_edits(
            model, fid, name, self.activity_kind.currentData(), self.letters.isChecked()
        )
        return edits, f"Add activity {name}", edits[0].item["id"]

    def clear(self) -> None:
        self.name.clear()


class ContractForm(AddForm):
    kind, title = "contract", "Add contract"

    def build(self) -> None:
        self.party = QComboBox()
        self.name = self._name_field("e.g. Pixel Agency master agreement")
        self._auto_name = ""
        self.party.currentIndexChanged.connect(lambda _i: self._suggest())
        self.form.addRow("&With:", self.party)
        self.form.addRow("&Name:", self.name)

    def first_field(self) -> QWidget:
        return self.party if self.party.count() != 1 else self.name

    def refresh(self, **preset: str) -> None:
        document = self.actions.document
        keep = preset.get("party") or self.party.currentData()
        self.party.blockSignals(True)
        self.party.clear()
        if document is not None:
            for p in document.model.parties:
                if p.kind == "external":
                    self.party.addItem(p.name, p.id)
        self.party.setCurrentIndex(max(0, self.party.findData(keep)) if keep else 0)
        self.party.blockSignals(False)
        if not self.party.count():
            self.message.show_message(NO_OUTSIDE_PARTY)
        elif self.message.message() == NO_OUTSIDE_PARTY:
            self.message.clear_message()
        self._suggest()

    def _suggest(self) -> None:
        if self.name.text() in ("", self._auto_name) and self.party.count():
            self._auto_name = f"{self.party.currentText()} contract"
            self.name.setText(self._auto_name)
            self.name.selectAll()

    def edits(self, model):
        from ecomraci.operations import add_contract

        party = self.party.currentData()
        if party is None:
            raise ValueError(
                "With: a contract is with an outside party; add one first (Model › Add party)."
            )
        name = self._name(self.name, "contract", [c.name for c in model.contracts])
        edits = add_contract(model, party, name)
        return edits, f"Add contract {name}", edits[0].item["id"]

    def clear(self) -> None:
        self.name.clear()
        self._auto_name = ""
        self._suggest()


class ForumForm(AddForm):
    kind, title = "forum", "Add forum"

    def build(self) -> None:
        from ui.widgets.check_list import CheckList

        self.name = self._name_field("e.g. Weekly agency call")
        self.cadence = QSpinBox()
        self.cadence.setRange(1, 3660)
        self.cadence.setValue(30)
        self.cadence.setSuffix(" days")
        self.members = CheckList(max_visible_rows=7)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("Meets &every:", self.cadence)
        self.form.addRow("&Members:", self.members)

    def first_field(self) -> QWidget:
        return self.name

    def refresh(self, **preset: str) -> None:
        document = self.actions.document
        parties = document.model.parties if document is not None else []
        self.members.set_choices([(p.id, p.name) for p in parties])
        self.members.set_checked(
            [k for k in self.members.checked() if k in {p.id for p in parties}]
        )

    def edits(self, model):
        from ecomraci.guided import forum_edits

        name = self._name(self.name, "forum", [f.name for f in model.forums])
        edits = forum_edits(model, name, self.cadence.value(), self.members.checked())
        return edits, f"Add forum {name}", edits[0].item["id"]

    def clear(self) -> None:
        self.name.clear()
        self.members.set_checked([])


FORMS: dict[str, type[AddForm]] = {
    "party": PartyForm,
    "function": FunctionForm,
    "activity": ActivityForm,
    "contract": ContractForm,
    "forum": ForumForm,
}
