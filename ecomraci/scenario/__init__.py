"""What-if: insource a function, re-source it to another provider, or terminate a
contract, on a copy of the model.

Each operation (`insource`, `resource`, `terminate`) answers the seeds' question "can we
take this back, or move it, without breaking the rest?" with dates and reasons, in a
`ScenarioResult`:

* ``exits``: for each function that leaves a provider, the earliest day it can leave and
  why, every way out with its date (`exit_routes`), and the earliest go-live at the new
  source;
* ``at_risk``: the services put at risk and why. For a function leaving a contract this
  is the coupled-exit reasoning of SRC-02 (`ecomraci.rules.reversibility`), reused as it
  is; for a terminated contract, the functions it covers and those that depend on them;
* ``boundaries``: dependencies that now cross a new party boundary and the interface
  activity each runs through (one is added when there is none);
* ``raci``, ``findings``, ``changes``: the RACI cells, findings and objects that differ
  between the model and the scenario (`ecomraci.diff`);
* ``contracts``: the contracts to amend or settle, with the clauses to negotiate, taken
  from the findings on them (their fix text and machine-applicable edits);
* ``edits``: the model edits (`ecomraci.edits`) that turn the model into the scenario, so
  `apply` is ``apply_edits(model, edits)``; the app wraps the same list in one undo step
  and a saved `Scenario` stores it.

The package, by job (this module re-exports the public names; the modules' other names
are for the package itself):

* `results`: the result types;
* `exit_calendar`: the days a function or a contract can be left, and the go-live;
* `lookup`: `ScenarioError` and the model look-ups the operations share;
* `operations`: `insource`, `resource`, `terminate`, building the edits;
* `report`: the coupled exit, the clauses to negotiate and the boundaries, read from the
  model before and after;
* `saved`: running, applying, storing and finding saved scenarios;
* `text`: the wording (`format_text`, as ``ecomraci simulate`` prints a result).

It reads the rules only through their public names (a test checks it).
"""

from ecomraci.scenario.exit_calendar import earliest_exit, exit_routes, last_notice_day
from ecomraci.scenario.lookup import ScenarioError, unknown_id
from ecomraci.scenario.operations import ONE_FUNCTION_EXIT_RULES, insource, resource, terminate
from ecomraci.scenario.results import (
    BoundaryChange,
    Clause,
    ContractChange,
    ExitRoute,
    FunctionExit,
    RouteKind,
    ScenarioResult,
    ServiceAtRisk,
)
from ecomraci.scenario.saved import add_scenario, apply, find_scenario, run
from ecomraci.scenario.text import format_text

__all__ = [
    "ONE_FUNCTION_EXIT_RULES",
    "BoundaryChange",
    "Clause",
    "ContractChange",
    "ExitRoute",
    "FunctionExit",
    "RouteKind",
    "ScenarioError",
    "ScenarioResult",
    "ServiceAtRisk",
    "add_scenario",
    "apply",
    "earliest_exit",
    "exit_routes",
    "find_scenario",
    "format_text",
    "insource",
    "last_notice_day",
    "resource",
    "run",
    "terminate",
    "unknown_id",
]
