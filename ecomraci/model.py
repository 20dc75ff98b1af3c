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

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_serializer,
    model_validator,
)

FORMAT_NAME: Final = "ecomraci-model"
FORMAT_VERSION: Final = 2

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
    SCC = "standard-contractual-clauses"  # the 2021 clauses, Decision (EU) 2021/914
    BCR = "binding-corporate-rules"
    DPF = "eu-us-data-privacy-framework"  # valid only for a certified recipient
    OLD_SCC = "pre-2021-standard-contractual-clauses"  # repealed; ended 27 Dec 2022
    NONE = "none"


class CheckoutIntegration(str, Enum):
    """How checkout takes cards (PCI DSS v4.0.1 SAQ A eligibility)."""

    REDIRECT = "redirect"
    IFRAME = "iframe"
    HOSTED_FIELDS = "hosted-fields"
    DIRECT_POST = "direct-post"
    OWN_FORM = "own-form"


class ScriptProtection(str, Enum):
    """Evidence that storefront scripts cannot affect the payment page."""

    MERCHANT_CONTROLS = "merchant-controls"
    PROVIDER_CONFIRMATION = "provider-confirmation"
    NONE = "none"


class PersonalDataAtEnd(str, Enum):
    """What a processor does with the personal data when the service ends (GDPR
    art. 28(3)(g))."""

    RETURN = "return"
    CERTIFIED_DELETION = "certified-deletion"
    RETURN_OR_CERTIFIED_DELETION = "return-or-certified-deletion"


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
    id: Id = Field(
        title="Id",
        description="The party's id: letters, digits, '-', '_' and '.', unique among all objects; other objects refer to the party by it.",
    )
    name: Name = Field(title="Name", description="The team's or company's name, as people call it.")
    kind: PartyKind = Field(
        title="Kind",
        description="internal for a team of the company, external for an outside party (agency, vendor, provider); only an external party can hold a contract.",
    )
    category: PartyCategory = Field(
        default=PartyCategory.OTHER,
        title="Category",
        description="What sort of team or provider it is (ecommerce, marketing, it, ... for teams; agency, platform-vendor, payment-provider, 3pl, ... for outside parties); the rules read it, e.g. a payment-provider for the PCI DSS checks.",
    )
    contact: Text | None = Field(
        default=None,
        title="Contact",
        description="A person, an e-mail address or a phone number to reach the party.",
    )
    data_location: DataLocation | None = Field(
        default=None,
        title="Data location",
        description="Where the party processes the company's data: eea, adequate-country (outside the EEA with an adequacy decision) or outside-eea; the GDPR transfer check (CMP-03) reads it.",
    )
    delivery_model: DeliveryModel | None = Field(
        default=None,
        title="Delivery model",
        description="How the party delivers: dedicated, shared, saas or offshore.",
    )
    # Storefront reach, for CMP-02: can this party put scripts on the shop's pages, and
    # does its reach include the payment page?
    adds_storefront_scripts: bool = Field(
        default=False,
        title="Adds storefront scripts",
        description="The party can put scripts on the shop's pages (tag manager access, an agency); CMP-02 reads it.",
    )
    reaches_payment_page: bool = Field(
        default=False,
        title="Reaches the payment page",
        description="The party's scripts reach the payment page too (CMP-02).",
    )
    dpf_certified: bool = Field(
        default=False,
        title="Certified under the EU-US Data Privacy Framework",
        description="The party is on the Data Privacy Framework List (Commission "
        "Implementing Decision of 10 July 2023), so personal data may go to it under that "
        "framework (CMP-03).",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Free text for the people who read the model; no rule reads it.",
    )


class Function(_Base):
    id: Id = Field(
        title="Id",
        description="The function's id, unique among all objects; activities, assignments, contracts and dependencies refer to it.",
    )
    name: Name = Field(title="Name", description="The function's name, such as Online marketing.")
    description: Text | None = Field(
        default=None, title="Description", description="What the function does, in free text."
    )
    criticality: Criticality = Field(
        default=Criticality.NORMAL,
        title="Criticality",
        description="How much the business depends on the function: critical, important or normal; the exit and concentration rules weigh critical functions more.",
    )
    reversible: bool = Field(
        default=False,
        title="Reversible",
        description="The company wants to be able to take the function back in-house or move it to another provider on its own (SRC-01, SRC-02).",
    )
    lead_time_months: int = Field(
        default=3,
        ge=0,
        le=120,
        title="Lead time (months)",
        description="Months needed to re-source the function (find, contract and hand over to another provider or an in-house team), 0 to 120; SRC-07 and the what-if count with it.",
    )
    data: list[DataKind] = Field(
        default_factory=list,
        title="Data held",
        description="The kinds of data the function holds: customer, order, card, catalogue; the compliance rules read it.",
    )


class Activity(_Base):
    id: Id = Field(
        title="Id",
        description="The activity's id, unique among all objects; the RACI matrix refers to it.",
    )
    name: Name = Field(title="Name", description="The activity's name: one row of the RACI matrix.")
    function: Id = Field(
        title="Function",
        description="The id of the function the activity belongs to; it must exist.",
    )
    kind: ActivityKind = Field(
        default=ActivityKind.RUN,
        title="Kind",
        description="What sort of work it is: run, change, interface, supplier-management, integration or control; the rules read it (e.g. an integration activity for DEP-05).",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Free text for the people who read the model; no rule reads it.",
    )


class Assignment(_Base):
    function: Id = Field(title="Function", description="The id of the function delivered.")
    party: Id = Field(title="Party", description="The id of the party that delivers it.")
    mode: SourcingMode = Field(
        default=SourcingMode.IN_HOUSE,
        title="Sourcing mode",
        description="in-house, outsourced or co-sourced (shared between a team and a provider).",
    )
    contract: Id | None = Field(
        default=None,
        title="Contract",
        description="The id of the contract the function is delivered under, when outsourced or co-sourced.",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Free text for the people who read the model; no rule reads it.",
    )


class Dependency(_Base):
    """``function`` needs ``needs``; its subject id is ``function->needs``."""

    function: Id = Field(
        title="Function", description="The id of the function that depends on another."
    )
    needs: Id = Field(
        title="Needs", description="The id of the function it needs; not the function itself."
    )
    kind: DependencyKind = Field(
        default=DependencyKind.DATA_FEED,
        title="Kind",
        description="How it depends: data-feed, system-integration or process-handoff.",
    )
    strength: Strength = Field(
        default=Strength.MEDIUM,
        title="Strength",
        description="How tightly: strong, medium or weak; strong dependencies couple exits (SRC-02, DEP rules).",
    )
    interface_activity: Id | None = Field(
        default=None,
        title="Interface activity",
        description="The id of the activity that runs the interface between the two functions.",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Free text for the people who read the model; no rule reads it.",
    )

    @property
    def id(self) -> str:
        return f"{self.function}->{self.needs}"


class ExitPlan(_Base):
    exists: bool = Field(
        default=False,
        title="Exit plan exists",
        description="An exit plan exists for this contract (true or false); a plan with a test date must exist.",
    )
    last_tested: date | None = Field(
        default=None,
        title="Last tested",
        description="The date, YYYY-MM-DD, of the plan's last test (a dry run of the hand-over); SRC-06 asks for one within src06_exit_plan_test_months.",
    )
    # The plan's content (DORA Art. 28(8); EBA/GL/2019/02 section 15), read by SRC-14 and
    # SRC-15 and listed in the workbook's exit register.
    owner: Id | None = Field(
        title="Owner",
        default=None,
        description="The internal party that owns the exit plan (its id).",
    )
    triggers: Text | None = Field(
        title="Triggers",
        default=None,
        description="What sets the exit in motion, e.g. insolvency of the provider, "
        "repeated service-level breaches, a change of control.",
    )
    alternative: ExitAlternative | None = Field(
        title="Alternative",
        default=None,
        description="Where the service goes on exit: another provider (named in "
        "alternative_name), in-house, or none identified.",
    )
    alternative_name: Name | None = Field(
        title="Alternative's name",
        default=None,
        description="The alternative provider, or the team taking it in-house.",
    )
    duration_months: int | None = Field(
        title="Planned duration (months)",
        default=None,
        ge=0,
        le=120,
        description="Planned duration of the exit, in months from giving notice.",
    )
    substitutability: Substitutability | None = Field(
        title="Substitutability",
        default=None,
        description="How easily the provider can be replaced.",
    )
    reintegration: Reintegration | None = Field(
        title="Reintegration",
        default=None,
        description="How hard bringing the service in-house would be.",
    )

    @model_validator(mode="after")
    def _tested_plan_exists(self, info: ValidationInfo) -> ExitPlan:
        # A test date with no plan is a contradiction a file must settle, not one the
        # loader guesses at (the JSON Schema says the same with if/then). Checked where a
        # file is read (JSON, which is also how a save is checked), not where code or a
        # version-1 file (read with the context {"version": 1}) builds a plan.
        if info.mode != "json" or (info.context or {}).get("version") == 1:
            return self
        if self.last_tested is not None and self.exists is not True:
            raise ValueError(
                'an exit plan with a test date (last_tested) must say "exists": true; '
                "remove the date if there is no plan"
            )
        return self


class SwitchingTerms(_Base):
    """The switching clauses of a contract for a data processing service, as the EU Data
    Act (Regulation (EU) 2023/2854, Art. 25 and 29) asks for them; read by SRC-13."""

    functions: list[Id] | None = Field(
        title="Functions switched",
        default=None,
        description="The functions the data processing service delivers, when the "
        "contract covers other services too (none: all it covers).",
    )
    notice_months: int | None = Field(
        title="Switching notice (months)",
        default=None,
        ge=0,
        le=60,
        description="Notice to start switching, in months (none: the contract's notice "
        "period applies).",
    )
    transition_days: int | None = Field(
        title="Transition period (days)",
        default=None,
        ge=0,
        le=3650,
        description="Transition period after the notice, in calendar days.",
    )
    transition_justified: bool = Field(
        title="Longer transition justified",
        default=False,
        description="The provider has justified a longer transition as technically "
        "necessary (Art. 25(4)).",
    )
    retrieval_days: int | None = Field(
        title="Data retrieval period (days)",
        default=None,
        ge=0,
        le=3650,
        description="Days to retrieve the data after the transition.",
    )
    exportable_data_listed: bool = Field(
        title="Exportable data listed",
        default=False,
        description="The exportable data and digital assets are listed.",
    )
    erasure_after_retrieval: bool = Field(
        title="Erasure after retrieval",
        default=False,
        description="The provider erases the data after the retrieval period.",
    )
    charges: SwitchingCharges | None = Field(
        title="Switching charges",
        default=None,
        description="Switching charges: none, cost-based or above cost.",
    )
    early_termination_fee: bool = Field(
        title="Early-termination fee",
        default=False,
        description="A proportionate fee for ending a fixed term early (allowed).",
    )


class TransitionAssistance(_Base):
    months: int = Field(
        default=0,
        ge=0,
        le=60,
        title="Months",
        description="Months of transition assistance the provider owes after the contract ends, 0 to 60.",
    )
    same_service_levels: bool = Field(
        default=False,
        title="Same service levels",
        description="The assistance is given at the contract's service levels.",
    )


class DataReturn(_Base):
    format: Text | None = Field(
        default=None,
        title="Format",
        description="The format the data is returned in (CSV, a database dump, an API export...).",
    )
    days: int | None = Field(
        default=None,
        ge=0,
        le=3650,
        title="Days",
        description="Days after the end within which the data is returned, 0 to 3650; data return counts as agreed only when the format and the days are both given.",
    )

    @property
    def agreed(self) -> bool:
        return bool(self.format) and self.days is not None


class MinimumCommitment(_Base):
    amount: float = Field(
        ge=0, title="Amount", description="The minimum the company must buy, 0 or more."
    )
    currency: str = Field(
        default="EUR", title="Currency", description="The currency of the amount, such as EUR."
    )
    shrinks_with_scope: bool = Field(
        default=False,
        title="Shrinks with scope",
        description="The commitment shrinks when functions leave the contract.",
    )


class PaymentTerms(_Base):
    """Clauses that matter only with a payment provider."""

    pci_dss_acknowledgement: bool = Field(
        default=False,
        title="PCI DSS acknowledgement",
        description="The provider acknowledges in writing its responsibility for the card data it handles (PCI DSS 12.8.2; CMP-01).",
    )
    pci_responsibility_matrix: bool = Field(
        default=False,
        title="PCI responsibility matrix",
        description="A matrix says which PCI DSS requirements the provider, the company and others each cover (PCI DSS 12.8.5; CMP-01).",
    )
    hosted_payment_page: bool = Field(
        default=False,
        title="Hosted payment page",
        description="Card data is entered on the provider's page, not the shop's; the older, coarser field, read only when checkout_integration is not given (CMP-02).",
    )
    checkout_integration: CheckoutIntegration | None = Field(
        default=None,
        title="Checkout integration",
        description="How checkout takes cards: redirect to the provider's hosted page, the "
        "provider's iframe, hosted fields, a direct post from the shop's page to the "
        "provider, or the shop's own form. When it is not given, hosted_payment_page says "
        "whether the provider's page is used (CMP-02).",
    )
    script_protection: ScriptProtection | None = Field(
        default=None,
        title="Evidence that storefront scripts cannot affect the payment page",
        description="merchant-controls: the shop's own script controls (PCI DSS v4.0.1 "
        "requirements 6.4.3 and 11.6.1); provider-confirmation: the payment provider's "
        "written confirmation that its embedded payment form resists script attacks; none "
        "or not given: no evidence (CMP-02).",
    )
    attestation_date: date | None = Field(
        default=None,
        title="Attestation of compliance (AOC) date",
        description="The date of the provider's latest PCI DSS attestation of compliance; "
        "CMP-01 flags one older than cmp01_aoc_max_age_months as of the as-of date.",
    )


class Contract(_Base):
    id: Id = Field(
        title="Id",
        description="The contract's id, unique among all objects; assignments and other contracts refer to it.",
    )
    name: Name = Field(
        title="Name", description="The contract's name, such as Pixel agency agreement."
    )
    party: Id = Field(
        title="Party", description="The id of the external party the contract is with."
    )
    covers: list[Id] = Field(
        default_factory=list,
        title="Covers",
        description="The ids of the functions the contract covers; the party should deliver each of them (an assignment of the function to the party).",
    )
    start: date | None = Field(
        default=None, title="Start", description="The date the contract started, YYYY-MM-DD."
    )
    end: date | None = Field(
        default=None,
        title="End",
        description="The date the current term ends, YYYY-MM-DD, not before the start.",
    )
    auto_renew: bool = Field(
        default=False,
        title="Renews automatically",
        description="The contract renews itself unless notice is given (true or false).",
    )
    renewal_term_months: int = Field(
        default=12,
        ge=1,
        le=120,
        title="Renewal term (months)",
        description="The length of each renewal, 1 to 120 months.",
    )
    notice_period_months: int = Field(
        default=3,
        ge=0,
        le=60,
        title="Notice period (months)",
        description="Months of notice needed before the end of a term, 0 to 60.",
    )
    termination_for_convenience: TerminationForConvenience = Field(
        default=TerminationForConvenience.NONE,
        title="Termination for convenience",
        description="Whether the company may end the contract without cause: none, whole (only the whole contract) or per-function.",
    )
    partial_termination: PartialTermination = Field(
        default=PartialTermination.NONE,
        title="Partial termination",
        description="Whether single functions can be ended on their own: none or per-function.",
    )
    # functions the company may take in-house or move to another provider on their own
    insourcing_rights: list[Id] = Field(
        default_factory=list,
        title="Insourcing rights",
        description="The ids of the functions the company may take in-house or move to another provider on their own.",
    )
    bundled_price: bool = Field(
        default=False,
        title="Bundled price",
        description="One price for several functions, not split per function.",
    )
    price_card_per_function: bool = Field(
        default=False,
        title="Price per function",
        description="A price card gives a price per function.",
    )
    minimum_commitment: MinimumCommitment | None = Field(
        default=None,
        title="Minimum commitment",
        description="A minimum amount the company must buy: amount, currency and whether it shrinks with the scope.",
    )
    exclusivity: list[Id] = Field(
        default_factory=list,
        title="Exclusivity",
        description="The ids of the functions the provider has exclusively (no second supplier, no insourcing).",
    )
    cross_termination: list[Id] = Field(
        default_factory=list,
        title="Cross-termination",
        description="The ids of other contracts that end when this one ends.",
    )
    cooperation_duty: bool = Field(
        default=False,
        title="Cooperation duty",
        description="The provider must cooperate with a successor and with other providers.",
    )
    exit_plan: ExitPlan = Field(
        default_factory=ExitPlan,
        title="Exit plan",
        description="The exit plan: whether it exists, when it was last tested, and its content (owner, triggers, alternative, duration, substitutability).",
    )
    transition_assistance: TransitionAssistance = Field(
        default_factory=TransitionAssistance,
        title="Transition assistance",
        description="Help the provider owes after the end: months and whether at the same service levels.",
    )
    data_return: DataReturn = Field(
        default_factory=DataReturn,
        title="Data return",
        description="How the company's data comes back at the end: format and days.",
    )
    marketing_assets: dict[MarketingAsset, AssetOwner] = Field(
        default_factory=dict,
        title="Marketing assets",
        description="Who owns each marketing asset (ad-accounts, analytics, tag-manager, email-list, domain): company, provider or unclear.",
    )
    custom_work: bool = Field(
        default=False,
        title="Custom work",
        description="The provider builds custom work for the company.",
    )
    ip_assignment: bool = Field(
        default=False,
        title="IP assignment",
        description="The rights in the custom work pass to the company.",
    )
    knowledge_transfer: bool = Field(
        default=False,
        title="Knowledge transfer",
        description="Knowledge transfer on exit is agreed.",
    )
    staff_transfer_on_exit: bool = Field(
        default=False,
        title="Staff transfer on exit",
        description="Staff would transfer to the company or a successor on exit.",
    )
    step_in_rights: bool = Field(
        default=False,
        title="Step-in rights",
        description="The company may step in and run the service itself.",
    )
    benchmarking: bool = Field(
        default=False,
        title="Benchmarking",
        description="A benchmarking clause lets the company compare prices and service with the market.",
    )
    change_control: bool = Field(
        default=False, title="Change control", description="A change-control procedure is agreed."
    )
    service_levels: bool = Field(
        default=False, title="Service levels", description="Quantitative service levels are agreed."
    )
    data_processing_agreement: bool = Field(
        default=False,
        title="Data processing agreement",
        description="A data processing agreement is signed (GDPR art. 28; CMP-03).",
    )
    sub_processor_list: bool = Field(
        default=False,
        title="Subprocessor list",
        description="The processor's subprocessors are listed in or with the data "
        "processing agreement (GDPR art. 28(2) and (4); CMP-03).",
    )
    sub_processor_notice: bool = Field(
        default=False,
        title="Notice of subprocessor changes",
        description="The processor must tell the company of any intended addition or "
        "replacement of a subprocessor in advance, so that it can object (GDPR art. "
        "28(2); CMP-03).",
    )
    personal_data_at_end: PersonalDataAtEnd | None = Field(
        default=None,
        title="Personal data at the end",
        description="What the processor does with the personal data when the service ends "
        "(GDPR art. 28(3)(g)): return it, delete it with a written certificate, or either "
        "at the company's choice; an agreed data_return also counts as return (CMP-03).",
    )
    transfer_basis: TransferBasis | None = Field(
        default=None,
        title="Transfer basis",
        description="For personal data processed outside the EEA (GDPR chapter V): "
        "adequacy, standard-contractual-clauses (the 2021 clauses, Commission Implementing "
        "Decision (EU) 2021/914), binding-corporate-rules, eu-us-data-privacy-framework "
        "(only for a recipient certified under it), pre-2021-standard-contractual-clauses "
        "(repealed, no longer a basis since 27 December 2022) or none (CMP-03).",
    )
    payment: PaymentTerms | None = Field(
        default=None,
        title="Payment terms",
        description="For a payment provider: the PCI DSS clauses and how checkout takes cards.",
    )
    data_processing_service: DataProcessingService | None = Field(
        title="Data processing service (EU Data Act)",
        default=None,
        description="Whether this is a data processing service under the EU Data Act "
        "(SaaS, hosting): no, standard, or custom-built.",
    )
    switching: SwitchingTerms | None = Field(
        title="Switching terms (EU Data Act)",
        default=None,
        description="The Data Act switching terms of a data processing service.",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Free text for the people who read the model; no rule reads it.",
    )


class Forum(_Base):
    id: Id = Field(title="Id", description="The forum's id, unique among forums.")
    name: Name = Field(
        title="Name", description="The meeting's name, such as Monthly e-commerce steering."
    )
    cadence_days: int = Field(
        ge=1,
        le=3660,
        title="Cadence (days)",
        description="Days between two meetings, 1 to 3660 (7 weekly, 30 monthly).",
    )
    members: list[Id] = Field(
        default_factory=list, title="Members", description="The ids of the parties that take part."
    )


class OrganisationProfile(_Base):
    strategy_focus: StrategyFocus = Field(
        default=StrategyFocus.COMMERCE,
        title="Strategy focus",
        description="What the online business lives on: commerce, content or community; GOV-06 expects the functions the focus needs.",
    )
    structure_stage: StructureStage | None = Field(
        default=None,
        title="Structure stage",
        description="How formal the e-commerce organisation is: ad-hoc, focused, formalised or institutionalised (GOV-06).",
    )
    placement: Placement | None = Field(
        default=None,
        title="Placement",
        description="Where e-commerce sits in the organisation: no-formal-unit, within-marketing, within-it, within-operations, committee, separate-department, separate-business-unit or separate-company (GOV-06).",
    )
    online_share_percent: float | None = Field(
        default=None,
        ge=0,
        le=100,
        title="Online share of revenue (%)",
        description="The online share of revenue, 0 to 100; GOV-06 compares it with gov06_online_share_percent.",
    )
    maturity: dict[MaturityDimension, Annotated[int, Field(ge=1, le=5)]] = Field(
        title="Maturity",
        description="A self-assessment, level 1 to 5 for each of strategy-process, structure, senior-buy-in, marketing-integration and online-marketing-focus (GOV-06).",
        default_factory=dict,
    )


class Waiver(_Base):
    rule: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}-\d{2}$")] = Field(
        title="Rule",
        description="The id of the rule whose findings are accepted, such as RACI-05: two to four capital letters, a hyphen and two digits; it must be a rule ecomraci has.",
    )
    # Subjects are ids of objects, or dependency ids (function->needs).
    subjects: list[SubjectId] = Field(
        min_length=1,
        title="Subjects",
        description="The ids of the objects whose findings are accepted (parties, functions, activities, contracts, dependencies written function->needs); at least one.",
    )
    reason: Name = Field(title="Reason", description="Why the finding is accepted.")
    author: Name = Field(title="Author", description="Who accepted it.")
    until: date | None = Field(
        default=None,
        title="Until",
        description="The date, YYYY-MM-DD, after which the waiver expires; none: it never expires.",
    )


class Position(_Base):
    x: float = Field(title="X", description="Horizontal position on the map, in map units.")
    y: float = Field(title="Y", description="Vertical position on the map, in map units.")


class Settings(_Base):
    """Rule thresholds, the (t) values of the rule catalog, with their defaults."""

    raci04_consulted_min: int = Field(
        default=3,
        ge=0,
        le=1000,
        title="RACI-04: most Consulted",
        description="RACI-04: an activity with more Consulted than this many (0 to 1000)...",
    )
    raci04_consulted_share: float = Field(
        default=0.30,
        gt=0,
        le=1,
        title="RACI-04: share Consulted",
        description="...and more than this share of the parties (over 0, up to 1) is over-consulted.",
    )
    raci04_informed_share: float = Field(
        default=0.50,
        gt=0,
        le=1,
        title="RACI-04: share Informed",
        description="RACI-04: an activity that informs more than this share of the parties (over 0, up to 1).",
    )
    raci05_accountable_share: float = Field(
        default=0.40,
        gt=0,
        le=1,
        title="RACI-05: share Accountable",
        description="RACI-05: a party Accountable on more than this share of the activities (over 0, up to 1).",
    )
    raci05_accountable_max: int = Field(
        default=8,
        ge=1,
        le=10000,
        title="RACI-05: most Accountable",
        description="RACI-05: or on more than this many activities (1 to 10000)...",
    )
    raci05_peer_factor: float = Field(
        default=3.0,
        ge=1,
        le=100,
        title="RACI-05: peer factor",
        description="...and on more than this many times the median of the other internal accountable parties (1 to 100).",
    )
    src06_exit_plan_test_months: int = Field(
        default=12,
        ge=1,
        le=120,
        title="SRC-06: exit plan test age (months)",
        description="SRC-06: an exit plan last tested longer ago than this is untested (1 to 120).",
    )
    src07_renewal_margin_months: int = Field(
        default=6,
        ge=0,
        le=120,
        title="SRC-07: renewal margin (months)",
        description="SRC-07: warn when a renewal date is within the lead time plus this many months (0 to 120).",
    )
    src12_long_term_years: float = Field(
        default=3,
        gt=0,
        le=50,
        title="SRC-12: long term (years)",
        description="SRC-12: a contract term longer than this many years is long (over 0, up to 50).",
    )
    dep03_max_functions: int = Field(
        default=3,
        ge=1,
        le=1000,
        title="DEP-03: most functions per provider",
        description="DEP-03: a provider delivering this many functions or more is a concentration (1 to 1000).",
    )
    dep03_max_critical: int = Field(
        default=2,
        ge=1,
        le=1000,
        title="DEP-03: most critical functions per provider",
        description="DEP-03: or this many critical ones (1 to 1000).",
    )
    dep04_end_gap_months: int = Field(
        default=6,
        ge=0,
        le=240,
        title="DEP-04: end-date gap (months)",
        description="DEP-04: coupled contracts whose end dates are further apart than this many months (0 to 240).",
    )
    gov02_max_cadence_days: int = Field(
        default=31,
        ge=1,
        le=3660,
        title="GOV-02: longest forum cadence (days)",
        description="GOV-02: the longest cadence of a forum for sales, marketing and IT (1 to 3660).",
    )
    gov05_responsible_share: float = Field(
        default=0.50,
        gt=0,
        le=1,
        title="GOV-05: share Responsible",
        description="GOV-05: an internal party Responsible on more than this share of the critical activities (over 0, up to 1).",
    )
    gov06_online_share_percent: float = Field(
        default=20,
        ge=0,
        le=100,
        title="GOV-06: online share (%)",
        description="GOV-06: the online share of revenue above which a formal e-commerce unit is expected (0 to 100).",
    )
    cmp01_aoc_max_age_months: int = Field(
        default=12,
        ge=1,
        le=120,
        title="Oldest attestation of compliance",
        description="CMP-01: a payment provider's attestation of compliance older than "
        "this many months is out of date (PCI DSS 12.8.4 asks for a yearly check).",
    )
    # EU Data Act switching (SRC-13, simulate); the Digital Omnibus may still change them.
    src13_max_notice_months: int = Field(
        default=2,
        ge=0,
        le=60,
        title="SRC-13: longest switching notice (months)",
        description="SRC-13: the longest notice to start switching a data processing service (EU Data Act Art. 25(2)(d); 0 to 60).",
    )
    src13_max_transition_days: int = Field(
        default=30,
        ge=0,
        le=3650,
        title="SRC-13: longest transition (days)",
        description="SRC-13: the longest transition period, in days (Art. 25(2)(a); 0 to 3650).",
    )
    src13_max_justified_transition_months: int = Field(
        default=7,
        ge=0,
        le=120,
        title="SRC-13: longest justified transition (months)",
        description="SRC-13: the longest transition the provider may justify, in months (Art. 25(4); 0 to 120).",
    )
    src13_min_retrieval_days: int = Field(
        default=30,
        ge=0,
        le=3650,
        title="SRC-13: shortest retrieval period (days)",
        description="SRC-13: the shortest period to retrieve the data, in days (Art. 25(2)(g); 0 to 3650).",
    )
    calendar_reminder_days: int = Field(
        default=30,
        ge=0,
        le=365,
        title="Calendar reminder (days before)",
        description="The contract calendar's .ics export: a reminder this many days before each deadline (0: on the day; 0 to 365).",
    )


class ScenarioOperation(str, Enum):
    INSOURCE = "insource"
    RESOURCE = "resource"
    TERMINATE = "terminate"


class ScenarioParameters(_Base):
    function: Id | None = Field(
        default=None,
        title="Function",
        description="insource and resource: the id of the function moved.",
    )  # insource, resource
    to: Id | None = Field(
        default=None, title="To", description="The id of the party taking the function over."
    )  # the party taking the function over
    contract: Id | None = Field(
        default=None,
        title="Contract",
        description="resource: the id of the contract the function moves under; terminate: the contract that ends.",
    )  # resource: the contract it moves under; terminate: the contract


class Scenario(_Base):
    """A saved what-if (`ecomraci.scenario`): the question asked and the model edits that
    answer it, so it can be re-evaluated, compared or applied later."""

    name: Name = Field(
        title="Name", description="The scenario's name, unique among the model's scenarios."
    )
    operation: ScenarioOperation = Field(
        title="Operation", description="The question asked: insource, resource or terminate."
    )
    parameters: ScenarioParameters = Field(
        default_factory=ScenarioParameters,
        title="Parameters",
        description="The function, the party and the contract the question is about.",
    )
    as_of: date = Field(
        title="As of", description="The date, YYYY-MM-DD, the exit dates were reckoned from."
    )
    # ecomraci.edits builds its edits from the types above; see the import at the end.
    edits: list[_edits.Edit] = Field(
        default_factory=list,
        title="Edits",
        description="The model edits that answer the question, applied in order.",
    )
    created: datetime | None = Field(
        default=None,
        title="Created",
        description="The date and time it was saved, YYYY-MM-DDTHH:MM:SS.",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Free text for the people who read the model; no rule reads it.",
    )


class Model(_Base):
    format: Literal["ecomraci-model"] = Field(
        default=FORMAT_NAME,
        title="Format",
        description='Always "ecomraci-model": marks the file as an ecomraci model.',
    )
    version: Literal[2] = Field(
        default=FORMAT_VERSION,
        title="Version",
        description="The format version of the file; this ecomraci writes version 2 and reads versions 0 to 2.",
    )
    name: Name = Field(
        default="Untitled model",
        title="Name",
        description="The name of the organisation or scenario the model describes.",
    )
    comment: Text | None = Field(
        default=None, title="Comment", description="Free text about the model."
    )
    organisation: OrganisationProfile = Field(
        default_factory=OrganisationProfile,
        title="Organisation",
        description="The organisation profile: strategy focus, structure stage, placement, online share of revenue and capability maturity.",
    )
    parties: list[Party] = Field(
        default_factory=list,
        title="Parties",
        description="Internal teams and outside parties (agencies, vendors, providers).",
    )
    functions: list[Function] = Field(
        default_factory=list,
        title="Functions",
        description="Units of e-commerce work, such as online marketing or payments.",
    )
    activities: list[Activity] = Field(
        default_factory=list,
        title="Activities",
        description="The rows of the RACI matrix; each names the function it belongs to.",
    )
    assignments: list[Assignment] = Field(
        default_factory=list,
        title="Assignments",
        description="Sourcing: which party delivers which function, in which mode, under which contract.",
    )
    # Keys are checked against real activities and parties by ecomraci.integrity.
    raci: dict[str, dict[str, Letters]] = Field(
        default_factory=dict,
        title="RACI matrix",
        description="The RACI matrix, sparse: {activity id: {party id: letters}}, letters from A, R, S, C, I, V in that order (AR for an Accountable who also does the work).",
    )
    dependencies: list[Dependency] = Field(
        default_factory=list,
        title="Dependencies",
        description='Function needs function; the subject id of a dependency is "function->needs".',
    )
    contracts: list[Contract] = Field(
        default_factory=list,
        title="Contracts",
        description="Contracts with external parties and their exit and reversibility clauses.",
    )
    forums: list[Forum] = Field(
        default_factory=list,
        title="Forums",
        description="Recurring alignment meetings and their member parties.",
    )
    key_accountabilities: dict[KeyAccountability, list[Id]] = Field(
        default_factory=dict,
        title="Key accountabilities",
        description="The party accountable for each key accountability (online-revenue, customer-experience, omnichannel-consistency, ecommerce-operations); one each.",
    )
    waivers: list[Waiver] = Field(
        default_factory=list,
        title="Waivers",
        description="Findings accepted on purpose: rule, subjects, reason, author, until.",
    )
    # Keys are object ids or dependency ids (function->needs).
    layout: dict[SubjectId, Position] = Field(
        default_factory=dict,
        title="Layout",
        description="Positions of the map items the user arranged by hand, by object id.",
    )
    settings: Settings = Field(
        default_factory=Settings,
        title="Settings",
        description="Rule thresholds (the (t) values of the rule catalog) with their defaults.",
    )
    scenarios: list[Scenario] = Field(
        title="Scenarios",
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
