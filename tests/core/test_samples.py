"""The sample models in samples/: they load, round-trip, keep a clean RACI grid, and are
exactly what samples/build_samples.py produces (so they cannot drift from the builder)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ecomraci import store

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
BUILDER = SAMPLES / "build_samples.py"
NAMES = (
    "outsourced-estore.ecomraci.json",
    "vip-promotion.ecomraci.json",
    "growing-department.ecomraci.json",
)
KEY_ACCOUNTABILITIES = (
    "online-revenue",
    "customer-experience",
    "omnichannel-consistency",
    "ecommerce-operations",
)


def _builder():
    spec = importlib.util.spec_from_file_location("ecomraci_build_samples", BUILDER)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder():
    return _builder()


@pytest.fixture(scope="module", params=NAMES)
def sample(request):
    return request.param, store.load(SAMPLES / request.param)


def test_builder_knows_every_sample(builder):
    assert tuple(builder.SAMPLE_FILES) == NAMES
    assert set(builder.build_all()) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_sample_loads(name):
    model = store.load(SAMPLES / name)
    assert model.name
    assert model.comment and len(model.comment) > 40
    assert model.activities and model.functions and model.parties


def test_save_then_load_gives_an_equal_model(sample, tmp_path):
    name, model = sample
    path = tmp_path / name
    store.save(model, path, keep_backup=False)
    assert store.load(path) == model
    assert store.dumps(store.load(path)) == store.dumps(model)


def test_every_activity_has_one_internal_a_and_an_r(sample):
    name, model = sample
    internal = {p.id for p in model.parties if p.kind == "internal"}
    for activity in model.activities:
        row = model.raci.get(activity.id)
        assert row, f"{name}: {activity.id} has no RACI row"
        accountable = [p for p, letters in row.items() if "A" in letters]
        responsible = [p for p, letters in row.items() if "R" in letters]
        assert len(accountable) == 1, f"{name}: {activity.id} has A on {accountable}"
        assert accountable[0] in internal, f"{name}: {activity.id} has an outside A"
        assert responsible, f"{name}: {activity.id} has nobody R"
    assert set(model.raci) == {a.id for a in model.activities}


def test_every_function_is_assigned(sample):
    name, model = sample
    parties = {p.id: p for p in model.parties}
    assigned = {s.function for s in model.assignments}
    for function in model.functions:
        assert function.id in assigned, f"{name}: {function.id} has no assignment"
    for s in model.assignments:
        if s.mode == "outsourced":
            assert s.contract, f"{name}: outsourced {s.function} has no contract"
        if s.contract:
            contract = model.contract(s.contract)
            assert contract.party == s.party
            assert s.function in contract.covers
        if parties[s.party].kind == "external":
            assert s.mode != "in-house"


def test_key_accountabilities_have_one_internal_party(sample):
    name, model = sample
    internal = {p.id for p in model.parties if p.kind == "internal"}
    for key in KEY_ACCOUNTABILITIES:
        owners = model.key_accountabilities.get(key, [])
        assert len(owners) == 1 and owners[0] in internal, f"{name}: {key} -> {owners}"


def test_catalog_function_ids(sample):
    _, model = sample
    assert {f.id for f in model.functions} == {
        "shop-management",
        "web-store-it",
        "payments",
        "order-management",
        "purchasing",
        "fulfilment",
        "delivery",
        "customer-service",
        "online-marketing",
        "content",
        "analytics",
        "finance",
        "legal",
    }
    for function in model.functions:
        assert 3 <= len(model.activities_of(function.id)) <= 6, function.id


def test_files_match_the_builder(builder, tmp_path):
    written = builder.write_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(NAMES)
    for name in NAMES:
        fresh = (tmp_path / name).read_text(encoding="utf-8")
        on_disk = (SAMPLES / name).read_text(encoding="utf-8")
        assert on_disk == fresh, (
            f"samples/{name} differs from what samples/build_samples.py builds; "
            "run `python samples/build_samples.py` and commit the result"
        )
        assert not (tmp_path / (name + ".bak")).exists()


def test_outsourced_estore_couples_marketing_with_the_web_store():
    model = store.load(SAMPLES / "outsourced-estore.ecomraci.json")
    shared = [c for c in model.contracts if {"web-store-it", "online-marketing"} <= set(c.covers)]
    assert len(shared) == 1
    contract = shared[0]
    assert contract.partial_termination == "none"
    assert contract.termination_for_convenience in ("none", "whole")
    assert "online-marketing" not in contract.insourcing_rights
    assert contract.bundled_price and not contract.price_card_per_function
    assert model.function("online-marketing").reversible
    # the tag infrastructure that online marketing needs is run by the same agency
    dep = next(
        d
        for d in model.dependencies
        if d.function == "online-marketing" and d.needs == "web-store-it"
    )
    assert dep.interface_activity is not None
    assert "R" in model.letters(dep.interface_activity, contract.party)
