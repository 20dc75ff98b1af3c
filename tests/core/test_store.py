"""Loading and saving model files: round trips, atomic saves with a .bak, failed saves
that leave the user's file alone, migrations, and the hand-written example of
docs/file-format.md."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.model import (
    FORMAT_VERSION,
    Activity,
    Assignment,
    Contract,
    Function,
    Model,
    Party,
    Position,
)
from ecomraci.store import ModelFileError, WriteRefused
from tests.guards import no_hang

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
FOCUSES = ["commerce", "content", "community"]


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# --- round trips ------------------------------------------------------------------


@pytest.mark.parametrize("focus", FOCUSES)
def test_save_then_load_is_equal(tmp_path, focus):
    model = new_model(focus, f"{focus} shop")
    path = tmp_path / f"{focus}.ecomraci.json"
    store.save(model, path)
    loaded = store.load(path)
    assert loaded == model
    # and a second save of the loaded model writes the same bytes
    first = path.read_bytes()
    store.save(loaded, path)
    assert path.read_bytes() == first


def test_saved_file_starts_with_format_and_version(tmp_path):
    path = tmp_path / "m.ecomraci.json"
    store.save(new_model(), path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert list(doc)[:2] == ["format", "version"]
    assert doc["format"] == "ecomraci-model" and doc["version"] == FORMAT_VERSION
    assert path.read_text(encoding="utf-8").endswith("\n")


def test_round_trip_keeps_unicode_and_every_section(tmp_path):
    model = store.load(DATA / "handwritten.ecomraci.json")
    model.name = "Łódź sklep — “quoted” ✓"
    path = tmp_path / "u.ecomraci.json"
    store.save(model, path)
    assert "Łódź" in path.read_text(encoding="utf-8")
    assert store.load(path) == model


def test_loads_accepts_str_and_bytes():
    text = store.dumps(new_model())
    assert store.loads(text) == store.loads(text.encode("utf-8")) == new_model()


# --- atomic save and .bak -------------------------------------------------------------


def test_save_keeps_previous_file_as_bak(tmp_path):
    path = tmp_path / "shop.ecomraci.json"
    first = new_model("commerce", "First")
    second = new_model("commerce", "Second")
    store.save(first, path)
    assert not store.backup_path(path).exists()  # nothing to keep on the first save
    first_bytes = path.read_bytes()
    store.save(second, path)
    bak = tmp_path / "shop.ecomraci.json.bak"
    assert store.backup_path(path) == bak
    assert bak.read_bytes() == first_bytes
    assert store.load(path).name == "Second"
    assert store.load(bak).name == "First"
    assert files_in(tmp_path) == {"shop.ecomraci.json", "shop.ecomraci.json.bak"}


def test_save_without_backup(tmp_path):
    path = tmp_path / "m.ecomraci.json"
    store.save(new_model(), path)
    store.save(new_model("content"), path, keep_backup=False)
    assert files_in(tmp_path) == {"m.ecomraci.json"}


def test_save_into_current_folder_with_bare_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store.save(new_model(), "bare.ecomraci.json")
    store.save(new_model(), "bare.ecomraci.json")
    assert files_in(tmp_path) == {"bare.ecomraci.json", "bare.ecomraci.json.bak"}


def _fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    "target",
    ["os.replace", "os.fsync", "os.link"],
)
def test_failed_save_leaves_original_intact_and_no_temp_file(tmp_path, monkeypatch, target):
    path = tmp_path / "shop.ecomraci.json"
    store.save(new_model("commerce", "Original"), path)
    original = path.read_bytes()
    module, name = target.split(".")
    monkeypatch.setattr({"os": os, "shutil": shutil}[module], name, _fail)
    with pytest.raises(OSError):
        store.save(new_model("community", "Changed"), path)
    monkeypatch.undo()
    assert path.read_bytes() == original
    leftovers = files_in(tmp_path) - {"shop.ecomraci.json", "shop.ecomraci.json.bak"}
    assert leftovers == set(), f"temporary files left behind: {leftovers}"
    bak = store.backup_path(path)
    if bak.exists():  # the copy was made before the failing step: it is the original
        assert bak.read_bytes() == original


def test_failed_write_part_way_leaves_original_intact(tmp_path, monkeypatch):
    """The write itself fails after half the text reached the temporary file."""
    path = tmp_path / "shop.ecomraci.json"
    store.save(new_model("commerce", "Original"), path)
    original = path.read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()
            return False

        def write(self, text):
            self.f.write(text[: len(text) // 2])
            self.f.flush()
            raise OSError(5, "Input/output error")

        def __getattr__(self, name):
            return getattr(self.f, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    with pytest.raises(OSError):
        store.save(new_model("content", "Changed"), path)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert files_in(tmp_path) == {"shop.ecomraci.json"}


def test_failed_save_of_new_file_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "new.ecomraci.json"
    monkeypatch.setattr(os, "replace", _fail)
    with pytest.raises(OSError):
        store.save(new_model(), path)
    monkeypatch.undo()
    assert files_in(tmp_path) == set()


def test_save_to_missing_folder_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        store.save(new_model(), tmp_path / "no" / "such" / "m.ecomraci.json")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_keeps_file_permissions(tmp_path):
    """mkstemp makes 0600 files; a save must not turn a shared model file private."""
    path = tmp_path / "shared.ecomraci.json"
    path.write_text(store.dumps(new_model()), encoding="utf-8")
    path.chmod(0o664)
    store.save(new_model("content"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_file_gets_the_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        path = tmp_path / "fresh.ecomraci.json"
        store.save(new_model(), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    finally:
        os.umask(umask)


# --- saving never writes what loading refuses --------------------------------------------


def _ghost_activity(m: Model) -> str:
    m.raci["ghost"] = {m.parties[0].id: "R"}
    return "$.raci.ghost: no activity has this id"


def _ghost_party(m: Model) -> str:
    aid = m.activities[0].id
    m.raci[aid]["nobody"] = "C"
    return f"$.raci.{aid}.nobody: no party has this id"


def _repeated_letter(m: Model) -> str:
    aid = m.activities[0].id
    m.raci[aid][m.parties[0].id] = "AA"  # set in place: no validation on the way in
    return f"$.raci.{aid}.{m.parties[0].id}"


def _nan_position(m: Model) -> str:
    m.layout[m.functions[0].id] = Position.model_construct(x=float("nan"), y=10.0)
    return f"$.layout.{m.functions[0].id}.x: is not a finite number"


def _infinite_position(m: Model) -> str:
    m.layout[m.functions[0].id] = Position(x=0.0, y=0.0)
    m.layout[m.functions[0].id].y = float("-inf")
    return f"$.layout.{m.functions[0].id}.y: is not a finite number"


def _bad_id(m: Model) -> str:
    m.parties[1].id = "no spaces allowed"
    return "$.parties[1].id: is not a valid id"


def _duplicate_id(m: Model) -> str:
    m.functions[1].id = m.functions[0].id
    return "$.functions[1].id: duplicate id: function “Web store IT” ($.functions[1]) has the id of function"


def _out_of_range_setting(m: Model) -> str:
    m.settings.raci04_consulted_share = 7.0
    return "$.settings.raci04_consulted_share"


def _lone_surrogate(m: Model) -> str:
    m.parties[1].name = "Pixel \udcff"
    return "$.parties[1].name: holds a character that cannot be written as UTF-8"


@pytest.mark.parametrize(
    "spoil",
    [
        _ghost_activity,
        _ghost_party,
        _repeated_letter,
        _nan_position,
        _infinite_position,
        _bad_id,
        _duplicate_id,
        _out_of_range_setting,
        _lone_surrogate,
    ],
)
def test_save_refuses_a_model_load_would_refuse_and_leaves_the_file_alone(tmp_path, spoil):
    path = tmp_path / "shop.ecomraci.json"
    store.save(new_model("commerce", "Original"), path)
    original = path.read_bytes()
    model = new_model("commerce", "Changed")
    expected = spoil(model)
    with pytest.raises(WriteRefused) as info:
        store.save(model, path)
    message = str(info.value)
    assert message.startswith(f"{path}: {expected}"), message
    assert "not saved" in message
    # what the app's and the command line's handlers of a failed write rely on
    assert isinstance(info.value, ModelFileError) and isinstance(info.value, OSError)
    assert info.value.strerror == message.removeprefix(f"{path}: ")
    assert path.read_bytes() == original
    assert files_in(tmp_path) == {"shop.ecomraci.json"}  # no .bak, no temporary file


def test_refused_save_of_a_new_file_writes_nothing(tmp_path):
    model = new_model()
    _ghost_activity(model)
    with pytest.raises(WriteRefused):
        store.save(model, tmp_path / "new.ecomraci.json")
    assert files_in(tmp_path) == set()


def test_refusal_names_the_value_found():
    model = new_model()
    _ghost_activity(model)
    with pytest.raises(WriteRefused) as info:
        store.savable_text(model, "m.json")
    assert str(info.value) == (
        'm.json: $.raci.ghost: no activity has this id; found "ghost"; '
        "not saved, since the file would not open again"
    )
    model = new_model()
    _nan_position(model)
    with pytest.raises(WriteRefused) as info:
        store.savable_text(model, "m.json")
    assert "found nan" in str(info.value) and "None" not in str(info.value)


def test_savable_text_is_what_load_takes_back():
    model = store.load(DATA / "handwritten.ecomraci.json")
    data = store.savable_text(model)
    assert data == store.dumps(model).encode("utf-8")
    assert store.loads(data) == model


def test_a_model_bigger_than_load_takes_is_not_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.ecomraci.json"
    with pytest.raises(WriteRefused) as info:
        store.save(new_model(), path)
    assert "MB a model file may have" in str(info.value)
    assert files_in(tmp_path) == set()


# --- targets that are not regular files --------------------------------------------------


@contextmanager
def nothing_opened_for_writing(monkeypatch):
    """Fail the test at once if anything is about to be written, so that a regression
    can never write into /dev or /proc (the tests may run as root)."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"something was opened for writing: {args}")

    with monkeypatch.context() as m:
        m.setattr(tempfile, "mkstemp", refuse)
        m.setattr(os, "replace", refuse)
        m.setattr(shutil, "copy2", refuse)
        yield


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_save_to_a_named_pipe_is_refused_without_opening_it(tmp_path, monkeypatch):
    fifo = tmp_path / "pipe.ecomraci.json"
    os.mkfifo(fifo)
    with nothing_opened_for_writing(monkeypatch), no_hang():
        with pytest.raises(WriteRefused) as info:
            store.save(new_model(), fifo)
    assert str(info.value) == f"{fifo}: {store.NOT_A_REGULAR_FILE}"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert files_in(tmp_path) == {"pipe.ecomraci.json"}


@pytest.mark.skipif(os.name != "posix", reason="POSIX system folders")
@pytest.mark.parametrize(
    "target",
    [
        "/dev/null",
        "/dev/zero",
        "/dev/new-model.ecomraci.json",
        "/proc/self/status",
        "/proc/new-model.ecomraci.json",
        "/sys/new-model.ecomraci.json",
    ],
)
def test_save_to_a_device_or_a_system_folder_is_refused(monkeypatch, target):
    if target.startswith(("/proc", "/sys")) and not os.path.isdir(target.rsplit("/", 1)[0]):
        pytest.skip(f"no {target.rsplit('/', 1)[0]} here")
    with nothing_opened_for_writing(monkeypatch), no_hang():
        with pytest.raises(WriteRefused) as info:
            store.save(new_model(), target)
    assert str(info.value) == f"{target}: {store.NOT_A_REGULAR_FILE}"
    assert not os.path.exists("/dev/new-model.ecomraci.json")


@pytest.mark.skipif(os.name != "posix", reason="POSIX symbolic links")
def test_a_link_to_a_device_is_refused(tmp_path, monkeypatch):
    link = tmp_path / "m.ecomraci.json"
    link.symlink_to("/dev/null")
    with nothing_opened_for_writing(monkeypatch):
        with pytest.raises(WriteRefused):
            store.save(new_model(), link)
    assert link.is_symlink()


def test_save_to_a_folder_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "looks-like.ecomraci.json"
    folder.mkdir()
    with nothing_opened_for_writing(monkeypatch):
        with pytest.raises(WriteRefused) as info:
            store.save(new_model(), folder)
    assert str(info.value) == f"{folder}: this is a folder; name a file to write"
    assert folder.is_dir() and files_in(tmp_path) == {"looks-like.ecomraci.json"}


def test_save_into_a_missing_folder_says_so(tmp_path, monkeypatch):
    target = tmp_path / "no" / "m.ecomraci.json"
    with nothing_opened_for_writing(monkeypatch):
        with pytest.raises(WriteRefused) as info:
            store.save(new_model(), target)
    assert str(info.value) == f"{target}: the folder {target.parent} does not exist"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_the_atomic_writer_of_the_exports_refuses_a_pipe(tmp_path, monkeypatch):
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    with nothing_opened_for_writing(monkeypatch), no_hang():
        with pytest.raises(WriteRefused):
            store.write_text_atomic(fifo, b"PK", keep_backup=False)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_excel_export_to_a_pipe_is_refused(tmp_path):
    from ecomraci.xlsx import export_workbook

    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    with no_hang(), pytest.raises(WriteRefused):
        export_workbook(new_model(), fifo, as_of=date(2026, 1, 1))
    assert files_in(tmp_path) == {"book.xlsx"} and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_regular_file_and_a_new_name_are_writable_targets(tmp_path):
    existing = tmp_path / "old.ecomraci.json"
    existing.write_text("{}", encoding="utf-8")
    store.writable_target(existing)
    store.writable_target(tmp_path / "new.ecomraci.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_cli_new_over_a_pipe_reports_it(tmp_path, capsys):
    from ecomraci import cli

    fifo = tmp_path / "pipe.ecomraci.json"
    os.mkfifo(fifo)
    with no_hang():
        assert cli.main(["new", "-o", str(fifo), "--force"]) == cli.EXIT_BAD_INPUT
    assert store.NOT_A_REGULAR_FILE in capsys.readouterr().err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_load_of_a_pipe_or_a_device_does_not_wait(tmp_path):
    fifo = tmp_path / "pipe.ecomraci.json"
    os.mkfifo(fifo)
    with no_hang(), pytest.raises(ModelFileError) as info:
        store.load(fifo)
    assert "a device or a pipe" in str(info.value)
    if os.path.exists("/dev/zero"):
        with no_hang(), pytest.raises(ModelFileError):
            store.load("/dev/zero")


# --- migrations -----------------------------------------------------------------------


def test_version_0_file_loads_as_migrated_model():
    loaded = store.load(DATA / "v0.ecomraci.json")
    expected = Model(
        name="Version 0 shop",
        parties=[
            Party(id="ecom", name="E-commerce team", kind="internal", category="ecommerce"),
            Party(id="agency", name="Pixel Agency", kind="external", category="agency"),
        ],
        functions=[Function(id="online-marketing", name="Online marketing", reversible=True)],
        activities=[
            Activity(id="campaigns", name="Run campaigns", function="online-marketing", kind="run"),
            Activity(
                id="feeds",
                name="Maintain product feeds",
                function="online-marketing",
                kind="interface",
            ),
        ],
        assignments=[
            Assignment(
                function="online-marketing", party="agency", mode="outsourced", contract="pixel"
            ),
        ],
        raci={
            "campaigns": {"ecom": "A", "agency": "R"},
            "feeds": {"ecom": "AR", "agency": "I"},
        },
        contracts=[
            Contract(
                id="pixel",
                name="Pixel agreement",
                party="agency",
                covers=["online-marketing"],
                end=date(2027, 6, 30),
            ),
        ],
    )
    assert loaded == expected
    assert loaded.version == FORMAT_VERSION


def test_migrated_file_is_saved_as_current_version(tmp_path):
    src = tmp_path / "old.ecomraci.json"
    shutil.copy(DATA / "v0.ecomraci.json", src)
    old_bytes = src.read_bytes()
    store.save(store.load(src), src)
    doc = json.loads(src.read_text(encoding="utf-8"))
    assert doc["version"] == FORMAT_VERSION
    assert isinstance(doc["raci"], dict)
    assert all("kind" in p and "type" not in p for p in doc["parties"])
    assert store.backup_path(src).read_bytes() == old_bytes


def test_migrate_chain_does_not_touch_a_current_document():
    doc = json.loads(store.dumps(new_model()))
    assert store.migrate(dict(doc)) == doc


def test_newer_version_is_refused(tmp_path):
    doc = json.loads(store.dumps(new_model()))
    doc["version"] = 99
    path = tmp_path / "future.ecomraci.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ModelFileError) as info:
        store.load(path)
    message = str(info.value)
    assert "future.ecomraci.json" in message
    assert "$.version" in message
    assert "newer" in message and "99" in message


@pytest.mark.parametrize("version", ["1", None, 1.5, 2.5, -1, "one"])
def test_odd_versions_are_refused(version):
    doc = json.loads(store.dumps(new_model()))
    doc["version"] = version
    with pytest.raises(ModelFileError) as info:
        store.loads(json.dumps(doc), "odd.ecomraci.json")
    assert "$.version" in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["{}", '{"name": "x"}', '{"format": "ecomraci-model"}', '{"version": 1}'],
)
def test_object_without_format_and_version_is_refused(text):
    with pytest.raises(ModelFileError) as info:
        store.loads(text, "plain.json")
    assert "$.format" in str(info.value) or "$.version" in str(info.value)


def test_other_json_object_is_refused_as_not_a_model():
    with pytest.raises(ModelFileError) as info:
        store.loads('{"format": "something-else", "version": 1}', "other.json")
    assert "$.format" in str(info.value)
    assert "not an ecomraci model" in str(info.value)


# --- RACI letters in the file ---------------------------------------------------------


def _with_cell(letters: str) -> str:
    doc = json.loads((DATA / "handwritten.ecomraci.json").read_text(encoding="utf-8"))
    doc["raci"]["strategy"]["ecom"] = letters
    return json.dumps(doc)


def test_canonical_letters_load():
    model = store.loads(_with_cell("AR"))
    assert model.raci["strategy"]["ecom"] == "AR"


@pytest.mark.parametrize("bad", ["X", "", " ", "AA", "ARSCIVA"])
def test_bad_letters_are_refused_at_the_cell(bad):
    with pytest.raises(ModelFileError) as info:
        store.loads(_with_cell(bad), "cell.json")
    assert "$.raci.strategy.ecom" in str(info.value)


@pytest.mark.parametrize("typed", ["RA", "AR"])
def test_letters_in_any_order_fold_to_canonical(typed):
    model = store.loads(_with_cell(typed))
    assert model.raci["strategy"]["ecom"] == "AR"
    assert '"AR"' in store.dumps(model) and '"RA"' not in store.dumps(model)


@pytest.mark.parametrize("typed", ["A/R", "a r", "r,a"])
def test_typed_separators_are_refused_in_the_file_at_the_cell(typed):
    # The file holds upper-case letters only; typed forms are folded where people type.
    with pytest.raises(ModelFileError) as info:
        store.loads(_with_cell(typed), "cell.json")
    assert "$.raci.strategy.ecom" in str(info.value)


def test_layout_accepts_dependency_ids():
    doc = json.loads((DATA / "handwritten.ecomraci.json").read_text(encoding="utf-8"))
    doc["layout"]["shop-management->online-marketing"] = {"x": 120, "y": 40}
    model = store.loads(json.dumps(doc))
    assert "shop-management->online-marketing" in model.layout


def test_layout_key_must_be_an_object():
    doc = json.loads((DATA / "handwritten.ecomraci.json").read_text(encoding="utf-8"))
    doc["layout"]["ghost"] = {"x": 1, "y": 2}
    with pytest.raises(ModelFileError) as info:
        store.loads(json.dumps(doc), "h.json")
    assert "$.layout.ghost" in str(info.value)


# --- the hand-written example of docs/file-format.md ---------------------------------


def _first_json_block(markdown: str) -> str:
    match = re.search(r"^```json\n(.*?)^```", markdown, re.S | re.M)
    assert match, "docs/file-format.md has no ```json block"
    return match.group(1)


def test_handwritten_example_loads():
    model = store.load(DATA / "handwritten.ecomraci.json")
    assert [p.id for p in model.parties] == ["ecom", "marketing", "pixel"]
    assert len(model.functions) == 2
    assert [c.id for c in model.contracts] == ["pixel-2025"]
    assert model.raci["strategy"]["ecom"] == "AR"


def test_handwritten_example_is_the_one_in_the_doc():
    doc_text = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    block = _first_json_block(doc_text)
    data_text = (DATA / "handwritten.ecomraci.json").read_text(encoding="utf-8")
    assert json.loads(block) == json.loads(data_text)
    assert block.strip() == data_text.strip()
    assert store.loads(block, "file-format.md") == store.load(DATA / "handwritten.ecomraci.json")


def test_doc_mentions_every_field():
    """docs/file-format.md describes every field of every object a user types."""
    from ecomraci import model as m

    text = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    missing = []
    for cls in (
        m.Model,
        m.Party,
        m.Function,
        m.Activity,
        m.Assignment,
        m.Dependency,
        m.Contract,
        m.ExitPlan,
        m.TransitionAssistance,
        m.DataReturn,
        m.MinimumCommitment,
        m.PaymentTerms,
        m.Forum,
        m.OrganisationProfile,
        m.Waiver,
        m.Position,
        m.Settings,
    ):
        for field in cls.model_fields:
            if f"`{field}`" not in text and f'"{field}"' not in text:
                missing.append(f"{cls.__name__}.{field}")
    assert not missing, f"fields not described in docs/file-format.md: {missing}"
    for enum in (
        m.PartyKind,
        m.PartyCategory,
        m.DeliveryModel,
        m.DataLocation,
        m.Criticality,
        m.DataKind,
        m.ActivityKind,
        m.SourcingMode,
        m.DependencyKind,
        m.Strength,
        m.TerminationForConvenience,
        m.PartialTermination,
        m.AssetOwner,
        m.MarketingAsset,
        m.TransferBasis,
        m.StrategyFocus,
        m.StructureStage,
        m.Placement,
        m.MaturityDimension,
        m.KeyAccountability,
    ):
        for member in enum:
            assert f"`{member.value}`" in text, f"{enum.__name__}.{member.name} not in the doc"


def test_doc_settings_defaults_match_the_model():
    from ecomraci.model import Settings

    text = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    for name, info in Settings.model_fields.items():
        row = re.search(rf"^\| `{name}` \|.*\| `([^`]*)` \|$", text, re.M)
        assert row, f"settings row for {name} missing"
        assert float(row.group(1)) == float(info.default), name


def test_smallest_documented_file_loads():
    assert store.loads('{"format": "ecomraci-model", "version": 1}') == Model()


# --- reading a dense file piece by piece -----------------------------------------------

# How a current file may be read: in one pass (a model as ecomraci writes it), piece by
# piece (a file denser than a model), with pieces checked by parts, and with windows of
# text so small that values are cut at every kind of place and read again.
READINGS = {
    "piece by piece": {"DENSE_COST": -1.0, "DENSE_MIN_BYTES": 0},
    "small windows": {"DENSE_COST": -1.0, "DENSE_MIN_BYTES": 0, "_FIRST_WINDOW": 8},
    "by parts": {
        "DENSE_COST": -1.0,
        "DENSE_MIN_BYTES": 0,
        "MAX_PIECE_CHARS": 300,
        "_FIRST_WINDOW": 8,
    },
}


def _with_scenarios() -> bytes:
    """A sample with saved what-if scenarios (their edits are of several kinds)."""
    from ecomraci.scenario.operations import insource, terminate
    from ecomraci.scenario.saved import add_scenario

    model = store.load(ROOT / "samples" / "outsourced-estore.ecomraci.json")
    as_of = date(2026, 1, 1)
    function = next(a.function for a in model.assignments if a.contract)
    add_scenario(model, insource(model, function, as_of=as_of).to_scenario("in"))
    add_scenario(model, terminate(model, model.contracts[0].id, as_of=as_of).to_scenario("end"))
    assert sum(len(s.edits) for s in model.scenarios) > 5
    return store.dumps(model).encode()


def _document(name: str) -> bytes:
    """The text of a document by name (built when a test runs, not when tests are
    collected): a sample, a generated model, the hand-written example or a sample with
    scenarios, as written (indented) or with `` compact`` without any whitespace."""
    from bench.generate import generate

    base = name.removesuffix(" compact")
    if base == "generated":
        model = generate(functions=30, activities=200, parties=20, dependencies=60, contracts=10)
        data = store.dumps(model).encode()
    elif base == "handwritten":
        data = (DATA / "handwritten.ecomraci.json").read_bytes()
    elif base == "with scenarios":
        data = _with_scenarios()
    else:
        data = (ROOT / "samples" / base).read_bytes()
    if name != base:
        data = json.dumps(json.loads(data), separators=(",", ":")).encode()
    return data


DOCUMENTS = [
    f"{base}{form}"
    for base in [
        *(p.name for p in sorted((ROOT / "samples").glob("*.ecomraci.json"))),
        "generated",
        "handwritten",
        "with scenarios",
    ]
    for form in ("", " compact")
]


@pytest.mark.parametrize("reading", list(READINGS))
@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_way_of_reading_gives_the_same_model(monkeypatch, name, reading):
    data = _document(name)
    monkeypatch.setattr(store, "DENSE_COST", float("inf"))
    one_pass = store.loads(data)
    for setting, value in READINGS[reading].items():
        monkeypatch.setattr(store, setting, value)
    read = store.loads(data)
    assert read.model_dump() == one_pass.model_dump()
    assert read.model_fields_set == one_pass.model_fields_set
    assert store.dumps(read) == store.dumps(one_pass)


def test_repeated_keys_are_refused_in_each_reading(monkeypatch):
    """A key written twice (a second RACI row for the same activity, a field given
    twice) is refused in each way of reading: JSON keeps the last and would lose the
    first without a word."""
    doc = json.loads(store.dumps(new_model()))
    activity = doc["activities"][0]["id"]
    party = doc["parties"][0]["id"]
    del doc["raci"]
    text = json.dumps(doc)[:-1] + (
        f', "raci": {{"{activity}": {{"{party}": "C"}}, "{activity}": {{"{party}": "I"}}}}}}'
    )
    twice_a_field = json.dumps(doc)[:-1] + ', "name": "second"}'
    monkeypatch.setattr(store, "DENSE_MIN_BYTES", 0)
    for cost in (float("inf"), -1.0):
        monkeypatch.setattr(store, "DENSE_COST", cost)
        with pytest.raises(ModelFileError) as info:
            store.loads(text)
        assert info.value.place == "$.raci", str(info.value)
        assert f'"{activity}" twice' in info.value.problem
        with pytest.raises(ModelFileError) as info:
            store.loads(twice_a_field)
        assert info.value.place == "$" and '"name" twice' in info.value.problem
