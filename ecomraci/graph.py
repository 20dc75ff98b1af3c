"""networkx views of a model: the function dependency graph (which every check builds
and the rules walk, SRC-02's coupled exit among them) and the party coupling graph
(GOV-02's definition, checked against the rule in the tests).

Edges of the dependency graph run from a function to the function it needs (``f -> g``:
f needs g), carrying the `Dependency` as ``dep``. The check builds this graph on every
run, so `dependency_graph` (and `plain_subgraph`) write straight into networkx's adjacency
dicts rather than through `add_edges_from` (see `_fill`).
"""

from __future__ import annotations

import networkx as nx

from ecomraci.model import Model


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
