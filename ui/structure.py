"""Building a model's structure from the model tree: parties, functions, contracts,
forums, and who delivers a function under which contract. Each gesture asks its questions
through the window's prompts and becomes one undoable list of core edits."""

from __future__ import annotations

import re

from ecomraci.edits import COLLECTION_OF, AddObject, RemoveObject, SetField
from ecomraci.model import Model, PartyCategory

from PySide6.QtWidgets import QMenu

NEW_CONTRACT = "New contract…"


def all_ids(model: Model) -> set[str]:
    return {
        x.id
        for c in ("parties", "functions", "activities", "contracts", "forums")
        for x in getattr(model, c)
    }


def new_id(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")[:70].strip("-.") or "item"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def delivery_edits(
    model: Model,
    function_id: str,
    party_id: str,
    contract_id: str | None,
    new_contract_name: str | None = None,
) -> list:
    """Edits that make `party_id` the one deliverer of a function: in-house for an
    internal party; outsourced under a contract (an existing one, or a new one with that
    party) for an external party, which then covers the function."""
    party = model.party(party_id)
    edits: list = [
        RemoveObject(collection="assignments", key=f"{s.function}@{s.party}")
        for s in model.assignments
        if s.function == function_id
    ]
    if party.kind == "internal":
        edits.append(
            AddObject(
                collection="assignments",
                item={"function": function_id, "party": party_id, "mode": "in-house"},
            )
        )
        return edits
    if contract_id is None:
        name = new_contract_name or f"{party.name} contract"
        contract_id = new_id(name, all_ids(model))
        edits.append(
            AddObject(
                collection="contracts",
                item={"id": contract_id, "name": name, "party": party_id, "covers": [function_id]},
            )
        )
    else:
        covers = model.contract(contract_id).covers
        if function_id not in covers:
            edits.append(
                SetField(
                    target="contract", id=contract_id, field="covers", value=[*covers, function_id]
                )
            )
    edits.append(
        AddObject(
            collection="assignments",
            item={
                "function": function_id,
                "party": party_id,
                "mode": "outsourced",
                "contract": contract_id,
            },
        )
    )
    return edits


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
            menu.addAction("Delivered by…", lambda: self.deliver(key))
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
        pid = new_id(name, all_ids(self.doc.model))
        self._push(
            [
                AddObject(
                    collection="parties",
                    item={"id": pid, "name": name, "kind": kind, "category": category},
                )
            ],
            f"Add party {name}",
        )
        return pid

    def add_function(self) -> str | None:
        name = self.window.prompts.text("Add function", "Name of the function:")
        if not name:
            return None
        fid = new_id(name, all_ids(self.doc.model))
        self._push(
            [AddObject(collection="functions", item={"id": fid, "name": name})],
            f"Add function {name}",
        )
        return fid

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
        cid = new_id(name, all_ids(self.doc.model))
        self._push(
            [AddObject(collection="contracts", item={"id": cid, "name": name, "party": party.id})],
            f"Add contract {name}",
        )
        return cid

    def add_forum(self) -> str | None:
        name = self.window.prompts.text("Add forum", "Name of the meeting:")
        if not name:
            return None
        fid = new_id(name, all_ids(self.doc.model))
        self._push(
            [
                AddObject(
                    collection="forums",
                    item={"id": fid, "name": name, "cadence_days": 30, "members": []},
                )
            ],
            f"Add forum {name}",
        )
        return fid

    def deliver(self, function_id: str) -> bool:
        ask = self.window.prompts
        model = self.doc.model
        labels = {f"{p.name} ({p.kind})": p for p in model.parties}
        choice = ask.item(
            "Delivered by", f"Who delivers “{model.function(function_id).name}”?", list(labels)
        )
        if not choice:
            return False
        party = labels[choice]
        contract_id, new_name = None, None
        if party.kind == "external":
            contracts = {c.name: c.id for c in model.contracts if c.party == party.id}
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
            else:
                contract_id = contracts[picked]
        self._push(
            delivery_edits(model, function_id, party.id, contract_id, new_name),
            f"{party.name} delivers {model.function(function_id).name}",
        )
        return True

    def remove(self, collection: str, key: str) -> None:
        name = next((x.name for x in getattr(self.doc.model, collection) if x.id == key), key)
        self._push([RemoveObject(collection=collection, key=key)], f"Remove {name}")
