"""The guided start: a few answers per catalog function turned into a whole model at once.

A user starting a model says, for each function of the catalog, whether the company has
it, who delivers it (one of its own teams, or an outside party typed by name) and, for
an outside party, under which contract (contracts are named; functions given the same
contract name share one contract). `guided_model` builds from those answers the model
`ecomraci.catalog.new_model` would start from, then:

* an outside party named once becomes one party, whichever rows name it, with the
  category most of its functions are typically bought from (`catalog.guess_category`);
* its functions run under its contracts (one per contract name, with the clauses left
  at their defaults, which a user fills in later: that is what the check then asks
  about), outsourced;
* in the RACI rows of a bought function the provider takes the R the owning team had
  for doing the work itself, and the owning team keeps the A (accountability stays
  in-house); managing the supplier stays with the owning team; a function kept in-house
  by another team than the catalog's owner moves the owner's letters to that team;
* a function left out goes with its activities, rows and dependencies; a team left with
  nothing to do, no letter and no key accountability goes too;
* outside parties join the alignment forum, so the end-to-end alignment covers them.

It is also where the app's small "add" forms find the defaults they offer
(`default_letters`, `delivered_function_edits`), so that both speak the same rules.
Everything here is plain core: no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ecomraci import catalog
from ecomraci.edits import AddObject, EditError, RemoveObject, SetRaci
from ecomraci.integrity import integrity_problems
from ecomraci.model import Model, normalize_letters
from ecomraci.operations import add_activity, add_function, deliver, new_id
from ecomraci.transaction import transact

NAME_LIMIT = 200


class GuidedError(ValueError):
    """An answer the guided start cannot build from; the text names the function and
    says what is wrong."""


@dataclass(frozen=True)
class Answer:
    """One row of the guided start. `deliverer` is the name of an internal team of the
    catalog (the function stays in-house) or of an outside party; `contract` names the
    contract an outside party delivers it under (empty: "<party> contract")."""

    function: str
    include: bool = True
    deliverer: str = ""
    contract: str = ""


def team_names(focus: str = "commerce") -> dict[str, str]:
    """Internal team name -> id, for the teams a new model of `focus` starts with."""
    return {name: tid for tid, (name, _cat) in (catalog.TEAMS | catalog.FOCUS_TEAMS[focus]).items()}


def default_answers(focus: str = "commerce") -> list[Answer]:
    """Every catalog function kept in-house by its usual team: the plain `new_model`."""
    teams = catalog.TEAMS | catalog.FOCUS_TEAMS[focus]
    return [Answer(f.id, True, teams[f.owner][0], "") for f in catalog.catalog_functions(focus)]


def default_contract_name(party_name: str) -> str:
    return f"{party_name} contract"


def _clean(text: str) -> str:
    return " ".join(text.split())


def guided_model(
    name: str, focus: str = "commerce", answers: Sequence[Answer] | None = None
) -> Model:
    """The model the guided start's answers describe (see the module's docstring).

    Raises GuidedError naming the function whose answer cannot be used."""
    name = _clean(name)
    if not name:
        raise GuidedError("The model needs a name.")
    if len(name) > NAME_LIMIT:
        raise GuidedError(f"The model's name is {len(name)} characters long; at most {NAME_LIMIT}.")
    funcs = {f.id: f for f in catalog.catalog_functions(focus)}
    model = catalog.new_model(focus, name)
    teams = {n.casefold(): tid for n, tid in team_names(focus).items()}
    given = {a.function: a for a in (answers or [])}
    unknown = [fid for fid in given if fid not in funcs]
    if unknown:
        raise GuidedError(f"{unknown[0]!r} is not a function of the {focus} catalog.")
    rows = [given.get(fid, Answer(fid, True, "", "")) for fid in funcs]
    if not any(r.include for r in rows):
        raise GuidedError("Keep at least one function in the model.")

    # Who delivers what: internal team ids, or outside party names (folded -> as typed).
    outside: dict[str, str] = {}
    outside_functions: dict[str, list[str]] = {}
    plan: dict[str, tuple[str, str, str | None]] = {}  # fid -> (kind, who, contract name)
    team: str
    contract_party: dict[str, str] = {}  # folded contract name -> folded party name
    for row in rows:
        if not row.include:
            continue
        f = funcs[row.function]
        who = _clean(row.deliverer)
        if not who or who.casefold() in teams:
            team = teams.get(who.casefold(), f.owner) if who else f.owner
            if _clean(row.contract):
                raise GuidedError(
                    f"{f.name}: an internal team works under no contract; clear the "
                    f"contract, or name the outside party that delivers it."
                )
            plan[f.id] = ("internal", team, None)
            continue
        if len(who) > NAME_LIMIT:
            raise GuidedError(f"{f.name}: the party's name is longer than {NAME_LIMIT} characters.")
        key = who.casefold()
        outside.setdefault(key, who)
        outside_functions.setdefault(key, []).append(f.id)
        contract = _clean(row.contract) or default_contract_name(outside[key])
        if len(contract) > NAME_LIMIT:
            raise GuidedError(
                f"{f.name}: the contract's name is longer than {NAME_LIMIT} characters."
            )
        holder = contract_party.setdefault(contract.casefold(), key)
        if holder != key:
            raise GuidedError(
                f"{f.name}: the contract “{contract}” is with {outside[holder]}, so "
                f"{who} cannot deliver under it; name another contract."
            )
        plan[f.id] = ("external", key, contract)

    # Leave out what the company does not have.
    for row in rows:
        if not row.include:
            transact(model, [RemoveObject(collection="functions", key=row.function)], check=False)

    # The outside parties, after the teams.
    party_ids: dict[str, str] = {}
    for key, who in outside.items():
        pid = new_id(who, model)
        party_ids[key] = pid
        category = catalog.guess_category(who, "external", tuple(outside_functions[key]))
        item = {"id": pid, "name": who, "kind": "external", "category": category}
        transact(model, [AddObject(collection="parties", item=item)], check=False)
    contract_ids: dict[str, str] = {}
    for fid, (kind, who, under) in plan.items():
        if kind != "external" or under is None:
            continue
        ckey = under.casefold()
        if ckey not in contract_ids:
            cid = new_id(under, model)
            contract_ids[ckey] = cid
            doc: dict[str, Any] = {"id": cid, "name": under, "party": party_ids[who], "covers": []}
            transact(model, [AddObject(collection="contracts", item=doc)], check=False)
        model.contract(contract_ids[ckey]).covers.append(fid)

    # Assignments and RACI rows.
    for fid, (kind, who, under) in plan.items():
        f = funcs[fid]
        assignment = next(a for a in model.assignments if a.function == fid)
        if kind == "internal":
            if who != f.owner:
                assignment.party = who
                _hand_over_letters(model, fid, f.owner, who)
            continue
        pid = party_ids[who]
        assignment.party = pid
        assignment.mode = "outsourced"  # type: ignore[assignment]
        assignment.contract = contract_ids[under.casefold()] if under else None
        for act in f.activities:
            aid = f"{fid}.{act.key}"
            if act.responsible is not None or act.kind == "supplier-management":
                continue  # someone else's work, or the company's own job of managing
            cells = model.raci.setdefault(aid, {})
            own = cells.get(f.owner, "").replace("R", "")
            if own:
                cells[f.owner] = own
            else:
                cells.pop(f.owner, None)
            cells[pid] = normalize_letters(cells.get(pid, "") + "R")

    # Teams with nothing left to do go; outside parties join the alignment forum.
    keep = {a.party for a in model.assignments}
    keep |= {pid for row in model.raci.values() for pid in row}
    keep |= {pid for owners in model.key_accountabilities.values() for pid in owners}
    for p in list(model.parties):
        if p.kind == "internal" and p.id not in keep:
            transact(model, [RemoveObject(collection="parties", key=p.id)], check=False)
    for forum in model.forums:
        forum.members.extend(pid for pid in party_ids.values() if pid not in forum.members)
    if outside:
        model.comment = (
            f"Started from the default {focus} catalog with the guided start: "
            f"{len(outside)} outside {'party' if len(outside) == 1 else 'parties'}, "
            f"{len(contract_ids)} {'contract' if len(contract_ids) == 1 else 'contracts'}."
        )
    model = Model.model_validate(model.model_dump(mode="json"))
    problems = integrity_problems(model, limit=3)
    if problems:  # pragma: no cover - a bug in this module, not in the answers
        raise GuidedError("; ".join(str(p) for p in problems))
    return model


def _hand_over_letters(model: Model, fid: str, old: str, new: str) -> None:
    """`new` takes over every letter `old` holds on the activities of `fid`."""
    for a in model.activities_of(fid):
        row = model.raci.get(a.id)
        if row and old in row:
            letters = row.pop(old)
            row[new] = normalize_letters(row.get(new, "") + letters)


# --- defaults the add forms offer ---------------------------------------------------------


def internal_owner(model: Model, function: str) -> str | None:
    """The internal team that answers for `function`: the team holding most A's on its
    activities, else its internal deliverer, else the e-commerce team (or the first
    team)."""
    counts: dict[str, int] = {}
    internal = [p.id for p in model.parties if p.kind == "internal"]
    for a in model.activities_of(function):
        for pid, letters in model.raci.get(a.id, {}).items():
            if "A" in letters and pid in internal:
                counts[pid] = counts.get(pid, 0) + 1
    if counts:
        return max(counts, key=lambda p: counts[p])
    for s in model.assignments:
        if s.function == function and s.party in internal:
            return s.party
    ecommerce = [p.id for p in model.parties if p.kind == "internal" and p.category == "ecommerce"]
    first = ecommerce or internal
    return first[0] if first else None


def default_letters(model: Model, function: str) -> dict[str, str]:
    """Letters for a new activity of `function`: R for each party delivering it, A for
    its internal owner (A+R when the owner does the work)."""
    cells: dict[str, str] = {}
    for a in model.assignments:
        if a.function == function:
            cells[a.party] = "R"
    owner = internal_owner(model, function)
    if owner is not None:
        cells[owner] = normalize_letters(cells.get(owner, "") + "A")
    return cells


def activity_edits(
    model: Model, function: str, name: str, kind: str = "run", letters: bool = True
) -> list[Any]:
    """A new activity of `function` of `kind`, with the default letters when `letters`."""
    edits = add_activity(model, function, name)
    item = edits[0].item
    item["kind"] = kind
    if letters:
        edits += [
            SetRaci(activity=item["id"], party=pid, letters=text)
            for pid, text in default_letters(model, function).items()
        ]
    return edits


def delivered_function_edits(
    model: Model,
    name: str,
    party: str | None,
    contract: str | None = None,
    new_contract_name: str | None = None,
    **fields: Any,
) -> list[Any]:
    """A new function called `name` (with `fields`: criticality, reversible, ...),
    delivered by `party` (when given) under `contract` (a contract id of that party,
    `operations.NEW_CONTRACT` with `new_contract_name`, or None)."""
    edits = add_function(model, name)
    edits[0].item.update({k: v for k, v in fields.items() if v is not None})
    if party is None:
        return edits
    fid = edits[0].item["id"]
    applied = transact(model, edits, check=False)
    try:
        edits += deliver(model, fid, party, contract=contract, new_contract_name=new_contract_name)
    finally:
        transact(model, applied.inverse, check=False)
    return edits


def forum_edits(model: Model, name: str, cadence_days: int, members: Iterable[str]) -> list[Any]:
    """A new forum with its members."""
    known = {p.id for p in model.parties}
    chosen = [m for m in members if m in known]
    item = {
        "id": new_id(name, model),
        "name": name,
        "cadence_days": cadence_days,
        "members": chosen,
    }
    return [AddObject(collection="forums", item=item)]


__all__ = [
    "Answer",
    "EditError",
    "GuidedError",
    "activity_edits",
    "default_answers",
    "default_contract_name",
    "default_letters",
    "delivered_function_edits",
    "forum_edits",
    "guided_model",
    "internal_owner",
    "team_names",
]
