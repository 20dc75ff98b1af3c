"""Compliance rules (CMP-01 ..): PCI DSS paperwork with payment providers, scripts that
reach a hosted payment page, and data protection with providers handling personal data."""

from __future__ import annotations

from ecomraci.edits import SetField
from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule

PERSONAL_DATA = ("customer", "order", "card")
_PERSONAL = frozenset(PERSONAL_DATA)


def _payment_terms(contract, **changes) -> dict:
    terms = (
        contract.payment.model_dump(mode="json")
        if contract.payment is not None
        else {
            "pci_dss_acknowledgement": False,
            "pci_responsibility_matrix": False,
            "hosted_payment_page": False,
        }
    )
    terms.update(changes)
    return terms


# --- CMP-01 ------------------------------------------------------------------------------


@rule(
    "CMP-01",
    "error",
    "A payment provider needs a PCI DSS acknowledgement and responsibility matrix",
    "Card data makes the shop subject to PCI DSS: the provider must acknowledge in writing "
    "that it is responsible for the card data it handles, and a responsibility matrix must "
    "say which requirements it covers and which stay with the merchant.",
)
def pci_paperwork(ctx: CheckContext):
    card_functions = {f.id for f in ctx.model.functions if "card" in f.data}
    for p in ctx.model.parties:
        if p.category != "payment-provider":
            continue
        contracts = ctx.contracts_by_party.get(p.id, [])
        if any(
            c.payment is not None
            and c.payment.pci_dss_acknowledgement
            and c.payment.pci_responsibility_matrix
            for c in contracts
        ):
            continue
        if not contracts:
            yield Hit(
                f"Payment provider {ctx.quoted(p.id)} has no contract, so no PCI DSS "
                "acknowledgement or responsibility matrix is documented.",
                [p.id],
                f"Record the contract with {ctx.quoted(p.id)}, with its PCI DSS "
                "acknowledgement and responsibility matrix.",
            )
            continue
        c = next(
            (c for c in contracts if c.payment is not None),
            next((c for c in contracts if card_functions & set(c.covers)), contracts[0]),
        )
        terms = c.payment
        if terms is None:
            missing = "no payment terms"
        else:
            gaps = []
            if not terms.pci_dss_acknowledgement:
                gaps.append("PCI DSS acknowledgement")
            if not terms.pci_responsibility_matrix:
                gaps.append("PCI responsibility matrix")
            missing = "no " + " and no ".join(gaps)
        yield Hit(
            f"Payment provider {ctx.quoted(p.id)}: {ctx.quoted(c.id)} has {missing}.",
            [p.id, c.id],
            f"Obtain the provider's written PCI DSS acknowledgement and a responsibility "
            f"matrix, and record both in {ctx.quoted(c.id)}.",
            [
                SetField(
                    target="contract",
                    id=c.id,
                    field="payment",
                    value=_payment_terms(
                        c, pci_dss_acknowledgement=True, pci_responsibility_matrix=True
                    ),
                )
            ],
        )


# --- CMP-02 ------------------------------------------------------------------------------


@rule(
    "CMP-02",
    "warning",
    "Storefront scripts must not reach the hosted payment page",
    "A hosted payment page keeps the shop's PCI scope small only while nobody else can run "
    "code on it: a tag manager or agency script on the payment page can skim card data.",
)
def scripts_on_payment_page(ctx: CheckContext):
    hosted = [
        c for c in ctx.model.contracts if c.payment is not None and c.payment.hosted_payment_page
    ]
    if not hosted:
        return
    hosts = {c.party for c in hosted}
    hosted_ids = [c.id for c in hosted]
    for p in ctx.model.parties:
        if not (p.adds_storefront_scripts and p.reaches_payment_page) or p.id in hosts:
            continue
        yield Hit(
            f"{ctx.quoted(p.id)} can add scripts to the storefront and reaches the payment "
            f"page, while payments rely on the hosted page of {ctx.names(hosted_ids)}.",
            [p.id, *hosted_ids],
            f"Keep {ctx.quoted(p.id)}'s scripts off the payment page (exclude it from the tag "
            "container or restrict its access), then record that it no longer reaches it.",
            [SetField(target="party", id=p.id, field="reaches_payment_page", value=False)],
        )


# --- CMP-03 ------------------------------------------------------------------------------


@rule(
    "CMP-03",
    "error",
    "Providers handling personal data need a DPA, and a transfer basis outside the EEA",
    "A provider that processes customer, order or card data on the shop's behalf needs a "
    "data processing agreement (GDPR art. 28); from outside the EEA it also needs a lawful "
    "transfer basis such as standard contractual clauses.",
)
def personal_data(ctx: CheckContext):
    personal = {f.id for f in ctx.model.functions if not _PERSONAL.isdisjoint(f.data)}
    if not personal:
        return
    handled: dict[str, list[str]] = {}
    via: dict[str, str] = {}
    for s in ctx.model.assignments:
        if s.function not in personal or s.party not in ctx.external:
            continue
        fs = handled.setdefault(s.party, [])
        if s.function not in fs:
            fs.append(s.function)
        if s.contract is not None and s.party not in via:
            via[s.party] = s.contract
    for p in ctx.model.parties:
        functions = handled.get(p.id)
        if not functions:
            continue
        contracts = ctx.contracts_by_party.get(p.id, [])
        no_dpa = not any(c.data_processing_agreement for c in contracts)
        no_basis = p.data_location == "outside-eea" and not any(
            c.transfer_basis not in (None, "none") for c in contracts
        )
        if not (no_dpa or no_basis):
            continue
        reasons = []
        if no_dpa:
            reasons.append("has no data processing agreement")
        if no_basis:
            reasons.append("works from outside the EEA without a transfer basis")
        message = (
            f"{ctx.quoted(p.id)} handles personal data ({ctx.names(functions)}) but "
            + " and ".join(reasons)
            + "."
        )
        subjects = [p.id, *functions]
        if not contracts:
            yield Hit(
                message,
                subjects,
                f"Record the contract with {ctx.quoted(p.id)} and conclude a data processing "
                "agreement" + (" with standard contractual clauses." if no_basis else "."),
            )
            continue
        c = ctx.contracts.get(via.get(p.id, ""))
        if c is None or c.party != p.id:
            c = contracts[0]
        changes: dict[str, object] = {}
        todo = []
        if no_dpa:
            todo.append("a data processing agreement")
            changes["data_processing_agreement"] = True
        if no_basis:
            todo.append(
                "a transfer basis (standard contractual clauses unless an adequacy "
                "decision or binding corporate rules apply)"
            )
            changes["transfer_basis"] = "standard-contractual-clauses"
        yield Hit(
            message,
            subjects,
            f"Conclude {' and '.join(todo)} with {ctx.quoted(p.id)} and record it in "
            f"{ctx.quoted(c.id)}.",
            field_edits("contract", c.id, changes),
        )
