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
  the rule looks at their last step. For each checkout and order function present
  (web-store-it, payments, order-management: the catalog ids) every path into it ends
  with one of its direct needs; a provider sits on those paths when it delivers the
  function itself or more than half of its direct needs, and on most paths into checkout
  and orders when that holds for more than half of them and it delivers at least two of
  those functions and their direct needs (`on_checkout_paths`). The earlier reading
  (more than half of everything they need, transitively) could only fire for a provider
  of five or more functions, which the function count already flags.
* DEP-04 compares only contracts with an end date, and reports each pair of contracts
  once, listing the strong dependencies between them; a cross-termination is reported once
  per pair whichever side names the other.
* DEP-05 looks for a chain of dependencies (a walk through the graph, so a cycle can be
  passed through) along which at least three distinct outside parties deliver, that no
  internal integration owner covers. An integration activity with an internal A covers
  the strongly connected component of its function (a chain touching it is integrated
  there) and the providers its name names (`named_providers`: the party's name, its first
  word, or a word for its category such as PSP or 3PL; a named provider does not count
  towards the three). The rule works on the graph of the uncovered functions, condensed
  into its strongly connected components (a DAG), and walks it once from the sinks up,
  carrying for each component the distinct outside parties met on the best chain found
  from it, capped at three; choosing the successor that adds the most new parties is
  greedy, so a chain can be missed in contrived ties but never invented. It runs in
  O(functions + dependencies) and reports one chain per weakly connected part of that
  graph, saying what is missing (no owned integration activity at all, or none covering
  the chain).
* DEP-06 takes as owner of a dependent function the internal party Accountable on most of
  its activities (`function_owners`; `CheckContext.internal_owner` where no internal party
  is A there), the party the catalog informs of changes. Any letter on the change activity
  (C, I, but also A, R, S, V) counts as being in the loop. Findings are grouped per needed
  function: its change activities and every owner left out of them.
* DEP-07 reports a strongly connected component of two or more functions whose deliverers
  are two or more parties, unless one forum already has all those parties as members: the
  forum is where the co-ordination the rule asks for happens, so adding one clears it.

Speed (a big model has 5000 dependencies; see also `ecomraci.rules.engine`):

* The rules read the graph's adjacency dicts (``_pred[g]``: the functions that need g, in
  file order of their dependencies) rather than walking the dependency list each. DEP-02
  finds the crossing dependencies of each needed function with set operations: for g
  delivered by an outside party they are its delivered dependents with other deliverers,
  for g delivered only in-house its dependents delivered outside; only the dependencies
  that name an interface activity are looked at one by one. DEP-06 maps the dependents of
  each needed function to their owners in C and works out who misses which change and
  for which functions when the finding is read.
* DEP-01 and DEP-02 share the list of dependencies with an interface activity; DEP-04
  keeps, per function, only its contracts that can be compared (an end date, no
  cooperation duty) before looking at the strong dependencies.
* DEP-05 copies the uncovered functions with `graph.plain_subgraph` (a networkx subgraph
  view is slow to walk), and DEP-05 and DEP-07 take strongly connected components from
  Kosaraju's algorithm, about twice as fast on a dense graph as networkx's default; what
  they report does not depend on the order the components come in.
* Messages, fixes and edits of the rules with many hits are written when read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from itertools import filterfalse, islice, repeat
from operator import add

import networkx as nx

from ecomraci.dates import add_months as add_months  # re-exported: tests and callers use it
from ecomraci.dates import months_between, shift_months
from ecomraci.edits import AddForum, SetField, SetRaci
from ecomraci.graph import plain_subgraph
from ecomraci.model import Dependency, Forum, normalize_letters
from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule

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
    """True when the two dates are more than `months` months apart (never when `months`
    after the earlier one is beyond the calendar)."""
    early, late = (a, b) if a <= b else (b, a)
    limit = shift_months(early, months)
    return limit is not None and late > limit


def _with(letters: str, add: str = "") -> str:
    return normalize_letters(letters + add)


def _ordered(ids: Iterable[str], order: dict[str, int]) -> list[str]:
    """Unique ids in model order (unknown ids last, by id)."""
    return sorted(set(ids), key=lambda i: (order.get(i, len(order)), i))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _some(q: _Quoted, ids: list[str], limit: int = 5) -> str:
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


def checkout_supply(graph: nx.DiGraph, targets: Iterable[str] = CHECKOUT_AND_ORDERS) -> set[str]:
    """The checkout and order functions present in `graph` and everything they need,
    directly or through other functions."""
    present = [t for t in targets if t in graph]
    supply = set(present)
    for t in present:
        supply |= nx.descendants(graph, t)
    return supply


def checkout_paths(
    graph: nx.DiGraph, targets: Iterable[str] = CHECKOUT_AND_ORDERS
) -> dict[str, set[str]]:
    """The checkout and order functions present in `graph` -> the functions each needs
    directly: the last step of every path of dependencies into it."""
    return {t: set(graph._succ[t]) for t in targets if t in graph}


def on_checkout_paths(paths: dict[str, set[str]], delivered: Iterable[str]) -> list[str]:
    """DEP-03: the checkout and order functions whose paths a provider delivering
    `delivered` sits on, when it sits on most paths into checkout and orders (else []).

    A provider sits on the paths into a function when it delivers the function itself
    (every path ends there) or more than half of what it needs directly (most paths pass
    it on their last step). It sits on most paths into checkout and orders when that holds
    for more than half of those functions and it delivers at least two of them or of
    their direct needs: one function alone is not a concentration."""
    mine = set(delivered)
    on = [t for t, needs in paths.items() if t in mine or 2 * len(needs & mine) > len(needs)]
    if 2 * len(on) <= len(paths):
        return []
    reach = set(paths).union(*paths.values()) if paths else set()
    if len(reach & mine) < DEP03_MIN_ON_PATHS:
        return []
    return on


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
    # Kosaraju's algorithm: on a dense dependency graph about twice as fast as the
    # default (Tarjan's) in networkx; the chains found do not depend on it.
    dag = nx.condensation(graph, scc=list(nx.kosaraju_strongly_connected_components(graph)))
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
    outside = ctx.external_deliverers
    deliverers = ctx.deliverers
    responsible = ctx.responsible
    # contract -> the dependencies whose interface its provider runs for someone else:
    # one finding per contract, since one clause fixes them all.
    found: dict[str, list[Dependency]] = {}
    for dep in ctx.interface_dependencies:
        providers = outside.get(dep.needs)
        if not providers:
            continue
        runners = responsible.get(dep.interface_activity, ())
        delivers_f = deliverers.get(dep.function, ())
        for p in providers:
            if p not in runners or p in delivers_f:
                continue
            if contracts_of is None:
                contracts_of = provider_contracts(ctx)
            for cid in contracts_of.get((p, dep.needs), ()):
                if not ctx.contracts[cid].cooperation_duty:
                    found.setdefault(cid, []).append(dep)
    q = _Quoted(ctx)
    for cid, deps in found.items():
        p = ctx.contracts[cid].party
        yield Hit.deferred(
            [cid, p, *[f"{x.function}->{x.needs}" for x in deps]],
            partial(_interface_text, q, cid, p, deps),
            field_edits("contract", cid, {"cooperation_duty": True}),
        )


def _interface_text(q: _Quoted, cid: str, p: str, deps: list[Dependency]) -> tuple[str, str]:
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
    return (
        f"{q[p]} {what}, and {q[cid]} has no cooperation duty.",
        f"Add a duty to cooperate with other and successor providers to {q[cid]}.",
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
    activities = ctx.activities
    outside = ctx.external_deliverers
    # Grouped so that a big model gives one finding per needed function (one interface
    # activity there can run all its hand-overs) and one per activity without an A.
    # A dependency f -> g crosses parties when both functions are delivered, by
    # different parties, and one of them outside. For a needed function g delivered
    # outside that is every delivered f with other deliverers; for a g delivered only
    # in-house, every f delivered outside (whose deliverers then differ from g's).
    # So the crossing dependencies of g are found with set operations on the functions
    # that need it (the graph's predecessors of g, in file order).
    sides = {f: frozenset(ps) for f, ps in deliverers.items() if ps}
    same: dict[frozenset, set[str]] = {}
    for f, deliverers_of_f in sides.items():
        same.setdefault(deliverers_of_f, set()).add(f)
    delivered = sides.keys()
    delivered_outside = {f for f, ps in outside.items() if ps}
    # g -> the f whose dependency on g names a real interface activity; those without
    # an A are grouped per activity (in file order of the dependencies).
    interfaced: dict[str, set[str]] = {}
    no_owner: dict[str, list[Dependency]] = {}
    for dep in ctx.interface_dependencies:
        aid = dep.interface_activity
        if aid not in activities:
            continue
        got = interfaced.get(dep.needs)
        if got is None:
            interfaced[dep.needs] = {dep.function}
        else:
            got.add(dep.function)
        if accountable.get(aid) or not _crosses(sides, external, dep):
            continue
        no_owner.setdefault(aid, []).append(dep)
    q = _Quoted(ctx)
    nothing: set[str] = set()
    for g, needed_by in ctx.graph._pred.items():
        side = sides.get(g)
        if side is None or not needed_by:
            continue
        if g in delivered_outside:
            crossing = needed_by.keys() & delivered
        else:
            crossing = needed_by.keys() & delivered_outside
        crossing -= same[side]
        crossing -= interfaced.get(g, nothing)
        if not crossing:
            continue
        dependents = list(filter(crossing.__contains__, needed_by))
        yield Hit.deferred(
            [g, *map(add, dependents, repeat("->" + g))],
            partial(_no_interface_text, q, deliverers, g, dependents),
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


def _crosses(sides: dict[str, frozenset], external: set[str], dep: Dependency) -> bool:
    """Whether a dependency crosses parties (DEP-02): both functions delivered, by
    different parties, one of them outside."""
    left, right = sides.get(dep.function), sides.get(dep.needs)
    return (
        left is not None
        and right is not None
        and left != right
        and not (external.isdisjoint(left) and external.isdisjoint(right))
    )


def _no_interface_text(q: _Quoted, deliverers, g: str, dependents: list[str]) -> tuple[str, str]:
    """DEP-02's wording for the functions that need g across parties with no interface
    activity (`dependents`: each once, in file order of their dependencies)."""
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
        + ("this dependency." if len(dependents) == 1 else "these dependencies.")
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
    known = ctx.functions
    for fid, parties in ctx.external_deliverers.items():
        if parties and fid in known:
            for p in parties:
                delivered.setdefault(p, []).append(fid)
    paths = checkout_paths(ctx.graph)
    order = {p.id: i for i, p in enumerate(ctx.model.parties)}
    for p in _ordered(delivered, order):
        functions = delivered[p]
        critical = [f for f in functions if ctx.functions[f].criticality == "critical"]
        too_many = len(functions) >= settings.dep03_max_functions
        reasons = [f"{len(functions)} functions"] if too_many else []
        if len(critical) >= settings.dep03_max_critical:
            reasons.append(
                f"{len(critical)} of them critical"
                if too_many
                else f"{len(critical)} critical functions"
            )
        on = on_checkout_paths(paths, functions)
        if on:
            reasons.append(
                f"most of the supply into {len(on)} of the {len(paths)} checkout and order "
                f"functions ({ctx.names(on)})"
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
    contracts = ctx.contracts
    strong = [d for d in ctx.model.dependencies if d.strength == "strong"]
    # function -> its contracts that can be compared: with an end date and no
    # cooperation duty (worked out once per function, not once per dependency)
    comparable: dict[str, list[str]] = {}
    ends: dict[str, date] = {}  # contract -> its end, for the contracts that can be compared
    if strong:
        ends = {
            k: c.end for k, c in contracts.items() if c.end is not None and not c.cooperation_duty
        }
        for fid, ids in function_contracts(ctx).items():
            ids = [k for k in ids if k in ends]
            if ids:
                comparable[fid] = ids
    pairs: dict[tuple[str, str], list] = {}
    for dep in strong:
        left = comparable.get(dep.function)
        if left is None:
            continue
        right = comparable.get(dep.needs)
        if right is None:
            continue
        for k1 in left:
            end1 = ends[k1]
            for k2 in right:
                if k2 == k1 or not ends_apart(end1, ends[k2], gap):
                    continue
                key = (k1, k2) if order[k1] < order[k2] else (k2, k1)
                deps = pairs.setdefault(key, [])
                if dep not in deps:
                    deps.append(dep)
    q = _Quoted(ctx)
    for (k1, k2), deps in pairs.items():
        end1, end2 = ends[k1], ends[k2]
        later = k2 if end2 >= end1 else k1
        yield Hit.deferred(
            [k1, k2, *[f"{d.function}->{d.needs}" for d in deps]],
            partial(_coupled_text, q, k1, end1, k2, end2, later, deps),
            field_edits("contract", later, {"cooperation_duty": True}),
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
                    target="contract",
                    id=x.id,
                    field="cross_termination",
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


def _coupled_text(
    q: _Quoted, k1: str, end1: date, k2: str, end2: date, later: str, deps: list[Dependency]
) -> tuple[str, str]:
    more = f" (and {len(deps) - 1} more strong dependencies)" if len(deps) > 1 else ""
    return (
        f"{q[deps[0].function]} strongly depends on {q[deps[0].needs]}{more}, but their "
        f"contracts {q[k1]} (ends {end1.isoformat()}) and {q[k2]} "
        f"(ends {end2.isoformat()}) end {months_between(end1, end2)} months apart "
        "and neither has a cooperation duty.",
        f"Add a cooperation duty to {q[later]}, which runs longer, so its provider must "
        "work with a successor on the other side; or align the end dates.",
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
    owned: list[str] = []  # integration activities with an internal A
    open_integration: dict[str, list[str]] = {}
    for a in ctx.activities_by_kind.get(INTEGRATION, ()):
        holders = ctx.accountable.get(a.id, [])
        if any(p in internal for p in holders):
            owned.append(a.id)
        elif not holders:
            open_integration.setdefault(a.function, []).append(a.id)
    parties_of = {f: ps for f, ps in ctx.external_deliverers.items() if ps}
    if len({p for ps in parties_of.values() for p in ps}) < DEP05_MIN_PARTIES:
        return
    graph = ctx.graph
    covered: set[str] = set()
    named: set[str] = set()
    if owned:
        # An owned integration activity covers its function's strongly connected
        # component (the functions tied to it in a cycle) and the providers it names.
        home = {ctx.activities[aid].function for aid in owned}
        for component in nx.kosaraju_strongly_connected_components(graph):
            if not home.isdisjoint(component):
                covered |= component
        covered |= home
        named = named_providers(ctx, owned, {p for ps in parties_of.values() for p in ps})
        if named:
            parties_of = {
                f: kept
                for f, ps in parties_of.items()
                if (kept := [p for p in ps if p not in named])
            }
    uncovered = graph
    if covered:  # a plain copy: networkx subgraph views are slow to walk
        uncovered = plain_subgraph(graph, list(filterfalse(covered.__contains__, graph)))
    order = {f: i for i, f in enumerate(ctx.functions)}
    for start, chain in external_chains(uncovered, parties_of, order):
        on_chain = _unique([start, *(f for _, f in chain)])
        parties = [p for p, _ in chain]
        links = ", ".join(f"{ctx.quoted(p)} ({ctx.name(f)})" for p, f in chain)
        message = (
            f"A dependency chain from {ctx.quoted(start)} runs through {len(chain)} outside "
            f"parties, {links}, and nobody internal is accountable for integrating it: "
            + _missing_integrator(ctx, owned, parties)
        )
        target = next(
            (
                (aid, owner)
                for f in on_chain
                for aid in open_integration.get(f, ())
                if (owner := ctx.internal_owner(f)) is not None
            ),
            None,
        )
        fix = (
            "Make an internal party (IT, for example) the A of an integration activity of "
            f"one of these functions ({ctx.names(on_chain)}), or name these providers in an "
            "integration activity an internal party is accountable for."
        )
        if target is None:
            yield Hit(message, [*on_chain, *parties], fix)
            continue
        aid, owner = target
        row = ctx.model.raci.get(aid, {})
        yield Hit(
            message,
            [*on_chain, *parties],
            f"Make {ctx.quoted(owner)} the A of the integration activity "
            f"{ctx.activity_label(aid)}.",
            [SetRaci(activity=aid, party=owner, letters=_with(row.get(owner, ""), "A"))],
        )


def _missing_integrator(ctx: CheckContext, owned: list[str], parties: list[str]) -> str:
    """What DEP-05 misses on a chain, in words."""
    if not owned:
        return "no integration activity in the model has an internal Accountable."
    shown = [ctx.activity_label(aid) for aid in owned[:3]]
    more = f" and {len(owned) - 3} more" if len(owned) > 3 else ""
    return (
        "no integration activity with an internal Accountable sits on the chain or in a "
        "cycle with its functions, and none names these providers (those with one: "
        f"{', '.join(shown)}{more})."
    )


# Words in an integration activity's name that name a kind of outside party.
_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "payment-provider": ("psp", "psps", "payment", "payments", "acquirer"),
    "3pl": ("3pl", "3pls", "fulfilment", "fulfillment", "warehouse", "logistics"),
    "carrier": ("carrier", "carriers", "shipping", "parcel", "parcels", "courier"),
    "contact-centre": ("contact centre", "contact center", "call centre", "call center"),
    "platform-vendor": ("platform", "platforms"),
    "agency": ("agency", "agencies"),
    "system-integrator": ("integrator", "integrators"),
    "freelancer": ("freelancer", "freelancers"),
}


def _mentions(text: str, word: str) -> bool:
    """Whether `word` appears in `text` (both folded) as a word of its own."""
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            return True
        start = text.find(word, start + 1)
    return False


def named_providers(ctx: CheckContext, activity_ids: list[str], providers: set[str]) -> set[str]:
    """The `providers` that one of the activities names: by the party's name, the first
    word of its name (four letters or more: "Paynord" for "Paynord Payments"), or a word
    for its category ("PSP" for a payment provider, "3PL" for a logistics provider)."""
    # One text for all of them, one search per word: the separator is not part of a word.
    text = "\n".join(ctx.activities[aid].name for aid in activity_ids).casefold()
    found: set[str] = set()
    # word -> whether the text mentions it: the providers of one category share its words
    mentioned: dict[str, bool] = {}
    for p in providers:
        party = ctx.parties[p]
        name = party.name.casefold()
        words = [name]
        first = name.split()[0] if name.split() else ""
        if len(first) >= 4:
            words.append(first)
        words += _CATEGORY_WORDS.get(str(getattr(party.category, "value", party.category)), ())
        for w in words:
            hit = mentioned.get(w)
            if hit is None:
                hit = mentioned[w] = _mentions(text, w)
            if hit:
                found.add(p)
                break
    return found


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
    for a in ctx.activities_by_kind.get(CHANGE, ()):
        changes.setdefault(a.function, []).append(a.id)
    if not changes:
        return
    raci = ctx.model.raci
    # The functions that need g, in file order: the graph's predecessor dict of g.
    needed_by = ctx.graph._pred
    owner = _OwnerOf(ctx).__getitem__
    q = _Quoted(ctx)
    for g, acts in changes.items():
        dependents = needed_by.get(g)
        if not dependents:
            continue
        # The owners of the dependent functions, each once, in the order first met.
        owners = dict.fromkeys(map(owner, dependents))
        owners.pop(None, None)
        if len(acts) == 1:  # the common case: one change activity, which they all miss
            row = raci.get(acts[0]) or {}
            left = list(filterfalse(row.__contains__, owners))
            if not left:
                continue
            missed, missing = acts, None
        else:
            rows = [(aid, raci.get(aid) or {}) for aid in acts]
            in_all = rows[0][1].keys() & rows[1][1].keys()
            for _, row in rows[2:]:
                in_all &= row.keys()
            left = list(filterfalse(in_all.__contains__, owners))
            if not left:
                continue
            # Kept for the wording: which of the owners left out each row holds (read
            # later, maybe after an edit). An activity is missed when some owner is not
            # in its row; they are listed in the order the owners miss them.
            left_set = set(left)
            missing = [(aid, row.keys() & left_set) for aid, row in rows]
            wanted = sum(len(present) < len(left_set) for _, present in missing)
            missed_by: dict[str, None] = {}
            for o in left:
                for aid, present in missing:
                    if o not in present:
                        missed_by[aid] = None
                if len(missed_by) == wanted:
                    break
            missed = list(missed_by)
        left_out = _LeftOut(q, g, missing, missed, dependents, owner, left)
        yield Hit.deferred([g, *left, *missed], left_out.text, left_out.edits)


class _OwnerOf(dict):
    """function id -> the owner DEP-06 informs (None for an unknown function), looked up
    once per function; a dict so that `map` over it runs in C."""

    def __init__(self, ctx: CheckContext):
        super().__init__()
        self.ctx = ctx

    def __missing__(self, f: str) -> str | None:
        ctx = self.ctx
        value = self[f] = ctx.internal_owner(f) if f in ctx.functions else None
        return value


class _LeftOut:
    """A DEP-06 finding: the owners left out of the changes to `g`, what each misses and
    for which of its functions, worked out when the wording or the fix is read.
    `missing` is None when g has one change activity (`missed`, which they all miss),
    else [(change activity, the owners left out that its row holds)]."""

    def __init__(self, q, g, missing, missed, dependents, owner, left):
        self.q, self.g, self.missing, self.missed = q, g, missing, missed
        self.dependents, self.owner, self.left = dependents, owner, left
        self._by_owner: dict[str, tuple[list[str], list[str]]] | None = None

    def by_owner(self) -> dict[str, tuple[list[str], list[str]]]:
        """owner left out -> (the change activities it misses, its functions needing g)"""
        if self._by_owner is None:
            missing = self.missing
            out: dict[str, tuple[list[str], list[str]]] = {
                o: (
                    list(self.missed)
                    if missing is None
                    else [aid for aid, present in missing if o not in present],
                    [],
                )
                for o in self.left
            }
            for f in self.dependents:
                entry = out.get(self.owner(f))
                if entry is not None:
                    entry[1].append(f)
            self._by_owner = out
        return self._by_owner

    def text(self) -> tuple[str, str]:
        return _uninformed_text(self.q, self.g, self.by_owner(), self.missed)

    def edits(self) -> list[SetRaci]:
        return _inform(self.by_owner())


def _uninformed_text(q: _Quoted, g: str, by_owner: dict, acts: list[str]) -> tuple[str, str]:
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
    # Kosaraju's algorithm (see external_chains); the components are sorted below.
    components = [
        _ordered(c, order)
        for c in nx.kosaraju_strongly_connected_components(ctx.graph)
        if len(c) > 1
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
