"""Switching a data processing service (SRC-13): the EU Data Act (Regulation (EU)
2023/2854, Chapter VI, Art. 23-31, applying since 12 September 2025 to existing contracts
too) gives the customer of a data processing service (SaaS shop platform, e-mail and CRM,
helpdesk, analytics, PIM, hosting) the right to switch provider or leave on at most two
months' notice followed by a transition of at most 30 days, whatever the contract's term.

SRC-13 reads a contract's ``data_processing_service`` and ``switching`` terms and names
what falls short of Art. 25 and 29. `statutory_switch` works out the day notice given on
the as-of date completes the switch by law; the what-if shows it next to the contractual
exit (`ecomraci.scenario.statutory`).

Every number is a setting (``src13_*``): the Digital Omnibus may still change them. The
two dates are the Regulation's own (`APPLIES_FROM`, `FREE_SWITCHING_FROM`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ecomraci.dates import shift_days, shift_months
from ecomraci.model import Contract, Settings, SwitchingTerms
from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule
from ecomraci.rules.exit_terms import next_renewal

DATA_PROCESSING = ("standard", "custom-built")
# The dates the Regulation fixes (Art. 50 and 29(1)); the numbers are settings.
APPLIES_FROM = date(2025, 9, 12)  # Chapter VI applies, to existing contracts too
FREE_SWITCHING_FROM = date(2027, 1, 12)  # no switching charges from this day
# Days per month when a transition the provider stretched is compared with its limit in
# months (Art. 25(4) counts the alternative period in months, the standard one in days).
DAYS_PER_MONTH = 30.44


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def is_data_processing(contract: Contract) -> bool:
    return contract.data_processing_service in DATA_PROCESSING


def switched_functions(contract: Contract) -> list[str]:
    """The functions the data processing service of `contract` delivers: those its
    switching terms name, else all it covers."""
    s = contract.switching
    if s is not None and s.functions:
        return list(dict.fromkeys(s.functions))
    return list(dict.fromkeys(contract.covers))


def switching_notice(contract: Contract) -> int:
    """The notice the contract asks for switching: its switching notice, else its notice
    period."""
    s = contract.switching
    if s is not None and s.notice_months is not None:
        return s.notice_months
    return contract.notice_period_months


def justified_limit_days(settings: Settings) -> int:
    return round(settings.src13_max_justified_transition_months * DAYS_PER_MONTH)


@dataclass(frozen=True)
class StatutorySwitch:
    """The switch the Data Act allows whatever the contract says: notice given on
    `notice_on` runs `notice_months`; the transition then runs `transition_days`, and the
    contract ends with the switch on `done`. `fee` says what the contract may still
    charge for leaving a fixed term early."""

    notice_on: date
    notice_months: int
    notice_ends: date | None
    transition_days: int
    done: date | None
    fee: str
    charges: str


def statutory_switch(contract: Contract, settings: Settings, as_of: date) -> StatutorySwitch | None:
    """The statutory switch of a data processing service with notice given on `as_of`
    (or the day the Data Act applies, if later); None for any other contract."""
    if not is_data_processing(contract):
        return None
    s = contract.switching or SwitchingTerms()
    notice_on = max(as_of, APPLIES_FROM)
    notice = min(switching_notice(contract), settings.src13_max_notice_months)
    transition = settings.src13_max_transition_days
    if s.transition_days is not None:
        if s.transition_days <= transition:
            transition = s.transition_days
        elif s.transition_justified:
            transition = min(s.transition_days, justified_limit_days(settings))
    notice_ends = shift_months(notice_on, notice)
    done = None if notice_ends is None else shift_days(notice_ends, transition)
    term_end = next_renewal(contract, as_of) if contract.auto_renew else contract.end
    fixed_beyond = term_end is not None and (done is None or term_end > done)
    if s.early_termination_fee and fixed_beyond:
        fee = (
            f"the contract's fee for ending its fixed term (to {term_end}) early may be "
            "charged: a proportionate early-termination fee stays allowed"
        )
    elif s.early_termination_fee:
        fee = "the contract's early-termination fee does not apply: its fixed term is over"
    elif fixed_beyond:
        fee = (
            f"the fixed term runs to {term_end}: a proportionate early-termination fee "
            "would be allowed, but the contract agrees none"
        )
    else:
        fee = "no early-termination fee: no fixed term runs beyond the switch"
    free = FREE_SWITCHING_FROM
    if contract.data_processing_service == "custom-built":
        charges = "switching charges as agreed (a custom-built service is exempt, Art. 31(1))"
    elif done is None or done >= free:
        charges = f"no switching charges (none allowed from {free})"
    else:
        charges = f"switching charges at most at the provider's cost (none from {free})"
    return StatutorySwitch(notice_on, notice, notice_ends, transition, done, fee, charges)


# --- SRC-13 ------------------------------------------------------------------------------


def _shortfalls(
    c: Contract, settings: Settings, as_of: date
) -> tuple[list[str], dict[str, object]]:
    """What in `c`'s switching terms falls short of the Data Act, in words, and the
    switching terms that would meet it."""
    s = c.switching or SwitchingTerms()
    fixed = s.model_dump(mode="json")
    out: list[str] = []
    max_notice = settings.src13_max_notice_months
    notice = switching_notice(c)
    if notice > max_notice:
        where = "" if s.notice_months is not None else " (the contract's notice period)"
        out.append(
            f"switching needs {_months(notice)}' notice{where}, at most {max_notice} allowed"
        )
        fixed["notice_months"] = max_notice
    max_days = settings.src13_max_transition_days
    limit = justified_limit_days(settings)
    stretched = settings.src13_max_justified_transition_months
    if s.transition_days is None:
        out.append(f"no transition period is agreed (at most {_days(max_days)}, service running)")
        fixed["transition_days"] = max_days
    elif s.transition_days > max_days and not s.transition_justified:
        out.append(
            f"a transition of {_days(s.transition_days)}, at most {max_days} unless the "
            f"provider justifies up to {_months(stretched)}"
        )
        fixed["transition_days"] = max_days
    elif s.transition_days > limit:
        out.append(
            f"a transition of {_days(s.transition_days)}, more than the "
            f"{_months(stretched)} a justified transition may take"
        )
        fixed["transition_days"] = limit
    min_retrieval = settings.src13_min_retrieval_days
    if s.retrieval_days is None:
        out.append(f"no period to retrieve the data (at least {_days(min_retrieval)})")
        fixed["retrieval_days"] = min_retrieval
    elif s.retrieval_days < min_retrieval:
        out.append(
            f"only {_days(s.retrieval_days)} to retrieve the data, at least {min_retrieval} "
            "required"
        )
        fixed["retrieval_days"] = min_retrieval
    if not s.exportable_data_listed:
        out.append("the exportable data and digital assets are not listed")
        fixed["exportable_data_listed"] = True
    if not s.erasure_after_retrieval:
        out.append("no erasure of the data after retrieval")
        fixed["erasure_after_retrieval"] = True
    free = FREE_SWITCHING_FROM
    # Art. 31(1): a custom-built service is exempt from the switching-charge rules.
    if c.data_processing_service == "standard" and s.charges in ("cost-based", "above-cost"):
        runs_past = c.end is None or c.auto_renew or c.end >= free
        if as_of >= free:
            out.append(f"switching charges, none allowed since {free}")
            fixed["charges"] = "none"
        elif s.charges == "above-cost":
            out.append(
                f"switching charges above cost (only charges at cost are allowed until {free}, "
                "none from then)"
            )
            fixed["charges"] = "cost-based" if not runs_past else "none"
        elif runs_past:
            out.append(
                f"switching charges, which the contract keeps but none are allowed from {free}"
            )
            fixed["charges"] = "none"
    return out, fixed


@rule(
    "SRC-13",
    "warning",
    "A data processing service must meet the Data Act's switching terms",
    "Since 12 September 2025 the EU Data Act lets the customer of a SaaS or hosting service "
    "switch or leave on at most two months' notice and a 30-day transition, with time to "
    "retrieve its data and no lock-in charges; a contract that says otherwise misleads the "
    "people planning an exit and leaves the switch without agreed steps.",
)
def data_act_switching(ctx: CheckContext):
    settings, as_of = ctx.settings, ctx.as_of
    applies = APPLIES_FROM
    for c in ctx.model.contracts:
        if not is_data_processing(c):
            continue
        short, fixed = _shortfalls(c, settings, as_of)
        if not short:
            continue
        kind = (
            "a custom-built data processing service"
            if c.data_processing_service == "custom-built"
            else "a data processing service"
        )
        since = "in force since" if as_of >= applies else "applying from"
        switch = statutory_switch(c, settings, as_of)
        by_law = ""
        if switch is not None and switch.done is not None:
            by_law = (
                f" By law, notice given on {switch.notice_on} completes the switch by "
                f"{switch.done} whatever the contract's term."
            )
        message = (
            f"{ctx.quoted(c.id)} with {ctx.quoted(c.party)} is {kind}, but its switching "
            f"terms fall short of the EU Data Act ({since} {applies}): "
            + "; ".join(short)
            + "."
            + by_law
        )
        charges = ""
        if fixed.get("charges") == "none" and as_of < FREE_SWITCHING_FROM:
            charges = f"; no switching charges from {FREE_SWITCHING_FROM}"
        fix = (
            f"Amend {ctx.quoted(c.id)}: at most {_months(settings.src13_max_notice_months)}' "
            f"notice to switch, a transition of at most "
            f"{_days(settings.src13_max_transition_days)}, at least "
            f"{_days(settings.src13_min_retrieval_days)} to retrieve the data, a list of the "
            f"exportable data and assets, and erasure after retrieval{charges}. Until the contract "
            "is amended, plan any exit on the statutory terms: they apply anyway."
        )
        yield Hit(message, [c.id], fix, field_edits("contract", c.id, {"switching": fixed}))
