"""How fast the Excel workbook is written and read back, against a floor.

    python bench/export.py [MODEL.ecomraci.json] [--repeat 7] [--as-of 2026-06-01]

Without a path, the large model of bench/generate.py (its defaults, seed 1: 2,000
activities x 200 parties) is generated in memory. Each time is the best of --repeat runs,
the floor and the export taking turns (CPU times are printed too: on a busy machine they
vary less than wall times):

(a) floor: xlsxwriter in ``constant_memory`` mode writing the same cell values, sheet by
    sheet, without any styling, comment, validation or chart; the values are those of
    our own workbook, read back before the timing;
(b) ``ecomraci.xlsx.export_workbook`` (the findings computed beforehand, as the app
    passes them); target <= 2.0x the floor. Also printed: the export running the rule
    check itself, as the command line does;
(c) ``ecomraci.xlsx.plan_import`` of that workbook (the dry run of ``ecomraci import``).

Peak memory: tracemalloc's peak of Python allocations during one export, and the
process's peak resident size at the end. A benchmark reports; it does not fail.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecomraci import store  # noqa: E402

EXPORT_TARGET = 2.0  # export / xlsxwriter floor


def _peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes vs KiB


def _best(fns: list[Callable[[], Any]], repeat: int) -> list[tuple[float, float]]:
    """Best wall time and best CPU time of each function over `repeat` rounds; the
    functions take turns within a round, so that a busy machine slows them alike."""
    best = [(float("inf"), float("inf"))] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            gc.collect()
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            best[i] = (min(best[i][0], wall), min(best[i][1], cpu))
    return best


def _sheet_values(path: Path) -> list[tuple[str, list[tuple[int, int, Any]]]]:
    """Every non-empty cell of every sheet, as (row, column, value), 0-based."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    sheets = []
    for ws in wb.worksheets:
        cells = []
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    cells.append((r, c, value))
        sheets.append((ws.title, cells))
    wb.close()
    return sheets


def _floor(sheets: list[tuple[str, list[tuple[int, int, Any]]]], out: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})  # dates need one to be dates
    for title, cells in sheets:
        ws = wb.add_worksheet(title)
        for r, c, value in cells:
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif isinstance(value, (datetime, date)):
                ws.write_datetime(r, c, value, date_format)
            else:
                ws.write_number(r, c, value)
    wb.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", nargs="?", help="a model file (default: the large model)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--as-of", default="2026-06-01", type=date.fromisoformat)
    args = parser.parse_args(argv)

    from ecomraci.rules import check
    from ecomraci.xlsx import export_workbook, plan_import

    if args.model:
        model = store.load(args.model)
        label = args.model
    else:
        from bench.generate import generate

        model = generate()
        label = "large generated model (bench/generate.py defaults, seed 1)"
    cells = sum(len(row) for row in model.raci.values())
    print(
        f"{label}: {len(model.activities)} activities x {len(model.parties)} parties, "
        f"{cells} RACI cells"
    )
    findings = check(model, as_of=args.as_of)
    print(f"findings as of {args.as_of}: {len(findings)}")

    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "ours.xlsx"
        floor = Path(tmp) / "floor.xlsx"

        def export() -> None:
            export_workbook(model, ours, as_of=args.as_of, findings=findings)

        export()
        sheets = _sheet_values(ours)
        values = sum(len(c) for _, c in sheets)
        print(
            f"workbook: {ours.stat().st_size / 1048576:.2f} MB, {len(sheets)} sheets, "
            f"{values} non-empty cells"
        )

        (floor_wall, floor_cpu), (ours_wall, ours_cpu) = _best(
            [lambda: _floor(sheets, floor), export], args.repeat
        )
        ratio, cpu_ratio = ours_wall / floor_wall, ours_cpu / floor_cpu
        verdict = "OK" if ratio <= EXPORT_TARGET else "OVER TARGET"
        print(
            f"(a) floor, xlsxwriter constant_memory, same values: {floor_wall:8.3f} s "
            f"(CPU {floor_cpu:.3f} s, {floor.stat().st_size / 1048576:.2f} MB)"
        )
        print(
            f"(b) export_workbook:                               {ours_wall:8.3f} s  "
            f"{ratio:.2f}x the floor (target <= {EXPORT_TARGET:.1f}x) {verdict}"
        )
        print(f"    CPU time {ours_cpu:.3f} s, {cpu_ratio:.2f}x the floor's")

        ((cli_wall, _),) = _best(
            [lambda: export_workbook(model, ours, as_of=args.as_of)], args.repeat
        )
        print(f"    the same with its own rule check (as `ecomraci export` runs): {cli_wall:.3f} s")

        plan_box: list[Any] = []
        ((import_wall, _),) = _best(
            [lambda: plan_box.append(plan_import(model, ours))], args.repeat
        )
        plan = plan_box[-1]
        print(
            f"(c) plan_import of the same file:                  {import_wall:8.3f} s  "
            f"({len(plan.changes)} changes)"
        )

        gc.collect()
        tracemalloc.start()
        export()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python allocations during one export (tracemalloc): {peak / 1048576:.1f} MB")
    print(f"peak resident size of this process: {_peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
