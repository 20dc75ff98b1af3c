"""networkx views of a model: the function dependency graph, the party coupling graph and
contract bundles, plus the one question the product is about: what breaks if function F
leaves contract K (`exit_impact`).

Edges of the dependency graph run from a function to the function it needs (``f -> g``:
f needs g), carrying the `Dependency` as ``dep``. The check builds this graph on every
run, so `dependency_graph` (and `plain_subgraph`) write straight into networkx's adjacency
dicts rather than through `add_edges_from` (see `_fill`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ecomraci.model import Contract, Model


def dependency_graph(model: Model) -> nx.DiGraph:
    g = nx.DiGraph()
    try:
        _fill(g, model)
    except KeyError:  # a dependency names an unknown function (integrity reports it)
        g = nx.DiGraph()
        g.add_nodes_from((f.id, {"function": f}) for f in model.functions)
        g.add_edges_from((d.function, d.needs, {"dep": d}) for d in model.dependencies)
    return g


def _fill(g: nx.DiGraph, model: Model) -> None:
    """Write the functions and dependencies of `model` into the empty graph `g` through
    its adjacency dicts (``_node``, ``_succ``, ``_pred``: networkx's documented data
    structure), which gives the graph `add_nodes_from`/`add_edges_from` would build in
    less than half their time: the check builds this graph for every run, and
    `add_edges_from` spends most of its time on checks a valid model does not need.
    Raises KeyError when a dependency names a function the model does not have."""
    node, succ, pred = g._node, g._succ, g._pred
    for f in model.functions:
        node[f.id] = {"function": f}
        succ[f.id] = {}
        pred[f.id] = {}
    for d in model.dependencies:
        data = {"dep": d}
        succ[d.function][d.needs] = data
        pred[d.needs][d.function] = data


def plain_subgraph(graph: nx.DiGraph, nodes: list[str]) -> nx.DiGraph:
    """A new graph of `nodes` (each a node of `graph`, in this order) and the edges of
    `graph` between them, without attributes: what ``graph.subgraph(nodes).copy()``
    gives apart from the attributes, built straight into the adjacency dicts (a subgraph
    view is slow to walk, and copying it slower still)."""
    keep = set(nodes)
    sub = nx.DiGraph()
    node, succ, pred = sub._node, sub._succ, sub._pred
    for f in nodes:
        node[f] = {}
        succ[f] = {}
        pred[f] = {}
    source = graph._succ
    for f in nodes:
        out = succ[f]
        for g in filter(keep.__contains__, source[f]):
            out[g] = pred[g][f] = {}
    return sub


def deliverers(model: Model) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {f.id: [] for f in model.functions}
    for s in model.assignments:
        out.setdefault(s.function, []).append(s.party)
    return out


def party_coupling_graph(model: Model) -> nx.Graph:
    """Parties joined when a function one delivers depends on a function the other
    delivers; edge attribute ``dependencies`` lists the dependency ids behind the link."""
    by_function = deliverers(model)
    g = nx.Graph()
    for p in model.parties:
        g.add_node(p.id, party=p)
    for d in model.dependencies:
        for a in by_function.get(d.function, []):
            for b in by_function.get(d.needs, []):
                if a == b:
                    continue
                if g.has_edge(a, b):
                    g.edges[a, b]["dependencies"].append(d.id)
                else:
                    g.add_edge(a, b, dependencies=[d.id])
    return g


def contract_bundles(model: Model) -> dict[str, list[str]]:
    """Contract id -> the functions it covers (only contracts covering two or more)."""
    return {c.id: list(c.covers) for c in model.contracts if len(c.covers) > 1}


def interface_runner(model: Model, dependency) -> set[str]:
    """Parties Responsible for the activity that runs a dependency's interface."""
    if dependency.interface_activity is None:
        return set()
    row = model.raci.get(dependency.interface_activity, {})
    return {p for p, letters in row.items() if "R" in letters}


@dataclass
class AtRisk:
    function: str
    reasons: list[str] = field(default_factory=list)


def exit_impact(model: Model, function_id: str, contract: Contract, graph: nx.DiGraph | None = None) -> list[AtRisk]:
    """The other functions of `contract` put at risk if `function_id` leaves it.

    A function of the contract is at risk when it depends on the leaving function
    directly (any strength) or through a chain of strong dependencies, or when its
    interface with the leaving function (in either direction) is run by the contract's
    provider, who would then be serving a function it no longer delivers. Longer chains
    follow strong dependencies only: through medium and weak data feeds nearly every
    shop function reaches every other, which would make the reason meaningless.
    """
    g = graph if graph is not None else dependency_graph(model)
    others = [f for f in contract.covers if f != function_id]
    if function_id not in g:
        return []
    strong = nx.subgraph_view(g, filter_edge=lambda u, v: g.edges[u, v]["dep"].strength == "strong")
    # nx.ancestors: every node with a path to function_id, i.e. every function that needs it.
    needs_it = nx.ancestors(strong, function_id)
    result: list[AtRisk] = []
    for other in others:
        reasons: list[str] = []
        if g.has_edge(other, function_id):
            reasons.append("depends on it directly")
        elif other in needs_it:
            path = nx.shortest_path(strong, other, function_id)
            reasons.append("depends on it through " + " -> ".join(path[1:-1]))
        for a, b in ((other, function_id), (function_id, other)):
            if g.has_edge(a, b):
                dep = g.edges[a, b]["dep"]
                if contract.party in interface_runner(model, dep):
                    reasons.append("its interface with it is run by the same provider")
        if reasons:
            result.append(AtRisk(other, reasons))
    return result
