"""How fast the contract calendar is worked out, against a full rule check of the same
model in the same run.

    python bench/deadlines.py [MODEL.ecomraci.json] [--repeat 7] [--as-of 2026-06-01]

Without a path, the large model of bench/generate.py (its defaults, seed 1) is generated
in memory. Each time is the best of --repeat runs, the two taking turns:

(a) ``ecomraci.rules.check(model, as_of)``: every rule, as ``ecomraci check`` runs it;
(b) ``ecomraci.deadlines.deadlines(model, as_of)`` and ``calendar_notes``, as
    ``ecomraci deadlines`` runs them (default period); target <= 1.0x (a);
(c) the .ics of (b), written with icalendar (printed for information).

A benchmark reports; it does not fail.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecomraci import store  # noqa: E402
from ecomraci.deadlines import calendar_notes, deadlines, to_ics  # noqa: E402
from ecomraci.rules import check  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model", nargs="?", help="a model file (default: the generated large model)")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 1))
    args = p.parse_args(argv)
    if args.model:
        model, label = store.load(args.model), args.model
    else:
        from bench.generate import generate

        model, label = generate(), "generated large model (seed 1)"
    as_of = args.as_of
    print(
        f"{label}: {len(model.contracts)} contracts, {len(model.activities)} activities, "
        f"{len(model.parties)} parties; as of {as_of}"
    )
    t_check, t_cal = [], []
    items: list = []
    for _ in range(args.repeat):  # taking turns, so that a busy moment hurts both alike
        t, _f = best(lambda: check(model, as_of=as_of), 1)
        t_check.append(t)
        t, items = best(lambda: (deadlines(model, as_of), calendar_notes(model, as_of)), 1)
        t_cal.append(t)
    stamp = datetime.now(UTC)
    t_ics, data = best(
        lambda: to_ics(items[0], model.name, model.settings.calendar_reminder_days, stamp),
        args.repeat,
    )
    a, b = min(t_check), min(t_cal)
    print(f"(a) rule check          {a * 1000:8.1f} ms")
    print(
        f"(b) deadlines + notes   {b * 1000:8.1f} ms  = {b / a:.2f}x the check "
        f"(target <= 1.0x; {len(items[0])} dates, {len(items[1])} notes)"
    )
    print(f"(c) .ics of (b)         {t_ics * 1000:8.1f} ms  ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
