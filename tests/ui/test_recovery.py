"""Nothing lost: the recovery copy is offered whenever its file is opened, kept until the
user saves or discards it, written a set time after the first unsaved edit and when the
app loses focus. A "crash" here is a window left as it is (never closed) while a new
window on the same settings and recovery folder opens the file."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.diff import diff_models
from ui import files

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "shop.ecomraci.json"
    store.save(new_model(), path)
    return path


def _copies(tmp_path):
    folder = tmp_path / "recovery"
    return sorted(folder.glob(f"*{files.SUFFIX}")) if folder.is_dir() else []


def _edit(window, letters="C"):
    window.matrix_model.setData(window.matrix_model.index(1, 0), letters)
    assert window.document.is_modified()


def _written_at(copy) -> str:
    note = copy.with_name(copy.name.replace(files.SUFFIX, files.NOTE))
    return datetime.fromisoformat(json.loads(note.read_text())["saved"]).strftime("%H:%M")


def _recover_questions(window):
    return [args[0] for name, args in window.prompts.asked if name == "recover"]


def _open_after_crash(make_window, path):
    """A new session opens the file as a double-click or the recent files do."""
    window = make_window(document=False)
    assert window.open_path(path)
    return window


def test_opening_the_file_after_a_crash_offers_the_work_and_a_second_crash_keeps_it(
    make_window, shop, tmp_path
):
    first = make_window(document=False)
    assert first.open_path(shop)
    assert _recover_questions(first) == []  # nothing left behind yet
    _edit(first)
    copy = first.autosave_now()
    assert copy is not None and copy.exists()
    edited = first.document.model.model_copy(deep=True)
    # The app crashes: `first` is never closed. Next session, the file itself is opened.
    second = _open_after_crash(make_window, shop)
    [question] = _recover_questions(second)
    assert question.startswith("shop.ecomraci.json\n")
    assert f"at {_written_at(copy)}" in question
    assert "Against the file: 1 RACI cell changed." in question
    assert second.document.model == edited
    assert second.document.path.resolve() == shop.resolve()
    assert second.document.is_modified() and "*" in second.windowTitle()
    assert copy.exists()  # recovering keeps the copy: it is the unsaved state now
    assert store.load(shop) != edited  # the user's file was never touched
    # A second crash before the next autosave: the work is still offered.
    third = _open_after_crash(make_window, shop)
    [question] = _recover_questions(third)
    assert "1 RACI cell changed" in question
    assert third.document.model == edited
    assert third.document.is_modified()


def test_the_next_autosave_of_a_recovered_model_replaces_its_copy(make_window, shop, tmp_path):
    first = _open_after_crash(make_window, shop)
    _edit(first, "C")
    copy = first.autosave_now()
    second = _open_after_crash(make_window, shop)
    _edit(second, "R")
    assert second.autosave_now() == copy
    assert _copies(tmp_path) == [copy]
    third = _open_after_crash(make_window, shop)
    assert third.document.model == second.document.model


def test_later_opens_the_file_as_saved_and_quitting_keeps_the_copy(make_window, shop, tmp_path):
    first = _open_after_crash(make_window, shop)
    _edit(first)
    copy = first.autosave_now()
    edited = first.document.model.model_copy(deep=True)
    second = make_window(document=False)
    second.prompts.answers["recover"] = "later"
    assert second.open_path(shop)
    assert _recover_questions(second)
    assert second.document.model == store.load(shop)
    assert not second.document.is_modified()
    second.close()  # a clean quit
    assert copy.exists()
    third = _open_after_crash(make_window, shop)
    assert third.document.model == edited


def test_discard_deletes_the_copy_and_opens_the_file(make_window, shop, tmp_path):
    first = _open_after_crash(make_window, shop)
    _edit(first)
    first.autosave_now()
    second = make_window(document=False)
    second.prompts.answers["recover"] = "discard"
    assert second.open_path(shop)
    assert second.document.model == store.load(shop)
    assert _copies(tmp_path) == []


def test_saving_a_recovered_model_removes_the_copy(make_window, shop, tmp_path):
    first = _open_after_crash(make_window, shop)
    _edit(first)
    first.autosave_now()
    second = _open_after_crash(make_window, shop)
    assert second.save()
    assert _copies(tmp_path) == []
    assert store.load(shop) == second.document.model


def test_discarding_a_recovered_model_removes_the_copy(make_window, shop, tmp_path):
    first = _open_after_crash(make_window, shop)
    _edit(first)
    first.autosave_now()
    second = _open_after_crash(make_window, shop)
    second.prompts.answers["save_changes"] = "discard"
    second.close_document()
    assert _copies(tmp_path) == []


def test_undone_back_to_the_file_the_window_closes_without_a_copy(make_window, shop, tmp_path):
    w = _open_after_crash(make_window, shop)
    _edit(w)
    assert w.autosave_now().exists()
    w.document.undo_stack.undo()
    assert not w.document.is_modified()
    assert not w.files.autosave_timer.isActive()
    w.close()
    assert _copies(tmp_path) == []


def test_the_file_given_at_start_gets_its_copy_offered(make_window, shop, tmp_path):
    """`ecomraci-gui shop.ecomraci.json`: the window is built on the file, then asked
    (as `ui.app` does) about its copy."""
    first = _open_after_crash(make_window, shop)
    _edit(first)
    first.autosave_now()
    edited = first.document.model.model_copy(deep=True)
    second = make_window(store.load(shop), shop)
    assert second.files.offer_recovery(second.document.path, second.document.model)
    assert _recover_questions(second)
    assert second.document.model == edited and second.document.is_modified()


def test_a_recovered_model_never_saved_keeps_one_copy_until_saved(make_window, tmp_path):
    first = make_window()
    _edit(first)
    copy = first.autosave_now()
    second = make_window(document=False)
    assert second.offer_recovery()
    [question] = _recover_questions(second)
    assert "It was never saved" in question
    assert second.document.path is None and second.document.is_modified()
    assert copy.exists()
    _edit(second, "R")
    assert second.autosave_now() == copy  # the same copy, not a second one
    assert _copies(tmp_path) == [copy]
    second.prompts.answers["save_path"] = tmp_path / "saved.ecomraci.json"
    assert second.save()
    assert _copies(tmp_path) == []


# --- when the copy is written ---------------------------------------------------------------


def test_autosave_waits_for_the_first_unsaved_edit(make_window, settings, qtbot, tmp_path):
    settings.setValue(files.AUTOSAVE_KEY, 1)
    w = make_window()
    timer = w.files.autosave_timer
    assert timer.interval() == 1000
    assert not timer.isActive()
    qtbot.wait(1200)
    assert _copies(tmp_path) == []  # no edit, no copy
    _edit(w)
    assert timer.isActive()
    qtbot.waitUntil(lambda: bool(_copies(tmp_path)), timeout=3000)
    assert not timer.isActive()  # written: the next edit starts it again
    _edit(w, "R")
    assert timer.isActive()


def test_the_interval_is_a_setting(make_window, settings):
    assert make_window().files.autosave_timer.interval() == 60_000
    settings.setValue(files.AUTOSAVE_KEY, 15)
    assert make_window().files.autosave_timer.interval() == 15_000
    settings.setValue(files.AUTOSAVE_KEY, "soon")
    assert make_window().files.autosave_timer.interval() == 60_000


def test_losing_focus_writes_the_copy_when_there_are_unsaved_changes(make_window, tmp_path):
    app = QApplication.instance()
    w = make_window()
    try:
        app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
        assert _copies(tmp_path) == []  # nothing unsaved
        app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
        _edit(w)
        app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
        [copy] = _copies(tmp_path)
        assert store.load(copy) == w.document.model
        assert not w.files.autosave_timer.isActive()
    finally:
        app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)


# --- the question's text ----------------------------------------------------------------


def test_the_diff_summary_and_the_time_read_as_sentences():
    before = new_model()
    after = before.model_copy(deep=True)
    after.name = "Renamed"
    after.activities = after.activities[1:]
    after.parties = after.parties[2:]
    assert files.diff_summary(diff_models(before, after)) == (
        "2 parties removed, 1 activity removed, 1 other field changed"
    )
    assert files.diff_summary(diff_models(before, before)) == "no differences"
    now = datetime(2026, 12, 2, 13, 40)
    assert files.written_when("2026-12-02T09:05:00", now) == "today at 09:05"
    assert files.written_when("2026-12-01T09:05:00", now) == "on 2026-12-01 at 09:05"
    assert files.written_when("", now) == "at an unknown time"
