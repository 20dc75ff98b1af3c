"""File › Export report…: the board report of the model shown, written in a worker, with
the sourcing map drawn in, a saved scenario offered for comparison, and a clear message
for a name that is neither .pdf nor .html."""

from __future__ import annotations

import re
from datetime import date

from ecomraci import scenario, store
from tests.ui.conftest import SAMPLES

AS_OF = date(2026, 12, 2)


def test_export_report_from_the_file_menu(make_window, tmp_path):
    w = make_window(store.load(SAMPLES / "outsourced-estore.ecomraci.json"), as_of=AS_OF)
    action = next(a for a in w.file_menu.actions() if a.text() == "Export &report…")
    out = tmp_path / "board.pdf"
    w.prompts.answers["save_path"] = out
    action.trigger()
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.27\d* 841\.88\d*", data)  # A4
    assert not [name for name, _ in w.prompts.asked if name == "item"]  # no scenario saved

    page = tmp_path / "board.html"
    w.prompts.answers["save_path"] = page
    assert w.export_report()
    text = page.read_text(encoding="utf-8")
    assert w.document.model.name in text
    assert text.count('src="data:image/png;base64,') == 1  # the map, drawn on the GUI thread


def test_export_report_offers_the_saved_scenarios(make_window, tmp_path):
    model = store.load(SAMPLES / "outsourced-estore.ecomraci.json")
    result = scenario.insource(model, "web-store-it", as_of=AS_OF)
    scenario.add_scenario(model, result.to_scenario("Web store IT in-house"))
    w = make_window(model, as_of=AS_OF)
    w.prompts.answers["item"] = "Web store IT in-house"
    page = tmp_path / "what-if.html"
    w.prompts.answers["save_path"] = page
    assert w.export_report()
    (asked,) = [args for name, args in w.prompts.asked if name == "item"]
    assert asked[2] == ["(none)", "Web store IT in-house"]
    assert "Today compared with the scenario" in page.read_text(encoding="utf-8")
    # cancelling the question writes nothing
    w.prompts.answers["item"] = None
    w.prompts.answers["save_path"] = tmp_path / "never.pdf"
    assert not w.export_report() and not (tmp_path / "never.pdf").exists()


def test_a_name_that_is_not_pdf_or_html_is_refused(make_window, tmp_path):
    w = make_window(store.load(SAMPLES / "vip-promotion.ecomraci.json"), as_of=AS_OF)
    w.prompts.answers["save_path"] = tmp_path / "board.docx"
    assert not w.export_report()
    (title, text) = w.prompts.errors[-1]
    assert title == "Cannot export" and ".pdf" in text and "board.docx" in text
    assert not (tmp_path / "board.docx").exists()
    # a name without a suffix becomes a PDF
    w.prompts.answers["save_path"] = tmp_path / "board"
    assert w.export_report()
    assert (tmp_path / "board.pdf").read_bytes().startswith(b"%PDF")
