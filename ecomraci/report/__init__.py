"""The board report: `compose` builds it as a document (no Qt: the sourcing map comes in
as a PNG the caller draws), `write_report` writes it as PDF or HTML by the file's suffix.
"""

from __future__ import annotations

from pathlib import Path

from ecomraci.report.compose import HEADINGS, compose
from ecomraci.report.document import Report

FORMATS = (".pdf", ".html", ".htm")


def write_report(report: Report, target: str | Path) -> None:
    """Write `report` to `target`: a .pdf is a PDF (A4), a .html or .htm an HTML page."""
    suffix = Path(target).suffix.lower()
    if suffix == ".pdf":
        from ecomraci.report.pdf import write_pdf

        write_pdf(report, target)
    elif suffix in (".html", ".htm"):
        from ecomraci.report.html import write_html

        write_html(report, target)
    else:
        raise ValueError(f"{target}: name the report .pdf or .html")


__all__ = ["FORMATS", "HEADINGS", "Report", "compose", "write_report"]
