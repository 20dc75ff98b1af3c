"""The workbook import says what it cannot read, and its work is bounded: merged cells
and letters typed twice are errors naming the cell, and a workbook with a huge table of
shared strings or a huge RACI sheet is refused quickly, the limit in the message."""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from ecomraci.store import ModelFileError
from ecomraci.xlsx import ReadLimits, plan_import
from ecomraci.xlsx import layout as L
from tests.core import xlsx_kit as kit
from tests.core.xlsx_kit import coordinate, edit_raci, locate, set_cell

SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RACI_PART = "xl/worksheets/sheet1.xml"  # as `ecomraci export` writes it
SOURCING_PART = "xl/worksheets/sheet2.xml"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return kit.sample_workbook(tmp_path_factory.mktemp("bounds"))


def problem(model, path, **kwargs) -> str:
    with pytest.raises(ModelFileError) as info:
        plan_import(model, path, **kwargs)
    return str(info.value)


# A hang guard, not a speed target: `bench/bad_input.py` measures how fast refusing is
# against accepting; a test only makes sure nothing blocks.
HANG_GUARD_S = 60


def timed_problem(model, path, **kwargs) -> str:
    start = time.perf_counter()
    message = problem(model, path, **kwargs)
    took = time.perf_counter() - start
    assert took < HANG_GUARD_S, f"refused after {took:.1f} s"
    return message


# --- building big workbooks, part by part ------------------------------------------------


def rewrite(
    src: Path,
    dst: Path,
    change: Callable[[str, str], str] = lambda name, text: text,
    extra: dict[str, Iterable[bytes]] | None = None,
) -> Path:
    """Copy the workbook `src` to `dst`; `change(name, text)` gives each XML part's text,
    and `extra` adds parts, written chunk by chunk."""
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                data = change(info.filename, data.decode("utf-8")).encode("utf-8")
            zout.writestr(info.filename, data)
        for name, chunks in (extra or {}).items():
            with zout.open(name, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return dst


def with_shared_strings(src: Path, dst: Path, count: int, declared: bool = True) -> Path:
    """`src` with a table of `count` shared strings that no cell uses."""

    def change(name: str, text: str) -> str:
        if name == "[Content_Types].xml":
            override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
            return text.replace("</Types>", override + "</Types>")
        return text

    def chunks() -> Iterable[bytes]:
        counts = f' count="{count}" uniqueCount="{count}"' if declared else ""
        yield (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns='
            f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"{counts}>'
        ).encode()
        for start in range(0, count, 100_000):
            end = min(count, start + 100_000)
            yield "".join(f"<si><t>u{i}</t></si>" for i in range(start, end)).encode()
        yield b"</sst>"

    return rewrite(src, dst, change, {"xl/sharedStrings.xml": chunks()})


def with_rows(
    src: Path,
    dst: Path,
    first_row: int,
    rows: int,
    cells_per_row: int,
    value: bool = True,
    part: str = RACI_PART,
) -> Path:
    """`src` with `rows` rows appended to a sheet from `first_row` on, each with
    `cells_per_row` cells from column C: "R" typed in, or blank formatted cells. The
    sheet's <dimension> is dropped, as a hostile file may do."""
    letters = [get_column_letter(3 + i) for i in range(cells_per_row)]

    def change(name: str, text: str) -> str:
        if name != part:
            return text
        text = re.sub(r"<dimension [^>]*/>", "", text)
        if value:
            cell = '<c r="{0}{1}" t="inlineStr"><is><t>R</t></is></c>'
        else:
            cell = '<c r="{0}{1}" s="1"/>'
        added = "".join(
            f'<row r="{r}">' + "".join(cell.format(c, r) for c in letters) + "</row>"
            for r in range(first_row, first_row + rows)
        )
        return text.replace("</sheetData>", added + "</sheetData>", 1)

    return rewrite(src, dst, change)


# --- merged cells --------------------------------------------------------------------------


def test_merged_cells_in_the_grid_are_an_error_naming_the_range(exported, tmp_path):
    model, path = exported
    ref: list[str] = []

    def merge(ws):
        rows, cols = locate(ws)
        r, c = rows["sm-strategy"], cols["marketing-dept"]
        ref.append(f"{get_column_letter(c)}{r}:{get_column_letter(c + 2)}{r}")
        ws.merge_cells(ref[0])

    message = problem(model, edit_raci(path, tmp_path / "merged.xlsx", merge))
    assert f"RACI!{ref[0]}: merged cells" in message
    assert "unmerge" in message


def test_merged_party_names_are_an_error_too(exported, tmp_path):
    model, path = exported

    def merge(ws):
        ws.merge_cells(start_row=L.NAMES_ROW, start_column=3, end_row=L.NAMES_ROW, end_column=4)

    assert "RACI!C6:D6: merged cells" in problem(
        model, edit_raci(path, tmp_path / "merged.xlsx", merge)
    )


def test_merged_title_cells_above_the_ids_are_fine(exported, tmp_path):
    model, path = exported
    merged = edit_raci(path, tmp_path / "title.xlsx", lambda ws: ws.merge_cells("A1:F1"))
    assert plan_import(model, merged).changes == []


def test_each_merged_range_is_counted(exported, tmp_path):
    model, path = exported

    def merge(ws):
        rows, cols = locate(ws)
        for activity in ("sm-strategy", "sm-kpis"):
            if activity in rows:
                ws.merge_cells(
                    start_row=rows[activity],
                    start_column=cols["marketing-dept"],
                    end_row=rows[activity],
                    end_column=cols["marketing-dept"] + 1,
                )

    message = problem(model, edit_raci(path, tmp_path / "merged.xlsx", merge))
    assert "merged cells" in message


# --- letters typed twice -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["A A", "AA", "A/a", "R, A, R"])
def test_a_letter_typed_twice_is_an_error_for_that_cell(exported, tmp_path, typed):
    """As in a model file, which refuses "AA" ("a RACI letter is repeated")."""
    model, path = exported
    edited = set_cell(path, tmp_path / "twice.xlsx", "sm-strategy", "marketing-dept", typed)
    cell = coordinate(edited, "sm-strategy", "marketing-dept")
    message = problem(model, edited)
    assert f"RACI!{cell}: " in message
    assert "a RACI letter is repeated" in message and "type each letter once" in message


@pytest.mark.parametrize("typed, letters", [("A/R", "AR"), ("r a", "AR"), ("i", "I")])
def test_letters_typed_once_still_fold(exported, tmp_path, typed, letters):
    model, path = exported
    edited = set_cell(path, tmp_path / "once.xlsx", "sm-strategy", "marketing-dept", typed)
    plan = plan_import(model, edited)
    assert [c.after for c in plan.changes] == [letters]


def test_a_long_hostile_cell_is_quoted_short_and_escaped(exported, tmp_path):
    model, path = exported
    text = "\u202eevil" + "X" * 20_000  # a cell cannot hold ESC: XML forbids it
    edited = set_cell(path, tmp_path / "long.xlsx", "sm-strategy", "marketing-dept", text)
    message = problem(model, edited)
    assert "\u202e" not in message and "\\u202eevil" in message
    assert "(20005 characters)" in message and len(message) < 600


# --- shared strings ------------------------------------------------------------------------


def test_eight_million_unused_shared_strings_are_refused_at_once(exported, tmp_path):
    """The table is checked in the zip before openpyxl loads it whole (1.3 GB and
    more than a minute to import "no changes" before)."""
    model, path = exported
    huge = with_shared_strings(path, tmp_path / "sst.xlsx", 8_000_000)
    message = timed_problem(model, huge)
    assert "xl/sharedStrings.xml: refused: the table of shared strings is" in message
    assert "more than the 32 MB an import reads" in message


@pytest.mark.parametrize("declared", [True, False])
def test_too_many_shared_strings_are_refused(exported, tmp_path, declared):
    model, path = exported
    many = with_shared_strings(path, tmp_path / "sst.xlsx", 250_000, declared=declared)
    message = timed_problem(model, many)
    assert "refused: the workbook has more than 200,000 different strings" in message


def test_a_few_shared_strings_are_read(exported, tmp_path):
    model, path = exported
    some = with_shared_strings(path, tmp_path / "sst.xlsx", 1_000)
    assert plan_import(model, some).changes == []


def test_the_shared_strings_limits_can_be_set(exported, tmp_path):
    model, path = exported
    some = with_shared_strings(path, tmp_path / "sst.xlsx", 50_000)
    limits = ReadLimits(max_shared_strings_bytes=MIB // 2)
    assert "more than the 0 MB an import reads" in problem(model, some, limits=limits)
    limits = ReadLimits(max_shared_strings=10_000)
    assert "more than 10,000 different strings" in problem(model, some, limits=limits)


MIB = 1024 * 1024


# --- rows and cells ------------------------------------------------------------------------


def test_a_hundred_thousand_rows_are_refused_quickly(exported, tmp_path):
    model, path = exported
    huge = with_rows(path, tmp_path / "rows.xlsx", 100, 100_000, cells_per_row=10)
    message = timed_problem(model, huge)
    assert "RACI!C20001: the sheet has more than 20,000 rows" in message


def test_a_value_far_below_is_refused_at_once(exported, tmp_path):
    model, path = exported
    far = with_rows(path, tmp_path / "far.xlsx", 1_000_000, 1, cells_per_row=1)
    assert "RACI!C1000000: the sheet has more than 20,000 rows" in problem(model, far)


def test_formatted_empty_rows_below_are_fine(exported, tmp_path):
    model, path = exported
    blank = with_rows(path, tmp_path / "blank.xlsx", 30_000, 2_000, 5, value=False)
    assert plan_import(model, blank).changes == []


def test_a_million_cells_are_refused_quickly(exported, tmp_path):
    model, path = exported
    huge = with_rows(path, tmp_path / "cells.xlsx", 200, 19_000, cells_per_row=60, value=False)
    message = timed_problem(model, huge)
    assert "the sheet has more than 1,000,000 cells, more than an import reads" in message


def test_the_cells_limit_can_be_set(exported, tmp_path):
    model, path = exported
    message = problem(model, path, limits=ReadLimits(max_cells=100))
    assert "the sheet has more than 100 cells" in message


def test_other_sheets_are_not_read(exported, tmp_path):
    """A huge Sourcing sheet without a <dimension> (which openpyxl's load_workbook
    parsed whole, even in read-only mode) does not slow the import of the RACI sheet."""
    model, path = exported
    other = with_rows(path, tmp_path / "other.xlsx", 500, 100_000, 10, part=SOURCING_PART)
    start = time.perf_counter()
    assert plan_import(model, other).changes == []
    assert time.perf_counter() - start < HANG_GUARD_S
