"""The default function catalog and `new_model`: the functions and default dependencies of
the product brief, activities with kinds, focus variants, and a clean first check."""

from __future__ import annotations

import pytest

from ecomraci.catalog import FOCUS_FUNCTIONS, FUNCTIONS, catalog_functions, new_model
from ecomraci.integrity import integrity_problems
from ecomraci.model import ActivityKind, Criticality, DataKind
from ecomraci.rules import check

FOCUSES = ["commerce", "content", "community"]

# The product brief's catalog table: id -> default dependencies ("needs").
BRIEF_CATALOG: dict[str, set[str]] = {
    "shop-management": {"analytics", "finance"},
    "web-store-it": {"content", "legal"},
    "payments": {"web-store-it", "order-management"},
    "order-management": {"web-store-it", "payments", "fulfilment"},
    "purchasing": {"analytics", "fulfilment"},
    "fulfilment": {"order-management", "purchasing"},
    "delivery": {"fulfilment"},
    "customer-service": {"order-management", "payments", "delivery", "web-store-it"},
    "online-marketing": {"web-store-it", "purchasing", "content", "analytics"},
    "content": {"purchasing", "web-store-it"},
    "analytics": {"web-store-it", "order-management", "online-marketing"},
    "finance": {"payments", "order-management"},
    "legal": set(),  # "(all providers)": not a function dependency
}

KINDS = {k.value for k in ActivityKind}


def all_catalog_functions():
    seen = {}
    for focus in FOCUSES:
        for f in catalog_functions(focus):
            seen[f.id] = f
    return list(seen.values())


@pytest.mark.parametrize("f", all_catalog_functions(), ids=lambda f: f.id)
def test_function_has_three_to_six_activities_with_kinds(f):
    assert 3 <= len(f.activities) <= 6, f"{f.id} has {len(f.activities)} activities"
    keys = [a.key for a in f.activities]
    assert len(keys) == len(set(keys)), f"{f.id}: duplicate activity keys"
    for a in f.activities:
        assert a.kind in KINDS, f"{f.id}.{a.key}: kind {a.kind!r}"
        assert a.name


@pytest.mark.parametrize("f", all_catalog_functions(), ids=lambda f: f.id)
def test_function_fields_are_valid_choices(f):
    assert f.criticality in {c.value for c in Criticality}
    assert set(f.data) <= {d.value for d in DataKind}
    assert 0 <= f.lead_time_months <= 120
    assert f.name and f.description
    assert f.owner


def test_every_brief_function_is_in_the_catalog_in_order():
    assert [f.id for f in FUNCTIONS] == list(BRIEF_CATALOG)


@pytest.mark.parametrize("function_id", list(BRIEF_CATALOG))
def test_default_dependencies_match_the_brief(function_id):
    f = next(f for f in FUNCTIONS if f.id == function_id)
    assert set(f.needs) == BRIEF_CATALOG[function_id]


def test_some_dependencies_spelled_out():
    needs = {f.id: set(f.needs) for f in FUNCTIONS}
    assert needs["payments"] == {"web-store-it", "order-management"}
    assert needs["customer-service"] == {"order-management", "payments", "delivery", "web-store-it"}
    assert "analytics" in needs["online-marketing"]
    assert needs["delivery"] == {"fulfilment"}


def test_dependencies_point_inside_the_catalog():
    for focus in FOCUSES:
        ids = {f.id for f in catalog_functions(focus)}
        for f in catalog_functions(focus):
            assert set(f.needs) <= ids, (focus, f.id, set(f.needs) - ids)
            assert f.id not in f.needs


def test_focus_variants_add_their_functions():
    base = {f.id for f in catalog_functions("commerce")}
    content = {f.id for f in catalog_functions("content")}
    community = {f.id for f in catalog_functions("community")}
    assert base == set(BRIEF_CATALOG)
    assert content - base == {"content-production"}
    assert community - base == {"advertising-sales", "moderation"}
    assert base <= content and base <= community
    assert set(FOCUS_FUNCTIONS) == set(FOCUSES)


def test_unknown_focus_is_refused():
    with pytest.raises(ValueError, match="focus"):
        catalog_functions("fashion")
    with pytest.raises(ValueError):
        new_model("fashion")


def test_reversible_by_default():
    reversible = {f.id for f in FUNCTIONS if f.reversible}
    assert reversible == {"online-marketing", "shop-management"}


@pytest.mark.parametrize("focus", FOCUSES)
def test_new_model_reversibility_and_content(focus):
    model = new_model(focus)
    by_id = {f.id: f for f in model.functions}
    assert by_id["online-marketing"].reversible is True
    assert by_id["shop-management"].reversible is True
    assert by_id["payments"].reversible is False
    assert model.organisation.strategy_focus == focus
    assert [f.id for f in model.functions] == [f.id for f in catalog_functions(focus)]
    assert len(model.activities) == sum(len(f.activities) for f in catalog_functions(focus))


@pytest.mark.parametrize("focus", FOCUSES)
def test_new_model_has_catalog_dependencies(focus):
    model = new_model(focus)
    got = {(d.function, d.needs) for d in model.dependencies}
    want = {(f.id, n) for f in catalog_functions(focus) for n in f.needs}
    assert got == want
    assert ("online-marketing", "web-store-it") in got


@pytest.mark.parametrize("focus", FOCUSES)
def test_new_model_is_consistent(focus):
    model = new_model(focus)
    assert integrity_problems(model) == []
    internal = {p.id for p in model.parties if p.kind == "internal"}
    assert internal == {p.id for p in model.parties}  # a new model is in-house
    for a in model.activities:
        row = model.raci.get(a.id, {})
        accountable = [p for p, letters in row.items() if "A" in letters]
        assert len(accountable) == 1 and accountable[0] in internal, a.id
        assert any("R" in letters for letters in row.values()), a.id
    assigned = {s.function for s in model.assignments}
    assert assigned == {f.id for f in model.functions}
    assert all(s.mode == "in-house" for s in model.assignments)
    for owners in model.key_accountabilities.values():
        assert len(owners) == 1
    assert len(model.key_accountabilities) == 4
    assert model.forums and model.forums[0].cadence_days <= 31


@pytest.mark.parametrize("focus", FOCUSES)
def test_new_model_passes_raci_01_and_02(focus):
    assert check(new_model(focus), only=["RACI-01", "RACI-02"]) == []


@pytest.mark.parametrize("focus", FOCUSES)
def test_new_model_starts_without_any_finding(focus):
    """A new model is in-house and clean, so the first check speaks only of the
    user's own changes."""
    findings = check(new_model(focus))
    assert findings == [], [f"{f.rule}: {f.message}" for f in findings]


def test_new_model_name():
    assert new_model("content", "Mag Ltd").name == "Mag Ltd"
