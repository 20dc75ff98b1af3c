"""The short cuts that keep a big check fast give the answers of the plain ways.

`dependency_graph` and `plain_subgraph` write into networkx's adjacency dicts; rules
write their wording and edits when a finding is read, which may be after the model was
edited in place (the app's undo commands do that); the findings are ordered and waived
by the engine's own grouping.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from bench.generate import generate
from ecomraci.edits import RemoveObject, apply_edit_in_place
from ecomraci.graph import dependency_graph, plain_subgraph
from ecomraci.model import Dependency, Waiver
from ecomraci.rules import check
from ecomraci.rules.engine import severity_rank

AS_OF = date(2025, 1, 1)


def small_model():
    return generate(
        functions=40, activities=200, parties=20, dependencies=300, contracts=15, seed=5
    )


def built_with_networkx(model) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from((f.id, {"function": f}) for f in model.functions)
    g.add_edges_from((d.function, d.needs, {"dep": d}) for d in model.dependencies)
    return g


def test_dependency_graph_is_the_graph_add_edges_from_builds():
    model = small_model()
    fast, plain = dependency_graph(model), built_with_networkx(model)
    assert list(fast.nodes(data=True)) == list(plain.nodes(data=True))
    assert list(fast.edges(data=True)) == list(plain.edges(data=True))
    # the rules read the functions that need g in file order of the dependencies
    for g in plain:
        assert list(fast.pred[g]) == list(plain.pred[g])
    assert sorted(map(len, nx.strongly_connected_components(fast))) == sorted(
        map(len, nx.strongly_connected_components(plain))
    )


def test_dependency_graph_keeps_a_dependency_on_an_unknown_function():
    model = small_model()
    model.dependencies.append(Dependency(function=model.functions[0].id, needs="nowhere"))
    g = dependency_graph(model)
    assert g.has_edge(model.functions[0].id, "nowhere")
    assert list(g.edges(data=True)) == list(built_with_networkx(model).edges(data=True))


def test_plain_subgraph_is_the_subgraph_without_attributes():
    model = small_model()
    g = dependency_graph(model)
    kept = [f for i, f in enumerate(g) if i % 3]
    sub = plain_subgraph(g, kept)
    view = g.subgraph(kept)
    assert list(sub) == kept
    assert set(sub.edges()) == set(view.edges())
    assert all(data == {} for _, _, data in sub.edges(data=True))
    assert {(u, v) for v in sub for u in sub.pred[v]} == set(view.edges())


def test_findings_read_after_the_model_is_edited_in_place():
    model = generate(
        functions=40, activities=200, parties=20, dependencies=120, contracts=15, seed=5
    )
    for d in model.dependencies:  # weak ones couple no parties for GOV-02: none here
        if d.strength == "weak":
            d.strength = "medium"
    findings = check(model, as_of=AS_OF)
    rules = {f.rule for f in findings}
    assert {"DEP-02", "DEP-04", "DEP-06", "GOV-02", "SRC-01", "SRC-02", "SRC-07"} <= rules
    # a GOV-02 finding about one pair quotes the dependency between them
    assert any(f.rule == "GOV-02" and len(f.subjects) == 2 for f in findings)
    # Nothing has been read yet. Remove functions, parties, a contract and dependencies
    # the findings name, as the app's commands would, then read every finding.
    for collection, items in (
        ("functions", model.functions[:5]),
        ("parties", model.parties[:3]),
        ("contracts", model.contracts[:2]),
    ):
        for item in list(items):
            apply_edit_in_place(model, RemoveObject(collection=collection, key=item.id))
    for d in list(model.dependencies[:50]):
        apply_edit_in_place(model, RemoveObject(collection="dependencies", key=d.id))
    del model.dependencies[:]
    model.raci.clear()
    for f in findings:
        data = f.to_json()
        assert data["message"] and data["fix"], f.rule
        assert data["message"].endswith("."), data["message"]


def test_findings_are_ordered_by_severity_rule_and_subjects_and_waived():
    model = small_model()
    first = check(model, as_of=AS_OF)
    waived_one = next(f for f in first if f.rule == "DEP-02")
    expired_one = next(f for f in first if f.rule == "SRC-01")
    model.waivers += [
        Waiver(rule="DEP-02", subjects=waived_one.subjects, reason="Agreed.", author="Lead"),
        Waiver(
            rule="SRC-01",
            subjects=expired_one.subjects,
            reason="Until the renewal.",
            author="Lead",
            until=date(2024, 12, 31),
        ),
    ]
    findings = check(model, as_of=AS_OF)
    keys = [(-severity_rank(f.severity), f.rule, f.subjects) for f in findings]
    assert keys == sorted(keys)
    assert len(findings) == len(first)
    assert [(f.subjects, f.waiver.reason) for f in findings if f.waived] == [
        (waived_one.subjects, "Agreed.")
    ]
    expired = [f for f in findings if f.waiver_expired is not None]
    assert [(f.subjects, f.waived) for f in expired] == [(expired_one.subjects, False)]


def test_coupled_lists_the_neighbours_by_a_dependency_that_is_not_weak():
    from collections import Counter

    from ecomraci.rules.engine import CheckContext

    model = small_model()
    assert {d.strength for d in model.dependencies} >= {"weak", "strong"}
    ctx = CheckContext(model, AS_OF)
    plain = built_with_networkx(model)
    for f in plain.nodes:
        expected = [g for g in plain.successors(f) if plain[f][g]["dep"].strength != "weak"]
        expected += [g for g in plain.predecessors(f) if plain[g][f]["dep"].strength != "weak"]
        assert Counter(ctx.coupled.get(f, [])) == Counter(expected), f


def test_delivered_by_is_covers_then_assigned_under_the_contract():
    from ecomraci.rules.engine import CheckContext
    from ecomraci.rules.exit_plans import delivered_by

    def plain(model, c):
        out = list(dict.fromkeys(c.covers))
        out += dict.fromkeys(
            s.function for s in model.assignments if s.contract == c.id and s.function not in out
        )
        return out

    model = small_model()
    # contracts that no longer cover the first function assigned under them
    assigned = {s.contract: s.function for s in reversed(model.assignments) if s.contract}
    model.contracts = [
        c.model_copy(update={"covers": [f for f in c.covers if f != assigned.get(c.id)]})
        for c in model.contracts
    ]
    ctx = CheckContext(model, AS_OF)
    for c in model.contracts:
        assert delivered_by(ctx, c) == plain(model, c)
        # a contract that is not the model's own (a what-if's copy) is read the plain way
        copy = c.model_copy(update={"covers": c.covers[:1]})
        assert delivered_by(ctx, copy) == plain(model, copy)
    # the model has functions assigned under a contract that does not cover them
    assert any(plain(model, c) != list(dict.fromkeys(c.covers)) for c in model.contracts)
