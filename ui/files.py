"""Recent files and crash recovery.

Recent files live in the application's QSettings. While a document has unsaved changes
the window writes it to a recovery copy (through the core's atomic save) in the
application data folder, with a small JSON note of which file it belongs to and when it
was written: `autosave_seconds` after the first unsaved edit (a setting, default 60) and
when the app loses focus. A save removes it, and so does the user discarding the changes;
a copy this session did not write stays until the user recovers, saves or discards it. A
copy still there when its file is opened (or at a bare start) means the app ended without
saving, and the user is offered the work back, with when it was written and what differs
from the file (`describe`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ecomraci import store
from ecomraci.model import Model

from PySide6.QtCore import QSettings, QStandardPaths

if TYPE_CHECKING:
    from ecomraci.diff import ModelDiff

RECENT_KEY = "files/recent"
MAX_RECENT = 10
SUFFIX = ".ecomraci.json"
NOTE = ".note.json"  # beside each recovery copy: which file it belongs to, and when
AUTOSAVE_KEY = "files/autosave_seconds"
AUTOSAVE_SECONDS = 60  # the default
MIN_AUTOSAVE_SECONDS = 1


def recent_files(settings: QSettings) -> list[Path]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings returns a lone string for a one-item list
        value = [value]
    return [Path(v) for v in value or [] if v]


def remember(settings: QSettings, path: Path) -> None:
    path = Path(path).resolve()
    items = [p for p in recent_files(settings) if p != path]
    settings.setValue(RECENT_KEY, [str(p) for p in [path, *items][:MAX_RECENT]])


def forget(settings: QSettings, path: Path) -> None:
    path = Path(path).resolve()
    settings.setValue(RECENT_KEY, [str(p) for p in recent_files(settings) if p != path])


def autosave_seconds(settings: QSettings) -> int:
    """How long after the first unsaved edit the recovery copy is written: the setting
    `files/autosave_seconds` (whole seconds, at least 1), or 60 when it is missing or not
    a number."""
    value = settings.value(AUTOSAVE_KEY, AUTOSAVE_SECONDS)
    try:
        seconds = int(str(value).strip())
    except ValueError:
        return AUTOSAVE_SECONDS
    return seconds if seconds >= MIN_AUTOSAVE_SECONDS else AUTOSAVE_SECONDS


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


@dataclass(frozen=True)
class Recovery:
    model_path: Path  # the recovery copy
    original: Path | None  # the file it belongs to (None: never saved)
    saved: str  # when, ISO time

    @property
    def label(self) -> str:
        name = self.original.name if self.original else "an unsaved model"
        return f"{name} (autosaved {self.saved[:16].replace('T', ' ')})"


class Autosaver:
    """Writes one document's recovery copy; `folder` is chosen by the caller (tests use a
    temporary folder)."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or recovery_dir()
        self._token = f"untitled-{os.getpid()}-{id(self):x}"

    def _stem(self, original: Path | None) -> str:
        if original is None:
            return self._token
        return "file-" + hashlib.sha1(str(Path(original).resolve()).encode()).hexdigest()[:16]

    def copy_path(self, original: Path | None) -> Path:
        """Where the recovery copy of `original` (None: the model not saved yet) goes."""
        return self.folder / f"{self._stem(original)}{SUFFIX}"

    def adopt(self, recovery: Recovery) -> Path:
        """Go on writing to `recovery`'s copy: a recovered model not saved yet keeps its
        copy (a file's copy is found by the file's name anyway). Returns the copy."""
        if recovery.original is None and recovery.model_path.parent == self.folder:
            self._token = recovery.model_path.name.removesuffix(SUFFIX)
        return recovery.model_path

    def save(self, model: Model, original: Path | None) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = self._stem(original)
        target = self.folder / f"{stem}{SUFFIX}"
        store.save(model, target, keep_backup=False)
        note = {
            "original": str(Path(original).resolve()) if original else None,
            "saved": datetime.now().isoformat(timespec="seconds"),
        }
        (self.folder / f"{stem}{NOTE}").write_text(json.dumps(note), encoding="utf-8")
        return target

    def discard(self, original: Path | None) -> None:
        _remove_copy(self.copy_path(original))


def pending_recoveries(folder: Path | None = None) -> list[Recovery]:
    folder = folder or recovery_dir()
    found: list[Recovery] = []
    for note in sorted(folder.glob(f"*{NOTE}")) if folder.is_dir() else []:
        model_path = note.with_name(note.name.replace(NOTE, SUFFIX))
        if not model_path.exists():
            continue
        try:
            data = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        original = Path(data["original"]) if data.get("original") else None
        found.append(Recovery(model_path, original, str(data.get("saved", ""))))
    return found


def recovery_for(path: Path, folder: Path | None = None) -> Recovery | None:
    """The recovery copy left for the file at `path`, if there is one."""
    path = Path(path).resolve()
    for recovery in pending_recoveries(folder):
        if recovery.original is not None and recovery.original.resolve() == path:
            return recovery
    return None


def drop_recovery(recovery: Recovery) -> None:
    _remove_copy(recovery.model_path)


def _remove_copy(model_path: Path) -> None:
    """Delete a recovery copy and its note, whichever of them still exists."""
    for path in (model_path, model_path.with_name(model_path.name.replace(SUFFIX, NOTE))):
        path.unlink(missing_ok=True)


def written_when(saved: str, today: datetime | None = None) -> str:
    """When a copy was written, as the recovery question says it: "today at 13:40" or
    "on 2026-12-01 at 09:05" (local time)."""
    try:
        moment = datetime.fromisoformat(saved)
    except ValueError:
        return "at an unknown time"
    today = today or datetime.now()
    day = "today" if moment.date() == today.date() else f"on {moment.date().isoformat()}"
    return f"{day} at {moment.strftime('%H:%M')}"


_SINGULAR = {
    "parties": "party",
    "functions": "function",
    "activities": "activity",
    "assignments": "assignment",
    "dependencies": "dependency",
    "contracts": "contract",
    "forums": "forum",
    "waivers": "waiver",
}


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """`n` with its noun: "1 info", "2 infos", "1 party", "3 parties" (given `plural`)."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


_count = count_of


def diff_summary(diff: ModelDiff) -> str:
    """A model diff in one line: "2 RACI cells changed, 1 activity added, 1 party
    changed", or "no differences"."""
    from ecomraci.diff import COLLECTIONS  # not needed to start the app

    parts = []
    if diff.raci:
        parts.append(_count(len(diff.raci), "RACI cell") + " changed")
    for collection in COLLECTIONS:
        changes = getattr(diff, collection)
        for status in ("added", "removed", "changed"):
            n = sum(1 for c in changes if c.status == status)
            if n:
                parts.append(f"{_count(n, _SINGULAR[collection], collection)} {status}")
    if diff.sections:
        parts.append(_count(len(diff.sections), "other field") + " changed")
    return ", ".join(parts) if parts else "no differences"


def describe(recovery: Recovery, recovered: Model, saved: Model | None) -> str:
    """The recovery question's subject: the file's name on the first line, then when the
    copy was written and what it holds that the file (`saved`, None when it cannot be
    read) does not."""
    name = recovery.original.name if recovery.original else f"the new model “{recovered.name}”"
    lines = [name, f"The recovered copy was written {written_when(recovery.saved)}."]
    if recovery.original is None:
        lines.append(
            f"It was never saved: {_count(len(recovered.parties), 'party', 'parties')}, "
            f"{_count(len(recovered.activities), 'activity', 'activities')}."
        )
    elif saved is None:
        lines.append(f"The file {recovery.original} cannot be read to compare.")
    else:
        from ecomraci.diff import diff_models

        lines.append(f"Against the file: {diff_summary(diff_models(saved, recovered))}.")
    return "\n".join(lines)
