"""The edits behind the sourcing map's gestures, as lists of `ecomraci.edits` edits.

The map turns each gesture into one of these lists and applies it as one undoable step;
keeping them here lets the core test what a gesture does without Qt:

* `reassign` moves a function from one party to another (dragging its box into another
  lane): the assignment changes party and mode, the function leaves the old party's
  contract scope and, for an outside party, joins the chosen contract or a new one;
* `add_dependency` is a drag from one box to another;
* `remove_subjects` is the Delete key on selected boxes, arrows, contracts and forums.
"""

from __future__ import annotations

import re

from ecomraci.edits import (
    COLLECTION_OF,
    AddObject,
    EditError,
    RemoveObject,
    SetField,
    SetLayout,
    apply_edit_in_place,
)
from ecomraci.model import Model, Position

NEW_CONTRACT = "+new"  # choose this to put the function under a new contract


class _Edits:
    """Edits collected on a working copy, so that each one is built against the model
    as the edits before it left it."""

    def __init__(self, model: Model):
        self.model = model.model_copy(deep=True)
        self.edits: list = []

    def add(self, edit) -> None:
        apply_edit_in_place(self.model, edit)
        self.edits.append(edit)

    def replace_assignment(self, function: str, party: str, doc: dict) -> None:
        """Put `doc` in place of the assignment (function, party), at the same index."""
        key = f"{function}@{party}"
        index = next(
            i
            for i, a in enumerate(self.model.assignments)
            if a.function == function and a.party == party
        )
        self.add(RemoveObject(collection="assignments", key=key))
        self.add(AddObject(collection="assignments", item=doc, index=index))


def _assignment_doc(a) -> dict:
    return a.model_dump(mode="json", exclude_none=True)


def _new_contract_id(model: Model, party_id: str) -> str:
    used = {
        x.id
        for c in ("parties", "functions", "activities", "contracts", "forums")
        for x in getattr(model, c)
    }
    base = re.sub(r"[^A-Za-z0-9_.\-]", "-", f"{party_id}-contract")[:70]
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def reassign(
    model: Model,
    function: str,
    from_party: str | None,
    to_party: str,
    contract: str | None = None,
    pin: Position | None = None,
) -> list:
    """Edits that make `to_party` deliver `function` instead of `from_party` (None: the
    function had no deliverer). `contract` is a contract of `to_party` to run it under,
    `NEW_CONTRACT` for a new one, or None. `pin` keeps the box where it was dropped."""
    functions = {f.id for f in model.functions}
    parties = {p.id: p for p in model.parties}
    if function not in functions:
        raise EditError(f"there is no function {function!r}")
    if to_party not in parties:
        raise EditError(f"there is no party {to_party!r}")
    if from_party == to_party:
        return []
    target = parties[to_party]
    contracts = {c.id: c for c in model.contracts}
    if contract is not None and target.kind != "external":
        raise EditError(f"{target.name} is an internal team: its work runs under no contract")
    if contract not in (None, NEW_CONTRACT):
        if contract not in contracts or contracts[contract].party != to_party:
            raise EditError(f"{contract!r} is not a contract with {target.name}")
    own = [a for a in model.assignments if a.function == function]
    old = next((a for a in own if a.party == from_party), None)
    if from_party is not None and old is None:
        raise EditError(
            f"{parties[from_party].name if from_party in parties else from_party} "
            f"does not deliver {function!r}"
        )
    already = next((a for a in own if a.party == to_party), None)
    out = _Edits(model)

    contract_id = contract
    if contract == NEW_CONTRACT:
        contract_id = _new_contract_id(model, to_party)
        out.add(
            AddObject(
                collection="contracts",
                item={
                    "id": contract_id,
                    "name": f"{target.name} contract",
                    "party": to_party,
                    "covers": [function],
                },
            )
        )
    elif contract is not None and function not in contracts[contract].covers:
        out.add(
            SetField(
                target="contract",
                id=contract,
                field="covers",
                value=[*contracts[contract].covers, function],
            )
        )

    remaining = len(own) - (1 if old is not None else 0) + (0 if already else 1)
    mode = (
        "co-sourced"
        if remaining > 1
        else ("in-house" if target.kind == "internal" else "outsourced")
    )
    if already is not None:
        # the target already delivers it: the old assignment goes, the target's stays
        if old is not None:
            out.add(RemoveObject(collection="assignments", key=f"{old.function}@{old.party}"))
        doc = _assignment_doc(already)
        doc["mode"] = mode
        if contract_id is not None:
            doc["contract"] = contract_id
        out.replace_assignment(function, to_party, doc)
    else:
        doc = {"function": function, "party": to_party, "mode": mode}
        if contract_id is not None:
            doc["contract"] = contract_id
        if old is not None:
            out.replace_assignment(function, from_party, doc)
        else:
            out.add(AddObject(collection="assignments", item=doc))
    if old is not None:
        # it leaves the old party's contracts; a co-sourcing partner keeps its own
        for c in out.model.contracts:
            if c.party == from_party and function in c.covers:
                out.add(
                    SetField(
                        target="contract",
                        id=c.id,
                        field="covers",
                        value=[f for f in c.covers if f != function],
                    )
                )
    if remaining == 1:  # one deliverer left: no longer co-sourced
        for other in [a for a in out.model.assignments if a.function == function]:
            if other.mode == "co-sourced":
                doc = _assignment_doc(other)
                doc["mode"] = (
                    "in-house" if parties[other.party].kind == "internal" else "outsourced"
                )
                out.replace_assignment(function, other.party, doc)
    if pin is not None:
        out.add(SetLayout(subject=function, position=pin))
    return out.edits


def add_dependency(
    model: Model, needed: str, needing: str, kind: str = "data-feed", strength: str = "medium"
) -> list:
    """The edit for "`needing` needs `needed`" (a drag from `needed` to `needing`)."""
    names = {f.id: f.name for f in model.functions}
    for fid in (needed, needing):
        if fid not in names:
            raise EditError(f"there is no function {fid!r}")
    if needed == needing:
        raise EditError(f"{names[needed]} cannot depend on itself")
    if any(d.function == needing and d.needs == needed for d in model.dependencies):
        raise EditError(f"{names[needing]} already needs {names[needed]}")
    return [
        AddObject(
            collection="dependencies",
            item={"function": needing, "needs": needed, "kind": kind, "strength": strength},
        )
    ]


def remove_subjects(model: Model, subjects: list[tuple[str, str]]) -> list:
    """Edits that delete what is selected on the map. `subjects` are (kind, id) pairs:
    ("box", "function@party") removes that party's assignment, or the function itself
    when it is the function's only box; ("dependency", "f->g"), ("contract", id),
    ("forum", id) and ("party", id) remove the object and every reference to it."""
    out = _Edits(model)
    for kind, key in subjects:
        m = out.model
        if kind == "box":
            function, _, party = key.partition("@")
            own = [a for a in m.assignments if a.function == function]
            if function not in {f.id for f in m.functions}:
                continue  # gone with something removed before
            if len(own) <= 1:
                out.add(RemoveObject(collection="functions", key=function))
                continue
            if not party:
                party = own[0].party
            if not any(a.party == party for a in own):
                continue
            out.add(RemoveObject(collection="assignments", key=f"{function}@{party}"))
            for c in m.contracts:
                if c.party == party and function in c.covers:
                    out.add(
                        SetField(
                            target="contract",
                            id=c.id,
                            field="covers",
                            value=[f for f in c.covers if f != function],
                        )
                    )
            left = [a for a in m.assignments if a.function == function]
            if len(left) == 1 and left[0].mode == "co-sourced":
                doc = _assignment_doc(left[0])
                kind_of = {p.id: p.kind for p in m.parties}[left[0].party]
                doc["mode"] = "in-house" if kind_of == "internal" else "outsourced"
                out.replace_assignment(function, left[0].party, doc)
        elif kind in ("dependency", "contract", "forum", "party"):
            try:
                out.add(RemoveObject(collection=COLLECTION_OF[kind], key=key))
            except EditError:
                continue  # gone with something removed before
        else:
            raise EditError(f"cannot delete a {kind}")
    return out.edits
