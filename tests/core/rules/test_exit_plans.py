"""SRC-14 and SRC-15: exit plans with content (duration, alternative).

The models are built from the catalog, as `ecomraci new` does, with payment processing
(critical) and delivery (important) outsourced under contracts with tested exit plans."""

from __future__ import annotations

from datetime import date

from ecomraci.catalog import new_model
from ecomraci.edits import apply_edits
from ecomraci.model import Assignment, Contract, Model, Party, SwitchingTerms
from tests.core.kit import findings

PLAN = {
    "exists": True,
    "last_tested": "2026-03-01",
    "owner": "finance-team",
    "triggers": "Insolvency of the provider; authorisation rate below 95 % for a month",
    "alternative": "provider",
    "alternative_name": "Baltic Card Services",
    "duration_months": 6,
    "substitutability": "difficult",
    "reintegration": "highly-complex",
}


def outsourced(psp_plan: dict | None = None, carrier_plan: dict | None = None) -> Model:
    """The commerce catalog's model with payments at a PSP and delivery at a carrier."""
    model = new_model("commerce", "Shop with a PSP and a carrier")
    model.parties += [
        Party(
            id="paynord",
            name="Paynord",
            kind="external",
            category="payment-provider",
            delivery_model="saas",
            data_location="eea",
        ),
        Party(
            id="parcelway",
            name="Parcelway",
            kind="external",
            category="carrier",
            delivery_model="shared",
            data_location="eea",
        ),
    ]
    moved = {"payments": ("paynord", "paynord-psp"), "delivery": ("parcelway", "parcelway-parcels")}
    model.assignments = [a for a in model.assignments if a.function not in moved] + [
        Assignment(function=f, party=p, mode="outsourced", contract=c)
        for f, (p, c) in moved.items()
    ]
    for (fid, (party, cid)), plan in zip(
        moved.items(), (psp_plan or PLAN, carrier_plan or {**PLAN, "owner": "logistics-team"})
    ):
        model.contracts.append(
            Contract.model_validate(
                dict(
                    id=cid,
                    name=f"{model.party(party).name} services",
                    party=party,
                    covers=[fid],
                    start="2025-04-01",
                    end="2028-03-31",
                    notice_period_months=3,
                    termination_for_convenience="per-function",
                    transition_assistance={"months": 3, "same_service_levels": True},
                    exit_plan=plan,
                )
            )
        )
    return model


def test_src14_exit_plan_longer_than_notice_and_transition():
    model = outsourced(psp_plan={**PLAN, "duration_months": 9})
    [f] = findings(model, "SRC-14")
    assert f.subjects == ["paynord-psp"]
    assert "takes 9 months" in f.message
    assert "3 months of notice plus 3 months of transition assistance (6 months)" in f.message
    assert "the last 3 months of the exit run without the provider" in f.message
    fixed = apply_edits(model, f.edits)
    assert fixed.contract("paynord-psp").transition_assistance.months == 6
    assert findings(fixed, "SRC-14") == []


def test_src14_plan_that_fits_or_has_no_duration_is_clean():
    assert findings(outsourced(), "SRC-14") == []  # 6 months = 3 + 3
    assert findings(outsourced(psp_plan={**PLAN, "duration_months": None}), "SRC-14") == []
    # a plan that does not exist is SRC-06's business, whatever its duration says
    gone = outsourced(psp_plan={**PLAN, "exists": False, "duration_months": 24})
    assert findings(gone, "SRC-14") == []


def test_src15_critical_function_without_an_identified_alternative():
    for alternative, name, words in (
        (None, None, "names no alternative"),
        ("none", None, "records that there is no alternative"),
        ("provider", None, "says another provider would take over but names none"),
    ):
        plan = {**PLAN, "alternative": alternative, "alternative_name": name}
        model = outsourced(psp_plan=plan, carrier_plan=plan)
        found = findings(model, "SRC-15")
        # delivery is only important: one finding, for payments
        assert [f.subjects for f in found] == [["paynord-psp", "payments"]]
        assert words in found[0].message
        assert "“Payment processing” is critical" in found[0].message
        assert "difficult to replace" in found[0].message
        assert found[0].edits == []


def test_src15_alternative_identified_or_function_not_critical_is_clean():
    assert findings(outsourced(), "SRC-15") == []
    in_house = outsourced(psp_plan={**PLAN, "alternative": "in-house", "alternative_name": None})
    assert findings(in_house, "SRC-15") == []
    # no exit plan at all: SRC-06 reports it, not SRC-15
    no_plan = outsourced(psp_plan={"exists": False})
    assert findings(no_plan, "SRC-15") == []
    assert [f.subjects[0] for f in findings(no_plan, "SRC-06")] == ["paynord-psp"]


def test_exit_plan_owner_must_be_an_internal_party():
    from ecomraci.integrity import integrity_problems

    model = outsourced(psp_plan={**PLAN, "owner": "paynord"})
    problems = [p for p in integrity_problems(model) if "exit_plan.owner" in p.path]
    assert [p.message for p in problems] == ["the owner of an exit plan must be an internal party"]
    model = outsourced(psp_plan={**PLAN, "owner": "nobody"})
    problems = [p for p in integrity_problems(model) if "exit_plan.owner" in p.path]
    assert [p.message for p in problems] == ["no party has this id"]
    assert [p for p in integrity_problems(outsourced()) if "exit_plan" in p.path] == []
    assert date(2026, 3, 1) == outsourced().contract("paynord-psp").exit_plan.last_tested


def test_removing_the_owner_or_a_switched_function_keeps_the_model_sound():
    from ecomraci.edits import RemoveObject
    from ecomraci.integrity import integrity_problems

    model = outsourced()
    after = apply_edits(model, [RemoveObject(collection="parties", key="finance-team")])
    assert after.contract("paynord-psp").exit_plan.owner is None
    assert after.contract("paynord-psp").exit_plan.alternative_name == "Baltic Card Services"
    assert integrity_problems(after) == []
    model.contract("paynord-psp").switching = SwitchingTerms(
        functions=["payments"], notice_months=2
    )
    after = apply_edits(model, [RemoveObject(collection="functions", key="payments")])
    assert after.contract("paynord-psp").switching.functions is None
    assert after.contract("paynord-psp").switching.notice_months == 2
    assert integrity_problems(after) == []
