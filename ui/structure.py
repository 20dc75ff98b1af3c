"""Building a model's structure from the model tree: parties, functions, contracts,
forums, and who delivers a function under which contract. Each gesture asks its questions
through the window's prompts and becomes one undoable list of core edits.

"Delivered by…" in the menu opens the function in the inspector, on its delivery row
(`ui.panels.delivery`): one form, the current deliverer chosen, the R letters moved on
request. `deliver` asks the same through the prompts instead, the current deliverer
offered first."""

from __future__ import annotations

from ecomraci import operations as ops
from ecomraci.edits import COLLECTION_OF, KIND_OF
from ecomraci.model import PartyCategory

from PySide6.QtWidgets import QMenu

NEW_CONTRACT = "New contract…"


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
        if target in ("party", "parties"):
            menu.addAction("Add party…", self.add_party)
        if target in ("function", "functions"):
            menu.addAction("Add function…", self.add_function)
        if target in ("contract", "contracts"):
            menu.addAction("Add contract…", self.add_contract)
        if target in ("forum", "forums"):
            menu.addAction("Add forum…", self.add_forum)
        if kind == "function":
            menu.addAction("Delivered by…", lambda: self.show_delivery(key))
        if kind in ("party", "function", "contract", "forum", "activity"):
            menu.addSeparator()
            collection = COLLECTION_OF[kind]
            menu.addAction(f"Remove {kind}", lambda: self.remove(collection, key))
        return menu

    def add_party(self) -> str | None:
        ask = self.window.prompts
        name = ask.text("Add party", "Name of the team or outside party:")
        if not name:
            return None
        kind = ask.item("Add party", f"Is “{name}” internal or external?", ["internal", "external"])
        if not kind:
            return None
        categories = [c.value for c in PartyCategory]
        category = ask.item("Add party", f"What kind of party is “{name}”?", categories) or "other"
        edits = ops.add_party(self.doc.model, name, kind, category)
        self._push(edits, f"Add party {name}")
        return edits[0].item["id"]

    def add_function(self) -> str | None:
        name = self.window.prompts.text("Add function", "Name of the function:")
        if not name:
            return None
        edits = ops.add_function(self.doc.model, name)
        self._push(edits, f"Add function {name}")
        return edits[0].item["id"]

    def add_contract(self) -> str | None:
        ask = self.window.prompts
        external = [p for p in self.doc.model.parties if p.kind == "external"]
        if not external:
            ask.error(
                "Add contract", "A contract is with an outside party: add an external party first."
            )
            return None
        label = ask.item("Add contract", "With which outside party?", [p.name for p in external])
        if not label:
            return None
        party = next(p for p in external if p.name == label)
        name = ask.text("Add contract", "Name of the contract:", f"{party.name} contract")
        if not name:
            return None
        edits = ops.add_contract(self.doc.model, party.id, name)
        self._push(edits, f"Add contract {name}")
        return edits[0].item["id"]

    def add_forum(self) -> str | None:
        name = self.window.prompts.text("Add forum", "Name of the meeting:")
        if not name:
            return None
        edits = ops.add_forum(self.doc.model, name)
        self._push(edits, f"Add forum {name}")
        return edits[0].item["id"]

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
