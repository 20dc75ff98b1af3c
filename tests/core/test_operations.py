"""What the gestures' domain operations do to a model (ecomraci/operations.py), without Qt: moving a
function to another party, adding a dependency, deleting what is selected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ecomraci import store
from ecomraci.edits import EditError, apply_edits
from ecomraci.integrity import integrity_problems
from ecomraci.model import Position
from ecomraci.operations import (
    NEW_CONTRACT,
    NO_CONTRACT,
    add_dependency,
    deliver,
    letters_to_move,
    remove_subjects,
)
from ecomraci.rules import check
from ecomraci.transaction import transact


def reassign(model, function, from_party, to_party, contract=None, pin=None):
    """The map's drag of a box from one lane to another."""
    return deliver(model, function, to_party, instead_of=from_party, contract=contract, pin=pin)


SAMPLES = Path(__file__).resolve().parents[2] / "samples"
AS_OF = date(2025, 6, 1)


@pytest.fixture
def estore():
    return store.load(SAMPLES / "outsourced-estore.ecomraci.json")


def _assignments(model, function):
    return [(a.party, a.mode, a.contract) for a in model.assignments if a.function == function]


def _keys(findings):
    return {(f.rule, tuple(f.subjects)) for f in findings if not f.waived}


def test_taking_online_marketing_in_house(estore):
    edits = reassign(
        estore, "online-marketing", "pixelforge", "marketing-dept", pin=Position(x=0, y=0)
    )
    after = apply_edits(estore, edits)
    assert _assignments(after, "online-marketing") == [("marketing-dept", "in-house", None)]
    msa = after.contract("pixelforge-msa")
    assert "online-marketing" not in msa.covers
    assert after.layout["online-marketing"] == Position(x=0, y=0)
    assert integrity_problems(after) == []
    gone = _keys(check(estore, as_of=AS_OF)) - _keys(check(after, as_of=AS_OF))
    assert any(rule == "SRC-02" and "online-marketing" in subjects for rule, subjects in gone)
    # the assignment keeps its place in the list (the RACI columns and the file order)
    index = [a.function for a in estore.assignments].index("online-marketing")
    assert after.assignments[index].function == "online-marketing"


def test_moving_to_an_outside_party_under_a_new_or_existing_contract(estore):
    after = apply_edits(
        estore, reassign(estore, "content", "marketing-dept", "pixelforge", NEW_CONTRACT)
    )
    new = next(c for c in after.contracts if c.id not in {c.id for c in estore.contracts})
    assert new.party == "pixelforge" and new.covers == ["content"]
    assert _assignments(after, "content") == [("pixelforge", "outsourced", new.id)]
    assert integrity_problems(after) == []

    after = apply_edits(
        estore, reassign(estore, "content", "marketing-dept", "pixelforge", "pixelforge-msa")
    )
    assert after.contract("pixelforge-msa").covers[-1] == "content"
    assert _assignments(after, "content") == [("pixelforge", "outsourced", "pixelforge-msa")]

    after = apply_edits(estore, reassign(estore, "content", "marketing-dept", "pixelforge"))
    assert _assignments(after, "content") == [("pixelforge", "outsourced", None)]


def test_co_sourced_function_moved_onto_its_partner_is_no_longer_co_sourced(estore):
    assert len(_assignments(estore, "analytics")) == 2
    after = apply_edits(estore, reassign(estore, "analytics", "pixelforge", "ecom-team"))
    assert _assignments(after, "analytics") == [("ecom-team", "in-house", None)]
    assert "analytics" not in after.contract("pixelforge-msa").covers
    assert integrity_problems(after) == []


def test_function_nobody_delivers_gets_a_party(estore):
    estore.assignments = [a for a in estore.assignments if a.function != "legal"]
    after = apply_edits(estore, reassign(estore, "legal", None, "legal-dept"))
    assert _assignments(after, "legal") == [("legal-dept", "in-house", None)]


def test_bad_moves_are_refused_with_a_reason(estore):
    assert reassign(estore, "content", "marketing-dept", "marketing-dept") == []
    with pytest.raises(EditError, match="no party"):
        reassign(estore, "content", "marketing-dept", "nobody")
    with pytest.raises(EditError, match="not a contract with"):
        reassign(estore, "content", "marketing-dept", "pixelforge", "paynord-psp")
    with pytest.raises(EditError, match="internal team"):
        reassign(estore, "online-marketing", "pixelforge", "marketing-dept", "pixelforge-msa")
    with pytest.raises(EditError, match="does not deliver"):
        reassign(estore, "content", "it-team", "pixelforge")


def test_add_dependency(estore):
    after = apply_edits(estore, add_dependency(estore, needed="legal", needing="delivery"))
    dep = next(d for d in after.dependencies if d.id == "delivery->legal")
    assert (dep.kind, dep.strength) == ("data-feed", "medium")
    with pytest.raises(EditError, match="already needs"):
        add_dependency(estore, needed="web-store-it", needing="payments")
    with pytest.raises(EditError, match="itself"):
        add_dependency(estore, needed="payments", needing="payments")


def test_delete_what_is_selected(estore):
    # one box of a co-sourced function: that party's part only
    after = apply_edits(estore, remove_subjects(estore, [("box", "analytics@pixelforge")]))
    assert _assignments(after, "analytics") == [("ecom-team", "in-house", None)]
    assert "analytics" not in after.contract("pixelforge-msa").covers
    # a function's only box, together with an arrow of its own: the function goes
    after = apply_edits(
        estore,
        remove_subjects(
            estore,
            [
                ("box", "legal@legal-dept"),
                ("dependency", "web-store-it->legal"),
                ("dependency", "payments->web-store-it"),
                ("contract", "paynord-psp"),
                ("forum", "ops-review"),
            ],
        ),
    )
    assert "legal" not in {f.id for f in after.functions}
    assert "payments->web-store-it" not in {d.id for d in after.dependencies}
    assert "paynord-psp" not in {c.id for c in after.contracts}
    assert "ops-review" not in {f.id for f in after.forums}
    assert integrity_problems(after) == []
    with pytest.raises(EditError):
        remove_subjects(estore, [("activity", "x")])


def _row(model, activity):
    return dict(model.raci.get(activity, {}))


def test_taking_a_function_in_house_can_move_the_r_letters_with_it(estore):
    """Online marketing from the agency to the marketing team, R letters moved: the
    agency's R on each activity goes to the team (which keeps its A), nothing else."""
    activities = [a.id for a in estore.activities_of("online-marketing")]
    held = [a for a in activities if "R" in estore.letters(a, "pixelforge")]
    assert held and len(held) < len(activities)  # om-vendor: the team's own R
    cells = letters_to_move(estore, "online-marketing", "marketing-dept")
    assert cells == [(a, "pixelforge") for a in held]
    kept = apply_edits(estore, deliver(estore, "online-marketing", "marketing-dept"))
    assert all("R" in kept.letters(a, "pixelforge") for a in held)  # the default: untouched
    after = apply_edits(
        estore, deliver(estore, "online-marketing", "marketing-dept", move_letters=True)
    )
    for a in activities:
        before_row, after_row = _row(estore, a), _row(after, a)
        if a in held:
            old_team = before_row.get("marketing-dept", "")
            assert after.letters(a, "marketing-dept") == "".join(
                ch for ch in "ARSCIV" if ch in old_team + "R"
            )
            assert after.letters(a, "pixelforge") == before_row["pixelforge"].replace("R", "")
        else:
            assert after_row == before_row
        others = {p: v for p, v in before_row.items() if p not in ("pixelforge", "marketing-dept")}
        assert {p: v for p, v in after_row.items() if p in others} == others
    assert _assignments(after, "online-marketing") == [("marketing-dept", "in-house", None)]
    assert integrity_problems(after) == []
    # the edits undo to exactly the model they started from
    model = estore.model_copy(deep=True)
    result = transact(
        model, deliver(model, "online-marketing", "marketing-dept", move_letters=True)
    )
    transact(model, result.inverse)
    assert model == estore


def test_moving_letters_from_one_of_two_co_sourcing_parties(estore):
    """The agency's part of analytics moves to the IT team: only the agency's R moves."""
    after = apply_edits(
        estore,
        deliver(estore, "analytics", "it-team", instead_of="pixelforge", move_letters=True),
    )
    assert sorted(_assignments(after, "analytics")) == [
        ("ecom-team", "co-sourced", None),
        ("it-team", "co-sourced", None),
    ]
    for a in estore.activities_of("analytics"):
        assert "R" not in after.letters(a.id, "pixelforge")
        assert after.letters(a.id, "ecom-team") == estore.letters(a.id, "ecom-team")
        moved = "R" in estore.letters(a.id, "pixelforge")
        assert ("R" in after.letters(a.id, "it-team")) == (
            moved or "R" in estore.letters(a.id, "it-team")
        )


def test_mode_and_contract_of_the_current_deliverer(estore):
    # another contract of the same party: the function leaves the old one's scope
    after = apply_edits(
        estore,
        deliver(
            estore,
            "online-marketing",
            "pixelforge",
            contract=NEW_CONTRACT,
            new_contract_name="Marketing retainer",
        ),
    )
    assert _assignments(after, "online-marketing") == [
        ("pixelforge", "outsourced", "marketing-retainer")
    ]
    assert "online-marketing" not in after.contract("pixelforge-msa").covers
    assert after.contract("marketing-retainer").covers == ["online-marketing"]
    # under no contract any more
    after = apply_edits(
        estore, deliver(estore, "online-marketing", "pixelforge", contract=NO_CONTRACT)
    )
    assert _assignments(after, "online-marketing") == [("pixelforge", "outsourced", None)]
    assert "online-marketing" not in after.contract("pixelforge-msa").covers
    # the mode of a sole deliverer, and the reasons a mode is refused
    after = apply_edits(estore, deliver(estore, "content", "marketing-dept", mode="outsourced"))
    assert _assignments(after, "content") == [("marketing-dept", "outsourced", None)]
    with pytest.raises(EditError, match="co-sourced needs a second one"):
        deliver(estore, "content", "marketing-dept", mode="co-sourced")
    with pytest.raises(EditError, match="more than one it is co-sourced"):
        deliver(estore, "content", "it-team", instead_of=None, mode="in-house")
    with pytest.raises(EditError, match="not a sourcing mode"):
        deliver(estore, "content", "it-team", mode="rented")
    assert deliver(estore, "content", "marketing-dept", mode="in-house") == []
    # beside the current deliverer: both are co-sourced
    after = apply_edits(estore, deliver(estore, "content", "pixelforge", instead_of=None))
    assert sorted(_assignments(after, "content")) == [
        ("marketing-dept", "co-sourced", None),
        ("pixelforge", "co-sourced", None),
    ]
    assert deliver(estore, "online-marketing", "pixelforge", contract="pixelforge-msa") == []
