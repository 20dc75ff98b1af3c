"""The one way a change reaches a model: an all-or-nothing, checked transaction.

`transact(model, edits)` applies a list of `ecomraci.edits` edits to `model` in place.
Either every edit applies and the model passes its integrity check afterwards, or the
model is left exactly as it was and `EditError` says why in the user's words. On success
it returns an `Applied`:

* ``inverse``: the edits that, applied with `transact`, restore the model exactly (byte
  for byte in its file). Undo keeps only these, never a copy of the model: a one-field
  edit's inverse is one small edit, a removal's inverse re-adds what went with it.
* ``change``: a typed `Change` saying which collections and keys were added, removed,
  moved or changed (and which fields), which RACI cells and layout pins were touched,
  and from it whether the rows or columns of the matrix or the map's structure changed,
  so that each view updates exactly what it shows.

Each edit is checked against the model as the edits before it left it: a RACI cell
names an existing activity and party, a field edit an existing object and field, a
removal an existing key. A removal is carried out as explicit steps (the RACI cells of a
party, the activities of a function, the assignments under a contract, ...), each with
its inverse, so it needs no snapshot either.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from ecomraci.edits import (
    COLLECTION_OF,
    ID_COLLECTIONS,
    ITEM_TYPES,
    KIND_OF,
    AddForum,
    AddObject,
    EditError,
    MoveObject,
    RemoveObject,
    SetField,
    SetKeyAccountability,
    SetLayout,
    SetRaci,
    list_edit,
    object_key,
    target_object,
)
from ecomraci.integrity import integrity_problems
from ecomraci.model import KeyAccountability, Model, normalize_letters

# What each collection of the model contributes to the matrix and the map.
_ROWS = {"functions", "activities"}
_COLUMNS = {"parties"}
_MAP = {"parties", "functions", "assignments", "dependencies", "contracts", "forums"}
# Fields whose change moves something on the map or in the matrix (not just a label).
_MAP_FIELDS = {
    "parties": {"id", "kind"},
    "functions": {"id"},
    "assignments": {"function", "party", "mode", "contract"},
    "dependencies": {"function", "needs", "kind", "strength"},
    "contracts": {"id", "party", "covers"},
    "forums": {"id", "members"},
}
_ROW_FIELDS = {"functions": {"id"}, "activities": {"id", "function"}}
_COLUMN_FIELDS = {"parties": {"id", "kind"}}
# Collections whose items name no other object (a scenario's edits are checked when
# they are applied).
_NAME_NOTHING = {"parties", "functions", "scenarios"}
# Fields that name other objects, or that integrity checks against another field.
_REFERENCES = {
    "id",
    "function",
    "party",
    "contract",
    "needs",
    "interface_activity",
    "covers",
    "insourcing_rights",
    "exclusivity",
    "cross_termination",
    "members",
    "subjects",
    "exit_plan",  # its owner is a party
    "switching",  # its functions are functions
    "start",
    "end",
    "kind",
}


@dataclass
class Change:
    """What a transaction did to a model, for the views to update exactly that.

    Keys are those of `ecomraci.edits.object_key` (an id; ``function@party`` for an
    assignment; ``function->needs`` for a dependency). ``fields`` holds, for each changed
    object, the names of its changed fields; the organisation and the model itself appear
    as collections ``organisation`` and ``model`` with the key ``""``."""

    added: dict[str, set[str]] = field(default_factory=dict)
    removed: dict[str, set[str]] = field(default_factory=dict)
    moved: dict[str, set[str]] = field(default_factory=dict)
    fields: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    cells: set[tuple[str, str]] = field(default_factory=set)
    layout: set[str] = field(default_factory=set)
    key_accountabilities: set[str] = field(default_factory=set)

    # --- recording ---------------------------------------------------------------------

    def _note(self, table: dict[str, set[str]], collection: str, key: str) -> None:
        table.setdefault(collection, set()).add(key)

    def merge(self, other: Change) -> None:
        for mine, theirs in (
            (self.added, other.added),
            (self.removed, other.removed),
            (self.moved, other.moved),
        ):
            for collection, keys in theirs.items():
                mine.setdefault(collection, set()).update(keys)
        for collection, objects in other.fields.items():
            ours = self.fields.setdefault(collection, {})
            for key, names in objects.items():
                ours.setdefault(key, set()).update(names)
        self.cells |= other.cells
        self.layout |= other.layout
        self.key_accountabilities |= other.key_accountabilities

    # --- reading -----------------------------------------------------------------------

    def __bool__(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.moved
            or self.fields
            or self.cells
            or self.layout
            or self.key_accountabilities
        )

    @property
    def collections(self) -> set[str]:
        """Every collection touched (``raci``, ``layout`` and ``key_accountabilities``
        included when cells, pins or key accountabilities changed)."""
        out = set(self.added) | set(self.removed) | set(self.moved) | set(self.fields)
        if self.cells:
            out.add("raci")
        if self.layout:
            out.add("layout")
        if self.key_accountabilities:
            out.add("key_accountabilities")
        return out

    def changed_fields(self, collection: str) -> dict[str, set[str]]:
        return self.fields.get(collection, {})

    def _structural(self, collections: set[str], fields: dict[str, set[str]]) -> bool:
        for table in (self.added, self.removed, self.moved):
            if collections & set(table):
                return True
        for collection, names in fields.items():
            for changed in self.fields.get(collection, {}).values():
                if changed & names:
                    return True
        return False

    @property
    def rows_changed(self) -> bool:
        """The matrix's rows (functions and their activities, in order) changed."""
        return self._structural(_ROWS, _ROW_FIELDS)

    @property
    def columns_changed(self) -> bool:
        """The matrix's columns (parties, in order and by kind) changed."""
        return self._structural(_COLUMNS, _COLUMN_FIELDS)

    @property
    def map_changed(self) -> bool:
        """Boxes, lanes, frames or arrows of the sourcing map changed: it lays out again."""
        return bool(self.layout) or self._structural(_MAP, _MAP_FIELDS)

    @property
    def renamed(self) -> set[str]:
        """Ids of objects whose name changed (a label to redraw)."""
        return {
            key
            for objects in self.fields.values()
            for key, names in objects.items()
            if "name" in names and key
        }

    @property
    def scenarios_only(self) -> bool:
        """Only the saved scenarios changed: the model the findings are worked out on is
        the same."""
        return self.collections == {"scenarios"}


@dataclass(frozen=True)
class RestoreCell:
    """The inverse of clearing a RACI cell: the letters back where they were in their
    row, and the row where it was in the matrix if it went with them. Held by undo
    steps only, never written to a file."""

    activity: str
    party: str
    letters: str
    row_at: int | None
    cell_at: int


def _position(table: dict[str, Any], key: str) -> int:
    for i, k in enumerate(table):
        if k == key:
            return i
    raise KeyError(key)


def _insert(table: dict[str, Any], key: str, value: Any, at: int | None) -> Any:
    """Put `key` at position `at` of `table` (in place; at the end when None)."""
    if at is None or at >= len(table):
        table[key] = value
        return value
    items = list(table.items())
    items.insert(at, (key, value))
    table.clear()
    table.update(items)
    return value


@dataclass
class Applied:
    """A transaction that went through: its inverse and what it changed."""

    inverse: list[Any]
    change: Change


def transact(model: Model, edits: Iterable[Any], *, check: bool = True) -> Applied:
    """Apply `edits` to `model` in place, all or none (see the module's docstring).

    With ``check`` (the default) the model's integrity is checked afterwards and a
    transaction that would leave a dangling reference is refused."""
    edits = list(edits)
    tx = _Transaction(model)
    try:
        for edit in edits:
            tx.apply(edit)
        problems = integrity_problems(model, limit=5) if check and tx.may_break else []
        if problems:
            # Refuse only what this transaction broke: a model built in memory may carry
            # problems of its own, which are the caller's to mend.
            tx.rollback()
            before = {str(p) for p in integrity_problems(model)}
            new = [p for p in problems if str(p) not in before]
            if new:
                raise EditError("; ".join(_problem_text(p) for p in new[:3]))
            return transact(model, edits, check=False)
    except ValidationError as exc:
        tx.rollback()
        refused = EditError(validation_message(exc))
        refused.validation = exc  # type: ignore[attr-defined]  # for callers' own labels
        raise refused from None
    except EditError:
        tx.rollback()
        raise
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        tx.rollback()
        raise EditError(str(exc).strip("'\"")) from None
    return Applied(list(reversed(tx.undo)), tx.change)


def refusal(model: Model, edits: Iterable[Any]) -> str | None:
    """Why `model` refuses `edits`, or None when they would apply cleanly. The model is
    left as it was either way."""
    try:
        applied = transact(model, edits)
    except EditError as exc:
        return str(exc)
    transact(model, applied.inverse, check=False)
    return None


def validation_message(exc: ValidationError, label: Callable[[str], str] | None = None) -> str:
    """pydantic's errors as one short line per problem, naming each field with `label`
    (the app's form labels) or its name, without pydantic's URLs."""
    label = label or (lambda name: name.replace("_", " "))
    lines = []
    for err in exc.errors(include_url=False):
        where = " › ".join(label(str(p)) for p in err.get("loc", ()) if isinstance(p, str))
        kind, ctx = err.get("type", ""), err.get("ctx") or {}
        if kind == "string_too_short" and ctx.get("min_length") == 1:
            msg = "must not be empty"
        elif kind == "string_pattern_mismatch":
            msg = "use letters, digits, '.', '_' and '-', starting with a letter or digit"
        else:
            msg = err.get("msg", "invalid value")
            msg = msg.removeprefix("Value error, ")
            msg = msg[:1].lower() + msg[1:]
        lines.append(f"{where}: {msg}" if where else msg)
    return "\n".join(lines)


class _Transaction:
    def __init__(self, model: Model):
        self.model = model
        self.undo: list[Any] = []  # inverse edits, in the order they were made
        self.change = Change()
        self._ids: dict[str, set[str]] | None = None
        # Whether an edit may have broken a reference. RACI cells, moves and fields that
        # name nothing are checked in full as they are made; a removal takes every
        # reference to what it removes with it (the steps of `_DETACH`); a new party,
        # function or saved scenario names nothing, and `_add` has checked its id. So a
        # typed letter, a rename or a new party skips the whole-model check.
        self.may_break = False

    # --- bookkeeping -------------------------------------------------------------------

    def ids(self, collection: str) -> set[str]:
        """Ids in a collection, cached until a structural edit."""
        if self._ids is None:
            self._ids = {}
        if collection not in self._ids:
            self._ids[collection] = {
                object_key(collection, x) for x in getattr(self.model, collection)
            }
        return self._ids[collection]

    def _structure_changed(self) -> None:
        self._ids = None

    def rollback(self) -> None:
        for edit in reversed(self.undo):
            _Transaction(self.model).apply(edit)
        self.undo.clear()

    # --- one edit ----------------------------------------------------------------------

    def apply(self, edit: Any) -> None:
        if not (
            isinstance(edit, (SetRaci, RestoreCell, MoveObject, RemoveObject))
            or (isinstance(edit, AddObject) and edit.collection in _NAME_NOTHING)
            or (
                isinstance(edit, SetField)
                and edit.target not in ("model", "organisation")
                and edit.field not in _REFERENCES
            )
        ):
            self.may_break = True
        if isinstance(edit, (SetRaci, RestoreCell)):
            self._set_raci(edit)
        elif isinstance(edit, SetField):
            self._set_field(edit)
        elif isinstance(edit, SetKeyAccountability):
            self._set_key_accountability(edit)
        elif isinstance(edit, AddForum):
            self._add(AddObject(collection="forums", item=edit.forum.model_dump(mode="python")))
        elif isinstance(edit, AddObject):
            self._add(edit)
        elif isinstance(edit, RemoveObject):
            self._remove(edit.collection, edit.key)
        elif isinstance(edit, MoveObject):
            self._move(edit)
        elif isinstance(edit, SetLayout):
            self._set_layout(edit)
        else:
            raise EditError(f"unknown edit {edit!r}")

    def _set_raci(self, edit: SetRaci | RestoreCell) -> None:
        m = self.model
        if edit.activity not in self.ids("activities"):
            raise EditError(f"there is no activity {edit.activity!r}")
        if edit.party not in self.ids("parties"):
            raise EditError(f"there is no party {edit.party!r}")
        letters = normalize_letters(edit.letters)
        row = m.raci.get(edit.activity)
        old = row.get(edit.party, "") if row else ""
        if old == letters:
            return
        # Where the cell and its row sit, so that undo puts them back in the same place
        # (the file lists them in this order).
        at = None
        if not letters:
            assert row is not None
            at = (
                _position(m.raci, edit.activity) if len(row) == 1 else None,
                _position(row, edit.party),
            )
        if letters:
            if row is None:
                row = _insert(m.raci, edit.activity, {}, getattr(edit, "row_at", None))
            if old:
                row[edit.party] = letters
            else:
                _insert(row, edit.party, letters, getattr(edit, "cell_at", None))
        elif row is not None:
            del row[edit.party]
            if not row:
                del m.raci[edit.activity]
        if at is None:
            self.undo.append(SetRaci(activity=edit.activity, party=edit.party, letters=old))
        else:
            self.undo.append(RestoreCell(edit.activity, edit.party, old, at[0], at[1]))
        self.change.cells.add((edit.activity, edit.party))

    def _set_field(self, edit: SetField) -> None:
        try:
            obj = target_object(self.model, edit.target, edit.id)
        except KeyError:
            raise EditError(f"there is no {edit.target} {edit.id!r}") from None
        if edit.field not in type(obj).model_fields:
            raise EditError(f"a {edit.target} has no field {edit.field!r}")
        old = getattr(obj, edit.field)
        # Validate the new value alone on a shallow copy: a whole-object rebuild of the
        # model or a big contract would cost more than the edit.
        scratch = obj.model_copy()
        type(obj).__pydantic_validator__.validate_assignment(scratch, edit.field, edit.value)
        new = getattr(scratch, edit.field)
        if new == old and type(new) is type(old):
            return
        setattr(obj, edit.field, new)
        self.undo.append(
            SetField(target=edit.target, id=edit.id, field=edit.field, value=_plain(old))
        )
        collection: str
        if edit.target in ("organisation", "model"):
            collection, key = edit.target, ""
        else:
            collection, key = COLLECTION_OF[edit.target], edit.id or ""
        if edit.field == "id":
            self._structure_changed()
            self.change._note(self.change.removed, collection, key)
            self.change._note(self.change.added, collection, str(new))
        self.change.fields.setdefault(collection, {}).setdefault(key, set()).add(edit.field)

    def _set_key_accountability(self, edit: SetKeyAccountability) -> None:
        m = self.model
        try:
            key = KeyAccountability(edit.key).value
        except ValueError:
            raise EditError(f"there is no key accountability {edit.key!r}") from None
        had = key in m.key_accountabilities
        old = list(m.key_accountabilities[key]) if had else None  # type: ignore[index]
        if edit.parties is None:
            m.key_accountabilities.pop(key, None)  # type: ignore[call-overload]
        else:
            m.key_accountabilities[key] = list(edit.parties)  # type: ignore[index]
        self.undo.append(SetKeyAccountability(key=key, parties=old))
        self.change.key_accountabilities.add(key)

    def _add(self, edit: AddObject) -> None:
        kind = ITEM_TYPES[edit.collection]
        try:
            item = kind.model_validate(edit.item)
        except ValidationError as exc:
            raise EditError(f"{KIND_OF[edit.collection]}: {validation_message(exc)}") from None
        if edit.collection == "waivers":
            from ecomraci.rules import RULES

            if item.rule not in RULES:  # type: ignore[attr-defined]
                raise EditError(f"there is no rule {item.rule!r} to waive")  # type: ignore[attr-defined]
        key = object_key(edit.collection, item)
        if key in self.ids(edit.collection):
            raise EditError(f"{key!r} already exists")
        if edit.collection in ID_COLLECTIONS and any(key in self.ids(c) for c in ID_COLLECTIONS):
            raise EditError(f"the id {key!r} is already used by another object")
        items = getattr(self.model, edit.collection)
        index = len(items) if edit.index is None else max(0, min(edit.index, len(items)))
        items.insert(index, item)
        self._structure_changed()
        self.undo.append(RemoveObject(collection=edit.collection, key=key))
        self.change._note(self.change.added, edit.collection, key)

    def _remove(self, collection: str, key: str) -> None:
        items = getattr(self.model, collection)
        if key not in self.ids(collection):
            kind = KIND_OF[collection]
            raise EditError(f"there is no {kind} {key!r}")
        # First what refers to it, each step with its own inverse.
        for step in _DETACH.get(collection, ()):
            for edit in step(self.model, key):
                self.apply(edit)
        for edit in _detach_subject(self.model, key):
            self.apply(edit)
        index = next(i for i, x in enumerate(items) if object_key(collection, x) == key)
        item = items.pop(index)
        self._structure_changed()
        self.undo.append(
            AddObject(collection=collection, item=_dump(item), index=index)  # type: ignore[arg-type]
        )
        self.change._note(self.change.removed, collection, key)

    def _move(self, edit: MoveObject) -> None:
        items = getattr(self.model, edit.collection)
        if edit.key not in self.ids(edit.collection):
            kind = KIND_OF[edit.collection]
            raise EditError(f"there is no {kind} {edit.key!r}")
        old = next(i for i, x in enumerate(items) if object_key(edit.collection, x) == edit.key)
        item = items.pop(old)
        new = max(0, min(edit.index, len(items)))
        items.insert(new, item)
        if new == old:
            return
        self.undo.append(MoveObject(collection=edit.collection, key=edit.key, index=old))
        self.change._note(self.change.moved, edit.collection, edit.key)

    def _set_layout(self, edit: SetLayout) -> None:
        layout = self.model.layout
        old = layout.get(edit.subject)
        if edit.position is None:
            if old is None:
                return
            del layout[edit.subject]
        else:
            layout[edit.subject] = edit.position.model_copy()
        self.undo.append(
            SetLayout(subject=edit.subject, position=None if old is None else old.model_copy())
        )
        self.change.layout.add(edit.subject)


def _problem_text(problem: Any) -> str:
    return f"{problem.message} ({problem.value!r} at {problem.path})"


def _plain(value: Any) -> Any:
    """A field value as an edit holds it: a copy, so that later changes to the object do
    not reach into the undo history."""
    if isinstance(value, BaseModel):
        return value.model_copy(deep=True)
    return copy.deepcopy(value)


def _dump(item: BaseModel) -> dict[str, Any]:
    return item.model_dump(mode="python", exclude_unset=False)


# --- what a removal takes with it ------------------------------------------------------
# Each step lists edits computed on the model as the steps before it left it.

Step = Callable[[Model, str], list[Any]]


def _raci_of_party(m: Model, pid: str) -> list[Any]:
    return [
        SetRaci(activity=aid, party=pid, letters="") for aid, row in m.raci.items() if pid in row
    ]


def _raci_of_activity(m: Model, aid: str) -> list[Any]:
    return [SetRaci(activity=aid, party=pid, letters="") for pid in m.raci.get(aid, {})]


def _contracts_of_party(m: Model, pid: str) -> list[Any]:
    return [RemoveObject(collection="contracts", key=c.id) for c in m.contracts if c.party == pid]


def _assignments_where(attr: str) -> Step:
    def step(m: Model, key: str) -> list[Any]:
        return [
            RemoveObject(collection="assignments", key=f"{s.function}@{s.party}")
            for s in m.assignments
            if getattr(s, attr) == key
        ]

    return step


def _forum_members(m: Model, pid: str) -> list[Any]:
    return [list_edit("forum", f, "members", drop=pid) for f in m.forums if pid in f.members]


def _exit_plan_owners(m: Model, pid: str) -> list[Any]:
    return [
        SetField(
            target="contract",
            id=c.id,
            field="exit_plan",
            value={**c.exit_plan.model_dump(mode="json"), "owner": None},
        )
        for c in m.contracts
        if c.exit_plan.owner == pid
    ]


def _switching_scopes(m: Model, fid: str) -> list[Any]:
    out: list[Any] = []
    for c in m.contracts:
        if c.switching is None or fid not in (c.switching.functions or []):
            continue
        left = [f for f in c.switching.functions or [] if f != fid]
        value = {**c.switching.model_dump(mode="json"), "functions": left or None}
        out.append(SetField(target="contract", id=c.id, field="switching", value=value))
    return out


def _key_accountabilities(m: Model, pid: str) -> list[Any]:
    return [
        SetKeyAccountability(key=str(k), parties=[p for p in owners if p != pid])
        for k, owners in m.key_accountabilities.items()
        if pid in owners
    ]


def _activities_of(m: Model, fid: str) -> list[Any]:
    return [
        RemoveObject(collection="activities", key=a.id) for a in m.activities if a.function == fid
    ]


def _dependencies_of(m: Model, fid: str) -> list[Any]:
    return [
        RemoveObject(collection="dependencies", key=d.id)
        for d in m.dependencies
        if fid in (d.function, d.needs)
    ]


def _contract_scopes(m: Model, fid: str) -> list[Any]:
    return [
        list_edit("contract", c, name, drop=fid)
        for c in m.contracts
        for name in ("covers", "insourcing_rights", "exclusivity")
        if fid in getattr(c, name)
    ]


def _interfaces(m: Model, aid: str) -> list[Any]:
    return [
        SetField(target="dependency", id=d.id, field="interface_activity", value=None)
        for d in m.dependencies
        if d.interface_activity == aid
    ]


def _contract_references(m: Model, cid: str) -> list[Any]:
    out: list[Any] = [
        SetField(target="assignment", id=f"{s.function}@{s.party}", field="contract", value=None)
        for s in m.assignments
        if s.contract == cid
    ]
    out += [
        list_edit("contract", c, "cross_termination", drop=cid)
        for c in m.contracts
        if cid in c.cross_termination and c.id != cid
    ]
    return out


def _detach_subject(m: Model, key: str) -> list[Any]:
    """Waivers naming the subject go whole; its pin on the map goes."""
    out: list[Any] = [
        RemoveObject(collection="waivers", key=object_key("waivers", w))
        for w in m.waivers
        if key in w.subjects
    ]
    if key in m.layout:
        out.append(SetLayout(subject=key, position=None))
    return out


_DETACH: dict[str, tuple[Step, ...]] = {
    "parties": (
        _contracts_of_party,
        _assignments_where("party"),
        _forum_members,
        _key_accountabilities,
        _exit_plan_owners,
        _raci_of_party,
    ),
    "functions": (
        _activities_of,
        _assignments_where("function"),
        _dependencies_of,
        _contract_scopes,
        _switching_scopes,
    ),
    "activities": (_raci_of_activity, _interfaces),
    "contracts": (_contract_references,),
}
