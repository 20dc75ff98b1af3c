"""What an editor needs to know about a field of a core type, read from the pydantic model.

`field_specs(cls, owner)` turns each field of a pydantic type into a `FieldSpec`: which
kind of editor fits it (text, number, date, choice, set, reference, nested group), its
range (``ge``/``le`` constraints), whether "none" is a value, and the words to show.
The inspector and the contracts table build their editors from these specs, so a field
added to `ecomraci.model` appears in both without new code. What the types cannot say
(which collection an id points at, a friendlier label, a tooltip) is in the tables below.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel

from ecomraci.model import (
    Activity,
    Assignment,
    Contract,
    Dependency,
    Forum,
    Function,
    Party,
)

# The object kinds the inspector edits, with their core type and collection.
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "party": (Party, "parties"),
    "function": (Function, "functions"),
    "activity": (Activity, "activities"),
    "contract": (Contract, "contracts"),
    "forum": (Forum, "forums"),
    "dependency": (Dependency, "dependencies"),
    "assignment": (Assignment, "assignments"),
}

# Id fields and the collection whose ids they hold (the types say only "an id").
REFERENCES: dict[tuple[str, str], str] = {
    ("Activity", "function"): "functions",
    ("Assignment", "function"): "functions",
    ("Assignment", "party"): "parties",
    ("Assignment", "contract"): "contracts",
    ("Dependency", "function"): "functions",
    ("Dependency", "needs"): "functions",
    ("Dependency", "interface_activity"): "activities",
    ("Contract", "party"): "parties",
    ("Contract", "covers"): "functions",
    ("Contract", "insourcing_rights"): "functions",
    ("Contract", "exclusivity"): "functions",
    ("Contract", "cross_termination"): "contracts",
    ("ExitPlan", "owner"): "parties",
    ("SwitchingTerms", "functions"): "functions",
    ("Forum", "members"): "parties",
}

# References that may only name an external party.
EXTERNAL_ONLY = {("Contract", "party")}

# Fields that make up an object's key: changing them would orphan what refers to it
# (layout, waivers), so they are shown, not edited.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "Assignment": ("function", "party"),
    "Dependency": ("function", "needs"),
}

MULTILINE = {"note", "description", "comment"}

LABELS = {
    # exit plan content and Data Act switching terms
    "owner": "Plan owner",
    "alternative_name": "Alternative named",
    "duration_months": "Planned duration",
    "reintegration": "Bringing it in-house",
    "data_processing_service": "Data processing service (Data Act)",
    "switching": "Switching (Data Act)",
    "notice_months": "Notice to switch",
    "transition_days": "Transition",
    "transition_justified": "Longer transition justified by the provider",
    "retrieval_days": "Data retrieval",
    "exportable_data_listed": "Exportable data and assets listed",
    "erasure_after_retrieval": "Erasure after retrieval",
    "charges": "Switching charges",
    "early_termination_fee": "Fee for ending a fixed term early",
    "auto_renew": "Renews automatically",
    "renewal_term_months": "Renewal term",
    "notice_period_months": "Notice period",
    "termination_for_convenience": "Termination for convenience",
    "price_card_per_function": "Price card per function",
    "insourcing_rights": "Insourcing rights",
    "cross_termination": "Cross-termination with",
    "exit_plan": "Exit plan",
    "transition_assistance": "Transition assistance",
    "data_return": "Data return",
    "marketing_assets": "Marketing assets owned by",
    "custom_work": "Custom work",
    "ip_assignment": "IP assigned to the company",
    "staff_transfer_on_exit": "Staff transfer on exit",
    "data_processing_agreement": "Data processing agreement",
    "transfer_basis": "Transfer basis",
    "payment": "Payment (PCI DSS)",
    "pci_dss_acknowledgement": "PCI DSS acknowledgement",
    "pci_responsibility_matrix": "PCI responsibility matrix",
    "hosted_payment_page": "Hosted payment page",
    "checkout_integration": "Checkout takes cards by",
    "script_protection": "Evidence scripts cannot affect it",
    "attestation_date": "Attestation of compliance",
    "sub_processor_list": "Subprocessor list",
    "sub_processor_notice": "Notice of subprocessor changes",
    "personal_data_at_end": "Personal data at the end",
    "dpf_certified": "EU-US DPF certified",
    "exists": "Exit plan exists",
    "last_tested": "Last tested",
    "same_service_levels": "Same service levels",
    "shrinks_with_scope": "Shrinks with scope",
    "lead_time_months": "Re-sourcing lead time",
    "data": "Data held",
    "cadence_days": "Meets every",
    "interface_activity": "Interface activity",
    "needs": "Needs",
    "adds_storefront_scripts": "Adds scripts to the storefront",
    "reaches_payment_page": "Scripts reach the payment page",
    "data_location": "Data location",
    "delivery_model": "Delivery model",
    "mode": "Sourcing mode",
    "online_share_percent": "Online share of revenue",
    "months": "Months",
    "days": "Within",
    "format": "Format",
    "amount": "Amount",
}

SHORT_LABELS = {  # column headers of the contracts table
    "termination_for_convenience": "Termination for convenience",
    "partial_termination": "Partial termination",
    "renewal_term_months": "Renewal term",
    "notice_period_months": "Notice",
    "price_card_per_function": "Price card",
    "data_processing_agreement": "DPA",
    "staff_transfer_on_exit": "Staff transfer",
    "ip_assignment": "IP assignment",
    "pci_dss_acknowledgement": "PCI DSS ack.",
    "pci_responsibility_matrix": "PCI matrix",
    "hosted_payment_page": "Hosted payment page",
    "checkout_integration": "Checkout",
    "script_protection": "Script evidence",
    "attestation_date": "AOC date",
    "sub_processor_list": "Subprocessor list",
    "sub_processor_notice": "Subprocessor notice",
    "personal_data_at_end": "Data at end",
    "exists": "Exit plan",
    "last_tested": "Exit plan tested",
    "same_service_levels": "Same SLAs in transition",
    "shrinks_with_scope": "Commitment shrinks",
    "amount": "Minimum commitment",
    "currency": "Currency",
}

TOOLTIPS = {
    "owner": "The internal party that owns the exit plan.",
    "triggers": "What sets the exit in motion: insolvency of the provider, repeated "
    "service-level breaches, a change of control.",
    "alternative": "Where the service goes on exit: another provider (named below), "
    "in-house, or none identified.",
    "duration_months": "How long the exit takes from giving notice; it should fit within "
    "notice plus transition assistance.",
    "substitutability": "How easily the provider can be replaced.",
    "reintegration": "How hard bringing the service in-house would be.",
    "data_processing_service": "Whether this is a data processing service under the EU "
    "Data Act (a SaaS shop platform, hosting, e-mail and CRM): no, standard, or custom-built.",
    "switching": "The Data Act switching terms: notice, transition, data retrieval, "
    "exportable data, erasure and switching charges.",
    "notice_months": "Notice to start switching; left empty, the contract's notice period "
    "applies. The Data Act allows at most 2 months.",
    "transition_days": "Transition after the notice; the Data Act allows at most 30 days "
    "unless the provider justifies up to 7 months.",
    "transition_justified": "The provider has justified a longer transition as technically "
    "necessary.",
    "retrieval_days": "Days to retrieve the data after the transition; at least 30.",
    "exportable_data_listed": "The contract lists the exportable data and digital assets.",
    "erasure_after_retrieval": "The provider erases the data after the retrieval period.",
    "charges": "Switching charges: only at cost until 12 January 2027, none from then.",
    "early_termination_fee": "A proportionate fee for ending a fixed term early; allowed.",
    "party": "The party on the other side; for a contract it must be an external party.",
    "covers": "The functions this contract covers.",
    "start": "The day the contract starts.",
    "end": "The day the current term ends; not before the start.",
    "auto_renew": "The contract renews itself for another term unless notice is given in time.",
    "renewal_term_months": "Length of each automatic renewal.",
    "notice_period_months": "How long before the end notice must be given.",
    "termination_for_convenience": "Whether the company may end the contract without cause: "
    "not at all, only as a whole, or per function.",
    "partial_termination": "Whether single functions can be ended while the rest runs on.",
    "insourcing_rights": "Functions the company may take in-house or move to another "
    "provider on their own.",
    "bundled_price": "One price for several functions, so their costs cannot be told apart.",
    "price_card_per_function": "A price per function exists, so a function can leave the "
    "contract with a known price effect.",
    "minimum_commitment": "A minimum spend the company owes whatever it uses.",
    "exclusivity": "Functions the provider has exclusively: no second supplier and no insourcing.",
    "cross_termination": "Other contracts that end when this one ends.",
    "cooperation_duty": "The provider must cooperate with a successor and with other providers.",
    "exit_plan": "A documented plan for leaving the provider, and when it was last tested.",
    "transition_assistance": "How long the provider keeps helping after notice, and "
    "whether service levels stay the same meanwhile.",
    "data_return": "In what format and within how many days the provider hands back the "
    "company's data; agreed only when both are given.",
    "marketing_assets": "Who owns each marketing asset: ad accounts, analytics, tag "
    "manager, e-mail list, domain.",
    "custom_work": "The provider builds custom work (code, templates, integrations) for the company.",
    "ip_assignment": "The rights in custom work pass to the company.",
    "knowledge_transfer": "Knowledge transfer to the company or a successor is agreed for the exit.",
    "staff_transfer_on_exit": "Staff would transfer with the service on exit.",
    "step_in_rights": "The company may step in and run the service itself if the provider fails.",
    "benchmarking": "Prices and service levels may be benchmarked against the market.",
    "change_control": "Changes to the service follow an agreed change-control procedure.",
    "service_levels": "Quantitative service levels are agreed.",
    "data_processing_agreement": "A data processing agreement (GDPR art. 28) is signed.",
    "transfer_basis": "The legal basis for processing personal data outside the EEA: the "
    "2021 standard contractual clauses, an adequacy decision, binding corporate rules or, "
    "for a certified recipient, the EU-US Data Privacy Framework.",
    "payment": "Clauses that matter with a payment provider.",
    "pci_dss_acknowledgement": "The provider acknowledges its responsibility for the "
    "security of card data (PCI DSS).",
    "pci_responsibility_matrix": "A matrix says which PCI DSS requirements the provider, "
    "the company and others each cover.",
    "hosted_payment_page": "Card data is entered on the provider's hosted page, not the shop's.",
    "checkout_integration": "How checkout takes cards: a redirect to the provider's page, "
    "the provider's form in an iframe, its hosted card fields, a form posting directly to "
    "the provider, or the shop's own form (PCI DSS SAQ A or larger).",
    "script_protection": "What shows that the shop's scripts cannot affect the payment page: "
    "the shop's own script controls (PCI DSS 6.4.3 and 11.6.1) or the provider's written "
    "confirmation for its embedded form.",
    "attestation_date": "Date of the provider's latest PCI DSS attestation of compliance; "
    "more than 12 months old is out of date.",
    "sub_processor_list": "The processor's subprocessors are listed in or with the data "
    "processing agreement (GDPR art. 28).",
    "sub_processor_notice": "The processor must announce added or replaced subprocessors in "
    "advance, so the company can object (GDPR art. 28(2)).",
    "personal_data_at_end": "What the processor does with the personal data when the "
    "service ends: return it, delete it with a certificate, or either at the company's "
    "choice (GDPR art. 28(3)(g)).",
    "dpf_certified": "The party is on the EU-US Data Privacy Framework list, so the "
    "framework is a valid transfer basis for it.",
    "criticality": "How much the business suffers when the function stops.",
    "reversible": "The company wants to be able to take the function back or move it "
    "to another provider.",
    "lead_time_months": "Months needed to re-source the function.",
    "data": "The kinds of data the function holds.",
    "kind": "What kind of object this is; the rules reason about it.",
    "category": "What the party is; the rules use it (a payment provider needs PCI clauses).",
    "data_location": "Where the party processes data.",
    "delivery_model": "How the party delivers: dedicated team, shared, software as a "
    "service, offshore.",
    "adds_storefront_scripts": "The party can put scripts on the shop's pages (tag manager "
    "access, an agency).",
    "reaches_payment_page": "That reach includes the payment page.",
    "cadence_days": "Days between two meetings.",
    "members": "The parties that take part.",
    "strength": "How strongly the function depends on the other.",
    "interface_activity": "The activity that runs the interface between the two functions.",
    "mode": "How the function is sourced from this party.",
    "contract": "The contract this assignment runs under.",
}

SUFFIXES = {"_months": " months", "_days": " days", "_percent": " %"}


@dataclass(frozen=True)
class FieldSpec:
    """One field and the editor that fits it.

    `editor` is one of: ``id``, ``key`` (read-only), ``text``, ``multiline``, ``bool``,
    ``int``, ``float``, ``date``, ``enum``, ``ref``, ``enum-set``, ``ref-set``,
    ``enum-map``, ``nested``, ``other`` (no fitting editor; shown read-only).
    """

    name: str
    editor: str
    label: str
    short_label: str
    tooltip: str
    optional: bool = False
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    suffix: str = ""
    enum: type[Enum] | None = None
    value_enum: type[Enum] | None = None  # the values of an enum-map
    ref: str | None = None
    external_only: bool = False
    nested: type[BaseModel] | None = None


def label_for(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    for end in SUFFIXES:
        if name.endswith(end):
            name = name[: -len(end)]
    return name.replace("_", " ").capitalize()


def enum_label(value: object) -> str:
    """A choice as people read it: ``per-function`` -> ``Per function``."""
    text = str(getattr(value, "value", value))
    special = {
        "3pl": "3PL",
        "it": "IT",
        "eea": "EEA",
        "outside-eea": "Outside the EEA",
        "saas": "SaaS",
        "standard-contractual-clauses": "Standard contractual clauses (2021)",
        "pre-2021-standard-contractual-clauses": "Standard contractual clauses before 2021",
        "eu-us-data-privacy-framework": "EU-US Data Privacy Framework",
        "merchant-controls": "The shop's own script controls",
        "provider-confirmation": "The provider's written confirmation",
        "ecommerce": "E-commerce",
        "ecommerce-operations": "E-commerce operations",
        "in-house": "In-house",
        "co-sourced": "Co-sourced",
    }
    if text in special:
        return special[text]
    return text.replace("-", " ").capitalize()


def _unwrap(annotation):
    """(inner type, optional) for ``X | None``."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else annotation), True
    return annotation, False


def _bare(annotation):
    """Strip ``Annotated[...]`` to the plain type."""
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _bounds(metadata) -> tuple[float | None, float | None]:
    low = high = None
    for m in metadata:
        if isinstance(m, Ge):
            low = m.ge
        elif isinstance(m, Gt):
            low = m.gt
        elif isinstance(m, Le):
            high = m.le
        elif isinstance(m, Lt):
            high = m.lt
    return low, high


def _is_enum(t) -> bool:
    return isinstance(t, type) and issubclass(t, Enum)


def field_spec(cls: type[BaseModel], name: str) -> FieldSpec:
    info = cls.model_fields[name]
    inner, optional = _unwrap(info.annotation)
    inner = _bare(inner)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    low, high = _bounds(info.metadata)
    ref = REFERENCES.get((cls.__name__, name))
    suffix = next((s for end, s in SUFFIXES.items() if f"_{name}".endswith(end)), "")
    common = dict(
        name=name,
        label=label_for(name),
        short_label=SHORT_LABELS.get(name, label_for(name)),
        # The app's own wording where it has one, else the field's description (the
        # one the published schema and docs/file-format.md give).
        tooltip=TOOLTIPS.get(name) or info.description or "",
        optional=optional,
        required=info.is_required(),
        suffix=suffix,
    )
    if name == "id":
        return FieldSpec(editor="id", **common)
    if name in KEY_FIELDS.get(cls.__name__, ()):
        return FieldSpec(editor="key", ref=ref, **common)
    if inner is bool:
        return FieldSpec(editor="bool", **common)
    if inner is int:
        return FieldSpec(editor="int", minimum=low, maximum=high, **common)
    if inner is float:
        return FieldSpec(editor="float", minimum=low, maximum=high, **common)
    if inner is date:
        return FieldSpec(editor="date", **common)
    if _is_enum(inner):
        return FieldSpec(editor="enum", enum=inner, **common)
    if inner is str:
        if ref:
            return FieldSpec(
                editor="ref", ref=ref, external_only=(cls.__name__, name) in EXTERNAL_ONLY, **common
            )
        return FieldSpec(editor="multiline" if name in MULTILINE else "text", **common)
    if origin is list and args:
        item = _bare(args[0])
        if _is_enum(item):
            return FieldSpec(editor="enum-set", enum=item, **common)
        if item is str and ref:
            return FieldSpec(editor="ref-set", ref=ref, **common)
    if origin is dict and len(args) == 2 and _is_enum(args[0]) and _is_enum(_bare(args[1])):
        return FieldSpec(editor="enum-map", enum=args[0], value_enum=_bare(args[1]), **common)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return FieldSpec(editor="nested", nested=inner, **common)
    return FieldSpec(editor="other", **common)


def field_specs(cls: type[BaseModel]) -> list[FieldSpec]:
    """A spec for every field of `cls`, in the model's order."""
    return [field_spec(cls, name) for name in cls.model_fields]


def ref_choices(model, collection: str) -> list[tuple[str, str]]:
    """(id, label) of every object of `collection`, for combos and check lists."""
    return [(x.id, x.name) for x in getattr(model, collection)]


def display_value(model, spec: FieldSpec, value) -> str:
    """A field's value as one line of text (table cells, read-only fields)."""
    if value is None or value == [] or value == {}:
        return "—"
    if spec.editor in ("ref", "key"):
        return dict(ref_choices(model, spec.ref)).get(value, value) if spec.ref else str(value)
    if spec.editor == "ref-set":
        names = dict(ref_choices(model, spec.ref))
        return ", ".join(names.get(v, v) for v in value)
    if spec.editor == "enum":
        return enum_label(value)
    if spec.editor == "enum-set":
        return ", ".join(enum_label(v) for v in value)
    if spec.editor == "enum-map":
        by_owner: dict[str, list[str]] = {}
        for key, owner in value.items():
            by_owner.setdefault(enum_label(owner), []).append(enum_label(key).lower())
        return "; ".join(f"{owner}: {', '.join(keys)}" for owner, keys in by_owner.items())
    if spec.editor == "date":
        return value.isoformat()
    if spec.editor == "bool":
        return "yes" if value else "no"
    if spec.editor == "float":
        return (
            f"{value:,.0f}{spec.suffix}"
            if float(value).is_integer()
            else f"{value:,.2f}{spec.suffix}"
        )
    if spec.editor == "int":
        return f"{value}{spec.suffix}"
    if isinstance(value, BaseModel):
        return ", ".join(f"{k}={v}" for k, v in value.model_dump(mode="json").items())
    return str(value)
