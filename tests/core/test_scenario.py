"""What-if scenarios (ecomraci.scenario): exit dates, go-live, services at risk, new party
boundaries, RACI moves, contracts to amend, saving, applying and undoing, and the
`ecomraci simulate` command line."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ecomraci import store
from ecomraci.edits import apply_edit_in_place, apply_edits
from ecomraci.model import Contract, Scenario, TransitionAssistance
from ecomraci.rules import check
from ecomraci.scenario import (
    ScenarioError,
    add_scenario,
    apply,
    earliest_exit,
    exit_routes,
    find_scenario,
    insource,
    last_notice_day,
    resource,
    run,
    terminate,
)
from tests.core.kit import base_model
from tests.core.test_cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ESTORE = SAMPLES / "outsourced-estore.ecomraci.json"
SAMPLE_FILES = sorted(SAMPLES.glob("*.ecomraci.json"))
AS_OF = date(2026, 12, 1)


def contract(**fields) -> Contract:
    base = dict(
        id="k",
        name="K",
        party="p",
        covers=["f"],
        auto_renew=False,
        notice_period_months=3,
        termination_for_convenience="none",
    )
    base.update(fields)
    return Contract(**base)


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term_end, notice, expected",
    [
        (date(2027, 12, 31), 6, date(2027, 6, 30)),
        (date(2027, 9, 30), 1, date(2027, 8, 31)),  # a month end needs notice by a month end
        (date(2028, 2, 29), 3, date(2027, 11, 30)),  # leap day
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2027, 3, 30), 1, date(2027, 2, 28)),  # not a month end: the day, clamped
        (date(2027, 6, 15), 0, date(2027, 6, 15)),
    ],
)
def test_last_notice_day(term_end, notice, expected):
    assert last_notice_day(term_end, notice) == expected


def test_renewal_in_time_on_the_last_day_of_notice():
    k = contract(end=date(2028, 2, 29), auto_renew=True, renewal_term_months=12)
    route = earliest_exit(exit_routes(k, "f", date(2027, 11, 30)))
    assert (route.on, route.kind, route.alone) == (date(2028, 2, 29), "renewal", True)
    assert "notice by 2027-11-30" in route.reason


def test_notice_a_day_late_rolls_over_to_the_next_term():
    k = contract(end=date(2028, 2, 29), auto_renew=True, renewal_term_months=12)
    route = earliest_exit(exit_routes(k, "f", date(2027, 12, 1)))
    assert route.on == date(2029, 2, 28)
    assert (
        "the last day to give notice for the term ending 2028-02-29 was 2027-11-30" in route.reason
    )
    assert "notice by 2028-11-30" in route.reason


def test_roll_over_keeps_the_leap_day_when_the_term_ends_in_a_leap_year():
    k = contract(end=date(2028, 2, 29), auto_renew=True, renewal_term_months=12)
    assert earliest_exit(exit_routes(k, "f", date(2031, 11, 30))).on == date(2032, 2, 29)
    assert earliest_exit(exit_routes(k, "f", date(2031, 12, 1))).on == date(2033, 2, 28)


def test_several_missed_terms_of_a_contract_that_ended_in_the_past():
    # ended 2025-12-31, renewed to 2026-12-31 whose notice day (2026-09-30) has passed too
    k = contract(end=date(2025, 12, 31), auto_renew=True, renewal_term_months=12)
    route = earliest_exit(exit_routes(k, "f", AS_OF))
    assert route.on == date(2027, 12, 31)
    assert "2026-09-30" in route.reason


def test_long_renewal_term_after_the_notice_day():
    k = contract(
        end=date(2026, 12, 31), auto_renew=True, renewal_term_months=24, notice_period_months=6
    )
    assert earliest_exit(exit_routes(k, "f", date(2026, 6, 30))).on == date(2026, 12, 31)
    assert earliest_exit(exit_routes(k, "f", date(2026, 7, 1))).on == date(2028, 12, 31)


@pytest.mark.parametrize(
    "as_of, notice, expected",
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2026, 12, 1), 0, date(2026, 12, 1)),
    ],
)
def test_termination_for_convenience_counts_notice_from_the_as_of_date(as_of, notice, expected):
    k = contract(
        end=date(2030, 12, 31), termination_for_convenience="whole", notice_period_months=notice
    )
    route = earliest_exit(exit_routes(k, "f", as_of))
    assert (route.on, route.kind) == (expected, "convenience")


def test_contract_without_renewal_ends_on_its_end_date_or_has_ended():
    k = contract(end=date(2027, 6, 30))
    assert earliest_exit(exit_routes(k, "f", AS_OF)).on == date(2027, 6, 30)
    route = earliest_exit(exit_routes(k, "f", date(2027, 7, 1)))
    assert (route.on, route.kind) == (date(2027, 7, 1), "expired")


def test_no_end_and_no_right_to_terminate_has_no_date():
    route = earliest_exit(exit_routes(contract(), "f", AS_OF))
    assert route.on is None and route.kind == "none"
    assert "negotiated" in route.reason


def test_insourcing_right_lets_one_function_leave_a_bundle():
    k = contract(covers=["a", "b"], insourcing_rights=["a"], end=date(2028, 12, 31))
    a = earliest_exit(exit_routes(k, "a", AS_OF))
    assert (a.on, a.kind, a.alone) == (date(2027, 3, 1), "insourcing-right", True)
    b = earliest_exit(exit_routes(k, "b", AS_OF))
    assert (b.on, b.kind, b.alone) == (date(2028, 12, 31), "end", False)


def test_leaving_alone_is_preferred_to_an_earlier_end_of_the_whole_contract():
    k = contract(
        covers=["a", "b"],
        partial_termination="per-function",
        termination_for_convenience="whole",
        end=date(2029, 12, 31),
    )
    routes = exit_routes(k, "a", AS_OF)
    assert [(r.on, r.alone) for r in routes] == [
        (date(2027, 3, 1), False),
        (date(2029, 12, 31), True),
    ]
    assert earliest_exit(routes).on == date(2029, 12, 31)


# --- the acceptance question on the outsourced e-store ------------------------------------


@pytest.fixture(scope="module")
def estore():
    return store.load(ESTORE)


@pytest.fixture(scope="module")
def marketing_in_house(estore):
    return insource(estore, "online-marketing", as_of=AS_OF)


def test_insource_names_the_agency_contract_and_the_earliest_exit(estore, marketing_in_house):
    r = marketing_in_house
    (exit_,) = r.exits
    agency = estore.contract(exit_.contract)
    assert estore.party(agency.party).category == "agency"
    assert "online-marketing" in agency.covers
    # bundled with no partial termination: out only by ending the whole contract, for
    # convenience with the contract's notice from the as-of date
    assert exit_.alone is False
    assert exit_.leave == date(2027, 6, 1)
    assert exit_.reason.startswith("only by ending the whole contract")
    assert "termination for convenience" in exit_.reason
    assert [r.kind for r in exit_.routes] == ["convenience", "renewal"]
    assert exit_.routes[1].on == agency.end
    # in-house marketing needs its lead time, then the agency helps for its transition time
    assert exit_.ready == date(2027, 4, 1)
    assert exit_.go_live == date(2027, 6, 1)
    assert exit_.transition_until == date(2027, 9, 1)


def test_web_store_it_is_put_at_risk_for_the_reasons_src02_gives(estore, marketing_in_house):
    at_risk = {s.function: s for s in marketing_in_house.at_risk}
    assert "web-store-it" in at_risk
    reasons = at_risk["web-store-it"].reasons
    assert reasons[0] == "ends with the contract"
    # the agency runs the tag interface the web store and marketing share
    assert any(r.startswith("its interface with “Online marketing” is run by") for r in reasons)
    src02 = [
        f for f in check(estore, AS_OF, only=["SRC-02"]) if f.subjects[0] == "online-marketing"
    ]
    assert [s.function for s in marketing_in_house.at_risk] == src02[0].subjects[2:]
    for s in marketing_in_house.at_risk:
        assert all(reason in src02[0].message for reason in s.reasons)


def test_insource_moves_r_keeps_a_internal_and_reports_findings(estore, marketing_in_house):
    r = marketing_in_house
    assert r.parameters.to == "marketing-dept"  # the internal owner by default
    after = apply(estore, r)
    internal = {p.id for p in after.parties if p.kind == "internal"}
    assert [(s.party, s.mode) for s in after.assignments if s.function == "online-marketing"] == [
        ("marketing-dept", "in-house")
    ]
    for a in after.activities_of("online-marketing"):
        row = after.raci[a.id]
        assert "pixelforge" not in row
        assert [p for p, v in row.items() if "A" in v] and all(
            p in internal for p, v in row.items() if "A" in v
        )
        assert any("R" in v for v in row.values())
    moved = {(c.activity, c.party): (c.before, c.after) for c in r.raci}
    assert moved[("om-search", "pixelforge")] == ("R", "")
    assert moved[("om-search", "marketing-dept")] == ("A", "AR")
    agency = after.contract("pixelforge-msa")
    assert "online-marketing" not in agency.covers + agency.exclusivity
    gone = {(f.rule, tuple(f.subjects[:2])) for f in r.findings.disappeared}
    assert ("SRC-02", ("online-marketing", "pixelforge-msa")) in gone
    assert ("SRC-04", ("online-marketing", "pixelforge-msa")) in gone
    # what stays with the agency is still bundled: those findings change, not vanish
    assert any(c.after.rule == "SRC-05" for c in r.findings.changed)
    (amend,) = r.contracts
    assert amend.contract == "pixelforge-msa" and amend.status == "amended"
    asked = {field for clause in amend.clauses for field in clause.fields}
    assert {"partial_termination", "insourcing_rights", "exclusivity"} <= asked


def test_the_tag_interface_now_crosses_from_marketing_to_the_agency(marketing_in_house):
    b = {x.dependency: x for x in marketing_in_house.boundaries}
    tags = b["online-marketing->web-store-it"]
    assert "Marketing -> Pixelforge Digital" in tags.new_pairs
    assert tags.interface_activity == "wit-tags" and tags.responsible == ["pixelforge"]
    assert "online-marketing->content" in marketing_in_house.closed_boundaries


def test_acceptance_command_text_and_json(capsys):
    args = ["simulate", str(ESTORE), "--insource", "online-marketing", "--as-of", "2026-12-01"]
    code, text, err = main(capsys, *args)
    assert code == 0 and err == ""
    assert "Pixelforge master services agreement" in text
    assert "on 2027-06-01" in text and "only by ending the whole contract" in text
    risk = text.split("Services put at risk")[1].split("\n\n")[0]
    assert (
        "“Web store IT”: ends with the contract; its interface with “Online marketing” "
        "is run by “Pixelforge Digital”"
    ) in risk
    assert "- ERROR   SRC-02" in text and "- WARNING SRC-04" in text
    code, out, err = main(capsys, *args, "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["model"] == str(ESTORE) and doc["operation"] == "insource"
    (exit_,) = doc["exits"]
    assert (exit_["contract"], exit_["leave"]) == ("pixelforge-msa", "2027-06-01")
    assert exit_["reason"] in text and exit_["go_live"] == "2027-06-01"
    assert doc["at_risk"][0]["function"] == "web-store-it"
    for reason in doc["at_risk"][0]["reasons"]:
        assert reason in text
    findings = doc["findings"]
    assert {f["rule"] for f in findings["disappeared"]} >= {"SRC-02", "SRC-04"}
    for f in findings["appeared"] + findings["disappeared"]:
        assert f["message"] in text
    assert len(doc["raci"]) == text.count(" × ")
    assert doc["edits"] and doc["contracts"][0]["clauses"]


# --- every operation on every sample ------------------------------------------------------


def _check_moved(model, after, fid, old_parties, new_party):
    """The function's R moved from the old parties to the new one; every A is internal."""
    internal = {p.id for p in after.parties if p.kind == "internal"}
    for a in after.activities_of(fid):
        row = after.raci.get(a.id, {})
        for old in old_parties:
            assert "R" not in row.get(old, ""), (fid, a.id, old)
            if "R" in model.letters(a.id, old):
                assert "R" in row.get(new_party, ""), (fid, a.id, new_party)
        assert all(p in internal for p, v in row.items() if "A" in v), (fid, a.id)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_every_operation_on_every_sample(path):
    model = store.load(path)
    text = store.dumps(model)
    internal = {p.id for p in model.parties if p.kind == "internal"}
    external = [p.id for p in model.parties if p.kind == "external"]
    ran = {"insource": 0, "resource": 0, "terminate": 0}
    for f in model.functions:
        deliverers = [s.party for s in model.assignments if s.function == f.id]
        outside = [p for p in deliverers if p not in internal]
        if outside:
            r = insource(model, f.id, as_of=AS_OF)
            after = apply(model, r)
            store.loads(store.dumps(after), "scenario")  # a model that loads
            assert all(s.party in internal for s in after.assignments if s.function == f.id)
            _check_moved(model, after, f.id, outside, r.parameters.to)
            assert all(e.leave is None or e.leave >= AS_OF for e in r.exits)
            json.dumps(r.to_json())
            ran["insource"] += 1
        to = next(p for p in external if p not in deliverers)
        r = resource(model, f.id, to, as_of=AS_OF)
        after = apply(model, r)
        store.loads(store.dumps(after), "scenario")
        (new,) = [s for s in after.assignments if s.function == f.id and s.party == to]
        assert f.id in after.contract(new.contract).covers
        _check_moved(model, after, f.id, outside or deliverers, to)
        assert all(e.go_live is None or e.go_live >= e.ready for e in r.exits)
        json.dumps(r.to_json())
        ran["resource"] += 1
    for c in model.contracts:
        r = terminate(model, c.id, as_of=AS_OF)
        after = apply(model, r)
        store.loads(store.dumps(after), "scenario")
        assert c.id not in {k.id for k in after.contracts}
        assert all(s.contract != c.id for s in after.assignments)
        assert {e.function for e in r.exits} >= set(c.covers)
        assert r.contracts[0].status == "ends"
        json.dumps(r.to_json())
        ran["terminate"] += 1
    assert store.dumps(model) == text  # the model itself was never touched
    assert ran["resource"] == len(model.functions) and ran["terminate"] == len(model.contracts)


def test_insourcing_a_co_sourced_function_leaves_the_team_in_house():
    model = store.load(SAMPLES / "growing-department.ecomraci.json")
    r = insource(model, "online-marketing", as_of=AS_OF)
    after = apply(model, r)
    assert [(s.party, s.mode) for s in after.assignments if s.function == "online-marketing"] == [
        ("web-marketing", "in-house")
    ]
    (amend,) = r.contracts
    assert amend.status == "ends"  # the agency contract covered only this function


# --- terminate ---------------------------------------------------------------------------


def test_terminate_strands_the_dependencies_on_what_it_covered(estore):
    r = terminate(estore, "paynord-psp", as_of=AS_OF)
    (exit_,) = r.exits
    assert exit_.function == "payments" and exit_.ready is None and exit_.go_live is None
    assert "order-management->payments" in r.stranded
    at_risk = {s.function: s.reasons for s in r.at_risk}
    assert "nobody else delivers it" in at_risk["payments"]
    assert any("depends on “Payment processing” directly" in x for x in at_risk["order-management"])
    after = apply(estore, r)
    assert not [s for s in after.assignments if s.function == "payments"]
    assert not any("R" in after.letters(a.id, "paynord") for a in after.activities)
    appeared = {(f.rule, tuple(f.subjects)) for f in r.findings.appeared}
    assert any(rule == "RACI-02" for rule, _ in appeared)  # the work has nobody doing it
    # the clauses to settle on the way out are about exit, not about a partial exit
    assert all(c.rule not in ("SRC-01", "SRC-02") for c in r.contracts[0].clauses)


def test_terminate_follows_cross_termination():
    m = base_model()
    m.contracts[0].cross_termination = ["psp-contract"]
    r = terminate(m, "agency-contract", as_of=AS_OF)
    assert {e.function for e in r.exits} == {"online-marketing", "payments"}
    payments = next(s for s in r.at_risk if s.function == "payments")
    assert any("cross-termination" in x for x in payments.reasons)
    after = apply(m, r)
    assert after.contracts == []


# --- interfaces and the A --------------------------------------------------------------------


def test_a_dependency_newly_crossing_parties_gets_an_interface_activity():
    m = base_model()
    dep = next(d for d in m.dependencies if d.id == "online-marketing->web-store-it")
    dep.interface_activity = None
    r = insource(m, "online-marketing", as_of=AS_OF)
    (b,) = [x for x in r.boundaries if x.dependency == dep.id]
    assert b.interface_added and b.new_pairs == ["Marketing -> IT"]
    after = apply(m, r)
    aid = next(d for d in after.dependencies if d.id == dep.id).interface_activity
    assert aid is not None and after.activity(aid).kind == "interface"
    assert after.raci[aid] == {"mkt": "AR", "it": "C"}
    assert not [f for f in check(after, AS_OF, only=["DEP-02"]) if dep.id in f.subjects]


def test_an_a_held_outside_goes_to_the_internal_owner_on_a_move():
    m = base_model()
    m.raci["om-campaigns"] = {"agency": "AR", "ecom": "C"}
    r = resource(m, "online-marketing", "psp", contract="psp-contract", as_of=AS_OF)
    after = apply(m, r)
    assert after.raci["om-campaigns"] == {"psp": "R", "ecom": "C", "mkt": "A"}
    assert "online-marketing" in after.contract("psp-contract").covers
    # the agency contract covered nothing else: it ends
    assert [c.id for c in after.contracts] == ["psp-contract"]
    assert r.contracts[0].contract == "agency-contract" and r.contracts[0].status == "ends"


# --- bad input ------------------------------------------------------------------------------


def test_bad_ids_name_the_id_and_the_close_matches(estore):
    with pytest.raises(ScenarioError, match="no function 'online-marketting'.*online-marketing"):
        insource(estore, "online-marketting", as_of=AS_OF)
    with pytest.raises(ScenarioError, match="no party 'paynrd'.*paynord"):
        resource(estore, "online-marketing", "paynrd", as_of=AS_OF)
    with pytest.raises(ScenarioError, match="no contract 'pixelforge'.*pixelforge-msa"):
        terminate(estore, "pixelforge", as_of=AS_OF)
    with pytest.raises(ScenarioError, match="outside party"):
        insource(estore, "online-marketing", "pixelforge", as_of=AS_OF)
    with pytest.raises(ScenarioError, match="internal party"):
        resource(estore, "online-marketing", "it-team", as_of=AS_OF)
    with pytest.raises(ScenarioError, match="already delivers"):
        resource(estore, "online-marketing", "pixelforge", as_of=AS_OF)
    with pytest.raises(ScenarioError, match="is with “Paynord Payments”, not with “Nordlog"):
        resource(estore, "online-marketing", "nordlog", "paynord-psp", as_of=AS_OF)
    with pytest.raises(ScenarioError, match="nothing to take in-house"):
        insource(estore, "finance", as_of=AS_OF)


@pytest.mark.parametrize(
    "args, needle, names_file",
    [
        (["--insource", "online-marketting"], "did you mean online-marketing?", True),
        (["--terminate", "nope"], "there is no contract 'nope'", True),
        (["--resource", "online-marketing"], "--resource needs --to PARTY", False),
        (
            ["--terminate", "pixelforge-msa", "--to", "it-team"],
            "--to does not go with --terminate",
            False,
        ),
        (
            ["--insource", "online-marketing", "--contract", "paynord-psp"],
            "--contract goes with",
            False,
        ),
    ],
)
def test_simulate_bad_input_exits_2_with_a_message(capsys, args, needle, names_file):
    code, out, err = main(capsys, "simulate", str(ESTORE), "--as-of", "2026-12-01", *args)
    assert code == 2 and out == ""
    assert needle in err and "Traceback" not in err
    assert (str(ESTORE) in err) == names_file


# --- saving, applying, undoing --------------------------------------------------------------


def test_apply_then_undo_restores_the_model_exactly(estore, marketing_in_house):
    model = estore.model_copy(deep=True)
    before = store.dumps(model)
    snapshot = model.model_copy(deep=True)  # what the app's undo step keeps
    for edit in marketing_in_house.edits:  # the app applies the list in place, as one step
        apply_edit_in_place(model, edit)
    assert model == apply(estore, marketing_in_house)
    assert store.dumps(model) != before
    model = snapshot  # undo
    assert model == estore and store.dumps(model) == before


def test_saved_scenario_round_trips_and_applies_the_same(tmp_path, estore, marketing_in_house):
    model = estore.model_copy(deep=True)
    assert "scenarios" not in store.dumps(model)  # files without scenarios are unchanged
    add_scenario(model, marketing_in_house.to_scenario("Marketing in-house"))
    with pytest.raises(ScenarioError, match="already has a scenario named"):
        add_scenario(model, marketing_in_house.to_scenario("Marketing in-house"))
    path = tmp_path / "m.ecomraci.json"
    store.save(model, path)
    loaded = store.load(path)
    saved = find_scenario(loaded, "Marketing in-house")
    assert isinstance(saved, Scenario) and saved.operation == "insource"
    assert saved.parameters.function == "online-marketing" and saved.as_of == AS_OF
    expected = apply(estore, marketing_in_house)
    assert apply(loaded, saved).model_copy(update={"scenarios": []}) == expected
    # re-evaluated from its parameters it gives the same edits
    again = run(loaded, saved.operation, saved.parameters, as_of=saved.as_of)
    assert again.edits == saved.edits
    with pytest.raises(ScenarioError, match="no scenario 'Marketing'"):
        find_scenario(loaded, "Marketing")


def test_simulate_save_as_stores_the_scenario_in_the_file(tmp_path, capsys):
    path = tmp_path / "estore.ecomraci.json"
    shutil.copy(ESTORE, path)
    args = [
        "simulate",
        str(path),
        "--resource",
        "online-marketing",
        "--to",
        "nordlog",
        "--as-of",
        "2026-12-01",
        "--save-as",
        "Marketing to Nordlog",
    ]
    code, out, err = main(capsys, *args)
    assert code == 0, err
    assert "Saved as scenario 'Marketing to Nordlog'" in out
    model = store.load(path)
    (s,) = model.scenarios
    assert (s.name, s.operation, s.parameters.to) == ("Marketing to Nordlog", "resource", "nordlog")
    assert s.created is not None and s.edits
    assert store.backup_path(path).read_bytes() == ESTORE.read_bytes()
    text = path.read_text(encoding="utf-8")
    code, out, err = main(capsys, *args)
    assert code == 2 and "already has a scenario named 'Marketing to Nordlog'" in err
    assert path.read_text(encoding="utf-8") == text
    # the saved scenario applied is what the command simulated
    after = apply_edits(model, s.edits)
    nordlog = next(
        c for c in after.contracts if c.party == "nordlog" and "online-marketing" in c.covers
    )
    assert nordlog.start == date(2027, 6, 1)  # the new contract starts at the go-live


def test_transition_shorter_than_the_lead_time_reports_the_gap():
    m = base_model()
    m.functions[2].lead_time_months = 9  # online marketing
    m.contracts[0].transition_assistance = TransitionAssistance(months=1)
    r = resource(m, "online-marketing", "psp", as_of=AS_OF)
    (e,) = r.exits
    assert e.leave == date(2027, 3, 1)  # its insourcing right, 3 months' notice
    assert e.ready == date(2027, 9, 1) and e.go_live == date(2027, 9, 1)
    assert e.transition_until == date(2027, 4, 1)
    assert "leaves a gap until 2027-09-01" in e.go_live_reason


def test_the_documented_scenario_applies_to_the_documented_example():
    doc = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    section = doc.split("### `scenarios`")[1]
    block = section.split("```json")[1].split("```")[0]
    data = json.loads(store.dumps(store.load(ROOT / "tests/core/data/handwritten.ecomraci.json")))
    data["scenarios"] = json.loads("{" + block + "}")["scenarios"]
    model = store.loads(json.dumps(data), "file-format.md")
    (s,) = model.scenarios
    after = apply(model, s)
    assert [(a.party, a.mode) for a in after.assignments if a.function == "online-marketing"] == [
        ("marketing", "in-house")
    ]
    assert after.raci["search"] == {"marketing": "AR"}


def test_two_scenarios_side_by_side(estore, marketing_in_house):
    from ecomraci.diff import compare

    to_nordlog = resource(estore, "online-marketing", "nordlog", as_of=AS_OF)
    d = compare(apply(estore, marketing_in_house), apply(estore, to_nordlog), AS_OF)
    cells = {(r.activity, r.party): (r.before, r.after) for r in d.raci}
    assert cells[("om-search", "marketing-dept")] == ("AR", "A")
    assert cells[("om-search", "nordlog")] == ("", "R")
    keys = d.changed_keys()
    assert {
        "online-marketing@marketing-dept",
        "online-marketing@nordlog",
        "om-search/nordlog",
    } <= keys
    assert [c.key for c in d.contracts if c.status == "added"] == ["nordlog-online-marketing"]
    # only the new contract's findings tell them apart
    assert {f.subjects[0] for f in d.findings.appeared if f.rule == "SRC-06"} == {
        "nordlog-online-marketing"
    }
    # one against the current model is the scenario's own diff
    mine = compare(estore, apply(estore, marketing_in_house), AS_OF)
    assert mine.raci == marketing_in_house.raci
    assert mine.findings == marketing_in_house.findings


def test_a_saved_scenario_that_no_longer_fits_says_so(estore, marketing_in_house):
    saved = marketing_in_house.to_scenario("Marketing in-house")
    changed = estore.model_copy(deep=True)
    changed.assignments = [s for s in changed.assignments if s.function != "online-marketing"]
    with pytest.raises(ScenarioError, match="'Marketing in-house' no longer fits the model"):
        apply(changed, saved)
    gone = estore.model_copy(deep=True)
    gone.activities = [a for a in gone.activities if a.id != "om-search"]
    del gone.raci["om-search"]
    with pytest.raises(ScenarioError, match="no longer fits the model.*om-search"):
        apply(gone, saved)
