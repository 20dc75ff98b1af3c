"""Each view updates exactly what a document's change touches: the map lays out again only
when boxes, lanes, frames or arrows change (a new name or a contract's clause redraws its
own items in place), the RACI matrix resets only when its rows or columns change and
otherwise says which cells changed, and the panels refresh only for what they show.
Edits go through `Document.apply`, as every edit of the app does, on the outsourced
e-store sample with the real widgets."""

from __future__ import annotations

import pytest

from ecomraci.edits import AddObject, RemoveObject, SetField, SetKeyAccountability, SetRaci
from ui.matrix.model import RaciTableModel
from ui.matrix.view import RaciTableView
from ui.panels.contracts import ContractsTab
from ui.panels.inspector import InspectorPanel
from ui.panels.organisation import OrganisationTab
from ui.sourcing_map.scene import MapScene
from ui.sourcing_map.view import SourcingMapWidget

from PySide6.QtCore import Qt

from .sample_kit import sample_document, shown

CELL = ("sm-strategy", "pixelforge")  # empty in the sample


class Recorder:
    """What an item model said: resets, dataChanged ranges ((row, column) pairs) and
    headerDataChanged sections."""

    def __init__(self, model):
        self.resets = 0
        self.data: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.headers: list[tuple[Qt.Orientation, int, int]] = []
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(self._data)
        model.headerDataChanged.connect(lambda o, a, b: self.headers.append((o, a, b)))

    def _reset(self) -> None:
        self.resets += 1

    def _data(self, top, bottom, roles=()) -> None:
        self.data.append(((top.row(), top.column()), (bottom.row(), bottom.column())))

    def clear(self) -> None:
        self.resets = 0
        self.data.clear()
        self.headers.clear()


@pytest.fixture
def views(qtbot, qtmodeltester):
    """A document on the sample with its matrix and its map, both shown."""
    doc = sample_document()
    model = RaciTableModel(doc)
    matrix = shown(qtbot, RaciTableView(model), 900, 600)
    widget = shown(qtbot, SourcingMapWidget(doc), 1000, 700)
    qtmodeltester.check(model)
    return doc, model, matrix, widget, Recorder(model)


def _apply(doc, edits, text="Edit") -> None:
    assert doc.apply(edits, text) is None


def _box_text(widget, key: str) -> str:
    return " ".join(widget.scene.boxes[key].box.lines)


def test_a_raci_edit_changes_exactly_its_cell_and_its_partys_total(views, qtmodeltester):
    doc, model, _matrix, widget, seen = views
    laid_out = widget.scene.map
    row, column = model.row_of(CELL[0]), model.column_of(CELL[1])
    totals_row = model.rowCount() - 1
    before = model.index(totals_row, column).data()
    _apply(doc, [SetRaci(activity=CELL[0], party=CELL[1], letters="C")], "Edit RACI cell")
    assert seen.resets == 0
    assert seen.data == [
        ((row, column), (row, column)),
        ((totals_row, column), (totals_row, column)),
    ]
    assert model.index(row, column).data() == "C"
    # the total of that party counts the new letter; the others are still right
    assert model.index(totals_row, column).data() != before
    assert "C" + str(sum("C" in r.get(CELL[1], "") for r in doc.model.raci.values())) in (
        model.index(totals_row, column).data()
    )
    assert widget.scene.map is laid_out  # the map does not show RACI cells
    qtmodeltester.check(model)

    seen.clear()
    doc.undo_stack.undo()
    assert seen.resets == 0
    assert seen.data == [
        ((row, column), (row, column)),
        ((totals_row, column), (totals_row, column)),
    ]
    assert model.index(row, column).data() == ""
    assert model.index(totals_row, column).data() == before


def test_cells_of_one_row_are_told_as_runs_and_each_total_once(views):
    doc, model, _matrix, _widget, seen = views
    parties = [model.party_at(c) for c in (0, 1, 2, 5)]
    edits = [SetRaci(activity="sm-strategy", party=p, letters="V") for p in parties]
    _apply(doc, edits)
    row, totals = model.row_of("sm-strategy"), model.rowCount() - 1
    assert seen.resets == 0
    assert sorted(seen.data) == [
        ((row, 0), (row, 2)),
        ((row, 5), (row, 5)),
        ((totals, 0), (totals, 2)),
        ((totals, 5), (totals, 5)),
    ]
    for c, pid in zip((0, 1, 2, 5), parties):
        counted = {x: sum(r.get(pid, "").count(x) for r in doc.model.raci.values()) for x in "RACI"}
        assert model.index(totals, c).data() == " ".join(f"{x}{n}" for x, n in counted.items())


def test_renaming_a_function_redraws_its_labels_only(views, qtmodeltester):
    doc, model, _matrix, widget, seen = views
    scene = widget.scene
    laid_out, items = scene.map, dict(scene.boxes)
    lanes = dict(scene.lanes)
    old = doc.model.function("payments").name
    _apply(doc, [SetField(target="function", id="payments", field="name", value="Checkout")])
    # matrix: the band row's text, no reset
    band = model.row_of("payments")
    assert seen.resets == 0
    assert seen.data == [((band, 0), (band, 0))]
    assert model.index(band, 0).data() == "Checkout"
    qtmodeltester.check(model)
    # map: the same layout and the same items, the box says the new name
    assert scene.map is laid_out
    assert scene.boxes == items and scene.lanes == lanes
    assert all(scene.boxes[k] is item for k, item in items.items())
    assert _box_text(widget, "payments") == "Checkout"
    assert scene.boxes["payments"].toolTip().startswith("Checkout\n")
    (arrow,) = scene.items_of("payments->order-management")
    assert arrow.toolTip().startswith("Checkout needs Orders and returns\n")

    seen.clear()
    doc.undo_stack.undo()
    assert seen.resets == 0 and model.index(band, 0).data() == old
    assert scene.map is laid_out and scene.boxes["payments"] is items["payments"]
    assert _box_text(widget, "payments") == old


def test_renaming_a_party_or_an_activity_updates_its_header(views):
    doc, model, matrix, widget, seen = views
    column = model.column_of("pixelforge")
    _apply(doc, [SetField(target="party", id="pixelforge", field="name", value="Pixel & Co")])
    assert seen.resets == 0
    assert seen.headers == [(Qt.Orientation.Horizontal, column, column)]
    last_row = model.rowCount() - 1
    assert seen.data == [((0, column), (last_row, column))]  # the tooltips naming it
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Pixel & Co"
    assert "Pixel & Co" in model.index(model.row_of("sm-trading"), column).data(
        Qt.ItemDataRole.ToolTipRole
    )
    lane = widget.scene.lanes["pixelforge"]
    assert lane.lane.title_lines == ["Pixel & Co"] and lane.toolTip().startswith("Pixel & Co\n")

    seen.clear()
    row = model.row_of("sm-trading")
    _apply(doc, [SetField(target="activity", id="sm-trading", field="name", value="Trade")])
    assert seen.resets == 0
    assert seen.headers == [(Qt.Orientation.Vertical, row, row)]
    assert seen.data == [((row, 0), (row, model.columnCount() - 1))]
    assert model.headerData(row, Qt.Orientation.Vertical) == "Trade"


def test_a_rename_that_a_filter_hides_resets_the_rows(views):
    doc, model, _matrix, _widget, seen = views
    model.set_filter("strategy")
    seen.clear()
    shown_rows = model.rowCount()
    _apply(doc, [SetField(target="activity", id="sm-strategy", field="name", value="Plans")])
    assert seen.resets == 1 and model.rowCount() < shown_rows
    doc.undo_stack.undo()
    assert seen.resets == 2 and model.rowCount() == shown_rows


def test_a_contract_clause_redraws_its_frame_without_a_new_layout(views):
    doc, model, _matrix, widget, seen = views
    scene = widget.scene
    laid_out, frame = scene.map, scene.items_of("pixelforge-msa")[0]
    boxes = dict(scene.boxes)
    edit = SetField(target="contract", id="pixelforge-msa", field="notice_period_months", value=9)
    _apply(doc, [edit])
    assert scene.map is laid_out
    assert scene.items_of("pixelforge-msa") == [frame] and scene.boxes == boxes
    assert seen.resets == 0 and seen.data == []  # the matrix shows no contract
    doc.undo_stack.undo()
    assert scene.map is laid_out and doc.model.contract("pixelforge-msa").notice_period_months == 6


def test_a_renamed_contract_fits_its_tab_in_its_frame(views):
    doc, _model, _matrix, widget, _seen = views
    scene = widget.scene
    frame = scene.items_of("paynord-psp")[0]  # around one box
    rect, tab = frame.frame.rect, frame.tab
    name = "Payment services agreement with PayNord, with every schedule and annex"
    _apply(doc, [SetField(target="contract", id="paynord-psp", field="name", value=name)])
    assert scene.items_of("paynord-psp") == [frame] and frame.frame.rect == rect
    assert len(frame.frame.label) == 2 and frame.frame.label[-1].endswith("…")
    assert frame.tab.width() > tab.width()
    assert frame.tab.right() <= frame.frame.label_rect.right + 0.5
    assert frame.toolTip().startswith(f"Contract: {name}\n")
    assert f"under {name}" in scene.boxes["payments"].toolTip()
    doc.undo_stack.undo()
    assert frame.tab == tab and f"under {name}" not in scene.boxes["payments"].toolTip()


def test_adding_a_party_resets_the_matrix_and_lays_the_map_out_again(views, qtmodeltester):
    doc, model, _matrix, widget, seen = views
    laid_out, columns = widget.scene.map, model.columnCount()
    item = {"id": "new-agency", "name": "New agency", "kind": "external"}
    _apply(doc, [AddObject(collection="parties", item=item)], "Add party")
    assert seen.resets == 1 and model.columnCount() == columns + 1
    assert model.headerData(model.column_of("new-agency"), Qt.Orientation.Horizontal) == (
        "New agency"
    )
    assert widget.scene.map is not laid_out and "new-agency" in widget.scene.lanes
    qtmodeltester.check(model)

    laid_out = widget.scene.map
    doc.undo_stack.undo()
    assert seen.resets == 2 and model.columnCount() == columns
    assert widget.scene.map is not laid_out and "new-agency" not in widget.scene.lanes


def _drawing(scene: MapScene) -> dict:
    """Everything the map's items show: their piece of the layout, tooltip and bounds."""
    out: dict = {"title": scene.title.title}
    for subject, items in scene.by_subject.items():
        for i, item in enumerate(items):
            piece = next(
                getattr(item, a)
                for a in ("box", "lane", "frame", "edge", "line")
                if hasattr(item, a)
            )
            out[type(item).__name__, subject, i] = (
                repr(piece),
                item.toolTip(),
                item.boundingRect().getRect(),
            )
    return out


LABEL_EDITS = [
    ("function", "online-marketing", "name", "Online marketing, search and social advertising"),
    ("function", "payments", "criticality", "normal"),
    ("function", "analytics", "reversible", True),
    ("party", "pixelforge", "name", "Pixelforge Digital Marketing and Web Services GmbH"),
    ("party", "ecom-team", "category", "it"),
    ("party", "nordlog", "name", "N"),
    ("contract", "nordlog-services", "name", "Logistics"),
    ("forum", "ecom-steering", "name", "E-commerce steering board with every outside party"),
    ("forum", "ops-review", "cadence_days", 365),
    ("model", None, "name", "A renamed e-store"),
]


@pytest.mark.parametrize("target, key, field, value", LABEL_EDITS)
def test_a_label_redrawn_in_place_reads_as_a_new_layout_would(views, target, key, field, value):
    doc, _model, _matrix, widget, _seen = views
    scene = widget.scene
    laid_out = scene.map
    _apply(doc, [SetField(target=target, id=key, field=field, value=value)])
    assert scene.map is laid_out
    fresh = MapScene()
    fresh.build(doc.model)
    assert _drawing(scene) == _drawing(fresh)
    doc.undo_stack.undo()
    assert scene.map is laid_out
    fresh.build(doc.model)
    assert _drawing(scene) == _drawing(fresh)


def test_a_hidden_map_redraws_labels_when_shown_without_a_new_layout(views):
    doc, _model, _matrix, widget, _seen = views
    widget.defer_when_hidden = True
    widget.hide()
    laid_out = widget.scene.map
    _apply(doc, [SetField(target="function", id="payments", field="name", value="Checkout")])
    _apply(doc, [SetField(target="party", id="paynord", field="name", value="PayNord AB")])
    assert _box_text(widget, "payments") != "Checkout"  # not yet
    widget.show()
    assert widget.scene.map is laid_out
    assert _box_text(widget, "payments") == "Checkout"
    assert widget.scene.lanes["paynord"].lane.title_lines == ["PayNord AB"]
    # a structural change while hidden lays it out again when shown
    widget.hide()
    _apply(
        doc, [AddObject(collection="parties", item={"id": "x", "name": "X", "kind": "internal"})]
    )
    assert widget.scene.map is laid_out
    widget.show()
    assert widget.scene.map is not laid_out and "x" in widget.scene.lanes


def test_the_map_highlight_flags_follow_a_renamed_item(views):
    doc, _model, _matrix, widget, _seen = views
    widget.set_highlight({"pixelforge-msa"}, {"pixelforge-msa": "Contract: notice differs"})
    _apply(doc, [SetField(target="contract", id="pixelforge-msa", field="name", value="MSA")])
    (flag,) = widget.scene.flags
    frame = widget.scene.items_of("pixelforge-msa")[0]
    assert flag.owner is frame and flag.rect.topLeft() == frame.flag_at()
    assert flag.toolTip().startswith("Contract: MSA\n") and "notice differs" in flag.toolTip()


# --- panels ----------------------------------------------------------------------------


def _count_refreshes(monkeypatch, panel) -> list:
    calls: list = []
    original = panel._refresh
    monkeypatch.setattr(panel, "_refresh", lambda: (calls.append(1), original())[1])
    return calls


def test_the_inspector_refreshes_only_for_what_it_shows(qtbot, monkeypatch):
    doc = sample_document()
    panel = shown(qtbot, InspectorPanel(doc), 400, 700)
    panel.show_object("contract", "pixelforge-msa")
    calls = _count_refreshes(monkeypatch, panel)
    _apply(doc, [SetRaci(activity=CELL[0], party=CELL[1], letters="C")])
    _apply(
        doc, [SetField(target="contract", id="paynord-psp", field="notice_period_months", value=1)]
    )
    _apply(doc, [SetField(target="party", id="paynord", field="note", value="PSP")])
    assert calls == []
    _apply(
        doc,
        [SetField(target="contract", id="pixelforge-msa", field="notice_period_months", value=9)],
    )
    assert len(calls) == 1 and panel.editor("notice_period_months").value() == 9
    # its choices name the parties: a new name shows in them
    _apply(doc, [SetField(target="party", id="pixelforge", field="name", value="Pixel & Co")])
    assert len(calls) == 2
    doc.undo_stack.undo()  # the new name
    doc.undo_stack.undo()  # the notice period
    assert len(calls) == 4 and panel.editor("notice_period_months").value() == 6
    doc.undo_stack.undo()  # another party's note
    assert len(calls) == 4
    _apply(doc, [RemoveObject(collection="contracts", key="pixelforge-msa")])
    assert len(calls) == 5 and panel.current() is None  # it says the object is gone


def test_the_contracts_table_updates_the_cells_of_the_changed_clause(qtbot):
    doc = sample_document()
    tab = shown(qtbot, ContractsTab(doc), 900, 400)
    seen = Recorder(tab.table_model)
    _apply(doc, [SetRaci(activity=CELL[0], party=CELL[1], letters="C")])
    _apply(doc, [SetField(target="forum", id="ops-review", field="cadence_days", value=365)])
    assert seen.data == [] and seen.headers == [] and seen.resets == 0
    m = tab.table_model
    row, column = m.row_of("pixelforge-msa"), m.column_of("notice_period_months")
    _apply(
        doc,
        [SetField(target="contract", id="pixelforge-msa", field="notice_period_months", value=9)],
    )
    assert seen.data == [((row, column), (row, column))] and seen.resets == 0
    assert m.index(row, column).data() == "9 months"
    seen.clear()
    # a renamed party shows in the party column of every row
    _apply(doc, [SetField(target="party", id="pixelforge", field="name", value="Pixel & Co")])
    party = m.column_of("party")
    # the columns naming parties: the contract's party and its exit plan's owner
    naming = [party, m.column_of("exit_plan.owner")]
    assert [i for i, c in enumerate(m.columns) if c.spec.ref == "parties"] == naming
    assert seen.data == [((0, i), (m.rowCount() - 1, i)) for i in naming]
    assert m.index(row, party).data() == "Pixel & Co"


def test_the_organisation_tab_refreshes_only_for_what_it_shows(qtbot, monkeypatch):
    doc = sample_document()
    tab = shown(qtbot, OrganisationTab(doc), 900, 700)
    calls = _count_refreshes(monkeypatch, tab)
    _apply(doc, [SetRaci(activity=CELL[0], party=CELL[1], letters="C")])
    _apply(
        doc, [SetField(target="contract", id="paynord-psp", field="notice_period_months", value=1)]
    )
    _apply(doc, [SetField(target="party", id="paynord", field="note", value="PSP")])
    assert calls == []
    _apply(doc, [SetKeyAccountability(key="online-revenue", parties=["marketing-dept"])])
    assert len(calls) == 1
    _apply(doc, [SetField(target="party", id="marketing-dept", field="name", value="Brand")])
    assert len(calls) == 2
    assert tab.owner_combos["online-revenue"].currentText() == "Brand"
    _apply(doc, [SetField(target="organisation", field="online_share_percent", value=40.0)])
    assert len(calls) == 3
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert len(calls) == 5
    assert tab.owner_combos["online-revenue"].currentText() == "Marketing"
