"""*New* (Ctrl+N) and the guided start, driven with the mouse and keyboard on the real
widgets: the name and focus are asked, the seeds' outsourced set-up is built in one step
and its coupled exit is found; bad answers are said in the dialog."""

from __future__ import annotations

from ecomraci.model import PartyKind

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


class Gestures:
    """Counts what a user does: a click, a key (with its modifiers) or a typed word is
    one gesture each ("Pixel Agency" is two)."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.count = 0

    def click(self, widget, pos=None) -> None:
        self.count += 1
        if pos is None:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        else:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)

    def key(self, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.count += 1
        self.qtbot.keyClick(widget, key, modifier)

    def type(self, widget, text: str) -> None:
        self.count += max(1, len(text.split()))
        self.qtbot.keyClicks(widget, text)


def _open_new(window, qtbot, gestures: Gestures | None = None):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    if gestures is not None:
        gestures.key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.files.new_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _deliver(gestures: Gestures, dialog, function: str, who: str) -> None:
    line = dialog.rows[function].deliverer.lineEdit()
    gestures.click(line)
    gestures.type(line, who)


def test_the_seeds_outsourced_set_up_from_new_with_gestures_only(make_window, qtbot, capsys):
    window = make_window(document=False)
    g = Gestures(qtbot)
    dialog = _open_new(window, qtbot, g)
    # the name field has the focus and its text selected: typing replaces it
    g.type(dialog.name, "Seed shop")
    _deliver(g, dialog, "web-store-it", "Pixel Agency")
    _deliver(g, dialog, "online-marketing", "Pixel Agency")
    _deliver(g, dialog, "payments", "PayNord")
    _deliver(g, dialog, "customer-service", "Nordlog")
    _deliver(g, dialog, "fulfilment", "Nordlog")
    # the contract column followed: one contract per outside party
    assert dialog.rows["online-marketing"].contract.currentText() == "Pixel Agency contract"
    assert dialog.rows["shop-management"].contract.currentText() == ""
    g.click(dialog.create_button)
    assert window.document is not None and not dialog.isVisible()
    check = window.toolbar.widgetForAction(window.doc_actions[-1])
    assert window.doc_actions[-1].text() == "&Check now"
    g.click(check)
    qtbot.waitUntil(
        lambda: any(f.rule == "SRC-02" for f in window.findings.model.findings), timeout=10000
    )

    model = window.document.model
    assert model.name == "Seed shop"
    agency = next(p for p in model.parties if p.name == "Pixel Agency")
    assert agency.kind == PartyKind.EXTERNAL and agency.category == "agency"
    [contract] = [c for c in model.contracts if c.party == agency.id]
    assert contract.covers == ["web-store-it", "online-marketing"]
    shop = next(a for a in model.assignments if a.function == "shop-management")
    assert model.party(shop.party).kind == PartyKind.INTERNAL
    # the RACI is filled for the agency's functions: it does the work, a team answers
    for fid in ("web-store-it", "online-marketing"):
        for activity in model.activities_of(fid):
            row = model.raci[activity.id]
            assert "R" in row.get(agency.id, ""), activity.name
            [owner] = [p for p, letters in row.items() if "A" in letters]
            assert model.party(owner).kind == PartyKind.INTERNAL
    column = window.matrix_model.column_of(agency.id)
    assert column >= 0
    [coupled] = [f for f in window.findings.model.findings if f.rule == "SRC-02"]
    assert coupled.subjects[0] == "online-marketing" or "online-marketing" in coupled.subjects
    assert "Online marketing" in coupled.message and "Web store IT" in coupled.message
    assert g.count < 30
    with capsys.disabled():
        print(f"\nguided start: the seeds' outsourced set-up in {g.count} gestures")


def test_new_asks_name_and_focus_and_cancel_keeps_the_model(make_window, qtbot):
    window = make_window()
    before = window.document
    dialog = _open_new(window, qtbot)
    assert dialog.name.hasFocus() and dialog.name.selectedText() == dialog.name.text()
    assert dialog.focus.currentData() == "commerce"
    assert "advertising-sales" not in dialog.rows
    dialog.focus.setFocus()
    qtbot.keyClick(dialog.focus, Qt.Key.Key_End)  # community, the last focus
    assert dialog.focus.currentData() == "community"
    assert {"advertising-sales", "moderation"} <= set(dialog.rows)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert window.files.new_dialog is None and window.document is before


def test_answers_kept_when_the_focus_changes_and_rows_left_out(make_window, qtbot):
    window = make_window(document=False)
    dialog = _open_new(window, qtbot)
    g = Gestures(qtbot)
    _deliver(g, dialog, "payments", "PayNord")
    g.click(dialog.rows["legal"].include)
    dialog.focus.setFocus()
    qtbot.keyClick(dialog.focus, Qt.Key.Key_Down)  # content
    assert dialog.rows["payments"].deliverer.currentText() == "PayNord"
    assert not dialog.rows["legal"].include.isChecked()
    assert not dialog.rows["legal"].deliverer.isEnabled()
    # the outside party typed in one row is offered in the others
    combo = dialog.rows["fulfilment"].deliverer
    assert "PayNord" in [combo.itemText(i) for i in range(combo.count())]
    g.click(dialog.create_button)
    model = window.document.model
    assert {f.id for f in model.functions} >= {"content-production", "payments"}
    assert "legal" not in {f.id for f in model.functions}
    assert model.organisation.strategy_focus == "content"


def test_bad_answers_are_said_in_the_dialog_and_nothing_is_created(make_window, qtbot):
    window = make_window(document=False)
    dialog = _open_new(window, qtbot)
    g = Gestures(qtbot)
    _deliver(g, dialog, "payments", "PayNord")
    _deliver(g, dialog, "fulfilment", "Nordlog")
    contract = dialog.rows["fulfilment"].contract.lineEdit()
    g.click(contract)
    g.type(contract, "PayNord contract")
    g.click(dialog.create_button)
    assert dialog.isVisible() and window.document is None
    text = dialog.message.text()
    assert dialog.message.isVisible()
    assert "Fulfilment" in text and "PayNord" in text and "Nordlog" in text
    # an empty name
    dialog.name.setFocus()
    dialog.name.selectAll()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Delete)
    assert not dialog.message.isVisible()  # typing clears the old message
    g.click(dialog.create_button)
    assert "name" in dialog.message.text() and window.document is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_the_start_page_focus_is_preselected(make_window, qtbot):
    window = make_window(document=False)
    dialog = window.files.new_document("community")
    assert dialog.focus.currentData() == "community"
    QTest.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert window.document.model.organisation.strategy_focus == "community"


def test_the_dialog_fits_a_small_screen(make_window, qtbot):
    window = make_window(document=False)
    window.resize(1024, 700)
    dialog = _open_new(window, qtbot)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1000 and hint.height() <= 660
    dialog.resize(1000, 640)
    qtbot.wait(10)
    # every row is reachable: the rows scroll, the buttons stay
    assert dialog.create_button.isVisible()
    last = list(dialog.rows.values())[-1].deliverer
    dialog.scroll.ensureWidgetVisible(last)
    assert last.visibleRegion().boundingRect().height() > 0
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_enter_in_a_row_moves_down_and_does_not_create(make_window, qtbot):
    window = make_window(document=False)
    dialog = _open_new(window, qtbot)
    g = Gestures(qtbot)
    _deliver(g, dialog, "payments", "PayNord")
    g.key(dialog.rows["payments"].deliverer, Qt.Key.Key_Return)
    assert window.document is None and dialog.isVisible()
    below = dialog.rows["order-management"].deliverer
    assert below.hasFocus() and below.lineEdit().selectedText() == "Operations"
    g.type(below, "Nordlog")
    assert below.currentText() == "Nordlog"
    # Enter in the name field creates the model at once
    dialog.name.setFocus()
    g.key(dialog.name, Qt.Key.Key_Return)
    assert window.document is not None
    assert {
        a.function: window.document.model.party(a.party).name
        for a in window.document.model.assignments
    }["order-management"] == "Nordlog"
