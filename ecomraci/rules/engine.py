"""The check framework: rule registry, findings, the shared look-ups rules use, waivers.

A rule is a small pure function of a `CheckContext` that yields `Hit`s; the engine turns
each hit into a `Finding` with the rule's id, severity (a hit may raise or lower it, as
SRC-01 does for critical functions) and rationale, then applies the model's waivers.
Rules register themselves with `@rule(...)` when their family module is imported;
`ecomraci.rules` imports every family.

Speed: the full check of a big model (2000 activities, 200 parties, 5000 dependencies)
must cost no more than loading it, and the app re-checks after every edit. What keeps it
there, beyond each rule's own method:

* Shared indexes on `CheckContext`, built once per check: the A/R holders of every
  activity in one pass over the grid (the bulk of a model), the owners counted from the
  A cells of that pass, deliverers, outside deliverers, activities by kind, the
  dependencies that name an interface activity, one id -> object index for names.
* A rule decides at once what it found (subjects, severity) and may leave the wording
  (`Hit.deferred`) and the edits (a function, such as `field_edits`) to whoever reads
  them: on a big model there are thousands of findings, most never read one by one, and
  writing a message or building a pydantic edit costs more than finding the problem.
  Such a function must not fail when it is read after the model was edited: it works
  from the context's indexes and from ids, dates and small snapshots the rule took.
* `Hit` and `Finding` use slots and are built with positional arguments; findings are
  sorted per (severity, rule) group with a C key function; waivers are looked up by rule.
* The cyclic garbage collector is paused while the rules run (`run_rules`).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property, partial
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any

from ecomraci.edits import FieldTarget, SetField
from ecomraci.model import Activity, Contract, Function, Model, Party, Waiver


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.value]


# The one ordering of severities (higher is worse), for the engine, the CLI and the views.
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


def severity_rank(value: str) -> int:
    return Severity(value).rank


@dataclass(slots=True)
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
    def deferred(
        cls,
        subjects: list[str],
        text: Callable[[], tuple[str, str]],
        edits: list[Any] | Callable[[], list[Any]] | None = None,
        severity: str | None = None,
    ) -> Hit:
        """A hit whose message and fix are written when first read: rules that can hit
        thousands of times on a big model decide what they found (rule, subjects,
        severity) at once and leave the wording to whoever shows it."""
        return cls("", subjects, "", edits if edits is not None else [], severity, None, text)

    text: Callable[[], tuple[str, str]] | None = field(default=None, repr=False)


@dataclass(slots=True)
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
    check: Callable[[CheckContext], Iterable[Hit]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str, rationale: str):
    """Register a rule function under a stable id."""

    def register(fn: Callable[[CheckContext], Iterable[Hit]]):
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        Severity(severity)
        RULES[rule_id] = Rule(
            rule_id, severity, title, rationale, fn.__module__.rsplit(".", 1)[-1], fn
        )
        return fn

    return register


def field_edits(
    target: FieldTarget, object_id: str, values: dict[str, Any]
) -> Callable[[], list[Any]]:
    """A fix that sets fields of one object (field -> value, in order), as a function that
    builds the `SetField` edits when the finding's edits are read: a pydantic edit costs
    more to build than the rest of a finding, and most fixes are never applied. The
    values must not be changed afterwards."""
    return partial(_field_edits, target, object_id, values)


def _field_edits(target: FieldTarget, object_id: str, values: dict[str, Any]) -> list[Any]:
    return [SetField(target=target, id=object_id, field=k, value=v) for k, v in values.items()]


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
    def _holders(self) -> tuple[dict[str, list[str]], dict[str, list[str]], list[tuple[str, str]]]:
        # One pass over the grid for both letters: it is the bulk of a big model. The
        # parties whose cell holds an A or R are picked with compress/map, which run in C;
        # Python only looks at those few cells. The (function, party) pairs of the A cells
        # are kept for `_owners`.
        raci = self.model.raci
        holds = _HOLDS_A_OR_R.__getitem__
        acc: dict[str, list[str]] = {}
        res: dict[str, list[str]] = {}
        pairs: list[tuple[str, str]] = []
        for a in self.model.activities:
            aid = a.id
            row = raci.get(aid)
            acc[aid] = a_list = []
            res[aid] = r_list = []
            if row:
                for p, letters in compress(row.items(), map(holds, row.values())):
                    if "A" in letters:
                        a_list.append(p)
                        pairs.append((a.function, p))
                    if "R" in letters:
                        r_list.append(p)
        return acc, res, pairs

    @cached_property
    def deliverers(self) -> dict[str, list[str]]:
        """Function id -> the parties it is assigned to (in file order)."""
        from ecomraci.graph import deliverers

        return deliverers(self.model)

    @cached_property
    def external_deliverers(self) -> dict[str, list[str]]:
        """Function id -> its outside deliverers, each once, in file order."""
        is_external = self.external.__contains__
        return {
            f: list(dict.fromkeys(filter(is_external, parties)))
            for f, parties in self.deliverers.items()
        }

    @cached_property
    def activities_by_kind(self) -> dict[str, list[Activity]]:
        """Activity kind -> the activities of that kind, in file order."""
        return _grouped(self.model.activities, attrgetter("kind"))

    @cached_property
    def interface_dependencies(self) -> list[Any]:
        """The dependencies that name an interface activity, in file order."""
        return [d for d in self.model.dependencies if d.interface_activity is not None]

    @cached_property
    def contracts_by_party(self) -> dict[str, list[Contract]]:
        return _grouped(self.model.contracts, attrgetter("party"))

    @cached_property
    def contract_functions(self) -> dict[str, list[str]]:
        """Contract id -> the functions it delivers: those it covers, then those an
        assignment names it for, each once, in file order. Rules that ask what a contract
        is about (how critical, what data, which exclusivity counts) read this."""
        out: dict[str, list[str]] = {
            c.id: list(dict.fromkeys(c.covers)) for c in self.model.contracts
        }
        for s in self.model.assignments:
            functions = out.get(s.contract) if s.contract is not None else None
            if functions is not None and s.function not in functions:
                functions.append(s.function)
        return out

    @cached_property
    def graph(self):
        from ecomraci.graph import dependency_graph

        return dependency_graph(self.model)

    @cached_property
    def coupled(self) -> dict[str, list[str]]:
        """Function id -> the functions next to it in the dependency graph (`graph`),
        either way, by a dependency that is not weak: a neighbour both ways is listed
        twice. Built in one pass over the graph's edges (its adjacency dicts), so that a
        rule asking this of every function does not read every edge twice."""
        out: dict[str, list[str]] = {}
        for f, adjacent in self.graph._succ.items():
            for g, data in adjacent.items():
                if data["dep"].strength != "weak":
                    out.setdefault(f, []).append(g)
                    out.setdefault(g, []).append(f)
        return out

    # --- names ----------------------------------------------------------------------

    @cached_property
    def _named(self) -> dict[str, Any]:
        # id -> the object `name` reads; on an id shared by two kinds of object, a party
        # comes first, then a function, an activity, a contract.
        return {**self.contracts, **self.activities, **self.functions, **self.parties}

    def name(self, object_id: str) -> str:
        named = self._named.get(object_id)
        return object_id if named is None else named.name

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
        # Built from the A cells (about one per activity), counted per (function, party)
        # in C by Counter, not from the whole grid.
        internal = self.internal
        pairs = self._holders[2]
        counted = Counter(compress(pairs, map(internal.__contains__, map(_PARTY, pairs))))
        scores: dict[str, dict[str, int]] = {}
        for (f, p), n in counted.items():
            counts = scores.get(f)
            if counts is None:
                scores[f] = {p: n}
            else:
                counts[p] = n
        deliverers = self.deliverers
        owners: dict[str, str | None] = {}
        for f, counts in scores.items():
            if len(counts) == 1:
                owners[f] = next(iter(counts))
                continue
            doers = deliverers.get(f, ())
            # most A's; on a tie a deliverer of the function; then the smallest id
            owners[f] = max(sorted(counts), key=lambda p: (counts[p], p in doers))
        for s in self.model.assignments:
            if s.function not in owners and s.party in internal:
                owners[s.function] = s.party
        return owners


_PARTY = itemgetter(1)


def _grouped(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, list[Any]]:
    """key -> the items with that key, in their order."""
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def apply_waivers(findings: list[Finding], waivers: list[Waiver], as_of: date) -> None:
    """Mark findings waived when a waiver names the rule and (a subset of) its subjects;
    an expired waiver leaves the finding raised and is reported with it."""
    if not waivers:
        return
    by_rule: dict[str, list[tuple[Waiver, set[str]]]] = {}
    for w in waivers:
        by_rule.setdefault(w.rule, []).append((w, set(w.subjects)))
    for f in findings:
        candidates = by_rule.get(f.rule)
        if candidates is None:  # most findings: no waiver names their rule
            continue
        subjects = set(f.subjects)
        for w, named in candidates:
            if not named <= subjects:
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
    # Findings are kept per (severity, rule) and each group is sorted by its subjects; the
    # groups are then joined in severity and rule order. That is the order of one stable
    # sort on (severity, rule, subjects), with a C key function per group.
    groups: dict[tuple[int, str], list[Finding]] = {}
    for r in selected:
        rid, default, rationale = r.id, r.severity, r.rationale
        own = groups.setdefault((-SEVERITY_RANK[default], rid), [])
        for hit in r.check(ctx):
            edits = hit.edits
            finding = Finding(
                rid,
                hit.severity or default,
                hit.message,
                list(hit.subjects),
                hit.why or rationale,
                hit.fix,
                edits if callable(edits) else list(edits),
                False,
                None,
                None,
                hit.text,
            )
            if finding.severity == default:
                own.append(finding)
            else:
                groups.setdefault((-SEVERITY_RANK[finding.severity], rid), []).append(finding)
    findings: list[Finding] = []
    by_subjects = attrgetter("subjects")
    for key in sorted(groups):
        group = groups[key]
        group.sort(key=by_subjects)
        findings += group
    apply_waivers(findings, model.waivers, ctx.as_of)
    return findings


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for f in findings:
        if f.waived:
            counts["waived"] += 1
        else:
            counts[f.severity] += 1
    return counts
