"""Issue 14, calibration: RACI-05, DEP-03, DEP-05, SRC-02, SRC-04 and SRC-06 on models
started from the catalog the way `ecomraci new` and the guided start build them, with the
set-up each point describes. Each test shows the rule silent where a well-run organisation
should not be flagged, and still firing where it should.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ecomraci.guided import Answer, guided_model
from ecomraci.model import (
    Activity,
    ActivityKind,
    Assignment,
    Contract,
    ExitPlan,
    Function,
    Model,
    TransitionAssistance,
)
from ecomraci.rules import check
from tests.core.kit import findings, subjects

AS_OF = date(2026, 11, 24)

THREE_PROVIDERS = [
    Answer("payments", True, "Paynord Payments"),
    Answer("fulfilment", True, "Nordlog Fulfilment"),
    Answer("delivery", True, "Parcelway Express"),
    Answer("customer-service", True, "Callpoint Contact Centre"),
]


def _model(answers: list[Answer] | None = None) -> Model:
    return guided_model("Calibration shop", answers=answers or [])


def _party(model: Model, name: str) -> str:
    return next(p.id for p in model.parties if p.name == name)


def _a_counts(model: Model) -> Counter:
    return Counter(p for row in model.raci.values() for p, letters in row.items() if "A" in letters)


def _add(model: Model, function: str, key: str, name: str, row: dict[str, str], kind="run"):
    aid = f"{function}.{key}"
    model.activities.append(Activity(id=aid, name=name, function=function, kind=ActivityKind(kind)))
    model.raci[aid] = row
    return aid


# --- RACI-05: accountability spread by function is no bottleneck -------------------------


def _teams_own_their_functions() -> Model:
    """The catalog's teams, each accountable for its own functions, with marketing on a
    dozen marketing and content activities and finance on its payment and finance work
    (the old absolute limit of 8 flagged both)."""
    model = _model()
    for key, name in [
        ("affiliates", "Run the affiliate programme"),
        ("influencers", "Brief influencers"),
        ("retargeting", "Run retargeting campaigns"),
    ]:
        _add(model, "online-marketing", key, name, {"marketing": "AR"})
    _add(model, "content", "translations", "Translate product content", {"marketing": "AR"})
    _add(model, "content", "photos", "Commission product photos", {"marketing": "AR"})
    _add(model, "payments", "methods-review", "Review payment fees", {"finance-team": "AR"})
    _add(model, "finance", "forecast", "Forecast online cash flow", {"finance-team": "AR"})
    return model


def test_raci05_silent_when_each_team_is_accountable_for_its_own_function():
    model = _teams_own_their_functions()
    counts = _a_counts(model)
    assert counts["marketing"] == 13 and counts["finance-team"] == 10
    assert counts["marketing"] > model.settings.raci05_accountable_max  # the old alarm
    assert findings(model, "RACI-05", AS_OF) == []


def test_raci05_fires_when_one_team_holds_most_of_the_model():
    # A small company: the e-commerce team also signs off the web store, marketing and
    # content, customer service and payments.
    model = _teams_own_their_functions()
    taken = {"web-store-it", "online-marketing", "content", "customer-service", "payments"}
    for a in model.activities:
        if a.function in taken:
            row = model.raci[a.id]
            for p in [p for p, letters in row.items() if "A" in letters]:
                row[p] = row[p].replace("A", "") or "C"
            row["ecommerce-team"] = "A" + row.get("ecommerce-team", "").replace("A", "")
    counts = _a_counts(model)
    total = len(model.activities)
    assert counts["ecommerce-team"] > 0.4 * total
    f = findings(model, "RACI-05", AS_OF)
    assert [x.subjects for x in f] == [["ecommerce-team"]]
    assert "of all activities" in f[0].message and "E-commerce team" in f[0].message


def test_raci05_fires_for_a_team_far_above_the_others_below_the_share():
    # The e-commerce team takes over the web store's and content's sign-offs: a third of
    # the model, over three times the median of the other teams.
    model = _model()
    for a in model.activities:
        if a.function in {"web-store-it", "content"}:
            row = model.raci[a.id]
            for p in [p for p, letters in row.items() if "A" in letters]:
                row[p] = row[p].replace("A", "") or "C"
            row["ecommerce-team"] = "A" + row.get("ecommerce-team", "").replace("A", "")
    counts = _a_counts(model)
    assert counts["ecommerce-team"] < 0.4 * len(model.activities)
    f = findings(model, "RACI-05", AS_OF)
    assert [x.subjects for x in f] == [["ecommerce-team"]]
    assert "3 times" in f[0].message


# --- DEP-05: integration ownership covers the chain --------------------------------------


def test_dep05_silent_when_it_owns_integrations_in_the_chains_cycle():
    # Payments, fulfilment, delivery and customer service outsourced; IT stays A on
    # "Maintain integrations" in web store IT, which the chain delivery -> fulfilment ->
    # orders -> payments does not visit but which shares their cycle of dependencies.
    model = _model(THREE_PROVIDERS)
    assert model.raci["web-store-it.integrations"]["it"] == "AR"
    assert findings(model, "DEP-05", AS_OF) == []


def test_dep05_fires_when_nobody_internal_owns_an_integration():
    model = _model(THREE_PROVIDERS)
    model.activities = [a for a in model.activities if a.id != "web-store-it.integrations"]
    del model.raci["web-store-it.integrations"]
    f = findings(model, "DEP-05", AS_OF)
    assert len(f) == 1
    parties = {_party(model, n) for n in ("Paynord Payments", "Nordlog Fulfilment")}
    assert parties <= set(f[0].subjects)
    assert "no integration activity in the model has an internal Accountable" in f[0].message


def _middleware(name: str) -> Model:
    """The integrations kept in a middleware function of their own, with no dependency
    linking it to the chain: only the activity's name can tie it to the providers."""
    model = _model(THREE_PROVIDERS)
    model.activities = [a for a in model.activities if a.id != "web-store-it.integrations"]
    del model.raci["web-store-it.integrations"]
    model.functions.append(Function(id="middleware", name="Integration middleware"))
    model.assignments.append(Assignment(function="middleware", party="it"))
    _add(model, "middleware", "run", name, {"it": "AR"}, kind="integration")
    return model


def test_dep05_silent_when_an_owned_integration_names_the_chains_providers():
    model = _middleware("Maintain PSP, 3PL and carrier integrations")
    assert findings(model, "DEP-05", AS_OF) == []


def test_dep05_names_what_is_missing_when_the_activity_names_other_systems():
    model = _middleware("Maintain ERP integrations")
    f = findings(model, "DEP-05", AS_OF)
    assert len(f) == 1
    message = f[0].message
    assert "none names these providers" in message
    assert "“Maintain ERP integrations” (Integration middleware)" in message


# --- SRC-02: a workable separate exit leaves a planning point -----------------------------


def _agency_bundle(**clauses) -> Model:
    """Pixel Agency runs online marketing and analytics under one contract; analytics
    reads online marketing's tags and feeds (the interface the agency runs)."""
    model = _model(
        [
            Answer("online-marketing", True, "Pixel Agency", "Pixel Agency services"),
            Answer("analytics", True, "Pixel Agency", "Pixel Agency services"),
        ]
    )
    for d in model.dependencies:
        if d.function == "analytics" and d.needs == "online-marketing":
            d.interface_activity = "online-marketing.feeds"
    contract = model.contracts[0]
    fields = contract.model_dump()
    fields.update(
        termination_for_convenience="per-function",
        partial_termination="per-function",
        insourcing_rights=["online-marketing"],
        price_card_per_function=True,
        cooperation_duty=True,
        transition_assistance=TransitionAssistance(months=3, same_service_levels=True),
        exit_plan=ExitPlan(exists=True, last_tested=date(2026, 5, 1)),
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
    )
    fields.update(clauses)
    model.contracts[0] = Contract.model_validate(fields)
    return model


def test_src02_is_a_planning_point_when_the_separate_exit_is_agreed():
    model = _agency_bundle()
    f = findings(model, "SRC-02", AS_OF)
    assert len(f) == 1
    hit = f[0]
    assert hit.severity == "warning"  # the agency itself runs the interface to hand over
    assert "can leave" in hit.message and "Interface to hand over" in hit.message
    assert "“Maintain product feeds and tags”" in hit.message
    assert "Pixel Agency" in hit.message
    assert "the exit is real" in hit.why and "on paper only" not in hit.why
    assert hit.edits == []


def test_src02_planning_point_is_info_when_no_provider_runs_the_interface():
    model = _agency_bundle()
    feeds = model.raci["online-marketing.feeds"]
    agency = _party(model, "Pixel Agency")
    feeds.pop(agency)
    feeds["marketing"] = "AR"
    f = findings(model, "SRC-02", AS_OF)
    assert [x.severity for x in f] == ["info"]


def test_src02_still_a_coupled_exit_error_without_cooperation_or_transition():
    for clauses in (
        {"cooperation_duty": False},
        {"transition_assistance": TransitionAssistance(months=0)},
        {"partial_termination": "none", "insourcing_rights": []},
    ):
        model = _agency_bundle(**clauses)
        f = findings(model, "SRC-02", AS_OF)
        assert [x.severity for x in f] == ["error"], clauses
        assert "cannot leave" in f[0].message


# --- DEP-03: most paths into checkout and orders ------------------------------------------


def test_dep03_platform_with_payments_sits_on_the_checkout_paths():
    # A platform vendor that also processes the payments: two functions only, but every
    # path into the web store, payments and orders passes through it. The user has
    # raised the critical-function threshold, so only the path clause speaks.
    model = _model(
        [
            Answer("web-store-it", True, "Shopwave Platform", "Shopwave subscription"),
            Answer("payments", True, "Shopwave Platform", "Shopwave subscription"),
        ]
    )
    model.settings.dep03_max_critical = 3
    f = findings(model, "DEP-03", AS_OF)
    assert len(f) == 1
    assert "checkout and order functions" in f[0].message
    assert set(f[0].subjects) == {_party(model, "Shopwave Platform"), "web-store-it", "payments"}


def test_dep03_web_agency_on_store_and_content_is_not_on_most_paths():
    model = _model(
        [
            Answer("web-store-it", True, "Webcraft Agency", "Webcraft services"),
            Answer("content", True, "Webcraft Agency", "Webcraft services"),
        ]
    )
    assert findings(model, "DEP-03", AS_OF) == []


# --- SRC-04 and SRC-06: read what a contract delivers --------------------------------------


def test_src04_ignores_exclusivity_over_a_function_the_contract_does_not_deliver():
    model = _agency_bundle(exclusivity=["content"])
    assert findings(model, "SRC-04", AS_OF) == []
    model = _agency_bundle(exclusivity=["online-marketing"])
    assert subjects(model, "SRC-04", AS_OF) == [{"online-marketing", model.contracts[0].id}]


def test_src06_counts_a_critical_function_assigned_under_the_contract():
    # Pixel Agency also co-runs the web store (critical) under the same contract, named
    # by the assignment but not in the contract's covered functions: SRC-08 already
    # reads it, and now SRC-06 does too.
    model = _agency_bundle(exit_plan=ExitPlan(exists=False))
    agency = _party(model, "Pixel Agency")
    cid = model.contracts[0].id
    assert [x.severity for x in findings(model, "SRC-06", AS_OF)] == ["warning"]
    model.assignments.append(
        Assignment(function="web-store-it", party=agency, mode="co-sourced", contract=cid)
    )
    f = findings(model, "SRC-06", AS_OF)
    assert [x.severity for x in f] == ["error"]
    assert "critical “Web store IT”" in f[0].message
    # SRC-08 reads the same assignment: the agency holds the web store's data too.
    assert not model.contracts[0].data_return.agreed
    data = [x.subjects for x in check(model, as_of=AS_OF, only=["SRC-08"])]
    assert [cid, "online-marketing", "analytics", "web-store-it"] in data
