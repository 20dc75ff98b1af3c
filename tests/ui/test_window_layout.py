"""The main window's layout: remembered between sessions, reset from the View menu,
docks kept in proportion when the window grows, hidden on the start page; every tab
usable at 1024 × 700; the status bar's counts and fix notes; the undo and redo icons;
a file opened from the command line in Open Recent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecomraci import store
from ui.window_layout import (
    MIN_BOTTOM_HEIGHT,
    MIN_SIDE_WIDTH,
    STATE_KEY,
    dock_sizes,
    initial_size,
)

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QStyle

from .conftest import SAMPLES

ESTORE = SAMPLES / "outsourced-estore.ecomraci.json"


def settle(qtbot, ms: int = 50) -> None:
    """Let queued layout work (and the docks' re-proportioning) run."""
    qtbot.wait(ms)


def menu_action(window, menu, text: str):
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def dock_widths(w) -> dict[str, int]:
    return {
        "tree": w.tree_dock.width(),
        "inspector": w.inspector_dock.width(),
        "findings": w.findings_dock.height(),
    }


def estore_window(make_window, size=(1024, 700)):
    w = make_window(store.load(ESTORE), ESTORE)
    w.resize(*size)
    return w


# --- remembered, reset, proportional ---------------------------------------------------------


def test_layout_and_dock_sizes_are_restored_after_a_restart(make_window, qtbot, settings):
    # (restoreGeometry keeps a window on its screen: the test platform's is 800 × 600)
    first = estore_window(make_window, (780, 560))
    settle(qtbot)
    first.resizeDocks([first.tree_dock], [233], Qt.Orientation.Horizontal)
    first.resizeDocks([first.findings_dock], [171], Qt.Orientation.Vertical)
    first.scenario_dock.hide()
    settle(qtbot)
    before = dock_widths(first)
    assert before["tree"] == 233 and before["findings"] == 171  # what the user set
    first.document.undo_stack.setClean()
    first.close()
    assert settings.value(STATE_KEY) is not None

    second = make_window(store.load(ESTORE), ESTORE)
    settle(qtbot)
    assert second.size() == QSize(780, 560)
    assert dock_widths(second) == before
    assert second.tree_dock.isVisible() and second.findings_dock.isVisible()
    assert not second.scenario_dock.toggleViewAction().isChecked()


def test_a_layout_from_a_bigger_screen_is_fitted_to_a_smaller_one(make_window, qtbot):
    first = estore_window(make_window, (1600, 1000))
    settle(qtbot)
    shares = {
        "tree": first.tree_dock.width() / 1600,
        "inspector": first.inspector_dock.width() / 1600,
        "findings": first.findings_dock.height() / 1000,
    }
    first.document.undo_stack.setClean()
    first.close()
    # the test platform's screen is 800 × 600: the window comes back smaller, its docks
    # at the same shares of it (or their smallest readable size), not at their old sizes
    second = make_window(store.load(ESTORE), ESTORE)
    assert second.width() < 1000

    def expected():
        w, h = second.width(), second.height()
        return {
            "tree": max(MIN_SIDE_WIDTH, round(shares["tree"] * w)),
            "inspector": max(second.inspector.minimumWidth(), round(shares["inspector"] * w)),
            "findings": max(MIN_BOTTOM_HEIGHT, round(shares["findings"] * h)),
        }

    qtbot.waitUntil(
        lambda: all(abs(dock_widths(second)[n] - v) <= 3 for n, v in expected().items())
    )
    assert second.tabs.width() > second.width() * 0.3


def test_reset_layout_puts_every_dock_back_at_its_default_size(make_window, qtbot, settings):
    w = estore_window(make_window, (1400, 900))
    settle(qtbot)
    w.findings_dock.hide()
    w.tree_dock.setFloating(True)
    w.resizeDocks([w.inspector_dock], [700], Qt.Orientation.Horizontal)
    w.close()  # remembers this layout...
    assert settings.value(STATE_KEY) is not None
    w.show()
    qtbot.waitExposed(w)

    menu_action(w, w.view_menu, "Reset layout").trigger()
    settle(qtbot)
    assert settings.value(STATE_KEY) is None  # ...and forgets it
    for dock in (w.tree_dock, w.findings_dock, w.inspector_dock):
        assert dock.isVisible() and not dock.isFloating()
    assert w.dockWidgetArea(w.tree_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert w.scenario_dock in w.tabifiedDockWidgets(w.inspector_dock)
    left, right, bottom = dock_sizes(w.size())
    assert abs(w.tree_dock.width() - left) <= 2
    assert abs(w.inspector_dock.width() - right) <= 2
    assert abs(w.findings_dock.height() - bottom) <= 2


def test_reset_layout_on_the_start_page_applies_when_a_model_opens(make_window, qtbot):
    w = estore_window(make_window, (1400, 900))
    settle(qtbot)
    w.resizeDocks([w.tree_dock], [400], Qt.Orientation.Horizontal)
    w.findings_dock.hide()
    settle(qtbot)
    w.close_document()
    menu_action(w, w.view_menu, "Reset layout").trigger()
    assert not w.tree_dock.isVisible()  # still none on the start page
    assert w.open_path(ESTORE)
    settle(qtbot, 100)
    left, _right, _bottom = dock_sizes(w.size())
    assert w.findings_dock.isVisible()
    assert abs(w.tree_dock.width() - left) <= 2


def test_docks_keep_their_share_when_the_window_shrinks_and_grows(make_window, qtbot):
    w = estore_window(make_window, (1400, 900))
    settle(qtbot)
    share = w.tree_dock.width() / w.width()
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: w.tree_dock.width() < 230)
    small = w.tree_dock.width()
    assert small >= 150  # not squeezed to a sliver
    w.resize(1920, 1080)
    # widened again with the window: the same share as before (within a few pixels)
    qtbot.waitUntil(lambda: w.tree_dock.width() > small * 1.5)
    assert abs(w.tree_dock.width() / w.width() - share) < 0.02
    assert w.inspector_dock.width() / w.width() > 0.2


def test_first_window_size_follows_the_screen():
    assert initial_size(QSize(1024, 740)) == QSize(1024, 740)  # a small screen: all of it
    big = initial_size(QSize(1920, 1050))
    assert big.width() > 1400 and big.width() < 1920 and big.height() < 1050


# --- the start page -------------------------------------------------------------------------


def test_docks_are_hidden_on_the_start_page_and_come_back_as_they_were(make_window, qtbot):
    w = make_window(store.load(ESTORE), ESTORE)
    settle(qtbot)
    w.findings_dock.hide()  # the user's own choice
    tree_width = w.tree_dock.width()
    w.close_document()
    assert w.stack.currentWidget() is w.start_page
    docks = (w.tree_dock, w.findings_dock, w.inspector_dock, w.scenario_dock)
    assert not any(d.isVisible() for d in docks)
    assert not any(d.toggleViewAction().isEnabled() for d in docks)

    assert w.open_path(ESTORE)
    settle(qtbot)
    assert w.tree_dock.isVisible() and w.inspector_dock.isVisible()
    assert not w.findings_dock.isVisible()  # still hidden, as the user left it
    assert w.tree_dock.width() == tree_width
    assert all(d.toggleViewAction().isEnabled() for d in docks)


def test_docks_keep_their_share_when_the_window_was_resized_on_the_start_page(make_window, qtbot):
    w = estore_window(make_window, (1024, 700))
    qtbot.waitUntil(lambda: w.tree_dock.width() < 230)
    share = w.tree_dock.width() / w.width()
    w.close_document()
    w.resize(1600, 1000)
    settle(qtbot)
    assert w.open_path(ESTORE)
    qtbot.waitUntil(lambda: abs(w.tree_dock.width() / w.width() - share) < 0.02)


def test_a_layout_closed_on_the_start_page_keeps_the_docks(make_window, qtbot, settings):
    w = make_window(store.load(ESTORE), ESTORE)
    settle(qtbot)
    w.close_document()
    w.close()
    again = make_window(store.load(ESTORE), ESTORE)
    settle(qtbot)
    assert again.tree_dock.isVisible() and again.findings_dock.isVisible()


# --- every tab at 1024 × 700 ----------------------------------------------------------------


def test_every_tab_fits_at_1024_by_700(make_window, qtbot):
    w = estore_window(make_window)
    w.findings.recheck_now(wait=True)
    settle(qtbot)
    central = w.tabs.width()
    assert central >= 450, "the docks leave the tabs too little room"
    for index in range(w.tabs.count()):
        w.tabs.setCurrentIndex(index)
        settle(qtbot)
        page = w.tabs.currentWidget()
        assert page.width() <= central, w.tabs.tabText(index)
        assert page.geometry().right() <= w.tabs.rect().right(), w.tabs.tabText(index)
    # the organisation tab: no sideways scrolling, everything inside the viewport
    tab = w.organisation_tab
    w.tabs.setCurrentWidget(tab)
    settle(qtbot)
    assert tab.scroll.horizontalScrollBar().maximum() == 0
    assert tab.scroll.widget().width() <= tab.scroll.viewport().width()
    for combo in tab.level_combos.values():
        right = combo.mapTo(tab.scroll.widget(), combo.rect().topRight()).x()
        assert right <= tab.scroll.viewport().width()
    assert tab.radar.width() >= 300 and tab.radar.height() >= 280
    # the findings pane lists more than a handful
    table = w.findings.table
    shown_rows = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert shown_rows >= 5 and w.findings.proxy.rowCount() >= 5
    assert not table.wordWrap()  # one line each: the message elided, whole in its tooltip


def test_the_radar_is_big_on_a_small_window_and_beside_the_form_on_a_big_one(make_window, qtbot):
    w = estore_window(make_window, (1024, 700))
    tab = w.organisation_tab
    w.tabs.setCurrentWidget(tab)
    combo = next(iter(tab.level_combos.values()))
    qtbot.waitUntil(lambda: tab.radar.plot_rect().width() >= 250)  # under the form
    assert tab.radar.y() > combo.y()
    w.resize(1920, 1080)
    # beside the form, no smaller
    qtbot.waitUntil(lambda: tab.radar.x() > combo.x() + combo.width())
    assert tab.radar.plot_rect().width() >= 250


def test_a_what_if_answer_gets_a_readable_width(make_window, qtbot):
    w = estore_window(make_window)
    settle(qtbot)
    w.prompts.answers["item"] = lambda title, label, items: items[0]
    assert w.scenario_actions.insource("online-marketing"), w.prompts.errors
    settle(qtbot)
    assert w.scenario_dock.isVisible()
    assert w.scenario_dock.width() >= int(w.width() * 0.4)
    assert w.tabs.width() >= 300  # the matrix keeps room beside it


# --- status bar, icons ----------------------------------------------------------------------


def test_counts_say_one_info_and_two_infos(make_window, qtbot):
    w = estore_window(make_window)
    w.findings.recheck_now(wait=True)
    findings = w.findings.model.findings
    infos = [f for f in findings if f.severity == "info" and not f.waived]
    errors = [f for f in findings if f.severity == "error" and not f.waived]
    assert len(infos) >= 2 and len(errors) >= 2
    w._show_findings([infos[0], *errors])
    text = w.counts.text()
    assert "1 info" in text and "1 infos" not in text
    assert f"{len(errors)} errors" in text and "0 warnings" in text
    w._show_findings([*infos[:2], errors[0]])
    assert "2 infos" in w.counts.text() and "1 error " in w.counts.text() + " "


def test_apply_fix_says_in_names_what_changed(make_window, qtbot):
    w = estore_window(make_window)
    w.findings.recheck_now(wait=True)
    finding = next(f for f in w.findings.model.findings if f.edits)
    model = w.document.model
    ids = [
        x.id for c in ("parties", "functions", "activities", "contracts") for x in getattr(model, c)
    ]
    menu = w.findings.menu_for(finding)
    menu_action(w, menu, "Apply fix").trigger()
    menu.deleteLater()
    message = w.statusBar().currentMessage()
    assert message.startswith(f"Fixed {finding.rule}")
    assert message.endswith("Undo (Ctrl+Z) takes it back.")
    assert w.document.undo_stack.count() == 1
    names = [
        x.name
        for c in ("parties", "functions", "activities", "contracts")
        for x in getattr(model, c)
    ]
    assert any(name in message for name in names)
    assert not [i for i in ids if "-" in i and i in message], message


def test_undo_and_redo_have_their_own_icons(window):
    undo = menu_action(window, window.edit_menu, "Undo")
    redo = menu_action(window, window.edit_menu, "Redo")
    back = window.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack)
    forward = window.style().standardIcon(QStyle.StandardPixmap.SP_ArrowForward)
    for action, arrow in ((undo, back), (redo, forward)):
        icon = action.icon()
        assert not icon.isNull()
        assert icon.pixmap(24, 24).toImage() != arrow.pixmap(24, 24).toImage()
    assert undo.icon().pixmap(24, 24).toImage() != redo.icon().pixmap(24, 24).toImage()
    root = Path(__file__).resolve().parents[2]
    assert (root / "resources" / "icons" / "undo.svg").is_file()
    assert (root / "resources" / "icons" / "redo.svg").is_file()


# --- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize("sample", ["vip-promotion.ecomraci.json"])
def test_a_file_opened_from_the_command_line_is_in_open_recent(tmp_path, sample):
    code = """
import sys
from PySide6.QtWidgets import QApplication
def fake_exec(*args):
    from ui.main_window import MainWindow
    w = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    print("MENU", *[a.toolTip() for a in w.recent_menu.actions()], sep="|")
    w.document.undo_stack.setClean()
    w.close()
    return 0
QApplication.exec = fake_exec
from ui.app import main
sys.exit(main(sys.argv[1:]))
"""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    path = SAMPLES / sample
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    menu = next(line for line in proc.stdout.splitlines() if line.startswith("MENU"))
    assert menu.split("|")[1:] == [str(path.resolve())]
    # and remembered for the next start
    conf = next((tmp_path / "config").rglob("*.conf"))
    assert str(path.resolve()) in conf.read_text(encoding="utf-8")


def test_the_findings_name_their_subjects_without_ids(make_window, qtbot):
    import re

    checked = 0
    for sample in sorted(SAMPLES.glob("*.ecomraci.json")):
        w = make_window(store.load(sample), sample)
        w.findings.recheck_now(wait=True)
        model = w.document.model
        names = " ".join(
            x.name
            for c in ("parties", "functions", "activities", "contracts", "forums")
            for x in getattr(model, c)
        )
        ids = [
            x.id
            for c in ("parties", "functions", "activities", "contracts", "forums")
            for x in getattr(model, c)
            if x.id not in names  # an id that is also a word of a name cannot be told apart
        ]
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
        table = w.findings.model
        checked += table.rowCount()
        for row in range(table.rowCount()):
            text = table.index(row, 3).data()
            assert text and not pattern.search(text), (sample.name, text)
    assert checked > 20


def test_every_fix_of_the_samples_is_described_in_names():
    from ecomraci.rules import check
    from ui.panels.findings import describe_edit, fix_message

    described = 0
    for sample in sorted(SAMPLES.glob("*.ecomraci.json")):
        model = store.load(sample)
        ids = [
            x.id
            for c in ("parties", "functions", "activities", "contracts", "forums")
            for x in getattr(model, c)
            if "-" in x.id
        ]
        for finding in check(model, as_of=None):
            if not finding.edits:
                continue
            text = fix_message(finding.rule, [describe_edit(e, model) for e in finding.edits])
            assert text.startswith(f"Fixed {finding.rule}")
            assert not [i for i in ids if i in text], text
            assert "_" not in text and "{" not in text, text  # no field names, no records
            described += 1
    assert described >= 10


def test_a_broken_or_old_layout_in_the_settings_gives_the_default_one(make_window, qtbot, settings):
    from ui.window_layout import GEOMETRY_KEY

    first = make_window(store.load(ESTORE), ESTORE)
    settle(qtbot)
    first.resizeDocks([first.tree_dock], [first.tree_dock.width() + 60], Qt.Orientation.Horizontal)
    settle(qtbot)
    old_state = first.saveState()  # as versions before this one stored it (version 0)
    first.document.undo_stack.setClean()
    first.close()
    for geometry, state in (("not a geometry", "not a state"), (None, old_state)):
        if geometry is not None:
            settings.setValue(GEOMETRY_KEY, geometry)
        settings.setValue(STATE_KEY, state)
        w = make_window(store.load(ESTORE), ESTORE)
        settle(qtbot)
        left, right, bottom = dock_sizes(w.size())
        assert abs(w.tree_dock.width() - left) <= 2
        assert abs(w.findings_dock.height() - bottom) <= 2
        assert w.tree_dock.isVisible() and w.inspector_dock.isVisible()
        w.document.undo_stack.setClean()
        w.close()
