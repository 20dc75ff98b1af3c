"""What an object is to the rest of the model, as the inspector shows it beside its
fields: who delivers a function, in which mode and under which contract, and what it
depends on both ways; what a party delivers, its contracts and how many A and R letters
it holds; which functions a contract covers and when it and each of them can be left.

Everything is named by name (the ids stay in the facts for links back to the objects).
Exit dates come from `ecomraci.scenario.exit_calendar`, as the what-if reckons them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ecomraci.model import Model


@dataclass(frozen=True)
class Delivery:
    """One party delivering one function."""

    function: str
    function_name: str
    party: str
    party_name: str
    party_kind: str
    mode: str
    contract: str | None
    contract_name: str | None


@dataclass(frozen=True)
class Link:
    """A dependency seen from one of its ends: the function at the other end."""

    function: str
    name: str
    kind: str
    strength: str


@dataclass(frozen=True)
class Exit:
    """The earliest way out of a contract, for the whole contract (`function` None) or
    for one function it covers; `on` None: no day the calendar holds."""

    function: str | None
    name: str
    on: date | None
    alone: bool
    reason: str


def _names(model: Model) -> dict[str, str]:
    return {x.id: x.name for c in ("parties", "functions", "contracts") for x in getattr(model, c)}


def deliveries(model: Model, *, function: str | None = None, party: str | None = None):
    """The deliveries of `function`, or by `party`, in the model's order."""
    names = _names(model)
    kinds = {p.id: p.kind for p in model.parties}
    return [
        Delivery(
            function=a.function,
            function_name=names.get(a.function, a.function),
            party=a.party,
            party_name=names.get(a.party, a.party),
            party_kind=str(getattr(kinds.get(a.party), "value", kinds.get(a.party, ""))),
            mode=str(getattr(a.mode, "value", a.mode)),
            contract=a.contract,
            contract_name=names.get(a.contract, a.contract) if a.contract else None,
        )
        for a in model.assignments
        if (function is None or a.function == function) and (party is None or a.party == party)
    ]


def dependencies(model: Model, function: str) -> tuple[list[Link], list[Link]]:
    """(what `function` depends on, what depends on it)."""
    names = _names(model)

    def link(other: str, d) -> Link:
        return Link(
            function=other,
            name=names.get(other, other),
            kind=str(getattr(d.kind, "value", d.kind)),
            strength=str(getattr(d.strength, "value", d.strength)),
        )

    needs = [link(d.needs, d) for d in model.dependencies if d.function == function]
    needed_by = [link(d.function, d) for d in model.dependencies if d.needs == function]
    return needs, needed_by


def letter_counts(model: Model, party: str) -> dict[str, int]:
    """How many activities `party` holds each RACI letter on (A/R counts once for A and
    once for R)."""
    counts = dict.fromkeys("RACI", 0)
    for row in model.raci.values():
        for letter in row.get(party, ""):
            if letter in counts:
                counts[letter] += 1
    return counts


def contracts_of(model: Model, party: str):
    """The contracts with `party`."""
    return [c for c in model.contracts if c.party == party]


def contract_exits(model: Model, contract_id: str, as_of: date) -> list[Exit]:
    """The earliest way out of the whole contract, then of each function it covers."""
    # the what-if's calendar, loaded when a contract is first shown (not at start-up)
    from ecomraci.scenario.exit_calendar import earliest_exit, exit_routes

    contract = model.contract(contract_id)
    names = _names(model)
    whole = earliest_exit(exit_routes(contract, None, as_of))
    out = [Exit(None, contract.name, whole.on, whole.alone, whole.reason)]
    for fid in dict.fromkeys(contract.covers):
        route = earliest_exit(exit_routes(contract, fid, as_of))
        out.append(Exit(fid, names.get(fid, fid), route.on, route.alone, route.reason))
    return out
