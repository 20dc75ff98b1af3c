"""The Scenario sheet of the Excel export (`export_workbook(..., scenario=NAME)`,
`ecomraci export --scenario NAME`), read back with openpyxl: the title block, each
section against the scenario's answer, real dates, text safety, and the errors."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import openpyxl
import pytest

from ecomraci import cli, store
from ecomraci.model import Scenario, ScenarioParameters
from ecomraci.scenario import ScenarioError, add_scenario, insource, resource, run, terminate
from ecomraci.xlsx import export_workbook, plan_import
from ecomraci.xlsx.scenario_sheet import COLUMN_WIDTHS, SCENARIO_SHEET
from tests.core.xlsx_kit import AS_OF, FORMULA_LIKE, SAMPLE, SHEETS, export, sample, tricky_model

NOTICE_ON = date(2026, 12, 1)  # the scenarios' own as-of date; the export's is AS_OF
SAVED = datetime(2026, 11, 30, 9, 15)
SECTIONS = (
    "Earliest exit",
    "Services put at risk",
    "Dependencies crossing a new party boundary",
    "RACI changes",
    "Findings as of",
    "Contracts to amend",
)


def with_scenarios(model):
    """`model` with three saved scenarios: marketing in-house, marketing moved to the
    PSP under a new contract, the agency contract terminated."""
    add_scenario(
        model,
        insource(model, "online-marketing", as_of=NOTICE_ON).to_scenario(
            "Marketing in-house", SAVED, note="Board asked on 30 November"
        ),
    )
    add_scenario(
        model,
        resource(model, "online-marketing", "paynord", as_of=NOTICE_ON).to_scenario(
            "Marketing to the PSP"
        ),
    )
    add_scenario(
        model, terminate(model, "pixelforge-msa", as_of=NOTICE_ON).to_scenario("End the agency")
    )
    return model


@pytest.fixture(scope="module")
def estore():
    return with_scenarios(sample())


@pytest.fixture(scope="module")
def book(estore, tmp_path_factory):
    path = export(estore, tmp_path_factory.mktemp("scenario"), scenario="Marketing in-house")
    return path, openpyxl.load_workbook(path)


def sections(ws) -> dict[str, dict]:
    """Section title -> {"row": its row, "headers": [...], "rows": [[...]], "cells": [[cell]]}
    (a section with nothing in it has no headers and one note row)."""
    out: dict[str, dict] = {}
    current = None
    for row in ws.iter_rows(min_row=1):
        first = row[0]
        values = [c.value for c in row]
        if not any(v is not None for v in values):
            current = None
            continue
        if current is None and first.font.b and first.font.sz == 12:
            current = out[first.value] = {
                "row": first.row,
                "headers": None,
                "rows": [],
                "cells": [],
                "notes": [],
            }
        elif current is not None and current["headers"] is None and first.fill.fill_type:
            current["headers"] = [v for v in values if v is not None]
        elif current is not None and current["headers"] is not None:
            n = len(current["headers"])
            current["rows"].append(values[:n])
            current["cells"].append(list(row[:n]))
        elif current is not None:
            current["notes"].append(first.value)
    return out


def section(found: dict, title: str) -> dict:
    (key,) = [k for k in found if k.startswith(title)]
    return found[key]


def records(part: dict) -> list[dict]:
    return [dict(zip(part["headers"], r)) for r in part["rows"]]


def as_dt(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time())


# --- the sheet --------------------------------------------------------------------------


def test_the_sheet_comes_after_the_others_only_when_asked_for(book, estore, tmp_path):
    _, wb = book
    assert wb.sheetnames == [*SHEETS, SCENARIO_SHEET] and wb.active.title == "RACI"
    plain = openpyxl.load_workbook(export(estore, tmp_path))
    assert plain.sheetnames == SHEETS


def test_title_block_names_the_scenario_operation_and_a_real_as_of_date(book):
    _, wb = book
    ws = wb[SCENARIO_SHEET]
    assert ws["A1"].value == "Scenario: Marketing in-house" and ws["A1"].font.b
    assert (ws["A2"].value, ws["B2"].value) == ("Operation", "insource") and ws["A2"].font.b
    assert ws["A3"].value == "As of" and ws["B3"].value == as_dt(NOTICE_ON)
    assert ws["B3"].is_date and ws["B3"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A4"
    assert ws["A4"].value == "What if “Online marketing” is taken in-house by “Marketing”?"
    assert "saved 2026-11-30 09:15" in ws["A5"].value and AS_OF.isoformat() in ws["A5"].value
    assert ws["A6"].value == "Board asked on 30 November"


def test_every_section_has_a_bold_header_and_a_header_row(book):
    _, wb = book
    found = sections(wb[SCENARIO_SHEET])
    for title in SECTIONS:
        part = section(found, title)
        header = wb[SCENARIO_SHEET].cell(part["row"], 1)
        assert header.font.b and part["headers"], title
        assert all(c.font.b for c in wb[SCENARIO_SHEET][part["row"] + 1] if c.value)


def test_earliest_exit_with_real_dates(book, estore):
    _, wb = book
    part = section(sections(wb[SCENARIO_SHEET]), "Earliest exit")
    assert part["headers"] == [
        "Function",
        "Contract",
        "Reason",
        "Leave on",
        "Go-live",
        "Go-live or successor",
    ]
    (row,) = records(part)
    assert row["Function"] == "Online marketing"
    assert row["Contract"] == estore.contract("pixelforge-msa").name
    assert row["Leave on"] == as_dt(date(2027, 6, 1)) and row["Go-live"] == as_dt(date(2027, 6, 1))
    assert row["Reason"].startswith(
        "only by ending the whole contract: termination for convenience"
    )
    assert (
        "transition assistance from the old provider runs to 2027-09-01"
        in row["Go-live or successor"]
    )
    leave, go_live = part["cells"][0][3], part["cells"][0][4]
    assert leave.is_date and leave.number_format == "yyyy-mm-dd" and go_live.is_date


def test_services_at_risk_raci_findings_and_contracts_match_the_answer(book, estore):
    _, wb = book
    found = sections(wb[SCENARIO_SHEET])
    result = run(
        estore, "insource", ScenarioParameters(function="online-marketing"), as_of=NOTICE_ON
    )

    at_risk = records(section(found, "Services put at risk"))
    assert [r["Function"] for r in at_risk] == ["Web store IT", "Analytics and reporting"]
    assert all(r["Why"].startswith("ends with the contract") for r in at_risk)

    raci = records(section(found, "RACI changes"))
    assert len(raci) == len(result.raci) == 8
    assert {
        "Activity": "Run SEO (technical and on-page)",
        "Party": "Marketing",
        "Function": "Online marketing",
        "Before": "A",
        "After": "A/R",
    } in raci
    assert {
        "Activity": "Run SEO (technical and on-page)",
        "Party": "Pixelforge Digital",
        "Function": "Online marketing",
        "Before": "R",
        "After": None,
    } in raci

    title = [k for k in found if k.startswith("Findings as of")][0]
    # 8 changes: CMP-03 on the agency's thin DPA loses online marketing too
    assert title.startswith("Findings as of 2026-12-01: 0 appear, 4 disappear, 8 change")
    findings = records(found[title])
    f = result.findings
    assert [r["Change"] for r in findings] == (
        ["appears"] * len(f.appeared)
        + ["disappears"] * len(f.disappeared)
        + ["changes"] * len(f.changed)
    )
    src02 = next(r for r in findings if r["Rule"] == "SRC-02")
    assert src02["Change"] == "disappears" and src02["Severity"] == "error"
    assert "Online marketing" in src02["About"] and src02["Before"] is None
    changed = next(r for r in findings if r["Change"] == "changes" and r["Rule"] == "SRC-05")
    assert "prices 2 functions" in changed["Message"] and "prices 3 functions" in changed["Before"]
    severity_cell = found[title]["cells"][0][3]
    assert severity_cell.fill.fill_type == "solid"

    contracts = records(section(found, "Contracts to amend"))
    name = estore.contract("pixelforge-msa").name
    assert {r["Contract"] for r in contracts} == {name}
    assert all(r["Status"] == "amended" and r["Party"] == "Pixelforge Digital" for r in contracts)
    ask = next(r for r in contracts if r["Clause"] == "SRC-02")
    assert ask["What to ask"].startswith("Negotiate a separate exit for “Online marketing”")
    assert "partial_termination" in ask["Contract fields"]
    changes = [r["What to ask"] for r in contracts if r["Clause"] is None]
    assert any(c.startswith("change covers:") for c in changes)
    (clauses,) = result.contracts
    assert len(contracts) == len(clauses.changes) + len(clauses.clauses)

    notes = section(found, "Notes")
    assert notes["notes"] == result.notes


def test_widths_are_readable_and_long_text_wraps_in_a_taller_row(book):
    _, wb = book
    ws = wb[SCENARIO_SHEET]
    widths = [ws.column_dimensions[c].width for c in "ABCDEF"]
    for width, most in zip(widths, COLUMN_WIDTHS):
        assert 9 <= width <= most + 2
    assert sum(widths) < 230
    reason = section(sections(ws), "Earliest exit")["cells"][0][2]
    assert reason.alignment.wrap_text and ws.row_dimensions[reason.row].height > 15


@pytest.mark.parametrize(
    "name, operation, first_section_rows",
    [
        ("Marketing to the PSP", "re-source", 1),
        ("End the agency", "terminate", 3),
    ],
)
def test_each_operation_gets_its_sheet(estore, tmp_path, name, operation, first_section_rows):
    wb = openpyxl.load_workbook(export(estore, tmp_path, scenario=name))
    ws = wb[SCENARIO_SHEET]
    assert ws["A1"].value == f"Scenario: {name}" and ws["B2"].value == operation
    found = sections(ws)
    assert len(section(found, "Earliest exit")["rows"]) == first_section_rows
    contracts = records(section(found, "Contracts to amend"))
    if operation == "terminate":
        assert {r["Status"] for r in contracts} == {"ends"}
        stranded = [
            r for r in records(section(found, "Services put at risk")) if r["Contract"] is None
        ]
        assert {r["Function"] for r in stranded} >= {"Payment processing", "Orders and returns"}
        assert all("nobody delivers" in r["Why"] for r in stranded)
    else:
        assert "new" in {r["Status"] for r in contracts}


def test_formula_like_names_stay_text(tmp_path):
    model = tricky_model()
    add_scenario(
        model, insource(model, "online-marketing", as_of=NOTICE_ON).to_scenario("=Marketing back")
    )
    ws = openpyxl.load_workbook(export(model, tmp_path, scenario="=Marketing back"))[SCENARIO_SHEET]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "Scenario: =Marketing back" in cells
    found = sections(ws)
    exit_row = records(section(found, "Earliest exit"))[0]
    assert exit_row["Contract"] == FORMULA_LIKE["contract:agency-contract"]
    party = FORMULA_LIKE["party:agency"]
    assert party in [r["Party"] for r in records(section(found, "RACI changes"))]
    for text in (FORMULA_LIKE["contract:agency-contract"], party):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert section(found, "Services put at risk")["notes"] == ["none"]


def test_an_edited_workbook_with_the_scenario_sheet_still_imports(book, estore):
    path, _ = book
    assert plan_import(estore, path).changes == []


# --- errors -------------------------------------------------------------------------------


def test_an_unknown_name_says_which_names_there_are_and_writes_nothing(estore, tmp_path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(ValueError) as caught:
        export_workbook(estore, target, as_of=AS_OF, scenario="Marketing inhouse")
    text = str(caught.value)
    assert "'Marketing inhouse'" in text
    assert "'Marketing in-house', 'Marketing to the PSP', 'End the agency'" in text
    assert not target.exists()
    with pytest.raises(ScenarioError, match="the model has no saved scenarios"):
        export_workbook(sample(), target, as_of=AS_OF, scenario="Anything")
    assert not target.exists()


def test_a_scenario_that_no_longer_fits_names_itself(tmp_path):
    model = sample()
    model.scenarios.append(
        Scenario(
            name="Old idea",
            operation="insource",
            as_of=NOTICE_ON,
            parameters=ScenarioParameters(function="newsletter"),
        )
    )
    target = tmp_path / "out.xlsx"
    with pytest.raises(
        ScenarioError,
        match="the scenario 'Old idea' can no longer be worked "
        "out on the model: there is no function 'newsletter'",
    ):
        export_workbook(model, target, as_of=AS_OF, scenario="Old idea")
    assert not target.exists()


# --- command line -----------------------------------------------------------------------


@pytest.fixture
def model_file(tmp_path, estore):
    path = tmp_path / "shop.ecomraci.json"
    store.save(estore, path)
    return path


def cli_run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_with_a_scenario(model_file, tmp_path, capsys):
    out = tmp_path / "what-if.xlsx"
    code, stdout, err = cli_run(
        capsys,
        "export",
        str(model_file),
        "-o",
        str(out),
        "--as-of",
        "2026-06-01",
        "--scenario",
        "End the agency",
    )
    assert code == 0 and err == ""
    assert "scenario 'End the agency'" in stdout
    ws = openpyxl.load_workbook(out)[SCENARIO_SHEET]
    assert ws["A1"].value == "Scenario: End the agency" and ws["B3"].value == as_dt(NOTICE_ON)


def test_cli_export_with_an_unknown_scenario_exits_2(model_file, tmp_path, capsys):
    out = tmp_path / "what-if.xlsx"
    code, stdout, err = cli_run(
        capsys, "export", str(model_file), "-o", str(out), "--scenario", "Nope"
    )
    assert code == 2 and stdout == "" and "Traceback" not in err
    assert str(model_file) in err and "'Nope'" in err and "'End the agency'" in err
    assert not out.exists()
    plain = tmp_path / "plain.ecomraci.json"
    shutil.copy(SAMPLE, plain)
    code, _, err = cli_run(capsys, "export", str(plain), "-o", str(out), "--scenario", "Nope")
    assert code == 2 and "has no saved scenarios" in err and not out.exists()
