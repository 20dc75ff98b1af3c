"""The published JSON Schema (docs/model.schema.json) is the one the code generates, and it
covers every field of the model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecomraci import schema
from ecomraci.model import FORMAT_NAME, FORMAT_VERSION, Model

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "model.schema.json"
SAMPLES = sorted((ROOT / "samples").glob("*.ecomraci.json"))


def test_committed_schema_is_current():
    assert SCHEMA_FILE.exists(), "docs/model.schema.json is missing: run `make schema`"
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == schema.schema_text(), (
        "docs/model.schema.json is stale (the model changed): run `make schema` and commit it"
    )


def test_output_is_deterministic_sorted_and_ends_with_newline():
    text = schema.schema_text()
    assert text == schema.schema_text()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    doc = json.loads(text)
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_schema_header():
    doc = schema.model_schema()
    assert doc["$id"] == schema.SCHEMA_ID
    assert doc["$schema"].startswith("https://json-schema.org/")
    assert doc["title"] and doc["description"]
    assert doc["type"] == "object"
    assert doc["additionalProperties"] is False


def test_top_level_properties_cover_model_fields():
    doc = schema.model_schema()
    assert set(doc["properties"]) == set(Model.model_fields)
    assert set(doc["required"]) <= set(doc["properties"])
    assert {"format", "version"} <= set(doc["required"])
    assert doc["properties"]["format"]["const"] == FORMAT_NAME
    assert doc["properties"]["version"]["const"] == FORMAT_VERSION
    for name, prop in doc["properties"].items():
        assert prop.get("description"), f"top-level property {name!r} has no description"


def test_nested_objects_cover_their_fields():
    doc = schema.model_schema()
    defs = doc["$defs"]
    from ecomraci import model as m

    for cls in (
        m.Party,
        m.Function,
        m.Activity,
        m.Assignment,
        m.Dependency,
        m.Contract,
        m.Forum,
        m.Waiver,
        m.OrganisationProfile,
        m.Settings,
        m.ExitPlan,
        m.TransitionAssistance,
        m.DataReturn,
        m.MinimumCommitment,
        m.PaymentTerms,
    ):
        assert set(defs[cls.__name__]["properties"]) == set(cls.model_fields), cls.__name__
        assert defs[cls.__name__]["additionalProperties"] is False
    assert defs["ActivityKind"]["enum"] == [k.value for k in m.ActivityKind]
    assert defs["PartyKind"]["enum"] == ["internal", "external"]
    row = _values_schema(doc["properties"]["raci"])
    cell = _values_schema(row)
    assert cell["pattern"] == "^[ARSCIV]+$"


def _values_schema(obj: dict) -> dict:
    """The schema of an object's values, whether keys are patterned or free."""
    if "patternProperties" in obj:
        (values,) = obj["patternProperties"].values()
        return values
    return obj["additionalProperties"]


def test_module_writes_the_file(tmp_path):
    out = tmp_path / "model.schema.json"
    done = subprocess.run(
        [sys.executable, "-m", "ecomraci.schema", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == schema.schema_text()


def test_module_usage_error():
    assert schema.main([]) == 2


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_use_only_schema_sections(sample):
    """Without a JSON Schema validator (no extra dependency), check the samples against
    the schema's top level, and that they load."""
    from ecomraci import store

    doc = json.loads(sample.read_text(encoding="utf-8"))
    top = schema.model_schema()
    assert set(doc) <= set(top["properties"]), set(doc) - set(top["properties"])
    assert set(top["required"]) <= set(doc)
    store.load(sample)
