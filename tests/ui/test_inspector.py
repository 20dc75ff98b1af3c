"""The inspector edits the selected object through its real widgets; every change is one
undo step, a refused value changes nothing and says why."""

from datetime import timedelta

import pytest

from ecomraci.edits import RemoveObject, SetField
from ui.panels.inspector import InspectorPanel
from ui.widgets.check_list import KEY_ROLE

from PySide6.QtCore import QDate, Qt

from .sample_kit import retype, sample_document, shown, step_combo


@pytest.fixture
def document():
    return sample_document()


@pytest.fixture
def panel(qtbot, document):
    return shown(qtbot, InspectorPanel(document), 380, 800)


def qdate(d):
    return QDate(d.year, d.month, d.day)


def test_spin_box_edit_is_one_undo_step(qtbot, panel, document):
    c = document.model.contracts[0]
    panel.show_object("contract", c.id)
    spin = panel.editor("notice_period_months").widget
    assert (spin.minimum(), spin.maximum()) == (0, 60)  # the model's ge/le
    old = c.notice_period_months
    new = (old + 3) % 61
    stack = document.undo_stack
    before = stack.count()
    retype(qtbot, spin.lineEdit(), str(new))
    assert c.notice_period_months == new
    assert stack.count() == before + 1
    stack.undo()  # undo restores a snapshot: look the contract up again
    assert document.model.contract(c.id).notice_period_months == old
    assert spin.value() == old  # the panel followed the undo


def test_line_edit_commits_on_editing_finished_not_per_keystroke(qtbot, panel, document):
    party = document.model.parties[-1]
    old = party.name
    panel.show_object("party", party.id)
    edit = panel.editor("name").widget
    stack = document.undo_stack
    before = stack.count()
    edit.setFocus()
    edit.end(False)
    qtbot.keyClicks(edit, " Ltd")
    assert stack.count() == before
    assert party.name == old
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert party.name == old + " Ltd"
    assert stack.count() == before + 1
    assert panel.title.text() == old + " Ltd"
    stack.undo()
    assert document.model.party(party.id).name == old
    assert edit.text() == old


def test_invalid_value_is_refused_with_a_message(qtbot, panel, document):
    c = document.model.contracts[0]
    panel.show_object("contract", c.id)
    edit = panel.editor("name").widget
    stack = document.undo_stack
    before, name = stack.count(), c.name
    retype(qtbot, edit, "")
    assert c.name == name
    assert stack.count() == before
    assert panel.message("name") == "Name: must not be empty"
    retype(qtbot, edit, "Agency MSA")
    assert c.name == "Agency MSA"
    assert stack.count() == before + 1
    assert panel.message("name") == ""


def test_end_before_start_is_refused(qtbot, panel, document):
    c = next(c for c in document.model.contracts if c.start and c.end)
    panel.show_object("contract", c.id)
    end, old_end = panel.editor("end").widget, c.end
    before = document.undo_stack.count()
    calendar = end.edit.calendarWidget()
    calendar.clicked.emit(qdate(c.start - timedelta(days=30)))  # a click in the calendar
    assert c.end == old_end
    assert document.undo_stack.count() == before
    assert "ends before it starts" in panel.message("end")
    calendar.clicked.emit(qdate(old_end + timedelta(days=181)))
    assert c.end == old_end + timedelta(days=181)
    assert document.undo_stack.count() == before + 1
    assert panel.message("end") == ""


def test_date_can_be_cleared(qtbot, panel, document):
    c = next(c for c in document.model.contracts if c.exit_plan.last_tested)
    tested_on = c.exit_plan.last_tested
    panel.show_object("contract", c.id)
    tested = panel.editor("exit_plan").subs["last_tested"].widget
    assert tested.date() == tested_on
    qtbot.mouseClick(tested.clear_button, Qt.MouseButton.LeftButton)
    assert c.exit_plan.last_tested is None
    assert c.exit_plan.exists is True
    assert tested.edit.text() == "none"
    document.undo_stack.undo()
    assert tested.date() == tested_on


def test_enum_combo_and_check_list(qtbot, panel, document, qtmodeltester):
    c = document.model.contracts[0]
    panel.show_object("contract", c.id)
    combo = panel.editor("termination_for_convenience").widget
    assert [combo.itemData(i) for i in range(combo.count())] == ["none", "whole", "per-function"]
    stack = document.undo_stack
    before, old = stack.count(), c.termination_for_convenience
    chosen = step_combo(qtbot, combo)
    assert chosen != old and c.termination_for_convenience == chosen
    assert stack.count() == before + 1

    covers = panel.editor("covers").widget
    qtmodeltester.check(covers.model())
    rows = {covers.model().index(r).data(KEY_ROLE): r for r in range(covers.model().rowCount())}
    assert list(rows) == [f.id for f in document.model.functions]
    old_covers = list(c.covers)
    extra = next(f.id for f in document.model.functions if f.id not in old_covers)
    index = covers.model().index(rows[extra])
    covers.setCurrentIndex(index)
    covers.setFocus()
    qtbot.keyClick(covers, Qt.Key.Key_Space)  # toggles the current item
    assert c.covers == old_covers + [extra]
    assert stack.count() == before + 2
    stack.undo()
    assert document.model.contract(c.id).covers == old_covers
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_optional_nested_object(qtbot, panel, document):
    c = next(c for c in document.model.contracts if c.minimum_commitment is None)
    panel.show_object("contract", c.id)
    commitment = panel.editor("minimum_commitment")
    assert not commitment.subs["amount"].widget.isEnabled()
    qtbot.mouseClick(commitment.widget, Qt.MouseButton.LeftButton)
    assert c.minimum_commitment.amount == 0
    retype(qtbot, commitment.subs["amount"].widget.lineEdit(), "50000")
    assert c.minimum_commitment.amount == 50000
    assert c.minimum_commitment.currency == "EUR"
    assert document.undo_stack.count() == 2
    qtbot.mouseClick(commitment.widget, Qt.MouseButton.LeftButton)
    assert c.minimum_commitment is None


def test_dependency_and_assignment_fields(qtbot, panel, document):
    m = document.model
    dep = m.dependencies[0]
    panel.show_object("dependency", dep.id)
    names = {f.id: f.name for f in m.functions}
    assert panel.title.text() == f"{names[dep.function]} → {names[dep.needs]}"
    assert panel.editor("function").widget.text() == names[dep.function]  # a key: read-only
    chosen = step_combo(qtbot, panel.editor("strength").widget)
    assert dep.strength == chosen

    a = m.assignments[0]
    panel.show_object("assignment", f"{a.function}@{a.party}")
    chosen = step_combo(qtbot, panel.editor("mode").widget)
    assert a.mode == chosen
    assert document.undo_stack.count() == 2


def test_forum_members_and_cadence(qtbot, panel, document):
    forum = document.model.forums[0]
    panel.show_object("forum", forum.id)
    cadence = panel.editor("cadence_days").widget
    assert (cadence.minimum(), cadence.maximum(), cadence.suffix()) == (1, 3660, " days")
    members = panel.editor("members").widget
    assert members.checked() == forum.members
    model = members.model()
    newcomer = next(p.id for p in document.model.parties if p.id not in forum.members)
    row = next(r for r in range(model.rowCount()) if model.index(r).data(KEY_ROLE) == newcomer)
    model.setData(model.index(row), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert forum.members[-1] == newcomer


def test_refresh_keeps_the_editors_and_follows_removal(qtbot, panel, document):
    f = document.model.functions[0]
    panel.show_object("function", f.id)
    name_edit = panel.editor("name").widget
    spin = panel.editor("lead_time_months").widget
    new = (f.lead_time_months + 5) % 121
    assert (
        document.apply(
            [SetField(target="function", id=f.id, field="lead_time_months", value=new)],
            "elsewhere",
        )
        is None
    )
    assert panel.editor("name").widget is name_edit  # updated in place, not rebuilt
    assert spin.value() == new
    assert document.apply([RemoveObject(collection="functions", key=f.id)], "remove") is None
    assert panel.current() is None
    document.undo_stack.undo()
    panel.show_object("function", f.id)
    assert panel.current() == ("function", f.id)


def test_every_kind_builds(qtbot, panel, document):
    m = document.model
    for kind, key in (
        ("party", m.parties[0].id),
        ("function", m.functions[0].id),
        ("activity", m.activities[0].id),
        ("contract", m.contracts[0].id),
        ("forum", m.forums[0].id),
        ("dependency", m.dependencies[0].id),
        ("assignment", f"{m.assignments[0].function}@{m.assignments[0].party}"),
    ):
        panel.show_object(kind, key)
        assert panel.current() == (kind, key)
        assert "name" in panel.editors or "function" in panel.editors
    panel.show_object("party", "no-such-party")
    assert panel.current() is None
    panel.show_object("waiver", "RACI-01:x")  # not an inspector kind: nothing shown
    assert panel.current() is None
