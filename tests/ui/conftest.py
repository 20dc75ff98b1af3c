import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from ecomraci.catalog import new_model  # noqa: E402


@pytest.fixture
def window(qtbot):
    from ui.document import Document
    from ui.main_window import MainWindow

    w = MainWindow(Document(new_model()))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.document.undo_stack.setClean()  # closing must not ask
