"""Saving and exporting from the window when the core refuses: a model the file could not
hold, a target that is a pipe, a device or a folder. The user gets the core's message in
an error box, the file on disk stays as it was, and nothing waits on a pipe. And the
garbage collector's frozen set stays one document's worth however often files are
opened."""

from __future__ import annotations

import gc
import os
import stat
import weakref
from contextlib import contextmanager

import pytest

from ecomraci import store
from ecomraci.catalog import new_model
from tests.guards import no_hang
from tests.ui.conftest import SAMPLES

from PySide6.QtCore import QThreadPool, qInstallMessageHandler

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def spoil(model) -> None:
    """A RACI row for an activity the model does not have: `load` refuses such a file."""
    model.raci["ghost"] = {model.parties[0].id: "R"}


# --- a model the file could not hold --------------------------------------------------------


def test_save_of_a_model_load_would_refuse_shows_why_and_keeps_the_file(make_window, tmp_path):
    path = tmp_path / "shop.ecomraci.json"
    store.save(new_model(), path)
    original = path.read_bytes()
    w = make_window(store.load(path), path)
    spoil(w.document.model)
    w.document.undo_stack.resetClean()  # unsaved changes
    assert not w.save()
    title, text = w.prompts.errors[-1]
    assert title == "Cannot save"
    assert "$.raci.ghost: no activity has this id" in text
    assert "not changed" in text and "Traceback" not in text
    assert path.read_bytes() == original
    assert {p.name for p in tmp_path.iterdir()} >= {"shop.ecomraci.json"}
    assert not (tmp_path / "shop.ecomraci.json.bak").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert w.document.is_modified() and "*" in w.windowTitle()


def test_autosave_of_such_a_model_writes_nothing_and_says_so(make_window, tmp_path):
    w = make_window()
    spoil(w.document.model)
    w.document.undo_stack.resetClean()
    assert w.autosave_now() is None
    recovery = tmp_path / "recovery"
    assert not recovery.exists() or not list(recovery.iterdir())
    message = w.statusBar().currentMessage()
    assert message.startswith("Autosave failed") and "$.raci.ghost" in message


# --- targets that are not regular files -------------------------------------------------------


@needs_fifo
def test_save_as_to_a_named_pipe_is_refused_at_once(window, tmp_path):
    fifo = tmp_path / "pipe.ecomraci.json"
    os.mkfifo(fifo)
    window.prompts.answers["save_path"] = fifo
    with no_hang():
        assert not window.save_as()
    title, text = window.prompts.errors[-1]
    assert title == "Cannot save"
    assert text.startswith(f"{fifo}: {store.NOT_A_REGULAR_FILE}")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert window.document.path is None


@pytest.mark.parametrize("replace", [False, True])
def test_save_as_a_name_without_the_suffix_asks_before_replacing_that_file(
    window, tmp_path, replace
):
    victim = tmp_path / "victim.ecomraci.json"
    store.save(new_model(name="Someone else's model"), victim, keep_backup=False)
    before = victim.read_bytes()
    window.prompts.answers["save_path"] = tmp_path / "victim"  # typed without the suffix
    window.prompts.answers["confirm"] = replace
    assert window.save_as() is replace
    [(name, (title, text))] = [a for a in window.prompts.asked if a[0] == "confirm"]
    assert "victim.ecomraci.json already exists" in text
    assert (victim.read_bytes() == before) is not replace


def test_save_and_export_dialogs_open_beside_the_document(make_window, tmp_path):
    path = tmp_path / "shop.ecomraci.json"
    store.save(new_model(), path, keep_backup=False)
    window = make_window(store.load(path), path)
    window.prompts.answers["save_path"] = None
    window.save_as()
    window.export_excel()
    window.export_map()
    offered = [args[0] for name, args in window.prompts.asked if name == "save_path"]
    assert offered == [
        str(tmp_path / "shop.ecomraci.json"),
        str(tmp_path / "shop.xlsx"),
        str(tmp_path / "shop-map.svg"),
    ]


def test_save_as_to_a_folder_is_refused(window, tmp_path):
    folder = tmp_path / "folder.ecomraci.json"
    folder.mkdir()
    window.prompts.answers["save_path"] = folder
    assert not window.save_as()
    title, text = window.prompts.errors[-1]
    assert title == "Cannot save" and "this is a folder" in text
    assert folder.is_dir()


@needs_fifo
def test_excel_export_to_a_named_pipe_is_refused_before_it_starts(window, tmp_path):
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    window.prompts.answers["save_path"] = fifo
    with no_hang():
        assert not window.export_excel()
    title, text = window.prompts.errors[-1]
    assert title == "Cannot export" and store.NOT_A_REGULAR_FILE in text
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert {p.name for p in tmp_path.iterdir()} >= {"book.xlsx"}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@needs_fifo
def test_map_export_to_a_named_pipe_is_refused(window, tmp_path):
    fifo = tmp_path / "map.svg"
    os.mkfifo(fifo)
    window.prompts.answers["save_path"] = fifo
    with no_hang():
        assert not window.export_map()
    title, text = window.prompts.errors[-1]
    assert title == "Cannot export the map" and store.NOT_A_REGULAR_FILE in text
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# --- the garbage collector's frozen set ---------------------------------------------------------

# What a reopen may still add to the frozen set, besides the new document itself: the
# weak reference this test keeps to each model, and a handful of wrappers PySide keeps
# for objects it caches. The frozen garbage of one document was thousands of objects,
# and the old model tree's items were about a hundred a reopen.
PER_REOPEN = 4


def _settle(qtbot) -> None:
    """Let the event loop run as it would between two user actions: the old views are
    deleted, the findings check ends, the heap is frozen again."""
    for _ in range(2):
        QThreadPool.globalInstance().waitForDone()
        qtbot.wait(30)


@contextmanager
def qt_messages_dropped():
    """The offscreen platform warns at each bind, and pytest-qt would keep a record of
    each warning: objects of the test harness, not of the app."""
    previous = qInstallMessageHandler(lambda *_args: None)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def test_reopening_files_does_not_grow_the_frozen_heap(make_window, qtbot):
    w = make_window(document=False)
    counts, models = [], []
    with qt_messages_dropped():
        assert w.open_path(SAMPLES / "vip-promotion.ecomraci.json", ask=False)
        _settle(qtbot)
        for _ in range(5):
            assert w.open_path(SAMPLES / "outsourced-estore.ecomraci.json", ask=False)
            _settle(qtbot)
            counts.append(gc.get_freeze_count())
            models.append(weakref.ref(w.document.model))
    assert counts[0] > 0, "the heap is frozen while a document is open"
    assert counts[-1] <= counts[0] + PER_REOPEN * (len(counts) - 1), counts
    # the documents opened before are gone, not kept frozen
    assert [m() is not None for m in models] == [False] * 4 + [True]
