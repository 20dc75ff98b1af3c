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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecomraci import store  # noqa: E402
from ecomraci.rules import check  # noqa: E402

LOAD_TARGET = 3.0  # load / json.loads
CHECK_TARGET = 1.0  # check / load
RECHECK_TARGET_MS = 100.0
CHECK_BUDGET_S = 20.0  # stop repeating the check runs once they have taken this long


def _verdict(ok: bool) -> str:
    return "OK" if ok else "OVER TARGET"


def _timed(
    fn: Callable[[Any], Any],
    repeat: int,
    budget: float | None = None,
    setup: Callable[[], Any] = lambda: None,
) -> list[float]:
    """Wall times of `fn(setup())` over `repeat` runs (fewer once `budget` seconds are
    spent); `setup` runs before the clock starts, and whatever `fn` returns is dropped
    after it stops."""
    times: list[float] = []
    for _ in range(repeat):
        arg = setup()
        gc.collect()
        t0 = time.perf_counter()
        result = fn(arg)
        times.append(time.perf_counter() - t0)
        del result, arg
        if budget is not None and sum(times) > budget:
            break
    return times


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

    floor = min(_timed(lambda _: json.loads(data), repeat))
    load_time = min(_timed(lambda _: store.load(path), repeat))
    model = store.load(path)
    cells = sum(len(row) for row in model.raci.values())
    print(f"file: {path}  {size_mb:.2f} MB")
    print(
        f"counts: {len(model.functions)} functions  {len(model.activities)} activities  "
        f"{len(model.parties)} parties  {cells} cells  {len(model.dependencies)} dependencies  "
        f"{len(model.contracts)} contracts"
    )
    ratio = load_time / floor
    print(
        f"load: {load_time:.3f} s  floor json.loads: {floor:.3f} s  ratio {ratio:.1f}x "
        f"(target <= {LOAD_TARGET:.1f}x) {_verdict(ratio <= LOAD_TARGET)}"
    )

    # A fresh model per run, loaded before the clock starts. Findings may keep their model alive (their wording is
    # written when read); they are dropped after the clock stops, so freeing one model
    # is not counted as checking the next.
    last: list[Any] = []  # the previous run's findings, dropped before the next load

    def fresh_model() -> Any:
        last.clear()
        return store.load(path)

    times = _timed(
        lambda fresh: last.append(check(fresh, as_of=as_of)),
        repeat,
        CHECK_BUDGET_S,
        setup=fresh_model,
    )
    check_time = min(times)
    ratio = check_time / load_time
    print(
        f"check: {check_time:.3f} s  load: {load_time:.3f} s  ratio {ratio:.2f}x "
        f"(target <= {CHECK_TARGET:.1f}x) {_verdict(ratio <= CHECK_TARGET)}  "
        f"[{len(last[-1])} findings, as of {as_of.isoformat()}, best of {len(times)}]"
    )

    check(model, as_of=as_of)  # the model a user has open was checked before
    edits = iter(range(repeat))
    last_edit: list[str] = []
    times = _timed(
        lambda _: check(model, as_of=as_of),
        repeat,
        CHECK_BUDGET_S,
        setup=lambda: last_edit.append(_edit_one_cell(model, next(edits))),
    )
    best_ms = min(times) * 1000
    print(
        f"re-check after one cell edit: {best_ms:.1f} ms  "
        f"(median {statistics.median(times) * 1000:.1f} ms, best of {len(times)}; "
        f"last edit {last_edit[-1]}) (target <= {RECHECK_TARGET_MS:.0f} ms) "
        f"{_verdict(best_ms <= RECHECK_TARGET_MS)}"
    )

    model = None  # free it before the memory figures
    gc.collect()
    tracemalloc.start()
    store.load(path)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory: Python-heap peak during one load (tracemalloc; pydantic-core's own Rust "
        f"buffers not counted) {traced_peak / 1048576:.1f} MB  process peak RSS "
        f"{_peak_rss_mb():.1f} MB (whole run)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="model file (default: generate the large model)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, best taken (5)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date(2025, 1, 1),
        help="date the rules check as of (default 2025-01-01)",
    )
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
                print(
                    f"generated the large model (seed {args.seed}) in "
                    f"{time.perf_counter() - t0:.1f} s"
                )
                run(path, repeat, args.as_of)
    except Exception as exc:  # a benchmark reports; it does not fail
        print(f"benchmark stopped: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
