"""Model edits as data (ecomraci/edits.py): adding, removing, moving and placing objects,
with every reference to a removed object dropped so the model stays loadable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import TypeAdapter

from ecomraci import store
from ecomraci.edits import (
    AddObject,
    Edit,
    EditError,
    MoveObject,
    RemoveObject,
    SetLayout,
    SetRaci,
    apply_edits,
)
from ecomraci.integrity import integrity_problems
from ecomraci.model import Position

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.ecomraci.json"))


@pytest.fixture(scope="module")
def estore():
    return store.load(next(p for p in SAMPLES if p.name.startswith("outsourced")))


def test_remove_party_drops_its_cells_contracts_and_memberships(estore):
    contract = next(c for c in estore.contracts if "online-marketing" in c.covers)
    after = apply_edits(estore, [RemoveObject(collection="parties", key=contract.party)])
    assert contract.party not in {p.id for p in after.parties}
    assert all(contract.party not in row for row in after.raci.values())
    assert contract.id not in {c.id for c in after.contracts}
    assert all(s.contract != contract.id for s in after.assignments)
    assert all(contract.party not in f.members for f in after.forums)
    assert integrity_problems(after) == []
    # the original is untouched
    assert contract.party in {p.id for p in estore.parties}


def test_remove_function_drops_activities_dependencies_and_coverage(estore):
    after = apply_edits(estore, [RemoveObject(collection="functions", key="online-marketing")])
    assert not [a for a in after.activities if a.function == "online-marketing"]
    assert not [d for d in after.dependencies if "online-marketing" in (d.function, d.needs)]
    assert all("online-marketing" not in c.covers for c in after.contracts)
    assert not [
        a for a in after.raci if a.startswith("om-") and a not in {x.id for x in after.activities}
    ]
    assert integrity_problems(after) == []


@pytest.mark.parametrize(
    "collection", ["parties", "functions", "activities", "contracts", "forums"]
)
def test_removing_any_object_of_any_sample_keeps_the_model_sound(collection):
    for path in SAMPLES:
        model = store.load(path)
        for item in getattr(model, collection):
            after = apply_edits(model, [RemoveObject(collection=collection, key=item.id)])
            assert integrity_problems(after) == [], (path.name, item.id)


def test_remove_dependency_and_assignment_by_key(estore):
    dep = estore.dependencies[0]
    assignment = estore.assignments[0]
    after = apply_edits(
        estore,
        [
            RemoveObject(collection="dependencies", key=dep.id),
            RemoveObject(collection="assignments", key=f"{assignment.function}@{assignment.party}"),
        ],
    )
    assert len(after.dependencies) == len(estore.dependencies) - 1
    assert len(after.assignments) == len(estore.assignments) - 1


def test_add_validates_and_refuses_duplicates(estore):
    party = {"id": "new-agency", "name": "New agency", "kind": "external", "category": "agency"}
    after = apply_edits(estore, [AddObject(collection="parties", item=party, index=0)])
    assert after.parties[0].id == "new-agency"
    with pytest.raises(EditError, match="already"):
        apply_edits(after, [AddObject(collection="parties", item=party)])
    with pytest.raises(EditError, match="already used"):
        apply_edits(
            estore,
            [
                AddObject(
                    collection="forums",
                    item={"id": estore.functions[0].id, "name": "Clash", "cadence_days": 30},
                )
            ],
        )
    with pytest.raises(EditError, match="kind"):
        apply_edits(
            estore,
            [AddObject(collection="parties", item={"id": "x", "name": "X", "kind": "alien"})],
        )


def test_move_reorders_and_unknown_key_is_a_clear_error(estore):
    last = estore.parties[-1].id
    after = apply_edits(estore, [MoveObject(collection="parties", key=last, index=0)])
    assert after.parties[0].id == last
    assert [p.id for p in after.parties[1:]] == [p.id for p in estore.parties[:-1]]
    with pytest.raises(EditError, match="no party 'ghost'"):
        apply_edits(estore, [MoveObject(collection="parties", key="ghost", index=0)])


def test_layout_pin_and_release(estore):
    fid = estore.functions[0].id
    pinned = apply_edits(estore, [SetLayout(subject=fid, position=Position(x=10, y=20))])
    assert pinned.layout[fid] == Position(x=10, y=20)
    released = apply_edits(pinned, [SetLayout(subject=fid)])
    assert fid not in released.layout


def test_edits_round_trip_as_json():
    edits = [
        SetRaci(activity="a", party="p", letters="AR"),
        AddObject(collection="forums", item={"id": "f", "name": "F", "cadence_days": 30}),
        RemoveObject(collection="parties", key="p"),
        MoveObject(collection="functions", key="x", index=2),
        SetLayout(subject="x", position=Position(x=1, y=2)),
    ]
    adapter = TypeAdapter(list[Edit])
    assert adapter.validate_json(adapter.dump_json(edits)) == edits


def test_step_move_stays_within_the_group(estore):
    from ecomraci.operations import move_step

    kinds = [p.kind for p in estore.parties]
    first_external = kinds.index("external")
    key = estore.parties[first_external].id
    # the first outside party cannot move left among outside parties
    assert move_step(estore, "party", key, -1) == []
    [edit] = move_step(estore, "party", key, +1)
    after = apply_edits(estore, [edit])
    assert [p.id for p in after.parties].index(key) == first_external + 1
    assert after.parties[first_external].kind == "external"
