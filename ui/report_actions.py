"""The board report from the File menu: *Export report…* writes the report of the
model shown (`ecomraci.report`) as a PDF or an HTML page, optionally with a saved what-if
compared with today.

The sourcing map is drawn first, on the GUI thread (the map is a Qt scene), into a PNG;
the core then composes and writes the report in a worker thread
(`ui.workers.run_with_progress`) from plain values only (a copy of the model, the PNG's
bytes, a path, a date): the worker touches no Qt object.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from ecomraci import store
from ecomraci.model import Model
from ui.excel_actions import DocumentActions
from ui.file_actions import file_stem, suggested_path

REPORT_FILTER = "PDF documents (*.pdf);;Web pages (*.html *.htm)"
TITLE = "Export report"


def map_picture(model: Model, as_of: date) -> tuple[bytes | None, str]:
    """The sourcing map of `model` as PNG bytes with the findings as of `as_of` marked,
    drawn by the same renderer as ``ecomraci render``; None and the reason when it cannot
    be drawn (the report is written without it)."""
    from ecomraci.rules import check
    from ui.sourcing_map.render import render_map

    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "map.png"
        try:
            render_map(
                model,
                png,
                check(model, as_of=as_of),
                show_forums=False,
                findings_note=f"as of {as_of.isoformat()}",
            )
            return png.read_bytes(), f"as of {as_of:%d %b %Y}"
        except (ValueError, OSError) as exc:
            return None, f"The sourcing map could not be drawn ({exc})."


class ReportActions(DocumentActions):
    """The board report for one window (collaborators: see
    `ui.excel_actions.DocumentActions`)."""

    def export_report(self) -> bool:
        from ecomraci.report import FORMATS, compose, write_report
        from ui.workers import run_with_progress

        document = self._current()
        if document is None:
            return False
        scenario = self.pick_scenario(document, TITLE, "Compare with the scenario:")
        if scenario is False:
            return False
        path = self.prompts.save_path(
            suggested_path(document, f"{file_stem(document)}-board-report.pdf"),
            TITLE,
            REPORT_FILTER,
        )
        if path is None:
            return False
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".pdf")
        if path.suffix.lower() not in FORMATS:
            self.prompts.error(
                "Cannot export", f"{path}: name the report .pdf (a PDF) or .html (a web page)"
            )
            return False
        try:  # before the worker starts: a pipe or a device is refused at once
            store.writable_target(path)
        except store.WriteRefused as exc:
            self.prompts.error("Cannot export", str(exc))
            return False
        model = document.model.model_copy(deep=True)
        as_of = self.as_of or date.today()
        map_png, map_note = map_picture(model, as_of)

        def work(progress):
            def step(percent: int, _text: str) -> None:
                progress(percent, 100)

            report = compose(
                model, as_of, map_png=map_png, map_note=map_note, scenario=scenario, progress=step
            )
            progress(75, 100)
            write_report(report, path)
            progress(100, 100)
            return path

        ok, error = run_with_progress(self._parent, "Writing the board report…", work)
        if not ok:
            self.prompts.error("Cannot export", f"{path}: {error}")
            return False
        self._status(f"Exported the board report to {path}", 5000)
        return True
