"""Recent files and crash recovery.

Recent files live in the application's QSettings. While a document has unsaved changes
the window writes it every minute to a recovery file (through the core's atomic save) in
the application data folder, with a small JSON note of which file it belongs to. A clean
save or close removes it; a recovery file still there at the next start means the app
ended without saving, and the user is offered the work back.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ecomraci import store
from ecomraci.model import Model

from PySide6.QtCore import QSettings, QStandardPaths

RECENT_KEY = "files/recent"
MAX_RECENT = 10
SUFFIX = ".ecomraci.json"
NOTE = ".note.json"  # beside each recovery copy: which file it belongs to, and when


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
        _remove_copy(self.folder / f"{self._stem(original)}{SUFFIX}")


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


def drop_recovery(recovery: Recovery) -> None:
    _remove_copy(recovery.model_path)


def _remove_copy(model_path: Path) -> None:
    """Delete a recovery copy and its note, whichever of them still exists."""
    for path in (model_path, model_path.with_name(model_path.name.replace(SUFFIX, NOTE))):
        path.unlink(missing_ok=True)
