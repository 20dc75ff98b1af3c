"""Referential integrity of a validated `Model`.

Pydantic checks the shape of each object; this module checks what lies between them: ids
are unique, every reference points at something that exists, every activity belongs to a
function, RACI cells name real activities and parties and hold each letter once. Each
problem is reported with the JSON path of the offending value, so a user can find it in
the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecomraci.model import Model


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

    def unique(items, collection: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                add(f"$.{collection}[{i}].id", item.id, f"duplicate id in {collection}")
            seen.add(item.id)
        return seen

    parties = unique(model.parties, "parties")
    functions = unique(model.functions, "functions")
    activities = unique(model.activities, "activities")
    contracts = unique(model.contracts, "contracts")
    unique(model.forums, "forums")
    clash = (parties & functions) | (parties & activities) | (functions & activities)
    for cid in sorted(clash | (contracts & (parties | functions | activities))):
        add("$", cid, "the same id is used by two kinds of object; ids must be unique")

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
        ref(f"$.assignments[{i}].function", s.function, functions, "function")
        ref(f"$.assignments[{i}].party", s.party, parties, "party")
        ref(f"$.assignments[{i}].contract", s.contract, contracts, "contract")
    seen_deps: set[str] = set()
    for i, d in enumerate(model.dependencies):
        ref(f"$.dependencies[{i}].function", d.function, functions, "function")
        ref(f"$.dependencies[{i}].needs", d.needs, functions, "function")
        ref(f"$.dependencies[{i}].interface_activity", d.interface_activity, activities, "activity")
        if d.function == d.needs:
            add(f"$.dependencies[{i}].needs", d.needs, "a function cannot depend on itself")
        if d.id in seen_deps:
            add(f"$.dependencies[{i}]", d.id, "duplicate dependency between the same functions")
        seen_deps.add(d.id)
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
        if c.start and c.end and c.end < c.start:
            add(f"$.contracts[{i}].end", c.end.isoformat(), "the contract ends before it starts")
    for i, f in enumerate(model.forums):
        for j, pid in enumerate(f.members):
            ref(f"$.forums[{i}].members[{j}]", pid, parties, "party")
    for key, owners in model.key_accountabilities.items():
        for j, pid in enumerate(owners):
            ref(f"$.key_accountabilities.{_key(key)}[{j}]", pid, parties, "party")
    subjects = parties | functions | activities | contracts | seen_deps
    for i, w in enumerate(model.waivers):
        for j, sid in enumerate(w.subjects):
            ref(f"$.waivers[{i}].subjects[{j}]", sid, subjects, "object")
    for item_id in model.layout:
        ref(f"$.layout.{item_id}", item_id, subjects, "object")

    # The RACI grid is the bulk of a big model: keep this loop tight.
    for aid, row in model.raci.items():
        if aid not in activities:
            if add(f"$.raci.{aid}", aid, "no activity has this id"):
                return problems
            continue
        for pid, letters in row.items():
            if pid not in parties:
                if add(f"$.raci.{aid}.{pid}", pid, "no party has this id"):
                    return problems
            elif len(set(letters)) != len(letters):
                if add(f"$.raci.{aid}.{pid}", letters, "a RACI letter is repeated"):
                    return problems
    return problems[:limit]


def _key(key: object) -> str:
    return getattr(key, "value", key)  # enum keys or their values
