"""Dates at the ends of the calendar (0001-01-01 and 9999-12-31): contracts that start,
end or renew there and as-of dates on the calendar's first and last day give findings
and what-if answers, with "beyond 9999-12-31" where a date cannot be held, never a
traceback; the command line and the app refuse as-of dates outside 1900-01-01 ..
9000-12-31 with exit code 2 and a message."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ecomraci import scenario, store
from ecomraci.dates import (
    AS_OF_MAX,
    AS_OF_MIN,
    BEFORE,
    BEYOND,
    as_of_problem,
    shift_days,
    shift_months,
    show,
)
from ecomraci.model import Model
from ecomraci.rules import check
from ecomraci.rules.coupling import ends_apart
from ecomraci.rules.exit_terms import next_renewal
from ecomraci.scenario import earliest_exit, exit_routes, last_notice_day
from tests.core.test_cli import main

ROOT = Path(__file__).resolve().parents[2]
ESTORE = ROOT / "samples" / "outsourced-estore.ecomraci.json"
CONTRACT = "nordlog-services"  # covers fulfilment and customer-service (insourcing right)
FUNCTION = "customer-service"

# Contract terms at the ends of the calendar.
EXTREMES: dict[str, dict] = {
    "starts-9999": {"start": date(9999, 1, 1)},
    "ends-9999": {"start": date(9999, 1, 1), "end": date(9999, 12, 31)},
    "renews-at-9999": {
        "start": date(9999, 1, 1),
        "end": date(9999, 12, 31),
        "auto_renew": True,
        "notice_period_months": 60,
    },
    "rolls-past-9999": {
        "start": date(9990, 1, 1),
        "end": date(9998, 6, 30),
        "auto_renew": True,
        "renewal_term_months": 120,
        "notice_period_months": 60,
    },
    "long-notice-at-9999": {
        "end": date(9999, 12, 31),
        "notice_period_months": 60,
        "termination_for_convenience": "whole",
    },
    "starts-0001": {"start": date(1, 1, 1)},
    "whole-calendar": {"start": date(1, 1, 1), "end": date(9999, 12, 31), "benchmarking": False},
    "renews-at-0001": {
        "start": date(1, 1, 1),
        "end": date(1, 3, 31),
        "auto_renew": True,
        "renewal_term_months": 1,
        "notice_period_months": 60,
    },
}
AS_OFS = [
    date.min,
    date(1, 2, 28),
    AS_OF_MIN,
    date(2026, 12, 1),
    AS_OF_MAX,
    date(9999, 6, 1),
    date.max,
]


def estore(**terms) -> Model:
    """The outsourced e-store sample with `terms` in its contract `CONTRACT`."""
    doc = store.load(ESTORE).model_dump()
    contract = next(c for c in doc["contracts"] if c["id"] == CONTRACT)
    contract.update(terms)
    return Model.model_validate(doc)


def messages(model: Model, as_of: date) -> list[str]:
    """Every finding's message and fix, written out (deferred wording included)."""
    return [text for f in check(model, as_of) for text in (f.message, f.fix or "")]


# --- the helpers -------------------------------------------------------------------------


def test_shift_months_and_days_answer_none_outside_the_calendar():
    assert shift_months(date(9999, 10, 31), 2) == date(9999, 12, 31)
    assert shift_months(date(9999, 10, 31), 3) is None
    assert shift_months(date(1, 3, 31), -2) == date(1, 1, 31)
    assert shift_months(date(1, 3, 31), -3) is None
    assert shift_months(date(2028, 2, 29), -12, keep_month_end=True) == date(2027, 2, 28)
    assert shift_days(date.max, 1) is None and shift_days(date.min, -1) is None
    assert shift_days(date(9999, 12, 30), 1) == date.max
    assert show(None) == BEYOND == "beyond 9999-12-31"
    assert show(None, later=False) == BEFORE
    assert show(date(2026, 1, 2)) == "2026-01-02"


def test_the_as_of_range():
    assert as_of_problem(AS_OF_MIN) is None and as_of_problem(AS_OF_MAX) is None
    assert AS_OF_MIN == date(1900, 1, 1) and AS_OF_MAX == date(9000, 12, 31)
    for day in (date(1899, 12, 31), date(9001, 1, 1), date.min, date.max):
        problem = as_of_problem(day)
        assert problem is not None and "1900-01-01 to 9000-12-31" in problem


def test_dates_the_rules_count_past_the_ends():
    model = estore(**EXTREMES["rolls-past-9999"])
    contract = next(c for c in model.contracts if c.id == CONTRACT)
    assert next_renewal(contract, date(9998, 6, 30)) == date(9998, 6, 30)
    assert next_renewal(contract, date(9998, 7, 1)) is None  # 10 years on is beyond 9999
    assert last_notice_day(date(1, 2, 28), 3) is None  # before 0001-01-01: long past
    assert last_notice_day(date.max, 60) == date(9994, 12, 31)
    assert not ends_apart(date(9999, 1, 1), date.max, 12)  # 12 months on is beyond
    assert ends_apart(date(9990, 1, 1), date.max, 6)
    assert ends_apart(date.min, date(1, 8, 1), 6)


# --- the checks --------------------------------------------------------------------------


@pytest.mark.parametrize("case", EXTREMES)
@pytest.mark.parametrize("as_of", AS_OFS, ids=str)
def test_check_and_simulate_at_the_ends_of_the_calendar(case, as_of):
    model = estore(**EXTREMES[case])
    for text in messages(model, as_of):
        assert "None" not in text
    for result in (
        scenario.terminate(model, CONTRACT, as_of=as_of),
        scenario.insource(model, FUNCTION, as_of=as_of),
    ):
        text = scenario.format_text(result)
        assert "None" not in text
        assert "Earliest exit" in text
        result.to_json()
        for e in result.exits:
            if e.leave is None and e.routes and e.routes[0].kind != "none":
                assert BEYOND in e.reason and f"on a day {BEYOND}" in text


def test_a_contract_starting_9999_has_no_long_term_finding():
    model = estore(**EXTREMES["ends-9999"])
    for as_of in AS_OFS:
        src12 = [f for f in check(model, as_of, only=["SRC-12"]) if CONTRACT in f.subjects]
        assert src12 == []


def test_a_contract_over_the_whole_calendar_is_long():
    model = estore(**EXTREMES["whole-calendar"])
    src12 = [f for f in check(model, date(2026, 12, 1), only=["SRC-12"]) if CONTRACT in f.subjects]
    assert len(src12) == 1 and "0001-01-01 to 9999-12-31" in src12[0].message


def test_a_renewal_beyond_the_calendar_is_not_due():
    model = estore(**EXTREMES["rolls-past-9999"])
    for as_of in (date(9999, 6, 1), date.max):
        src07 = [f for f in check(model, as_of, only=["SRC-07"]) if CONTRACT in f.subjects]
        assert not any("renews automatically" in f.message for f in src07)
    # before the end date the renewal on 9998-06-30 is close and reported
    src07 = check(model, date(9998, 1, 1), only=["SRC-07"])
    assert any("renews automatically on 9998-06-30" in f.message for f in src07)


def test_a_notice_deadline_before_the_calendar_is_long_past():
    model = estore(**EXTREMES["renews-at-0001"])
    src07 = [f for f in check(model, date.min, only=["SRC-07"]) if CONTRACT in f.subjects]
    assert src07
    text = " ".join(f.message + " " + (f.fix or "") for f in src07)
    # Notice for the coming renewals would have been due before the calendar's first
    # day: the advice is for the first end of term 60 months' notice still reaches.
    assert BEFORE not in text
    assert "notice can no longer reach that renewal" in text
    assert "the first end of term it can still leave is 0006-01-31" in text
    assert "notice must be given by 0001-01-31" in text


def test_src07_and_the_what_if_name_the_same_notice_day():
    # A month-end term (28 Feb 2027, 12 months' notice) checked on 2026-12-01: notice for
    # it was due on 2026-02-28, so both the finding and the what-if speak of the term
    # ending 2028-02-29 and notice by 2027-02-28; the clause the what-if lists to
    # negotiate (SRC-07's fix) names no day that has passed.
    from tests.core.rules.test_exit_terms import catalog_with_agency

    as_of = date(2026, 12, 1)
    model = catalog_with_agency()
    contract = model.contracts[-1]
    [renewal] = [r for r in exit_routes(contract, "online-marketing", as_of) if r.kind == "renewal"]
    assert renewal.on == date(2028, 2, 29)
    assert "with notice by 2027-02-28" in renewal.reason
    assert last_notice_day(date(2028, 2, 29), 12) == date(2027, 2, 28)
    [src07] = check(model, as_of, only=["SRC-07"])
    assert "2028-02-29" in src07.message and "notice must be given by 2027-02-28" in src07.message
    result = scenario.insource(model, "online-marketing", as_of=as_of)
    asks = [cl.ask for c in result.contracts for cl in c.clauses if cl.rule == "SRC-07"]
    assert asks and all("Decide by 2027-02-28" in a for a in asks)
    text = scenario.format_text(result)
    amend = text.split("Contracts to amend", 1)[1]
    assert "2026-02-28" not in amend.split("\n\n", 1)[0]


def test_an_exit_plan_tested_on_the_first_day_is_recent():
    model = estore(exit_plan={"exists": True, "last_tested": date.min})
    src06 = [f for f in check(model, date.min, only=["SRC-06"]) if CONTRACT in f.subjects]
    assert not any("last tested" in f.message for f in src06)


def test_ways_out_beyond_the_calendar():
    model = estore(**EXTREMES["renews-at-9999"], termination_for_convenience="whole")
    contract = next(c for c in model.contracts if c.id == CONTRACT)
    routes = exit_routes(contract, None, date.max)
    assert routes and all(r.on is None for r in routes)
    assert all(BEYOND in r.reason for r in routes)
    assert earliest_exit(routes).kind != "none"
    text = scenario.format_text(scenario.terminate(model, CONTRACT, as_of=date.max))
    assert f"on a day {BEYOND}" in text and f"or a day {BEYOND}" in text


def test_transition_assistance_beyond_the_calendar():
    # no way out before the contract ends on 9999-12-31; assistance runs 6 months on
    model = estore(
        **EXTREMES["ends-9999"],
        termination_for_convenience="none",
        partial_termination="none",
        insourcing_rights=[],
    )
    result = scenario.insource(model, FUNCTION, as_of=date(2026, 12, 1))
    (e,) = result.exits
    assert e.leave == date.max and e.transition_until is None
    assert f"transition assistance from the old provider runs {BEYOND}" in e.go_live_reason


# --- the command line --------------------------------------------------------------------


@pytest.fixture
def extreme_file(tmp_path) -> Path:
    model = estore(
        **EXTREMES["ends-9999"],
        termination_for_convenience="none",
        partial_termination="none",
        insourcing_rights=[],
    )
    path = tmp_path / "ends.ecomraci.json"
    store.save(model, path)
    return path


SIMULATE = ("simulate", str(ESTORE), "--insource", FUNCTION)


@pytest.mark.parametrize("command", [("check", str(ESTORE)), SIMULATE], ids=["check", "simulate"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "8999-13-01", "yesterday"])
def test_cli_refuses_as_of_dates_outside_the_range(capsys, command, as_of):
    code, out, err = main(capsys, *command, "--as-of", as_of)
    assert code == 2 and out == ""
    assert "Traceback" not in err and "--as-of" in err
    if as_of[0].isdigit() and as_of[5:7] != "13":
        assert "outside the as-of dates accepted (1900-01-01 to 9000-12-31)" in err
    else:
        assert "is not a date; use YYYY-MM-DD" in err


@pytest.mark.parametrize("command", [("check", str(ESTORE)), SIMULATE], ids=["check", "simulate"])
@pytest.mark.parametrize("as_of", ["1900-01-01", "9000-12-31"])
def test_cli_at_the_ends_of_the_range(capsys, command, as_of):
    code, out, err = main(capsys, *command, "--as-of", as_of)
    assert code in (0, 1) and err == ""
    assert f"as of {as_of}" in out


@pytest.mark.parametrize("as_of", ["1900-01-01", "2026-12-01", "9000-12-31"])
def test_cli_with_contract_dates_at_the_end_of_the_calendar(capsys, extreme_file, as_of):
    code, out, err = main(capsys, "check", str(extreme_file), "--as-of", as_of)
    assert code in (0, 1) and err == "" and "Traceback" not in out
    code, out, err = main(
        capsys, "simulate", str(extreme_file), "--insource", FUNCTION, "--as-of", as_of
    )
    assert code == 0 and err == ""
    assert f"transition assistance from the old provider runs {BEYOND}" in out
    code, out, err = main(
        capsys, "simulate", str(extreme_file), "--terminate", CONTRACT, "--format", "json"
    )
    assert code == 0 and err == ""


def test_cli_refusal_in_a_real_process():
    proc = subprocess.run(
        [sys.executable, "-m", "ecomraci", *SIMULATE, "--as-of", "0001-01-01"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "0001-01-01 is outside the as-of dates accepted" in proc.stderr


def test_the_what_if_and_src07_count_months_from_a_month_end_alike():
    # Checked on 30 Sep 2026, one month's notice runs to 31 Oct (not 30 Oct), and the
    # four months a replacement needs run to 31 Jan 2027, in the what-if and in SRC-07.
    from tests.core.rules.test_exit_terms import catalog_with_agency

    as_of = date(2026, 9, 30)
    model = catalog_with_agency(notice_period_months=1, end=date(2026, 10, 31))
    contract = model.contracts[-1]
    routes = exit_routes(contract, "online-marketing", as_of)
    assert [r.on for r in routes if r.kind == "convenience"] == [date(2026, 10, 31)]
    result = scenario.insource(model, "online-marketing", as_of=as_of)
    (exit_,) = result.exits
    assert exit_.ready == date(2027, 1, 31)
    # the notice day for the renewal on 2026-10-31 was 2026-09-30, today: still met
    [src07] = check(model, as_of, only=["SRC-07"])
    assert "notice must be given by 2026-09-30" in src07.message
    assert "a replacement chosen from now would be live on 2027-01-31" in src07.message
