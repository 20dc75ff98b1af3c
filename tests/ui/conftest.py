import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from ecomraci.catalog import new_model  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


class AnsweringPrompts:
    """Stands in for ui.prompts.Prompts: answers every question at once from `answers`
    and records what was asked, so no modal dialog ever waits in a test."""

    def __init__(self):
        self.answers: dict[str, object] = {
            "save_changes": "discard",
            "recover": "recover",
            "review_import": True,
        }
        self.asked: list[tuple[str, tuple]] = []
        self.errors: list[tuple[str, str]] = []

    def _answer(self, name, *args):
        self.asked.append((name, args))
        value = self.answers.get(name)
        return value(*args) if callable(value) else value

    def save_changes(self, title):
        return self._answer("save_changes", title)

    def open_path(self, *args):
        return self._answer("open_path", *args)

    def save_path(self, *args):
        return self._answer("save_path", *args)

    def text(self, title, label, default=""):
        return self._answer("text", title, label, default)

    def item(self, title, label, items):
        return self._answer("item", title, label, items)

    def confirm(self, title, text):
        return self._answer("confirm", title, text)

    def recover(self, label):
        return self._answer("recover", label)

    def review_import(self, changes, notes):
        return self._answer("review_import", changes, notes)

    def error(self, title, text):
        self.errors.append((title, text))


@pytest.fixture(autouse=True)
def no_window_left_behind(qapp):
    """Fail a test that leaves a window alive: after the test, its fixtures and the
    widgets it gave to qtbot are closed and the deletions they asked for are done, every
    top-level widget must be one that was there before it started."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    from shiboken6 import getCppPointer

    def windows():
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        # C++ addresses, not the Python wrappers, which would keep a widget alive
        return {getCppPointer(w)[0] for w in QApplication.topLevelWidgets()}

    before = windows()
    yield
    new = windows() - before
    if new:
        left = [w for w in QApplication.topLevelWidgets() if getCppPointer(w)[0] in new]
        names = ", ".join(f"{type(w).__name__} {w.windowTitle() or w.objectName()!r}" for w in left)
        for w in left:  # so that the next test starts without them
            w.close()
            w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        pytest.fail(f"the test left {len(left)} window(s) alive: {names}", pytrace=False)


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings, tmp_path):
    """Build main windows on a real document; each gets answering prompts, its own
    settings file and recovery folder, and is closed without questions at the end."""
    from ui.document import Document
    from ui.main_window import MainWindow

    made = []

    def make(model=None, path=None, document=True, as_of=None):
        doc = None
        if document:
            doc = Document(model if model is not None else new_model(), path)
        w = MainWindow(doc, as_of=as_of, settings=settings, recovery_folder=tmp_path / "recovery")
        w.prompts = AnsweringPrompts()
        w.show()
        qtbot.waitExposed(w)
        made.append(w)
        return w

    yield make
    for w in made:
        if w.document is not None:
            w.document.undo_stack.setClean()
        w.close()
        w.deleteLater()


@pytest.fixture
def window(make_window):
    return make_window()
