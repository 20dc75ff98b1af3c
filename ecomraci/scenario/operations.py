"""The what-if operations, `insource`, `resource` and `terminate`: each builds the model
edits (`ecomraci.edits`) that turn the model into the scenario and the `ScenarioResult`
that explains them.

The edits describe the state after the move, as it would be once negotiated: the function
leaves the contract's scope (and its exclusivity), its R moves from the old provider to
the new party, the A stays with the internal owner, and interface activities are added
where a dependency newly crosses parties without one. Whether getting there needs the
whole contract to end, and what to negotiate first, is what the result reports: its exit
dates come from `ecomraci.scenario.exit_calendar`, the coupled exit, the clauses and the
boundaries from `ecomraci.scenario.report`.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date
from typing import Any, Literal

from ecomraci.diff import diff_findings, diff_models
from ecomraci.edits import (
    AddObject,
    Edit,
    RemoveObject,
    SetField,
    SetRaci,
    apply_edit_in_place,
    apply_edits,
    list_edit,
    object_key,
)
from ecomraci.graph import deliverers
from ecomraci.model import Assignment, Contract, Model, ScenarioParameters, normalize_letters
from ecomraci.rules import check
from ecomraci.rules.engine import CheckContext, Finding
from ecomraci.rules.reversibility import DependencyIndex, dependency_reasons, exit_impact
from ecomraci.scenario.exit_calendar import earliest_exit, exit_routes, fill_go_live
from ecomraci.scenario.lookup import ScenarioContext, ScenarioError
from ecomraci.scenario.report import (
    bearing,
    boundaries,
    contract_change,
    coupled_exit,
    crossing_pairs,
    empty_result,
    mentioned_names,
)
from ecomraci.scenario.results import (
    ContractStatus,
    FunctionExit,
    ScenarioResult,
    ServiceAtRisk,
)
from ecomraci.scenario.statutory import fill_statutory

# Rules about one function leaving a contract that goes on; when the whole contract ends
# they no longer matter, so a termination does not list them among the clauses to settle.
ONE_FUNCTION_EXIT_RULES = ("SRC-01", "SRC-02", "SRC-04", "SRC-05")

# contract id -> its status, and the findings on it that bear on the move
ClausesFor = dict[str, tuple[ContractStatus, list[Finding]]]

# --- edits ----------------------------------------------------------------------------


def _unique_id(model: Model, base: str, taken: Set[str] = frozenset()) -> str:
    """An id made from `base` by the one rule of `ecomraci.operations.new_id`, free in the
    model and in `taken`."""
    from ecomraci.operations import new_id, taken_ids

    return new_id(base, taken_ids(model) | set(taken))


def _assignment_index(model: Model, key: str) -> int:
    return next(i for i, s in enumerate(model.assignments) if object_key("assignments", s) == key)


def _leave_contract(model: Model, contract: Contract, functions: set[str]) -> list[Edit]:
    """`functions` leave `contract`: out of its scope, or the contract ends when nothing
    is left in it."""
    covers = [f for f in contract.covers if f not in functions]
    if not covers:
        return [RemoveObject(collection="contracts", key=contract.id)]
    edits: list[Edit] = []
    for name, kept in (
        ("covers", covers),
        ("insourcing_rights", [f for f in contract.insourcing_rights if f not in functions]),
        ("exclusivity", [f for f in contract.exclusivity if f not in functions]),
    ):
        if kept != getattr(contract, name):
            edits.append(SetField(target="contract", id=contract.id, field=name, value=kept))
    return edits


def _served(
    model: Model, removed: list[Assignment], added: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Function -> the parties delivering it once the `removed` assignments are gone and
    the `added` function -> party ones are in."""
    gone = {id(s) for s in removed}
    out: dict[str, list[str]] = {f.id: [] for f in model.functions}
    for s in model.assignments:
        if id(s) not in gone:
            out.setdefault(s.function, []).append(s.party)
    for fid, party in (added or {}).items():
        out.setdefault(fid, []).append(party)
    return out


def _raci_moves(
    sc: ScenarioContext, served: dict[str, list[str]], moves: list[tuple[str, str, str | None]]
) -> list[SetRaci]:
    """RACI edits for (function, old party, new party or None) moves, given who delivers
    what afterwards: the old party's R (on the function's activities and on interfaces it
    ran for it but no longer serves either side of) moves to the new party; an A it held
    goes to an internal owner, never to an outside party."""
    model = sc.model
    activity_function = {a.id: a.function for a in model.activities}
    cells: dict[tuple[str, str], str] = {}

    def letters(a: str, p: str) -> str:
        return cells.get((a, p), model.letters(a, p))

    for fid, old, new in moves:
        rows = [a.id for a in sc.ctx.activities_by_function.get(fid, [])]
        for d in model.dependencies:
            a = d.interface_activity
            if (
                fid in (d.function, d.needs)
                and a is not None
                and activity_function.get(a) != fid
                and old not in served.get(d.function, [])
                and old not in served.get(d.needs, [])
            ):
                rows.append(a)
        owner = new if new is not None and new in sc.ctx.internal else sc.ctx.internal_owner(fid)
        for a in dict.fromkeys(rows):
            held = letters(a, old)
            moved = {ch for ch in "AR" if ch in held}
            if not moved:
                continue
            cells[(a, old)] = "".join(ch for ch in held if ch not in moved)
            if "R" in moved and new is not None:
                cells[(a, new)] = letters(a, new) + "R"
            if "A" in moved and owner is not None and owner != old:
                cells[(a, owner)] = letters(a, owner) + "A"
    return [
        SetRaci(activity=a, party=p, letters=normalize_letters(v))
        for (a, p), v in cells.items()
        if normalize_letters(v) != model.letters(a, p)
    ]


def _interface_edits(model: Model, after: Model, as_of: date, taker: str | None) -> list[Edit]:
    """Interface activities for dependencies that newly cross parties in `after` and have
    none, or whose interface has lost its R or A."""
    before_served, after_served = deliverers(model), deliverers(after)
    ctx = CheckContext(after, as_of)
    edits: list[Edit] = []
    planned: set[str] = set()
    for d in after.dependencies:
        if not (crossing_pairs(after_served, d) - crossing_pairs(before_served, d)):
            continue
        sides = [*after_served.get(d.function, []), *after_served.get(d.needs, [])]
        runner = taker if taker in sides else next(iter(after_served.get(d.function, [])), None)
        owner = ctx.internal_owner(d.function)
        if d.interface_activity is None:
            if runner is None:
                continue
            aid = _unique_id(after, f"{d.function}.{d.needs}.interface", planned)
            planned.add(aid)
            last = max(
                (i for i, a in enumerate(after.activities) if a.function == d.function),
                default=len(after.activities) - 1,
            )
            name = f"Interface: {ctx.name(d.needs)} for {ctx.name(d.function)}"[:200]
            edits.append(
                AddObject(
                    collection="activities",
                    index=last + 1,
                    item={
                        "id": aid,
                        "name": name,
                        "function": d.function,
                        "kind": "interface",
                    },
                )
            )
            edits.append(
                SetField(target="dependency", id=d.id, field="interface_activity", value=aid)
            )
            cells = {runner: "R"}
            if owner is not None:
                cells[owner] = cells.get(owner, "") + "A"
            for other in sides:
                cells.setdefault(other, "C")
            edits += [
                SetRaci(activity=aid, party=p, letters=normalize_letters(v))
                for p, v in cells.items()
            ]
            continue
        row = after.raci.get(d.interface_activity, {})
        if runner is not None and not any("R" in v for v in row.values()):
            edits.append(
                SetRaci(
                    activity=d.interface_activity,
                    party=runner,
                    letters=normalize_letters(row.get(runner, "") + "R"),
                )
            )
            row = {**row, runner: row.get(runner, "") + "R"}
        if owner is not None and not any("A" in v for v in row.values()):
            edits.append(
                SetRaci(
                    activity=d.interface_activity,
                    party=owner,
                    letters=normalize_letters(row.get(owner, "") + "A"),
                )
            )
    return edits


def _finish(
    sc: ScenarioContext,
    result: ScenarioResult,
    edits: list[Edit],
    taker: str | None,
    clauses_for: ClausesFor,
    before: list[Finding],
) -> ScenarioResult:
    """Apply the core edits, add interface activities, compare, and fill the report."""
    model = sc.model
    after = apply_edits(model, edits)
    interfaces = _interface_edits(model, after, sc.as_of, taker)
    for edit in interfaces:
        apply_edit_in_place(after, edit)
    edits = edits + interfaces
    diff = diff_models(model, after)
    after_findings = check(after, sc.as_of)
    result.findings = diff_findings(before, after_findings, sc.as_of)
    result.raci = diff.raci
    result.changes = diff.model_copy(update={"raci": [], "findings": None})
    result.edits = edits
    added = {c.key for c in diff.activities if c.status == "added"}
    result.boundaries, result.closed_boundaries = boundaries(sc, after, added)
    appeared = {(f.rule, tuple(sorted(f.subjects))) for f in result.findings.appeared}
    new_findings = [f for f in after_findings if (f.rule, tuple(sorted(f.subjects))) in appeared]
    for cid, (status, findings) in clauses_for.items():
        on_it = [f for f in new_findings if cid in f.subjects]
        result.contracts.append(contract_change(sc, after, diff, cid, findings + on_it, status))
    result.names = mentioned_names(model, after, result)
    return result


# --- the operations -------------------------------------------------------------------


def _move(
    sc: ScenarioContext,
    operation: Literal["insource", "resource"],
    fid: str,
    to: str,
    contract_id: str | None,
) -> ScenarioResult:
    """Shared by insource and resource: `fid` leaves its current deliverers for `to`."""
    model, as_of = sc.model, sc.as_of
    outside = [s for s in model.assignments if s.function == fid and s.party not in sc.ctx.internal]
    # Insourcing ends every outside share; re-sourcing moves the outside shares to the new
    # provider, or, for a function done in-house, outsources it.
    leaving = (
        outside
        if operation == "insource" or outside
        else [s for s in model.assignments if s.function == fid]
    )
    staying = [s for s in model.assignments if s.function == fid and s not in leaving]

    target = sc.contracts.get(contract_id) if contract_id else None
    parameters = ScenarioParameters(function=fid, to=to, contract=contract_id)
    if operation == "insource":
        question = f"What if {sc.q(fid)} is taken in-house by {sc.q(to)}?"
    else:
        under = f"under {sc.q(target.id)}" if target is not None else "under a new contract"
        question = f"What if {sc.q(fid)} moves to {sc.q(to)} {under}?"
    result = empty_result(sc, operation, parameters, question)
    before = check(model, as_of)

    # exits, go-live and the services at risk
    leaving_contracts: dict[str, Contract] = {}
    coupled_exits: dict[str, Finding] = {}
    dep_index = DependencyIndex(sc.ctx)
    for s in leaving:
        contract = sc.contracts.get(s.contract) if s.contract else None
        routes = exit_routes(contract, fid, as_of)
        chosen = earliest_exit(routes)
        exit_ = FunctionExit(
            function=fid,
            function_name=sc.name(fid),
            party=s.party,
            party_name=sc.name(s.party),
            contract=contract.id if contract else None,
            contract_name=contract.name if contract else None,
            leave=chosen.on,
            alone=chosen.alone,
            reason=chosen.reason,
            routes=routes,
        )
        if not chosen.alone:
            exit_.reason = "only by ending the whole contract: " + chosen.reason
        fill_go_live(sc, exit_, contract, successor=to)
        fill_statutory(sc, exit_, contract)
        result.exits.append(exit_)
        if contract is None:
            continue
        leaving_contracts[contract.id] = contract
        coupled = coupled_exit(model, fid, contract, as_of)
        if coupled is None:
            continue
        coupled_exits[contract.id] = coupled
        result.coupled_exit.append(coupled.message)
        impact = exit_impact(sc.ctx, dep_index, fid, contract)
        for g in coupled.subjects[2:]:
            reasons = ["ends with the contract"] if coupled.edits else []
            if g in impact:
                reasons += dependency_reasons(sc.ctx, fid, impact[g])
            result.at_risk.append(
                ServiceAtRisk(
                    function=g,
                    function_name=sc.name(g),
                    contract=contract.id,
                    contract_name=contract.name,
                    reasons=reasons,
                )
            )

    # the edits: assignments, contracts, RACI
    edits: list[Edit] = []
    index = _assignment_index(model, object_key("assignments", leaving[0])) if leaving else None
    for s in leaving:
        edits.append(RemoveObject(collection="assignments", key=object_key("assignments", s)))
    mode = "in-house" if operation == "insource" else "co-sourced"
    for s in staying:  # internal parties: alone now, or beside the new provider
        if mode != s.mode:
            edits.append(
                SetField(
                    target="assignment", id=object_key("assignments", s), field="mode", value=mode
                )
            )
    new_contract: str | None = None
    taken_under: str | None = None  # resource: the contract it moves under
    if operation == "resource":
        if target is None:
            taken_under = new_contract = _unique_id(model, f"{to}-{fid}")
            go_live = max((e.go_live for e in result.exits if e.go_live), default=None)
            item: dict[str, Any] = {
                "id": new_contract,
                "name": f"{sc.name(to)}: {sc.name(fid)}"[:200],
                "party": to,
                "covers": [fid],
            }
            if go_live is not None:
                item["start"] = go_live.isoformat()
            edits.append(AddObject(collection="contracts", item=item))
        else:
            taken_under = target.id
            if fid not in target.covers:
                edits.append(list_edit("contract", target, "covers", add=fid))
    if operation == "resource" or not any(s.party == to for s in staying):
        new_mode = (
            "in-house" if operation != "resource" else ("co-sourced" if staying else "outsourced")
        )
        assignment: dict[str, Any] = {"function": fid, "party": to, "mode": new_mode}
        if operation == "resource":
            assignment["contract"] = taken_under
        edits.append(AddObject(collection="assignments", index=index, item=assignment))
    for contract in leaving_contracts.values():
        edits += _leave_contract(model, contract, {fid})
    edits += _raci_moves(
        sc, _served(model, leaving, {fid: to}), [(fid, s.party, to) for s in leaving]
    )

    clauses_for: ClausesFor = {}
    for contract in leaving_contracts.values():
        on_it = bearing(before, contract, fid)
        coupled = coupled_exits.get(contract.id)
        if coupled is not None and not model.function(fid).reversible:
            on_it.insert(0, coupled)
        clauses_for[contract.id] = ("amended", on_it)
    if taken_under is not None:
        clauses_for[taken_under] = ("new" if new_contract else "amended", [])
    _finish(sc, result, edits, to, clauses_for, before)
    if new_contract:
        result.notes.append(
            f"The new contract {new_contract!r} is drafted with ecomraci's cautious defaults "
            "(no termination right, no exit plan, nothing agreed on data): the findings that "
            "appear on it are the clauses to negotiate."
        )
    for e in result.exits:
        if not e.alone and e.contract:
            result.notes.append(
                f"{e.function_name} can leave {e.contract_name} on its own only once a separate "
                "exit is negotiated; until then the earliest exit ends the whole contract."
            )
    return result


def insource(model: Model, function: str, to: str | None = None, *, as_of: date) -> ScenarioResult:
    """`function` taken in-house by the internal party `to` (default: the internal party
    accountable for most of its activities)."""
    sc = ScenarioContext(model, as_of)
    sc.function(function)
    if to is None:
        to = sc.ctx.internal_owner(function)
        if to is None:
            raise ScenarioError(
                f"nobody internal owns {sc.q(function)} yet: name the internal party that "
                "takes it over"
            )
    party = sc.party(to)
    if party.kind != "internal":
        raise ScenarioError(
            f"{sc.q(to)} is an outside party: to move {sc.q(function)} to it, re-source it "
            "instead of insourcing it"
        )
    if not any(
        s.function == function and s.party not in sc.ctx.internal for s in model.assignments
    ):
        inside = [s.party for s in model.assignments if s.function == function]
        who = ", ".join(sc.name(p) for p in inside) or "nobody"
        raise ScenarioError(
            f"{sc.q(function)} is not delivered by an outside party (delivered by {who}): "
            "there is nothing to take in-house"
        )
    return _move(sc, "insource", function, to, None)


def resource(
    model: Model, function: str, to: str, contract: str | None = None, *, as_of: date
) -> ScenarioResult:
    """`function` moved to the outside party `to`, under its existing `contract` or a new
    one."""
    sc = ScenarioContext(model, as_of)
    sc.function(function)
    party = sc.party(to)
    if party.kind != "external":
        raise ScenarioError(
            f"{sc.q(to)} is an internal party: to give {sc.q(function)} to it, insource it "
            "instead of re-sourcing it"
        )
    if any(s.function == function and s.party == to for s in model.assignments):
        raise ScenarioError(f"{sc.q(to)} already delivers {sc.q(function)}")
    if contract is not None:
        c = sc.contract(contract)
        if c.party != to:
            raise ScenarioError(
                f"the contract {sc.q(contract)} is with {sc.q(c.party)}, not with {sc.q(to)}: "
                f"name one of {sc.q(to)}'s contracts, or none for a new one"
            )
    return _move(sc, "resource", function, to, contract)


def _ending(model: Model, contract: Contract) -> list[Contract]:
    """`contract` and every contract that ends with it through cross-termination."""
    by_id = {c.id: c for c in model.contracts}
    out, todo = [contract], list(contract.cross_termination)
    while todo:
        cid = todo.pop(0)
        if cid in by_id and by_id[cid] not in out:
            out.append(by_id[cid])
            todo += by_id[cid].cross_termination
    return out


def terminate(model: Model, contract: str, *, as_of: date) -> ScenarioResult:
    """`contract` ended at the earliest date it can be, with no successor named: the
    functions it covers lose this provider (the R it held goes to a party still
    delivering the function, when there is exactly one)."""
    sc = ScenarioContext(model, as_of)
    main = sc.contract(contract)
    ending = _ending(model, main)
    question = f"What if {sc.q(main.id)} is terminated?"
    result = empty_result(sc, "terminate", ScenarioParameters(contract=main.id), question)
    before = check(model, as_of)

    routes = exit_routes(main, None, as_of)
    chosen = earliest_exit(routes)
    leaving: list[tuple[Assignment, Contract]] = []
    for c in ending:
        functions = list(
            dict.fromkeys(
                [*c.covers, *(s.function for s in model.assignments if s.contract == c.id)]
            )
        )
        for s in model.assignments:
            if s.party == c.party and (
                s.contract == c.id or (s.contract is None and s.function in c.covers)
            ):
                leaving.append((s, c))
        for fid in functions:
            reason = (
                chosen.reason
                if c is main
                else (f"it ends with {sc.q(main.id)} through cross-termination: {chosen.reason}")
            )
            exit_ = FunctionExit(
                function=fid,
                function_name=sc.name(fid),
                party=c.party,
                party_name=sc.name(c.party),
                contract=c.id,
                contract_name=c.name,
                leave=chosen.on,
                alone=True,
                reason=reason,
                routes=routes if c is main else [],
            )
            fill_go_live(sc, exit_, c, successor=None)
            fill_statutory(sc, exit_, c)
            result.exits.append(exit_)

    edits: list[Edit] = [
        RemoveObject(collection="assignments", key=object_key("assignments", s)) for s, _ in leaving
    ]
    for c in ending:
        edits.append(RemoveObject(collection="contracts", key=c.id))
    gone = [s for s, _ in leaving]
    served = _served(model, gone)
    moves: list[tuple[str, str, str | None]] = []
    for s in gone:
        remaining = served.get(s.function, [])
        moves.append((s.function, s.party, remaining[0] if len(remaining) == 1 else None))
    touched = {s.function for s in gone}
    for s in model.assignments:  # a co-sourcing partner left alone delivers it by itself
        if (
            s not in gone
            and s.function in touched
            and len(served[s.function]) == 1
            and s.mode == "co-sourced"
        ):
            mode = "in-house" if s.party in sc.ctx.internal else "outsourced"
            edits.append(
                SetField(
                    target="assignment", id=object_key("assignments", s), field="mode", value=mode
                )
            )
    edits += _raci_moves(sc, served, moves)

    # the services at risk: what the contracts covered, and what depends on it
    ends = {e.function for e in result.exits}
    when = f"on {chosen.on}" if chosen.on else "when it ends"
    for e in result.exits:
        remaining = served.get(e.function, [])
        reasons = [f"{sc.q(e.party)} stops delivering it {when}"]
        if remaining:
            reasons.append(
                f"{sc.ctx.names(remaining)} still {'delivers' if len(remaining) == 1 else 'deliver'} it"
            )
        else:
            reasons.append("nobody else delivers it")
        if e.contract is not None and e.contract != main.id:
            reasons.append(
                f"{sc.q(e.contract)} ends with {sc.q(main.id)} through cross-termination"
            )
        result.at_risk.append(
            ServiceAtRisk(
                function=e.function,
                function_name=e.function_name,
                contract=e.contract,
                contract_name=e.contract_name,
                reasons=reasons,
            )
        )
    orphaned = {fid for fid in ends if not served.get(fid)}
    dependants: dict[str, list[str]] = {}
    for d in model.dependencies:
        if d.needs in orphaned and d.function not in ends:
            result.stranded.append(d.id)
            dependants.setdefault(d.function, []).append(
                f"depends on {sc.q(d.needs)} directly ({d.strength} {d.kind}), which nobody "
                f"delivers after {sc.q(main.id)} ends"
            )
    for g, reasons in dependants.items():
        result.at_risk.append(ServiceAtRisk(function=g, function_name=sc.name(g), reasons=reasons))

    clauses_for: ClausesFor = {
        c.id: (
            "ends",
            [f for f in bearing(before, c, None) if f.rule not in ONE_FUNCTION_EXIT_RULES],
        )
        for c in ending
    }
    _finish(sc, result, edits, None, clauses_for, before)
    if result.stranded:
        result.notes.append(
            "Name a successor before giving notice (re-source or insource the functions) so "
            "that the stranded dependencies keep a side to talk to."
        )
    return result
