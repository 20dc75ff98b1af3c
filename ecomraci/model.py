"""The ecomraci model: every object a user edits, as pydantic v2 types.

`Model` is the one aggregate root. Objects refer to each other by id (strings a user can
type by hand, such as ``online-marketing`` or ``agency-pixel``); `ecomraci.integrity`
checks those references after validation, so that a file with a dangling id is refused
with the JSON path of the reference.

Design choices worth knowing:

* Activities sit in one flat list and name their function (``Activity.function``): the
  RACI grid, the Excel sheet and the rules all walk activities, and a flat list keeps the
  file easy to type and to diff.
* The RACI matrix is stored sparsely as ``{activity id: {party id: letters}}``. The file
  takes the upper-case letters in any order and `Model.canonical` folds them into the
  canonical order (``AR`` for an A that also does the work) on load; typed forms such as
  ``a/r`` are folded by `normalize_letters` where people type (the app, Excel import).
* Thresholds marked (t) in the rule catalog live in `Settings` with their defaults, and
  their ranges are enforced here, so an invalid threshold is a load error.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_serializer

FORMAT_NAME: Final = "ecomraci-model"
FORMAT_VERSION: Final = 1

# Letters of a RACI cell, in the canonical order they are written in.
RACI_LETTERS = "ARSCIV"
CORE_LETTERS = "RACI"
LETTER_NAMES = {
    "R": "Responsible",
    "A": "Accountable",
    "S": "Supportive (RASCI)",
    "C": "Consulted",
    "I": "Informed",
    "V": "Verifies (RACI-VS)",
}

Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"),
]
SubjectId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Letters = Annotated[str, StringConstraints(min_length=1, max_length=6, pattern=r"^[ARSCIV]+$")]
Text = Annotated[str, StringConstraints(max_length=4000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True, validate_default=True)


# --- choices -------------------------------------------------------------------------


class PartyKind(str, Enum):
    INTERNAL = "internal"
    EXTERNAL = "external"


class PartyCategory(str, Enum):
    # internal teams
    ECOMMERCE = "ecommerce"
    MARKETING = "marketing"
    IT = "it"
    OPERATIONS = "operations"
    CUSTOMER_SERVICE = "customer-service"
    PURCHASING = "purchasing"
    FINANCE = "finance"
    LEGAL = "legal"
    SALES = "sales"
    MANAGEMENT = "management"
    # outside parties
    AGENCY = "agency"
    PLATFORM_VENDOR = "platform-vendor"
    SYSTEM_INTEGRATOR = "system-integrator"
    PAYMENT_PROVIDER = "payment-provider"
    CONTACT_CENTRE = "contact-centre"
    THREE_PL = "3pl"
    CARRIER = "carrier"
    FREELANCER = "freelancer"
    OTHER = "other"


class DeliveryModel(str, Enum):
    DEDICATED = "dedicated"
    SHARED = "shared"
    SAAS = "saas"
    OFFSHORE = "offshore"


class DataLocation(str, Enum):
    EEA = "eea"
    ADEQUATE_COUNTRY = "adequate-country"  # outside the EEA with an adequacy decision
    OUTSIDE_EEA = "outside-eea"


class Criticality(str, Enum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    NORMAL = "normal"


class DataKind(str, Enum):
    CUSTOMER = "customer"
    ORDER = "order"
    CARD = "card"
    CATALOGUE = "catalogue"


class ActivityKind(str, Enum):
    RUN = "run"
    CHANGE = "change"
    INTERFACE = "interface"
    SUPPLIER_MANAGEMENT = "supplier-management"
    INTEGRATION = "integration"
    CONTROL = "control"


class SourcingMode(str, Enum):
    IN_HOUSE = "in-house"
    OUTSOURCED = "outsourced"
    CO_SOURCED = "co-sourced"


class DependencyKind(str, Enum):
    DATA_FEED = "data-feed"
    SYSTEM_INTEGRATION = "system-integration"
    PROCESS_HANDOFF = "process-handoff"


class Strength(str, Enum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


class TerminationForConvenience(str, Enum):
    NONE = "none"
    WHOLE = "whole"
    PER_FUNCTION = "per-function"


class PartialTermination(str, Enum):
    NONE = "none"
    PER_FUNCTION = "per-function"


class AssetOwner(str, Enum):
    COMPANY = "company"
    PROVIDER = "provider"
    UNCLEAR = "unclear"


class MarketingAsset(str, Enum):
    AD_ACCOUNTS = "ad-accounts"
    ANALYTICS = "analytics"
    TAG_MANAGER = "tag-manager"
    EMAIL_LIST = "email-list"
    DOMAIN = "domain"


class DataProcessingService(str, Enum):
    """Whether a contract is for a data processing service in the sense of the EU Data Act
    (Regulation (EU) 2023/2854, Art. 2(8)): SaaS, PaaS, IaaS, hosting."""

    NO = "no"
    STANDARD = "standard"
    CUSTOM_BUILT = "custom-built"  # mostly built for this customer: Art. 31(1) exempts part


class SwitchingCharges(str, Enum):
    NONE = "none"
    COST_BASED = "cost-based"  # no more than the provider's costs of the switch
    ABOVE_COST = "above-cost"


class ExitAlternative(str, Enum):
    PROVIDER = "provider"  # another provider, named
    IN_HOUSE = "in-house"
    NONE = "none"


class Substitutability(str, Enum):
    EASY = "easy"
    DIFFICULT = "difficult"
    NOT_SUBSTITUTABLE = "not-substitutable"


class Reintegration(str, Enum):
    EASY = "easy"
    DIFFICULT = "difficult"
    HIGHLY_COMPLEX = "highly-complex"


class TransferBasis(str, Enum):
    ADEQUACY = "adequacy"
    SCC = "standard-contractual-clauses"
    BCR = "binding-corporate-rules"
    NONE = "none"


class StrategyFocus(str, Enum):
    COMMERCE = "commerce"
    CONTENT = "content"
    COMMUNITY = "community"


class StructureStage(str, Enum):
    AD_HOC = "ad-hoc"
    FOCUSED = "focused"
    FORMALISED = "formalised"
    INSTITUTIONALISED = "institutionalised"


class Placement(str, Enum):
    NO_FORMAL_UNIT = "no-formal-unit"
    WITHIN_MARKETING = "within-marketing"
    WITHIN_IT = "within-it"
    WITHIN_OPERATIONS = "within-operations"
    COMMITTEE = "committee"
    SEPARATE_DEPARTMENT = "separate-department"
    SEPARATE_BUSINESS_UNIT = "separate-business-unit"
    SEPARATE_COMPANY = "separate-company"


class MaturityDimension(str, Enum):
    STRATEGY_PROCESS = "strategy-process"
    STRUCTURE = "structure"
    SENIOR_BUY_IN = "senior-buy-in"
    MARKETING_INTEGRATION = "marketing-integration"
    ONLINE_MARKETING_FOCUS = "online-marketing-focus"


class KeyAccountability(str, Enum):
    ONLINE_REVENUE = "online-revenue"
    CUSTOMER_EXPERIENCE = "customer-experience"
    OMNICHANNEL_CONSISTENCY = "omnichannel-consistency"
    ECOMMERCE_OPERATIONS = "ecommerce-operations"


# --- objects ---------------------------------------------------------------------------


class Party(_Base):
    id: Id
    name: Name
    kind: PartyKind
    category: PartyCategory = PartyCategory.OTHER
    contact: Text | None = None
    data_location: DataLocation | None = None
    delivery_model: DeliveryModel | None = None
    # Storefront reach, for CMP-02: can this party put scripts on the shop's pages, and
    # does its reach include the payment page?
    adds_storefront_scripts: bool = False
    reaches_payment_page: bool = False
    note: Text | None = None


class Function(_Base):
    id: Id
    name: Name
    description: Text | None = None
    criticality: Criticality = Criticality.NORMAL
    reversible: bool = False
    lead_time_months: int = Field(default=3, ge=0, le=120)
    data: list[DataKind] = Field(default_factory=list)


class Activity(_Base):
    id: Id
    name: Name
    function: Id
    kind: ActivityKind = ActivityKind.RUN
    note: Text | None = None


class Assignment(_Base):
    function: Id
    party: Id
    mode: SourcingMode = SourcingMode.IN_HOUSE
    contract: Id | None = None
    note: Text | None = None


class Dependency(_Base):
    """``function`` needs ``needs``; its subject id is ``function->needs``."""

    function: Id
    needs: Id
    kind: DependencyKind = DependencyKind.DATA_FEED
    strength: Strength = Strength.MEDIUM
    interface_activity: Id | None = None
    note: Text | None = None

    @property
    def id(self) -> str:
        return f"{self.function}->{self.needs}"


class ExitPlan(_Base):
    exists: bool = False
    last_tested: date | None = None
    # The plan's content (DORA Art. 28(8); EBA/GL/2019/02 section 15), read by SRC-14 and
    # SRC-15 and listed in the workbook's exit register.
    owner: Id | None = Field(
        default=None, description="The internal party that owns the exit plan (its id)."
    )
    triggers: Text | None = Field(
        default=None,
        description="What sets the exit in motion, e.g. insolvency of the provider, "
        "repeated service-level breaches, a change of control.",
    )
    alternative: ExitAlternative | None = Field(
        default=None,
        description="Where the service goes on exit: another provider (named in "
        "alternative_name), in-house, or none identified.",
    )
    alternative_name: Name | None = Field(
        default=None, description="The alternative provider, or the team taking it in-house."
    )
    duration_months: int | None = Field(
        default=None,
        ge=0,
        le=120,
        description="Planned duration of the exit, in months from giving notice.",
    )
    substitutability: Substitutability | None = Field(
        default=None, description="How easily the provider can be replaced."
    )
    reintegration: Reintegration | None = Field(
        default=None, description="How hard bringing the service in-house would be."
    )


class SwitchingTerms(_Base):
    """The switching clauses of a contract for a data processing service, as the EU Data
    Act (Regulation (EU) 2023/2854, Art. 25 and 29) asks for them; read by SRC-13."""

    functions: list[Id] | None = Field(
        default=None,
        description="The functions the data processing service delivers, when the "
        "contract covers other services too (none: all it covers).",
    )
    notice_months: int | None = Field(
        default=None,
        ge=0,
        le=60,
        description="Notice to start switching, in months (none: the contract's notice "
        "period applies).",
    )
    transition_days: int | None = Field(
        default=None,
        ge=0,
        le=3650,
        description="Transition period after the notice, in calendar days.",
    )
    transition_justified: bool = Field(
        default=False,
        description="The provider has justified a longer transition as technically "
        "necessary (Art. 25(4)).",
    )
    retrieval_days: int | None = Field(
        default=None,
        ge=0,
        le=3650,
        description="Days to retrieve the data after the transition.",
    )
    exportable_data_listed: bool = Field(
        default=False, description="The exportable data and digital assets are listed."
    )
    erasure_after_retrieval: bool = Field(
        default=False, description="The provider erases the data after the retrieval period."
    )
    charges: SwitchingCharges | None = Field(
        default=None, description="Switching charges: none, cost-based or above cost."
    )
    early_termination_fee: bool = Field(
        default=False,
        description="A proportionate fee for ending a fixed term early (allowed).",
    )


class TransitionAssistance(_Base):
    months: int = Field(default=0, ge=0, le=60)
    same_service_levels: bool = False


class DataReturn(_Base):
    format: Text | None = None
    days: int | None = Field(default=None, ge=0, le=3650)

    @property
    def agreed(self) -> bool:
        return bool(self.format) and self.days is not None


class MinimumCommitment(_Base):
    amount: float = Field(ge=0)
    currency: str = "EUR"
    shrinks_with_scope: bool = False


class PaymentTerms(_Base):
    """Clauses that matter only with a payment provider."""

    pci_dss_acknowledgement: bool = False
    pci_responsibility_matrix: bool = False
    hosted_payment_page: bool = False


class Contract(_Base):
    id: Id
    name: Name
    party: Id
    covers: list[Id] = Field(default_factory=list)
    start: date | None = None
    end: date | None = None
    auto_renew: bool = False
    renewal_term_months: int = Field(default=12, ge=1, le=120)
    notice_period_months: int = Field(default=3, ge=0, le=60)
    termination_for_convenience: TerminationForConvenience = TerminationForConvenience.NONE
    partial_termination: PartialTermination = PartialTermination.NONE
    # functions the company may take in-house or move to another provider on their own
    insourcing_rights: list[Id] = Field(default_factory=list)
    bundled_price: bool = False
    price_card_per_function: bool = False
    minimum_commitment: MinimumCommitment | None = None
    exclusivity: list[Id] = Field(default_factory=list)
    cross_termination: list[Id] = Field(default_factory=list)
    cooperation_duty: bool = False
    exit_plan: ExitPlan = Field(default_factory=ExitPlan)
    transition_assistance: TransitionAssistance = Field(default_factory=TransitionAssistance)
    data_return: DataReturn = Field(default_factory=DataReturn)
    marketing_assets: dict[MarketingAsset, AssetOwner] = Field(default_factory=dict)
    custom_work: bool = False
    ip_assignment: bool = False
    knowledge_transfer: bool = False
    staff_transfer_on_exit: bool = False
    step_in_rights: bool = False
    benchmarking: bool = False
    change_control: bool = False
    service_levels: bool = False
    data_processing_agreement: bool = False
    transfer_basis: TransferBasis | None = None
    payment: PaymentTerms | None = None
    data_processing_service: DataProcessingService | None = Field(
        default=None,
        description="Whether this is a data processing service under the EU Data Act "
        "(SaaS, hosting): no, standard, or custom-built.",
    )
    switching: SwitchingTerms | None = Field(
        default=None, description="The Data Act switching terms of a data processing service."
    )
    note: Text | None = None


class Forum(_Base):
    id: Id
    name: Name
    cadence_days: int = Field(ge=1, le=3660)
    members: list[Id] = Field(default_factory=list)


class OrganisationProfile(_Base):
    strategy_focus: StrategyFocus = StrategyFocus.COMMERCE
    structure_stage: StructureStage | None = None
    placement: Placement | None = None
    online_share_percent: float | None = Field(default=None, ge=0, le=100)
    maturity: dict[MaturityDimension, Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=dict
    )


class Waiver(_Base):
    rule: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}-\d{2}$")]
    # Subjects are ids of objects, or dependency ids (function->needs).
    subjects: list[SubjectId] = Field(min_length=1)
    reason: Name
    author: Name
    until: date | None = None


class Position(_Base):
    x: float
    y: float


class Settings(_Base):
    """Rule thresholds, the (t) values of the rule catalog, with their defaults."""

    raci04_consulted_min: int = Field(default=3, ge=0, le=1000)
    raci04_consulted_share: float = Field(default=0.30, gt=0, le=1)
    raci04_informed_share: float = Field(default=0.50, gt=0, le=1)
    raci05_accountable_share: float = Field(default=0.40, gt=0, le=1)
    raci05_accountable_max: int = Field(default=8, ge=1, le=10000)
    raci05_peer_factor: float = Field(default=3.0, ge=1, le=100)
    src06_exit_plan_test_months: int = Field(default=12, ge=1, le=120)
    src07_renewal_margin_months: int = Field(default=6, ge=0, le=120)
    src12_long_term_years: float = Field(default=3, gt=0, le=50)
    dep03_max_functions: int = Field(default=3, ge=1, le=1000)
    dep03_max_critical: int = Field(default=2, ge=1, le=1000)
    dep04_end_gap_months: int = Field(default=6, ge=0, le=240)
    gov02_max_cadence_days: int = Field(default=31, ge=1, le=3660)
    gov05_responsible_share: float = Field(default=0.50, gt=0, le=1)
    gov06_online_share_percent: float = Field(default=20, ge=0, le=100)
    # EU Data Act switching (SRC-13, simulate); the Digital Omnibus may still change them.
    src13_max_notice_months: int = Field(default=2, ge=0, le=60)
    src13_max_transition_days: int = Field(default=30, ge=0, le=3650)
    src13_max_justified_transition_months: int = Field(default=7, ge=0, le=120)
    src13_min_retrieval_days: int = Field(default=30, ge=0, le=3650)


class ScenarioOperation(str, Enum):
    INSOURCE = "insource"
    RESOURCE = "resource"
    TERMINATE = "terminate"


class ScenarioParameters(_Base):
    function: Id | None = None  # insource, resource
    to: Id | None = None  # the party taking the function over
    contract: Id | None = None  # resource: the contract it moves under; terminate: the contract


class Scenario(_Base):
    """A saved what-if (`ecomraci.scenario`): the question asked and the model edits that
    answer it, so it can be re-evaluated, compared or applied later."""

    name: Name
    operation: ScenarioOperation
    parameters: ScenarioParameters = Field(default_factory=ScenarioParameters)
    as_of: date
    # ecomraci.edits builds its edits from the types above; see the import at the end.
    edits: list[_edits.Edit] = Field(default_factory=list)
    created: datetime | None = None
    note: Text | None = None


class Model(_Base):
    format: Literal["ecomraci-model"] = FORMAT_NAME
    version: Literal[1] = FORMAT_VERSION
    name: Name = "Untitled model"
    comment: Text | None = None
    organisation: OrganisationProfile = Field(default_factory=OrganisationProfile)
    parties: list[Party] = Field(default_factory=list)
    functions: list[Function] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    # Keys are checked against real activities and parties by ecomraci.integrity.
    raci: dict[str, dict[str, Letters]] = Field(default_factory=dict)
    dependencies: list[Dependency] = Field(default_factory=list)
    contracts: list[Contract] = Field(default_factory=list)
    forums: list[Forum] = Field(default_factory=list)
    key_accountabilities: dict[KeyAccountability, list[Id]] = Field(default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)
    # Keys are object ids or dependency ids (function->needs).
    layout: dict[SubjectId, Position] = Field(default_factory=dict)
    settings: Settings = Field(default_factory=Settings)
    scenarios: list[Scenario] = Field(
        default_factory=list,
        description="Saved what-if scenarios: an operation (insource, resource, terminate), "
        "its parameters and as-of date, and the model edits that apply it.",
    )

    @model_serializer(mode="wrap")
    def _omit_no_scenarios(self, handler) -> dict[str, Any]:
        # A model without scenarios is written exactly as before the field existed, so
        # such files still open in ecomraci versions that do not know it.
        data = handler(self)
        if not self.scenarios and isinstance(data, dict):
            data.pop("scenarios", None)
        return data

    # --- look-ups (built on demand; the model is small enough to rebuild them) -------

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def function(self, function_id: str) -> Function:
        return next(f for f in self.functions if f.id == function_id)

    def activity(self, activity_id: str) -> Activity:
        return next(a for a in self.activities if a.id == activity_id)

    def contract(self, contract_id: str) -> Contract:
        return next(c for c in self.contracts if c.id == contract_id)

    def activities_of(self, function_id: str) -> list[Activity]:
        return [a for a in self.activities if a.function == function_id]

    def letters(self, activity_id: str, party_id: str) -> str:
        return self.raci.get(activity_id, {}).get(party_id, "")

    def canonical(self) -> Model:
        """Fold RACI letters written in another order (``RA``) into canonical order, in
        place; cheap, since a model holds only a handful of distinct cell texts."""
        distinct: set[str] = set()
        for row in self.raci.values():
            distinct.update(row.values())
        fold = {t: "".join(ch for ch in RACI_LETTERS if ch in t) for t in distinct}
        fold = {t: c for t, c in fold.items() if t != c}
        if fold:
            for row in self.raci.values():
                for pid, letters in row.items():
                    if letters in fold:
                        row[pid] = fold[letters]
        return self


def normalize_letters(text: str) -> str:
    """Fold a typed RACI cell (``a/r``, ``A, R``, ``RA``) into canonical letters.

    Raises ValueError naming the first character that is not a RACI letter.
    """
    seen = set()
    for ch in text.upper():
        if ch in " /,;+-&\t":
            continue
        if ch not in RACI_LETTERS:
            raise ValueError(f"{ch!r} is not one of R, A, C, I (or S, V)")
        seen.add(ch)
    return "".join(ch for ch in RACI_LETTERS if ch in seen)


def display_letters(letters: str) -> str:
    """Letters as a person writes them: ``A/R``, ``C``."""
    return "/".join(letters)


# Scenario.edits refers to the edit types of ecomraci.edits, which is built on the types
# above; importing it last closes the cycle in either import order, and pydantic completes
# Scenario and Model on first use.
from ecomraci import edits as _edits  # noqa: E402
