"""The synthetic model generator of the benchmarks (bench/generate.py)."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate, main
from ecomraci import store
from ecomraci.integrity import integrity_problems

SMALL = dict(functions=10, activities=40, parties=12, dependencies=30, contracts=4)


def _save_load(model, folder: Path, name: str = "m.ecomraci.json"):
    path = folder / name
    store.save(model, path, keep_backup=False)
    return path, store.load(path)


@pytest.mark.parametrize("seed", [0, 1, 2, 17])
def test_small_model_loads_back_equal(tmp_path, seed):
    model = generate(**SMALL, seed=seed)
    path, loaded = _save_load(model, tmp_path)
    assert loaded == model
    assert not (tmp_path / (path.name + ".bak")).exists()


def test_sizes_are_as_asked():
    model = generate(**SMALL, seed=3)
    assert len(model.functions) == 10
    assert len(model.activities) == 40
    assert len(model.parties) == 12
    assert len(model.dependencies) == 30
    assert len(model.contracts) == 4
    assert integrity_problems(model) == []


def test_same_seed_gives_byte_identical_files(tmp_path):
    first, _ = _save_load(generate(**SMALL, seed=5), tmp_path, "a.ecomraci.json")
    second, _ = _save_load(generate(**SMALL, seed=5), tmp_path, "b.ecomraci.json")
    assert first.read_bytes() == second.read_bytes()


def test_different_seeds_differ(tmp_path):
    first, _ = _save_load(generate(**SMALL, seed=5), tmp_path, "a.ecomraci.json")
    second, _ = _save_load(generate(**SMALL, seed=6), tmp_path, "b.ecomraci.json")
    assert first.read_bytes() != second.read_bytes()
    assert generate(**SMALL, seed=5) != generate(**SMALL, seed=6)


def test_model_looks_like_an_organisation():
    model = generate(
        functions=30, activities=120, parties=40, dependencies=200, contracts=10, seed=9
    )
    kinds = Counter(p.kind for p in model.parties)
    assert kinds == {"internal": 20, "external": 20}
    internal = {p.id for p in model.parties if p.kind == "internal"}
    external = {p.id for p in model.parties if p.kind == "external"}

    # every function is assigned; outsourced ones under a contract with an outside party
    assert {a.function for a in model.assignments} == {f.id for f in model.functions}
    contract_party = {c.id: c.party for c in model.contracts}
    for a in model.assignments:
        if a.contract is not None:
            assert a.mode in ("outsourced", "co-sourced")
            assert a.party == contract_party[a.contract]
    for c in model.contracts:
        assert c.party in external
        assert 1 <= len(c.covers) <= 6
        assert c.start is not None and (c.end is None or c.end > c.start)
    assert any(a.mode == "in-house" for a in model.assignments)

    # about a quarter of the grid, mostly one internal A per activity, at least one R
    cells = sum(len(row) for row in model.raci.values())
    assert 0.18 <= cells / (len(model.activities) * len(model.parties)) <= 0.32
    one_a = 0
    for _aid, row in model.raci.items():
        owners = [pid for pid, letters in row.items() if "A" in letters]
        assert all(pid in internal for pid in owners)
        one_a += len(owners) == 1
        assert any("R" in letters for letters in row.values())
    assert one_a >= 0.8 * len(model.raci)

    # dependencies between distinct functions, each pair once; some through interfaces
    pairs = [(d.function, d.needs) for d in model.dependencies]
    assert len(set(pairs)) == len(pairs)
    assert all(f != n for f, n in pairs)
    interface = {a.id for a in model.activities if a.kind == "interface"}
    vias = [d.interface_activity for d in model.dependencies if d.interface_activity]
    assert vias and all(v in interface for v in vias)
    assert model.forums and model.waivers


def test_dense_dependencies_fill_every_pair():
    model = generate(functions=4, activities=4, parties=2, dependencies=12, contracts=1, seed=1)
    assert len({(d.function, d.needs) for d in model.dependencies}) == 12


@pytest.mark.parametrize(
    "sizes",
    [
        dict(functions=0, activities=0, parties=1, dependencies=0, contracts=0),
        dict(functions=3, activities=3, parties=0, dependencies=0, contracts=0),
        dict(functions=3, activities=3, parties=4, dependencies=7, contracts=0),
        dict(functions=3, activities=3, parties=1, dependencies=0, contracts=1),
        dict(functions=3, activities=-1, parties=4, dependencies=0, contracts=0),
    ],
)
def test_impossible_sizes_are_refused(sizes):
    with pytest.raises(ValueError):
        generate(**sizes, seed=1)


def test_command_line_writes_a_loadable_file(tmp_path, capsys):
    out = tmp_path / "sub" / "gen.ecomraci.json"
    assert (
        main(
            [
                "--functions",
                "5",
                "--activities",
                "12",
                "--parties",
                "6",
                "--dependencies",
                "8",
                "--contracts",
                "2",
                "--seed",
                "4",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert store.load(out) == generate(
        functions=5, activities=12, parties=6, dependencies=8, contracts=2, seed=4
    )
    assert "5 functions" in capsys.readouterr().out


@st.composite
def _sizes(draw):
    functions = draw(st.integers(1, 8))
    parties = draw(st.integers(1, 9))
    return dict(
        functions=functions,
        activities=draw(st.integers(0, 25)),
        parties=parties,
        dependencies=draw(st.integers(0, min(15, functions * (functions - 1)))),
        contracts=draw(st.integers(0, 4)) if parties >= 2 else 0,
        seed=draw(st.integers(0, 2**32)),
    )


@settings(max_examples=40, deadline=None)
@given(_sizes())
def test_generate_save_load_round_trip(sizes):
    model = generate(**sizes)
    with tempfile.TemporaryDirectory() as folder:
        _, loaded = _save_load(model, Path(folder))
    assert loaded == model
    assert len(model.functions) == sizes["functions"]
    assert len(model.activities) == sizes["activities"]
    assert len(model.dependencies) == sizes["dependencies"]
    assert len(model.contracts) == sizes["contracts"]
