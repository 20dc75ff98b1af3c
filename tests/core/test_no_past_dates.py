"""No advice is dated before the as-of date: over models built from the catalog with
outside providers under generated contracts, and generated as-of dates, no finding's fix
names a day before the as-of date, no finding's message asks for something "by",
"before" or "until" such a day, and the what-if (insourcing a function bought from a
provider) neither offers a way out nor lists a clause to negotiate dated in the past.

A message may still state a past fact ("last tested on 2024-05-01", "ends 2025-12-31"):
those are not advice, and the pattern below only reads dates that follow a word asking
for action by then.
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomraci.catalog import new_model
from ecomraci.model import Assignment, Contract, Model, Party
from ecomraci.rules import check
from ecomraci.scenario import ScenarioError, exit_routes, insource, terminate

ISO = r"(\d{4}-\d{2}-\d{2})"
# A date that advice asks to act by: "by 2027-03-31", "before 2027-03-31",
# "until 2027-03-31", "no later than ...".
ADVISED = re.compile(r"\b(?:by|before|until|no later than)\s+" + ISO)
ANY_DATE = re.compile(ISO)
NOTICE_BY = re.compile(r"with notice by " + ISO)

# Functions a catalog model buys from outside, with the kind of provider that sells them.
BOUGHT = {
    "online-marketing": "agency",
    "web-store-it": "platform-vendor",
    "analytics": "agency",
    "payments": "payment-provider",
    "fulfilment": "3pl",
    "customer-service": "contact-centre",
    "content": "agency",
}


@st.composite
def contract_terms(draw, as_of: date) -> dict:
    end = draw(
        st.one_of(
            st.none(),
            st.dates(min_value=date(as_of.year - 6, 1, 1), max_value=date(as_of.year + 6, 12, 31)),
        )
    )
    tested = draw(
        st.one_of(
            st.none(),
            st.dates(min_value=date(as_of.year - 4, 1, 1), max_value=as_of),
        )
    )
    return {
        "end": end,
        "start": None if end is None else date(end.year - draw(st.integers(1, 6)), 1, 1),
        "auto_renew": draw(st.booleans()),
        "renewal_term_months": draw(st.sampled_from([1, 6, 12, 24, 36])),
        "notice_period_months": draw(st.integers(0, 24)),
        "termination_for_convenience": draw(st.sampled_from(["none", "whole", "per-function"])),
        "partial_termination": draw(st.sampled_from(["none", "per-function"])),
        "transition_assistance": {"months": draw(st.integers(0, 12))},
        "exit_plan": {"exists": tested is not None or draw(st.booleans()), "last_tested": tested},
        "cooperation_duty": draw(st.booleans()),
        **draw(data_act_terms()),
    }


@st.composite
def data_act_terms(draw) -> dict:
    """Whether the contract is for a data processing service (EU Data Act), and its
    switching terms, where the model records them."""
    if "data_processing_service" not in Contract.model_fields:
        return {}
    service = draw(st.sampled_from([None, "no", "standard", "custom-built"]))
    if service in (None, "no"):
        return {"data_processing_service": service}
    return {
        "data_processing_service": service,
        "switching": {
            "notice_months": draw(st.one_of(st.none(), st.integers(0, 12))),
            "transition_days": draw(st.one_of(st.none(), st.integers(0, 400))),
            "charges": draw(st.sampled_from([None, "none", "cost-based", "above-cost"])),
        },
    }


@st.composite
def models(draw) -> tuple[Model, date, list[str]]:
    as_of = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
    model = new_model(draw(st.sampled_from(["commerce", "content", "community"])))
    chosen = draw(st.lists(st.sampled_from(sorted(BOUGHT)), min_size=1, max_size=4, unique=True))
    # one or two functions per contract
    groups: list[list[str]] = []
    for fid in chosen:
        if groups and len(groups[-1]) == 1 and draw(st.booleans()):
            groups[-1].append(fid)
        else:
            groups.append([fid])
    bought: list[str] = []
    for n, covers in enumerate(groups):
        pid, cid = f"provider-{n}", f"contract-{n}"
        model.parties.append(
            Party(id=pid, name=f"Provider {n}", kind="external", category=BOUGHT[covers[0]])
        )
        terms = draw(contract_terms(as_of))
        model.contracts.append(
            Contract.model_validate(
                {"id": cid, "name": f"Contract {n}", "party": pid, "covers": covers, **terms}
            )
        )
        model.assignments = [s for s in model.assignments if s.function not in covers]
        for fid in covers:
            model.assignments.append(
                Assignment(function=fid, party=pid, mode="outsourced", contract=cid)
            )
            model.function(fid).lead_time_months = draw(st.integers(1, 24))
            bought.append(fid)
    return model, as_of, bought


def past_advice(text: str, as_of: date, everywhere: bool) -> list[str]:
    """The dates before `as_of` that `text` advises acting by (every date, when
    `everywhere`: a fix is advice from end to end)."""
    pattern = ANY_DATE if everywhere else ADVISED
    return [d for d in pattern.findall(text) if date.fromisoformat(d) < as_of]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models())
def test_no_finding_advises_a_day_before_the_as_of_date(case):
    model, as_of, _ = case
    for f in check(model, as_of=as_of):
        assert not past_advice(f.fix, as_of, everywhere=True), (f.rule, f.fix, as_of)
        assert not past_advice(f.message, as_of, everywhere=False), (f.rule, f.message, as_of)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models(), st.data())
def test_the_what_if_dates_no_exit_or_clause_before_the_as_of_date(case, data):
    model, as_of, bought = case
    fid = data.draw(st.sampled_from(bought))
    try:
        result = insource(model, fid, as_of=as_of)
    except ScenarioError:
        return  # nobody internal to take it: the what-if refuses, with a message
    for e in result.exits:
        for route in e.routes:
            assert route.on is None or route.on >= as_of, (route, as_of)
            for day in NOTICE_BY.findall(route.reason):
                assert date.fromisoformat(day) >= as_of, (route.reason, as_of)
    for c in result.contracts:
        for clause in c.clauses:
            assert not past_advice(clause.ask, as_of, everywhere=True), (clause, as_of)
    # terminating a whole contract: no way out dated before the as-of date either
    contract = data.draw(st.sampled_from(model.contracts))
    for e in terminate(model, contract.id, as_of=as_of).exits:
        for route in e.routes:
            assert route.on is None or route.on >= as_of, (route, as_of)


NOTICE_MUST = re.compile(r"notice must be given by " + ISO)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models())
def test_src07_and_the_what_if_name_the_same_notice_day(case):
    """Where SRC-07 names the notice day of a renewal, the what-if's renewal exit of the
    same contract names the same day."""
    model, as_of, _ = case
    contracts = {c.id: c for c in model.contracts}
    for f in check(model, as_of=as_of, only=["SRC-07"]):
        said = NOTICE_MUST.findall(f.message)
        if not said:
            continue
        routes = exit_routes(contracts[f.subjects[0]], None, as_of)
        (renewal,) = [r for r in routes if r.kind == "renewal"]
        assert NOTICE_BY.findall(renewal.reason) == said, (f.message, renewal.reason)


def test_the_pattern_reads_advice_and_leaves_facts():
    as_of = date(2026, 12, 1)
    assert past_advice("Decide before 2026-02-28 whether it stays.", as_of, True)
    assert past_advice("notice must be given by 2026-02-28", as_of, False)
    assert not past_advice("an exit plan last tested on 2024-05-01", as_of, False)
    assert not past_advice("notice must be given by 2027-02-28", as_of, False)
