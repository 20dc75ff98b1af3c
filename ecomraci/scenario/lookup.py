"""Looking up the objects a what-if names: `ScenarioError` (a what-if that cannot be
built), `unknown_id` (the error for an id the model does not have, with the closest ones)
and `ScenarioContext` (the model and its look-ups, shared by the operations)."""

from __future__ import annotations

import difflib
from datetime import date

from ecomraci.model import Contract, Function, Model, Party
from ecomraci.rules.engine import CheckContext


class ScenarioError(ValueError):
    """A what-if that cannot be built (an unknown id, a party of the wrong kind); the
    text is for the user."""


def unknown_id(kind: str, value: str, known: list[str]) -> ScenarioError:
    """An error naming an id that does not exist, with the closest ids there are."""
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
    if close:
        hint = "did you mean " + " or ".join(close) + "?"
    elif known:
        listed = ", ".join(known[:15]) + (", ..." if len(known) > 15 else "")
        hint = f"the model's {kind} ids are: {listed}"
    else:
        hint = f"the model has no {kind}"
    return ScenarioError(f"there is no {kind} {value!r} in the model; {hint}")


class ScenarioContext:
    """The model plus the look-ups the operations share."""

    def __init__(self, model: Model, as_of: date) -> None:
        self.model = model
        self.as_of = as_of
        self.ctx = CheckContext(model, as_of)
        self.parties = self.ctx.parties
        self.functions = self.ctx.functions
        self.contracts = self.ctx.contracts

    def name(self, object_id: str | None) -> str:
        return "" if object_id is None else self.ctx.name(object_id)

    def q(self, object_id: str) -> str:
        return self.ctx.quoted(object_id)

    def function(self, fid: str) -> Function:
        if fid not in self.functions:
            raise unknown_id("function", fid, list(self.functions))
        return self.functions[fid]

    def party(self, pid: str) -> Party:
        if pid not in self.parties:
            raise unknown_id("party", pid, list(self.parties))
        return self.parties[pid]

    def contract(self, cid: str) -> Contract:
        if cid not in self.contracts:
            raise unknown_id("contract", cid, list(self.contracts))
        return self.contracts[cid]
