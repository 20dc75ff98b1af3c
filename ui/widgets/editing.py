"""Try a list of core edits before it becomes an undo step.

An edit the model refuses (a pydantic validation error, a reference that breaks the
model's integrity, such as a contract that ends before it starts) must change nothing
and leave no step on the undo stack: `try_apply` tries the edits on a scratch model
first and returns the message to show, or pushes one `ApplyEditsCommand` and returns
None. Field edits are tried on a shallow copy that shares everything but the touched
object, so that a keystroke on a big model does not copy the whole model.
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from ecomraci.edits import (
    ITEM_TYPES,
    EditError,
    SetField,
    SetKeyAccountability,
    apply_edit_in_place,
    target_object,
)
from ecomraci.integrity import integrity_problems
from ecomraci.model import Model
from ui.commands import ApplyEditsCommand
from ui.widgets.fields import label_for

_COLLECTION_OF = {kind: collection for collection, kind in ITEM_TYPES.items()}


def validation_message(exc: ValidationError) -> str:
    """pydantic's errors as one short line per problem, naming the field as the form
    labels it, without pydantic's URLs."""
    lines = []
    for err in exc.errors(include_url=False):
        where = " › ".join(label_for(str(p)) for p in err.get("loc", ()) if isinstance(p, str))
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


def _scratch(model: Model, edits: list) -> Model:
    """A model the edits may change without touching `model`."""
    if not all(isinstance(e, (SetField, SetKeyAccountability)) for e in edits):
        return model.model_copy(deep=True)
    scratch = model.model_copy()  # shares every list and object with `model`
    for edit in edits:
        if isinstance(edit, SetKeyAccountability):
            scratch.key_accountabilities = dict(scratch.key_accountabilities)
        elif edit.target == "organisation":
            scratch.organisation = scratch.organisation.model_copy(deep=True)
        elif edit.target != "model":
            obj = target_object(scratch, edit.target, edit.id)
            collection = _COLLECTION_OF[type(obj)]
            items = list(getattr(scratch, collection))
            index = next(i for i, item in enumerate(items) if item is obj)
            items[index] = obj.model_copy(deep=True)
            setattr(scratch, collection, items)
    return scratch


def check_edits(model: Model, edits: list) -> str | None:
    """Why the model refuses `edits`, or None when they apply cleanly."""
    before = {str(p) for p in integrity_problems(model)}
    try:
        scratch = _scratch(model, edits)
        for edit in edits:
            apply_edit_in_place(scratch, edit)
    except ValidationError as exc:
        return validation_message(exc)
    except (EditError, KeyError, ValueError, TypeError) as exc:
        return str(exc).strip("'\"")
    new = [p for p in integrity_problems(scratch) if str(p) not in before]
    if new:
        return "; ".join(p.message for p in new[:3])
    return None


def try_apply(document, edits: list, text: str) -> str | None:
    """Push `edits` as one undo step on `document`, or return why they are refused."""
    problem = check_edits(document.model, edits)
    if problem is None:
        document.undo_stack.push(ApplyEditsCommand(document, edits, text))
    return problem


def dump(value):
    """A field value as plain data for a `SetField` (nested models as dicts)."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value
