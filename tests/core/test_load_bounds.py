"""Loading is bounded and refuses bad input clearly: devices and pipes are refused without
a read, numbers a model cannot hold (NaN, infinities, 1e309, whole numbers of more than
4300 digits), text that is not UTF-8, a version that is not a whole number and big files
of pointless JSON are refused with a `ModelFileError` naming the file, the place and the
problem; the command line exits 2 without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.model import Settings
from ecomraci.store import ModelFileError
from tests.guards import cli, good_doc


def with_raw(doc: dict, key_path: tuple[str, ...], raw: str) -> bytes:
    """`doc` as JSON with the value at `key_path` written as the text `raw`."""
    inner = doc
    for key in key_path[:-1]:
        inner = inner.setdefault(key, {})
    inner[key_path[-1]] = "@@RAW@@"
    return json.dumps(doc, indent=1).replace('"@@RAW@@"', raw).encode("utf-8")


def layout_x(raw: str) -> bytes:
    doc = good_doc()
    function = doc["functions"][0]["id"]
    doc["layout"] = {function: {"x": 0, "y": 0}}
    return with_raw(doc, ("layout", function, "x"), raw)


def first_function() -> str:
    return good_doc()["functions"][0]["id"]


def refused(data: bytes, tmp_path: Path, name: str = "bad.ecomraci.json") -> ModelFileError:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    err = info.value
    assert err.source == str(path)
    assert path.name in str(err) and "\n" not in str(err)
    assert len(str(err)) < 600, str(err)
    return err


def assert_clean_exit_2(done: subprocess.CompletedProcess[str], name: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert name in done.stderr, done.stderr
    return done.stderr


# --- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e309", "-1e309"])
def test_non_finite_position_is_refused_with_its_path(tmp_path, raw):
    err = refused(layout_x(raw), tmp_path)
    assert err.place == f"$.layout.{first_function()}.x"
    assert "finite" in err.problem


def test_long_whole_number_is_refused_with_its_path(tmp_path):
    err = refused(layout_x("7" * 5000), tmp_path)
    assert err.place == f"$.layout.{first_function()}.x"
    assert "4300 digits" in err.problem
    assert "7" * 300 not in str(err)


def test_long_whole_number_in_a_whole_number_field(tmp_path):
    doc = good_doc()
    data = with_raw(doc, ("settings", "raci04_consulted_min"), "9" * 4301)
    err = refused(data, tmp_path)
    assert err.place == "$.settings.raci04_consulted_min"
    assert "4300 digits" in err.problem


def test_4300_digits_are_refused_by_the_setting_upper_bound(tmp_path):
    """4300 digits are within the digit limit, but no threshold is that large: the
    setting's upper bound refuses it, saying the bound."""
    data = with_raw(good_doc(), ("settings", "raci04_consulted_min"), "9" * 4300)
    err = refused(data, tmp_path)
    assert err.place == "$.settings.raci04_consulted_min"
    assert "at most 1000" in err.problem
    assert "9" * 300 not in str(err)


def _whole_number_settings() -> list[tuple[str, int]]:
    return [
        (name, next(m.le for m in field.metadata if getattr(m, "le", None) is not None))
        for name, field in Settings.model_fields.items()
        if field.annotation is int
    ]


def test_every_whole_number_setting_has_an_upper_bound():
    for name, field in Settings.model_fields.items():
        if field.annotation is int:
            assert any(getattr(m, "le", None) is not None for m in field.metadata), name
    assert len(_whole_number_settings()) >= 4


@pytest.mark.parametrize("name,bound", _whole_number_settings())
def test_a_setting_above_its_bound_is_refused_and_at_it_loads(tmp_path, name, bound):
    err = refused(with_raw(good_doc(), ("settings", name), str(bound + 1)), tmp_path)
    assert err.place == f"$.settings.{name}"
    assert f"at most {bound}" in err.problem
    assert f"found {bound + 1}" in err.problem
    path = tmp_path / "at-bound.ecomraci.json"
    path.write_bytes(with_raw(good_doc(), ("settings", name), str(bound)))
    assert getattr(store.load(path).settings, name) == bound


def test_nan_in_an_older_version_is_refused_with_its_path(tmp_path):
    """Files that need a migration take the other parse; it refuses them as well."""
    doc = json.loads((Path(__file__).parent / "data" / "v0.ecomraci.json").read_text())
    function = doc["functions"][0]["id"]
    doc["layout"] = {function: {"x": 0, "y": 0}}
    err = refused(with_raw(doc, ("layout", function, "y"), "NaN"), tmp_path)
    assert err.place == f"$.layout.{function}.y"
    assert "finite" in err.problem


# --- encoding ---------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_are_refused(tmp_path, codec):
    err = refused(store.dumps(new_model()).encode(codec), tmp_path)
    assert "UTF-8" in err.problem and codec[:6].upper() in err.problem


def test_latin1_is_refused_as_not_utf8(tmp_path):
    doc = good_doc()
    doc["name"] = "Caf\u00e9 Zoë"
    err = refused(json.dumps(doc, ensure_ascii=False).encode("latin-1"), tmp_path)
    assert "UTF-8" in err.problem and err.place.startswith("byte ")


def test_utf8_with_and_without_bom_load():
    text = store.dumps(new_model()).encode("utf-8")
    assert store.loads(text) == store.loads(b"\xef\xbb\xbf" + text) == new_model()


# --- version ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["true", "false", "1.0", "1e0", '"1"', "null"])
def test_version_that_is_not_a_whole_number_is_refused(tmp_path, raw):
    err = refused(with_raw(good_doc(), ("version",), raw), tmp_path)
    assert err.place == "$.version"
    assert "whole number" in err.problem or "version" in err.problem


# --- shape ------------------------------------------------------------------------------

BIG = 20 * 1024 * 1024


def big(path: Path, head: bytes, chunk: bytes, tail: bytes) -> Path:
    with path.open("wb") as f:
        f.write(head)
        written = len(head)
        while written < BIG:
            f.write(chunk)
            written += len(chunk)
        f.write(tail)
    return path


MARKER = b'{"format": "ecomraci-model", "version": 1, '
OBJECTS = b'{"a": {"b": [1, "c"]}}, ' * 10_000


@pytest.mark.parametrize(
    "name,head,tail,place",
    [
        ("top-list", b"[", b"0]", "$"),
        ("unmarked", b'{"junk": [', b"0]}", "$.format"),
        ("marked", MARKER + b'"junk": [', b"0]}", "$.junk"),
        ("wrong-marker", b'{"format": "other", "junk": [', b"0]}", "$.format"),
        # Parsed in full, but the list stops at its first bad item (not millions of errors).
        ("known-field", MARKER + b'"activities": [', b"0]}", "$.activities[0].id"),
    ],
)
def test_big_pointless_json_is_refused_from_its_start(tmp_path, name, head, tail, place):
    path = big(tmp_path / f"{name}.ecomraci.json", head, OBJECTS, tail)
    t0 = time.perf_counter()
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    assert info.value.place == place
    assert path.name in str(info.value) and len(str(info.value)) < 600
    # a hang guard (bench/bad_input.py measures the speed)
    assert time.perf_counter() - t0 < 60


# A valid start, then junk: the loader reads such a file piece by piece and refuses it at
# its first bad piece, never parsing the whole of it (`store._validate_json`).

JUNK = b'{"a": {"b": [1, "c"]}}, '
JUNK_SIZE = 8 * 1024 * 1024


def good_activities(count: int) -> bytes:
    """`count` items of `activities`, each valid on its own, each followed by a comma."""
    return b"".join(
        b'{"id": "act-%05d", "name": "Activity %d", "function": "fn-%d"}, ' % (k, k, k % 9)
        for k in range(count)
    )


def good_rows(count: int) -> bytes:
    """`count` entries of `raci`, each valid on its own, each followed by a comma."""
    return b"".join(b'"act-%05d": {"int-1": "AR", "ext-2": "C"}, ' % k for k in range(count))


LATER_FIELD = MARKER + b'"activities": [' + good_activities(4000)[:-2] + b"], "


@pytest.fixture
def no_whole_parse(monkeypatch):
    def whole(data):
        raise AssertionError("the whole file was parsed before it was refused")

    monkeypatch.setattr(store, "_validate_json", whole)


JUNK_CASES = [
    # past the 256 KB the loader looks at first (the bench's "objects after 256 KB")
    (
        "after-spaces",
        MARKER + b" " * 300_000 + b'"activities": [',
        JUNK,
        b"0]}",
        "$.activities[0].id",
        "required",
    ),
    (
        "after-good-items",
        MARKER + b'"activities": [' + good_activities(4000),
        JUNK,
        b"0]}",
        "$.activities[4000].id",
        "required",
    ),
    (
        "after-good-rows",
        MARKER + b'"raci": {' + good_rows(6000),
        b'"x": {"a": {"b": [1, "c"]}}, ',
        b'"y": {}}}',
        "$.raci.x.a",
        "must be text",
    ),
    ("unknown-field-later", LATER_FIELD + b'"junk": [', JUNK, b"0]}", "$.junk", "typo"),
    (
        "wrong-kind-later",
        LATER_FIELD + b'"settings": [',
        JUNK,
        b"0]}",
        "$.settings",
        "found a JSON list",
    ),
    (
        "one-huge-item",
        MARKER + b'"activities": [{"id": "a", "function": "f", "name": "n", "kind": [',
        b"1, ",
        b"1]}]}",
        "$.activities[0].kind",
        "found a JSON list",
    ),
    (
        "huge-part-of-an-item",
        MARKER + b'"contracts": [{"id": "c", "party": "p", "covers": [',
        b'"fn-1", {"x": 1}, ',
        b'"fn-2"]}]}',
        "$.contracts[0].covers[1]",
        "must be text",
    ),
]


@pytest.mark.parametrize(
    "name,head,chunk,tail,place,words", JUNK_CASES, ids=[case[0] for case in JUNK_CASES]
)
def test_junk_after_a_valid_start_is_refused_at_its_first_bad_piece(
    tmp_path, no_whole_parse, name, head, chunk, tail, place, words
):
    path = tmp_path / f"{name}.ecomraci.json"
    with path.open("wb") as f:
        f.write(head)
        f.write(chunk * (JUNK_SIZE // len(chunk)))
        f.write(tail)
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    err = info.value
    assert err.place == place, str(err)
    assert words in err.problem, err.problem
    assert path.name in str(err) and len(str(err)) < 600


def test_junk_after_a_valid_start_exits_2_on_the_command_line(tmp_path):
    path = tmp_path / "junk-late.ecomraci.json"
    path.write_bytes(MARKER + b" " * 300_000 + b'"activities": [' + JUNK * 100_000 + b"0]}")
    text = assert_clean_exit_2(cli("check", str(path)), path.name)
    assert "$.activities[0].id" in text, text


def test_a_model_as_ecomraci_writes_it_is_read_in_one_pass():
    """Only files denser than a model are read piece by piece: a model, indented as
    ecomraci writes it or written without any whitespace, is validated in one pass."""
    from bench.generate import generate

    for model in (
        new_model(),
        generate(functions=40, activities=400, parties=30, dependencies=200, contracts=20),
    ):
        text = store.dumps(model)
        compact = json.dumps(json.loads(text), separators=(",", ":"))
        for data in (text.encode(), compact.encode()):
            assert store._parse_cost(data) <= store.DENSE_COST
    junk = MARKER + b'"activities": [' + JUNK * 10_000 + b"0]}"
    assert store._parse_cost(junk) > store.DENSE_COST


def test_deep_nesting_is_refused(tmp_path):
    err = refused(
        b'{"format": "ecomraci-model", "version": 1, "layout": ' + b"[" * 500_000, tmp_path
    )
    assert "nested" in err.problem or "JSON" in err.problem


def test_long_value_is_quoted_short(tmp_path):
    doc = good_doc()
    doc["functions"][0]["lead_time_months"] = ["x" * 1000] * 1000
    err = refused(json.dumps(doc).encode(), tmp_path)
    assert err.place == "$.functions[0].lead_time_months"
    assert len(err.problem) < 400, err.problem


# --- reading ----------------------------------------------------------------------------


def test_dev_zero_is_refused_without_reading():
    t0 = time.perf_counter()
    with pytest.raises(ModelFileError) as info:
        store.load("/dev/zero")
    assert "/dev/zero" in str(info.value) and "device" in str(info.value)
    assert time.perf_counter() - t0 < 60  # a hang guard: a device is never read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.ecomraci.json"
    os.mkfifo(fifo)
    with pytest.raises(ModelFileError) as info:
        store.load(fifo)
    assert "pipe" in str(info.value)


def test_read_stops_after_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "grown.ecomraci.json"
    path.write_bytes(store.dumps(new_model()).encode())
    monkeypatch.setattr(store, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    assert "MB" in info.value.problem


# --- the command line -------------------------------------------------------------------


def test_cli_check_dev_zero():
    done = cli("check", "/dev/zero")
    assert_clean_exit_2(done, "/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_cli_check_fifo(tmp_path):
    fifo = tmp_path / "pipe.ecomraci.json"
    os.mkfifo(fifo)
    assert_clean_exit_2(cli("check", str(fifo)), fifo.name)


@pytest.mark.parametrize(
    "name,make,words",
    [
        ("long-int", lambda: layout_x("1" * 5000), "4300 digits"),
        ("nan", lambda: layout_x("NaN"), "finite"),
        ("utf16", lambda: store.dumps(new_model()).encode("utf-16"), "UTF-16"),
        ("bool-version", lambda: with_raw(good_doc(), ("version",), "true"), "$.version"),
    ],
)
def test_cli_check_refuses(tmp_path, name, make, words):
    path = tmp_path / f"{name}.ecomraci.json"
    path.write_bytes(make())
    text = assert_clean_exit_2(cli("check", str(path)), path.name)
    assert words in text, text


def test_a_huge_key_is_quoted_short_in_the_error(tmp_path):
    import json as _json

    from ecomraci import store as _store
    from ecomraci.catalog import new_model

    doc = _json.loads(_store.dumps(new_model()))
    doc["raci"] = {"x" * 1_048_576: {"nobody": "R"}}
    path = tmp_path / "huge-key.ecomraci.json"
    path.write_text(_json.dumps(doc), encoding="utf-8")
    try:
        _store.load(path)
    except _store.ModelFileError as exc:
        assert len(str(exc)) < 2000 and len(exc.place) < 400
    else:  # pragma: no cover - the file must be refused
        raise AssertionError("a RACI row of an unknown activity loaded")


def test_bad_raci_rows_stop_at_the_first(tmp_path, monkeypatch):
    """Like the lists, the mappings of a model stop at their first bad entry: 50 MB of
    rows of bad letters gave 600,000 errors (3 s, 930 MB) for one message."""
    doc = good_doc()
    doc["raci"] = {f"act-{k:05d}": {"int-1": "XZ"} for k in range(2000)}
    for cost in (float("inf"), -1.0):  # in one pass, and piece by piece
        monkeypatch.setattr(store, "DENSE_COST", cost)
        monkeypatch.setattr(store, "DENSE_MIN_BYTES", 0)
        err = refused(json.dumps(doc).encode(), tmp_path)
        assert err.place == "$.raci.act-00000.int-1"
        assert "RACI cell" in err.problem
        assert "more problem" not in err.problem, err.problem
