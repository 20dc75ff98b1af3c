"""Model diffs (ecomraci.diff): objects matched by key, contracts clause by clause, RACI
cells, findings that appear, disappear or change, and `ecomraci diff`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ecomraci import store
from ecomraci.diff import FindingRef, compare, diff_findings, diff_models, format_text
from ecomraci.edits import MoveObject, SetLayout, apply_edits
from ecomraci.model import Party, Position, TransitionAssistance
from tests.core.kit import base_model
from tests.core.test_cli import main

ROOT = Path(__file__).resolve().parents[2]
ESTORE = ROOT / "samples" / "outsourced-estore.ecomraci.json"
AS_OF = date(2026, 12, 1)


def changed(model_diff, collection: str) -> dict[str, object]:
    return {c.key: c for c in getattr(model_diff, collection)}


def test_identical_models_and_layout_or_order_changes_are_no_difference():
    a = base_model()
    b = apply_edits(
        a,
        [
            MoveObject(collection="parties", key="psp", index=0),
            SetLayout(subject="ecom", position=Position(x=10, y=20)),
        ],
    )
    assert [p.id for p in b.parties][0] == "psp"
    d = compare(a, b, AS_OF)
    assert d.empty and d.findings is not None and d.findings.empty
    assert format_text(d, "a", "b") == "a -> b\nNo differences."


def test_objects_fields_and_raci_cells():
    a = base_model()
    b = a.model_copy(deep=True)
    b.parties.append(Party(id="freelancer", name="Ann Freelance", kind="external"))
    b.parties = [p for p in b.parties if p.id != "fin"]
    b.raci = {k: {p: v for p, v in row.items() if p != "fin"} for k, row in b.raci.items()}
    b.raci["pay-provider"]["ecom"] = "AR"
    b.raci["pay-provider"].pop("fin", None)
    b.forums[0].members.remove("fin")
    b.functions[2].lead_time_months = 9
    b.assignments[2].mode = "co-sourced"
    agency = b.contracts[0]
    agency.transition_assistance = TransitionAssistance(months=6, same_service_levels=True)
    agency.covers = ["online-marketing", "web-store-it"]
    d = diff_models(a, b)
    parties = changed(d, "parties")
    assert parties["freelancer"].status == "added" and parties["fin"].status == "removed"
    assert parties["freelancer"].name == "Ann Freelance"
    fn = changed(d, "functions")["online-marketing"]
    assert [(f.field, f.before, f.after) for f in fn.fields] == [("lead_time_months", 3, 9)]
    (assignment,) = d.assignments
    assert assignment.key == "online-marketing@agency"
    assert assignment.name == "Online marketing by Pixel Agency"
    assert [(f.field, f.after) for f in assignment.fields] == [("mode", "co-sourced")]
    (contract,) = d.contracts
    clauses = {f.field: (f.before, f.after) for f in contract.fields}
    assert clauses == {
        "covers": (["online-marketing"], ["online-marketing", "web-store-it"]),
        "transition_assistance.months": (3, 6),
    }
    cells = {(r.activity, r.party): (r.before, r.after) for r in d.raci}
    assert cells[("pay-provider", "ecom")] == ("I", "AR")
    assert cells[("pay-provider", "fin")] == ("AR", "")
    assert ("sm-strategy", "ecom") not in cells
    text = format_text(d, "a", "b")
    assert "+ freelancer  “Ann Freelance”" in text and "- fin  “Finance”" in text
    assert "transition_assistance.months: 3 -> 6" in text
    assert "“Manage the payment provider” (pay-provider) × “E-commerce team”: I -> AR" in text


def test_findings_appear_disappear_and_change():
    a = store.load(ESTORE)
    b = a.model_copy(deep=True)
    msa = b.contract("pixelforge-msa")
    msa.exclusivity = []  # clears SRC-04
    msa.covers = [f for f in msa.covers if f != "analytics"]  # SRC-03/05 keep, fewer subjects
    b.contract("paynord-psp").data_processing_agreement = False  # CMP-03 appears
    d = compare(a, b, AS_OF)
    assert d.findings.as_of == AS_OF
    gone = {f.rule for f in d.findings.disappeared}
    new = {(f.rule, tuple(f.subjects)) for f in d.findings.appeared}
    assert "SRC-04" in gone
    assert any(rule == "CMP-03" and "paynord" in subjects for rule, subjects in new)
    changes = {c.after.rule: c for c in d.findings.changed}
    assert "3 functions" in changes["SRC-05"].before.message
    assert "2 functions" in changes["SRC-05"].after.message
    text = format_text(d, "a", "b")
    assert "- WARNING SRC-04" in text and "~ WARNING SRC-05" in text


def ref(rule, *subjects, message="m"):
    return FindingRef(
        rule=rule, severity="warning", message=message, subjects=list(subjects), fix="f"
    )


def test_a_finding_about_another_pair_is_not_the_same_finding():
    d = diff_findings([ref("SRC-01", "om", "k1")], [ref("SRC-01", "om", "k2")], AS_OF)
    assert [f.subjects for f in d.disappeared] == [["om", "k1"]]
    assert [f.subjects for f in d.appeared] == [["om", "k2"]]
    assert d.changed == []
    d = diff_findings([ref("SRC-03", "k", "a", "b", "c")], [ref("SRC-03", "k", "a", "b")], AS_OF)
    assert len(d.changed) == 1 and not d.appeared and not d.disappeared
    # same rule and subjects in another order, same text: no difference at all
    d = diff_findings([ref("GOV-02", "x", "y")], [ref("GOV-02", "y", "x")], AS_OF)
    assert d.empty


def test_diff_command_text_and_json(tmp_path, capsys):
    a = tmp_path / "a.ecomraci.json"
    b = tmp_path / "b.ecomraci.json"
    model = store.load(ESTORE)
    store.save(model, a)
    model.contract("pixelforge-msa").exclusivity = []
    model.raci["om-search"]["it-team"] = "I"
    store.save(model, b)
    code, out, err = main(capsys, "diff", str(a), str(b), "--as-of", "2026-12-01")
    assert code == 0 and err == ""
    assert out.startswith(f"{a} -> {b}")
    assert 'exclusivity: ["online-marketing"] -> (none)' in out
    assert "× “IT”: (none) -> I" in out
    assert "- WARNING SRC-04" in out
    code, out, err = main(
        capsys, "diff", str(a), str(b), "--as-of", "2026-12-01", "--format", "json"
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert (doc["model_a"], doc["model_b"]) == (str(a), str(b))
    (c,) = doc["contracts"]
    assert c["key"] == "pixelforge-msa" and c["fields"] == [
        {"field": "exclusivity", "before": ["online-marketing"], "after": []}
    ]
    assert doc["raci"] == [
        {
            "activity": "om-search",
            "activity_name": model.activity("om-search").name,
            "function": "online-marketing",
            "party": "it-team",
            "party_name": "IT",
            "before": "",
            "after": "I",
        }
    ]
    assert [f["rule"] for f in doc["findings"]["disappeared"]] == ["SRC-04"]
    assert doc["findings"]["as_of"] == "2026-12-01"


@pytest.mark.parametrize("bad", ["missing.ecomraci.json", "broken.ecomraci.json"])
def test_diff_bad_file_exits_2_naming_it(tmp_path, capsys, bad):
    (tmp_path / "broken.ecomraci.json").write_text("{not json", encoding="utf-8")
    code, out, err = main(capsys, "diff", str(ESTORE), str(tmp_path / bad))
    assert code == 2 and out == ""
    assert bad in err and "Traceback" not in err
