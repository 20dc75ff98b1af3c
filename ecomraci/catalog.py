"""The default e-commerce function catalog, and `new_model` which starts a model from it.

Each catalog function has its typical activities (with kinds, so rules can reason about
them), default dependencies, criticality, reversibility, re-sourcing lead time, the data
it holds, the internal team that usually owns it and the kinds of outside party that
typically deliver it. The strategy focus adds functions: content businesses produce and
license content; community businesses sell advertising and moderate.

A new model is deliberately in-house and clean: every activity has an internal A and an
R, the owners of dependent functions are informed of changes they depend on, and a
monthly alignment forum joins e-commerce, marketing and IT, so the first check a user runs
speaks only about what they change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecomraci.model import (
    Activity,
    ActivityKind,
    Assignment,
    Criticality,
    DataKind,
    Dependency,
    Forum,
    Function,
    KeyAccountability,
    Model,
    OrganisationProfile,
    Party,
    PartyCategory,
    PartyKind,
    SourcingMode,
    StrategyFocus,
    normalize_letters,
)


@dataclass(frozen=True)
class CatalogActivity:
    key: str
    name: str
    kind: str
    responsible: str | None = None  # team doing the work when not the owner
    accountable: str | None = None  # team accountable when not the owner


@dataclass(frozen=True)
class CatalogFunction:
    id: str
    name: str
    description: str
    criticality: str
    reversible: bool
    lead_time_months: int
    data: tuple[str, ...]
    owner: str
    needs: tuple[str, ...]
    providers: tuple[str, ...]
    activities: tuple[CatalogActivity, ...] = field(default_factory=tuple)


A = CatalogActivity

TEAMS: dict[str, tuple[str, str]] = {
    # id: (name, category)
    "ecommerce-team": ("E-commerce team", "ecommerce"),
    "marketing": ("Marketing", "marketing"),
    "it": ("IT", "it"),
    "operations": ("Operations", "operations"),
    "logistics-team": ("Logistics", "operations"),
    "customer-service-team": ("Customer service", "customer-service"),
    "purchasing-team": ("Purchasing", "purchasing"),
    "finance-team": ("Finance", "finance"),
    "legal-team": ("Legal", "legal"),
}

FUNCTIONS: tuple[CatalogFunction, ...] = (
    CatalogFunction(
        "shop-management",
        "E-commerce shop management",
        "Strategy, online P&L, trading calendar and management of e-commerce suppliers.",
        "critical",
        True,
        6,
        (),
        "ecommerce-team",
        ("analytics", "finance"),
        ("agency", "freelancer"),
        (
            A("strategy", "E-commerce strategy and online P&L", "run"),
            A("trading-calendar", "Trading calendar and promotions plan", "change"),
            A("suppliers", "Manage e-commerce suppliers and contracts", "supplier-management"),
            A("kpi-review", "Monthly KPI and budget review", "control", "finance-team"),
        ),
    ),
    CatalogFunction(
        "web-store-it",
        "Web store IT",
        "Platform, hosting, releases, checkout, integrations and tag infrastructure.",
        "critical",
        False,
        9,
        ("customer", "order", "catalogue"),
        "it",
        ("content", "legal"),
        ("platform-vendor", "system-integrator", "agency"),
        (
            A("hosting", "Run platform and hosting", "run"),
            A("releases", "Plan and deploy releases", "change"),
            A("checkout", "Change checkout and payment integration", "change"),
            A("integrations", "Maintain integrations (ERP, OMS, PSP, feeds)", "integration"),
            A("tags", "Manage tag infrastructure", "interface"),
        ),
    ),
    CatalogFunction(
        "payments",
        "Payment processing",
        "Payment provider, methods, fraud screening, chargebacks and settlement.",
        "critical",
        False,
        6,
        ("card", "order"),
        "finance-team",
        ("web-store-it", "order-management"),
        ("payment-provider",),
        (
            A("provider", "Manage the payment provider", "supplier-management"),
            A("methods", "Configure payment methods", "control", "it"),
            A("fraud", "Screen orders for fraud", "run", "operations"),
            A("chargebacks", "Handle chargebacks", "run"),
            A("settlement", "Reconcile settlements", "control", "finance-team", "ecommerce-team"),
        ),
    ),
    CatalogFunction(
        "order-management",
        "Orders and returns",
        "Order capture and routing, cancellations, refunds and returns.",
        "critical",
        False,
        6,
        ("customer", "order"),
        "operations",
        ("web-store-it", "payments", "fulfilment"),
        ("3pl", "platform-vendor"),
        (
            A("capture", "Capture and route orders", "run"),
            A("cancellations", "Handle cancellations", "run", "customer-service-team"),
            A("refunds", "Approve refunds", "control", "customer-service-team"),
            A("returns", "Process returns", "run"),
        ),
    ),
    CatalogFunction(
        "purchasing",
        "Purchasing, inventory and pricing",
        "Buying, stock planning, prices and promotions.",
        "important",
        False,
        6,
        ("catalogue",),
        "purchasing-team",
        ("analytics", "fulfilment"),
        (),
        (
            A("forecast", "Forecast demand", "run"),
            A("replenish", "Replenish stock", "run"),
            A("prices", "Change prices", "control", "purchasing-team", "finance-team"),
            A("promotions", "Plan promotions", "change"),
        ),
    ),
    CatalogFunction(
        "fulfilment",
        "Fulfilment",
        "Warehousing, pick and pack, stock; supplies the stock feed.",
        "critical",
        False,
        9,
        ("order", "customer"),
        "operations",
        ("order-management", "purchasing"),
        ("3pl",),
        (
            A("warehouse", "Run the warehouse", "run"),
            A("pick-pack", "Pick and pack orders", "run"),
            A("stock-feed", "Supply the stock feed to the shop", "interface"),
            A("provider", "Manage the fulfilment provider", "supplier-management"),
        ),
    ),
    CatalogFunction(
        "delivery",
        "Delivery",
        "Shipping and returns logistics, tracking.",
        "important",
        False,
        3,
        ("customer", "order"),
        "logistics-team",
        ("fulfilment",),
        ("carrier", "3pl"),
        (
            A("carriers", "Select and manage carriers", "supplier-management"),
            A("shipping", "Ship parcels", "run"),
            A("returns-logistics", "Collect returns", "run"),
            A("tracking", "Publish tracking information", "interface"),
        ),
    ),
    CatalogFunction(
        "customer-service",
        "Customer service",
        "Phone, mail, chat and social; order status; complaints.",
        "important",
        False,
        4,
        ("customer", "order"),
        "customer-service-team",
        ("order-management", "payments", "delivery", "web-store-it"),
        ("contact-centre",),
        (
            A("contacts", "Answer phone and e-mail", "run"),
            A("social", "Answer chat and social media", "run"),
            A("order-status", "Answer order status questions", "run"),
            A("complaints", "Handle complaints", "run"),
            A("knowledge", "Keep the knowledge base current", "change"),
        ),
    ),
    CatalogFunction(
        "online-marketing",
        "Online marketing",
        "Search (SEO/SEM), e-mail, social, affiliates and product feeds.",
        "important",
        True,
        4,
        ("customer",),
        "marketing",
        ("web-store-it", "purchasing", "content", "analytics"),
        ("agency", "freelancer"),
        (
            A("campaigns", "Plan online campaigns", "change"),
            A("search", "Run search marketing (SEO, SEA)", "run"),
            A("email", "Send e-mail marketing", "run"),
            A("social", "Run social media and affiliates", "run"),
            A("feeds", "Maintain product feeds and tags", "interface"),
        ),
    ),
    CatalogFunction(
        "content",
        "Content, UX and product information",
        "Product information, content and user experience.",
        "normal",
        False,
        3,
        ("catalogue",),
        "marketing",
        ("purchasing", "web-store-it"),
        ("agency", "freelancer"),
        (
            A("product-info", "Maintain product information", "run"),
            A("content", "Produce content", "change"),
            A("ux", "Improve the user experience", "change"),
        ),
    ),
    CatalogFunction(
        "analytics",
        "Analytics and reporting",
        "Tracking, dashboards and analysis.",
        "normal",
        False,
        3,
        ("customer", "order"),
        "ecommerce-team",
        ("web-store-it", "order-management", "online-marketing"),
        ("agency",),
        (
            A("tracking", "Set up tracking", "change", "it", "it"),
            A("reporting", "Report sales and traffic", "run"),
            A("analysis", "Analyse campaigns and customer behaviour", "run", "marketing"),
        ),
    ),
    CatalogFunction(
        "finance",
        "Finance and controlling",
        "Reconciliation, VAT and payouts.",
        "important",
        False,
        6,
        ("order",),
        "finance-team",
        ("payments", "order-management"),
        (),
        (
            A("reconciliation", "Reconcile orders and payments", "run"),
            A("vat", "Report VAT", "run"),
            A("payouts", "Release payouts", "control", "finance-team", "ecommerce-team"),
            A("profitability", "Measure promotion profitability", "run"),
        ),
    ),
    CatalogFunction(
        "legal",
        "Legal, privacy and compliance",
        "Terms, consent, data processing agreements, PCI attestations.",
        "important",
        False,
        6,
        (),
        "legal-team",
        (),
        (),
        (
            A("terms", "Maintain terms and privacy notice", "change"),
            A("consent", "Manage cookie and marketing consent", "run", "it"),
            A("dpa", "Conclude data processing agreements", "control", "legal-team", "it"),
            A("pci", "Collect PCI DSS attestations", "control", "finance-team"),
        ),
    ),
)

FOCUS_FUNCTIONS: dict[str, tuple[CatalogFunction, ...]] = {
    "commerce": (),
    "content": (
        CatalogFunction(
            "content-production",
            "Content production and licensing",
            "Editorial planning, production and the rights to publish and sell content.",
            "critical",
            True,
            6,
            ("customer",),
            "editorial-team",
            ("web-store-it", "legal"),
            ("agency", "freelancer"),
            (
                A("editorial", "Plan the editorial calendar", "change"),
                A("produce", "Produce content", "run", "marketing"),
                A("licensing", "License content rights", "control", "legal-team"),
            ),
        ),
    ),
    "community": (
        CatalogFunction(
            "advertising-sales",
            "Advertising sales",
            "Selling advertising to those who want to reach the community.",
            "important",
            True,
            4,
            ("customer",),
            "ad-sales-team",
            ("analytics", "web-store-it"),
            ("agency",),
            (
                A("sell", "Sell advertising campaigns", "run"),
                A("traffic", "Schedule and deliver ads", "run", "it"),
                A("billing", "Bill advertisers", "control", "finance-team"),
            ),
        ),
        CatalogFunction(
            "moderation",
            "Community moderation",
            "House rules, moderation queue and escalations.",
            "important",
            True,
            3,
            ("customer",),
            "customer-service-team",
            ("legal", "web-store-it"),
            ("contact-centre",),
            (
                A("rules", "Keep house rules current", "change", "legal-team"),
                A("queue", "Moderate posts", "run"),
                A("escalate", "Escalate unlawful content", "control", "legal-team"),
            ),
        ),
    ),
}

# Teams a strategy focus adds to the in-house organisation.
FOCUS_TEAMS: dict[str, dict[str, tuple[str, str]]] = {
    "commerce": {},
    "content": {"editorial-team": ("Editorial", "marketing")},
    "community": {"ad-sales-team": ("Advertising sales", "sales")},
}

KEY_ACCOUNTABLE = {
    "online-revenue": "ecommerce-team",
    "customer-experience": "ecommerce-team",
    "omnichannel-consistency": "marketing",
    "ecommerce-operations": "operations",
}


def catalog_functions(focus: str = "commerce") -> tuple[CatalogFunction, ...]:
    if focus not in FOCUS_FUNCTIONS:
        raise ValueError(f"unknown strategy focus {focus!r}: use commerce, content or community")
    return FUNCTIONS + FOCUS_FUNCTIONS[focus]


def new_model(focus: str = "commerce", name: str = "New e-commerce organisation") -> Model:
    """A model from the catalog: in-house teams, every activity with an internal A and R."""
    funcs = catalog_functions(focus)
    parties = [
        Party(id=pid, name=pname, kind=PartyKind.INTERNAL, category=PartyCategory(cat))
        for pid, (pname, cat) in (TEAMS | FOCUS_TEAMS[focus]).items()
    ]
    functions, activities, assignments, deps = [], [], [], []
    raci: dict[str, dict[str, str]] = {}
    owner_of = {f.id: f.owner for f in funcs}
    known = set(owner_of)
    for f in funcs:
        functions.append(
            Function(
                id=f.id,
                name=f.name,
                description=f.description,
                criticality=Criticality(f.criticality),
                reversible=f.reversible,
                lead_time_months=f.lead_time_months,
                data=[DataKind(d) for d in f.data],
            )
        )
        assignments.append(Assignment(function=f.id, party=f.owner, mode=SourcingMode.IN_HOUSE))
        for act in f.activities:
            aid = f"{f.id}.{act.key}"
            activities.append(
                Activity(id=aid, name=act.name, function=f.id, kind=ActivityKind(act.kind))
            )
            accountable = act.accountable or f.owner
            responsible = act.responsible or f.owner
            row = raci.setdefault(aid, {})
            row[accountable] = normalize_letters(row.get(accountable, "") + "A")
            row[responsible] = normalize_letters(row.get(responsible, "") + "R")
        for need in f.needs:
            if need in known:
                deps.append(Dependency(function=f.id, needs=need))
    # Owners of dependent functions hear about changes to what they depend on: consulted
    # when the dependent function is critical, informed otherwise.
    critical = {f.id for f in funcs if f.criticality == "critical"}
    for d in deps:
        dependent_owner = owner_of[d.function]
        letter = "C" if d.function in critical else "I"
        for a in activities:
            if a.function == d.needs and a.kind == "change":
                row = raci.setdefault(a.id, {})
                if dependent_owner not in row or row[dependent_owner] == "I":
                    row[dependent_owner] = letter
    forum = Forum(
        id="ecommerce-alignment",
        name="E-commerce alignment (sales, marketing, IT)",
        cadence_days=30,
        members=[p.id for p in parties],
    )
    return Model(
        name=name,
        comment=f"Started from the default {focus} catalog.",
        organisation=OrganisationProfile(strategy_focus=StrategyFocus(focus)),
        parties=parties,
        functions=functions,
        activities=activities,
        assignments=assignments,
        raci=raci,
        dependencies=deps,
        forums=[forum],
        key_accountabilities={KeyAccountability(k): [v] for k, v in KEY_ACCOUNTABLE.items()},
    )


# --- party categories as people read them ---------------------------------------------

INTERNAL_CATEGORIES: tuple[str, ...] = (
    "ecommerce",
    "marketing",
    "it",
    "operations",
    "customer-service",
    "purchasing",
    "finance",
    "legal",
    "sales",
    "management",
    "other",
)
EXTERNAL_CATEGORIES: tuple[str, ...] = (
    "agency",
    "platform-vendor",
    "system-integrator",
    "payment-provider",
    "contact-centre",
    "3pl",
    "carrier",
    "freelancer",
    "other",
)
_CATEGORY_LABELS: dict[str, str] = {
    "ecommerce": "E-commerce",
    "marketing": "Marketing",
    "it": "IT",
    "operations": "Operations",
    "customer-service": "Customer service",
    "purchasing": "Purchasing",
    "finance": "Finance",
    "legal": "Legal",
    "sales": "Sales",
    "management": "Management",
    "agency": "Agency",
    "platform-vendor": "Platform vendor",
    "system-integrator": "System integrator",
    "payment-provider": "Payment provider",
    "contact-centre": "Contact centre",
    "3pl": "Logistics provider (3PL)",
    "carrier": "Carrier",
    "freelancer": "Freelancer",
}
# Words in a party's name that tell its category, tried in this order.
_NAME_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("payment-provider", ("pay", "psp", "acquir", "card")),
    ("contact-centre", ("contact", "call", "support", "helpdesk")),
    ("3pl", ("fulfil", "logist", "warehouse", "3pl")),
    ("carrier", ("parcel", "courier", "post", "express", "freight", "shipping")),
    ("system-integrator", ("integrator", "consult")),
    ("platform-vendor", ("platform", "commerce cloud", "software", "saas")),
    ("freelancer", ("freelanc",)),
    ("agency", ("agency", "digital", "media", "marketing", "studio")),
)
_TEAM_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ecommerce", ("e-commerce", "ecommerce", "online", "digital", "web")),
    ("customer-service", ("customer", "service desk", "support")),
    ("marketing", ("marketing", "brand", "editorial", "content")),
    ("it", ("it", "tech", "development", "engineering")),
    ("operations", ("operation", "logist", "warehouse", "order")),
    ("purchasing", ("purchas", "buying", "merchandis", "category")),
    ("finance", ("finance", "controlling", "accounting")),
    ("legal", ("legal", "privacy", "compliance")),
    ("sales", ("sales", "advertising")),
    ("management", ("management", "board", "executive")),
)


def categories_for(kind: str) -> tuple[str, ...]:
    """The categories that fit a party of `kind` (``internal`` or ``external``), most
    common first; ``other`` last."""
    if kind == "internal":
        return INTERNAL_CATEGORIES
    if kind == "external":
        return EXTERNAL_CATEGORIES
    raise ValueError(f"unknown party kind {kind!r}: use internal or external")


def category_label(cid: str, kind: str | None = None) -> str:
    """A category as people read it: ``3pl`` -> "Logistics provider (3PL)". ``other``
    reads "Other team" or "Other outside party" when the kind is known."""
    if cid == "other":
        return {"internal": "Other team", "external": "Other outside party"}.get(
            kind or "", "Other"
        )
    return _CATEGORY_LABELS.get(cid, cid.replace("-", " ").capitalize())


def guess_category(name: str, kind: str, delivers: tuple[str, ...] = ()) -> str:
    """The likely category of a party called `name`: from words in the name, else for
    an outside party from the providers that typically deliver the catalog functions in
    `delivers` (the one most of them share), else ``other``."""
    folded = f" {name.casefold()} "
    if kind == "internal":
        for cid, words in _TEAM_HINTS:
            # "it" only as a word, not inside "fruit" or "digital"
            if any((f" {w} " in folded) if len(w) <= 2 else (w in folded) for w in words):
                return cid
        return "other"
    for cid, words in _NAME_HINTS:
        if any(w in folded for w in words):
            return cid
    by_id = {f.id: f for fs in (FUNCTIONS, *FOCUS_FUNCTIONS.values()) for f in fs}
    votes: dict[str, int] = {}
    for fid in delivers:
        for rank, cid in enumerate(by_id[fid].providers if fid in by_id else ()):
            votes[cid] = votes.get(cid, 0) + 10 - rank
    return max(votes, key=lambda c: votes[c]) if votes else "other"
