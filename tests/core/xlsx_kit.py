"""Shared by the Excel tests: models with awkward texts, and workbook look-ups and edits
done with openpyxl the way a user's spreadsheet program would do them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl

from ecomraci import store
from ecomraci.model import Model
from ecomraci.xlsx import export_workbook
from ecomraci.xlsx import layout as L
from tests.core.kit import base_model

# The sheets of an exported workbook, in order (a Scenario sheet comes on request).
SHEETS = [
    "RACI",
    "Sourcing",
    "Contract terms",
    "Contract exit",
    "Contract data",
    "Contract compliance",
    "Exit register",
    "Dependencies",
    "Findings",
    "Summary",
]

AS_OF = date(2026, 6, 1)
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SAMPLE = SAMPLES / "outsourced-estore.ecomraci.json"

# Texts a spreadsheet would take for a formula if they were typed into a cell.
FORMULA_LIKE = {
    "party:agency": '=HYPERLINK("http://example.com","Pixel")',
    "party:psp": "@PayFast",
    "activity:sm-strategy": "+49 hotline strategy",
    "function:shop-management": "-Shop management",
    "contract:agency-contract": "=1+1 agency contract",
}


def sample() -> Model:
    return store.load(SAMPLE)


def tricky_model() -> Model:
    """The well-run kit model with formula-like names and an S letter."""
    model = base_model()
    for key, text in FORMULA_LIKE.items():
        kind, _, object_id = key.partition(":")
        collection = {
            "party": model.parties,
            "activity": model.activities,
            "function": model.functions,
            "contract": model.contracts,
        }[kind]
        next(o for o in collection if o.id == object_id).name = text
    model.raci["om-campaigns"]["fin"] = "S"
    return model


def sample_workbook(folder: Path) -> tuple[Model, Path]:
    """The sample model and its workbook; tests edit copies of the workbook."""
    model = sample()
    return model, export(model, folder)


def changes(plan) -> list[tuple[str, str, str, str]]:
    return [(c.activity, c.party, c.before, c.after) for c in plan.changes]


def export(model: Model, folder: Path, name: str = "out.xlsx", **kwargs) -> Path:
    path = folder / name
    export_workbook(model, path, as_of=kwargs.pop("as_of", AS_OF), **kwargs)
    return path


def locate(ws) -> tuple[dict[str, int], dict[str, int]]:
    """(activity id -> row, party id -> column) of an RACI sheet, 1-based."""
    rows = {}
    for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        value = ws.cell(r, L.ID_COL).value
        if value and not str(value).startswith(L.FUNCTION_PREFIX):
            rows[value] = r
    cols = {}
    for c in range(L.FIRST_PARTY_COL, ws.max_column + 1):
        value = ws.cell(L.IDS_ROW, c).value
        if value:
            cols[value] = c
    return rows, cols


def coordinate(path: Path, activity: str, party: str) -> str:
    wb = openpyxl.load_workbook(path)
    rows, cols = locate(wb[L.RACI_SHEET])
    return wb[L.RACI_SHEET].cell(rows[activity], cols[party]).coordinate


def edit_raci(src: Path, dst: Path, change: Callable) -> Path:
    """Open `src` with openpyxl, let `change(ws)` edit the RACI sheet, save as `dst`."""
    wb = openpyxl.load_workbook(src)
    change(wb[L.RACI_SHEET])
    wb.save(dst)
    return dst


def set_cell(src: Path, dst: Path, activity: str, party: str, value) -> Path:
    def change(ws):
        rows, cols = locate(ws)
        ws.cell(rows[activity], cols[party]).value = value

    return edit_raci(src, dst, change)
