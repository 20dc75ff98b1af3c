"""Write a synthetic, valid ecomraci model of a chosen size, the same for the same seed.

    python bench/generate.py --functions 300 --activities 2000 --parties 200 \\
        --dependencies 5000 --contracts 100 --seed 1 -o OUT.ecomraci.json

The defaults are "the large model" the benchmarks use. `generate` returns the
`ecomraci.model.Model` so tests can build small models the same way.

What the model looks like:

* half the parties internal teams, half outside parties with categories, data locations
  and delivery models;
* every function has at least one assignment: in-house with an internal team, or (for
  up to about 60% of them) outsourced, sometimes co-sourced, under a contract with an
  outside party; a contract covers 1 to 6 functions and has varied clauses with real
  dates;
* about 25% of the RACI grid (activities x parties) filled: mostly one A per activity
  (an internal team, sometimes written AR), one to three R, the rest C and I with a few S
  and V;
* dependencies between distinct functions, no (function, needs) pair twice, some with an
  interface activity;
* a few forums, waivers, key accountabilities and a layout for the functions.

All randomness comes from one ``random.Random(seed)``, and nothing depends on the clock,
the hash seed or the machine, so the same arguments give a byte-identical file.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecomraci import catalog  # noqa: E402
from ecomraci.model import (  # noqa: E402
    FORMAT_NAME,
    FORMAT_VERSION,
    RACI_LETTERS,
    ActivityKind,
    AssetOwner,
    Criticality,
    DataKind,
    DataLocation,
    DeliveryModel,
    DependencyKind,
    KeyAccountability,
    MarketingAsset,
    MaturityDimension,
    Model,
    PartialTermination,
    Placement,
    StrategyFocus,
    Strength,
    StructureStage,
    TerminationForConvenience,
    TransferBasis,
)

DEFAULTS = dict(functions=300, activities=2000, parties=200, dependencies=5000, contracts=100)
RACI_FILL = 0.25
OUTSOURCED_SHARE = 0.6

# The catalog's categories and their words (an internal party of "other" category is
# not generated: every generated team belongs to a department).
INTERNAL_CATEGORIES = [c for c in catalog.INTERNAL_CATEGORIES if c != "other"]
INTERNAL_LABELS = {c: catalog.category_label(c, "internal") for c in INTERNAL_CATEGORIES}
EXTERNAL_CATEGORIES = list(catalog.EXTERNAL_CATEGORIES)
EXTERNAL_WEIGHTS = [22, 12, 12, 6, 8, 10, 8, 14, 8]
EXTERNAL_SUFFIX = {
    "agency": "Digital",
    "platform-vendor": "Commerce Cloud",
    "system-integrator": "Consulting",
    "payment-provider": "Payments",
    "contact-centre": "Contact",
    "3pl": "Logistics",
    "carrier": "Parcel",
    "freelancer": "(freelance)",
    "other": "Services",
}
CONTRACT_KIND = {
    "agency": "agency agreement",
    "platform-vendor": "subscription agreement",
    "system-integrator": "master services agreement",
    "payment-provider": "payment services agreement",
    "contact-centre": "outsourcing agreement",
    "3pl": "fulfilment agreement",
    "carrier": "carriage agreement",
    "freelancer": "service contract",
    "other": "service agreement",
}
SYLLABLES = [
    "ar",
    "be",
    "co",
    "da",
    "el",
    "fi",
    "ga",
    "ho",
    "ix",
    "jo",
    "ka",
    "lu",
    "mo",
    "ne",
    "or",
    "pi",
    "qu",
    "ra",
    "so",
    "ta",
    "ul",
    "vi",
    "wo",
    "xa",
    "yu",
    "ze",
]

FUNCTION_NAMES = [
    "Online marketing",
    "Search engine advertising",
    "Search engine optimisation",
    "Affiliate marketing",
    "E-mail marketing",
    "Social media",
    "Display advertising",
    "Marketplace management",
    "Web analytics",
    "Conversion optimisation",
    "Shop front-end",
    "Shop platform operation",
    "Hosting",
    "Product information management",
    "Content management",
    "Product photography",
    "Copywriting",
    "Pricing",
    "Promotions",
    "Assortment planning",
    "Purchasing",
    "Inventory management",
    "Warehousing",
    "Picking and packing",
    "Shipping",
    "Returns handling",
    "Payment processing",
    "Fraud prevention",
    "Accounts receivable",
    "Dunning",
    "Customer service",
    "Live chat",
    "Customer data management",
    "Loyalty programme",
    "ERP integration",
    "Data protection",
    "Legal texts",
    "Tax compliance",
    "Business intelligence",
    "Security operations",
    "Release management",
    "Mobile app",
    "Search and recommendations",
    "Consent management",
    "Reviews and ratings",
]
ACTIVITY_VERBS = [
    "Plan",
    "Run",
    "Monitor",
    "Report on",
    "Set budget for",
    "Approve changes to",
    "Test",
    "Document",
    "Review",
    "Improve",
    "Coordinate",
    "Procure services for",
    "Operate",
    "Specify requirements for",
    "Audit",
    "Escalate incidents in",
]
ACTIVITY_KINDS = [k.value for k in ActivityKind]
ACTIVITY_KIND_WEIGHTS = [
    40,
    18,
    12,
    8,
    10,
    12,
]  # run, change, interface, supplier, integration, control
WAIVER_RULES = [
    "RACI-01",
    "RACI-02",
    "RACI-04",
    "RACI-05",
    "SRC-06",
    "SRC-07",
    "SRC-12",
    "DEP-03",
    "DEP-04",
    "GOV-02",
    "GOV-05",
    "CMP-02",
]
AUTHORS = ["A. Keller", "B. Novak", "C. Dubois", "D. Rossi", "E. Lindqvist", "F. Oyelaran"]


def _pick(rng: random.Random, values: list[Any], weights: list[float]) -> Any:
    return rng.choices(values, weights=weights, k=1)[0]


def _date(rng: random.Random, first_year: int, last_year: int) -> date:
    """A real calendar date; days 1-28 so that adding whole years is always valid."""
    return date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def _company(rng: random.Random, category: str, k: int) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word} {EXTERNAL_SUFFIX[category]} {k}"


def _canonical(letters: set[str]) -> str:
    return "".join(ch for ch in RACI_LETTERS if ch in letters)


def generate(
    functions: int = DEFAULTS["functions"],
    activities: int = DEFAULTS["activities"],
    parties: int = DEFAULTS["parties"],
    dependencies: int = DEFAULTS["dependencies"],
    contracts: int = DEFAULTS["contracts"],
    seed: int = 1,
) -> Model:
    """A valid synthetic `Model` of the given size; the same arguments give the same model.

    Raises ValueError for sizes no valid model has: no function or no party, more
    dependencies than ordered pairs of distinct functions, contracts without an external
    party (which needs at least two parties, since half are internal).
    """
    for label, value in (
        ("functions", functions),
        ("activities", activities),
        ("parties", parties),
        ("dependencies", dependencies),
        ("contracts", contracts),
    ):
        if value < 0:
            raise ValueError(f"{label} must not be negative, got {value}")
    if functions < 1 or parties < 1:
        raise ValueError("a generated model needs at least one function and one party")
    if dependencies > functions * (functions - 1):
        raise ValueError(
            f"{dependencies} dependencies do not fit between {functions} functions "
            f"(at most {functions * (functions - 1)} distinct pairs)"
        )
    n_internal = parties - parties // 2
    n_external = parties - n_internal
    if contracts and not n_external:
        raise ValueError("contracts need an external party: use at least two parties")

    rng = random.Random(seed)

    # --- parties ----------------------------------------------------------------------
    party_docs: list[dict[str, Any]] = []
    internal_ids: list[str] = []
    external_ids: list[str] = []
    party_by_id: dict[str, dict[str, Any]] = {}
    for i in range(n_internal):
        category = INTERNAL_CATEGORIES[i % len(INTERNAL_CATEGORIES)]
        pid = f"int-{i + 1:03d}"
        doc: dict[str, Any] = {
            "id": pid,
            "name": f"{INTERNAL_LABELS[category]} team {i // len(INTERNAL_CATEGORIES) + 1}",
            "kind": "internal",
            "category": category,
        }
        if rng.random() < 0.5:
            doc["contact"] = f"{category}-{i + 1}@example.com"
        if category in ("ecommerce", "marketing", "it") and rng.random() < 0.3:
            doc["adds_storefront_scripts"] = True
        internal_ids.append(pid)
        party_docs.append(doc)
    for i in range(n_external):
        category = _pick(rng, EXTERNAL_CATEGORIES, EXTERNAL_WEIGHTS)
        pid = f"ext-{i + 1:03d}"
        doc = {
            "id": pid,
            "name": _company(rng, category, i + 1),
            "kind": "external",
            "category": category,
            "data_location": _pick(rng, [d.value for d in DataLocation], [70, 15, 15]),
            "delivery_model": rng.choice([d.value for d in DeliveryModel]),
        }
        if category in ("agency", "platform-vendor", "payment-provider", "other"):
            doc["adds_storefront_scripts"] = rng.random() < 0.6
        if category == "payment-provider":
            doc["reaches_payment_page"] = rng.random() < 0.8
        elif doc.get("adds_storefront_scripts"):
            doc["reaches_payment_page"] = rng.random() < 0.1
        if rng.random() < 0.4:
            doc["contact"] = f"account-manager@{pid}.example.com"
        if rng.random() < 0.1:
            doc["note"] = "Preferred supplier since the last tender."
        external_ids.append(pid)
        party_docs.append(doc)
    for doc in party_docs:
        party_by_id[doc["id"]] = doc
    party_index = {doc["id"]: i for i, doc in enumerate(party_docs)}

    # --- functions --------------------------------------------------------------------
    function_docs: list[dict[str, Any]] = []
    function_ids: list[str] = []
    data_kinds = [d.value for d in DataKind]
    for i in range(functions):
        base = FUNCTION_NAMES[i % len(FUNCTION_NAMES)]
        round_ = i // len(FUNCTION_NAMES)
        fid = f"fn-{i + 1:04d}"
        doc = {
            "id": fid,
            "name": base if round_ == 0 else f"{base} {round_ + 1}",
            "criticality": _pick(rng, [c.value for c in Criticality], [15, 30, 55]),
            "reversible": rng.random() < 0.4,
            "lead_time_months": rng.choice([1, 2, 3, 3, 6, 6, 9, 12, 18, 24]),
            "data": sorted(
                rng.sample(data_kinds, rng.choice([0, 0, 1, 1, 2, 3])), key=data_kinds.index
            ),
        }
        if rng.random() < 0.3:
            doc["description"] = f"{base}: scope, tools and service levels as agreed."
        function_ids.append(fid)
        function_docs.append(doc)
    function_by_id = {doc["id"]: doc for doc in function_docs}

    # --- activities: at least one per function while they last, grouped by function ---
    per_function = [0] * functions
    for k in range(activities):
        per_function[k if k < functions else rng.randrange(functions)] += 1
    activity_docs: list[dict[str, Any]] = []
    activities_of: list[list[str]] = []
    interface_of: list[list[str]] = []
    for f, count in enumerate(per_function):
        own: list[str] = []
        own_interfaces: list[str] = []
        fname = function_docs[f]["name"]
        for _ in range(count):
            aid = f"act-{len(activity_docs) + 1:05d}"
            kind = _pick(rng, ACTIVITY_KINDS, ACTIVITY_KIND_WEIGHTS)
            doc = {
                "id": aid,
                "name": f"{rng.choice(ACTIVITY_VERBS)} {fname[0].lower()}{fname[1:]}",
                "function": function_ids[f],
                "kind": kind,
            }
            if rng.random() < 0.05:
                doc["note"] = "Done monthly; see the runbook."
            activity_docs.append(doc)
            own.append(aid)
            if kind == "interface":
                own_interfaces.append(aid)
        activities_of.append(own)
        interface_of.append(own_interfaces)

    # --- contracts and assignments ----------------------------------------------------
    assignment_docs: list[tuple[int, int, dict[str, Any]]] = []  # (function, order, doc)
    assigned: set[tuple[str, str]] = set()  # (function, party)
    covered: set[int] = set()
    contract_docs: list[dict[str, Any]] = []
    ext_order = external_ids[:]
    rng.shuffle(ext_order)
    # Contracts draw their scope from about 60% of the functions, so the rest stays
    # in-house; once that pool is used up, functions get a second provider.
    pool = sorted(rng.sample(range(functions), max(1, round(functions * OUTSOURCED_SHARE))))
    for c in range(contracts):
        pid = ext_order[c] if c < len(ext_order) else rng.choice(external_ids)
        party = party_by_id[pid]
        category = party["category"]
        cid = f"ctr-{c + 1:03d}"
        k = min(_pick(rng, [1, 2, 3, 4, 5, 6], [30, 25, 18, 12, 8, 7]), len(pool))
        candidates = [f for f in pool if (function_ids[f], pid) not in assigned]
        fresh = [f for f in candidates if f not in covered]
        if len(fresh) >= k:
            chosen = rng.sample(fresh, k)
        else:
            rest = [f for f in candidates if f in covered]
            chosen = fresh + rng.sample(rest, min(k - len(fresh), len(rest)))
        if not chosen:  # the party already does the whole pool: a follow-on contract
            chosen = [rng.choice(pool)]
        chosen.sort()
        covers = [function_ids[f] for f in chosen]
        for f in chosen:
            if (function_ids[f], pid) in assigned:
                continue
            mode = "co-sourced" if rng.random() < 0.2 else "outsourced"
            assignment_docs.append(
                (
                    f,
                    len(assignment_docs),
                    {"function": function_ids[f], "party": pid, "mode": mode, "contract": cid},
                )
            )
            assigned.add((function_ids[f], pid))
            covered.add(f)
            if mode == "co-sourced":
                team = rng.choice(internal_ids)
                if (function_ids[f], team) not in assigned:
                    assignment_docs.append(
                        (
                            f,
                            len(assignment_docs),
                            {
                                "function": function_ids[f],
                                "party": team,
                                "mode": "co-sourced",
                                "note": f"Works alongside {party['name']}.",
                            },
                        )
                    )
                    assigned.add((function_ids[f], team))

        start = _date(rng, 2014, 2025)
        doc: dict[str, Any] = {
            "id": cid,
            "name": f"{party['name']} {CONTRACT_KIND[category]}",
            "party": pid,
            "covers": covers,
            "start": start.isoformat(),
        }
        if rng.random() < 0.85:
            doc["end"] = start.replace(year=start.year + rng.randint(1, 7)).isoformat()
        doc["auto_renew"] = rng.random() < 0.5
        doc["renewal_term_months"] = rng.choice([6, 12, 12, 24, 36])
        doc["notice_period_months"] = rng.choice([1, 3, 3, 6, 6, 12])
        doc["termination_for_convenience"] = _pick(
            rng, [t.value for t in TerminationForConvenience], [45, 35, 20]
        )
        doc["partial_termination"] = _pick(rng, [p.value for p in PartialTermination], [60, 40])
        if covers and rng.random() < 0.5:
            doc["insourcing_rights"] = sorted(rng.sample(covers, rng.randint(1, len(covers))))
        doc["bundled_price"] = len(covers) > 1 and rng.random() < 0.5
        doc["price_card_per_function"] = rng.random() < (0.5 if doc["bundled_price"] else 0.3)
        if rng.random() < 0.35:
            doc["minimum_commitment"] = {
                "amount": float(rng.randrange(10, 2000) * 1000),
                "currency": _pick(rng, ["EUR", "GBP", "USD", "CHF"], [70, 10, 15, 5]),
                "shrinks_with_scope": rng.random() < 0.4,
            }
        if covers and rng.random() < 0.15:
            doc["exclusivity"] = sorted(rng.sample(covers, rng.randint(1, len(covers))))
        if c and rng.random() < 0.1:
            others = rng.sample(range(c), min(c, rng.randint(1, 2)))
            doc["cross_termination"] = [f"ctr-{o + 1:03d}" for o in sorted(others)]
        doc["cooperation_duty"] = rng.random() < 0.5
        exists = rng.random() < 0.45
        exit_plan: dict[str, Any] = {"exists": exists}
        if exists and rng.random() < 0.6:
            exit_plan["last_tested"] = _date(rng, 2021, 2025).isoformat()
        doc["exit_plan"] = exit_plan
        months = rng.choice([0, 0, 3, 6, 12])
        doc["transition_assistance"] = {
            "months": months,
            "same_service_levels": months > 0 and rng.random() < 0.5,
        }
        data_return: dict[str, Any] = {}
        fmt = rng.choice([None, None, "CSV", "JSON", "SQL dump", "XML"])
        if fmt:
            data_return["format"] = fmt
        days = rng.choice([None, None, 30, 60, 90])
        if days is not None:
            data_return["days"] = days
        doc["data_return"] = data_return
        if category in ("agency", "freelancer") or (category == "other" and rng.random() < 0.3):
            assets = [a.value for a in MarketingAsset]
            doc["marketing_assets"] = {
                a: _pick(rng, [o.value for o in AssetOwner], [55, 30, 15])
                for a in sorted(rng.sample(assets, rng.randint(1, len(assets))), key=assets.index)
            }
        doc["custom_work"] = rng.random() < 0.3
        doc["ip_assignment"] = doc["custom_work"] and rng.random() < 0.6
        doc["knowledge_transfer"] = rng.random() < 0.4
        doc["staff_transfer_on_exit"] = rng.random() < 0.1
        doc["step_in_rights"] = rng.random() < 0.2
        doc["benchmarking"] = rng.random() < 0.25
        doc["change_control"] = rng.random() < 0.6
        doc["service_levels"] = rng.random() < 0.7
        personal = any(
            set(function_by_id[fid]["data"]) & {"customer", "order", "card"} for fid in covers
        )
        doc["data_processing_agreement"] = rng.random() < (0.8 if personal else 0.3)
        location = party["data_location"]
        if location == "outside-eea":
            doc["transfer_basis"] = _pick(
                rng,
                [TransferBasis.SCC.value, TransferBasis.BCR.value, TransferBasis.NONE.value],
                [60, 15, 25],
            )
        elif location == "adequate-country":
            doc["transfer_basis"] = TransferBasis.ADEQUACY.value
        if category == "payment-provider":
            doc["payment"] = {
                "pci_dss_acknowledgement": rng.random() < 0.8,
                "pci_responsibility_matrix": rng.random() < 0.5,
                "hosted_payment_page": rng.random() < 0.6,
            }
        if rng.random() < 0.1:
            doc["note"] = "Renegotiation planned before the next renewal."
        contract_docs.append(doc)

    # every function not outsourced is done in-house by an internal team
    for f in range(functions):
        if f not in covered:
            team = internal_ids[rng.randrange(len(internal_ids))]
            assignment_docs.append(
                (
                    f,
                    len(assignment_docs),
                    {"function": function_ids[f], "party": team, "mode": "in-house"},
                )
            )
            assigned.add((function_ids[f], team))
    assignment_docs.sort(key=lambda t: (t[0], t[1]))
    assignments = [doc for _, _, doc in assignment_docs]
    doers_of: list[list[str]] = [[] for _ in range(functions)]
    for f, _, doc in assignment_docs:
        doers_of[f].append(doc["party"])

    # --- RACI grid: about RACI_FILL of activities x parties ---------------------------
    raci: dict[str, dict[str, str]] = {}
    all_parties = [doc["id"] for doc in party_docs]
    target = parties * RACI_FILL
    for f in range(functions):
        doers = doers_of[f]
        internal_doers = [p for p in doers if party_by_id[p]["kind"] == "internal"]
        for aid in activities_of[f]:
            cells: dict[str, set[str]] = {}
            size = max(1, min(parties, round(rng.uniform(0.5, 1.5) * target)))
            roll = rng.random()
            n_a = 1 if roll < 0.95 else (0 if roll < 0.98 else 2)
            for _ in range(n_a):
                owner = (
                    internal_doers[0]
                    if internal_doers and rng.random() < 0.6
                    else rng.choice(internal_ids)
                )
                cells.setdefault(owner, set()).add("A")
            for pid in doers[: rng.randint(1, 3)]:
                cells.setdefault(pid, set()).add("R")
            if rng.random() < 0.3:  # a second pair of hands
                cells.setdefault(rng.choice(all_parties), set()).add("R")
            if rng.random() < 0.1:
                cells.setdefault(rng.choice(all_parties), set()).add("V")
            for i in rng.sample(range(parties), min(parties, size)):
                if len(cells) >= size:
                    break
                pid = all_parties[i]
                if pid not in cells:
                    cells[pid] = {_pick(rng, ["C", "I", "S", "V"], [40, 47, 10, 3])}
            raci[aid] = {
                pid: _canonical(cells[pid]) for pid in sorted(cells, key=party_index.__getitem__)
            }

    # --- dependencies -----------------------------------------------------------------
    pairs: list[tuple[int, int]]
    max_pairs = functions * (functions - 1)
    if dependencies * 2 > max_pairs:
        every = [(a, b) for a in range(functions) for b in range(functions) if a != b]
        pairs = rng.sample(every, dependencies)
    else:
        seen: set[tuple[int, int]] = set()
        pairs = []
        while len(pairs) < dependencies:
            a, b = rng.randrange(functions), rng.randrange(functions)
            if a != b and (a, b) not in seen:
                seen.add((a, b))
                pairs.append((a, b))
    dependency_docs: list[dict[str, Any]] = []
    for a, b in pairs:
        doc = {
            "function": function_ids[a],
            "needs": function_ids[b],
            "kind": _pick(rng, [k.value for k in DependencyKind], [45, 30, 25]),
            "strength": _pick(rng, [s.value for s in Strength], [25, 45, 30]),
        }
        bridges = interface_of[a] + interface_of[b]
        if bridges and rng.random() < 0.3:
            doc["interface_activity"] = rng.choice(bridges)
        if rng.random() < 0.03:
            doc["note"] = "Nightly batch; a failure stops the next day's run."
        dependency_docs.append(doc)

    # --- forums, waivers, key accountabilities, layout, organisation ------------------
    forum_docs = []
    for i in range(min(6, 1 + functions // 60)):
        members = rng.sample(all_parties, min(parties, rng.randint(2, 8)))
        forum_docs.append(
            {
                "id": f"forum-{i + 1:02d}",
                "name": rng.choice(
                    [
                        "Steering committee",
                        "Weekly e-commerce meeting",
                        "Supplier review",
                        "Release board",
                        "Marketing jour fixe",
                    ]
                )
                + f" {i + 1}",
                "cadence_days": rng.choice([7, 14, 30, 90]),
                "members": sorted(members, key=party_index.__getitem__),
            }
        )
    # Dependency subject ids ("a->b") are left out: Waiver.subjects is a list of Id, whose
    # pattern refuses "->", although integrity would accept them as subjects.
    subject_pool = (
        function_ids
        + [doc["id"] for doc in activity_docs]
        + all_parties
        + [doc["id"] for doc in contract_docs]
    )
    waiver_docs = []
    for _ in range(min(5, 2 + functions // 100)):
        waiver: dict[str, Any] = {
            "rule": rng.choice(WAIVER_RULES),
            "subjects": rng.sample(subject_pool, min(len(subject_pool), rng.randint(1, 3))),
            "reason": rng.choice(
                [
                    "Accepted risk until the re-tender.",
                    "Covered by a group-wide policy.",
                    "Temporary while the new team forms.",
                ]
            ),
            "author": rng.choice(AUTHORS),
        }
        if rng.random() < 0.5:
            waiver["until"] = _date(rng, 2025, 2027).isoformat()
        waiver_docs.append(waiver)
    key_accountabilities = {
        k.value: sorted(
            rng.sample(internal_ids, min(len(internal_ids), rng.randint(1, 2))),
            key=party_index.__getitem__,
        )
        for k in KeyAccountability
    }
    cols = max(1, round(functions**0.5))
    layout = {
        fid: {
            "x": float(i % cols * 200 + rng.randint(0, 40)),
            "y": float(i // cols * 120 + rng.randint(0, 20)),
        }
        for i, fid in enumerate(function_ids)
    }
    organisation = {
        "strategy_focus": rng.choice([s.value for s in StrategyFocus]),
        "structure_stage": rng.choice([s.value for s in StructureStage]),
        "placement": rng.choice([p.value for p in Placement]),
        "online_share_percent": rng.randint(20, 600) / 10,
        "maturity": {d.value: rng.randint(1, 5) for d in MaturityDimension},
    }

    doc = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": f"Synthetic model (seed {seed})",
        "comment": (
            f"Generated by bench/generate.py: {functions} functions, {activities} "
            f"activities, {parties} parties, {dependencies} dependencies, "
            f"{contracts} contracts, seed {seed}."
        ),
        "organisation": organisation,
        "parties": party_docs,
        "functions": function_docs,
        "activities": activity_docs,
        "assignments": assignments,
        "raci": raci,
        "dependencies": dependency_docs,
        "contracts": contract_docs,
        "forums": forum_docs,
        "key_accountabilities": key_accountabilities,
        "waivers": waiver_docs,
        "layout": layout,
    }
    return Model.model_validate(doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name, value in DEFAULTS.items():
        parser.add_argument(
            f"--{name}", type=int, default=value, help=f"how many {name} (default {value})"
        )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "-o",
        "--output",
        default="bench/out/large.ecomraci.json",
        help="file to write (default bench/out/large.ecomraci.json)",
    )
    args = parser.parse_args(argv)

    from ecomraci import store

    try:
        model = generate(
            functions=args.functions,
            activities=args.activities,
            parties=args.parties,
            dependencies=args.dependencies,
            contracts=args.contracts,
            seed=args.seed,
        )
    except ValueError as exc:
        parser.error(str(exc))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    store.save(model, out, keep_backup=False)
    cells = sum(len(row) for row in model.raci.values())
    print(
        f"{out}: {out.stat().st_size / 1048576:.2f} MB, {len(model.functions)} functions, "
        f"{len(model.activities)} activities, {len(model.parties)} parties, {cells} cells, "
        f"{len(model.dependencies)} dependencies, {len(model.contracts)} contracts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
