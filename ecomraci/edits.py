"""Model edits as data: what a finding's machine-applicable fix does.

A fix is a list of small edits. `apply_edits` applies them to a copy of a model and
returns the copy, so the core can test that a fix clears its finding and the app can
wrap the same list in one undoable step. Edits are pydantic types so that they can be
printed as JSON by ``ecomraci check --format json`` and stored in a scenario.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from ecomraci.model import Forum, Model, normalize_letters


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


class AddForum(_Edit):
    op: Literal["add-forum"] = "add-forum"
    forum: Forum

    def describe(self, model: Model) -> str:
        return f"create the forum {self.forum.name!r} every {self.forum.cadence_days} days"


_COLLECTIONS = {
    "party": "parties",
    "function": "functions",
    "activity": "activities",
    "contract": "contracts",
    "forum": "forums",
}


class SetField(_Edit):
    """Set a field of one object (``target`` is party, function, activity, contract,
    forum, or ``organisation``/``model`` with no id)."""

    op: Literal["set-field"] = "set-field"
    target: Literal["party", "function", "activity", "contract", "forum", "organisation", "model"]
    id: str | None = None
    field: str
    value: Any

    def describe(self, model: Model) -> str:
        owner = _name(model, self.id) if self.id else self.target
        return f"set {self.field.replace('_', ' ')} of {owner} to {self.value!r}"


class SetKeyAccountability(_Edit):
    op: Literal["set-key-accountability"] = "set-key-accountability"
    key: str
    parties: list[str]

    def describe(self, model: Model) -> str:
        who = ", ".join(_name(model, p) for p in self.parties) or "nobody"
        return f"make {who} accountable for {self.key.replace('-', ' ')}"


Edit = Annotated[
    Union[SetRaci, AddForum, SetField, SetKeyAccountability], Field(discriminator="op")
]


def _name(model: Model, object_id: str | None) -> str:
    for collection in ("parties", "functions", "activities", "contracts", "forums"):
        for item in getattr(model, collection):
            if item.id == object_id:
                return item.name
    return str(object_id)


def target_object(model: Model, target: str, object_id: str | None) -> Any:
    if target == "organisation":
        return model.organisation
    if target == "model":
        return model
    items = getattr(model, _COLLECTIONS[target])
    for item in items:
        if item.id == object_id:
            return item
    raise KeyError(f"no {target} with id {object_id!r}")


def apply_edit_in_place(model: Model, edit: Any) -> None:
    """Apply one edit to `model` itself (the app's undo commands use this)."""
    if isinstance(edit, SetRaci):
        row = model.raci.setdefault(edit.activity, {})
        letters = normalize_letters(edit.letters)
        if letters:
            row[edit.party] = letters
        else:
            row.pop(edit.party, None)
            if not row:
                model.raci.pop(edit.activity, None)
    elif isinstance(edit, AddForum):
        model.forums.append(edit.forum.model_copy(deep=True))
    elif isinstance(edit, SetField):
        obj = target_object(model, edit.target, edit.id)
        if edit.field not in type(obj).model_fields:
            raise KeyError(f"{edit.target} has no field {edit.field!r}")
        # Validate the new value by rebuilding the object with it.
        data = obj.model_dump()
        data[edit.field] = edit.value
        checked = type(obj).model_validate(data)
        setattr(obj, edit.field, getattr(checked, edit.field))
    elif isinstance(edit, SetKeyAccountability):
        model.key_accountabilities[edit.key] = list(edit.parties)
    else:  # pragma: no cover - the union is closed
        raise TypeError(f"unknown edit {edit!r}")


def apply_edits(model: Model, edits: list[Any]) -> Model:
    """A copy of `model` with `edits` applied in order; `model` is left as it was."""
    copy = model.model_copy(deep=True)
    for edit in edits:
        apply_edit_in_place(copy, edit)
    return copy
