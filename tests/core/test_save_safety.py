"""A save is as safe for the .bak as for the file: a kill at any moment leaves both
complete, a failed save leaves both as they were, leftovers of killed saves are removed by
the next save, a symbolic link is saved through, and a .bak that is not a regular file is
never written through or into."""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.generate import generate
from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.store import WriteRefused

ROOT = Path(__file__).resolve().parents[2]
NAME = "shop.ecomraci.json"
TEMP = re.compile(r"\..+\.ecomraci-(?:bak-)?tmp")
# Big enough that a save takes some milliseconds (about 200 KB of JSON).
SIZE = dict(functions=60, activities=400, parties=40, dependencies=150, contracts=15)


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def temp_files(folder: Path) -> set[str]:
    return {name for name in files_in(folder) if TEMP.fullmatch(name)}


# --- killed at random moments -------------------------------------------------------------

# Imports and builds the two versions once, then forks one worker per round (a fresh
# interpreter per kill would cost most of the time budget in start-up). A worker saves the
# two versions alternately until it is killed.
ZYGOTE = """
import os, sys, traceback
sys.path.insert(0, sys.argv[1])
from bench.generate import generate
from ecomraci import store

path = sys.argv[2]
size = dict(functions=60, activities=400, parties=40, dependencies=150, contracts=15)
models = [generate(seed=1, **size), generate(seed=2, **size)]
os.write(1, b"ready\\n")
while True:
    command = sys.stdin.readline().split()
    if not command or command[0] == "quit":
        break
    first = int(command[1])
    pid = os.fork()
    if pid == 0:
        try:
            store.save(models[first], path)
            os.write(1, b"saved\\n")
            i = first + 1
            while True:
                store.save(models[i % 2], path)
                i += 1
        except BaseException:
            traceback.print_exc()
            os.write(1, b"failed\\n")
        finally:
            os._exit(1)
    os.write(1, b"pid %d\\n" % pid)
    os.waitpid(pid, 0)
    os.write(1, b"reaped\\n")
"""

# At least 100 kills, as the save-safety promise asks; the figures are printed, not
# asserted (a test never asserts a timing: a busy machine only makes it slower).
KILLS = 120


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a worker per kill (POSIX)")
def test_saves_killed_at_random_moments_leave_file_and_bak_complete(tmp_path):
    versions = [store.savable_text(generate(seed=seed, **SIZE)) for seed in (1, 2)]
    assert versions[0] != versions[1]
    for data in versions:
        store.loads(data)  # both versions load, so a file equal to one of them does
    folder = tmp_path / "models"
    folder.mkdir()
    path = folder / NAME
    script = tmp_path / "zygote.py"
    script.write_text(ZYGOTE, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(ROOT), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    watchdog = threading.Timer(300, proc.kill)  # a hang fails the test instead
    watchdog.start()
    rng = random.Random(20261202)
    started = time.monotonic()
    left_by_kill: list[set[str]] = []
    baks = 0
    try:
        assert proc.stdout is not None and proc.stdin is not None

        def line() -> str:
            text = proc.stdout.readline().decode().strip()
            if text in ("", "failed"):
                proc.kill()
                raise AssertionError(f"the saving process failed: {proc.stderr.read().decode()}")
            return text

        assert line() == "ready"
        # how long one save takes here, to spread the kills over a couple of saves
        model = generate(seed=1, **SIZE)
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            store.save(model, tmp_path / "timing.ecomraci.json")
            timings.append(time.perf_counter() - t0)
        save_seconds = min(timings)
        leftovers: set[str] = set()
        for kill in range(KILLS):
            proc.stdin.write(f"go {kill % 2}\n".encode())
            proc.stdin.flush()
            got = {line(), line()}  # the pid and the first save's end, in either order
            [pid_line] = [text for text in got if text.startswith("pid ")]
            assert got - {pid_line} == {"saved"}
            # the worker's first save removed what the previous kill left
            assert not leftovers & files_in(folder), f"kill {kill}: left from an earlier save"
            time.sleep(rng.uniform(0, 2.5 * min(save_seconds, 0.05)))
            os.kill(int(pid_line.split()[1]), signal.SIGKILL)
            assert line() == "reaped"
            assert path.read_bytes() in versions, f"kill {kill}: the file is damaged"
            bak = store.backup_path(path)
            if bak.exists():
                baks += 1
                assert bak.read_bytes() in versions, f"kill {kill}: the .bak is damaged"
            leftovers = temp_files(folder)
            left_by_kill.append(leftovers)
            assert files_in(folder) - leftovers <= {NAME, NAME + ".bak"}
        proc.stdin.write(b"quit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=30) == 0
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # the next save in that folder removes what the last kill left
    store.save(generate(seed=3, **SIZE), path)
    assert files_in(folder) == {NAME, NAME + ".bak"}
    elapsed = time.monotonic() - started
    mid_write = sum(1 for left in left_by_kill if left)
    print(
        f"{KILLS} kills in {elapsed:.1f} s (a save {save_seconds * 1000:.0f} ms); "
        f"{mid_write} killed while temporary files existed; a .bak after {baks}"
    )
    assert mid_write >= 1, "no kill landed while a save was writing"


# --- a failure at each step ---------------------------------------------------------------


class Faults:
    """Counts the steps of a save that touch the disk and fails the `fail_at`-th one (from
    0) with `error`; a failing write writes half its text first."""

    def __init__(self, monkeypatch, fail_at: int | None, error: int, no_links: bool):
        self.fail_at = fail_at
        self.error = error
        self.steps: list[str] = []
        real_link = os.link
        for name in ("open", "fsync", "replace", "chmod"):
            self._wrap(monkeypatch, name)

        def link(*args, **kwargs):
            if no_links:  # a file system without hard links: the copy is used
                raise OSError(errno.EPERM, os.strerror(errno.EPERM))
            return real_link(*args, **kwargs)

        monkeypatch.setattr(os, "link", self._counted("link", link))
        real_fdopen = os.fdopen
        faults = self

        class Writer:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()
                return False

            def write(self, data):
                if faults.step("write"):
                    self.f.write(data[: len(data) // 2])
                    self.f.flush()
                    faults.fail()
                return self.f.write(data)

            def __getattr__(self, name):
                return getattr(self.f, name)

        monkeypatch.setattr(os, "fdopen", lambda *a, **k: Writer(real_fdopen(*a, **k)))

    def step(self, name: str) -> bool:
        self.steps.append(name)
        return len(self.steps) - 1 == self.fail_at

    def fail(self):
        raise OSError(self.error, os.strerror(self.error))

    def _counted(self, name, real):
        def call(*args, **kwargs):
            if self.step(name):
                self.fail()
            return real(*args, **kwargs)

        return call

    def _wrap(self, monkeypatch, name):
        monkeypatch.setattr(os, name, self._counted(name, getattr(os, name)))


def _saved_twice(folder: Path) -> tuple[Path, bytes, bytes, bytes]:
    path = folder / NAME
    store.save(new_model("commerce", "First"), path)
    older = path.read_bytes()
    store.save(new_model("content", "Second"), path)
    return path, path.read_bytes(), older, store.savable_text(new_model("community", "Third"))


@pytest.mark.parametrize("no_links", [False, True], ids=["hard-link", "copy"])
@pytest.mark.parametrize(
    "error", [errno.ENOSPC, errno.EROFS, errno.EACCES], ids=["full", "read-only", "denied"]
)
def test_a_failure_at_any_step_leaves_file_and_bak_byte_identical(
    tmp_path, monkeypatch, error, no_links
):
    """Each step of a save fails in turn: the disk is full, the folder read-only (as
    injected errors, which stop root as well as anyone, unlike chmod) or access denied.
    A save that reports failure has changed nothing and left no temporary file; a step
    whose failure the save can do without (syncing the folder) lets it succeed."""
    path, current, older, new = _saved_twice(tmp_path)
    with monkeypatch.context() as patched:
        dry = Faults(patched, None, error, no_links)
        store.write_text_atomic(path, new)
    steps = dry.steps
    expected = {"open", "write", "fsync", "chmod", "replace"} | ({"open"} if no_links else {"link"})
    assert expected <= set(steps), steps
    failed = []
    for fail_at, step in enumerate(steps):
        path.write_bytes(current)
        store.backup_path(path).write_bytes(older)
        with monkeypatch.context() as patched:
            Faults(patched, fail_at, error, no_links)
            try:
                store.write_text_atomic(path, new)
            except OSError as exc:
                assert exc.errno == error
                failed.append(step)
                assert path.read_bytes() == current, f"step {fail_at} ({step})"
                assert store.backup_path(path).read_bytes() == older, f"step {fail_at} ({step})"
            else:
                assert path.read_bytes() == new
                assert store.backup_path(path).read_bytes() == current
        assert files_in(tmp_path) == {NAME, NAME + ".bak"}, f"step {fail_at} ({step})"
    # every write, sync, link and rename of the save itself is one it cannot do without
    # (a link refused as not permitted falls back to the copy: that save succeeds)
    links_fail = not no_links and error not in (errno.EPERM, errno.EACCES)
    for step in ("write", "fsync", "replace") + (("link",) if links_fail else ()):
        assert failed.count(step) >= 1, (step, steps, failed)
    assert failed.count("replace") == 2  # the new text onto the file, the old onto the .bak


def test_a_failed_rename_of_the_bak_puts_the_previous_version_back(tmp_path, monkeypatch):
    path, current, older, new = _saved_twice(tmp_path)
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".bak"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        store.write_text_atomic(path, new)
    monkeypatch.undo()
    assert path.read_bytes() == current
    assert store.backup_path(path).read_bytes() == older
    assert files_in(tmp_path) == {NAME, NAME + ".bak"}


# --- leftovers of killed saves ---------------------------------------------------------------


def _leftovers(folder: Path) -> dict[str, bool]:
    """Files a killed save of NAME may leave, and files that are none of ours (False)."""
    names = {
        f".{NAME}.k3j_x9ab{store.TEMP_SUFFIX}": True,
        f".{NAME}.0f1e2d3c{store.BACKUP_TEMP_SUFFIX}": True,
        f".other.ecomraci.json.k3j_x9ab{store.TEMP_SUFFIX}": False,  # another file's
        f".{NAME}.k3j_x9ab.tmp": False,  # not our pattern
        f"{NAME}.k3j_x9ab{store.TEMP_SUFFIX}": False,  # not hidden: not ours
        "notes.txt": False,
    }
    for name in names:
        (folder / name).write_text("leftover")
    return names


def test_the_next_save_removes_only_its_own_leftovers(tmp_path):
    path = tmp_path / NAME
    store.save(new_model(), path)
    names = _leftovers(tmp_path)
    store.save(new_model("content"), path)
    assert files_in(tmp_path) == {NAME, NAME + ".bak"} | {
        n for n, ours in names.items() if not ours
    }


def test_a_folder_entry_of_our_pattern_is_left_alone(tmp_path):
    odd = tmp_path / f".{NAME}.k3j_x9ab{store.TEMP_SUFFIX}"
    odd.mkdir()
    store.save(new_model(), tmp_path / NAME)
    assert odd.is_dir()


@pytest.mark.skipif(store.fcntl is None, reason="folder locks are POSIX")
def test_a_running_save_keeps_its_temporary_files(tmp_path):
    """Another save holds the folder's shared lock: its files are not leftovers."""
    path = tmp_path / NAME
    store.save(new_model(), path)
    names = _leftovers(tmp_path)
    other = os.open(tmp_path, os.O_RDONLY)  # another open file description: another save
    try:
        store.fcntl.flock(other, store.fcntl.LOCK_SH)
        store.save(new_model("content"), path)
    finally:
        os.close(other)
    assert files_in(tmp_path) == {NAME, NAME + ".bak"} | set(names)
    store.save(new_model("community"), path)  # that save is over: now they go
    assert files_in(tmp_path) == {NAME, NAME + ".bak"} | {
        n for n, ours in names.items() if not ours
    }


@pytest.mark.skipif(store.fcntl is None, reason="folder locks are POSIX")
def test_a_folder_locked_by_another_program_does_not_hang_the_save(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "LOCK_WAIT_SECONDS", 0.2)
    path = tmp_path / NAME
    store.save(new_model(), path)
    other = os.open(tmp_path, os.O_RDONLY)
    try:
        store.fcntl.flock(other, store.fcntl.LOCK_EX)
        started = time.monotonic()
        store.save(new_model("content"), path)
        assert time.monotonic() - started < 5
    finally:
        os.close(other)
    assert path.read_bytes() == store.savable_text(new_model("content"))
    assert files_in(tmp_path) == {NAME, NAME + ".bak"}


# --- symbolic links and a .bak that is not a file -----------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_model_path_that_is_a_symlink_is_saved_through_to_its_target(tmp_path, monkeypatch):
    data = tmp_path / "data"
    links = tmp_path / "links"
    data.mkdir()
    links.mkdir()
    real = data / NAME
    store.save(new_model("commerce", "First"), real)
    first = real.read_bytes()
    link = links / NAME
    link.symlink_to(real)
    store.save(new_model("content", "Second"), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert store.load(real).name == "Second"
    assert store.backup_path(link) == data / (NAME + ".bak")
    assert (data / (NAME + ".bak")).read_bytes() == first
    assert files_in(data) == {NAME, NAME + ".bak"}
    assert files_in(links) == {NAME}
    # a relative link too, saved by a relative name
    monkeypatch.chdir(links)
    relative = Path("relative.ecomraci.json")
    relative.symlink_to(Path("..") / "data" / NAME)
    store.save(new_model("community", "Third"), relative)
    monkeypatch.undo()
    assert relative.name in files_in(links) and (links / relative).is_symlink()
    assert store.load(real).name == "Third"
    assert store.load(data / (NAME + ".bak")).name == "Second"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_bak_that_is_a_symlink_is_refused_and_what_it_points_to_untouched(tmp_path):
    path = tmp_path / NAME
    store.save(new_model(), path)
    before = path.read_bytes()
    victim = tmp_path / "precious.txt"
    victim.write_text("someone else's file")
    bak = store.backup_path(path)
    bak.symlink_to(victim)
    with pytest.raises(WriteRefused) as info:
        store.save(new_model("content"), path)
    message = str(info.value)
    assert message.startswith(f"{path}: the backup {bak} is a symbolic link"), message
    assert "remove or rename it" in message and "nothing was saved" in message
    assert victim.read_text() == "someone else's file"
    assert bak.is_symlink() and os.readlink(bak) == str(victim)
    assert path.read_bytes() == before
    assert files_in(tmp_path) == {NAME, NAME + ".bak", "precious.txt"}


def test_a_bak_that_is_a_folder_is_refused_and_nothing_written_into_it(tmp_path):
    path = tmp_path / NAME
    store.save(new_model(), path)
    before = path.read_bytes()
    bak = store.backup_path(path)
    bak.mkdir()
    with pytest.raises(WriteRefused) as info:
        store.save(new_model("content"), path)
    message = str(info.value)
    assert message.startswith(f"{path}: the backup {bak} is a folder"), message
    assert "remove or rename it" in message
    assert list(bak.iterdir()) == []
    assert path.read_bytes() == before
    assert files_in(tmp_path) == {NAME, NAME + ".bak"}
    bak.rmdir()  # as the message says: then the save goes ahead
    store.save(new_model("content"), path)
    assert bak.read_bytes() == before


def test_an_odd_bak_does_not_stop_a_save_that_keeps_no_backup(tmp_path):
    path = tmp_path / NAME
    store.save(new_model(), path)
    store.backup_path(path).mkdir()
    store.save(new_model("content"), path, keep_backup=False)
    assert path.read_bytes() == store.savable_text(new_model("content"))
