"""The Excel workbook: export a model to ``.xlsx`` and read the RACI sheet back.

`export_workbook` writes the RACI, Sourcing, Contracts, Exit register, Dependencies,
Findings and Summary sheets, and a Scenario sheet for a saved scenario when one is named; `plan_import` reads an edited RACI sheet and returns an `ImportPlan`
(the cell changes as a diff and as `ecomraci.edits.SetRaci` edits), which
`ImportPlan.apply_to` turns into a new model. Both are pure functions of the core model,
so the command line and the app share them. docs/excel.md describes the workbook for
users.
"""

from __future__ import annotations

from ecomraci.xlsx.export import ExportCancelled, export_workbook
from ecomraci.xlsx.importer import CellChange, ImportPlan, ReadLimits, plan_import

__all__ = [
    "CellChange",
    "ExportCancelled",
    "ImportPlan",
    "ReadLimits",
    "export_workbook",
    "plan_import",
]
