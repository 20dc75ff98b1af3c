"""The main window's Model menu and toolbar entries (the forms are `test_building`'s):
there once a model is open, and a new object shows in the window."""

from __future__ import annotations

from tests.ui.conftest import SAMPLES

from PySide6.QtCore import Qt


def test_the_model_menu_needs_a_model_and_shows_what_it_adds(make_window, qtbot):
    window = make_window(document=False)
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Model"]
    assert len(menu.actions()) == 5 and not any(a.isEnabled() for a in menu.actions())
    window.open_path(SAMPLES / "outsourced-estore.ecomraci.json")
    assert all(a.isEnabled() for a in menu.actions())
    button = window.toolbar.widgetForAction(window.building.actions["function"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    form = window.building.forms["function"]
    qtbot.keyClicks(form.name, "Marketplaces")
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    fid = next(f.id for f in window.document.model.functions if f.name == "Marketplaces")
    assert window.matrix_model.row_of(fid) >= 0 or window.tree.item(fid) is not None
    assert "Add function Marketplaces" in window.statusBar().currentMessage()
    form.close()


def test_the_forms_start_from_what_is_selected(make_window, qtbot):
    from ecomraci import store

    window = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"))
    window.show_object("function", "online-marketing")
    form = window.building.open_form("activity")
    assert form.function.currentData() == "online-marketing"
    form.close()
    window.show_object("party", "nordlog")
    form = window.building.open_form("contract")
    assert form.party.currentData() == "nordlog"
    assert form.name.text() == "Nordlog Fulfilment & Contact contract"
    form.close()
