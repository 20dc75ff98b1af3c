"""The parts of a what-if's report read from the model before and after the move: the
coupled exit (SRC-02, asked for the function leaving), the findings that bear on a contract
and the clauses to negotiate from them (`contract_change`), and the dependencies that
cross a new party boundary or no longer cross one (`boundaries`)."""

from __future__ import annotations

from datetime import date

from ecomraci.diff import COLLECTIONS, FindingsDiff, ModelDiff, show
from ecomraci.edits import SetField
from ecomraci.graph import deliverers
from ecomraci.model import Contract, Dependency, Model, ScenarioOperation, ScenarioParameters
from ecomraci.rules import check
from ecomraci.rules.engine import CheckContext, Finding
from ecomraci.scenario.lookup import ScenarioContext
from ecomraci.scenario.results import (
    BoundaryChange,
    Clause,
    ContractChange,
    ContractStatus,
    ScenarioResult,
)


def empty_result(
    sc: ScenarioContext, operation: str, parameters: ScenarioParameters, question: str
) -> ScenarioResult:
    return ScenarioResult(
        name=sc.model.name,
        operation=ScenarioOperation(operation),
        parameters=parameters,
        as_of=sc.as_of,
        question=question,
        findings=FindingsDiff(as_of=sc.as_of),
        changes=ModelDiff(),
    )


def crossing_pairs(served: dict[str, list[str]], dep: Dependency) -> set[tuple[str, str]]:
    """The (party, party) pairs that meet on `dep` when `served` says who delivers what."""
    return {
        (a, b) for a in served.get(dep.function, []) for b in served.get(dep.needs, []) if a != b
    }


def coupled_exit(model: Model, fid: str, contract: Contract, as_of: date) -> Finding | None:
    """SRC-02's answer for `fid` leaving `contract`, asked even when the function is not
    marked reversible (the question is being asked now)."""
    probe = model
    if not model.function(fid).reversible:
        probe = model.model_copy(
            update={
                "functions": [
                    f.model_copy(update={"reversible": True}) if f.id == fid else f
                    for f in model.functions
                ]
            }
        )
    for finding in check(probe, as_of, only=["SRC-02"]):
        if finding.subjects[:2] == [fid, contract.id]:
            return finding
    return None


# The contract fields whose values are ids of the model (functions, parties, contracts).
_ID_FIELDS = {"party", "covers", "insourcing_rights", "exclusivity", "cross_termination"}


def _change_text(sc: ScenarioContext, field: str, before: object, after: object) -> str:
    """One changed contract field as a person reads it: the field in words and the
    objects it names by their names (``covers: “Web store IT”, “Analytics” -> “Analytics”``)."""

    def value(v: object) -> str:
        if field in _ID_FIELDS and isinstance(v, str) and v:
            return sc.q(v)
        if field in _ID_FIELDS and isinstance(v, list) and v:
            return ", ".join(sc.q(str(x)) for x in v)
        return show(v)

    return f"{field.replace('_', ' ').replace('.', ', ')}: {value(before)} -> {value(after)}"


def mentioned_names(before: Model, after: Model, result: ScenarioResult) -> dict[str, str]:
    """id -> name of the objects that the result's id fields name: the two sides of the
    stranded and no longer crossing dependencies, and the id values of the changed
    fields. A name from the model after the move wins (a new contract has no other)."""
    from ecomraci.scenario.text import object_names

    named = object_names(before, after)
    wanted: set[str] = set()
    for key in (*result.stranded, *result.closed_boundaries):
        wanted.update(key.split("->"))

    def collect(value: object) -> None:
        if isinstance(value, str):
            wanted.add(value)
            wanted.update(value.split("->"))
        elif isinstance(value, list):
            for v in value:
                collect(v)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)

    for collection in COLLECTIONS:
        for change in getattr(result.changes, collection):
            for fc in change.fields:
                collect(fc.before)
                collect(fc.after)
    return {k: named[k] for k in sorted(wanted) if k in named}


def _clause(finding: Finding) -> Clause:
    fields = [e.field for e in finding.edits if isinstance(e, SetField)]
    return Clause(
        rule=finding.rule,
        severity=finding.severity,
        ask=finding.fix,
        fields=fields,
        edits=list(finding.edits),
    )


def bearing(findings: list[Finding], contract: Contract, fid: str | None) -> list[Finding]:
    """Findings on `contract` that bear on `fid` leaving it (all of them when None): those
    naming the function, or naming no other function of the contract."""
    others = set(contract.covers) - {fid}
    out: list[Finding] = []
    for f in findings:
        subjects = set(f.subjects)
        if contract.id not in subjects:
            continue
        if fid is not None and fid not in subjects and subjects & others:
            continue
        out.append(f)
    return out


def contract_change(
    sc: ScenarioContext,
    after: Model,
    diff: ModelDiff,
    contract_id: str,
    findings: list[Finding],
    default_status: ContractStatus,
) -> ContractChange:
    """What happens to one contract: its status, the fields that change and the clauses
    to negotiate or settle (`findings`, each rule and fix once)."""
    source = sc.contracts.get(contract_id) or next(
        c for c in after.contracts if c.id == contract_id
    )
    status = default_status
    changes: list[str] = []
    for change in diff.contracts:
        if change.key != contract_id:
            continue
        if change.status == "removed":
            status = "ends"
        elif change.status == "added":
            status = "new"
            changes.append(
                "a new contract (drafted with the cautious defaults: the findings "
                "on it are what to negotiate)"
            )
        else:
            changes += [_change_text(sc, c.field, c.before, c.after) for c in change.fields]
    seen: set[tuple[str, str]] = set()
    clauses: list[Clause] = []
    for f in findings:
        key = (f.rule, f.fix)
        if key not in seen:
            seen.add(key)
            clauses.append(_clause(f))
    party = source.party
    return ContractChange(
        contract=contract_id,
        name=source.name,
        party=party,
        party_name=sc.name(party),
        status=status,
        changes=changes,
        clauses=clauses,
    )


def boundaries(
    sc: ScenarioContext, after: Model, added: set[str]
) -> tuple[list[BoundaryChange], list[str]]:
    """The dependencies that cross a new party boundary in `after` (with the interface
    activity each runs through; `added`: the activities the scenario adds), and those that
    no longer cross parties."""
    before_served, after_served = deliverers(sc.model), deliverers(after)
    names = CheckContext(after, sc.as_of)
    out: list[BoundaryChange] = []
    closed: list[str] = []
    for d in after.dependencies:
        old, new = crossing_pairs(before_served, d), crossing_pairs(after_served, d)
        if old and not new and after_served.get(d.function) and after_served.get(d.needs):
            closed.append(d.id)
        fresh = sorted(new - old)
        if not fresh:
            continue
        row = after.raci.get(d.interface_activity or "", {})
        responsible = [p for p, v in row.items() if "R" in v]
        accountable = [p for p, v in row.items() if "A" in v]
        sides = set(after_served.get(d.function, [])) | set(after_served.get(d.needs, []))
        if d.interface_activity is None:
            action = "needs an interface activity: nobody delivers one side to run it"
        else:
            action = (
                f"{'new interface activity' if d.interface_activity in added else 'runs through'} "
                f"{names.quoted(d.interface_activity)}: R {names.names(responsible) or 'nobody'}, "
                f"A {names.names(accountable) or 'nobody'}"
            )
            strangers = [p for p in responsible if p not in sides]
            if strangers:
                action += (
                    f"; {names.names(strangers)} runs it but delivers neither side: "
                    "it needs a duty to cooperate, or the interface moves"
                )
        out.append(
            BoundaryChange(
                dependency=d.id,
                function=d.function,
                function_name=names.name(d.function),
                needs=d.needs,
                needs_name=names.name(d.needs),
                parties_before=sorted({p for pair in old for p in pair}),
                parties_after=sorted({p for pair in new for p in pair}),
                new_pairs=[f"{names.name(a)} -> {names.name(b)}" for a, b in fresh],
                interface_activity=d.interface_activity,
                interface_name=names.name(d.interface_activity) if d.interface_activity else None,
                responsible=responsible,
                accountable=accountable,
                interface_added=d.interface_activity in added,
                action=action,
            )
        )
    return out, closed
