"""SRC-07 .. SRC-12: contract reversibility, exit terms."""

from __future__ import annotations

from datetime import date

import pytest

from ecomraci.edits import apply_edits
from ecomraci.model import Contract, Model
from ecomraci.rules.exit_terms import add_months, next_renewal
from tests.core.kit import AS_OF, base_model, findings, good_contract, subjects

EXIT_RULES = ["SRC-07", "SRC-08", "SRC-09", "SRC-10", "SRC-11", "SRC-12"]


def with_contract(model: Model, contract_id: str, **fields) -> Model:
    """`model` with one contract's fields changed (validated)."""
    for i, c in enumerate(model.contracts):
        if c.id == contract_id:
            data = c.model_dump()
            data.update(fields)
            model.contracts[i] = Contract.model_validate(data)
            return model
    raise KeyError(contract_id)


def agency(**fields) -> Model:
    return with_contract(base_model(), "agency-contract", **fields)


def fixed(model: Model, rule_id: str) -> Model:
    found = findings(model, rule_id)
    assert len(found) == 1 and found[0].edits
    return apply_edits(model, found[0].edits)


@pytest.mark.parametrize("rule_id", EXIT_RULES)
def test_base_model_is_clean(rule_id):
    assert findings(base_model(), rule_id) == []


# --- month arithmetic ---------------------------------------------------------------


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 31), -3, date(2026, 9, 30)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 6, 1), 0, date(2026, 6, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_next_renewal_rolls_forward_from_the_end_date():
    c = good_contract(auto_renew=True, end=date(2024, 1, 31), renewal_term_months=1)
    assert next_renewal(c, AS_OF) == date(2026, 6, 30)  # month ends stay month ends
    c = good_contract(auto_renew=True, end=date(2025, 12, 31), renewal_term_months=12)
    assert next_renewal(c, AS_OF) == date(2026, 12, 31)
    c = good_contract(auto_renew=True, end=AS_OF)
    assert next_renewal(c, AS_OF) == AS_OF
    c = good_contract(auto_renew=True, end=date(2020, 6, 1), renewal_term_months=12)
    assert next_renewal(c, AS_OF) == AS_OF
    assert next_renewal(good_contract(auto_renew=True, end=None), AS_OF) is None


# --- SRC-07 --------------------------------------------------------------------------


def test_src07_notice_plus_transition_shorter_than_lead_time():
    model = agency(notice_period_months=1, transition_assistance={"months": 1})
    [f] = findings(model, "SRC-07")
    assert f.subjects == ["agency-contract", "online-marketing"]
    assert f.severity == "warning"
    assert "1 month of notice plus 1 month of transition assistance" in f.message
    assert "3 months" in f.message
    assert f.edits[0].value == {"months": 2, "same_service_levels": False}
    assert findings(fixed(model, "SRC-07"), "SRC-07") == []


def test_src07_enough_notice_and_transition_is_fine():
    model = agency(notice_period_months=1, transition_assistance={"months": 2})
    assert findings(model, "SRC-07") == []


def test_src07_per_function_lead_time():
    # 2 + 3 months cover online marketing (3) but not shop management (6)
    model = agency(covers=["online-marketing", "shop-management"], notice_period_months=2)
    assert subjects(model, "SRC-07") == [{"agency-contract", "shop-management"}]


def test_src07_renewal_within_lead_time_plus_margin():
    model = agency(auto_renew=True, end=date(2026, 12, 31), notice_period_months=4)
    [f] = findings(model, "SRC-07")
    assert f.subjects == ["agency-contract", "online-marketing"]
    assert "renews automatically on 2026-12-31" in f.message
    assert "notice must be given by 2026-08-31" in f.message
    assert "replacement would need to start by 2026-09-30" in f.message
    assert f.edits == []


def test_src07_renewal_rolled_forward_from_a_past_end_date():
    model = agency(auto_renew=True, end=date(2025, 12, 31))
    [f] = findings(model, "SRC-07")
    assert "2026-12-31" in f.message and "2026-09-30" in f.message


def test_src07_notice_date_already_passed():
    # As of 2026-06-01 notice for the renewal of 2026-07-31 was due by 2026-04-30: the
    # advice is about the next end of term, 2027-07-31, with notice by 2027-04-30.
    model = agency(auto_renew=True, end=date(2026, 7, 31))
    [f] = findings(model, "SRC-07")
    assert "renews automatically on 2026-07-31" in f.message
    assert "notice can no longer reach that renewal" in f.message
    assert "the first end of term it can still leave is 2027-07-31" in f.message
    assert "notice must be given by 2027-04-30" in f.message
    assert "2026-04-30" not in f.message + f.fix
    assert f.fix.startswith("Decide by 2027-04-30 whether")


def catalog_with_agency(**contract) -> Model:
    """A model from the commerce catalog (as `ecomraci new` makes it) whose online
    marketing is bought from an agency under `contract` (a month-end renewal in February
    by default, which is where month arithmetic slips)."""
    from ecomraci.catalog import new_model
    from ecomraci.model import Assignment, Party

    model = new_model("commerce", "Drewnex Furniture")
    model.parties.append(
        Party(id="searchlab", name="Searchlab", kind="external", category="agency")
    )
    fields = dict(
        id="searchlab-sem",
        name="Searchlab SEM and SEO services",
        party="searchlab",
        covers=["online-marketing"],
        start=date(2024, 3, 1),
        end=date(2027, 2, 28),
        auto_renew=True,
        renewal_term_months=12,
        notice_period_months=12,
        termination_for_convenience="per-function",
        transition_assistance={"months": 3, "same_service_levels": True},
    )
    fields.update(contract)
    model.contracts.append(Contract.model_validate(fields))
    model.assignments = [s for s in model.assignments if s.function != "online-marketing"] + [
        Assignment(
            function="online-marketing",
            party="searchlab",
            mode="outsourced",
            contract="searchlab-sem",
        )
    ]
    return model


def test_src07_never_advises_a_notice_day_that_has_passed_on_a_catalog_model():
    # The issue's case: checked on 2026-12-01, twelve months' notice for a term ending
    # 2027-02-28 was due by 2026-02-28. The contract runs on to 2028-02-29 (a month-end
    # term stays a month-end term), for which notice is due by 2027-02-28.
    as_of = date(2026, 12, 1)
    model = catalog_with_agency()
    [f] = findings(model, "SRC-07", as_of)
    assert f.subjects == ["searchlab-sem", "online-marketing"]
    assert "2026-02-28" not in f.message + f.fix
    assert "the first end of term it can still leave is 2028-02-29" in f.message
    assert "notice must be given by 2027-02-28" in f.message
    # 4 months' lead time before 2028-02-29: start by the end of October 2027
    assert "a replacement would need to start by 2027-10-31" in f.message
    assert "Decide by 2027-02-28" in f.fix
    assert f.fix.endswith("start choosing the replacement by 2027-10-31.")


def test_src07_replacement_start_that_has_passed_is_dated_from_today():
    # Checked on 2027-01-15, a term ending 2027-02-28 with one month's notice (due by
    # 2027-01-31) can still be stopped, but a replacement with 4 months' lead time should
    # have started on 2026-10-31: the message says when one chosen now would be live.
    as_of = date(2027, 1, 15)
    model = catalog_with_agency(notice_period_months=1)
    [f] = findings(model, "SRC-07", as_of)
    assert "notice must be given by 2027-01-31" in f.message
    assert "2026-10-31" not in f.message
    assert "a replacement chosen from now would be live on 2027-05-15 at the earliest" in f.message
    assert f.fix.endswith("start choosing the replacement now.")


def test_src07_quiet_on_a_catalog_model_whose_renewal_is_far_off():
    # Checked on 2026-12-01 a term ending 2028-02-29 is beyond 4 months' lead time plus
    # 6 months' margin, and 12 months' notice plus 3 of assistance cover the lead time.
    model = catalog_with_agency(end=date(2028, 2, 29))
    assert findings(model, "SRC-07", date(2026, 12, 1)) == []


def test_src07_renewal_far_enough_away_or_no_auto_renew():
    # window: as_of + 3 months lead + 6 months margin = 2027-03-01
    assert findings(agency(auto_renew=True, end=date(2027, 3, 2)), "SRC-07") == []
    assert subjects(agency(auto_renew=True, end=date(2027, 3, 1)), "SRC-07") == [
        {"agency-contract", "online-marketing"}
    ]
    assert findings(agency(auto_renew=False, end=date(2026, 7, 31)), "SRC-07") == []
    assert findings(agency(auto_renew=True, end=None), "SRC-07") == []


def test_src07_margin_is_a_setting():
    model = agency(auto_renew=True, end=date(2027, 12, 31))
    assert findings(model, "SRC-07") == []
    model.settings.src07_renewal_margin_months = 18
    assert subjects(model, "SRC-07") == [{"agency-contract", "online-marketing"}]


def test_src07_both_reasons_in_one_finding_without_edits():
    model = agency(
        auto_renew=True,
        end=date(2026, 12, 31),
        notice_period_months=1,
        transition_assistance={"months": 0},
    )
    [f] = findings(model, "SRC-07")
    assert "re-sourcing it takes 3 months" in f.message and "renews automatically" in f.message
    assert f.edits == []  # more transition assistance alone would not clear it


def test_src07_no_edit_beyond_the_longest_transition_assistance():
    model = base_model()
    model.functions[2].lead_time_months = 90  # online marketing
    [f] = findings(model, "SRC-07")
    assert f.edits == []


# --- SRC-08 --------------------------------------------------------------------------


def test_src08_data_return_not_agreed():
    model = agency(data_return={})
    [f] = findings(model, "SRC-08")
    assert f.subjects == ["agency-contract", "online-marketing"]
    assert "customer data" in f.message and "no format and no deadline" in f.message
    assert findings(fixed(model, "SRC-08"), "SRC-08") == []


def test_src08_partly_agreed_keeps_what_is_there():
    model = agency(data_return={"format": "JSON"})
    [f] = findings(model, "SRC-08")
    assert "no deadline" in f.message and "no format" not in f.message
    assert f.edits[0].value == {"format": "JSON", "days": 30}


def test_src08_function_delivered_by_assignment_under_the_contract():
    model = with_contract(base_model(), "psp-contract", covers=[], data_return={"days": 10})
    [f] = findings(model, "SRC-08")
    assert f.subjects == ["psp-contract", "payments"]
    assert "order and card data" in f.message
    assert "PCI DSS" in f.edits[0].value["format"] and f.edits[0].value["days"] == 10
    assert findings(fixed(model, "SRC-08"), "SRC-08") == []


def test_src08_no_data_held_no_finding():
    model = agency(data_return={})
    model.functions[2].data = []  # online marketing holds no data
    assert findings(model, "SRC-08") == []


# --- SRC-09 --------------------------------------------------------------------------


def test_src09_assets_owned_by_provider_or_unclear():
    model = agency(
        marketing_assets={
            "ad-accounts": "provider",
            "analytics": "company",
            "tag-manager": "provider",
            "email-list": "company",
            "domain": "unclear",
        }
    )
    [f] = findings(model, "SRC-09")
    assert f.subjects == ["agency-contract"]
    assert "ad accounts and the tag manager are owned by “Pixel Agency”" in f.message
    assert "ownership of the domain is unclear" in f.message
    after = fixed(model, "SRC-09")
    assert findings(after, "SRC-09") == []
    assert set(after.contracts[0].marketing_assets.values()) == {"company"}
    assert len(after.contracts[0].marketing_assets) == 5


def test_src09_unclear_alone_triggers():
    model = agency(marketing_assets={"email-list": "unclear"})
    assert subjects(model, "SRC-09") == [{"agency-contract"}]
    assert findings(fixed(model, "SRC-09"), "SRC-09") == []


def test_src09_unlisted_assets_are_not_flagged():
    assert findings(agency(marketing_assets={}), "SRC-09") == []


# --- SRC-10 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ip, kt, expected",
    [
        (False, True, "no IP assignment."),
        (True, False, "no knowledge transfer."),
        (False, False, "no IP assignment and no knowledge transfer."),
    ],
)
def test_src10_custom_work_without_ip_or_knowledge_transfer(ip, kt, expected):
    model = agency(custom_work=True, ip_assignment=ip, knowledge_transfer=kt)
    [f] = findings(model, "SRC-10")
    assert f.subjects == ["agency-contract"]
    assert f.message.endswith(expected)
    assert findings(fixed(model, "SRC-10"), "SRC-10") == []


def test_src10_no_custom_work_no_finding():
    assert findings(agency(custom_work=False, ip_assignment=False), "SRC-10") == []
    assert findings(agency(custom_work=True), "SRC-10") == []


# --- SRC-11 --------------------------------------------------------------------------


def test_src11_staff_transfer_on_exit():
    model = agency(staff_transfer_on_exit=True)
    [f] = findings(model, "SRC-11")
    assert f.subjects == ["agency-contract"] and f.severity == "info"
    assert "staff of “Pixel Agency” would transfer on exit" in f.message
    assert findings(agency(staff_transfer_on_exit=False), "SRC-11") == []


def test_src11_step_in_rights_with_saas_provider():
    model = with_contract(base_model(), "psp-contract", step_in_rights=True)
    [f] = findings(model, "SRC-11")
    assert f.subjects == ["psp-contract"]
    assert "SaaS" in f.message


def test_src11_step_in_rights_with_dedicated_provider_is_fine():
    assert findings(agency(step_in_rights=True), "SRC-11") == []
    model = agency(step_in_rights=True)
    model.parties[4].delivery_model = "shared"  # the agency
    [f] = findings(model, "SRC-11")
    assert f.subjects == ["agency-contract"] and "shared service" in f.message


# --- SRC-12 --------------------------------------------------------------------------


def test_src12_long_term_names_missing_clauses():
    model = agency(end=date(2029, 12, 31), benchmarking=False, service_levels=False)
    [f] = findings(model, "SRC-12")
    assert f.subjects == ["agency-contract"] and f.severity == "info"
    assert "5.0 years" in f.message
    assert "no benchmarking or quantitative service levels" in f.message
    assert "change control" not in f.message
    assert findings(fixed(model, "SRC-12"), "SRC-12") == []


def test_src12_long_term_with_all_clauses_is_fine():
    assert findings(agency(end=date(2035, 12, 31)), "SRC-12") == []


def test_src12_threshold_boundary_and_setting():
    exactly = agency(end=date(2028, 1, 1), change_control=False)
    assert findings(exactly, "SRC-12") == []
    over = agency(end=date(2028, 1, 2), change_control=False)
    assert subjects(over, "SRC-12") == [{"agency-contract"}]
    shorter = agency(change_control=False)  # 2025-01-01 .. 2027-12-31
    assert findings(shorter, "SRC-12") == []
    shorter.settings.src12_long_term_years = 2.5
    assert subjects(shorter, "SRC-12") == [{"agency-contract"}]


def test_src12_no_dates_no_finding():
    assert findings(agency(start=None, end=date(2040, 1, 1), benchmarking=False), "SRC-12") == []


def test_notice_before_a_month_end_renewal_is_due_at_a_month_end():
    from ecomraci.dates import add_months

    # 30 June minus three months' notice: the last day for notice is 31 March, not 30.
    assert add_months(date(2027, 6, 30), -3, keep_month_end=True) == date(2027, 3, 31)
    assert add_months(date(2028, 5, 31), -3, keep_month_end=True) == date(2028, 2, 29)
    assert add_months(date(2027, 6, 15), -3, keep_month_end=True) == date(2027, 3, 15)
    assert add_months(date(2027, 6, 30), -3) == date(2027, 3, 30)
