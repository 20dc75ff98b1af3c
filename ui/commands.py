"""Undoable edits of the core model. Each command changes `Document.model` through
`ecomraci.edits` (the same vocabulary as the findings' fixes) and never touches a widget."""

from __future__ import annotations

from ecomraci.edits import SetRaci, apply_edit_in_place
from ui.document import Document

from PySide6.QtGui import QUndoCommand


class SetRaciCommand(QUndoCommand):
    """Set one or many RACI cells as one step (a typed letter, a paste, a clear)."""

    def __init__(self, document: Document, cells: dict[tuple[str, str], str], text: str = ""):
        super().__init__(
            text or ("Edit RACI cell" if len(cells) == 1 else f"Edit {len(cells)} RACI cells")
        )
        self.document = document
        self.after = dict(cells)
        self.before = {key: document.model.letters(*key) for key in cells}

    def _apply(self, values: dict[tuple[str, str], str]) -> None:
        for (activity, party), letters in values.items():
            apply_edit_in_place(
                self.document.model, SetRaci(activity=activity, party=party, letters=letters)
            )
        self.document.changed.emit({a for a, _ in values} | {p for _, p in values})

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class ApplyEditsCommand(QUndoCommand):
    """A finding's machine-applicable fix: a list of core edits as one undoable step.
    Undo restores a snapshot taken before, which is exact whatever the edits were."""

    def __init__(self, document: Document, edits: list, text: str):
        super().__init__(text)
        self.document = document
        self.edits = list(edits)
        self.snapshot = None

    def redo(self) -> None:
        if self.snapshot is None:
            self.snapshot = self.document.model.model_copy(deep=True)
        for edit in self.edits:
            apply_edit_in_place(self.document.model, edit)
        self.document.changed.emit(None)

    def undo(self) -> None:
        restored = self.snapshot.model_copy(deep=True)
        for name in type(restored).model_fields:
            setattr(self.document.model, name, getattr(restored, name))
        self.document.changed.emit(None)
