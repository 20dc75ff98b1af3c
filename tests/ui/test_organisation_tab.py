"""The organisation tab: profile, key accountabilities and the maturity self-assessment
with its radar chart, edited through the real widgets as undoable steps."""

import pytest

from ecomraci import maturity
from ecomraci.model import MaturityDimension
from ui.panels.organisation import OrganisationTab

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from .sample_kit import retype, sample_document, shown, step_combo


@pytest.fixture
def document():
    return sample_document()


@pytest.fixture
def tab(qtbot, document):
    return shown(qtbot, OrganisationTab(document), 1150, 720)


def levels(document):
    return {getattr(k, "value", k): v for k, v in document.model.organisation.maturity.items()}


def test_maturity_level_edit_is_one_undo_step(qtbot, tab, document):
    before = levels(document)
    dim = MaturityDimension.ONLINE_MARKETING_FOCUS.value
    combo = tab.level_combos[dim]
    assert combo.currentData() == before.get(dim)
    chosen = step_combo(qtbot, combo)
    assert chosen != before.get(dim)
    assert levels(document)[dim] == chosen
    assert document.undo_stack.count() == 1
    assert tab.level_texts[dim].text() == maturity.describe(dim, chosen).description
    document.undo_stack.undo()
    assert levels(document) == before
    assert combo.currentData() == before.get(dim)


def test_profile_fields(qtbot, tab, document):
    org = document.model.organisation
    placement = tab.profile_editors["placement"].widget
    old, old_share = org.placement, org.online_share_percent
    chosen = step_combo(qtbot, placement)
    assert chosen != old and document.model.organisation.placement == chosen

    share = tab.profile_editors["online_share_percent"].widget
    assert (share.suffix(), share.maximum()) == (" %", 100)
    retype(qtbot, share.lineEdit(), "27.5")
    assert document.model.organisation.online_share_percent == 27.5
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    assert document.model.organisation.online_share_percent == old_share
    assert share.value() == old_share


def test_refused_value_changes_nothing_and_says_why(tab, document):
    old = document.model.organisation.online_share_percent
    problem = tab.set_profile("online_share_percent", 150)
    assert problem == "Online share of revenue: input should be less than or equal to 100"
    assert tab.profile_message.message() == problem
    assert document.model.organisation.online_share_percent == old
    assert document.undo_stack.count() == 0
    assert tab.set_level("structure", 9) is not None
    assert "less than or equal to 5" in tab.maturity_message.message()
    assert document.undo_stack.count() == 0


def test_key_accountability_has_one_party(qtbot, tab, document):
    key = "customer-experience"
    combo = tab.owner_combos[key]
    owners = document.model.key_accountabilities.get(key, [])
    assert combo.currentData() == (owners[0] if owners else None)
    chosen = step_combo(qtbot, combo)
    assert document.model.key_accountabilities[key] == ([chosen] if chosen else [])
    assert document.undo_stack.count() == 1
    combo.setCurrentIndex(combo.findData(None))
    combo.activated.emit(combo.currentIndex())  # what choosing "nobody" in the list does
    assert document.model.key_accountabilities[key] == []
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.model.key_accountabilities.get(key, []) == owners


def test_stage_and_target(tab, document):
    current = levels(document)
    level = maturity.current_level(current)
    assert tab.stage_label.text().startswith(f"<b>Level {level} of 5")
    target = maturity.next_target(current)
    assert tab.radar.target == [target] * 5
    below = [d for d in maturity.gaps(current)]
    for dim, mark in tab.gap_marks.items():
        assert bool(mark.text()) == (dim in below and dim in current)


def _ink(image, rect, background):
    return sum(
        1
        for x in range(rect.left(), rect.right(), 2)
        for y in range(rect.top(), rect.bottom(), 2)
        if QColor(image.pixel(x, y)) != background
    )


def test_radar_paints_levels_and_target(qtbot, tab, document):
    radar = tab.radar
    image = radar.grab().toImage()
    background = QColor(image.pixel(2, 2))
    plot = radar.plot_rect().toRect()
    assert plot.width() > 100
    assert _ink(image, plot, background) > 200
    # the assessed polygon's colour sits near the centre, the target's dash further out
    centre = plot.center()
    blue = [
        QColor(image.pixel(centre + QPoint(dx, dy))) for dx in range(-8, 9) for dy in range(-8, 9)
    ]
    assert any(c.blue() > c.red() + 40 for c in blue)
    assert any(
        QColor(image.pixel(x, y)).red() > 180 and QColor(image.pixel(x, y)).blue() < 100
        for x in range(plot.left(), plot.right())
        for y in range(plot.top(), plot.bottom())
    )
    # raising a level repaints a different picture
    for dim in MaturityDimension:
        tab.set_level(dim.value, 5)
    after = radar.grab().toImage()
    assert after != image
    assert radar.target is None  # level 5 everywhere: no next target


def test_the_tab_fits_its_width_without_sideways_scrolling(qtbot, document):
    """At the width the tab gets in a 1024 × 700 window every part stacks, each level's
    meaning under it; wider, the parts sit side by side and the radar grows."""
    tab = shown(qtbot, OrganisationTab(document), 500, 560)
    qtbot.waitUntil(lambda: tab.scroll.horizontalScrollBar().maximum() == 0)
    content = tab.scroll.widget()
    for dim, combo in tab.level_combos.items():
        text = tab.level_texts[dim]
        assert combo.mapTo(content, combo.rect().topRight()).x() <= tab.scroll.viewport().width()
        assert (
            text.mapTo(content, text.rect().topLeft()).y()
            > combo.mapTo(content, combo.rect().topLeft()).y()
        )
    assert tab.radar.y() > combo.y()  # under the form
    narrow = tab.radar.plot_rect().width()
    assert narrow >= 250

    tab.resize(1150, 720)
    qtbot.waitUntil(lambda: tab.radar.x() > combo.x() + combo.width())
    assert tab.scroll.horizontalScrollBar().maximum() == 0
    for dim, combo in tab.level_combos.items():  # the meaning beside its level now
        text = tab.level_texts[dim]
        qtbot.waitUntil(lambda text=text, combo=combo: text.x() > combo.x() + combo.width())
    middle = tab.radar.plot_rect().width()
    tab.resize(1600, 900)
    qtbot.waitUntil(lambda: tab.radar.plot_rect().width() > middle * 1.2)
