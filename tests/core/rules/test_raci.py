"""RACI-01 .. RACI-07 on small variants of the well-run model in `tests.core.kit`.

Each rule: the well-run model has no finding; a variant changing one or two cells
triggers it with exact subjects; the fix's edits (or a corrected variant) clear it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecomraci.edits import SetRaci, apply_edits
from ecomraci.model import Activity, Assignment, Function, Party, Settings
from ecomraci.rules import RULES
from tests.core.kit import base_model, findings, subjects

RACI_RULES = [f"RACI-0{i}" for i in range(1, 8)]
DOCS = Path(__file__).resolve().parents[3] / "ecomraci" / "rules" / "doc" / "raci.md"


def variant(**rows):
    """The well-run model with some RACI rows replaced (activity id -> row)."""
    model = base_model()
    for activity_id, row in rows.items():
        model.raci[activity_id.replace("_", "-")] = dict(row)
    return model


def only(model, rule_id):
    found = findings(model, rule_id)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def fixed(model, finding):
    assert finding.edits, "expected a machine-applicable fix"
    return apply_edits(model, finding.edits)


def cells(finding):
    return {(e.activity, e.party): e.letters for e in finding.edits if isinstance(e, SetRaci)}


def add_orphan_function(model, row):
    """A function delivered by the agency, with one activity and no internal party."""
    model.functions.append(Function(id="affiliates", name="Affiliate programme"))
    model.activities.append(Activity(id="aff-run", name="Run affiliates", function="affiliates"))
    model.assignments.append(Assignment(function="affiliates", party="agency", mode="outsourced"))
    if row:
        model.raci["aff-run"] = dict(row)
    return model


@pytest.mark.parametrize("rule_id", RACI_RULES)
def test_well_run_model_has_no_raci_findings(rule_id):
    assert findings(base_model(), rule_id) == []


# --- RACI-01 --------------------------------------------------------------------------


def test_raci01_missing_accountable_and_fix():
    model = variant(sm_strategy={"ecom": "R", "mkt": "C", "it": "I"})
    f = only(model, "RACI-01")
    assert f.subjects == ["sm-strategy"] and f.severity == "error"
    assert "no Accountable" in f.message
    assert cells(f) == {("sm-strategy", "ecom"): "AR"}
    assert findings(fixed(model, f), "RACI-01") == []


def test_raci01_two_accountables_and_fix():
    model = variant(it_release={"it": "AR", "ecom": "A", "mkt": "I"})
    f = only(model, "RACI-01")
    assert set(f.subjects) == {"it-release", "it", "ecom"}
    assert f.subjects[0] == "it-release"
    # IT owns web store IT and keeps the A; the e-commerce team stays in the loop as C.
    assert cells(f) == {("it-release", "ecom"): "C"}
    after = fixed(model, f)
    assert findings(after, "RACI-01") == []
    assert after.raci["it-release"] == {"it": "AR", "ecom": "C", "mkt": "I"}


def test_raci01_second_accountable_keeps_its_other_letters():
    model = variant(it_release={"it": "A", "ecom": "AR", "mkt": "I"})
    f = only(model, "RACI-01")
    assert cells(f) == {("it-release", "ecom"): "R"}
    assert findings(fixed(model, f), "RACI-01") == []


def test_raci01_without_internal_owner_has_no_edits():
    model = add_orphan_function(base_model(), {"agency": "R"})
    f = only(model, "RACI-01")
    assert f.subjects == ["aff-run"]
    assert f.edits == []


# --- RACI-02 --------------------------------------------------------------------------


def test_raci02_missing_responsible_and_fix():
    model = variant(it_run={"it": "A", "ecom": "I"})
    f = only(model, "RACI-02")
    assert f.subjects == ["it-run"] and f.severity == "error"
    assert cells(f) == {("it-run", "it"): "AR"}
    assert "A/R" in f.fix
    assert findings(fixed(model, f), "RACI-02") == []


def test_raci02_accountable_marked_ar_counts_as_responsible():
    model = variant(it_run={"it": "AR"}, sm_strategy={"ecom": "AR"})
    assert findings(model, "RACI-02") == []
    # ... but an A alone does not.
    assert subjects(variant(it_run={"it": "A"}), "RACI-02") == [{"it-run"}]


def test_raci02_does_not_make_a_supplier_manage_itself():
    # Payments is delivered by PayFast, but managing PayFast is internal work.
    model = variant(pay_provider={"fin": "A", "ecom": "I"})
    f = only(model, "RACI-02")
    assert cells(f) == {("pay-provider", "fin"): "AR"}
    assert findings(fixed(model, f), "RACI-02") == []


def test_raci02_fix_on_control_activity_keeps_duties_separate():
    model = variant(pay_config={"fin": "A", "psp": "C"})
    f = only(model, "RACI-02")
    assert cells(f) == {("pay-config", "psp"): "RC"}  # PayFast does the work, Finance signs
    after = fixed(model, f)
    assert findings(after, "RACI-02") == []
    assert findings(after, "RACI-03") == []


def test_raci02_nobody_to_propose_has_no_edits():
    model = add_orphan_function(base_model(), None)
    model.assignments = [s for s in model.assignments if s.function != "affiliates"]
    assert subjects(model, "RACI-02") == [{"aff-run"}]
    assert findings(model, "RACI-02")[0].edits == []


# --- RACI-03 --------------------------------------------------------------------------


def test_raci03_control_with_ar_gets_an_internal_doer():
    # Finance configures payment methods and signs them off; IT is consulted.
    model = variant(pay_config={"fin": "AR", "it": "C", "psp": "C"})
    f = only(model, "RACI-03")
    assert f.subjects == ["pay-config", "fin"] and f.severity == "warning"
    assert cells(f) == {("pay-config", "it"): "R", ("pay-config", "fin"): "A"}
    after = fixed(model, f)
    for rule_id in ("RACI-01", "RACI-02", "RACI-03"):
        assert findings(after, rule_id) == []


def test_raci03_deliverer_keeps_the_work_and_gets_an_approver():
    model = variant(it_release={"it": "AR", "ecom": "C", "mkt": "I"})
    model.activity("it-release").kind = "control"
    f = only(model, "RACI-03")
    assert f.subjects == ["it-release", "it"]
    assert cells(f) == {("it-release", "ecom"): "A", ("it-release", "it"): "R"}
    after = fixed(model, f)
    for rule_id in ("RACI-01", "RACI-02", "RACI-03"):
        assert findings(after, rule_id) == []


def test_raci03_another_doer_already_there():
    model = variant(pay_config={"fin": "AR", "it": "R", "psp": "C"})
    f = only(model, "RACI-03")
    assert f.subjects == ["pay-config", "fin"]
    assert cells(f) == {("pay-config", "fin"): "A"}
    assert findings(fixed(model, f), "RACI-03") == []


def test_raci03_verifier_is_a_second_pair_of_eyes():
    assert findings(variant(pay_config={"fin": "AR", "it": "V"}), "RACI-03") == []


def test_raci03_only_control_activities():
    # A/R on a run activity is normal (the well-run model is full of it).
    model = variant(pay_config={"fin": "AR", "psp": "C"})
    model.activity("pay-config").kind = "run"
    assert findings(model, "RACI-03") == []


def test_raci03_no_candidate_means_no_edits():
    model = variant(pay_config={"fin": "AR"}, pay_provider={"fin": "AR"})
    f = only(model, "RACI-03")
    assert f.subjects == ["pay-config", "fin"]
    assert f.edits == []
    assert "second internal party" in f.fix


# --- RACI-04 --------------------------------------------------------------------------


def test_raci04_too_many_consulted():
    # Six parties: C may be at most max(3, 30% of 6) = 3.
    four = {"ecom": "AR", "mkt": "C", "it": "C", "fin": "C", "agency": "C"}
    f = only(variant(sm_strategy=four), "RACI-04")
    assert f.subjects == ["sm-strategy"] and f.severity == "warning"
    assert "4 Consulted" in f.message
    three = dict(four, agency="I")
    assert findings(variant(sm_strategy=three), "RACI-04") == []


def test_raci04_too_many_informed():
    # Six parties: I may be at most 50% of 6 = 3.
    four = {"it": "AR", "ecom": "I", "mkt": "I", "fin": "I", "agency": "I"}
    f = only(variant(it_run=four), "RACI-04")
    assert f.subjects == ["it-run"]
    assert "4 Informed" in f.message
    assert findings(variant(it_run=dict(four, agency="C")), "RACI-04") == []


def test_raci04_consulted_share_applies_with_many_parties():
    model = base_model()
    for k in range(10):  # 16 parties: C may be up to 30% of 16 = 4.8
        model.parties.append(Party(id=f"team{k}", name=f"Team {k}", kind="internal"))
    row = {"ecom": "AR", "mkt": "C", "it": "C", "fin": "C", "team0": "C"}
    model.raci["sm-strategy"] = dict(row)
    assert findings(model, "RACI-04") == []
    model.raci["sm-strategy"] = dict(row, team1="C")
    assert subjects(model, "RACI-04") == [{"sm-strategy"}]


def test_raci04_thresholds_come_from_settings():
    model = variant(sm_strategy={"ecom": "AR", "mkt": "C", "it": "C", "fin": "C", "agency": "C"})
    model.settings = Settings(raci04_consulted_min=4)
    assert findings(model, "RACI-04") == []


# --- RACI-05 --------------------------------------------------------------------------


def test_raci05_share_of_activities():
    # The e-commerce team signs off 5 of 8 activities (62%).
    model = variant(
        it_run={"ecom": "A", "it": "R"},
        it_release={"ecom": "A", "it": "R", "mkt": "I"},
        pay_provider={"ecom": "A", "fin": "R"},
    )
    f = only(model, "RACI-05")
    assert f.subjects == ["ecom"] and f.severity == "warning"
    assert "5 of 8" in f.message and "40%" in f.message
    assert "“IT”" in f.fix  # it names an activity to hand to the team doing it
    corrected = variant(it_release={"ecom": "A", "it": "R", "mkt": "I"})  # 3 of 8
    assert findings(corrected, "RACI-05") == []


def test_raci05_share_needs_more_than_half_the_absolute_limit():
    # Four activities, the e-commerce team A on all of them: a large share, but four
    # sign-offs are no load. Documented choice: the share test needs more than 8 // 2.
    model = base_model()
    keep = {"sm-strategy", "sm-suppliers", "it-run", "om-campaigns"}
    model.activities = [a for a in model.activities if a.id in keep]
    model.dependencies = []
    model.raci = {
        "sm-strategy": {"ecom": "AR"},
        "sm-suppliers": {"ecom": "AR"},
        "it-run": {"ecom": "A", "it": "R"},
        "om-campaigns": {"ecom": "A", "agency": "R"},
    }
    assert findings(model, "RACI-05") == []


def _many_activities():
    """23 activities; the e-commerce team A on 9 (39%); IT, marketing and finance on 2
    each, and eight small internal teams on one each."""
    model = base_model()
    for k in range(8):
        model.parties.append(
            Party(id=f"team-{k}", name=f"Team {k}", kind="internal", category="other")
        )
    for k in range(15):
        aid = f"sm-extra-{k}"
        model.activities.append(Activity(id=aid, name=f"Extra {k}", function="shop-management"))
        if k < 7:
            model.raci[aid] = {"ecom": "A", "mkt": "R"}
        else:
            model.raci[aid] = {f"team-{k - 7}": "A", "ecom": "R"}
    return model


def test_raci05_far_above_the_other_internal_teams():
    model = _many_activities()
    f = only(model, "RACI-05")
    assert f.subjects == ["ecom"]
    assert "9 of 23" in f.message and "3 times the 1 " in f.message
    # Below the load floor (raci05_accountable_max), or within the peer factor: no finding.
    model.settings = Settings(raci05_accountable_max=9)
    assert findings(model, "RACI-05") == []
    model.settings = Settings(raci05_peer_factor=10)
    assert findings(model, "RACI-05") == []


def test_raci05_settings_files_without_the_peer_factor_still_load():
    # A settings block written before the peer factor existed keeps its meaning for the
    # two older settings and takes the default factor.
    settings = Settings.model_validate({"raci05_accountable_max": 12})
    assert settings.raci05_accountable_max == 12 and settings.raci05_peer_factor == 3.0


# --- RACI-06 --------------------------------------------------------------------------


def test_raci06_party_with_no_letter():
    model = base_model()
    model.parties.append(Party(id="legal", name="Legal", kind="internal", category="legal"))
    f = only(model, "RACI-06")
    assert f.subjects == ["legal"] and f.severity == "info"
    assert "no letter" in f.message
    model.raci["sm-suppliers"]["legal"] = "C"
    assert findings(model, "RACI-06") == []


def test_raci06_party_only_informed():
    model = base_model()
    model.parties.append(Party(id="cs", name="Customer service", kind="internal"))
    model.raci["it-run"]["cs"] = "I"
    model.raci["sm-strategy"]["cs"] = "I"
    f = only(model, "RACI-06")
    assert f.subjects == ["cs"]
    assert "only ever Informed (2 activities)" in f.message
    model.raci["sm-strategy"]["cs"] = "CI"
    assert findings(model, "RACI-06") == []


def test_raci06_deliverer_without_letters_is_told_to_take_its_r():
    model = variant(pay_config={"fin": "A", "it": "R"})
    f = only(model, "RACI-06")
    assert f.subjects == ["psp"]
    assert "delivers “Payments”" in f.fix


def test_raci06_silent_on_a_model_without_activities():
    model = base_model()
    model.activities, model.raci, model.dependencies = [], {}, []
    assert findings(model, "RACI-06") == []


# --- RACI-07 --------------------------------------------------------------------------


def test_raci07_external_accountable_and_fix():
    model = variant(om_campaigns={"agency": "AR", "ecom": "C"})
    f = only(model, "RACI-07")
    assert f.subjects == ["om-campaigns", "agency"] and f.severity == "error"
    # Marketing owns online marketing (it is A on the tags); the agency keeps the work.
    assert cells(f) == {("om-campaigns", "agency"): "R", ("om-campaigns", "mkt"): "A"}
    after = fixed(model, f)
    for rule_id in ("RACI-01", "RACI-02", "RACI-07"):
        assert findings(after, rule_id) == []


def test_raci07_alongside_an_internal_accountable():
    model = variant(om_campaigns={"mkt": "A", "agency": "A", "ecom": "C"})
    f = only(model, "RACI-07")
    assert f.subjects == ["om-campaigns", "agency"]
    after = fixed(model, f)
    for rule_id in ("RACI-01", "RACI-02", "RACI-07"):
        assert findings(after, rule_id) == []


def test_raci07_fix_on_control_activity_keeps_duties_separate():
    model = variant(pay_config={"psp": "A", "fin": "R", "it": "C"})
    f = only(model, "RACI-07")
    assert f.subjects == ["pay-config", "psp"]
    assert cells(f) == {("pay-config", "psp"): "R", ("pay-config", "fin"): "A"}
    after = fixed(model, f)
    for rule_id in ("RACI-01", "RACI-02", "RACI-03", "RACI-07"):
        assert findings(after, rule_id) == []


def test_raci07_without_internal_owner_has_no_edits():
    model = add_orphan_function(base_model(), {"agency": "AR"})
    f = only(model, "RACI-07")
    assert f.subjects == ["aff-run", "agency"]
    assert f.edits == []


# --- registry and docs ------------------------------------------------------------------


def test_registry_severities_match_the_catalog():
    expected = {
        "RACI-01": "error",
        "RACI-02": "error",
        "RACI-03": "warning",
        "RACI-04": "warning",
        "RACI-05": "warning",
        "RACI-06": "info",
        "RACI-07": "error",
    }
    assert {r: RULES[r].severity for r in RACI_RULES} == expected


def test_docs_fragment_has_a_section_per_rule():
    headings = re.findall(r"^## (.+)$", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings == [f"{r} ({RULES[r].severity}): {RULES[r].title}" for r in RACI_RULES]
