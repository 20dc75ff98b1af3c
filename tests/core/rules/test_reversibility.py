"""Contract reversibility rules SRC-01 .. SRC-06 (ecomraci/rules/reversibility.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import networkx as nx
import pytest

from ecomraci.edits import apply_edits
from ecomraci.model import (
    Contract,
    Dependency,
    ExitPlan,
    Function,
    MinimumCommitment,
    Model,
    TransitionAssistance,
)
from ecomraci.rules.engine import CheckContext
from ecomraci.rules.reversibility import DependencyIndex as _DependencyIndex
from ecomraci.rules.reversibility import exit_impact as _exit_impact
from tests.core.kit import AS_OF, base_model, findings, good_contract, subjects

RULE_IDS = ["SRC-01", "SRC-02", "SRC-03", "SRC-04", "SRC-05", "SRC-06"]


def with_agency(model: Model, **overrides) -> Model:
    """`model` with the agency contract replaced by good_contract(**overrides)."""
    i = next(k for k, c in enumerate(model.contracts) if c.id == "agency-contract")
    model.contracts[i] = good_contract(**overrides)
    return model


def with_content(model: Model) -> Model:
    """Add a plain function nothing depends on, to bundle with online marketing."""
    model.functions.append(Function(id="content", name="Content", criticality="normal"))
    return model


def coupled_model() -> Model:
    """The product's acceptance case: one agency contract covers the web store IT and
    online marketing, with no partial termination and no insourcing right."""
    return with_agency(
        base_model(),
        covers=["web-store-it", "online-marketing"],
        partial_termination="none",
        insourcing_rights=[],
    )


def only(model: Model, rule_id: str):
    found = findings(model, rule_id)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_well_run_model_has_no_finding(rule_id):
    assert findings(base_model(), rule_id) == []


# --- a plain networkx reference for SRC-02's exit impact ----------------------------


def interface_runner(model: Model, dependency) -> set[str]:
    """Parties Responsible for the activity that runs a dependency's interface."""
    if dependency.interface_activity is None:
        return set()
    row = model.raci.get(dependency.interface_activity, {})
    return {p for p, letters in row.items() if "R" in letters}


@dataclass
class AtRisk:
    function: str
    reasons: list[str] = field(default_factory=list)


def reference_exit_impact(
    model: Model, function_id: str, contract: Contract, graph: nx.DiGraph
) -> list[AtRisk]:
    """The other functions of `contract` put at risk if `function_id` leaves it, written
    plainly with networkx: the reference the rule's fast index is checked against.

    A function of the contract is at risk when it depends on the leaving function
    directly (any strength) or through a chain of strong dependencies, or when its
    interface with the leaving function (in either direction) is run by the contract's
    provider, who would then be serving a function it no longer delivers. Longer chains
    follow strong dependencies only: through medium and weak data feeds nearly every
    shop function reaches every other, which would make the reason meaningless.
    """
    g = graph
    others = [f for f in contract.covers if f != function_id]
    if function_id not in g:
        return []
    strong = nx.subgraph_view(g, filter_edge=lambda u, v: g.edges[u, v]["dep"].strength == "strong")
    # nx.ancestors: every node with a path to function_id, i.e. every function that needs it.
    needs_it = nx.ancestors(strong, function_id)
    result: list[AtRisk] = []
    for other in others:
        reasons: list[str] = []
        if g.has_edge(other, function_id):
            reasons.append("depends on it directly")
        elif other in needs_it:
            path = nx.shortest_path(strong, other, function_id)
            reasons.append("depends on it through " + " -> ".join(path[1:-1]))
        for a, b in ((other, function_id), (function_id, other)):
            if g.has_edge(a, b):
                dep = g.edges[a, b]["dep"]
                if contract.party in interface_runner(model, dep):
                    reasons.append("its interface with it is run by the same provider")
        if reasons:
            result.append(AtRisk(other, reasons))
    return result


# --- SRC-01 ------------------------------------------------------------------------------


def test_src01_no_termination_for_convenience_single_function():
    m = base_model()
    i = next(k for k, c in enumerate(m.contracts) if c.id == "psp-contract")
    m.contracts[i] = m.contracts[i].model_copy(
        update={"termination_for_convenience": "none", "insourcing_rights": []}
    )
    f = only(m, "SRC-01")
    assert f.subjects == ["payments", "psp-contract"]
    assert f.severity == "error"  # payments is critical
    assert "when the contract ends" in f.message
    assert findings(apply_edits(m, f.edits), "SRC-01") == []


def test_src01_warning_for_a_function_that_is_not_critical():
    m = with_agency(base_model(), termination_for_convenience="none", insourcing_rights=[])
    f = only(m, "SRC-01")
    assert f.subjects == ["online-marketing", "agency-contract"]
    assert f.severity == "warning"
    assert findings(apply_edits(m, f.edits), "SRC-01") == []


def test_src01_insourcing_right_is_a_way_out():
    m = with_agency(base_model(), termination_for_convenience="none")
    assert findings(m, "SRC-01") == []


def test_src01_several_functions_no_partial_termination():
    m = coupled_model()
    found = {tuple(f.subjects): f for f in findings(m, "SRC-01")}
    assert set(found) == {
        ("web-store-it", "agency-contract"),
        ("online-marketing", "agency-contract"),
    }
    assert found[("web-store-it", "agency-contract")].severity == "error"
    assert found[("online-marketing", "agency-contract")].severity == "warning"
    assert "by ending the whole contract" in found[("web-store-it", "agency-contract")].message
    for f in found.values():
        assert findings(apply_edits(m, f.edits), "SRC-01") == []
    # an insourcing right for one function lets that one leave on its own
    m2 = with_agency(
        base_model(),
        covers=["web-store-it", "online-marketing"],
        partial_termination="none",
        insourcing_rights=["online-marketing"],
    )
    assert subjects(m2, "SRC-01") == [{"web-store-it", "agency-contract"}]


# --- SRC-02 ------------------------------------------------------------------------------


def test_src02_acceptance_agency_contract_couples_marketing_and_web_store():
    m = coupled_model()
    f = only(m, "SRC-02")  # web store IT is not reversible: only marketing is asked about
    assert f.subjects == ["online-marketing", "agency-contract", "web-store-it"]
    assert f.severity == "error"
    assert "“Online marketing” cannot leave “Agency services”" in f.message
    assert "putting “Web store IT” at risk" in f.message
    assert "no partial termination or insourcing right" in f.message
    assert "“Web store IT” (ends with the contract;" in f.message
    # the agency also runs the tag interface between marketing and the web store
    assert "its interface with “Online marketing” is run by “Pixel Agency”" in f.message
    assert "\n" not in f.message


def test_src02_contractual_reasons_only_cleared_by_the_edits():
    m = with_agency(
        with_content(base_model()),
        covers=["online-marketing", "content"],
        partial_termination="none",
        insourcing_rights=[],
    )
    f = only(m, "SRC-02")
    assert f.subjects == ["online-marketing", "agency-contract", "content"]
    assert "“Content” (ends with the contract)" in f.message
    fixed = apply_edits(m, f.edits)
    assert "online-marketing" in fixed.contract("agency-contract").insourcing_rights
    assert fixed.contract("agency-contract").partial_termination == "per-function"
    assert findings(fixed, "SRC-02") == []


@pytest.mark.parametrize(
    "overrides, reason",
    [
        (
            dict(bundled_price=True, price_card_per_function=False),
            "bundled price without a price card per function",
        ),
        (
            dict(minimum_commitment=MinimumCommitment(amount=50000, shrinks_with_scope=False)),
            "a minimum commitment of EUR 50,000 that does not shrink with scope",
        ),
        (dict(exclusivity=["online-marketing"]), "exclusivity over it"),
        (dict(cross_termination=["psp-contract"]), "cross-termination with “Payment services”"),
    ],
)
def test_src02_each_contractual_reason(overrides, reason):
    m = with_agency(with_content(base_model()), covers=["online-marketing", "content"], **overrides)
    f = only(m, "SRC-02")
    assert f.subjects == ["online-marketing", "agency-contract", "content"]
    assert reason in f.message
    assert "no partial termination" not in f.message
    assert f.edits
    assert findings(apply_edits(m, f.edits), "SRC-02") == []


def test_src02_free_exit_and_no_dependency_is_fine():
    m = with_agency(with_content(base_model()), covers=["online-marketing", "content"])
    assert findings(m, "SRC-02") == []


def test_src02_dependency_only_interface_run_by_the_provider():
    # partial termination and an insourcing right: the contract lets marketing go, but the
    # agency runs the tag interface the web store IT shares with it
    m = with_agency(base_model(), covers=["web-store-it", "online-marketing"])
    f = only(m, "SRC-02")
    assert f.subjects == ["online-marketing", "agency-contract", "web-store-it"]
    assert "ends with the contract" not in f.message
    assert "its interface with “Online marketing” is run by “Pixel Agency”" in f.message
    assert f.edits == []
    # IT takes over the interface: nothing else ties the web store to marketing
    m.raci["om-tags"] = {"mkt": "A", "it": "R", "agency": "C"}
    assert findings(m, "SRC-02") == []


def test_src02_dependency_direct_and_through_a_chain():
    m = base_model()
    m.functions.append(Function(id="analytics", name="Analytics"))
    # analytics -> shop management -> online marketing, both strong
    m.dependencies.append(
        Dependency(function="analytics", needs="shop-management", strength="strong")
    )
    for d in m.dependencies:
        if (d.function, d.needs) == ("shop-management", "online-marketing"):
            d.strength = "strong"
    with_agency(m, covers=["online-marketing", "analytics"])
    f = only(m, "SRC-02")
    assert f.subjects == ["online-marketing", "agency-contract", "analytics"]
    chain = "“Analytics” (depends on “Online marketing” through “Shop management”)"
    assert chain in f.message

    # Through a medium link the chain does not count: nearly everything in a shop
    # reaches everything else through data feeds.
    # Here that leaves analytics free to stay when online marketing goes: no finding.
    m.dependencies[-1].strength = "medium"
    assert findings(m, "SRC-02") == []

    m = with_agency(base_model(), covers=["online-marketing", "shop-management"])
    # shop management (reversible too) needs marketing; marketing does not need it.
    # Keep the interface in-house so only the dependency itself couples the two.
    for d in m.dependencies:
        if d.function == "shop-management":
            d.interface_activity = None
    assert subjects(m, "SRC-02") == [{"online-marketing", "agency-contract", "shop-management"}]
    f = only(m, "SRC-02")
    assert "depends on “Online marketing” directly" in f.message


def test_src02_edits_leave_only_the_dependency_reason():
    m = coupled_model()
    f = only(m, "SRC-02")
    after = only(apply_edits(m, f.edits), "SRC-02")
    assert after.subjects == f.subjects
    assert "ends with the contract" not in after.message
    assert "is run by “Pixel Agency”" in after.message


def test_src02_fast_exit_impact_agrees_with_the_reference():
    from bench.generate import generate

    m = generate(functions=60, activities=300, parties=30, dependencies=300, contracts=25, seed=1)
    ctx = CheckContext(m, AS_OF)
    index = _DependencyIndex(ctx)
    kinds = set()
    for contract in m.contracts:
        for fid in contract.covers:
            slow = {
                r.function: r.reasons for r in reference_exit_impact(m, fid, contract, ctx.graph)
            }
            fast = _exit_impact(ctx, index, fid, contract)
            assert set(slow) == set(fast), (contract.id, fid)
            for g, reasons in slow.items():
                impact = fast[g]
                if "depends on it directly" in reasons:
                    assert impact.chain == []
                through = [r for r in reasons if r.startswith("depends on it through")]
                if through:
                    assert len(impact.chain) == len(through[0].split(" -> "))
                if not any(r.startswith("depends") for r in reasons):
                    assert impact.chain is None
                runs = "its interface with it is run by the same provider" in reasons
                assert bool(impact.interface_runners) == runs
                kinds |= {r.split(" through")[0] for r in reasons}
    assert kinds == {
        "depends on it directly",
        "depends on it",
        "its interface with it is run by the same provider",
    }


# --- SRC-03 ------------------------------------------------------------------------------


def test_src03_commitment_that_does_not_shrink():
    m = with_agency(
        base_model(), minimum_commitment=MinimumCommitment(amount=20000, currency="EUR")
    )
    f = only(m, "SRC-03")
    assert f.subjects == ["agency-contract", "online-marketing"]
    assert "EUR 20,000" in f.message
    assert findings(apply_edits(m, f.edits), "SRC-03") == []


def test_src03_commitment_over_several_functions():
    commitment = MinimumCommitment(amount=90000, shrinks_with_scope=True)
    m = with_agency(
        with_content(base_model()),
        covers=["online-marketing", "content"],
        minimum_commitment=commitment,
    )
    f = only(m, "SRC-03")
    assert f.subjects == ["agency-contract", "online-marketing", "content"]
    assert "over 2 functions" in f.message
    assert f.edits == []  # splitting a commitment is a negotiation, not a field
    # corrected: the bundle is split, each contract with its own shrinking commitment
    m = with_agency(base_model(), minimum_commitment=commitment)
    assert findings(m, "SRC-03") == []


# --- SRC-04 ------------------------------------------------------------------------------


def test_src04_exclusivity():
    m = with_agency(base_model(), exclusivity=["online-marketing"])
    f = only(m, "SRC-04")
    assert f.subjects == ["online-marketing", "agency-contract"]
    assert "exclusivity over “Online marketing”" in f.message
    assert findings(apply_edits(m, f.edits), "SRC-04") == []


# --- SRC-05 ------------------------------------------------------------------------------


def test_src05_bundled_price_without_price_card():
    m = with_agency(
        with_content(base_model()),
        covers=["online-marketing", "content"],
        bundled_price=True,
        price_card_per_function=False,
    )
    f = only(m, "SRC-05")
    assert f.subjects == ["agency-contract", "online-marketing", "content"]
    assert findings(apply_edits(m, f.edits), "SRC-05") == []


def test_src05_single_function_price_is_not_a_bundle():
    m = with_agency(base_model(), bundled_price=True, price_card_per_function=False)
    assert findings(m, "SRC-05") == []


# --- SRC-06 ------------------------------------------------------------------------------


def test_src06_no_exit_plan_warning_and_error_if_critical():
    m = with_agency(base_model(), exit_plan=ExitPlan(exists=False))
    f = only(m, "SRC-06")
    assert f.subjects == ["agency-contract"]
    assert f.severity == "warning"
    assert "no exit plan" in f.message

    m = base_model()
    i = next(k for k, c in enumerate(m.contracts) if c.id == "psp-contract")
    m.contracts[i] = m.contracts[i].model_copy(update={"exit_plan": ExitPlan(exists=False)})
    f = only(m, "SRC-06")
    assert f.subjects == ["psp-contract"]
    assert f.severity == "error"
    assert "critical “Payments”" in f.message


def test_src06_exit_plan_never_tested():
    m = with_agency(base_model(), exit_plan=ExitPlan(exists=True))
    assert "never been tested" in only(m, "SRC-06").message


def test_src06_exit_plan_test_too_old_uses_the_threshold():
    # AS_OF is 2026-06-01: 12 months back is 2025-06-01
    assert AS_OF == date(2026, 6, 1)
    stale = with_agency(
        base_model(), exit_plan=ExitPlan(exists=True, last_tested=date(2025, 5, 31))
    )
    f = only(stale, "SRC-06")
    assert f.subjects == ["agency-contract"]
    assert "2025-05-31" in f.message
    fresh = with_agency(base_model(), exit_plan=ExitPlan(exists=True, last_tested=date(2025, 6, 1)))
    assert findings(fresh, "SRC-06") == []
    stale.settings.src06_exit_plan_test_months = 24
    assert findings(stale, "SRC-06") == []


def test_src06_no_transition_assistance():
    m = with_agency(base_model(), transition_assistance=TransitionAssistance(months=0))
    f = only(m, "SRC-06")
    assert f.subjects == ["agency-contract"]
    assert "no transition assistance" in f.message
    m = with_agency(base_model(), transition_assistance=TransitionAssistance(months=1))
    assert findings(m, "SRC-06") == []


def test_src02_example_cleared_by_the_edits_and_an_internal_interface_runner():
    """docs/rules.md, SRC-02: once the clause edits are applied the finding stays for the
    tag interface the agency runs, and goes when IT runs it instead."""
    m = coupled_model()
    m = apply_edits(m, only(m, "SRC-02").edits)
    f = only(m, "SRC-02")
    assert f.subjects == ["online-marketing", "agency-contract", "web-store-it"]
    assert "ends with the contract" not in f.message
    m.raci["om-tags"] = {"mkt": "A", "it": "R", "agency": "C"}
    assert findings(m, "SRC-02") == []
