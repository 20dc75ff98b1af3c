"""GOV-01 .. GOV-06: organisation and governance rules on variants of the well-run model."""

from __future__ import annotations

import pytest

from ecomraci.catalog import new_model
from ecomraci.edits import AddForum, SetField, SetKeyAccountability, SetRaci, apply_edits
from ecomraci.model import Activity, Assignment, Dependency, ExitPlan, Function, Party
from ecomraci.operations import remove
from tests.core.kit import base_model, findings, good_contract, subjects


def _fix(model, rule_id):
    """The model with the edits of every finding of `rule_id` applied."""
    edits = [e for f in findings(model, rule_id) for e in f.edits]
    assert edits, f"{rule_id} offers no edits"
    return apply_edits(model, edits)


# --- GOV-01 ------------------------------------------------------------------------------


def test_gov01_clean_on_base_model():
    assert findings(base_model(), "GOV-01") == []


def test_gov01_supplier_activity_without_internal_accountable():
    m = base_model()
    m.raci["pay-provider"] = {"psp": "AR", "fin": "C"}
    assert subjects(m, "GOV-01") == [{"psp", "pay-provider"}]
    (f,) = findings(m, "GOV-01")
    assert f.severity == "warning"
    assert "PayFast" in f.message and "Manage the payment provider" in f.message
    # The edit makes the function's owner (Finance) A and keeps the provider as R.
    assert SetRaci(activity="pay-provider", party="fin", letters="AC") in f.edits
    assert SetRaci(activity="pay-provider", party="psp", letters="R") in f.edits
    assert findings(_fix(m, "GOV-01"), "GOV-01") == []


def test_gov01_falls_back_to_shop_management_supplier_activity():
    # Online marketing has no supplier-management activity of its own: the agency is owned
    # through shop management's "Manage suppliers"; without an internal A there, it is not.
    m = base_model()
    m.raci["sm-suppliers"] = {"ecom": "R", "fin": "C"}
    assert subjects(m, "GOV-01") == [{"agency", "sm-suppliers"}]
    (f,) = findings(m, "GOV-01")
    assert f.edits == [SetRaci(activity="sm-suppliers", party="ecom", letters="AR")]
    assert findings(_fix(m, "GOV-01"), "GOV-01") == []


def test_gov01_no_supplier_management_activity_at_all():
    m = base_model()
    m.activities = [a for a in m.activities if a.id != "sm-suppliers"]
    del m.raci["sm-suppliers"]
    (f,) = findings(m, "GOV-01")
    assert f.subjects == ["agency"]
    assert "no supplier-management activity" in f.message and f.edits == []
    # Corrected: online marketing gets its own supplier activity with Marketing as A.
    m.activities.append(
        Activity(
            id="om-agency",
            name="Manage the agency",
            function="online-marketing",
            kind="supplier-management",
        )
    )
    m.raci["om-agency"] = {"mkt": "A", "agency": "R"}
    assert findings(m, "GOV-01") == []


def test_gov01_ignores_parties_that_deliver_nothing():
    m = base_model()
    m.parties.append(
        Party(id="spare", name="Spare freelancer", kind="external", category="freelancer")
    )
    m.activities = [a for a in m.activities if a.id != "sm-suppliers"]
    del m.raci["sm-suppliers"]
    assert subjects(m, "GOV-01") == [{"agency"}]


# --- GOV-02 ------------------------------------------------------------------------------


def test_gov02_clean_on_base_model():
    assert findings(base_model(), "GOV-02") == []


def test_gov02_coupled_pair_without_forum():
    m = base_model()
    m.forums[0].members.remove("psp")  # payments (PayFast) needs web store IT (IT)
    (f,) = findings(m, "GOV-02")
    assert f.subjects == ["it", "psp"]
    assert "“IT” and “PayFast” share no forum" in f.message
    (edit,) = f.edits
    assert isinstance(edit, AddForum)
    assert edit.forum.id == "forum-it-psp"
    assert edit.forum.cadence_days == 30 and edit.forum.members == ["it", "psp"]
    assert findings(_fix(m, "GOV-02"), "GOV-02") == []


def test_gov02_reports_each_pair_once():
    m = base_model()
    # A second dependency between the agency and IT, the other way round.
    m.dependencies.append(Dependency(function="web-store-it", needs="online-marketing"))
    m.forums[0].members = ["ecom", "it", "mkt", "fin", "psp"]  # the agency sits in no forum
    found = findings(m, "GOV-02")
    assert [set(f.subjects) for f in found] == [{"agency", "ecom", "it"}]
    assert found[0].subjects[0] == "agency"  # the hub comes first
    assert findings(_fix(m, "GOV-02"), "GOV-02") == []


def test_gov02_groups_pairs_by_hub_party():
    m = base_model()
    m.forums[0].members = ["ecom", "mkt", "fin"]
    # Uncovered pairs: agency-IT, PayFast-IT, e-commerce-agency. Each is reported once.
    assert sorted(subjects(m, "GOV-02"), key=len) == [{"ecom", "agency"}, {"it", "agency", "psp"}]
    pairs = set()
    for f in findings(m, "GOV-02"):
        hub, *others = f.subjects
        for o in others:
            pair = frozenset((hub, o))
            assert pair not in pairs
            pairs.add(pair)
    assert pairs == {frozenset(p) for p in (("agency", "it"), ("psp", "it"), ("ecom", "agency"))}
    assert findings(_fix(m, "GOV-02"), "GOV-02") == []


def test_gov02_forum_of_sales_marketing_it_meets_too_rarely():
    m = base_model()
    m.forums[0].cadence_days = 90
    (f,) = findings(m, "GOV-02")
    assert f.subjects == ["alignment", "ecom", "it", "mkt", "fin", "agency", "psp"]
    assert f.edits == [SetField(target="forum", id="alignment", field="cadence_days", value=30)]
    assert findings(_fix(m, "GOV-02"), "GOV-02") == []


def test_gov02_cadence_threshold_is_a_setting():
    m = base_model()
    m.settings.gov02_max_cadence_days = 14
    (f,) = findings(m, "GOV-02")
    assert f.edits == [SetField(target="forum", id="alignment", field="cadence_days", value=14)]
    assert findings(_fix(m, "GOV-02"), "GOV-02") == []


def test_gov02_rare_forum_without_it_is_fine():
    m = base_model()
    m.forums[0].cadence_days = 90
    m.forums[0].members.remove("it")
    m.forums.append(
        m.forums[0].model_copy(
            update={
                "id": "tech",
                "name": "Tech sync",
                "cadence_days": 14,
                "members": ["it", "agency", "psp"],
            }
        )
    )
    assert findings(m, "GOV-02") == []


def catalog_with_providers(weak_payment_lookup: bool):
    """A catalog model whose payments are bought from a PSP and customer service from a
    contact centre. Each provider meets the in-house teams monthly in a forum of its own;
    the two never meet. The only dependency between them is customer service looking up
    payment status, `weak` or the catalog's default (medium)."""
    from ecomraci.model import Assignment, Forum, Party

    m = new_model("commerce", "Hallberg Living")
    m.parties += [
        Party(id="paynord", name="Paynord Payments", kind="external", category="payment-provider"),
        Party(id="callnord", name="Callnord Contact", kind="external", category="contact-centre"),
    ]
    outside = {"payments": "paynord", "customer-service": "callnord"}
    m.assignments = [s for s in m.assignments if s.function not in outside] + [
        Assignment(function=f, party=p, mode="outsourced") for f, p in outside.items()
    ]
    teams = list(m.forums[0].members)
    m.forums = [
        Forum(
            id="payments-review",
            name="Payments review",
            cadence_days=30,
            members=[*teams, "paynord"],
        ),
        Forum(
            id="service-review",
            name="Service review",
            cadence_days=30,
            members=[*teams, "callnord"],
        ),
    ]
    (lookup,) = [
        d for d in m.dependencies if (d.function, d.needs) == ("customer-service", "payments")
    ]
    if weak_payment_lookup:
        lookup.strength = "weak"
    return m


def test_gov02_dependency_between_providers_that_never_meet_on_a_catalog_model():
    m = catalog_with_providers(weak_payment_lookup=False)
    (f,) = findings(m, "GOV-02")
    assert set(f.subjects) == {"paynord", "callnord"}
    assert "(“Customer service” needs “Payment processing”)" in f.message


def test_gov02_weak_dependency_needs_no_forum_on_a_catalog_model():
    # An occasional look-up of payment status does not call for a standing meeting of
    # the PSP and the contact centre (as DEP-04 and SRC-02 weigh only strong couplings).
    assert findings(catalog_with_providers(weak_payment_lookup=True), "GOV-02") == []


def test_gov02_rare_steering_group_is_fine_when_a_monthly_forum_aligns_the_same_teams():
    # The catalog's alignment forum becomes a six-weekly steering group of every team;
    # a weekly e-commerce stand-up brings e-commerce, marketing and IT together anyway.
    from ecomraci.model import Forum

    m = new_model("commerce", "Hallberg Living")
    m.forums[0].cadence_days = 42
    assert [set(f.subjects) for f in findings(m, "GOV-02")] == [
        {"ecommerce-alignment", *m.forums[0].members}
    ]
    m.forums.append(
        Forum(
            id="stand-up",
            name="E-commerce stand-up",
            cadence_days=7,
            members=["ecommerce-team", "marketing", "it"],
        )
    )
    assert findings(m, "GOV-02") == []
    # without IT in the stand-up, sales, marketing and IT meet only every six weeks
    m.forums[1].members.remove("it")
    (f,) = findings(m, "GOV-02")
    assert f.subjects[0] == "ecommerce-alignment" and "every 42 days" in f.message


# --- GOV-03 ------------------------------------------------------------------------------


def test_gov03_clean_on_base_model():
    assert findings(base_model(), "GOV-03") == []


def test_gov03_key_accountability_without_owner():
    m = base_model()
    del m.key_accountabilities["online-revenue"]
    (f,) = findings(m, "GOV-03")
    assert f.subjects == ["online-revenue"]
    assert f.message == "Nobody is accountable for online revenue."
    assert f.edits == [SetKeyAccountability(key="online-revenue", parties=["ecom"])]
    assert findings(_fix(m, "GOV-03"), "GOV-03") == []


def test_gov03_key_accountability_with_two_owners():
    m = base_model()
    m.key_accountabilities["omnichannel-consistency"] = ["mkt", "it"]
    assert subjects(m, "GOV-03") == [{"omnichannel-consistency", "mkt", "it"}]
    assert findings(_fix(m, "GOV-03"), "GOV-03") == []


def test_gov03_proposes_a_listed_internal_party_without_ecommerce_team():
    m = base_model()
    m.parties[0] = m.parties[0].model_copy(update={"category": "management"})
    m.key_accountabilities["omnichannel-consistency"] = ["mkt", "it"]
    m.key_accountabilities["customer-experience"] = []
    found = {f.subjects[0]: f for f in findings(m, "GOV-03")}
    assert set(found) == {"omnichannel-consistency", "customer-experience"}
    assert found["omnichannel-consistency"].edits == [
        SetKeyAccountability(key="omnichannel-consistency", parties=["mkt"])
    ]
    assert found["customer-experience"].edits == []


# --- GOV-04 ------------------------------------------------------------------------------


def _shop_by_agency(**contract):
    m = base_model()
    m.assignments[0] = Assignment(
        function="shop-management", party="agency", mode="outsourced", contract="agency-contract"
    )
    m.contracts[0] = good_contract(covers=["online-marketing", "shop-management"], **contract)
    return m


def test_gov04_clean_on_base_model():
    assert findings(base_model(), "GOV-04") == []


def test_gov04_shop_management_outside_without_insourcing_right():
    m = _shop_by_agency()
    (f,) = findings(m, "GOV-04")
    assert f.subjects == ["shop-management", "agency", "agency-contract"]
    assert "no insourcing right" in f.message and "exit plan" not in f.message
    assert findings(_fix(m, "GOV-04"), "GOV-04") == []


def test_gov04_without_insourcing_right_or_exit_plan():
    m = _shop_by_agency(exit_plan=ExitPlan())
    (f,) = findings(m, "GOV-04")
    assert "no insourcing right and no exit plan" in f.message
    assert len(f.edits) == 2
    fixed = _fix(m, "GOV-04")
    assert fixed.contract("agency-contract").exit_plan.exists
    assert findings(fixed, "GOV-04") == []


def test_gov04_agreed_hand_over_is_fine():
    m = _shop_by_agency(insourcing_rights=["online-marketing", "shop-management"])
    assert findings(m, "GOV-04") == []


def test_gov04_without_contract_and_by_name():
    m = base_model()
    m.functions.append(
        Function(id="shop-mgmt-2", name="Marketplace shop management", criticality="important")
    )
    m.assignments.append(Assignment(function="shop-mgmt-2", party="agency", mode="outsourced"))
    (f,) = findings(m, "GOV-04")
    assert f.subjects == ["shop-mgmt-2", "agency"]
    assert f.edits == []
    m.contracts[0] = good_contract(
        covers=["online-marketing", "shop-mgmt-2"],
        insourcing_rights=["online-marketing", "shop-mgmt-2"],
    )
    assert findings(m, "GOV-04") == []


# --- GOV-05 ------------------------------------------------------------------------------


def test_gov05_clean_on_base_model():
    # IT is R on 3 of the 6 critical activities: exactly half is still fine.
    assert findings(base_model(), "GOV-05") == []


def test_gov05_one_team_does_most_critical_work():
    m = base_model()
    m.raci["sm-strategy"] = {"ecom": "A", "it": "R", "mkt": "C"}
    (f,) = findings(m, "GOV-05")
    assert f.subjects == ["it"]
    assert "4 of the 6 critical activities" in f.message
    # Corrected: the e-commerce team does its strategy work itself again.
    m.raci["sm-strategy"] = {"ecom": "AR", "it": "C", "mkt": "C"}
    assert findings(m, "GOV-05") == []


def test_gov05_share_is_a_setting():
    m = base_model()
    m.settings.gov05_responsible_share = 0.4
    assert subjects(m, "GOV-05") == [{"it"}]


def test_gov05_needs_four_critical_activities_and_ignores_outside_parties():
    m = base_model()
    for f in m.functions:
        if f.id in ("web-store-it", "payments"):
            f.criticality = "important"
    m.raci["sm-strategy"] = {"ecom": "A", "it": "R"}
    m.raci["sm-suppliers"] = {"ecom": "A", "it": "R"}
    assert findings(m, "GOV-05") == []  # 2 critical activities only
    m = base_model()
    for aid in ("sm-strategy", "sm-suppliers", "it-run", "it-release"):
        m.raci[aid] = {**m.raci[aid], "agency": "R"}
    assert findings(m, "GOV-05") == []


# --- GOV-06 ------------------------------------------------------------------------------


def test_gov06_clean_on_base_model():
    assert findings(base_model(), "GOV-06") == []


def test_gov06_large_online_share_without_formal_unit():
    for placement in ("no-formal-unit", "committee"):
        m = base_model()
        m.organisation.placement = placement
        (f,) = findings(m, "GOV-06")
        assert f.subjects == ["organisation.placement"] and f.severity == "info"
        assert "25%" in f.message
        m.organisation.online_share_percent = 20  # not over the threshold
        assert findings(m, "GOV-06") == []


def test_gov06_low_maturity_with_much_outsourcing():
    m = base_model()
    m.organisation.maturity = {k: 2 for k in m.organisation.maturity}
    assert findings(m, "GOV-06") == []  # only two functions outsourced
    m.assignments[0].mode = "outsourced"
    m.assignments[1].mode = "outsourced"
    (f,) = findings(m, "GOV-06")
    assert f.subjects == [
        "organisation.maturity",
        "shop-management",
        "web-store-it",
        "online-marketing",
        "payments",
    ]
    m.organisation.maturity["structure"] = 4  # average 2.4: mature enough
    assert findings(m, "GOV-06") == []


def test_gov06_separate_company_with_small_online_share():
    m = base_model()
    m.organisation.placement = "separate-company"
    m.organisation.online_share_percent = 6
    assert subjects(m, "GOV-06") == [{"organisation.placement"}]
    m.organisation.online_share_percent = 10
    assert findings(m, "GOV-06") == []


def catalog(focus: str = "commerce", **profile):
    """A model as `ecomraci new --focus FOCUS` makes it, with an organisation profile."""
    m = new_model(focus, "Drewnex Furniture")
    for field, value in profile.items():
        setattr(m.organisation, field, value)
    return m


MATURITY_2 = {
    "strategy-process": 2,
    "structure": 2,
    "senior-buy-in": 3,
    "marketing-integration": 2,
    "online-marketing-focus": 1,
}


@pytest.mark.parametrize("stage", ["ad-hoc", "focused"])
def test_gov06_structure_stage_behind_a_large_online_share(stage):
    # The seed's first two stages: no formal e-commerce unit yet, or a steering group
    # trying things out. With a quarter of revenue online the company needs the formal
    # stage, even when the department is already on the chart.
    m = catalog(structure_stage=stage, placement="within-marketing", online_share_percent=26)
    (f,) = findings(m, "GOV-06")
    assert f.subjects == ["organisation.structure_stage"] and f.severity == "info"
    assert "26% of revenue (over 20%)" in f.message
    assert ("ad hoc stage" if stage == "ad-hoc" else "focused stage") in f.message
    assert "Formalise e-commerce" in f.fix


def test_gov06_early_stage_fits_a_small_online_share():
    m = catalog(structure_stage="focused", placement="within-marketing", online_share_percent=14)
    assert findings(m, "GOV-06") == []
    m.organisation.online_share_percent = 20  # the threshold itself is not over it
    assert findings(m, "GOV-06") == []
    for stage in ("formalised", "institutionalised"):
        m = catalog(structure_stage=stage, placement="separate-department", online_share_percent=40)
        assert findings(m, "GOV-06") == []


def test_gov06_stage_threshold_is_the_online_share_setting():
    m = catalog(structure_stage="ad-hoc", online_share_percent=15)
    assert findings(m, "GOV-06") == []
    m.settings.gov06_online_share_percent = 10
    assert subjects(m, "GOV-06") == [{"organisation.structure_stage"}]


def test_gov06_institutionalised_with_low_maturity():
    m = catalog(
        structure_stage="institutionalised",
        placement="separate-business-unit",
        online_share_percent=35,
        maturity=dict(MATURITY_2),
    )
    (f,) = findings(m, "GOV-06")
    assert f.subjects == ["organisation.structure_stage", "organisation.maturity"]
    assert "institutionalised but maturity is low (average 2.0 of 5)" in f.message


def test_gov06_institutionalised_with_enough_maturity_or_low_maturity_while_focused():
    mature = dict(MATURITY_2, structure=3)  # average 2.2
    m = catalog(structure_stage="institutionalised", online_share_percent=35, maturity=mature)
    assert findings(m, "GOV-06") == []
    # low maturity fits an early stage with a small online share
    m = catalog(structure_stage="focused", online_share_percent=8, maturity=dict(MATURITY_2))
    assert findings(m, "GOV-06") == []


def test_gov06_content_business_without_content_production():
    m = catalog("content", structure_stage="formalised", online_share_percent=30)
    assert findings(m, "GOV-06") == []  # the content catalog has it
    m = apply_edits(m, remove(m, "function", "content-production"))
    (f,) = findings(m, "GOV-06")
    assert f.subjects == ["organisation.strategy_focus"]
    assert "no content production and licensing function" in f.message
    assert "as the content catalog has it" in f.fix
    # the fix adds the catalog's function back as `ecomraci new --focus content` made it
    fixed = _fix(m, "GOV-06")
    assert findings(fixed, "GOV-06") == []
    assert fixed.function("content-production").name == "Content production and licensing"
    assert fixed.raci["content-production.licensing"] == {"editorial-team": "A", "legal-team": "R"}
    assert {s.party for s in fixed.assignments if s.function == "content-production"} == {
        "editorial-team"
    }
    assert {rule for rule in ("RACI-01", "RACI-02") if findings(fixed, rule)} == set()


def test_gov06_community_business_without_moderation_or_advertising_sales():
    m = catalog("community")
    assert findings(m, "GOV-06") == []
    m = apply_edits(m, remove(m, "function", "moderation"))
    (f,) = findings(m, "GOV-06")
    assert "no moderation function" in f.message
    m = apply_edits(m, remove(m, "function", "advertising-sales"))
    (f,) = findings(m, "GOV-06")
    assert "no moderation function and no advertising sales function" in f.message
    # the advertising sales team went with its function: the fix gives the work to the
    # teams the model still has
    m = apply_edits(m, remove(m, "party", "ad-sales-team"))
    fixed = _fix(m, "GOV-06")
    assert findings(fixed, "GOV-06") == []
    assert {s.party for s in fixed.assignments if s.function == "advertising-sales"} == {
        "ecommerce-team"
    }


def test_gov06_focus_function_found_by_its_name():
    # A commerce model the user turned into a community site by hand: functions it named
    # itself count, whatever their ids.
    m = catalog("commerce")
    m.organisation.strategy_focus = "community"
    assert len(findings(m, "GOV-06")) == 1
    m.functions.append(Function(id="forum-care", name="Forum moderation and house rules"))
    m.functions.append(Function(id="media-sales", name="Advertising sales to brands"))
    assert findings(m, "GOV-06") == []
    assert findings(catalog("commerce"), "GOV-06") == []  # commerce expects nothing more


@pytest.mark.parametrize("seed", [1, 2])
def test_gov02_pairs_are_the_edges_of_the_party_coupling_graph(seed):
    """GOV-02 works with bit sets for speed; `graph.party_coupling_graph` is its plain
    definition. With no forums at all, every coupled pair is reported exactly once."""
    from bench.generate import generate
    from ecomraci.graph import party_coupling_graph

    m = generate(functions=40, activities=120, parties=15, dependencies=120, contracts=8, seed=seed)
    m.forums = []
    # Weak dependencies couple no parties (GOV-02 asks for no forum for them).
    m.dependencies = [d for d in m.dependencies if d.strength != "weak"]
    pairs = []
    for f in findings(m, "GOV-02"):
        hub, *group = f.subjects
        pairs += [frozenset((hub, q)) for q in group]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {frozenset(e) for e in party_coupling_graph(m).edges}
