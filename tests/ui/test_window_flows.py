"""The main window's flows, driven as a user would (offscreen): start page, files,
recent files, autosave and recovery, findings actions, matrix structure edits."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ecomraci import operations as ops
from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.model import normalize_letters
from tests.ui.conftest import SAMPLES

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

AS_OF = date(2026, 11, 24)


def _findings(window, rule=None):
    window.findings.recheck_now(wait=True)
    return [f for f in window.findings.model.findings if rule is None or f.rule == rule]


# --- start page and files -------------------------------------------------------------


def test_start_page_then_new_from_catalog_with_a_focus(make_window, qtbot):
    w = make_window(document=False)
    assert w.stack.currentWidget() is w.start_page
    assert w.start_page.samples.list.count() == 3
    assert not any(a.isEnabled() for a in w.doc_actions)
    w.start_page.focus.setCurrentIndex(w.start_page.focus.findData("community"))
    w.start_page.newRequested.emit(w.start_page.focus.currentData())
    # New asks the name and focus (preset to the start page's) before it builds
    dialog = w.files.new_dialog
    assert dialog.focus.currentData() == "community"
    dialog.create_button.click()
    assert w.stack.currentWidget() is w.tabs
    assert "advertising-sales" in {f.id for f in w.document.model.functions}
    assert all(a.isEnabled() for a in w.doc_actions)


def test_sample_from_start_page_opens_and_is_remembered(make_window):
    w = make_window(document=False)
    item = w.start_page.samples.list.item(0)
    w.start_page.pathChosen.emit(item.data(Qt.ItemDataRole.UserRole + 1))
    assert w.document is not None and w.document.path.name.endswith(".ecomraci.json")
    assert w.recent_menu.actions()[0].text() == w.document.path.name
    w.close_document()
    assert w.stack.currentWidget() is w.start_page
    assert w.start_page.recent.list.item(0).text().startswith(w.recent_menu.actions()[0].text())


def test_save_then_reopen_gives_an_equal_model(window, tmp_path):
    window.matrix_model.setData(window.matrix_model.index(1, 0), "C")
    assert window.windowTitle().startswith("New e-commerce organisation *")
    window.prompts.answers["save_path"] = tmp_path / "mine"
    assert window.save()
    saved = tmp_path / "mine.ecomraci.json"
    assert saved.exists() and "*" not in window.windowTitle()
    before = window.document.model
    window.open_path(saved)
    assert window.document.model == before
    assert window.document.model is not before


def test_save_failure_keeps_the_document_dirty_and_says_why(window, tmp_path):
    window.matrix_model.setData(window.matrix_model.index(1, 0), "C")
    window.prompts.answers["save_path"] = tmp_path / "no-such-folder" / "x.ecomraci.json"
    assert not window.save()
    title, text = window.prompts.errors[-1]
    assert title == "Cannot save" and "no-such-folder" in text and "not changed" in text
    assert window.document.is_modified()


def test_a_file_that_fails_to_load_shows_the_core_message(window, tmp_path):
    bad = tmp_path / "broken.ecomraci.json"
    bad.write_text('{"format": "ecomraci-model", "version": 1, "parties": [', encoding="utf-8")
    model_before = window.document.model
    assert not window.open_path(bad)
    title, text = window.prompts.errors[-1]
    assert title == "Cannot open the model"
    assert "broken.ecomraci.json" in text and "Traceback" not in text
    assert window.document.model is model_before


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_it_open(window):
    window.matrix_model.setData(window.matrix_model.index(1, 0), "C")
    window.prompts.answers["save_changes"] = "cancel"
    assert not window.close()
    assert window.isVisible()
    assert window.prompts.asked[-1][0] == "save_changes"
    window.prompts.answers["save_changes"] = "discard"
    assert window.close()


def test_drop_a_model_file_opens_it(window):
    path = SAMPLES / "vip-promotion.ecomraci.json"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.document.path == path


# --- autosave and recovery --------------------------------------------------------------


def test_autosave_and_recovery_after_a_crash(make_window, tmp_path):
    original = tmp_path / "shop.ecomraci.json"
    store.save(new_model(), original)
    w = make_window(store.load(original), original)
    assert w.autosave_now() is None  # nothing unsaved, nothing written
    w.matrix_model.setData(w.matrix_model.index(1, 0), "C")
    copy = w.autosave_now()
    assert copy is not None and copy.exists()
    edited = w.document.model.model_copy(deep=True)
    # The app "crashes": the window is gone without a clean close.
    w.document.undo_stack.setClean()
    w.autosaver = type(w.autosaver)(tmp_path / "elsewhere")  # its close discards nothing
    # Next start: recovery is offered and restores the edit, unsaved, for the same file.
    again = make_window(document=False)
    assert again.offer_recovery()
    assert again.prompts.asked[-1][0] == "recover"
    assert "shop.ecomraci.json" in again.prompts.asked[-1][1][0]
    assert again.document.model == edited
    assert again.document.path == original.resolve()
    assert again.document.is_modified()
    # The copy stays until the user saves or discards: a second crash loses nothing.
    assert copy.exists()
    assert store.load(original) != edited  # the user's file was never touched


def test_a_clean_close_leaves_no_recovery_copy(make_window, tmp_path):
    w = make_window()
    w.matrix_model.setData(w.matrix_model.index(1, 0), "C")
    assert w.autosave_now().exists()
    w.prompts.answers["save_changes"] = "discard"
    w.close()
    assert not list((tmp_path / "recovery").glob("*"))


# --- findings actions ---------------------------------------------------------------


def _no_accountable(model):
    aid = model.activities[0].id
    model.raci[aid] = {p: letters.replace("A", "") or "R" for p, letters in model.raci[aid].items()}
    return model, aid


def test_apply_fix_is_one_undo_step_and_clears_the_finding(make_window):
    model, aid = _no_accountable(new_model())
    w = make_window(model)
    [finding] = [f for f in _findings(w, "RACI-01") if aid in f.subjects]
    steps = w.document.undo_stack.count()
    assert w.findings.apply_fix(finding)
    assert w.document.undo_stack.count() == steps + 1
    assert not [f for f in _findings(w, "RACI-01") if aid in f.subjects]
    w.document.undo_stack.undo()
    assert [f for f in _findings(w, "RACI-01") if aid in f.subjects]


def test_waive_marks_the_finding_waived_and_undo_raises_it_again(make_window):
    model, aid = _no_accountable(new_model())
    w = make_window(model, as_of=AS_OF)
    [finding] = [f for f in _findings(w, "RACI-01") if aid in f.subjects]
    w.findings.ask_waiver = lambda f: {
        "reason": "Being reorganised",
        "author": "Lead",
        "until": "2027-03-31",
    }
    assert w.findings.waive(finding)
    [after] = [f for f in _findings(w, "RACI-01") if aid in f.subjects]
    assert after.waived and after.waiver.reason == "Being reorganised"
    assert "waived" in w.counts.text()
    w.document.undo_stack.undo()
    [again] = [f for f in _findings(w, "RACI-01") if aid in f.subjects]
    assert not again.waived and w.document.model.waivers == []


def test_context_menu_offers_fix_waive_and_explain(make_window):
    model, aid = _no_accountable(new_model())
    w = make_window(model)
    [finding] = [f for f in _findings(w, "RACI-01") if aid in f.subjects]
    texts = [a.text() for a in w.findings.menu_for(finding).actions() if a.text()]
    assert texts[:3] == ["Apply fix", "Waive…", "Explain"]
    shown = []
    w.findings.show_explanation = lambda title, text: shown.append((title, text))
    w.findings.explain(finding)
    assert shown[0][0].startswith("RACI-01") and "Accountable" in shown[0][1]


def test_double_click_on_a_finding_selects_its_cell(make_window):
    model, aid = _no_accountable(new_model())
    w = make_window(model)
    [finding] = [f for f in _findings(w, "RACI-01") if aid in f.subjects]
    w.select_subject(finding)
    assert w.matrix_model.row_object(w.matrix.currentIndex().row()) == (
        "activity",
        aid,
    ) or w.matrix.selectionModel().isRowSelected(w.matrix_model.row_of(aid))
    assert w.tree.currentIndex().data(Qt.ItemDataRole.UserRole) in finding.subjects


def test_filters_by_severity_rule_and_text(make_window):
    w = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"), as_of=AS_OF)
    all_rows = len(_findings(w))
    panel = w.findings
    panel.rule.setCurrentIndex(panel.rule.findData("SRC-02"))
    assert panel.proxy.rowCount() == len(_findings(w, "SRC-02")) >= 1
    panel.rule.setCurrentIndex(0)
    panel.severity.setCurrentText("error")
    assert 0 < panel.proxy.rowCount() < all_rows
    panel.severity.setCurrentIndex(0)
    panel.search.setText("online-marketing")
    assert 0 < panel.proxy.rowCount() < all_rows


# --- matrix structure -------------------------------------------------------------------


def test_totals_row_counts_each_partys_letters(window):
    m = window.matrix_model
    totals_row = m.rowCount() - 1
    assert m.row_object(totals_row) == ("totals", "")
    pid = m.party_at(0)
    expected = {
        x: sum(x in row.get(pid, "") for row in window.document.model.raci.values()) for x in "RACI"
    }
    assert m.index(totals_row, 0).data() == " ".join(f"{x}{expected[x]}" for x in "RACI")
    aid = m.row_object(1)[1]
    letters = window.document.model.letters(aid, pid)
    m.setData(
        m.index(1, 0),
        normalize_letters(letters + "I") if "I" not in letters else letters.replace("I", ""),
    )
    changed = m.index(totals_row, 0).data()
    assert changed != " ".join(f"{x}{expected[x]}" for x in "RACI")


def test_filter_box_keeps_matching_activities_under_their_function(window):
    window.matrix_filter.setText("refund")
    m = window.matrix_model
    kinds = [m.row_object(r)[0] for r in range(m.rowCount())]
    assert kinds.count("activity") >= 1 and kinds[0] == "function" and kinds[-1] == "totals"
    names = [
        m.headerData(r, Qt.Orientation.Vertical)
        for r in range(m.rowCount())
        if m.row_object(r)[0] == "activity"
    ]
    assert all("refund" in n.lower() for n in names)
    window.matrix_filter.clear()
    assert (
        m.rowCount()
        == len(window.document.model.activities) + len(window.document.model.functions) + 1
    )


def test_header_menus_add_rename_move_and_remove_a_party(window):
    view, doc = window.matrix, window.document
    before = [p.id for p in doc.model.parties]
    # the header's Add party… opens the Model menu's party form
    [add] = [a for a in view.party_menu(0).actions() if a.text() == "Add party…"]
    add.trigger()
    form = window.building.forms["party"]
    assert form.isVisible()
    form.name.setText("Pixel Agency")
    form.add_button.click()
    form.close()
    assert [p.id for p in doc.model.parties] == before + ["pixel-agency"]
    assert window.matrix_model.party_at(window.matrix_model.columnCount() - 1) == "pixel-agency"
    view.ask_text = lambda *a, **k: "Pixel & Co"
    view.rename("party", "pixel-agency")
    assert doc.model.party("pixel-agency").name == "Pixel & Co"
    first, second = before[0], before[1]
    view.move_party(second, -1)
    assert [p.id for p in doc.model.parties][:2] == [second, first]
    view.remove("parties", "pixel-agency")
    assert "pixel-agency" not in {p.id for p in doc.model.parties}
    for _ in range(4):
        doc.undo_stack.undo()
    assert [p.id for p in doc.model.parties] == before
    menu = view.party_menu(0)
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["Add party…", "Rename party…"]


def test_add_and_remove_an_activity_from_the_row_menu(window):
    view, doc = window.matrix, window.document
    view.add_activity("order-management")  # the row menu's Add activity…: the form
    form = window.building.forms["activity"]
    assert form.isVisible()
    form.name.setText("Review returns fraud")
    form.add_button.click()
    form.close()
    added = [a for a in doc.model.activities if a.name == "Review returns fraud"]
    assert added and added[0].function == "order-management"
    row = window.matrix_model.row_of(added[0].id)
    assert window.matrix_model.row_object(row - 1)[0] == "activity"  # inside its band
    view.remove("activities", added[0].id)
    assert not [a for a in doc.model.activities if a.name == "Review returns fraud"]
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert not [a for a in doc.model.activities if a.name == "Review returns fraud"]
    assert json.loads(store.dumps(doc.model)) == json.loads(store.dumps(new_model()))


def test_screenshot_command_writes_a_picture(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui",
            "--screenshot",
            str(out),
            str(SAMPLES / "outsourced-estore.ecomraci.json"),
            "--as-of",
            "2026-11-24",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui",
            "--screenshot",
            str(tmp_path / "x.png"),
            str(tmp_path / "missing.ecomraci.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert bad.returncode == 2 and "missing.ecomraci.json" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not Path(tmp_path / "x.png").exists()


def test_start_up_imports_the_core_before_qt_and_leaves_the_rest_for_later(tmp_path):
    """PySide6 inspects every module imported after it: the core (pydantic, networkx,
    the rules) comes first. What the first picture does not show (the what-if core, the
    map's layout, the Excel code) is not imported at all."""
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "ui",
            "--screenshot",
            str(tmp_path / "s.png"),
            str(SAMPLES / "outsourced-estore.ecomraci.json"),
            "--as-of",
            "2026-11-24",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    position = {name: i for i, name in enumerate(imported)}  # importtime lists a module when done
    assert position["PySide6.QtCore"] > max(
        position["networkx"],
        position["pydantic"],
        position["ecomraci.rules"],
        position["ecomraci.model"],
    )
    for later in (
        "ecomraci.scenario",
        "ecomraci.diff",
        "ecomraci.layout",
        "ecomraci.catalog",
        "openpyxl",
        "ui.sourcing_map.view",
        "ui.panels.contracts",
        "ui.panels.organisation",
        "ui.panels.scenario",
        "ui.start_page",
    ):
        assert later not in position, later


def test_the_collector_is_back_on_before_the_event_loop_runs(tmp_path):
    """An interactive start (in its own process, with its own settings folders): when
    the event loop starts, the window is shown and the garbage collector is on again."""
    import os
    import subprocess
    import sys

    code = """
import gc, sys
from PySide6.QtWidgets import QApplication
def fake_exec(*args):
    print(gc.isenabled(), any(w.isVisible() for w in QApplication.topLevelWidgets()))
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
    proc = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES / "vip-promotion.ecomraci.json")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


def test_main_turns_the_garbage_collector_back_on(tmp_path):
    import gc

    from ui.app import main

    from PySide6.QtWidgets import QApplication

    before = set(QApplication.topLevelWidgets())
    assert (
        main(
            [
                "--screenshot",
                str(tmp_path / "s.png"),
                "--as-of",
                "2026-11-24",
                str(SAMPLES / "vip-promotion.ecomraci.json"),
            ]
        )
        == 0
    )
    assert gc.isenabled() and (tmp_path / "s.png").exists()
    # main() leaves its window closed but alive, for the process to end; this one goes on
    for w in set(QApplication.topLevelWidgets()) - before:
        if w.parent() is None:
            w.deleteLater()


def test_build_the_outsourced_estore_from_the_catalog_with_the_tree_menus(window):
    """The seeds' common set-up from a new model: one agency delivering web store IT and
    online marketing under one contract; the coupled exit shows at once."""
    doc, ask = window.document, window.prompts
    # the tree's "Add party…" opens the Model menu's party form
    [add] = [a for a in window.structure.menu(None, None, "parties").actions() if a.isEnabled()]
    assert add.text() == "Add party…"
    add.trigger()
    form = window.building.forms["party"]
    assert form.isVisible() and form.external.isChecked()
    form.name.setText("Pixel Agency")
    assert form.category.currentData() == "agency"  # guessed from the name
    form.add_button.click()
    assert doc.model.party("pixel-agency").kind == "external"
    form.close()
    menu = window.structure.menu("function", "web-store-it", None)
    assert "Delivered by…" in [a.text() for a in menu.actions()]
    answers = iter(["Pixel Agency (external)", "New contract…", "Pixel master agreement"])
    ask.answers["text"] = lambda *a: next(answers)
    ask.answers["item"] = lambda *a: next(answers)
    assert window.structure.deliver("web-store-it")
    answers = iter(["Pixel Agency (external)", "Pixel master agreement"])
    assert window.structure.deliver("online-marketing")
    contract = doc.model.contract("pixel-master-agreement")
    assert contract.party == "pixel-agency"
    assert contract.covers == ["web-store-it", "online-marketing"]
    delivered = {s.function: (s.party, s.mode, s.contract) for s in doc.model.assignments}
    assert delivered["online-marketing"] == ("pixel-agency", "outsourced", "pixel-master-agreement")
    [coupled] = _findings(window, "SRC-02")
    assert "online-marketing" in coupled.subjects and "web-store-it" in coupled.subjects
    # three steps, each undoable
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.model == new_model()


def test_map_tab_follows_findings_and_exports(make_window, tmp_path):
    w = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"), as_of=AS_OF)
    _findings(w)
    assert w.tabs.tabText(w.tabs.indexOf(w.map)) == "Sourcing map"
    assert w.map.findings and any(f.rule == "SRC-02" for f in w.map.findings)
    w.prompts.answers["save_path"] = tmp_path / "map.svg"
    assert w.export_map()
    assert (tmp_path / "map.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    w.prompts.answers["save_path"] = tmp_path / "missing-folder" / "map.png"
    assert not w.export_map()
    assert w.prompts.errors[-1][0] == "Cannot export the map"
    w.map.selectionChanged.emit(["pixelforge-msa"])
    assert w.tree.currentIndex().data(Qt.ItemDataRole.UserRole) == "pixelforge-msa"


# --- Excel from the menu ----------------------------------------------------------------


def test_excel_export_then_import_of_an_edited_workbook_is_one_undo_step(make_window, tmp_path):
    from openpyxl import load_workbook

    from ecomraci.xlsx import plan_import

    w = make_window(store.load(SAMPLES / "vip-promotion.ecomraci.json"), as_of=AS_OF)
    out = tmp_path / "raci.xlsx"
    w.prompts.answers["save_path"] = out
    assert w.export_excel()
    assert out.exists()
    assert plan_import(w.document.model, out).changes == []
    # Someone changes one letter in the workbook (found by the hidden ids).
    book = load_workbook(out)
    sheet = book["RACI"]
    target = None
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "C" and target is None:
                target = cell
    target.value = "I"
    book.save(out)
    before = w.document.model.model_copy(deep=True)
    steps = w.document.undo_stack.count()
    shown = []
    w.prompts.answers["review_import"] = lambda rows, notes: shown.append(rows) or True
    assert w.import_excel(out)
    [[(activity, party, old, new)]] = shown
    assert (old, new) == ("C", "I")
    assert w.document.undo_stack.count() == steps + 1
    assert w.document.model != before
    w.document.undo_stack.undo()
    assert w.document.model == before


def test_excel_import_of_a_bad_file_says_why_and_changes_nothing(window, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    before = window.document.model.model_copy(deep=True)
    assert not window.import_excel(bad)
    title, text = window.prompts.errors[-1]
    assert title == "Cannot import" and "notes.xlsx" in text and "Traceback" not in text
    assert window.document.model == before


def test_excel_export_asks_for_a_scenario_sheet_when_the_model_has_saved_scenarios(
    make_window, tmp_path
):
    from openpyxl import load_workbook

    from ecomraci.scenario import add_scenario, insource

    model = store.load(SAMPLES / "outsourced-estore.ecomraci.json")
    add_scenario(
        model,
        insource(model, "online-marketing", as_of=date(2026, 12, 1)).to_scenario(
            "Marketing in-house"
        ),
    )
    w = make_window(model, as_of=AS_OF)
    w.prompts.answers["item"] = "Marketing in-house"
    out = tmp_path / "what-if.xlsx"
    w.prompts.answers["save_path"] = out
    assert w.export_excel()
    (asked,) = [args for name, args in w.prompts.asked if name == "item"]
    assert asked == (
        "Export to Excel",
        "Add a Scenario sheet for:",
        ["(none)", "Marketing in-house"],
    )
    sheet = load_workbook(out)["Scenario"]
    assert sheet["A1"].value == "Scenario: Marketing in-house"
    assert sheet["B3"].value.date() == date(2026, 12, 1)
    # "(none)" gives the usual workbook; cancelling the question exports nothing.
    w.prompts.answers["item"] = "(none)"
    assert w.export_excel()
    assert "Scenario" not in load_workbook(out).sheetnames
    w.prompts.answers["item"] = None
    w.prompts.answers["save_path"] = tmp_path / "never.xlsx"
    assert not w.export_excel() and not (tmp_path / "never.xlsx").exists()


def test_map_contracts_and_organisation_tabs_are_built_when_first_shown(make_window):
    w = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"), as_of=AS_OF)
    findings = _findings(w)
    titles = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    assert titles == ["RACI matrix", "Sourcing map", "Contracts", "Organisation"]
    assert w._pages == {}  # opening the model built none of them
    # clicking a tab builds it in place, with the findings already checked
    w.tabs.setCurrentIndex(titles.index("Sourcing map"))
    assert w.tabs.currentWidget() is w.map and w.map.isVisible()
    assert w.map.findings == findings and w.map.scene.items_of("legal")
    assert set(w._pages) == {"map"}
    # asking for a tab builds it too, without switching to it
    contracts = w.contracts_tab
    assert w.tabs.currentWidget() is w.map
    assert w.tabs.tabText(w.tabs.indexOf(contracts)) == "Contracts"
    w.show_object("contract", "pixelforge-msa")
    assert w.tabs.currentWidget() is contracts
    assert w.inspector.kind == "contract"
    w.tabs.setCurrentIndex(titles.index("Organisation"))
    assert w.tabs.currentWidget() is w.organisation_tab
    assert [w.tabs.tabText(i) for i in range(w.tabs.count())] == titles
    # another model: new, unbuilt tabs again
    w.open_path(SAMPLES / "vip-promotion.ecomraci.json")
    assert w._pages == {} and w.tabs.count() == 4


def test_hidden_map_catches_up_when_its_tab_is_shown(make_window):
    w = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"), as_of=AS_OF)
    _findings(w)
    w.tabs.setCurrentWidget(w.matrix_page)
    assert w.map.scene.items_of("legal")
    before = {id(i) for i in w.map.scene.items()}
    w.structure.remove("functions", "legal")
    _findings(w)
    # not redrawn while hidden ...
    assert {id(i) for i in w.map.scene.items()} == before
    w.tabs.setCurrentWidget(w.map)
    # ... and up to date once shown
    assert not w.map.scene.items_of("legal")
    assert w.map.findings == w.findings.model.findings


def test_an_unexpected_error_is_shown_and_logged_and_the_app_goes_on(window, monkeypatch, tmp_path):
    import sys

    from ui.app import install_error_handler

    from PySide6.QtCore import QStandardPaths

    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda *_: str(tmp_path))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_error_handler(window)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    title, text = window.prompts.errors[-1]
    assert title == "Unexpected error" and "boom in a slot" in text
    assert "Traceback" not in text
    import logging

    for handler in list(logging.getLogger("ecomraci").handlers):
        handler.flush()
    assert "boom in a slot" in (tmp_path / "ecomraci.log").read_text(encoding="utf-8")
    assert window.isVisible()
    for handler in list(logging.getLogger("ecomraci").handlers):
        if str(tmp_path) in getattr(handler, "baseFilename", ""):
            logging.getLogger("ecomraci").removeHandler(handler)
            handler.close()


def test_a_structure_edit_the_model_refuses_changes_nothing_and_says_why(window):
    view, doc = window.matrix, window.document
    messages = []
    window.matrix_model.rejected.connect(messages.append)
    steps = doc.undo_stack.count()
    pid = doc.model.parties[0].id
    view.ask_text = lambda *a, **k: "x" * 300  # longer than a name may be
    view.rename("party", pid)
    assert doc.undo_stack.count() == steps
    assert doc.model.parties[0].name != "x" * 300
    assert messages and "Rename" in messages[-1] and "200" in messages[-1]
    # the same through the model tree's menu: a contract needs an outside party
    for party in [p.id for p in doc.model.parties if p.kind == "external"]:
        doc.apply(ops.remove_subjects(doc.model, [("parties", party)]), "Remove")
    steps = doc.undo_stack.count()
    form = window.structure.add("contract", "contract", None)
    form.name.setText("Solo contract")
    form.add_button.click()
    assert doc.undo_stack.count() == steps
    assert "outside party" in form.message.text()
    form.close()


def test_an_empty_findings_table_says_why(make_window):
    w = make_window(store.load(SAMPLES / "vip-promotion.ecomraci.json"), as_of=AS_OF)
    _findings(w)
    note = w.findings.empty_note
    assert note.isVisible() and "passes every rule" in note.text() and "2026-11-24" in note.text()
    w = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"), as_of=AS_OF)
    _findings(w)
    assert not w.findings.empty_note.isVisible()
    w.findings.search.setText("no such text anywhere")
    assert w.findings.empty_note.isVisible() and "filter" in w.findings.empty_note.text()
    w.findings.search.clear()
    assert not w.findings.empty_note.isVisible()


def test_a_party_picked_in_the_tree_or_by_a_finding_shows_the_party(make_window):
    from ecomraci import store

    path = SAMPLES / "outsourced-estore.ecomraci.json"
    window = make_window(store.load(path), path)
    window.show_object("party", "marketing-dept")
    assert window.inspector.current() == ("party", "marketing-dept")
    window.findings.recheck_now(wait=True)
    # CMP-01 names the payment provider and its contract: a column, no row
    finding = next(f for f in window.findings.model.findings if f.subjects[:1] == ["paynord"])
    window.select_subject(finding)
    assert window.inspector.current() == ("party", "paynord")


def test_ctrl_z_in_a_field_just_committed_undoes_the_model(make_window, qtbot):
    from ecomraci import store

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    path = SAMPLES / "outsourced-estore.ecomraci.json"
    window = make_window(store.load(path), path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    doc = window.document
    function = doc.model.functions[0]
    old = function.name
    window.show_object("function", function.id)
    edit = window.inspector.editor("name").widget
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Shop")
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() != "Shop" and doc.undo_stack.count() == 0  # the field's own typing
    qtbot.keyClicks(edit, "Shop")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert doc.model.function(function.id).name == "Shop" and doc.undo_stack.index() == 1
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.undo_stack.index() == 0  # the model's last step, not the field's typing
    assert doc.model.function(function.id).name == old and edit.text() == old
    edit.clearFocus()  # leaving the field commits nothing new
    assert doc.undo_stack.index() == 0 and doc.undo_stack.count() == 1
