"""Excel from the File menu (and a workbook dropped on the window): export the model to a
workbook, and import the RACI sheet of an edited one as one undoable step.

The core reads and writes the workbook (`ecomraci.xlsx`) in a worker thread
(`ui.workers.run_with_progress`). The function that runs there gets plain values only (a
copy of the model, a path, a date): it touches no Qt object, the window included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ecomraci import store
from ui.document import Document
from ui.file_actions import file_stem, suggested_path

from PySide6.QtWidgets import QWidget

XLSX_ONLY = "Excel workbooks (*.xlsx)"


class DocumentActions:
    """What the File menu's exports of one window share. Their collaborators, all passed
    in: `prompts` (asks the user), `current()` (the document shown now, or None),
    `status(text, ms)` (a message in the status bar), `parent` (the window, over which
    the progress dialog shows) and `as_of` (the date the export reads the model at;
    None: today)."""

    def __init__(
        self,
        *,
        prompts: Any,
        current: Callable[[], Document | None],
        status: Callable[[str, int], None],
        parent: QWidget,
        as_of: date | None = None,
    ):
        self.prompts = prompts
        self._current = current
        self._status = status
        self._parent = parent
        self.as_of = as_of

    def pick_scenario(self, document: Document, title: str, question: str) -> str | None | bool:
        """A saved scenario of `document` to add, asked only when it has some: its name,
        None for none, or False when the user cancelled."""
        names = [s.name for s in document.model.scenarios]
        if not names:
            return None
        scenario = self.prompts.item(title, question, ["(none)", *names])
        if scenario is None:
            return False
        return None if scenario == "(none)" else scenario


class ExcelActions(DocumentActions):
    """Excel for one window (collaborators: see `DocumentActions`)."""

    def export_excel(self) -> bool:
        from ecomraci.xlsx import export_workbook
        from ui.workers import run_with_progress

        document = self._current()
        if document is None:
            return False
        scenario = self.pick_scenario(document, "Export to Excel", "Add a Scenario sheet for:")
        if scenario is False:
            return False
        path = self.prompts.save_path(
            suggested_path(document, f"{file_stem(document)}.xlsx"), "Export to Excel", XLSX_ONLY
        )
        if path is None:
            return False
        try:  # before the worker starts: a pipe or a device is refused at once
            store.writable_target(path)
        except store.WriteRefused as exc:
            self.prompts.error("Cannot export", str(exc))
            return False
        model = document.model.model_copy(deep=True)
        as_of = self.as_of

        def work(progress):
            return export_workbook(model, path, as_of=as_of, progress=progress, scenario=scenario)

        ok, error = run_with_progress(self._parent, "Exporting to Excel…", work)
        if not ok:
            self.prompts.error("Cannot export", f"{path}: {error}")
            return False
        self._status(f"Exported {path}", 5000)
        return True

    def import_excel(self, path: Path | None = None) -> bool:
        """Read an edited workbook's RACI sheet (off the GUI thread), show the cells it
        changes, and apply them as one undoable step."""
        from ecomraci.xlsx import plan_import
        from ui.workers import run_with_progress

        document = self._current()
        if document is None:
            return False
        path = path or self.prompts.open_path("Import RACI from Excel", XLSX_ONLY)
        if path is None:
            return False
        model = document.snapshot()
        ok, plan = run_with_progress(
            self._parent, f"Reading {Path(path).name}…", lambda progress: plan_import(model, path)
        )
        if not ok:
            self.prompts.error("Cannot import", str(plan))
            return False
        names = {o.id: o.name for o in (*document.model.parties, *document.model.activities)}
        rows = [
            (
                names.get(c.activity, c.activity),
                names.get(c.party, c.party),
                c.before or "—",
                c.after or "—",
            )
            for c in plan.changes
        ]
        if not self.prompts.review_import(rows, list(plan.warnings)):
            return False
        if plan.edits:
            problem = document.apply(
                list(plan.edits), f"Import {len(plan.edits)} RACI cells from {Path(path).name}"
            )
            if problem is not None:
                self.prompts.error("Cannot import", problem)
                return False
        return True
