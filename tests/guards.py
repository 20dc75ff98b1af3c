"""Helpers the tests of files and hostile input share: the command line in a child
process, a minimal valid model document, and a guard that fails instead of hanging."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ecomraci import store
from ecomraci.catalog import new_model

CLI_TIMEOUT = 120  # a hang guard, not a performance assert


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`ecomraci ARGS` in a child process, its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "ecomraci", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=CLI_TIMEOUT,
        cwd=cwd,
    )


def good_doc() -> dict:
    """A new model as the JSON document of its file."""
    return json.loads(store.dumps(new_model()))


@contextmanager
def no_hang(seconds: float = 10) -> Iterator[None]:
    """Fail instead of hanging if something waits on a pipe."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(*_args):
        raise TimeoutError("blocked on the target")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
