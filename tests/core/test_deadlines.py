"""The contract calendar (`ecomraci.deadlines`, `ecomraci deadlines`): its dates against
dates worked out by hand, its edges, the command line's exit codes, and the .ics export
read back with an independent parser (vobject)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import vobject

from ecomraci import store
from ecomraci.cli import main
from ecomraci.deadlines import KINDS, calendar_notes, deadlines
from ecomraci.model import ExitPlan, PaymentTerms, TransitionAssistance, Waiver

from .kit import base_model, good_contract

AS_OF = date(2026, 6, 1)


def model_with(*contracts, waivers=()):
    m = base_model()
    m.contracts = list(contracts)
    m.assignments = [a for a in m.assignments if a.contract is None]
    m.waivers = list(waivers)
    return m


def plain(**kw):
    """A contract with no exit plan, no assistance and no convenience exit, so that only
    the dates under test appear."""
    fields = dict(
        termination_for_convenience="none",
        exit_plan=ExitPlan(),
        transition_assistance=TransitionAssistance(months=0),
    )
    fields.update(kw)
    return good_contract(**fields)


def dates_of(items, kind):
    return [d.day for d in items if d.kind == kind]


# --- dates worked out by hand -----------------------------------------------------------


def test_a_contract_that_does_not_renew_has_its_end_and_the_end_of_assistance():
    c = plain(end=date(2027, 12, 31), transition_assistance=TransitionAssistance(months=3))
    items = deadlines(model_with(c), AS_OF)
    assert dates_of(items, "end") == [date(2027, 12, 31)]
    # 31 Dec + 3 months, month end kept: 31 Mar
    assert dates_of(items, "transition-end") == [date(2028, 3, 31)]
    assert dates_of(items, "notice") == dates_of(items, "renewal") == []
    end = next(d for d in items if d.kind == "end")
    assert "Agency services" in end.title and "Pixel Agency" in end.title
    assert "agency-contract" not in end.title + end.action + end.consequence


def test_renewed_zero_times_month_end_into_a_leap_year():
    # Term ends 28 Feb 2027 (a month end): 3 months' notice by 30 Nov 2026; it renews to
    # 29 Feb 2028 (notice by 30 Nov 2027), then 28 Feb 2029 (notice by 30 Nov 2028).
    c = plain(end=date(2027, 2, 28), auto_renew=True, renewal_term_months=12)
    items = deadlines(model_with(c), AS_OF, within_days=(date(2028, 12, 31) - AS_OF).days)
    assert dates_of(items, "renewal") == [date(2027, 2, 28), date(2028, 2, 29)]
    assert dates_of(items, "notice") == [
        date(2026, 11, 30),
        date(2027, 11, 30),
        date(2028, 11, 30),  # its renewal (2029-02-28) lies beyond the period; it does not
    ]
    first = next(d for d in items if d.kind == "notice")
    assert "2027-02-28" in first.action and "3 months' notice" in first.action
    assert "renews automatically on 2027-02-28 for 12 months to 2028-02-29" in first.consequence


def test_renewed_once_the_next_notice_day_belongs_to_the_renewed_term():
    # Ended 31 Jan 2026, renewed once to 31 Jan 2027: 1 month's notice by 31 Dec 2026.
    c = plain(
        end=date(2026, 1, 31), auto_renew=True, renewal_term_months=12, notice_period_months=1
    )
    items = deadlines(model_with(c), AS_OF)
    assert dates_of(items, "notice")[0] == date(2026, 12, 31)
    assert dates_of(items, "renewal")[0] == date(2027, 1, 31)
    assert all(d.day >= AS_OF for d in items)


def test_renewed_many_times_half_yearly_since_2020():
    # 31 Mar 2020 + 6-month terms: ... 31 Mar 2026, 30 Sep 2026 (notice 2 months: 31 Jul
    # 2026), 31 Mar 2027 (notice 31 Jan 2027).
    c = plain(
        start=date(2019, 10, 1),
        end=date(2020, 3, 31),
        auto_renew=True,
        renewal_term_months=6,
        notice_period_months=2,
    )
    items = deadlines(model_with(c), AS_OF, within_days=365)
    assert dates_of(items, "renewal") == [date(2026, 9, 30), date(2027, 3, 31)]
    assert dates_of(items, "notice") == [date(2026, 7, 31), date(2027, 1, 31)]
    notes = calendar_notes(model_with(c), AS_OF)
    assert any("renewed automatically since" in n and "2026-09-30" in n for n in notes)


def test_a_notice_period_longer_than_the_term():
    # Monthly terms, 3 months' notice: the ends of 30 Jun, 31 Jul and 31 Aug can no longer
    # be reached on 1 Jun; the first notice day is 30 Jun, for the term ending 30 Sep.
    c = plain(end=date(2026, 6, 30), auto_renew=True, renewal_term_months=1, notice_period_months=3)
    items = deadlines(model_with(c), AS_OF, within_days=130)
    assert dates_of(items, "renewal") == [
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 9, 30),
    ]
    assert dates_of(items, "notice")[0] == date(2026, 6, 30)
    first = next(d for d in items if d.kind == "notice")
    assert "2026-09-30" in first.action
    june = next(d for d in items if d.kind == "renewal" and d.day == date(2026, 6, 30))
    assert "nothing can stop this renewal" in june.action and "2026-03-31" in june.action
    assert any("longer than its renewal term" in n for n in calendar_notes(model_with(c), AS_OF))


def test_exit_plan_retest_and_attestation_on_leap_days():
    c = plain(
        end=date(2030, 1, 1),
        exit_plan=ExitPlan(exists=True, last_tested=date(2027, 2, 28)),
        payment=PaymentTerms(
            pci_dss_acknowledgement=True,
            pci_responsibility_matrix=True,
            attestation_date=date(2024, 2, 29),
        ),
    )
    items = deadlines(model_with(c), AS_OF)
    # 28 Feb 2027 (a month end) + 12 months = 29 Feb 2028
    assert dates_of(items, "exit-plan-retest") == [date(2028, 2, 29)]
    # 29 Feb 2024 + 12 months = 28 Feb 2025: overdue on 1 Jun 2026, listed first
    assert items[0].kind == "attestation-renewal" and items[0].day == date(2025, 2, 28)
    assert "overdue" in items[0].title and "Pixel Agency" in items[0].title


def test_convenience_exit_statutory_switch_and_waiver_expiry():
    c = plain(
        end=date(2030, 1, 1),
        termination_for_convenience="whole",
        notice_period_months=3,
        data_processing_service="standard",
    )
    w = Waiver(
        rule="SRC-07",
        subjects=["agency-contract"],
        reason="renegotiating",
        author="Head of e-commerce",
        until=date(2026, 12, 31),
    )
    items = deadlines(model_with(c, waivers=[w]), AS_OF)
    # notice on 1 Jun 2026 + 3 months
    assert dates_of(items, "convenience-exit") == [date(2026, 9, 1)]
    # at most 2 months' notice (1 Aug 2026), then up to 30 days: 31 Aug 2026
    assert dates_of(items, "statutory-switch") == [date(2026, 8, 31)]
    # a waiver "until 31 Dec" lapses on 1 Jan
    expiry = next(d for d in items if d.kind == "waiver-expiry")
    assert expiry.day == date(2027, 1, 1) and expiry.contract == "agency-contract"
    assert "Agency services" in expiry.subject_name


def test_sorted_by_date_kinds_known_and_within_filters():
    m = store.load("samples/outsourced-estore.ecomraci.json")
    items = deadlines(m, AS_OF)
    assert items and [d.day for d in items] == sorted(d.day for d in items)
    assert {d.kind for d in items} <= set(KINDS)
    short = deadlines(m, AS_OF, within_days=90)
    assert all(d.day <= AS_OF + timedelta(days=90) for d in short)
    assert set(short) <= set(items)


# --- edges --------------------------------------------------------------------------------


def test_no_end_date_gives_a_note_and_no_date():
    c = plain(end=None, auto_renew=True)
    m = model_with(c)
    assert [d for d in deadlines(m, AS_OF) if d.kind in ("end", "notice", "renewal")] == []
    assert any("has no end date" in n and "Agency services" in n for n in calendar_notes(m, AS_OF))


def test_end_before_start_gives_a_note_and_no_date():
    c = plain(start=date(2027, 1, 1), end=date(2026, 1, 1), auto_renew=True)
    m = model_with(c)
    assert deadlines(m, AS_OF) == []
    assert any("before it starts" in n for n in calendar_notes(m, AS_OF))


def test_as_of_before_every_contract():
    c = plain(
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
        termination_for_convenience="whole",
        data_processing_service="standard",
    )
    m = model_with(c)
    items = deadlines(m, date(2000, 1, 1))
    assert dates_of(items, "end") == [date(2027, 12, 31)]
    # no notice can be given on a contract not yet in force: no exit dated from 2000
    assert [d.kind for d in items] == ["end"]
    assert any("before every contract starts" in n for n in calendar_notes(m, date(2000, 1, 1)))


def test_an_ended_contract_is_a_note_not_a_date():
    c = plain(end=date(2025, 12, 31))
    m = model_with(c)
    assert deadlines(m, AS_OF) == []
    assert any("ended on 2025-12-31" in n for n in calendar_notes(m, AS_OF))


def test_renewals_near_the_end_of_the_calendar_stop_without_error():
    c = plain(end=date(9999, 6, 30), auto_renew=True, renewal_term_months=12)
    items = deadlines(model_with(c), date(8999, 1, 1))
    assert dates_of(items, "renewal") == [date(9999, 6, 30)]
    assert dates_of(items, "notice") == [date(9999, 3, 31)]


def test_uids_are_stable_and_do_not_depend_on_order():
    m = store.load("samples/outsourced-estore.ecomraci.json")
    first = {d.uid for d in deadlines(m, AS_OF)}
    m.contracts.reverse()
    again = {d.uid for d in deadlines(m, AS_OF)}
    assert first == again and len(first) == len(deadlines(m, AS_OF))


# --- the command line ---------------------------------------------------------------------


def write(tmp_path, model, name="m.ecomraci.json"):
    path = tmp_path / name
    store.save(model, path, keep_backup=False)
    return str(path)


def test_cli_exit_codes_with_fail_within(tmp_path, capsys):
    c = plain(end=date(2026, 9, 30), auto_renew=True, notice_period_months=3)  # notice 30 Jun
    path = write(tmp_path, model_with(c))
    args = ["deadlines", path, "--as-of", "2026-06-01"]
    assert main([*args, "--fail-within", "30d"]) == 1  # 30 Jun is 29 days away
    assert main([*args, "--fail-within", "28d"]) == 0
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "2026-06-30" in out and "give 3 months' notice" in out
    with pytest.raises(SystemExit) as exc:
        main([*args, "--within", "soon"])
    assert exc.value.code == 2
    assert "not a number of days" in capsys.readouterr().err


def test_cli_end_before_start_is_a_clear_message(tmp_path, capsys):
    m = model_with(plain())
    path = write(tmp_path, m)
    doc = json.loads(open(path, encoding="utf-8").read())
    doc["contracts"][0]["start"], doc["contracts"][0]["end"] = "2027-01-01", "2026-01-01"
    open(path, "w", encoding="utf-8").write(json.dumps(doc))
    assert main(["deadlines", path, "--as-of", "2026-06-01"]) == 2
    err = capsys.readouterr().err
    assert "ends before it starts" in err and "Traceback" not in err


def test_cli_json_lists_the_same_as_the_core(tmp_path, capsys):
    m = store.load("samples/outsourced-estore.ecomraci.json")
    path = write(tmp_path, m)
    assert main(["deadlines", path, "--as-of", "2026-06-01", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [e["uid"] for e in doc["deadlines"]] == [d.uid for d in deadlines(m, AS_OF)]
    assert doc["as_of"] == "2026-06-01"


def _ics_events(path):
    text = path.read_bytes().decode("utf-8")
    cal = vobject.readOne(text)
    return text, cal, list(cal.vevent_list)


def test_ics_read_back_by_an_independent_parser_matches_json(tmp_path, capsys):
    m = store.load("samples/outsourced-estore.ecomraci.json")
    m.settings.calendar_reminder_days = 14
    path = write(tmp_path, m)
    ics = tmp_path / "calendar.ics"
    args = ["deadlines", path, "--as-of", "2026-06-01", "--within", "730d"]
    assert main([*args, "--format", "ics", "-o", str(ics)]) == 0
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)["deadlines"]
    text, cal, events = _ics_events(ics)
    assert cal.version.value == "2.0" and "ecomraci" in cal.prodid.value
    assert "BEGIN:VTODO" not in text
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert text.count("\r\n") >= text.count("\n")  # CRLF line ends
    assert len(events) == len(expected) > 5
    for ev, want in zip(events, expected):
        assert ev.uid.value == want["uid"]
        start = ev.dtstart.value
        assert type(start) is date and start.isoformat() == want["date"]  # all-day
        assert ev.dtend.value == start + timedelta(days=1)
        assert ev.summary.value == want["title"]
        assert want["action"] in ev.description.value
        assert ev.dtstamp.value.tzinfo is not None
        alarms = ev.valarm_list
        assert len(alarms) == 1 and alarms[0].action.value == "DISPLAY"
        assert alarms[0].trigger.value == timedelta(days=-14)


def test_ics_uids_stable_across_two_runs(tmp_path, capsys):
    path = write(tmp_path, store.load("samples/outsourced-estore.ecomraci.json"))
    uids = []
    for n in range(2):
        out = tmp_path / f"run{n}.ics"
        assert (
            main(["deadlines", path, "--as-of", "2026-06-01", "--format", "ics", "-o", str(out)])
            == 0
        )
        uids.append([e.uid.value for e in _ics_events(out)[2]])
    assert uids[0] == uids[1] and len(set(uids[0])) == len(uids[0])


def test_an_earliest_exit_after_the_contract_can_end_anyway_is_left_out():
    # Ends 31 Jul 2026; termination for convenience with 3 months' notice given on 1 Jun
    # would take effect on 1 Sep, after the end: no such line.
    c = plain(end=date(2026, 7, 31), termination_for_convenience="whole")
    assert dates_of(deadlines(model_with(c), AS_OF), "convenience-exit") == []
    c = plain(end=date(2026, 12, 31), termination_for_convenience="whole")
    assert dates_of(deadlines(model_with(c), AS_OF), "convenience-exit") == [date(2026, 9, 1)]


def test_the_status_line_names_the_next_due_date_not_an_option():
    from ecomraci.deadlines import next_due

    c = plain(
        end=date(2026, 9, 30),
        auto_renew=True,
        notice_period_months=3,
        termination_for_convenience="whole",
    )
    short, full = next_due(model_with(c), AS_OF, 120)
    # the notice day (30 Jun); the convenience exit (1 Sep) is an option, not a deadline
    assert short == "Next deadline 2026-06-30: notice, Agency services"
    assert "give 3 months' notice" in full and "agency-contract" not in short + full
    assert next_due(model_with(c), AS_OF, 28) is None
    c = c.model_copy(update={"auto_renew": False, "end": date(2026, 12, 31)})
    assert next_due(model_with(c), AS_OF, 120) is None  # only the option is near
