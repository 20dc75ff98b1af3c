"""The report as a document model, independent of how it is written out: a cover and
sections, each a list of blocks (paragraphs, key figures, tables, findings, charts and
pictures). `ecomraci.report.html` and `ecomraci.report.pdf` write the same document.

Every text here is what the reader sees: names, never ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Paragraph:
    text: str
    tone: str = "body"  # body, note (muted), empty (a "nothing to show" line)


@dataclass
class Figures:
    """Key figures: big numbers with a label, in one row; `tone` per figure is a
    severity (error, warning, info) or "" for a neutral figure."""

    title: str
    items: list[tuple[str, int, str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # shares of the text width, summing to 1
    title: str = ""
    tones: list[str] = field(default_factory=list)  # per row: a severity, an outcome or ""


@dataclass
class Finding:
    severity: str
    rule: str  # the rule's id and title
    message: str
    why: str
    fix: str


@dataclass
class FindingList:
    items: list[Finding]

    def groups(self) -> list[tuple[Finding, list[Finding]]]:
        """The findings in runs of the same severity, rule and why (the why of a rule is
        the same for all its findings, so it is written once per run)."""
        out: list[tuple[Finding, list[Finding]]] = []
        for f in self.items:
            first = out[-1][0] if out else None
            if first and (first.severity, first.rule, first.why) == (f.severity, f.rule, f.why):
                out[-1][1].append(f)
            else:
                out.append((f, [f]))
        return out


@dataclass
class Radar:
    """The maturity radar: level 1 to 5 per dimension (0: not assessed)."""

    levels: list[tuple[str, int]]
    target: int | None = None


@dataclass
class TimelineEvent:
    day: date
    kind: str  # end, notice, renewal, other
    label: str


@dataclass
class TimelineRow:
    name: str
    start: date | None
    end: date | None
    events: list[TimelineEvent]


@dataclass
class Timeline:
    as_of: date
    first: date
    last: date
    rows: list[TimelineRow]


@dataclass
class Picture:
    png: bytes
    caption: str
    width: int  # pixels
    height: int


Block = Paragraph | Figures | Table | FindingList | Radar | Timeline | Picture


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = True
    subtitle: str = ""  # a sub-heading line under the title

    def add(self, block: Block) -> None:
        self.blocks.append(block)


@dataclass
class Report:
    organisation: str  # the model's name
    title: str
    as_of: date
    made: date
    cover: list[tuple[str, str]]  # label, value lines on the cover
    sections: list[Section] = field(default_factory=list)
