"""Document.apply: the one way the app changes a model. A refused list changes nothing
and pushes nothing; undo and redo restore the file exactly; a stale fix is refused."""

from __future__ import annotations

import pytest

from ecomraci import store
from ecomraci.edits import AddObject, RemoveObject, SetField, SetLayout, SetRaci
from ecomraci.model import Position
from ecomraci.operations import deliver
from ecomraci.transaction import Change
from ui.document import Document
from ui.panels.findings import FindingsPanel

from .test_sourcing_map import AS_OF, ESTORE


@pytest.fixture
def document():
    return Document(store.load(ESTORE), ESTORE)


def test_a_refused_list_changes_nothing_and_pushes_nothing(document):
    before = store.dumps(document.model)
    seen: list = []
    document.changed.connect(seen.append)
    activity, party = document.model.activities[0].id, document.model.parties[0].id
    problem = document.apply(
        [
            SetRaci(activity=activity, party=party, letters="C"),
            SetRaci(activity="ghost", party=party, letters="R"),
        ],
        "two cells",
    )
    assert problem == "there is no activity 'ghost'"
    assert document.undo_stack.count() == 0 and seen == []
    assert store.dumps(document.model) == before


def test_a_pydantic_refusal_names_the_field_as_the_form_does(document):
    c = document.model.contracts[0]
    problem = document.apply(
        [SetField(target="contract", id=c.id, field="notice_period_months", value=99)], "x"
    )
    assert problem is not None and "less than or equal to 60" in problem
    assert document.undo_stack.count() == 0


EDITS = {
    "cell": lambda m: [SetRaci(activity=m.activities[3].id, party=m.parties[2].id, letters="AR")],
    "rename": lambda m: [
        SetField(target="function", id=m.functions[0].id, field="name", value="Shop")
    ],
    "clause": lambda m: [
        SetField(target="contract", id=m.contracts[0].id, field="notice_period_months", value=1)
    ],
    "add party": lambda m: [
        AddObject(collection="parties", item={"id": "x", "name": "X", "kind": "external"})
    ],
    "remove party": lambda m: [RemoveObject(collection="parties", key="pixelforge")],
    "remove function": lambda m: [RemoveObject(collection="functions", key="web-store-it")],
    "deliver": lambda m: deliver(m, "online-marketing", "marketing-dept"),
    "pin": lambda m: [SetLayout(subject="payments", position=Position(x=1, y=2))],
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_undo_then_redo_restores_the_file_exactly(document, kind):
    before = store.dumps(document.model)
    changes: list[Change] = []
    document.changed.connect(changes.append)
    assert document.apply(EDITS[kind](document.model), kind) is None
    after = store.dumps(document.model)
    assert after != before and document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert store.dumps(document.model) == before
    document.undo_stack.redo()
    assert store.dumps(document.model) == after
    document.undo_stack.undo()
    assert store.dumps(document.model) == before
    assert len(changes) == 4 and all(isinstance(c, Change) and c for c in changes)


def test_a_one_field_step_holds_one_small_edit(document):
    f = document.model.functions[0]
    old = f.name
    document.apply([SetField(target="function", id=f.id, field="name", value="Shop")], "x")
    command = document.undo_stack.command(0)
    assert command.inverse == [SetField(target="function", id=f.id, field="name", value=old)]


def test_a_stale_fix_is_refused_with_a_message(qtbot, document):
    panel = FindingsPanel(document, as_of=AS_OF)
    qtbot.addWidget(panel)
    panel.recheck_now(wait=True)
    finding = next(f for f in panel.model.findings if f.edits and f.subjects)
    # what the fix names goes before the fix is applied
    subject = next(
        s
        for s in finding.subjects
        if any(s == x.id for c in ("functions", "parties") for x in getattr(document.model, c))
    )
    collection = "functions" if subject in {f.id for f in document.model.functions} else "parties"
    assert document.apply([RemoveObject(collection=collection, key=subject)], "remove") is None
    before = store.dumps(document.model)
    with qtbot.waitSignal(panel.refused) as said:
        assert not panel.apply_fix(finding)
    assert said.args[0].startswith(f"Cannot apply the fix for {finding.rule}")
    assert document.undo_stack.count() == 1
    assert store.dumps(document.model) == before


def test_a_document_freed_by_the_collector_takes_its_undo_steps_with_it(qtbot):
    """A document left in a reference cycle (with a view, say) is freed by the garbage
    collector, undo steps and all, without crashing the app."""
    import gc

    for _ in range(3):
        document = Document(store.load(ESTORE), ESTORE)
        for kind in ("cell", "rename", "remove party"):
            assert document.apply(EDITS[kind](document.model), kind) is None
        document.undo_stack.undo()

        class View:  # stands for any object that holds its document in a cycle
            pass

        view = View()
        view.document, view.me = document, view
        del document, view
        gc.collect()
