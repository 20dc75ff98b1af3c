"""The core transaction (ecomraci/transaction.py): all or nothing, checked, with an exact
inverse and a typed description of the change."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomraci import store
from ecomraci.edits import (
    AddObject,
    EditError,
    MoveObject,
    RemoveObject,
    SetField,
    SetKeyAccountability,
    SetLayout,
    SetRaci,
)
from ecomraci.integrity import integrity_problems
from ecomraci.model import Position
from ecomraci.rules import check
from ecomraci.transaction import refusal, transact

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.ecomraci.json"))
ESTORE = next(p for p in SAMPLES if p.name.startswith("outsourced"))


def _text(model) -> str:
    return store.dumps(model)


@pytest.fixture
def estore():
    return store.load(ESTORE)


def test_a_failing_edit_leaves_the_model_untouched(estore):
    before = _text(estore)
    activity = estore.activities[0].id
    party = estore.parties[0].id
    edits = [
        SetRaci(activity=activity, party=party, letters="C"),
        RemoveObject(collection="parties", key=estore.parties[1].id),
        SetRaci(activity="no-such-activity", party=party, letters="R"),
    ]
    with pytest.raises(EditError, match="no activity 'no-such-activity'"):
        transact(estore, edits)
    assert _text(estore) == before


def test_a_raci_cell_must_name_an_existing_activity_and_party(estore):
    party = estore.parties[0].id
    assert "no activity" in refusal(estore, [SetRaci(activity="ghost", party=party, letters="R")])
    activity = estore.activities[0].id
    assert "no party" in refusal(estore, [SetRaci(activity=activity, party="ghost", letters="R")])


def test_an_edit_that_breaks_integrity_is_refused_and_names_the_problem(estore):
    before = _text(estore)
    assignment = estore.assignments[0]
    edit = SetField(
        target="assignment",
        id=f"{assignment.function}@{assignment.party}",
        field="contract",
        value="no-such-contract",
    )
    with pytest.raises(EditError, match="no contract has this id"):
        transact(estore, [edit])
    assert _text(estore) == before
    assert integrity_problems(estore) == []


def test_a_waiver_must_name_an_existing_rule_and_subject(estore):
    def waiver(rule, subject):
        item = {"rule": rule, "subjects": [subject], "reason": "x", "author": "y"}
        return [AddObject(collection="waivers", item=item)]

    party = estore.parties[0].id
    assert "no object has this id" in refusal(estore, waiver("RACI-01", "ghost"))
    assert "no rule 'RACI-99'" in refusal(estore, waiver("RACI-99", party))
    assert "author" in refusal(estore, [AddObject(collection="waivers", item={"rule": "RACI-01"})])
    assert refusal(estore, waiver("RACI-01", party)) is None


def test_a_stale_fix_is_refused(estore):
    finding = next(f for f in check(estore) if f.edits)
    # Its subjects go before it is applied: the fix names what is no longer there.
    for subject in finding.subjects:
        for collection in ("functions", "activities", "parties", "contracts"):
            if any(x.id == subject for x in getattr(estore, collection)):
                transact(estore, [RemoveObject(collection=collection, key=subject)])
    before = _text(estore)
    problem = refusal(estore, list(finding.edits))
    assert problem is not None
    assert _text(estore) == before


def test_removing_a_party_is_undone_exactly_and_says_what_changed(estore):
    before = _text(estore)
    party = next(c.party for c in estore.contracts)
    applied = transact(estore, [RemoveObject(collection="parties", key=party)])
    assert party not in {p.id for p in estore.parties}
    assert applied.change.removed["parties"] == {party}
    assert "contracts" in applied.change.removed
    assert applied.change.columns_changed and applied.change.map_changed
    assert not applied.change.rows_changed
    undone = transact(estore, applied.inverse)
    assert _text(estore) == before
    # the inverse of the inverse is the redo
    transact(estore, undone.inverse)
    assert party not in {p.id for p in estore.parties}


def test_a_cell_change_is_only_a_cell(estore):
    activity, party = estore.activities[0].id, estore.parties[0].id
    old = estore.letters(activity, party)
    applied = transact(
        estore, [SetRaci(activity=activity, party=party, letters="I" if old != "I" else "C")]
    )
    change = applied.change
    assert change.cells == {(activity, party)}
    assert not (change.rows_changed or change.columns_changed or change.map_changed)
    assert applied.inverse == [SetRaci(activity=activity, party=party, letters=old)]


def test_a_rename_is_a_label_not_a_new_layout(estore):
    f = estore.functions[0]
    applied = transact(estore, [SetField(target="function", id=f.id, field="name", value="Shop")])
    assert applied.change.renamed == {f.id}
    assert not applied.change.map_changed and not applied.change.rows_changed
    assert len(applied.inverse) == 1


def test_an_edit_that_changes_nothing_has_no_inverse(estore):
    f = estore.functions[0]
    applied = transact(estore, [SetField(target="function", id=f.id, field="name", value=f.name)])
    assert applied.inverse == [] and not applied.change


# --- undo then redo restores the model exactly, for random edit lists -------------------


def _edit(draw, model):
    kind = draw(
        st.sampled_from(
            [
                "raci",
                "field",
                "remove",
                "add-party",
                "move",
                "layout",
                "key",
                "clause",
            ]
        )
    )
    activities = [a.id for a in model.activities] or ["none"]
    parties = [p.id for p in model.parties] or ["none"]
    if kind == "raci":
        return SetRaci(
            activity=draw(st.sampled_from(activities)),
            party=draw(st.sampled_from(parties)),
            letters=draw(st.sampled_from(["", "R", "A", "AR", "C", "I", "CI"])),
        )
    if kind == "field":
        fid = draw(st.sampled_from([f.id for f in model.functions] or ["none"]))
        return draw(
            st.sampled_from(
                [
                    SetField(target="function", id=fid, field="name", value="Renamed"),
                    SetField(target="function", id=fid, field="lead_time_months", value=7),
                    SetField(target="function", id=fid, field="criticality", value="critical"),
                ]
            )
        )
    if kind == "remove":
        collection = draw(
            st.sampled_from(["parties", "functions", "activities", "contracts", "dependencies"])
        )
        keys = [x.id for x in getattr(model, collection)] or ["none"]
        return RemoveObject(collection=collection, key=draw(st.sampled_from(keys)))
    if kind == "add-party":
        n = draw(st.integers(0, 3))
        return AddObject(
            collection="parties",
            item={"id": f"new-party-{n}", "name": f"New {n}", "kind": "external"},
            index=draw(st.integers(0, 20)),
        )
    if kind == "move":
        return MoveObject(
            collection="activities",
            key=draw(st.sampled_from(activities)),
            index=draw(st.integers(0, len(activities))),
        )
    if kind == "layout":
        subject = draw(st.sampled_from([f.id for f in model.functions] or ["none"]))
        pin = draw(st.sampled_from([None, Position(x=10, y=20), Position(x=-5.5, y=3)]))
        return SetLayout(subject=subject, position=pin)
    if kind == "key":
        return SetKeyAccountability(
            key=draw(st.sampled_from(["online-revenue", "customer-experience"])),
            parties=draw(st.lists(st.sampled_from(parties), max_size=2, unique=True)),
        )
    contracts = [c.id for c in model.contracts] or ["none"]
    return SetField(
        target="contract",
        id=draw(st.sampled_from(contracts)),
        field="notice_period_months",
        value=draw(st.integers(0, 24)),
    )


@st.composite
def edit_lists(draw):
    path = draw(st.sampled_from(SAMPLES))
    model = store.load(path)
    edits = []
    scratch = store.load(path)
    for _ in range(draw(st.integers(1, 6))):
        edit = _edit(draw, scratch)
        try:
            transact(scratch, [edit], check=False)
        except EditError:
            pass
        edits.append(edit)
    return model, edits


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_lists())
def test_undo_then_redo_restores_the_model_exactly(case):
    model, edits = case
    before = _text(model)
    try:
        applied = transact(model, edits)
    except EditError:
        assert _text(model) == before  # refused: nothing changed
        return
    after = _text(model)
    assert integrity_problems(model) == []
    redo = transact(model, applied.inverse)
    assert _text(model) == before
    transact(model, redo.inverse)
    assert _text(model) == after


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_lists(), st.sampled_from(["activity", "party", None]))
def test_save_never_writes_what_load_refuses(tmp_path_factory, case, dangling):
    """Edits applied unchecked (as a bug might), plus perhaps a dangling RACI cell: the
    save either refuses and leaves the file as it was, or writes a file that opens."""
    model, edits = case
    path = tmp_path_factory.mktemp("save") / "m.ecomraci.json"
    store.save(model, path, keep_backup=False)
    before = path.read_bytes()
    try:
        transact(model, edits, check=False)
    except EditError:
        pass
    if dangling == "activity":
        model.raci["no-such-activity"] = {model.parties[0].id: "R"}
    elif dangling == "party":
        model.raci.setdefault(model.activities[0].id, {})["no-such-party"] = "R"
    try:
        store.save(model, path, keep_backup=False)
    except store.WriteRefused:
        assert dangling is not None or integrity_problems(model)
        assert path.read_bytes() == before
        return
    assert dangling is None
    assert store.dumps(store.load(path)) == store.dumps(model)
