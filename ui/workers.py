"""Long work off the GUI thread, with a progress dialog.

`run_with_progress` runs a core function in a worker thread and keeps the window
responsive: the dialog shows the progress the function reports through its `progress`
callback, and the call returns when the work is done. The core function works on a copy
of the model, so nothing the user does meanwhile can change what it reads.

Only the function runs in the worker thread. Its progress and its outcome come back as
signals to a `_Receiver` that lives in the GUI thread, so they arrive queued and the
dialog and the thread are touched from the GUI thread alone. (A signal connected to a
plain function, as opposed to a method of a QObject, would run that function in the
thread that emits it.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(bool, object)  # ok, result or error text

    def __init__(self, work: Callable[[Callable[..., None]], Any]):
        super().__init__()
        self.work = work
        self.cancelled = threading.Event()

    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except Exception as exc:  # reported to the user by the caller, never lost
            self.finished.emit(False, str(exc) or type(exc).__name__)
            return
        self.finished.emit(True, result)

    def _progress(self, done: int, total: int | None = None, *_rest) -> None:
        self.progressed.emit(int(done), int(total or 0))


class _Receiver(QObject):
    """The GUI thread's end of the worker's signals: shows the progress and, once the
    outcome is in, stops the worker's thread."""

    def __init__(self, dialog: QProgressDialog, thread: QThread):
        super().__init__()
        self.dialog = dialog
        self.thread_ = thread
        self.outcome: list[tuple[bool, Any]] = []

    @Slot(int, int)
    def progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    @Slot(bool, object)
    def finished(self, ok: bool, result: Any) -> None:
        self.outcome.append((ok, result))
        self.thread_.quit()


def run_with_progress(
    parent: QWidget, label: str, work: Callable[[Callable[..., None]], Any]
) -> tuple[bool, Any]:
    """Run `work(progress)` in a thread; return (True, result) or (False, error text)."""
    dialog = QProgressDialog(label, None, 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    thread = QThread(parent)
    worker = _Worker(work)
    worker.moveToThread(thread)
    receiver = _Receiver(dialog, thread)
    loop = QEventLoop()

    worker.progressed.connect(receiver.progressed)
    worker.finished.connect(receiver.finished)
    thread.started.connect(worker.run)
    thread.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    worker.deleteLater()
    thread.deleteLater()
    outcome = receiver.outcome
    return outcome[0] if outcome else (False, "the work stopped unexpectedly")
