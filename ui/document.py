"""One open model: the core `Model`, its file path and its undo stack.

Views read `document.model` and listen to `changed`; only `ui.commands` change the model,
and each command emits `changed` with what it touched, so views update exactly those
cells. The dirty flag is the undo stack's clean state.
"""

from __future__ import annotations

from pathlib import Path

from ecomraci.model import Model

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack


class Document(QObject):
    changed = Signal(object)  # a set of touched ids, or None for "anything may have changed"
    pathChanged = Signal()

    def __init__(self, model: Model, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.model = model
        self.path = path
        self.undo_stack = QUndoStack(self)

    @property
    def title(self) -> str:
        return self.path.name if self.path else self.model.name

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def snapshot(self) -> Model:
        """A copy of the model for a worker thread to read while the user goes on
        editing: new lists and RACI rows, shared objects. Commands replace or set
        attributes of objects but never change a list or row a snapshot holds, so the
        copy costs milliseconds where a deep copy of a big model costs a tenth of a
        second."""
        m = self.model
        update = {name: list(getattr(m, name)) for name in _LISTS}
        update["raci"] = {aid: dict(row) for aid, row in m.raci.items()}
        update["key_accountabilities"] = {k: list(v) for k, v in m.key_accountabilities.items()}
        update["layout"] = dict(m.layout)
        return m.model_copy(update=update)


_LISTS = (
    "parties",
    "functions",
    "activities",
    "assignments",
    "dependencies",
    "contracts",
    "forums",
    "waivers",
)
