"""Build the sample models in this folder.

Run ``python samples/build_samples.py [OUT_DIR]`` to (re)write the three sample files; the
test suite regenerates them into a temporary folder and compares the text, so a sample
file can never drift from this script. Each model is built from `ecomraci.model` objects
and written with `ecomraci.store.save`, so it is valid by construction.

The samples:

* ``outsourced-estore``: a retailer with a part-time e-commerce team and one digital
  agency running both the web store and online marketing (with its tracking and
  attribution) under a single bundled contract (the coupling the rule catalog warns about).
* ``vip-promotion``: an omnichannel retailer running a 24-hour promotion for its best
  customers, mostly in-house, with clean contracts and governance (no findings).
* ``growing-department``: a company at the formalised stage building its own e-commerce
  department while an SEM/SEO agency and freelance developers still do part of the work.

Every sample uses the function ids of the default catalog and its default dependencies.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # running the script from a checkout
    sys.path.insert(0, str(HERE.parent))

from ecomraci.catalog import catalog_functions  # noqa: E402
from ecomraci.model import (  # noqa: E402
    Activity,
    Assignment,
    Contract,
    DataReturn,
    Dependency,
    ExitPlan,
    Forum,
    Function,
    MinimumCommitment,
    Model,
    OrganisationProfile,
    Party,
    PaymentTerms,
    SwitchingTerms,
    TransitionAssistance,
)
from ecomraci.store import save  # noqa: E402

SAMPLE_FILES = (
    "outsourced-estore.ecomraci.json",
    "vip-promotion.ecomraci.json",
    "growing-department.ecomraci.json",
)

# --- shared catalog ---------------------------------------------------------------------

# Names and descriptions come from the catalog the samples are built on.
CATALOG_FUNCTIONS: dict[str, tuple[str, str]] = {
    f.id: (f.name, f.description) for f in catalog_functions("commerce")
}

# (function, needs, kind, strength): the catalog's default dependencies.
CATALOG_DEPENDENCIES: list[tuple[str, str, str, str]] = [
    ("shop-management", "analytics", "data-feed", "medium"),
    ("shop-management", "finance", "data-feed", "medium"),
    ("web-store-it", "content", "data-feed", "medium"),
    ("web-store-it", "legal", "process-handoff", "weak"),
    ("payments", "web-store-it", "system-integration", "strong"),
    ("payments", "order-management", "system-integration", "strong"),
    ("order-management", "web-store-it", "system-integration", "strong"),
    ("order-management", "payments", "system-integration", "strong"),
    ("order-management", "fulfilment", "system-integration", "strong"),
    ("purchasing", "analytics", "data-feed", "medium"),
    ("purchasing", "fulfilment", "data-feed", "medium"),
    ("fulfilment", "order-management", "system-integration", "strong"),
    ("fulfilment", "purchasing", "process-handoff", "medium"),
    ("delivery", "fulfilment", "process-handoff", "strong"),
    ("customer-service", "order-management", "system-integration", "medium"),
    ("customer-service", "payments", "data-feed", "weak"),
    ("customer-service", "delivery", "data-feed", "medium"),
    ("customer-service", "web-store-it", "system-integration", "medium"),
    ("online-marketing", "web-store-it", "system-integration", "strong"),
    ("online-marketing", "purchasing", "data-feed", "medium"),
    ("online-marketing", "content", "data-feed", "medium"),
    ("online-marketing", "analytics", "data-feed", "medium"),
    ("content", "purchasing", "data-feed", "medium"),
    ("content", "web-store-it", "system-integration", "medium"),
    ("analytics", "web-store-it", "data-feed", "strong"),
    ("analytics", "order-management", "data-feed", "medium"),
    ("analytics", "online-marketing", "data-feed", "medium"),
    ("finance", "payments", "data-feed", "strong"),
    ("finance", "order-management", "data-feed", "medium"),
]

ALL_ASSETS_COMPANY = {
    "ad-accounts": "company",
    "analytics": "company",
    "tag-manager": "company",
    "email-list": "company",
    "domain": "company",
}


# --- small builders ---------------------------------------------------------------------


def function(
    fid: str, criticality: str, lead: int, *, reversible: bool = False, data: tuple[str, ...] = ()
) -> Function:
    name, description = CATALOG_FUNCTIONS[fid]
    return Function(
        id=fid,
        name=name,
        description=description,
        criticality=criticality,
        reversible=reversible,
        lead_time_months=lead,
        data=list(data),
    )


# (function, criticality, default lead time in months, reversible, data it holds): the
# same thirteen catalog functions in every sample; each sample sets its own lead times.
SAMPLE_FUNCTIONS = (
    ("shop-management", "critical", 6, True, ()),
    ("web-store-it", "critical", 12, False, ("customer", "order", "catalogue")),
    ("payments", "critical", 6, False, ("card", "order")),
    ("order-management", "critical", 9, False, ("customer", "order")),
    ("purchasing", "important", 6, False, ("catalogue",)),
    ("fulfilment", "critical", 12, False, ("customer", "order")),
    ("delivery", "important", 3, False, ("customer", "order")),
    ("customer-service", "important", 4, False, ("customer", "order")),
    ("online-marketing", "important", 4, True, ("customer",)),
    ("content", "normal", 3, False, ("catalogue",)),
    ("analytics", "important", 3, False, ()),
    ("finance", "important", 6, False, ()),
    ("legal", "important", 3, False, ()),
)


def sample_functions(leads: dict[str, int]) -> list[Function]:
    """The catalog functions with this sample's re-sourcing lead times."""
    return [
        function(fid, crit, leads.get(fid, lead), reversible=rev, data=data)
        for fid, crit, lead, rev, data in SAMPLE_FUNCTIONS
    ]


def cells(spec: str) -> dict[str, str]:
    """``"ecom=AR mkt=C it=I"`` -> ``{"ecom": "AR", "mkt": "C", "it": "I"}``."""
    row: dict[str, str] = {}
    for item in spec.split():
        party, letters = item.split("=")
        assert party not in row, f"{party} twice in {spec!r}"
        row[party] = letters
    return row


def activities_and_raci(
    rows: dict[str, list[tuple[str, str, str, str]]],
) -> tuple[list[Activity], dict[str, dict[str, str]]]:
    """``{function: [(activity id, name, kind, raci spec), ...]}`` -> activities, RACI grid."""
    activities: list[Activity] = []
    raci: dict[str, dict[str, str]] = {}
    for fid, items in rows.items():
        for aid, name, kind, spec in items:
            activities.append(Activity(id=aid, name=name, function=fid, kind=kind))
            raci[aid] = cells(spec)
    return activities, raci


def dependencies(
    interfaces: dict[tuple[str, str], str], notes: dict[tuple[str, str], str] | None = None
) -> list[Dependency]:
    """The catalog dependencies, each with the activity that runs its interface."""
    notes = notes or {}
    out = []
    for fid, needs, kind, strength in CATALOG_DEPENDENCIES:
        out.append(
            Dependency(
                function=fid,
                needs=needs,
                kind=kind,
                strength=strength,
                interface_activity=interfaces[(fid, needs)],
                note=notes.get((fid, needs)),
            )
        )
    return out


# --- 1. outsourced e-store ---------------------------------------------------------------


def outsourced_estore() -> Model:
    parties = [
        Party(
            id="ecom-team",
            name="E-commerce team",
            kind="internal",
            category="ecommerce",
            contact="Sara Lind, e-commerce manager (60% of her time)",
            note="One e-commerce manager plus a trainee; also runs the weekly agency call.",
        ),
        Party(
            id="marketing-dept",
            name="Marketing",
            kind="internal",
            category="marketing",
            contact="Head of marketing",
        ),
        Party(
            id="it-team",
            name="IT",
            kind="internal",
            category="it",
            contact="IT manager",
            note="Three people looking after ERP, stores and the office; no web developers.",
        ),
        Party(id="finance-dept", name="Finance", kind="internal", category="finance"),
        Party(
            id="legal-dept",
            name="Legal",
            kind="internal",
            category="legal",
            note="One in-house counsel.",
        ),
        Party(id="purchasing-dept", name="Purchasing", kind="internal", category="purchasing"),
        Party(
            id="operations-dept",
            name="Operations",
            kind="internal",
            category="operations",
            contact="Logistics and order desk manager",
        ),
        Party(
            id="pixelforge",
            name="Pixelforge Digital",
            kind="external",
            category="agency",
            contact="Account director, Pixelforge Digital",
            data_location="eea",
            delivery_model="dedicated",
            adds_storefront_scripts=True,
            reaches_payment_page=True,
            note="Full-service digital agency: builds and hosts the web store, runs all "
            "online marketing and does the campaign tracking and attribution reports. "
            "Manages the tag manager container, which also loads on the checkout and "
            "payment pages.",
        ),
        Party(
            id="paynord",
            name="Paynord Payments",
            kind="external",
            category="payment-provider",
            data_location="eea",
            delivery_model="saas",
            note="Payment service provider with a hosted payment page.",
        ),
        Party(
            id="nordlog",
            name="Nordlog Fulfilment & Contact",
            kind="external",
            category="3pl",
            data_location="eea",
            delivery_model="shared",
            note="Third-party warehouse that also runs a shared contact centre.",
        ),
        Party(
            id="parcelway",
            name="Parcelway",
            kind="external",
            category="carrier",
            data_location="eea",
            delivery_model="shared",
        ),
    ]
    functions = sample_functions({"order-management": 9, "fulfilment": 9})
    rows = {
        "shop-management": [
            (
                "sm-strategy",
                "Set online strategy, targets and budget",
                "change",
                "ecom-team=AR marketing-dept=C finance-dept=C purchasing-dept=C it-team=I "
                "operations-dept=I",
            ),
            (
                "sm-trading",
                "Plan the trading calendar and campaign priorities",
                "run",
                "ecom-team=AR marketing-dept=C purchasing-dept=C pixelforge=C "
                "operations-dept=I nordlog=I",
            ),
            (
                "sm-performance",
                "Review weekly online sales against forecast",
                "run",
                "ecom-team=AR finance-dept=C marketing-dept=C pixelforge=I purchasing-dept=I",
            ),
            (
                "sm-backlog",
                "Prioritise the web store backlog with the agency",
                "change",
                "ecom-team=AR it-team=C marketing-dept=C pixelforge=I",
            ),
        ],
        "web-store-it": [
            (
                "wit-operate",
                "Operate platform and hosting (availability, patches, back-ups)",
                "run",
                "it-team=A pixelforge=R ecom-team=I",
            ),
            (
                "wit-releases",
                "Build and deploy web store releases",
                "change",
                "it-team=A pixelforge=R ecom-team=C marketing-dept=C operations-dept=C "
                "finance-dept=I paynord=I nordlog=I",
            ),
            (
                "wit-checkout",
                "Maintain checkout and payment integration",
                "integration",
                "it-team=A pixelforge=R paynord=C finance-dept=C ecom-team=I",
            ),
            (
                "wit-order-feed",
                "Run the order export and stock import interfaces",
                "integration",
                "it-team=A pixelforge=R operations-dept=C nordlog=C ecom-team=I",
            ),
            (
                "wit-tags",
                "Run tag infrastructure (tag manager, pixels, consent mode)",
                "interface",
                "it-team=A pixelforge=R legal-dept=C marketing-dept=C ecom-team=I",
            ),
            (
                "wit-vendor",
                "Manage the agency's web store service levels",
                "supplier-management",
                "ecom-team=AR it-team=C purchasing-dept=C legal-dept=C finance-dept=I",
            ),
        ],
        "payments": [
            (
                "pay-acquire",
                "Authorise, capture and settle card and wallet payments",
                "run",
                "finance-dept=A paynord=R ecom-team=I",
            ),
            (
                "pay-config",
                "Configure payment methods and 3-D Secure rules",
                "control",
                "finance-dept=A ecom-team=R paynord=C it-team=C legal-dept=I",
            ),
            (
                "pay-chargebacks",
                "Screen fraud and handle chargebacks",
                "control",
                "finance-dept=A paynord=R operations-dept=C nordlog=I",
            ),
            (
                "pay-status",
                "Pass payment status and refund confirmations to the order desk",
                "integration",
                "it-team=A pixelforge=R paynord=C operations-dept=C",
            ),
            (
                "pay-vendor",
                "Manage the payment provider and its PCI attestation",
                "supplier-management",
                "finance-dept=AR legal-dept=C it-team=C ecom-team=I",
            ),
        ],
        "order-management": [
            (
                "ord-monitor",
                "Monitor order capture, routing and backlog",
                "run",
                "operations-dept=AR it-team=C ecom-team=I nordlog=I",
            ),
            (
                "ord-refunds",
                "Approve refunds and cancellations",
                "control",
                "operations-dept=A nordlog=R finance-dept=C ecom-team=I",
            ),
            (
                "ord-returns",
                "Authorise returns and decide restock or write-off",
                "run",
                "operations-dept=AR nordlog=R purchasing-dept=C finance-dept=I",
            ),
            (
                "ord-release",
                "Release paid orders to the fulfilment provider",
                "interface",
                "operations-dept=AR nordlog=C pixelforge=C ecom-team=I",
            ),
        ],
        "purchasing": [
            (
                "pur-forecast",
                "Forecast online demand and plan buys",
                "run",
                "purchasing-dept=AR ecom-team=C marketing-dept=C nordlog=I",
            ),
            (
                "pur-pricing",
                "Set online prices and promotions",
                "control",
                "purchasing-dept=A ecom-team=R finance-dept=C marketing-dept=C pixelforge=I",
            ),
            (
                "pur-replenish",
                "Replenish stock at the fulfilment warehouse",
                "interface",
                "purchasing-dept=AR nordlog=C operations-dept=C ecom-team=I",
            ),
            (
                "pur-assortment",
                "Decide the online assortment and new listings",
                "change",
                "purchasing-dept=AR ecom-team=C marketing-dept=C pixelforge=I nordlog=I "
                "operations-dept=I",
            ),
        ],
        "fulfilment": [
            (
                "ful-pick",
                "Pick, pack and dispatch orders",
                "run",
                "operations-dept=A nordlog=R ecom-team=I",
            ),
            (
                "ful-inbound",
                "Receive inbound stock and keep stock accurate",
                "run",
                "operations-dept=A nordlog=R purchasing-dept=C",
            ),
            (
                "ful-stock-feed",
                "Publish available stock to the web store and order desk",
                "integration",
                "operations-dept=A nordlog=R pixelforge=C it-team=C purchasing-dept=I",
            ),
            (
                "ful-peak",
                "Plan peak capacity and cut-off times with the provider",
                "change",
                "operations-dept=A nordlog=R purchasing-dept=C parcelway=C ecom-team=I "
                "marketing-dept=I",
            ),
            (
                "ful-vendor",
                "Manage the fulfilment and contact-centre provider",
                "supplier-management",
                "operations-dept=AR finance-dept=C ecom-team=C purchasing-dept=C legal-dept=I",
            ),
        ],
        "delivery": [
            (
                "del-ship",
                "Ship parcels and collect customer returns",
                "run",
                "operations-dept=A parcelway=R nordlog=I ecom-team=I",
            ),
            (
                "del-handover",
                "Hand over parcels, manifests and label data to the carrier",
                "interface",
                "operations-dept=A nordlog=R parcelway=R ecom-team=I",
            ),
            (
                "del-tracking",
                "Feed tracking events to the web store and customer service",
                "interface",
                "operations-dept=A parcelway=R pixelforge=C nordlog=I ecom-team=I",
            ),
            (
                "del-vendor",
                "Manage the carrier contract and delivery performance",
                "supplier-management",
                "operations-dept=AR finance-dept=C nordlog=C",
            ),
        ],
        "customer-service": [
            (
                "cs-contacts",
                "Answer phone, e-mail and chat contacts",
                "run",
                "ecom-team=A nordlog=R marketing-dept=I",
            ),
            (
                "cs-order-status",
                "Look up order, payment and delivery status for customers",
                "interface",
                "ecom-team=A nordlog=R operations-dept=C",
            ),
            (
                "cs-complaints",
                "Handle complaints and goodwill gestures",
                "control",
                "ecom-team=A nordlog=R operations-dept=C legal-dept=C finance-dept=I",
            ),
            (
                "cs-scripts",
                "Update FAQ and agent scripts for campaigns",
                "change",
                "ecom-team=A nordlog=R marketing-dept=C pixelforge=I",
            ),
            (
                "cs-vendor",
                "Manage contact-centre service levels and quality",
                "supplier-management",
                "ecom-team=AR operations-dept=C finance-dept=I",
            ),
        ],
        "online-marketing": [
            (
                "om-search",
                "Run paid search and shopping campaigns",
                "run",
                "marketing-dept=A pixelforge=R ecom-team=C finance-dept=I",
            ),
            (
                "om-seo",
                "Run SEO (technical and on-page)",
                "run",
                "marketing-dept=A pixelforge=R ecom-team=C it-team=I",
            ),
            (
                "om-email",
                "Run e-mail and newsletter campaigns",
                "run",
                "marketing-dept=A pixelforge=R legal-dept=C ecom-team=I nordlog=I",
            ),
            (
                "om-feeds",
                "Maintain product feeds for shopping ads and marketplaces",
                "interface",
                "marketing-dept=A pixelforge=R purchasing-dept=C ecom-team=I",
            ),
            (
                "om-vendor",
                "Manage the agency's marketing results and media budget",
                "supplier-management",
                "marketing-dept=AR ecom-team=C finance-dept=C purchasing-dept=I",
            ),
        ],
        "content": [
            (
                "con-product",
                "Write and enrich product information",
                "run",
                "marketing-dept=AR purchasing-dept=C ecom-team=I",
            ),
            (
                "con-campaign",
                "Build landing pages and campaign banners",
                "change",
                "marketing-dept=AR ecom-team=C pixelforge=C it-team=I",
            ),
            (
                "con-publish",
                "Publish product content to the web store",
                "interface",
                "marketing-dept=AR pixelforge=C ecom-team=I",
            ),
        ],
        "analytics": [
            (
                "ana-dashboard",
                "Produce the weekly e-commerce dashboard",
                "run",
                "ecom-team=AR finance-dept=C marketing-dept=I purchasing-dept=I",
            ),
            (
                "ana-attribution",
                "Measure campaign attribution and return on ad spend",
                "run",
                "ecom-team=A pixelforge=R marketing-dept=C finance-dept=C",
            ),
            (
                "ana-tracking",
                "Maintain the tracking plan and data layer",
                "change",
                "ecom-team=A pixelforge=R it-team=C legal-dept=C purchasing-dept=I "
                "marketing-dept=I",
            ),
            (
                "ana-order-data",
                "Reconcile web analytics with order data",
                "interface",
                "ecom-team=AR operations-dept=C finance-dept=I",
            ),
        ],
        "finance": [
            (
                "fin-reconcile",
                "Reconcile payment settlements with orders",
                "run",
                "finance-dept=AR paynord=C operations-dept=C",
            ),
            (
                "fin-vat",
                "File VAT and one-stop-shop returns for online sales",
                "run",
                "finance-dept=AR legal-dept=C",
            ),
            (
                "fin-pl",
                "Produce the monthly online P&L",
                "interface",
                "finance-dept=AR ecom-team=C marketing-dept=I",
            ),
        ],
        "legal": [
            (
                "leg-texts",
                "Maintain terms, privacy notice and cookie consent texts",
                "interface",
                "legal-dept=AR ecom-team=C pixelforge=I marketing-dept=I",
            ),
            (
                "leg-contracts",
                "Review provider contracts and DPAs before signing or renewal",
                "run",
                "legal-dept=AR purchasing-dept=C ecom-team=C finance-dept=C",
            ),
            (
                "leg-attestations",
                "Keep PCI attestations and consent records on file",
                "run",
                "legal-dept=AR finance-dept=C it-team=C",
            ),
        ],
    }
    activities, raci = activities_and_raci(rows)
    assignments = [
        Assignment(
            function="shop-management",
            party="ecom-team",
            mode="in-house",
            note="Part-time: the e-commerce manager also buys for two store categories.",
        ),
        Assignment(
            function="web-store-it",
            party="pixelforge",
            mode="outsourced",
            contract="pixelforge-msa",
        ),
        Assignment(function="payments", party="paynord", mode="outsourced", contract="paynord-psp"),
        Assignment(function="order-management", party="operations-dept", mode="in-house"),
        Assignment(function="purchasing", party="purchasing-dept", mode="in-house"),
        Assignment(
            function="fulfilment", party="nordlog", mode="outsourced", contract="nordlog-services"
        ),
        Assignment(
            function="delivery", party="parcelway", mode="outsourced", contract="parcelway-parcels"
        ),
        Assignment(
            function="customer-service",
            party="nordlog",
            mode="outsourced",
            contract="nordlog-services",
        ),
        Assignment(
            function="online-marketing",
            party="pixelforge",
            mode="outsourced",
            contract="pixelforge-msa",
            note="Management wants to bring search and e-mail in-house within two years.",
        ),
        Assignment(function="content", party="marketing-dept", mode="in-house"),
        Assignment(
            function="analytics",
            party="ecom-team",
            mode="co-sourced",
            note="The e-commerce team builds the weekly dashboard; tracking and "
            "attribution are done by the agency.",
        ),
        Assignment(
            function="analytics", party="pixelforge", mode="co-sourced", contract="pixelforge-msa"
        ),
        Assignment(function="finance", party="finance-dept", mode="in-house"),
        Assignment(function="legal", party="legal-dept", mode="in-house"),
    ]
    interfaces = {
        ("shop-management", "analytics"): "ana-dashboard",
        ("shop-management", "finance"): "fin-pl",
        ("web-store-it", "content"): "con-publish",
        ("web-store-it", "legal"): "leg-texts",
        ("payments", "web-store-it"): "wit-checkout",
        ("payments", "order-management"): "pay-status",
        ("order-management", "web-store-it"): "wit-order-feed",
        ("order-management", "payments"): "pay-status",
        ("order-management", "fulfilment"): "ord-release",
        ("purchasing", "analytics"): "ana-dashboard",
        ("purchasing", "fulfilment"): "ful-stock-feed",
        ("fulfilment", "order-management"): "ord-release",
        ("fulfilment", "purchasing"): "pur-replenish",
        ("delivery", "fulfilment"): "del-handover",
        ("customer-service", "order-management"): "cs-order-status",
        ("customer-service", "payments"): "cs-order-status",
        ("customer-service", "delivery"): "del-tracking",
        ("customer-service", "web-store-it"): "cs-order-status",
        ("online-marketing", "web-store-it"): "wit-tags",
        ("online-marketing", "purchasing"): "om-feeds",
        ("online-marketing", "content"): "om-feeds",
        ("online-marketing", "analytics"): "ana-attribution",
        ("content", "purchasing"): "con-product",
        ("content", "web-store-it"): "con-publish",
        ("analytics", "web-store-it"): "wit-tags",
        ("analytics", "order-management"): "ana-order-data",
        ("analytics", "online-marketing"): "ana-attribution",
        ("finance", "payments"): "fin-reconcile",
        ("finance", "order-management"): "fin-reconcile",
    }
    notes = {
        ("online-marketing", "web-store-it"): (
            "Pixels, conversion tags and the consent banner live in the agency's tag manager "
            "container; taking marketing elsewhere means re-implementing the tags."
        ),
        ("payments", "web-store-it"): "The checkout plug-in was customised by the agency.",
    }
    contracts = [
        Contract(
            id="pixelforge-msa",
            name="Pixelforge master services agreement (web store and online marketing)",
            party="pixelforge",
            covers=["web-store-it", "online-marketing", "analytics"],
            start=date(2025, 1, 1),
            end=date(2027, 12, 31),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=6,
            termination_for_convenience="whole",
            partial_termination="none",
            insourcing_rights=[],
            bundled_price=True,
            price_card_per_function=False,
            minimum_commitment=MinimumCommitment(
                amount=240000, currency="EUR", shrinks_with_scope=False
            ),
            exclusivity=["online-marketing"],
            cooperation_duty=False,
            exit_plan=ExitPlan(exists=False),
            transition_assistance=TransitionAssistance(months=3, same_service_levels=False),
            data_return=DataReturn(),
            # The shop runs on the agency's own multi-tenant platform, sold as a service:
            # a data processing service under the EU Data Act, whose switching terms the
            # 2025 contract never caught up with.
            data_processing_service="standard",
            switching=SwitchingTerms(functions=["web-store-it"], charges="above-cost"),
            marketing_assets={
                "ad-accounts": "provider",
                "analytics": "provider",
                "tag-manager": "provider",
                "email-list": "company",
                "domain": "company",
            },
            custom_work=True,
            ip_assignment=False,
            knowledge_transfer=False,
            benchmarking=False,
            change_control=True,
            service_levels=True,
            # The agency's one-page template DPA: no list of the tools and subcontractors
            # that see the shop's customer data, no notice of changes, nothing on the end.
            data_processing_agreement=True,
            note="One monthly retainer for hosting, development hours, campaign "
            "management and the tracking and attribution reports; media spend is "
            "invoiced on top. The agency is the exclusive online marketing supplier for "
            "the term. The web store runs on Pixelforge's own multi-tenant shop platform "
            "(software as a service, with the agency's checkout plug-in); moving it to "
            "another platform costs an exit fee of three monthly retainers.",
        ),
        Contract(
            id="paynord-psp",
            name="Paynord payment services",
            party="paynord",
            covers=["payments"],
            start=date(2025, 4, 1),
            end=date(2028, 3, 31),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=3,
            termination_for_convenience="whole",
            partial_termination="none",
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 3, 10),
                owner="finance-dept",
                triggers="Provider insolvency or loss of licence; "
                "authorisation rate below 95% for a month",
                alternative="provider",
                alternative_name="Nordic Acquiring",
                duration_months=6,
                substitutability="difficult",
                reintegration="highly-complex",
            ),
            transition_assistance=TransitionAssistance(months=3, same_service_levels=True),
            data_return=DataReturn(
                format="PCI-compliant card token export to the successor "
                "provider; transaction history as CSV",
                days=30,
            ),
            benchmarking=False,
            change_control=True,
            service_levels=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
            payment=PaymentTerms(
                pci_dss_acknowledgement=True,
                pci_responsibility_matrix=False,
                hosted_payment_page=True,
                # Paynord's card form in an iframe on the agency-built checkout page, where
                # the agency's tag container also loads; nobody has asked Paynord to confirm
                # its form resists scripts, and the attestation on file is last year's.
                checkout_integration="iframe",
                attestation_date=date(2025, 6, 30),
            ),
            note="The provider's attestation of compliance is on file, but no matrix says "
            "which PCI DSS requirements the provider, the agency and the company each "
            "cover.",
        ),
        Contract(
            id="nordlog-services",
            name="Nordlog fulfilment and contact-centre services",
            party="nordlog",
            covers=["fulfilment", "customer-service"],
            start=date(2025, 4, 1),
            end=date(2028, 3, 31),
            auto_renew=False,
            notice_period_months=6,
            termination_for_convenience="per-function",
            partial_termination="per-function",
            insourcing_rights=["customer-service"],
            bundled_price=False,
            price_card_per_function=True,
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 5, 12),
                owner="operations-dept",
                triggers="Provider insolvency; order cut-off missed on more than 2% of days",
                alternative="provider",
                alternative_name="Baltic Fulfilment Partners",
                duration_months=9,
                substitutability="difficult",
                reintegration="difficult",
            ),
            transition_assistance=TransitionAssistance(months=6, same_service_levels=True),
            data_return=DataReturn(
                format="CSV export of stock, orders and ticket history", days=30
            ),
            benchmarking=True,
            change_control=True,
            service_levels=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
            note="Per-order and per-contact price card; the contact-centre module can be "
            "ended on its own.",
        ),
        Contract(
            id="parcelway-parcels",
            name="Parcelway parcel services",
            party="parcelway",
            covers=["delivery"],
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=3,
            termination_for_convenience="whole",
            partial_termination="none",
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 2, 16),
                owner="operations-dept",
                triggers="On-time delivery below 95% for two months; price increase above 10%",
                alternative="provider",
                alternative_name="Parcel One",
                duration_months=2,
                substitutability="easy",
                reintegration="difficult",
            ),
            transition_assistance=TransitionAssistance(months=1, same_service_levels=True),
            data_return=DataReturn(format="CSV export of shipments and tracking events", days=30),
            service_levels=True,
            change_control=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
        ),
    ]
    forums = [
        Forum(
            id="ecom-steering",
            name="E-commerce steering group",
            cadence_days=42,
            members=[
                "ecom-team",
                "marketing-dept",
                "it-team",
                "finance-dept",
                "purchasing-dept",
                "operations-dept",
                "legal-dept",
                "pixelforge",
            ],
        ),
        Forum(
            id="agency-weekly",
            name="Weekly agency call",
            cadence_days=7,
            members=["ecom-team", "marketing-dept", "pixelforge"],
        ),
        Forum(
            id="ops-review",
            name="Operations review with Nordlog and Parcelway",
            cadence_days=14,
            members=["operations-dept", "ecom-team", "purchasing-dept", "nordlog", "parcelway"],
        ),
        Forum(
            id="payments-review",
            name="Quarterly payments review",
            cadence_days=91,
            members=["finance-dept", "it-team", "paynord"],
        ),
    ]
    return Model(
        name="Hallberg Living: outsourced web store",
        comment=(
            "A home-goods retailer with 38 stores whose web shop is run by a part-time "
            "e-commerce manager, while one agency runs both the platform and online "
            "marketing, with its tracking and attribution, under a single bundled contract. "
            "The contract offers no way to take "
            "online marketing back on its own, the agency owns the ad and analytics "
            "accounts and runs the tag container on the payment page. A deliberately risky "
            "set-up: run `ecomraci check` or `simulate --insource online-marketing` on it."
        ),
        organisation=OrganisationProfile(
            strategy_focus="commerce",
            structure_stage="focused",
            placement="within-marketing",
            online_share_percent=14,
            maturity={
                "strategy-process": 2,
                "structure": 2,
                "senior-buy-in": 2,
                "marketing-integration": 2,
                "online-marketing-focus": 1,
            },
        ),
        parties=parties,
        functions=functions,
        activities=activities,
        assignments=assignments,
        raci=raci,
        dependencies=dependencies(interfaces, notes),
        contracts=contracts,
        forums=forums,
        key_accountabilities={
            "online-revenue": ["ecom-team"],
            "customer-experience": ["ecom-team"],
            "omnichannel-consistency": ["marketing-dept"],
            "ecommerce-operations": ["operations-dept"],
        },
    )


# --- 2. VIP promotion -------------------------------------------------------------------


def vip_promotion() -> Model:
    parties = [
        Party(
            id="ecom-team",
            name="E-commerce department",
            kind="internal",
            category="ecommerce",
            contact="Head of e-commerce",
        ),
        Party(
            id="it-team",
            name="IT",
            kind="internal",
            category="it",
            adds_storefront_scripts=True,
            reaches_payment_page=False,
            note="Runs the self-hosted commerce platform and the tag manager; the payment "
            "page is hosted by the payment provider and carries no tags.",
        ),
        Party(
            id="marketing-dept",
            name="Marketing",
            kind="internal",
            category="marketing",
            note="Brand, CRM, social media and content team.",
        ),
        Party(id="purchasing-dept", name="Purchasing", kind="internal", category="purchasing"),
        Party(
            id="operations-dept",
            name="Operations (order desk and transport)",
            kind="internal",
            category="operations",
        ),
        Party(id="warehouse", name="Distribution centre", kind="internal", category="operations"),
        Party(
            id="cs-team",
            name="Customer service",
            kind="internal",
            category="customer-service",
            note="Phone line and social media care (Facebook, Instagram).",
        ),
        Party(
            id="finance-dept", name="Finance and controlling", kind="internal", category="finance"
        ),
        Party(id="legal-dept", name="Legal", kind="internal", category="legal"),
        Party(
            id="store-network",
            name="Store network",
            kind="internal",
            category="sales",
            note="24 stores; they announce the promotion and take back online returns.",
        ),
        Party(
            id="mercurio",
            name="Mercurio Pay",
            kind="external",
            category="payment-provider",
            data_location="eea",
            delivery_model="saas",
        ),
        Party(
            id="vektor",
            name="Vektor Parcel",
            kind="external",
            category="carrier",
            data_location="eea",
            delivery_model="shared",
        ),
    ]
    functions = sample_functions({"order-management": 9, "customer-service": 6})
    rows = {
        "shop-management": [
            (
                "vip-plan",
                "Plan the 24-hour VIP promotion: offer, eligible customers, targets",
                "change",
                "ecom-team=AR marketing-dept=C purchasing-dept=C finance-dept=C it-team=I "
                "operations-dept=I cs-team=I store-network=I",
            ),
            (
                "vip-go-live",
                "Give the go/no-go for the VIP promotion",
                "control",
                "ecom-team=A it-team=R operations-dept=C cs-team=C purchasing-dept=C "
                "marketing-dept=I",
            ),
            (
                "sm-trading",
                "Run the trading calendar and the online P&L",
                "run",
                "ecom-team=AR finance-dept=C marketing-dept=C store-network=I",
            ),
            (
                "vip-debrief",
                "Hold the promotion debrief and agree improvements",
                "change",
                "ecom-team=AR finance-dept=C marketing-dept=C it-team=C operations-dept=I "
                "cs-team=I purchasing-dept=I store-network=I",
            ),
        ],
        "web-store-it": [
            (
                "vip-setup",
                "Set up the VIP promotion on the platform (customer segment, price rules, "
                "landing page)",
                "change",
                "it-team=AR ecom-team=C marketing-dept=C operations-dept=C cs-team=I "
                "finance-dept=I mercurio=I",
            ),
            (
                "vip-loadtest",
                "Load-test the shop and checkout for the expected peak",
                "integration",
                "it-team=AR mercurio=C ecom-team=C operations-dept=I",
            ),
            (
                "vip-monitor",
                "Monitor the platform during the 24 hours",
                "run",
                "it-team=AR mercurio=C ecom-team=I cs-team=I operations-dept=I",
            ),
            (
                "wit-releases",
                "Plan and deploy platform releases (code freeze around the promotion)",
                "change",
                "it-team=AR ecom-team=C marketing-dept=C operations-dept=C cs-team=I "
                "finance-dept=I mercurio=I",
            ),
            (
                "wit-checkout",
                "Maintain checkout and payment integration",
                "integration",
                "it-team=AR mercurio=C finance-dept=C ecom-team=I",
            ),
            (
                "wit-tags",
                "Run the tag manager and consent banner",
                "interface",
                "it-team=AR marketing-dept=C legal-dept=C ecom-team=I",
            ),
        ],
        "payments": [
            (
                "pay-processing",
                "Authorise and capture payments at peak volume",
                "run",
                "finance-dept=A mercurio=R ecom-team=I",
            ),
            (
                "pay-config",
                "Configure payment methods and fraud rules for the promotion",
                "control",
                "finance-dept=A it-team=R mercurio=C ecom-team=C",
            ),
            (
                "pay-chargebacks",
                "Handle payouts, disputes and chargebacks",
                "control",
                "finance-dept=A mercurio=R cs-team=C operations-dept=I",
            ),
            (
                "pay-vendor",
                "Manage the payment provider, its PCI attestation and responsibility matrix",
                "supplier-management",
                "finance-dept=AR legal-dept=C it-team=C ecom-team=I",
            ),
        ],
        "order-management": [
            (
                "vip-orders",
                "Handle the VIP order volume: capture, routing and backlog",
                "run",
                "operations-dept=AR it-team=C ecom-team=I cs-team=I",
            ),
            (
                "ord-refunds",
                "Approve refunds and cancellations",
                "control",
                "operations-dept=A cs-team=R finance-dept=C ecom-team=I",
            ),
            (
                "ord-returns",
                "Process returns by post and in the stores",
                "run",
                "operations-dept=AR store-network=R cs-team=C finance-dept=I",
            ),
            (
                "ord-status",
                "Pass orders and payment status between shop, payment provider and warehouse",
                "integration",
                "it-team=AR operations-dept=C mercurio=C warehouse=C cs-team=I",
            ),
        ],
        "purchasing": [
            (
                "vip-forecast",
                "Forecast demand for the VIP offer and secure stock",
                "run",
                "purchasing-dept=AR ecom-team=C marketing-dept=C warehouse=I",
            ),
            (
                "vip-pricing",
                "Approve VIP prices and margins",
                "control",
                "purchasing-dept=A ecom-team=R finance-dept=C marketing-dept=I",
            ),
            (
                "pur-replenish",
                "Replenish stock during and after the promotion",
                "interface",
                "purchasing-dept=AR warehouse=C operations-dept=I",
            ),
            (
                "pur-assortment",
                "Choose the products in the VIP offer",
                "change",
                "purchasing-dept=AR marketing-dept=C ecom-team=C warehouse=C store-network=I",
            ),
        ],
        "fulfilment": [
            (
                "vip-stock-reserve",
                "Reserve and position VIP stock in the distribution centre",
                "run",
                "warehouse=AR purchasing-dept=C ecom-team=I",
            ),
            (
                "vip-shifts",
                "Plan extra pick and pack shifts for the promotion day",
                "change",
                "warehouse=AR operations-dept=C purchasing-dept=C vektor=C ecom-team=I",
            ),
            ("ful-pick", "Pick, pack and dispatch orders", "run", "warehouse=AR operations-dept=I"),
            (
                "ful-stock-feed",
                "Publish available stock to the web store",
                "interface",
                "warehouse=AR it-team=C purchasing-dept=C ecom-team=I",
            ),
        ],
        "delivery": [
            (
                "del-ship",
                "Collect, ship and track parcels",
                "run",
                "operations-dept=A vektor=R cs-team=I",
            ),
            (
                "vip-pickups",
                "Hand over parcels and book extra pick-ups for the promotion",
                "interface",
                "operations-dept=A warehouse=R vektor=R ecom-team=I",
            ),
            (
                "del-tracking",
                "Feed tracking events to the shop and customer service",
                "interface",
                "operations-dept=A vektor=R it-team=C cs-team=I",
            ),
            (
                "del-vendor",
                "Manage the carrier contract, service levels and delivery costs",
                "supplier-management",
                "operations-dept=AR finance-dept=C warehouse=I",
            ),
        ],
        "customer-service": [
            ("vip-cs-phone", "Answer VIP customers by phone", "run", "cs-team=AR ecom-team=I"),
            (
                "vip-cs-facebook",
                "Answer questions and complaints on Facebook during the promotion",
                "run",
                "cs-team=AR marketing-dept=C ecom-team=I",
            ),
            (
                "vip-cs-briefing",
                "Brief agents: VIP FAQ, scripts and escalation paths",
                "change",
                "cs-team=AR ecom-team=C marketing-dept=C operations-dept=C store-network=I",
            ),
            (
                "cs-order-status",
                "Look up order, payment and delivery status for customers",
                "interface",
                "cs-team=AR operations-dept=C",
            ),
        ],
        "online-marketing": [
            (
                "vip-invite",
                "Send personal e-mail and SMS invitations to VIP customers",
                "run",
                "marketing-dept=AR legal-dept=C cs-team=I ecom-team=I",
            ),
            (
                "vip-social",
                "Announce the promotion on social media and in the stores",
                "run",
                "marketing-dept=AR store-network=C cs-team=C ecom-team=I",
            ),
            (
                "vip-segment",
                "Select the VIP segment from the loyalty database",
                "change",
                "marketing-dept=AR ecom-team=C legal-dept=C finance-dept=I",
            ),
            (
                "om-tracking",
                "Tag campaign links and set up conversion tracking",
                "interface",
                "marketing-dept=A it-team=R ecom-team=C",
            ),
            (
                "om-search",
                "Run paid search and shopping ads from the product feed",
                "run",
                "marketing-dept=AR ecom-team=C purchasing-dept=I",
            ),
        ],
        "content": [
            (
                "vip-landing",
                "Write the VIP landing page, banners and product texts",
                "change",
                "marketing-dept=AR ecom-team=C purchasing-dept=C it-team=I",
            ),
            (
                "con-pim",
                "Maintain product information",
                "run",
                "marketing-dept=AR purchasing-dept=C ecom-team=I",
            ),
            (
                "con-publish",
                "Publish content to the storefront",
                "interface",
                "marketing-dept=AR it-team=C ecom-team=I",
            ),
        ],
        "analytics": [
            (
                "vip-dashboard",
                "Watch the live sales and conversion dashboard during the 24 hours",
                "run",
                "ecom-team=AR it-team=C marketing-dept=I operations-dept=I purchasing-dept=I "
                "finance-dept=I",
            ),
            (
                "ana-attribution",
                "Measure media performance per channel",
                "run",
                "ecom-team=AR marketing-dept=C finance-dept=C",
            ),
            (
                "ana-tracking",
                "Maintain the tracking plan and data layer",
                "change",
                "ecom-team=A it-team=R marketing-dept=C legal-dept=C purchasing-dept=I",
            ),
        ],
        "finance": [
            (
                "vip-profitability",
                "Measure the promotion's profitability: operational, media and delivery costs, "
                "net margin",
                "run",
                "finance-dept=AR ecom-team=C marketing-dept=C operations-dept=C "
                "purchasing-dept=I warehouse=I",
            ),
            (
                "fin-reconcile",
                "Reconcile payment settlements with orders",
                "run",
                "finance-dept=AR mercurio=C operations-dept=I",
            ),
            (
                "fin-pl",
                "Produce the monthly online P&L",
                "interface",
                "finance-dept=AR ecom-team=C marketing-dept=I",
            ),
        ],
        "legal": [
            (
                "vip-terms",
                "Write the VIP promotion terms and eligibility rules",
                "change",
                "legal-dept=AR marketing-dept=C ecom-team=C it-team=I cs-team=I",
            ),
            (
                "leg-consent",
                "Check marketing consent for the VIP mailing",
                "run",
                "legal-dept=AR marketing-dept=C",
            ),
            (
                "leg-dpa",
                "Keep provider DPAs and PCI documents current",
                "run",
                "legal-dept=AR finance-dept=C it-team=C",
            ),
        ],
    }
    activities, raci = activities_and_raci(rows)
    assignments = [
        Assignment(function="shop-management", party="ecom-team", mode="in-house"),
        Assignment(function="web-store-it", party="it-team", mode="in-house"),
        Assignment(
            function="payments", party="mercurio", mode="outsourced", contract="mercurio-psp"
        ),
        Assignment(function="order-management", party="operations-dept", mode="in-house"),
        Assignment(function="purchasing", party="purchasing-dept", mode="in-house"),
        Assignment(function="fulfilment", party="warehouse", mode="in-house"),
        Assignment(
            function="delivery", party="vektor", mode="outsourced", contract="vektor-parcels"
        ),
        Assignment(function="customer-service", party="cs-team", mode="in-house"),
        Assignment(function="online-marketing", party="marketing-dept", mode="in-house"),
        Assignment(function="content", party="marketing-dept", mode="in-house"),
        Assignment(function="analytics", party="ecom-team", mode="in-house"),
        Assignment(function="finance", party="finance-dept", mode="in-house"),
        Assignment(function="legal", party="legal-dept", mode="in-house"),
    ]
    interfaces = {
        ("shop-management", "analytics"): "vip-dashboard",
        ("shop-management", "finance"): "fin-pl",
        ("web-store-it", "content"): "con-publish",
        ("web-store-it", "legal"): "vip-terms",
        ("payments", "web-store-it"): "wit-checkout",
        ("payments", "order-management"): "ord-status",
        ("order-management", "web-store-it"): "ord-status",
        ("order-management", "payments"): "ord-status",
        ("order-management", "fulfilment"): "ord-status",
        ("purchasing", "analytics"): "vip-dashboard",
        ("purchasing", "fulfilment"): "ful-stock-feed",
        ("fulfilment", "order-management"): "ord-status",
        ("fulfilment", "purchasing"): "pur-replenish",
        ("delivery", "fulfilment"): "vip-pickups",
        ("customer-service", "order-management"): "cs-order-status",
        ("customer-service", "payments"): "cs-order-status",
        ("customer-service", "delivery"): "del-tracking",
        ("customer-service", "web-store-it"): "cs-order-status",
        ("online-marketing", "web-store-it"): "om-tracking",
        ("online-marketing", "purchasing"): "om-search",
        ("online-marketing", "content"): "con-pim",
        ("online-marketing", "analytics"): "ana-attribution",
        ("content", "purchasing"): "con-pim",
        ("content", "web-store-it"): "con-publish",
        ("analytics", "web-store-it"): "wit-tags",
        ("analytics", "order-management"): "vip-dashboard",
        ("analytics", "online-marketing"): "om-tracking",
        ("finance", "payments"): "fin-reconcile",
        ("finance", "order-management"): "fin-reconcile",
    }
    contracts = [
        Contract(
            id="mercurio-psp",
            name="Mercurio Pay payment services",
            party="mercurio",
            covers=["payments"],
            start=date(2025, 6, 1),
            end=date(2028, 5, 31),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=3,
            termination_for_convenience="per-function",
            partial_termination="per-function",
            insourcing_rights=["payments"],
            price_card_per_function=True,
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 10, 14),
                owner="finance-dept",
                triggers="Provider insolvency or loss of licence; "
                "authorisation rate below 95% for a month",
                alternative="provider",
                alternative_name="Nordic Acquiring",
                duration_months=6,
                substitutability="difficult",
                reintegration="highly-complex",
            ),
            transition_assistance=TransitionAssistance(months=6, same_service_levels=True),
            data_return=DataReturn(
                format="PCI-compliant card token export to the successor "
                "provider; transaction history as CSV",
                days=30,
            ),
            benchmarking=True,
            change_control=True,
            service_levels=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
            payment=PaymentTerms(
                pci_dss_acknowledgement=True,
                pci_responsibility_matrix=True,
                hosted_payment_page=True,
                checkout_integration="hosted-fields",
                script_protection="provider-confirmation",
                attestation_date=date(2026, 4, 30),
            ),
            note="Peak-volume notice two weeks before each promotion; 99.95% authorisation "
            "availability.",
        ),
        Contract(
            id="vektor-parcels",
            name="Vektor Parcel delivery services",
            party="vektor",
            covers=["delivery"],
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=3,
            termination_for_convenience="per-function",
            partial_termination="per-function",
            insourcing_rights=["delivery"],
            price_card_per_function=True,
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 9, 30),
                owner="operations-dept",
                triggers="On-time delivery below 95% for two months; price increase above 10%",
                alternative="provider",
                alternative_name="Parcel One",
                duration_months=3,
                substitutability="easy",
                reintegration="difficult",
            ),
            transition_assistance=TransitionAssistance(months=2, same_service_levels=True),
            data_return=DataReturn(format="CSV export of shipments and tracking events", days=30),
            benchmarking=True,
            change_control=True,
            service_levels=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
            note="Extra pick-ups bookable 5 working days ahead at the contract rate.",
        ),
    ]
    forums = [
        Forum(
            id="commerce-weekly",
            name="Weekly commerce alignment (sales, online marketing, IT)",
            cadence_days=7,
            members=[
                "ecom-team",
                "it-team",
                "marketing-dept",
                "purchasing-dept",
                "operations-dept",
                "warehouse",
                "cs-team",
                "finance-dept",
                "legal-dept",
                "store-network",
            ],
        ),
        Forum(
            id="vip-standup",
            name="VIP promotion daily stand-up (promotion weeks)",
            cadence_days=1,
            members=[
                "ecom-team",
                "it-team",
                "marketing-dept",
                "purchasing-dept",
                "operations-dept",
                "warehouse",
                "cs-team",
                "finance-dept",
                "mercurio",
                "vektor",
            ],
        ),
        Forum(
            id="payments-review",
            name="Monthly payments service review",
            cadence_days=30,
            members=["finance-dept", "it-team", "operations-dept", "cs-team", "mercurio"],
        ),
        Forum(
            id="carrier-review",
            name="Monthly carrier service review",
            cadence_days=30,
            members=["operations-dept", "warehouse", "cs-team", "finance-dept", "vektor"],
        ),
    ]
    return Model(
        name="Fjellvik Outdoor: 24-hour VIP promotion",
        comment=(
            "An outdoor retailer with 24 stores and a web shop runs a 24-hour exclusive offer "
            "for its loyalty-club members. Every department has its part, from setting the "
            "promotion up on the platform to measuring its net margin afterwards, and each "
            "activity has one internal accountable. Only payments and parcel delivery are "
            "bought in, under contracts with tested exit plans: an example of a well-run model."
        ),
        organisation=OrganisationProfile(
            strategy_focus="commerce",
            structure_stage="institutionalised",
            placement="separate-department",
            online_share_percent=18,
            maturity={
                "strategy-process": 4,
                "structure": 4,
                "senior-buy-in": 4,
                "marketing-integration": 4,
                "online-marketing-focus": 3,
            },
        ),
        parties=parties,
        functions=functions,
        activities=activities,
        assignments=assignments,
        raci=raci,
        dependencies=dependencies(interfaces),
        contracts=contracts,
        forums=forums,
        key_accountabilities={
            "online-revenue": ["ecom-team"],
            "customer-experience": ["ecom-team"],
            "omnichannel-consistency": ["marketing-dept"],
            "ecommerce-operations": ["operations-dept"],
        },
    )


# --- 3. growing department --------------------------------------------------------------


def growing_department() -> Model:
    parties = [
        Party(
            id="ecom-head",
            name="E-commerce manager",
            kind="internal",
            category="ecommerce",
            contact="Head of the e-commerce department, reports to the sales director",
        ),
        Party(
            id="web-marketing",
            name="Web marketing team",
            kind="internal",
            category="marketing",
            adds_storefront_scripts=True,
            note="Acquisition and conversion: e-mail, social media, content; learning SEM "
            "and SEO from the agency.",
        ),
        Party(
            id="ecom-it",
            name="E-commerce IT team",
            kind="internal",
            category="it",
            adds_storefront_scripts=True,
            note="Two developers maintaining the open-source shop platform.",
        ),
        Party(
            id="ecom-ops",
            name="E-commerce operations team",
            kind="internal",
            category="operations",
            note="Customer service, order handling, data analysis and after-sales.",
        ),
        Party(
            id="sales-dept", name="Sales (showrooms and dealers)", kind="internal", category="sales"
        ),
        Party(
            id="warehouse", name="Logistics and warehouse", kind="internal", category="operations"
        ),
        Party(
            id="purchasing-dept",
            name="Purchasing and production planning",
            kind="internal",
            category="purchasing",
        ),
        Party(id="finance-dept", name="Finance", kind="internal", category="finance"),
        Party(id="legal-dept", name="Legal counsel", kind="internal", category="legal"),
        Party(
            id="searchlab",
            name="Searchlab",
            kind="external",
            category="agency",
            contact="SEM/SEO account manager",
            data_location="eea",
            delivery_model="shared",
            adds_storefront_scripts=True,
            reaches_payment_page=False,
            note="Search marketing agency; places conversion tags through the company's "
            "tag manager (storefront pages only).",
        ),
        Party(
            id="freelance-devs",
            name="Freelance platform developers",
            kind="external",
            category="freelancer",
            data_location="eea",
            delivery_model="dedicated",
            note="Two contractors building new shop features in two-week sprints.",
        ),
        Party(
            id="vistula-pay",
            name="Vistula Pay",
            kind="external",
            category="payment-provider",
            data_location="eea",
            delivery_model="saas",
        ),
        Party(
            id="polarex",
            name="Polarex Courier",
            kind="external",
            category="carrier",
            data_location="eea",
            delivery_model="shared",
        ),
    ]
    functions = sample_functions({"web-store-it": 3, "order-management": 6})
    rows = {
        "shop-management": [
            (
                "sm-strategy",
                "Set the online strategy, targets and budget",
                "change",
                "ecom-head=AR sales-dept=C finance-dept=C web-marketing=C ecom-it=I ecom-ops=I",
            ),
            (
                "sm-roadmap",
                "Plan the department's growth and insourcing roadmap",
                "change",
                "ecom-head=AR web-marketing=C ecom-it=C finance-dept=C ecom-ops=I",
            ),
            (
                "sm-pl",
                "Own the online P&L and trading calendar",
                "run",
                "ecom-head=AR finance-dept=C purchasing-dept=C sales-dept=I web-marketing=I",
            ),
            (
                "sm-omnichannel",
                "Align online and showroom prices, ranges and promotions",
                "run",
                "ecom-head=A sales-dept=R purchasing-dept=C web-marketing=C",
            ),
        ],
        "web-store-it": [
            (
                "wit-operate",
                "Operate the shop platform and hosting",
                "run",
                "ecom-it=AR ecom-head=I ecom-ops=I",
            ),
            (
                "wit-develop",
                "Develop new platform features in sprints",
                "change",
                "ecom-it=AR freelance-devs=R ecom-head=C web-marketing=C ecom-ops=C "
                "finance-dept=I vistula-pay=I searchlab=I",
            ),
            (
                "wit-release",
                "Review code and release to production",
                "change",
                "ecom-it=AR freelance-devs=R ecom-head=C ecom-ops=I web-marketing=I "
                "finance-dept=I vistula-pay=I searchlab=I",
            ),
            (
                "wit-integrations",
                "Maintain the ERP, payment and courier integrations",
                "integration",
                "ecom-it=AR freelance-devs=C vistula-pay=C warehouse=C ecom-ops=I polarex=I",
            ),
            (
                "wit-tags",
                "Run the tag manager and consent banner",
                "interface",
                "ecom-it=AR web-marketing=C searchlab=C legal-dept=C",
            ),
            (
                "wit-freelancers",
                "Manage the freelance developers: backlog, acceptance, invoices",
                "supplier-management",
                "ecom-it=AR ecom-head=C finance-dept=C legal-dept=I",
            ),
        ],
        "payments": [
            (
                "pay-processing",
                "Authorise and capture payments (cards, BLIK, pay-by-link)",
                "run",
                "finance-dept=A vistula-pay=R ecom-ops=I",
            ),
            (
                "pay-config",
                "Configure payment methods and fraud rules",
                "control",
                "finance-dept=A ecom-it=R vistula-pay=C",
            ),
            (
                "pay-chargebacks",
                "Handle chargebacks and payment disputes",
                "control",
                "finance-dept=A ecom-ops=R vistula-pay=C",
            ),
            (
                "pay-vendor",
                "Manage the payment provider and its PCI documents",
                "supplier-management",
                "finance-dept=AR legal-dept=C ecom-it=C",
            ),
        ],
        "order-management": [
            (
                "ord-process",
                "Process orders: confirmation, routing and backlog",
                "run",
                "ecom-ops=AR warehouse=C ecom-head=I",
            ),
            (
                "ord-refunds",
                "Approve refunds and cancellations",
                "control",
                "finance-dept=A ecom-ops=R ecom-head=C warehouse=I",
            ),
            (
                "ord-returns",
                "Handle returns, complaints and warranty repairs",
                "run",
                "ecom-ops=AR warehouse=C finance-dept=I",
            ),
            (
                "ord-status",
                "Pass orders and status between shop, ERP, payment provider and warehouse",
                "integration",
                "ecom-it=AR ecom-ops=C warehouse=C vistula-pay=I",
            ),
        ],
        "purchasing": [
            (
                "pur-forecast",
                "Forecast online demand and plan production",
                "run",
                "purchasing-dept=AR ecom-head=C ecom-ops=C warehouse=I",
            ),
            (
                "pur-pricing",
                "Set online prices and promotions",
                "control",
                "purchasing-dept=A ecom-head=R finance-dept=C sales-dept=C web-marketing=I",
            ),
            (
                "pur-range",
                "Decide which products are sold online",
                "change",
                "purchasing-dept=AR ecom-head=C sales-dept=C warehouse=C web-marketing=I "
                "searchlab=I",
            ),
            (
                "pur-stock",
                "Replenish finished goods to the warehouse",
                "interface",
                "purchasing-dept=AR warehouse=C ecom-ops=I",
            ),
        ],
        "fulfilment": [
            (
                "ful-pick",
                "Pick, pack and dispatch parcels and bulky items",
                "run",
                "warehouse=AR ecom-ops=I",
            ),
            (
                "ful-stock-feed",
                "Publish available stock from the ERP to the shop",
                "interface",
                "warehouse=A ecom-it=R purchasing-dept=C ecom-ops=I",
            ),
            (
                "ful-capacity",
                "Plan warehouse capacity for campaigns and peaks",
                "change",
                "warehouse=AR ecom-ops=C purchasing-dept=C polarex=C web-marketing=I",
            ),
        ],
        "delivery": [
            ("del-ship", "Ship parcels and track them", "run", "warehouse=A polarex=R ecom-ops=I"),
            (
                "del-handover",
                "Hand parcels and label data to the courier",
                "interface",
                "warehouse=AR polarex=R ecom-ops=I",
            ),
            (
                "del-tracking",
                "Feed tracking events to the shop and customer service",
                "interface",
                "warehouse=A polarex=R ecom-it=C ecom-ops=I",
            ),
            (
                "del-vendor",
                "Manage the courier contract, rates and delivery performance",
                "supplier-management",
                "warehouse=AR finance-dept=C ecom-ops=C",
            ),
        ],
        "customer-service": [
            (
                "cs-contacts",
                "Answer phone, e-mail and chat contacts",
                "run",
                "ecom-ops=AR ecom-head=I",
            ),
            (
                "cs-order-status",
                "Look up order, payment and delivery status for customers",
                "interface",
                "ecom-ops=AR warehouse=C",
            ),
            (
                "cs-social",
                "Answer customers on Facebook and Instagram",
                "run",
                "ecom-ops=AR web-marketing=C",
            ),
            (
                "cs-faq",
                "Keep the FAQ and reply templates up to date",
                "change",
                "ecom-ops=AR web-marketing=C legal-dept=C ecom-head=I",
            ),
        ],
        "online-marketing": [
            (
                "om-search",
                "Run paid search and shopping campaigns",
                "run",
                "web-marketing=A searchlab=R ecom-head=C finance-dept=I",
            ),
            (
                "om-seo",
                "Run SEO: technical audits, content and links",
                "run",
                "web-marketing=A searchlab=R ecom-it=C ecom-head=I",
            ),
            (
                "om-email",
                "Run newsletters and social media campaigns",
                "run",
                "web-marketing=AR legal-dept=C ecom-ops=I",
            ),
            (
                "om-insource",
                "Take search marketing in-house step by step (training, shadowing the agency)",
                "change",
                "web-marketing=AR ecom-head=C searchlab=C finance-dept=I",
            ),
            (
                "om-agency",
                "Manage the SEM/SEO agency: briefs, budgets, monthly report",
                "supplier-management",
                "web-marketing=AR ecom-head=C finance-dept=C",
            ),
        ],
        "content": [
            (
                "con-product",
                "Write product descriptions and commission photos",
                "run",
                "web-marketing=AR purchasing-dept=C ecom-ops=I",
            ),
            (
                "con-landing",
                "Build landing pages for campaigns",
                "change",
                "web-marketing=AR ecom-it=C ecom-head=C searchlab=I freelance-devs=I",
            ),
            (
                "con-publish",
                "Publish content to the shop",
                "interface",
                "web-marketing=AR ecom-it=C",
            ),
        ],
        "analytics": [
            (
                "ana-dashboard",
                "Produce the weekly sales and funnel report",
                "run",
                "ecom-head=A ecom-ops=R web-marketing=I sales-dept=I finance-dept=I "
                "purchasing-dept=I",
            ),
            (
                "ana-campaigns",
                "Measure campaign performance and the agency's results",
                "run",
                "ecom-head=A ecom-ops=R web-marketing=C searchlab=C",
            ),
            (
                "ana-tracking",
                "Maintain the tracking plan",
                "change",
                "ecom-head=A ecom-it=R web-marketing=C searchlab=C purchasing-dept=I ecom-ops=I",
            ),
        ],
        "finance": [
            (
                "fin-reconcile",
                "Reconcile payment settlements with orders",
                "run",
                "finance-dept=AR ecom-ops=C vistula-pay=I",
            ),
            (
                "fin-pl",
                "Produce the monthly online P&L",
                "interface",
                "finance-dept=AR ecom-head=C",
            ),
            (
                "fin-vat",
                "Handle VAT and invoicing for online sales",
                "run",
                "finance-dept=AR legal-dept=C",
            ),
        ],
        "legal": [
            (
                "leg-terms",
                "Maintain shop terms, privacy notice and consent texts",
                "interface",
                "legal-dept=AR ecom-head=C ecom-it=I web-marketing=I",
            ),
            (
                "leg-contracts",
                "Review agency, freelancer and provider contracts",
                "run",
                "legal-dept=AR ecom-head=C finance-dept=C ecom-it=I",
            ),
            (
                "leg-gdpr",
                "Keep DPAs and the record of processing up to date",
                "run",
                "legal-dept=AR ecom-it=C ecom-ops=C",
            ),
        ],
    }
    activities, raci = activities_and_raci(rows)
    assignments = [
        Assignment(function="shop-management", party="ecom-head", mode="in-house"),
        Assignment(
            function="web-store-it",
            party="ecom-it",
            mode="co-sourced",
            note="The team runs the platform; feature development is shared with freelancers.",
        ),
        Assignment(
            function="web-store-it",
            party="freelance-devs",
            mode="co-sourced",
            contract="freelance-dev",
        ),
        Assignment(
            function="payments", party="vistula-pay", mode="outsourced", contract="vistula-psp"
        ),
        Assignment(function="order-management", party="ecom-ops", mode="in-house"),
        Assignment(function="purchasing", party="purchasing-dept", mode="in-house"),
        Assignment(function="fulfilment", party="warehouse", mode="in-house"),
        Assignment(
            function="delivery", party="polarex", mode="outsourced", contract="polarex-courier"
        ),
        Assignment(function="customer-service", party="ecom-ops", mode="in-house"),
        Assignment(
            function="online-marketing",
            party="web-marketing",
            mode="co-sourced",
            note="E-mail and social in-house; search with the agency until the team "
            "can take it over.",
        ),
        Assignment(
            function="online-marketing",
            party="searchlab",
            mode="co-sourced",
            contract="searchlab-sem",
        ),
        Assignment(function="content", party="web-marketing", mode="in-house"),
        Assignment(function="analytics", party="ecom-ops", mode="in-house"),
        Assignment(function="finance", party="finance-dept", mode="in-house"),
        Assignment(function="legal", party="legal-dept", mode="in-house"),
    ]
    interfaces = {
        ("shop-management", "analytics"): "ana-dashboard",
        ("shop-management", "finance"): "fin-pl",
        ("web-store-it", "content"): "con-publish",
        ("web-store-it", "legal"): "leg-terms",
        ("payments", "web-store-it"): "wit-integrations",
        ("payments", "order-management"): "ord-status",
        ("order-management", "web-store-it"): "ord-status",
        ("order-management", "payments"): "ord-status",
        ("order-management", "fulfilment"): "ord-status",
        ("purchasing", "analytics"): "ana-dashboard",
        ("purchasing", "fulfilment"): "ful-stock-feed",
        ("fulfilment", "order-management"): "ord-status",
        ("fulfilment", "purchasing"): "pur-stock",
        ("delivery", "fulfilment"): "del-handover",
        ("customer-service", "order-management"): "cs-order-status",
        ("customer-service", "payments"): "cs-order-status",
        ("customer-service", "delivery"): "del-tracking",
        ("customer-service", "web-store-it"): "cs-order-status",
        ("online-marketing", "web-store-it"): "wit-tags",
        ("online-marketing", "purchasing"): "om-search",
        ("online-marketing", "content"): "con-landing",
        ("online-marketing", "analytics"): "ana-campaigns",
        ("content", "purchasing"): "con-product",
        ("content", "web-store-it"): "con-publish",
        ("analytics", "web-store-it"): "ana-tracking",
        ("analytics", "order-management"): "ana-dashboard",
        ("analytics", "online-marketing"): "ana-campaigns",
        ("finance", "payments"): "fin-reconcile",
        ("finance", "order-management"): "fin-reconcile",
    }
    contracts = [
        Contract(
            id="searchlab-sem",
            name="Searchlab SEM and SEO services",
            party="searchlab",
            covers=["online-marketing"],
            start=date(2025, 7, 1),
            end=date(2027, 6, 30),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=3,
            termination_for_convenience="per-function",
            partial_termination="per-function",
            insourcing_rights=["online-marketing"],
            price_card_per_function=True,
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 6, 18),
                owner="web-marketing",
                triggers="The in-house search team is staffed; "
                "cost per order above target for a quarter",
                alternative="in-house",
                alternative_name="Web marketing team",
                duration_months=4,
                substitutability="easy",
                reintegration="easy",
            ),
            transition_assistance=TransitionAssistance(months=3, same_service_levels=True),
            data_return=DataReturn(
                format="Campaign structure, keyword lists and audience lists as CSV", days=30
            ),
            marketing_assets={
                "ad-accounts": "provider",
                "analytics": "company",
                "tag-manager": "company",
                "email-list": "company",
                "domain": "company",
            },
            custom_work=False,
            benchmarking=True,
            change_control=True,
            service_levels=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
            note="The Google Ads account was opened under the agency's manager account and "
            "is billed through it. The contract auto-renews for a year unless "
            "cancelled by 31 March 2027.",
        ),
        Contract(
            id="freelance-dev",
            name="Freelance development agreements",
            party="freelance-devs",
            covers=["web-store-it"],
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=1,
            termination_for_convenience="per-function",
            partial_termination="per-function",
            insourcing_rights=["web-store-it"],
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 8, 3),
                owner="ecom-it",
                triggers="A developer leaves without a replacement; "
                "repeated missed sprint commitments",
                alternative="in-house",
                alternative_name="E-commerce IT team",
                duration_months=3,
                substitutability="easy",
                reintegration="difficult",
            ),
            transition_assistance=TransitionAssistance(months=2, same_service_levels=True),
            data_return=DataReturn(
                format="Code in the company's Git repository; no local copies of production data",
                days=5,
            ),
            custom_work=True,
            ip_assignment=False,
            knowledge_transfer=True,
            change_control=True,
            service_levels=False,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
            note="Two-year time-and-materials framework agreements. Code lives in the "
            "company repository and is documented, but the contracts grant only a "
            "licence to it, not the copyright.",
        ),
        Contract(
            id="vistula-psp",
            name="Vistula Pay payment services",
            party="vistula-pay",
            covers=["payments"],
            start=date(2025, 3, 1),
            end=date(2028, 2, 29),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=3,
            termination_for_convenience="per-function",
            partial_termination="per-function",
            insourcing_rights=["payments"],
            price_card_per_function=True,
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 4, 22),
                owner="finance-dept",
                triggers="Provider insolvency or loss of licence; "
                "authorisation rate below 95% for a month",
                alternative="provider",
                alternative_name="Nordic Acquiring",
                duration_months=6,
                substitutability="difficult",
                reintegration="highly-complex",
            ),
            transition_assistance=TransitionAssistance(months=3, same_service_levels=True),
            data_return=DataReturn(
                format="PCI-compliant token export; transaction history as CSV", days=30
            ),
            benchmarking=True,
            change_control=True,
            service_levels=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
            payment=PaymentTerms(
                pci_dss_acknowledgement=True,
                pci_responsibility_matrix=True,
                hosted_payment_page=True,
                checkout_integration="redirect",
                attestation_date=date(2026, 2, 27),
            ),
        ),
        Contract(
            id="polarex-courier",
            name="Polarex courier services",
            party="polarex",
            covers=["delivery"],
            start=date(2026, 2, 1),
            end=date(2028, 1, 31),
            auto_renew=True,
            renewal_term_months=12,
            notice_period_months=3,
            termination_for_convenience="per-function",
            partial_termination="per-function",
            insourcing_rights=["delivery"],
            price_card_per_function=True,
            cooperation_duty=True,
            exit_plan=ExitPlan(
                exists=True,
                last_tested=date(2026, 5, 6),
                owner="warehouse",
                triggers="On-time delivery below 95% for two months; price increase above 10%",
                alternative="provider",
                alternative_name="Parcel One",
                duration_months=2,
                substitutability="easy",
                reintegration="difficult",
            ),
            transition_assistance=TransitionAssistance(months=1, same_service_levels=True),
            data_return=DataReturn(format="CSV export of shipments and tracking events", days=30),
            change_control=True,
            service_levels=True,
            data_processing_agreement=True,
            sub_processor_list=True,
            sub_processor_notice=True,
        ),
    ]
    forums = [
        Forum(
            id="dept-weekly",
            name="Weekly e-commerce department meeting",
            cadence_days=7,
            members=["ecom-head", "web-marketing", "ecom-it", "ecom-ops"],
        ),
        Forum(
            id="commerce-monthly",
            name="Monthly commerce alignment (sales, web marketing, IT)",
            cadence_days=28,
            members=[
                "ecom-head",
                "web-marketing",
                "ecom-it",
                "ecom-ops",
                "sales-dept",
                "purchasing-dept",
                "warehouse",
                "finance-dept",
                "legal-dept",
                "searchlab",
            ],
        ),
        Forum(
            id="sprint-review",
            name="Sprint review",
            cadence_days=14,
            members=[
                "ecom-it",
                "freelance-devs",
                "ecom-head",
                "web-marketing",
                "ecom-ops",
                "searchlab",
            ],
        ),
        Forum(
            id="provider-review",
            name="Quarterly provider review",
            cadence_days=91,
            members=[
                "ecom-head",
                "ecom-it",
                "freelance-devs",
                "ecom-ops",
                "warehouse",
                "finance-dept",
                "legal-dept",
                "vistula-pay",
                "polarex",
            ],
        ),
    ]
    return Model(
        name="Drewnex Furniture: growing e-commerce department",
        comment=(
            "A furniture maker at the formalised stage is building its own e-commerce "
            "department with web marketing, IT and operations teams. An SEM/SEO agency and "
            "two freelance developers still share the work; the roadmap is to take search "
            "in-house. Moderately well-run, with the gaps such a department typically has: "
            "the agency owns the ads account and the freelancers keep the copyright to "
            "their code."
        ),
        organisation=OrganisationProfile(
            strategy_focus="commerce",
            structure_stage="formalised",
            placement="separate-department",
            online_share_percent=22,
            maturity={
                "strategy-process": 3,
                "structure": 3,
                "senior-buy-in": 4,
                "marketing-integration": 3,
                "online-marketing-focus": 3,
            },
        ),
        parties=parties,
        functions=functions,
        activities=activities,
        assignments=assignments,
        raci=raci,
        dependencies=dependencies(interfaces),
        contracts=contracts,
        forums=forums,
        key_accountabilities={
            "online-revenue": ["ecom-head"],
            "customer-experience": ["ecom-ops"],
            "omnichannel-consistency": ["ecom-head"],
            "ecommerce-operations": ["ecom-ops"],
        },
    )


# --- writing ----------------------------------------------------------------------------

BUILDERS = {
    "outsourced-estore.ecomraci.json": outsourced_estore,
    "vip-promotion.ecomraci.json": vip_promotion,
    "growing-department.ecomraci.json": growing_department,
}


def build_all() -> dict[str, Model]:
    """File name -> model, for every sample."""
    return {name: build() for name, build in BUILDERS.items()}


def write_all(out_dir: str | Path = HERE) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in build_all().items():
        path = out_dir / name
        save(model, path, keep_backup=False)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the sample models (by default into the samples folder itself)."
    )
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=HERE,
        metavar="OUT_DIR",
        help="folder to write the sample files into",
    )
    args = parser.parse_args(argv)
    for path in write_all(args.out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
