"""GOV-06's profile findings in the findings list: the subjects read as the profile's
fields in words (not their ids), and the fix for a content business without content
production adds the catalog's function as one undoable step."""

from __future__ import annotations

from datetime import date

from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.edits import apply_edits
from ecomraci.operations import remove
from ui.document import Document
from ui.panels.findings import FindingsPanel

from PySide6.QtCore import Qt

AS_OF = date(2026, 12, 1)


def kulturhus(tmp_path):
    """A content business from the catalog whose content production was deleted, still
    at the focused stage with a quarter of its revenue online, saved and opened."""
    m = new_model("content", "Kulturhus Media")
    m = apply_edits(m, remove(m, "function", "content-production"))
    m.organisation.structure_stage = "focused"
    m.organisation.placement = "within-marketing"
    m.organisation.online_share_percent = 26
    path = tmp_path / "kulturhus.ecomraci.json"
    path.write_text(store.dumps(m), encoding="utf-8")
    return Document(store.load(path), path)


def test_profile_findings_name_the_fields_and_the_focus_fix_is_one_step(qtbot, tmp_path):
    document = kulturhus(tmp_path)
    panel = FindingsPanel(document, as_of=AS_OF)
    qtbot.addWidget(panel)
    panel.recheck_now(wait=True)
    table = panel.model
    rows = {
        table.data(table.index(r, 3), Qt.ItemDataRole.DisplayRole): table.findings[r]
        for r in range(table.rowCount())
        if table.findings[r].rule == "GOV-06"
    }
    assert set(rows) == {"Strategy focus", "Structure stage"}
    focus = rows["Strategy focus"]
    assert focus.edits
    before = store.dumps(document.model)
    with qtbot.waitSignal(panel.fixed) as said:
        assert panel.apply_fix(focus)
    # the account of the fix names what it adds, no ids
    assert said.args[0].startswith("Fixed GOV-06: Add Content production and licensing")
    assert "content-production" not in said.args[0]
    assert document.undo_stack.count() == 1
    assert "content-production" in {f.id for f in document.model.functions}
    panel.recheck_now(wait=True)
    assert [f.subjects for f in table.findings if f.rule == "GOV-06"] == [
        ["organisation.structure_stage"]
    ]
    document.undo_stack.undo()
    assert store.dumps(document.model) == before
