"""Referential integrity of a validated `Model`.

Pydantic checks the shape of each object; this module checks what lies between them: ids
are unique, every reference points at something that exists, every activity belongs to a
function, RACI cells name real activities and parties and hold each letter once. Each
problem is reported with the JSON path of the offending value, so a user can find it in
the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ecomraci.model import KeyAccountability, Model


@dataclass(frozen=True)
class Problem:
    path: str  # JSON path, such as $.activities[3].function
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message} (found {self.value!r})"


def integrity_problems(model: Model, limit: int = 50) -> list[Problem]:
    """Every referential problem of `model`, at most `limit` of them."""
    problems: list[Problem] = []

    def add(path: str, value: object, message: str) -> bool:
        problems.append(Problem(path, value, message))
        return len(problems) >= limit

    # Where each id is first used: (kind of object, its name, its JSON path).
    first_use: dict[str, tuple[str, str, str]] = {}

    def unique(items, collection: str, kind: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            here = (kind, item.name, f"$.{collection}[{i}]")
            earlier = first_use.get(item.id)
            if earlier is not None:
                add(
                    f"{here[2]}.id",
                    item.id,
                    f"duplicate id: {_described(here)} has the id of {_described(earlier)}; "
                    "each object needs an id of its own",
                )
            else:
                first_use[item.id] = here
            seen.add(item.id)
        return seen

    parties = unique(model.parties, "parties", "party")
    functions = unique(model.functions, "functions", "function")
    activities = unique(model.activities, "activities", "activity")
    contracts = unique(model.contracts, "contracts", "contract")
    unique(model.forums, "forums", "forum")

    def ref(path: str, value: str | None, pool: set[str], what: str) -> None:
        if value is not None and value not in pool:
            add(path, value, f"no {what} has this id")

    for i, a in enumerate(model.activities):
        if a.function not in functions:
            add(
                f"$.activities[{i}].function",
                a.function,
                f"activity {a.id!r} is under no function: no function has this id",
            )
    for i, s in enumerate(model.assignments):
        if (
            s.function not in functions
            or s.party not in parties
            or (s.contract is not None and s.contract not in contracts)
        ):
            ref(f"$.assignments[{i}].function", s.function, functions, "function")
            ref(f"$.assignments[{i}].party", s.party, parties, "party")
            ref(f"$.assignments[{i}].contract", s.contract, contracts, "contract")
    seen_pairs: set[tuple[str, str]] = set()
    for i, d in enumerate(model.dependencies):
        # Test membership first: building paths for 5,000 sound edges costs real time.
        if d.function not in functions:
            ref(f"$.dependencies[{i}].function", d.function, functions, "function")
        if d.needs not in functions:
            ref(f"$.dependencies[{i}].needs", d.needs, functions, "function")
        if d.interface_activity is not None and d.interface_activity not in activities:
            ref(
                f"$.dependencies[{i}].interface_activity",
                d.interface_activity,
                activities,
                "activity",
            )
        pair = (d.function, d.needs)
        if d.function == d.needs:
            add(f"$.dependencies[{i}].needs", d.needs, "a function cannot depend on itself")
        if pair in seen_pairs:
            add(f"$.dependencies[{i}]", d.id, "duplicate dependency between the same functions")
        seen_pairs.add(pair)
    seen_deps = {f"{a}->{b}" for a, b in seen_pairs}
    party_of = {p.id: p for p in model.parties}
    for i, c in enumerate(model.contracts):
        ref(f"$.contracts[{i}].party", c.party, parties, "party")
        if c.party in party_of and party_of[c.party].kind == "internal":
            add(f"$.contracts[{i}].party", c.party, "a contract must be with an external party")
        for field in ("covers", "insourcing_rights", "exclusivity"):
            for j, fid in enumerate(getattr(c, field)):
                ref(f"$.contracts[{i}].{field}[{j}]", fid, functions, "function")
        for j, other in enumerate(c.cross_termination):
            ref(f"$.contracts[{i}].cross_termination[{j}]", other, contracts, "contract")
        for j, fid in enumerate((c.switching.functions or []) if c.switching else []):
            ref(f"$.contracts[{i}].switching.functions[{j}]", fid, functions, "function")
        owner = c.exit_plan.owner
        if owner is not None:
            ref(f"$.contracts[{i}].exit_plan.owner", owner, parties, "party")
            if owner in party_of and party_of[owner].kind != "internal":
                add(
                    f"$.contracts[{i}].exit_plan.owner",
                    owner,
                    "the owner of an exit plan must be an internal party",
                )
        plan = c.exit_plan
        if plan.last_tested is not None and not plan.exists:
            add(
                f"$.contracts[{i}].exit_plan.last_tested",
                plan.last_tested.isoformat(),
                f"the exit plan of contract \u201c{c.name}\u201d has a test date but is not "
                "marked as existing: mark it as existing, or clear the test date",
            )
        if c.start and c.end and c.end < c.start:
            add(f"$.contracts[{i}].end", c.end.isoformat(), "the contract ends before it starts")
    for i, f in enumerate(model.forums):
        for j, pid in enumerate(f.members):
            ref(f"$.forums[{i}].members[{j}]", pid, parties, "party")
    for key, owners in model.key_accountabilities.items():
        for j, pid in enumerate(owners):
            ref(f"$.key_accountabilities.{_key(key)}[{j}]", pid, parties, "party")
    # Findings name these pseudo-subjects too, so waivers may.
    subjects = (
        parties
        | functions
        | activities
        | contracts
        | seen_deps
        | {f.id for f in model.forums}
        | {k.value for k in KeyAccountability}
        | {
            "organisation.placement",
            "organisation.maturity",
            "organisation.structure_stage",
            "organisation.strategy_focus",
            "organisation",
        }
    )
    from ecomraci.rules import RULES  # the rules import the model, as this module does

    for i, w in enumerate(model.waivers):
        if w.rule not in RULES:
            add(
                f"$.waivers[{i}].rule",
                w.rule,
                "no rule has this id, so the waiver would waive nothing (`ecomraci rules` "
                "lists the rules)",
            )
        for j, sid in enumerate(w.subjects):
            ref(f"$.waivers[{i}].subjects[{j}]", sid, subjects, "object")
    for item_id in model.layout:
        ref(f"$.layout.{item_id}", item_id, subjects, "object")

    # The RACI grid is the bulk of a big model: check whole rows with set operations and
    # look at single cells only where a row fails.
    distinct: set[str] = set()
    for aid, row in model.raci.items():
        if aid not in activities:
            if add(f"$.raci.{aid}", aid, "no activity has this id"):
                return problems
            continue
        if not parties.issuperset(row):
            for pid in row:
                if pid not in parties and add(f"$.raci.{aid}.{pid}", pid, "no party has this id"):
                    return problems
        distinct.update(row.values())
    repeated = {letters for letters in distinct if len(set(letters)) != len(letters)}
    if repeated:
        for aid, row in model.raci.items():
            for pid, letters in row.items():
                if letters in repeated and add(
                    f"$.raci.{aid}.{pid}", letters, "a RACI letter is repeated"
                ):
                    return problems
    return problems[:limit]


def _described(use: tuple[str, str, str]) -> str:
    """An object as a message names it: its kind, its name and where it is."""
    kind, name, path = use
    return f"{kind} \u201c{name}\u201d ({path})"


def _key(key: object) -> str:
    return key.value if isinstance(key, Enum) else str(key)  # enum keys or their values
