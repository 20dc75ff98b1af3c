"""Every undoable step of the app. A step holds the inverse edits the core transaction
returned (never a copy of the model): undo applies them, and what that returns is the
redo. Commands change `Document.model` only through `ecomraci.transaction`, and the
document tells the views what changed; a command never touches a widget."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from ecomraci.transaction import Applied

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from ui.document import Document


class EditCommand(QUndoCommand):
    """One transaction as one step. It is pushed after the transaction went through
    (so a refused change never reaches the stack): the first redo only keeps it."""

    def __init__(self, document: Document, applied: Applied, text: str):
        super().__init__(text)
        # Weakly: the document owns the stack that owns this command. A strong reference
        # back made a cycle through C++ ownership that the garbage collector broke in the
        # wrong order (the stack then deleted a command Python had already freed: a
        # crash in QUndoStack::clear when a closed document was collected).
        self._document = weakref.ref(document)
        self.inverse: list[Any] = applied.inverse
        self.redo_edits: list[Any] | None = None  # known after the first undo
        self._done = True

    def _swap(self, edits: list[Any]) -> list[Any]:
        document = self._document()
        if document is None:  # pragma: no cover - the stack goes with its document
            return []
        return document.commit(edits).inverse

    def redo(self) -> None:
        if self._done:
            return  # applied by Document.apply before the push
        assert self.redo_edits is not None
        self.inverse = self._swap(self.redo_edits)
        self.redo_edits = None
        self._done = True

    def undo(self) -> None:
        self.redo_edits = self._swap(self.inverse)
        self._done = False
