"""The sourcing map's geometry: lanes per party, function boxes, contract frames,
dependency arrows and forum links, computed from a model with no Qt.

The window (``ui.sourcing_map``) and the exports (SVG, PNG, PDF) draw exactly what
`layout_map` returns, so the picture on screen and the one put in front of a board are
the same, and the tests can check overlaps here without a display.

How the picture is built
------------------------

* **Lanes** are horizontal bands, one per party: internal teams first, outside parties
  after them, each group in the order of the model's party list (moving a party in the
  list moves its lane). Functions nobody delivers get a last "Not assigned" lane.
* **Boxes**: one per sourcing assignment, in the lane of the party that delivers the
  function. A co-sourced function therefore has a box in each party's lane; the first
  assignment's box carries the dependency arrows, the others are linked to it.
* **Columns** follow the dependencies (a layered, Sugiyama-style order on the networkx
  dependency graph): cycles are broken with the Eades-Lin-Smyth greedy ordering, the
  layers start from the longest path and are then pulled towards the median of each
  function's neighbours, so a function stands right of what it needs, the arrows run
  left to right and stay short.
* **Rows inside a lane**: each lane is a grid of cells; boxes take the free cell closest
  to their column, preferring the lane's top row. Boxes of one column are placed in the
  order of the mean height of their neighbours (the barycenter heuristic, two sweeps),
  which keeps crossings low. The functions of one contract take adjacent cells of one
  row so that the contract's frame holds them and nothing else.
* **Pins**: ``model.layout[function id]`` is where a user put a box by hand: ``x`` from
  the left of the lanes' content, ``y`` from the top of its lane. Pins snap to the grid
  and are placed first; a pin that falls on a taken cell moves to the nearest free one.
  Rows a lane does not use are closed up, so a pin far below the others keeps its
  order in the lane rather than its depth. Pins never move a box out of its party's
  lane.

Why not a layout library: the map needs lanes fixed by party, contracts kept adjacent
and hand-placed boxes kept where they are. Graphviz ``dot`` and grandalf place nodes
freely in their layers and cannot express these constraints, so the layering here runs
on networkx and the placement is this module's own grid, which also guarantees by
construction that boxes, frames and lanes never overlap.

Units are pixels at 96 dpi; text widths are estimated with a conservative per-character
table (wider than the usual sans-serif fonts), so that labels wrapped here fit the
drawn box.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ecomraci.model import Model, Position

UNASSIGNED = ""  # lane key of the "Not assigned" lane

# --- geometry constants (pixels at 96 dpi) -----------------------------------------------

MARGIN = 24
TITLE_H = 58
GROUP_W = 30  # the strip naming the group (internal teams / outside parties)
HEADER_W = 210  # lane header: party name and category
COL_GAP = 64  # the channel between two columns, where arrows run up and down
ROW_GAP = 20  # the corridor between two rows, where arrows run across
CONTENT_PAD = COL_GAP  # a channel left of the first column too
BOX_W = 190
BOX_H = 64
BOX_PAD_X = 9
BOX_PAD_Y = 7
FRAME_PAD = 8
FRAME_LABEL_H = 32  # two lines of a contract's name
COL_PITCH = BOX_W + 2 * FRAME_PAD + COL_GAP
ROW_PITCH = FRAME_LABEL_H + FRAME_PAD + BOX_H + FRAME_PAD + ROW_GAP
LANE_PAD_TOP = ROW_GAP // 2  # so that lanes stacked keep one corridor between rows
LANE_PAD_BOTTOM = ROW_GAP - LANE_PAD_TOP
GROUP_GAP = 14
FORUM_GAP = COL_GAP
FORUM_PITCH = 36
LEGEND_GAP = 22
LEGEND_MIN_W = 1160

# fonts (pixel sizes) the drawing uses; the estimates below are for these
FONT_BOX = 13
FONT_BOX_NOTE = 11
FONT_LANE = 14
FONT_LANE_NOTE = 11
FONT_FRAME = 11
FRAME_TEXT_PAD = 12  # left and right inside a contract's tab
MARKER_ROOM = 10  # right of a contract's tab, for its findings marker
FONT_FORUM = 11
FONT_TITLE = 22
FONT_SUBTITLE = 12
LINE_H = 16  # line height of box text
BOX_LINES = 3

CATEGORY_TEXT = {
    "ecommerce": "e-commerce",
    "it": "IT",
    "3pl": "3PL (logistics)",
    "contact-centre": "contact centre",
    "platform-vendor": "platform vendor",
    "system-integrator": "system integrator",
    "payment-provider": "payment provider",
    "customer-service": "customer service",
}

ROW_COST = 3.0  # a cell one row down costs as much as 1.5 columns aside
COLUMN_COST = 2.0

# --- text measure --------------------------------------------------------------------

_REGULAR = {
    0.30: "'ijlIJ",
    0.40: " .,·’;:/f-t()[]{}|`",
    0.50: '!r"',
    0.60: "_*–sz“”?cLkFvxy",
    0.70: "PaoTYebdghnpquES0123456789KAVXZBR$<>=~^",
    0.80: "CUHNDG&OQ",
    0.90: "w+#M",
    1.00: "%mW",
    1.10: "@—…",
}
_BOLD = {
    0.40: "'ijl IJ/.,·’[]|`",
    0.50: ";:-f()!tr{}",
    0.60: '_–"*z?c',
    0.70: "sxLvyk“”aeEFTo",
    0.80: "0123456789hnubdgpqSYZCPBAKRVX$<>=~^",
    0.90: "UGDHN+#OQ&",
    1.00: "w",
    1.10: "M@%—…m",
    1.20: "W",
}
_WIDTH = {
    False: {c: w for w, cs in _REGULAR.items() for c in cs},
    True: {c: w for w, cs in _BOLD.items() for c in cs},
}
_DEFAULT_EM = {False: 0.85, True: 0.95}


def text_width(text: str, px: float, bold: bool = False) -> float:
    """An upper estimate of the drawn width of `text` at `px` pixels."""
    table, default = _WIDTH[bold], _DEFAULT_EM[bold]
    return px * sum(table.get(ch, default) for ch in text)


def elide(text: str, width: float, px: float, bold: bool = False) -> str:
    """`text`, cut with an ellipsis where needed so that it fits `width`."""
    if text_width(text, px, bold) <= width:
        return text
    cut = text
    while cut and text_width(cut.rstrip() + "…", px, bold) > width:
        cut = cut[:-1]
    return cut.rstrip() + "…" if cut else ""


def wrap(text: str, width: float, px: float, max_lines: int, bold: bool = False) -> list[str]:
    """Greedy word wrap of `text` into at most `max_lines` lines that fit `width`; a word
    longer than a line is split, and what does not fit ends in an ellipsis."""
    words = text.split()
    lines: list[str] = []
    current = ""
    overflow = False
    for _i, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if text_width(trial, px, bold) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(word, px, bold) > width:  # split a word that fits no line
            k = len(word)
            while k > 1 and text_width(word[:k], px, bold) > width:
                k -= 1
            lines.append(word[:k])
            word = word[k:]
        current = word
        if len(lines) >= max_lines:
            overflow = True
            break
    if current and len(lines) < max_lines:
        lines.append(current)
    elif current or overflow:
        overflow = True
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        overflow = True
    if overflow and lines:
        lines[-1] = elide(lines[-1] + " …", width, px, bold)
        if not lines[-1].endswith("…"):
            lines[-1] = elide(lines[-1].rstrip() + "…", width, px, bold)
    return lines or [""]


# --- the result ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def overlaps(self, other: Rect) -> bool:
        """True when the two share some area (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def contains(self, other: Rect) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def contains_point(self, x: float, y: float) -> bool:
        return self.x <= x < self.right and self.y <= y < self.bottom


@dataclass
class Lane:
    party: str  # party id, or UNASSIGNED
    kind: str  # internal, external or unassigned
    category: str
    name: str
    rect: Rect
    header: Rect
    title_lines: list[str]
    note: str  # category and kind, as shown under the name
    rows: int
    index: int  # position among the lanes, top to bottom


@dataclass
class Box:
    key: str  # the function id for the box carrying the arrows, else "function@party"
    function: str
    party: str  # UNASSIGNED for a function nobody delivers
    rect: Rect
    lines: list[str]  # the function's name, wrapped to fit
    note: str  # "co-sourced: <the other parties>" or ""
    mode: str  # in-house, outsourced, co-sourced, or "" when not assigned
    contract: str | None
    critical: bool
    primary: bool
    pinned: bool
    column: int
    row: int
    kind: str  # the lane's kind: internal, external or unassigned

    @property
    def text_rect(self) -> Rect:
        r = self.rect
        return Rect(r.x + BOX_PAD_X, r.y + BOX_PAD_Y, r.w - 2 * BOX_PAD_X, r.h - 2 * BOX_PAD_Y)


@dataclass
class Frame:
    contract: str
    party: str
    name: str
    label: list[str]  # the name, wrapped to fit the frame's tab (at most two lines)
    rect: Rect
    label_rect: Rect  # where the tab may go; its text is inset by FRAME_TEXT_PAD
    members: list[str]  # box keys


@dataclass
class Edge:
    id: str  # "function->needs"
    function: str  # the function that needs ...
    needs: str  # ... this one; the arrow runs from `needs` to `function`
    kind: str
    strength: str
    points: list[tuple[float, float]]  # orthogonal polyline, needed box -> needing box
    mid: tuple[float, float]  # half way along, where a finding's marker goes


@dataclass
class Link:
    """The dashed line joining the boxes of one co-sourced function."""

    function: str
    a: str
    b: str
    points: list[tuple[float, float]]  # orthogonal polyline


@dataclass
class ForumLine:
    forum: str
    name: str
    label: str
    cadence_days: int
    x: float
    top: float
    bottom: float
    dots: list[tuple[str, float]]  # (party id, y)
    label_rect: Rect  # the area of the rotated label, in map coordinates


@dataclass
class Group:
    kind: str
    label: str
    rect: Rect


@dataclass
class MapLayout:
    width: float
    height: float
    title: str
    title_rect: Rect
    lanes: list[Lane]
    boxes: dict[str, Box]
    frames: list[Frame]
    edges: list[Edge]
    links: list[Link]
    forums: list[ForumLine]
    groups: list[Group]
    legend_rect: Rect
    content_x: float  # where column 0 starts (left edge of its frame padding)
    columns: int

    def lane(self, party: str) -> Lane | None:
        return next((lane for lane in self.lanes if lane.party == party), None)

    def lane_at(self, x: float, y: float) -> Lane | None:
        for lane in self.lanes:
            if lane.rect.y <= y < lane.rect.bottom and lane.rect.x <= x < lane.rect.right:
                return lane
        return None

    def boxes_of(self, function: str) -> list[Box]:
        return [b for b in self.boxes.values() if b.function == function]

    def cell_at(self, x: float, y: float, lane: Lane) -> tuple[int, int]:
        """The grid cell (column, row) of `lane` nearest to a box whose top-left is (x, y)."""
        col = round((x - self.content_x - FRAME_PAD) / COL_PITCH)
        row = round((y - _row_top(lane.rect.y, 0) - FRAME_LABEL_H - FRAME_PAD) / ROW_PITCH)
        return max(0, col), max(0, row)

    def pin_at(self, x: float, y: float, lane: Lane) -> Position:
        """The position to store in ``model.layout`` for a box dropped at (x, y) in `lane`."""
        col, row = self.cell_at(x, y, lane)
        return Position(x=float(col * COL_PITCH), y=float(row * ROW_PITCH))


# --- the texts fitted into the geometry --------------------------------------------------
# One rule each, used by `layout_map` and by the app when it redraws a renamed label in
# place (none of them changes where anything goes).


def lane_texts(name: str, category: str) -> tuple[list[str], str]:
    """A lane header's title lines and its category note (none when it repeats the
    name)."""
    note = CATEGORY_TEXT.get(category, category.replace("-", " "))
    if note.lower() == name.lower():
        note = ""
    return wrap(name, HEADER_W - 20, FONT_LANE, 2, bold=True), elide(
        note, HEADER_W - 20, FONT_LANE_NOTE
    )


def box_lines(name: str, noted: bool) -> list[str]:
    """A box's name lines; one line fewer when the box carries a note."""
    return wrap(name, BOX_W - 2 * BOX_PAD_X, FONT_BOX, BOX_LINES - 1 if noted else BOX_LINES)


def co_sourced_note(others: list[str]) -> str:
    return elide("co-sourced: " + ", ".join(others), BOX_W - 2 * BOX_PAD_X, FONT_BOX_NOTE)


def frame_label(name: str, label_width: float) -> list[str]:
    return wrap(name, label_width - FRAME_TEXT_PAD, FONT_FRAME, 2, bold=True)


def forum_label(
    name: str, cadence_days: int, x: float, top: float, last_dot: float | None, lanes_bottom: float
) -> tuple[str, float, Rect]:
    """A forum line's label, the line's bottom (long enough for the label, down to its
    last member) and the label's rectangle."""
    text = f"{name} · every {cadence_days} days"
    need = text_width(text, FONT_FORUM) + 16
    bottom = max(last_dot if last_dot is not None else top, min(top + need, lanes_bottom - 4))
    label = elide(text, bottom - top - 10, FONT_FORUM)
    return label, bottom, Rect(x + 5, top + 6, FONT_FORUM + 6, text_width(label, FONT_FORUM) + 2)


def _row_top(lane_y: float, row: int) -> float:
    return lane_y + LANE_PAD_TOP + row * ROW_PITCH


# --- ordering along the dependencies --------------------------------------------------


def _eades_order(g: nx.DiGraph, rank: dict[str, int]) -> list[str]:
    """A vertex order with few backward edges (Eades, Lin and Smyth's greedy heuristic),
    ties broken by the model's order so the same model gives the same order.

    Degrees are kept in plain dicts and updated as vertices go: asking the graph for
    them on every pass cost a tenth of a second on a map of 300 functions."""
    succ = {n: set(g.successors(n)) for n in g}
    pred = {n: set(g.predecessors(n)) for n in g}
    out_deg = {n: len(succ[n]) for n in g}
    in_deg = {n: len(pred[n]) for n in g}
    alive = set(g)
    left: list[str] = []
    right: list[str] = []

    def remove(n: str) -> None:
        alive.discard(n)
        for m in succ[n]:
            if m in alive:
                in_deg[m] -= 1
        for m in pred[n]:
            if m in alive:
                out_deg[m] -= 1

    while alive:
        changed = True
        while changed:
            changed = False
            sinks = sorted((n for n in alive if out_deg[n] == 0), key=rank.__getitem__)
            for n in sinks:
                right.append(n)
                remove(n)
                changed = True
            sources = sorted((n for n in alive if in_deg[n] == 0), key=rank.__getitem__)
            for n in sources:
                left.append(n)
                remove(n)
                changed = True
        if alive:
            best = max(alive, key=lambda n: (out_deg[n] - in_deg[n], -rank[n]))
            left.append(best)
            remove(best)
    return left + right[::-1]


def layers(model: Model) -> dict[str, int]:
    """Function id -> column: a function stands right of the functions it needs.

    The flow graph runs from the needed function to the one that needs it. Edges that
    close a cycle are turned round (Eades' order), then each function's layer is its
    longest path from a source; then each function moves towards the median layer of its
    neighbours as far as its predecessors and successors allow, which keeps arrows short.
    """
    rank = {f.id: i for i, f in enumerate(model.functions)}
    flow = nx.DiGraph()
    flow.add_nodes_from(rank)
    for d in model.dependencies:
        if d.function in rank and d.needs in rank and d.function != d.needs:
            flow.add_edge(d.needs, d.function)
    order = _eades_order(flow, rank)
    position = {n: i for i, n in enumerate(order)}
    dag = nx.DiGraph()
    dag.add_nodes_from(order)
    for a, b in flow.edges:
        if position[a] < position[b]:
            dag.add_edge(a, b)
        else:
            dag.add_edge(b, a)
    layer: dict[str, int] = {}
    for n in nx.lexicographical_topological_sort(dag, key=position.__getitem__):
        preds = list(dag.predecessors(n))
        layer[n] = max((layer[p] + 1 for p in preds), default=0)
    # shorten arrows: move each function to the median layer of its neighbours, within
    # what its predecessors and successors allow (a few sweeps of a median heuristic)
    ordered = sorted(dag, key=position.__getitem__)
    for _ in range(4):
        moved = False
        for n in ordered:
            preds, succ = list(dag.predecessors(n)), list(dag.successors(n))
            if not preds and not succ:
                continue
            low = max((layer[p] + 1 for p in preds), default=0)
            high = min((layer[s] - 1 for s in succ), default=low + len(ordered))
            around = sorted(layer[m] for m in preds + succ)
            want = around[(len(around) - 1) // 2]
            best = min(max(want, low), high)
            if best != layer[n]:
                layer[n] = best
                moved = True
        if not moved:
            break
    shift = min(layer.values(), default=0)
    return {n: v - shift for n, v in layer.items()}


# --- placement ------------------------------------------------------------------------


@dataclass
class _Slot:
    key: str
    function: str
    party: str
    want: int | None  # desired column, None for a function with no dependency
    pin: tuple[int, int] | None
    group: str | None  # contract id when the box belongs to a contract's run
    col: int = -1
    row: int = -1


class _Grid:
    """The occupied cells of one lane."""

    def __init__(self) -> None:
        self.taken: dict[tuple[int, int], str] = {}

    def free(self, col: int, row: int) -> bool:
        return col >= 0 and row >= 0 and (col, row) not in self.taken

    def nearest(self, want: int, max_row: int, prefer_row: int = 0) -> tuple[int, int]:
        """The free cell closest to column `want`, by column distance and row depth."""
        best: tuple[float, int, int] | None = None
        for row in range(max_row + 1):
            row_cost = ROW_COST * abs(row - prefer_row)
            if best is not None and row_cost > best[0]:
                break
            reach = 0
            while True:
                cost = row_cost + COLUMN_COST * reach
                if best is not None and cost >= best[0]:
                    break
                for col in (want - reach, want + reach) if reach else (want,):
                    if self.free(col, row):
                        cand = (cost, row, col)
                        if best is None or cand < best:
                            best = cand
                if best is not None and best[1] == row:
                    break
                reach += 1
        assert best is not None
        return best[2], best[1]

    def run(self, wants: list[int], max_row: int) -> tuple[int, int]:
        """Start column and row of `len(wants)` adjacent free cells closest to `wants`."""
        k = len(wants)
        centre = round(sum(wants) / k - (k - 1) / 2)
        best: tuple[float, int, int] | None = None
        for row in range(max_row + 1):
            row_cost = ROW_COST * row * k
            if best is not None and row_cost > best[0]:
                break
            reach = 0
            while True:
                base = row_cost + COLUMN_COST * reach * k
                if best is not None and base >= best[0]:
                    break
                for start in (centre - reach, centre + reach) if reach else (centre,):
                    if start < 0:
                        continue
                    if all(self.free(start + i, row) for i in range(k)):
                        cost = (
                            row_cost
                            + COLUMN_COST * sum(abs(start + i - w) for i, w in enumerate(wants)) / 2
                        )
                        cand = (cost, row, start)
                        if best is None or cand < best:
                            best = cand
                reach += 1
                if best is not None and best[1] == row and reach > k + 2:
                    break
        assert best is not None
        return best[2], best[1]


def _place_lane(slots: list[_Slot], bary: dict[str, float], groups: dict[str, list[_Slot]]) -> None:
    grid = _Grid()
    max_row = max(0, len(slots) - 1)
    for s in slots:  # hand-placed boxes first, where the user put them
        if s.pin is not None:
            col, row = s.pin
            row = min(row, max_row)
            if not grid.free(col, row):
                col, row = grid.nearest(col, max_row, row)
            s.col, s.row = col, row
            grid.taken[(col, row)] = s.key
    # contracts' boxes next, as adjacent runs (joining pinned members where there are)
    for _contract, members in groups.items():
        loose = [s for s in members if s.pin is None]
        if not loose:
            continue
        pinned = [s for s in members if s.pin is not None]
        if pinned:
            anchor = pinned[0]
            for s in sorted(
                loose, key=lambda s: (s.want if s.want is not None else 0, bary.get(s.key, 0))
            ):
                s.col, s.row = grid.nearest(anchor.col, max_row, anchor.row)
                grid.taken[(s.col, s.row)] = s.key
            continue
        loose.sort(key=lambda s: (s.want if s.want is not None else 0, bary.get(s.key, 0), s.key))
        wants = [s.want if s.want is not None else 0 for s in loose]
        start, row = grid.run(wants, max_row)
        for i, s in enumerate(loose):
            s.col, s.row = start + i, row
            grid.taken[(s.col, s.row)] = s.key
    rest = [s for s in slots if s.col < 0]
    placed = sorted(
        ((s.want, s) for s in rest if s.want is not None),
        key=lambda ws: (ws[0], bary.get(ws[1].key, 0.0), ws[1].key),
    )
    for want, s in placed:
        s.col, s.row = grid.nearest(want, max_row)
        grid.taken[(s.col, s.row)] = s.key
    for s in (s for s in rest if s.want is None):
        s.col, s.row = grid.nearest(0, max_row)
        grid.taken[(s.col, s.row)] = s.key


def layout_map(model: Model, show_forums: bool = True) -> MapLayout:
    """The whole map of `model`: the same model always gives the same geometry."""
    parties = {p.id: p for p in model.parties}
    functions = {f.id: f for f in model.functions}
    assignments: dict[str, list] = {f: [] for f in functions}
    for a in model.assignments:
        if a.function in functions and a.party in parties:
            assignments[a.function].append(a)

    # lanes: internal, external, then "not assigned" when needed
    lane_keys = [p.id for p in model.parties if p.kind == "internal"]
    lane_keys += [p.id for p in model.parties if p.kind != "internal"]
    unassigned = [f for f in functions if not assignments[f]]
    if unassigned:
        lane_keys.append(UNASSIGNED)

    # one slot per assignment; the first assignment's box carries the arrows
    slots: dict[str, _Slot] = {}
    by_lane: dict[str, list[_Slot]] = {k: [] for k in lane_keys}
    layer = layers(model)
    connected = {d.function for d in model.dependencies} | {d.needs for d in model.dependencies}
    contract_of: dict[tuple[str, str], str] = {}
    for c in model.contracts:
        for fid in c.covers:
            contract_of.setdefault((fid, c.party), c.id)
    contract_party = {c.id: c.party for c in model.contracts}
    for fid in functions:
        for a in assignments[fid]:
            if a.contract is not None and contract_party.get(a.contract) == a.party:
                contract_of[(fid, a.party)] = a.contract
    for fid in functions:
        owners = assignments[fid] or [None]
        for i, a in enumerate(owners):
            party = a.party if a is not None else UNASSIGNED
            key = fid if i == 0 else f"{fid}@{party}"
            pin = None
            if i == 0 and fid in model.layout:
                pos = model.layout[fid]
                pin = (
                    max(0, min(round(pos.x / COL_PITCH), len(functions))),
                    max(0, round(pos.y / ROW_PITCH)),
                )
            want = layer[fid] if fid in connected else None
            slot = _Slot(key, fid, party, want, pin, contract_of.get((fid, party)))
            slots[key] = slot
            by_lane[party].append(slot)
    # a co-sourced function's other boxes want the column of its first box
    lane_index = {k: i for i, k in enumerate(lane_keys)}

    # neighbours for the barycenter: the first box of each function
    neighbours: dict[str, list[str]] = {f: [] for f in functions}
    for d in model.dependencies:
        if d.function in functions and d.needs in functions:
            neighbours[d.function].append(d.needs)
            neighbours[d.needs].append(d.function)

    def groups_of(lane: str) -> dict[str, list[_Slot]]:
        out: dict[str, list[_Slot]] = {}
        for s in by_lane[lane]:
            if s.group is not None:
                out.setdefault(s.group, []).append(s)
        return out

    height_of: dict[str, float] = {}
    for key, s in slots.items():  # first sweep: a neighbour's lane is its height
        height_of[key] = lane_index[s.party]
    for _sweep in range(2):
        bary = {}
        for key, s in slots.items():
            ns = neighbours[s.function]
            bary[key] = (sum(height_of[n] for n in ns) / len(ns)) if ns else height_of[key]
        for s in slots.values():
            s.col = s.row = -1
        for lane_key in lane_keys:
            lane_slots = by_lane[lane_key]
            firsts = [s for s in lane_slots if s.key == s.function]
            seconds = [s for s in lane_slots if s.key != s.function]
            _place_lane(firsts + seconds, bary, groups_of(lane_key))
            # close up rows left empty (a pin far down keeps its order, not its depth)
            used = {r: i for i, r in enumerate(sorted({s.row for s in lane_slots}))}
            for s in lane_slots:
                s.row = used[s.row]
        rows = {lane: (max((s.row for s in by_lane[lane]), default=0) + 1) for lane in lane_keys}
        y = 0.0
        tops = {}
        for lane_key in lane_keys:
            tops[lane_key] = y
            y += rows[lane_key]
        height_of = {key: tops[s.party] + s.row / max(1, rows[s.party]) for key, s in slots.items()}
        # second sweep: co-sourced boxes follow their first box's column
        for s in slots.values():
            if s.key != s.function and s.pin is None:
                s.want = slots[s.function].col

    # --- coordinates --------------------------------------------------------------------
    columns = max((s.col for s in slots.values()), default=0) + 1
    lanes_x = MARGIN + GROUP_W
    content_x = lanes_x + HEADER_W + CONTENT_PAD
    content_right = content_x + columns * COL_PITCH - COL_GAP
    forums = (
        [f for f in model.forums if any(m in parties for m in f.members)] if show_forums else []
    )
    forum_x0 = content_right + FORUM_GAP
    lanes_right = forum_x0 + len(forums) * FORUM_PITCH if forums else content_right + COL_GAP
    width = max(lanes_right, MARGIN + LEGEND_MIN_W) + MARGIN

    lanes: list[Lane] = []
    groups: list[Group] = []
    y = MARGIN + TITLE_H
    previous_kind = None
    group_start = y
    for i, key in enumerate(lane_keys):
        party = parties.get(key)
        kind = party.kind if party is not None else "unassigned"
        if previous_kind is not None and kind != previous_kind:
            groups.append(_group(previous_kind, group_start, y))
            y += GROUP_GAP
            group_start = y
        previous_kind = kind
        lane_rows = max((s.row for s in by_lane[key]), default=0) + 1
        h = lane_rows * ROW_PITCH  # LANE_PAD_TOP + rows * ROW_PITCH - ROW_GAP + LANE_PAD_BOTTOM
        rect = Rect(lanes_x, y, lanes_right - lanes_x, h)
        header = Rect(lanes_x, y, HEADER_W, h)
        if party is not None:
            name, category = party.name, str(party.category)
            lines, note = lane_texts(name, category)
        else:
            name, category = "Not assigned", ""
            lines = wrap(name, HEADER_W - 20, FONT_LANE, 2, bold=True)
            note = elide("no party delivers these", HEADER_W - 20, FONT_LANE_NOTE)
        lanes.append(Lane(key, kind, category, name, rect, header, lines, note, lane_rows, i))
        y += h
    if previous_kind is not None:
        groups.append(_group(previous_kind, group_start, y))
    lanes_bottom = y
    lane_by_key = {lane.party: lane for lane in lanes}

    boxes: dict[str, Box] = {}
    for key, s in slots.items():
        lane = lane_by_key[s.party]
        bx = content_x + s.col * COL_PITCH + FRAME_PAD
        by = _row_top(lane.rect.y, s.row) + FRAME_LABEL_H + FRAME_PAD
        f = functions[s.function]
        owners = assignments[s.function]
        own = next((o for o in owners if o.party == s.party), None)
        others = [parties[o.party].name for o in owners if o.party != s.party]
        note = co_sourced_note(others) if len(owners) > 1 else ""
        boxes[key] = Box(
            key=key,
            function=s.function,
            party=s.party,
            rect=Rect(bx, by, BOX_W, BOX_H),
            lines=box_lines(f.name, bool(note)),
            note=note,
            mode=str(own.mode) if own is not None else "",
            contract=s.group,
            critical=str(f.criticality) == "critical",
            primary=key == s.function,
            pinned=s.pin is not None,
            column=s.col,
            row=s.row,
            kind=lane.kind,
        )

    frames: list[Frame] = []
    for c in model.contracts:
        members = [b for b in boxes.values() if b.contract == c.id and b.party == c.party]
        if not members:
            continue
        x0 = min(b.rect.x for b in members) - FRAME_PAD
        y0 = min(b.rect.y for b in members) - FRAME_PAD - FRAME_LABEL_H
        x1 = max(b.rect.right for b in members) + FRAME_PAD
        y1 = max(b.rect.bottom for b in members) + FRAME_PAD
        rect = Rect(x0, y0, x1 - x0, y1 - y0)
        label_rect = Rect(x0 + 6, y0 + 2, rect.w - 12 - 2 * MARKER_ROOM, FRAME_LABEL_H - 4)
        label_lines = frame_label(c.name, label_rect.w)
        frames.append(
            Frame(c.id, c.party, c.name, label_lines, rect, label_rect, [b.key for b in members])
        )

    edges = _route_edges(model, boxes, lane_by_key, content_x)
    links = []
    for b in boxes.values():
        if not b.primary and b.function in boxes:
            first = boxes[b.function]
            links.append(
                Link(b.function, first.key, b.key, _route_link(first, b, lane_by_key, content_x))
            )

    forum_lines: list[ForumLine] = []
    for i, forum in enumerate(forums):
        x = forum_x0 + i * FORUM_PITCH + 8
        dots = [(m, lane_by_key[m].rect.center[1]) for m in forum.members if m in lane_by_key]
        dots.sort(key=lambda d: d[1])
        top = dots[0][1] if dots else MARGIN + TITLE_H
        label, bottom, label_rect = forum_label(
            forum.name, forum.cadence_days, x, top, dots[-1][1] if dots else None, lanes_bottom
        )
        forum_lines.append(
            ForumLine(
                forum.id, forum.name, label, forum.cadence_days, x, top, bottom, dots, label_rect
            )
        )

    legend_rect = Rect(MARGIN, lanes_bottom + LEGEND_GAP, width - 2 * MARGIN, 0)
    title_rect = Rect(MARGIN, MARGIN, width - 2 * MARGIN, TITLE_H - 10)
    return MapLayout(
        width=width,
        height=lanes_bottom + LEGEND_GAP,
        title=model.name,
        title_rect=title_rect,
        lanes=lanes,
        boxes=boxes,
        frames=frames,
        edges=edges,
        links=links,
        forums=forum_lines,
        groups=groups,
        legend_rect=legend_rect,
        content_x=content_x,
        columns=columns,
    )


def _group(kind: str, top: float, bottom: float) -> Group:
    label = {"internal": "INTERNAL TEAMS", "external": "OUTSIDE PARTIES"}.get(kind, "NOT ASSIGNED")
    label = elide(label, bottom - top - 8, FONT_LANE_NOTE, True)
    return Group(kind, label, Rect(MARGIN, top, GROUP_W - 4, bottom - top))


def _tracks(intervals: list[tuple[float, float, object]], spacing: float, half: float) -> dict:
    """Offsets from a channel's centre line for runs sharing it: runs whose spans overlap
    get different tracks (interval colouring), tracks alternate right and left of the
    centre, and when the channel is full they are reused."""
    ends: list[float] = []
    track_of: dict = {}
    for lo, hi, key in sorted(intervals, key=lambda t: (t[0], t[1], str(t[2]))):
        for k, end in enumerate(ends):
            if end < lo - 2:
                ends[k] = hi
                break
        else:
            k = len(ends)
            ends.append(hi)
        track_of[key] = k
    slots = [0.0]
    step = 1
    while step * spacing <= half:
        slots += [step * spacing, -step * spacing]
        step += 1
    return {key: slots[k % len(slots)] for key, k in track_of.items()}


def _mid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The point half way along a polyline."""
    lengths = [abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(points, points[1:])]
    half = sum(lengths) / 2
    for (a, b), length in zip(zip(points, points[1:]), lengths):
        if half <= length and length:
            t = half / length
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        half -= length
    return points[-1]


def _route_edges(
    model: Model, boxes: dict[str, Box], lanes: dict[str, Lane], content_x: float
) -> list[Edge]:
    """Orthogonal arrows from the needed function's box to the box of the function that
    needs it. They run up and down only in the channels
    between columns and across only in the corridors between rows, so an arrow never
    passes under a box; arrows sharing a channel or corridor get separate tracks, and
    their ends are spread along the box sides in the order they arrive."""

    def channel_x(col: int) -> float:  # the channel right of column `col`
        return content_x + (col + 1) * COL_PITCH - COL_GAP / 2

    deps = [
        d
        for d in model.dependencies
        if d.function in boxes and d.needs in boxes and d.function != d.needs
    ]
    plans = []
    ends: dict[tuple[str, str], list] = {}
    for n, d in enumerate(deps):
        src, dst = boxes[d.needs], boxes[d.function]
        # forward arrows leave on the right and enter on the left; an arrow to a column
        # further left leaves on the left and enters on the right; one within a column
        # goes out and back on the right
        s_side = "l" if dst.column < src.column else "r"
        t_side = "l" if dst.column > src.column else "r"
        cs = src.column if s_side == "r" else src.column - 1
        ct = dst.column - 1 if t_side == "l" else dst.column
        corridor = None if cs == ct else lanes[dst.party].rect.y + dst.row * ROW_PITCH
        plans.append((d, src, dst, s_side, t_side, cs, ct, corridor))
        ends.setdefault((src.key, s_side), []).append(
            (dst.rect.center[1] if corridor is None else corridor, dst.rect.x, n, "s")
        )
        ends.setdefault((dst.key, t_side), []).append(
            (src.rect.center[1] if corridor is None else corridor, -src.rect.x, n, "t")
        )
    port: dict[tuple[int, str], tuple[float, float]] = {}
    for (key, side), items in ends.items():
        r = boxes[key].rect
        items.sort()
        x = r.right if side == "r" else r.x
        for i, (_, _, n, which) in enumerate(items):
            port[(n, which)] = (x, r.y + 8 + (r.h - 16) * (i + 1) / (len(items) + 1))
    vertical: dict[int, list] = {}
    across: dict[tuple[str, int], list] = {}
    for n, (_d, _src, dst, _s_side, _t_side, cs, ct, corridor) in enumerate(plans):
        y_out, y_in = port[(n, "s")][1], port[(n, "t")][1]
        if corridor is None:
            vertical.setdefault(cs, []).append((min(y_out, y_in), max(y_out, y_in), (n, "a")))
        else:
            vertical.setdefault(cs, []).append(
                (min(y_out, corridor), max(y_out, corridor), (n, "a"))
            )
            vertical.setdefault(ct, []).append((min(y_in, corridor), max(y_in, corridor), (n, "b")))
            x0, x1 = sorted((channel_x(cs), channel_x(ct)))
            across.setdefault((dst.party, dst.row), []).append((x0, x1, n))
    dx: dict = {}
    for runs in vertical.values():
        dx.update(_tracks(runs, 6.0, COL_GAP / 2 - 4))
    dy: dict = {}
    for runs in across.values():
        dy.update(_tracks(runs, 4.0, ROW_GAP / 2 - 2))
    edges = []
    for n, (d, _src, _dst, _s_side, _t_side, cs, ct, corridor) in enumerate(plans):
        start, end = port[(n, "s")], port[(n, "t")]
        xa = channel_x(cs) + dx[(n, "a")]
        if corridor is None:
            pts = [start, (xa, start[1]), (xa, end[1]), end]
        else:
            xb = channel_x(ct) + dx[(n, "b")]
            yc = corridor + dy[n]
            pts = [start, (xa, start[1]), (xa, yc), (xb, yc), (xb, end[1]), end]
        pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
        edges.append(Edge(d.id, d.function, d.needs, str(d.kind), str(d.strength), pts, _mid(pts)))
    return edges


def _route_link(
    a: Box, b: Box, lanes: dict[str, Lane], content_x: float
) -> list[tuple[float, float]]:
    """From the upper box's bottom to the lower box's top, through the corridor below
    the first, the channel right of its column and the corridor above the second."""
    if (lanes[a.party].rect.y, a.row) > (lanes[b.party].rect.y, b.row):
        a, b = b, a
    below = lanes[a.party].rect.y + (a.row + 1) * ROW_PITCH
    above = lanes[b.party].rect.y + b.row * ROW_PITCH
    x = content_x + (max(a.column, b.column) + 1) * COL_PITCH - COL_GAP / 2
    ax, bx = a.rect.center[0], b.rect.center[0]
    return [(ax, a.rect.bottom), (ax, below), (x, below), (x, above), (bx, above), (bx, b.rect.y)]
