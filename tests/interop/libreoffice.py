"""Driving a real LibreOffice, headless, from the interoperability tests.

Each test session gets a fresh LibreOffice user profile (``-env:UserInstallation``), so
that a stale or concurrently used profile cannot block a conversion; every run has a
time limit, and a run that overstays is ended with its whole process group.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
from copy import deepcopy
from pathlib import Path

from lxml import etree

TIMEOUT_S = 180
# CSV export of every sheet, one file per sheet (token 12 = -1, LibreOffice 7.2 and
# later): comma, double quote, UTF-8, then the defaults up to "all sheets".
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
XLSX = "xlsx:Calc MS Excel 2007 XML"

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


class LibreOffice:
    def __init__(self, program: str, profile: Path):
        self.program = program
        self.profile = profile

    def run(self, *args: str, cwd: Path | None = None) -> str:
        command = [
            self.program,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            *args,
        ]
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=cwd,
            start_new_session=True,
        )
        try:
            out, _ = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AssertionError(f"LibreOffice took more than {TIMEOUT_S} s: {command}") from None
        if proc.returncode != 0:
            raise AssertionError(f"LibreOffice failed ({proc.returncode}): {out}")
        return out

    def version(self) -> tuple[int, ...]:
        out = self.run("--version")
        match = re.search(r"(\d+)\.(\d+)\.(\d+)", out)
        assert match, f"no version in {out!r}"
        return tuple(int(x) for x in match.groups())

    def convert(self, source: Path, target_filter: str, outdir: Path) -> str:
        outdir.mkdir(parents=True, exist_ok=True)
        return self.run("--convert-to", target_filter, "--outdir", str(outdir), str(source))

    def to_xlsx(self, source: Path, outdir: Path) -> Path:
        self.convert(source, XLSX, outdir)
        out = outdir / (source.stem + ".xlsx")
        assert out.exists(), f"LibreOffice wrote no {out.name}"
        return out

    def to_fods(self, source: Path, outdir: Path) -> Path:
        self.convert(source, "fods", outdir)
        out = outdir / (source.stem + ".fods")
        assert out.exists(), f"LibreOffice wrote no {out.name}"
        return out

    def sheets_as_csv(self, source: Path, outdir: Path) -> dict[str, list[list[str]]]:
        """Every sheet of `source` as CSV rows, by sheet name."""
        self.convert(source, CSV_ALL_SHEETS, outdir)
        sheets = {}
        for path in outdir.glob(f"{source.stem}-*.csv"):
            with open(path, newline="", encoding="utf-8") as fh:
                sheets[path.stem[len(source.stem) + 1 :]] = list(csv.reader(fh))
        return sheets


def set_fods_cell(path: Path, sheet: str, row: int, col: int, text: str) -> None:
    """Give the cell at (`row`, `col`) (1-based) of `sheet` in a flat ODS file the string
    `text`, splitting repeated rows and cells as needed, as typing into it would."""
    tree = etree.parse(str(path))
    table = tree.find(f".//table:table[@table:name='{sheet}']", NS)
    assert table is not None, f"no sheet {sheet!r} in {path}"
    target_row = _nth(table.iter(_q("table", "table-row")), row, "number-rows-repeated")
    cells = (
        el
        for el in target_row
        if el.tag in (_q("table", "table-cell"), _q("table", "covered-table-cell"))
    )
    cell = _nth(cells, col, "number-columns-repeated")
    for child in list(cell):
        cell.remove(child)
    for attr in ("value", "date-value", "boolean-value", "time-value"):
        cell.attrib.pop(_q("office", attr), None)
    cell.attrib.pop(_q("table", "formula"), None)
    cell.set(_q("office", "value-type"), "string")
    cell.set(_q("calcext", "value-type"), "string")
    etree.SubElement(cell, _q("text", "p")).text = text
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _nth(elements, n: int, repeat_attr: str):
    """The element standing at position `n` (1-based), counting repeats; a repeated
    element is split so that position `n` is an element of its own."""
    position = 0
    attr = _q("table", repeat_attr)
    for el in elements:
        repeat = int(el.get(attr, "1"))
        if position + repeat >= n:
            offset = n - position - 1  # copies before the target inside this element
            after = repeat - offset - 1
            el.attrib.pop(attr, None)
            parent = el.getparent()
            index = parent.index(el)
            if offset:
                before = deepcopy(el)
                if offset > 1:
                    before.set(attr, str(offset))
                parent.insert(index, before)
                index += 1
            if after:
                rest = deepcopy(el)
                if after > 1:
                    rest.set(attr, str(after))
                parent.insert(index + 1, rest)
            return el
        position += repeat
    raise AssertionError(f"position {n} is past the end ({position})")
