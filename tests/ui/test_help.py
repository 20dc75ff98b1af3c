"""The Help menu: the user guide, the rule catalog and Explain in plain words, the
keyboard shortcuts read from the window's actions, and the About box."""

from __future__ import annotations

import platform
import re
import tomllib
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path

import pytest

from ecomraci import docs, store
from ecomraci.rules import RULES
from tests.ui.conftest import SAMPLES
from ui import help as helpmod
from ui.dialogs import ExplainDialog

from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QKeySequence

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide.md"


def help_action(w, text: str) -> QAction:
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Help")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def menu_paths(w) -> dict[str, QAction]:
    """'File › Export to Excel…' -> its action, for every action of the window's menus."""
    out = {}

    def walk(menu, path):
        for a in menu.actions():
            name = a.text().split("\t")[0].replace("&", "")
            if a.menu() is not None:
                out[f"{path} › {name}"] = a
                walk(a.menu(), f"{path} › {name}")
            elif name:
                out[f"{path} › {name}"] = a

    for top in w.menuBar().actions():
        walk(top.menu(), top.text().replace("&", ""))
    return out


# --- the user guide ------------------------------------------------------------------------


def test_the_guide_ships_with_the_package_as_docs_guide_md():
    packaged = ROOT / "ui" / helpmod.GUIDE
    assert packaged.read_text(encoding="utf-8") == GUIDE.read_text(encoding="utf-8"), (
        "ui/guide.md differs from docs/guide.md: copy docs/guide.md to ui/guide.md"
    )
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["ui"]
    assert any(fnmatch(helpmod.GUIDE, p) for p in patterns)
    assert helpmod.guide_markdown() == GUIDE.read_text(encoding="utf-8")


def test_help_user_guide_opens_the_guide_beside_the_window(window, qtbot):
    action = help_action(window, "User guide")
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    action.trigger()
    guide = window.help.show_guide()  # the same window again, not a second one
    qtbot.waitExposed(guide)
    assert isinstance(guide, helpmod.GuideWindow) and not guide.isModal()
    text = guide.text.toPlainText()
    for job in (
        "1. Draw the sourcing map",
        "2. Keep a clean RACI matrix and hand it around as Excel",
        "3. Check contract flexibility before signing or renewing",
    ):
        assert job in text
    assert "`" not in text and "<!--" not in text
    headings = [h for _, h in guide.headings()]
    assert guide.contents.count() == len(headings) >= 6
    # a link of the guide's own contents jumps to its heading
    bar = guide.text.verticalScrollBar()
    assert bar.value() == 0
    guide.text.anchorClicked.emit(
        helpmod.QUrl("#3-check-contract-flexibility-before-signing-or-renewing")
    )
    assert bar.value() > 0
    assert guide.text.textCursor().block().text().startswith("3. Check contract")
    first = guide.contents.item(0)
    guide.contents.itemClicked.emit(first)
    assert guide.text.textCursor().block().text() == headings[0]
    assert (
        bar.value()
        < guide.text.document()
        .documentLayout()
        .blockBoundingRect(guide.text.textCursor().block())
        .top()
        + 1
    )


def test_every_menu_path_and_key_the_guide_names_is_the_apps(window):
    """'*File › Export to Excel…* (Ctrl+E)' in the guide: the menu has that action, and
    the key in brackets after it is its shortcut. So the guide follows the menus."""
    paths = menu_paths(window)
    text = GUIDE.read_text(encoding="utf-8")
    named = re.findall(
        r"\*([A-Z][\w ]+(?: › [^*]+)+)\*(?:\s+\(([^)]+)\))?", text.replace("\n", " ")
    )
    assert len(named) >= 10
    for path, keys in named:
        assert path in paths, f"the guide names {path!r}, which no menu has"
        if keys and re.fullmatch(r"(Ctrl|Shift|Alt|F\d)[\w+]*", keys):
            shortcut = paths[path].shortcut().toString()
            assert shortcut == keys, f"{path}: the guide says {keys}, the app {shortcut}"


# --- Explain and the rule catalog ----------------------------------------------------------


@pytest.mark.parametrize("rule_id", ["SRC-02", "RACI-07", "CMP-01", "GOV-06"])
def test_explain_shows_the_rule_in_plain_words(qtbot, rule_id):
    dialog = ExplainDialog.for_rule(rule_id)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert RULES[rule_id].title in text
    for part in ("What it checks.", "Why it matters.", "How to fix it.", "Example."):
        assert part in text
    assert docs.technical_words(text) == []
    assert "exit code" not in text and "Tested by" not in text


def test_explain_from_a_finding_gets_the_plain_words(make_window):
    w = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"))
    w.findings.recheck_now(wait=True)
    finding = next(f for f in w.findings.model.findings if f.rule == "SRC-02")
    shown = []
    w.findings.show_explanation = lambda title, text: shown.append((title, text))
    w.findings.explain(finding)
    [(title, text)] = shown
    assert title.startswith("SRC-02")
    assert text == docs.rule_in_words(RULES["SRC-02"])


def test_help_rule_catalog_is_in_plain_words(window, qtbot):
    help_action(window, "Rule catalog").trigger()
    dialog = window.help.show_rule_catalog()
    qtbot.waitExposed(dialog)
    text = dialog.text.toPlainText()
    for rule_id in RULES:
        assert f"{rule_id}: {RULES[rule_id].title}" in text
    assert "not this file" not in text and "<!--" not in text and "`" not in text
    assert "partial_termination" not in text and "exits with" not in text


# --- no raw ids in the what-if pane -------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.ecomraci.json")))
def test_the_what_if_pane_names_objects(sample):
    """What the What if pane shows of each what-if of a sample (and of a copy with weak
    contracts), read as plain text, quotes no id of the model."""
    from tests.core import test_user_texts as texts
    from ui.panels.scenario import result_html

    from PySide6.QtGui import QTextDocument

    model = store.load(SAMPLES / sample)
    results = texts.scenarios(model) + texts.scenarios(texts.weakened(model))
    shown = []
    for r in results:
        page = QTextDocument()
        page.setHtml(result_html(r))
        shown.append((r.question, page.toPlainText()))
    assert any("Other changes to the model" in text for _, text in shown)
    assert texts.leaks(model, shown) == []


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.ecomraci.json")))
def test_no_raw_id_in_what_the_window_shows(make_window, sample):
    """Every text and tooltip of the matrix (cells and headers), the findings table, the
    model tree and the sourcing map of a sample names objects, never by id."""
    from tests.core import test_user_texts as texts

    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtGui import QTextDocument

    model = store.load(SAMPLES / sample)
    w = make_window(model, as_of=texts.AS_OF)
    w.findings.recheck_now(wait=True)
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    shown: list[tuple[str, str]] = []

    def add(where: str, value) -> None:
        if isinstance(value, str) and value:
            if "<" in value:  # rich text: read as the user does
                page = QTextDocument()
                page.setHtml(value)
                value = page.toPlainText()
            shown.append((where, value))

    for where, table in (("matrix", w.matrix_model), ("findings", w.findings.model)):
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                for role in roles:
                    add(f"{where} cell {r},{c}", table.index(r, c).data(role))
        for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
            count = (
                table.columnCount()
                if orientation == Qt.Orientation.Horizontal
                else table.rowCount()
            )
            for i in range(count):
                for role in roles:
                    add(f"{where} header {i}", table.headerData(i, orientation, role))

    def walk(parent: QModelIndex) -> None:
        for r in range(w.tree_model.rowCount(parent)):
            index = w.tree_model.index(r, 0, parent)
            for role in roles:
                add("model tree", index.data(role))
            walk(index)

    walk(QModelIndex())
    w.tabs.setCurrentWidget(w.map)
    for item in w.map.view.scene().items():
        add("map tooltip", item.toolTip())
        if hasattr(item, "toPlainText"):
            add("map text", item.toPlainText())
    assert len(shown) > 500 and any(where == "map tooltip" for where, _ in shown)
    assert texts.leaks(model, shown) == []


def test_a_comparison_of_scenarios_names_objects(make_window):
    """Compare two saved what-ifs of the outsourced e-store: the pane names the contracts
    and functions whose fields differ, not their ids."""
    from tests.core import test_user_texts as texts
    from tests.ui import test_scenarios as flows

    path = SAMPLES / "outsourced-estore.ecomraci.json"
    w = make_window(store.load(path), path, as_of=flows.AS_OF)
    flows._insource_marketing(w)
    flows._save(w, "Take marketing back")
    w.prompts.answers["item"] = lambda title, label, items: (
        "Parcelway" if "provider" in label else "Parcelway parcel services"
    )
    w.scenario_actions.move("online-marketing")
    flows._save(w, "Marketing to Parcelway")
    w.prompts.answers["item"] = lambda title, label, items: items[-1]
    group = flows._group(w, "scenarios").index()
    flows._action(w.tree_menu(group), "Compare scenarios").trigger()
    text = w.scenario_actions.panel.plain_text()
    objects = text.split("Objects (", 1)[1]
    assert "covers" in objects and "“Online marketing”" in objects
    assert texts.leaks(w.document.model, [("comparison", text)]) == []


# --- keyboard shortcuts --------------------------------------------------------------------


def test_shortcuts_list_the_windows_actions_and_the_matrix_keys(window, qtbot):
    help_action(window, "Keyboard shortcuts").trigger()
    rows = helpmod.all_shortcuts(window)
    listed = {(s.what, s.keys) for s in rows}
    export = menu_paths(window)["File › Export to Excel…"]
    assert ("Export to Excel…", export.shortcut().toString()) in listed
    for path, action in menu_paths(window).items():
        if action.menu() is None and not action.shortcut().isEmpty():
            assert any(s.what == path.split(" › ")[-1] for s in rows), path
    groups = [s.group for s in rows]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(runs) == len(set(runs)), "each menu or place is listed once"
    keys = {s.keys for s in rows}
    for key in ("Ctrl+D", "Ctrl+R", "F2", "Delete", "Ctrl+0"):
        assert any(key in k for k in keys), key
    dialog = window.help._open["shortcuts"]
    qtbot.waitExposed(dialog)
    assert "Export to Excel" in dialog.text.toPlainText()


def test_shortcuts_follow_an_action_added_later(window):
    """Built from the actions when opened, so the list cannot go stale."""
    action = QAction("Frobnicate the matrix", window)
    action.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.menuBar().actions()[0].menu().addAction(action)
    first = helpmod.shortcuts_html(window)
    assert "Frobnicate the matrix" in first and "Ctrl+Alt+J" in first
    action.setShortcut(QKeySequence("Ctrl+Alt+K"))
    assert "Ctrl+Alt+K" in helpmod.shortcuts_html(window)


# --- About ---------------------------------------------------------------------------------


def test_about_gives_versions_and_the_libraries_licences(window, qtbot):
    help_action(window, "About ecomraci").trigger()
    dialog = window.help._open["about"]
    qtbot.waitExposed(dialog)
    text = dialog.text.toPlainText()
    assert metadata.version("ecomraci") in text
    assert qVersion() in text and platform.python_version() in text
    libs = {lib.name.lower().replace("_", "-"): lib for lib in helpmod.libraries()}
    for name in ("pydantic", "networkx", "openpyxl", "defusedxml", "lxml", "pyside6-essentials"):
        lib = libs[name]
        assert lib.version == metadata.version(name)
        assert lib.licence and lib.licence != "not stated"
        assert lib.name in text and lib.licence in text
    # only what the app runs on, not the test tools
    assert "pytest" not in libs and "ruff" not in libs and "hypothesis" not in libs


def test_a_licence_field_holding_the_whole_text_is_cut():
    class Meta(dict):
        def get_all(self, key):
            return self.get(key + "s")

    class Dist:
        metadata = Meta(License="Copyright (c) Someone\n\nPermission is hereby granted ...")

    assert helpmod.licence_of(Dist()) == "Copyright (c) Someone"
    Dist.metadata = Meta(Classifiers=["License :: OSI Approved :: MIT License"])
    assert helpmod.licence_of(Dist()) == "MIT License"
