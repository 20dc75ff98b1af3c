"""The statutory exit of a what-if: for a function leaving a contract for a data
processing service (a SaaS shop platform, hosting, e-mail and CRM, ...), the day the EU
Data Act (Regulation (EU) 2023/2854, Art. 25, applying since 12 September 2025 to
existing contracts too) lets the company complete the switch whatever the contract's
term: notice given on the as-of date, at most 2 months' notice, then a transition of up
to 30 days. It is shown next to the contractual earliest exit, not instead of it: it is a
statutory right the company may invoke, and a proportionate fee for ending a fixed term
early may still be due. The dates come from `ecomraci.rules.switching.statutory_switch`,
which SRC-13 uses too; the numbers are settings of the model."""

from __future__ import annotations

from ecomraci.dates import BEYOND
from ecomraci.model import Contract
from ecomraci.rules.switching import statutory_switch, switched_functions
from ecomraci.scenario.lookup import ScenarioContext
from ecomraci.scenario.results import FunctionExit, StatutoryExit
from ecomraci.scenario.text import months


def fill_statutory(sc: ScenarioContext, exit_: FunctionExit, contract: Contract | None) -> None:
    """Fill in the statutory switch of `exit_` when `contract` is a data processing
    service."""
    if contract is None:
        return
    if exit_.function not in switched_functions(contract):
        return  # the contract's other services (an agency's campaigns) are not switched
    switch = statutory_switch(contract, sc.model.settings, sc.as_of)
    if switch is None:
        return
    done = BEYOND if switch.done is None else f"on {switch.done}"
    notice_ends = BEYOND if switch.notice_ends is None else str(switch.notice_ends)
    parts = [
        f"EU Data Act (Regulation (EU) 2023/2854, Art. 25): notice given on "
        f"{switch.notice_on} runs {months(switch.notice_months)} to {notice_ends}, then a "
        f"transition of up to {switch.transition_days} days completes the switch {done}, "
        "whatever the contract's term"
    ]
    others = [f for f in switched_functions(contract) if f != exit_.function]
    if others:
        parts.append(
            f"it switches the whole data processing service under {sc.q(contract.id)} "
            f"({sc.ctx.names(others)} too)"
        )
    if switch.done is not None and exit_.leave is not None:
        if switch.done < exit_.leave:
            parts.append(f"earlier than the contractual exit on {exit_.leave}")
        elif switch.done > exit_.leave:
            parts.append(f"the contractual exit on {exit_.leave} comes first")
    elif switch.done is not None and exit_.leave is None:
        parts.append("the contract itself gives no dated way out")
    parts += [switch.charges, switch.fee]
    exit_.statutory = StatutoryExit(
        on=switch.done,
        notice_on=switch.notice_on,
        notice_months=switch.notice_months,
        notice_ends=switch.notice_ends,
        transition_days=switch.transition_days,
        fee=switch.fee,
        reason="; ".join(parts),
    )
