"""What-if: insource a function, re-source it to another provider, or terminate a
contract, on a copy of the model.

Each operation (`insource`, `resource`, `terminate`) answers the seeds' question "can we
take this back, or move it, without breaking the rest?" with dates and reasons, in a
`ScenarioResult`:

* ``exits``: for each function that leaves a provider, the earliest day it can leave and
  why, every way out with its date (`exit_routes`), and the earliest go-live at the new
  source;
* ``at_risk``: the services put at risk and why. For a function leaving a contract this
  is the coupled-exit reasoning of SRC-02 (`ecomraci.rules.reversibility`), reused as it
  is; for a terminated contract, the functions it covers and those that depend on them;
* ``boundaries``: dependencies that now cross a new party boundary and the interface
  activity each runs through (one is added when there is none);
* ``raci``, ``findings``, ``changes``: the RACI cells, findings and objects that differ
  between the model and the scenario (`ecomraci.diff`);
* ``contracts``: the contracts to amend or settle, with the clauses to negotiate, taken
  from the findings on them (their fix text and machine-applicable edits);
* ``edits``: the model edits (`ecomraci.edits`) that turn the model into the scenario, so
  `apply` is ``apply_edits(model, edits)``; the app wraps the same list in one undo step
  and a saved `Scenario` stores it.

The edits describe the state after the move, as it would be once negotiated: the function
leaves the contract's scope (and its exclusivity), its R moves from the old provider to
the new party, the A stays with the internal owner, and interface activities are added
where a dependency newly crosses parties without one. Whether getting there needs the
whole contract to end, and what to negotiate first, is what the result reports.

Dates. A month is a calendar month (`ecomraci.dates.add_months`, the day kept or clamped
to the end of a shorter month: 31 Jan + 1 month = 28/29 Feb), reckoned as the rules
reckon it:

* termination for convenience and an insourcing right take effect `notice` months after
  notice is given on the as-of date;
* a contract that does not renew can be left on its end date (the day it still runs);
* an auto-renewing contract ends at the end of a term when notice reaches the provider by
  `last_notice_day` (notice counted back from the end of the term; a term ending on the
  last day of a month needs notice by the last day of the month `notice` months before,
  so 29 Feb 2028 with 3 months needs notice by 30 Nov 2027); once that day has passed the
  contract rolls over for another renewal term, and so on.

A function that can only leave with the whole contract (no partial termination and no
insourcing right for it) takes the earliest way out of the whole contract; one that can
leave alone takes its own earliest way, even when ending everything would be sooner. The
go-live at the new source is the later of that day and the as-of date plus the
function's re-sourcing lead time; the old provider's transition assistance runs on from
the day it is left, and a new source ready only after it ends is reported as a gap.

Saved and compared: `ScenarioResult.to_scenario` gives the `Scenario` stored in
`Model.scenarios` (`add_scenario`); `apply(model, scenario)` is the scenario's model, so
two scenarios, or one and the current model, are compared with
``ecomraci.diff.compare(apply(model, a), apply(model, b), as_of)``.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ecomraci.dates import add_months
from ecomraci.diff import (
    FindingsDiff,
    ModelDiff,
    RaciChange,
    diff_findings,
    diff_models,
    findings_text,
    raci_line,
    show,
)
from ecomraci.edits import (
    AddObject,
    Edit,
    EditError,
    RemoveObject,
    SetField,
    SetRaci,
    apply_edit_in_place,
    apply_edits,
    object_key,
)
from ecomraci.graph import deliverers
from ecomraci.integrity import integrity_problems
from ecomraci.model import (
    Contract,
    Model,
    Scenario,
    ScenarioOperation,
    ScenarioParameters,
    normalize_letters,
)
from ecomraci.rules import check
from ecomraci.rules.engine import CheckContext, Finding
from ecomraci.rules.exit_terms import next_renewal
from ecomraci.rules.reversibility import (
    _dependency_reasons,
    _DependencyIndex,
    _exit_impact,
    _single_exit,
)

RouteKind = Literal[
    "no-contract", "expired", "end", "renewal", "convenience", "insourcing-right", "none"
]


# Rules about one function leaving a contract that goes on; when the whole contract ends
# they no longer matter, so a termination does not list them among the clauses to settle.
ONE_FUNCTION_EXIT_RULES = ("SRC-01", "SRC-02", "SRC-04", "SRC-05")


class ScenarioError(ValueError):
    """A what-if that cannot be built (an unknown id, a party of the wrong kind); the
    text is for the user."""


# --- result types ---------------------------------------------------------------------


class ExitRoute(BaseModel):
    """One way out of a contract: the day it takes effect (None: no way without
    negotiating), whether the function leaves on its own or only with the whole
    contract, and why."""

    on: date | None
    kind: RouteKind
    alone: bool
    reason: str


class FunctionExit(BaseModel):
    function: str
    function_name: str
    party: str
    party_name: str
    contract: str | None = None
    contract_name: str | None = None
    leave: date | None
    alone: bool
    reason: str
    routes: list[ExitRoute] = Field(default_factory=list)
    lead_time_months: int = 0
    ready: date | None = None  # the new source ready: as-of date plus lead time
    go_live: date | None = None
    transition_until: date | None = None  # the old provider's transition assistance
    go_live_reason: str = ""


class ServiceAtRisk(BaseModel):
    function: str
    function_name: str
    contract: str | None = None
    contract_name: str | None = None
    reasons: list[str]


class BoundaryChange(BaseModel):
    """A dependency whose two sides are now delivered by parties that did not meet on
    it before."""

    dependency: str
    function: str
    function_name: str
    needs: str
    needs_name: str
    parties_before: list[str]
    parties_after: list[str]
    new_pairs: list[str]  # "party -> party", by name
    interface_activity: str | None = None
    interface_name: str | None = None
    responsible: list[str] = Field(default_factory=list)
    accountable: list[str] = Field(default_factory=list)
    interface_added: bool = False
    action: str


class Clause(BaseModel):
    """Something to negotiate in a contract: a finding's fix, with the contract fields it
    sets (its edits), if it has any."""

    rule: str
    severity: str
    ask: str
    fields: list[str] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)


class ContractChange(BaseModel):
    contract: str
    name: str
    party: str
    party_name: str
    status: Literal["amended", "new", "ends"]
    changes: list[str] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)


class ScenarioResult(BaseModel):
    name: str  # the model's name
    operation: ScenarioOperation
    parameters: ScenarioParameters
    as_of: date
    question: str
    exits: list[FunctionExit] = Field(default_factory=list)
    at_risk: list[ServiceAtRisk] = Field(default_factory=list)
    coupled_exit: list[str] = Field(default_factory=list)  # the SRC-02 messages reused
    boundaries: list[BoundaryChange] = Field(default_factory=list)
    closed_boundaries: list[str] = Field(default_factory=list)  # dependency ids
    stranded: list[str] = Field(default_factory=list)  # dependency ids left without a side
    raci: list[RaciChange] = Field(default_factory=list)
    findings: FindingsDiff
    contracts: list[ContractChange] = Field(default_factory=list)
    changes: ModelDiff  # objects that differ (RACI and findings are above)
    notes: list[str] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_scenario(
        self, name: str, created: datetime | None = None, note: str | None = None
    ) -> Scenario:
        """The result as a named scenario to store in the model."""
        return Scenario(
            name=name,
            operation=self.operation,
            parameters=self.parameters,
            as_of=self.as_of,
            edits=list(self.edits),
            created=created,
            note=note,
        )


# --- dates ----------------------------------------------------------------------------


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def last_notice_day(term_end: date, notice_months: int) -> date:
    """The last day notice can be given so that `notice_months` of notice run out by
    `term_end`: the latest day d with ``add_months(d, notice_months) <= term_end``.
    A term ending on a month's last day needs notice by the last day of the month
    `notice_months` before (30 Sep, 1 month: 31 Aug; 29 Feb 2028, 12 months: 28 Feb 2027),
    as SRC-07 reckons it."""
    return add_months(term_end, -notice_months, keep_month_end=True)


def _renewal_exit(contract: Contract, as_of: date) -> tuple[date, date, list[str]]:
    """The first end of term of an auto-renewing contract that notice given on `as_of`
    still reaches, its notice deadline, and the terms missed on the way (as text)."""
    notice = contract.notice_period_months
    term_end = next_renewal(contract, as_of)
    assert term_end is not None
    missed: list[str] = []
    deadline = last_notice_day(term_end, notice)
    while deadline < as_of:
        missed.append(f"the last day to give notice for the term ending {term_end} was {deadline}")
        term_end = next_renewal(contract, term_end.fromordinal(term_end.toordinal() + 1))
        deadline = last_notice_day(term_end, notice)
    return term_end, deadline, missed


def exit_routes(contract: Contract | None, function_id: str | None, as_of: date) -> list[ExitRoute]:
    """Every way `function_id` (None: the whole contract) can leave `contract`, on the
    earliest day each allows, earliest first; routes on which the function leaves on its
    own come before those that end the whole contract on the same day."""
    if contract is None:
        return [
            ExitRoute(
                on=as_of,
                kind="no-contract",
                alone=True,
                reason=f"no contract binds it: it can move from {as_of}",
            )
        ]
    covers = list(dict.fromkeys(contract.covers))
    whole_only = function_id is None or set(covers) <= {function_id}
    alone = whole_only or _single_exit(contract, function_id)
    notice = contract.notice_period_months
    with_notice = add_months(as_of, notice)
    notice_text = (
        f"{notice} month{'s' if notice > 1 else ''}' notice given on {as_of}"
        if notice
        else "no notice period"
    )
    routes: list[ExitRoute] = []
    if not whole_only and function_id in contract.insourcing_rights:
        routes.append(
            ExitRoute(
                on=with_notice,
                kind="insourcing-right",
                alone=True,
                reason=f"its insourcing right, exercised with {notice_text}",
            )
        )
    tfc = contract.termination_for_convenience
    if tfc != "none":
        if alone and (whole_only or tfc == "per-function"):
            what = "of the contract" if whole_only else "of this function"
            routes.append(
                ExitRoute(
                    on=with_notice,
                    kind="convenience",
                    alone=True,
                    reason=f"termination for convenience {what}, with {notice_text}",
                )
            )
        else:
            routes.append(
                ExitRoute(
                    on=with_notice,
                    kind="convenience",
                    alone=False,
                    reason=f"termination for convenience of the whole contract, with {notice_text}",
                )
            )
    if contract.end is not None:
        part = (
            ""
            if whole_only
            else " (partial termination per function)"
            if contract.partial_termination != "none"
            else " (its insourcing right)"
            if alone
            else ", and only as a whole"
        )
        if contract.end < as_of and not contract.auto_renew:
            routes.append(
                ExitRoute(
                    on=as_of,
                    kind="expired",
                    alone=True,
                    reason=f"the contract ended on {contract.end}",
                )
            )
        elif not contract.auto_renew:
            routes.append(
                ExitRoute(
                    on=contract.end,
                    kind="end",
                    alone=alone,
                    reason=f"the contract ends on {contract.end} and does not renew{part}",
                )
            )
        else:
            term_end, deadline, missed = _renewal_exit(contract, as_of)
            text = (
                f"at the end of its term on {term_end}{part}, with notice by {deadline}: "
                f"the contract renews automatically for {_months(contract.renewal_term_months)}"
            )
            if missed:
                text += "; " + "; ".join(missed)
            routes.append(ExitRoute(on=term_end, kind="renewal", alone=alone, reason=text))
    if not routes:
        routes.append(
            ExitRoute(
                on=None,
                kind="none",
                alone=False,
                reason="no end date and no right to terminate: leaving must be negotiated",
            )
        )
    routes.sort(key=lambda r: (r.on is None, r.on or as_of, not r.alone))
    return routes


def earliest_exit(routes: list[ExitRoute]) -> ExitRoute:
    """The way out a function takes: the earliest on which it leaves on its own, else
    the earliest that ends the whole contract."""
    dated = [r for r in routes if r.on is not None]
    own = [r for r in dated if r.alone]
    return (own or dated or routes)[0]


# --- look-ups -------------------------------------------------------------------------


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


class _Context:
    """The model plus the look-ups the operations share."""

    def __init__(self, model: Model, as_of: date):
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

    def function(self, fid: str):
        if fid not in self.functions:
            raise unknown_id("function", fid, list(self.functions))
        return self.functions[fid]

    def party(self, pid: str):
        if pid not in self.parties:
            raise unknown_id("party", pid, list(self.parties))
        return self.parties[pid]

    def contract(self, cid: str) -> Contract:
        if cid not in self.contracts:
            raise unknown_id("contract", cid, list(self.contracts))
        return self.contracts[cid]


# --- edits ----------------------------------------------------------------------------


def _unique_id(model: Model, base: str, taken: set[str] = frozenset()) -> str:
    """`base` (shortened to leave room for a suffix), or `base-2`, `base-3`... when the
    model or `taken` already uses it."""
    used = {
        x.id
        for c in ("parties", "functions", "activities", "contracts", "forums")
        for x in getattr(model, c)
    } | taken
    base = base[:72]
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


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
    model: Model, removed: list, added: dict[str, str] | None = None
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
    sc: _Context, served: dict[str, list[str]], moves: list[tuple[str, str, str | None]]
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


def _pairs(served: dict[str, list[str]], dep) -> set[tuple[str, str]]:
    return {
        (a, b) for a in served.get(dep.function, []) for b in served.get(dep.needs, []) if a != b
    }


def _interface_edits(model: Model, after: Model, as_of: date, taker: str | None) -> list[Edit]:
    """Interface activities for dependencies that newly cross parties in `after` and have
    none, or whose interface has lost its R or A."""
    before_served, after_served = deliverers(model), deliverers(after)
    ctx = CheckContext(after, as_of)
    edits: list[Edit] = []
    planned: set[str] = set()
    for d in after.dependencies:
        if not (_pairs(after_served, d) - _pairs(before_served, d)):
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


# --- the report -----------------------------------------------------------------------


def _go_live(
    sc: _Context, exit_: FunctionExit, contract: Contract | None, successor: str | None
) -> None:
    """Fill in when the successor (None: nobody named) can take over."""
    lead = sc.functions[exit_.function].lead_time_months
    exit_.lead_time_months = lead
    assist = contract.transition_assistance.months if contract is not None else 0
    leave = exit_.leave
    if leave is not None and contract is not None:
        exit_.transition_until = add_months(leave, assist)
    if successor is None:
        exit_.go_live_reason = "no successor is named: nobody delivers it after it leaves" + (
            f"; transition assistance runs to {exit_.transition_until}" if assist else ""
        )
        return
    ready = add_months(sc.as_of, lead)
    exit_.ready = ready
    if leave is None:
        exit_.go_live_reason = (
            f"{sc.q(successor)} could be ready on {ready} ({_months(lead)} lead "
            "time), but there is no date to leave without negotiating"
        )
        return
    exit_.go_live = max(leave, ready)
    if ready <= leave:
        text = (
            f"{sc.q(successor)} can be ready on {ready} ({_months(lead)} lead time), before "
            f"the old provider can be left: switch on {leave}"
        )
    else:
        text = f"{sc.q(successor)} needs {_months(lead)} lead time: ready on {ready}"
    if assist and exit_.transition_until is not None:
        text += f"; transition assistance from the old provider runs to {exit_.transition_until}"
        if ready > exit_.transition_until:
            text += (
                f", which leaves a gap until {ready}: give notice later or agree longer "
                "transition assistance"
            )
    elif contract is not None and ready > leave:
        text += (
            f", but the old provider stops on {leave} with no transition assistance: "
            "give notice later or agree transition assistance"
        )
    exit_.go_live_reason = text


def _coupled_exit(model: Model, fid: str, contract: Contract, as_of: date) -> Finding | None:
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


def _clause(finding: Finding) -> Clause:
    fields = [e.field for e in finding.edits if isinstance(e, SetField)]
    return Clause(
        rule=finding.rule,
        severity=finding.severity,
        ask=finding.fix,
        fields=fields,
        edits=list(finding.edits),
    )


def _bearing(findings: list[Finding], contract: Contract, fid: str | None) -> list[Finding]:
    """Findings on `contract` that bear on `fid` leaving it (all of them when None): those
    naming the function, or naming no other function of the contract."""
    others = set(contract.covers) - {fid}
    out = []
    for f in findings:
        subjects = set(f.subjects)
        if contract.id not in subjects:
            continue
        if fid is not None and fid not in subjects and subjects & others:
            continue
        out.append(f)
    return out


def _contract_change(
    sc: _Context,
    after: Model,
    diff: ModelDiff,
    contract_id: str,
    findings: list[Finding],
    default_status: str,
) -> ContractChange:
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
            changes += [f"{c.field}: {show(c.before)} -> {show(c.after)}" for c in change.fields]
    seen: set[tuple] = set()
    clauses = []
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


def _boundaries(
    sc: _Context, after: Model, added: set[str]
) -> tuple[list[BoundaryChange], list[str]]:
    before_served, after_served = deliverers(sc.model), deliverers(after)
    names = CheckContext(after, sc.as_of)
    out: list[BoundaryChange] = []
    closed: list[str] = []
    for d in after.dependencies:
        old, new = _pairs(before_served, d), _pairs(after_served, d)
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


def _finish(
    sc: _Context,
    result: ScenarioResult,
    edits: list[Edit],
    taker: str | None,
    clauses_for: dict[str, tuple[str, list[Finding]]],
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
    result.boundaries, result.closed_boundaries = _boundaries(sc, after, added)
    appeared = {(f.rule, tuple(sorted(f.subjects))) for f in result.findings.appeared}
    new_findings = [f for f in after_findings if (f.rule, tuple(sorted(f.subjects))) in appeared]
    for cid, (status, findings) in clauses_for.items():
        on_it = [f for f in new_findings if cid in f.subjects]
        result.contracts.append(_contract_change(sc, after, diff, cid, findings + on_it, status))
    return result


def _empty_result(
    sc: _Context, operation: str, parameters: ScenarioParameters, question: str
) -> ScenarioResult:
    return ScenarioResult(
        name=sc.model.name,
        operation=operation,
        parameters=parameters,
        as_of=sc.as_of,
        question=question,
        findings=FindingsDiff(as_of=sc.as_of),
        changes=ModelDiff(),
    )


# --- the operations -------------------------------------------------------------------


def _move(
    sc: _Context, operation: str, fid: str, to: str, contract_id: str | None
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
        under = f"under {sc.q(contract_id)}" if target is not None else "under a new contract"
        question = f"What if {sc.q(fid)} moves to {sc.q(to)} {under}?"
    result = _empty_result(sc, operation, parameters, question)
    before = check(model, as_of)

    # exits, go-live and the services at risk
    leaving_contracts: dict[str, Contract] = {}
    coupled_exits: dict[str, Finding] = {}
    dep_index = _DependencyIndex(sc.ctx)
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
        _go_live(sc, exit_, contract, successor=to)
        result.exits.append(exit_)
        if contract is None:
            continue
        leaving_contracts[contract.id] = contract
        coupled = _coupled_exit(model, fid, contract, as_of)
        if coupled is None:
            continue
        coupled_exits[contract.id] = coupled
        result.coupled_exit.append(coupled.message)
        impact = _exit_impact(sc.ctx, dep_index, fid, contract)
        for g in coupled.subjects[2:]:
            reasons = ["ends with the contract"] if coupled.edits else []
            if g in impact:
                reasons += _dependency_reasons(sc.ctx, fid, impact[g])
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
    if operation == "resource":
        if target is None:
            new_contract = _unique_id(model, f"{to}-{fid}")
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
            contract_id = new_contract
        elif fid not in target.covers:
            edits.append(
                SetField(
                    target="contract", id=target.id, field="covers", value=[*target.covers, fid]
                )
            )
        edits.append(
            AddObject(
                collection="assignments",
                index=index,
                item={
                    "function": fid,
                    "party": to,
                    "mode": "co-sourced" if staying else "outsourced",
                    "contract": contract_id,
                },
            )
        )
    elif not any(s.party == to for s in staying):
        edits.append(
            AddObject(
                collection="assignments",
                index=index,
                item={
                    "function": fid,
                    "party": to,
                    "mode": "in-house",
                },
            )
        )
    for contract in leaving_contracts.values():
        edits += _leave_contract(model, contract, {fid})
    edits += _raci_moves(
        sc, _served(model, leaving, {fid: to}), [(fid, s.party, to) for s in leaving]
    )

    clauses_for: dict[str, tuple[str, list[Finding]]] = {}
    for contract in leaving_contracts.values():
        bearing = _bearing(before, contract, fid)
        coupled = coupled_exits.get(contract.id)
        if coupled is not None and not model.function(fid).reversible:
            bearing.insert(0, coupled)
        clauses_for[contract.id] = ("amended", bearing)
    if operation == "resource":
        clauses_for[contract_id] = ("new" if new_contract else "amended", [])
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
    sc = _Context(model, as_of)
    sc.function(function)
    if to is None:
        to = sc.ctx.internal_owner(function)
        if to is None:
            raise ScenarioError(
                f"nobody internal owns {function!r} yet: name the internal party that takes it "
                "over (--to PARTY)"
            )
    party = sc.party(to)
    if party.kind != "internal":
        raise ScenarioError(
            f"{to!r} ({party.name}) is an outside party: to move {function!r} to it, re-source "
            f"it (--resource {function} --to {to})"
        )
    if not any(
        s.function == function and s.party not in sc.ctx.internal for s in model.assignments
    ):
        inside = [s.party for s in model.assignments if s.function == function]
        who = ", ".join(sc.name(p) for p in inside) or "nobody"
        raise ScenarioError(
            f"{function!r} is not delivered by an outside party (delivered by {who}): there is "
            "nothing to take in-house"
        )
    return _move(sc, "insource", function, to, None)


def resource(
    model: Model, function: str, to: str, contract: str | None = None, *, as_of: date
) -> ScenarioResult:
    """`function` moved to the outside party `to`, under its existing `contract` or a new
    one."""
    sc = _Context(model, as_of)
    sc.function(function)
    party = sc.party(to)
    if party.kind != "external":
        raise ScenarioError(
            f"{to!r} ({party.name}) is an internal party: to give {function!r} to it, insource "
            f"it (--insource {function} --to {to})"
        )
    if any(s.function == function and s.party == to for s in model.assignments):
        raise ScenarioError(f"{to!r} ({party.name}) already delivers {function!r}")
    if contract is not None:
        c = sc.contract(contract)
        if c.party != to:
            raise ScenarioError(
                f"the contract {contract!r} is with {c.party!r} ({sc.name(c.party)}), not with "
                f"{to!r}; name one of {to!r}'s contracts or leave --contract out for a new one"
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
    sc = _Context(model, as_of)
    main = sc.contract(contract)
    ending = _ending(model, main)
    question = f"What if {sc.q(main.id)} is terminated?"
    result = _empty_result(sc, "terminate", ScenarioParameters(contract=main.id), question)
    before = check(model, as_of)

    routes = exit_routes(main, None, as_of)
    chosen = earliest_exit(routes)
    leaving = []
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
            _go_live(sc, exit_, c, successor=None)
            result.exits.append(exit_)

    edits: list[Edit] = [
        RemoveObject(collection="assignments", key=object_key("assignments", s)) for s, _ in leaving
    ]
    for c in ending:
        edits.append(RemoveObject(collection="contracts", key=c.id))
    gone = [s for s, _ in leaving]
    served = _served(model, gone)
    moves = []
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
        if e.contract != main.id:
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

    clauses_for = {
        c.id: (
            "ends",
            [f for f in _bearing(before, c, None) if f.rule not in ONE_FUNCTION_EXIT_RULES],
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


# --- running, saving, applying -----------------------------------------------------------


def run(
    model: Model, operation: str, parameters: ScenarioParameters, *, as_of: date
) -> ScenarioResult:
    """Run an operation from its stored parameters (a saved scenario re-evaluated)."""
    p = parameters
    if operation == "insource":
        return insource(model, p.function or "", p.to, as_of=as_of)
    if operation == "resource":
        return resource(model, p.function or "", p.to or "", p.contract, as_of=as_of)
    if operation == "terminate":
        return terminate(model, p.contract or "", as_of=as_of)
    raise ScenarioError(f"unknown operation {operation!r}")


def apply(model: Model, scenario: Scenario | ScenarioResult) -> Model:
    """A copy of `model` with the scenario's edits applied (`model` is left as it is).

    A saved scenario whose edits no longer fit the model (an object it names was
    removed since) raises ScenarioError saying what; run it again from its parameters."""
    try:
        after = apply_edits(model, list(scenario.edits))
    except (EditError, KeyError, ValueError) as exc:
        raise ScenarioError(_stale(scenario, str(exc).strip('"'))) from None
    problems = integrity_problems(after, limit=1)
    if problems:
        raise ScenarioError(_stale(scenario, str(problems[0])))
    return after


def _stale(scenario: Scenario | ScenarioResult, problem: str) -> str:
    name = f"the scenario {scenario.name!r}" if isinstance(scenario, Scenario) else "the scenario"
    return (
        f"{name} no longer fits the model ({problem}); run it again from its "
        "operation and parameters"
    )


def add_scenario(model: Model, scenario: Scenario) -> None:
    """Store `scenario` in `model` (in place); a name already used is refused."""
    if any(s.name == scenario.name for s in model.scenarios):
        raise ScenarioError(
            f"the model already has a scenario named {scenario.name!r}; choose another name"
        )
    model.scenarios.append(scenario)


def find_scenario(model: Model, name: str) -> Scenario:
    for s in model.scenarios:
        if s.name == name:
            return s
    raise unknown_id("scenario", name, [s.name for s in model.scenarios])


# --- text -----------------------------------------------------------------------------


def format_text(result: ScenarioResult, source: str | None = None) -> str:
    """The result as ``ecomraci simulate`` prints it."""
    head = f"{source}: {result.name}" if source else result.name
    lines = [head, f"{result.question} (as of {result.as_of})", ""]
    lines.append("Earliest exit")
    for e in result.exits:
        where = f"under “{e.contract_name}”" if e.contract_name else "no contract"
        lines.append(
            f"  “{e.function_name}” leaves “{e.party_name}” ({where}) on "
            f"{e.leave or 'no date without negotiating'}"
        )
        lines.append(f"      why: {e.reason}")
        for r in e.routes[1:]:
            lines.append(f"      or {r.on or 'never'}: {r.reason}")
        if e.ready is not None:
            lines.append(
                f"      go-live: {e.go_live or 'not before an exit is negotiated'}"
                f" ({e.go_live_reason})"
            )
        elif e.go_live_reason:
            lines.append(f"      successor: {e.go_live_reason}")
    lines.append("")
    lines.append("Services put at risk" + ("" if result.at_risk else ": none"))
    for r in result.at_risk:
        lines.append(f"  “{r.function_name}”: {'; '.join(r.reasons)}")
    if result.stranded:
        lines.append(f"  stranded dependencies: {', '.join(result.stranded)}")
    lines.append("")
    lines.append(
        "Dependencies crossing a new party boundary" + ("" if result.boundaries else ": none")
    )
    for b in result.boundaries:
        lines.append(
            f"  “{b.function_name}” needs “{b.needs_name}” ({', '.join(b.new_pairs)}): {b.action}"
        )
    if result.closed_boundaries:
        lines.append(f"  no longer crossing parties: {', '.join(result.closed_boundaries)}")
    lines.append("")
    lines.append(f"RACI changes ({len(result.raci)})")
    lines += [raci_line(r) for r in result.raci]
    lines.append("")
    lines.append("Contracts to amend" + ("" if result.contracts else ": none"))
    for c in result.contracts:
        lines.append(f"  “{c.name}” ({c.contract}, {c.party_name}): {c.status}")
        for ch in c.changes:
            lines.append(f"      change {ch}")
        verb = "settle" if c.status == "ends" else "negotiate"
        for cl in c.clauses:
            fields = f" [{', '.join(dict.fromkeys(cl.fields))}]" if cl.fields else ""
            lines.append(f"      {verb} ({cl.rule}){fields}: {cl.ask}")
    lines.append("")
    lines += findings_text(result.findings)
    if result.notes:
        lines.append("")
        lines += [f"Note: {n}" for n in result.notes]
    return "\n".join(lines)
