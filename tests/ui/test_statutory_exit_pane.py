"""The what-if pane shows the statutory switch of a data processing service (EU Data
Act) next to the contractual earliest exit, driven the way a user right-clicks."""

from __future__ import annotations

from datetime import date

import pytest

from ecomraci import store
from tests.ui.conftest import SAMPLES
from tests.ui.test_scenarios import _action, _section, _tree_index

ESTORE = SAMPLES / "outsourced-estore.ecomraci.json"


@pytest.fixture
def estore(make_window):
    return make_window(store.load(ESTORE), ESTORE, as_of=date(2026, 11, 24))


def _insource(window, function: str, name: str) -> str:
    window.prompts.answers["item"] = lambda title, label, items: items[0]
    menu = window.tree_menu(_tree_index(window, function, "function"))
    _action(menu, f"What if we insource “{name}”").trigger()
    return window.scenario_actions.panel.plain_text()


def test_the_pane_shows_both_exits_for_the_shop_platform(estore):
    text = _insource(estore, "web-store-it", "Web store IT")
    facts = text.split("Earliest exit (1)")[0]
    assert "Statutory switch" in facts and "2027-02-23" in facts
    exit_part = _section(text, "Earliest exit (1)", "Services put at risk")
    assert "on 2027-05-24" in exit_part  # the contract: six months' notice
    assert "Statutory right to switch: 2027-02-23" in exit_part
    assert "EU Data Act" in exit_part and "earlier than the contractual exit" in exit_part


def test_no_statutory_switch_for_the_agency_s_marketing(estore):
    text = _insource(estore, "online-marketing", "Online marketing")
    assert "Statutory right to switch" not in text and "Statutory switch" not in text
