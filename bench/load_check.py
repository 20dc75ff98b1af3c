"""How fast the large model loads and checks, against the targets.

    python bench/load_check.py [MODEL.ecomraci.json] [--repeat 5] [--as-of 2025-01-01]

Without a path, the large model of bench/generate.py (its defaults, seed 1) is generated
into a temporary folder. Each figure is the best of --repeat runs:

(a) floor: ``json.loads`` of the file's bytes, the least any loader must do;
(b) ``ecomraci.store.load(path)``, reading the file included; target <= 3.0x the floor;
(c) the full rule check ``ecomraci.rules.check(model, as_of=...)`` on a freshly loaded
    model; target <= 1.0x the load time;
(d) a re-check after changing one RACI cell of a model checked before; target <= 100 ms.

A benchmark reports; it does not fail: the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any, Callable

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecomraci import store  # noqa: E402

LOAD_TARGET = 3.0  # load / json.loads
CHECK_TARGET = 1.0  # check / load
RECHECK_TARGET_MS = 100.0
CHECK_BUDGET_S = 20.0  # stop repeating the check runs once they have taken this long


def _verdict(ok: bool) -> str:
    return "OK" if ok else "OVER TARGET"


def _best(fn: Callable[[], Any], repeat: int, budget: float | None = None) -> tuple[float, int]:
    """Best wall time of `fn` over `repeat` runs (fewer if `budget` seconds are spent)."""
    best = float("inf")
    spent = 0.0
    runs = 0
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - t0
        best = min(best, elapsed)
        spent += elapsed
        runs += 1
        if budget is not None and spent > budget:
            break
    return best, runs


def _peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes vs KiB


def _edit_one_cell(model: Any, k: int) -> str:
    """Change one existing cell of `model.raci` in place; return a description."""
    rows = [aid for aid, row in model.raci.items() if row]
    aid = rows[(k * 7919) % len(rows)]
    row = model.raci[aid]
    pids = list(row)
    pid = pids[(k * 104729) % len(pids)]
    old = row[pid]
    new = {"C": "I", "I": "C"}.get(old, "I" if "A" not in old else old.replace("A", "") or "R")
    row[pid] = new
    return f"{aid}/{pid}: {old} -> {new}"


def run(path: Path, repeat: int, as_of: date) -> None:
    data = path.read_bytes()
    size_mb = len(data) / 1048576

    floor, _ = _best(lambda: json.loads(data), repeat)
    load_time, _ = _best(lambda: store.load(path), repeat)
    model = store.load(path)
    cells = sum(len(row) for row in model.raci.values())
    print(f"file: {path}  {size_mb:.2f} MB")
    print(f"counts: {len(model.functions)} functions  {len(model.activities)} activities  "
          f"{len(model.parties)} parties  {cells} cells  {len(model.dependencies)} dependencies  "
          f"{len(model.contracts)} contracts")
    ratio = load_time / floor
    print(f"load: {load_time:.3f} s  floor json.loads: {floor:.3f} s  ratio {ratio:.1f}x "
          f"(target <= {LOAD_TARGET:.1f}x) {_verdict(ratio <= LOAD_TARGET)}")

    try:
        from ecomraci.rules import check
    except Exception as exc:  # not written yet, or broken while being written
        print(f"check: not available ({type(exc).__name__}: {exc})")
        check = None

    if check is not None:
        try:
            # A fresh model per run, loaded before the clock starts; only one model is
            # alive at a time, as in the app. Findings may keep their model alive (their
            # wording is written when read), so the previous run's findings are dropped
            # before the next model is loaded: freeing the old model is not part of
            # checking the new one.
            findings: list[Any] = []
            check_time, runs, spent = float("inf"), 0, 0.0
            for _ in range(repeat):
                findings.clear()
                fresh = store.load(path)
                gc.collect()
                t0 = time.perf_counter()
                findings[:] = [check(fresh, as_of=as_of)]
                elapsed = time.perf_counter() - t0
                check_time, runs, spent = min(check_time, elapsed), runs + 1, spent + elapsed
                del fresh
                if spent > CHECK_BUDGET_S:
                    break
            count = len(findings[0]) if findings and hasattr(findings[0], "__len__") else "?"
            ratio = check_time / load_time
            print(f"check: {check_time:.3f} s  load: {load_time:.3f} s  ratio {ratio:.2f}x "
                  f"(target <= {CHECK_TARGET:.1f}x) {_verdict(ratio <= CHECK_TARGET)}  "
                  f"[{count} findings, as of {as_of.isoformat()}, best of {runs}]")

            model = store.load(path)
            check(model, as_of=as_of)  # the model a user has open was checked before
            times: list[float] = []
            spent = 0.0
            edit = ""
            for k in range(repeat):
                edit = _edit_one_cell(model, k)
                gc.collect()
                t0 = time.perf_counter()
                result = check(model, as_of=as_of)
                elapsed = time.perf_counter() - t0
                del result  # freed after the clock stops, as the app keeps what it shows
                times.append(elapsed)
                spent += elapsed
                if spent > CHECK_BUDGET_S:
                    break
            best_ms = min(times) * 1000
            print(f"re-check after one cell edit: {best_ms:.1f} ms  "
                  f"(median {statistics.median(times) * 1000:.1f} ms, best of {len(times)}; "
                  f"last edit {edit}) (target <= {RECHECK_TARGET_MS:.0f} ms) "
                  f"{_verdict(best_ms <= RECHECK_TARGET_MS)}")
        except Exception as exc:
            print(f"check: failed ({type(exc).__name__}: {exc})")

    del model
    gc.collect()
    tracemalloc.start()
    store.load(path)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory: Python-heap peak during one load (tracemalloc; pydantic-core's own Rust "
          f"buffers not counted) {traced_peak / 1048576:.1f} MB  process peak RSS "
          f"{_peak_rss_mb():.1f} MB (whole run)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="model file (default: generate the large model)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, best taken (5)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2025, 1, 1),
                        help="date the rules check as of (default 2025-01-01)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated model (1)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    try:
        if args.path:
            run(Path(args.path), repeat, args.as_of)
        else:
            from bench.generate import generate

            with tempfile.TemporaryDirectory(prefix="ecomraci-bench-") as folder:
                path = Path(folder) / "large.ecomraci.json"
                t0 = time.perf_counter()
                store.save(generate(seed=args.seed), path, keep_backup=False)
                print(f"generated the large model (seed {args.seed}) in "
                      f"{time.perf_counter() - t0:.1f} s")
                run(path, repeat, args.as_of)
    except Exception as exc:  # a benchmark reports; it does not fail
        print(f"benchmark stopped: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
