"""CMP-01 .. CMP-03: compliance rules on variants of the well-run model."""

from __future__ import annotations

from ecomraci.edits import SetField, apply_edits
from ecomraci.model import Assignment, PaymentTerms
from tests.core.kit import base_model, findings, subjects


def _fix(model, rule_id):
    edits = [e for f in findings(model, rule_id) for e in f.edits]
    assert edits, f"{rule_id} offers no edits"
    return apply_edits(model, edits)


# --- CMP-01 ------------------------------------------------------------------------------


def test_cmp01_clean_on_base_model():
    assert findings(base_model(), "CMP-01") == []


def test_cmp01_payment_contract_without_payment_terms():
    m = base_model()
    m.contracts[1].payment = None
    (f,) = findings(m, "CMP-01")
    assert f.subjects == ["psp", "psp-contract"] and f.severity == "error"
    assert "no payment terms" in f.message
    assert findings(_fix(m, "CMP-01"), "CMP-01") == []


def test_cmp01_missing_responsibility_matrix_keeps_other_terms():
    m = base_model()
    m.contracts[1].payment = PaymentTerms(pci_dss_acknowledgement=True, hosted_payment_page=True)
    (f,) = findings(m, "CMP-01")
    assert "no PCI responsibility matrix" in f.message
    assert "acknowledgement" not in f.message.split(":")[1]
    fixed = _fix(m, "CMP-01")
    assert fixed.contract("psp-contract").payment.hosted_payment_page
    assert findings(fixed, "CMP-01") == []


def test_cmp01_payment_provider_without_contract():
    m = base_model()
    m.contracts = [c for c in m.contracts if c.id != "psp-contract"]
    m.assignments[3] = Assignment(function="payments", party="psp", mode="outsourced")
    (f,) = findings(m, "CMP-01")
    assert f.subjects == ["psp"] and f.severity == "error" and f.edits == []


# --- CMP-02 ------------------------------------------------------------------------------


def test_cmp02_clean_on_base_model():
    assert findings(base_model(), "CMP-02") == []


def test_cmp02_agency_scripts_reach_hosted_payment_page():
    m = base_model()
    m.parties[4].adds_storefront_scripts = True
    m.parties[4].reaches_payment_page = True
    (f,) = findings(m, "CMP-02")
    assert f.subjects == ["agency", "psp-contract"] and f.severity == "warning"
    assert f.edits == [
        SetField(target="party", id="agency", field="reaches_payment_page", value=False)
    ]
    assert findings(_fix(m, "CMP-02"), "CMP-02") == []


def test_cmp02_not_without_reach_hosted_page_or_for_the_host():
    m = base_model()
    m.parties[4].adds_storefront_scripts = True  # scripts, but off the payment page
    assert findings(m, "CMP-02") == []
    m.parties[4].reaches_payment_page = True
    m.contracts[1].payment.hosted_payment_page = False  # no hosted page relied on
    assert findings(m, "CMP-02") == []
    m = base_model()
    m.parties[5].adds_storefront_scripts = True  # the provider hosting the page itself
    m.parties[5].reaches_payment_page = True
    assert findings(m, "CMP-02") == []


# --- CMP-03 ------------------------------------------------------------------------------


def test_cmp03_clean_on_base_model():
    assert findings(base_model(), "CMP-03") == []


def test_cmp03_personal_data_without_dpa():
    m = base_model()
    m.contracts[0].data_processing_agreement = False
    (f,) = findings(m, "CMP-03")
    assert f.subjects == ["agency", "online-marketing"] and f.severity == "error"
    assert f.edits == [
        SetField(
            target="contract", id="agency-contract", field="data_processing_agreement", value=True
        )
    ]
    assert findings(_fix(m, "CMP-03"), "CMP-03") == []


def test_cmp03_outside_eea_without_transfer_basis():
    for basis in (None, "none"):
        m = base_model()
        m.parties[4].data_location = "outside-eea"
        m.contracts[0].transfer_basis = basis
        (f,) = findings(m, "CMP-03")
        assert f.subjects == ["agency", "online-marketing"]
        assert "outside the EEA" in f.message and "data processing" not in f.message
        fixed = _fix(m, "CMP-03")
        assert fixed.contract("agency-contract").transfer_basis == "standard-contractual-clauses"
        assert findings(fixed, "CMP-03") == []


def test_cmp03_adequate_country_and_non_personal_data_are_fine():
    m = base_model()
    m.parties[4].data_location = "adequate-country"
    assert findings(m, "CMP-03") == []
    m = base_model()
    m.contracts[0].data_processing_agreement = False
    m.functions[2].data = ["catalogue"]  # online marketing keeps no personal data
    assert findings(m, "CMP-03") == []


def test_cmp03_without_any_contract():
    m = base_model()
    m.contracts = [c for c in m.contracts if c.id != "agency-contract"]
    m.assignments[2] = Assignment(function="online-marketing", party="agency", mode="outsourced")
    assert subjects(m, "CMP-03") == [{"agency", "online-marketing"}]
    assert findings(m, "CMP-03")[0].edits == []
