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
from ecomraci.operations import NEW_CONTRACT, add_dependency, deliver, remove_subjects
from ecomraci.rules import check


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
