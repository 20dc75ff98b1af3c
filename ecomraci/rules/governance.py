"""Organisation and governance rules (GOV-01 ..): every supplier has an internal owner,
coupled parties meet, key accountabilities are held once, shop management can come back
in-house, no key-person risk on critical work, and the organisation profile fits.

Speed: GOV-02 looks at every pair of parties whose functions are next to each other in
the dependency graph (thousands on a big model). It holds a set of parties as an int with
one bit per party in file order: the parties next to a function are one OR over its
neighbours, a party's links one OR over its functions, and the members of a set come out
in file order without sorting. Its greedy cover keeps one int per party in the heap
(-links * parties + place in the file) instead of a tuple, and a party's links left are
its links less the bits of the hubs already reported, so reporting a hub touches no other
party. The wording (and the dependency it quotes) is written when read.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from functools import partial, reduce
from itertools import chain, compress, filterfalse, repeat
from operator import or_

from ecomraci.edits import AddForum, AddObject, SetField, SetKeyAccountability, SetRaci
from ecomraci.model import Forum, KeyAccountability, normalize_letters
from ecomraci.rules.engine import CheckContext, Hit, rule

SUPPLIER_MANAGEMENT = "supplier-management"
# GOV-06: a separate company for e-commerce needs online sales that carry it.
SEPARATE_COMPANY_MIN_SHARE = 10.0
# GOV-06: the structure stages still short of a formal unit (the seed's first two).
EARLY_STAGES = ("ad-hoc", "focused")
STAGE_NAMES = {
    "ad-hoc": "ad hoc",
    "focused": "focused",
    "formalised": "formalised",
    "institutionalised": "institutionalised",
}
# GOV-06: an average maturity at or below this is low.
LOW_MATURITY = 2
# GOV-06: the functions a strategy focus lives on: (name in messages, (catalog id, words
# a function's name may hold instead)).
FOCUS_FUNCTIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "commerce": (),
    "content": (
        (
            "content production and licensing",
            ("content-production", "content production", "licens"),
        ),
    ),
    "community": (
        ("moderation", ("moderation", "moderat")),
        ("advertising sales", ("advertising-sales", "advertis", "ad sales")),
    ),
}
# GOV-05 judges key-person risk only when there are enough critical activities to share.
GOV05_MIN_CRITICAL = 4
# GOV-02: the cadence proposed for a new or too rare forum.
MONTHLY = 30
# GOV-02: a weak dependency (an occasional feed or hand-off) needs no standing forum.
WEAK = "weak"
# GOV-02: the party categories of the seed's end-to-end alignment (sales, online
# marketing, IT); the e-commerce team stands for sales.
ALIGNMENT_CATEGORIES = ("sales", "ecommerce", "marketing", "it")

KEY_NAMES = {
    "online-revenue": "online revenue",
    "customer-experience": "customer experience",
    "omnichannel-consistency": "omnichannel consistency",
    "ecommerce-operations": "e-commerce operations",
}


# The profile fields and key accountabilities findings name as subjects, by name (the
# app's findings list shows these instead of the ids).
SUBJECT_NAMES = {
    "organisation": "Organisation profile",
    "organisation.placement": "Placement of e-commerce",
    "organisation.structure_stage": "Structure stage",
    "organisation.strategy_focus": "Strategy focus",
    "organisation.maturity": "Maturity self-assessment",
    **{key: name[0].upper() + name[1:] for key, name in KEY_NAMES.items()},
}


def is_shop_management(function) -> bool:
    return function.id == "shop-management" or "shop management" in function.name.lower()


def _with(letters: str, add: str = "", remove: str = "") -> str:
    kept = "".join(ch for ch in letters if ch not in remove)
    return normalize_letters(kept + add)


def _ecommerce_party(ctx: CheckContext) -> str | None:
    return next(
        (p.id for p in ctx.model.parties if p.kind == "internal" and p.category == "ecommerce"),
        None,
    )


# --- GOV-01 ------------------------------------------------------------------------------


@rule(
    "GOV-01",
    "warning",
    "Every outside party needs an internal owner",
    "A supplier nobody inside manages drifts: nobody watches its service levels, renewal "
    "dates or invoices, and nobody can decide when it under-delivers.",
)
def supplier_owner(ctx: CheckContext):
    sm_by_function: dict[str, list[str]] = {}
    for a in ctx.activities_by_kind.get(SUPPLIER_MANAGEMENT, ()):
        sm_by_function.setdefault(a.function, []).append(a.id)
    # Shop management's supplier-management activity ("manage e-commerce suppliers")
    # owns the suppliers of functions that have no supplier-management activity of their own.
    general = [
        aid
        for fid, aids in sm_by_function.items()
        if fid in ctx.functions and is_shop_management(ctx.functions[fid])
        for aid in aids
    ]
    functions_of: dict[str, list[str]] = {}
    for s in ctx.model.assignments:
        fs = functions_of.setdefault(s.party, [])
        if s.function not in fs:
            fs.append(s.function)
    for c in ctx.model.contracts:
        fs = functions_of.setdefault(c.party, [])
        for fid in c.covers:
            if fid not in fs:
                fs.append(fid)
    internal = ctx.internal
    for p in ctx.model.parties:
        if p.kind != "external":
            continue
        delivered = functions_of.get(p.id, [])
        if not delivered:
            continue  # delivers nothing and has no contract: nothing to manage (RACI-06)
        candidates = [aid for fid in delivered for aid in sm_by_function.get(fid, [])]
        specific = bool(candidates)
        if not candidates:
            candidates = general
        if any(h in internal for aid in candidates for h in ctx.accountable.get(aid, [])):
            continue
        what = ctx.names(delivered[:3])
        if len(delivered) > 3:
            what += f" and {len(delivered) - 3} more"
        if not candidates:
            yield Hit(
                f"Outside party {ctx.quoted(p.id)} has no internal owner: the model has no "
                f"supplier-management activity for {what}.",
                [p.id],
                f"Add a supplier-management activity to {ctx.quoted(delivered[0])} and make "
                "an internal team its A (the provider can be C).",
            )
            continue
        target = candidates[0]
        fid = ctx.activities[target].function
        owner = ctx.internal_owner(fid) if specific else None
        owner = owner or _ecommerce_party(ctx) or ctx.internal_owner(fid)
        if owner is None:
            owner = next((q.id for q in ctx.model.parties if q.kind == "internal"), None)
        where = (
            f"on {ctx.names(candidates[:3])}"
            if specific
            else f"on the general supplier activity {ctx.names(candidates[:3])}"
        )
        message = (
            f"Outside party {ctx.quoted(p.id)} ({what}) has no internal owner: nobody "
            f"internal is Accountable {where}."
        )
        if owner is None:
            yield Hit(
                message,
                [p.id, *candidates],
                "Make an internal team the A for managing this supplier.",
            )
            continue
        row = ctx.model.raci.get(target, {})
        edits = [SetRaci(activity=target, party=owner, letters=_with(row.get(owner, ""), add="A"))]
        for holder in ctx.accountable.get(target, []):
            if holder != owner:  # an outside A: keep it doing the work, as R
                edits.append(
                    SetRaci(
                        activity=target,
                        party=holder,
                        letters=_with(row[holder], add="R", remove="A"),
                    )
                )
        yield Hit(
            message,
            [p.id, *candidates],
            f"Make {ctx.quoted(owner)} the A on {ctx.activity_label(target)}; an outside "
            "party there stays R at most.",
            edits,
        )


# --- GOV-02 ------------------------------------------------------------------------------


def _forum_id(hub: str, partners: list[str], taken: set[str]) -> str:
    # Party ids are valid ids, and so is this unless it grows too long.
    base = f"forum-{hub}-{partners[0]}" if len(partners) == 1 else f"forum-{hub}-partners"
    if len(base) > 72:
        base = "forum-" + hashlib.sha1("|".join([hub, *partners]).encode()).hexdigest()[:12]
    fid, n = base, 2
    while fid in taken:
        fid, n = f"{base}-{n}", n + 1
    return fid


def _list(quoted: list[str], most: int = 4, more: int = 0) -> str:
    """Names joined for a message; `more` counts names left out of `quoted` already."""
    more += max(0, len(quoted) - most)
    quoted = quoted[:most]
    if more > 0:
        return ", ".join(quoted) + f" and {more} more"
    return ", ".join(quoted[:-1]) + (" and " if len(quoted) > 1 else "") + quoted[-1]


@rule(
    "GOV-02",
    "warning",
    "Parties whose work depends on each other need a common forum",
    "When the parties behind dependent functions never meet, changes reach the other side "
    "as incidents: a periodic end-to-end alignment of sales, online marketing and IT keeps "
    "campaigns, releases and checkout in step.",
)
def alignment_forum(ctx: CheckContext):
    model = ctx.model
    partners = _uncovered_links(ctx)
    if partners:
        yield from _pair_hits(ctx, *partners)
    cadence = min(MONTHLY, ctx.settings.gov02_max_cadence_days)
    limit = ctx.settings.gov02_max_cadence_days
    parties = ctx.parties
    # The member sets of the forums that meet often enough: a rare forum is no gap when
    # one of them already brings its sales, marketing and IT members together.
    frequent = [set(f.members) for f in model.forums if f.cadence_days <= limit]
    for f in model.forums:
        if f.cadence_days <= limit:
            continue
        aligned = {
            m for m in f.members if m in parties and parties[m].category in ALIGNMENT_CATEGORIES
        }
        cats = {parties[m].category for m in aligned}
        if not (cats & {"sales", "ecommerce"} and "marketing" in cats and "it" in cats):
            continue
        if any(aligned <= members for members in frequent):
            continue
        yield Hit(
            f"Forum “{f.name}” brings sales, marketing and IT together only every "
            f"{f.cadence_days} days (at most {limit} advised).",
            [f.id, *f.members],
            f"Meet at least monthly: set the cadence of “{f.name}” to {cadence} days.",
            [SetField(target="forum", id=f.id, field="cadence_days", value=cadence)],
        )


def _uncovered_links(ctx: CheckContext) -> tuple[dict[str, int], list[str]] | None:
    """The uncovered edges of the party coupling graph (ecomraci.graph.party_coupling_graph),
    and the party ids by bit: party -> the parties it shares no forum with although a
    function one delivers is next to one the other delivers in the dependency graph,
    either way. A set of parties is an int with bit i for the i-th party of the file
    (parties only assignments name come after), so a union is one int operation and the
    members of a set come out in file order."""
    deliverers = ctx.deliverers
    ids = [p.id for p in ctx.model.parties]
    known = set(ids)
    ids += dict.fromkeys(filterfalse(known.__contains__, chain.from_iterable(deliverers.values())))
    mask = {p: 1 << i for i, p in enumerate(ids)}
    # function -> its deliverers
    delivered_by = {f: reduce(or_, map(mask.__getitem__, ps)) for f, ps in deliverers.items() if ps}
    if not delivered_by:
        return None
    coupled = ctx.coupled
    nothing: list[str] = []
    linked: dict[str, int] = {}
    for f, ps in deliverers.items():
        if not ps:
            continue
        # the deliverers of every function next to f, either way, by a dependency that is
        # not weak
        near = reduce(or_, filter(None, map(delivered_by.get, coupled.get(f, nothing))), 0)
        for p in ps:
            linked[p] = linked.get(p, 0) | near
    # party -> every party it sits in a forum with (itself included)
    met = dict.fromkeys(linked, 0)
    for forum in ctx.model.forums:
        members = reduce(or_, map(mask.get, forum.members, repeat(0)), 0)
        for m in forum.members:
            if m in met:
                met[m] |= members
    partners = {}
    for p, near in linked.items():
        near &= ~(mask[p] | met[p])
        if near:
            partners[p] = near
    return partners, ids


# the digits of a binary numeral (as bytes) -> 0/1 flags, for `compress`
_BINARY = bytes.maketrans(b"01", b"\x00\x01")


def _members(bits: int, ids: list[str]) -> list[str]:
    """The party ids of a bit set, in bit (file) order."""
    return list(compress(ids, format(bits, "b").encode()[::-1].translate(_BINARY)))


def _pair_hits(ctx: CheckContext, partners: dict[str, int], ids: list[str]):
    """One finding per hub party: each uncovered pair is reported exactly once, in the
    finding of whichever of its two parties has the most uncovered partners left (a greedy
    cover, ties to the party first in the file), so a densely coupled model gives at most
    one finding per party, not one per pair. A hub's pairs are covered once it is
    reported: the links left to a party are its links less the hubs reported so far."""
    taken = {f.id for f in ctx.model.forums}
    cadence = min(MONTHLY, ctx.settings.gov02_max_cadence_days)
    names = {i: x.name for i, x in ctx.parties.items()}
    # as checked, for the wording: the dependencies that couple parties
    dependencies = [d for d in ctx.model.dependencies if d.strength != WEAK]
    # Greedy cover with a lazy heap of -uncovered partners * width + file order (one int
    # per party, which compares faster than a tuple).
    width = len(ids)
    place = {p: i for i, p in enumerate(ids)}
    links_of = [0] * width  # file order -> the party's links
    heap = []
    for p, links in partners.items():
        r = place[p]
        links_of[r] = links
        heap.append(-links.bit_count() * width + r)
    heapq.heapify(heap)
    reported = 0
    while heap:
        key = heapq.heappop(heap)
        while True:
            minus, r = divmod(key, width)
            links = links_of[r] & ~reported
            if not links or reported >> r & 1:
                break
            count = links.bit_count()
            if count == -minus:
                break
            # A stale entry: its count fell since it was pushed. Put it back with its
            # count and take the best entry, which is often this one again.
            key = heapq.heappushpop(heap, -count * width + r)
        if not links or reported >> r & 1:
            continue
        reported |= 1 << r
        hub = ids[r]
        group = _members(links, ids)
        fid = _forum_id(hub, group, taken)
        taken.add(fid)
        yield Hit.deferred(
            [hub, *group],
            partial(_pair_text, ctx, dependencies, hub, group),
            partial(_add_alignment_forum, fid, names, hub, group, cadence),
        )


def _pair_text(
    ctx: CheckContext, dependencies: list, hub: str, group: list[str]
) -> tuple[str, str]:
    parties, functions = ctx.parties, ctx.functions

    def quoted(i: str, index) -> str:
        return f"“{index[i].name}”" if i in index else i

    qh = quoted(hub, parties)
    if len(group) == 1:
        d = _first_dependency(ctx, dependencies, hub, group[0])
        why = (
            f" ({quoted(d.function, functions)} needs {quoted(d.needs, functions)})"
            if d is not None
            else ""
        )
        message = (
            f"{qh} and {quoted(group[0], parties)} share no forum although "
            f"their work depends on each other{why}."
        )
    else:
        message = (
            f"{qh} shares no forum with {len(group)} parties whose work depends "
            f"on its own or the other way round: "
            f"{_list([quoted(q, parties) for q in group[:5]], more=len(group) - 5)}."
        )
    fix = "Bring them into a common alignment forum, or create a monthly one for " + (
        "both." if len(group) == 1 else f"{qh} and these parties."
    )
    return message, fix


def _first_dependency(ctx: CheckContext, dependencies: list, a: str, b: str):
    """The first of `dependencies` (the model's, in file order, as checked) between a
    function `a` delivers and one `b` delivers, either way; None if there is none."""
    index = ctx.__dict__.get("_gov02_dep_index")
    if index is None:
        index = ctx.__dict__["_gov02_dep_index"] = {
            (d.function, d.needs): i for i, d in reversed(list(enumerate(dependencies)))
        }
    mine = [f for f, ps in ctx.deliverers.items() if a in ps]
    theirs = [g for g, ps in ctx.deliverers.items() if b in ps]
    found = [
        index[pair] for f in mine for g in theirs for pair in ((f, g), (g, f)) if pair in index
    ]
    return dependencies[min(found)] if found else None


def _add_alignment_forum(
    fid: str, names: dict[str, str], hub: str, group: list[str], cadence: int
) -> list[AddForum]:
    name = (
        f"Alignment {names.get(hub, hub)} / {names.get(group[0], group[0])}"
        if len(group) == 1
        else f"Alignment with {names.get(hub, hub)}"
    )
    forum = Forum(id=fid, name=name[:200], cadence_days=cadence, members=[hub, *group])
    return [AddForum(forum=forum)]


# --- GOV-03 ------------------------------------------------------------------------------


@rule(
    "GOV-03",
    "warning",
    "Each key accountability needs exactly one accountable party",
    "Online revenue, customer experience, omnichannel consistency and e-commerce operations "
    "cut across teams: with no owner they fall between the chairs, with several owners "
    "every conflict escalates.",
)
def key_accountabilities(ctx: CheckContext):
    held = {str(k): list(v) for k, v in ctx.model.key_accountabilities.items()}
    ecom = _ecommerce_party(ctx)
    for key in KeyAccountability:
        k = key.value
        owners = held.get(k, [])
        if len(owners) == 1:
            continue
        label = KEY_NAMES.get(k, k.replace("-", " "))
        internal_listed = [p for p in owners if p in ctx.internal]
        proposal = ecom if ecom is not None else next(iter(internal_listed), None)
        if owners:
            message = (
                f"The key accountability for {label} is shared by {len(owners)} parties: "
                f"{ctx.names(owners)}."
            )
        else:
            message = f"Nobody is accountable for {label}."
        if proposal is None:
            yield Hit(message, [k, *owners], f"Name one internal party accountable for {label}.")
            continue
        yield Hit(
            message,
            [k, *owners],
            f"Make {ctx.quoted(proposal)} the one party accountable for {label}"
            + ("; the others support it." if owners else "."),
            [SetKeyAccountability(key=k, parties=[proposal])],
        )


# --- GOV-04 ------------------------------------------------------------------------------


@rule(
    "GOV-04",
    "warning",
    "Shop management delivered outside needs a way back in-house",
    "Shop management steers the whole online business: strategy, P&L, trading calendar "
    "and the other suppliers. Buying it in for the set-up is fine, but only with an agreed "
    "hand-over: an insourcing right and an exit plan.",
)
def shop_management_outside(ctx: CheckContext):
    seen: set[tuple[str, str]] = set()
    for s in ctx.model.assignments:
        if s.party not in ctx.external or (s.function, s.party) in seen:
            continue
        f = ctx.functions.get(s.function)
        if f is None or not is_shop_management(f):
            continue
        seen.add((s.function, s.party))
        contracts = [c for c in ctx.contracts_by_party.get(s.party, []) if f.id in c.covers]
        if s.contract in ctx.contracts and ctx.contracts[s.contract] not in contracts:
            contracts.insert(0, ctx.contracts[s.contract])
        if any(f.id in c.insourcing_rights and c.exit_plan.exists for c in contracts):
            continue
        who = f"{ctx.quoted(f.id)} is delivered by outside party {ctx.quoted(s.party)}"
        if not contracts:
            yield Hit(
                f"{who} under no contract, so there is no agreed way to take it in-house.",
                [f.id, s.party],
                f"Put it under a contract with {ctx.quoted(s.party)} that gives an insourcing "
                "right for it and an exit plan for the hand-over.",
            )
            continue
        c = contracts[0]
        missing, edits = [], []
        if f.id not in c.insourcing_rights:
            missing.append("no insourcing right")
            edits.append(
                SetField(
                    target="contract",
                    id=c.id,
                    field="insourcing_rights",
                    value=[*c.insourcing_rights, f.id],
                )
            )
        if not c.exit_plan.exists:
            missing.append("no exit plan")
            plan = c.exit_plan.model_dump(mode="json")
            plan["exists"] = True
            edits.append(SetField(target="contract", id=c.id, field="exit_plan", value=plan))
        yield Hit(
            f"{who} with {' and '.join(missing)} in {ctx.quoted(c.id)}.",
            [f.id, s.party, c.id],
            f"Agree the hand-over in {ctx.quoted(c.id)}: the right to take "
            f"{ctx.quoted(f.id)} in-house and an exit plan, then record them.",
            edits,
        )


# --- GOV-05 ------------------------------------------------------------------------------


@rule(
    "GOV-05",
    "warning",
    "Critical work should not rest on one team",
    "When one team does most of the critical work, its absence, turnover or overload stops "
    "the shop: checkout, payments and orders need more than one pair of hands.",
)
def key_person_risk(ctx: CheckContext):
    critical = [
        a.id
        for f in ctx.model.functions
        if f.criticality == "critical"
        for a in ctx.activities_by_function.get(f.id, [])
    ]
    total = len(critical)
    if total < GOV05_MIN_CRITICAL:
        return
    share = ctx.settings.gov05_responsible_share
    internal = ctx.internal
    # internal party -> how many critical activities it is R on (counted in C)
    held = map(set, map(ctx.responsible.get, critical, repeat(())))
    counts = Counter(filter(internal.__contains__, chain.from_iterable(held)))
    for p in ctx.model.parties:
        n = counts.get(p.id, 0)
        if n <= share * total:
            continue
        yield Hit(
            f"{ctx.quoted(p.id)} is Responsible for {n} of the {total} critical activities "
            f"({round(100 * n / total)}%, more than {round(100 * share)}%).",
            [p.id],
            f"Spread the critical work: make another team (or a provider) R on some of "
            f"{ctx.quoted(p.id)}'s critical activities, or build a deputy.",
        )


# --- GOV-06 ------------------------------------------------------------------------------


@rule(
    "GOV-06",
    "info",
    "The organisation profile should fit the online business",
    "How e-commerce is placed, how formal its structure is and how mature it is should "
    "match what is at stake: a large online share needs a formal unit, heavy outsourcing "
    "and an institutionalised structure need maturity to carry them, a separate company "
    "needs online sales that carry it, and a content or community business needs the "
    "functions it lives on.",
)
def organisation_fit(ctx: CheckContext):
    org = ctx.model.organisation
    share = org.online_share_percent
    limit = ctx.settings.gov06_online_share_percent
    if share is not None and share > limit and org.placement in ("no-formal-unit", "committee"):
        how = "no formal unit" if org.placement == "no-formal-unit" else "only a committee"
        yield Hit(
            f"Online sales are {share:g}% of revenue (over {limit:g}%) but e-commerce has {how}.",
            ["organisation.placement"],
            "Give e-commerce a formal home: a department or business unit with its own head "
            "and budget.",
        )
    if (
        org.placement == "separate-company"
        and share is not None
        and share < SEPARATE_COMPANY_MIN_SHARE
    ):
        yield Hit(
            f"E-commerce is a separate company while online sales are only {share:g}% of "
            f"revenue (under {SEPARATE_COMPANY_MIN_SHARE:g}%).",
            ["organisation.placement"],
            "Check that the separate company pays off; a department close to sales and "
            "marketing may serve a small online business better.",
        )
    stage = getattr(org.structure_stage, "value", org.structure_stage)
    if share is not None and share > limit and stage in EARLY_STAGES:
        yield Hit(
            f"Online sales are {share:g}% of revenue (over {limit:g}%) but the e-commerce "
            f"structure is still at the {STAGE_NAMES[stage]} stage.",
            ["organisation.structure_stage"],
            "Formalise e-commerce: name one person or team accountable for the online "
            "business with its own targets and budget, and agree how it works with sales, "
            "marketing, IT and logistics; then record the formalised stage.",
        )
    if org.maturity:
        average = sum(org.maturity.values()) / len(org.maturity)
        if average <= LOW_MATURITY and stage == "institutionalised":
            yield Hit(
                f"The e-commerce structure is institutionalised but maturity is low "
                f"(average {average:.1f} of 5): the unit exists on the organisation chart "
                "without the processes, buy-in and marketing integration to carry it.",
                ["organisation.structure_stage", "organisation.maturity"],
                "Check the self-assessment with the unit's head and senior management; if "
                "it holds, build the strategy process and senior buy-in (targets, budget "
                "rounds, a regular review with the board) before adding more structure.",
            )
        if average <= LOW_MATURITY:
            outsourced: list[str] = []
            for s in ctx.model.assignments:
                if s.mode == "outsourced" and s.function not in outsourced:
                    outsourced.append(s.function)
            if len(outsourced) >= 4:
                yield Hit(
                    f"Maturity is low (average {average:.1f} of 5) while {len(outsourced)} "
                    "functions are outsourced: steering that many providers needs more.",
                    ["organisation.maturity", *outsourced],
                    "Build the in-house capability to manage providers (owner per supplier, "
                    "regular reviews) before outsourcing more, or take some functions back.",
                )
    focus = str(getattr(org.strategy_focus, "value", org.strategy_focus))
    missing = [
        (name, words[0])
        for name, words in FOCUS_FUNCTIONS.get(focus, ())
        if not any(_is_function(f, words) for f in ctx.model.functions)
    ]
    if missing:
        names = [name for name, _ in missing]
        it = "it" if len(missing) == 1 else "them"
        yield Hit(
            f"The strategy focus is {focus}, but the model has no "
            f"{' and no '.join(f'{n} function' for n in names)}: a {focus} business "
            f"lives on {it}.",
            ["organisation.strategy_focus"],
            f"Add {' and '.join(names)} as the {focus} catalog has {it}, with its "
            "activities and an internal team accountable, then decide who delivers "
            f"{it}; or correct the strategy focus.",
            _catalog_function_edits(ctx, [cid for _, cid in missing]),
        )


def _is_function(function, words: tuple[str, ...]) -> bool:
    """Whether `function` is the one `words` describe: its catalog id, or a name holding
    one of the words (a renamed or hand-made function counts)."""
    name = function.name.lower()
    return function.id == words[0] or any(w in name for w in words[1:])


def _catalog_function_edits(ctx: CheckContext, ids: list[str]) -> list:
    """Edits adding the catalog functions `ids` as `ecomraci new` makes them: the
    function, its activities, an in-house assignment to its catalog team, its
    dependencies on functions the model has, and the catalog's A and R per activity (in
    this order, so the app's account of the fix names what it adds first). A catalog team
    the model lacks is replaced by the e-commerce team (or the first internal party);
    nothing is proposed without an internal party."""
    from ecomraci.catalog import FOCUS_FUNCTIONS as CATALOG_FOCUS

    internal = [p.id for p in ctx.model.parties if p.kind == "internal"]
    fallback = _ecommerce_party(ctx) or (internal[0] if internal else None)
    if fallback is None:
        return []
    known = {c.id: c for group in CATALOG_FOCUS.values() for c in group}
    taken = set(ctx.functions) | set(ctx.activities)
    edits: list = []
    for cid in ids:
        c = known.get(cid)
        if c is None or cid in taken:
            continue

        def team(pid: str | None, default: str) -> str:
            return pid if pid in internal else default

        owner = team(c.owner, fallback)
        edits.append(
            AddObject(
                collection="functions",
                item={
                    "id": c.id,
                    "name": c.name,
                    "description": c.description,
                    "criticality": c.criticality,
                    "reversible": c.reversible,
                    "lead_time_months": c.lead_time_months,
                    "data": list(c.data),
                },
            )
        )
        cells: list = []  # the RACI cells come last: their activities have names then
        for a in c.activities:
            aid = f"{c.id}.{a.key}"
            if aid in taken:
                continue
            edits.append(
                AddObject(
                    collection="activities",
                    item={"id": aid, "name": a.name, "function": c.id, "kind": a.kind},
                )
            )
            accountable = team(a.accountable, owner)
            responsible = team(a.responsible, owner)
            row = {accountable: "A"}
            row[responsible] = normalize_letters(row.get(responsible, "") + "R")
            cells += [SetRaci(activity=aid, party=p, letters=x) for p, x in row.items()]
        edits.append(
            AddObject(
                collection="assignments",
                item={"function": c.id, "party": owner, "mode": "in-house"},
            )
        )
        edits += [
            AddObject(collection="dependencies", item={"function": c.id, "needs": need})
            for need in c.needs
            if need in ctx.functions
        ]
        edits += cells
    return edits
