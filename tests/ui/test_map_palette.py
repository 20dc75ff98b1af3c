"""The sourcing map takes its colours from ecomraci.palette, the table the workbook and the
matrix read (tests/core/test_palette.py holds the workbook's side): its style is made of
the palette's colours, and the drawn map shows them, a box of an internal team in the
internal fill, an outside party's lane header in a tint of the external fill."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomraci import palette as P
from ecomraci import store
from ecomraci.layout import UNASSIGNED
from ui.sourcing_map import style
from ui.sourcing_map.items import BoxItem, LaneItem
from ui.sourcing_map.scene import MapScene

from PySide6.QtGui import QColor, QImage, QPainter

ESTORE = Path(__file__).resolve().parents[2] / "samples" / "outsourced-estore.ecomraci.json"


def same(qcolor: QColor, colour: str, alpha: int = 255) -> bool:
    return qcolor.name() == colour and qcolor.alpha() == alpha


def test_the_map_style_is_made_of_the_palette():
    for kind in ("internal", "external", "unassigned"):
        side = P.SIDES[kind]
        fill, border = style.BOX[kind]
        assert same(fill, side.fill) and same(border, side.strong), kind
        assert same(style.GROUP[kind], side.strong)
        band, alternate, header, header_text = style.LANE[kind]
        assert same(header_text, side.text)
        assert band.name() == P.mix(side.fill, P.WHITE, 0.6)
        assert alternate.name() == P.mix(side.fill, P.WHITE, 0.35)
        assert header.name() == P.mix(side.fill, side.strong, 0.12)
    for severity, swatch in P.SEVERITIES.items():
        assert same(style.SEVERITY[severity], swatch.strong)
    for kind, (colour, _pen, _words) in style.EDGE.items():
        assert same(colour, P.DEPENDENCIES[kind])
    assert same(style.CHANGED, P.ACCENT) and same(style.CHANGED_TINT, P.ACCENT, 60)
    assert same(style.SELECTED, P.SELECTION) and same(style.DROP_TARGET, P.SELECTION, 60)
    assert same(style.FRAME, P.CONTRACT) and same(style.FORUM, P.FORUM)
    assert same(style.TEXT, P.TEXT) and same(style.MUTED, P.MUTED)


@pytest.fixture(scope="module")
def drawn(qapp):
    """The sample's map drawn at scale 1 (image pixel = scene unit), with its items."""
    scene = MapScene()
    scene.build(store.load(ESTORE), None, show_forums=True, show_legend=True)
    rect = scene.sceneRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    scene.render(painter, image.rect().toRectF(), rect)
    painter.end()
    items = list(scene.items())
    yield rect, image, items
    scene.clear()


def pixel(drawn, x: float, y: float) -> str:
    rect, image, _ = drawn
    return image.pixelColor(int(x - rect.x()), int(y - rect.y())).name()


def test_boxes_are_drawn_in_their_sides_fill(drawn):
    boxes = [i for i in drawn[2] if isinstance(i, BoxItem)]
    kinds = set()
    for item in boxes:
        b = item.box
        # inside the rounded border, below the top corner where a marker may sit
        assert pixel(drawn, b.rect.x + 6, b.rect.y + b.rect.h - 6) == P.SIDES[b.kind].fill, b.key
        kinds.add(b.kind)
    assert kinds == {"internal", "external"}


def test_lane_headers_and_bands_are_tints_of_their_sides_fill(drawn):
    lanes = [i.lane for i in drawn[2] if isinstance(i, LaneItem) and i.lane.party != UNASSIGNED]
    assert {lane.kind for lane in lanes} == {"internal", "external"}
    for lane in lanes:
        side = P.SIDES[lane.kind]
        h = lane.header
        assert pixel(drawn, h.x + 4, h.y + h.h - 4) == P.mix(side.fill, side.strong, 0.12)
        tint = P.mix(side.fill, P.WHITE, 0.6 if lane.index % 2 == 0 else 0.35)
        # the lane's far right end, past the boxes and the forums
        r = lane.rect
        assert pixel(drawn, r.x + r.w - 3, r.y + 4) == tint, lane.name
