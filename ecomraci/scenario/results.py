"""The result types of a what-if: `ScenarioResult` and its parts (`ExitRoute`,
`FunctionExit`, `ServiceAtRisk`, `BoundaryChange`, `Clause`, `ContractChange`).

They are plain pydantic models, so a result is written as JSON (`ScenarioResult.to_json`)
and turned into the `Scenario` a model stores (`ScenarioResult.to_scenario`). Nothing here
works anything out: the operations fill them in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ecomraci.diff import FindingsDiff, ModelDiff, RaciChange
from ecomraci.edits import Edit
from ecomraci.model import Scenario, ScenarioOperation, ScenarioParameters

RouteKind = Literal[
    "no-contract", "expired", "end", "renewal", "convenience", "insourcing-right", "none"
]

ContractStatus = Literal["amended", "new", "ends"]


class ExitRoute(BaseModel):
    """One way out of a contract: the day it takes effect (None: no way without
    negotiating), whether the function leaves on its own or only with the whole
    contract, and why."""

    on: date | None
    kind: RouteKind
    alone: bool
    reason: str


class StatutoryExit(BaseModel):
    """The switch the EU Data Act allows for a data processing service whatever the
    contract says (`ecomraci.scenario.statutory`): notice given on `notice_on`, the
    notice running out on `notice_ends`, the transition, and the day the switch is
    complete (None: beyond the calendar), with the early-termination fee that may be due."""

    on: date | None
    notice_on: date
    notice_months: int
    notice_ends: date | None
    transition_days: int
    fee: str
    reason: str


class FunctionExit(BaseModel):
    function: str
    function_name: str
    party: str
    party_name: str
    contract: str | None = None
    contract_name: str | None = None
    leave: date | None
    alone: bool
    reason: str
    routes: list[ExitRoute] = Field(default_factory=list)
    lead_time_months: int = 0
    ready: date | None = None  # the new source ready: as-of date plus lead time
    go_live: date | None = None
    transition_until: date | None = None  # the old provider's transition assistance
    go_live_reason: str = ""
    # the statutory switch of a data processing service (EU Data Act), next to the
    # contractual exit above; None for any other contract
    statutory: StatutoryExit | None = None


class ServiceAtRisk(BaseModel):
    function: str
    function_name: str
    contract: str | None = None
    contract_name: str | None = None
    reasons: list[str]


class BoundaryChange(BaseModel):
    """A dependency whose two sides are now delivered by parties that did not meet on
    it before."""

    dependency: str
    function: str
    function_name: str
    needs: str
    needs_name: str
    parties_before: list[str]
    parties_after: list[str]
    new_pairs: list[str]  # "party -> party", by name
    interface_activity: str | None = None
    interface_name: str | None = None
    responsible: list[str] = Field(default_factory=list)
    accountable: list[str] = Field(default_factory=list)
    interface_added: bool = False
    action: str


class Clause(BaseModel):
    """Something to negotiate in a contract: a finding's fix, with the contract fields it
    sets (its edits), if it has any."""

    rule: str
    severity: str
    ask: str
    fields: list[str] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)


class ContractChange(BaseModel):
    contract: str
    name: str
    party: str
    party_name: str
    status: ContractStatus
    changes: list[str] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)


class ScenarioResult(BaseModel):
    name: str  # the model's name
    operation: ScenarioOperation
    parameters: ScenarioParameters
    as_of: date
    question: str
    exits: list[FunctionExit] = Field(default_factory=list)
    at_risk: list[ServiceAtRisk] = Field(default_factory=list)
    coupled_exit: list[str] = Field(default_factory=list)  # the SRC-02 messages reused
    boundaries: list[BoundaryChange] = Field(default_factory=list)
    closed_boundaries: list[str] = Field(default_factory=list)  # dependency ids
    stranded: list[str] = Field(default_factory=list)  # dependency ids left without a side
    raci: list[RaciChange] = Field(default_factory=list)
    findings: FindingsDiff
    contracts: list[ContractChange] = Field(default_factory=list)
    changes: ModelDiff  # objects that differ (RACI and findings are above)
    notes: list[str] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)
    # id -> name of the objects the id fields above name (stranded and closed_boundaries,
    # the values of `changes`), from the model before and after: the app and the text
    # word those ids by name (`ecomraci.scenario.text.value_text`)
    names: dict[str, str] = Field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_scenario(
        self, name: str, created: datetime | None = None, note: str | None = None
    ) -> Scenario:
        """The result as a named scenario to store in the model."""
        return Scenario(
            name=name,
            operation=self.operation,
            parameters=self.parameters,
            as_of=self.as_of,
            edits=list(self.edits),
            created=created,
            note=note,
        )
