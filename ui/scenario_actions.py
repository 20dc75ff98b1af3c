"""What-if in the window: the context-menu entries, working a scenario out off the GUI
thread, the result pane, saving, applying and comparing scenarios.

* Right-click a function (model tree, a row of the matrix) for *What if we insource…*
  and *What if we move to…*, a contract (model tree, contracts tab) for *What if we
  terminate…*. The questions go through the window's prompts; the core
  (`ecomraci.scenario`) works the answer out on a snapshot of the model in a worker
  thread, and the pane (`ui.panels.scenario.ScenarioPanel`) shows it while the RACI
  cells it changes are marked in the matrix and the objects it changes on the map.
* *Save as scenario…* stores it in the model and *Apply* makes its edits, each one
  undoable step. A result worked out before the model last changed can be neither: the
  pane says so and offers to run it again.
* Saved scenarios are listed under *Scenarios* in the model tree, whose menu shows one,
  compares it with the model as it is or with another scenario, or deletes it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ecomraci.edits import AddObject, RemoveObject
from ecomraci.model import Model, Scenario, ScenarioParameters
from ecomraci.rules.engine import CheckContext
from ecomraci.transaction import refusal
from ui.document import Document
from ui.widgets.editing import validation_message
from ui.workers import run_with_progress

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from ecomraci.diff import ModelDiff, ObjectChange, RaciChange
    from ui.panels.scenario import ScenarioPanel, Side

# The what-if core (`ecomraci.scenario`, `ecomraci.diff`) and the pane
# (`ui.panels.scenario`) are imported on the first what-if, not when the window opens:
# together they are a good part of the app's start-up otherwise.

NEW_CONTRACT = "A new contract"
CURRENT = "The model as it is"
VERBS = {"insource": "Insource", "resource": "Move", "terminate": "Terminate"}


def _core():
    """`ecomraci.scenario`, imported on the first what-if (see above)."""
    from ecomraci import scenario

    return scenario


def _labels(parties) -> dict[str, str]:
    """Party label -> id; a name two parties share gets the id added."""
    names = [p.name for p in parties]
    return {(p.name if names.count(p.name) == 1 else f"{p.name} ({p.id})"): p.id for p in parties}


def _op(operation) -> str:
    """An operation's name, whether the enum (a result) or its value (a saved scenario)."""
    return getattr(operation, "value", operation)


def describe(model: Model, operation, p: ScenarioParameters) -> str:
    """A scenario's question in a few words."""
    operation = _op(operation)

    def name(object_id: str | None) -> str:
        if object_id is None:
            return "?"
        for collection in ("functions", "parties", "contracts"):
            for x in getattr(model, collection):
                if x.id == object_id:
                    return x.name
        return object_id

    if operation == "insource":
        return f"Insource {name(p.function)}" + (f" to {name(p.to)}" if p.to else "")
    if operation == "resource":
        under = f" under {name(p.contract)}" if p.contract else " under a new contract"
        return f"Move {name(p.function)} to {name(p.to)}{under}"
    return f"Terminate {name(p.contract)}"


def map_marks(
    changes: ModelDiff, raci: list[RaciChange], words: dict[str, str], cell
) -> tuple[set[str], dict[str, str]]:
    """What the sourcing map marks as changed, with a note for each: the objects that
    differ (`words`: what to say of one added, removed or changed; a changed one's
    fields follow) and the RACI cells (`cell` words a `RaciChange`), which mark their
    function's box."""
    from ecomraci.diff import COLLECTIONS
    from ui.panels.scenario import OBJECT_TITLES

    notes: dict[str, str] = {}
    for collection in COLLECTIONS:
        for c in getattr(changes, collection):
            notes[c.key] = f"{OBJECT_TITLES[collection]} “{c.name}”: {words[c.status]}{_fields(c)}"
    for r in raci:
        notes[f"{r.activity}/{r.party}"] = f"{r.activity_name} × {r.party_name}: {cell(r)}"
    return set(notes), notes


# An answer is read best this wide (pixels), or at this share of the window when it is
# narrower: the pane widens to it when it shows an answer, never narrows.
ANSWER_WIDTH = 620
ANSWER_SHARE = 0.42


def _widen(window, dock) -> None:
    """Give the what-if pane room to read its answer (its tables and lists)."""
    if dock.isFloating() or not hasattr(window, "resizeDocks"):
        return
    width = min(ANSWER_WIDTH, int(window.width() * ANSWER_SHARE))
    if dock.width() < width:
        window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)


def _fields(c: ObjectChange) -> str:
    if c.status != "changed":
        return ""
    return " " + ", ".join(dict.fromkeys(f.field.split(".")[0].replace("_", " ") for f in c.fields))


class ScenarioActions(QObject):
    """The what-if gestures of one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.document: Document | None = None
        self.panel: ScenarioPanel | None = None
        self._rerun = None  # how to work the shown result or comparison out again
        self._fresh_at = None  # undo-stack state the shown result was worked out on
        self._applied_at = None  # undo-stack state right after it was applied
        self._problem: str | None = None  # why the model would refuse the result's edits
        self._scenarios_only = False  # the change being made touches saved scenarios only

    # --- binding to a document ---------------------------------------------------------

    def bind(self, document: Document) -> None:
        """Follow `document`, hooked to the matrix's menus; its pane is built by `pane`."""
        self.document = document
        self.panel = None
        self._rerun = self._fresh_at = self._applied_at = None
        document.changed.connect(self._document_changed)
        document.undo_stack.indexChanged.connect(self._step_done)
        self.window.matrix.rowMenuAboutToShow.connect(self._matrix_menu)

    def pane(self) -> ScenarioPanel:
        """The what-if pane of the bound document, built and put in the window's dock
        the first time it is shown or has something to show."""
        if self.panel is None:
            from ui.panels.scenario import ScenarioPanel

            self.panel = ScenarioPanel()
            self.panel.saveRequested.connect(self.save)
            self.panel.applyRequested.connect(self.apply)
            self.panel.rerunRequested.connect(self.rerun)
            self.panel.clearRequested.connect(self.clear)
            self.panel.objectActivated.connect(self.window.show_object)
            self.window.scenario_dock.setWidget(self.panel)
        return self.panel

    def unbind(self) -> None:
        self.document = None
        self.panel = None
        self._rerun = None

    @property
    def as_of(self) -> date:
        return self.window.as_of or date.today()

    # --- menus -------------------------------------------------------------------------

    def extend_menu(
        self, menu: QMenu, kind: str | None, key: str | None, group: str | None = None
    ) -> None:
        """Add the what-if entries for a tree item, matrix row or contract row."""
        if self.document is None:
            return
        model = self.document.model
        entries = []
        if kind == "function" and key:
            name = model.function(key).name
            external = {p.id for p in model.parties if p.kind == "external"}
            outside = any(s.function == key and s.party in external for s in model.assignments)
            entries += [
                (f"What if we insource “{name}”…", lambda: self.insource(key), outside),
                (f"What if we move “{name}” to…", lambda: self.move(key)),
            ]
        elif kind == "contract" and key:
            name = model.contract(key).name
            entries.append((f"What if we terminate “{name}”…", lambda: self.terminate(key)))
        elif kind == "scenario" and key:
            others = [s.name for s in model.scenarios if s.name != key]
            entries += [
                ("Show result", lambda: self.show_saved(key)),
                ("Compare with the model as it is", lambda: self.compare(key, None)),
            ]
            if others:
                entries.append(("Compare with another scenario…", lambda: self.compare_with(key)))
            entries.append(("Delete scenario", lambda: self.delete(key)))
        elif group == "scenarios" and len(model.scenarios) >= 1:
            entries.append(("Compare scenarios…", self.compare_with))
        if not entries:
            return
        if not menu.isEmpty():
            menu.addSeparator()
        for text, slot, *enabled in entries:
            action = menu.addAction(text, slot)
            if enabled and not enabled[0]:
                action.setEnabled(False)
                action.setToolTip("No outside party delivers it: there is nothing to take in-house")

    def _matrix_menu(self, menu: QMenu, kind: str, oid: str) -> None:
        if self.document is None:
            return
        function = oid if kind == "function" else self.document.model.activity(oid).function
        self.extend_menu(menu, "function", function)

    # --- asking and working out -----------------------------------------------------------

    def insource(self, function_id: str) -> bool:
        model = self.document.model
        name = model.function(function_id).name
        internal = [p for p in model.parties if p.kind == "internal"]
        if not internal:
            self.window.prompts.error(
                "What if we insource…",
                "The model has no internal party to take it over: add one first.",
            )
            return False
        owner = CheckContext(model, self.as_of).internal_owner(function_id)
        internal.sort(key=lambda p: p.id != owner)  # the owner first: the default answer
        labels = _labels(internal)
        choice = self.window.prompts.item(
            "What if we insource…", f"Which internal team takes “{name}” over?", list(labels)
        )
        if not choice:
            return False
        params = ScenarioParameters(function=function_id, to=labels[choice])
        return self.run("insource", params)

    def move(self, function_id: str) -> bool:
        ask = self.window.prompts
        model = self.document.model
        name = model.function(function_id).name
        delivering = {s.party for s in model.assignments if s.function == function_id}
        external = [p for p in model.parties if p.kind == "external" and p.id not in delivering]
        if not external:
            ask.error(
                "What if we move…",
                f"There is no other outside party to move “{name}” to: add one first.",
            )
            return False
        labels = _labels(external)
        choice = ask.item("What if we move…", f"Which provider takes “{name}” over?", list(labels))
        if not choice:
            return False
        party = labels[choice]
        contracts = {c.name: c.id for c in model.contracts if c.party == party}
        contract = None
        if contracts:
            picked = ask.item(
                "What if we move…",
                f"Under which contract with “{choice}”?",
                [*contracts, NEW_CONTRACT],
            )
            if not picked:
                return False
            contract = contracts.get(picked)
        return self.run(
            "resource", ScenarioParameters(function=function_id, to=party, contract=contract)
        )

    def terminate(self, contract_id: str) -> bool:
        return self.run("terminate", ScenarioParameters(contract=contract_id))

    def run(
        self,
        operation: str,
        params: ScenarioParameters,
        as_of: date | None = None,
        saved: Scenario | None = None,
    ) -> bool:
        """Work a what-if out off the GUI thread and show it; False (after saying why)
        when it cannot be."""
        as_of = as_of or self.as_of
        snapshot = self.document.snapshot()

        def work(_progress):
            # Whether the model takes the edits is checked here too, off the GUI thread:
            # Apply is offered only while the model is the one this ran on.
            result = _core().run(snapshot, operation, params, as_of=as_of)
            # on a copy of its own: the snapshot shares objects with the live model
            return result, refusal(snapshot.model_copy(deep=True), list(result.edits))

        ok, outcome = run_with_progress(self.window, "Working out the what-if…", work)
        if not ok:
            self.window.prompts.error("Cannot work out the what-if", outcome)
            return False
        result, self._problem = outcome
        note = ""
        if saved is not None and [e.model_dump() for e in saved.edits] != [
            e.model_dump() for e in result.edits
        ]:
            note = (
                "The model changed since this scenario was saved: this is the answer on the "
                "model as it is now, and Apply makes these changes."
            )
        self._rerun = lambda: self.run(operation, params, as_of, saved)
        self.pane().show_result(
            result, self.document.model.name, saved.name if saved is not None else None, note
        )
        cells = {(r.activity, r.party) for r in result.raci}

        def cell(r: RaciChange) -> str:
            return f"What if: {r.before or 'none'} → {r.after or 'none'}"

        words = {
            "added": "added by the what-if",
            "removed": "removed by the what-if",
            "changed": "the what-if changes",
        }
        self._mark(
            cells,
            {(r.activity, r.party): cell(r) for r in result.raci},
            map_marks(result.changes, result.raci, words, cell),
        )
        self._shown()
        return True

    def _shown(self) -> None:
        self._fresh_at, self._applied_at = self._stack_state(), None
        dock = getattr(self.window, "scenario_dock", None)
        if dock is not None:
            dock.show()
            dock.raise_()
            _widen(self.window, dock)

    def _mark(
        self,
        cells: set[tuple[str, str]],
        notes: dict[tuple[str, str], str],
        marks: tuple[set[str], dict[str, str]] = (set(), {}),
    ) -> None:
        """Mark RACI cells in the matrix and (`map_marks`) changed objects on the map."""
        self.window.matrix_model.set_highlight(cells, notes)
        self.window.mark_on_map(*marks)

    def rerun(self) -> bool:
        return bool(self._rerun and self._rerun())

    def clear(self) -> None:
        if self.panel is not None:
            self.panel.clear()
        self._rerun = self._fresh_at = self._applied_at = None
        self._mark(set(), {})

    # --- is the shown result still the model's? -----------------------------------------------

    def _stack_state(self):
        """The model's state as the undo stack knows it: how many steps are done, and the
        last one (a new step after an undo is another state at the same index)."""
        stack = self.document.undo_stack
        i = stack.index()
        return (i, stack.command(i - 1) if i else None)

    def _document_changed(self, change=None) -> None:
        # A command changes the model before the undo stack counts the step: what the
        # model now is, is judged once it has (`_step_done`).
        self._scenarios_only = change is not None and change.scenarios_only

    def _step_done(self, _index=None) -> None:
        scenarios_only, self._scenarios_only = self._scenarios_only, False
        if self.panel is None or self.panel.state == "empty":
            return
        now = self._stack_state()
        if scenarios_only:
            # Saving or deleting a scenario leaves the model the what-ifs read unchanged.
            if self.panel.state == "fresh":
                self._fresh_at = now
            elif self.panel.state == "applied":
                self._applied_at = now
            return
        if now == self._fresh_at:
            self.panel.set_state("fresh")
        elif now == self._applied_at:
            self.panel.set_state("applied")
        else:
            self.panel.set_state("stale")

    # --- saving, applying, deleting -----------------------------------------------------------

    def save(self) -> bool:
        result = self.panel.result if self.panel is not None else None
        if result is None or self.panel.state != "fresh":
            return False
        model = self.document.model
        function = (
            model.function(result.parameters.function).name if result.parameters.function else None
        )
        what = function or (
            model.contract(result.parameters.contract).name if result.parameters.contract else ""
        )
        default, n = f"{VERBS[_op(result.operation)]} {what}", 2
        taken = {s.name for s in model.scenarios}
        suggestion = default
        while suggestion in taken:
            suggestion, n = f"{default} ({n})", n + 1
        name = self.window.prompts.text("Save as scenario", "Name of the scenario:", suggestion)
        if not name:
            return False
        probe = model.model_copy(update={"scenarios": list(model.scenarios)})
        try:
            scenario = result.to_scenario(name, datetime.now().replace(microsecond=0))
            _core().add_scenario(probe, scenario)  # refuses a name already used
        except ValidationError as exc:
            self.window.prompts.error("Cannot save the scenario", validation_message(exc))
            return False
        except _core().ScenarioError as exc:
            self.window.prompts.error("Cannot save the scenario", str(exc))
            return False
        problem = self.document.apply(
            [AddObject(collection="scenarios", item=scenario.model_dump())], f"Save scenario {name}"
        )
        if problem is not None:
            self.window.prompts.error("Cannot save the scenario", problem)
            return False
        self.panel.saved_name = name
        self.window.statusBar().showMessage(f"Saved the scenario “{name}”", 5000)
        return True

    def apply(self) -> bool:
        """The shown result's edits, as one undoable step."""
        result = self.panel.result if self.panel is not None else None
        if result is None or self.panel.state != "fresh":
            return False
        text = (
            f"Apply what-if: {describe(self.document.model, result.operation, result.parameters)}"
        )
        if self._problem is not None:
            self.window.prompts.error("Cannot apply the what-if", self._problem)
            return False
        problem = self.document.apply(list(result.edits), text)
        if problem is not None:
            self.window.prompts.error("Cannot apply the what-if", problem)
            return False
        self._applied_at = self._stack_state()
        self.panel.set_state("applied")
        self._mark(set(), {})
        return True

    def delete(self, name: str) -> bool:
        model = self.document.model
        if not any(s.name == name for s in model.scenarios):
            return False
        problem = self.document.apply(
            [RemoveObject(collection="scenarios", key=name)], f"Delete scenario {name}"
        )
        return problem is None

    # --- saved scenarios: show and compare ----------------------------------------------------

    def show_saved(self, name: str) -> bool:
        """Work a saved scenario out again on the model as it is (on its own as-of date)."""
        if self.panel is not None and self.panel.saved_name == name and self.panel.state == "fresh":
            self._shown()
            return True
        try:
            saved = _core().find_scenario(self.document.model, name)
        except _core().ScenarioError as exc:
            self.window.prompts.error("Cannot show the scenario", str(exc))
            return False
        return self.run(_op(saved.operation), saved.parameters, saved.as_of, saved)

    def compare_with(self, first: str | None = None) -> bool:
        """Ask for the sides (scenarios, or the model as it is) and compare them."""
        ask = self.window.prompts
        names = [s.name for s in self.document.model.scenarios]
        if first is None:
            first = ask.item("Compare scenarios", "Compare (A):", names)
            if not first:
                return False
        others = [CURRENT, *(n for n in names if n != first)]
        second = ask.item("Compare scenarios", f"Compare “{first}” with (B):", others)
        if not second:
            return False
        return self.compare(first, None if second == CURRENT else second)

    def _side(self, model: Model, name: str | None) -> tuple[Side, Scenario | None]:
        from ui.panels.scenario import Side

        if name is None:
            return Side(CURRENT, "no what-if applied"), None
        s = _core().find_scenario(model, name)
        return Side(name, f"{describe(model, s.operation, s.parameters)}, as of {s.as_of}", name), s

    def compare(self, a: str | None, b: str | None) -> bool:
        """Compare two saved scenarios (None: the model as it is) side by side and mark
        the RACI cells that differ in the matrix, and what differs on the map. The model
        as it is always goes on the A side, so B shows what a scenario changes."""
        if b is None:
            a, b = None, a
        model = self.document.snapshot()
        try:
            side_a, sa = self._side(model, a)
            side_b, sb = self._side(model, b)
        except _core().ScenarioError as exc:
            self.window.prompts.error("Cannot compare", str(exc))
            return False
        dates = {s.as_of for s in (sa, sb) if s is not None}
        as_of = dates.pop() if len(dates) == 1 else self.as_of

        def work(_progress):
            model_a = _core().apply(model, sa) if sa is not None else model
            model_b = _core().apply(model, sb) if sb is not None else model
            from ecomraci.diff import compare
            from ecomraci.scenario.text import object_names

            return compare(model_a, model_b, as_of), object_names(model_a, model_b)

        ok, outcome = run_with_progress(self.window, "Comparing…", work)
        if not ok:
            self.window.prompts.error("Cannot compare", outcome)
            return False
        result, names = outcome
        matrix = self.window.matrix_model
        cells = {(r.activity, r.party) for r in result.raci}
        shown = {c for c in cells if matrix.row_of(c[0]) >= 0 and matrix.column_of(c[1]) >= 0}
        self._rerun = lambda: self.compare(a, b)
        from ui.panels.scenario import Comparison

        self.pane().show_comparison(
            Comparison(side_a, side_b, as_of, result, len(cells - shown), names)
        )

        def cell(r: RaciChange) -> str:
            return f"{side_a.label}: {r.before or 'none'}  ·  {side_b.label}: {r.after or 'none'}"

        words = {
            "added": f"only in B ({side_b.label})",
            "removed": f"only in A ({side_a.label})",
            "changed": "A and B differ in",
        }
        self._mark(
            shown,
            {(r.activity, r.party): cell(r) for r in result.raci},
            map_marks(result, result.raci, words, cell),
        )
        self._shown()
        return True
