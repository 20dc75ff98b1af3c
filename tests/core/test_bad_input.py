"""Bad input never crashes and never loses data: both `store.load` and the command line
refuse it with one message naming the file, the place in it and the problem; the command
line exits 2 and never shows a traceback."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.store import ModelFileError
from tests.guards import cli, good_doc


def as_json(doc: object) -> bytes:
    return json.dumps(doc).encode("utf-8")


def _wrong_type() -> bytes:
    doc = good_doc()
    doc["functions"][0]["lead_time_months"] = "six"
    return as_json(doc)


def _dangling() -> bytes:
    doc = good_doc()
    doc["assignments"][0]["party"] = "nobody-here"
    return as_json(doc)


def _duplicate_id() -> bytes:
    doc = good_doc()
    doc["parties"].append(dict(doc["parties"][0]))
    return as_json(doc)


def _orphan_activity() -> bytes:
    doc = good_doc()
    doc["activities"][0]["function"] = "no-such-function"
    return as_json(doc)


def _unknown_letter() -> bytes:
    doc = good_doc()
    doc["raci"]["shop-management.strategy"]["ecommerce-team"] = "X"
    return as_json(doc)


def _newer_version() -> bytes:
    doc = good_doc()
    doc["version"] = 99
    return as_json(doc)


def _truncated() -> bytes:
    text = store.dumps(new_model()).encode("utf-8")
    return text[: len(text) // 2]


def _binary() -> bytes:
    rng = random.Random(20260601)
    return bytes([0xFF, 0xFE, 0x00, 0x80]) + bytes(rng.randrange(256) for _ in range(4096))


def _non_utf8_inside() -> bytes:
    doc = good_doc()
    doc["name"] = "Caf\u00e9"
    return as_json(doc).replace(b"Caf\\u00e9", b"Caf\xe9")


def _unknown_field() -> bytes:
    doc = good_doc()
    doc["parties"][2]["kidn"] = "external"
    return as_json(doc)


def _bad_enum() -> bytes:
    doc = good_doc()
    doc["parties"][0]["kind"] = "outsourced"
    return as_json(doc)


def _bad_date() -> bytes:
    doc = json.loads((Path(__file__).parent / "data" / "handwritten.ecomraci.json").read_text())
    doc["contracts"][0]["end"] = "31.12.2027"
    return as_json(doc)


def _json_list() -> bytes:
    return b"[1, 2, 3]"


def _other_format() -> bytes:
    doc = good_doc()
    doc["format"] = "spreadsheet"
    return as_json(doc)


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    place: str | None  # a regular expression the message must contain; None: no place
    words: str = ""  # a word the problem must contain


CASES = [
    Case("empty", lambda: b"", None, "empty"),
    Case("whitespace", lambda: b"  \n\t\n", None, "empty"),
    Case("truncated", _truncated, r"line \d+ column \d+", "JSON"),
    Case("binary", _binary, r"byte \d+|line \d+ column \d+"),
    Case("non-utf8-inside", _non_utf8_inside, r"byte \d+", "UTF-8"),
    Case("wrong-type", _wrong_type, re.escape("$.functions[0].lead_time_months"), "whole number"),
    Case("dangling-party", _dangling, re.escape("$.assignments[0].party"), "no party"),
    Case(
        "duplicate-id",
        _duplicate_id,
        re.escape(f"$.parties[{len(new_model().parties)}].id"),
        "duplicate",
    ),
    Case("orphan-activity", _orphan_activity, re.escape("$.activities[0].function"), "no function"),
    Case(
        "unknown-letter",
        _unknown_letter,
        re.escape("$.raci.shop-management.strategy.ecommerce-team"),
        "RACI",
    ),
    Case("newer-version", _newer_version, re.escape("$.version"), "newer"),
    Case("unknown-field", _unknown_field, re.escape("$.parties[2].kidn"), "typo"),
    Case("bad-enum", _bad_enum, re.escape("$.parties[0].kind"), "internal"),
    Case("bad-date", _bad_date, re.escape("$.contracts[0].end"), "date"),
    Case("json-list", _json_list, re.escape("$"), "object"),
    Case("other-format", _other_format, re.escape("$.format"), "not an ecomraci model"),
]


def write_case(folder: Path, case: Case) -> Path:
    path = folder / f"bad-{case.name}.ecomraci.json"
    path.write_bytes(case.make())
    return path


def assert_message(message: str, path: Path, case: Case) -> None:
    assert path.name in message, message
    if case.place is not None:
        assert re.search(case.place, message), f"place {case.place!r} not in {message!r}"
    if case.words:
        assert case.words.lower() in message.lower(), message


def assert_clean_refusal(done: subprocess.CompletedProcess[str], path: Path | None) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr
    text = done.stderr.strip()
    assert text, "no message on stderr"
    assert "\n\n" not in text, f"more than one paragraph: {text!r}"
    if path is not None:
        assert path.name in text, text
    return text


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_store_refuses(tmp_path, case):
    path = write_case(tmp_path, case)
    before = path.read_bytes()
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    err = info.value
    assert err.source == str(path)
    assert_message(str(err), path, case)
    assert "\n" not in str(err)
    assert path.read_bytes() == before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_check_refuses(tmp_path, case):
    path = write_case(tmp_path, case)
    before = path.read_bytes()
    done = cli("check", str(path))
    text = assert_clean_refusal(done, path)
    assert_message(text, path, case)
    assert done.stdout == ""
    assert path.read_bytes() == before


@pytest.mark.parametrize("seed", range(25))
def test_random_bytes_never_crash_the_loader(seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000)))
    with pytest.raises(ModelFileError) as info:
        store.loads(data, "junk.bin")
    assert str(info.value).startswith("junk.bin: ")


@pytest.mark.parametrize("seed", range(10))
def test_mangled_model_never_crashes_the_loader(seed):
    """Cut a good file at a random point or flip a random byte: refused or loaded, never
    another exception."""
    rng = random.Random(seed)
    data = bytearray(store.dumps(new_model("community")).encode("utf-8"))
    if seed % 2:
        data = data[: rng.randrange(len(data))]
    else:
        data[rng.randrange(len(data))] = rng.randrange(256)
    try:
        store.loads(bytes(data), "mangled.json")
    except ModelFileError as exc:
        assert str(exc).startswith("mangled.json")


def test_deeply_nested_json_is_refused():
    for data in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000):
        with pytest.raises(ModelFileError):
            store.loads(data, "deep.json")


def test_utf8_bom_is_accepted():
    """Notepad writes a byte-order mark; the file is still a good model."""
    text = store.dumps(new_model())
    assert store.loads(b"\xef\xbb\xbf" + text.encode("utf-8")) == new_model()


# --- big files ------------------------------------------------------------------------

BIG = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def big_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("big")
    chunk = ("1234567, " * 100_000).encode()  # ~0.9 MB of numbers
    files = {}
    for name, head, tail in (
        ("numbers", b"[", b"0]"),
        ("junk", b'{"junk": [', b"0]}"),
    ):
        path = folder / f"{name}.ecomraci.json"
        with path.open("wb") as f:
            f.write(head)
            written = len(head)
            while written < BIG:
                f.write(chunk)
                written += len(chunk)
            f.write(tail)
        files[name] = path
    return files


@pytest.mark.parametrize("name,place", [("numbers", "$"), ("junk", "$.format")])
def test_big_pointless_json_is_refused_by_store(big_files, name, place):
    path = big_files[name]
    assert path.stat().st_size >= BIG
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    assert path.name in str(info.value)
    assert info.value.place == place


@pytest.mark.parametrize("name", ["numbers", "junk"])
def test_big_pointless_json_exits_2(big_files, name):
    path = big_files[name]
    done = cli("check", str(path))
    assert_clean_refusal(done, path)


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.ecomraci.json"
    with path.open("wb") as f:  # sparse: no disk space used
        f.truncate(store.MAX_FILE_BYTES + 1)
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    assert "MB" in str(info.value) and path.name in str(info.value)
    assert_clean_refusal(cli("check", str(path)), path)


# --- files that are not there ----------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "missing.ecomraci.json"
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    assert "no such file" in str(info.value)
    text = assert_clean_refusal(cli("check", str(path)), path)
    assert "no such file" in text


def test_folder_instead_of_file(tmp_path):
    folder = tmp_path / "folder.ecomraci.json"
    folder.mkdir()
    with pytest.raises(ModelFileError) as info:
        store.load(folder)
    assert "folder" in str(info.value)
    assert_clean_refusal(cli("check", str(folder)), folder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX non-root")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.ecomraci.json"
    store.save(new_model(), path)
    path.chmod(0)
    try:
        with pytest.raises(ModelFileError) as info:
            store.load(path)
        assert "cannot be read" in str(info.value)
        assert_clean_refusal(cli("check", str(path)), path)
    finally:
        path.chmod(0o644)


# --- the command line's own arguments ---------------------------------------------------


def test_new_refuses_to_overwrite(tmp_path):
    path = tmp_path / "mine.ecomraci.json"
    path.write_bytes(b"my precious work, not even a model")
    done = cli("new", "-o", str(path))
    text = assert_clean_refusal(done, path)
    assert "exists" in text
    assert path.read_bytes() == b"my precious work, not even a model"
    assert not store.backup_path(path).exists()


def test_new_into_missing_folder(tmp_path):
    path = tmp_path / "nowhere" / "m.ecomraci.json"
    done = cli("new", "-o", str(path))
    assert_clean_refusal(done, path)
    assert not path.parent.exists()


def test_as_of_not_a_date(tmp_path):
    path = tmp_path / "m.ecomraci.json"
    store.save(new_model(), path)
    done = cli("check", str(path), "--as-of", "notadate")
    text = assert_clean_refusal(done, None)
    assert "notadate" in text and "--as-of" in text


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["frobnicate"],
        ["check", "m.ecomraci.json", "--format", "yaml"],
        ["check", "m.ecomraci.json", "--fail-on", "never"],
        ["new", "--focus", "fashion", "-o", "x.json"],
    ],
)
def test_bad_arguments_exit_2(tmp_path, args):
    store.save(new_model(), tmp_path / "m.ecomraci.json")
    assert_clean_refusal(cli(*args, cwd=tmp_path), None)
    assert not (tmp_path / "x.json").exists()


def test_unknown_rule_exits_2():
    text = assert_clean_refusal(cli("rules", "NOPE-99"), None)
    assert "NOPE-99" in text


# --- the two ways a current file is read ------------------------------------------------

# A file denser than a model is read piece by piece (`store._stream_model`); a piece
# larger than `store.MAX_PIECE_CHARS` is checked by parts. Each way refuses each case
# with the same place and problem as the one pass that reads every other file.
READINGS = {
    "one pass": {"DENSE_COST": float("inf")},
    "piece by piece": {"DENSE_COST": -1.0, "DENSE_MIN_BYTES": 0},
    "by parts": {
        "DENSE_COST": -1.0,
        "DENSE_MIN_BYTES": 0,
        "MAX_PIECE_CHARS": 200,
        "_FIRST_WINDOW": 16,
    },
}


@pytest.mark.parametrize("reading", list(READINGS))
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_way_of_reading_refuses_the_same(tmp_path, monkeypatch, case, reading):
    for name, value in READINGS[reading].items():
        monkeypatch.setattr(store, name, value)
    path = write_case(tmp_path, case)
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    assert_message(str(info.value), path, case)
