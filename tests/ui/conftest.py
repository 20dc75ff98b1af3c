import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from ecomraci.catalog import new_model  # noqa: E402


@pytest.fixture
def window(qtbot):
    from ui.document import Document
    from ui.main_window import MainWindow

    w = MainWindow(Document(new_model()))
    w.show()
    qtbot.waitExposed(w)
    yield w
    # Not registered with qtbot: its teardown would close the window while it is still
    # modified and the "Unsaved changes" question would wait for a click forever.
    w.document.undo_stack.setClean()
    w.close()
    w.deleteLater()
