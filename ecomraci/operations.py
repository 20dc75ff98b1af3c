"""One domain operation per intent: the edits a gesture means, built in the core.

Every gesture that means the same thing calls the same function here, so the model tree,
the map, the matrix, the inspector, the contracts tab and the what-if reach the same
model for the same intent:

* `deliver`: make a party deliver a function (instead of one deliverer, or of all of
  them), in-house for an internal team, under a contract (an existing one or a new one)
  for an outside party. The function leaves the scope of the contracts of the parties
  that stop delivering it, and co-sourcing is set from how many deliverers remain. On
  request (`move_letters`) the R letters of the parties that stop delivering it move,
  on the function's activities, to the new deliverer (`letters_to_move` lists them).
* `add_party`, `add_function`, `add_activity`, `add_contract`, `add_forum`: a new object
  with a fresh id (`new_id`: the one rule for ids the app makes up).
* `remove`, `rename`, `move_step`: remove an object (and what refers to it), rename it,
  move it one place among its own kind.
* `add_dependency` and `remove_subjects`: drawing an arrow on the map and deleting what
  is selected there.

Operations build edits without copying the model: each edit is tried on the model
itself inside `_Trial`, which undoes them all before returning, so that every edit is
built against the model as the edits before it left it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from ecomraci.edits import (
    COLLECTION_OF,
    ID_COLLECTIONS,
    AddObject,
    EditError,
    MoveObject,
    RemoveObject,
    SetField,
    SetLayout,
    SetRaci,
    list_edit,
    object_key,
)
from ecomraci.model import Model, Position, SourcingMode, normalize_letters
from ecomraci.transaction import transact

NEW_CONTRACT = "+new"  # choose this to put the function under a new contract
EVERY_DELIVERER = "*"  # deliver(..., instead_of=EVERY_DELIVERER): the one deliverer
NO_CONTRACT = "-none"  # deliver(..., contract=NO_CONTRACT): under no contract any more
MODES = tuple(m.value for m in SourcingMode)


# --- ids ------------------------------------------------------------------------------


def taken_ids(model: Model) -> set[str]:
    """Every id in use: ids are unique across parties, functions, activities, contracts
    and forums."""
    return {x.id for c in ID_COLLECTIONS for x in getattr(model, c)}


def new_id(name: str, taken: Iterable[str] | Model) -> str:
    """An id for a new object called `name`: lower case, words joined by ``-`` (dots
    kept, for ``function.activity`` ids), at most 70 characters, with ``-2``, ``-3``...
    when already taken. `taken` is a model or a set of ids."""
    used = taken_ids(taken) if isinstance(taken, Model) else set(taken)
    base = re.sub(r"[^a-z0-9.]+", "-", name.casefold()).strip("-.")[:70].strip("-.") or "item"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- building edits on the model itself -------------------------------------------------


class _Trial:
    """Edits collected by trying each on the model, undone when the operation ends."""

    def __init__(self, model: Model):
        self.model = model
        self.edits: list[Any] = []
        self._undo: list[list[Any]] = []

    def __enter__(self) -> _Trial:
        return self

    def __exit__(self, *_exc: object) -> None:
        for inverse in reversed(self._undo):
            transact(self.model, inverse, check=False)

    def add(self, edit: Any) -> None:
        self._undo.append(transact(self.model, [edit], check=False).inverse)
        self.edits.append(edit)

    def replace_assignment(self, function: str, party: str, doc: dict[str, Any]) -> None:
        """Put `doc` in place of the assignment (function, party), at the same index."""
        index = next(
            i
            for i, a in enumerate(self.model.assignments)
            if a.function == function and a.party == party
        )
        self.add(RemoveObject(collection="assignments", key=f"{function}@{party}"))
        self.add(AddObject(collection="assignments", item=doc, index=index))

    def leave_contracts(self, function: str, party: str) -> None:
        """`function` leaves the scope of `party`'s contracts."""
        for c in list(self.model.contracts):
            if c.party == party and function in c.covers:
                self.add(list_edit("contract", c, "covers", drop=function))

    def settle_modes(self, function: str) -> None:
        """One deliverer left: it is no longer co-sourced."""
        left = [a for a in self.model.assignments if a.function == function]
        if len(left) == 1 and left[0].mode == "co-sourced":
            doc = _assignment_doc(left[0])
            doc["mode"] = _sole_mode(self.model, left[0].party)
            self.replace_assignment(function, left[0].party, doc)


def _assignment_doc(a: Any) -> dict[str, Any]:
    return a.model_dump(mode="json", exclude_none=True)


def _sole_mode(model: Model, party: str) -> str:
    kind = next(p.kind for p in model.parties if p.id == party)
    return "in-house" if kind == "internal" else "outsourced"


# --- who delivers a function ------------------------------------------------------------


def _leaving(model: Model, function: str, to_party: str, instead_of: str | None) -> list[str]:
    """The parties that stop delivering `function` when `to_party` takes it over
    (`instead_of` as `deliver` takes it)."""
    own = [a.party for a in model.assignments if a.function == function]
    if instead_of == EVERY_DELIVERER:
        return [p for p in own if p != to_party]
    if instead_of is None or instead_of == to_party:
        return []
    if instead_of not in own:
        parties = {p.id: p.name for p in model.parties}
        names = {f.id: f.name for f in model.functions}
        raise EditError(
            f"{parties.get(instead_of, instead_of)} does not deliver "
            f"{names.get(function, function)}"
        )
    return [instead_of]


def letters_to_move(
    model: Model, function: str, to_party: str, *, instead_of: str | None = EVERY_DELIVERER
) -> list[tuple[str, str]]:
    """The (activity, party) cells whose R would move to `to_party` if it took
    `function` over (`instead_of` as `deliver` takes it): the R letters that the parties
    that stop delivering the function hold on its activities, in the matrix's order."""
    if function not in {f.id for f in model.functions}:
        return []
    return _r_cells(model, function, _leaving(model, function, to_party, instead_of))


def _r_cells(model: Model, function: str, parties: list[str]) -> list[tuple[str, str]]:
    """The (activity, party) cells of `function`'s activities where one of `parties`
    holds an R."""
    return [
        (a.id, p)
        for a in model.activities_of(function)
        for p in parties
        if "R" in model.letters(a.id, p)
    ]


def deliver(
    model: Model,
    function: str,
    to_party: str,
    *,
    instead_of: str | None = EVERY_DELIVERER,
    contract: str | None = None,
    new_contract_name: str | None = None,
    pin: Position | None = None,
    mode: str | None = None,
    move_letters: bool = False,
) -> list[Any]:
    """Edits that make `to_party` deliver `function`.

    `instead_of` is the party that stops delivering it (a drag from its lane), None to
    add `to_party` beside the current deliverers, or `EVERY_DELIVERER` (the default) to
    make `to_party` the one deliverer. `contract` is a contract of `to_party` to run it
    under, `NEW_CONTRACT` for a new one (named `new_contract_name`), `NO_CONTRACT` to
    run it under none any more, or None to keep the contract `to_party` already
    delivers it under (none for a new deliverer). A function that leaves a contract
    (its party stops delivering it, or it moves to another contract of the same party)
    leaves that contract's scope.

    `mode` sets the sourcing mode of a sole deliverer (by default in-house for an
    internal team, outsourced for an outside party); with several deliverers the mode
    is co-sourced. `move_letters` moves the R letters of the parties that stop
    delivering the function, on its activities, to `to_party` (their other letters
    stay). `pin` keeps the box where it was dropped on the map."""
    functions = {f.id: f for f in model.functions}
    parties = {p.id: p for p in model.parties}
    if function not in functions:
        raise EditError(f"there is no function {function!r}")
    if to_party not in parties:
        raise EditError(f"there is no party {to_party!r}")
    if mode is not None and mode not in MODES:
        raise EditError(f"{mode!r} is not a sourcing mode ({', '.join(MODES)})")
    target = parties[to_party]
    fname = functions[function].name
    contracts = {c.id: c for c in model.contracts}
    if contract not in (None, NO_CONTRACT) and target.kind != "external":
        raise EditError(f"{target.name} is an internal team: its work runs under no contract")
    if contract not in (None, NEW_CONTRACT, NO_CONTRACT):
        if contract not in contracts or contracts[contract].party != to_party:
            name = contracts[contract].name if contract in contracts else contract
            raise EditError(f"{name} is not a contract with {target.name}")
    own = [a for a in model.assignments if a.function == function]
    leaving = _leaving(model, function, to_party, instead_of)
    already = next((a for a in own if a.party == to_party), None)
    remaining = len(own) - len(leaving) + (0 if already else 1)
    if mode == "co-sourced" and remaining < 2:
        raise EditError(
            f"{target.name} would be the only party delivering {fname}: co-sourced needs "
            "a second one"
        )
    if mode is not None and mode != "co-sourced" and remaining > 1:
        raise EditError(
            f"{fname} would have {remaining} deliverers: with more than one it is co-sourced"
        )
    if not leaving and already is not None:
        same_contract = contract is None or contract == (already.contract or NO_CONTRACT)
        if same_contract and (mode is None or mode == already.mode):
            return []

    with _Trial(model) as out:
        contract_id = contract
        if contract == NEW_CONTRACT:
            name = new_contract_name or f"{target.name} contract"
            contract_id = new_id(name, model)
            out.add(
                AddObject(
                    collection="contracts",
                    item={"id": contract_id, "name": name, "party": to_party, "covers": [function]},
                )
            )
        elif contract not in (None, NO_CONTRACT) and function not in contracts[contract].covers:
            out.add(list_edit("contract", contracts[contract], "covers", add=function))
        new_mode = mode or ("co-sourced" if remaining > 1 else _sole_mode(model, to_party))
        # The first party to leave hands its place in the list to the new deliverer.
        first, rest = (leaving[0], leaving[1:]) if leaving else (None, [])
        if already is not None:
            doc = _assignment_doc(already)
            doc["mode"] = new_mode
            if contract == NO_CONTRACT:
                doc.pop("contract", None)
            elif contract_id is not None:
                doc["contract"] = contract_id
            old = already.contract
            if contract is not None and old is not None and old != contract_id:
                # it leaves the contract it ran under with this party
                if old in contracts and function in contracts[old].covers:
                    out.add(list_edit("contract", contracts[old], "covers", drop=function))
            out.replace_assignment(function, to_party, doc)
            if first is not None:
                rest = [first, *rest]
        else:
            doc = {"function": function, "party": to_party, "mode": new_mode}
            if contract_id not in (None, NO_CONTRACT):
                doc["contract"] = contract_id
            if first is not None:
                out.replace_assignment(function, first, doc)
            else:
                out.add(AddObject(collection="assignments", item=doc))
        for party in rest:
            out.add(RemoveObject(collection="assignments", key=f"{function}@{party}"))
        for party in leaving:
            out.leave_contracts(function, party)
        if remaining > 1:  # the partners that stay are co-sourced now too
            for other in list(out.model.assignments):
                if (
                    other.function == function
                    and other.party != to_party
                    and other.mode != "co-sourced"
                ):
                    partner = _assignment_doc(other)
                    partner["mode"] = "co-sourced"
                    out.replace_assignment(function, other.party, partner)
        if mode is None:
            out.settle_modes(function)
        if move_letters:
            for activity, party in _r_cells(model, function, leaving):
                held = model.letters(activity, party)
                out.add(SetRaci(activity=activity, party=party, letters=held.replace("R", "")))
                mine = normalize_letters(model.letters(activity, to_party) + "R")
                out.add(SetRaci(activity=activity, party=to_party, letters=mine))
        if pin is not None:
            out.add(SetLayout(subject=function, position=pin))
        return out.edits


# --- objects ----------------------------------------------------------------------------


def add_party(model: Model, name: str, kind: str, category: str | None = None) -> list[Any]:
    """A new internal team or outside party, after the others of its kind."""
    item: dict[str, Any] = {"id": new_id(name, model), "name": name, "kind": kind}
    if category:
        item["category"] = category
    same = [i for i, p in enumerate(model.parties) if p.kind == kind]
    index = same[-1] + 1 if same else None
    return [AddObject(collection="parties", item=item, index=index)]


def add_function(model: Model, name: str) -> list[Any]:
    return [AddObject(collection="functions", item={"id": new_id(name, model), "name": name})]


def add_activity(model: Model, function: str, name: str) -> list[Any]:
    """A new activity, last among the activities of its function (the matrix's rows
    follow the order of the activities)."""
    if function not in {f.id for f in model.functions}:
        raise EditError(f"there is no function {function!r}")
    under = [i for i, a in enumerate(model.activities) if a.function == function]
    index = under[-1] + 1 if under else len(model.activities)
    item = {"id": new_id(f"{function}.{name}", model), "name": name, "function": function}
    return [AddObject(collection="activities", item=item, index=index)]


def add_contract(model: Model, party: str, name: str | None = None) -> list[Any]:
    """A new contract with an outside party, covering nothing yet."""
    who = next((p for p in model.parties if p.id == party), None)
    if who is None:
        raise EditError(f"there is no party {party!r}")
    if who.kind != "external":
        raise EditError(f"{who.name} is an internal team: a contract is with an outside party")
    name = name or f"{who.name} contract"
    item = {"id": new_id(name, model), "name": name, "party": party}
    return [AddObject(collection="contracts", item=item)]


def add_forum(model: Model, name: str, cadence_days: int = 30) -> list[Any]:
    item = {"id": new_id(name, model), "name": name, "cadence_days": cadence_days, "members": []}
    return [AddObject(collection="forums", item=item)]


def rename(model: Model, kind: str, key: str, name: str) -> list[Any]:
    return [SetField(target=kind, id=key, field="name", value=name)]  # type: ignore[arg-type]


def remove(model: Model, kind: str, key: str) -> list[Any]:
    """Remove an object and every reference to it (see `ecomraci.transaction`)."""
    return [RemoveObject(collection=COLLECTION_OF[kind], key=key)]  # type: ignore[arg-type]


def move_step(model: Model, kind: str, key: str, step: int) -> list[Any]:
    """Move a party one place (-1 left, +1 right) among the parties of its kind, or an
    activity one place up or down within its function; nothing when it is already at
    the end."""
    collection = COLLECTION_OF[kind]
    group: Callable[[Any], Any] = {
        "parties": lambda p: p.kind,
        "activities": lambda a: a.function,
    }.get(collection, lambda _x: None)
    items = getattr(model, collection)
    keys = [object_key(collection, x) for x in items]
    if key not in keys:
        raise EditError(f"there is no {kind} {key!r}")
    mine = group(items[keys.index(key)])
    same = [k for k, x in zip(keys, items) if group(x) == mine]
    i = same.index(key)
    if not 0 <= i + step < len(same):
        return []
    return [MoveObject(collection=collection, key=key, index=keys.index(same[i + step]))]  # type: ignore[arg-type]


# --- the map's arrows and deletions -----------------------------------------------------


def add_dependency(
    model: Model, needed: str, needing: str, kind: str = "data-feed", strength: str = "medium"
) -> list[Any]:
    """The edit for "`needing` needs `needed`" (a drag from `needed` to `needing`)."""
    names = {f.id: f.name for f in model.functions}
    for fid in (needed, needing):
        if fid not in names:
            raise EditError(f"there is no function {fid!r}")
    if needed == needing:
        raise EditError(f"{names[needed]} cannot depend on itself")
    if any(d.function == needing and d.needs == needed for d in model.dependencies):
        raise EditError(f"{names[needing]} already needs {names[needed]}")
    item = {"function": needing, "needs": needed, "kind": kind, "strength": strength}
    return [AddObject(collection="dependencies", item=item)]


def remove_subjects(model: Model, subjects: list[tuple[str, str]]) -> list[Any]:
    """Edits that delete what is selected on the map. `subjects` are (kind, id) pairs:
    ("box", "function@party") takes that party off the function (the function itself
    goes when it is its only box); ("dependency", "f->g"), ("contract", id),
    ("forum", id) and ("party", id) remove the object and every reference to it."""
    with _Trial(model) as out:
        for kind, key in subjects:
            m = out.model
            if kind == "box":
                function, _, party = key.partition("@")
                if function not in {f.id for f in m.functions}:
                    continue  # gone with something removed before
                own = [a for a in m.assignments if a.function == function]
                if len(own) <= 1:
                    out.add(RemoveObject(collection="functions", key=function))
                    continue
                party = party or own[0].party
                if not any(a.party == party for a in own):
                    continue
                out.add(RemoveObject(collection="assignments", key=f"{function}@{party}"))
                out.leave_contracts(function, party)
                out.settle_modes(function)
            elif kind in ("dependency", "contract", "forum", "party"):
                collection = COLLECTION_OF[kind]
                if key in {object_key(collection, x) for x in getattr(m, collection)}:
                    out.add(RemoveObject(collection=collection, key=key))  # type: ignore[arg-type]
            else:
                raise EditError(f"cannot delete a {kind}")
        return out.edits
