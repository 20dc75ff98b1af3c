"""The contracts table: a real item model over the core's contracts, edited in place
through its delegates; each edit one undo step, refused edits change nothing."""

from datetime import timedelta

import pytest

from ecomraci.model import Contract
from ui.panels.contracts import CONTRACT_ID_ROLE, ContractsTab
from ui.widgets.check_list import KEY_ROLE, CheckList

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QSpinBox

from .sample_kit import retype, sample_document, shown, step_combo


@pytest.fixture
def document():
    return sample_document()


@pytest.fixture
def tab(qtbot, document):
    return shown(qtbot, ContractsTab(document), 1200, 400)


def cell(tab, row, key):
    return tab.table_model.index(row, tab.table_model.column_of(key))


def open_editor(qtbot, tab, index, kind):
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    editor = tab.table.viewport().findChild(kind)
    assert editor is not None and editor.isVisible()
    return editor


def press_enter(qtbot, tab, widget):
    """Enter in a cell editor: the delegate commits and closes it from the event loop."""
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState)


def test_model_passes_the_model_tester(qtmodeltester, tab):
    qtmodeltester.check(tab.table_model)


def test_one_row_per_contract_and_a_column_per_clause(tab, document):
    model = tab.table_model
    assert model.rowCount() == len(document.model.contracts)
    keys = [c.key for c in model.columns]
    # every field of Contract has a column (nested objects flattened), except the id
    for name in Contract.model_fields:
        if name != "id":
            assert any(k == name or k.startswith(name + ".") for k in keys), name
    for key in (
        "covers",
        "notice_period_months",
        "exit_plan.exists",
        "data_return.days",
        "payment.pci_dss_acknowledgement",
        "minimum_commitment.amount",
    ):
        assert key in keys
    first = document.model.contracts[0]
    # each row is labelled by the contract's name (never its id), frozen when scrolling
    assert model.headerData(0, Qt.Orientation.Vertical) == first.name
    assert cell(tab, 0, "name").data() == first.name
    assert cell(tab, 0, "name").data(CONTRACT_ID_ROLE) == first.id


def test_checkbox_cell_toggles_with_the_keyboard(qtbot, tab, document):
    c = document.model.contracts[0]
    index = cell(tab, 0, "cooperation_duty")
    old = c.cooperation_duty
    assert index.data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked if old else Qt.CheckState.Unchecked
    )
    tab.table.setCurrentIndex(index)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    assert c.cooperation_duty is (not old)
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.model.contracts[0].cooperation_duty is old
    assert index.data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked if old else Qt.CheckState.Unchecked
    )


def test_nested_checkbox_creates_the_nested_object(tab, document):
    row = next(i for i, c in enumerate(document.model.contracts) if c.payment is None)
    index = cell(tab, row, "payment.hosted_payment_page")
    assert tab.table_model.setData(
        index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    payment = document.model.contracts[row].payment
    assert payment.hosted_payment_page is True and payment.pci_dss_acknowledgement is False


def test_combo_delegate_edits_an_enum(qtbot, tab, document):
    c = document.model.contracts[0]
    combo = open_editor(qtbot, tab, cell(tab, 0, "termination_for_convenience"), QComboBox)
    chosen = step_combo(qtbot, combo)
    assert c.termination_for_convenience == chosen
    assert document.undo_stack.count() == 1
    assert tab.table.viewport().findChild(QComboBox) is None or not combo.isVisible()


def test_spin_delegate_edits_months_and_undo_restores(qtbot, tab, document):
    c = document.model.contracts[1]
    old = c.notice_period_months
    new = (old + 2) % 61
    spin = open_editor(qtbot, tab, cell(tab, 1, "notice_period_months"), QSpinBox)
    assert (spin.minimum(), spin.maximum()) == (0, 60)
    retype(qtbot, spin.lineEdit(), str(new), enter=False)
    press_enter(qtbot, tab, spin)
    assert c.notice_period_months == new
    assert document.undo_stack.count() == 1
    assert cell(tab, 1, "notice_period_months").data() == f"{new} months"
    document.undo_stack.undo()
    assert document.model.contracts[1].notice_period_months == old


def test_invalid_name_is_refused_with_a_message(qtbot, tab, document):
    c = document.model.contracts[0]
    name = c.name
    edit = open_editor(qtbot, tab, cell(tab, 0, "name"), QLineEdit)
    retype(qtbot, edit, "", enter=False)
    press_enter(qtbot, tab, edit)
    assert c.name == name
    assert document.undo_stack.count() == 0
    assert tab.message.message() == f"{name}: Name: must not be empty"
    assert tab.message.isVisible()


def test_end_before_start_is_refused(tab, document):
    row, c = next((i, c) for i, c in enumerate(document.model.contracts) if c.start and c.end)
    end = c.end
    assert not tab.table_model.setData(cell(tab, row, "end"), c.start - timedelta(days=1))
    assert c.end == end and document.undo_stack.count() == 0
    assert "ends before it starts" in tab.message.message()


def test_check_list_delegate_edits_covers(qtbot, tab, document):
    c = document.model.contracts[0]
    old = list(c.covers)
    editor = open_editor(qtbot, tab, cell(tab, 0, "covers"), CheckList)
    model = editor.model()
    extra = next(f.id for f in document.model.functions if f.id not in old)
    row = next(r for r in range(model.rowCount()) if model.index(r).data(KEY_ROLE) == extra)
    editor.setCurrentIndex(model.index(row))
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Space)
    assert c.covers == old  # committed when the editor closes, as one step
    press_enter(qtbot, tab, editor)
    assert document.model.contracts[0].covers == old + [extra]
    assert document.undo_stack.count() == 1


def test_add_and_remove_contract(qtbot, tab, document):
    n = len(document.model.contracts)
    tab.table.setCurrentIndex(cell(tab, 1, "name"))
    party = document.model.contracts[1].party
    with qtbot.waitSignal(tab.contractSelected) as selected:
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    added = document.model.contracts[-1]
    assert selected.args == [added.id]
    assert len(document.model.contracts) == n + 1 and tab.table_model.rowCount() == n + 1
    assert added.party == party
    assert tab.current_contract() == added.id
    assert document.undo_stack.count() == 1
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert [c.id for c in document.model.contracts] == [c.id for c in document.model.contracts[:n]]
    assert tab.table_model.rowCount() == n
    document.undo_stack.undo()
    assert document.model.contracts[-1].id == added.id
    assert tab.count_label.text() == f"{n + 1} contracts"


def test_context_menu_offers_parties_and_removal(tab, document):
    menu = tab.context_menu(cell(tab, 0, "name"))
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "Add contract with"
    assert texts[-1] == f"Remove {document.model.contracts[0].name}"
    external = [p.name for p in document.model.parties if p.kind == "external"]
    assert [a.text() for a in menu.actions()[0].menu().actions()] == external
    menu.deleteLater()


def test_contract_selected_signal(qtbot, tab, document):
    with qtbot.waitSignal(tab.contractSelected) as selected:
        tab.select_contract(document.model.contracts[2].id)
    assert selected.args == [document.model.contracts[2].id]
