"""Model edits as data: what a finding's machine-applicable fix does.

A fix is a list of small edits. `apply_edits` applies them to a copy of a model and
returns the copy, so the core can test that a fix clears its finding and the app can
wrap the same list in one undoable step. Edits are pydantic types so that they can be
printed as JSON by ``ecomraci check --format json`` and stored in a scenario.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecomraci.model import (
    Activity,
    Assignment,
    Contract,
    Dependency,
    Forum,
    Function,
    Model,
    Party,
    Position,
    Scenario,
    Waiver,
)


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SetRaci(_Edit):
    """Set one RACI cell; empty letters clear it."""

    op: Literal["set-raci"] = "set-raci"
    activity: str
    party: str
    letters: str

    def describe(self, model: Model) -> str:
        what = self.letters or "nothing"
        return f"set {_name(model, self.party)} to {what} on {_name(model, self.activity)}"


def list_edit(
    target: FieldTarget,
    obj: Any,
    field: str,
    *,
    add: str | None = None,
    drop: str | None = None,
) -> SetField:
    """The `SetField` that sets a list field of `obj` (a contract's `covers`, a forum's
    `members`, ...) to its value with `add` appended (when not there yet) and every
    `drop` taken out."""
    values = [v for v in getattr(obj, field) if v != drop]
    if add is not None and add not in values:
        values.append(add)
    return SetField(
        target=target, id=object_key(COLLECTION_OF[target], obj), field=field, value=values
    )


def raci_edits(cells: dict[tuple[str, str], str]) -> list[SetRaci]:
    """One `SetRaci` per (activity, party) cell: a typed letter, a paste, a clear."""
    return [SetRaci(activity=a, party=p, letters=letters) for (a, p), letters in cells.items()]


class AddForum(_Edit):
    op: Literal["add-forum"] = "add-forum"
    forum: Forum

    def describe(self, model: Model) -> str:
        return f"create the forum {self.forum.name!r} every {self.forum.cadence_days} days"


# The collection of the model that holds each kind of object.
COLLECTION_OF = {
    "party": "parties",
    "function": "functions",
    "activity": "activities",
    "contract": "contracts",
    "forum": "forums",
    "assignment": "assignments",
    "dependency": "dependencies",
}


# The objects `SetField` can set a field of (its `target`).
FieldTarget = Literal[
    "party",
    "function",
    "activity",
    "contract",
    "forum",
    "assignment",
    "dependency",
    "organisation",
    "model",
]


class SetField(_Edit):
    """Set a field of one object (``target`` is party, function, activity, contract,
    forum, assignment or dependency with its key as `object_key` gives it, or
    ``organisation``/``model`` with no id)."""

    op: Literal["set-field"] = "set-field"
    target: FieldTarget
    id: str | None = None
    field: str
    value: Any

    def describe(self, model: Model) -> str:
        owner = _name(model, self.id) if self.id else self.target
        return f"set {self.field.replace('_', ' ')} of {owner} to {self.value!r}"


class SetKeyAccountability(_Edit):
    """Name who is accountable for a key accountability; None takes the key out (the
    inverse of setting a key the model did not have)."""

    op: Literal["set-key-accountability"] = "set-key-accountability"
    key: str
    parties: list[str] | None

    def describe(self, model: Model) -> str:
        who = ", ".join(_name(model, p) for p in self.parties or ()) or "nobody"
        return f"make {who} accountable for {self.key.replace('-', ' ')}"


Collection = Literal[
    "parties",
    "functions",
    "activities",
    "assignments",
    "dependencies",
    "contracts",
    "forums",
    "waivers",
    "scenarios",
]

# The kind of object each collection holds, as messages and `SetField.target` name it.
KIND_OF = {collection: kind for kind, collection in COLLECTION_OF.items()} | {
    "waivers": "waiver",
    "scenarios": "scenario",
}
# The collections whose ids share one namespace (an id names one object of them).
ID_COLLECTIONS = ("parties", "functions", "activities", "contracts", "forums")

ITEM_TYPES: dict[str, type[BaseModel]] = {
    "parties": Party,
    "functions": Function,
    "activities": Activity,
    "assignments": Assignment,
    "dependencies": Dependency,
    "contracts": Contract,
    "forums": Forum,
    "waivers": Waiver,
    "scenarios": Scenario,
}


class EditError(ValueError):
    """An edit that cannot be applied to this model; the text is for the user."""


def object_key(collection: str, item: Any) -> str:
    """The key an edit uses for an item: its id; `function->needs` for a dependency;
    `function@party` for an assignment; `RULE:subject,subject` for a waiver."""
    if collection == "assignments":
        return f"{item.function}@{item.party}"
    if collection == "waivers":
        return f"{item.rule}:{','.join(item.subjects)}"
    if collection == "scenarios":
        return str(item.name)
    return item.id


def _find(model: Model, collection: str, key: str) -> int:
    for i, item in enumerate(getattr(model, collection)):
        if object_key(collection, item) == key:
            return i
    raise EditError(
        f"there is no {collection[:-1] if collection != 'parties' else 'party'} {key!r}"
    )


class AddObject(_Edit):
    """Add a party, function, activity, assignment, dependency, contract, forum or
    waiver (at `index`, or at the end)."""

    op: Literal["add"] = "add"
    collection: Collection
    item: dict[str, Any]
    index: int | None = None

    def describe(self, model: Model) -> str:
        name = self.item.get("name") or self.item.get("id") or self.collection[:-1]
        return f"add {name}"


class RemoveObject(_Edit):
    """Remove an item by its key (see `object_key`) and every reference to it: the
    RACI cells of a party or activity, the activities of a function, the assignments
    under a contract, forum memberships, waivers and layout entries that named it."""

    op: Literal["remove"] = "remove"
    collection: Collection
    key: str

    def describe(self, model: Model) -> str:
        return f"remove {_name(model, self.key)}"


class MoveObject(_Edit):
    """Move an item to position `index` of its collection (the order of rows/columns)."""

    op: Literal["move"] = "move"
    collection: Collection
    key: str
    index: int

    def describe(self, model: Model) -> str:
        return f"move {_name(model, self.key)}"


class SetLayout(_Edit):
    """Pin a map item at a position, or release it (`position` None)."""

    op: Literal["set-layout"] = "set-layout"
    subject: str
    position: Position | None = None

    def describe(self, model: Model) -> str:
        return f"place {_name(model, self.subject)} on the map"


Edit = Annotated[
    SetRaci
    | AddForum
    | SetField
    | SetKeyAccountability
    | AddObject
    | RemoveObject
    | MoveObject
    | SetLayout,
    Field(discriminator="op"),
]


def _name(model: Model, object_id: str | None) -> str:
    for collection in ID_COLLECTIONS:
        for item in getattr(model, collection):
            if item.id == object_id:
                return item.name
    return str(object_id)


def target_object(model: Model, target: str, object_id: str | None) -> Any:
    if target == "organisation":
        return model.organisation
    if target == "model":
        return model
    collection = COLLECTION_OF[target]
    for item in getattr(model, collection):
        if object_key(collection, item) == object_id:
            return item
    raise KeyError(f"no {target} with id {object_id!r}")


def apply_edit_in_place(model: Model, edit: Any) -> None:
    """Apply one edit to `model` itself, unchecked (see `ecomraci.transaction`)."""
    from ecomraci.transaction import transact

    transact(model, [edit], check=False)


def apply_edits(model: Model, edits: list[Any]) -> Model:
    """A copy of `model` with `edits` applied in order; `model` is left as it was."""
    from ecomraci.transaction import transact

    copy = model.model_copy(deep=True)
    transact(copy, edits, check=False)
    return copy
