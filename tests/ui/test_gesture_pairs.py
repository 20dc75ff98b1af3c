"""Two gestures that mean the same thing reach the same model: each pair is made on its
own copy of a sample through the real widgets, and the saved files are compared."""

from __future__ import annotations

from ecomraci import store
from ecomraci.model import Model
from ui.document import Document
from ui.panels.contracts import ContractsTab
from ui.panels.inspector import InspectorPanel

from PySide6.QtCore import Qt

from .conftest import SAMPLES
from .sample_kit import retype, shown
from .test_sourcing_map import ESTORE, Chooser, _widget, drag_into_lane


def _file(model: Model, *, without_pins: bool = False) -> str:
    if without_pins:
        model = model.model_copy(update={"layout": {}})
    return store.dumps(model)


def test_delivered_by_in_the_tree_equals_a_drag_on_the_map(qtbot, make_window):
    # The map: drag online marketing from the agency's lane into the marketing team's.
    widget = _widget(qtbot, ESTORE, Chooser(None))
    drag_into_lane(qtbot, widget, "online-marketing", "marketing-dept")
    by_map = widget.document.model
    # The tree: "Delivered by…" on the same function.
    window = make_window(store.load(ESTORE), ESTORE)
    marketing = window.document.model.party("marketing-dept")
    window.prompts.answers["item"] = f"{marketing.name} ({marketing.kind})"
    assert window.structure.deliver("online-marketing")
    by_tree = window.document.model
    assert "online-marketing" not in by_tree.contract("pixelforge-msa").covers
    # The drop also pins the box where it was let go: the rest is the same model.
    assert _file(by_tree, without_pins=True) == _file(by_map, without_pins=True)
    assert window.document.undo_stack.count() == widget.document.undo_stack.count() == 1


def test_delivered_by_an_outside_party_under_a_contract_equals_the_map(qtbot, make_window):
    widget = _widget(qtbot, ESTORE, Chooser("pixelforge-msa"))
    drag_into_lane(qtbot, widget, "content", "pixelforge")
    window = make_window(store.load(ESTORE), ESTORE)
    model = window.document.model
    agency = model.party("pixelforge")
    answers = iter([f"{agency.name} ({agency.kind})", model.contract("pixelforge-msa").name])
    window.prompts.answers["item"] = lambda *a: next(answers)
    assert window.structure.deliver("content")
    assert _file(window.document.model, without_pins=True) == _file(
        widget.document.model, without_pins=True
    )


def test_adding_a_party_from_the_tree_equals_the_matrix_header(make_window):
    tree = make_window(store.load(ESTORE), ESTORE)
    form = tree.structure.add("party", "party", "pixelforge")
    form.name.setText("Nordic Freight")
    form.category.setCurrentIndex(form.category.findData("other"))
    form.add_button.click()
    form.close()
    assert tree.document.model.parties[-1].id == "nordic-freight"
    matrix = make_window(store.load(ESTORE), ESTORE)
    matrix.matrix.add_party()  # the header menu's Add party…: the same form
    form = matrix.building.forms["party"]
    form.name.setText("Nordic Freight")
    form.category.setCurrentIndex(form.category.findData("other"))
    form.add_button.click()
    form.close()
    assert _file(tree.document.model) == _file(matrix.document.model)
    # the new outside party stands with the other outside parties
    kinds = [p.kind for p in tree.document.model.parties]
    assert kinds == sorted(kinds, key=lambda k: k != "internal")


def test_removing_a_party_from_the_tree_equals_the_matrix_header(make_window):
    tree = make_window(store.load(ESTORE), ESTORE)
    tree.structure.remove("parties", "pixelforge")
    matrix = make_window(store.load(ESTORE), ESTORE)
    matrix.matrix.remove("parties", "pixelforge")
    assert _file(tree.document.model) == _file(matrix.document.model)
    assert "pixelforge" not in {c.party for c in tree.document.model.contracts}


def test_renaming_a_party_in_the_matrix_equals_the_inspector(qtbot, make_window):
    matrix = make_window(store.load(ESTORE), ESTORE)
    matrix.matrix.ask_text = lambda *a: "Pixelforge Digital"
    matrix.matrix.rename("party", "pixelforge")
    document = Document(store.load(ESTORE), ESTORE)
    panel = shown(qtbot, InspectorPanel(document), 380, 800)
    panel.show_object("party", "pixelforge")
    edit = panel.editor("name").widget
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Pixelforge Digital")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert document.model.party("pixelforge").name == "Pixelforge Digital"
    assert _file(document.model) == _file(matrix.document.model)


def test_a_clause_in_the_contracts_tab_equals_the_inspector(qtbot):
    by_tab = Document(store.load(ESTORE), ESTORE)
    tab = shown(qtbot, ContractsTab(by_tab), 1200, 400)
    row = tab.table_model.row_of("pixelforge-msa")
    index = tab.table_model.index(row, tab.table_model.column_of("notice_period_months"))
    assert tab.table_model.setData(index, 9)
    by_inspector = Document(store.load(ESTORE), ESTORE)
    panel = shown(qtbot, InspectorPanel(by_inspector), 380, 800)
    panel.show_object("contract", "pixelforge-msa")
    retype(qtbot, panel.editor("notice_period_months").widget.lineEdit(), "9")
    assert by_tab.model.contract("pixelforge-msa").notice_period_months == 9
    assert _file(by_tab.model) == _file(by_inspector.model)


def test_a_raci_cell_typed_in_the_matrix_equals_the_excel_import(make_window, tmp_path):
    from openpyxl import load_workbook

    from ecomraci.xlsx import export_workbook, plan_import
    from ecomraci.xlsx.layout import ID_MARKER

    path = SAMPLES / "growing-department.ecomraci.json"
    typed = make_window(store.load(path), path)
    m = typed.matrix_model
    row = next(r for r in range(m.rowCount()) if m.row_object(r)[0] == "activity")
    activity = m.row_object(row)[1]
    party = m.party_at(0)
    new = "C" if typed.document.model.letters(activity, party) != "C" else "I"
    assert m.setData(m.index(row, 0), new, Qt.ItemDataRole.EditRole)

    imported = Document(store.load(path), path)
    workbook = tmp_path / "raci.xlsx"
    export_workbook(imported.model, workbook)
    book = load_workbook(workbook)
    sheet = book["RACI"]
    marker = next(c for line in sheet.iter_rows() for c in line if c.value == ID_MARKER)
    row_of = {sheet.cell(row=r, column=marker.column).value: r for r in range(1, sheet.max_row + 1)}
    column_of = {
        sheet.cell(row=marker.row, column=c).value: c for c in range(1, sheet.max_column + 1)
    }
    sheet.cell(row=row_of[activity], column=column_of[party]).value = new
    book.save(workbook)
    plan = plan_import(imported.model, workbook)
    assert imported.apply(list(plan.edits), "Import") is None
    assert _file(imported.model) == _file(typed.document.model)
