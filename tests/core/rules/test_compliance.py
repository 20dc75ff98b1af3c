"""CMP-01 .. CMP-03: compliance rules on a shop built from the commerce catalog, the way
`ecomraci new` starts one, with payments outsourced to a payment provider and online
marketing to an agency, each under a contract with good clauses; each test changes one
thing and asserts the finding appears (by subjects) or stays away."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ecomraci.catalog import new_model
from ecomraci.edits import SetField, apply_edits
from ecomraci.model import Assignment, Contract, DataReturn, Model, Party, PaymentTerms
from ecomraci.store import dumps, loads
from tests.core.kit import AS_OF, base_model, findings, good_contract, subjects

PSP_TERMS = dict(
    pci_dss_acknowledgement=True,
    pci_responsibility_matrix=True,
    hosted_payment_page=True,
    checkout_integration="redirect",
    attestation_date=date(2025, 9, 30),
)


def outsource(model: Model, function: str, party: Party, contract: Contract) -> None:
    """Deliver `function` by `party` under `contract`, as 'Delivered by…' does: the
    provider takes the R of the function's run activities, the internal A stays."""
    model.parties.append(party)
    model.contracts.append(contract)
    model.assignments = [a for a in model.assignments if a.function != function]
    model.assignments.append(
        Assignment(function=function, party=party.id, mode="outsourced", contract=contract.id)
    )
    for a in model.activities:
        if a.function == function and a.kind == "run":
            row = model.raci[a.id]
            for p, letters in list(row.items()):
                if "R" in letters:
                    row[p] = letters.replace("R", "") or "C"
            row[party.id] = "R"
    model.forums[0].members.append(party.id)


def shop(**psp_terms) -> Model:
    """The commerce catalog model with PayFast (payments, redirect to its hosted page,
    PCI papers and a recent attestation) and Pixel Agency (online marketing)."""
    model = new_model("commerce", "Garden shop")
    outsource(
        model,
        "online-marketing",
        Party(
            id="agency",
            name="Pixel Agency",
            kind="external",
            category="agency",
            data_location="eea",
            delivery_model="dedicated",
            adds_storefront_scripts=True,
        ),
        good_contract(),
    )
    outsource(
        model,
        "payments",
        Party(
            id="psp",
            name="PayFast",
            kind="external",
            category="payment-provider",
            data_location="eea",
            delivery_model="saas",
        ),
        good_contract(
            id="psp-contract",
            name="Payment services",
            party="psp",
            covers=["payments"],
            insourcing_rights=["payments"],
            marketing_assets={},
            payment=PaymentTerms(**(PSP_TERMS | psp_terms)),
        ),
    )
    return model


def with_contract(model: Model, contract_id: str, **fields) -> Model:
    for i, c in enumerate(model.contracts):
        if c.id == contract_id:
            model.contracts[i] = Contract.model_validate(c.model_dump() | fields)
            return model
    raise KeyError(contract_id)


def party(model: Model, party_id: str) -> Party:
    return next(p for p in model.parties if p.id == party_id)


def _fix(model, rule_id, as_of=AS_OF):
    edits = [e for f in findings(model, rule_id, as_of) for e in f.edits]
    assert edits, f"{rule_id} offers no edits"
    return apply_edits(model, edits)


def test_shop_is_a_catalog_model_with_two_providers():
    model = shop()
    assert len(model.functions) >= 13 and len(model.activities) > 50
    assert {p.id for p in model.parties if p.kind == "external"} == {"agency", "psp"}


@pytest.mark.parametrize("rule_id", ["CMP-01", "CMP-02", "CMP-03"])
def test_catalog_shop_is_clean(rule_id):
    assert findings(shop(), rule_id) == []


@pytest.mark.parametrize("rule_id", ["CMP-01", "CMP-02", "CMP-03"])
def test_kit_base_model_is_clean(rule_id):
    assert findings(base_model(), rule_id) == []


def test_old_payment_terms_and_contracts_still_load():
    """A file written before these fields (no checkout, evidence, attestation,
    subprocessor or end clauses) loads, and the new fields take their defaults."""
    doc = json.loads(dumps(shop()))
    for c in doc["contracts"]:
        for key in ("sub_processor_list", "sub_processor_notice"):
            c.pop(key, None)
        if c.get("payment"):
            for key in ("checkout_integration", "attestation_date"):
                del c["payment"][key]
    old = loads(json.dumps(doc))
    terms = old.contract("psp-contract").payment
    assert terms.checkout_integration is None and terms.attestation_date is None
    assert terms.script_protection is None and terms.hosted_payment_page
    assert not old.contract("agency-contract").sub_processor_list
    assert not old.contract("agency-contract").sub_processor_notice


# --- CMP-01 ------------------------------------------------------------------------------


def test_cmp01_payment_contract_without_payment_terms():
    m = with_contract(shop(), "psp-contract", payment=None)
    (f,) = findings(m, "CMP-01")
    assert f.subjects == ["psp", "psp-contract"] and f.severity == "error"
    assert "no payment terms" in f.message
    assert findings(_fix(m, "CMP-01"), "CMP-01") == []


def test_cmp01_missing_responsibility_matrix_keeps_other_terms():
    m = shop(pci_responsibility_matrix=False, checkout_integration="iframe")
    m.contract("psp-contract").payment.script_protection = "provider-confirmation"
    (f,) = findings(m, "CMP-01")
    assert f.subjects == ["psp", "psp-contract"]
    assert "no PCI responsibility matrix" in f.message
    assert "acknowledgement" not in f.message.split(":")[1]
    assert "“PayFast” a PCI responsibility matrix" in f.fix and "acknowledgement" not in f.fix
    fixed = _fix(m, "CMP-01")
    terms = fixed.contract("psp-contract").payment
    assert terms.checkout_integration == "iframe" and terms.script_protection == (
        "provider-confirmation"
    )
    assert terms.attestation_date == date(2025, 9, 30)
    assert findings(fixed, "CMP-01") == []


def test_cmp01_payment_provider_without_contract():
    m = shop()
    m.contracts = [c for c in m.contracts if c.id != "psp-contract"]
    m.assignments[-1] = Assignment(function="payments", party="psp", mode="outsourced")
    (f,) = findings(m, "CMP-01")
    assert f.subjects == ["psp"] and f.severity == "error" and f.edits == []


def test_cmp01_attestation_older_than_twelve_months():
    # PCI DSS 12.8.4: the provider's compliance is checked at least every 12 months.
    m = shop(attestation_date=date(2025, 5, 15))
    assert findings(m, "CMP-01", as_of=date(2026, 5, 15)) == []  # exactly 12 months
    (f,) = findings(m, "CMP-01", as_of=date(2026, 5, 16))
    assert f.subjects == ["psp", "psp-contract"] and f.severity == "error"
    assert "“PayFast”" in f.message and "“Payment services”" in f.message
    assert "attestation of compliance dated 2025-05-15" in f.message
    assert "more than 12 months before 2026-05-16" in f.message
    assert "12.8.4" in f.fix and "current attestation" in f.fix
    assert f.edits == []  # only the provider can give a new one
    # a newer attestation, recorded, clears it
    m.contract("psp-contract").payment.attestation_date = date(2026, 4, 30)
    assert findings(m, "CMP-01", as_of=date(2026, 5, 16)) == []


def test_cmp01_attestation_age_is_a_setting_and_unrecorded_dates_pass():
    m = shop(attestation_date=date(2025, 5, 15))
    m.settings.cmp01_aoc_max_age_months = 18
    assert findings(m, "CMP-01", as_of=date(2026, 6, 1)) == []
    assert subjects(m, "CMP-01", as_of=date(2026, 11, 16)) == [{"psp", "psp-contract"}]
    m = shop(attestation_date=None)  # not recorded: nothing to date-check
    assert findings(m, "CMP-01", as_of=date(2030, 1, 1)) == []


def test_cmp01_latest_attestation_over_the_providers_contracts_counts():
    m = shop(attestation_date=date(2024, 1, 31))
    m.contracts.append(
        good_contract(
            id="psp-wallets",
            name="Wallet payments",
            party="psp",
            covers=["payments"],
            marketing_assets={},
            payment=PaymentTerms(**(PSP_TERMS | {"attestation_date": date(2026, 2, 28)})),
        )
    )
    assert findings(m, "CMP-01") == []
    m.contract("psp-wallets").payment.attestation_date = date(2025, 2, 28)
    assert subjects(m, "CMP-01") == [{"psp", "psp-wallets"}]


def test_cmp01_missing_matrix_and_stale_attestation_in_one_finding():
    m = shop(pci_responsibility_matrix=False, attestation_date=date(2024, 12, 1))
    (f,) = findings(m, "CMP-01")
    assert f.subjects == ["psp", "psp-contract"]
    assert "no PCI responsibility matrix, and an attestation of compliance dated " in (f.message)
    assert "current attestation" in f.fix
    # the fix records the matrix; the stale attestation is still reported
    fixed = _fix(m, "CMP-01")
    assert [g.message for g in findings(fixed, "CMP-01")] == [
        "Payment provider “PayFast”: “Payment services” has an attestation of compliance "
        f"dated 2024-12-01, more than 12 months before {AS_OF.isoformat()}."
    ]


# --- CMP-02 ------------------------------------------------------------------------------


@pytest.mark.parametrize("checkout", ["iframe", "hosted-fields"])
def test_cmp02_embedded_form_without_evidence_loses_saq_a(checkout):
    for evidence in (None, "none"):
        m = shop(checkout_integration=checkout, script_protection=evidence)
        (f,) = findings(m, "CMP-02")
        assert f.subjects == ["psp", "psp-contract"] and f.severity == "warning"
        assert "SAQ A" in f.message and "2025-03-31" in f.message
        assert "“PayFast”" in f.message and "psp" not in f.message.replace("PayFast", "")
        assert "6.4.3" in f.fix and "11.6.1" in f.fix
        fixed = _fix(m, "CMP-02")
        terms = fixed.contract("psp-contract").payment
        assert terms.script_protection == "provider-confirmation"
        assert terms.checkout_integration == checkout and terms.pci_responsibility_matrix
        assert findings(fixed, "CMP-02") == []


def test_cmp02_embedded_form_names_the_parties_whose_scripts_reach_it():
    m = shop(checkout_integration="iframe")
    party(m, "agency").reaches_payment_page = True
    (f,) = findings(m, "CMP-02")
    assert f.subjects == ["psp", "psp-contract", "agency"]
    assert "“Pixel Agency” can put scripts on the payment page" in f.message


@pytest.mark.parametrize("checkout", ["iframe", "hosted-fields"])
@pytest.mark.parametrize("evidence", ["merchant-controls", "provider-confirmation"])
def test_cmp02_embedded_form_with_evidence_keeps_saq_a(checkout, evidence):
    m = shop(checkout_integration=checkout, script_protection=evidence)
    party(m, "agency").reaches_payment_page = True  # its scripts are covered by the evidence
    assert findings(m, "CMP-02") == []


@pytest.mark.parametrize("checkout", ["direct-post", "own-form"])
def test_cmp02_form_on_the_shops_page_needs_its_own_script_controls(checkout):
    for evidence in (None, "none", "provider-confirmation"):
        m = shop(checkout_integration=checkout, script_protection=evidence)
        (f,) = findings(m, "CMP-02")
        assert f.subjects == ["psp", "psp-contract"]
        assert "6.4.3" in f.message and "11.6.1" in f.message
        assert ("does not cover a page the shop serves" in f.message) == (
            evidence == "provider-confirmation"
        )
        assert f.edits == []  # controls to build or a checkout to change: a decision
    m = shop(checkout_integration=checkout, script_protection="merchant-controls")
    assert findings(m, "CMP-02") == []


def test_cmp02_agency_scripts_reach_hosted_payment_page():
    # a file from before checkout_integration: the hosted-page flag only
    m = shop(checkout_integration=None)
    party(m, "agency").reaches_payment_page = True
    (f,) = findings(m, "CMP-02")
    assert f.subjects == ["agency", "psp-contract"] and f.severity == "warning"
    assert f.edits == [
        SetField(target="party", id="agency", field="reaches_payment_page", value=False)
    ]
    assert findings(_fix(m, "CMP-02"), "CMP-02") == []


def test_cmp02_agency_scripts_on_the_redirect_page_unless_the_shop_controls_them():
    m = shop()  # redirect
    party(m, "agency").reaches_payment_page = True
    assert subjects(m, "CMP-02") == [{"agency", "psp-contract"}]
    m.contract("psp-contract").payment.script_protection = "provider-confirmation"
    assert subjects(m, "CMP-02") == [{"agency", "psp-contract"}]  # covers embedded forms
    m.contract("psp-contract").payment.script_protection = "merchant-controls"
    assert findings(m, "CMP-02") == []


def test_cmp02_not_without_reach_hosted_page_or_for_the_host():
    m = shop(checkout_integration=None)
    assert findings(m, "CMP-02") == []  # the agency adds scripts, but off the payment page
    party(m, "agency").reaches_payment_page = True
    m.contract("psp-contract").payment.hosted_payment_page = False  # nothing recorded
    assert findings(m, "CMP-02") == []
    m = shop()
    party(m, "psp").adds_storefront_scripts = True  # the provider hosting the page itself
    party(m, "psp").reaches_payment_page = True
    assert findings(m, "CMP-02") == []


# --- CMP-03 ------------------------------------------------------------------------------


def test_cmp03_personal_data_without_dpa():
    m = with_contract(shop(), "agency-contract", data_processing_agreement=False)
    (f,) = findings(m, "CMP-03")
    assert f.subjects == ["agency", "online-marketing"] and f.severity == "error"
    assert "has no data processing agreement" in f.message
    assert "subprocessors" in f.fix and "certified deletion" in f.fix
    # the contract agrees a data return already, so the end needs no new clause
    assert f.edits == [
        SetField(target="contract", id="agency-contract", field=name, value=True)
        for name in ("data_processing_agreement", "sub_processor_list", "sub_processor_notice")
    ]
    assert findings(_fix(m, "CMP-03"), "CMP-03") == []


@pytest.mark.parametrize(
    "clause, words",
    [
        ("sub_processor_list", "no list of subprocessors"),
        ("sub_processor_notice", "no duty to give notice of subprocessor changes"),
    ],
)
def test_cmp03_dpa_without_sub_processor_clauses(clause, words):
    # GDPR art. 28(2) and (4): the subprocessors are known and changes announced
    m = with_contract(shop(), "psp-contract", **{clause: False})
    (f,) = findings(m, "CMP-03")
    assert f.subjects == ["psp", "payments"]
    assert f"its data processing agreement has {words}." in f.message
    assert f.edits == [SetField(target="contract", id="psp-contract", field=clause, value=True)]
    assert findings(_fix(m, "CMP-03"), "CMP-03") == []


def test_cmp03_dpa_silent_on_the_end_of_processing():
    # GDPR art. 28(3)(g): return or delete the data at the end
    m = with_contract(shop(), "agency-contract", data_return=DataReturn())
    (f,) = findings(m, "CMP-03")
    assert f.subjects == ["agency", "online-marketing"]
    assert "nothing on returning or deleting the data at the end" in f.message
    fixed = _fix(m, "CMP-03")
    assert fixed.contract("agency-contract").personal_data_at_end == (
        "return-or-certified-deletion"
    )
    assert findings(fixed, "CMP-03") == []


@pytest.mark.parametrize("end", ["return", "certified-deletion", "return-or-certified-deletion"])
def test_cmp03_return_or_certified_deletion_is_accepted(end):
    m = with_contract(shop(), "agency-contract", data_return=DataReturn(), personal_data_at_end=end)
    assert findings(m, "CMP-03") == []


def test_cmp03_outside_eea_without_transfer_basis():
    for basis in (None, "none"):
        m = with_contract(shop(), "agency-contract", transfer_basis=basis)
        party(m, "agency").data_location = "outside-eea"
        (f,) = findings(m, "CMP-03")
        assert f.subjects == ["agency", "online-marketing"]
        assert "outside the EEA" in f.message and "data processing" not in f.message
        assert "2021 standard contractual clauses" in f.fix
        fixed = _fix(m, "CMP-03")
        assert fixed.contract("agency-contract").transfer_basis == "standard-contractual-clauses"
        assert findings(fixed, "CMP-03") == []


def test_cmp03_pre_2021_clauses_are_no_transfer_basis():
    m = with_contract(
        shop(), "agency-contract", transfer_basis="pre-2021-standard-contractual-clauses"
    )
    party(m, "agency").data_location = "outside-eea"
    (f,) = findings(m, "CMP-03")
    assert f.subjects == ["agency", "online-marketing"]
    assert "pre-2021 standard contractual clauses" in f.message and "2022-12-27" in f.message
    fixed = _fix(m, "CMP-03")
    assert fixed.contract("agency-contract").transfer_basis == "standard-contractual-clauses"
    assert findings(fixed, "CMP-03") == []


def test_cmp03_data_privacy_framework_only_for_a_certified_recipient():
    m = with_contract(shop(), "agency-contract", transfer_basis="eu-us-data-privacy-framework")
    party(m, "agency").data_location = "outside-eea"
    (f,) = findings(m, "CMP-03")
    assert f.subjects == ["agency", "online-marketing"]
    assert "EU-US Data Privacy Framework but is not certified under it" in f.message
    assert findings(_fix(m, "CMP-03"), "CMP-03") == []
    party(m, "agency").dpf_certified = True
    assert findings(m, "CMP-03") == []


def test_cmp03_certified_recipient_without_basis_is_offered_the_framework():
    m = shop()
    party(m, "agency").data_location = "outside-eea"
    party(m, "agency").dpf_certified = True
    (f,) = findings(m, "CMP-03")
    assert f.subjects == ["agency", "online-marketing"]
    assert "EU-US Data Privacy Framework, under which it is certified" in f.fix
    fixed = _fix(m, "CMP-03")
    assert fixed.contract("agency-contract").transfer_basis == "eu-us-data-privacy-framework"
    assert findings(fixed, "CMP-03") == []


def test_cmp03_adequate_country_and_non_personal_data_are_fine():
    m = shop()
    party(m, "agency").data_location = "adequate-country"
    assert findings(m, "CMP-03") == []
    m = with_contract(shop(), "agency-contract", data_processing_agreement=False)
    next(f for f in m.functions if f.id == "online-marketing").data = ["catalogue"]
    assert findings(m, "CMP-03") == []


def test_cmp03_without_any_contract():
    m = shop()
    m.contracts = [c for c in m.contracts if c.id != "agency-contract"]
    m.assignments = [a for a in m.assignments if a.function != "online-marketing"]
    m.assignments.append(Assignment(function="online-marketing", party="agency", mode="outsourced"))
    assert subjects(m, "CMP-03") == [{"agency", "online-marketing"}]
    (f,) = findings(m, "CMP-03")
    assert f.edits == [] and "subprocessors" in f.fix
