"""SRC-13: the EU Data Act's switching terms for a data processing service, and the
statutory switch the what-if shows (`statutory_switch`).

The models are built from the catalog, as `ecomraci new` does, with the web store run on
a SaaS shop platform under a subscription contract."""

from __future__ import annotations

from datetime import date

from ecomraci.catalog import new_model
from ecomraci.edits import apply_edits
from ecomraci.model import Assignment, Contract, Model, Party, SwitchingTerms
from ecomraci.rules.switching import statutory_switch
from tests.core.kit import findings

AS_OF = date(2026, 6, 1)
GOOD_TERMS = {
    "notice_months": 2,
    "transition_days": 30,
    "retrieval_days": 30,
    "exportable_data_listed": True,
    "erasure_after_retrieval": True,
    "charges": "none",
}


def saas_shop(**contract) -> Model:
    """The commerce catalog's model with web store IT on Shopcloud, a SaaS shop platform,
    under a three-year subscription; `contract` overrides the subscription's fields."""
    model = new_model("commerce", "Shop on a SaaS platform")
    model.parties.append(
        Party(
            id="shopcloud",
            name="Shopcloud",
            kind="external",
            category="platform-vendor",
            data_location="eea",
            delivery_model="saas",
        )
    )
    model.assignments = [a for a in model.assignments if a.function != "web-store-it"] + [
        Assignment(function="web-store-it", party="it", mode="co-sourced"),
        Assignment(
            function="web-store-it",
            party="shopcloud",
            mode="co-sourced",
            contract="shopcloud-subscription",
        ),
    ]
    fields = dict(
        id="shopcloud-subscription",
        name="Shopcloud platform subscription",
        party="shopcloud",
        covers=["web-store-it"],
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
        notice_period_months=3,
        transition_assistance={"months": 1, "same_service_levels": True},
        data_return={"format": "CSV and JSON export", "days": 30},
        data_processing_service="standard",
        switching=GOOD_TERMS,
    )
    fields.update(contract)
    model.contracts.append(Contract.model_validate(fields))
    return model


def test_src13_saas_platform_with_three_months_notice_and_no_switching_terms():
    model = saas_shop(switching=None)
    [f] = findings(model, "SRC-13")
    assert f.subjects == ["shopcloud-subscription"]
    assert "“Shopcloud platform subscription” with “Shopcloud”" in f.message
    assert "in force since 2025-09-12" in f.message
    assert "switching needs 3 months' notice (the contract's notice period)" in f.message
    assert "no transition period" in f.message and "no period to retrieve" in f.message
    assert "not listed" in f.message and "no erasure" in f.message
    # the statutory switch: notice on 2026-06-01, 2 months to 2026-08-01, then 30 days
    assert "completes the switch by 2026-08-31" in f.message
    fixed = apply_edits(model, f.edits)
    assert findings(fixed, "SRC-13") == []
    assert fixed.contract("shopcloud-subscription").switching.notice_months == 2
    # every number is a setting: with three months allowed, the notice is no longer short
    relaxed = saas_shop(switching={**GOOD_TERMS, "notice_months": None})
    assert len(findings(relaxed, "SRC-13")) == 1
    relaxed.settings.src13_max_notice_months = 3
    assert findings(relaxed, "SRC-13") == []


def test_src13_switching_charges_follow_the_dates():
    above = saas_shop(switching={**GOOD_TERMS, "charges": "above-cost"})
    [f] = findings(above, "SRC-13")
    assert f.subjects == ["shopcloud-subscription"]
    assert (
        "above cost (only charges at cost are allowed until 2027-01-12, none from then)"
        in f.message
    )
    assert "no switching charges from 2027-01-12" in f.fix
    # charges at cost, in a contract running past 12 January 2027: short from that day
    at_cost = saas_shop(switching={**GOOD_TERMS, "charges": "cost-based"})
    [f] = findings(at_cost, "SRC-13")
    assert "none are allowed from 2027-01-12" in f.message
    # checked after that day: any charge, and the fix no longer names a passed date
    [f] = findings(at_cost, "SRC-13", as_of=date(2027, 2, 1))
    assert "switching charges, none allowed since 2027-01-12" in f.message
    assert "2027-01-12" not in f.fix
    # charges at cost in a contract that ends before 12 January 2027 are allowed
    ending = saas_shop(end=date(2026, 12, 31), switching={**GOOD_TERMS, "charges": "cost-based"})
    assert findings(ending, "SRC-13") == []


def test_src13_transition_longer_than_30_days_only_when_justified():
    long = saas_shop(switching={**GOOD_TERMS, "transition_days": 120})
    [f] = findings(long, "SRC-13")
    assert f.subjects == ["shopcloud-subscription"]
    assert "a transition of 120 days, at most 30 unless the provider justifies" in f.message
    justified = saas_shop(
        switching={**GOOD_TERMS, "transition_days": 120, "transition_justified": True}
    )
    assert findings(justified, "SRC-13") == []
    too_long = saas_shop(
        switching={**GOOD_TERMS, "transition_days": 240, "transition_justified": True}
    )
    [f] = findings(too_long, "SRC-13")
    assert "more than the 7 months a justified transition may take" in f.message
    short_retrieval = saas_shop(switching={**GOOD_TERMS, "retrieval_days": 14})
    [f] = findings(short_retrieval, "SRC-13")
    assert "only 14 days to retrieve the data, at least 30 required" in f.message


def test_src13_custom_built_service_may_keep_switching_charges():
    # Art. 31(1): a service built mostly for one customer is exempt from Art. 29
    model = saas_shop(
        data_processing_service="custom-built", switching={**GOOD_TERMS, "charges": "above-cost"}
    )
    assert findings(model, "SRC-13") == []
    # ... but not from the notice and retrieval terms
    model = saas_shop(data_processing_service="custom-built", switching=None)
    [f] = findings(model, "SRC-13")
    assert "a custom-built data processing service" in f.message
    assert f.subjects == ["shopcloud-subscription"]


def test_src13_compliant_terms_or_no_data_processing_service_are_clean():
    assert findings(saas_shop(), "SRC-13") == []
    # an agency or a 3PL is not a data processing service: long notice is SRC-07's business
    for kind in (None, "no"):
        model = saas_shop(data_processing_service=kind, switching=None, notice_period_months=6)
        assert findings(model, "SRC-13") == []


def test_statutory_switch_dates_and_fee():
    model = saas_shop(switching=None)
    c = model.contract("shopcloud-subscription")
    s = statutory_switch(c, model.settings, date(2026, 11, 24))
    assert s is not None
    assert (s.notice_on, s.notice_months, s.notice_ends) == (
        date(2026, 11, 24),
        2,
        date(2027, 1, 24),
    )
    assert s.done == date(2027, 2, 23)
    assert "fixed term runs to 2027-12-31" in s.fee and "agrees none" in s.fee
    # a shorter contractual notice and transition count; the fee for the fixed term stays
    c = c.model_copy(
        update={
            "switching": SwitchingTerms(
                notice_months=1, transition_days=10, early_termination_fee=True
            )
        }
    )
    s = statutory_switch(c, model.settings, date(2026, 11, 24))
    assert s.done == date(2027, 1, 3)
    assert "early-termination fee stays allowed" in s.fee
    # before the Act applies, notice counts from 12 September 2025
    s = statutory_switch(c, model.settings, date(2025, 3, 1))
    assert s.notice_on == date(2025, 9, 12)
    # not a data processing service: no statutory switch
    assert (
        statutory_switch(
            c.model_copy(update={"data_processing_service": "no"}), model.settings, AS_OF
        )
        is None
    )
