"""The guided start (`ecomraci.guided`): answers per catalog function become parties,
assignments, contracts and RACI rows at once; party categories read as words."""

from __future__ import annotations

import pytest

from ecomraci import catalog
from ecomraci.catalog import categories_for, category_label, guess_category, new_model
from ecomraci.guided import (
    Answer,
    GuidedError,
    activity_edits,
    default_answers,
    default_letters,
    delivered_function_edits,
    guided_model,
)
from ecomraci.integrity import integrity_problems
from ecomraci.model import PartyCategory
from ecomraci.operations import NEW_CONTRACT, add_party
from ecomraci.rules import check
from ecomraci.transaction import transact

SEEDS = [
    Answer("web-store-it", True, "Pixel Agency", ""),
    Answer("online-marketing", True, "pixel agency", ""),
    Answer("payments", True, "PayNord", ""),
    Answer("customer-service", True, "Nordlog", "Nordlog services"),
    Answer("fulfilment", True, "Nordlog", "Nordlog services"),
]


def test_default_answers_give_the_catalog_model():
    for focus in ("commerce", "content", "community"):
        model = guided_model("Mine", focus, default_answers(focus))
        expected = new_model(focus, "Mine")
        assert model.parties == expected.parties
        assert model.raci == expected.raci and model.assignments == expected.assignments


def test_the_seeds_set_up_in_one_step():
    m = guided_model("Shop", "commerce", SEEDS)
    assert integrity_problems(m) == []
    external = {p.name: p for p in m.parties if p.kind == "external"}
    assert set(external) == {"Pixel Agency", "PayNord", "Nordlog"}  # named twice, one party
    assert external["Pixel Agency"].category == "agency"
    assert external["PayNord"].category == "payment-provider"
    agency = external["Pixel Agency"].id
    [shared] = [c for c in m.contracts if c.party == agency]
    assert shared.name == "Pixel Agency contract"
    assert shared.covers == ["web-store-it", "online-marketing"]
    [nordlog] = [c for c in m.contracts if c.party == external["Nordlog"].id]
    assert nordlog.name == "Nordlog services" and set(nordlog.covers) == {
        "fulfilment",
        "customer-service",
    }
    by_function = {a.function: a for a in m.assignments}
    assert (by_function["online-marketing"].party, by_function["online-marketing"].mode) == (
        agency,
        "outsourced",
    )
    assert by_function["shop-management"].party == "ecommerce-team"
    # the provider does the work, the owning team stays accountable
    for fid in ("web-store-it", "online-marketing"):
        for a in m.activities_of(fid):
            row = m.raci[a.id]
            assert "R" in row.get(agency, ""), a.id
            accountable = [p for p, letters in row.items() if "A" in letters]
            assert len(accountable) == 1 and m.party(accountable[0]).kind == "internal"
    # managing the payment provider stays with the company
    assert m.raci["payments.provider"] == {"finance-team": "AR"}
    assert agency in m.forums[0].members
    coupled = [f for f in check(m) if f.rule == "SRC-02"]
    assert len(coupled) == 1 and "online-marketing" in coupled[0].subjects
    assert "Web store IT" in coupled[0].message
    assert not [f for f in check(m) if f.rule in ("RACI-01", "RACI-02", "RACI-07")]


def test_left_out_functions_and_idle_teams_go():
    answers = [Answer(f.id, f.id not in ("delivery", "legal")) for f in catalog.FUNCTIONS]
    m = guided_model("Small", "commerce", answers)
    assert {"delivery", "legal"}.isdisjoint(f.id for f in m.functions)
    assert not any(a.function in ("delivery", "legal") for a in m.activities)
    assert "logistics-team" not in {p.id for p in m.parties}
    assert integrity_problems(m) == []


def test_another_team_takes_a_function_in_house():
    m = guided_model("Shop", "commerce", [Answer("online-marketing", True, "E-commerce team")])
    assert next(a for a in m.assignments if a.function == "online-marketing").party == (
        "ecommerce-team"
    )
    assert m.raci["online-marketing.search"] == {"ecommerce-team": "AR"}


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ([Answer("payments", True, "Finance", "PSP deal")], ["Payment processing", "internal"]),
        (
            [
                Answer("payments", True, "PayNord", "Deal"),
                Answer("fulfilment", True, "Nordlog", "deal"),
            ],
            ["Fulfilment", "“deal” is with PayNord"],
        ),
        ([Answer(f.id, False) for f in catalog.FUNCTIONS], ["at least one function"]),
        ([Answer("no-such", True, "X")], ["'no-such'", "catalog"]),
    ],
)
def test_answers_that_cannot_be_built_say_where_and_what(answers, words):
    with pytest.raises(GuidedError) as caught:
        guided_model("Shop", "commerce", answers)
    for word in words:
        assert word in str(caught.value)


def test_a_name_is_needed():
    with pytest.raises(GuidedError, match="name"):
        guided_model("   ", "commerce", [])


def test_categories_are_filtered_by_kind_with_words():
    internal, external = categories_for("internal"), categories_for("external")
    assert "3pl" in external and "3pl" not in internal and "ecommerce" not in external
    assert set(internal) | set(external) == {c.value for c in PartyCategory}
    assert category_label("3pl") == "Logistics provider (3PL)"
    assert category_label("payment-provider") == "Payment provider"
    assert category_label("other", "external") == "Other outside party"
    assert all(category_label(c) != c for c in external if c != "other")
    assert guess_category("Paynord Payments", "external") == "payment-provider"
    assert guess_category("Acme", "external", ("fulfilment",)) == "3pl"
    assert guess_category("Acme", "external") == "other"
    assert guess_category("Fruit buyers", "internal") != "it"


def test_default_letters_and_a_new_activity_with_them():
    m = guided_model("Shop", "commerce", SEEDS)
    agency = next(p.id for p in m.parties if p.name == "Pixel Agency")
    assert default_letters(m, "online-marketing") == {agency: "R", "marketing": "A"}
    edits = activity_edits(m, "online-marketing", "Run price comparison feeds", "interface")
    transact(m, edits)
    aid = edits[0].item["id"]
    assert m.activity(aid).kind == "interface"
    assert m.raci[aid] == {agency: "R", "marketing": "A"}


def test_a_new_function_delivered_under_a_new_contract():
    m = new_model()
    transact(m, add_party(m, "Lens Studio", "external", "agency"))
    edits = delivered_function_edits(
        m, "Product photography", "lens-studio", NEW_CONTRACT, "Photo deal", criticality="normal"
    )
    transact(m, edits)
    assert m.function("product-photography").name == "Product photography"
    assert m.contract("photo-deal").covers == ["product-photography"]
    [a] = [a for a in m.assignments if a.function == "product-photography"]
    assert (a.party, a.mode, a.contract) == ("lens-studio", "outsourced", "photo-deal")
