"""The Model menu and toolbar entries (`ui.building`): one non-modal form per kind of
object, driven with the keyboard and mouse; each Add is one undo step, and bad input is
said in the form.

The forms are tried in a small window holding the menu, the toolbar and a document, as
the main window holds them."""

from __future__ import annotations

import pytest

from ecomraci import store
from ecomraci.catalog import categories_for, new_model
from tests.ui.conftest import SAMPLES
from ui.building import BuildingActions
from ui.document import Document

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow


class Host(QMainWindow):
    """The part of a main window the add forms need."""

    def __init__(self, model):
        super().__init__()
        self.document = Document(model, parent=self)
        self.shown: list[tuple[str, str]] = []
        self.messages: list[str] = []
        self.toolbar = self.addToolBar("Main")
        self.building = BuildingActions(
            current=lambda: self.document,
            show_object=lambda kind, key: self.shown.append((kind, key)),
            status=lambda text, _ms: self.messages.append(text),
            parent=self,
        )
        self.model_menu = self.menuBar().addMenu("&Model")
        self.building.install(self.model_menu, self.toolbar)


@pytest.fixture
def host(qtbot):
    def make(model=None):
        window = Host(model if model is not None else new_model())
        qtbot.addWidget(window)
        window.resize(1024, 700)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(host):
    return host()


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _type(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _form(window, qtbot, kind: str):
    button = window.toolbar.widgetForAction(window.building.actions[kind])
    assert button is not None and button.isVisible()
    _click(qtbot, button)
    form = window.building.forms[kind]
    assert form.isVisible() and not form.isModal()
    return form


def _combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_model_menu_offers_every_kind(window):
    texts = [a.text() for a in window.model_menu.actions()]
    assert texts == [
        "Add &party…",
        "Add &function…",
        "Add &activity…",
        "Add &contract…",
        "Add f&orum…",
    ]
    buttons = [window.toolbar.widgetForAction(a) for a in window.model_menu.actions()]
    assert [b.text() for b in buttons] == [
        "+ Party",
        "+ Function",
        "+ Activity",
        "+ Contract",
        "+ Forum",
    ]


def test_add_an_outside_party_kind_first_with_worded_categories(window, qtbot):
    doc = window.document
    form = _form(window, qtbot, "party")
    assert form.external.isChecked()  # the usual addition to a catalog model
    texts = _combo_texts(form.category)
    assert "Logistics provider (3PL)" in texts and "Payment provider" in texts
    assert not set(texts) & {"3pl", "payment-provider", "E-commerce"}
    assert [form.category.itemData(i) for i in range(form.category.count())] == list(
        categories_for("external")
    )
    assert form.category.currentData() != "ecommerce"
    _type(qtbot, form.name, "Paynord Payments")
    assert form.category.currentText() == "Payment provider"  # guessed from the name
    steps = doc.undo_stack.count()
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    party = next(p for p in doc.model.parties if p.name == "Paynord Payments")
    assert (party.kind, party.category) == ("external", "payment-provider")
    assert doc.undo_stack.count() == steps + 1
    assert (
        form.isVisible()
        and form.name.text() == ""
        and "Paynord Payments" in (form.done_label.text())
    )
    # the same name again, and no name: said in the form, nothing added
    _type(qtbot, form.name, "paynord payments")
    _click(qtbot, form.add_button)
    assert "already a party called" in form.message.text() and form.message.isVisible()
    _type(qtbot, form.name, "   ")
    _click(qtbot, form.add_button)
    assert "Name: type the party's name" in form.message.text()
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert not any(p.name == "Paynord Payments" for p in doc.model.parties)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_an_internal_team_gets_team_categories(window, qtbot):
    form = _form(window, qtbot, "party")
    _click(qtbot, form.internal)
    assert [form.category.itemData(i) for i in range(form.category.count())] == list(
        categories_for("internal")
    )
    assert "Other team" in _combo_texts(form.category)
    _type(qtbot, form.name, "Sales desk")
    assert form.category.currentData() == "sales"
    _click(qtbot, form.add_button)
    party = next(p for p in window.document.model.parties if p.name == "Sales desk")
    assert (party.kind, party.category) == ("internal", "sales")
    form.close()


def test_add_a_function_delivered_under_a_new_contract_in_one_step(host, qtbot):
    window = host(store.load(SAMPLES / "outsourced-estore.ecomraci.json"))
    doc = window.document
    form = _form(window, qtbot, "function")
    _type(qtbot, form.name, "Marketplaces")
    form.deliverer.setCurrentIndex(form.deliverer.findData("pixelforge"))
    assert form.contract.isEnabled()
    assert "Pixelforge master services agreement" in _combo_texts(form.contract)[0]
    form.contract.setCurrentIndex(form.contract.findData("+new"))
    steps = doc.undo_stack.count()
    _click(qtbot, form.add_button)
    assert doc.undo_stack.count() == steps + 1
    fid = next(f.id for f in doc.model.functions if f.name == "Marketplaces")
    [a] = [a for a in doc.model.assignments if a.function == fid]
    assert (a.party, a.mode) == ("pixelforge", "outsourced")
    assert doc.model.contract(a.contract).covers == [fid]
    doc.undo_stack.undo()
    assert fid not in {f.id for f in doc.model.functions}
    assert not any(fid in c.covers for c in doc.model.contracts)
    form.close()


def test_add_an_activity_with_the_default_letters(host, qtbot):
    window = host(store.load(SAMPLES / "outsourced-estore.ecomraci.json"))
    doc = window.document
    form = window.building.open_form("activity", function="online-marketing")
    assert form.function.currentData() == "online-marketing"
    assert "Pixelforge Digital" in form.letters.text()
    _type(qtbot, form.name, "Run price comparison feeds")
    form.activity_kind.setCurrentIndex(form.activity_kind.findData("interface"))
    _click(qtbot, form.add_button)
    activity = next(a for a in doc.model.activities if a.name == "Run price comparison feeds")
    assert activity.function == "online-marketing" and activity.kind == "interface"
    row = doc.model.raci[activity.id]
    assert row["pixelforge"] == "R" and any("A" in v for k, v in row.items() if k != "pixelforge")
    assert window.shown[-1] == ("activity", activity.id)  # shown in the window
    assert "Undo" in window.messages[-1]
    doc.undo_stack.undo()
    assert activity.id not in doc.model.raci
    form.close()


def test_a_contract_needs_an_outside_party(window, qtbot):
    form = _form(window, qtbot, "contract")
    assert "outside party" in form.message.text()
    _click(qtbot, form.add_button)
    assert "add one first" in form.message.text() and not window.document.model.contracts
    form.close()
    party = _form(window, qtbot, "party")
    _type(qtbot, party.name, "Nordlog")
    _click(qtbot, party.add_button)
    party.close()
    form = _form(window, qtbot, "contract")
    assert form.party.currentText() == "Nordlog" and form.name.text() == "Nordlog contract"
    _click(qtbot, form.add_button)
    [contract] = window.document.model.contracts
    assert contract.name == "Nordlog contract" and contract.party == "nordlog"
    form.close()


def test_add_a_forum_with_members(window, qtbot):
    form = _form(window, qtbot, "forum")
    _type(qtbot, form.name, "Weekly agency call")
    form.cadence.setValue(7)
    model = form.members.model()
    model.setData(model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    _click(qtbot, form.add_button)
    forum = next(f for f in window.document.model.forums if f.name == "Weekly agency call")
    assert forum.cadence_days == 7 and forum.members == [window.document.model.parties[0].id]
    form.close()


def test_the_forms_fit_a_small_screen(window, qtbot):
    for kind in window.building.actions:
        form = window.building.open_form(kind)
        QApplication.processEvents()
        hint = form.sizeHint()
        assert hint.width() <= 1000 and hint.height() <= 640, (kind, hint)
        form.close()


def test_the_forms_follow_the_model(window, qtbot):
    contract = window.building.open_form("contract")
    assert contract.party.count() == 0
    party = window.building.open_form("party")
    _type(qtbot, party.name, "Nordlog")
    _click(qtbot, party.add_button)
    assert contract.party.currentText() == "Nordlog"  # the open form's list followed
    assert not contract.message.isVisible()  # "add an outside party first" is gone
    # another model shown: the forms say so before adding to it
    old = window.document
    window.document = Document(
        store.load(SAMPLES / "outsourced-estore.ecomraci.json"), parent=window
    )
    _type(qtbot, party.name, "Parcel Express")
    _click(qtbot, party.add_button)
    assert "Another model is open" in party.message.text()
    assert not any(p.name == "Parcel Express" for p in window.document.model.parties)
    assert "pixelforge" in [contract.party.itemData(i) for i in range(contract.party.count())]
    _click(qtbot, party.add_button)
    assert any(p.name == "Parcel Express" for p in window.document.model.parties)
    assert not any(p.name == "Parcel Express" for p in old.model.parties)
    party.close()
    contract.close()
