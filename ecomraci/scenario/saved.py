"""Saved scenarios: running one again from its stored operation and parameters (`run`),
applying its edits to a copy of the model (`apply`), storing one in the model
(`add_scenario`) and finding one by name (`find_scenario`).

`ScenarioResult.to_scenario` gives the `Scenario` stored in `Model.scenarios`;
`apply(model, scenario)` is the scenario's model, so two scenarios, or one and the current
model, are compared with ``ecomraci.diff.compare(apply(model, a), apply(model, b), as_of)``.
"""

from __future__ import annotations

from datetime import date

from ecomraci.edits import EditError, apply_edits
from ecomraci.integrity import integrity_problems
from ecomraci.model import Model, Scenario, ScenarioParameters
from ecomraci.scenario.lookup import ScenarioError, unknown_id
from ecomraci.scenario.operations import insource, resource, terminate
from ecomraci.scenario.results import ScenarioResult


def run(
    model: Model, operation: str, parameters: ScenarioParameters, *, as_of: date
) -> ScenarioResult:
    """Run an operation from its stored parameters (a saved scenario re-evaluated)."""
    p = parameters
    if operation == "insource":
        return insource(model, p.function or "", p.to, as_of=as_of)
    if operation == "resource":
        return resource(model, p.function or "", p.to or "", p.contract, as_of=as_of)
    if operation == "terminate":
        return terminate(model, p.contract or "", as_of=as_of)
    raise ScenarioError(f"unknown operation {operation!r}")


def apply(model: Model, scenario: Scenario | ScenarioResult) -> Model:
    """A copy of `model` with the scenario's edits applied (`model` is left as it is).

    A saved scenario whose edits no longer fit the model (an object it names was
    removed since) raises ScenarioError saying what; run it again from its parameters."""
    try:
        after = apply_edits(model, list(scenario.edits))
    except (EditError, KeyError, ValueError) as exc:
        raise ScenarioError(_stale(scenario, str(exc).strip('"'))) from None
    problems = integrity_problems(after, limit=1)
    if problems:
        raise ScenarioError(_stale(scenario, str(problems[0])))
    return after


def _stale(scenario: Scenario | ScenarioResult, problem: str) -> str:
    name = f"the scenario {scenario.name!r}" if isinstance(scenario, Scenario) else "the scenario"
    return (
        f"{name} no longer fits the model ({problem}); run it again from its "
        "operation and parameters"
    )


def add_scenario(model: Model, scenario: Scenario) -> None:
    """Store `scenario` in `model` (in place); a name already used is refused."""
    if any(s.name == scenario.name for s in model.scenarios):
        raise ScenarioError(
            f"the model already has a scenario named {scenario.name!r}; choose another name"
        )
    model.scenarios.append(scenario)


def find_scenario(model: Model, name: str) -> Scenario:
    """The scenario named `name` in `model`; ScenarioError (with the closest names) when
    there is none."""
    for s in model.scenarios:
        if s.name == name:
            return s
    raise unknown_id("scenario", name, [s.name for s in model.scenarios])
