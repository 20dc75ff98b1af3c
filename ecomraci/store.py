"""Loading and saving model files (``*.ecomraci.json``).

A model file is one JSON object that starts with ``"format": "ecomraci-model"`` and a
``"version"``. `load` refuses anything else with a `ModelFileError` whose text names the
file, the place in it (a JSON path) and the problem, in one paragraph, so the command
line and the app can show it as it is.

Refusing costs no more than accepting a model of the same size: the start of the file is
checked first, and a file denser than a model (junk: many small values per byte, which
cost pydantic-core's one-pass parse far more memory than a model does) is read one piece
at a time and refused at its first bad piece (`_stream_model`).

Older versions are brought up to date by `MIGRATIONS`, a chain of small functions each
taking a version-N document to version N+1; a newer version is refused, since guessing at
fields we do not know could lose the user's data on the next save.

A file of the current version is read strictly, as the published JSON Schema
(docs/model.schema.json) describes it: ``true`` and ``false`` only for a yes/no field
(not ``"yes"`` or ``1``), numbers without quotes, dates written YYYY-MM-DD, and no key
twice in one object (JSON would keep the last and lose the first without a word). A
version-1 file is read as version 1 read it (``"yes"`` for true, ``"6"`` for 6, a date
with a zero time) and saved in the current version (`IN_PLACE_VERSIONS`). Pydantic's
errors are put in the product's words in one place (`_in_words`).

`save` never writes what `load` refuses: it checks the text it is about to write with the
very checks `load` makes (`savable_text`), and refuses a model that fails them with a
`WriteRefused` naming the JSON path, before anything is opened. It refuses just as early a
target that is not a regular file in a folder the user can write (`writable_target`): a
device, a pipe, a folder or a file under ``/proc``, ``/sys`` or ``/dev``.

The write itself is atomic, and so is the backup: the new text goes to a temporary file in
the same folder, is flushed and synced, and replaces the target in one `os.replace`; the
previous file reaches ``<name>.bak`` by a hard link (or a synced copy) and a rename too. A
failure at any step leaves the file and its ``.bak`` as they were; a kill leaves each of
them complete, and the next save removes the temporary files left behind
(`write_text_atomic`). A symbolic link is saved through to its target; a ``.bak`` that is
not a regular file is refused, never written through or into.
"""

from __future__ import annotations

import copy
import errno
import json
import math
import os
import re
import reprlib
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pydantic_core
from pydantic import BaseModel, FailFast, TypeAdapter, ValidationError, create_model

from ecomraci.integrity import integrity_problems
from ecomraci.model import FORMAT_NAME, FORMAT_VERSION, Model

try:  # locks the folder a save writes in; POSIX only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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
        from ecomraci.text import shorten

        # A place is a JSON path made of the file's own keys: a key of a megabyte must
        # not make a message of a megabyte (in the app's dialogs as on the terminal).
        self.source = source
        self.place = place = shorten(place, 300)
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


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 2 has the fields of version 1 but reads their values strictly (see the
    module's text); a version-1 document is read with the coercions version 1 made."""
    doc["version"] = 2
    return doc


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1, 1: _v1_to_v2}
# Versions whose files are read in place, with the current fields, in one pass or piece
# by piece; only the current version is read strictly. Version 1 differs from version 2
# in nothing but the coercions it made, which its files may rely on.
IN_PLACE_VERSIONS: tuple[int, ...] = (1, FORMAT_VERSION)


def _version_problem(version: Any) -> str | None:
    """Why `version` cannot be a format version, or None when it can (a whole number,
    not true or false, not 1.0)."""
    if not isinstance(version, int) or isinstance(version, bool):
        return f"must be a whole number, found {_short(version)}"
    return None


def migrate(doc: dict[str, Any], source: str = "<model>") -> dict[str, Any]:
    version = doc.get("version")
    problem = _version_problem(version)
    if problem is not None or not isinstance(version, int):
        raise ModelFileError(source, "$.version", problem or "must be a whole number")
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

# How much of a value a message quotes.
SHORT_CHARS = 200
# The start of a file looked at before anything else is parsed: the format marker, the
# version and the first top-level fields are there in every file ecomraci writes.
HEADER_BYTES = 256 * 1024
# Whole numbers of more digits than Python turns into text (its default limit); a model
# never needs one, and a file holding one could not be saved again.
MAX_INT_DIGITS = 4300
_INT_LIMIT = 10**MAX_INT_DIGITS
_JSON_TYPE_OF_START = {
    ord("["): "list",
    ord('"'): "str",
    ord("t"): "bool",
    ord("f"): "bool",
    ord("n"): "NoneType",
    ord("-"): "number",
    **{ord(d): "number" for d in "0123456789"},
}
_NOT_FINITE = "is not a finite number, which a model file cannot hold"
_UTF16_32_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxlong = _REPR.maxother = SHORT_CHARS
_REPR.maxlist = _REPR.maxdict = _REPR.maxtuple = _REPR.maxset = 10
_REPR.maxlevel = 3


def _json_path(loc: tuple[Any, ...]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _short(value: Any) -> str:
    """`value` as a message quotes it: at most `SHORT_CHARS` characters, whatever its
    size (a list of millions of items, a whole number of thousands of digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        return f"a whole number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    try:
        text = _REPR.repr(value)
    except (ValueError, RecursionError):
        text = f"a {type(value).__name__}"
    return text if len(text) <= SHORT_CHARS else text[: SHORT_CHARS - 3] + "..."


_JSON_ERROR_AT = re.compile(r"(.*) at line (\d+) column (\d+)")


def _validation_error(
    source: str, err: ValidationError, within: tuple[Any, ...] = (), shift: int = 0
) -> ModelFileError:
    """The first error of `err` as a `ModelFileError`. `within` is the location of what
    was validated when that was not the whole model (a top-level field), and `shift` the
    index of the first of the items validated, when they were not the first of the list."""
    errors = err.errors(include_url=False)
    first = errors[0]
    where = _JSON_ERROR_AT.fullmatch(str(first.get("ctx", {}).get("error", "")))
    if first["type"] == "json_invalid" and where:
        # Text that is not JSON: the line and column, as the other parse says them.
        return ModelFileError(
            source,
            f"line {where[2]} column {where[3]}",
            f"not valid JSON ({where[1]}); the file may be truncated or damaged",
        )
    inner = tuple(p for p in first["loc"] if p not in ("function-after", "function-before"))
    if shift and inner and isinstance(inner[0], int):
        inner = (inner[0] + shift, *inner[1:])
    loc = within + inner
    place = _json_path(loc)
    problem = _in_words(first, loc)
    value = first.get("input")
    if isinstance(value, float) and not math.isfinite(value):
        problem = _NOT_FINITE
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        problem = f"is a whole number of more than {MAX_INT_DIGITS} digits, which a model file cannot hold"
    if first["type"] not in ("missing", "value_error", "assertion_error"):
        problem += f"; found {_found(value)}"
    more = len(errors) - 1
    if more:
        problem += f" ({more} more problem{'s' if more > 1 else ''} after this one)"
    error = ModelFileError(source, place, problem)
    error.loc = loc
    return error


def _found(value: Any) -> str:
    """A value as the message quotes it, in JSON's spelling (true, null, "text")."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(_short(value)[1:-1] if len(value) > SHORT_CHARS else value)
    return _short(value)


RULE_ID_SHAPE = (
    "a rule id is two to four capital letters, a hyphen and two digits, such as RACI-05 "
    "(`ecomraci rules` lists them)"
)
DATE_SHAPE = "a date written YYYY-MM-DD, such as 2027-06-30"


def _in_words(error: Any, loc: tuple[Any, ...]) -> str:
    """The problem of one pydantic error in the product's words: what the value must be,
    never the library's phrasing ("Input should be ..."). The one place they are made."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    last = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "string_pattern_mismatch":
        if loc and loc[0] == "raci":
            return "is not a RACI cell: use the letters R, A, C, I (S and V as extensions)"
        if last == "rule":
            return f"is not a rule id: {RULE_ID_SHAPE}"
        return (
            "is not a valid id: an id starts with a letter or a digit, followed by letters, "
            "digits, '-', '_' and '.' (at most 80 characters)"
        )
    if kind == "extra_forbidden":
        return "is not a field ecomraci knows (a typo?)"
    if kind == "missing":
        return "is required and missing"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false, written without quotes"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number, written without quotes (such as 6)"
    if kind in ("float_type", "float_parsing"):
        return "must be a number, written without quotes (such as 0.3)"
    if kind.startswith("date_"):
        return f"must be {DATE_SHAPE}"
    if kind.startswith("datetime_"):
        return "must be a date and time written YYYY-MM-DDTHH:MM:SS, such as 2027-06-30T09:00:00"
    if kind == "string_type":
        return "must be text, written in double quotes"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        says = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        return f"must be {says} {bound}"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        if " or " not in expected:
            return f"must be {expected}"
        return "must be one of " + expected.replace(" or ", ", ")
    if kind == "list_type":
        return "must be a list, written in [ ]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        what = last.replace("_", " ") if last else "model"
        return f"must be an object, written in {{ }}, with the fields of the {what}"
    if kind == "too_short":
        count = ctx.get("min_length")
        return f"must hold at least {count} item{'s' if count != 1 else ''}"
    if kind == "too_long":
        return f"must hold at most {ctx.get('max_length')} items"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = ctx.get("discriminator", "").strip("'")
        expected = str(ctx.get("expected_tags", "")).replace("'", "")
        return f"the {tag} must be one of: {expected}" if expected else f"needs its {tag}"
    message = str(error["msg"])
    return message.replace("Input should be", "must be").replace("Input", "the value")


# Problems a version-1 file may hold, since version 1 did not refuse them: such a file
# opens, and the save (as the current version) asks for the fix.
_TOLERATED_IN_VERSION_1 = re.compile(r"\$\.contracts\[\d+\]\.exit_plan\.last_tested")


def _check_integrity(model: Model, source: str, version: Any = FORMAT_VERSION) -> Model:
    problems = integrity_problems(model, limit=20)
    if version == 1:
        problems = [p for p in problems if not _TOLERATED_IN_VERSION_1.fullmatch(p.path)]
    if problems:
        first = problems[0]
        more = len(problems) - 1
        tail = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
        raise ModelFileError(
            source, first.path, f"{first.message}; found {_found(first.value)}{tail}"
        )
    return model


def _utf8_bytes(data: bytes, source: str) -> bytes:
    """`data` without a UTF-8 byte-order mark; a file in UTF-16 or UTF-32 (with a
    byte-order mark, or with the zero bytes these put beside ASCII) is refused."""
    name = next((name for bom, name in _UTF16_32_BOMS if data.startswith(bom)), "")
    head = data[:4]
    if not name and len(head) == 4 and b"\x00" in head:
        name = "UTF-32" if head.count(b"\x00") == 3 else "UTF-16"
    if name:
        raise ModelFileError(
            source,
            "byte 0",
            f"the text is encoded as {name}; a model file is UTF-8 (save it as UTF-8)",
        )
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _number_problem(value: Any) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return _NOT_FINITE
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        return (
            f"is a whole number of more than {MAX_INT_DIGITS} digits, which a model file "
            "cannot hold"
        )
    return None


def _check_header(data: bytes, source: str) -> dict[str, Any] | None:
    """Refuse at once what the start of the file shows cannot be a model: a JSON value
    that is not an object, a wrong format marker or version, a top-level field no model
    has before the marker. Returns the top-level fields the start holds (the last one
    possibly cut short), or None when the start is not valid JSON (the full parse then
    says where)."""
    stripped = data.lstrip()
    first = stripped[:1]
    if first != b"{":
        kind = _JSON_TYPE_OF_START.get(first[0]) if first else None
        if kind is None:
            return None
        raise ModelFileError(source, "$", f"a model file is a JSON object, found a JSON {kind}")
    try:
        head = pydantic_core.from_json(stripped[:HEADER_BYTES], allow_partial=True)
    except ValueError as exc:
        if "recursion" in str(exc).lower():
            raise ModelFileError(
                source, "", "the JSON is nested too deeply to be a model"
            ) from None
        return None
    if not isinstance(head, dict):
        return None
    marked = False
    for key in head:
        if key == "format":
            marked = True
        elif key not in Model.model_fields and not marked:
            # Not one of a model's fields, and no marker before it: not a model file.
            raise ModelFileError(
                source,
                "$.format",
                f'not an ecomraci model: expected "format": "{FORMAT_NAME}" at the start, '
                f"found the field {_short(key)}",
            )
        elif key not in Model.model_fields and head.get("version") in IN_PLACE_VERSIONS:
            # An unknown field of a current file: refused before its value is parsed.
            raise ModelFileError(
                source, _json_path((key,)), "is not a field ecomraci knows (a typo?)"
            )
    if "format" in head and head["format"] != FORMAT_NAME:
        raise ModelFileError(
            source,
            "$.format",
            f'not an ecomraci model: expected "format": "{FORMAT_NAME}", '
            f"found {_short(head['format'])}",
        )
    if "version" in head:
        problem = _version_problem(head["version"])
        if problem is not None:
            raise ModelFileError(source, "$.version", problem)
    if head.get("format") == FORMAT_NAME and head.get("version") in IN_PLACE_VERSIONS:
        _check_head_lists(head, source, head.get("version") == FORMAT_VERSION)
    return head


def _check_head_lists(head: dict[str, Any], source: str, strict: bool) -> None:
    """Validate the items of the top-level lists that the start of a current file holds
    whole (the last field may be cut short, and so its last item), so that a big file
    whose first activities are junk is refused before all of it is parsed."""
    last = next(reversed(head), None)
    for name, value in head.items():
        adapter = _LIST_ADAPTERS.get(name)
        if adapter is None or not isinstance(value, list):
            continue
        items = value[:-1] if name == last else value
        try:
            _validate_parsed(adapter, items, strict)
        except ValidationError as exc:
            if exc.errors(include_url=False)[0]["type"] == "json_invalid":
                continue  # text JSON cannot round-trip (a lone surrogate): the parse says
            raise _validation_error(source, exc, (name,)) from None


def _located(error: ModelFileError, loc: tuple[Any, ...]) -> ModelFileError:
    error.loc = loc
    return error


def _numbers_of(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `cls` whose values may hold a number, at any depth."""
    found = _NUMBER_FIELDS.get(cls)
    if found is None:
        _NUMBER_FIELDS[cls] = ()  # a model that holds itself
        found = tuple(
            name for name, field in cls.model_fields.items() if _may_hold_number(field.annotation)
        )
        _NUMBER_FIELDS[cls] = found
    return found


_NUMBER_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}


def _may_hold_number(annotation: Any) -> bool:
    if annotation is Any or annotation is float or annotation is int:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(_numbers_of(annotation))
    if get_origin(annotation) is Literal:
        return False
    return any(_may_hold_number(arg) for arg in get_args(annotation))


def _bad_number(value: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any] | None:
    """The location and value of the first NaN, infinite or too long whole number in a
    validated model (pydantic's JSON parser lets them through)."""
    if isinstance(value, (float, int)):
        return (loc, value) if _number_problem(value) else None
    if isinstance(value, BaseModel):
        for name in _numbers_of(type(value)):
            found = _bad_number(getattr(value, name), (*loc, name))
            if found:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(item, str):
                found = _bad_number(item, (*loc, key))
                if found:
                    return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                found = _bad_number(item, (*loc, index))
                if found:
                    return found
    return None


class _BadNumber:
    """What the JSON parser puts in place of a number a model file cannot hold."""

    def __init__(self, text: str, problem: str):
        self.text = text
        self.problem = problem


def _find(doc: Any, target: object, loc: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The location of `target` (by identity) in a parsed JSON document."""
    items: Any = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    stack = [(iter(items), loc)]
    while stack:
        it, where = stack[-1]
        for key, value in it:
            if value is target:
                return (*where, key)
            if isinstance(value, (dict, list)):
                inner = value.items() if isinstance(value, dict) else enumerate(value)
                stack.append((iter(inner), (*where, key)))
                break
        else:
            stack.pop()
    return None


def _number_hooks() -> tuple[list[_BadNumber], dict[str, Callable[[str], Any]]]:
    """The hooks of `json` that put a `_BadNumber` in place of a NaN, an infinity, a number
    too large for a float or a whole number of more than `MAX_INT_DIGITS` digits, and the
    list they record them in."""
    bad: list[_BadNumber] = []

    def constant(text: str) -> Any:
        bad.append(_BadNumber(text, _NOT_FINITE))
        return bad[-1]

    def whole(text: str) -> Any:
        if len(text) - text.startswith("-") > MAX_INT_DIGITS:
            bad.append(
                _BadNumber(
                    f"{text[:20]}... ({len(text)} characters)",
                    f"is a whole number of more than {MAX_INT_DIGITS} digits, which a model "
                    "file cannot hold",
                )
            )
            return bad[-1]
        return int(text)

    def decimal(text: str) -> Any:
        value = float(text)
        if not math.isfinite(value):
            bad.append(_BadNumber(_short(text), f"{_NOT_FINITE} (too large)"))
            return bad[-1]
        return value

    return bad, {"parse_constant": constant, "parse_int": whole, "parse_float": decimal}


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(
            source,
            f"byte {exc.start}",
            "this is not UTF-8 text, which a model file is; is it a model file?",
        ) from None


def _parse_json(data: bytes, source: str) -> Any:
    """`json.loads` that refuses NaN, infinities, numbers too large for a float and whole
    numbers of more than `MAX_INT_DIGITS` digits, naming their place."""
    bad, hooks = _number_hooks()
    repeated = _RepeatedKey()
    text = _decode(data, source)
    try:
        doc = json.loads(text, **hooks, object_pairs_hook=repeated.hook)  # type: ignore[arg-type]
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            source,
            f"line {exc.lineno} column {exc.colno}",
            f"not valid JSON ({exc.msg}); the file may be truncated or damaged",
        ) from None
    except RecursionError:
        raise ModelFileError(source, "", "the JSON is nested too deeply to be a model") from None
    if bad:
        loc = _find(doc, bad[0]) if doc is not bad[0] else ()
        place = _json_path(loc) if loc is not None else "$"
        raise ModelFileError(source, place, f"{bad[0].problem}; found {bad[0].text}")
    if repeated.found is not None:
        obj, key = repeated.found
        raise _repeated_key_error(source, () if obj is doc else _find(doc, obj) or (), key)
    return doc


def _fail_fast_model() -> type[Model]:
    """`Model` whose top-level lists and mappings stop at their first bad item or entry:
    pydantic otherwise reports every bad one, and a 50 MB list of junk objects in
    ``activities`` gave millions of errors (90 s, 15 GB), 50 MB of RACI rows of bad
    letters 600,000 (3 s, 930 MB), for a message that names the first one."""
    fields: dict[str, Any] = {
        name: (Annotated[field.annotation, FailFast()], copy.copy(field))
        for name, field in Model.model_fields.items()
        if get_origin(field.annotation) in (list, dict)
    }
    # Every version read in place (the model built from it is the current version).
    fields["version"] = (Literal[IN_PLACE_VERSIONS], FORMAT_VERSION)
    return create_model("Model", __base__=Model, **fields)


_FAIL_FAST_MODEL = _fail_fast_model()


def _adapter(annotation: Any, fail_fast: bool = False) -> TypeAdapter[Any]:
    """A validator of `annotation`; with `fail_fast`, a list or mapping of it stops at
    its first bad item."""
    form: Any = Annotated[annotation, FailFast()] if fail_fast else annotation
    return TypeAdapter(form)


# The top-level lists of a model, each stopping at its first bad item.
_LIST_ADAPTERS = {
    name: _adapter(field.annotation, fail_fast=True)
    for name, field in Model.model_fields.items()
    if get_origin(field.annotation) is list
}


def _validate_json(data: bytes, strict: bool = True) -> Model:
    """`Model.model_validate_json`, stopping each top-level list at its first bad item;
    `strict` for the current version (see the module's text)."""
    context = None if strict else {"version": 1}  # what version 1 let through
    checked = _FAIL_FAST_MODEL.model_validate_json(data, strict=strict, context=context)
    # The items are the very objects `Model` would hold (no model validators run on the
    # whole): take them over without validating again.
    fields = dict(checked)
    fields["version"] = FORMAT_VERSION
    return Model.model_construct(_fields_set=checked.model_fields_set, **fields)


def _validate_parsed(
    validator: type[BaseModel] | TypeAdapter[Any], value: Any, strict: bool
) -> Any:
    """Validate `value`, parsed from JSON, with a `TypeAdapter` or a model class. Strict
    validation goes through JSON text: pydantic's strict mode refuses a choice's value or
    a date given as text when it is handed Python objects, which JSON has no other way
    to write."""
    if not strict:
        if isinstance(validator, TypeAdapter):
            return validator.validate_python(value)
        return validator.model_validate(value)
    text = json.dumps(value, allow_nan=True)
    if isinstance(validator, TypeAdapter):
        return validator.validate_json(text, strict=True)
    return validator.model_validate_json(text, strict=True)


class _RepeatedKey:
    """The first object of a parse with a key written twice, and that key."""

    def __init__(self) -> None:
        self.found: tuple[dict[str, Any], str] | None = None

    def hook(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs) and self.found is None:
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.found = (obj, key)
                    break
                seen.add(key)
        return obj


def _repeated_key_error(source: str, loc: tuple[Any, ...], key: str) -> ModelFileError:
    return _located(
        ModelFileError(
            source,
            _json_path(loc),
            f"has the key {_found(key)} twice; JSON keeps only the last one, so the first "
            "would be lost without a word: merge the two or rename one",
        ),
        loc,
    )


def _refuse_repeated_keys(data: bytes, source: str) -> None:
    """Refuse a key written twice in one object (a second RACI row for the same
    activity, a field given twice), naming the object and the key. Anything else wrong
    with the text is left to the parse that follows, which says it in its own words."""
    repeated = _RepeatedKey()
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=repeated.hook)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError too
        return
    if repeated.found is not None:
        obj, key = repeated.found
        loc = () if obj is doc else _find(doc, obj) or ()
        raise _repeated_key_error(source, loc, key)


# --- a dense file, piece by piece -----------------------------------------------------
#
# pydantic-core parses a whole document before it validates any of it, into a tree that
# costs far more per byte for many small values than for a model: 50 MB of junk objects
# in `activities` took 860 MB (a model of that size: 290 MB) to be refused at its first
# item. A file whose structure is denser than a model's is therefore parsed and validated
# one piece at a time (`_stream_model`), and refused at its first bad piece.

# What a value costs in the parse tree, in bytes: one between commas, one list or object.
# Generous on purpose (a long list grows by copying; text inside strings is counted too).
_COST_PER_COMMA = 72
_COST_PER_CONTAINER = 100
# Above this many bytes of parse tree per byte of file, a file is read piece by piece. A
# model as ecomraci writes it costs about 4, written without indentation about 6;
# 50 MB of junk objects 18, a list of numbers 36 or more.
DENSE_COST = 7.0
# Files up to this size are read in one pass whatever their cost (it is small anyway).
DENSE_MIN_BYTES = 1024 * 1024
# The samples the cost is estimated from (all of a file up to 256 KB): a quarter of a
# millisecond, against 40 ms to load a 3 MB model.
_SAMPLE_BYTES = 16 * 1024
_SAMPLES = 16


def _parse_cost(data: bytes) -> float:
    """Estimated bytes of parse tree per byte of `data`, from the commas, braces and
    brackets in evenly spread samples of it (the whole of a small file)."""
    size = len(data)
    if size <= _SAMPLE_BYTES * _SAMPLES:
        spans = [(0, size)]
    else:
        stride = size // _SAMPLES
        spans = [(k * stride, k * stride + _SAMPLE_BYTES) for k in range(_SAMPLES)]
    commas = containers = total = 0
    for start, end in spans:
        commas += data.count(b",", start, end)
        containers += data.count(b"{", start, end) + data.count(b"[", start, end)
        total += end - start
    return (commas * _COST_PER_COMMA + containers * _COST_PER_CONTAINER) / max(total, 1)


def _keyed_by_id(annotation: Any) -> bool:
    key = get_args(annotation)[0]
    return not (isinstance(key, type) and issubclass(key, Enum))


# The top-level objects keyed by id (``raci``, ``layout``), read entry by entry.
_DICT_ADAPTERS = {
    name: _adapter(field.annotation, fail_fast=True)
    for name, field in Model.model_fields.items()
    if get_origin(field.annotation) is dict and _keyed_by_id(field.annotation)
}
# The largest piece of a dense file (an item of a top-level list, an entry of `raci` or
# `layout`, any other top-level value) read on its own, in characters of JSON; a file
# with a larger one is validated whole (`_validate_json`), as a file that is not dense.
MAX_PIECE_CHARS = 4 * 1024 * 1024
# The smallest window of text a piece is parsed from (twice the last piece is tried).
_FIRST_WINDOW = 1024
# A value cut short at the end of a window fails within this many characters of its end
# (a number or a literal cut), or as an unterminated string.
_CUT_SLACK = 16
# Items or entries validated at a time, and the characters of JSON they may take.
_BATCH_ITEMS = 1000
_BATCH_CHARS = 1024 * 1024
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _PieceTooLarge(Exception):
    """A piece of a dense file is larger than `MAX_PIECE_CHARS`."""


class _Pieces:
    """Reads the text of a model file one piece at a time (see `_stream_model`)."""

    def __init__(self, text: str, source: str, strict: bool = True):
        self.text = text
        self.source = source
        self.strict = strict
        self.repeated = _RepeatedKey()
        self.bad, hooks = _number_hooks()
        self.too_large = False  # a piece was checked by parts and not kept
        self.window = 0  # twice the last piece's length: where the next window starts
        # Whole numbers and decimals are parsed by C (a hook is a Python call per number):
        # one too long for Python raises ValueError, and the piece is parsed again with
        # every hook to say where; an infinite decimal (1e309) is found after validation.
        constant = hooks["parse_constant"]
        pairs = self.repeated.hook
        self.scan = json.JSONDecoder(parse_constant=constant, object_pairs_hook=pairs).scan_once  # type: ignore[attr-defined]
        self.careful_scan = json.JSONDecoder(**hooks, object_pairs_hook=pairs).scan_once  # type: ignore[arg-type, attr-defined]

    def skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def syntax(self, pos: int, msg: str) -> ModelFileError:
        line = self.text.count("\n", 0, pos) + 1
        column = pos - self.text.rfind("\n", 0, pos)
        return ModelFileError(
            self.source,
            f"line {line} column {column}",
            f"not valid JSON ({msg}); the file may be truncated or damaged",
        )

    def expect(self, pos: int, char: str, what: str) -> int:
        pos = self.skip(pos)
        if not self.text.startswith(char, pos):
            raise self.syntax(pos, f"Expecting {what}")
        return pos + 1

    def key(self, pos: int) -> tuple[str, int]:
        """The key of an object's member at `pos`, and where its value starts."""
        pos = self.skip(pos)
        if not self.text.startswith('"', pos):
            raise self.syntax(pos, "Expecting property name enclosed in double quotes")
        try:
            key, pos = json.decoder.scanstring(self.text, pos + 1)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            raise self.syntax(exc.pos, exc.msg) from None
        return key, self.skip(self.expect(pos, ":", "':' delimiter"))

    def after(self, pos: int, close: str) -> tuple[int, bool]:
        """Past the comma after a member or item (False) or past `close` (True)."""
        pos = self.skip(pos)
        if self.text.startswith(",", pos):
            return pos + 1, False
        if self.text.startswith(close, pos):
            return pos + 1, True
        raise self.syntax(pos, "Expecting ',' delimiter")

    def value(self, pos: int, loc: tuple[Any, ...]) -> tuple[Any, int]:
        """The JSON value at `pos` (at `loc` in the model) and where it ends, parsed from
        a window of the text that grows until it holds the value; beyond
        `MAX_PIECE_CHARS`, `_PieceTooLarge`."""
        text = self.text
        size = max(_FIRST_WINDOW, self.window)
        while True:
            whole = pos + size >= len(text)
            window = text if whole else text[pos : pos + size]
            start = pos if whole else 0
            try:
                value, end = self.scan(window, start)
            except StopIteration as exc:
                where, msg = exc.value, "Expecting value"
            except json.JSONDecodeError as exc:
                where, msg = exc.pos, exc.msg
            except RecursionError:
                raise ModelFileError(
                    self.source, _json_path(loc), "is nested too deeply to be part of a model"
                ) from None
            except ValueError:  # a whole number too long for Python: where is it?
                try:
                    self._checked(self.careful_scan(window, start)[0], loc)
                except (StopIteration, ValueError):  # json.JSONDecodeError too
                    pass
                self.bad.clear()
                raise ModelFileError(
                    self.source,
                    _json_path(loc),
                    f"holds a whole number of more than {MAX_INT_DIGITS} digits, which a "
                    "model file cannot hold",
                ) from None
            else:
                if whole or end < size:  # ends inside the window: complete
                    self.window = 2 * (end - start)  # the next piece is likely alike
                    return self._checked(value, loc), end if whole else pos + end
                where, msg = end, ""
            cut = not whole and (where >= size - _CUT_SLACK or msg.startswith("Unterminated"))
            self.bad.clear()
            self.repeated.found = None
            if not cut:
                raise self.syntax(where if whole else pos + where, msg)
            if size >= MAX_PIECE_CHARS:
                raise _PieceTooLarge
            size *= 4

    def _checked(self, value: Any, loc: tuple[Any, ...]) -> Any:
        if self.repeated.found is not None and not self.bad:
            obj, key = self.repeated.found
            self.repeated.found = None
            inner = () if value is obj else _find(value, obj) or ()
            raise _repeated_key_error(self.source, (*loc, *inner), key)
        if not self.bad:
            return value
        bad = self.bad[0]
        self.bad.clear()
        inner = () if value is bad else _find(value, bad) or ()
        where = (*loc, *inner)
        raise _located(
            ModelFileError(self.source, _json_path(where), f"{bad.problem}; found {bad.text}"),
            where,
        )

    def items(self, name: str, pos: int) -> tuple[list[Any], int]:
        """The items of the top-level list `name` whose ``[`` is before `pos`, validated
        a batch at a time, and where the list ends; refused at the first bad item."""
        adapter = _LIST_ADAPTERS[name]
        done: list[Any] = []
        batch: list[Any] = []
        batch_start = pos
        pos = self.skip(pos)
        closed = self.text.startswith("]", pos)
        pos = pos + 1 if closed else pos
        while not closed:
            where = (name, len(done) + len(batch))
            try:
                item, pos = self.value(self.skip(pos), where)
                batch.append(item)
            except _PieceTooLarge:
                self._flush_items(adapter, batch, done, name)
                pos = self.probe(self.skip(pos), where, _ITEM_TYPES[name], large=True)
                done.append(None)  # checked, not kept: the model is built in one pass
            pos, closed = self.after(pos, "]")
            if closed or len(batch) >= _BATCH_ITEMS or pos - batch_start >= _BATCH_CHARS:
                self._flush_items(adapter, batch, done, name)
                batch_start = pos
        return done, pos

    def _flush_items(
        self, adapter: TypeAdapter[Any], batch: list[Any], done: list[Any], name: str
    ) -> None:
        if batch:
            try:
                done.extend(_validate_parsed(adapter, batch, self.strict))
            except ValidationError as exc:
                raise _validation_error(self.source, exc, (name,), len(done)) from None
            batch.clear()

    def entries(self, name: str, pos: int) -> tuple[dict[str, Any], int]:
        """The entries of the top-level object `name` (``raci``, ``layout``) whose ``{``
        is before `pos`, validated a batch at a time, and where the object ends."""
        adapter = _DICT_ADAPTERS[name]
        done: dict[str, Any] = {}
        batch: dict[str, Any] = {}
        batch_start = pos
        pos = self.skip(pos)
        closed = self.text.startswith("}", pos)
        pos = pos + 1 if closed else pos
        while not closed:
            key, pos = self.key(pos)
            if key in batch or key in done:  # JSON would keep the last and lose the first
                self._flush_entries(adapter, batch, done, name)  # a bad first one first
                raise _repeated_key_error(self.source, (name,), key)
            try:
                batch[key], pos = self.value(pos, (name, key))
            except _PieceTooLarge:
                self._flush_entries(adapter, batch, done, name)
                pos = self.probe(pos, (name, key), _ITEM_TYPES[name], large=True)
                done[key] = None  # checked, not kept: the model is built in one pass
            pos, closed = self.after(pos, "}")
            if closed or len(batch) >= _BATCH_ITEMS or pos - batch_start >= _BATCH_CHARS:
                self._flush_entries(adapter, batch, done, name)
                batch_start = pos
        return done, pos

    def _flush_entries(
        self, adapter: TypeAdapter[Any], batch: dict[str, Any], done: dict[str, Any], name: str
    ) -> None:
        if batch:
            try:
                done.update(_validate_parsed(adapter, batch, self.strict))
            except ValidationError as exc:
                raise _validation_error(self.source, exc, (name,)) from None
            batch.clear()

    # A piece larger than `MAX_PIECE_CHARS` is checked part by part along the type it
    # should have (`probe`), and refused at its first bad part; if it is good, the file
    # is validated in one pass once all of it has been checked (`too_large`).

    def probe(self, pos: int, loc: tuple[Any, ...], annotation: Any, large: bool = False) -> int:
        """Check the value at `pos` against `annotation` without keeping it (`large`: it
        is known to be larger than `MAX_PIECE_CHARS`); returns where the value ends.
        Raises `ModelFileError` at its first bad part, or `_PieceTooLarge` when it is too
        large to check by parts."""
        self.refuse_wrong_kind(pos, loc, annotation)
        if not large:
            try:
                value, end = self.value(pos, loc)
            except _PieceTooLarge:
                pass
            else:
                try:
                    _validate_parsed(_adapter_of(annotation), value, self.strict)
                except ValidationError as exc:
                    raise _validation_error(self.source, exc, loc) from None
                return end
        self.too_large = True
        return self._probe_parts(pos, loc, annotation)

    def refuse_wrong_kind(self, pos: int, loc: tuple[Any, ...], annotation: Any) -> None:
        """Refuse a list or an object at `pos` where `annotation` takes none, before
        reading it."""
        opening = self.text[pos : pos + 1]
        if opening not in ("[", "{"):
            return
        try:
            _adapter_of(annotation).validate_python([] if opening == "[" else {})
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            if first["loc"] or first["type"] not in _WRONG_KIND:
                return  # it takes some lists or objects
            error = _validation_error(self.source, exc, loc)
            problem = error.problem.split("; found ")[0]
            what = "list" if opening == "[" else "object"
            start = _short(self.text[pos : pos + 40])
            raise _located(
                ModelFileError(
                    self.source, error.place, f"{problem}; found a JSON {what}: {start}..."
                ),
                error.loc,
            ) from None

    def _probe_parts(self, pos: int, loc: tuple[Any, ...], annotation: Any) -> int:
        kind = _bare(annotation)
        opening = self.text[pos]
        if opening == "[" and get_origin(kind) is list:
            (inner,) = get_args(kind)
            pos = self.skip(pos + 1)
            closed = self.text.startswith("]", pos)
            index = 0
            while not closed:
                pos = self.probe(self.skip(pos), (*loc, index), inner)
                pos, closed = self.after(pos, "]")
                index += 1
            return pos if index else pos + 1
        if opening == "{" and (get_origin(kind) is dict or _is_model(kind)):
            fields = kind.model_fields if _is_model(kind) else None
            pos = self.skip(pos + 1)
            closed = self.text.startswith("}", pos)
            pos = pos + 1 if closed else pos
            while not closed:
                key, pos = self.key(pos)
                if fields is None:
                    part = get_args(kind)[1]
                elif key in fields:
                    part = _field_type(fields[key])
                else:
                    raise ModelFileError(
                        self.source,
                        _json_path((*loc, key)),
                        "is not a field ecomraci knows (a typo?)",
                    )
                pos = self.probe(pos, (*loc, key), part)
                pos, closed = self.after(pos, "}")
            return pos
        # A text, or a list or object of a type not checked by parts (one of several
        # kinds of edit): validated with the rest of the file.
        raise _PieceTooLarge


# Errors that say a value is of the wrong kind whatever it holds (a list for a text).
_WRONG_KIND = {
    "string_type",
    "int_type",
    "float_type",
    "bool_type",
    "enum",
    "literal_error",
    "date_type",
    "datetime_type",
    "list_type",
    "dict_type",
    "model_type",
    "model_attributes_type",
}


def _field_type(field: Any) -> Any:
    """The type of a pydantic field with its constraints (``ge``, ``max_length``)."""
    if not field.metadata:
        return field.annotation
    return Annotated[(field.annotation, *field.metadata)]


def _bare(annotation: Any) -> Any:
    """`annotation` without `Annotated` and without ``| None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            kinds = [a for a in get_args(annotation) if a is not type(None)]
            if len(kinds) != 1:
                return annotation
            annotation = kinds[0]
        else:
            return annotation


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter_of(annotation: Any) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(annotation)
    if adapter is None:
        adapter = _ADAPTERS[annotation] = _adapter(annotation)
    return adapter


# The type of one item of each top-level list, of one entry of ``raci`` and ``layout``.
_ITEM_TYPES = {
    name: get_args(field.annotation)[-1]
    for name, field in Model.model_fields.items()
    if name in _LIST_ADAPTERS or name in _DICT_ADAPTERS
}


def _stream_model(data: bytes, source: str, strict: bool = True) -> Model:
    """Parse and validate a current model file one piece at a time: each top-level field,
    each item of a top-level list and each entry of ``raci`` and ``layout``, validated a
    batch at a time, so that the first bad piece is refused before the rest is parsed and
    memory holds the model and one batch, never the parse of the whole file. The model
    is the one `_validate_json` gives for the same file."""
    pieces = _Pieces(_decode(data, source), source, strict)
    text = pieces.text
    pos = pieces.expect(0, "{", "'{'")
    small: dict[str, Any] = {}
    big: dict[str, Any] = {}
    closed = text.startswith("}", pieces.skip(pos))
    pos = pieces.skip(pos) + 1 if closed else pos
    while not closed:
        key, pos = pieces.key(pos)
        if key not in Model.model_fields:
            raise ModelFileError(
                source, _json_path((key,)), "is not a field ecomraci knows (a typo?)"
            )
        if key in small or key in big:  # JSON would keep the last and lose the first
            raise _repeated_key_error(source, (), key)
        if key in _LIST_ADAPTERS and text.startswith("[", pos):
            big[key], pos = pieces.items(key, pos + 1)
        elif key in _DICT_ADAPTERS and text.startswith("{", pos):
            big[key], pos = pieces.entries(key, pos + 1)
        else:
            field = _field_type(Model.model_fields[key])
            pieces.refuse_wrong_kind(pos, (key,), field)
            try:
                value, pos = pieces.value(pos, (key,))
            except _PieceTooLarge:
                pos = pieces.probe(pos, (key,), field, large=True)
            else:
                try:  # refused here, before what follows is read
                    _validate_parsed(_FAIL_FAST_MODEL, {key: value}, strict)
                except ValidationError as exc:
                    raise _validation_error(source, exc) from None
                small[key] = value
        pos, closed = pieces.after(pos, "}")
    pos = pieces.skip(pos)
    if pos < len(text):
        raise pieces.syntax(pos, "Extra data")
    if pieces.too_large:
        raise _PieceTooLarge  # every piece is good; the large ones were not kept
    try:
        head = _validate_parsed(_FAIL_FAST_MODEL, small, strict)
    except ValidationError as exc:
        raise _validation_error(source, exc) from None
    fields = dict(head)
    fields.update(big)
    fields["version"] = FORMAT_VERSION
    model = Model.model_construct(_fields_set=head.model_fields_set | set(big), **fields)
    found = _bad_number(model, ())  # a decimal too large for a float (1e309)
    if found:
        loc, value = found
        problem = f"{_number_problem(value)}; found {_short(value)}"
        raise _located(ModelFileError(source, _json_path(loc), problem), loc)
    return model


def loads(data: bytes | str, source: str = "<model>", check_keys: bool = True) -> Model:
    """Parse, migrate, validate and integrity-check one model document.

    `check_keys` False skips the search for a key written twice, for text `dumps` wrote
    (`json.dumps` of a dict cannot repeat a key), where it would only cost time.

    The start of the document is looked at first (`_check_header`), so a file that is
    plainly not a model costs next to nothing whatever its size. A current file denser
    than a model (`_parse_cost`) is read piece by piece (`_stream_model`) and refused at
    its first bad piece; any other current file is validated in one pass."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    data = _utf8_bytes(data, source)
    if not data.strip():
        raise ModelFileError(source, "", "the file is empty; a model file is a JSON object")
    head = _check_header(data, source)
    current = (
        head is not None
        and head.get("version") in IN_PLACE_VERSIONS
        and (head.get("format") == FORMAT_NAME)
    )
    version = head.get("version") if head is not None else None
    strict = version == FORMAT_VERSION
    if current and len(data) > DENSE_MIN_BYTES and _parse_cost(data) > DENSE_COST:
        # Denser than a model: read piece by piece, refused at its first bad piece.
        try:
            model = _stream_model(data, source, strict)
            return _check_integrity(model, source, version).canonical()
        except _PieceTooLarge:
            pass  # one piece larger than any of a model: validated whole, below
    if current:
        # A current file is parsed and validated in one pass by pydantic-core; its
        # errors are the ones the slow path would find, since nothing is migrated. A key
        # written twice is looked for first: pydantic-core keeps the last without a word.
        if check_keys:
            _refuse_repeated_keys(data, source)
        try:
            model = _validate_json(data, strict)
        except ValidationError as exc:
            raise _validation_error(source, exc) from None
        found = _bad_number(model, ())
        if found:
            loc, value = found
            problem = f"{_number_problem(value)}; found {_short(value)}"
            raise _located(ModelFileError(source, _json_path(loc), problem), loc)
        return _check_integrity(model, source, version).canonical()
    doc = _parse_json(data, source)
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
    old_version = doc.get("version")
    doc = migrate(doc, source)
    try:
        model = Model.model_validate(doc)
    except ValidationError as exc:
        raise _validation_error(source, exc) from None
    return _check_integrity(model, source, 1 if old_version in (0, 1) else None).canonical()


def _read_bounded(path: Path, source: str) -> bytes:
    """At most `MAX_FILE_BYTES` of a regular file; anything else is refused before a
    byte is read. The file is opened without waiting (a pipe put in its place after the
    `stat` does not block) and its type checked on the open file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise ModelFileError(
                source, "", "this is a device or a pipe, not a model file; nothing was read"
            )
        _refuse_size(info.st_size, source)
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 24, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        _refuse_size(total, source)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _refuse_size(size: int, source: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ModelFileError(
            source,
            "",
            f"the file is {max(size, MAX_FILE_BYTES + 1) / 1048576:.0f} MB or more, more "
            f"than the {MAX_FILE_BYTES // 1048576} MB a model file may have",
        )


def load(path: str | os.PathLike[str]) -> Model:
    """Read a model file; every failure is a `ModelFileError`."""
    path = Path(path)
    source = str(path)
    try:
        # One open, without waiting, checked on the open file: a pipe never blocks and a
        # device is refused before a byte is read (see `_read_bounded`).
        data = _read_bounded(path, source)
    except ModelFileError:
        raise
    except IsADirectoryError:
        raise ModelFileError(source, "", "this is a folder, not a model file") from None
    except FileNotFoundError:
        raise ModelFileError(source, "", "no such file") from None
    except OSError as exc:
        raise ModelFileError(source, "", f"cannot be read ({exc.strerror})") from None
    except ValueError:  # a NUL character in the name
        raise ModelFileError(source, "", "this is not a valid file name") from None
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
        loads(data, source, check_keys=False)
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
    """Where `save` keeps the previous version of `path`: ``<name>.bak`` beside the file
    it writes, which for a symbolic link is the file the link points to."""
    real = _real_target(Path(path))
    return real.with_name(real.name + ".bak")


def save(model: Model, path: str | os.PathLike[str], keep_backup: bool = True) -> None:
    """Write `model` to `path` atomically, keeping the previous file as ``.bak``.

    A target that is not a regular writable file, or a model `load` would refuse, raises
    `WriteRefused` and nothing is written. So does a ``.bak`` that is not a regular file
    (a symbolic link, a folder, a device) when there is a previous version to keep: the
    save never writes through or into it, and does not go ahead without the backup
    either; the message says to remove or rename that ``.bak``. See `write_text_atomic`
    for what a failure or a kill part-way leaves."""
    writable_target(path)
    write_text_atomic(path, savable_text(model, str(path)), keep_backup=keep_backup)


# Temporary files of a save are ``.<name>.<random>.ecomraci-tmp`` (the new text) and
# ``.<name>.<random>.ecomraci-bak-tmp`` (the previous version on its way to the .bak), in
# the folder of the file written. The random part has no dot, so the pattern of one name
# never matches the temporary files of another.
TEMP_SUFFIX = ".ecomraci-tmp"
BACKUP_TEMP_SUFFIX = ".ecomraci-bak-tmp"
# Where the folder cannot be locked, a leftover is removed only once it is this old, so
# that a save still running in another process keeps its files.
STALE_TEMP_SECONDS = 600
# How long a save waits for the lock of its folder (see `_lock_folder`).
LOCK_WAIT_SECONDS = 2.0
# link() errors that mean "this file system or this file cannot be hard-linked": the
# previous version is then copied (to a temporary file, synced, renamed) instead.
_NO_HARD_LINK = {
    errno.EPERM,
    errno.EACCES,
    errno.EXDEV,
    errno.EMLINK,
    errno.ENOSYS,
    errno.ENOTSUP,
    errno.EOPNOTSUPP,
}


def _real_target(path: Path) -> Path:
    """The file a save of `path` replaces: `path`, or what it points to if it is a
    symbolic link (so the link stays a link and the file behind it gets the new text)."""
    try:
        if os.path.islink(path):
            return Path(os.path.realpath(path))
    except (OSError, ValueError):
        pass
    return path


def _temp_name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"\." + re.escape(name) + r"\.[A-Za-z0-9_]+\.ecomraci-(?:bak-)?tmp")


def _remove_leftovers(folder: Path, name: str, only_stale: bool) -> None:
    """Remove the temporary files earlier saves of `name` left in `folder` when they were
    killed: regular files of our pattern for this very name, nothing else."""
    pattern = _temp_name_pattern(name)
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not pattern.fullmatch(entry):
            continue
        leftover = folder / entry
        try:
            info = os.lstat(leftover)
            if not stat.S_ISREG(info.st_mode):
                continue
            if only_stale and now - info.st_mtime < STALE_TEMP_SECONDS:
                continue
            os.unlink(leftover)
        except OSError:
            pass


def _lock_folder(folder: Path, name: str) -> int | None:
    """Open `folder` and hold a shared lock on it for the save, after removing what killed
    saves of `name` left there; returns the folder's descriptor (None if it cannot be
    opened).

    Every save holds the shared lock while its temporary files exist, and the kernel drops
    it when a process dies. So when the exclusive lock can be had at once no save into
    this folder is running, and every temporary file of our pattern is a leftover; when
    another save holds the lock, nothing is removed; where folders cannot be locked, only
    leftovers older than `STALE_TEMP_SECONDS` are."""
    try:
        fd: int | None = os.open(folder, os.O_RDONLY)
    except OSError:
        fd = None
    if fd is None or fcntl is None:
        _remove_leftovers(folder, name, only_stale=True)
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pass  # another save is running here: its files are not leftovers
    except OSError:
        _remove_leftovers(folder, name, only_stale=True)
    else:
        _remove_leftovers(folder, name, only_stale=False)
    # Another save's removal of leftovers takes milliseconds; a lock held longer is none
    # of ours, and the save goes ahead without it rather than wait.
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() < deadline:
                time.sleep(0.01)
                continue
        except OSError:
            pass
        return fd


def _keep_previous(real: Path, folder: Path) -> Path:
    """A temporary file beside `real` holding its current version, complete: a hard link
    to it, or where hard links are not possible a copy written, flushed and synced."""
    while True:
        keep = folder / f".{real.name}.{secrets.token_hex(4)}{BACKUP_TEMP_SUFFIX}"
        try:
            os.link(real, keep)
            return keep
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINK:
                raise
        try:
            fd = os.open(keep, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with open(real, "rb") as source, os.fdopen(fd, "wb") as copy:
                shutil.copyfileobj(source, copy)
                copy.flush()
                os.fsync(copy.fileno())
            shutil.copystat(real, keep)
        except BaseException:
            _unlink_quietly(keep)
            raise
        return keep


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _refuse_odd_backup(source: str, bak: Path) -> None:
    """Refuse a ``.bak`` that is not a regular file: a save must never write through a
    symbolic link or into a folder or a device that happens to have that name."""
    try:
        mode = os.lstat(bak).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteRefused(
            source, "", f"the backup {bak} cannot be checked ({exc.strerror or exc})"
        ) from None
    if stat.S_ISREG(mode):
        return
    kind = (
        "a symbolic link"
        if stat.S_ISLNK(mode)
        else "a folder"
        if stat.S_ISDIR(mode)
        else "not a regular file"
    )
    raise WriteRefused(
        source,
        "",
        f"the backup {bak} is {kind}, where the previous version would be kept; nothing "
        "was saved: remove or rename it, then save again",
    )


def write_text_atomic(
    path: str | os.PathLike[str], text: str | bytes, keep_backup: bool = True
) -> None:
    """Replace `path` with `text` (or bytes, as the Excel export writes) atomically.

    The target is checked first (`writable_target`): a device, a pipe, a folder or a
    system file raises `WriteRefused` before anything is opened. A symbolic link is
    written through: the file it points to gets the new text and the link stays.

    The new text goes to a temporary file beside the file, is flushed and synced; the
    previous version is hard-linked (or, where that is impossible, copied, flushed and
    synced) to a second temporary file; the new text then replaces the file in one
    `os.replace`, and the previous version replaces ``<name>.bak`` in another. If that
    last step fails, the previous version is put back, so a failed save leaves both the
    file and its ``.bak`` byte for byte as they were. A process killed at any moment
    leaves each of them complete, the old or the new version; the temporary files it left
    are removed by the next save of that file. With `keep_backup` and a previous version,
    a ``.bak`` that is not a regular file is refused (`WriteRefused`) before anything is
    written."""
    writable_target(path)
    source = str(path)
    path = Path(path)
    real = _real_target(path)
    if real != path:
        writable_target(real)
    folder = real.parent if str(real.parent) else Path(".")
    backup = keep_backup and real.exists()
    bak = backup_path(real)
    if backup:
        _refuse_odd_backup(source, bak)
    dir_fd = _lock_folder(folder, real.name)
    try:
        _write_and_replace(real, folder, text, bak if backup else None)
        if dir_fd is not None:
            try:
                os.fsync(dir_fd)
            except OSError:
                pass
    finally:
        if dir_fd is not None:
            os.close(dir_fd)  # drops the folder's lock too


def _write_and_replace(real: Path, folder: Path, text: str | bytes, bak: Path | None) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=TEMP_SUFFIX, dir=folder)
    tmp = Path(tmp_name)
    keep: Path | None = None
    binary = isinstance(text, bytes)
    try:
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates 0600 files: give the new file the old one's mode, or the
        # mode a plain open() would have given it.
        if real.exists():
            os.chmod(tmp, real.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if bak is not None:
            keep = _keep_previous(real, folder)
        os.replace(tmp, real)
    except BaseException:
        _unlink_quietly(tmp)
        if keep is not None:
            _unlink_quietly(keep)
        raise
    if keep is None:
        return
    assert bak is not None
    try:
        os.replace(keep, bak)
    except BaseException:
        # Put the previous version back, so that the failed save changed nothing.
        try:
            os.replace(keep, real)
        except OSError:
            pass
        _unlink_quietly(keep)
        raise
