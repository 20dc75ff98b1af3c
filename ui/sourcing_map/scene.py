"""The map scene: builds graphics items from the core's `layout_map` and marks the items
that findings name, and those a what-if or a comparison changes. The window and the
exports both draw this scene."""

from __future__ import annotations

from collections import Counter

from ecomraci import layout as geo
from ecomraci.layout import MARGIN, UNASSIGNED, MapLayout, layout_map
from ecomraci.model import Model
from ecomraci.rules.engine import SEVERITY_RANK
from ui.sourcing_map import style
from ui.sourcing_map.items import (
    BoxItem,
    EdgeItem,
    FlagItem,
    ForumItem,
    FrameItem,
    GroupItem,
    LaneItem,
    LegendItem,
    LinkItem,
    MapItem,
    TitleItem,
)

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QGraphicsScene

KIND_TEXT = {
    "data-feed": "data feed",
    "system-integration": "system integration",
    "process-handoff": "process hand-off",
}


class FindingLine:
    """One finding's line in a tooltip, written only when the tooltip is shown: a big
    model has thousands of findings and their wording is made on demand."""

    __slots__ = ("finding",)

    def __init__(self, finding):
        self.finding = finding

    def __str__(self) -> str:
        return f"{self.finding.rule}: {self.finding.message}"

    def __eq__(self, other) -> bool:
        return isinstance(other, FindingLine) and other.finding is self.finding

    def __hash__(self) -> int:
        return id(self.finding)


def finding_marks(model: Model, findings) -> dict[str, tuple[str, list[FindingLine]]]:
    """Subject id -> (worst severity, the findings' lines) over the findings that are not
    waived. An activity's findings mark its function, the map's picture of it."""
    function_of = {a.id: a.function for a in model.activities}
    marks: dict[str, tuple[str, list[FindingLine]]] = {}
    for f in findings or []:
        if f.waived:
            continue
        subjects = dict.fromkeys(function_of.get(s, s) for s in f.subjects)
        for s in subjects:
            severity, messages = marks.get(s, ("info", []))
            if SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]:
                severity = f.severity
            messages.append(FindingLine(f))
            marks[s] = (severity, messages)
    return marks


class _Tips:
    """The tooltips of the map's items, worded from the model (its objects looked up
    once for a whole drawing or update)."""

    def __init__(self, model: Model, layout: MapLayout):
        self.map = layout
        self.parties = {p.id: p for p in model.parties}
        self.functions = {f.id: f for f in model.functions}
        self.contracts = {c.id: c for c in model.contracts}
        self._counts: Counter[str] | None = None

    def name(self, pid: str) -> str:
        p = self.parties.get(pid)
        return p.name if p is not None else "nobody"

    def of(self, item: MapItem) -> str:
        if isinstance(item, BoxItem):
            return self.box(item.box)
        if isinstance(item, LaneItem):
            return self.lane(item.lane)
        if isinstance(item, FrameItem):
            return self.frame(item.frame)
        if isinstance(item, EdgeItem):
            return self.edge(item.edge)
        if isinstance(item, ForumItem):
            return self.forum(item.line)
        return item.base_tip

    def lane(self, lane: geo.Lane) -> str:
        if self._counts is None:
            self._counts = Counter(b.party for b in self.map.boxes.values())
        count = self._counts[lane.party]
        return f"{lane.name}\n{lane.note}\n{count} function{'s' if count != 1 else ''} on this lane"

    def frame(self, frame: geo.Frame) -> str:
        functions = self.functions
        contract = self.contracts.get(frame.contract)
        covers = contract.covers if contract is not None else []
        covered = ", ".join(functions[f].name for f in covers if f in functions)
        return (
            f"Contract: {frame.name}\nwith {self.name(frame.party)}\ncovers: {covered or 'nothing'}"
        )

    def edge(self, edge: geo.Edge) -> str:
        functions = self.functions
        return (
            f"{functions[edge.function].name} needs {functions[edge.needs].name}\n"
            f"{KIND_TEXT.get(edge.kind, edge.kind)}, {edge.strength}"
        )

    def box(self, box: geo.Box) -> str:
        f = self.functions[box.function]
        if box.party == UNASSIGNED:
            tip = f"{f.name}\nnobody delivers it: drag it into a lane"
        else:
            tip = f"{f.name}\ndelivered by {self.name(box.party)} ({box.mode})"
            if box.contract in self.contracts:
                tip += f"\nunder {self.contracts[box.contract].name}"
            if box.note:
                tip += f"\n{box.note}"
        tip += f"\n{f.criticality}{', reversible' if f.reversible else ''}"
        if box.pinned:
            tip += "\nplaced by hand (Re-layout releases it)"
        return tip

    def forum(self, line: geo.ForumLine) -> str:
        members = ", ".join(self.name(p) for p, _ in line.dots)
        return f"{line.name}, every {line.cadence_days} days\nmembers: {members}"


# The texts `ecomraci.layout.layout_map` fits into the geometry it lays out, worded the
# same way here so that a label redrawn in place reads as a new layout would draw it.
# None of them changes where anything goes: a box's and a lane header's text is wrapped
# and elided into their fixed size, a contract's name into its frame's tab (whose width,
# at most the frame's, follows the text), and a forum's line, whose length follows its
# label, has a column of its own that only the number of forums sizes. So a label
# redrawn in place leaves every other item where a new layout would put it.


def _relabel_lane(lane: geo.Lane, party) -> None:
    lane.name, lane.category = party.name, str(party.category)
    lane.title_lines, lane.note = geo.lane_texts(lane.name, lane.category)


def _relabel_frame(frame: geo.Frame, contract) -> None:
    frame.name = contract.name
    frame.label = geo.frame_label(contract.name, frame.label_rect.w)


def _relabel_forum(line: geo.ForumLine, forum, lanes_bottom: float) -> None:
    last = line.dots[-1][1] if line.dots else None
    line.label, line.bottom, line.label_rect = geo.forum_label(
        forum.name, forum.cadence_days, line.x, line.top, last, lanes_bottom
    )
    line.name, line.cadence_days = forum.name, forum.cadence_days


# Fields of each collection the map shows without their change moving anything (those
# that move something are `Change.map_changed`'s): `MapScene.update_texts` redraws them.
TEXT_FIELDS = {
    "functions": {"name", "criticality", "reversible"},
    "parties": {"name", "category"},
    "forums": {"name", "cadence_days"},
    "model": {"name"},
}


def _count(findings) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings or []:
        if not f.waived:
            counts[f.severity] += 1
    return counts


class MapScene(QGraphicsScene):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackgroundBrush(QBrush(style.BACKGROUND))
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.model: Model | None = None
        self.map: MapLayout | None = None
        self.by_subject: dict[str, list[MapItem]] = {}
        self.boxes: dict[str, BoxItem] = {}
        self.lanes: dict[str, LaneItem] = {}
        self.title: TitleItem | None = None
        self.legend: LegendItem | None = None
        self.findings: list = []
        self.checked = False
        self.findings_note = ""
        self.frames: list[FrameItem] = []
        self.highlight: set[str] = set()
        self.highlight_notes: dict[str, str] = {}
        self.changed_items: list[MapItem] = []
        self.flags: list[FlagItem] = []
        # a contract's outline shows its selection too (not through itemChange, whose
        # override upsets PySide's reference counts)
        self.selectionChanged.connect(self._repaint_outlines)

    def _repaint_outlines(self) -> None:
        for frame in self.frames:
            frame.outline.update()

    def build(
        self,
        model: Model,
        findings=None,
        show_forums: bool = True,
        show_legend: bool = True,
        findings_note: str = "",
    ) -> None:
        """Replace every item by a fresh drawing of `model`."""
        self.by_subject.clear()
        self.boxes.clear()
        self.lanes.clear()
        self.frames.clear()  # before clear(), which may tell that the selection went
        self.changed_items.clear()
        self.flags.clear()
        self.title = self.legend = None
        self.clear()
        self.model = model
        self.findings_note = findings_note
        m = self.map = layout_map(model, show_forums=show_forums)
        tips = _Tips(model, m)
        for group in m.groups:
            self.addItem(GroupItem(group))
        for lane in m.lanes:
            item = LaneItem(lane, tips.lane(lane))
            self._add(item)
            self.lanes[lane.party] = item
        for frame in m.frames:
            item = FrameItem(frame, tips.frame(frame))
            self._add(item)
            self.addItem(item.outline)
            self.frames.append(item)
        for link in m.links:
            self.addItem(LinkItem(link))
        for edge in m.edges:
            self._add(EdgeItem(edge, tips.edge(edge)))
        for box in m.boxes.values():
            item = BoxItem(box, tips.box(box))
            self._add(item)
            self.boxes[box.key] = item
        for forum in m.forums:
            self._add(ForumItem(forum, tips.forum(forum)))
        self.title = TitleItem(m.title_rect, model.name, "")
        self.addItem(self.title)
        self.legend = LegendItem(m.legend_rect)
        self.addItem(self.legend)
        self.legend.setVisible(show_legend)
        self.set_findings(findings)
        self._mark_changed()
        self.fit_rect()

    def update_texts(self, change) -> None:
        """Redraw in place what a change that moves nothing touches (`change` is an
        `ecomraci.transaction.Change` whose ``map_changed`` is false; one that moves
        something is drawn again whole by `build`): the box, lane header, contract tab
        or forum label of a renamed object and the tooltips naming it, a function's
        criticality, a party's category, a forum's cadence, and the one contract frame
        whose clauses changed. Every other item stays as it is, the same object."""
        model, m = self.model, self.map
        if model is None or m is None:
            return
        fields = change.fields
        tips = _Tips(model, m)
        touched: dict[int, MapItem] = {}

        def touch(items) -> None:
            for item in items:
                touched[id(item)] = item

        renamed_functions: set[str] = set()
        for fid, names in fields.get("functions", {}).items():
            f = tips.functions.get(fid)
            if f is None or not names & TEXT_FIELDS["functions"]:
                continue
            for item in self._boxes(fid):
                item.box.lines = geo.box_lines(f.name, bool(item.box.note))
                item.box.critical = str(f.criticality) == "critical"
                touch([item])
            if "name" in names:
                renamed_functions.add(fid)
        if renamed_functions:  # the arrows and contracts that name them
            touch(
                self._items_of_kind(
                    EdgeItem, lambda e: {e.edge.function, e.edge.needs} & renamed_functions
                )
            )
            touch(
                frame
                for frame in self.frames
                if renamed_functions & set(getattr(tips.contracts.get(frame.subject), "covers", ()))
            )
        renamed_parties: set[str] = set()
        for pid, names in fields.get("parties", {}).items():
            party = tips.parties.get(pid)
            if party is None or not names & TEXT_FIELDS["parties"]:
                continue
            lane = self.lanes.get(pid)
            if lane is not None:
                _relabel_lane(lane.lane, party)
                touch([lane])
            if "name" in names:
                renamed_parties.add(pid)
        if renamed_parties:
            touch(self._party_named_items(model, tips, renamed_parties))
        for cid, names in fields.get("contracts", {}).items():
            contract = tips.contracts.get(cid)
            if contract is None:
                continue
            # Any clause: the frame is drawn again (its findings' marks come with the
            # next check); a new name also fits its tab and the boxes under it name it.
            for frame in self.by_subject.get(cid, []):
                if isinstance(frame, FrameItem):
                    if "name" in names:
                        _relabel_frame(frame.frame, contract)
                        frame.relabel()
                    touch([frame])
            if "name" in names:
                touch(b for b in self.boxes.values() if b.box.contract == cid)
        for fid, names in fields.get("forums", {}).items():
            forum = next((x for x in model.forums if x.id == fid), None)
            if forum is None or not names & TEXT_FIELDS["forums"]:
                continue
            for item in self.by_subject.get(fid, []):
                if isinstance(item, ForumItem):
                    _relabel_forum(item.line, forum, m.height - geo.LEGEND_GAP)
                    item.relabel()
                    touch([item])
        model_fields = fields.get("model", {}).get("", set())
        if TEXT_FIELDS["model"] & model_fields and self.title is not None:
            m.title = self.title.title = model.name
            self.title.update()
        for item in touched.values():
            item.set_tip(tips.of(item))
            item.update()
        if any(id(item) in touched for item in self.changed_items):
            self._put_flags()  # a flag sits by its item and repeats its tooltip

    def _items_of_kind(self, kind: type, keep) -> list:
        return [
            item
            for items in self.by_subject.values()
            for item in items
            if isinstance(item, kind) and keep(item)
        ]

    def _party_named_items(self, model: Model, tips: _Tips, parties: set[str]) -> list[MapItem]:
        """The items whose text names one of `parties`: the boxes of the functions they
        take part in (a box says who delivers it, a co-sourced box who else does), their
        contracts' frames and the forums they sit in."""
        owners: dict[str, list[str]] = {}
        for a in model.assignments:
            if a.party in tips.parties:
                owners.setdefault(a.function, []).append(a.party)
        out: list[MapItem] = []
        for item in self.boxes.values():
            box = item.box
            who = owners.get(box.function, [])
            if not parties & set(who):
                continue
            if len(who) > 1:
                box.note = geo.co_sourced_note([tips.name(p) for p in who if p != box.party])
            out.append(item)
        out += [frame for frame in self.frames if frame.frame.party in parties]
        out += self._items_of_kind(ForumItem, lambda f: any(p in parties for p, _ in f.line.dots))
        return out

    def fit_rect(self) -> None:
        m = self.map
        bottom = m.height
        if self.legend is not None and self.legend.isVisible():
            bottom = self.legend.boundingRect().bottom()
        self.setSceneRect(QRectF(0, 0, m.width, bottom + MARGIN))

    def _add(self, item: MapItem) -> None:
        self.addItem(item)
        self.by_subject.setdefault(item.subject, []).append(item)

    def set_findings(self, findings) -> None:
        """Mark the items the findings name (worst severity, messages in the tooltip);
        None means the model was not checked, which the subtitle says nothing about."""
        self.checked = findings is not None
        self.findings = list(findings or [])
        if self.model is None:
            return
        marks = finding_marks(self.model, self.findings)
        for subject, items in self.by_subject.items():
            severity, messages = marks.get(subject, (None, []))
            for item in items:
                item.set_findings(severity, messages)
        self._put_flags()
        if self.title is not None:
            self.title.subtitle = self._subtitle()
            self.title.update()

    def set_highlight(self, subjects, notes: dict[str, str] | None = None) -> None:
        """Mark what a what-if or a comparison changes; kept over a rebuild, cleared by
        an empty set. Subjects are the keys `ecomraci.diff.ModelDiff.changed_keys` gives
        (see `resolve`); notes (by subject) go into the marked items' tooltips."""
        self.highlight = set(subjects or ())
        self.highlight_notes = {k: v for k, v in (notes or {}).items() if k in self.highlight}
        self._mark_changed()

    def resolve(self, subject: str) -> list[MapItem]:
        """The items showing a changed object: a function's boxes, a party's lane, a
        contract's frame, a dependency's arrow, a forum's line; for an assignment
        (``function@party``) or a RACI cell (``activity/party``) the function's box in
        that party's lane, or all its boxes when the party has none; for an activity its
        function's boxes. Objects the map does not show resolve to nothing."""
        if subject in self.by_subject:
            return list(self.by_subject[subject])
        model = self.model
        function_of = {a.id: a.function for a in model.activities} if model is not None else {}
        for sep in ("@", "/"):
            head, found, party = subject.rpartition(sep)
            if found and head:
                boxes = self._boxes(head if sep == "@" else function_of.get(head))
                return [b for b in boxes if b.box.party == party] or boxes
        return list(self._boxes(function_of.get(subject)))

    def _boxes(self, function: str | None) -> list[BoxItem]:
        return [i for i in self.by_subject.get(function or "", []) if isinstance(i, BoxItem)]

    def _mark_changed(self) -> None:
        notes = self.highlight_notes
        order = [s for s in notes] + sorted(self.highlight - notes.keys())
        marked: dict[int, tuple[MapItem, list[str]]] = {}
        for subject in order:
            for item in self.resolve(subject):
                _, lines = marked.setdefault(id(item), (item, []))
                if subject in notes and notes[subject] not in lines:
                    lines.append(notes[subject])
        for items in self.by_subject.values():
            for item in items:
                entry = marked.get(id(item))
                item.set_changed(entry[1] if entry is not None else None)
        self.changed_items = [item for item, _ in marked.values()]
        self._put_flags()
        if self.title is not None:
            self.title.subtitle = self._subtitle()
            self.title.update()

    def _put_flags(self) -> None:
        """A "changed" flag by each marked item (where it goes, and its tooltip, follow
        the findings)."""
        for flag in self.flags:
            self.removeItem(flag)
        self.flags = [FlagItem(item) for item in self.changed_items]
        for flag in self.flags:
            self.addItem(flag)

    def _subtitle(self) -> str:
        model = self.model
        internal = sum(1 for p in model.parties if p.kind == "internal")
        text = (
            f"Sourcing map · {len(model.functions)} functions · {len(model.parties)} parties "
            f"({internal} internal, {len(model.parties) - internal} outside) · "
            f"{len(model.contracts)} contracts · {len(model.dependencies)} dependencies"
        )
        if self.checked:
            n = _count(self.findings)
            text += (
                f" · findings: {n['error']} errors, {n['warning']} warnings, {n['info']} infos"
                if any(n.values())
                else " · no findings"
            )
            if self.findings_note:
                text += f" ({self.findings_note})"
        if self.changed_items:
            text += f" · {len(self.changed_items)} marked as changed"
        return text

    def items_of(self, subject: str) -> list[MapItem]:
        return list(self.by_subject.get(subject, []))
