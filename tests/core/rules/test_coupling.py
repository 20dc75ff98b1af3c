"""DEP-01 .. DEP-07: dependencies and coupling, on the dependency graph."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from ecomraci.catalog import new_model
from ecomraci.edits import apply_edits
from ecomraci.graph import dependency_graph
from ecomraci.model import Activity, Assignment, Contract, Dependency, Function, Model, Party
from ecomraci.rules.coupling import (
    add_months,
    checkout_supply,
    ends_apart,
    external_chains,
    months_between,
)
from tests.core.kit import base_model, findings, good_contract, subjects

DEP_RULES = [f"DEP-0{i}" for i in range(1, 8)]


# --- model variants ----------------------------------------------------------------------


def well_run() -> Model:
    """`base_model()` with its two gaps for this family closed.

    The kit's model has a data feed from online marketing (Pixel Agency) into shop
    management with no interface activity (DEP-02), and Finance, owner of payments, is not
    informed of web store releases (DEP-06). Both edits are no-ops once the kit has them.
    """
    model = base_model()
    for d in model.dependencies:
        if d.id == "shop-management->online-marketing" and d.interface_activity is None:
            d.interface_activity = "om-campaigns"
    model.raci["it-release"].setdefault("fin", "I")
    return model


def dep(model: Model, dep_id: str) -> Dependency:
    return next(d for d in model.dependencies if d.id == dep_id)


def with_contract(model: Model, contract_id: str, **fields) -> Model:
    for i, c in enumerate(model.contracts):
        if c.id == contract_id:
            data = c.model_dump()
            data.update(fields)
            model.contracts[i] = Contract.model_validate(data)
            return model
    raise KeyError(contract_id)


def outsourced_store(model: Model | None = None, **contract) -> Model:
    """Web store IT delivered by the platform vendor “Cloudy” under its own contract."""
    model = model or well_run()
    model.parties.append(
        Party(
            id="cloud",
            name="Cloudy Commerce",
            kind="external",
            category="platform-vendor",
            data_location="eea",
            delivery_model="saas",
        )
    )
    model.assignments = [a for a in model.assignments if a.function != "web-store-it"]
    model.assignments.append(
        Assignment(
            function="web-store-it", party="cloud", mode="outsourced", contract="cloud-contract"
        )
    )
    fields = dict(
        id="cloud-contract",
        name="Cloud platform",
        party="cloud",
        covers=["web-store-it"],
        insourcing_rights=["web-store-it"],
        marketing_assets={},
    )
    fields.update(contract)
    model.contracts.append(good_contract(**fields))
    model.forums[0].members.append("cloud")
    return model


def only(model: Model, rule_id: str):
    found = findings(model, rule_id)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def fixed(model: Model, rule_id: str) -> Model:
    finding = only(model, rule_id)
    assert finding.edits
    return apply_edits(model, finding.edits)


# --- clean models ------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", DEP_RULES)
def test_well_run_model_is_clean(rule_id):
    assert findings(well_run(), rule_id) == []


@pytest.mark.parametrize("rule_id", ["DEP-01", "DEP-03", "DEP-04", "DEP-05", "DEP-07"])
def test_base_model_is_clean(rule_id):
    assert findings(base_model(), rule_id) == []


def test_base_model_known_gaps():
    """What `well_run` closes; an empty list once the kit closes it itself."""
    assert subjects(base_model(), "DEP-02") in (
        [],
        [{"online-marketing", "shop-management->online-marketing"}],
    )
    assert subjects(base_model(), "DEP-06") in ([], [{"web-store-it", "fin", "it-release"}])


@pytest.mark.parametrize("focus", ["commerce", "content", "community"])
def test_catalog_model_is_clean(focus):
    model = new_model(focus)
    for rule_id in DEP_RULES:
        assert findings(model, rule_id) == [], rule_id


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, months, apart",
    [
        (date(2027, 12, 31), date(2028, 6, 30), 6, False),
        (date(2027, 12, 31), date(2028, 7, 1), 6, True),
        (date(2028, 7, 1), date(2027, 12, 31), 6, True),
        (date(2027, 1, 31), date(2027, 2, 28), 0, True),
        (date(2027, 1, 31), date(2027, 1, 31), 0, False),
    ],
)
def test_ends_apart(a, b, months, apart):
    assert ends_apart(a, b, months) is apart


def test_month_arithmetic():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert months_between(date(2027, 12, 31), date(2031, 12, 31)) == 48
    assert months_between(date(2028, 1, 15), date(2027, 12, 31)) == 0


def test_checkout_supply_follows_what_checkout_needs():
    model = well_run()
    assert checkout_supply(dependency_graph(model)) == {"web-store-it", "payments"}


def test_external_chains_passes_through_a_cycle():
    # a -> b <-> c -> d, outside parties on a, c, d: a chain through the cycle has three.
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "b"), ("c", "d")])
    order = {f: i for i, f in enumerate("abcd")}
    parties = {"a": ["x"], "c": ["y"], "d": ["z"]}
    assert external_chains(g, parties, order) == [("a", [("x", "a"), ("y", "c"), ("z", "d")])]
    assert external_chains(g, {"a": ["x"], "d": ["z"]}, order) == []


# --- DEP-01 ------------------------------------------------------------------------------


def interface_run_by_vendor(**contract) -> Model:
    """Payments needs web store IT; Cloudy, the store's vendor, runs that interface."""
    model = outsourced_store(cooperation_duty=False, **contract)
    model.raci["pay-config"] = {"fin": "A", "cloud": "R", "psp": "C"}
    return model


def test_dep01_provider_running_interface_without_cooperation_duty():
    model = interface_run_by_vendor()
    assert subjects(model, "DEP-01") == [{"cloud-contract", "cloud", "payments->web-store-it"}]
    assert "Cloudy Commerce" in only(model, "DEP-01").message
    assert findings(fixed(model, "DEP-01"), "DEP-01") == []


def test_dep01_one_finding_per_contract():
    model = interface_run_by_vendor()
    model.raci["om-tags"] = {"mkt": "A", "cloud": "R", "it": "C"}
    assert subjects(model, "DEP-01") == [
        {"cloud-contract", "cloud", "payments->web-store-it", "online-marketing->web-store-it"}
    ]
    assert findings(fixed(model, "DEP-01"), "DEP-01") == []


def test_dep01_not_when_the_provider_also_delivers_the_dependent_function():
    model = interface_run_by_vendor()
    model.assignments.append(
        Assignment(function="payments", party="cloud", mode="co-sourced", contract="cloud-contract")
    )
    assert findings(model, "DEP-01") == []


def test_dep01_not_when_the_interface_is_run_in_house():
    model = outsourced_store(cooperation_duty=False)  # pay-config stays with IT as R
    assert findings(model, "DEP-01") == []


# --- DEP-02 ------------------------------------------------------------------------------


def test_dep02_crossing_dependency_without_interface_activity():
    model = well_run()
    dep(model, "payments->web-store-it").interface_activity = None
    assert subjects(model, "DEP-02") == [{"web-store-it", "payments->web-store-it"}]
    dep(model, "payments->web-store-it").interface_activity = "pay-config"
    assert findings(model, "DEP-02") == []


def test_dep02_groups_the_dependencies_on_one_function():
    model = well_run()
    dep(model, "payments->web-store-it").interface_activity = None
    dep(model, "online-marketing->web-store-it").interface_activity = None
    assert subjects(model, "DEP-02") == [
        {"web-store-it", "payments->web-store-it", "online-marketing->web-store-it"}
    ]


def test_dep02_interface_activity_without_accountable():
    model = well_run()
    model.raci["pay-config"] = {"it": "R", "psp": "C"}
    assert subjects(model, "DEP-02") == [{"pay-config", "payments->web-store-it"}]
    repaired = fixed(model, "DEP-02")
    assert repaired.raci["pay-config"]["fin"] == "A"
    assert findings(repaired, "DEP-02") == []


def test_dep02_not_between_internal_teams():
    model = well_run()
    model.dependencies.append(Dependency(function="shop-management", needs="web-store-it"))
    assert findings(model, "DEP-02") == []


# --- DEP-03 ------------------------------------------------------------------------------


def test_dep03_provider_with_too_many_functions():
    model = well_run()
    model.settings.dep03_max_critical = 5
    model.assignments += [
        Assignment(
            function="web-store-it", party="agency", mode="co-sourced", contract="agency-contract"
        ),
        Assignment(
            function="shop-management",
            party="agency",
            mode="co-sourced",
            contract="agency-contract",
        ),
    ]
    assert subjects(model, "DEP-03") == [
        {"agency", "online-marketing", "web-store-it", "shop-management"}
    ]
    model.settings.dep03_max_functions = 4
    assert findings(model, "DEP-03") == []


def test_dep03_provider_with_two_critical_functions():
    model = well_run()
    model.assignments.append(
        Assignment(function="web-store-it", party="psp", mode="co-sourced", contract="psp-contract")
    )
    assert subjects(model, "DEP-03") == [{"psp", "payments", "web-store-it"}]
    assert "2 critical" in only(model, "DEP-03").message


def test_dep03_provider_on_most_paths_into_checkout():
    model = well_run()
    model.settings.dep03_max_functions = 10
    model.settings.dep03_max_critical = 10
    model.assignments.append(
        Assignment(function="web-store-it", party="psp", mode="co-sourced", contract="psp-contract")
    )
    assert subjects(model, "DEP-03") == [{"psp", "payments", "web-store-it"}]
    assert "checkout and order functions" in only(model, "DEP-03").message
    # In-house functions behind the store do not change that: PayFast delivers both
    # checkout functions, so every path into them ends at its door.
    model.functions += [Function(id="content", name="Content"), Function(id="legal", name="Legal")]
    model.assignments += [
        Assignment(function="content", party="mkt"),
        Assignment(function="legal", party="fin"),
    ]
    model.dependencies += [
        Dependency(function="web-store-it", needs="content"),
        Dependency(function="web-store-it", needs="legal"),
    ]
    assert subjects(model, "DEP-03") == [{"psp", "payments", "web-store-it"}]
    # PayFast delivering payments and content instead of the web store: it sits on the
    # paths into payments, but on only one of the two into the web store (content, not
    # legal): one of two checkout functions is not most.
    model.assignments = [
        a for a in model.assignments if not (a.function == "web-store-it" and a.party == "psp")
    ]
    model.assignments.append(
        Assignment(function="content", party="psp", mode="co-sourced", contract="psp-contract")
    )
    assert findings(model, "DEP-03") == []


# --- DEP-04 ------------------------------------------------------------------------------


def coupled(end: date, **agency) -> Model:
    """Online marketing strongly needs web store IT; their contracts have no cooperation
    duty; the agency's ends 2027-12-31, the store's at `end`."""
    model = outsourced_store(cooperation_duty=False, end=end)
    return with_contract(model, "agency-contract", cooperation_duty=False, **agency)


def test_dep04_strongly_coupled_contracts_ending_apart():
    model = coupled(date(2031, 12, 31))
    assert subjects(model, "DEP-04") == [
        {"agency-contract", "cloud-contract", "online-marketing->web-store-it"}
    ]
    assert "48 months apart" in only(model, "DEP-04").message
    repaired = fixed(model, "DEP-04")
    assert repaired.contract("cloud-contract").cooperation_duty is True
    assert findings(repaired, "DEP-04") == []


def test_dep04_gap_threshold():
    assert findings(coupled(date(2028, 6, 30)), "DEP-04") == []
    model = coupled(date(2028, 7, 1))
    assert len(findings(model, "DEP-04")) == 1
    model.settings.dep04_end_gap_months = 12
    assert findings(model, "DEP-04") == []


def test_dep04_only_strong_dependencies():
    model = coupled(date(2031, 12, 31))
    dep(model, "online-marketing->web-store-it").strength = "medium"
    assert findings(model, "DEP-04") == []


def test_dep04_cooperation_duty_on_either_side_is_enough():
    model = coupled(date(2031, 12, 31))
    model = with_contract(model, "agency-contract", cooperation_duty=True)
    assert findings(model, "DEP-04") == []


def test_dep04_cross_termination_reported_once_per_pair():
    model = with_contract(well_run(), "agency-contract", cross_termination=["psp-contract"])
    model = with_contract(model, "psp-contract", cross_termination=["agency-contract"])
    assert subjects(model, "DEP-04") == [{"agency-contract", "psp-contract"}]
    repaired = fixed(model, "DEP-04")
    assert repaired.contract("agency-contract").cross_termination == []
    assert repaired.contract("psp-contract").cross_termination == []
    assert findings(repaired, "DEP-04") == []


# --- DEP-05 ------------------------------------------------------------------------------


def three_provider_chain() -> Model:
    """Web store IT with Cloudy, which needs hosting from HostCo: online marketing
    (agency) -> web store IT (Cloudy) -> hosting (HostCo), and nothing internal integrates."""
    model = outsourced_store()
    model.parties.append(
        Party(
            id="hostco",
            name="HostCo",
            kind="external",
            category="platform-vendor",
            data_location="eea",
        )
    )
    model.functions.append(Function(id="hosting", name="Hosting", criticality="critical"))
    model.activities.append(Activity(id="host-run", name="Run servers", function="hosting"))
    model.raci["host-run"] = {"it": "A", "hostco": "R"}
    model.assignments.append(
        Assignment(function="hosting", party="hostco", mode="outsourced", contract="host-contract")
    )
    model.contracts.append(
        good_contract(
            id="host-contract",
            name="Hosting",
            party="hostco",
            covers=["hosting"],
            insourcing_rights=["hosting"],
            marketing_assets={},
        )
    )
    model.dependencies.append(
        Dependency(
            function="web-store-it", needs="hosting", strength="strong", interface_activity="it-run"
        )
    )
    return model


CHAIN = {
    "shop-management",
    "online-marketing",
    "web-store-it",
    "hosting",
    "agency",
    "cloud",
    "hostco",
}


def test_dep05_chain_through_three_outside_parties():
    model = three_provider_chain()
    assert subjects(model, "DEP-05") == [CHAIN]
    assert only(model, "DEP-05").edits == []


def test_dep05_cleared_by_an_internal_integration_owner():
    model = three_provider_chain()
    model.activities.append(
        Activity(
            id="it-integrate",
            name="Integrate the platform",
            function="web-store-it",
            kind="integration",
        )
    )
    model.raci["it-integrate"] = {"it": "A", "cloud": "R"}
    assert findings(model, "DEP-05") == []


def test_dep05_edit_makes_the_owner_accountable_for_integration():
    model = three_provider_chain()
    model.activities.append(
        Activity(
            id="it-integrate",
            name="Integrate the platform",
            function="web-store-it",
            kind="integration",
        )
    )
    model.raci["it-integrate"] = {"cloud": "R"}
    finding = only(model, "DEP-05")
    assert set(finding.subjects) == CHAIN
    repaired = apply_edits(model, finding.edits)
    assert repaired.raci["it-integrate"]["it"] == "A"
    assert findings(repaired, "DEP-05") == []


def test_dep05_integration_owned_off_the_chain_does_not_count():
    model = three_provider_chain()
    model.activities.append(
        Activity(
            id="sm-integrate",
            name="Integrate reporting",
            function="shop-management",
            kind="integration",
        )
    )
    model.raci["sm-integrate"] = {"ecom": "AR"}
    # shop management is covered; the chain from online marketing remains.
    assert subjects(model, "DEP-05") == [CHAIN - {"shop-management"}]


def test_dep05_two_outside_parties_are_not_enough():
    model = outsourced_store()  # agency -> Cloudy; PayFast -> Cloudy: two on any chain
    assert findings(model, "DEP-05") == []


# --- DEP-06 ------------------------------------------------------------------------------


def test_dep06_owner_not_informed_of_changes():
    model = well_run()
    del model.raci["it-release"]["mkt"]
    assert subjects(model, "DEP-06") == [{"web-store-it", "mkt", "it-release"}]
    assert findings(fixed(model, "DEP-06"), "DEP-06") == []


def test_dep06_one_finding_per_needed_function():
    model = base_model()
    model.raci["it-release"].pop("fin", None)
    del model.raci["it-release"]["mkt"]
    assert subjects(model, "DEP-06") == [{"web-store-it", "mkt", "fin", "it-release"}]
    finding = only(model, "DEP-06")
    assert len(finding.edits) == 2
    assert findings(apply_edits(model, finding.edits), "DEP-06") == []


@pytest.mark.parametrize("letters", ["C", "I", "R", "CI"])
def test_dep06_any_letter_keeps_the_owner_in_the_loop(letters):
    model = well_run()
    model.raci["it-release"]["mkt"] = letters
    assert findings(model, "DEP-06") == []


# --- DEP-07 ------------------------------------------------------------------------------


def cycle() -> Model:
    """Web store IT (IT) and payments (PayFast) need each other; no forum."""
    model = well_run()
    model.dependencies.append(Dependency(function="web-store-it", needs="payments"))
    model.forums = []
    return model


def test_dep07_cycle_across_parties():
    model = cycle()
    assert subjects(model, "DEP-07") == [{"web-store-it", "payments", "it", "psp"}]
    assert only(model, "DEP-07").severity == "info"
    assert findings(fixed(model, "DEP-07"), "DEP-07") == []


def test_dep07_not_when_a_forum_joins_the_parties():
    model = cycle()
    model.forums = well_run().forums
    assert findings(model, "DEP-07") == []


def test_dep07_not_when_one_party_delivers_the_cycle():
    model = cycle()
    model.assignments = [a for a in model.assignments if a.function != "payments"]
    model.assignments.append(Assignment(function="payments", party="it"))
    assert findings(model, "DEP-07") == []
