"""What `ecomraci check` finds on the three samples, judged the way an e-commerce operations
lead and a sourcing lawyer would: every finding expected, each with why it is right, and
nothing else (a rule that starts firing on a sample, or stops, fails here).

The samples are checked as of a fixed date, so the date-based rules (SRC-06, SRC-07) give
the same answer every day.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from ecomraci import cli, store
from ecomraci.rules import check

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
AS_OF = date(2026, 11, 24)

ESTORE = "outsourced-estore.ecomraci.json"
VIP = "vip-promotion.ecomraci.json"
GROWING = "growing-department.ecomraci.json"


def finding(rule: str, *subjects: str) -> tuple[str, frozenset[str]]:
    return rule, frozenset(subjects)


# The cycle of catalog functions behind the shop (web store, payments, orders, fulfilment,
# purchasing, analytics, online marketing, content all need each other around a loop).
SHOP_CYCLE = (
    "web-store-it",
    "payments",
    "order-management",
    "purchasing",
    "fulfilment",
    "online-marketing",
    "content",
    "analytics",
)

EXPECTED: dict[str, set[tuple[str, frozenset[str]]]] = {
    ESTORE: {
        # The PSP's attestation is on file but no matrix says which PCI DSS requirements
        # it, the agency and the shop each cover (needed even with a hosted payment page).
        # Issue 14: the same finding also says the attestation, dated 2025-06-30, is more
        # than 12 months old (PCI DSS 12.8.4 asks for a yearly check).
        finding("CMP-01", "paynord", "paynord-psp"),
        # Issue 14 (GDPR art. 28(2), (3)(g), (4)): the agency's template DPA lists none of
        # the tools and subcontractors that see the shop's customer and order data, need
        # not announce new ones, and says nothing of returning or deleting the data at
        # the end.
        finding("CMP-03", "pixelforge", "web-store-it", "online-marketing"),
        # Critical web store IT can only leave the agency by ending the whole bundled
        # contract: no partial termination, no insourcing right.
        finding("SRC-01", "web-store-it", "pixelforge-msa"),
        # The seeds' central risk: online marketing, meant to be taken back, cannot leave the
        # agency contract alone, and web store IT (tag interface run by the agency) and the
        # agency's attribution work go down with it.
        finding("SRC-02", "online-marketing", "pixelforge-msa", "web-store-it", "analytics"),
        # No exit plan at all for a contract that carries the critical web store.
        finding("SRC-06", "pixelforge-msa"),
        # The agency's tag container loads on the checkout page that embeds the PSP's card
        # form in an iframe, and nothing shows that scripts cannot affect that form:
        # a card-skimming path, and since 2025-03-31 (PCI DSS v4.0.1) the shop no longer
        # qualifies for SAQ A. Issue 14: the checkout is now recorded as an iframe, so the
        # finding is about the PSP's checkout and names the agency, where it named only the
        # agency on the older "hosted payment page" flag.
        finding("CMP-02", "paynord", "paynord-psp", "pixelforge"),
        # The agency runs the checkout-to-PSP and order-export interfaces for functions it
        # does not deliver, and its contract has no duty to cooperate with others.
        finding(
            "DEP-01",
            "pixelforge-msa",
            "pixelforge",
            "payments->web-store-it",
            "order-management->web-store-it",
        ),
        # One agency under one contract delivers the web store, online marketing and
        # analytics: the single point of failure the catalog's concentration rule names.
        finding("DEP-03", "pixelforge", "web-store-it", "online-marketing", "analytics"),
        # The only forum where internal IT (A for the web store) meets sales and marketing
        # meets every six weeks; the seed asks for regular end-to-end alignment.
        finding(
            "GOV-02",
            "ecom-steering",
            "ecom-team",
            "marketing-dept",
            "it-team",
            "finance-dept",
            "purchasing-dept",
            "operations-dept",
            "legal-dept",
            "pixelforge",
        ),
        # The PSP meets only finance and IT, never the order desk whose orders it settles
        # (strong integrations both ways). Issue 14: the contact centre's look-up of
        # payment status is a weak data feed, which needs no standing forum, so the PSP
        # and Nordlog are no longer a pair.
        finding("GOV-02", "operations-dept", "paynord"),
        # The web store agency meets neither the PSP, whose checkout plug-in it customised
        # (payments need web store IT, strong), nor the 3PL/contact centre, though orders,
        # stock and order-status look-ups run between their systems.
        finding("GOV-02", "pixelforge", "paynord", "nordlog"),
        # No RACI-05 (issue 14): the e-commerce team (14 of 55 A's: shop management,
        # analytics, customer service oversight) and operations (13: orders, fulfilment,
        # delivery) are each accountable for their own functions, at about twice what the
        # other five teams typically hold (6.5) and a quarter of the model each: spread by
        # function, not one party holding a disproportionate share.
        # Analytics (co-sourced with the agency) can only leave the bundle as a whole.
        finding("SRC-01", "analytics", "pixelforge-msa"),
        # Online marketing can only leave the bundle as a whole (the clause behind SRC-02).
        finding("SRC-01", "online-marketing", "pixelforge-msa"),
        # EUR 240,000 minimum over three functions that does not shrink when one leaves.
        finding("SRC-03", "pixelforge-msa", "web-store-it", "online-marketing", "analytics"),
        # The agency is the exclusive online marketing supplier: no in-house build-up.
        finding("SRC-04", "online-marketing", "pixelforge-msa"),
        # One retainer for everything, no price card: nobody knows what marketing costs.
        finding("SRC-05", "pixelforge-msa", "web-store-it", "online-marketing", "analytics"),
        # 6 months notice + 3 months transition < 12 months to re-source the web store, and
        # the contract auto-renews on 2027-12-31: a replacement must start by 2026-12-31.
        finding("SRC-07", "pixelforge-msa", "web-store-it"),
        # The agency holds customer, order and catalogue data with no agreed return.
        finding("SRC-08", "pixelforge-msa", "web-store-it", "online-marketing"),
        # Ad accounts, analytics and the tag manager belong to the agency.
        finding("SRC-09", "pixelforge-msa"),
        # Custom shop code and checkout plug-in with no IP assignment or knowledge transfer.
        finding("SRC-10", "pixelforge-msa"),
        # The shop runs on the agency's own SaaS platform, a data processing service under
        # the EU Data Act since 2025-09-12: 6 months' notice (2 allowed), no transition,
        # retrieval or erasure terms, no list of exportable data, and an exit fee above
        # cost (only cost-based charges until 2027-01-12, none from then).
        finding("SRC-13", "pixelforge-msa"),
        # The shop's core functions form one dependency cycle across seven parties, and no
        # forum brings the agency, the PSP and the 3PL together to plan changes.
        finding(
            "DEP-07",
            *SHOP_CYCLE,
            "ecom-team",
            "marketing-dept",
            "purchasing-dept",
            "operations-dept",
            "pixelforge",
            "paynord",
            "nordlog",
        ),
        # Maturity 1.8 of 5 while six functions are outsourced: too weak to steer them.
        finding(
            "GOV-06",
            "organisation.maturity",
            "web-store-it",
            "payments",
            "fulfilment",
            "delivery",
            "customer-service",
            "online-marketing",
        ),
    },
    # The well-run baseline: every activity has one internal A, the PSP and the carrier
    # (the only providers) have per-function exits, tested exit plans, cooperation duties,
    # DPAs and PCI papers, and everybody meets weekly and in the promotion's stand-up.
    VIP: set(),
    GROWING: {
        # The agency contract renews on 2027-06-30; taking search in-house (the roadmap)
        # needs the decision and notice in March 2027 and the takeover started in February.
        finding("SRC-07", "searchlab-sem", "online-marketing"),
        # The Google Ads account sits under the agency's manager account: taking search
        # in-house would start without its history.
        finding("SRC-09", "searchlab-sem"),
        # The freelancers keep the copyright to the shop code and grant only a licence.
        finding("SRC-10", "freelance-dev"),
    },
}


@pytest.fixture(scope="module")
def findings():
    """Sample file name -> its findings as of AS_OF (one check per sample)."""
    return {name: check(store.load(SAMPLES / name), as_of=AS_OF) for name in (ESTORE, VIP, GROWING)}


def _keys(found) -> set[tuple[str, frozenset[str]]]:
    return {(f.rule, frozenset(f.subjects)) for f in found if not f.waived}


def _show(keys) -> str:
    return "\n".join(f"  {rule} {sorted(subjects)}" for rule, subjects in sorted(keys, key=str))


@pytest.mark.parametrize("name", [ESTORE, VIP, GROWING])
def test_findings_are_what_an_expert_expects(findings, name):
    found = _keys(findings[name])
    expected = EXPECTED[name]
    unexpected = found - expected
    missing = expected - found
    assert not unexpected and not missing, (
        f"{name} as of {AS_OF}:\nunexpected findings:\n{_show(unexpected)}\n"
        f"missing findings:\n{_show(missing)}"
    )
    # and none reported twice
    assert len([f for f in findings[name] if not f.waived]) == len(found)


@pytest.mark.parametrize("name", [ESTORE, VIP, GROWING])
def test_samples_carry_no_waivers(findings, name):
    # the expected sets above are the whole story only while nothing is waived
    assert not [f for f in findings[name] if f.waived]


def test_a_cycle_whose_parties_meet_through_one_internal_party_is_coordinated(findings):
    # growing-department: the e-commerce manager's weekly, monthly, sprint and provider
    # forums together reach every party of the shop's dependency cycle, so DEP-07 stays
    # silent although no single forum holds them all.
    assert not [f for f in findings[GROWING] if f.rule == "DEP-07"]
    assert [f for f in findings[ESTORE] if f.rule == "DEP-07"]


def test_error_findings_on_the_outsourced_estore(findings):
    # the critical-function findings are errors, not warnings
    errors = {(f.rule, frozenset(f.subjects)) for f in findings[ESTORE] if f.severity == "error"}
    assert errors == {
        finding("CMP-01", "paynord", "paynord-psp"),
        finding("CMP-03", "pixelforge", "web-store-it", "online-marketing"),
        finding("SRC-01", "web-store-it", "pixelforge-msa"),
        finding("SRC-02", "online-marketing", "pixelforge-msa", "web-store-it", "analytics"),
        finding("SRC-06", "pixelforge-msa"),
    }


def test_cli_json_names_web_store_it_at_risk_when_marketing_leaves(capsys):
    """The acceptance check: `ecomraci check samples/outsourced-estore.ecomraci.json
    --format json` carries SRC-02 for online marketing with web store IT put at risk."""
    code = cli.main(
        ["check", str(SAMPLES / ESTORE), "--format", "json", "--as-of", AS_OF.isoformat()]
    )
    out = capsys.readouterr().out
    assert code == 1  # the sample has errors
    doc = json.loads(out)
    coupled = [
        f for f in doc["findings"] if f["rule"] == "SRC-02" and "online-marketing" in f["subjects"]
    ]
    assert len(coupled) == 1
    hit = coupled[0]
    assert hit["severity"] == "error" and not hit["waived"]
    assert "web-store-it" in hit["subjects"]
    web_store = store.load(SAMPLES / ESTORE).function("web-store-it").name
    # named in the list of services put at risk, with its reason in brackets
    at_risk = re.search(r"At risk: (.*)$", hit["message"])
    assert at_risk, hit["message"]
    assert re.search(rf"“{re.escape(web_store)}” \([^)]+\)", at_risk[1]), at_risk[1]
    assert doc["summary"]["error"] == 5
