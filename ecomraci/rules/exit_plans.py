"""Exit plans with content (SRC-14, SRC-15): a plan is only as good as what it says. The
best-practice reference is DORA (Regulation (EU) 2022/2554) Art. 28(8) and 30(3)(f) and
the EBA Guidelines on outsourcing arrangements (EBA/GL/2019/02, section 15, paras
106-108): an exit plan names who owns it, what triggers it, where the service goes
(another provider, in-house), how long the exit takes, and how replaceable the provider
is. Merchants are not bound by them; the rules borrow their questions.

SRC-14 compares the planned duration with what the contract guarantees (notice plus
transition assistance); SRC-15 asks that every critical function under a contract with
an exit plan has an identified alternative.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecomraci.model import Contract
from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule

# Maximum transition assistance the model accepts (TransitionAssistance.months).
MAX_TRANSITION_MONTHS = 60


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def delivered_by(ctx: CheckContext, contract: Contract) -> list[str]:
    """The functions `contract` delivers: those it covers, then those assigned under it."""
    if ctx.contracts.get(contract.id) is contract:  # the check's own index, built once
        return list(ctx.contract_functions[contract.id])
    out = list(dict.fromkeys(contract.covers))
    for s in ctx.model.assignments:
        if s.contract == contract.id and s.function not in out:
            out.append(s.function)
    return out


def alternative_gap(contract: Contract) -> str | None:
    """Why the exit plan of `contract` has no identified alternative (None: it has one)."""
    plan = contract.exit_plan
    if plan.alternative is None:
        return "names no alternative"
    if plan.alternative == "none":
        return "records that there is no alternative"
    if plan.alternative == "provider" and not plan.alternative_name:
        return "says another provider would take over but names none"
    return None


# --- SRC-14 ------------------------------------------------------------------------------


@rule(
    "SRC-14",
    "warning",
    "The exit plan must fit within notice and transition assistance",
    "The provider is bound to serve only through the notice period and the transition "
    "assistance; an exit planned to take longer runs its last months without the service, "
    "or on whatever the provider is willing to sell then.",
)
def exit_plan_duration(ctx: CheckContext):
    for c in ctx.model.contracts:
        plan = c.exit_plan
        if not plan.exists or plan.duration_months is None:
            continue
        notice, assist = c.notice_period_months, c.transition_assistance.months
        cover = notice + assist
        if plan.duration_months <= cover:
            continue
        gap = plan.duration_months - cover
        message = (
            f"The exit plan for {ctx.quoted(c.id)} takes {_months(plan.duration_months)}, but "
            f"{ctx.quoted(c.party)} is bound only for {_months(notice)} of notice plus "
            f"{_months(assist)} of transition assistance ({_months(cover)}): the last "
            f"{_months(gap)} of the exit run without the provider."
        )
        need = plan.duration_months - notice
        fix = (
            f"Agree at least {_months(need)} of transition assistance with "
            f"{ctx.quoted(c.party)}, or re-plan the exit to fit {_months(cover)} (start the "
            "replacement before giving notice)."
        )
        edits: list[Any] | Callable[[], list[Any]] = (
            field_edits(
                "contract",
                c.id,
                {
                    "transition_assistance": {
                        "months": need,
                        "same_service_levels": c.transition_assistance.same_service_levels,
                    }
                },
            )
            if need <= MAX_TRANSITION_MONTHS
            else []
        )
        yield Hit(message, [c.id], fix, edits)


# --- SRC-15 ------------------------------------------------------------------------------


@rule(
    "SRC-15",
    "warning",
    "A critical function needs an identified alternative",
    "An exit plan without a destination is a wish: if the provider fails, nobody knows "
    "where a critical service goes, how long the move takes or what it costs, and the "
    "shop stands still while that is found out.",
)
def critical_alternative(ctx: CheckContext):
    functions = ctx.functions
    for c in ctx.model.contracts:
        plan = c.exit_plan
        if not plan.exists:
            continue  # SRC-06 asks for the plan itself
        gap = alternative_gap(c)
        if gap is None:
            continue
        for fid in delivered_by(ctx, c):
            f = functions.get(fid)
            if f is None or f.criticality != "critical":
                continue
            hard = ""
            if plan.substitutability == "not-substitutable":
                hard = ", and it rates the provider as not substitutable"
            elif plan.substitutability == "difficult":
                hard = ", and it rates the provider as difficult to replace"
            message = (
                f"{ctx.quoted(fid)} is critical, but the exit plan for {ctx.quoted(c.id)} "
                f"{gap}{hard}: if {ctx.quoted(c.party)} fails, nobody knows where it goes."
            )
            fix = (
                f"Identify where {ctx.quoted(fid)} would go and record it in the exit plan: "
                "another provider by name (with a current quote or a tested onboarding), or "
                "in-house (with the team and the time it takes)."
            )
            yield Hit(message, [c.id, fid], fix)
