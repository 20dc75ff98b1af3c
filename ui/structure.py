"""The model tree's context menu: add, remove, and who delivers a function.

"Add …" opens the Model menu's non-modal form for that kind (`ui.building`), preset from
the item the menu is on. "Delivered by…" opens the function in the inspector, on its
delivery row (`ui.panels.delivery`): one form, the current deliverer chosen, the R
letters moved on request. `deliver` asks the same through the prompts instead, the
current deliverer offered first. Each gesture is one undoable list of core edits."""

from __future__ import annotations

from ecomraci import operations as ops
from ecomraci.edits import COLLECTION_OF, KIND_OF

from PySide6.QtWidgets import QMenu

NEW_CONTRACT = "New contract…"
# Which tree items (an object's kind or a group's name) offer to add what.
ADDS = (
    (("party", "parties"), "party"),
    (("function", "functions"), "function"),
    (("function",), "activity"),
    (("contract", "contracts"), "contract"),
    (("forum", "forums"), "forum"),
)


class StructureActions:
    """The tree's context menu actions for one window."""

    def __init__(self, window):
        self.window = window

    @property
    def doc(self):
        return self.window.document

    def _push(self, edits: list, text: str) -> bool:
        """One undo step, or the model's reason for refusing it in a message."""
        if not edits:
            return False
        problem = self.doc.apply(edits, text)
        if problem is not None:
            self.window.prompts.error("Cannot change the model", f"{text}: {problem}")
        return problem is None

    def menu(self, kind: str | None, key: str | None, group: str | None) -> QMenu:
        menu = QMenu(self.window)
        target = kind or group
        # Adding opens the Model menu's form for that kind (`ui.building`), preset from
        # the item the menu is on: one form for each kind, wherever the gesture starts.
        for kinds, add in ADDS:
            if target in kinds:
                menu.addAction(f"Add {add}…", lambda add=add: self.add(add, kind, key))
        if kind == "function":
            menu.addAction("Delivered by…", lambda: self.show_delivery(key))
        if kind in ("party", "function", "contract", "forum", "activity"):
            menu.addSeparator()
            collection = COLLECTION_OF[kind]
            menu.addAction(f"Remove {kind}", lambda: self.remove(collection, key))
        return menu

    def add(self, what: str, kind: str | None, key: str | None):
        """Open the form that adds a `what` (an activity under the function the menu is
        on, a contract with the party, ...)."""
        preset = {}
        if what == "activity" and kind == "function" and key:
            preset["function"] = key
        elif what == "contract" and kind == "party" and key:
            preset["party"] = key
        return self.window.building.open_form(what, **preset)

    def show_delivery(self, function_id: str) -> None:
        """Show `function_id` in the inspector with the focus on who delivers it."""
        window = self.window
        window.show_object("function", function_id)
        window.inspector_dock.show()
        window.inspector_dock.raise_()
        delivery = window.inspector.delivery
        if delivery is not None:
            window.inspector.scroll.ensureWidgetVisible(delivery)
            delivery.party.setFocus()

    def deliver(self, function_id: str, move_letters: bool = False) -> bool:
        """Ask who delivers `function_id` (its current deliverer first) and under which
        contract; `move_letters` moves the old deliverers' R letters to the new one."""
        ask = self.window.prompts
        model = self.doc.model
        current = [a.party for a in model.assignments if a.function == function_id]
        parties = sorted(model.parties, key=lambda p: p.id not in current)  # stable
        labels = {f"{p.name} ({p.kind})": p for p in parties}
        choice = ask.item(
            "Delivered by", f"Who delivers “{model.function(function_id).name}”?", list(labels)
        )
        if not choice:
            return False
        party = labels[choice]
        contract_id: str | None = None
        new_name = None
        if party.kind == "external":
            own = [c for c in model.contracts if c.party == party.id]
            own.sort(key=lambda c: function_id not in c.covers)  # its contract first
            contracts = {c.name: c.id for c in own}
            picked = ask.item(
                "Delivered by",
                f"Under which contract with “{party.name}”?",
                [*contracts, NEW_CONTRACT],
            )
            if not picked:
                return False
            if picked == NEW_CONTRACT:
                new_name = ask.text(
                    "New contract", "Name of the contract:", f"{party.name} contract"
                )
                if not new_name:
                    return False
                contract_id = ops.NEW_CONTRACT
            else:
                contract_id = contracts[picked]
        try:
            edits = ops.deliver(
                model,
                function_id,
                party.id,
                contract=contract_id,
                new_contract_name=new_name,
                move_letters=move_letters,
            )
        except ops.EditError as exc:
            self.window.prompts.error("Cannot change the model", str(exc))
            return False
        self._push(edits, f"{party.name} delivers {model.function(function_id).name}")
        return True

    def remove(self, collection: str, key: str) -> None:
        name = next((x.name for x in getattr(self.doc.model, collection) if x.id == key), key)
        kind = KIND_OF[collection]
        self._push(ops.remove(self.doc.model, kind, key), f"Remove {name}")
