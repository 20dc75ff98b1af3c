"""Our workbooks in a real spreadsheet program: LibreOffice, headless.

Each sheet, converted by LibreOffice to CSV, holds what we wrote; a workbook LibreOffice
re-saves imports back with no change; a letter changed in LibreOffice (through its flat
ODS file, then saved by it as .xlsx) comes back as exactly that change, through
`plan_import` and through the command line, as a user would do it.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime

import openpyxl
import pytest

from ecomraci import cli, store
from ecomraci.xlsx import layout as L
from ecomraci.xlsx import plan_import
from tests.core import xlsx_kit as kit
from tests.interop.libreoffice import set_fods_cell


@pytest.fixture(scope="module")
def sample_workbook(tmp_path_factory):
    return kit.sample_workbook(tmp_path_factory.mktemp("lo-sample"))


def shown(value) -> str:
    """A value as LibreOffice writes it to CSV."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_each_sheet_as_csv_holds_what_we_wrote(libreoffice, tmp_path):
    model = kit.tricky_model()
    path = kit.export(model, tmp_path, "tricky.xlsx")
    sheets = libreoffice.sheets_as_csv(path, tmp_path / "csv")
    ours = openpyxl.load_workbook(path)
    assert sorted(sheets) == sorted(ours.sheetnames)
    compared = 0
    for ws in ours.worksheets:
        rows = sheets[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                r, c = cell.row - 1, cell.column - 1
                got = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
                assert got == shown(cell.value), f"{ws.title}!{cell.coordinate}"
                compared += 1
    assert compared > 300
    # Text that a spreadsheet would take for a formula arrives as the text itself.
    everything = {v for rows in sheets.values() for row in rows for v in row}
    assert set(kit.FORMULA_LIKE.values()) <= everything
    # Dates are dates to LibreOffice too: they come out in the number format we gave.
    contracts = sheets[L.CONTRACT_TERMS_SHEET]
    start = contracts[1].index("Start")
    assert contracts[2][start] == model.contracts[0].start.isoformat()


def test_a_workbook_resaved_by_libreoffice_imports_with_no_changes(
    libreoffice, tmp_path, sample_workbook
):
    model, path = sample_workbook
    resaved = libreoffice.to_xlsx(path, tmp_path / "resaved")
    plan = plan_import(model, resaved)
    assert plan.changes == [] and plan.new_parties == [] and plan.warnings == []
    wb = openpyxl.load_workbook(resaved)  # what LibreOffice kept of the sheet's set-up
    ws = wb["RACI"]
    assert ws.column_dimensions["A"].hidden and ws.row_dimensions[L.IDS_ROW].hidden
    assert ws.data_validations.dataValidation and list(ws.conditional_formatting)


def test_a_letter_changed_in_libreoffice_comes_back_as_exactly_that_change(
    libreoffice, tmp_path, sample_workbook, capsys
):
    model, path = sample_workbook
    rows, cols = kit.locate(openpyxl.load_workbook(path)["RACI"])
    row, col = rows["sm-strategy"], cols["marketing-dept"]
    assert model.letters("sm-strategy", "marketing-dept") == "C"

    flat = libreoffice.to_fods(path, tmp_path / "fods")
    set_fods_cell(flat, "RACI", row, col, "I")
    edited = libreoffice.to_xlsx(flat, tmp_path / "edited")

    plan = plan_import(model, edited)
    assert kit.changes(plan) == [("sm-strategy", "marketing-dept", "C", "I")]

    # The user's way: a dry run shows the change, then the import makes it.
    model_path = tmp_path / "shop.ecomraci.json"
    shutil.copy(kit.SAMPLE, model_path)
    before = model_path.read_bytes()
    assert cli.main(["import", str(model_path), str(edited), "--dry-run", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["changes"] == [
        {"activity": "sm-strategy", "party": "marketing-dept", "before": "C", "after": "I"}
    ]
    assert model_path.read_bytes() == before
    assert cli.main(["import", str(model_path), str(edited)]) == 0
    capsys.readouterr()
    assert store.load(model_path).letters("sm-strategy", "marketing-dept") == "I"
    assert (tmp_path / "shop.ecomraci.json.bak").read_bytes() == before


def test_an_empty_cell_filled_in_libreoffice_is_an_added_cell(
    libreoffice, tmp_path, sample_workbook
):
    model, path = sample_workbook
    rows, cols = kit.locate(openpyxl.load_workbook(path)["RACI"])
    assert model.letters("sm-trading", "legal-dept") == ""
    flat = libreoffice.to_fods(path, tmp_path / "fods")
    # Empty cells sit in repeated runs in ODS; typing splits the run.
    set_fods_cell(flat, "RACI", rows["sm-trading"], cols["legal-dept"], "a, r")
    plan = plan_import(model, libreoffice.to_xlsx(flat, tmp_path / "edited"))
    assert [(c.activity, c.party, c.kind, c.after) for c in plan.changes] == [
        ("sm-trading", "legal-dept", "added", "AR")
    ]


def test_a_formula_counts_with_the_result_libreoffice_saved(libreoffice, tmp_path, sample_workbook):
    model, path = sample_workbook
    typed = kit.set_cell(
        path, tmp_path / "formula.xlsx", "sm-strategy", "finance-dept", '=LOWER("A")'
    )
    recalculated = libreoffice.to_xlsx(typed, tmp_path / "recalculated")
    plan = plan_import(model, recalculated)
    assert kit.changes(plan) == [("sm-strategy", "finance-dept", "C", "A")]


def test_the_scenario_sheet_as_csv_holds_its_rows_and_dates(libreoffice, tmp_path):
    from ecomraci.scenario import add_scenario, insource

    model = kit.sample()
    add_scenario(
        model,
        insource(model, "online-marketing", as_of=date(2026, 12, 1)).to_scenario(
            "Marketing in-house"
        ),
    )
    path = kit.export(model, tmp_path, "what-if.xlsx", scenario="Marketing in-house")
    rows = libreoffice.sheets_as_csv(path, tmp_path / "csv")["Scenario"]
    ours = openpyxl.load_workbook(path)["Scenario"]
    assert len(rows) == ours.max_row
    for row in ours.iter_rows():
        for cell in row:
            if cell.value is not None:
                got = rows[cell.row - 1][cell.column - 1]
                assert got == shown(cell.value), f"Scenario!{cell.coordinate}"
    assert rows[0][0] == "Scenario: Marketing in-house" and rows[2][:2] == ["As of", "2026-12-01"]
    exit_row = next(r for r in rows if r[0] == "Online marketing" and "2027-06-01" in r)
    assert exit_row[3:5] == ["2027-06-01", "2027-06-01"]
    seo = [
        r[:5] for r in rows if r[:2] == ["Run SEO (technical and on-page)", "Pixelforge Digital"]
    ]
    assert seo == [
        ["Run SEO (technical and on-page)", "Pixelforge Digital", "Online marketing", "R", ""]
    ]
