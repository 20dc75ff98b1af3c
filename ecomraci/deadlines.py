"""The contract calendar: every dated event of a model as of a date, with what to do by
when and what happens if nothing is done (`deadlines`), and what cannot be dated
(`calendar_notes`).

No date here is derived anew: the renewals and their notice days are SRC-07's
(`ecomraci.rules.exit_terms.next_renewal`, `renewal_to_stop`, `last_notice_day`), the
earliest exit by termination for convenience is the what-if's
(`ecomraci.scenario.exit_calendar.exit_routes`), the statutory switch is SRC-13's
(`ecomraci.rules.switching.statutory_switch`), and every month is counted by the one
month-end convention of `ecomraci.dates.months_after` (2027-02-28 + 12 months is
2028-02-29). The exit plan's re-test is due `src06_exit_plan_test_months` after its last
test, the payment provider's attestation of compliance `cmp01_aoc_max_age_months` after
its date; a waiver expires the day after its `until`.

Events before the as-of date are left out, except two things still to do (an exit plan
re-test and an attestation that are overdue), which keep their due date and are marked
overdue. A day beyond 9999-12-31 is left out. With `within_days`, only events up to that
many days after the as-of date are listed; without it, each auto-renewing contract's
renewals are listed up to the first end of term that notice can still reach (and at least
a year ahead).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ecomraci.dates import months_after, shift_days
from ecomraci.model import Contract, Model
from ecomraci.rules.exit_terms import last_notice_day, next_renewal, renewal_to_stop
from ecomraci.rules.switching import statutory_switch

KINDS = (
    "end",
    "notice",
    "renewal",
    "convenience-exit",
    "statutory-switch",
    "exit-plan-retest",
    "transition-end",
    "waiver-expiry",
    "attestation-renewal",
)
# Without --within, renewals are listed at least this far ahead.
DEFAULT_HORIZON_DAYS = 366


@dataclass(frozen=True)
class Deadline:
    """One dated event. `contract` is the contract's id (None for a waiver that names no
    contract); `subject_name` and the texts use names, never ids. `uid` is the same for
    the same event in every run (contract or waiver keys, kind and day)."""

    day: date
    kind: str
    contract: str | None
    subject_name: str
    title: str
    action: str
    consequence: str
    uid: str

    def to_json(self) -> dict[str, str | None]:
        return {
            "date": self.day.isoformat(),
            "kind": self.kind,
            "contract": self.contract,
            "subject": self.subject_name,
            "title": self.title,
            "action": self.action,
            "consequence": self.consequence,
            "uid": self.uid,
        }


def _uid(*keys: str) -> str:
    digest = hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@ecomraci"


def _q(name: str) -> str:
    return f"“{name}”"


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


class _Builder:
    def __init__(
        self, model: Model, as_of: date, within_days: int | None, options: bool = True
    ) -> None:
        self.model = model
        self.options = options  # the earliest exits (convenience, Data Act) too
        self.as_of = as_of
        self.until = None if within_days is None else shift_days(as_of, within_days)
        self.parties = {p.id: p.name for p in model.parties}
        self.names: dict[str, str] = {}
        for group in (model.parties, model.functions, model.activities, model.contracts):
            for obj in group:
                self.names[obj.id] = obj.name
        self.out: list[Deadline] = []

    def within(self, day: date) -> bool:
        return self.until is None or day <= self.until

    def add(
        self,
        day: date,
        kind: str,
        contract: Contract | None,
        subject: str,
        title: str,
        action: str,
        consequence: str,
        key: str,
        overdue_ok: bool = False,
    ) -> None:
        if day < self.as_of and not overdue_ok:
            return
        if not self.within(day):
            return
        cid = contract.id if contract is not None else None
        self.out.append(
            Deadline(
                day,
                kind,
                cid,
                subject,
                title,
                action,
                consequence,
                _uid(key, kind, day.isoformat()),
            )
        )

    # --- contracts ---------------------------------------------------------------------

    def contract(self, c: Contract) -> None:
        name, party = c.name, self.parties.get(c.party, "the provider")
        if c.start is not None and c.end is not None and c.end < c.start:
            return  # `calendar_notes` says so; no date of it can be trusted
        key = f"contract:{c.id}"
        leave: date | None = None  # the first day the contract can end
        if c.end is not None and not c.auto_renew:
            leave = c.end
            self.add(
                c.end,
                "end",
                c,
                name,
                f"{_q(name)} with {_q(party)} ends",
                f"have the successor (or a new contract with {_q(party)}) in place by {c.end}",
                f"{_q(party)} stops delivering {self.covers(c)} after {c.end}",
                key,
            )
        elif c.end is not None:
            leave = self.renewals(c, key)
        if c.start is None or c.start <= self.as_of:  # no notice before it is in force
            self.convenience(c, key, leave)
            self.statutory(c, key, leave)
        if leave is not None and c.transition_assistance.months:
            until = months_after(leave, c.transition_assistance.months)
            if until is not None:
                self.add(
                    until,
                    "transition-end",
                    c,
                    name,
                    f"Transition assistance under {_q(name)} would end",
                    f"if {_q(name)} ends on {leave}, have the successor live by {until}",
                    f"{_q(party)}'s help with the hand-over stops on {until} "
                    f"({_months(c.transition_assistance.months)} after the end on {leave})",
                    key,
                )
        self.retest(c, key)
        self.attestation(c, key)

    def covers(self, c: Contract) -> str:
        names = [_q(self.names.get(f, "a function")) for f in dict.fromkeys(c.covers)]
        if not names:
            return "what the contract covers"
        return ", ".join(names)

    def renewals(self, c: Contract, key: str) -> date | None:
        """The renewals of an auto-renewing contract and the notice day of each end of
        term that notice can still reach; answers the first end of term notice reaches."""
        name, party = c.name, self.parties.get(c.party, "the provider")
        term, notice = c.renewal_term_months, c.notice_period_months
        stop, stop_notice, _missed = renewal_to_stop(c, self.as_of)
        if self.until is not None:
            horizon: date | None = self.until
        else:
            ahead = shift_days(self.as_of, DEFAULT_HORIZON_DAYS)
            horizon = ahead if stop is None or (ahead is not None and ahead > stop) else stop
        end = next_renewal(c, self.as_of)
        while end is not None and horizon is not None:
            deadline = last_notice_day(end, notice)
            if end > horizon and (deadline is None or deadline > horizon):
                break  # neither this renewal nor its notice day is in the period
            following = months_after(end, term)
            to = f" to {following}" if following is not None else ""
            reachable = deadline is not None and deadline >= self.as_of
            if reachable and deadline is not None:
                self.add(
                    deadline,
                    "notice",
                    c,
                    name,
                    f"Last day to give notice on {_q(name)} with {_q(party)}",
                    f"decide whether {_q(name)} goes on; to end it on {end}, give "
                    f"{_months(notice)}' notice to {_q(party)} by {deadline}",
                    f"{_q(name)} renews automatically on {end} for {_months(term)}{to}",
                    key,
                )
            self.add(
                end,
                "renewal",
                c,
                name,
                f"{_q(name)} with {_q(party)} renews automatically",
                (
                    f"nothing, if it is to go on; to end it here, give notice by {deadline}"
                    if reachable
                    else f"nothing can stop this renewal any more: notice had to be given "
                    f"by {deadline}"
                    if deadline is not None
                    else "nothing can stop this renewal any more"
                ),
                f"the term ending {end} is followed by another {_months(term)}{to}",
                key,
            )
            after = shift_days(end, 1)
            end = None if after is None else next_renewal(c, after)
        return stop if stop_notice is not None else None

    def convenience(self, c: Contract, key: str, leave: date | None) -> None:
        """The earliest end by termination for convenience, unless the contract can
        already be left on that day or earlier (`leave`) without it."""
        if c.termination_for_convenience == "none" or not self.options:
            return
        # imported here: the app's status line (`next_due`) needs no what-if modules
        from ecomraci.scenario.exit_calendar import exit_routes

        routes = [r for r in exit_routes(c, None, self.as_of) if r.kind == "convenience" and r.on]
        if not routes or routes[0].on is None:
            return
        day = routes[0].on
        if leave is not None and leave <= day:
            return
        party = self.parties.get(c.party, "the provider")
        self.add(
            day,
            "convenience-exit",
            c,
            c.name,
            f"Earliest end of {_q(c.name)} by termination for convenience",
            f"give {_months(c.notice_period_months)}' notice to {_q(party)} on "
            f"{self.as_of} to end {_q(c.name)} on {day}",
            f"each day notice waits moves this exit a day later; {_q(c.name)} goes on",
            key,
        )

    def statutory(self, c: Contract, key: str, leave: date | None) -> None:
        """The earliest switch under the Data Act, unless the contract can already be
        left on that day or earlier (`leave`)."""
        if not self.options:
            return
        switch = statutory_switch(c, self.model.settings, self.as_of)
        if switch is None or switch.done is None:
            return
        if leave is not None and leave <= switch.done:
            return
        party = self.parties.get(c.party, "the provider")
        self.add(
            switch.done,
            "statutory-switch",
            c,
            c.name,
            f"Earliest switch away from {_q(party)} under the EU Data Act",
            f"give switching notice to {_q(party)} on {switch.notice_on} "
            f"({_months(switch.notice_months)}, then up to {switch.transition_days} days of "
            f"transition) to have switched by {switch.done}",
            f"a statutory right, not a duty: {_q(c.name)} goes on as agreed; {switch.fee}",
            key,
        )

    def retest(self, c: Contract, key: str) -> None:
        plan = c.exit_plan
        if not plan.exists or plan.last_tested is None:
            return
        months = self.model.settings.src06_exit_plan_test_months
        due = months_after(plan.last_tested, months)
        if due is None:
            return
        overdue = due < self.as_of
        self.add(
            due,
            "exit-plan-retest",
            c,
            c.name,
            f"Exit plan of {_q(c.name)} to be tested again" + (" (overdue)" if overdue else ""),
            f"run a dry run of the hand-over of {_q(c.name)} by {due}"
            + (", now: it is overdue" if overdue else ""),
            f"the plan counts as untested (SRC-06): last tested {plan.last_tested}, more than "
            f"{_months(months)} before",
            key,
            overdue_ok=True,
        )

    def attestation(self, c: Contract, key: str) -> None:
        day = c.payment.attestation_date if c.payment is not None else None
        if day is None:
            return
        months = self.model.settings.cmp01_aoc_max_age_months
        due = months_after(day, months)
        if due is None:
            return
        party = self.parties.get(c.party, "the provider")
        overdue = due < self.as_of
        self.add(
            due,
            "attestation-renewal",
            c,
            party,
            f"PCI DSS attestation of compliance of {_q(party)} to be renewed"
            + (" (overdue)" if overdue else ""),
            f"ask {_q(party)} for its current attestation of compliance by {due}"
            + (", now: it is overdue" if overdue else ""),
            f"the attestation dated {day} is out of date (CMP-01: older than {_months(months)})",
            key,
            overdue_ok=True,
        )

    # --- waivers -----------------------------------------------------------------------

    def waivers(self) -> None:
        contracts = {c.id: c for c in self.model.contracts}
        for w in self.model.waivers:
            if w.until is None:
                continue
            expires = shift_days(w.until, 1)
            if expires is None:
                continue
            subjects = ", ".join(_q(self.names.get(s, "an object")) for s in w.subjects)
            contract = next((contracts[s] for s in w.subjects if s in contracts), None)
            self.add(
                expires,
                "waiver-expiry",
                contract,
                subjects,
                f"Acceptance of {w.rule} for {subjects} expires",
                f"review the reason ({w.reason}) with {w.author} and renew the waiver by "
                f"{w.until}, or fix the finding",
                f"{w.rule} is reported again for {subjects} from {expires}",
                f"waiver:{w.rule}:{','.join(sorted(w.subjects))}",
            )


def deadlines(
    model: Model, as_of: date, within_days: int | None = None, options: bool = True
) -> list[Deadline]:
    """Every dated event of `model` from `as_of` on (and the overdue re-tests and
    attestations), up to `within_days` days after it when given, sorted by date; without
    `options`, the earliest exits (convenience, Data Act) are left out."""
    b = _Builder(model, as_of, within_days, options)
    for c in model.contracts:
        b.contract(c)
    b.waivers()
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(b.out, key=lambda d: (d.day, order.get(d.kind, 99), d.subject_name, d.uid))


def calendar_notes(model: Model, as_of: date) -> list[str]:
    """What the calendar cannot date, one sentence each: a contract with no end date, one
    that ends before it starts, one that has ended, a notice period longer than the
    renewal term, an exit plan never tested, and an as-of date before every contract."""
    notes: list[str] = []
    parties = {p.id: p.name for p in model.parties}
    starts = [c.start for c in model.contracts if c.start is not None]
    if starts and as_of < min(starts):
        notes.append(
            f"The as-of date {as_of} is before every contract starts (the first on "
            f"{min(starts)}): the dates are those of the contracts as signed."
        )
    for c in model.contracts:
        name, party = _q(c.name), _q(parties.get(c.party, "the provider"))
        if c.start is not None and c.end is not None and c.end < c.start:
            notes.append(
                f"{name} with {party} ends ({c.end}) before it starts ({c.start}): "
                "no date of it is listed; correct its start or end."
            )
            continue
        if c.end is None:
            notes.append(
                f"{name} with {party} has no end date: it has no end, notice or renewal "
                "dates; enter the end of its current term."
            )
        elif c.end < as_of and not c.auto_renew:
            notes.append(f"{name} with {party} ended on {c.end} and does not renew.")
        if c.auto_renew and c.end is not None:
            if c.notice_period_months > c.renewal_term_months:
                notes.append(
                    f"{name}: its notice period ({_months(c.notice_period_months)}) is longer "
                    f"than its renewal term ({_months(c.renewal_term_months)}): notice for "
                    "an end of term must be given during an earlier term."
                )
            if c.end < as_of:
                first = next_renewal(c, as_of)
                notes.append(
                    f"{name} has renewed automatically since its term ended on {c.end}; "
                    f"the current term ends on {first}."
                    if first is not None
                    else f"{name} has renewed automatically since {c.end}."
                )
        if c.exit_plan.exists and c.exit_plan.last_tested is None:
            notes.append(f"The exit plan of {name} has never been tested: test it now.")
    return notes


# --- output ------------------------------------------------------------------------------

KIND_LABELS = {
    "end": "end",
    "notice": "notice",
    "renewal": "renewal",
    "convenience-exit": "exit",
    "statutory-switch": "Data Act",
    "exit-plan-retest": "exit plan",
    "transition-end": "transition",
    "waiver-expiry": "waiver",
    "attestation-renewal": "PCI attestation",
}


def format_text(
    items: list[Deadline], notes: list[str], name: str, as_of: date, within_days: int | None
) -> str:
    """The calendar as the command line prints it: a line per event (date, kind, what),
    then what to do and what happens if nothing is done, then the notes."""
    span = "" if within_days is None else f", next {within_days} days"
    lines = [f"Contract calendar of {_q(name)} as of {as_of}{span}: {len(items)} dates", ""]
    if not items:
        lines.append("No deadlines" + (" in that period." if within_days is not None else "."))
    for d in items:
        when = f"{d.day}" + ("  OVERDUE" if d.day < as_of else "")
        lines.append(f"{when}  [{KIND_LABELS.get(d.kind, d.kind)}] {d.title}")
        lines.append(f"    do: {d.action}")
        lines.append(f"    otherwise: {d.consequence}")
    if notes:
        lines += ["", "Not in the calendar:"]
        lines += [f"  - {n}" for n in notes]
    return "\n".join(lines)


def to_json(
    items: list[Deadline], notes: list[str], name: str, as_of: date, within_days: int | None
) -> dict[str, object]:
    return {
        "name": name,
        "as_of": as_of.isoformat(),
        "within_days": within_days,
        "deadlines": [d.to_json() for d in items],
        "notes": notes,
    }


PRODID = "-//ecomraci//contract calendar//EN"


def to_ics(items: list[Deadline], name: str, reminder_days: int, stamp: datetime) -> bytes:
    """The calendar as an RFC 5545 file: one all-day VEVENT per deadline with its stable
    UID, a display VALARM `reminder_days` before it, no VTODO. `stamp` (UTC) is the
    DTSTAMP of every event."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Contract calendar: {name}")
    for d in items:
        ev = Event()
        ev.add("uid", d.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", d.day)
        after = shift_days(d.day, 1)
        if after is not None:
            ev.add("dtend", after)
        ev.add("summary", d.title)
        ev.add("description", f"Do: {d.action}.\nOtherwise: {d.consequence}.")
        ev.add("categories", [d.kind])
        ev.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", d.title)
        alarm.add("trigger", timedelta(days=-reminder_days))
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


# The kinds that are something to do by a day; the earliest exits (convenience, Data Act)
# are options that move with the as-of date and never fall due.
DUE_KINDS = frozenset(KINDS) - {"convenience-exit", "statutory-switch"}


def due_within(model: Model, as_of: date, days: int) -> list[Deadline]:
    """The deadlines due (or overdue) within `days` days of `as_of`: what
    ``ecomraci deadlines --fail-within`` exits with code 1 for."""
    return [d for d in deadlines(model, as_of, days, options=False) if d.kind in DUE_KINDS]


def next_due(model: Model, as_of: date, days: int = 90) -> tuple[str, str] | None:
    """The app's status line for the next deadline due (or overdue) within `days` days of
    `as_of`: a short text and the full one (its tooltip), or None when nothing is due."""
    due = due_within(model, as_of, days)
    if not due:
        return None
    d = due[0]
    subject = d.subject_name if len(d.subject_name) <= 40 else d.subject_name[:39] + "…"
    label = KIND_LABELS.get(d.kind, d.kind)
    if d.day < as_of:
        short = f"Overdue since {d.day}: {label}, {subject}"
    else:
        short = f"Next deadline {d.day}: {label}, {subject}"
    full = f"{d.day}: {d.title}.\nDo: {d.action}.\nOtherwise: {d.consequence}."
    if len(due) > 1:
        full += f"\n({len(due) - 1} more within {days} days: ecomraci deadlines)"
    return short, full
