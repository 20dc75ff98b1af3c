"""Contract reversibility, exit terms (SRC-07 .. SRC-12): the clauses that decide whether
leaving a provider is practical once the contract allows it: enough notice and transition
time, a renewal date that is not about to lock the shop in, data and marketing assets that
come back, custom work the company may keep using, and the terms of a long contract.

Dates are whole-month arithmetic on `ctx.as_of` (see `add_months`; a date beyond the
calendar's ends is not due, one before it long past); thresholds come from
`ctx.settings`.

Speed: SRC-07 decides from the dates alone and writes its wording (and its edit) when the
finding is read, from the values it decided on; the renewal horizon is worked out once per
lead time. Edits that only set fields are built when read (`field_edits`).
"""

from __future__ import annotations

import math
from datetime import date
from functools import partial

from ecomraci.dates import add_months as add_months  # re-exported: tests and callers use it
from ecomraci.dates import months_after, months_before, shift_days, shift_months, show
from ecomraci.model import Contract
from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule

# The data kinds a provider must hand back (all of `DataKind`).
RETURNED_DATA = ("customer", "order", "card", "catalogue")
# Marketing assets in the order they are reported.
MARKETING_ASSETS = ("ad-accounts", "analytics", "tag-manager", "email-list", "domain")
PLURAL_ASSETS = {"ad-accounts"}  # "ad accounts are owned", "the domain is owned"
ASSET_NAMES = {
    "ad-accounts": "ad accounts",
    "analytics": "analytics",
    "tag-manager": "the tag manager",
    "email-list": "the e-mail list",
    "domain": "the domain",
}
# Owners that count as "not the company's" for SRC-09: an unclear owner is, at exit, an
# account the provider set up and the company cannot prove it owns.
NOT_COMPANY = ("provider", "unclear")
# Delivery models where step-in rights are unlikely to be usable (SRC-11).
NO_STEP_IN = ("shared", "saas")
# Maximum transition assistance the model accepts (TransitionAssistance.months).
MAX_TRANSITION_MONTHS = 60


# --- month arithmetic --------------------------------------------------------------------


def next_renewal(contract: Contract, as_of: date) -> date | None:
    """The first renewal date of an auto-renewing contract on or after `as_of`: its end
    date, rolled forward by whole renewal terms (from the end date, by the month-end
    convention of `months_after`: a month-end date stays a month-end date, 2027-02-28
    renews to 2028-02-29) while it lies before `as_of`. None without an end date, or
    when that renewal falls beyond 9999-12-31 (there is none the calendar can hold)."""
    if contract.end is None:
        return None
    end, term = contract.end, contract.renewal_term_months
    if end >= as_of:
        return end
    months = (as_of.year - end.year) * 12 + (as_of.month - end.month)
    k = max(0, months // term)
    while True:
        renewal = months_after(end, k * term)
        if renewal is None or renewal >= as_of:
            return renewal
        k += 1


def last_notice_day(term_end: date, notice_months: int) -> date | None:
    """The last day notice can be given so that `notice_months` of notice run out by
    `term_end` (`months_before`: a term ending on a month's last day needs notice by the
    last day of the month `notice_months` before: 30 Sep, 1 month: 31 Aug; 29 Feb 2028,
    12 months: 28 Feb 2027). None when that day is before 0001-01-01: long past."""
    return months_before(term_end, notice_months)


def renewal_to_stop(
    contract: Contract, as_of: date
) -> tuple[date | None, date | None, list[tuple[date, date | None]]]:
    """The first end of term of an auto-renewing `contract` that notice given on or
    after `as_of` still reaches, the last day to give that notice, and the ends of term
    on the way whose notice day had already passed on `as_of` (each with that day). The
    end of term and the day are None when no end of term the calendar holds is reached.
    SRC-07 and the what-if's exit calendar both date a renewal exit with it, so advice
    never names a notice day before `as_of`."""
    notice = contract.notice_period_months
    term_end = next_renewal(contract, as_of)
    missed: list[tuple[date, date | None]] = []
    while term_end is not None:
        deadline = last_notice_day(term_end, notice)
        if deadline is not None and deadline >= as_of:
            return term_end, deadline, missed
        missed.append((term_end, deadline))
        after = shift_days(term_end, 1)
        term_end = None if after is None else next_renewal(contract, after)
    return None, None, missed


def _fmt(day: date) -> str:
    return day.isoformat()


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def _and(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


# --- SRC-07 ------------------------------------------------------------------------------


@rule(
    "SRC-07",
    "warning",
    "Notice and transition must cover the re-sourcing lead time",
    "If notice plus transition assistance is shorter than the time it takes to choose and "
    "onboard a replacement, the service stops before the new one is live; an auto-renewing "
    "contract that is not cancelled in time locks the shop in for another term.",
)
def notice_and_renewal(ctx: CheckContext):
    as_of, margin = ctx.as_of, ctx.settings.src07_renewal_margin_months
    functions = ctx.functions
    horizon: dict[int, date] = {}  # lead time -> the last renewal date that is too soon
    stops: dict[str, tuple] = {}  # contract id -> `renewal_to_stop`, worked out once
    for c in ctx.model.contracts:
        notice = c.notice_period_months
        assist = c.transition_assistance.months
        renewal = next_renewal(c, as_of) if c.auto_renew else None
        for fid in c.covers:
            f = functions.get(fid)
            if f is None:
                continue
            lead = f.lead_time_months
            short = notice + assist < lead
            if renewal is not None:
                last = horizon.get(lead)
                if last is None:  # beyond the calendar: every renewal is within reach
                    last = horizon[lead] = shift_months(as_of, lead + margin) or date.max
                renews_soon = renewal <= last
            else:
                renews_soon = False
            if not (short or renews_soon):
                continue
            # The wording and the edit are written when read, from these values.
            need = lead - notice
            edits = (
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
                if short and need <= MAX_TRANSITION_MONTHS and not renews_soon
                else None
            )
            yield Hit.deferred(
                [c.id, fid],
                partial(
                    _notice_text,
                    ctx,
                    c.id,
                    c.party,
                    fid,
                    notice,
                    assist,
                    lead,
                    renewal if renews_soon else None,
                    stops.setdefault(c.id, renewal_to_stop(c, as_of)) if renews_soon else None,
                    c.renewal_term_months,
                    short,
                ),
                edits,
            )


def _notice_text(
    ctx: CheckContext,
    cid: str,
    party: str,
    fid: str,
    notice: int,
    assist: int,
    lead: int,
    renewal: date | None,
    stop_at: tuple[date | None, date | None, list] | None,
    term: int,
    short: bool,
) -> tuple[str, str]:
    """SRC-07's wording: `short` when notice plus assistance is shorter than the lead
    time, `renewal` the renewal date when it comes too soon (else None) and `stop_at`
    what `renewal_to_stop` answers for the contract."""
    as_of = ctx.as_of
    parts: list[str] = []
    fixes: list[str] = []
    if short:
        need = lead - notice
        parts.append(
            f"{ctx.quoted(cid)} allows {_months(notice)} of notice plus "
            f"{_months(assist)} of transition assistance for {ctx.quoted(fid)}, but "
            f"re-sourcing it takes {_months(lead)}"
        )
        fixes.append(
            f"Agree at least {_months(need)} transition assistance (or a longer "
            f"notice period) so that {ctx.quoted(party)} keeps running "
            f"{ctx.quoted(fid)} until its replacement is live"
        )
    if renewal is not None and stop_at is not None:
        # Every date is one that can still be met on the as-of date: when the notice day
        # of the coming renewal has passed, the advice is about the first end of term
        # that notice still reaches (`renewal_to_stop`, as the what-if reckons it).
        lead_in = (
            f"{ctx.quoted(cid)} renews automatically" if not short else "it renews automatically"
        )
        stop, deadline, missed = stop_at
        renews = f"{lead_in} on {_fmt(renewal)} for {_months(term)}"
        if missed:
            renews += " and notice can no longer reach that renewal"
        if stop is None or deadline is None:
            parts.append(f"{renews}; no later end of term falls within the calendar")
            fixes.append(
                f"renegotiate the renewal of {ctx.quoted(cid)} before {_fmt(renewal)} if "
                f"{ctx.quoted(fid)} may move"
            )
            return _sentence(parts), _sentence(fixes)
        start_by = months_before(stop, lead)
        choose = "now"
        if start_by is not None and start_by >= as_of:
            start_text = f"a replacement would need to start by {_fmt(start_by)}"
            if start_by > as_of:
                choose = f"by {_fmt(start_by)}"
        else:
            start_text = (
                "a replacement chosen from now would be live on "
                f"{show(months_after(as_of, lead))} at the earliest"
            )
        when = (
            f"{renews}; the first end of term it can still leave is {_fmt(stop)}: "
            if missed
            else f"{renews}: "
        )
        parts.append(
            f"{when}notice must be given by {_fmt(deadline)} and {start_text} "
            f"({_months(lead)} lead time for {ctx.quoted(fid)})"
        )
        fixes.append(
            f"decide by {_fmt(deadline)} whether {ctx.quoted(fid)} stays; if it may move, "
            "give notice by then or renegotiate the renewal, and start choosing the "
            f"replacement {choose}"
        )
    return _sentence(parts), _sentence(fixes)


# --- SRC-08 ------------------------------------------------------------------------------


def _delivered_by_contract(ctx: CheckContext) -> dict[str, list[str]]:
    """Contract id -> functions it delivers: those it covers, then those assigned under it."""
    out: dict[str, list[str]] = {c.id: list(dict.fromkeys(c.covers)) for c in ctx.model.contracts}
    for s in ctx.model.assignments:
        if s.contract in out and s.function not in out[s.contract]:
            out[s.contract].append(s.function)
    return out


@rule(
    "SRC-08",
    "warning",
    "A provider holding shop data must agree how it returns it",
    "Customer, order, card and catalogue data are what the shop runs on; without an agreed "
    "return format and deadline the provider can hold the data back or hand over something "
    "unusable, and the move to a new provider stalls.",
)
def data_return(ctx: CheckContext):
    delivered = _delivered_by_contract(ctx)
    for c in ctx.model.contracts:
        if c.data_return.agreed:
            continue
        holding: list[str] = []
        kinds: set[str] = set()
        for fid in delivered[c.id]:
            f = ctx.functions.get(fid)
            if f is None:
                continue
            held = {str(k) for k in f.data} & set(RETURNED_DATA)
            if held:
                holding.append(fid)
                kinds |= held
        if not holding:
            continue
        kind_text = _and([k for k in RETURNED_DATA if k in kinds])
        missing = []
        if not c.data_return.format:
            missing.append("no format")
        if c.data_return.days is None:
            missing.append("no deadline")
        message = (
            f"{ctx.quoted(c.party)} holds {kind_text} data under {ctx.quoted(c.id)} "
            f"({ctx.names(holding)}), but data return is not agreed: {' and '.join(missing)}."
        )
        card = "card" in kinds
        default_format = (
            "CSV; card data by token migration to the new PCI DSS compliant provider"
            if card
            else "CSV"
        )
        value = {
            "format": c.data_return.format or default_format,
            "days": c.data_return.days if c.data_return.days is not None else 30,
        }
        fix = (
            f"Agree in {ctx.quoted(c.id)} the format and the number of days in which "
            f"{ctx.quoted(c.party)} returns the data (for example {value['format']} within "
            f"{value['days']} days of termination)."
        )
        yield Hit(
            message,
            [c.id, *holding],
            fix,
            field_edits("contract", c.id, {"data_return": value}),
        )


# --- SRC-09 ------------------------------------------------------------------------------


@rule(
    "SRC-09",
    "warning",
    "Marketing assets must belong to the company",
    "Ad accounts, analytics history, the tag manager, the e-mail list and the domain are the "
    "shop's marketing memory; if the agency owns them, changing agency or taking marketing "
    "in-house means starting from zero.",
)
def marketing_assets(ctx: CheckContext):
    for c in ctx.model.contracts:
        owners = {str(k): str(v) for k, v in c.marketing_assets.items()}
        provider = [a for a in MARKETING_ASSETS if owners.get(a) == "provider"]
        unclear = [a for a in MARKETING_ASSETS if owners.get(a) == "unclear"]
        if not (provider or unclear):
            continue
        parts = []
        if provider:
            parts.append(
                f"{_and([ASSET_NAMES[a] for a in provider])} "
                f"{'are' if len(provider) > 1 or provider[0] in PLURAL_ASSETS else 'is'} "
                f"owned by {ctx.quoted(c.party)}"
            )
        if unclear:
            parts.append(f"ownership of {_and([ASSET_NAMES[a] for a in unclear])} is unclear")
        message = f"Under {ctx.quoted(c.id)}, " + "; ".join(parts) + "."
        value = dict(owners)
        for a in provider + unclear:
            value[a] = "company"
        fix = (
            f"Have {ctx.quoted(c.party)} transfer "
            f"{_and([ASSET_NAMES[a] for a in provider + unclear])} to the company's own "
            "accounts and state in the contract that the company owns them (the provider "
            "gets user access)."
        )
        yield Hit(
            message,
            [c.id],
            fix,
            field_edits("contract", c.id, {"marketing_assets": value}),
        )


# --- SRC-10 ------------------------------------------------------------------------------


@rule(
    "SRC-10",
    "warning",
    "Custom work needs IP assignment and knowledge transfer",
    "Custom code, templates, integrations and campaigns built for the shop are only worth "
    "keeping if the company may use and change them after the provider leaves, and someone "
    "else can understand them.",
)
def custom_work(ctx: CheckContext):
    for c in ctx.model.contracts:
        if not c.custom_work:
            continue
        missing = [
            (name, label)
            for name, label in (
                ("ip_assignment", "IP assignment"),
                ("knowledge_transfer", "knowledge transfer"),
            )
            if not getattr(c, name)
        ]
        if not missing:
            continue
        labels = [label for _, label in missing]
        message = (
            f"{ctx.quoted(c.id)} includes custom work by {ctx.quoted(c.party)} but no "
            f"{' and no '.join(labels)}."
        )
        fix = (
            f"Add {_and(labels)} to {ctx.quoted(c.id)}: the company owns what is built for it "
            "(code, templates, configurations, documentation) and the provider hands the "
            "know-how over at exit."
        )
        yield Hit(
            message,
            [c.id],
            fix,
            field_edits("contract", c.id, dict.fromkeys((name for name, _ in missing), True)),
        )


# --- SRC-11 ------------------------------------------------------------------------------


@rule(
    "SRC-11",
    "info",
    "Staff transfer or step-in rights complicate exit",
    "When staff transfer on exit, the company (or the next provider) takes on people, cost "
    "and employment law; step-in rights are of little use with a shared or SaaS service the "
    "company cannot run itself.",
)
def staff_and_step_in(ctx: CheckContext):
    for c in ctx.model.contracts:
        party = ctx.parties.get(c.party)
        delivery = party.delivery_model if party is not None else None
        step_in = c.step_in_rights and delivery in NO_STEP_IN
        if not (c.staff_transfer_on_exit or step_in):
            continue
        parts, fixes = [], []
        if c.staff_transfer_on_exit:
            parts.append(f"staff of {ctx.quoted(c.party)} would transfer on exit")
            fixes.append(
                "count the transferring staff (roles, cost, notice) in the exit plan and "
                "the business case for moving"
            )
        if step_in:
            kind = "SaaS" if delivery == "saas" else "shared"
            parts.append(f"its step-in rights are unlikely to be usable with a {kind} service")
            fixes.append(
                "rely on the exit plan, data return and transition assistance rather than "
                "on stepping in"
            )
        message = f"Under {ctx.quoted(c.id)}, " + "; ".join(parts) + "."
        yield Hit(message, [c.id], _sentence(fixes))


# --- SRC-12 ------------------------------------------------------------------------------


def _term_limit(start: date, years: float) -> date | None:
    """`start` plus `years`; None when that is beyond 9999-12-31 (no contract in the
    calendar runs longer)."""
    months = years * 12
    whole = math.floor(months)
    limit = shift_months(start, whole)
    return None if limit is None else shift_days(limit, round((months - whole) * 30.44))


@rule(
    "SRC-12",
    "info",
    "A long contract needs benchmarking, change control and service levels",
    "Over a long term prices drift from the market, the shop's needs change and service "
    "slips; benchmarking, change control and measurable service levels keep a long contract "
    "honest without having to leave it.",
)
def long_term(ctx: CheckContext):
    years = ctx.settings.src12_long_term_years
    for c in ctx.model.contracts:
        if c.start is None or c.end is None:
            continue
        limit = _term_limit(c.start, years)
        if limit is None or c.end <= limit:
            continue
        missing = [
            (name, label)
            for name, label in (
                ("benchmarking", "benchmarking"),
                ("change_control", "change control"),
                ("service_levels", "quantitative service levels"),
            )
            if not getattr(c, name)
        ]
        if not missing:
            continue
        labels = [label for _, label in missing]
        term = (c.end - c.start).days / 365.25
        message = (
            f"{ctx.quoted(c.id)} runs {term:.1f} years ({_fmt(c.start)} to {_fmt(c.end)}) "
            f"with no {_and(labels, 'or')}."
        )
        fix = f"Add {_and(labels)} to {ctx.quoted(c.id)}, or shorten its term."
        yield Hit(
            message,
            [c.id],
            fix,
            field_edits("contract", c.id, dict.fromkeys((name for name, _ in missing), True)),
        )
