"""How fast the board report is written, against the workbook export of the same model.

    python bench/report.py [MODEL.ecomraci.json] [--repeat 3] [--as-of 2026-06-01]

Without a path, the large model of bench/generate.py (its defaults, seed 1: 2,000
activities x 200 parties, 100 contracts) is generated in memory. Each time is the best of
--repeat runs, the two taking turns (CPU times too: on a busy machine they vary less):

(a) ``ecomraci.xlsx.export_workbook``, running the rule check itself, as
    ``ecomraci export`` does;
(b) the PDF report: ``ecomraci.report.compose`` (which runs the rule check) and
    ``write_report`` to a .pdf, as ``ecomraci report`` does, without the sourcing map
    (drawn by the desktop package; ``bench/map.py`` times it); target <= 2.0x (a);
(c) the HTML report of the same document;
(d) when ``ecomraci.deadlines`` is there, the contract calendar against a full rule
    check; target <= 1.0x.

A benchmark reports; it does not fail.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export import _best  # noqa: E402  (one timing loop for the benches)
from ecomraci import store  # noqa: E402

REPORT_TARGET = 2.0  # PDF report / workbook export
DEADLINES_TARGET = 1.0  # contract calendar / rule check


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model", nargs="?", help="a model file (default: the generated large model)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 1))
    args = p.parse_args(argv)

    from ecomraci.report import compose, write_report
    from ecomraci.rules import check
    from ecomraci.xlsx import export_workbook

    if args.model:
        model, label = store.load(args.model), args.model
    else:
        from bench.generate import generate

        model, label = generate(), "large generated model (bench/generate.py defaults, seed 1)"
    print(
        f"{label}: {len(model.activities)} activities, {len(model.parties)} parties, "
        f"{len(model.contracts)} contracts; best of {args.repeat}"
    )
    with tempfile.TemporaryDirectory() as folder:
        xlsx, pdf, page = (Path(folder) / n for n in ("w.xlsx", "r.pdf", "r.html"))
        fns: list[Callable[[], Any]] = [
            lambda: export_workbook(model, xlsx, as_of=args.as_of),
            lambda: write_report(compose(model, args.as_of), pdf),
            lambda: write_report(compose(model, args.as_of), page),
        ]
        (xw, xc), (pw, pc), (hw, hc) = _best(fns, args.repeat)
        pages = pdf.read_bytes().count(b"/Type /Page\n") or pdf.read_bytes().count(b"/Type /Page ")
    print(f"(a) workbook export      {xw:7.2f} s wall  {xc:7.2f} s CPU")
    print(f"(b) PDF report           {pw:7.2f} s wall  {pc:7.2f} s CPU  ({pages} pages)")
    print(f"(c) HTML report          {hw:7.2f} s wall  {hc:7.2f} s CPU")
    ratio = pw / xw
    verdict = "meets" if ratio <= REPORT_TARGET else "misses"
    print(
        f"    PDF / workbook = {ratio:.2f}x (CPU {pc / xc:.2f}x); {verdict} the target {REPORT_TARGET}x"
    )

    try:
        from ecomraci.deadlines import deadlines  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        print("(d) ecomraci.deadlines is not there: contract calendar not timed")
        return 0
    (dw, dc), (cw, cc) = _best(
        [lambda: deadlines(model, args.as_of), lambda: check(model, as_of=args.as_of)],
        args.repeat,
    )
    print(f"(d) contract calendar    {dw:7.3f} s wall  {dc:7.3f} s CPU")
    print(f"    rule check           {cw:7.3f} s wall  {cc:7.3f} s CPU")
    ratio = dw / cw
    verdict = "meets" if ratio <= DEADLINES_TARGET else "misses"
    print(f"    calendar / check = {ratio:.2f}x; {verdict} the target {DEADLINES_TARGET}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
