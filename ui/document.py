"""One open model: the core `Model`, its file path and its undo stack.

`apply(edits, text)` is the only way the app changes the model: it runs one core
transaction (`ecomraci.transaction`), pushes one `EditCommand` holding its inverse, and
emits `changed` with the core's `Change`, so each view updates exactly what changed. A
refused transaction changes nothing, pushes nothing, and returns the reason to show.
The dirty flag is the undo stack's clean state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecomraci.edits import ITEM_TYPES, EditError
from ecomraci.model import Model
from ecomraci.transaction import Applied, transact

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack


class Document(QObject):
    changed = Signal(object)  # an ecomraci.transaction.Change, or None: anything changed
    pathChanged = Signal()

    def __init__(self, model: Model, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.model = model
        self.path = path
        self.undo_stack = QUndoStack(self)

    def __del__(self) -> None:
        # A document that goes with the garbage collector (one left in a cycle with its
        # views) must empty its undo stack first: the collector runs every finalizer
        # before it breaks a cycle, so the stack deletes its commands while their
        # Python side is still whole. Left to the stack's own destructor, that came
        # after the collector had freed them, and the app crashed in QUndoStack::clear.
        try:
            self.undo_stack.blockSignals(True)  # nobody is to hear of a dying document
            self.undo_stack.clear()
        except (RuntimeError, AttributeError):  # the C++ side is already gone
            pass

    @property
    def title(self) -> str:
        return self.path.name if self.path else self.model.name

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def apply(self, edits: list[Any], text: str) -> str | None:
        """Apply `edits` as one undoable step, or return why the model refuses them (and
        change nothing). An empty list, or one that changes nothing, pushes no step."""
        from ui.commands import EditCommand

        edits = list(edits)
        if not edits:
            return None
        try:
            applied = self.commit(edits)
        except EditError as exc:
            validation = getattr(exc, "validation", None)
            if validation is not None:
                from ui.widgets.editing import validation_message

                return validation_message(validation)
            return str(exc)
        if applied.inverse:
            self.undo_stack.push(EditCommand(self, applied, text))
        return None

    def commit(self, edits: list[Any]) -> Applied:
        """Run one transaction and tell the views (undo commands use this; everything
        else goes through `apply`). Raises EditError when the model refuses."""
        applied = transact(self.model, edits)
        if applied.change:
            self.changed.emit(applied.change)
        return applied

    def snapshot(self) -> Model:
        """A copy of the model for a worker thread to read while the user goes on
        editing: new lists and RACI rows, shared objects. Transactions replace or set
        attributes of objects but never change a list or row a snapshot holds, so the
        copy costs milliseconds where a deep copy of a big model costs a tenth of a
        second."""
        m = self.model
        update: dict[str, Any] = {name: list(getattr(m, name)) for name in ITEM_TYPES}
        update["raci"] = {aid: dict(row) for aid, row in m.raci.items()}
        update["key_accountabilities"] = {k: list(v) for k, v in m.key_accountabilities.items()}
        update["layout"] = dict(m.layout)
        return m.model_copy(update=update)
