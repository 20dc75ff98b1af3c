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
from ecomraci.model import Model
from ecomraci.operations import new_id
from ecomraci.store import ModelFileError
from ui import files
from ui.document import Document
from ui.prompts import MAP_FILTER

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QWidget

log = logging.getLogger("ecomraci.ui")


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

    It writes the recovery copy of a document with unsaved changes `autosave_seconds`
    (a setting) after the first edit not in a copy yet, and when the app loses focus.
    `watch(document)` is to be called for each document shown. A copy it wrote (or
    recovered) is its own: it goes when the document is saved, or closed with its
    changes discarded or undone. A copy it did not write is kept until the user
    recovers it, discards it or saves the file."""

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
        self.new_dialog = None  # the New dialog while it is open
        # copies this window wrote or recovered: its own to replace and remove
        self._own: set[Path] = set()
        self._unwritten = False  # the document has changes its copy does not hold
        self.autosave_timer = QTimer(self, singleShot=True)
        self.autosave_timer.setInterval(files.autosave_seconds(settings) * 1000)
        self.autosave_timer.timeout.connect(self.autosave_now)
        app = QApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._application_state)

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
        if answer == "discard":
            self.discard_recovery(document)
            return True
        return False

    def new_document(self, focus: str | None = None):
        """*New*: ask the model's name and strategy focus (`focus` preselected) and
        offer the guided start (`ui.guided_start.NewModelDialog`); the model it builds
        is shown when the user creates it. Returns the dialog (None when the user kept
        the document shown). The dialog is window-modal but does not block."""
        if not self.may_discard():
            return None
        from ui.guided_start import NewModelDialog

        if self.new_dialog is not None:
            if focus is not None:
                self.new_dialog.focus.setCurrentIndex(max(0, self.new_dialog.focus.findData(focus)))
            self.new_dialog.raise_()
            self.new_dialog.activateWindow()
            return self.new_dialog
        parent = self.parent()
        dialog = NewModelDialog(
            focus or "commerce", parent if isinstance(parent, QWidget) else None
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.created.connect(lambda model: self._show(Document(model)))
        dialog.finished.connect(lambda _result: setattr(self, "new_dialog", None))
        self.new_dialog = dialog
        dialog.open()
        dialog.name.setFocus()
        dialog.name.selectAll()
        return dialog

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
        if not self.offer_recovery(path, model):
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
        # the copy is out of date, whoever wrote it
        self._own.discard(self.autosaver.copy_path(document.path))
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

    def watch(self, document: Document) -> None:
        """`document` is shown now: autosave it from its first unsaved edit on."""
        self.autosave_timer.stop()
        self._unwritten = False
        stack = document.undo_stack
        stack.indexChanged.connect(self._stack_changed)
        stack.cleanChanged.connect(self._stack_changed)

    def _stack_changed(self, *_args) -> None:
        document = self._current()
        if document is None or self.sender() is not document.undo_stack:
            return
        if document.is_modified():
            self._unwritten = True
            if not self.autosave_timer.isActive():
                self.autosave_timer.start()
        else:  # saved, or undone back to the file: nothing to write (a copy written
            # before the undo goes when the window closes or the file is saved)
            self.autosave_timer.stop()
            self._unwritten = False

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive and self._unwritten:
            self.autosave_now()

    def autosave_now(self) -> Path | None:
        """Write the recovery copy when there are unsaved changes."""
        document = self._current()
        if document is None or not document.is_modified():
            return None
        try:
            target = self.autosaver.save(document.model, document.path)
        except OSError as exc:  # a full disk must not stop the user's work
            log.warning("autosave failed: %s", exc)
            self._status(f"Autosave failed: {exc}", 8000)
            return None
        self._own.add(target)
        self._unwritten = False
        self.autosave_timer.stop()  # the next edit starts it again
        return target

    def discard_recovery(self, document: Document | None) -> None:
        """Remove the recovery copy of `document` if this window wrote or recovered it:
        the document is saved, its changes discarded, or it is gone. A copy left by
        another session stays until the user recovers, discards or saves it."""
        if document is None:
            return
        target = self.autosaver.copy_path(document.path)
        if target in self._own:
            self._own.discard(target)
            self.autosaver.discard(document.path)

    def offer_recovery(self, path: Path | None = None, saved: Model | None = None) -> bool:
        """Offer the work a session that did not end well left behind, and open it when
        the user says so; returns True when a copy was opened.

        With `path`, the file being opened (`saved`: its model, when already loaded):
        only that file's copy; answering Later or Discard leaves the caller to open
        the file as saved. Without, at a bare start: each copy in turn."""
        if path is not None:
            recovery = files.recovery_for(path, self.autosaver.folder)
            found = [recovery] if recovery is not None else []
        else:
            found = files.pending_recoveries(self.autosaver.folder)
        for recovery in found:
            if recovery.model_path in self._own:
                continue  # this window's own copy, not work left behind
            try:
                model = store.load(recovery.model_path)
            except ModelFileError as exc:
                self.prompts.error("Cannot recover", str(exc))
                continue
            original = saved if path is not None else self._saved_model(recovery)
            answer = self.prompts.recover(files.describe(recovery, model, original))
            if answer == "discard":
                files.drop_recovery(recovery)
            elif answer == "recover":
                document = Document(model, recovery.original)
                self._show(document)
                # The copy stays: it is the document's unsaved state now, which the
                # window replaces at its next autosave and removes when the user saves
                # or discards the changes. Unsaved until then: the stack is marked dirty
                # (and the window title follows its clean state).
                self._own.add(self.autosaver.adopt(recovery))
                document.undo_stack.resetClean()
                self._unwritten = False
                self.autosave_timer.stop()
                if path is None and recovery.original is not None:
                    files.remember(self.settings, recovery.original)
                    self.refresh_recent()
                return True
        return False

    @staticmethod
    def _saved_model(recovery: files.Recovery) -> Model | None:
        if recovery.original is None:
            return None
        try:
            return store.load(recovery.original)
        except ModelFileError:
            return None

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
