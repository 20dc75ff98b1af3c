"""The model tree follows the document in place: a rename changes one item's text, an
object added or removed inserts or removes its row, an undo puts it back; only a move
rebuilds, and the view then keeps what was expanded and current. RACI cells, pins and
fields no label shows leave the tree alone. Qt's model tester watches every change (it
reports a broken contract as a Qt warning, which fails the test: see pyproject.toml)."""

from __future__ import annotations

from datetime import date

import pytest

from ecomraci import operations as ops
from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.edits import AddObject, RemoveObject, SetField, SetLayout, SetRaci
from ecomraci.model import Position
from tests.ui.conftest import SAMPLES
from ui.document import Document
from ui.model_tree import GROUP_ROLE, KEY_ROLE, KIND_ROLE, ModelTree

from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtWidgets import QMenu

ESTORE = SAMPLES / "outsourced-estore.ecomraci.json"


class Signals:
    """Every structural signal of a model, counted by name."""

    NAMES = (
        "modelAboutToBeReset",
        "modelReset",
        "rowsInserted",
        "rowsRemoved",
        "rowsMoved",
        "layoutChanged",
        "dataChanged",
    )

    def __init__(self, model):
        self.seen: list[str] = []
        for name in self.NAMES:
            getattr(model, name).connect(lambda *_a, name=name: self.seen.append(name))

    def count(self, name: str) -> int:
        return self.seen.count(name)


@pytest.fixture
def tree(qtbot, qtmodeltester):
    """A model tree view over the e-store sample, watched by Qt's model tester from the
    start (it checks the model again after each signal)."""
    menus: list[tuple] = []

    def menu_for(kind, key, group):
        menus.append((kind, key, group))
        return QMenu()

    view = ModelTree(menu_for)
    qtbot.addWidget(view)
    view.menus = menus
    view.bind(Document(store.load(ESTORE), ESTORE))
    qtmodeltester.check(view.tree_model)
    return view


def _doc(view) -> Document:
    return view.tree_model.document


def _children(item) -> list[str]:
    return [item.child(r).data(KEY_ROLE) for r in range(item.rowCount())]


def _apply(view, edits) -> None:
    assert _doc(view).apply(edits, "test") is None


# --- in place ---------------------------------------------------------------------------


def test_rename_a_function_changes_its_item_and_nothing_else(tree):
    model = tree.tree_model
    item = model.item_of("online-marketing", "function")
    index = QPersistentModelIndex(item.index())
    tree.expand(item.index())
    tree.setCurrentIndex(item.child(0).index())
    current = QPersistentModelIndex(tree.currentIndex())
    signals = Signals(model)

    _apply(tree, ops.rename(_doc(tree).model, "function", "online-marketing", "Growth marketing"))

    assert item.text() == "Growth marketing"
    assert index.isValid() and index.data() == "Growth marketing"
    assert model.itemFromIndex(index.sibling(index.row(), 0)) is item
    assert signals.count("modelReset") == 0 and signals.count("modelAboutToBeReset") == 0
    assert signals.seen == ["dataChanged"]  # one item, nothing inserted or removed
    assert tree.isExpanded(item.index()) and tree.currentIndex() == current

    _doc(tree).undo_stack.undo()
    assert item.text() == "Online marketing" and signals.count("modelReset") == 0


def test_rename_a_party_and_change_its_kind_relabels_its_item(tree):
    item = tree.tree_model.item_of("pixelforge", "party")
    name = _doc(tree).model.party("pixelforge").name
    _apply(tree, ops.rename(_doc(tree).model, "party", "pixelforge", "Pixel Forge"))
    assert item.text() == "Pixel Forge  ·  external"
    _doc(tree).undo_stack.undo()
    assert item.text() == f"{name}  ·  external"


def test_add_a_party_then_remove_it_and_undo(tree):
    model = tree.tree_model
    parties = model.group_item("parties")
    before = _children(parties)
    tree.setCurrentIndex(parties.child(0).index())
    signals = Signals(model)

    _apply(tree, ops.add_party(_doc(tree).model, "Nordic Freight", "external", "3pl"))
    keys = _children(parties)
    assert len(keys) == len(before) + 1 and "nordic-freight" in keys
    # the row sits where the model has the party
    assert keys == [p.id for p in _doc(tree).model.parties]
    node = model.item_of("nordic-freight", "party")
    assert node.parent() is parties and node.text() == "Nordic Freight  ·  external"
    assert node.data(KIND_ROLE) == "party" and node.data(GROUP_ROLE) is None
    assert parties.text() == f"Parties ({len(before) + 1})"

    _apply(tree, ops.remove(_doc(tree).model, "party", "nordic-freight"))
    assert _children(parties) == before and model.item_of("nordic-freight") is None
    assert parties.text() == f"Parties ({len(before)})"

    _doc(tree).undo_stack.undo()  # the removal: back
    assert "nordic-freight" in _children(parties)
    _doc(tree).undo_stack.undo()  # the addition: gone
    assert _children(parties) == before
    assert signals.count("modelReset") == 0
    assert signals.count("rowsInserted") == 2 and signals.count("rowsRemoved") == 2
    assert tree.currentIndex().data(KEY_ROLE) == before[0]  # the selection stayed


def test_removing_a_party_with_contracts_removes_their_rows_too(tree):
    model = tree.tree_model
    contracts = model.group_item("contracts")
    assert "pixelforge-msa" in _children(contracts)
    _apply(tree, ops.remove(_doc(tree).model, "party", "pixelforge"))
    assert _children(contracts) == [c.id for c in _doc(tree).model.contracts]
    assert _children(model.group_item("parties")) == [p.id for p in _doc(tree).model.parties]
    _doc(tree).undo_stack.undo()
    assert "pixelforge-msa" in _children(contracts)
    assert contracts.text() == f"Contracts ({len(_doc(tree).model.contracts)})"


def test_activities_follow_their_function(tree):
    model = tree.tree_model
    marketing = model.item_of("online-marketing", "function")
    tree.expand(marketing.index())
    signals = Signals(model)
    _apply(tree, ops.add_activity(_doc(tree).model, "online-marketing", "Affiliate programme"))
    activities = [a.id for a in _doc(tree).model.activities_of("online-marketing")]
    assert _children(marketing) == activities and activities[-1].endswith("affiliate-programme")

    # an activity given to another function leaves one function for the other
    aid = activities[0]
    content = model.item_of("content", "function")
    _apply(tree, [SetField(target="activity", id=aid, field="function", value="content")])
    assert aid not in _children(marketing) and aid in _children(content)
    assert _children(content) == [a.id for a in _doc(tree).model.activities_of("content")]
    assert signals.count("modelReset") == 0 and tree.isExpanded(marketing.index())

    _doc(tree).undo_stack.undo()
    _doc(tree).undo_stack.undo()
    assert _children(marketing) == activities[:-1]


def test_removing_a_function_and_undo_brings_back_its_activities(tree):
    model = tree.tree_model
    functions = model.group_item("functions")
    legal = [a.id for a in _doc(tree).model.activities_of("legal")]
    _apply(tree, ops.remove(_doc(tree).model, "function", "legal"))
    assert "legal" not in _children(functions)
    _doc(tree).undo_stack.undo()
    assert _children(model.item_of("legal", "function")) == legal
    assert _children(functions) == [f.id for f in _doc(tree).model.functions]


def test_saved_scenarios_are_listed_and_follow_adds_and_removes(tree):
    from ecomraci.scenario import insource

    model = tree.tree_model
    scenarios = model.group_item("scenarios")
    assert scenarios.text() == "Scenarios (0)" and scenarios.rowCount() == 0
    saved = insource(_doc(tree).model, "online-marketing", as_of=date(2026, 12, 1)).to_scenario(
        "Marketing in-house"
    )
    _apply(tree, [AddObject(collection="scenarios", item=saved.model_dump())])
    assert _children(scenarios) == ["Marketing in-house"]
    assert scenarios.child(0).data(KIND_ROLE) == "scenario"
    assert scenarios.text() == "Scenarios (1)"
    # a scenario's key is its name: a function of the same key stays apart
    assert model.item_of("Marketing in-house", "scenario") is not None

    _apply(tree, [RemoveObject(collection="scenarios", key="Marketing in-house")])
    assert scenarios.rowCount() == 0 and scenarios.text() == "Scenarios (0)"
    _doc(tree).undo_stack.undo()
    assert _children(scenarios) == ["Marketing in-house"]


def test_cells_pins_and_other_fields_leave_the_tree_alone(tree):
    model = tree.tree_model
    signals = Signals(model)
    doc = _doc(tree)
    activity, party = doc.model.activities[0].id, doc.model.parties[0].id
    _apply(tree, [SetRaci(activity=activity, party=party, letters="C")])
    _apply(tree, [SetLayout(subject="online-marketing", position=Position(x=10, y=20))])
    _apply(tree, [SetField(target="party", id=party, field="note", value="Call first")])
    _apply(
        tree,
        [SetField(target="function", id="online-marketing", field="lead_time_months", value=9)],
    )
    assert signals.seen == []


# --- rebuilt ------------------------------------------------------------------------------


def test_a_move_rebuilds_and_keeps_what_was_expanded_and_current(tree):
    model = tree.tree_model
    parties = model.group_item("parties")
    tree.collapse(parties.index())
    marketing = model.item_of("online-marketing", "function")
    tree.expand(marketing.index())
    activity = marketing.child(1).data(KEY_ROLE)
    tree.setCurrentIndex(marketing.child(1).index())
    doc = _doc(tree)
    internal = [p.id for p in doc.model.parties if p.kind == "internal"]
    signals = Signals(model)

    _apply(tree, ops.move_step(doc.model, "party", internal[0], +1))

    assert signals.count("modelReset") == 1
    parties = model.group_item("parties")
    assert _children(parties)[:2] == [internal[1], internal[0]]
    assert not tree.isExpanded(parties.index())
    assert tree.isExpanded(model.group_item("functions").index())
    assert tree.isExpanded(model.item_of("online-marketing", "function").index())
    assert not tree.isExpanded(model.item_of("content", "function").index())
    assert tree.currentIndex().data(KEY_ROLE) == activity


def test_a_change_not_described_rebuilds_the_same_tree(tree):
    model = tree.tree_model
    before = {g: _children(model.group_item(g)) for g in ("parties", "functions", "scenarios")}
    signals = Signals(model)
    _doc(tree).changed.emit(None)
    assert signals.count("modelReset") == 1
    assert {g: _children(model.group_item(g)) for g in before} == before


# --- the view ---------------------------------------------------------------------------


def test_activation_asks_to_show_the_object_and_the_menu_gets_the_item(tree, qtbot):
    model = tree.tree_model
    node = model.item_of("pixelforge-msa", "contract")
    with qtbot.waitSignal(tree.objectActivated) as shown:
        tree.activated.emit(node.index())
    assert shown.args == ["contract", "pixelforge-msa"]
    with qtbot.assertNotEmitted(tree.objectActivated):
        tree.activated.emit(model.group_item("contracts").index())  # a group: nothing to show
    tree.menu(model.group_item("parties").index())
    tree.menu(node.index())
    assert tree.menus == [(None, None, "parties"), ("contract", "pixelforge-msa", None)]
    assert tree.select("online-marketing")
    assert tree.currentIndex().data(KEY_ROLE) == "online-marketing"
    assert not tree.select("no-such-thing")


def test_another_document_replaces_the_items_and_the_old_one_is_no_longer_followed(tree):
    old = _doc(tree)
    new = Document(new_model())
    tree.bind(new)
    model = tree.tree_model
    assert _children(model.group_item("functions")) == [f.id for f in new.model.functions]
    signals = Signals(model)
    assert old.apply(ops.add_party(old.model, "Nordic Freight", "external"), "add") is None
    assert signals.seen == [] and model.item_of("nordic-freight") is None
    tree.bind(None)
    assert model.rowCount() == 0


def test_the_window_tree_is_the_model_tree(make_window):
    w = make_window(store.load(ESTORE), ESTORE)
    assert w.tree_model is w.tree.tree_model
    signals = Signals(w.tree_model)
    w.document.apply(ops.rename(w.document.model, "contract", "pixelforge-msa", "MSA"), "rename")
    assert w.tree_item("pixelforge-msa").text() == "MSA"
    assert signals.count("modelReset") == 0


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.ecomraci.json")), ids=lambda p: p.stem)
def test_the_tree_shows_names_never_ids(qtbot, sample):
    """Every label and tooltip of the tree names its object; no compound id (the ids
    people would not write themselves) and no outside party's id shows."""
    from PySide6.QtCore import QModelIndex, Qt

    view = ModelTree(lambda *_a: QMenu())
    qtbot.addWidget(view)
    model = store.load(sample)
    view.bind(Document(model, sample))
    ids = {
        x.id
        for c in ("parties", "functions", "activities", "contracts", "forums")
        for x in getattr(model, c)
        if "-" in x.id or "." in x.id or (c == "parties" and x.kind == "external")
    }
    names = {
        x.id: x.name
        for c in ("parties", "functions", "activities", "contracts", "forums")
        for x in getattr(model, c)
    }
    tm = view.tree_model
    seen = 0

    def walk(parent):
        nonlocal seen
        for row in range(tm.rowCount(parent)):
            index = tm.index(row, 0, parent)
            texts = [index.data(), index.data(Qt.ItemDataRole.ToolTipRole)]
            for text in texts:
                words = set(text.replace("·", " ").split())
                assert not (words & ids), (text, words & ids)
            key = index.data(KEY_ROLE)
            if key in names:
                assert names[key] in index.data() and index.data(Qt.ItemDataRole.ToolTipRole)
                seen += 1
            walk(index)

    walk(QModelIndex())
    assert seen == len(names)


def test_a_rename_finds_the_item_under_its_group_without_searching_the_tree(tree, monkeypatch):
    # On a big model a search of the whole tree asks every item for its data through
    # Python; a relabel looks under the object's group (an activity: under its function).
    model = tree.tree_model
    aid = _doc(tree).model.activities_of("content")[1].id
    activity = model.item_of(aid, "activity")
    function = model.item_of("content", "function")
    old = (activity.text(), function.text())

    def no_search(*_args, **_kwargs):
        raise AssertionError("searched the whole tree")

    monkeypatch.setattr(model, "item_of", no_search)
    _apply(tree, ops.rename(_doc(tree).model, "activity", aid, "Brand voice guide"))
    _apply(tree, ops.rename(_doc(tree).model, "function", "content", "Content and copy"))
    assert activity.text() == "Brand voice guide"
    assert function.text() == "Content and copy"
    assert activity.parent() is function
    _doc(tree).undo_stack.undo()
    _doc(tree).undo_stack.undo()
    assert (activity.text(), function.text()) == old
