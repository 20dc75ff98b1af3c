"""How long each kind of edit keeps the window busy, against a rule check of the same model.

    python bench/edit_latency.py [--repeat 5] [--quick] [--seed 1]

On the large model of bench/generate.py (its defaults; --quick: a small one), saved to a
temporary folder and loaded as the app opens a file, the main window is built offscreen
(its own settings and recovery folder, prompts answered by a stub) and each lazily built
tab (RACI matrix, sourcing map, contracts, organisation) is shown once. Then, for each
kind of edit, the clock runs on the GUI thread from the gesture to idle:

* start the clock and perform the gesture through the code path the UI uses (one small
  function per gesture, below: `GESTURES`);
* process events until the findings panel's debounced re-check has reported (its timer
  is not running, the check of the newest edit has come back, no check is still running
  in the thread pool) and the events posted meanwhile (repaints) are handled;
* stop the clock.

A 5 ms timer ticks on the GUI thread meanwhile: the longest gap between ticks (from the
start of the gesture to the end of the measurement) is the longest stall of the event
loop. Each gesture is repeated --repeat times on different objects or with alternating
values, so that every one is a real change, and each is followed by the undo and the
redo of its step, timed the same way.

Targets, per line: median <= 2x and longest stall <= 2x the time of one full rule check
(`ecomraci.rules.check`) of the same model, measured in the same run (best of 5).

Memory: what one undo step keeps alive, with tracemalloc: the traced memory with the step
of a one-field edit (a rename) on the undo stack, minus the memory once that step alone
is dropped from the stack (the rename itself stays in the model, so what the model grew
is not counted); garbage collected before each reading. Target <= 100 KB. A RACI cell's
step is shown alongside, without a target.

Gestures run with their own tab shown (matrix for cells, paste, party and fix gestures;
inspector for the rename; contracts tab for the clause; sourcing map for the move); the
tab switch, choosing the objects and filling the clipboard happen before the clock
starts. The undo stack is emptied between kinds of edit and the autosave timer stopped,
both outside the measurements, so that each kind starts from the same state.

Runs offscreen unless QT_QPA_PLATFORM is set. A benchmark reports; its exit status is 0
whatever the figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# The code of the checkout this file lives in, first on the path: an editable install of
# another checkout in the same virtualenv must not be the one measured.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT]

AS_OF = date(2025, 1, 1)
RATIO_TARGET = 2.0  # median and longest stall, each <= this x one full check
STEP_TARGET_KB = 100.0
TICK_MS = 5
IDLE_GUARD_S = 60.0  # a measurement that has not gone idle by then is reported as such
QUICK = dict(functions=60, activities=400, parties=40, dependencies=600, contracts=20)


class Answers:
    """Stands in for `ui.prompts.Prompts`: answers at once, records errors."""

    def __init__(self):
        self.text_answer: str | None = None
        self.errors: list[tuple[str, str]] = []

    def text(self, title, label, default=""):
        return self.text_answer

    def item(self, title, label, items):
        if "internal" in items:
            return "internal"
        return "other" if "other" in items else (items[0] if items else None)

    def error(self, title, text):
        self.errors.append((title, text))

    def save_changes(self, title):
        return "discard"


# --- the gestures ---------------------------------------------------------------------
#
# One function per gesture, each doing what the UI does for it. `prepare_*` functions
# pick the objects and set the stage before the clock starts (they may read the model and
# the views freely) and return the gesture itself, which the clock times.


def _stack(window):
    return window.document.undo_stack


def prepare_cell(window, k: int) -> Callable[[], None]:
    """A typed RACI letter: the matrix model's setData, as the cell editor commits it."""
    m = window.matrix_model
    rows = [r for r in range(m.rowCount()) if m.row_object(r)[0] == "activity"]
    index = m.index(rows[(k * 37 + 5) % len(rows)], (k * 11 + 3) % m.columnCount())
    aid, pid = m.row_object(index.row())[1], m.party_at(index.column())
    new = "I" if window.document.model.letters(aid, pid) != "I" else "C"
    window.matrix.setCurrentIndex(index)
    window.matrix.scrollTo(index)
    return lambda: m.setData(index, new)


def prepare_paste(window, k: int, rows: int = 5, columns: int = 10) -> Callable[[], None]:
    """Ctrl+V of a rows x columns block (50 cells) from the clipboard onto the matrix,
    every pasted value different from the cell's."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QGuiApplication, QKeyEvent
    from PySide6.QtWidgets import QApplication

    m, view, model = window.matrix_model, window.matrix, window.document.model
    activity_rows = [r for r in range(m.rowCount()) if m.row_object(r)[0] == "activity"]
    first = (k * 211 + 17) % (len(activity_rows) - rows)
    column = (k * 23 + 1) % max(1, m.columnCount() - columns)
    lines = []
    for r in activity_rows[first : first + rows]:
        aid = m.row_object(r)[1]
        values = []
        for c in range(column, column + columns):
            current = model.letters(aid, m.party_at(c))
            values.append("I" if current != "I" else "C")
        lines.append("\t".join(values))
    QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
    start = m.index(activity_rows[first], column)
    view.setCurrentIndex(start)
    view.scrollTo(start)
    view.setFocus()

    def paste() -> None:
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier, "\x16"
        )
        QApplication.sendEvent(view, event)

    return paste


def prepare_rename(window, k: int) -> Callable[[], None]:
    """A function renamed in the inspector: the name typed, then Enter (the editor's
    `finish`, which commits through `Document.apply` with one SetField)."""
    functions = window.document.model.functions
    function = functions[(k * 7 + 2) % len(functions)]
    window.inspector.show_object("function", function.id)
    editor = window.inspector.editor("name")
    base = function.name.removesuffix(" (renamed)")
    editor.widget.setText(base if base != function.name else f"{base} (renamed)")
    return editor.finish


CLAUSE = "notice_period_months"


def prepare_clause(window, k: int) -> Callable[[], None]:
    """One clause of one contract changed in the contracts table, as its delegate sets
    it (the table model's setData)."""
    from PySide6.QtCore import Qt

    tab = window.contracts_tab
    tm = tab.table_model
    row = (k * 13 + 4) % tm.rowCount()
    index = tm.index(row, tm.column_of(CLAUSE))
    current = tm.value(row, index.column())
    new = 3 if current != 3 else 6
    tab.table.setCurrentIndex(index)
    tab.table.scrollTo(index)
    return lambda: tm.setData(index, new, Qt.ItemDataRole.EditRole)


def prepare_add_party(window, k: int) -> Callable[[], None]:
    """Add party… from the model tree (ui/structure.py opens the Model menu's party
    form): the name typed, then Add."""
    form = window.structure.add("party", None, None)
    form.name.setText(f"Bench party {k + 1}")
    return form.add_button.click


def prepare_remove_party(window, k: int) -> Callable[[], None]:
    """Remove party from the model tree (ui/structure.py): a party with RACI cells, a
    different one each time."""
    model = window.document.model
    cells: dict[str, int] = {}
    for row in model.raci.values():
        for pid in row:
            cells[pid] = cells.get(pid, 0) + 1
    parties = [p.id for p in model.parties if cells.get(p.id)]
    pid = parties[(k * 13 + 1) % len(parties)]
    return lambda: window.structure.remove("parties", pid)


def prepare_move(window, k: int) -> Callable[[], None]:
    """A function's box dragged into another internal team's lane on the sourcing map:
    `ecomraci.operations.deliver` and the map widget's push (`Document.apply`)."""
    from ecomraci.operations import deliver

    model = window.document.model
    kinds = {p.id: p.kind for p in model.parties}
    internal = [p.id for p in model.parties if p.kind == "internal"]
    delivered: dict[str, list] = {}
    for a in model.assignments:
        delivered.setdefault(a.function, []).append(a)
    movable = [
        own[0]
        for own in delivered.values()
        if len(own) == 1 and own[0].mode == "in-house" and kinds[own[0].party] == "internal"
    ]
    a = movable[(k * 7 + 3) % len(movable)]
    to = next(p for p in internal[(k * 17 + 3) % len(internal) :] + internal if p != a.party)
    widget = window.map

    def move() -> None:
        edits = deliver(window.document.model, a.function, to, instead_of=a.party)
        widget._push(edits, f"Move {a.function} to {to}")

    return move


def prepare_fix(window, k: int) -> Callable[[], None]:
    """Apply fix on a finding in the findings panel (its context menu's action)."""
    panel = window.findings
    fixable = sorted(
        (f for f in panel.model.findings if f.edits and not f.waived),
        key=lambda f: (f.rule, f.subjects),
    )
    finding = fixable[(k * 31 + 7) % len(fixable)]
    return lambda: panel.apply_fix(finding)


def undo(window) -> None:
    _stack(window).undo()


def redo(window) -> None:
    _stack(window).redo()


@dataclass
class Gesture:
    name: str
    tab: str  # the window attribute of the tab shown while it runs
    prepare: Callable  # (window, k) -> the gesture


GESTURES = [
    Gesture("RACI cell", "matrix_page", prepare_cell),
    Gesture("paste 50 cells", "matrix_page", prepare_paste),
    Gesture("rename function", "matrix_page", prepare_rename),
    Gesture("contract clause", "contracts_tab", prepare_clause),
    Gesture("add party", "matrix_page", prepare_add_party),
    Gesture("remove party", "matrix_page", prepare_remove_party),
    Gesture("move function", "map", prepare_move),
    Gesture("apply fix", "matrix_page", prepare_fix),
]


# --- measuring ----------------------------------------------------------------------------


def recheck_pending(panel, reported: int) -> bool:
    """True while the findings panel has a re-check to come: its debounce timer runs, the
    check of its newest edit (generation) has not reported, or a check still runs."""
    from PySide6.QtCore import QThreadPool

    if panel._timer.isActive():
        return True
    if reported != panel._generation:
        return True
    return QThreadPool.globalInstance().activeThreadCount() > 0


@dataclass
class Figures:
    times: list[float] = field(default_factory=list)  # ms
    stalls: list[float] = field(default_factory=list)  # ms


class Meter:
    """Times a callable on the GUI thread until the window is idle again."""

    def __init__(self, app, window):
        from PySide6.QtCore import Qt, QTimer

        self.app, self.window = app, window
        self.panel = window.findings
        self.reported = self.panel._generation
        self.panel.findingsChanged.connect(self._reported)
        self.ticker = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self.ticker.timeout.connect(self._tick)
        self.poll = QTimer(interval=1, timerType=Qt.TimerType.PreciseTimer)
        self.poll.timeout.connect(self._maybe_quit)
        self._loop = None
        self._deadline = 0.0
        self._last_tick = 0.0
        self._gaps: list[float] = []

    def _reported(self, _findings) -> None:
        self.reported = self.panel._generation
        self._maybe_quit()

    def _tick(self) -> None:
        now = time.perf_counter()
        self._gaps.append(now - self._last_tick)
        self._last_tick = now

    def busy(self) -> bool:
        return recheck_pending(self.panel, self.reported)

    def _maybe_quit(self) -> None:
        if self._loop is not None and (not self.busy() or time.perf_counter() > self._deadline):
            self._loop.quit()

    def wait_idle(self) -> None:
        from PySide6.QtCore import QEventLoop

        self._deadline = time.perf_counter() + IDLE_GUARD_S
        if self.busy():
            self._loop = QEventLoop()
            self.poll.start()
            self._loop.exec()
            self.poll.stop()
            self._loop = None
            if self.busy():
                raise RuntimeError(
                    f"the window was not idle after {IDLE_GUARD_S:.0f} s (a check failed?)"
                )
        self.app.processEvents()  # what was posted meanwhile: repaints, layouts

    def measure(self, action: Callable[[], object]) -> tuple[float, float]:
        """(milliseconds from the call to idle, longest GUI-thread stall in ms)."""
        self._gaps = []
        start = self._last_tick = time.perf_counter()
        self.ticker.start()
        action()
        self.wait_idle()
        end = time.perf_counter()
        self.ticker.stop()
        stall = max([*self._gaps, end - self._last_tick])
        return (end - start) * 1000, stall * 1000


def _show_tab(window, meter: Meter, attr: str) -> None:
    page = getattr(window, attr)
    if window.tabs.currentWidget() is not page:
        window.tabs.setCurrentWidget(page)
    meter.wait_idle()


def run_gesture(window, meter: Meter, gesture: Gesture, repeat: int) -> list[Figures]:
    """The figures of the gesture, of its undo and of its redo, over `repeat` runs."""
    stack = _stack(window)
    stack.clear()
    gc.collect()
    _show_tab(window, meter, gesture.tab)
    figures = [Figures(), Figures(), Figures()]
    for k in range(repeat):
        action = gesture.prepare(window, k)
        meter.wait_idle()
        before = stack.index()
        for fig, step, moved in zip(
            figures, (action, lambda: undo(window), lambda: redo(window)), (1, 0, 1)
        ):
            t, s = meter.measure(step)
            if stack.index() != before + moved:
                errors = "; ".join(text for _, text in window.prompts.errors[-1:])
                raise RuntimeError(
                    f"run {k + 1} changed nothing" + (f": {errors}" if errors else "")
                )
            fig.times.append(t)
            fig.stalls.append(s)
    return figures


def print_gestures(window, meter: Meter, repeat: int, limit: float) -> None:
    """One line per gesture, its undo and its redo; a gesture that fails says why and
    the others go on."""
    print(
        f"\n{f'gesture to idle ({repeat} runs)':<32}{'median':>9}{'best':>9}{'worst':>9}{'stall':>9}"
    )
    for gesture in GESTURES:
        try:
            figures = run_gesture(window, meter, gesture, repeat)
        except Exception as exc:  # reported, and the next gesture runs
            print(f"{gesture.name:<32}failed: {type(exc).__name__}: {exc}")
            continue
        for suffix, fig in zip(("", ": undo", ": redo"), figures):
            median, stall = statistics.median(fig.times), max(fig.stalls)
            verdict = "OK" if median <= limit and stall <= limit else "OVER"
            print(
                f"{gesture.name + suffix:<32}{median:>6.0f} ms{min(fig.times):>6.0f} ms"
                f"{max(fig.times):>6.0f} ms{stall:>6.0f} ms  {verdict}"
            )
    _stack(window).clear()


def step_memory(window, meter: Meter, gesture: Gesture) -> tuple[int, int]:
    """(bytes the one undo step of `gesture` keeps alive, bytes the model grew)."""
    stack = _stack(window)
    _show_tab(window, meter, gesture.tab)
    stack.clear()
    action = gesture.prepare(window, 1000)
    meter.wait_idle()

    def traced() -> int:
        meter.wait_idle()
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        # Findings and the views' marks are replaced by each re-check: check once under
        # tracemalloc, so that the re-check after the edit replaces traced memory.
        window.findings.recheck_now()
        before = traced()
        action()
        if stack.count() != 1:
            raise RuntimeError(f"{gesture.name} left {stack.count()} undo steps")
        with_step = traced()
        stack.clear()
        without = traced()
    finally:
        tracemalloc.stop()
    return with_step - without, without - before


def check_time(model, repeat: int = 5) -> float:
    from ecomraci.rules import check

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        findings = check(model, as_of=AS_OF)
        times.append(time.perf_counter() - t0)
        del findings
    return min(times) * 1000


# --- the run --------------------------------------------------------------------------------


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return out.stdout.strip() or "?"
    except OSError:
        return "?"


def _stop_autosave(window) -> None:
    """A recovery copy written in the middle of a measurement is not an edit: stop the
    window's long timers (the autosave's), wherever the window keeps them."""
    from PySide6.QtCore import QTimer

    for timer in window.findChildren(QTimer):
        if timer.interval() >= 10_000:
            timer.stop()


def _load_now() -> str:
    """The 1-minute load average: other work on the machine shows in the figures."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def run(repeat: int, quick: bool, seed: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import ecomraci
    from bench.generate import generate
    from ecomraci import store
    from ui.document import Document
    from ui.main_window import MainWindow

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    print(f"code: {Path(ecomraci.__file__).resolve().parent.parent} (HEAD {_commit()})")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="ecomraci-bench-") as tmp:
        folder = Path(tmp)
        path = folder / "large.ecomraci.json"
        store.save(generate(seed=seed, **(QUICK if quick else {})), path, keep_backup=False)
        model = store.load(path)
        cells = sum(len(row) for row in model.raci.values())
        print(
            f"model: {'quick' if quick else 'large'} (seed {seed}): {len(model.functions)} "
            f"functions, {len(model.activities)} activities, {len(model.parties)} parties, "
            f"{cells} RACI cells, {len(model.contracts)} contracts"
        )
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        t0 = time.perf_counter()
        window = MainWindow(
            Document(model, path),
            as_of=AS_OF,
            settings=settings,
            recovery_folder=folder / "recovery",
        )
        window.prompts = Answers()
        _stop_autosave(window)
        window.show()
        meter = Meter(app, window)
        meter.wait_idle()
        for attr in ("map", "contracts_tab", "organisation_tab", "matrix_page"):
            _show_tab(window, meter, attr)
        print(f"window built, checked and each tab shown once in {time.perf_counter() - t0:.1f} s")
        check_ms = check_time(window.document.model)
        limit = RATIO_TARGET * check_ms
        print(
            f"one full rule check: {check_ms:.1f} ms (best of 5)  ->  target per line: "
            f"median and longest stall <= {limit:.0f} ms ({RATIO_TARGET:.0f}x)"
        )
        t0 = time.perf_counter()
        load_before = _load_now()
        try:
            print_gestures(window, meter, repeat, limit)
            print(
                f"(measured in {time.perf_counter() - t0:.0f} s; load average "
                f"{load_before} before, {_load_now()} after)"
            )
            print()
            by_name = {g.name: g for g in GESTURES}
            try:
                held, grew = step_memory(window, meter, by_name["rename function"])
                kb = held / 1024
                print(
                    f"memory held by one undo step, a rename (tracemalloc): {kb:,.1f} KB "
                    f"(target <= {STEP_TARGET_KB:.0f} KB) "
                    f"{'OK' if kb <= STEP_TARGET_KB else 'OVER'}; "
                    f"the model and the rest grew {grew / 1024:,.1f} KB meanwhile"
                )
                held, _ = step_memory(window, meter, by_name["RACI cell"])
                print(f"  for comparison, one RACI cell's undo step: {held / 1024:,.1f} KB")
            except Exception as exc:  # reported like the gestures
                print(f"memory held by one undo step: failed: {type(exc).__name__}: {exc}")
        finally:
            window.document.undo_stack.setClean()
            window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each gesture (5)")
    parser.add_argument(
        "--quick", action="store_true", help="a small model instead of the large one"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated model (1)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each line as it is measured
    try:
        run(max(1, args.repeat), args.quick, args.seed)
    except Exception as exc:  # a benchmark reports; it does not fail
        print(f"benchmark stopped: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
