"""The sourcing map's geometry (ecomraci/layout.py): the same model gives the same picture,
hand-placed boxes stay where they were put, and nothing overlaps on the samples or on a
generated model of 300 functions and 40 parties."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from bench.generate import generate
from ecomraci import store
from ecomraci.layout import (
    BOX_LINES,
    COL_PITCH,
    FONT_BOX,
    FONT_BOX_NOTE,
    FONT_FRAME,
    FONT_LANE,
    FRAME_PAD,
    FRAME_TEXT_PAD,
    HEADER_W,
    LINE_H,
    UNASSIGNED,
    MapLayout,
    Rect,
    elide,
    layers,
    layout_map,
    text_width,
    wrap,
)
from ecomraci.model import Assignment, Dependency, Function, Model, Party, Position

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.ecomraci.json"))
# a generated model the size of a large company's map (bench/map.py draws the same)
GENERATED = dict(functions=300, parties=40, activities=300, dependencies=900, contracts=30, seed=3)


@pytest.fixture(scope="module")
def generated() -> Model:
    return generate(**GENERATED)


def _models(generated):
    out = [(p.name, store.load(p)) for p in SAMPLES]
    out.append(("generated, with its hand-placed layout", generated))
    bare = generated.model_copy(deep=True)
    bare.layout.clear()
    out.append(("generated, laid out automatically", bare))
    return out


def _pairs_overlap(rects: list[tuple[str, Rect]]) -> list[tuple[str, str]]:
    """Overlapping pairs, by a sweep over x (the generated map has 300+ boxes)."""
    found = []
    ordered = sorted(rects, key=lambda kr: kr[1].x)
    for i, (ka, a) in enumerate(ordered):
        for kb, b in ordered[i + 1 :]:
            if b.x >= a.right:
                break
            if a.overlaps(b):
                found.append((ka, kb))
    return found


def _check_no_overlap(m: MapLayout, model: Model) -> None:
    lanes = {lane.party: lane for lane in m.lanes}
    # lanes: stacked without overlap, internal ones first, then outside parties
    assert _pairs_overlap([(lane.party, lane.rect) for lane in m.lanes]) == []
    tops = [lane.rect.y for lane in m.lanes]
    assert tops == sorted(tops)
    kinds = [lane.kind for lane in m.lanes]
    order = {"internal": 0, "external": 1, "unassigned": 2}
    assert kinds == sorted(kinds, key=order.__getitem__)
    assert {lane.party for lane in m.lanes} - {UNASSIGNED} == {p.id for p in model.parties}
    # boxes: one per assignment (or one for a function nobody delivers), in their lane
    expected = sum(
        max(1, sum(1 for a in model.assignments if a.function == f.id)) for f in model.functions
    )
    assert len(m.boxes) == expected
    assert _pairs_overlap([(k, b.rect) for k, b in m.boxes.items()]) == []
    for b in m.boxes.values():
        lane = lanes[b.party]
        assert lane.rect.contains(b.rect), (b.key, b.rect, lane.rect)
        assert b.rect.x >= lane.header.right, b.key
        # labels inside their boxes
        t = b.text_rect
        assert b.rect.contains(t)
        assert 1 <= len(b.lines) <= BOX_LINES
        assert len(b.lines) * LINE_H + (14 if b.note else 0) <= t.h
        for line in b.lines:
            assert text_width(line, FONT_BOX) <= t.w, (b.key, line)
        assert text_width(b.note, FONT_BOX_NOTE) <= t.w
    for lane in m.lanes:
        assert len(lane.title_lines) <= 2
        for line in lane.title_lines:
            assert text_width(line, FONT_LANE, bold=True) <= HEADER_W - 20
    # contract frames: inside the party's lane, around their boxes, labels fit
    for f in m.frames:
        assert lanes[f.party].rect.contains(f.rect)
        assert f.members
        for key in f.members:
            assert f.rect.contains(m.boxes[key].rect)
        assert f.rect.contains(f.label_rect)
        assert 1 <= len(f.label) <= 2
        for line in f.label:
            assert text_width(line, FONT_FRAME, bold=True) <= f.label_rect.w - FRAME_TEXT_PAD
    # forums run right of every box
    right = max((b.rect.right for b in m.boxes.values()), default=0)
    for line in m.forums:
        assert line.x > right
        assert line.label_rect.bottom <= m.lanes[-1].rect.bottom


@pytest.mark.parametrize("index", range(len(SAMPLES) + 2))
def test_nothing_overlaps(index, generated):
    name, model = _models(generated)[index]
    _check_no_overlap(layout_map(model), model)


@pytest.mark.parametrize("index", range(len(SAMPLES) + 2))
def test_arrows_never_pass_under_a_box(index, generated):
    """Arrows run in the channels between columns and the corridors between rows."""
    name, model = _models(generated)[index]
    m = layout_map(model)
    cell = 100.0
    buckets: dict[tuple[int, int], list[Rect]] = {}
    for b in m.boxes.values():  # boxes by the 100-pixel squares they touch
        r = b.rect
        for i in range(int(r.x // cell), int(r.right // cell) + 1):
            for j in range(int(r.y // cell), int(r.bottom // cell) + 1):
                buckets.setdefault((i, j), []).append(r)
    for e in m.edges:
        ends = {id(m.boxes[e.needs].rect), id(m.boxes[e.function].rect)}
        for (x0, y0), (x1, y1) in zip(e.points, e.points[1:]):
            assert x0 == x1 or y0 == y1, "segments are horizontal or vertical"
            seg = Rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
            near = {
                id(r): r
                for i in range(int(seg.x // cell), int(seg.right // cell) + 1)
                for j in range(int(seg.y // cell), int(seg.bottom // cell) + 1)
                for r in buckets.get((i, j), [])
            }
            for key, r in near.items():
                if key in ends:
                    continue
                inside = Rect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1)
                hit = (
                    seg.x <= inside.right
                    and inside.x <= seg.right
                    and seg.y <= inside.bottom
                    and inside.y <= seg.bottom
                )
                assert not hit, (e.id, (x0, y0), (x1, y1), r)


def test_contracts_functions_sit_side_by_side_in_one_frame():
    for path in SAMPLES:
        model = store.load(path)
        m = layout_map(model)
        for f in m.frames:
            members = [m.boxes[k] for k in f.members]
            assert len({b.row for b in members}) == 1, f.contract
            cols = sorted(b.column for b in members)
            assert cols == list(range(cols[0], cols[0] + len(cols))), f.contract
            others = [b for b in m.boxes.values() if b.key not in f.members]
            assert not [b.key for b in others if f.rect.overlaps(b.rect)], f.contract
        assert _pairs_overlap([(f.contract, f.rect) for f in m.frames]) == []


def test_same_model_same_picture(generated):
    for path in SAMPLES:
        a = layout_map(store.load(path))
        b = layout_map(store.load(path))
        assert asdict(a) == asdict(b)
    assert asdict(layout_map(generated)) == asdict(layout_map(generated.model_copy(deep=True)))


def test_hand_placed_box_keeps_its_cell():
    model = store.load(next(p for p in SAMPLES if p.name.startswith("outsourced")))
    before = layout_map(model)
    box = before.boxes["online-marketing"]
    target_col = before.columns + 2
    model.layout["online-marketing"] = Position(x=target_col * COL_PITCH, y=0)
    after = layout_map(model)
    moved = after.boxes["online-marketing"]
    assert moved.pinned and moved.column == target_col and moved.row == 0
    assert moved.rect.x == after.content_x + target_col * COL_PITCH + FRAME_PAD
    assert after.lane(box.party).rect.contains(moved.rect)
    # the position a drop stores puts the box back in the same cell
    assert (
        after.pin_at(moved.rect.x + 11, moved.rect.y - 9, after.lane(box.party))
        == model.layout["online-marketing"]
    )
    # a pin stays where it is when another lane grows
    model.functions.append(Function(id="extra", name="Extra work"))
    model.assignments.append(Assignment(function="extra", party=model.parties[0].id))
    grown = layout_map(model)
    again = grown.boxes["online-marketing"]
    assert (again.column, again.row) == (moved.column, moved.row)
    assert (
        again.rect.y - grown.lane(box.party).rect.y == moved.rect.y - after.lane(box.party).rect.y
    )


def test_two_pins_on_one_cell_do_not_overlap():
    model = store.load(next(p for p in SAMPLES if p.name.startswith("outsourced")))
    for fid in ("web-store-it", "online-marketing"):
        model.layout[fid] = Position(x=0, y=0)
    m = layout_map(model)
    a, b = m.boxes["web-store-it"], m.boxes["online-marketing"]
    assert not a.rect.overlaps(b.rect)
    assert (a.column, a.row) == (0, 0)


def test_columns_follow_the_dependencies():
    """Without cycles every function stands right of the functions it needs."""
    parties = [Party(id="team", name="Team", kind="internal")]
    names = ["a", "b", "c", "d", "e", "f"]
    functions = [Function(id=n, name=n.upper()) for n in names]
    deps = [("b", "a"), ("c", "b"), ("d", "a"), ("e", "d"), ("e", "c"), ("f", "a")]
    model = Model(
        parties=parties,
        functions=functions,
        assignments=[Assignment(function=n, party="team") for n in names],
        dependencies=[Dependency(function=f, needs=n) for f, n in deps],
    )
    layer = layers(model)
    for f, n in deps:
        assert layer[f] > layer[n], (f, n)
    m = layout_map(model)
    for f, n in deps:
        assert m.boxes[f].column > m.boxes[n].column
        edge = next(e for e in m.edges if e.id == f"{f}->{n}")
        assert edge.points[0][0] == m.boxes[n].rect.right  # leaves the needed box
        assert edge.points[-1][0] == m.boxes[f].rect.x  # enters the box that needs it


def test_cycles_and_unassigned_functions_are_drawn():
    parties = [
        Party(id="team", name="Team", kind="internal"),
        Party(id="agency", name="Agency", kind="external", category="agency"),
    ]
    functions = [Function(id=n, name=n.upper()) for n in "abc"]
    model = Model(
        parties=parties,
        functions=functions,
        assignments=[
            Assignment(function="a", party="team"),
            Assignment(function="b", party="agency", mode="outsourced"),
        ],
        dependencies=[
            Dependency(function="a", needs="b"),
            Dependency(function="b", needs="a"),
            Dependency(function="c", needs="a"),
        ],
    )
    m = layout_map(model)
    assert [lane.party for lane in m.lanes] == ["team", "agency", UNASSIGNED]
    assert m.boxes["c"].party == UNASSIGNED
    assert len(m.edges) == 3
    _check_no_overlap(m, model)


def test_empty_model_has_a_picture():
    m = layout_map(Model())
    assert m.lanes == [] and m.boxes == {} and m.width > 0


def test_wrap_and_elide_fit_their_width():
    text = "Purchasing, inventory and pricing with supercalifragilisticexpialidocious promotions"
    lines = wrap(text, 120, FONT_BOX, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(text_width(line, FONT_BOX) <= 120 for line in lines)
    assert wrap("Delivery", 120, FONT_BOX, 3) == ["Delivery"]
    assert elide("Short", 100, 12) == "Short"
    cut = elide("A contract name far too long for its frame", 100, 12)
    assert cut.endswith("…") and text_width(cut, 12) <= 100
