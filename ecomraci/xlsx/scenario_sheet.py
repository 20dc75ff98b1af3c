"""The Scenario sheet of the Excel workbook: one saved what-if, worked out again.

`export_workbook(..., scenario=NAME)` adds it after the other sheets. The scenario is
re-run from its operation and parameters (`ecomraci.scenario.run`) on the model as it is,
on the scenario's own as-of date (the day notice would be given), as the app shows a
saved scenario. The sheet holds a title block (name, operation, as-of date, frozen), then
one table per part of the answer: earliest exit, services at risk, dependencies crossing
a new party boundary, RACI changes, findings that appear, disappear or change, contracts
to amend, and notes. Dates are date cells; text goes through the export's formula-safe
writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ecomraci import palette as P
from ecomraci.model import Model, Scenario, display_letters
from ecomraci.scenario import ScenarioError, ScenarioResult, run
from ecomraci.scenario.text import go_live_text, leave_text
from ecomraci.xlsx.export import (
    CELL,
    DATE_CELL,
    HEADER,
    NOTE,
    SEVERITY,
    TITLE,
    WRAP,
    _declare_size,
    _Export,
    _fill,
    _font,
    _Look,
    _width,
    longest_word,
    row_height,
)

SCENARIO_SHEET = "Scenario"

OPERATION_WORDS = {"insource": "insource", "resource": "re-source", "terminate": "terminate"}

# The most each column is widened for the tables' cells (A and B names, C the long text,
# D and E short values, F a second long text); longer text wraps.
COLUMN_WIDTHS = (36, 32, 60, 14, 14, 50)
LEAST_WIDTH = 9

SECTION = _Look(font=_font(bold=True, size=12, color=P.xlsx(P.SIDES["internal"].text)))
LABEL = _Look(font=_font(bold=True))
# A look's style is cached whole, number format included: dates get looks of their own.
VALUE = _Look(alignment=Alignment(horizontal="left"))
DATE_VALUE = _Look(alignment=Alignment(horizontal="left"))
TOP = CELL
DATE_TOP = DATE_CELL
SEVERITY_TOP = SEVERITY
# A finding that appears is worse, one that disappears better: the what-if's colours.
CHANGE_TOP = {
    change: _Look(
        font=_font(bold=True, color=P.xlsx(P.OUTCOMES[outcome].text)),
        fill=_fill(P.xlsx(P.OUTCOMES[outcome].fill)),
        alignment=CELL.alignment,
        border=CELL.border,
    )
    for change, outcome in (("appears", "worse"), ("disappears", "better"), ("changes", "changed"))
}


def scenario_for_export(model: Model, name: str) -> tuple[Scenario, ScenarioResult]:
    """The saved scenario `name` and its answer on `model` as it is now.

    Raises ScenarioError (a ValueError) naming the scenario when the model has none by that
    name (with the names it has) or when the scenario no longer fits the model."""
    saved = [s.name for s in model.scenarios]
    if name not in saved:
        if saved:
            hint = "the saved scenarios are: " + ", ".join(repr(s) for s in saved)
        else:
            hint = (
                "the model has no saved scenarios (save one first: "
                "ecomraci simulate ... --save-as NAME)"
            )
        raise ScenarioError(f"there is no saved scenario {name!r} in the model; {hint}")
    chosen = next(s for s in model.scenarios if s.name == name)
    operation = getattr(chosen.operation, "value", chosen.operation)
    try:
        result = run(model, operation, chosen.parameters, as_of=chosen.as_of)
    except ScenarioError as exc:
        raise ScenarioError(
            f"the scenario {name!r} can no longer be worked out on the model: {exc}"
        ) from None
    return chosen, result


@dataclass
class _Rows:
    """The sheet's rows before they are written: (kind, values), kind being one of
    title, label, note, blank, section, header, data."""

    rows: list[tuple[str, list[Any]]] = field(default_factory=list)

    def add(self, kind: str, *values: Any) -> None:
        self.rows.append((kind, list(values)))

    def table(
        self, title: str, headers: list[str], data: list[list[Any]], none: str = "none"
    ) -> None:
        self.add("blank")
        self.add("section", f"{title} ({len(data)})")
        if not data:
            self.add("note", none)
            return
        self.add("header", *headers)
        for values in data:
            self.add("data", *values)


def _text(value: str | None) -> str | None:
    return value or None


def _letters(letters: str) -> str | None:
    return display_letters(letters) if letters else None


def scenario_rows(
    chosen: Scenario, result: ScenarioResult, export_as_of: date, name: Callable[[str], str] = str
) -> _Rows:
    """The sheet's rows; `name` gives an object id's name. Every table keeps to the same
    column plan (`COLUMN_WIDTHS`): names in A and B, the long text in C, short values
    (dates, severity, rule, letters) in D and E, a second long text in F."""
    out = _Rows()
    operation = getattr(chosen.operation, "value", chosen.operation)
    out.add("title", f"Scenario: {chosen.name}")
    out.add("label", "Operation", OPERATION_WORDS.get(operation, operation))
    out.add("label", "As of", result.as_of)
    out.add("note", result.question)
    bits = [f"Worked out on the model as exported, with notice given on {result.as_of}"]
    if chosen.created is not None:
        bits.append(f"saved {chosen.created:%Y-%m-%d %H:%M}")
    bits.append(f"the other sheets are as of {export_as_of}")
    out.add("note", "; ".join(bits) + ".")
    if chosen.note:
        out.add("note", chosen.note)

    exits = []
    for e in result.exits:
        if e.ready is not None:
            go_live: Any = e.go_live or go_live_text(e)
        else:
            go_live = None
        contract = e.contract_name or f"no contract ({e.party_name})"
        exits.append(
            [
                e.function_name,
                contract,
                e.reason,
                e.leave or leave_text(e),
                go_live,
                _text(e.go_live_reason),
            ]
        )
    out.table(
        "Earliest exit",
        ["Function", "Contract", "Reason", "Leave on", "Go-live", "Go-live or successor"],
        exits,
    )

    out.table(
        "Services put at risk",
        ["Function", "Contract", "Why"],
        [[r.function_name, r.contract_name, "; ".join(r.reasons)] for r in result.at_risk],
    )

    out.table(
        "Dependencies crossing a new party boundary",
        ["Function", "Needs", "Parties and interface"],
        [
            [b.function_name, b.needs_name, f"{', '.join(b.new_pairs)}: {b.action}"]
            for b in result.boundaries
        ],
    )

    out.table(
        "RACI changes",
        ["Activity", "Party", "Function", "Before", "After"],
        [
            [r.activity_name, r.party_name, name(r.function), _letters(r.before), _letters(r.after)]
            for r in result.raci
        ],
    )

    f = result.findings

    def finding(change: str, x: Any, before: str | None = None) -> list[Any]:
        return [
            change,
            ", ".join(name(s) for s in x.subjects) or None,
            x.message,
            x.severity,
            x.rule,
            before,
        ]

    findings = (
        [finding("appears", x) for x in f.appeared]
        + [finding("disappears", x) for x in f.disappeared]
        + [finding("changes", c.after, c.before.message) for c in f.changed]
    )
    out.table(
        f"Findings as of {f.as_of}: {len(f.appeared)} appear, {len(f.disappeared)} "
        f"disappear, {len(f.changed)} change",
        ["Change", "About", "Message", "Severity", "Rule", "Before"],
        findings,
        none="the findings stay as they are",
    )

    contracts: list[list[str | None]] = []
    for c in result.contracts:
        first = len(contracts)
        for change in c.changes:
            contracts.append([c.name, c.party_name, f"change {change}", c.status, None, None])
        for cl in c.clauses:
            contracts.append(
                [
                    c.name,
                    c.party_name,
                    cl.ask,
                    c.status,
                    cl.rule,
                    _text(", ".join(dict.fromkeys(cl.fields))),
                ]
            )
        if len(contracts) == first:
            contracts.append([c.name, c.party_name, None, c.status, None, None])
    out.table(
        "Contracts to amend",
        ["Contract", "Party", "What to ask", "Status", "Clause", "Contract fields"],
        contracts,
    )

    if result.notes:
        out.add("blank")
        out.add("section", "Notes")
        for n in result.notes:
            out.add("note", n)
    return out


def write_scenario_sheet(export: _Export, chosen: Scenario, result: ScenarioResult) -> Any:
    """Add the Scenario sheet to `export`'s workbook."""
    rows = scenario_rows(chosen, result, export.as_of, export.name).rows
    ncols = max((len(values) for kind, values in rows if kind in ("header", "data")), default=1)
    widths: list[float] = []
    floors: list[float] = []
    for i in range(ncols):
        column = [
            values[i] for kind, values in rows if kind in ("header", "data") and i < len(values)
        ]
        widths.append(_width(column, LEAST_WIDTH, COLUMN_WIDTHS[i]))
        floors.append(max(LEAST_WIDTH, longest_word(column)) + 1)
    widths = export.fit(widths, floors)  # long text wraps rather than print too small
    export.total += sum(kind == "data" for kind, _ in rows)

    ws = export.wb.create_sheet(SCENARIO_SHEET)
    _declare_size(ws, f"A1:{get_column_letter(ncols)}{len(rows)}")
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A4"  # the title, the operation and the as-of date stay in view
    export.print_setup(ws, "1:3")

    for r, (kind, values) in enumerate(rows, start=1):
        if kind == "data":  # spreadsheet programs do not all grow a row for wrapped text
            ws.row_dimensions[r].height = row_height(values, widths)

    looks = {"title": TITLE, "note": NOTE, "section": SECTION}
    severity_col = change_col = None
    for kind, values in rows:
        if kind == "header":
            severity_col = values.index("Severity") if "Severity" in values else None
            change_col = values.index("Change") if "Change" in values else None
            ws.append([export.cell(ws, v, HEADER) for v in values])
        elif kind == "data":
            out = []
            for i, v in enumerate(values):
                if i == severity_col:
                    look: _Look | None = SEVERITY_TOP.get(v, TOP)
                elif i == change_col:
                    look = CHANGE_TOP.get(v, TOP)
                elif isinstance(v, str) and len(v) > int(widths[i]) - 2:
                    look = WRAP
                elif isinstance(v, date):
                    look = DATE_TOP
                else:
                    look = TOP
                out.append(export.cell(ws, v, look))
            ws.append(out)
            export.tick()
        elif kind == "label":
            value = values[1]
            look = DATE_VALUE if isinstance(value, date) else VALUE
            ws.append([export.cell(ws, values[0], LABEL), export.cell(ws, value, look)])
        elif kind == "blank":
            ws.append([])
        else:
            ws.append([export.cell(ws, values[0], looks[kind])])
    return ws
