"""What-if in the window (offscreen), driven through the context menus a user right-clicks:
insource, move and terminate; the result pane; saving a scenario, applying one as one
undo step; scenarios in the model tree; comparing them with the RACI cells that differ
marked in the matrix."""

from __future__ import annotations

from datetime import date

import pytest

from ecomraci import diff as model_diff
from ecomraci import scenario as core
from ecomraci import store
from tests.ui.conftest import SAMPLES
from ui.matrix.model import HIGHLIGHT_ROLE
from ui.matrix.view import HIGHLIGHT_PEN
from ui.model_tree import GROUP_ROLE, KIND_ROLE
from ui.sourcing_map.items import BoxItem

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

ESTORE = SAMPLES / "outsourced-estore.ecomraci.json"
AS_OF = date(2026, 12, 1)


@pytest.fixture
def estore(make_window):
    return make_window(store.load(ESTORE), ESTORE, as_of=AS_OF)


def _action(menu, starts: str):
    found = [a for a in menu.actions() if a.text().startswith(starts)]
    assert found, f"no {starts!r} in {[a.text() for a in menu.actions()]}"
    return found[0]


def _tree_index(window, key: str, kind: str):
    model = window.tree_model
    hits = model.match(
        model.index(0, 0),
        Qt.ItemDataRole.UserRole,
        key,
        -1,
        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
    )
    hits = [h for h in hits if h.data(KIND_ROLE) == kind]
    assert hits, f"no {kind} {key!r} in the tree"
    return hits[0]


def _group(window, group: str):
    root = window.tree_model.invisibleRootItem()
    return next(
        root.child(i) for i in range(root.rowCount()) if root.child(i).data(GROUP_ROLE) == group
    )


def _insource_marketing(window):
    """Right-click Online marketing in the tree, choose the insource entry, take the
    offered internal team (the first, the function's owner)."""
    asked = []

    def answer(title, label, items):
        asked.append(items)
        return items[0]

    window.prompts.answers["item"] = answer
    menu = window.tree_menu(_tree_index(window, "online-marketing", "function"))
    _action(menu, "What if we insource “Online marketing”").trigger()
    return asked


def _section(text: str, title: str, following: str) -> str:
    return text.split(title, 1)[1].split(following, 1)[0]


def test_insource_from_the_tree_shows_exit_risk_and_marks_the_matrix(estore):
    asked = _insource_marketing(estore)
    assert asked[0][0] == "Marketing"  # the internal owner is the default answer
    panel = estore.scenario_actions.panel
    assert estore.scenario_dock.widget() is panel and panel.isVisible()
    text = panel.plain_text()
    assert "What if “Online marketing” is taken in-house by “Marketing”?" in text
    exit_part = _section(text, "Earliest exit (1)", "Services put at risk")
    assert "Pixelforge master services agreement (web store and online marketing)" in exit_part
    assert (
        "on 2027-06-01" in exit_part
        and "termination for convenience of the whole contract" in exit_part
    )
    risk = _section(text, "Services put at risk (2)", "New party boundaries")
    assert "Web store IT" in risk and "ends with the contract" in risk
    contracts = _section(text, "Contracts to amend (1)", "Other changes")
    assert "Pixelforge master services agreement" in contracts and "SRC-02" in contracts
    assert "4 disappear" in text

    expected = core.insource(
        estore.document.model, "online-marketing", "marketing-dept", as_of=AS_OF
    )
    cells = {(r.activity, r.party) for r in expected.raci}
    assert ("om-search", "pixelforge") in cells and ("om-search", "marketing-dept") in cells
    m = estore.matrix_model
    assert m.highlighted() == cells
    marked = m.index(m.row_of("om-search"), m.column_of("marketing-dept"))
    plain = m.index(m.row_of("om-search"), m.column_of("it-team"))
    assert marked.data(HIGHLIGHT_ROLE) and not plain.data(HIGHLIGHT_ROLE)
    assert "What if: A → AR" in marked.data(Qt.ItemDataRole.ToolTipRole)
    # the delegate draws the mark: the highlight colour inside that cell, not in the other
    estore.tabs.setCurrentWidget(estore.matrix_page)
    estore.matrix.scrollTo(marked)
    image = estore.matrix.viewport().grab().toImage()

    def has_mark(index) -> bool:
        r = estore.matrix.visualRect(index)
        return any(
            image.pixelColor(x, y).rgb() == HIGHLIGHT_PEN.rgb()
            for x in range(r.left(), r.right())
            for y in range(r.top(), r.bottom())
        )

    assert has_mark(marked) and not has_mark(plain)
    # nothing changed in the model: a what-if works on a copy
    assert estore.document.undo_stack.count() == 0
    assert estore.document.model == store.load(ESTORE)


def test_save_as_scenario_lists_it_in_the_tree_and_undo_removes_it(estore):
    _insource_marketing(estore)
    panel = estore.scenario_actions.panel
    assert _group(estore, "scenarios").text() == "Scenarios (0)"
    estore.prompts.answers["text"] = lambda title, label, default: (
        "Take marketing back" if default == "Insource Online marketing" else None
    )
    panel.save_button.click()
    saved = estore.document.model.scenarios
    assert [s.name for s in saved] == ["Take marketing back"]
    assert saved[0].operation == "insource" and saved[0].as_of == AS_OF
    assert saved[0].edits == panel.result.edits
    group = _group(estore, "scenarios")
    assert group.text() == "Scenarios (1)" and group.child(0).text() == "Take marketing back"
    assert group.child(0).data(KIND_ROLE) == "scenario"
    assert panel.state == "fresh"  # saving does not change what the what-if reads
    assert estore.windowTitle().endswith("* — ecomraci")

    # the same name again is refused, with the core's message, and nothing changes
    estore.prompts.answers["text"] = "Take marketing back"
    assert not estore.scenario_actions.save()
    assert "already has a scenario named 'Take marketing back'" in estore.prompts.errors[-1][1]
    assert estore.document.undo_stack.count() == 1

    estore.document.undo_stack.undo()
    assert estore.document.model.scenarios == []
    assert _group(estore, "scenarios").text() == "Scenarios (0)"
    assert estore.document.model == store.load(ESTORE)
    assert panel.state == "fresh" and panel.save_button.isEnabled()
    estore.document.undo_stack.redo()
    assert [s.name for s in estore.document.model.scenarios] == ["Take marketing back"]


def test_apply_is_one_undo_step_and_undo_restores_the_model_exactly(estore):
    _insource_marketing(estore)
    panel = estore.scenario_actions.panel
    before = estore.document.model.model_copy(deep=True)
    panel.apply_button.click()
    model = estore.document.model
    assert estore.document.undo_stack.count() == 1
    assert estore.document.undo_stack.text(0).startswith("Apply what-if: Insource Online marketing")
    assert model == core.apply(before, panel.result)
    assert {(s.party, s.mode) for s in model.assignments if s.function == "online-marketing"} == {
        ("marketing-dept", "in-house")
    }
    assert "online-marketing" not in model.contract("pixelforge-msa").covers
    assert panel.state == "applied" and not panel.apply_button.isEnabled()
    assert "Undo" in panel.plain_text()

    estore.document.undo_stack.undo()
    assert estore.document.model == before
    assert panel.state == "fresh" and panel.apply_button.isEnabled()


def test_a_result_the_model_has_moved_past_is_run_again_before_saving(estore):
    _insource_marketing(estore)
    panel = estore.scenario_actions.panel
    m = estore.matrix_model
    m.setData(m.index(m.row_of("om-seo"), m.column_of("legal-dept")), "C")
    assert panel.state == "stale"
    assert not panel.apply_button.isEnabled() and not panel.save_button.isEnabled()
    assert panel.rerun_button.isVisibleTo(panel)
    assert "The model changed since" in panel.plain_text()
    assert not estore.scenario_actions.apply()
    assert estore.document.undo_stack.count() == 1
    panel.rerun_button.click()
    assert panel.state == "fresh" and panel.apply_button.isEnabled()
    # undoing the edit brings back the model the result was worked out on... and a new
    # edit at the same place in the undo history is another model
    estore.document.undo_stack.undo()
    assert panel.state == "stale"
    m.setData(m.index(m.row_of("om-seo"), m.column_of("legal-dept")), "I")
    assert panel.state == "stale"


def test_move_from_the_matrix_band_row_under_a_new_contract(estore):
    answers = iter(["Nordlog Fulfilment & Contact", "A new contract"])
    offered = []
    estore.prompts.answers["item"] = lambda title, label, items: (
        offered.append(items),
        next(answers),
    )[1]
    menu = estore.matrix.activity_menu(estore.matrix_model.row_of("online-marketing"))
    assert menu.actions()[0].text() == "Add activity…"  # the matrix's own entries stay
    _action(menu, "What if we move “Online marketing” to").trigger()
    assert "Pixelforge Digital" not in offered[0]  # it delivers the function already
    assert offered[1] == ["Nordlog fulfilment and contact-centre services", "A new contract"]
    result = estore.scenario_actions.panel.result
    assert result.operation.value == "resource" and result.parameters.to == "nordlog"
    assert [c.status for c in result.contracts] == ["amended", "new"]
    text = estore.scenario_actions.panel.plain_text()
    assert "Nordlog Fulfilment & Contact" in _section(text, "Contracts to amend", "Other changes")


def test_terminate_from_the_contracts_tab(estore):
    tab = estore.contracts_tab
    menu = tab.context_menu(tab.table_model.index(tab.table_model.row_of("parcelway-parcels"), 0))
    _action(menu, "What if we terminate “Parcelway parcel services”").trigger()
    panel = estore.scenario_actions.panel
    assert panel.result.operation.value == "terminate"
    risk = _section(panel.plain_text(), "Services put at risk", "New party boundaries")
    assert "Delivery" in risk and "nobody else delivers it" in risk


def test_a_what_if_that_cannot_be_worked_out_says_why_and_changes_nothing(estore):
    # content is done in-house already: nothing to take in-house
    menu = estore.tree_menu(_tree_index(estore, "content", "function"))
    assert not _action(menu, "What if we insource “Content").isEnabled()
    # a saved scenario about a function removed since: the core's message, no result
    _insource_marketing(estore)
    _save(estore, "Take marketing back")
    estore.scenario_actions.clear()
    estore.structure.remove("functions", "online-marketing")
    steps = estore.document.undo_stack.count()
    estore.show_object("scenario", "Take marketing back")
    title, text = estore.prompts.errors[-1]
    assert title == "Cannot work out the what-if"
    assert "there is no function 'online-marketing' in the model" in text
    assert estore.scenario_actions.panel.state == "empty"
    menu = estore.tree_menu(_tree_index(estore, "Take marketing back", "scenario"))
    _action(menu, "Compare with the model as it is").trigger()
    title, text = estore.prompts.errors[-1]
    assert title == "Cannot compare" and "no longer fits the model" in text
    assert estore.document.undo_stack.count() == steps


def _save(window, name: str) -> None:
    window.prompts.answers["text"] = name
    assert window.scenario_actions.save()


def test_compare_marks_the_raci_cells_that_differ(estore):
    _insource_marketing(estore)
    _save(estore, "Take marketing back")
    estore.prompts.answers["item"] = lambda title, label, items: (
        "Parcelway" if "provider" in label else "Parcelway parcel services"
    )
    estore.scenario_actions.move("online-marketing")
    _save(estore, "Marketing to Parcelway")
    model = estore.document.model
    a, b = model.scenarios

    # one scenario against the model as it is, from the scenario's menu in the tree
    menu = estore.tree_menu(_tree_index(estore, "Take marketing back", "scenario"))
    _action(menu, "Compare with the model as it is").trigger()
    panel = estore.scenario_actions.panel
    expected = model_diff.compare(model, core.apply(model, a), AS_OF)
    assert estore.matrix_model.highlighted() == {(r.activity, r.party) for r in expected.raci}
    assert panel.comparison.a.label == "The model as it is"
    assert panel.comparison.b.label == "Take marketing back"
    assert panel.comparison.diff.findings == expected.findings
    assert not panel.save_button.isVisibleTo(panel)

    # two scenarios side by side: the cells where they differ, and the findings of each
    estore.prompts.answers["item"] = lambda title, label, items: items[-1]
    group = _group(estore, "scenarios").index()
    _action(estore.tree_menu(group), "Compare scenarios").trigger()
    expected = model_diff.compare(core.apply(model, b), core.apply(model, a), AS_OF)
    cells = {(r.activity, r.party) for r in expected.raci}
    assert ("om-search", "marketing-dept") in cells and ("om-search", "parcelway") in cells
    assert estore.matrix_model.highlighted() == cells
    text = panel.plain_text()
    assert "Compare: Marketing to Parcelway ↔ Take marketing back" in text
    assert (
        "Move Online marketing to Parcelway under Parcelway parcel services, as of 2026-12-01"
        in text
    )
    findings = _section(text, "Findings (", "RACI cells (")
    assert "A · Marketing to Parcelway" in findings and "B · Take marketing back" in findings
    assert all(f.message[:40] in findings for f in expected.findings.appeared)

    # a click on "Clear" takes the marks away
    panel.clear_button.click()
    assert estore.matrix_model.highlighted() == set() and panel.state == "empty"


def test_saved_scenario_from_the_tree_shows_again_and_deletes_with_undo(estore):
    _insource_marketing(estore)
    _save(estore, "Take marketing back")
    panel = estore.scenario_actions.panel
    panel.clear_button.click()
    estore.show_object("scenario", "Take marketing back")  # a click on it in the tree
    assert panel.saved_name == "Take marketing back"
    assert "saved as “Take marketing back”" in panel.plain_text()
    assert "The model changed since this scenario was saved" not in panel.plain_text()

    menu = estore.tree_menu(_tree_index(estore, "Take marketing back", "scenario"))
    _action(menu, "Delete scenario").trigger()
    assert estore.document.model.scenarios == []
    estore.document.undo_stack.undo()
    assert [s.name for s in estore.document.model.scenarios] == ["Take marketing back"]


def test_right_click_on_a_band_row_of_the_matrix_offers_the_what_ifs(estore):
    m = estore.matrix_model
    estore.tabs.setCurrentWidget(estore.matrix_page)
    band = m.index(m.row_of("online-marketing"), 0)
    estore.matrix.scrollTo(band)
    seen = []

    def read_and_close():
        popup = QApplication.activePopupWidget()
        seen.extend(a.text() for a in popup.actions())
        popup.close()

    QTimer.singleShot(0, read_and_close)
    estore.matrix.customContextMenuRequested.emit(estore.matrix.visualRect(band).center())
    assert "What if we insource “Online marketing”…" in seen
    assert "What if we move “Online marketing” to…" in seen


def test_compare_with_the_model_marks_the_changed_boxes_on_the_map(estore):
    _insource_marketing(estore)
    sourcing_map = estore.map
    # the result alone marks what it changes on the map too
    assert {"online-marketing", "pixelforge-msa"} <= sourcing_map.highlighted()
    _save(estore, "Take marketing back")
    estore.scenario_actions.clear()
    assert sourcing_map.highlighted() == set()

    menu = estore.tree_menu(_tree_index(estore, "Take marketing back", "scenario"))
    _action(menu, "Compare with the model as it is").trigger()
    assert "(marked on the map)" in estore.scenario_actions.panel.plain_text()
    boxes = [i for i in sourcing_map.scene.items_of("online-marketing") if isinstance(i, BoxItem)]
    assert boxes and all(b.changed for b in boxes)
    assert sourcing_map.highlighted() == {"online-marketing", "pixelforge-msa"}
    assert not any(
        b.changed for b in sourcing_map.scene.boxes.values() if b.box.function != "online-marketing"
    )
    tip = boxes[0].toolTip()
    assert (
        "Delivery “Online marketing by Pixelforge Digital”: only in A (The model as it is)" in tip
    )
    assert "Delivery “Online marketing by Marketing”: only in B (Take marketing back)" in tip
    frame = sourcing_map.scene.items_of("pixelforge-msa")[0]
    assert "A and B differ in covers" in frame.toolTip()

    # a change to the model draws the map again (when its tab is shown): the marks
    # stay until Clear
    drawn = boxes[0]
    estore.structure.remove("functions", "legal")
    estore.tabs.setCurrentWidget(sourcing_map)
    boxes = [i for i in sourcing_map.scene.items_of("online-marketing") if isinstance(i, BoxItem)]
    assert boxes[0] is not drawn and all(b.changed for b in boxes)
    estore.scenario_actions.panel.clear_button.click()
    assert sourcing_map.highlighted() == set() and estore.matrix_model.highlighted() == set()
    assert not any(b.changed for b in sourcing_map.scene.boxes.values())


def test_the_what_if_pane_is_built_when_first_shown(estore):
    assert estore.scenario_actions.panel is None  # opening the model did without it
    estore.scenario_dock.raise_()
    panel = estore.scenario_actions.panel
    assert panel is not None and estore.scenario_dock.widget() is panel
    assert panel.state == "empty" and panel.isVisible()
    _insource_marketing(estore)
    assert estore.scenario_actions.panel is panel and panel.state == "fresh"
