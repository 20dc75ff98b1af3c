"""The map scene: builds graphics items from the core's `layout_map` and marks the items
that findings name, and those a what-if or a comparison changes. The window and the
exports both draw this scene."""

from __future__ import annotations

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
        parties = {p.id: p for p in model.parties}
        functions = {f.id: f for f in model.functions}
        contracts = {c.id: c for c in model.contracts}

        def name(pid: str) -> str:
            p = parties.get(pid)
            return p.name if p is not None else "nobody"

        for group in m.groups:
            self.addItem(GroupItem(group))
        for lane in m.lanes:
            count = sum(1 for b in m.boxes.values() if b.party == lane.party)
            tip = f"{lane.name}\n{lane.note}\n{count} function{'s' if count != 1 else ''} on this lane"
            item = LaneItem(lane, tip)
            self._add(item)
            self.lanes[lane.party] = item
        for frame in m.frames:
            covered = ", ".join(
                functions[f].name for f in contracts[frame.contract].covers if f in functions
            )
            tip = (
                f"Contract: {frame.name}\nwith {name(frame.party)}\ncovers: {covered or 'nothing'}"
            )
            item = FrameItem(frame, tip)
            self._add(item)
            self.addItem(item.outline)
            self.frames.append(item)
        for link in m.links:
            self.addItem(LinkItem(link))
        for edge in m.edges:
            tip = (
                f"{functions[edge.function].name} needs {functions[edge.needs].name}\n"
                f"{KIND_TEXT.get(edge.kind, edge.kind)}, {edge.strength}"
            )
            self._add(EdgeItem(edge, tip))
        for box in m.boxes.values():
            f = functions[box.function]
            if box.party == UNASSIGNED:
                tip = f"{f.name}\nnobody delivers it: drag it into a lane"
            else:
                tip = f"{f.name}\ndelivered by {name(box.party)} ({box.mode})"
                if box.contract in contracts:
                    tip += f"\nunder {contracts[box.contract].name}"
                if box.note:
                    tip += f"\n{box.note}"
            tip += f"\n{f.criticality}{', reversible' if f.reversible else ''}"
            if box.pinned:
                tip += "\nplaced by hand (Re-layout releases it)"
            item = BoxItem(box, tip)
            self._add(item)
            self.boxes[box.key] = item
        for forum in m.forums:
            members = ", ".join(name(p) for p, _ in forum.dots)
            tip = f"{forum.name}, every {forum.cadence_days} days\nmembers: {members}"
            self._add(ForumItem(forum, tip))
        self.title = TitleItem(m.title_rect, model.name, "")
        self.addItem(self.title)
        self.legend = LegendItem(m.legend_rect)
        self.addItem(self.legend)
        self.legend.setVisible(show_legend)
        self.set_findings(findings)
        self._mark_changed()
        self.fit_rect()

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
