"""A file that never guesses: the loader takes exactly what the published JSON Schema
(docs/model.schema.json) takes, and says what is wrong in the product's words.

The corpus under data/strict/ holds files as people write them by hand from
docs/file-format.md: ``ok-*`` files both must accept, ``bad-*`` files both must refuse
("yes" for true, "6" for 6, a date with a time, a key written twice, a waiver of a rule
that does not exist, an exit plan tested but not existing...). The schema side is a JSON
Schema validator (with format checks) over the file parsed as RFC 8259 asks of
interoperable JSON: with each key once in an object. What lies between objects (ids
unique, references that exist) a JSON Schema cannot say; those files are in
data/strict/between-objects and only the loader refuses them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from ecomraci import store
from ecomraci.model import FORMAT_VERSION, Model
from ecomraci.schema import model_schema
from ecomraci.store import ModelFileError

ROOT = Path(__file__).resolve().parents[2]
STRICT = Path(__file__).parent / "data" / "strict"
CORPUS = sorted(STRICT.glob("*.ecomraci.json"))
SAMPLES = sorted((ROOT / "samples").glob("*.ecomraci.json"))
SCHEMA = json.loads((ROOT / "docs" / "model.schema.json").read_text(encoding="utf-8"))

# Pydantic's own phrasing, which a user must never see.
LIBRARY_WORDS = re.compile(
    r"Input should|valid dictionary|instance of|less than or equal|greater than or equal|"
    r"Field required|Value error|Extra inputs|\[type=|pydantic",
    re.IGNORECASE,
)


class RepeatedKey(ValueError):
    pass


def _once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise RepeatedKey(sorted({k for k, _ in pairs if [p for p, _ in pairs].count(k) > 1}))
    return obj


def schema_verdict(text: str) -> list[str]:
    """What a JSON Schema validator of docs/model.schema.json finds wrong with `text`
    (empty: it accepts it)."""
    try:
        doc = json.loads(text, object_pairs_hook=_once)
    except RepeatedKey as exc:
        return [f"a key written twice: {exc}"]
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(doc)]


def loader_verdict(path: Path) -> ModelFileError | None:
    try:
        store.load(path)
    except ModelFileError as exc:
        return exc
    return None


def test_the_corpus_has_both_kinds_of_file():
    names = [p.name for p in CORPUS]
    assert sum(n.startswith("ok-") for n in names) >= 3
    assert sum(n.startswith("bad-") for n in names) >= 20
    assert all(n.startswith(("ok-", "bad-")) for n in names), names


def test_the_published_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA == model_schema()


@pytest.mark.parametrize("path", CORPUS, ids=[p.name.split(".")[0] for p in CORPUS])
def test_loader_and_schema_validator_agree(path):
    text = path.read_text(encoding="utf-8")
    schema_problems = schema_verdict(text)
    refused = loader_verdict(path)
    assert (refused is None) == (not schema_problems), (
        f"loader: {refused or 'accepts'}; schema: {schema_problems or 'accepts'}"
    )
    assert (refused is None) == path.name.startswith("ok-"), str(refused)
    if refused is not None:
        message = str(refused)
        assert path.name in message and refused.place.startswith("$"), message
        assert not LIBRARY_WORDS.search(message), message
        assert "\n" not in message


# What the loader says for the cases the issue met, in the product's words.
MESSAGES = {
    "bad-auto-renew-yes": ("$.contracts[0].auto_renew", 'true or false, written without quotes; found "yes"'),
    "bad-auto-renew-one": ("$.contracts[0].auto_renew", "true or false"),
    "bad-auto-renew-no": ("$.contracts[0].auto_renew", "true or false"),
    "bad-notice-months-text": ("$.contracts[0].notice_period_months", 'whole number, written without quotes (such as 6); found "6"'),
    "bad-share-text": ("$.settings.raci04_consulted_share", "a number, written without quotes"),
    "bad-date-with-time": ("$.contracts[0].start", 'a date written YYYY-MM-DD, such as 2027-06-30; found "2022-03-01T00:00:00"'),
    "bad-date-dotted": ("$.contracts[0].end", "YYYY-MM-DD"),
    "bad-date-impossible": ("$.contracts[0].end", "YYYY-MM-DD"),
    "bad-date-as-number": ("$.waivers[0].until", "YYYY-MM-DD"),
    "bad-raci-row-twice": ("$.raci", 'the key "campaigns" twice'),
    "bad-field-twice": ("$.contracts[0]", 'the key "notice_period_months" twice'),
    "bad-waiver-unknown-rule": ("$.waivers[0].rule", "no rule has this id, so the waiver would waive nothing"),
    "bad-waiver-rule-shape": ("$.waivers[0].rule", "a rule id is two to four capital letters, a hyphen and two digits, such as RACI-05"),
    "bad-exit-plan-tested-without-exists": ("$.contracts[0].exit_plan", 'must say "exists": true'),
    "bad-exit-plan-tested-but-not-existing": ("$.contracts[0].exit_plan", 'must say "exists": true'),
    "bad-exit-plan-not-an-object": ("$.contracts[0].exit_plan", "must be an object, written in { }, with the fields of the exit plan; found true"),
    "bad-setting-above-bound": ("$.settings.dep03_max_functions", "must be at most 1000; found 5000"),
    "bad-maturity-level-6": ("$.organisation.maturity.structure", "must be at most 5"),
    "bad-kind-misspelt": ("$.parties[2].kind", "must be one of internal, external"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_messages_say_where_and_what(name):
    place, words = MESSAGES[name]
    refused = loader_verdict(STRICT / f"{name}.ecomraci.json")
    assert refused is not None
    assert refused.place == place, str(refused)
    assert words in refused.problem, refused.problem


def test_a_duplicate_id_names_both_objects_and_their_places():
    refs = STRICT / "between-objects"
    for name in ("function-with-a-party-s-id", "two-parties-one-id"):
        path = refs / f"{name}.ecomraci.json"
        assert schema_verdict(path.read_text(encoding="utf-8")) == []  # beyond a schema
    clash = loader_verdict(refs / "function-with-a-party-s-id.ecomraci.json")
    assert clash is not None and clash.place == "$.functions[1].id"
    assert (
        "function \u201cShop management\u201d ($.functions[1]) has the id of party "
        "\u201cE-commerce team\u201d ($.parties[0])"
    ) in clash.problem
    twice = loader_verdict(refs / "two-parties-one-id.ecomraci.json")
    assert twice is not None and twice.place == "$.parties[3].id"
    assert "party \u201cBrand marketing\u201d ($.parties[3])" in twice.problem
    assert "party \u201cMarketing\u201d ($.parties[1])" in twice.problem


def test_covers_naming_a_function_its_party_does_not_deliver_opens_and_is_reported():
    """Refusing it would leave the user no way to fix it in the app: the file opens, and
    the check reports it (SRC-16) with the party that does deliver the function."""
    from ecomraci.rules import check

    path = STRICT / "ok-covers-a-function-its-party-does-not-deliver.ecomraci.json"
    model = store.load(path)
    found = [f for f in check(model, only=["SRC-16"]) if not f.waived]
    assert [f.subjects for f in found] == [["pixel-2025", "shop-management"]]
    assert found[0].message == (
        "\u201cPixel agency agreement\u201d covers \u201cShop management\u201d, but "
        "\u201cPixel Agency\u201d does not deliver it: \u201cE-commerce team\u201d does."
    )
    ok = STRICT / "ok-as-written.ecomraci.json"
    assert [f for f in check(store.load(ok), only=["SRC-16"]) if not f.waived] == []


def test_a_version_1_file_opens_as_version_1_read_it_and_is_saved_strict(tmp_path):
    """Version 1 took "yes" for true and "6" for 6; its files still open, with the values
    version 1 read, and are saved in the current version, which a schema validator
    accepts as it is."""
    path = STRICT / "version-1" / "lax-values.ecomraci.json"
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    model = store.load(path)
    contract = model.contracts[0]
    assert contract.auto_renew is True and contract.cooperation_duty is True
    assert contract.notice_period_months == 6 and contract.start.isoformat() == "2025-01-01"
    assert model.settings.raci04_consulted_share == 0.25
    assert model.version == FORMAT_VERSION
    saved = tmp_path / "saved.ecomraci.json"
    store.save(model, saved)
    text = saved.read_text(encoding="utf-8")
    assert json.loads(text)["version"] == FORMAT_VERSION
    assert schema_verdict(text) == []
    assert store.load(saved) == model


def test_a_version_1_plan_tested_but_not_marked_opens_and_asks_for_the_fix(tmp_path):
    """Version 1 let an exit plan carry a test date without existing; such a file opens,
    and the save says what to put right. In the app the same contradiction is refused
    as it is made (the edit that unticks the plan while it has a test date)."""
    from ecomraci.edits import SetField
    from ecomraci.store import WriteRefused
    from ecomraci.transaction import EditError, transact

    model = store.load(STRICT / "version-1" / "tested-plan-not-marked-as-existing.ecomraci.json")
    with pytest.raises(WriteRefused) as info:
        store.save(model, tmp_path / "saved.ecomraci.json")
    assert info.value.place == "$.contracts[0].exit_plan"
    assert 'must say "exists": true' in info.value.problem
    fixed = store.load(STRICT / "ok-as-written.ecomraci.json")
    unticked = {"exists": False, "last_tested": "2026-02-15"}
    with pytest.raises(EditError) as refused:
        transact(
            fixed, [SetField(target="contract", id="pixel-2025", field="exit_plan", value=unticked)]
        )
    assert "has a test date but is not marked as existing" in str(refused.value)
    assert fixed.contracts[0].exit_plan.exists is True


def test_the_same_values_in_a_current_file_are_refused():
    text = (STRICT / "version-1" / "lax-values.ecomraci.json").read_text(encoding="utf-8")
    current = text.replace('"version": 1', f'"version": {FORMAT_VERSION}', 1)
    assert schema_verdict(current)
    with pytest.raises(ModelFileError) as info:
        store.loads(current, "current.ecomraci.json")
    lax = ("start", "auto_renew", "notice_period_months", "cooperation_duty")
    assert info.value.place in {f"$.contracts[0].{name}" for name in lax}, str(info.value)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name.split(".")[0] for p in SAMPLES])
def test_samples_as_saved_today_pass_the_schema_and_load_strictly(path):
    model = store.load(path)
    text = store.dumps(model)
    assert json.loads(text)["version"] == FORMAT_VERSION
    assert schema_verdict(text) == []
    assert store.loads(text) == model


def test_an_old_version_0_file_still_opens():
    model = store.load(Path(__file__).parent / "data" / "v0.ecomraci.json")
    assert model.version == FORMAT_VERSION
    assert schema_verdict(store.dumps(model)) == []


# Wrong values of every kind, in every field of a contract, a function and the settings:
# whatever pydantic says, the user reads the product's words.
WRONG_VALUES: list[Any] = ["x", "", 1.5, -1, 10**6, True, None, [], {}, ["x"], {"a": 1}]


def _fields_to_spoil() -> list[tuple[str, str]]:
    from ecomraci.model import Contract, ExitPlan, Function, Settings

    out = [
        ("contract", name) for name in Contract.model_fields if name not in ("id", "name", "party")
    ]
    out += [("function", name) for name in Function.model_fields if name not in ("id", "name")]
    out += [("exit_plan", name) for name in ExitPlan.model_fields]
    out += [("settings", name) for name in Settings.model_fields]
    return out


def test_no_library_phrasing_for_any_wrong_value():
    base = json.loads((STRICT / "ok-as-written.ecomraci.json").read_text(encoding="utf-8"))
    seen = 0
    for where, name in _fields_to_spoil():
        for value in WRONG_VALUES:
            doc = json.loads(json.dumps(base))
            target = {
                "contract": doc["contracts"][0],
                "function": doc["functions"][0],
                "exit_plan": doc["contracts"][0]["exit_plan"],
                "settings": doc["settings"],
            }[where]
            target[name] = value
            try:
                store.loads(json.dumps(doc), "spoilt.ecomraci.json")
            except ModelFileError as exc:
                seen += 1
                assert not LIBRARY_WORDS.search(str(exc)), str(exc)
    assert seen > 500


def test_every_field_has_a_title_and_a_description_in_the_schema_and_the_format_doc():
    """The inspector shows a field's description as its tooltip; the schema and
    docs/file-format.md carry the same fields."""
    fmt = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    missing: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if not (prop.get("title") and prop.get("description")):
                    missing.append(f"{where}.{name}")
            for key, value in node.items():
                if key not in ("properties", "if", "then"):
                    walk(value, f"{where}/{key}")
                elif key == "properties":
                    for name, prop in value.items():
                        walk(prop, f"{where}.{name}")

    walk(SCHEMA, "$")
    assert missing == []
    from pydantic import BaseModel

    from ecomraci import model as m

    for cls in vars(m).values():
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == m.__name__:
            for name, field in cls.model_fields.items():
                assert field.title and field.description, f"{cls.__name__}.{name}"
                if cls is not m.Model or name != "scenarios":
                    listed = f"`{name}`" in fmt or f'"{name}"' in fmt
                    assert listed, f"{cls.__name__}.{name} is not in file-format.md"


def test_the_inspector_tooltip_is_the_field_description():
    pytest.importorskip("PySide6")
    from ecomraci.model import Contract, Settings
    from ui.widgets.fields import TOOLTIPS, field_spec

    for cls in (Contract, Settings):
        for name, field in cls.model_fields.items():
            spec = field_spec(cls, name)
            assert spec.tooltip == (TOOLTIPS.get(name) or field.description), name
    assert field_spec(Settings, "dep03_max_functions").tooltip.startswith("DEP-03")


def test_model_defaults_are_what_a_strict_file_may_hold():
    assert schema_verdict(store.dumps(Model())) == []
