"""Helpers the editors share: pydantic's refusals worded with the form's labels, and
field values as plain data for a `SetField`. Edits reach the model only through
`Document.apply` (see `ui.document`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from ecomraci import transaction
from ui.widgets.fields import label_for


def validation_message(exc: ValidationError) -> str:
    """pydantic's errors as one short line per problem, naming the field as the form
    labels it, without pydantic's URLs."""
    return transaction.validation_message(exc, label_for)


def dump(value: Any) -> Any:
    """A field value as plain data for a `SetField` (nested models as dicts)."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value
