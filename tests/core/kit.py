"""A small, well-run model for rule tests: each test changes one thing and asserts the
finding appears (by rule id and subjects), and that the well-run model has none of it.

The model: an internal e-commerce team, IT and marketing; an agency delivering online
marketing under a contract with good clauses; a payment provider with PCI paperwork.
"""

from __future__ import annotations

from datetime import date

from ecomraci.model import (
    Activity,
    Assignment,
    Contract,
    DataReturn,
    Dependency,
    ExitPlan,
    Forum,
    Function,
    Model,
    OrganisationProfile,
    Party,
    PaymentTerms,
    TransitionAssistance,
)
from ecomraci.rules import check

AS_OF = date(2026, 6, 1)


def good_contract(**overrides) -> Contract:
    fields = dict(
        id="agency-contract",
        name="Agency services",
        party="agency",
        covers=["online-marketing"],
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
        auto_renew=False,
        notice_period_months=3,
        termination_for_convenience="per-function",
        partial_termination="per-function",
        insourcing_rights=["online-marketing"],
        price_card_per_function=True,
        cooperation_duty=True,
        exit_plan=ExitPlan(exists=True, last_tested=date(2026, 3, 1)),
        transition_assistance=TransitionAssistance(months=3, same_service_levels=True),
        data_return=DataReturn(format="CSV", days=30),
        marketing_assets={
            "ad-accounts": "company",
            "analytics": "company",
            "tag-manager": "company",
            "email-list": "company",
            "domain": "company",
        },
        ip_assignment=True,
        knowledge_transfer=True,
        benchmarking=True,
        change_control=True,
        service_levels=True,
        data_processing_agreement=True,
        sub_processor_list=True,
        sub_processor_notice=True,
    )
    fields.update(overrides)
    return Contract(**fields)


def base_model() -> Model:
    parties = [
        Party(id="ecom", name="E-commerce team", kind="internal", category="ecommerce"),
        Party(id="it", name="IT", kind="internal", category="it"),
        Party(id="mkt", name="Marketing", kind="internal", category="marketing"),
        Party(id="fin", name="Finance", kind="internal", category="finance"),
        Party(
            id="agency",
            name="Pixel Agency",
            kind="external",
            category="agency",
            data_location="eea",
            delivery_model="dedicated",
        ),
        Party(
            id="psp",
            name="PayFast",
            kind="external",
            category="payment-provider",
            data_location="eea",
            delivery_model="saas",
        ),
    ]
    functions = [
        Function(
            id="shop-management",
            name="Shop management",
            criticality="critical",
            reversible=True,
            lead_time_months=6,
        ),
        Function(
            id="web-store-it",
            name="Web store IT",
            criticality="critical",
            lead_time_months=6,
            data=["customer", "order", "catalogue"],
        ),
        Function(
            id="online-marketing",
            name="Online marketing",
            criticality="important",
            reversible=True,
            lead_time_months=3,
            data=["customer"],
        ),
        Function(
            id="payments",
            name="Payments",
            criticality="critical",
            lead_time_months=3,
            data=["card", "order"],
        ),
    ]
    activities = [
        Activity(
            id="sm-strategy", name="E-commerce strategy", function="shop-management", kind="run"
        ),
        Activity(
            id="sm-suppliers",
            name="Manage suppliers",
            function="shop-management",
            kind="supplier-management",
        ),
        Activity(id="it-run", name="Run the platform", function="web-store-it", kind="run"),
        Activity(id="it-release", name="Release changes", function="web-store-it", kind="change"),
        Activity(id="om-campaigns", name="Run campaigns", function="online-marketing", kind="run"),
        Activity(
            id="om-tags",
            name="Manage marketing tags",
            function="online-marketing",
            kind="interface",
        ),
        Activity(
            id="pay-provider",
            name="Manage the payment provider",
            function="payments",
            kind="supplier-management",
        ),
        Activity(
            id="pay-config", name="Configure payment methods", function="payments", kind="control"
        ),
    ]
    raci = {
        "sm-strategy": {"ecom": "AR", "mkt": "C", "it": "I"},
        "sm-suppliers": {"ecom": "AR", "fin": "C"},
        "it-run": {"it": "AR", "ecom": "I"},
        "it-release": {"it": "AR", "ecom": "C", "mkt": "I", "fin": "I"},
        "om-campaigns": {"mkt": "A", "agency": "R", "ecom": "C"},
        "om-tags": {"mkt": "A", "agency": "R", "it": "C"},
        "pay-provider": {"fin": "AR", "ecom": "I"},
        "pay-config": {"fin": "A", "it": "R", "psp": "C"},
    }
    return Model(
        name="Well-run shop",
        organisation=OrganisationProfile(
            strategy_focus="commerce",
            structure_stage="formalised",
            placement="separate-department",
            online_share_percent=25,
            maturity={
                "strategy-process": 3,
                "structure": 3,
                "senior-buy-in": 3,
                "marketing-integration": 3,
                "online-marketing-focus": 3,
            },
        ),
        parties=parties,
        functions=functions,
        activities=activities,
        assignments=[
            Assignment(function="shop-management", party="ecom", mode="in-house"),
            Assignment(function="web-store-it", party="it", mode="in-house"),
            Assignment(
                function="online-marketing",
                party="agency",
                mode="outsourced",
                contract="agency-contract",
            ),
            Assignment(
                function="payments", party="psp", mode="outsourced", contract="psp-contract"
            ),
        ],
        raci=raci,
        dependencies=[
            Dependency(
                function="online-marketing",
                needs="web-store-it",
                kind="system-integration",
                strength="strong",
                interface_activity="om-tags",
            ),
            Dependency(
                function="payments",
                needs="web-store-it",
                kind="system-integration",
                strength="strong",
                interface_activity="pay-config",
            ),
            Dependency(
                function="shop-management",
                needs="online-marketing",
                kind="data-feed",
                strength="medium",
                interface_activity="om-campaigns",
            ),
        ],
        contracts=[
            good_contract(),
            good_contract(
                id="psp-contract",
                name="Payment services",
                party="psp",
                covers=["payments"],
                insourcing_rights=["payments"],
                marketing_assets={},
                payment=PaymentTerms(
                    pci_dss_acknowledgement=True,
                    pci_responsibility_matrix=True,
                    hosted_payment_page=True,
                ),
            ),
        ],
        forums=[
            Forum(
                id="alignment",
                name="E-commerce alignment",
                cadence_days=30,
                members=["ecom", "it", "mkt", "fin", "agency", "psp"],
            )
        ],
        key_accountabilities={
            "online-revenue": ["ecom"],
            "customer-experience": ["ecom"],
            "omnichannel-consistency": ["mkt"],
            "ecommerce-operations": ["ecom"],
        },
    )


def findings(model: Model, rule_id: str, as_of: date = AS_OF):
    """Active (not waived) findings of one rule."""
    return [f for f in check(model, as_of=as_of, only=[rule_id]) if not f.waived]


def subjects(model: Model, rule_id: str, as_of: date = AS_OF) -> list[set[str]]:
    return [set(f.subjects) for f in findings(model, rule_id, as_of)]
