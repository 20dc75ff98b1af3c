"""Loading and saving model files (``*.ecomraci.json``).

A model file is one JSON object that starts with ``"format": "ecomraci-model"`` and a
``"version"``. `load` refuses anything else with a `ModelFileError` whose text names the
file, the place in it (a JSON path) and the problem, in one paragraph, so the command
line and the app can show it as it is.

Older versions are brought up to date by `MIGRATIONS`, a chain of small functions each
taking a version-N document to version N+1; a newer version is refused, since guessing at
fields we do not know could lose the user's data on the next save.

`save` is atomic: the new text goes to a temporary file in the same folder, is flushed and
synced, the previous file is copied to ``<name>.bak``, and the temporary file replaces the
target in one `os.replace`. A failure at any step leaves the original file as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecomraci.integrity import integrity_problems
from ecomraci.model import FORMAT_NAME, FORMAT_VERSION, Model

MAX_FILE_BYTES = 100 * 1024 * 1024


class ModelFileError(Exception):
    """A model file that cannot be used; `str()` is the message for the user."""

    def __init__(self, source: str, place: str, problem: str):
        self.source = source
        self.place = place
        self.problem = problem
        super().__init__(f"{source}: {place}: {problem}" if place else f"{source}: {problem}")


# --- migrations -------------------------------------------------------------------


def _v0_to_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 0 called a party's kind ``type`` and kept RACI as a list of cells."""
    for party in doc.get("parties", []):
        if isinstance(party, dict) and "type" in party:
            party["kind"] = party.pop("type")
    cells = doc.get("raci", [])
    if isinstance(cells, list):
        grid: dict[str, dict[str, str]] = {}
        for cell in cells:
            if isinstance(cell, dict):
                grid.setdefault(str(cell.get("activity")), {})[str(cell.get("party"))] = cell.get(
                    "letters", ""
                )
        doc["raci"] = grid
    doc["version"] = 1
    return doc


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}


def migrate(doc: dict[str, Any], source: str = "<model>") -> dict[str, Any]:
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ModelFileError(source, "$.version", f"must be a whole number, found {version!r}")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            source,
            "$.version",
            f"the file is format version {version}, newer than this ecomraci reads "
            f"(up to {FORMAT_VERSION}); update ecomraci to open it",
        )
    while version < FORMAT_VERSION:
        if version not in MIGRATIONS:
            raise ModelFileError(source, "$.version", f"version {version} cannot be migrated")
        doc = MIGRATIONS[version](doc)
        version = doc["version"]
    return doc


# --- loading ------------------------------------------------------------------------


def _json_path(loc: tuple[Any, ...]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _validation_error(source: str, err: ValidationError) -> ModelFileError:
    errors = err.errors(include_url=False)
    first = errors[0]
    loc = tuple(p for p in first["loc"] if p not in ("function-after", "function-before"))
    place = _json_path(loc)
    problem = first["msg"]
    if first["type"] == "string_pattern_mismatch" and loc and loc[0] == "raci":
        problem = "is not a RACI cell: use the letters R, A, C, I (S and V as extensions)"
    elif first["type"] == "string_pattern_mismatch":
        problem = "is not a valid id: use letters, digits, '-', '_' and '.'"
    elif first["type"] == "extra_forbidden":
        problem = "is not a field ecomraci knows (a typo?)"
    if first["type"] != "missing":
        problem += f"; found {_short(first.get('input'))}"
    more = len(errors) - 1
    if more:
        problem += f" ({more} more problem{'s' if more > 1 else ''} after this one)"
    return ModelFileError(source, place, problem)


def _check_integrity(model: Model, source: str) -> Model:
    problems = integrity_problems(model, limit=20)
    if problems:
        first = problems[0]
        more = len(problems) - 1
        tail = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
        raise ModelFileError(source, first.path, f"{first.message}: {_short(first.value)}{tail}")
    return model


def loads(data: bytes | str, source: str = "<model>") -> Model:
    """Parse, migrate, validate and integrity-check one model document."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if not data.strip():
        raise ModelFileError(source, "", "the file is empty; a model file is a JSON object")
    try:
        # Fast path: a current file is parsed and validated in one pass by pydantic-core.
        # format and version have defaults, so a file must state them to take it.
        model = Model.model_validate_json(data)
        if {"format", "version"} <= model.model_fields_set:
            return _check_integrity(model, source).canonical()
    except ValidationError:
        pass
    try:
        doc = json.loads(data)
    except UnicodeDecodeError as exc:
        raise ModelFileError(
            source, f"byte {exc.start}", "this is not a text file (not UTF-8); is it a model file?"
        ) from None
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            source,
            f"line {exc.lineno} column {exc.colno}",
            f"not valid JSON ({exc.msg}); the file may be truncated or damaged",
        ) from None
    except RecursionError:
        raise ModelFileError(source, "", "the JSON is nested too deeply to be a model") from None
    if not isinstance(doc, dict):
        raise ModelFileError(
            source, "$", f"a model file is a JSON object, found a JSON {type(doc).__name__}"
        )
    if doc.get("format") != FORMAT_NAME:
        raise ModelFileError(
            source,
            "$.format",
            f'not an ecomraci model: expected "format": "{FORMAT_NAME}", '
            f"found {_short(doc.get('format'))}",
        )
    doc = migrate(doc, source)
    try:
        model = Model.model_validate(doc)
    except ValidationError as exc:
        raise _validation_error(source, exc) from None
    return _check_integrity(model, source).canonical()


def load(path: str | os.PathLike[str]) -> Model:
    """Read a model file; every failure is a `ModelFileError`."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ModelFileError(
                source,
                "",
                f"the file is {size / 1048576:.0f} MB, more than the "
                f"{MAX_FILE_BYTES // 1048576} MB a model file may have",
            )
        data = path.read_bytes()
    except ModelFileError:
        raise
    except IsADirectoryError:
        raise ModelFileError(source, "", "this is a folder, not a model file") from None
    except FileNotFoundError:
        raise ModelFileError(source, "", "no such file") from None
    except OSError as exc:
        raise ModelFileError(source, "", f"cannot be read ({exc.strerror})") from None
    return loads(data, source)


# --- saving -------------------------------------------------------------------------


def dumps(model: Model) -> str:
    return (
        json.dumps(model.model_dump(mode="json", exclude_none=True), indent=1, ensure_ascii=False)
        + "\n"
    )


def backup_path(path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".bak")


def save(model: Model, path: str | os.PathLike[str], keep_backup: bool = True) -> None:
    """Write `model` to `path` atomically, keeping the previous file as ``.bak``."""
    write_text_atomic(path, dumps(model), keep_backup=keep_backup)


def write_text_atomic(
    path: str | os.PathLike[str], text: str | bytes, keep_backup: bool = True
) -> None:
    """Replace `path` with `text` (or bytes, as the Excel export writes) atomically."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    binary = isinstance(text, bytes)
    try:
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as tmp:
            tmp.write(text)
            tmp.flush()
            os.fsync(tmp.fileno())
        # mkstemp creates 0600 files: give the new file the old one's mode, or the
        # mode a plain open() would have given it.
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        if keep_backup and path.exists():
            shutil.copy2(path, backup_path(path))
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
