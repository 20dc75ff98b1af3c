"""The inspector shows what is selected and its place in the model: a single click on a
tree item shows that object; a function shows who delivers it (editable, the old
deliverer's R letters moved on request, one undo step) and its dependencies both ways;
a party its deliveries, contracts, letter counts and findings; a contract its functions
and exit dates. No field shows twice and no raw id shows outside the Id field."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date

import pytest

from ecomraci import store
from ecomraci.rules import check
from ecomraci.scenario.exit_calendar import earliest_exit, exit_routes
from ui.panels.inspector import InspectorPanel

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel

from .sample_kit import SAMPLE, sample_document, shown

AS_OF = date(2025, 6, 1)


@pytest.fixture
def document():
    return sample_document()


@pytest.fixture
def panel(qtbot, document):
    return shown(qtbot, InspectorPanel(document, as_of=AS_OF), 380, 800)


@pytest.fixture
def window(make_window):
    return make_window(store.load(SAMPLE), SAMPLE, as_of=AS_OF)


def click_item(qtbot, tree, kind, key):
    node = tree.item(key, kind)
    assert node is not None, (kind, key)
    index = node.index()
    tree.scrollTo(index)
    rect = tree.visualRect(index)
    assert rect.isValid()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def plain(label: QLabel) -> str:
    """A label's text as shown (rich text stripped of its tags)."""
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or "<" in text:
        text = re.sub(r"<(li|br|ul|/ul|/li)\b[^>]*>", " ", text)
        text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def shown_texts(panel) -> list[str]:
    """Every text the inspector shows but the Id field's value."""
    id_widget = panel.editors["id"].widget if "id" in panel.editors else None
    texts = [panel.title.text(), panel.subtitle.text()]
    content = panel.scroll.widget()
    for label in content.findChildren(QLabel):
        if label is not id_widget and label.isVisibleTo(content):
            texts.append(plain(label))
            texts.append(label.toolTip())
    for box in content.findChildren(QGroupBox):
        texts.append(box.title())
    for box_ in content.findChildren(QCheckBox):
        if box_.isVisibleTo(content):
            texts.append(box_.text())
    return texts


def objects(model):
    for kind, collection in (
        ("party", "parties"),
        ("function", "functions"),
        ("activity", "activities"),
        ("contract", "contracts"),
        ("forum", "forums"),
    ):
        for x in getattr(model, collection):
            yield kind, x.id, x.name


# --- a single click -------------------------------------------------------------------


def test_a_single_click_on_each_kind_of_tree_item_shows_that_object(qtbot, window):
    model = window.document.model
    tree = window.tree
    # every kind, and a party right after a function and an activity (a party's click
    # once showed the function of the matrix's first row)
    seen = set()
    picks = [
        ("function", "content"),
        ("party", "pixelforge"),
        ("activity", "om-seo"),
        ("party", "marketing-dept"),
        ("contract", "paynord-psp"),
        ("forum", model.forums[0].id),
        ("party", model.parties[0].id),
        ("function", model.functions[-1].id),
    ]
    for kind, key in picks:
        if kind == "activity":
            tree.expand(tree.item(model.activity(key).function, "function").index())
        click_item(qtbot, tree, kind, key)
        qtbot.wait(10)
        assert window.inspector.current() == (kind, key)
        name = next(n for k, i, n in objects(model) if (k, i) == (kind, key))
        assert window.inspector.title.text() == name
        seen.add(kind)
    assert seen == {"party", "function", "activity", "contract", "forum"}


# --- no field twice, no raw ids -----------------------------------------------------


def form_labels(panel) -> list[str]:
    labels = []
    content = panel.scroll.widget()
    for box in content.findChildren(QGroupBox):
        form = box.layout()
        if not isinstance(form, QFormLayout):
            continue
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel) and widget.text():
                labels.append(f"{box.title()}/{widget.text().rstrip(':')}")
        for tick in box.findChildren(QCheckBox):
            if tick.text():
                labels.append(f"{box.title()}/{tick.text()}")
    return labels


def test_no_field_shows_twice_in_any_form(panel, document):
    model = document.model
    shown_objects = [(k, i) for k, i, _n in objects(model)]
    shown_objects.append(("dependency", model.dependencies[0].id))
    a = model.assignments[0]
    shown_objects.append(("assignment", f"{a.function}@{a.party}"))
    kinds = set()
    for kind, key in shown_objects:
        panel.show_object(kind, key)
        labels = form_labels(panel)
        assert labels, kind
        twice = [label for label, n in Counter(labels).items() if n > 1]
        assert twice == [], (kind, key, twice)
        # and each field once across the boxes (Name and Id of an activity once each)
        fields = Counter(label.split("/", 1)[1] for label in labels)
        assert fields.get("Name", 0) <= 1 and fields.get("Id", 0) <= 1, (kind, fields)
        kinds.add(kind)
    assert kinds == {
        "party",
        "function",
        "activity",
        "contract",
        "forum",
        "dependency",
        "assignment",
    }


def test_no_raw_id_shows_outside_the_id_field(panel, document):
    model = document.model
    # ids that are not plain words ("legal" is an id and a word of a tooltip): compound
    # ids and the outside parties' brand names
    brands = {p.id for p in model.parties if p.kind == "external"}
    ids = {i for _k, i, _n in objects(model) if "-" in i or "." in i} | brands
    assert {"online-marketing", "pixelforge-msa", "pixelforge"} <= ids
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    for kind, key, _name in objects(model):
        panel.show_object(kind, key)
        leaked = {m for text in shown_texts(panel) for m in pattern.findall(text)}
        assert leaked == set(), (kind, key, leaked)
        assert panel.editors["id"].widget.text() == key  # the Id field still shows it


# --- a function -----------------------------------------------------------------------


def test_the_function_shows_its_deliverer_mode_contract_and_dependencies_both_ways(panel, document):
    model = document.model
    panel.show_object("function", "web-store-it")
    row = panel.delivery
    [a] = [a for a in model.assignments if a.function == "web-store-it"]
    assert row.party.currentData() == a.party
    assert row.party.currentText() == model.party(a.party).name
    assert row.contract.currentData() == a.contract
    assert row.contract.currentText() == model.contract(a.contract).name
    assert row.mode.currentData() == a.mode and row.mode.currentText() == "Outsourced"
    assert not row.apply_button.isEnabled()  # nothing to change yet
    needs = [model.function(d.needs).name for d in model.dependencies if d.function == a.function]
    needed_by = [
        model.function(d.function).name for d in model.dependencies if d.needs == a.function
    ]
    assert needs and needed_by
    box = next(
        b for b in panel.scroll.widget().findChildren(QGroupBox) if b.title() == "Dependencies"
    )
    depends, needed = [plain(x) for x in box.findChildren(QLabel)]
    assert depends.startswith("Depends on:") and needed.startswith("Needed by:")
    assert all(name in depends for name in needs)
    assert all(name in needed for name in needed_by)
    assert not any(name in depends for name in set(needed_by) - set(needs))


def test_a_co_sourced_function_lists_every_deliverer(panel, document):
    model = document.model
    panel.show_object("function", "analytics")
    box = next(b for b in panel.scroll.widget().findChildren(QGroupBox) if b.title() == "Delivery")
    lines = [plain(x) for x in box.findChildren(QLabel) if x.objectName() != "inlineMessage"]
    for a in [a for a in model.assignments if a.function == "analytics"]:
        assert any(model.party(a.party).name in line and "co-sourced" in line for line in lines)


def choose(qtbot, combo, text):
    """Pick the item `text` by typing its first letters, as a user does."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText() == text


def test_delivered_by_from_the_inspector_moves_the_r_letters_in_one_undo_step(
    qtbot, panel, document
):
    model = document.model
    original = model.model_copy(deep=True)
    panel.show_object("function", "online-marketing")
    row = panel.delivery
    activities = [a.id for a in model.activities_of("online-marketing")]
    held = [a for a in activities if "R" in model.letters(a, "pixelforge")]
    assert held
    assert row.letters.isHidden()  # nothing to move while the agency stays
    choose(qtbot, row.party, "Marketing")
    assert row.mode.currentData() == "in-house"  # an internal team
    assert not row.contract.isEnabled()
    assert row.letters.isVisibleTo(panel) and row.letters.isChecked()  # on by default
    assert row.letters_detail.text() == (
        f"The {len(held)} R letters of Pixelforge Digital on this function's activities "
        "go to Marketing"
    )
    stack = document.undo_stack
    before = stack.count()
    qtbot.mouseClick(row.apply_button, Qt.MouseButton.LeftButton)
    model = document.model
    assert stack.count() == before + 1
    assert [
        (a.party, a.mode, a.contract) for a in model.assignments if a.function == "online-marketing"
    ] == [("marketing-dept", "in-house", None)]
    for a in activities:
        assert "R" not in model.letters(a, "pixelforge")
        assert ("R" in model.letters(a, "marketing-dept")) == (
            a in held or "R" in original.letters(a, "marketing-dept")
        )
        assert "A" in model.letters(a, "marketing-dept") or "A" not in original.letters(
            a, "marketing-dept"
        )
    assert "online-marketing" not in model.contract("pixelforge-msa").covers
    # the inspector followed: the row now shows the new deliverer
    assert panel.delivery.party.currentData() == "marketing-dept"
    stack.undo()
    assert document.model == original  # exactly the model before, in one step
    assert panel.delivery.party.currentData() == "pixelforge"


def test_the_r_letters_stay_when_the_box_is_unticked(qtbot, panel, document):
    original = document.model.model_copy(deep=True)
    panel.show_object("function", "online-marketing")
    row = panel.delivery
    choose(qtbot, row.party, "Marketing")
    qtbot.mouseClick(row.letters, Qt.MouseButton.LeftButton)
    assert not row.letters.isChecked()
    assert row.letters_detail.text().startswith("Pixelforge Digital keeps its")
    qtbot.mouseClick(row.apply_button, Qt.MouseButton.LeftButton)
    assert document.model.raci == original.raci
    assert document.model.assignments != original.assignments


def test_another_contract_and_co_sourcing_from_the_row(qtbot, panel, document):
    panel.show_object("function", "content")
    row = panel.delivery
    choose(qtbot, row.party, "Pixelforge Digital")
    assert row.mode.currentData() == "outsourced"
    choose(
        qtbot, row.contract, "Pixelforge master services agreement (web store and online marketing)"
    )
    choose(qtbot, row.mode, "Co-sourced")
    assert row.letters.isHidden()  # beside the team: nobody stops delivering it
    qtbot.mouseClick(row.apply_button, Qt.MouseButton.LeftButton)
    model = document.model
    assert sorted(
        (a.party, a.mode, a.contract) for a in model.assignments if a.function == "content"
    ) == [
        ("marketing-dept", "co-sourced", None),
        ("pixelforge", "co-sourced", "pixelforge-msa"),
    ]
    assert "content" in model.contract("pixelforge-msa").covers


def test_a_refused_change_says_why_under_the_row(qtbot, panel, document):
    panel.show_object("function", "content")
    row = panel.delivery
    choose(qtbot, row.mode, "Co-sourced")  # with itself only
    assert not row.apply_button.isEnabled()
    assert "co-sourced needs a second one" in row.message.text()
    assert row.message.isVisibleTo(panel)


def test_delivered_by_in_the_tree_shows_the_row_on_the_current_deliverer(qtbot, window):
    menu = window.structure.menu("function", "online-marketing", None)
    action = next(a for a in menu.actions() if a.text() == "Delivered by…")
    action.trigger()
    menu.deleteLater()
    row = window.inspector.delivery
    assert window.inspector.current() == ("function", "online-marketing")
    assert row.party.currentData() == "pixelforge"  # the current one, not the first party
    assert row.party.currentData() != window.document.model.parties[0].id
    assert row.party.hasFocus()


def test_the_prompts_offer_the_current_deliverer_first(window):
    asked = []

    def first(title, label, items):
        asked.append(items)
        return items[0]

    window.prompts.answers["item"] = first
    count = window.document.undo_stack.count()
    assert window.structure.deliver("online-marketing")
    assert window.document.undo_stack.count() == count  # the same deliverer: no change
    assert asked[0][0] == "Pixelforge Digital (external)"
    assert asked[1][0] == "Pixelforge master services agreement (web store and online marketing)"


# --- a party and a contract -----------------------------------------------------------


def test_the_party_shows_what_it_delivers_its_contracts_letters_and_findings(qtbot, window):
    model = window.document.model
    inspector = window.inspector
    inspector.show_object("party", "pixelforge")
    content = inspector.scroll.widget()
    boxes = {b.title(): b for b in content.findChildren(QGroupBox)}
    delivers = " ".join(plain(x) for x in boxes["Delivers"].findChildren(QLabel))
    for a in model.assignments:
        if a.party == "pixelforge":
            assert model.function(a.function).name in delivers
    contracts = " ".join(plain(x) for x in boxes["Contracts"].findChildren(QLabel))
    assert model.contract("pixelforge-msa").name in contracts
    counts = {letter: 0 for letter in "RACI"}
    for row in model.raci.values():
        for letter in row.get("pixelforge", ""):
            counts[letter] += 1
    [label] = boxes["RACI letters"].findChildren(QLabel, "letterCounts")
    assert label.text().startswith(f"A on {counts['A']} · R on {counts['R']} ·")
    assert counts["R"] > 0
    # the findings of the last check about the party or its contracts
    qtbot.waitUntil(lambda: window.findings.model.findings != [])
    expected = [
        f
        for f in window.findings.model.findings
        if not f.waived and {"pixelforge", "pixelforge-msa"} & set(f.subjects)
    ]
    assert expected
    box = next(
        b
        for b in inspector.scroll.widget().findChildren(QGroupBox)
        if b.title().startswith("Findings")
    )
    assert box.title() == f"Findings ({len(expected)})"
    shown_messages = [plain(x) for x in box.findChildren(QLabel, "finding")]
    assert len(shown_messages) == min(12, len(expected))
    assert all(
        any(f.message in m for m in shown_messages) for f in expected[:3] if "<" not in f.message
    )


def test_the_party_counts_follow_an_edit_of_the_matrix(panel, document):
    from ecomraci.edits import SetRaci

    panel.show_object("party", "legal-dept")
    before = panel.scroll.widget().findChild(QLabel, "letterCounts").text()
    activity = next(
        a.id for a in document.model.activities if not document.model.letters(a.id, "legal-dept")
    )
    document.apply([SetRaci(activity=activity, party="legal-dept", letters="AR")], "Set")
    after = panel.scroll.widget().findChild(QLabel, "letterCounts").text()
    n = lambda text, letter: int(re.search(rf"{letter} on (\d+)", text).group(1))  # noqa: E731
    assert n(after, "A") == n(before, "A") + 1 and n(after, "R") == n(before, "R") + 1


def test_the_contract_shows_its_functions_and_exit_dates(panel, document):
    model = document.model
    contract = model.contract("pixelforge-msa")
    panel.show_object("contract", contract.id)
    boxes = {b.title(): b for b in panel.scroll.widget().findChildren(QGroupBox)}
    covered = " ".join(plain(x) for x in boxes["Functions covered"].findChildren(QLabel))
    for fid in contract.covers:
        assert model.function(fid).name in covered
    exits = [plain(x) for x in boxes[f"Exit dates (as of {AS_OF})"].findChildren(QLabel)]
    whole = earliest_exit(exit_routes(contract, None, AS_OF))
    assert exits[0] == f"Whole contract: {whole.on}"
    for fid, line in zip(contract.covers, exits[1:]):
        route = earliest_exit(exit_routes(contract, fid, AS_OF))
        assert line.startswith(f"{model.function(fid).name}: {route.on}")
        assert line.endswith("only with the whole contract") == (not route.alone)


def test_the_findings_given_to_the_panel_show_on_their_subjects(panel, document):
    findings = check(document.model, as_of=AS_OF)
    panel.show_object("contract", "paynord-psp")
    assert not any(
        b.title().startswith("Findings") for b in panel.scroll.widget().findChildren(QGroupBox)
    )
    panel.set_findings(findings)
    mine = [f for f in findings if not f.waived and "paynord-psp" in f.subjects]
    assert mine
    box = next(
        b for b in panel.scroll.widget().findChildren(QGroupBox) if b.title().startswith("Findings")
    )
    assert box.title() == f"Findings ({len(mine)})"
    texts = [plain(x) for x in box.findChildren(QLabel, "finding")]
    assert [t.split(" ", 1)[1] for t in texts] == [
        f.message
        for f in sorted(mine, key=lambda f: ["error", "warning", "info"].index(f.severity))
    ][:12]


def test_a_recheck_with_the_same_findings_keeps_the_boxes(panel, document):
    # Each check makes new finding objects; the boxes are rebuilt only when what the
    # findings box shows changes (on a big model a rebuild costs more than the edit).
    panel.show_object("contract", "pixelforge-msa")
    panel.set_findings(check(document.model, as_of=AS_OF))
    facts = panel.facts
    panel.set_findings(check(document.model, as_of=AS_OF))
    assert panel.facts is facts

    def boxes():  # the titles of the boxes, in the order they are laid out
        layout = facts.layout()
        return [layout.itemAt(i).widget().title() for i in range(layout.count())]

    titles = boxes()
    # one finding about the contract fewer: the findings box alone is replaced, and
    # counts one less
    findings = check(document.model, as_of=AS_OF)
    mine = [f for f in findings if not f.waived and "pixelforge-msa" in f.subjects]
    panel.set_findings([f for f in findings if f is not mine[0]])
    assert panel.facts is facts
    assert titles[-1] == f"Findings ({len(mine)})"
    assert boxes() == [*titles[:-1], f"Findings ({len(mine) - 1})"]
    texts = [plain(x) for x in facts.findChildren(QLabel, "finding") if x.isVisibleTo(panel)]
    assert mine[0].message not in [t.split(" ", 1)[1] for t in texts]

    # no finding about it: no findings box; the findings back: the box is back, last
    panel.set_findings([f for f in findings if f not in mine])
    assert boxes() == titles[:-1]
    panel.set_findings(findings)
    assert boxes() == titles and panel.facts is facts


def test_a_typed_letter_rewrites_the_shown_activity_letters_in_place(panel, document):
    from ecomraci.edits import SetRaci

    model = document.model
    aid = next(a for a, row in model.raci.items() if len(row) >= 2)
    panel.show_object("activity", aid)
    label = panel.facts.findChild(QLabel, "activityLetters")
    other = next(p for p in model.parties if p.id not in model.raci[aid])
    assert other.name not in plain(label)

    assert document.apply([SetRaci(activity=aid, party=other.id, letters="C")], "C") is None
    assert panel.facts.findChild(QLabel, "activityLetters") is label  # not rebuilt
    lines = [re.sub(r"<[^>]+>", "", x) for x in label.text().split("<br>")]
    line = next(x for x in lines if x.startswith("C: "))
    assert html.escape(other.name) in line
    document.undo_stack.undo()
    assert other.name not in plain(label)

    # every letter cleared: the box says so
    parties = list(model.raci[aid])
    cleared = [SetRaci(activity=aid, party=p, letters="") for p in parties]
    assert document.apply(cleared, "clear") is None
    texts = [plain(x) for x in panel.facts.findChildren(QLabel)]
    assert "No letters yet." in texts
    document.undo_stack.undo()
    assert panel.facts.findChild(QLabel, "activityLetters") is not None
