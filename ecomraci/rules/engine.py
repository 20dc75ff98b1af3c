"""The check framework: rule registry, findings, the shared look-ups rules use, waivers.

A rule is a small pure function of a `CheckContext` that yields `Hit`s; the engine turns
each hit into a `Finding` with the rule's id, severity (a hit may raise or lower it, as
SRC-01 does for critical functions) and rationale, then applies the model's waivers.
Rules register themselves with `@rule(...)` when their family module is imported;
`ecomraci.rules` imports every family.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property
from itertools import compress
from typing import Any, Callable, Iterable

from ecomraci.model import Activity, Contract, Function, Model, Party, Waiver


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


_RANK = {"error": 3, "warning": 2, "info": 1}


def severity_rank(value: str) -> int:
    return Severity(value).rank


@dataclass
class Hit:
    """What a rule reports; the engine completes it into a `Finding`."""

    message: str
    subjects: list[str]
    fix: str
    # The machine-applicable fix: a list of edits, or a function returning it, for rules
    # with many hits on a big model (the edits are then built only when someone asks).
    edits: list[Any] | Callable[[], list[Any]] = field(default_factory=list)
    severity: str | None = None
    why: str | None = None

    @classmethod
    def deferred(cls, subjects: list[str], text: Callable[[], tuple[str, str]],
                 edits: list[Any] | Callable[[], list[Any]] | None = None,
                 severity: str | None = None) -> "Hit":
        """A hit whose message and fix are written when first read: rules that can hit
        thousands of times on a big model decide what they found (rule, subjects,
        severity) at once and leave the wording to whoever shows it."""
        hit = cls("", subjects, "", edits if edits is not None else [], severity)
        hit.text = text
        return hit

    text: Callable[[], tuple[str, str]] | None = field(default=None, repr=False)


@dataclass
class Finding:
    rule: str
    severity: str
    _message: str
    subjects: list[str]
    why: str
    _fix: str
    edits_source: list[Any] | Callable[[], list[Any]] = field(default_factory=list, repr=False)
    waived: bool = False
    waiver: Waiver | None = None
    waiver_expired: Waiver | None = None
    text_source: Callable[[], tuple[str, str]] | None = field(default=None, repr=False)

    def _write(self) -> None:
        if self.text_source is not None:
            self._message, self._fix = self.text_source()
            self.text_source = None

    @property
    def message(self) -> str:
        """One line naming the subjects by name."""
        self._write()
        return self._message

    @property
    def fix(self) -> str:
        """What to do about it, in words."""
        self._write()
        return self._fix

    @property
    def edits(self) -> list[Any]:
        """The fix as model edits (empty when the fix needs a person's decision)."""
        if callable(self.edits_source):
            self.edits_source = list(self.edits_source())
        return self.edits_source

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "subjects": list(self.subjects),
            "why": self.why,
            "fix": self.fix,
            "waived": self.waived,
        }
        if self.edits:
            data["edits"] = [e.model_dump(mode="json") for e in self.edits]
        if self.waiver is not None:
            data["waiver"] = self.waiver.model_dump(mode="json", exclude_none=True)
        if self.waiver_expired is not None:
            data["waiver_expired"] = self.waiver_expired.model_dump(mode="json", exclude_none=True)
        return data

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.rule, tuple(self.subjects))


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    rationale: str
    family: str
    check: Callable[["CheckContext"], Iterable[Hit]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str, rationale: str):
    """Register a rule function under a stable id."""

    def register(fn: Callable[["CheckContext"], Iterable[Hit]]):
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        Severity(severity)
        RULES[rule_id] = Rule(
            rule_id, severity, title, rationale, fn.__module__.rsplit(".", 1)[-1], fn
        )
        return fn

    return register


class _HoldsAOrR(dict):
    """letters -> whether they hold an A or an R, filled as letters are met."""

    def __missing__(self, letters: str) -> bool:
        value = self[letters] = "A" in letters or "R" in letters
        return value


_HOLDS_A_OR_R = _HoldsAOrR()


class CheckContext:
    """A model plus the indexes rules share, built once per check."""

    def __init__(self, model: Model, as_of: date | None = None):
        self.model = model
        self.as_of = as_of or date.today()
        self.settings = model.settings

    # --- indexes ------------------------------------------------------------------

    @cached_property
    def parties(self) -> dict[str, Party]:
        return {p.id: p for p in self.model.parties}

    @cached_property
    def functions(self) -> dict[str, Function]:
        return {f.id: f for f in self.model.functions}

    @cached_property
    def activities(self) -> dict[str, Activity]:
        return {a.id: a for a in self.model.activities}

    @cached_property
    def contracts(self) -> dict[str, Contract]:
        return {c.id: c for c in self.model.contracts}

    @cached_property
    def internal(self) -> set[str]:
        return {p.id for p in self.model.parties if p.kind == "internal"}

    @cached_property
    def external(self) -> set[str]:
        return {p.id for p in self.model.parties if p.kind == "external"}

    @cached_property
    def activities_by_function(self) -> dict[str, list[Activity]]:
        out: dict[str, list[Activity]] = {f: [] for f in self.functions}
        for a in self.model.activities:
            out.setdefault(a.function, []).append(a)
        return out

    @cached_property
    def accountable(self) -> dict[str, list[str]]:
        """Activity id -> parties holding A."""
        return self._holders[0]

    @cached_property
    def responsible(self) -> dict[str, list[str]]:
        """Activity id -> parties holding R."""
        return self._holders[1]

    @cached_property
    def _holders(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        # One pass over the grid for both letters: it is the bulk of a big model. The
        # parties whose cell holds an A or R are picked with compress/map, which run in C;
        # Python only looks at those few cells.
        raci = self.model.raci
        holds = _HOLDS_A_OR_R.__getitem__
        acc: dict[str, list[str]] = {}
        res: dict[str, list[str]] = {}
        for a in self.model.activities:
            row = raci.get(a.id)
            acc[a.id] = a_list = []
            res[a.id] = r_list = []
            if row:
                for p in compress(row, map(holds, row.values())):
                    letters = row[p]
                    if "A" in letters:
                        a_list.append(p)
                    if "R" in letters:
                        r_list.append(p)
        return acc, res

    @cached_property
    def deliverers(self) -> dict[str, list[str]]:
        """Function id -> the parties it is assigned to (in file order)."""
        out: dict[str, list[str]] = {f: [] for f in self.functions}
        for s in self.model.assignments:
            out.setdefault(s.function, []).append(s.party)
        return out

    @cached_property
    def contracts_by_party(self) -> dict[str, list[Contract]]:
        out: dict[str, list[Contract]] = {}
        for c in self.model.contracts:
            out.setdefault(c.party, []).append(c)
        return out

    @cached_property
    def graph(self):
        from ecomraci.graph import dependency_graph

        return dependency_graph(self.model)

    # --- names ----------------------------------------------------------------------

    def name(self, object_id: str) -> str:
        for index in (self.parties, self.functions, self.activities, self.contracts):
            if object_id in index:
                return index[object_id].name
        return object_id

    def quoted(self, object_id: str) -> str:
        return f"“{self.name(object_id)}”"

    def names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.quoted(i) for i in ids)

    def activity_label(self, activity_id: str) -> str:
        a = self.activities[activity_id]
        return f"{self.quoted(a.id)} ({self.name(a.function)})"

    # --- proposals for fixes -----------------------------------------------------------

    def internal_owner(self, function_id: str) -> str | None:
        """The internal party best placed to be accountable for a function: the one
        most often A in its activities (on a tie, one that delivers it), else its
        in-house deliverer, else the internal
        party most often R or C in it (ties go to the smallest id)."""
        owners = self._owners
        if function_id in owners:
            return owners[function_id]
        counts: dict[str, int] = {}
        for a in self.activities_by_function.get(function_id, []):
            for p, letters in self.model.raci.get(a.id, {}).items():
                if p in self.internal and ("R" in letters or "C" in letters):
                    counts[p] = counts.get(p, 0) + 1
        owner = max(sorted(counts), key=lambda p: counts[p]) if counts else None
        owners[function_id] = owner
        return owner

    @cached_property
    def _owners(self) -> dict[str, str | None]:
        # Built from the A lists (about one per activity), not from the whole grid.
        internal = self.internal
        accountable = self.accountable
        scores: dict[str, dict[str, int]] = {}
        for a in self.model.activities:
            for p in accountable[a.id]:
                if p in internal:
                    counts = scores.setdefault(a.function, {})
                    counts[p] = counts.get(p, 0) + 1
        deliverers = self.deliverers
        owners: dict[str, str | None] = {}
        for f, counts in scores.items():
            doers = deliverers.get(f, ())
            # most A's; on a tie a deliverer of the function; then the smallest id
            owners[f] = max(sorted(counts), key=lambda p: (counts[p], p in doers))
        for s in self.model.assignments:
            if s.function not in owners and s.party in internal:
                owners[s.function] = s.party
        return owners


def apply_waivers(findings: list[Finding], waivers: list[Waiver], as_of: date) -> None:
    """Mark findings waived when a waiver names the rule and (a subset of) its subjects;
    an expired waiver leaves the finding raised and is reported with it."""
    if not waivers:
        return
    for f in findings:
        subjects = set(f.subjects)
        for w in waivers:
            if w.rule != f.rule or not set(w.subjects) <= subjects:
                continue
            if w.until is not None and w.until < as_of:
                f.waiver_expired = w
                continue
            f.waived, f.waiver, f.waiver_expired = True, w, None
            break


def run_rules(
    model: Model,
    as_of: date | None = None,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    # The check allocates many small objects and creates no garbage cycles worth
    # collecting; on a big model the collector's passes over every object of the model
    # cost more than the rules themselves, so it is paused while the rules run.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run(model, as_of, only)
    finally:
        if paused:
            gc.enable()


def _run(model: Model, as_of: date | None, only: Iterable[str] | None) -> list[Finding]:
    ctx = CheckContext(model, as_of)
    selected = [RULES[r] for r in only] if only is not None else list(RULES.values())
    findings: list[Finding] = []
    for r in selected:
        for hit in r.check(ctx):
            findings.append(
                Finding(
                    rule=r.id,
                    severity=hit.severity or r.severity,
                    _message=hit.message,
                    subjects=list(hit.subjects),
                    why=hit.why or r.rationale,
                    _fix=hit.fix,
                    edits_source=hit.edits if callable(hit.edits) else list(hit.edits),
                    text_source=hit.text,
                )
            )
    apply_waivers(findings, model.waivers, ctx.as_of)
    rank = _RANK
    findings.sort(key=lambda f: (-rank[f.severity], f.rule, f.subjects))
    return findings


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for f in findings:
        if f.waived:
            counts["waived"] += 1
        else:
            counts[f.severity] += 1
    return counts
