"""The workbook's Exit register sheet: one row per contract and function with the exit
plan's content (the shape of the DORA register-of-information template B_07.01), and
the statutory switch of a data processing service; the import reads past it."""

from __future__ import annotations

from datetime import date

import openpyxl

from ecomraci import store
from ecomraci.xlsx import layout as L
from ecomraci.xlsx import plan_import
from ecomraci.xlsx.export import EXIT_REGISTER_HEADERS
from tests.core.xlsx_kit import SAMPLES, export

AS_OF = date(2026, 11, 24)


def register(path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)[L.EXIT_REGISTER_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("Exit register per contract and function, as of 2026-11-24")
    headers = rows[1]
    assert headers == EXIT_REGISTER_HEADERS
    return [dict(zip(headers, r)) for r in rows[2:]]


def test_register_lists_each_contract_and_function_with_its_exit_plan(tmp_path):
    model = store.load(SAMPLES / "outsourced-estore.ecomraci.json")
    rows = register(export(model, tmp_path, as_of=AS_OF))
    delivered = {(c.name, model.function(f).name) for c in model.contracts for f in c.covers}
    assert {(r["Contract"], r["Function"]) for r in rows} == delivered
    psp = next(r for r in rows if r["Function"] == "Payment processing")
    assert psp == {
        "Contract": "Paynord payment services",
        "Provider": "Paynord Payments",
        "Function": "Payment processing",
        "Criticality": "critical",
        "Data processing service (Data Act)": None,
        "Exit plan": "yes",
        "Exit plan last tested": psp["Exit plan last tested"],
        "Exit plan owner": "Finance",
        "Triggers": "Provider insolvency or loss of licence; "
        "authorisation rate below 95% for a month",
        "Alternative": "provider",
        "Alternative named": "Nordic Acquiring",
        "Planned exit (months)": 6,
        "Notice plus transition assistance (months)": 6,
        "Substitutability": "difficult",
        "Bringing it in-house": "highly complex",
        "Statutory switch if notice is given on the as-of date": None,
    }
    assert psp["Exit plan last tested"].date() == date(2026, 3, 10)
    # the agency's shop platform is a data processing service: the statutory switch is
    # shown for the web store, not for the agency's marketing and analytics work
    agency = {r["Function"]: r for r in rows if r["Provider"] == "Pixelforge Digital"}
    web = agency["Web store IT"]
    assert web["Data processing service (Data Act)"] == "standard"
    assert web["Exit plan"] == "no" and web["Alternative"] is None
    assert web["Statutory switch if notice is given on the as-of date"] == "2027-02-23"
    assert (
        agency["Online marketing"]["Statutory switch if notice is given on the as-of date"] is None
    )
    # the Contract compliance sheet shows the switching terms in one cell
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")[L.CONTRACT_COMPLIANCE_SHEET]
    table = list(ws.iter_rows(values_only=True))
    column = table[1].index("Switching terms (Data Act)")
    terms = next(r[column] for r in table[2:] if r[0].startswith("Pixelforge"))
    assert terms == (
        "for Web store IT; no list of exportable data; no erasure; switching charges: above cost"
    )


def test_a_contract_without_functions_has_one_row_and_the_import_reads_past_the_sheet(
    tmp_path,
):
    model = store.load(SAMPLES / "growing-department.ecomraci.json")
    model.contracts[0] = model.contracts[0].model_copy(update={"covers": []})
    model.assignments = [a for a in model.assignments if a.contract != model.contracts[0].id]
    path = export(model, tmp_path, as_of=AS_OF)
    rows = register(path)
    first = [r for r in rows if r["Contract"] == model.contracts[0].name]
    assert len(first) == 1 and first[0]["Function"] is None
    assert first[0]["Alternative"] == "in house"
    # the workbook goes back in unchanged, Exit register and all
    plan = plan_import(model, path)
    assert plan.changes == []
    # and after a spreadsheet program sorted and edited the register sheet
    wb = openpyxl.load_workbook(path)
    ws = wb[L.EXIT_REGISTER_SHEET]
    ws["A3"] = "=1+1"
    ws.insert_rows(3)
    wb.save(tmp_path / "edited.xlsx")
    assert plan_import(model, tmp_path / "edited.xlsx").changes == []
