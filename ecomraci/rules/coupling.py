"""Dependencies and coupling rules (DEP-01 .. DEP-07), on the function dependency graph
(`ctx.graph`: an edge ``f -> g`` means f needs g, carrying the `Dependency` as ``dep``).

They ask what the sourcing map does to change and exit: who runs the interfaces between
providers, whether anyone owns them, which provider the shop cannot do without, which
contracts are tied together, chains and cycles that cross several parties, and whether the
owners of a function hear about changes to what it needs.

Interpretations this module owns (the rule catalog leaves them open):

* "The provider of G" (DEP-01) is an external party among G's deliverers (its
  assignments); its contract for G is the one the assignment names, else any of its
  contracts covering G. A provider with no contract for G gives no DEP-01 finding: there
  is no contract to put the duty in. One finding per contract, listing its interfaces.
* DEP-02: a dependency "crosses parties" when the deliverers of the two functions differ
  and at least one of them is an outside party. Hand-offs between internal teams are
  governed by the line organisation (and GOV-02's forum), and a model fresh from the
  catalog, all in-house, must check clean. Findings are grouped: one per needed function
  for the dependencies with no interface activity (one interface activity there can run
  all its hand-overs), one per interface activity without an A.
* DEP-03 "sits on most paths into checkout and orders": counting paths is exponential, so
  the rule counts functions instead. The functions checkout and orders rely on are
  web-store-it, payments and order-management (the catalog ids, where present) plus every
  function they need directly or through others (`nx.descendants`: the supply lines into
  them; `nx.ancestors` would be the functions that need checkout, which is not a risk to
  it). A provider sits on most paths when it delivers more than half of those functions and
  at least two of them.
* DEP-04 compares only contracts with an end date, and reports each pair of contracts
  once, listing the strong dependencies between them; a cross-termination is reported once
  per pair whichever side names the other.
* DEP-05 looks for a chain of dependencies (a walk through the graph, so a cycle can be
  passed through) along which at least three distinct outside parties deliver, such that
  no function on the chain has an integration activity with an internal A. It works on the
  graph of functions lacking such an activity, condensed into its strongly connected
  components (a DAG), and walks it once from the sinks up, carrying for each component the
  distinct outside parties met on the best chain found from it, capped at three; choosing
  the successor that adds the most new parties is greedy, so a chain can be missed in
  contrived ties but never invented. It runs in O(functions + dependencies) and reports one
  chain per weakly connected part of that graph.
* DEP-06 takes as owner of a dependent function the internal party Accountable on most of
  its activities (`function_owners`; `CheckContext.internal_owner` where no internal party
  is A there), the party the catalog informs of changes. Any letter on the change activity
  (C, I, but also A, R, S, V) counts as being in the loop. Findings are grouped per needed
  function: its change activities and every owner left out of them.
* DEP-07 reports a strongly connected component of two or more functions whose deliverers
  are two or more parties, unless one forum already has all those parties as members: the
  forum is where the co-ordination the rule asks for happens, so adding one clears it.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from itertools import islice
from typing import Iterable

import networkx as nx

from ecomraci.dates import add_months, months_between
from ecomraci.edits import AddForum, SetField, SetRaci
from ecomraci.model import Dependency, Forum, normalize_letters
from ecomraci.rules.engine import CheckContext, Hit, rule

# DEP-03: the functions behind checkout and orders, by their catalog ids.
CHECKOUT_AND_ORDERS = ("web-store-it", "payments", "order-management")
# DEP-03: a provider must deliver at least this many of them to "sit on most paths".
DEP03_MIN_ON_PATHS = 2
# DEP-05: the number of distinct outside parties on a chain that makes it a finding.
DEP05_MIN_PARTIES = 3
CHANGE = "change"
INTEGRATION = "integration"


# --- pure helpers ----------------------------------------------------------------------


def ends_apart(a: date, b: date, months: int) -> bool:
    """True when the two dates are more than `months` months apart."""
    early, late = (a, b) if a <= b else (b, a)
    return late > add_months(early, months)


def _with(letters: str, add: str = "") -> str:
    return normalize_letters(letters + add)


def _ordered(ids: Iterable[str], order: dict[str, int]) -> list[str]:
    """Unique ids in model order (unknown ids last, by id)."""
    return sorted(set(ids), key=lambda i: (order.get(i, len(order)), i))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _some(q: "_Quoted", ids: list[str], limit: int = 5) -> str:
    """The first `limit` names, and how many more: “A”, “B” and “C”; “A”, “B” and 3 more."""
    if len(ids) > limit:
        return f"{q.names(ids[:limit])} and {len(ids) - limit} more"
    if len(ids) > 1:
        return f"{q.names(ids[:-1])} and {q[ids[-1]]}"
    return q.names(ids)


class _Quoted(dict):
    """id -> the quoted name, looked up once per id (rules with thousands of hits spend
    most of their time naming things)."""

    def __init__(self, ctx: CheckContext):
        super().__init__()
        self.ctx = ctx

    def __missing__(self, key: str) -> str:
        value = self[key] = self.ctx.quoted(key)
        return value

    def names(self, ids: Iterable[str]) -> str:
        return ", ".join(self[i] for i in ids)


def provider_contracts(ctx: CheckContext) -> dict[tuple[str, str], list[str]]:
    """(party, function) -> ids of the contracts under which the party delivers the
    function: the contract its assignment names first, then its other contracts covering
    the function."""
    out: dict[tuple[str, str], list[str]] = {}
    for s in ctx.model.assignments:
        if s.contract is not None and s.contract in ctx.contracts:
            ids = out.setdefault((s.party, s.function), [])
            if s.contract not in ids:
                ids.append(s.contract)
    for c in ctx.model.contracts:
        for fid in c.covers:
            ids = out.setdefault((c.party, fid), [])
            if c.id not in ids:
                ids.append(c.id)
    return out


def function_contracts(ctx: CheckContext) -> dict[str, list[str]]:
    """Function id -> the contracts it runs under (named by an assignment or covering it)."""
    out: dict[str, list[str]] = {}
    for s in ctx.model.assignments:
        if s.contract is not None and s.contract in ctx.contracts:
            ids = out.setdefault(s.function, [])
            if s.contract not in ids:
                ids.append(s.contract)
    for c in ctx.model.contracts:
        for fid in c.covers:
            ids = out.setdefault(fid, [])
            if c.id not in ids:
                ids.append(c.id)
    return out


def external_deliverers(ctx: CheckContext) -> dict[str, list[str]]:
    external = ctx.external
    return {
        f: _unique(p for p in parties if p in external) for f, parties in ctx.deliverers.items()
    }


def checkout_supply(graph: nx.DiGraph, targets: Iterable[str] = CHECKOUT_AND_ORDERS) -> set[str]:
    """The checkout and order functions present in `graph` and everything they need,
    directly or through other functions."""
    present = [t for t in targets if t in graph]
    supply = set(present)
    for t in present:
        supply |= nx.descendants(graph, t)
    return supply


def external_chains(
    graph: nx.DiGraph,
    parties_of: dict[str, list[str]],
    order: dict[str, int],
    minimum: int = DEP05_MIN_PARTIES,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Chains of dependencies along which `minimum` distinct outside parties deliver.

    `parties_of` gives each function's outside deliverers. Returns, for each weakly
    connected part of `graph` that has such a chain, (the function the chain starts at,
    [(party, the function on the chain it delivers), ...] with `minimum` pairs in chain
    order). See the module docstring for the method; linear in the size of the graph.
    """
    if graph.number_of_nodes() == 0:
        return []
    dag = nx.condensation(graph)
    members = {c: sorted(dag.nodes[c]["members"], key=lambda f: order.get(f, 0)) for c in dag}
    first = {c: order.get(members[c][0], 0) for c in dag}
    best: dict[int, list[tuple[str, str]]] = {}
    for c in reversed(list(nx.topological_sort(dag))):
        own: list[tuple[str, str]] = []
        seen: set[str] = set()
        for f in members[c]:
            for p in parties_of.get(f, ()):
                if p not in seen and len(own) < minimum:
                    seen.add(p)
                    own.append((p, f))
        chosen = own
        if len(own) < minimum:
            for s in sorted(dag.successors(c), key=first.__getitem__):
                merged = own + [pair for pair in best[s] if pair[0] not in seen]
                merged = merged[:minimum]
                if len(merged) > len(chosen):
                    chosen = merged
                    if len(chosen) >= minimum:
                        break
        best[c] = chosen
    found: list[tuple[str, list[tuple[str, str]]]] = []
    for part in nx.weakly_connected_components(dag):
        hits = [c for c in part if len(best[c]) >= minimum]
        if not hits:
            continue
        start = min(hits, key=first.__getitem__)
        found.append((members[start][0], best[start]))
    found.sort(key=lambda item: order.get(item[0], 0))
    return found


def _forum_id(base: str, taken: set[str]) -> str:
    base = base[:72]
    fid, n = base, 2
    while fid in taken:
        fid, n = f"{base}-{n}", n + 1
    return fid


# --- DEP-01 ------------------------------------------------------------------------------


@rule(
    "DEP-01",
    "warning",
    "A provider that runs an interface for others needs a cooperation duty",
    "When a provider runs the interface between its own service and a function someone else "
    "delivers, nothing obliges it to help that other party: a release, an incident or a "
    "change of provider on the other side stalls at its door.",
)
def interface_without_cooperation(ctx: CheckContext):
    contracts_of = None
    external = ctx.external
    deliverers = ctx.deliverers
    # contract -> the dependencies whose interface its provider runs for someone else:
    # one finding per contract, since one clause fixes them all.
    found: dict[str, list[Dependency]] = {}
    for dep in ctx.model.dependencies:
        if dep.interface_activity is None:
            continue
        f, g = dep.function, dep.needs
        providers = [p for p in deliverers.get(g, ()) if p in external]
        if not providers:
            continue
        runners = ctx.responsible.get(dep.interface_activity, ())
        delivers_f = deliverers.get(f, ())
        for p in _unique(providers):
            if p not in runners or p in delivers_f:
                continue
            if contracts_of is None:
                contracts_of = provider_contracts(ctx)
            for cid in contracts_of.get((p, g), ()):
                if not ctx.contracts[cid].cooperation_duty:
                    found.setdefault(cid, []).append(dep)
    q = _Quoted(ctx)
    for cid, deps in found.items():
        p = ctx.contracts[cid].party
        d = deps[0]
        if len(deps) == 1:
            what = (
                f"runs the interface ({q[d.interface_activity]}) between its {q[d.needs]} and "
                f"{q[d.function]}, which it does not deliver"
            )
        else:
            links = [f"{q[x.function]} needs {q[x.needs]}" for x in deps[:4]]
            what = (
                f"runs {len(deps)} interfaces for functions it does not deliver ("
                + "; ".join(links)
                + (f"; and {len(deps) - 4} more" if len(deps) > 4 else "")
                + ")"
            )
        yield Hit(
            f"{q[p]} {what}, and {q[cid]} has no cooperation duty.",
            [cid, p, *(x.id for x in deps)],
            f"Add a duty to cooperate with other and successor providers to {q[cid]}.",
            [SetField(target="contract", id=cid, field="cooperation_duty", value=True)],
        )


# --- DEP-02 ------------------------------------------------------------------------------


@rule(
    "DEP-02",
    "warning",
    "A dependency between parties needs an owned interface activity",
    "Where work passes between the company and an outside party, the hand-over itself is "
    "work: feeds break, integrations drift. Without an interface activity that someone is "
    "Accountable for, each side assumes the other watches it.",
)
def unowned_interface(ctx: CheckContext):
    external = ctx.external
    deliverers = ctx.deliverers
    accountable = ctx.accountable
    # Grouped so that a big model gives one finding per needed function (one interface
    # activity there can run all its hand-overs) and one per activity without an A.
    no_activity: dict[str, list[Dependency]] = {}
    no_owner: dict[str, list[Dependency]] = {}
    # per function: its deliverers as a set, and whether one of them is outside
    sides = {f: (set(ps), not external.isdisjoint(ps)) for f, ps in deliverers.items()}
    nobody = (set(), False)
    for dep in ctx.model.dependencies:
        left, left_out = sides.get(dep.function, nobody)
        right, right_out = sides.get(dep.needs, nobody)
        # crosses parties: both sides delivered, by different parties, one outside
        if not (left and right and (left_out or right_out)) or left == right:
            continue
        aid = dep.interface_activity
        if aid is None or aid not in ctx.activities:
            no_activity.setdefault(dep.needs, []).append(dep)
        elif not accountable.get(aid):
            no_owner.setdefault(aid, []).append(dep)
    q = _Quoted(ctx)
    for g, deps in no_activity.items():
        yield Hit.deferred(
            [g, *[f"{d.function}->{d.needs}" for d in deps]],
            partial(_no_interface_text, q, deliverers, g, deps),
        )
    for aid, deps in no_owner.items():
        d = deps[0]
        more = f" and {len(deps) - 1} more" if len(deps) > 1 else ""
        message = (
            f"{ctx.activity_label(aid)} runs the interface between {q[d.function]} and "
            f"{q[d.needs]}{more}, but has no Accountable."
        )
        subjects = [aid, *(x.id for x in deps)]
        owner = ctx.internal_owner(ctx.activities[aid].function)
        if owner is None:
            yield Hit(message, subjects, "Make an internal party the A of this activity.")
            continue
        row = ctx.model.raci.get(aid, {})
        yield Hit(
            message,
            subjects,
            f"Make {q[owner]} the A of {q[aid]}.",
            [SetRaci(activity=aid, party=owner, letters=_with(row.get(owner, ""), "A"))],
        )


def _no_interface_text(q: "_Quoted", deliverers, g: str, deps: list[Dependency]) -> tuple[str, str]:
    dependents = _unique(d.function for d in deps)
    if len(dependents) == 1:
        f = dependents[0]
        message = (
            f"{q[f]} ({q.names(_unique(deliverers[f]))}) depends on {q[g]} "
            f"({q.names(_unique(deliverers[g]))}), but no activity runs the interface."
        )
    else:
        message = (
            f"{len(dependents)} functions depend on {q[g]} "
            f"({q.names(_unique(deliverers[g]))}) across parties with no activity "
            f"running the interface: {_some(q, dependents)}."
        )
    fix = (
        f"Give {q[g]} an interface activity with an internal A and name it as the "
        "interface activity of "
        + ("this dependency." if len(deps) == 1 else "these dependencies.")
    )
    return message, fix


# --- DEP-03 ------------------------------------------------------------------------------


@rule(
    "DEP-03",
    "warning",
    "One provider concentrates too much of the shop",
    "A provider that delivers many functions, several critical ones, or most of what "
    "checkout and orders rely on is a single point of failure and a weak negotiating "
    "position: an outage, a price rise or an insolvency there hits the whole shop.",
)
def concentration(ctx: CheckContext):
    settings = ctx.settings
    delivered: dict[str, list[str]] = {}
    for fid, parties in ctx.deliverers.items():
        for p in _unique(parties):
            if p in ctx.external and fid in ctx.functions:
                delivered.setdefault(p, []).append(fid)
    supply = checkout_supply(ctx.graph)
    order = {p.id: i for i, p in enumerate(ctx.model.parties)}
    for p in _ordered(delivered, order):
        functions = delivered[p]
        critical = [f for f in functions if ctx.functions[f].criticality == "critical"]
        on_paths = [f for f in functions if f in supply]
        too_many = len(functions) >= settings.dep03_max_functions
        reasons = [f"{len(functions)} functions"] if too_many else []
        if len(critical) >= settings.dep03_max_critical:
            reasons.append(
                f"{len(critical)} of them critical" if too_many
                else f"{len(critical)} critical functions"
            )
        if len(on_paths) >= DEP03_MIN_ON_PATHS and 2 * len(on_paths) > len(supply):
            reasons.append(
                f"{len(on_paths)} of the {len(supply)} functions checkout and orders rely on"
            )
        if not reasons:
            continue
        shown = ctx.names(functions[:5]) + (
            f" and {len(functions) - 5} more" if len(functions) > 5 else ""
        )
        yield Hit(
            f"Outside party {ctx.quoted(p)} delivers {'; '.join(reasons)}: {shown}.",
            [p, *functions],
            f"Spread these functions over more than one provider, or secure the exit from "
            f"{ctx.quoted(p)}: per-function termination, a tested exit plan and a cooperation "
            "duty.",
        )


# --- DEP-04 ------------------------------------------------------------------------------


@rule(
    "DEP-04",
    "warning",
    "Contract ends must fit how the functions are coupled",
    "When two strongly coupled functions sit in contracts that end years apart, replacing "
    "one provider means integrating a newcomer with an incumbent who owes it nothing. "
    "Cross-termination ties contracts the other way: ending one ends the other.",
)
def coupled_contracts(ctx: CheckContext):
    gap = ctx.settings.dep04_end_gap_months
    order = {c.id: i for i, c in enumerate(ctx.model.contracts)}
    by_function = None
    pairs: dict[tuple[str, str], list] = {}
    for dep in ctx.model.dependencies:
        if dep.strength != "strong":
            continue
        if by_function is None:
            by_function = function_contracts(ctx)
        for k1 in by_function.get(dep.function, ()):
            c1 = ctx.contracts[k1]
            if c1.end is None or c1.cooperation_duty:
                continue
            for k2 in by_function.get(dep.needs, ()):
                c2 = ctx.contracts[k2]
                if k2 == k1 or c2.end is None or c2.cooperation_duty:
                    continue
                if not ends_apart(c1.end, c2.end, gap):
                    continue
                key = (k1, k2) if order[k1] < order[k2] else (k2, k1)
                deps = pairs.setdefault(key, [])
                if dep not in deps:
                    deps.append(dep)
    q = _Quoted(ctx)
    for (k1, k2), deps in pairs.items():
        c1, c2 = ctx.contracts[k1], ctx.contracts[k2]
        later = c2 if c2.end >= c1.end else c1
        more = f" (and {len(deps) - 1} more strong dependencies)" if len(deps) > 1 else ""
        yield Hit(
            f"{q[deps[0].function]} strongly depends on {q[deps[0].needs]}{more}, but their "
            f"contracts {q[k1]} (ends {c1.end.isoformat()}) and {q[k2]} "
            f"(ends {c2.end.isoformat()}) end {months_between(c1.end, c2.end)} months apart "
            "and neither has a cooperation duty.",
            [k1, k2, *(d.id for d in deps)],
            f"Add a cooperation duty to {q[later.id]}, which runs longer, so its provider must "
            "work with a successor on the other side; or align the end dates.",
            [SetField(target="contract", id=later.id, field="cooperation_duty", value=True)],
        )
    seen: set[tuple[str, str]] = set()
    for c in ctx.model.contracts:
        for other in c.cross_termination:
            if other == c.id or other not in ctx.contracts:
                continue
            key = (c.id, other) if order[c.id] < order[other] else (other, c.id)
            if key in seen:
                continue
            seen.add(key)
            a, b = ctx.contracts[key[0]], ctx.contracts[key[1]]
            edits = [
                SetField(
                    target="contract", id=x.id, field="cross_termination",
                    value=[y for y in x.cross_termination if y != z.id],
                )
                for x, z in ((a, b), (b, a))
                if z.id in x.cross_termination
            ]
            yield Hit(
                f"{ctx.quoted(a.id)} and {ctx.quoted(b.id)} must end together: a "
                "cross-termination clause ends one when the other ends.",
                [a.id, b.id],
                f"Remove the cross-termination between {ctx.quoted(a.id)} and "
                f"{ctx.quoted(b.id)}, so each can be ended or renewed on its own.",
                edits,
            )


# --- DEP-05 ------------------------------------------------------------------------------


@rule(
    "DEP-05",
    "warning",
    "A chain through several providers needs an internal integration owner",
    "When a chain of dependencies runs through three or more outside parties, a failure "
    "bounces between them unless someone inside is accountable for integrating the whole: "
    "each provider sees only its own link.",
)
def chain_without_integrator(ctx: CheckContext):
    internal = ctx.internal
    covered: set[str] = set()
    open_integration: dict[str, list[str]] = {}
    for a in ctx.model.activities:
        if a.kind != INTEGRATION:
            continue
        holders = ctx.accountable.get(a.id, [])
        if any(p in internal for p in holders):
            covered.add(a.function)
        elif not holders:
            open_integration.setdefault(a.function, []).append(a.id)
    parties_of = {f: ps for f, ps in external_deliverers(ctx).items() if ps}
    if len({p for ps in parties_of.values() for p in ps}) < DEP05_MIN_PARTIES:
        return
    graph = ctx.graph
    uncovered = graph
    if covered:  # a plain copy: networkx subgraph views are slow to walk
        uncovered = nx.DiGraph()
        uncovered.add_nodes_from(f for f in graph if f not in covered)
        uncovered.add_edges_from(
            (f, g) for f, g in graph.edges() if f not in covered and g not in covered
        )
    order = {f: i for i, f in enumerate(ctx.functions)}
    for start, chain in external_chains(uncovered, parties_of, order):
        on_chain = _unique([start, *(f for _, f in chain)])
        parties = [p for p, _ in chain]
        links = ", ".join(f"{ctx.quoted(p)} ({ctx.name(f)})" for p, f in chain)
        message = (
            f"A dependency chain from {ctx.quoted(start)} runs through {len(chain)} outside "
            f"parties, {links}, and nobody internal is accountable for integrating it."
        )
        target = next(
            (
                (aid, f)
                for f in on_chain
                for aid in open_integration.get(f, ())
                if ctx.internal_owner(f) is not None
            ),
            None,
        )
        fix = (
            "Make an internal party (IT, for example) the A of an integration activity of "
            f"one of these functions ({ctx.names(on_chain)})."
        )
        if target is None:
            yield Hit(message, [*on_chain, *parties], fix)
            continue
        aid, f = target
        owner = ctx.internal_owner(f)
        row = ctx.model.raci.get(aid, {})
        yield Hit(
            message,
            [*on_chain, *parties],
            f"Make {ctx.quoted(owner)} the A of the integration activity "
            f"{ctx.activity_label(aid)}.",
            [SetRaci(activity=aid, party=owner, letters=_with(row.get(owner, ""), "A"))],
        )


# --- DEP-06 ------------------------------------------------------------------------------


@rule(
    "DEP-06",
    "warning",
    "Owners of dependent functions should hear about changes",
    "A release, a new promotion logic or a changed feed in one function breaks the "
    "functions that rely on it when their owners learn of it from customers. Consulting or "
    "at least informing them turns surprises into planned work.",
)
def changes_not_shared(ctx: CheckContext):
    changes: dict[str, list[str]] = {}
    for a in ctx.model.activities:
        if a.kind == CHANGE:
            changes.setdefault(a.function, []).append(a.id)
    if not changes:
        return
    raci = ctx.model.raci
    owner_of = ctx.internal_owner
    # needed function -> owner left out -> (the change activities it misses, its functions)
    left_out: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
    # needed function -> its change activities with their RACI rows
    act_rows = {g: [(aid, raci.get(aid) or {}) for aid in acts] for g, acts in changes.items()}
    owners: dict[str, str | None] = {}
    functions = ctx.functions
    for dep in ctx.model.dependencies:
        rows = act_rows.get(dep.needs)
        if rows is None:
            continue
        f = dep.function
        owner = owners.get(f, "")
        if owner == "":
            owner = owners[f] = owner_of(f) if f in functions else None
        if owner is None:
            continue
        if len(rows) == 1:  # the common case, without building a list
            if owner in rows[0][1]:
                continue
            missing = [rows[0][0]]
        else:
            missing = [aid for aid, row in rows if owner not in row]
            if not missing:
                continue
        by_owner = left_out.setdefault(dep.needs, {})
        if owner in by_owner:
            by_owner[owner][1].append(f)
        else:
            by_owner[owner] = (missing, [f])
    q = _Quoted(ctx)
    for g, by_owner in left_out.items():
        acts = _unique(aid for missing, _ in by_owner.values() for aid in missing)
        yield Hit.deferred(
            [g, *by_owner, *acts],
            partial(_uninformed_text, q, g, by_owner, acts),
            partial(_inform, by_owner),
        )


def _uninformed_text(q: "_Quoted", g: str, by_owner: dict, acts: list[str]) -> tuple[str, str]:
    who = [f"{q[o]} (owner of {_some(q, fs, 3)})" for o, (_, fs) in islice(by_owner.items(), 5)]
    shown = "; ".join(who) + (f"; and {len(by_owner) - 5} more" if len(by_owner) > 5 else "")
    return (
        f"The owners of functions that depend on {q[g]} are neither consulted nor "
        f"informed on its changes ({_some(q, acts, 8)}): {shown}.",
        f"Inform {_some(q, list(by_owner), 5)} (I) of the changes to {q[g]}.",
    )


def _inform(by_owner: dict[str, tuple[list[str], list[str]]]) -> list[SetRaci]:
    return [
        SetRaci(activity=aid, party=o, letters="I")
        for o, (missing, _) in by_owner.items()
        for aid in missing
    ]


# --- DEP-07 ------------------------------------------------------------------------------


def _coordinated(ctx: CheckContext, parties: set[str], forums: list[set[str]]) -> bool:
    """A cycle's changes are co-ordinated when one forum holds all its parties, or when
    one internal party sits in forums that together hold them all (it carries changes
    from one meeting to the next)."""
    if any(parties <= members for members in forums):
        return True
    for p in ctx.internal:
        reach: set[str] = set()
        for members in forums:
            if p in members:
                reach |= members
        if parties <= reach:
            return True
    return False


@rule(
    "DEP-07",
    "info",
    "A dependency cycle across parties needs co-ordinated changes",
    "Functions that depend on each other in a circle cannot be changed, tested or moved one "
    "at a time: when different parties deliver them, their changes have to be planned "
    "together.",
)
def cycle_across_parties(ctx: CheckContext):
    order = {f: i for i, f in enumerate(ctx.functions)}
    party_order = {p: i for i, p in enumerate(ctx.parties)}
    forums = [set(f.members) for f in ctx.model.forums]
    taken = {f.id for f in ctx.model.forums}
    components = [
        _ordered(c, order) for c in nx.strongly_connected_components(ctx.graph) if len(c) > 1
    ]
    components.sort(key=lambda c: order.get(c[0], len(order)))
    for functions in components:
        parties = _ordered((p for f in functions for p in ctx.deliverers.get(f, ())), party_order)
        if len(parties) < 2 or _coordinated(ctx, set(parties), forums):
            continue
        fid = _forum_id(f"forum-cycle-{functions[0]}", taken)
        taken.add(fid)
        forum = Forum(
            id=fid,
            name=f"Change co-ordination: {ctx.name(functions[0])} cycle"[:200],
            cadence_days=30,
            members=parties,
        )
        q = _Quoted(ctx)
        yield Hit(
            f"{_some(q, functions, 6)} depend on each other in a cycle and are delivered by "
            f"{len(parties)} parties ({_some(q, parties, 6)}), who share no forum to "
            "co-ordinate changes.",
            [*functions, *parties],
            "Plan changes to these functions together in a common forum (a monthly change "
            "co-ordination meeting), or break the cycle.",
            [AddForum(forum=forum)],
        )
