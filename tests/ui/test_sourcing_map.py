"""The sourcing map tab (ui/sourcing_map): built on each sample, edited with the mouse as a
user would (drag into another lane, drag from box to box, Delete), every change one
undoable step with the findings following; and the SVG, PNG and PDF exports."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from ecomraci import store
from ecomraci.cli import main as cli
from ecomraci.edits import SetRaci
from ecomraci.layout import COL_PITCH, FONT_BOX, FONT_FRAME, FONT_LANE, FRAME_TEXT_PAD
from ecomraci.rules import check
from ui.document import Document
from ui.panels.findings import FindingsPanel
from ui.sourcing_map import style
from ui.sourcing_map.items import BoxItem, EdgeItem, FlagItem, FrameItem, LaneItem, MapItem
from ui.sourcing_map.render import RenderError, render_map
from ui.sourcing_map.view import SourcingMapWidget

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage
from PySide6.QtTest import QTest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.ecomraci.json"))
ESTORE = ROOT / "samples" / "outsourced-estore.ecomraci.json"
AS_OF = date(2025, 6, 1)


class Chooser:
    """Stands in for the "Under which contract?" question; records what it was asked."""

    def __init__(self, answer):
        self.answer = answer
        self.asked = []

    def __call__(self, function, party, contracts):
        self.asked.append((function.id, party.id, [c.id for c in contracts]))
        return self.answer


def _widget(qtbot, path, chooser=None):
    document = Document(store.load(path), path)
    widget = SourcingMapWidget(document, choose_contract=chooser or Chooser(None))
    qtbot.addWidget(widget)
    widget.resize(1300, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.view.fit()
    return widget


def _at(widget, x: float, y: float) -> QPoint:
    return widget.view.mapFromScene(QPointF(x, y))


def _drag(
    qtbot, widget, start: QPoint, end: QPoint, modifier=Qt.KeyboardModifier.NoModifier
) -> None:
    viewport = widget.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, start)
    steps = 8
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        QTest.mouseMove(viewport, p)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, end)


def _box(widget, key) -> BoxItem:
    return widget.scene.boxes[key]


def drag_into_lane(qtbot, widget, function: str, party: str) -> None:
    """Drag a function's box straight up or down into another party's lane."""
    box = _box(widget, function)
    lane = widget.scene.map.lane(party)
    _drag(
        qtbot,
        widget,
        _at(widget, *box.box.rect.center),
        _at(widget, box.box.rect.center[0], lane.rect.center[1]),
    )


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name.split(".")[0] for p in SAMPLES])
def test_map_builds_on_each_sample_and_labels_fit_the_real_font(qtbot, path):
    widget = _widget(qtbot, path)
    model = widget.document.model
    items = widget.scene.items()
    assert sum(isinstance(i, LaneItem) for i in items) == len(model.parties)
    assert sum(isinstance(i, EdgeItem) for i in items) == len(model.dependencies)
    assert sum(isinstance(i, FrameItem) for i in items) == len(model.contracts)
    boxes = [i for i in items if isinstance(i, BoxItem)]
    assert {b.subject for b in boxes} == {f.id for f in model.functions}
    box_font = QFontMetricsF(style.font(FONT_BOX))
    for b in boxes:
        for line in b.box.lines:
            assert box_font.horizontalAdvance(line) <= b.box.text_rect.w, line
    frame_font = QFontMetricsF(style.font(FONT_FRAME, bold=True))
    for frame in (i for i in items if isinstance(i, FrameItem)):
        for line in frame.frame.label:
            assert frame_font.horizontalAdvance(line) <= frame.tab.width() - FRAME_TEXT_PAD + 2, (
                line
            )
        assert frame.frame.rect.y <= frame.tab.y() and frame.tab.right() <= frame.frame.rect.right
    lane_font = QFontMetricsF(style.font(FONT_LANE, bold=True))
    for lane in (i for i in items if isinstance(i, LaneItem)):
        for line in lane.lane.title_lines:
            assert lane_font.horizontalAdvance(line) <= lane.lane.header.w - 20
    # the whole map fits the window after "Fit", with no scroll bar left
    qtbot.waitUntil(
        lambda: (
            not widget.view.verticalScrollBar().isVisible()
            and not widget.view.horizontalScrollBar().isVisible()
        )
    )
    visible = widget.view.mapToScene(widget.view.viewport().rect()).boundingRect()
    assert visible.contains(widget.scene.sceneRect().adjusted(2, 2, -2, -2))


def test_drag_online_marketing_in_house_is_one_step_and_findings_follow(qtbot):
    widget = _widget(qtbot, ESTORE)
    document = widget.document
    panel = FindingsPanel(document, as_of=AS_OF)
    qtbot.addWidget(panel)
    panel.findingsChanged.connect(widget.set_findings)
    panel.recheck_now(wait=True)
    original = document.model.model_dump()
    box = _box(widget, "online-marketing")
    assert box.box.party == "pixelforge"
    assert any(str(m).startswith("SRC-02") for m in box.messages)
    before = {(f.rule, tuple(f.subjects)) for f in widget.findings}

    lane = widget.scene.map.lane("marketing-dept")
    start = _at(widget, *box.box.rect.center)
    end = _at(widget, box.box.rect.center[0], lane.rect.center[1])
    with qtbot.waitSignal(panel.findingsChanged, timeout=10000):
        _drag(qtbot, widget, start, end)

    model = document.model
    assert [(a.party, a.mode) for a in model.assignments if a.function == "online-marketing"] == [
        ("marketing-dept", "in-house")
    ]
    assert "online-marketing" not in model.contract("pixelforge-msa").covers
    assert document.undo_stack.count() == 1
    assert document.undo_stack.text(0) == "Move Online marketing to Marketing"
    moved = _box(widget, "online-marketing")
    assert moved.box.party == "marketing-dept"
    assert widget.scene.map.lane("marketing-dept").rect.contains(moved.box.rect)
    after = {(f.rule, tuple(f.subjects)) for f in widget.findings}
    assert after != before
    assert not any(rule == "SRC-02" and "online-marketing" in s for rule, s in after)
    assert not any(str(m).startswith("SRC-02") for m in moved.messages)

    with qtbot.waitSignal(panel.findingsChanged, timeout=10000):
        document.undo_stack.undo()
    assert document.model.model_dump() == original
    assert {(f.rule, tuple(f.subjects)) for f in widget.findings} == before
    assert _box(widget, "online-marketing").box.party == "pixelforge"


def test_drag_to_an_outside_party_asks_under_which_contract(qtbot):
    chooser = Chooser("pixelforge-msa")
    widget = _widget(qtbot, ESTORE, chooser)
    drag_into_lane(qtbot, widget, "content", "pixelforge")
    assert chooser.asked == [("content", "pixelforge", ["pixelforge-msa"])]
    model = widget.document.model
    assert [(a.party, a.contract) for a in model.assignments if a.function == "content"] == [
        ("pixelforge", "pixelforge-msa")
    ]
    assert "content" in model.contract("pixelforge-msa").covers
    # the frame of the contract now holds the box
    frame = next(f for f in widget.scene.map.frames if f.contract == "pixelforge-msa")
    assert "content" in frame.members


def test_cancelled_contract_question_changes_nothing(qtbot):
    widget = _widget(qtbot, ESTORE, Chooser(None))
    original = widget.document.model.model_dump()
    drag_into_lane(qtbot, widget, "content", "paynord")
    assert widget.document.undo_stack.count() == 0
    assert widget.document.model.model_dump() == original
    assert _box(widget, "content").pos() == QPointF(0, 0)


def test_drag_within_the_lane_keeps_the_box_where_it_was_dropped(qtbot):
    widget = _widget(qtbot, ESTORE)
    box = _box(widget, "legal")
    cx, cy = box.box.rect.center
    target_x = cx + 2 * COL_PITCH
    _drag(qtbot, widget, _at(widget, cx, cy), _at(widget, target_x, cy))
    assert "legal" in widget.document.model.layout
    assert widget.document.undo_stack.text(0) == "Place Legal, privacy and compliance on the map"
    moved = _box(widget, "legal")
    assert moved.box.pinned and moved.box.party == "legal-dept"
    assert moved.box.column == box.box.column + 2
    # Re-layout releases it, as one undoable step
    widget.relayout_action.trigger()
    assert widget.document.model.layout == {}
    assert _box(widget, "legal").box.column == box.box.column
    widget.document.undo_stack.undo()
    assert "legal" in widget.document.model.layout


def test_drag_from_box_to_box_adds_a_dependency(qtbot):
    widget = _widget(qtbot, ESTORE)
    model = widget.document.model
    assert "delivery->legal" not in {d.id for d in model.dependencies}
    source, target = _box(widget, "legal"), _box(widget, "delivery")
    _drag(
        qtbot,
        widget,
        _at(widget, *source.box.rect.center),
        _at(widget, *target.box.rect.center),
        Qt.KeyboardModifier.ShiftModifier,
    )
    assert "delivery->legal" in {d.id for d in widget.document.model.dependencies}
    assert widget.document.undo_stack.count() == 1
    assert any(
        isinstance(i, EdgeItem) and i.subject == "delivery->legal" for i in widget.scene.items()
    )
    # the same drag again is refused with a message and changes nothing
    with qtbot.waitSignal(widget.message) as said:
        _drag(
            qtbot,
            widget,
            _at(widget, *_box(widget, "legal").box.rect.center),
            _at(widget, *_box(widget, "delivery").box.rect.center),
            Qt.KeyboardModifier.ShiftModifier,
        )
    assert "already needs" in said.args[0]
    assert widget.document.undo_stack.count() == 1
    widget.document.undo_stack.undo()
    assert "delivery->legal" not in {d.id for d in widget.document.model.dependencies}


def test_drop_outside_the_lanes_changes_nothing(qtbot):
    widget = _widget(qtbot, ESTORE)
    original = widget.document.model.model_dump()
    box = _box(widget, "content")
    below = widget.scene.map.lanes[-1].rect.bottom + 15
    _drag(
        qtbot, widget, _at(widget, *box.box.rect.center), _at(widget, box.box.rect.center[0], below)
    )
    assert widget.document.undo_stack.count() == 0
    assert widget.document.model.model_dump() == original


def test_delete_key_removes_the_selection_in_one_step(qtbot):
    widget = _widget(qtbot, ESTORE)
    original = widget.document.model.model_dump()
    widget.select_subjects(["payments->web-store-it", "analytics"])
    selected = widget.scene.selectedItems()
    assert len(selected) == 3  # the arrow and both boxes of the co-sourced function
    widget.view.setFocus()
    QTest.keyClick(widget.view, Qt.Key.Key_Delete)
    model = widget.document.model
    assert "payments->web-store-it" not in {d.id for d in model.dependencies}
    assert "analytics" not in {f.id for f in model.functions}
    assert widget.document.undo_stack.count() == 1
    widget.document.undo_stack.undo()
    assert widget.document.model.model_dump() == original


def test_selection_goes_both_ways(qtbot):
    widget = _widget(qtbot, ESTORE)
    box = _box(widget, "payments")
    with qtbot.waitSignal(widget.selectionChanged) as got:
        QTest.mouseClick(
            widget.view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            _at(widget, *box.box.rect.center),
        )
    assert got.args == [["payments"]]
    with qtbot.assertNotEmitted(widget.selectionChanged):
        widget.select_subjects(["pixelforge-msa", "nordlog"])
    assert sorted(widget.selected_subjects()) == ["nordlog", "pixelforge-msa"]
    # a RACI edit does not rebuild the map; a structural one keeps the selection
    frame = widget.scene.items_of("pixelforge-msa")[0]
    activity = widget.document.model.activities[0].id
    party = widget.document.model.parties[0].id
    letters = widget.document.model.letters(activity, party)
    widget.document.apply([SetRaci(activity=activity, party=party, letters=letters or "I")], "x")
    assert widget.scene.items_of("pixelforge-msa")[0] is frame
    widget.document.changed.emit(None)
    assert widget.scene.items_of("pixelforge-msa")[0] is not frame
    assert sorted(widget.selected_subjects()) == ["nordlog", "pixelforge-msa"]


def test_zoom_fit_toggles(qtbot):
    widget = _widget(qtbot, ESTORE)
    scale = widget.view.transform().m11()
    widget.zoom_in_action.trigger()
    assert widget.view.transform().m11() == pytest.approx(scale * 1.25)
    widget.view.setFocus()
    QTest.keyClick(widget.view, Qt.Key.Key_Minus)
    assert widget.view.transform().m11() == pytest.approx(scale)
    assert widget.scene.map.forums
    widget.forums_action.trigger()
    assert widget.scene.map.forums == []
    height = widget.scene.sceneRect().height()
    widget.legend_action.trigger()
    assert not widget.scene.legend.isVisible()
    assert widget.scene.sceneRect().height() < height


# --- exports ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def estore_findings():
    model = store.load(ESTORE)
    return model, check(model, as_of=AS_OF)


def test_render_svg(qapp, tmp_path, estore_findings):
    model, findings = estore_findings
    out = render_map(model, tmp_path / "map.svg", findings)
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for name in ("Online marketing", "Pixelforge Digital", "Legend"):
        assert name in texts
    assert not list(tmp_path.glob(".map-*"))  # no temporary file left behind


def test_render_png(qapp, tmp_path, estore_findings):
    model, findings = estore_findings
    out = render_map(model, tmp_path / "map.png", findings, scale=1.0)
    image = QImage(str(out))
    assert not image.isNull()
    from ecomraci.layout import layout_map

    assert image.width() == round(layout_map(model).width)
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 37)
        for y in range(0, image.height(), 37)
    }
    assert len(colours) > 8  # a drawing, not a blank page


def test_render_pdf(qapp, tmp_path, estore_findings):
    model, findings = estore_findings
    out = render_map(model, tmp_path / "map.pdf", findings)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox" in data and len(data) > 10_000


def test_render_refuses_bad_targets_and_keeps_the_old_file(qapp, tmp_path, estore_findings):
    model, _ = estore_findings
    with pytest.raises(RenderError, match=r"\.svg, \.png or \.pdf"):
        render_map(model, tmp_path / "map.jpg")
    with pytest.raises(RenderError, match="does not exist"):
        render_map(model, tmp_path / "missing" / "map.svg")
    old = tmp_path / "map.svg"
    old.write_text("old")
    render_map(model, old)
    assert old.read_text().startswith("<?xml")


def test_cli_render_exit_codes(qapp, tmp_path, capsys):
    out = tmp_path / "estore.png"
    assert (
        cli(["render", str(ESTORE), "-o", str(out), "--as-of", "2025-06-01", "--scale", "1"]) == 0
    )
    assert QImage(str(out)).width() > 1000
    assert cli(["render", str(ESTORE), "-o", str(tmp_path / "estore.gif")]) == 2
    assert "name the file .svg, .png or .pdf" in capsys.readouterr().err
    assert cli(["render", str(tmp_path / "none.json"), "-o", str(tmp_path / "x.svg")]) == 2
    assert cli(["render", str(ESTORE), "-o", str(tmp_path / "no" / "x.svg")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_render_without_qt_says_so(tmp_path):
    script = (
        "import sys; sys.modules['PySide6'] = None\n"
        "from ecomraci.cli import main\n"
        f"sys.exit(main(['render', {str(ESTORE)!r}, '-o', {str(tmp_path / 'x.svg')!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 2
    assert "needs PySide6" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.svg").exists()


# --- what a what-if or a comparison changes ------------------------------------------------


def _changed(widget) -> set[tuple[str, str]]:
    """(kind, subject) of every item on the map marked as changed."""
    return {
        (i.kind, i.subject) for i in widget.scene.items() if isinstance(i, MapItem) and i.changed
    }


def _violet_near(widget, rect, margin: float = 24) -> bool:
    """Whether the map as the window shows it has the marking colour around `rect`."""
    image = widget.view.viewport().grab().toImage()
    area = widget.view.mapFromScene(
        QRectF(rect.x, rect.y, rect.w, rect.h).adjusted(-margin, -margin, margin, margin)
    ).boundingRect()
    area = area.intersected(image.rect())
    return any(
        image.pixelColor(x, y).rgb() == style.CHANGED.rgb()
        for x in range(area.left(), area.right())
        for y in range(area.top(), area.bottom())
    )


def test_highlight_marks_exactly_the_named_items_survives_a_rebuild_and_clears(qtbot):
    widget = _widget(qtbot, ESTORE)
    plain_tip = _box(widget, "online-marketing").toolTip()
    subjects = {
        "online-marketing@pixelforge",  # an assignment: the box in that party's lane
        "analytics@pixelforge",  # ... only that one of a co-sourced function's two boxes
        "ana-tracking/marketing-dept",  # a RACI cell with no box in that lane: its function's boxes
        "pixelforge-msa",  # a contract's frame
        "nordlog",  # a party's lane
        "payments->web-store-it",  # a dependency's arrow
        "online-marketing@marketing-dept",  # a delivery the map does not show: its function's box
        "no-such-object",  # nothing on the map
    }
    notes = {
        "online-marketing@pixelforge": "Delivery “Online marketing by Pixelforge Digital”: removed",
        "pixelforge-msa": "Contract: covers differ",
    }
    widget.set_highlight(subjects, notes)
    expected = {
        ("function", "online-marketing"),
        ("function", "analytics"),
        ("contract", "pixelforge-msa"),
        ("party", "nordlog"),
        ("dependency", "payments->web-store-it"),
    }
    assert _changed(widget) == expected
    assert _box(widget, "analytics@pixelforge").changed and _box(widget, "analytics").changed
    assert widget.highlighted() == {s for _, s in expected}
    # one "changed" flag by each marked item, with the item's tooltip
    flags = [i for i in widget.scene.items() if isinstance(i, FlagItem)]
    assert sorted((f.owner.kind, f.owner.subject) for f in flags) == sorted(
        (i.kind, i.subject) for i in widget.scene.changed_items
    )
    assert len(flags) == 6  # the two boxes of analytics are both marked
    box = _box(widget, "online-marketing")
    assert "Changed:\n• Delivery “Online marketing by Pixelforge Digital”: removed" in box.toolTip()
    assert "Contract: covers differ" in widget.scene.items_of("pixelforge-msa")[0].toolTip()
    assert "6 marked as changed" in widget.scene.title.subtitle
    # drawn: the marking colour around the marked box, none around an unmarked one
    assert _violet_near(widget, box.box.rect) and not _violet_near(
        widget, _box(widget, "legal").box.rect
    )

    # the map is drawn again after a change to the model: the marks stay
    old = _box(widget, "online-marketing")
    widget.document.changed.emit(None)
    assert _box(widget, "online-marketing") is not old
    assert _changed(widget) == expected
    assert "removed" in _box(widget, "online-marketing").toolTip()
    assert len([i for i in widget.scene.items() if isinstance(i, FlagItem)]) == 6

    widget.set_highlight(set())
    assert _changed(widget) == set() and widget.highlighted() == set()
    assert not [i for i in widget.scene.items() if isinstance(i, FlagItem)]
    assert _box(widget, "online-marketing").toolTip() == plain_tip
    assert "marked as changed" not in widget.scene.title.subtitle
    assert not _violet_near(widget, _box(widget, "online-marketing").box.rect)
