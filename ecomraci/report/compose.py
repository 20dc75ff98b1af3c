"""What the board report says: `compose(model, as_of, ...)` reads the model, the rule
check, the contract calendar and, when asked, a saved what-if scenario, and returns the
report as a document (`ecomraci.report.document`), ready to be written as HTML or PDF.

The sections, in order: key figures; the sourcing map (a picture the caller draws,
since the map is drawn by the desktop layer); the contract calendar as a timeline; who is
accountable for each function and the key accountabilities; the organisation profile
with the maturity radar; every error and warning with why and how to fix it; and the
what-if scenario compared with today.
"""

from __future__ import annotations

import importlib
import struct
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from ecomraci.dates import add_months
from ecomraci.maturity import DIMENSION_NAMES, LEVEL_NAMES, describe, next_target
from ecomraci.model import Contract, MaturityDimension, Model
from ecomraci.report.document import (
    Figures,
    Finding,
    FindingList,
    Paragraph,
    Picture,
    Radar,
    Report,
    Section,
    Table,
    Timeline,
    TimelineEvent,
    TimelineRow,
)
from ecomraci.rules import RULES, check
from ecomraci.rules import Finding as RuleFinding
from ecomraci.rules.exit_terms import renewal_to_stop

AREAS = {
    "raci": "RACI matrix",
    "reversibility": "Reversibility",
    "exit_terms": "Exit terms",
    "switching": "Switching (Data Act)",
    "exit_plans": "Exit plans",
    "consistency": "Consistency",
    "coupling": "Dependencies",
    "governance": "Governance",
    "compliance": "Compliance",
}

KEY_ACCOUNTABILITIES = {
    "online-revenue": "Online revenue",
    "customer-experience": "Customer experience",
    "omnichannel-consistency": "Omnichannel consistency",
    "ecommerce-operations": "E-commerce operations",
}

MODES = ("in-house", "outsourced", "co-sourced", "not assigned")

# The headings of the sections, in order (the tests look for each in the PDF).
HEADINGS = {
    "figures": "Key figures",
    "map": "Sourcing map",
    "calendar": "Contract calendar",
    "accountability": "Who is accountable",
    "profile": "Organisation profile",
    "findings": "Errors and warnings",
    "scenario": "What-if",
}

TIMELINE_BEFORE, TIMELINE_AFTER = 3, 24  # months shown around the as-of date
TIMELINE_ROWS = 25  # contracts on one chart
KEY_CONTRACTS = 10  # contracts listed on the key figures' page


@dataclass
class _Event:
    """One dated event of the contract calendar."""

    day: date
    kind: str  # end, notice, renewal, other
    contract: str  # the contract's id (only to group; never shown)
    title: str
    action: str = ""
    subject: str = ""  # the contract's (or a waiver's) name
    consequence: str = ""


# The marks of the timeline: the calendar's kinds of event grouped by what they ask.
MARKS = {
    "notice": "notice",
    "renewal": "renewal",
    "end": "end",
    "convenience-exit": "exit",
    "statutory-switch": "exit",
}


def _value(x: object) -> str:
    return str(getattr(x, "value", x))


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise ValueError("the map picture is not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


# --- reading the model ------------------------------------------------------------------


def function_modes(model: Model) -> dict[str, str]:
    """Each function's sourcing: in-house, outsourced, co-sourced (a co-sourced
    assignment, or in-house and outside parties both delivering) or not assigned."""
    modes: dict[str, set[str]] = {f.id: set() for f in model.functions}
    for a in model.assignments:
        if a.function in modes:
            modes[a.function].add(_value(a.mode))
    out = {}
    for fid, seen in modes.items():
        if not seen:
            out[fid] = "not assigned"
        elif "co-sourced" in seen or len(seen) > 1:
            out[fid] = "co-sourced"
        else:
            out[fid] = next(iter(seen))
    return out


def _next_end(contract: Contract, as_of: date) -> tuple[date | None, date | None]:
    """The contract's next end of term on or after `as_of` and the last day to give
    notice for it (None when it does not renew on its own or has no end)."""
    if contract.end is None:
        return None, None
    if not contract.auto_renew:
        return (contract.end if contract.end >= as_of else None), None
    term_end, notice_day, _missed = renewal_to_stop(contract, as_of)
    return term_end, notice_day


def _calendar_events(model: Model, as_of: date) -> tuple[list[_Event], str]:
    """The dated events of every contract from `ecomraci.deadlines` when it is there,
    else the contracts' ends and notice days; with a note on where they come from."""
    try:
        module: Any = importlib.import_module("ecomraci.deadlines")
        found = module.deadlines(model, as_of)
    except (ImportError, AttributeError):
        found = None
    events: list[_Event] = []
    if found is not None:
        for d in found:
            contract = getattr(d, "contract", None) or ""
            events.append(
                _Event(
                    day=d.day,
                    kind=MARKS.get(str(d.kind), "other"),
                    contract=contract,
                    title=str(d.title),
                    action=str(d.action or ""),
                    subject=str(d.subject_name or ""),
                    consequence=str(d.consequence or ""),
                )
            )
        return events, (
            "Every dated event of the contract calendar: notice days, renewals, ends, the "
            "earliest exits, exit-plan re-tests, transition assistance, attestations and "
            "waivers."
        )
    for c in model.contracts:
        if c.end is None:
            continue
        term_end, notice_day = _next_end(c, as_of)
        if c.end >= as_of or not c.auto_renew:
            events.append(_Event(c.end, "end", c.id, f"End of the current term of {c.name}"))
        if c.auto_renew and term_end is not None:
            if term_end != c.end:
                events.append(
                    _Event(term_end, "renewal", c.id, f"End of the renewed term of {c.name}")
                )
            if notice_day is not None:
                events.append(
                    _Event(
                        notice_day,
                        "notice",
                        c.id,
                        f"Last day to give notice on {c.name}",
                        f"give notice by then, or it renews for {c.renewal_term_months} months",
                    )
                )
    return events, "The contracts' ends of term and the last days to give notice."


def _names(model: Model) -> dict[str, str]:
    names: dict[str, str] = {}
    for collection in ("parties", "functions", "activities", "contracts", "forums"):
        for x in getattr(model, collection):
            names[x.id] = x.name
    return names


def _subject_name(subject: str, names: dict[str, str]) -> str:
    if "->" in subject:
        a, _, b = subject.partition("->")
        return f"{names.get(a, a)} needs {names.get(b, b)}"
    return names.get(subject, subject)


# --- sections ---------------------------------------------------------------------------


@dataclass
class _Counts:
    severities: Counter[str]
    modes: Counter[str]
    providers: int
    contracts: int


def _counts(model: Model, findings: list[RuleFinding]) -> _Counts:
    severities: Counter[str] = Counter()
    for f in findings:
        severities["waived" if f.waived else f.severity] += 1
    modes = Counter(function_modes(model).values())
    providers = sum(1 for p in model.parties if _value(p.kind) == "external")
    return _Counts(severities, modes, providers, len(model.contracts))


def _figures_section(
    model: Model, findings: list[RuleFinding], as_of: date, counts: _Counts
) -> Section:
    s = Section(HEADINGS["figures"], subtitle=f"As of {as_of:%d %B %Y}")
    sev = counts.severities
    s.add(
        Figures(
            "Findings",
            [
                ("errors", sev["error"], "error"),
                ("warnings", sev["warning"], "warning"),
                ("for information", sev["info"], "info"),
                ("accepted (waived)", sev["waived"], ""),
            ],
        )
    )
    s.add(
        Figures(
            "Sourcing",
            [
                ("functions in-house", counts.modes["in-house"], ""),
                ("outsourced", counts.modes["outsourced"], ""),
                ("co-sourced", counts.modes["co-sourced"], ""),
                ("providers", counts.providers, ""),
            ],
        )
    )
    open_findings = [f for f in findings if not f.waived]
    if open_findings:
        by_area: dict[str, Counter[str]] = {}
        for f in open_findings:
            rule = RULES.get(f.rule)
            area = AREAS.get(rule.family, rule.family) if rule else "Other"
            by_area.setdefault(area, Counter())[f.severity] += 1
        order = list(dict.fromkeys(AREAS.values()))
        rows = sorted(by_area.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
        s.add(
            Table(
                ["Area", "Errors", "Warnings", "Information", "All"],
                [
                    [area, str(c["error"]), str(c["warning"]), str(c["info"]), str(c.total())]
                    for area, c in rows
                ],
                widths=[0.44, 0.14, 0.14, 0.14, 0.14],
                title="Findings by area",
                tones=[
                    "error" if c["error"] else "warning" if c["warning"] else "" for _, c in rows
                ],
            )
        )
    else:
        s.add(Paragraph("The rule check has no findings: no errors, no warnings.", "empty"))
    if counts.modes["not assigned"]:
        n = counts.modes["not assigned"]
        s.add(Paragraph(f"{n} function{'s' * (n != 1)} not yet assigned to any party.", "note"))

    horizon = add_months(as_of, 12)
    names = _names(model)
    renewing = []
    for c in sorted(model.contracts, key=lambda c: (c.end or date.max, c.name)):
        term_end, notice_day = _next_end(c, as_of)
        due = [d for d in (term_end, notice_day) if d is not None and d <= horizon]
        if due:
            what = "renews unless notice is given" if c.auto_renew else "ends"
            rows_notice = f"{notice_day:%d %b %Y}" if notice_day else "—"
            renewing.append(
                [c.name, names.get(c.party, c.party), f"{term_end:%d %b %Y}", what, rows_notice]
            )
    if not model.contracts:
        s.add(Paragraph("The model has no contracts.", "empty"))
    elif renewing:
        s.add(
            Table(
                ["Contract", "Provider", "End of term", "Then", "Notice by"],
                renewing[:KEY_CONTRACTS],
                widths=[0.3, 0.22, 0.15, 0.18, 0.15],
                title=f"Contracts ending, renewing or with notice due in the next 12 months "
                f"({len(renewing)} of {len(model.contracts)})",
            )
        )
        if len(renewing) > KEY_CONTRACTS:
            s.add(
                Paragraph(
                    f"And {len(renewing) - KEY_CONTRACTS} more: see the contract calendar.",
                    "note",
                )
            )
    else:
        s.add(
            Paragraph(
                f"None of the {len(model.contracts)} contracts ends, renews or needs notice "
                "in the next 12 months.",
                "empty",
            )
        )
    return s


def _map_section(model: Model, map_png: bytes | None, map_note: str) -> Section:
    s = Section(HEADINGS["map"])
    if map_png is not None:
        width, height = png_size(map_png)
        s.add(
            Picture(
                map_png,
                f"Who delivers which function, under which contract; findings marked {map_note}",
                width,
                height,
            )
        )
    else:
        s.add(Paragraph(map_note or "The sourcing map was not drawn.", "note"))
    return s


def _calendar_section(model: Model, as_of: date) -> Section:
    s = Section(HEADINGS["calendar"])
    if not model.contracts:
        s.add(Paragraph("The model has no contracts, so there are no contract dates.", "empty"))
        return s
    events, source = _calendar_events(model, as_of)
    first, last = add_months(as_of, -TIMELINE_BEFORE), add_months(as_of, TIMELINE_AFTER)
    rows = []
    for c in sorted(model.contracts, key=lambda c: c.name.casefold()):
        mine = [e for e in events if e.contract == c.id]
        rows.append(
            TimelineRow(
                name=c.name,
                start=c.start,
                end=c.end,
                events=[TimelineEvent(e.day, e.kind, e.title) for e in mine],
            )
        )
    s.add(
        Paragraph(
            f"{source} The bars are the contracts' terms; today's line is the as-of date "
            f"({as_of:%d %b %Y}); the chart runs {TIMELINE_BEFORE} months back and "
            f"{TIMELINE_AFTER} months ahead.",
            "note",
        )
    )
    for i in range(0, len(rows), TIMELINE_ROWS):  # a chart fits on a page
        s.add(Timeline(as_of, first, last, rows[i : i + TIMELINE_ROWS]))
    coming = sorted(events, key=lambda e: (e.day, e.title))
    if coming:
        s.add(
            Table(
                ["Date", "Event", "What to do", "If nothing is done"],
                [
                    [
                        f"{e.day:%d %b %Y}" + (" (overdue)" if e.day < as_of else ""),
                        e.title,
                        e.action or "—",
                        e.consequence or "—",
                    ]
                    for e in coming[:40]
                ],
                widths=[0.12, 0.28, 0.32, 0.28],
                title="Dates ahead",
                tones=[
                    "error" if e.day < as_of else "warning" if e.kind == "notice" else ""
                    for e in coming[:40]
                ],
            )
        )
        if len(coming) > 40:
            s.add(Paragraph(f"And {len(coming) - 40} later dates.", "note"))
    undated = [c.name for c in model.contracts if c.end is None]
    if undated:
        s.add(Paragraph("No end date: " + ", ".join(undated) + ".", "note"))
    return s


def _accountability_section(model: Model) -> Section:
    s = Section(HEADINGS["accountability"])
    names = _names(model)
    modes = function_modes(model)
    rows, tones = [], []
    for f in model.functions:
        holders: dict[str, None] = {}
        for a in model.activities_of(f.id):
            for pid, letters in model.raci.get(a.id, {}).items():
                if "A" in letters:
                    holders[names.get(pid, pid)] = None
        delivered = list(
            dict.fromkeys(
                names.get(a.party, a.party) for a in model.assignments if a.function == f.id
            )
        )
        rows.append(
            [
                f.name,
                modes[f.id],
                ", ".join(delivered) or "—",
                ", ".join(holders) or "nobody",
            ]
        )
        tones.append("error" if not holders else "warning" if len(holders) > 1 else "")
    if rows:
        s.add(
            Table(
                ["Function", "Sourcing", "Delivered by", "Accountable (A)"],
                rows,
                widths=[0.3, 0.14, 0.28, 0.28],
                title="Accountable for each function (the A of its activities in the RACI matrix)",
                tones=tones,
            )
        )
    else:
        s.add(Paragraph("The model has no functions yet.", "empty"))
    key_rows = []
    for key, label in KEY_ACCOUNTABILITIES.items():
        held = next((v for k, v in model.key_accountabilities.items() if _value(k) == key), [])
        key_rows.append([label, ", ".join(names.get(p, p) for p in held) or "nobody"])
    s.add(
        Table(
            ["Key accountability", "Held by"],
            key_rows,
            widths=[0.4, 0.6],
            title="Key accountabilities",
            tones=["error" if row[1] == "nobody" else "" for row in key_rows],
        )
    )
    return s


def _profile_section(model: Model) -> Section:
    s = Section(HEADINGS["profile"])
    o = model.organisation

    def shown(x: object) -> str:
        return _value(x).replace("-", " ").capitalize() if x is not None else "not set"

    share = f"{o.online_share_percent:g} %" if o.online_share_percent is not None else "not set"
    s.add(
        Table(
            ["", ""],
            [
                ["Strategy focus", shown(o.strategy_focus)],
                ["Structure stage", shown(o.structure_stage)],
                ["Placement of e-commerce", shown(o.placement)],
                ["Online share of revenue", share],
            ],
            widths=[0.4, 0.6],
        )
    )
    levels = {_value(k): v for k, v in o.maturity.items()}
    target = next_target(cast(Mapping[object, int], o.maturity))
    if not levels:
        s.add(Paragraph("The capability maturity has not been assessed.", "empty"))
        return s
    s.add(
        Radar(
            [(DIMENSION_NAMES[d.value], levels.get(d.value, 0)) for d in MaturityDimension], target
        )
    )
    rows, tones = [], []
    for d in MaturityDimension:
        level = levels.get(d.value)
        if level is None:
            rows.append([DIMENSION_NAMES[d.value], "—", "not assessed"])
            tones.append("warning")
            continue
        text = describe(d, level)
        rows.append([DIMENSION_NAMES[d.value], f"{level} {text.name}", text.description])
        tones.append("warning" if target is not None and level < target else "")
    s.add(
        Table(["Dimension", "Level", "What it means"], rows, widths=[0.25, 0.2, 0.55], tones=tones)
    )
    if target is not None:
        s.add(
            Paragraph(
                f"Next target: level {target}, {LEVEL_NAMES[target]}, on every dimension; "
                "the dimensions below it are marked.",
                "note",
            )
        )
    return s


def _findings_section(findings: list[RuleFinding]) -> Section:
    s = Section(HEADINGS["findings"])
    shown = [f for f in findings if not f.waived and f.severity in ("error", "warning")]
    shown.sort(key=lambda f: (0 if f.severity == "error" else 1, f.rule))
    if not shown:
        s.add(Paragraph("The rule check has no findings: no errors and no warnings.", "empty"))
    else:
        items = []
        for f in shown:
            rule = RULES.get(f.rule)
            items.append(
                Finding(
                    f.severity,
                    f"{f.rule} {rule.title}" if rule else f.rule,
                    f.message,
                    f.why,
                    f.fix,
                )
            )
        errors = sum(1 for f in shown if f.severity == "error")
        s.subtitle = f"{errors} error{'s' * (errors != 1)}, {len(shown) - errors} warning" + "s" * (
            len(shown) - errors != 1
        )
        s.add(FindingList(items))
    waived = sum(1 for f in findings if f.waived)
    infos = sum(1 for f in findings if not f.waived and f.severity == "info")
    if waived or infos:
        s.add(
            Paragraph(
                f"Not listed: {infos} for information only, {waived} accepted by a waiver.",
                "note",
            )
        )
    return s


def _scenario_section(model: Model, name: str, as_of: date, counts: _Counts) -> Section:
    from ecomraci.scenario import apply
    from ecomraci.scenario.text import leave_text
    from ecomraci.xlsx.scenario_sheet import OPERATION_WORDS, scenario_for_export

    chosen, result = scenario_for_export(model, name)
    after = apply(model, result)
    after_findings = check(after, as_of=as_of)
    then = _counts(after, after_findings)
    operation = _value(chosen.operation)
    s = Section(
        f"{HEADINGS['scenario']}: {chosen.name}",
        subtitle=f"{OPERATION_WORDS.get(operation, operation).capitalize()}: {result.question}",
    )
    rows, tones = [], []

    def compare(label: str, today: int, scenario: int, lower_is_better: bool = True) -> None:
        rows.append([label, str(today), str(scenario), _delta(scenario - today)])
        if today == scenario or not lower_is_better:
            tones.append("" if today == scenario else "changed")
        else:
            tones.append("better" if scenario < today else "worse")

    compare("Errors", counts.severities["error"], then.severities["error"])
    compare("Warnings", counts.severities["warning"], then.severities["warning"])
    compare("Findings for information", counts.severities["info"], then.severities["info"])
    for mode in ("in-house", "outsourced", "co-sourced"):
        compare(f"Functions {mode}", counts.modes[mode], then.modes[mode], False)
    compare("Contracts", counts.contracts, then.contracts, False)
    s.add(
        Table(
            ["", "Today", "With the scenario", "Change"],
            rows,
            widths=[0.4, 0.2, 0.2, 0.2],
            title=f"Today compared with the scenario (findings as of {as_of:%d %b %Y})",
            tones=tones,
        )
    )
    if result.exits:
        s.add(
            Table(
                ["Function", "Leaves", "On", "Why"],
                [
                    [e.function_name, e.contract_name or e.party_name, leave_text(e), e.reason]
                    for e in result.exits
                ],
                widths=[0.22, 0.22, 0.14, 0.42],
                title=f"Earliest exit, with notice given on {result.as_of:%d %b %Y}",
            )
        )
    if result.at_risk:
        s.add(
            Table(
                ["Service at risk", "Contract", "Why"],
                [
                    [r.function_name, r.contract_name or "—", "; ".join(r.reasons)]
                    for r in result.at_risk
                ],
                widths=[0.25, 0.25, 0.5],
                title="Services put at risk",
                tones=["worse"] * len(result.at_risk),
            )
        )
    else:
        s.add(Paragraph("No service is put at risk.", "note"))
    f = result.findings
    diff_rows, diff_tones = [], []
    for label, tone, items in (
        ("appears", "worse", f.appeared),
        ("disappears", "better", f.disappeared),
    ):
        for x in items:
            diff_rows.append([label, x.severity, x.message])
            diff_tones.append(tone)
    for c in f.changed:
        diff_rows.append(["changes", c.after.severity, c.after.message])
        diff_tones.append("changed")
    if diff_rows:
        s.add(
            Table(
                ["Finding", "Severity", "Message"],
                diff_rows,
                widths=[0.14, 0.12, 0.74],
                title="Findings that change",
                tones=diff_tones,
            )
        )
    else:
        s.add(Paragraph("The findings stay as they are.", "note"))
    if result.contracts:
        s.add(
            Table(
                ["Contract", "Provider", "Status", "To negotiate or settle"],
                [
                    [c.name if i == 0 else "", c.party_name if i == 0 else "", c.status, ask]
                    for c in result.contracts
                    for i, ask in enumerate([cl.ask for cl in c.clauses] or ["—"])
                ],
                widths=[0.24, 0.18, 0.12, 0.46],
                title="Contracts to amend",
            )
        )
    for note in result.notes:
        s.add(Paragraph(note, "note"))
    return s


def _delta(n: int) -> str:
    return "no change" if n == 0 else f"{n:+d}"


# --- the report -------------------------------------------------------------------------


def compose(
    model: Model,
    as_of: date,
    *,
    map_png: bytes | None = None,
    map_note: str = "",
    scenario: str | None = None,
    made: date | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Report:
    """The board report of `model` as of `as_of`. `map_png` is the sourcing map drawn by
    the caller (None: the section says `map_note` instead); `scenario` names a saved
    scenario to compare with today (an unknown name raises ScenarioError, a ValueError,
    saying which scenarios the model has). `progress(percent, step)` is called between
    sections."""

    def step(percent: int, text: str) -> None:
        if progress is not None:
            progress(percent, text)

    step(5, "Checking the rules")
    findings = check(model, as_of=as_of)
    counts = _counts(model, findings)
    made = made or date.today()
    cover = [
        ("Date of the report", f"{made:%d %B %Y}"),
        ("Findings as of", f"{as_of:%d %B %Y}"),
        (
            "The model",
            f"{len(model.functions)} functions, {len(model.parties)} parties, "
            f"{len(model.contracts)} contracts",
        ),
    ]
    if scenario:
        cover.append(("What-if scenario", scenario))
    report = Report(model.name, "Sourcing and accountability: board report", as_of, made, cover)
    step(15, "Key figures")
    report.sections.append(_figures_section(model, findings, as_of, counts))
    report.sections.append(_map_section(model, map_png, map_note))
    step(30, "Contract calendar")
    report.sections.append(_calendar_section(model, as_of))
    step(45, "Accountability")
    report.sections.append(_accountability_section(model))
    report.sections.append(_profile_section(model))
    step(55, "Findings")
    report.sections.append(_findings_section(findings))
    if scenario:
        step(65, "What-if scenario")
        report.sections.append(_scenario_section(model, scenario, as_of, counts))
    return report
