"""SRC-16: a contract covers only the functions its party delivers.

The models are built from the catalog, as `ecomraci new` does, with online marketing
outsourced to an agency under a contract; a hand-written file that also lists shop
management (run in-house by the e-commerce team) under the agency's contract is the case
the loader must open and the rule must report."""

from __future__ import annotations

from datetime import date

from ecomraci.catalog import new_model
from ecomraci.edits import apply_edits
from ecomraci.model import Assignment, Contract, Model, Party
from tests.core.kit import findings


def agency_shop(covers: list[str]) -> Model:
    """The commerce catalog's model with online marketing at an agency."""
    model = new_model("commerce", "Shop with a marketing agency")
    model.parties.append(Party(id="pixel", name="Pixel Agency", kind="external", category="agency"))
    model.assignments = [a for a in model.assignments if a.function != "online-marketing"] + [
        Assignment(
            function="online-marketing", party="pixel", mode="outsourced", contract="pixel-msa"
        )
    ]
    model.contracts.append(
        Contract(
            id="pixel-msa",
            name="Pixel agency agreement",
            party="pixel",
            covers=covers,
            start=date(2025, 1, 1),
            end=date(2027, 12, 31),
        )
    )
    return model


def test_src16_contract_covers_a_function_its_party_does_not_deliver():
    model = agency_shop(["online-marketing", "shop-management"])
    (found,) = findings(model, "SRC-16")
    assert found.subjects == ["pixel-msa", "shop-management"]
    assert found.message == (
        "“Pixel agency agreement” covers “E-commerce shop management”, but “Pixel Agency” "
        "does not deliver it: “E-commerce team” does."
    )
    assert "take “E-commerce shop management” out of what" in found.fix
    fixed = apply_edits(model, found.edits)
    assert fixed.contract("pixel-msa").covers == ["online-marketing"]
    assert findings(fixed, "SRC-16") == []


def test_src16_a_function_nobody_delivers_is_reported_without_a_fix():
    model = agency_shop(["online-marketing", "shop-management"])
    model.assignments = [a for a in model.assignments if a.function != "shop-management"]
    (found,) = findings(model, "SRC-16")
    assert found.message.endswith("“Pixel Agency” does not deliver it.")
    assert found.edits == []  # record the assignment or drop the cover: a person decides


def test_src16_contract_covering_what_its_party_delivers_is_clean():
    assert findings(agency_shop(["online-marketing"]), "SRC-16") == []
    # co-sourced with the marketing team counts: the agency delivers it too
    model = agency_shop(["online-marketing", "content"])
    model.assignments.append(
        Assignment(function="content", party="pixel", mode="co-sourced", contract="pixel-msa")
    )
    assert findings(model, "SRC-16") == []
