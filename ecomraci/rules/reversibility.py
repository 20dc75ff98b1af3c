"""Contract reversibility (SRC-01 .. SRC-06): can a function leave its contract?

The product's central question lives here. SRC-02, **coupled exit**, asks it for every
function the company wants to be able to take back or move (`Function.reversible`) that
shares a contract with other functions: can it leave on its own, and if not, which other
services of that contract go down with it, and why. The other rules look at the single
clauses that decide the answer (SRC-01 the termination rights, SRC-03 the minimum
commitment, SRC-04 exclusivity, SRC-05 the bundled price, SRC-06 the exit plan and
transition assistance). SRC-02 and SRC-01/03/04/05 may fire on the same contract on
purpose: SRC-02 answers "what breaks if this function leaves", the others "which clause
is weak", and their messages say so in different words.

Reading of the clauses (the same in every rule here):

* A function can leave a contract that covers other functions on its own when the
  contract allows partial termination per function or names it in `insourcing_rights`.
  `partial_termination` governs; `termination_for_convenience` only says whether the
  company may end the contract (or, with ``per-function``, a part of it) without cause.
* An insourcing right for a function is a right to take it back: it counts as a way out
  for SRC-01 even when the contract has no termination for convenience.
* SRC-02: when the function may leave alone and nothing ties the contract together, a
  dependency of another function of the contract on it is a coupled exit only while the
  clauses that make a separate exit workable are missing (`separate_exit_agreed`: a
  cooperation duty with successors and transition assistance). With them it is a
  planning point naming the interfaces to hand over: a warning when the provider runs
  one of them, else an info.
* SRC-04 and SRC-06 read the functions a contract delivers as SRC-08 does
  (`CheckContext.contract_functions`: covered, or assigned under the contract).
  Exclusivity over a function the contract does not deliver is not reported.

Speed: SRC-02 needs, for each reversible function of each bundle, which other functions of
the bundle depend on it. A plain networkx answer (the reference in the tests) uses
`nx.ancestors` plus one `nx.shortest_path` per function at risk, which on the large benchmark model (300 functions,
5000 dependencies) costs about 25 ms for this rule alone. `exit_impact` below gives the
same functions and the same reasons (checked against that reference in the tests)
from a breadth-first search done with set operations, layer by layer, that stops as soon
as the function asked about is reached and is reused for the next question about the same
leaving function; the chain it reports is a shortest one, as the reference's (ties may be
broken differently: here the smallest id wins, so the message is stable). SRC-01 and
SRC-02 decide what they found from the contract's clauses at once, and write the reasons,
what to negotiate and the edits when the finding is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from ecomraci.dates import shift_months
from ecomraci.edits import SetField, list_edit
from ecomraci.model import Contract
from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule

# --- helpers --------------------------------------------------------------------------


def _months_before(day: date, months: int) -> date:
    """`day` moved back by whole months, the day clamped to the month's last day; the
    calendar's first day when that falls before it (nothing is earlier)."""
    return shift_months(day, -months) or date.min


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _covers(contract: Contract) -> list[str]:
    """The functions a contract covers, each once, in file order."""
    return list(dict.fromkeys(contract.covers))


def _is_critical(ctx: CheckContext, function_id: str) -> bool:
    f = ctx.functions.get(function_id)
    return f is not None and f.criticality == "critical"


def _money(contract: Contract) -> str:
    mc = contract.minimum_commitment
    assert mc is not None
    return f"{mc.currency} {mc.amount:,.0f}"


def single_exit(contract: Contract, function_id: str) -> bool:
    """Whether a function of a multi-function contract may leave it on its own."""
    return contract.partial_termination != "none" or function_id in contract.insourcing_rights


# --- exit impact, fast ---------------------------------------------------------------


@dataclass
class _Impact:
    """What leaving does to one other function of the contract."""

    function: str
    chain: list[str] | None = None  # functions between it and the leaving one; [] = direct
    interface_runners: list[str] = field(default_factory=list)  # the provider, when it runs it


class DependencyIndex:
    """Shortest dependency chains towards a leaving function, on `ctx.graph`.

    The graph's own adjacency dicts are read directly (``_succ``: f -> what f needs,
    ``_pred``: g -> what needs g; networkx documents them as the graph's data structure
    for algorithms) so that set operations on them run at C speed and no second copy of
    5000 dependencies is built. For each leaving function the layers of functions that
    need it (layer k: those k steps away) are grown only as far as a question needs, and
    kept for the next contract covering the same function."""

    def __init__(self, ctx: CheckContext):
        graph = ctx.graph
        self.needs = graph._succ
        self.needed_by = graph._pred
        # Chains longer than one step follow strong dependencies only: the shop's
        # functions usually form one big cycle of data feeds, so through medium and weak
        # links every function "depends" on every other and the reason says nothing.
        self.strong_needs: dict[str, set[str]] = {}
        self.strongly_needed_by: dict[str, set[str]] = {}
        for d in [d for d in ctx.model.dependencies if d.strength == "strong"]:
            if d.function in self.needs and d.needs in self.needed_by:
                self.strong_needs.setdefault(d.function, set()).add(d.needs)
                self.strongly_needed_by.setdefault(d.needs, set()).add(d.function)
        # leaving function -> (layers, every function in them, [whether complete])
        self._layers: dict[str, tuple[list[set[str]], set[str], list[bool]]] = {}

    def dependency(self, function_id: str, needs: str):
        data = self.needs.get(function_id, {}).get(needs)
        return None if data is None else data.get("dep")

    def chain(self, dependent: str, leaving: str) -> list[str] | None:
        """The functions between `dependent` and `leaving` on a shortest chain of
        dependencies from one to the other: [] when it needs it directly (any
        strength); otherwise a chain of strong dependencies; None when there is
        neither. Ties go to the smallest id."""
        if dependent == leaving or leaving not in self.needed_by:
            return None
        if leaving in self.needs.get(dependent, {}):
            return []
        state = self._layers.get(leaving)
        if state is None:
            state = self._layers[leaving] = ([{leaving}], {leaving}, [False])
        layers, seen, done = state
        direct = self.strong_needs.get(dependent, set())
        empty: set[str] = set()
        while True:
            if dependent in seen:
                k = next(i for i, layer in enumerate(layers) if dependent in layer)
                break
            # one step beyond the last layer: checked before growing it, which is the
            # expensive part on a dense graph
            if not direct.isdisjoint(layers[-1]):
                k = len(layers)
                break
            if done[0]:
                return None
            grown = set().union(*[self.strongly_needed_by.get(v, empty) for v in layers[-1]]) - seen
            if grown:
                layers.append(grown)
                seen |= grown
            else:
                done[0] = True
        chain: list[str] = []
        step = dependent
        for i in range(k - 1, 0, -1):
            step = min(self.strong_needs[step] & layers[i])
            chain.append(step)
        return chain


def exit_impact(
    ctx: CheckContext, index: DependencyIndex, function_id: str, contract: Contract
) -> dict[str, _Impact]:
    """The other functions of `contract` put at risk if `function_id` leaves it, as
    the reference in the tests defines them: those that need it directly or through a chain,
    and those whose interface with it (either way) is run by the contract's provider."""
    result: dict[str, _Impact] = {}
    for other in _covers(contract):
        if other == function_id:
            continue
        impact = _Impact(other, index.chain(other, function_id))
        for pair in ((other, function_id), (function_id, other)):
            dep = index.dependency(*pair)
            if dep is not None and contract.party in ctx.responsible.get(
                dep.interface_activity, ()
            ):
                impact.interface_runners.append(contract.party)
        if impact.chain is not None or impact.interface_runners:
            result[other] = impact
    return result


def dependency_reasons(ctx: CheckContext, leaving: str, impact: _Impact) -> list[str]:
    reasons: list[str] = []
    if impact.chain is not None:
        if impact.chain:
            reasons.append(f"depends on {ctx.quoted(leaving)} through {ctx.names(impact.chain)}")
        else:
            reasons.append(f"depends on {ctx.quoted(leaving)} directly")
    for runner in dict.fromkeys(impact.interface_runners):
        reasons.append(f"its interface with {ctx.quoted(leaving)} is run by {ctx.quoted(runner)}")
    return reasons


# --- the rules ------------------------------------------------------------------------


@rule(
    "SRC-01",
    "warning",
    "A function can only leave by ending the whole contract",
    "When the only way out of a provider is to end the whole contract, the shop cannot "
    "take one service back or move it to a better provider without renegotiating "
    "everything, so a weak service stays because the others are needed.",
)
def whole_contract_exit(ctx: CheckContext):
    for contract in ctx.model.contracts:
        covers = _covers(contract)
        several = len(covers) > 1
        # The clauses missing are the same for every function of the contract.
        no_convenience = contract.termination_for_convenience == "none"
        no_partial = several and contract.partial_termination == "none"
        if not (no_convenience or no_partial):
            continue
        rights = contract.insourcing_rights
        for fid in covers:
            if fid in rights:
                continue
            # Wording and edits are written when read, from these values.
            yield Hit.deferred(
                [fid, contract.id],
                partial(
                    _whole_exit_text,
                    ctx,
                    fid,
                    contract.id,
                    contract.party,
                    len(covers),
                    no_convenience,
                    no_partial,
                ),
                partial(_whole_exit_edits, contract.id, several, no_convenience, no_partial),
                severity="error" if _is_critical(ctx, fid) else None,
            )


def _whole_exit_text(
    ctx: CheckContext,
    fid: str,
    cid: str,
    party: str,
    count: int,
    no_convenience: bool,
    no_partial: bool,
) -> tuple[str, str]:
    several = count > 1
    reasons: list[str] = []
    if no_convenience:
        reasons.append("no termination for convenience")
    if no_partial:
        reasons.append(f"{count} functions covered and no partial termination")
    reasons.append("no insourcing right for it")
    if several:
        message = (
            f"{ctx.quoted(fid)} can only leave {ctx.quoted(cid)} by ending the "
            f"whole contract: {'; '.join(reasons)}."
        )
    else:
        message = (
            f"{ctx.quoted(fid)} can only leave {ctx.quoted(cid)} when the "
            f"contract ends: {'; '.join(reasons)}."
        )
    wanted = []
    if no_convenience:
        wanted.append("termination for convenience" + (" per function" if several else ""))
    if no_partial:
        wanted.append("partial termination per function")
    fix = (
        f"At the next renewal negotiate {_and(wanted)} with "
        f"{ctx.quoted(party)}, or an insourcing right for {ctx.quoted(fid)}."
    )
    return message, fix


def _whole_exit_edits(
    cid: str, several: bool, no_convenience: bool, no_partial: bool
) -> list[SetField]:
    edits: list[SetField] = []
    if no_convenience:
        edits.append(
            SetField(
                target="contract",
                id=cid,
                field="termination_for_convenience",
                value="per-function" if several else "whole",
            )
        )
    if no_partial:
        edits.append(
            SetField(
                target="contract",
                id=cid,
                field="partial_termination",
                value="per-function",
            )
        )
    return edits


@rule(
    "SRC-02",
    "error",
    "Coupled exit: a reversible function cannot leave its contract alone",
    "The shop wants to be able to take this function back or give it to another provider, "
    "but it shares a contract with other services: leaving means ending or breaking those "
    "services too, so the exit right exists on paper only.",
)
def coupled_exit(ctx: CheckContext):
    index: DependencyIndex | None = None
    functions = ctx.functions
    for contract in ctx.model.contracts:
        covers = _covers(contract)
        if len(covers) < 2:
            continue
        mc = contract.minimum_commitment
        # clauses that tie every function of the contract to the others
        tied = bool(
            (contract.bundled_price and not contract.price_card_per_function)
            or (mc is not None and not mc.shrinks_with_scope)
            or contract.cross_termination
        )
        for fid in covers:
            f = functions.get(fid)
            if f is None or not f.reversible:
                continue
            others = [g for g in covers if g != fid]
            if index is None:
                index = DependencyIndex(ctx)
            # Whole-contract exit takes every other service down; otherwise only those
            # the dependency graph ties to the leaving function. In the first case the
            # chains are needed only for the wording, so they are traced when it is read;
            # the clauses to negotiate and their edits are written when read too.
            if tied or not single_exit(contract, fid) or fid in contract.exclusivity:
                at_risk, impact = others, None
            else:
                impact = exit_impact(ctx, index, fid, contract)
                at_risk = [g for g in others if g in impact]
                if not at_risk:
                    continue
                if separate_exit_agreed(contract):
                    # The exit itself is workable: what is left is handing over the
                    # interfaces, a planning point (a warning when the provider runs one).
                    runs = any(impact[g].interface_runners for g in at_risk)
                    hit = Hit.deferred(
                        [fid, contract.id, *at_risk],
                        partial(_hand_over_text, ctx, index, fid, contract, at_risk, impact),
                        severity="warning" if runs else "info",
                    )
                    hit.why = HAND_OVER_WHY
                    yield hit
                    continue
            clauses = _ExitClauses(ctx, index, fid, contract, at_risk, impact)
            yield Hit.deferred([fid, contract.id, *at_risk], clauses.text, clauses.edits)


# SRC-02's "why" when the separate exit is agreed and only the hand-over is left.
HAND_OVER_WHY = (
    "The contract lets this function leave on its own and obliges the provider to help a "
    "successor, so the exit is real; but other services of the contract rely on it, and "
    "unless the exit plan says who runs the link between them afterwards, they stop "
    "working on the day it moves."
)


def separate_exit_agreed(contract: Contract) -> bool:
    """SRC-02: whether the clauses that make a separate exit workable are agreed, beyond
    the way out itself (partial termination or an insourcing right, `single_exit`): a
    duty to cooperate with successor providers and transition assistance."""
    return contract.cooperation_duty and contract.transition_assistance.months > 0


def _hand_over_text(
    ctx: CheckContext,
    index: DependencyIndex,
    fid: str,
    contract: Contract,
    at_risk: list[str],
    impact: dict[str, _Impact],
) -> tuple[str, str]:
    """SRC-02's wording when the separate exit is agreed: the interfaces to hand over."""
    interfaces: list[str] = []
    links: list[str] = []
    for g in at_risk:
        reasons = dependency_reasons(ctx, fid, impact[g])
        links.append(f"{ctx.quoted(g)} ({'; '.join(reasons)})")
        for pair in ((g, fid), (fid, g)):
            dep = index.dependency(*pair)
            aid = None if dep is None else dep.interface_activity
            if aid is not None and aid in ctx.activities and aid not in interfaces:
                interfaces.append(aid)
    agreed = [
        "partial termination per function"
        if contract.partial_termination != "none"
        else f"an insourcing right for {ctx.quoted(fid)}",
        "a cooperation duty with successors",
        f"{contract.transition_assistance.months} months of transition assistance",
    ]
    message = (
        f"{ctx.quoted(fid)} can leave {ctx.quoted(contract.id)} on its own ({_and(agreed)} "
        f"agreed), but {'another service' if len(at_risk) == 1 else 'other services'} of "
        f"the same contract {'relies' if len(at_risk) == 1 else 'rely'} on it: "
        f"{_and(links)}."
    )
    if interfaces:
        runners = {aid: ctx.responsible.get(aid, []) for aid in interfaces}
        named = [
            ctx.quoted(aid) + (f" (run by {ctx.names(runners[aid])})" if runners[aid] else "")
            for aid in interfaces
        ]
        message += f" Interface to hand over: {_and(named)}."
        fix = (
            f"Put the hand-over of {_and([ctx.quoted(a) for a in interfaces])} into the exit "
            f"plan for {ctx.quoted(fid)}: who runs it after the move, and an internal A for "
            "it, so the successor and the remaining services keep working."
        )
    else:
        message += " No interface activity is named for these dependencies."
        fix = (
            f"Name an interface activity with an internal A for how {ctx.quoted(fid)} feeds "
            f"{_and([ctx.quoted(g) for g in at_risk])}, and put its hand-over into the exit "
            "plan."
        )
    return message, fix


class _ExitClauses:
    """An SRC-02 finding's clauses that keep `fid` in `contract` (the reasons, what to
    negotiate and the edits), worked out when the finding is read."""

    def __init__(
        self,
        ctx: CheckContext,
        index: DependencyIndex,
        fid: str,
        contract: Contract,
        at_risk: list[str],
        impact: dict | None,
    ):
        self.ctx, self.index, self.fid, self.contract = ctx, index, fid, contract
        self.at_risk, self.impact = at_risk, impact
        self._parts: tuple[list[str], list[str], list[SetField]] | None = None

    def parts(self) -> tuple[list[str], list[str], list[SetField]]:
        if self._parts is None:
            self._parts = _exit_clauses(self.ctx, self.fid, self.contract)
        return self._parts

    def text(self) -> tuple[str, str]:
        reasons, wanted, _ = self.parts()
        return _coupled_exit_text(
            self.ctx,
            self.index,
            self.fid,
            self.contract,
            reasons,
            wanted,
            self.at_risk,
            self.impact,
        )

    def edits(self) -> list[SetField]:
        return self.parts()[2]


def _exit_clauses(
    ctx: CheckContext, fid: str, contract: Contract
) -> tuple[list[str], list[str], list[SetField]]:
    """Why `fid` cannot leave `contract` on its own, what to negotiate, and the edits."""
    reasons: list[str] = []
    edits: list[SetField] = []
    wanted: list[str] = []
    if not single_exit(contract, fid):
        reasons.append("no partial termination or insourcing right for it")
        wanted.append(
            f"an insourcing right for {ctx.quoted(fid)} and partial termination per function"
        )
        edits.append(list_edit("contract", contract, "insourcing_rights", add=fid))
        if contract.partial_termination == "none":
            edits.append(
                SetField(
                    target="contract",
                    id=contract.id,
                    field="partial_termination",
                    value="per-function",
                )
            )
    if contract.bundled_price and not contract.price_card_per_function:
        reasons.append("bundled price without a price card per function")
        wanted.append("a price card per function")
        edits.append(
            SetField(
                target="contract",
                id=contract.id,
                field="price_card_per_function",
                value=True,
            )
        )
    mc = contract.minimum_commitment
    if mc is not None and not mc.shrinks_with_scope:
        reasons.append(
            f"a minimum commitment of {_money(contract)} that does not shrink with scope"
        )
        wanted.append("a minimum commitment that shrinks when scope leaves")
        edits.append(
            SetField(
                target="contract",
                id=contract.id,
                field="minimum_commitment",
                value={**mc.model_dump(mode="json"), "shrinks_with_scope": True},
            )
        )
    if fid in contract.exclusivity:
        reasons.append("exclusivity over it")
        wanted.append(f"no exclusivity over {ctx.quoted(fid)}")
        edits.append(list_edit("contract", contract, "exclusivity", drop=fid))
    if contract.cross_termination:
        reasons.append(
            "cross-termination with " + ctx.names(dict.fromkeys(contract.cross_termination))
        )
        wanted.append("no cross-termination")
        edits.append(
            SetField(
                target="contract",
                id=contract.id,
                field="cross_termination",
                value=[],
            )
        )
    return reasons, wanted, edits


def _coupled_exit_text(
    ctx: CheckContext,
    index: DependencyIndex,
    fid: str,
    contract: Contract,
    reasons: list[str],
    wanted: list[str],
    at_risk: list[str],
    impact: dict | None,
) -> tuple[str, str]:
    if impact is None:
        impact = exit_impact(ctx, index, fid, contract)
    per_service: list[str] = []
    for g in at_risk:
        why = ["ends with the contract"] if reasons else []
        if g in impact:
            why += dependency_reasons(ctx, fid, impact[g])
        per_service.append(f"{ctx.quoted(g)} ({'; '.join(why)})")
    head = (
        f"{ctx.quoted(fid)} cannot leave {ctx.quoted(contract.id)} without putting "
        f"{_and([ctx.quoted(g) for g in at_risk])} at risk"
    )
    if reasons:
        message = f"{head}: {'; '.join(reasons)}. At risk: {', '.join(per_service)}."
    else:
        message = f"{head}. At risk: {', '.join(per_service)}."
    fix_parts: list[str] = []
    if wanted:
        fix_parts.append(
            f"Negotiate a separate exit for {ctx.quoted(fid)} with "
            f"{ctx.quoted(contract.party)}: {'; '.join(wanted)}."
        )
    dependent = [g for g in at_risk if g in impact]
    if dependent:
        fix_parts.append(
            f"Before it leaves, plan how {_and([ctx.quoted(g) for g in dependent])} "
            f"{'keeps' if len(dependent) == 1 else 'keep'} working without it: a "
            f"cooperation duty with the successor and an internal owner for the "
            f"interfaces."
        )
    return message, " ".join(fix_parts)


@rule(
    "SRC-03",
    "warning",
    "A minimum commitment spans several functions or does not shrink",
    "A minimum spend that stays the same when a service leaves makes the shop pay for work "
    "it no longer receives; one spread over several services ties them together, so "
    "moving one of them costs more than it saves.",
)
def minimum_commitment(ctx: CheckContext):
    for contract in ctx.model.contracts:
        mc = contract.minimum_commitment
        if mc is None:
            continue
        covers = _covers(contract)
        several = len(covers) > 1
        if mc.shrinks_with_scope and not several:
            continue
        amount = _money(contract)
        edits: list[Any] | Callable[[], list[Any]] = []
        if several and not mc.shrinks_with_scope:
            message = (
                f"{ctx.quoted(contract.id)} has a minimum commitment of {amount} over "
                f"{len(covers)} functions ({ctx.names(covers)}) that does not shrink when "
                f"one of them leaves."
            )
        elif several:
            message = (
                f"{ctx.quoted(contract.id)} has one minimum commitment of {amount} over "
                f"{len(covers)} functions ({ctx.names(covers)}): the share each one carries "
                f"is not fixed."
            )
        else:
            message = (
                f"{ctx.quoted(contract.id)} has a minimum commitment of {amount} that does "
                f"not shrink with scope."
            )
        if not mc.shrinks_with_scope:
            edits = field_edits(
                "contract",
                contract.id,
                {
                    "minimum_commitment": {
                        **mc.model_dump(mode="json"),
                        "shrinks_with_scope": True,
                    }
                },
            )
            fix = (
                "Negotiate a minimum commitment that shrinks by each function's share when "
                "scope leaves" + (", with the shares set per function." if several else ".")
            )
        else:
            fix = (
                "Agree the commitment per function (or a schedule of how much it drops for "
                "each function that leaves); once agreed, record it in the contract note and "
                "waive this finding."
            )
        yield Hit(message, [contract.id, *covers], fix, edits)


@rule(
    "SRC-04",
    "warning",
    "Exclusivity covers a function",
    "Exclusivity forbids a second supplier and usually doing the work in-house: the shop "
    "cannot test an alternative, bring in a specialist for a peak or build its own team "
    "before it leaves.",
)
def exclusivity(ctx: CheckContext):
    for contract in ctx.model.contracts:
        delivered = ctx.contract_functions[contract.id]
        for fid in dict.fromkeys(contract.exclusivity):
            if fid not in delivered:
                continue  # exclusivity over work the contract does not deliver binds nothing
            yield Hit(
                f"{ctx.quoted(contract.id)} gives {ctx.quoted(contract.party)} exclusivity "
                f"over {ctx.quoted(fid)}: no second supplier and no in-house work on it.",
                [fid, contract.id],
                f"Negotiate the exclusivity for {ctx.quoted(fid)} away, or limit it in time "
                f"and keep the right to do the work in-house.",
                field_edits(
                    "contract",
                    contract.id,
                    {
                        "exclusivity": [x for x in contract.exclusivity if x != fid],
                    },
                ),
            )


@rule(
    "SRC-05",
    "warning",
    "A bundled price without a price card per function",
    "With one price for several services nobody can say what a single service costs, so "
    "its market price cannot be compared and the price of what stays after one leaves "
    "has to be renegotiated from a weak position.",
)
def bundled_price(ctx: CheckContext):
    for contract in ctx.model.contracts:
        covers = _covers(contract)
        if len(covers) < 2 or not contract.bundled_price or contract.price_card_per_function:
            continue
        yield Hit(
            f"{ctx.quoted(contract.id)} prices {len(covers)} functions ({ctx.names(covers)}) "
            f"as one bundle with no price card per function.",
            [contract.id, *covers],
            f"Ask {ctx.quoted(contract.party)} for a price card that prices each function on "
            f"its own and states the price of the rest when one leaves.",
            field_edits("contract", contract.id, {"price_card_per_function": True}),
        )


@rule(
    "SRC-06",
    "warning",
    "No tested exit plan or no transition assistance",
    "An exit plan nobody has tried fails on the day it is needed, and without transition "
    "assistance the old provider stops the day the contract ends while the new one is not "
    "ready: orders, campaigns or customer contacts are lost in between.",
)
def exit_readiness(ctx: CheckContext):
    months = ctx.settings.src06_exit_plan_test_months
    cutoff = _months_before(ctx.as_of, months)
    for contract in ctx.model.contracts:
        problems: list[str] = []
        plan = contract.exit_plan
        plan_ready = False
        if not plan.exists:
            problems.append("no exit plan")
        elif plan.last_tested is None:
            problems.append("an exit plan that has never been tested")
        elif plan.last_tested < cutoff:
            problems.append(
                f"an exit plan last tested on {plan.last_tested.isoformat()}, more than "
                f"{months} months before {ctx.as_of.isoformat()}"
            )
        else:
            plan_ready = True
        if contract.transition_assistance.months == 0:
            problems.append("no transition assistance")
        if not problems:
            continue
        # The functions the contract delivers (covered or assigned under it), as SRC-08
        # reads them: an assignment to a critical function makes the contract critical.
        critical = [f for f in ctx.contract_functions[contract.id] if _is_critical(ctx, f)]
        message = f"{ctx.quoted(contract.id)} has {_and(problems)}"
        if critical:
            message += f"; it covers critical {ctx.names(critical)}"
        message += "."
        todo: list[str] = []
        if not plan.exists:
            todo.append("write an exit plan with the provider and test it")
        elif not plan_ready:
            todo.append("test the exit plan (a dry run of the hand-over) and record the date")
        if contract.transition_assistance.months == 0:
            todo.append(
                "agree transition assistance of at least the functions' re-sourcing lead "
                "time at the same service levels"
            )
        fix = todo[0][0].upper() + "; ".join(todo)[1:] + "."
        yield Hit(message, [contract.id], fix, severity="error" if critical else None)
