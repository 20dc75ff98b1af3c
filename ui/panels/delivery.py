"""Who delivers a function, edited in one place: "Delivered by [party] under [contract]
as [mode]", with the choice to move the old deliverer's R letters to the new one.

The row starts on the current deliverer, its contract and its mode. Choosing another
party proposes the mode that fits it (in-house for an internal team, outsourced for an
outside party) and that party's contract for the function, if it has one. *Apply* makes
one undo step of `ecomraci.operations.deliver`; "co-sourced" puts the party beside the
others instead of in place of them all.
"""

from __future__ import annotations

from ecomraci import operations as ops
from ecomraci.facts import deliveries
from ecomraci.palette import MUTED
from ui.document import Document
from ui.widgets.fields import enum_label
from ui.widgets.forms import aligned_form
from ui.widgets.message import InlineMessage

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

NOBODY = "— nobody —"
NO_CONTRACT_TEXT = "no contract"
NEW_CONTRACT_TEXT = "a new contract"


def _combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return combo


class DeliveryEditor(QWidget):
    """The delivery row of one function of `document`."""

    applied = Signal(str)  # the undo step's text

    def __init__(self, document: Document, function: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.function = function
        self.party = _combo(self)
        self.party.setToolTip("The team or outside party that delivers this function.")
        self.contract = _combo(self)
        self.contract.setToolTip(
            "The contract with the outside party that this function runs under."
        )
        self.mode = _combo(self)
        self.mode.setToolTip(
            "In-house: an internal team does it; outsourced: an outside party does it; "
            "co-sourced: the party works beside the other deliverers."
        )
        for m in ops.MODES:
            self.mode.addItem(enum_label(m), m)
        self.letters = QCheckBox("Move the R letters too", self)
        self.letters.setChecked(True)
        self.letters.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.letters.setToolTip(
            "On this function's activities in the RACI matrix: who was responsible "
            "hands the R to the new deliverer (A, C and I stay)."
        )
        self.letters_detail = QLabel(self)
        self.letters_detail.setWordWrap(True)
        self.letters_detail.setStyleSheet(f"color: {MUTED};")
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setToolTip("Make the change: one step that Undo takes back.")
        self.revert_button = QPushButton("Revert", self)
        self.message = InlineMessage(self)
        form = aligned_form(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Delivered by:", self.party)
        form.addRow("under:", self.contract)
        form.addRow("as:", self.mode)
        form.addRow(self.letters)
        form.addRow(self.letters_detail)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        form.addRow(buttons)
        form.addRow(self.message)
        self.party.activated.connect(self._party_chosen)
        self.contract.activated.connect(self._update)
        self.mode.activated.connect(self._update)
        self.letters.clicked.connect(self._update)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.reset)
        self.reset()

    # --- reading the model --------------------------------------------------------------

    def _current(self):
        """The delivery the row edits: the function's first one (None: nobody)."""
        found = deliveries(self.document.model, function=self.function)
        return found[0] if found else None, found

    def reset(self) -> None:
        """Show the current deliverer, contract and mode."""
        model = self.document.model
        current, _all = self._current()
        self.party.clear()
        if current is None:
            self.party.addItem(NOBODY, None)
        for side, tip in (("internal", "An internal team"), ("external", "An outside party")):
            members = [p for p in model.parties if p.kind == side]
            if members and self.party.count():
                self.party.insertSeparator(self.party.count())
            for p in members:
                self.party.addItem(p.name, p.id)
                self.party.setItemData(self.party.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.party.setCurrentIndex(max(0, self.party.findData(current.party if current else None)))
        self._fill_contracts(current.contract if current else None)
        self.mode.setCurrentIndex(max(0, self.mode.findData(current.mode if current else None)))
        self.letters.setChecked(True)
        self.message.clear_message()
        self._update()

    def _fill_contracts(self, selected: str | None) -> None:
        model = self.document.model
        party = self.party.currentData()
        self.contract.clear()
        kind = next((p.kind for p in model.parties if p.id == party), None)
        self.contract.addItem(NO_CONTRACT_TEXT, ops.NO_CONTRACT)
        if kind == "external":
            for c in model.contracts:
                if c.party == party:
                    self.contract.addItem(c.name, c.id)
            self.contract.addItem(NEW_CONTRACT_TEXT, ops.NEW_CONTRACT)
        self.contract.setEnabled(kind == "external")
        self.contract.setCurrentIndex(max(0, self.contract.findData(selected or ops.NO_CONTRACT)))

    def _party_chosen(self, *_args) -> None:
        model = self.document.model
        party = self.party.currentData()
        current, everyone = self._current()
        mine = next((d for d in everyone if d.party == party), None)
        if mine is not None:  # one of the deliverers: its own contract and mode
            self._fill_contracts(mine.contract)
            self.mode.setCurrentIndex(self.mode.findData(mine.mode))
        else:
            # the party's contract for this function, else its only contract, else none
            own = [c for c in model.contracts if c.party == party]
            covering = [c.id for c in own if self.function in c.covers]
            pick = covering[0] if covering else own[0].id if len(own) == 1 else None
            self._fill_contracts(pick)
            kind = next((p.kind for p in model.parties if p.id == party), "internal")
            if self.mode.currentData() != "co-sourced" or len(everyone) == 0:
                self.mode.setCurrentIndex(
                    self.mode.findData("in-house" if kind == "internal" else "outsourced")
                )
        self.letters.setChecked(True)
        self._update()

    # --- the change the row holds -------------------------------------------------------

    def request(self) -> dict | None:
        """The keyword arguments of `ops.deliver` for what the row shows (None: no party
        chosen)."""
        party = self.party.currentData()
        if party is None:
            return None
        current, everyone = self._current()
        mode = self.mode.currentData()
        if mode == "co-sourced":
            # beside the others; with several deliverers, in place of the one shown
            others = [d for d in everyone if d.party != party]
            instead_of = (
                current.party
                if current is not None and len(everyone) > 1 and current.party != party
                else None
            )
            if not others:
                instead_of = None
            mode_arg = mode  # refused, with its reason, when no other deliverer remains
        else:
            instead_of, mode_arg = ops.EVERY_DELIVERER, mode
        contract = self.contract.currentData() if self.contract.isEnabled() else None
        mine = next((d for d in everyone if d.party == party), None)
        if contract == ops.NO_CONTRACT and (mine is None or mine.contract is None):
            contract = None
        return {
            "instead_of": instead_of,
            "contract": contract,
            "mode": mode_arg,
            "to_party": party,
        }

    def _names(self, ids) -> str:
        names = {p.id: p.name for p in self.document.model.parties}
        listed = [names.get(i, i) for i in dict.fromkeys(ids)]
        return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]

    def _moving(self) -> list[tuple[str, str]]:
        wanted = self.request()
        if wanted is None:
            return []
        try:
            return ops.letters_to_move(
                self.document.model,
                self.function,
                wanted["to_party"],
                instead_of=wanted["instead_of"],
            )
        except ops.EditError:
            return []

    def _edits(self) -> list:
        wanted = self.request()
        if wanted is None:
            return []
        model = self.document.model
        party = model.party(wanted["to_party"])
        return ops.deliver(
            model,
            self.function,
            wanted["to_party"],
            instead_of=wanted["instead_of"],
            contract=wanted["contract"],
            new_contract_name=f"{party.name} contract",
            mode=wanted["mode"],
            move_letters=bool(self._moving()) and self.letters.isChecked(),
        )

    def _update(self, *_args) -> None:
        moving = self._moving()
        wanted = self.request()
        if moving and wanted is not None:
            to = self.document.model.party(wanted["to_party"]).name
            n = len(moving)
            self.letters_detail.setText(
                f"{'The R' if n == 1 else f'The {n} R letters'} of "
                f"{self._names(p for _a, p in moving)} on this function's activities "
                f"{'goes' if n == 1 else 'go'} to {to}"
                if self.letters.isChecked()
                else f"{self._names(p for _a, p in moving)} keeps "
                f"{'its R' if n == 1 else f'its {n} R letters'} on this function's activities"
            )
            self.letters.show()
            self.letters_detail.show()
        else:
            self.letters.hide()
            self.letters_detail.hide()
        try:
            changed = bool(self._edits())
            self.message.clear_message()
        except ops.EditError as exc:
            changed = False
            self.message.show_message(str(exc))
        self.apply_button.setEnabled(changed)
        self.revert_button.setEnabled(changed)

    def apply(self) -> bool:
        """Make the change the row shows: one undo step. False when nothing changed or
        the model refused it (the reason shows under the row)."""
        try:
            edits = self._edits()
        except ops.EditError as exc:
            self.message.show_message(str(exc))
            return False
        if not edits:
            return False
        model = self.document.model
        wanted = self.request()
        assert wanted is not None
        text = (
            f"{model.party(wanted['to_party']).name} delivers {model.function(self.function).name}"
        )
        problem = self.document.apply(edits, text)
        if problem:
            self.message.show_message(problem)
            return False
        self.applied.emit(text)
        return True
