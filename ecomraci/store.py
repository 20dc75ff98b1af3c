"""Loading and saving model files (``*.ecomraci.json``).

A model file is one JSON object that starts with ``"format": "ecomraci-model"`` and a
``"version"``. `load` refuses anything else with a `ModelFileError` whose text names the
file, the place in it (a JSON path) and the problem, in one paragraph, so the command
line and the app can show it as it is.

Older versions are brought up to date by `MIGRATIONS`, a chain of small functions each
taking a version-N document to version N+1; a newer version is refused, since guessing at
fields we do not know could lose the user's data on the next save.

`save` never writes what `load` refuses: it checks the text it is about to write with the
very checks `load` makes (`savable_text`), and refuses a model that fails them with a
`WriteRefused` naming the JSON path, before anything is opened. It refuses just as early a
target that is not a regular file in a folder the user can write (`writable_target`): a
device, a pipe, a folder or a file under ``/proc``, ``/sys`` or ``/dev``.

The write itself is atomic: the new text goes to a temporary file in the same folder, is
flushed and synced, the previous file is copied to ``<name>.bak``, and the temporary file
replaces the target in one `os.replace`. A failure at any step leaves the original file as
it was.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecomraci.integrity import integrity_problems
from ecomraci.model import FORMAT_NAME, FORMAT_VERSION, Model

MAX_FILE_BYTES = 100 * 1024 * 1024
# Folders of the kernel's and the devices' pseudo-files: nothing is ever saved there.
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
NOT_A_REGULAR_FILE = "not a regular file the app can write (a device, a pipe or a system folder)"
NOT_SAVED = "not saved, since the file would not open again"


class ModelFileError(Exception):
    """A model file that cannot be used; `str()` is the message for the user."""

    # Where pydantic found the problem, as its location tuple (empty when not from it).
    loc: tuple[Any, ...] = ()

    def __init__(self, source: str, place: str, problem: str):
        self.source = source
        self.place = place
        self.problem = problem
        super().__init__(f"{source}: {place}: {problem}" if place else f"{source}: {problem}")


class WriteRefused(ModelFileError, OSError):
    """A save or export refused before anything was opened for writing: the model holds
    something `load` would refuse, or the target is not a regular file in a folder the
    user can write. The file on disk is as it was.

    It is an `OSError` too, so every caller that already reports a failed write (the
    app's save and autosave, the command line) reports this one; `strerror` is the
    message without the file's name, as for any `OSError`."""

    def __init__(self, source: str, place: str, problem: str):
        super().__init__(source, place, problem)
        self.strerror = f"{place}: {problem}" if place else problem

    def __str__(self) -> str:
        return str(self.args[0])


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
    error = ModelFileError(source, place, problem)
    error.loc = loc
    return error


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
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            # Reading a pipe waits for a writer, and a device may never end.
            raise ModelFileError(
                source, "", "this is a device or a pipe, not a model file; nothing was read"
            )
        size = info.st_size
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
    """The text of `model` as a file holds it, unchecked: `savable_text` is this text once
    `load` would take it back."""
    return (
        json.dumps(model.model_dump(mode="json", exclude_none=True), indent=1, ensure_ascii=False)
        + "\n"
    )


def savable_text(model: Model, source: str = "<model>") -> bytes:
    """The bytes `save` writes for `model`, after the checks `load` makes on a file: the
    size limit, the JSON, the types and ranges, the references between objects.

    Raises `WriteRefused` with the JSON path and the problem in `load`'s words. A value
    the file cannot hold is named as it is in memory: a NaN or infinite position is
    written as ``null``, which `load` would refuse as "found None"."""
    text = dumps(model)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        place, value = _unwritable_text(model.model_dump(mode="json", exclude_none=True))
        raise WriteRefused(
            source,
            place,
            "holds a character that cannot be written as UTF-8 (a lone surrogate); "
            f"found {_short(value)}; {NOT_SAVED}",
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise WriteRefused(
            source,
            "",
            f"the model would be a {len(data) / 1048576:.0f} MB file, more than the "
            f"{MAX_FILE_BYTES // 1048576} MB a model file may have; {NOT_SAVED}",
        )
    try:
        loads(data, source)
    except ModelFileError as exc:
        problem = exc.problem
        value = _value_at(model, exc.loc) if exc.loc else _MISSING
        if isinstance(value, float) and not math.isfinite(value):
            problem = f"is not a finite number, which a model file cannot hold; found {value!r}"
        raise WriteRefused(source, exc.place, f"{problem}; {NOT_SAVED}") from None
    return data


_MISSING = object()


def _unwritable_text(doc: Any, path: str = "$") -> tuple[str, Any]:
    """The JSON path and value of the first text in `doc` that UTF-8 cannot encode."""
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, value in items:
        inner = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"
        for text in (key, value):
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return inner, text
        found = _unwritable_text(value, inner)
        if found[0]:
            return found
    return "", None


def _value_at(obj: Any, loc: tuple[Any, ...]) -> Any:
    """The value at pydantic location `loc` in the in-memory `obj`, or `_MISSING`."""
    for part in loc:
        try:
            if isinstance(obj, dict):
                obj = obj[part]
            elif isinstance(part, int):
                obj = obj[part]
            else:
                obj = getattr(obj, part)
        except (KeyError, IndexError, TypeError, AttributeError):
            return _MISSING
    return obj


def writable_target(path: str | os.PathLike[str]) -> None:
    """Refuse, before anything is opened, a target that is not a regular file the app
    can replace: it must be an existing regular file, or absent from an existing folder
    the user can write, and neither may lie under ``/proc``, ``/sys`` or ``/dev``.

    Only ``stat`` calls look at the target, so a named pipe never blocks the caller.
    Raises `WriteRefused` (an `OSError`) saying what is wrong."""
    path = Path(path)
    source = str(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        real = os.path.realpath(path)
        if any(real == top or real.startswith(top + os.sep) for top in SYSTEM_FOLDERS):
            raise WriteRefused(source, "", NOT_A_REGULAR_FILE)
        try:
            mode: int | None = os.stat(path).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and stat.S_ISDIR(mode):
            raise WriteRefused(source, "", "this is a folder; name a file to write")
        if mode is not None and not stat.S_ISREG(mode):
            raise WriteRefused(source, "", NOT_A_REGULAR_FILE)
        try:
            folder_mode = os.stat(folder).st_mode
        except FileNotFoundError:
            raise WriteRefused(source, "", f"the folder {folder} does not exist") from None
        if not stat.S_ISDIR(folder_mode):
            raise WriteRefused(source, "", f"{folder} is not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WriteRefused(source, "", f"the folder {folder} cannot be written to")
    except WriteRefused:
        raise
    except ValueError:  # a NUL character in the name
        raise WriteRefused(source, "", "this is not a valid file name") from None
    except OSError as exc:
        raise WriteRefused(source, "", f"cannot be written ({exc.strerror or exc})") from None


def backup_path(path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".bak")


def save(model: Model, path: str | os.PathLike[str], keep_backup: bool = True) -> None:
    """Write `model` to `path` atomically, keeping the previous file as ``.bak``.

    A target that is not a regular writable file, or a model `load` would refuse, raises
    `WriteRefused` and nothing is written."""
    writable_target(path)
    write_text_atomic(path, savable_text(model, str(path)), keep_backup=keep_backup)


def write_text_atomic(
    path: str | os.PathLike[str], text: str | bytes, keep_backup: bool = True
) -> None:
    """Replace `path` with `text` (or bytes, as the Excel export writes) atomically.

    The target is checked first (`writable_target`): a device, a pipe, a folder or a
    system file raises `WriteRefused` before anything is opened."""
    writable_target(path)
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
