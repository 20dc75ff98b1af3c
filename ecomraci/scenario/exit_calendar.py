"""The exit calendar: on which day a function, or a whole contract, can leave a provider
(`exit_routes`, every way out with its date; `earliest_exit`, the one taken;
`last_notice_day`), and when the new source can take over (`fill_go_live`).

A month is a calendar month counted by the month-end convention SRC-07 uses too
(`ecomraci.dates.months_after` and `months_before`: the day kept or clamped to the end of
a shorter month, 31 Jan + 1 month = 28/29 Feb, and a month's last day moved to the last
day of the target month, 30 Sep + 1 month = 31 Oct), reckoned as the rules reckon it:

* termination for convenience and an insourcing right take effect `notice` months after
  notice is given on the as-of date;
* a contract that does not renew can be left on its end date (the day it still runs);
* an auto-renewing contract ends at the end of a term when notice reaches the provider by
  `last_notice_day` (notice counted back from the end of the term by the month-end
  convention of `ecomraci.dates.months_before`: a term ending on the last day of a month
  needs notice by the last day of the month `notice` months before, so 29 Feb 2028 with
  3 months needs notice by 30 Nov 2027); once that day has passed the contract rolls
  over for another renewal term, and so on. `last_notice_day`, the renewal dates and
  the first end of term notice still reaches are SRC-07's (`ecomraci.rules.exit_terms`),
  so the answer and the clauses it lists name the same days.

A function that can only leave with the whole contract (no partial termination and no
insourcing right for it) takes the earliest way out of the whole contract; one that can
leave alone takes its own earliest way, even when ending everything would be sooner. The
go-live at the new source is the later of that day and the as-of date plus the
function's re-sourcing lead time; the old provider's transition assistance runs on from
the day it is left, and a new source ready only after it ends is reported as a gap.

A day that would fall beyond 9999-12-31, the calendar's last, is None and written
"beyond 9999-12-31" (a route with no date whose kind is not "none" is one of those); a
notice deadline before 0001-01-01 is long past.
"""

from __future__ import annotations

from datetime import date

from ecomraci.dates import BEYOND, months_after, show
from ecomraci.model import Contract
from ecomraci.rules.exit_terms import last_notice_day as last_notice_day  # re-exported
from ecomraci.rules.exit_terms import renewal_to_stop
from ecomraci.rules.reversibility import single_exit
from ecomraci.scenario.lookup import ScenarioContext
from ecomraci.scenario.results import ExitRoute, FunctionExit
from ecomraci.scenario.text import months


def _renewal_exit(contract: Contract, as_of: date) -> tuple[date | None, date | None, list[str]]:
    """The first end of term of an auto-renewing contract that notice given on `as_of`
    still reaches, its notice deadline, and the terms missed on the way (as text); the
    end of term and deadline are None when no end of term the calendar holds is reached.
    The dates are SRC-07's (`renewal_to_stop`), so the what-if and the findings it lists
    name the same notice day."""
    term_end, deadline, missed = renewal_to_stop(contract, as_of)
    return (
        term_end,
        deadline,
        [
            f"the last day to give notice for the term ending {end} was {show(day, later=False)}"
            for end, day in missed
        ],
    )


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
    alone = whole_only or (function_id is not None and single_exit(contract, function_id))
    notice = contract.notice_period_months
    with_notice = months_after(as_of, notice)
    notice_text = (
        f"{notice} month{'s' if notice > 1 else ''}' notice given on {as_of}"
        if notice
        else "no notice period"
    )
    if with_notice is None:
        notice_text += f", which runs out {BEYOND}"
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
            renews = f"the contract renews automatically for {months(contract.renewal_term_months)}"
            if term_end is None:
                text = f"at the end of a term {BEYOND}{part}: {renews}"
            else:
                text = f"at the end of its term on {term_end}{part}, with notice by {deadline}: {renews}"
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


def _on(day: date | None) -> str:
    return BEYOND if day is None else f"on {day}"


def _to(day: date | None) -> str:
    return BEYOND if day is None else f"to {day}"


def fill_go_live(
    sc: ScenarioContext, exit_: FunctionExit, contract: Contract | None, successor: str | None
) -> None:
    """Fill in when the successor (None: nobody named) can take over."""
    lead = sc.functions[exit_.function].lead_time_months
    exit_.lead_time_months = lead
    assist = contract.transition_assistance.months if contract is not None else 0
    leave = exit_.leave
    # Days beyond 9999-12-31 are None (`months_after`): `until` the end of the transition
    # assistance, `ready` the successor's, `leave` a way out that takes effect then.
    until = None
    if leave is not None and contract is not None:
        until = exit_.transition_until = months_after(leave, assist)
    beyond = leave is None and any(r.on is None and r.kind != "none" for r in exit_.routes)
    if successor is None:
        exit_.go_live_reason = "no successor is named: nobody delivers it after it leaves" + (
            f"; transition assistance runs {_to(until)}" if assist and leave else ""
        )
        return
    ready = months_after(sc.as_of, lead)
    exit_.ready = ready
    if leave is None:
        exit_.go_live_reason = (
            f"{sc.q(successor)} could be ready {_on(ready)} ({months(lead)} lead "
            "time), but "
            + (
                f"the earliest way out takes effect {BEYOND}"
                if beyond
                else "there is no date to leave without negotiating"
            )
        )
        return
    if ready is None:
        exit_.go_live_reason = (
            f"{sc.q(successor)} needs {months(lead)} lead time: ready {BEYOND}, after "
            f"the old provider can be left on {leave}"
        )
        return
    exit_.go_live = max(leave, ready)
    if ready <= leave:
        text = (
            f"{sc.q(successor)} can be ready on {ready} ({months(lead)} lead time), before "
            f"the old provider can be left: switch on {leave}"
        )
    else:
        text = f"{sc.q(successor)} needs {months(lead)} lead time: ready on {ready}"
    if assist:
        text += f"; transition assistance from the old provider runs {_to(until)}"
        if until is not None and ready > until:
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
