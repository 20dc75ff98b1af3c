"""The File menu's work for one window: new, open, save, save as, close, the recent
files, autosave and recovery, and exporting the map.

It chooses paths and shows messages through the prompts it is given; loading and saving
are the core's (`ecomraci.store`), recent files and recovery copies `ui.files`'. It never
builds a view: a document it opens goes to `show`, a close to `close`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ecomraci import store
from ecomraci.operations import new_id
from ecomraci.store import ModelFileError
from ui import files
from ui.document import Document
from ui.prompts import MAP_FILTER

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QMenu

log = logging.getLogger("ecomraci.ui")

AUTOSAVE_MS = 60_000


def suggested_path(document: Document, name: str) -> str:
    """Where a save or export dialog opens: beside the document's file, or in the
    user's home folder for a model not saved yet (never the folder the app was started
    from)."""
    folder = document.path.parent if document.path is not None else Path.home()
    return str(folder / name)


def file_stem(document: Document) -> str:
    """The document's file name without its suffix, or one made from the model's name:
    the start of the names offered for saving and exporting."""
    if document.path is not None:
        return document.path.name.removesuffix(files.SUFFIX).removesuffix(".json")
    return new_id(document.model.name, set()).replace(".", "-") or "model"


class FileActions(QObject):
    """Files for one window. Its collaborators, all passed in:

    * `prompts`: asks the user (`ui.prompts.Prompts` or a stand-in);
    * `settings`: where the recent files are kept;
    * `autosaver`: writes and removes the recovery copy (`ui.files.Autosaver`);
    * `current()`: the document shown now, or None;
    * `show(document)`: show a document just opened; `close()`: show none;
    * `status(text, ms)`: a message in the status bar;
    * `recent_menu`: the menu it fills with the recent files, and
      `recent_changed(paths)` for whoever else lists them (the start page);
    * `map_view()`: the sourcing map, which draws the exported map.

    Every minute it writes the recovery copy of a document with unsaved changes."""

    def __init__(
        self,
        *,
        prompts: Any,
        settings: QSettings,
        autosaver: files.Autosaver,
        current: Callable[[], Document | None],
        show: Callable[[Document], None],
        close: Callable[[], None],
        status: Callable[[str, int], None],
        recent_menu: QMenu,
        recent_changed: Callable[[list[Path]], None],
        map_view: Callable[[], Any],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.prompts = prompts
        self.settings = settings
        self.autosaver = autosaver
        self._current = current
        self._show = show
        self._close = close
        self._status = status
        self.recent_menu = recent_menu
        self._recent_changed = recent_changed
        self._map_view = map_view
        self._timer = QTimer(self, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.autosave_now)
        self._timer.start()

    # --- opening and closing ------------------------------------------------------------

    def may_discard(self) -> bool:
        """True when the document shown may go: nothing unsaved, or the user saved it or
        chose to discard the changes."""
        document = self._current()
        if document is None or not document.is_modified():
            return True
        answer = self.prompts.save_changes(document.title)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_document(self, focus: str = "commerce") -> None:
        if self.may_discard():
            from ecomraci.catalog import new_model

            self._show(Document(new_model(focus)))

    def open_dialog(self) -> None:
        if not self.may_discard():
            return
        path = self.prompts.open_path()
        if path:
            self.open_path(path, ask=False)

    def open_path(self, path: Path, ask: bool = True) -> bool:
        if ask and not self.may_discard():
            return False
        path = Path(path)
        try:
            model = store.load(path)
        except ModelFileError as exc:
            self.prompts.error("Cannot open the model", str(exc))
            if not path.exists():
                files.forget(self.settings, path)
                self.refresh_recent()
            return False
        self._show(Document(model, path))
        files.remember(self.settings, path)
        self.refresh_recent()
        return True

    def close_document(self) -> None:
        if self.may_discard():
            self.discard_recovery(self._current())
            self._close()

    # --- saving -------------------------------------------------------------------------

    def save(self) -> bool:
        document = self._current()
        if document is None:
            return False
        if document.path is None:
            return self.save_as()
        return self._save_to(document, document.path)

    def save_as(self) -> bool:
        document = self._current()
        if document is None:
            return False
        name = document.path.name if document.path else file_stem(document) + files.SUFFIX
        path = self.prompts.save_path(suggested_path(document, name))
        if path is None:
            return False
        if not path.name.endswith(".json"):
            # The dialog asked about the name as typed; the file written has the suffix,
            # so a file of that name is asked about here.
            path = path.with_name(path.name + files.SUFFIX)
            if (
                path.exists()
                and path != document.path
                and not self.prompts.confirm(
                    "Save model as", f"{path.name} already exists. Replace it?"
                )
            ):
                return False
        return self._save_to(document, path)

    def _save_to(self, document: Document, path: Path) -> bool:
        try:
            store.save(document.model, path)
        except OSError as exc:
            self.prompts.error(
                "Cannot save",
                f"{path}: {exc.strerror or exc}. The file on disk was not changed.",
            )
            return False
        self.autosaver.discard(document.path)
        moved = document.path != path
        document.path = path
        document.undo_stack.setClean()
        if moved:
            document.pathChanged.emit()
        files.remember(self.settings, path)
        self.refresh_recent()
        self._status(f"Saved {path}", 5000)
        return True

    # --- recent files -------------------------------------------------------------------

    def refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = files.recent_files(self.settings)
        for path in recent:
            self.recent_menu.addAction(path.name, lambda p=path: self.open_path(p)).setToolTip(
                str(path)
            )
        self.recent_menu.setEnabled(bool(recent))
        self._recent_changed(recent)

    # --- autosave and recovery ----------------------------------------------------------

    def autosave_now(self) -> Path | None:
        """Write the recovery copy when there are unsaved changes."""
        document = self._current()
        if document is None or not document.is_modified():
            return None
        try:
            return self.autosaver.save(document.model, document.path)
        except OSError as exc:  # a full disk must not stop the user's work
            log.warning("autosave failed: %s", exc)
            self._status(f"Autosave failed: {exc}", 8000)
            return None

    def discard_recovery(self, document: Document | None) -> None:
        """Remove the recovery copy of `document`: it is saved, discarded or gone."""
        if document is not None:
            self.autosaver.discard(document.path)

    def offer_recovery(self) -> bool:
        """At start: offer each recovery copy left by a session that did not end well.
        Returns True when one was opened."""
        for recovery in files.pending_recoveries(self.autosaver.folder):
            answer = self.prompts.recover(recovery.label)
            if answer == "discard":
                files.drop_recovery(recovery)
            elif answer == "recover":
                try:
                    model = store.load(recovery.model_path)
                except ModelFileError as exc:
                    self.prompts.error("Cannot recover", str(exc))
                    continue
                document = Document(model, recovery.original)
                self._show(document)
                # Unsaved until the user saves: the stack is marked dirty (and the window
                # title follows its clean state).
                document.undo_stack.resetClean()
                files.drop_recovery(recovery)
                return True
        return False

    # --- exporting the map --------------------------------------------------------------

    def export_map(self) -> bool:
        document = self._current()
        if document is None:
            return False
        path = self.prompts.save_path(
            suggested_path(document, f"{file_stem(document)}-map.svg"), "Export map", MAP_FILTER
        )
        if path is None:
            return False
        try:
            store.writable_target(path)
        except store.WriteRefused as exc:
            self.prompts.error("Cannot export the map", str(exc))
            return False
        try:
            written = self._map_view().export_map(path)
        except Exception as exc:  # a bad folder or format: say so, keep working
            self.prompts.error("Cannot export the map", f"{path}: {exc}")
            return False
        self._status(f"Exported {written}", 5000)
        return True
