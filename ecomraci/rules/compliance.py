"""Compliance rules (CMP-01 ..): PCI DSS paperwork with payment providers, scripts that
can affect the payment page, and data protection with providers handling personal data.

The law and standards behind them (sources in ecomraci/rules/doc/compliance.md):
PCI DSS v4.0.1 with the future-dated requirements 6.4.3 and 11.6.1 in force since
31 March 2025 and SAQ A's eligibility criterion on script attacks; GDPR art. 28 for
processors and chapter V for transfers, with the 2021 standard contractual clauses and
the EU-US Data Privacy Framework."""

from __future__ import annotations

from ecomraci.dates import months_after, show
from ecomraci.edits import SetField
from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule

PERSONAL_DATA = ("customer", "order", "card")
_PERSONAL = frozenset(PERSONAL_DATA)

# How checkout takes cards (PaymentTerms.checkout_integration), grouped as SAQ A sees it.
PROVIDER_PAGE = frozenset({"redirect", "hosted-page"})  # hosted-page: the older flag only
EMBEDDED = frozenset({"iframe", "hosted-fields"})
SHOP_PAGE = frozenset({"direct-post", "own-form"})
CHECKOUT_WORDS = {
    "redirect": "a redirect to the provider's hosted page",
    "hosted-page": "the provider's hosted payment page",
    "iframe": "the provider's payment form in an iframe on the shop's page",
    "hosted-fields": "the provider's hosted card fields on the shop's page",
    "direct-post": "a form on the shop's page that posts card data to the provider",
    "own-form": "the shop's own card form",
}

# Transfer bases that carry personal data outside the EEA (GDPR chapter V) on their own;
# the EU-US Data Privacy Framework only to a certified recipient.
VALID_BASES = frozenset({"adequacy", "standard-contractual-clauses", "binding-corporate-rules"})
DPF = "eu-us-data-privacy-framework"
OLD_SCC = "pre-2021-standard-contractual-clauses"


def _and(items: list[str]) -> str:
    """a, b and c"""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
    "A payment provider needs a PCI DSS acknowledgement, a responsibility matrix and a "
    "current attestation",
    "Card data makes the shop subject to PCI DSS: the provider must acknowledge in writing "
    "that it is responsible for the card data it handles, a responsibility matrix must say "
    "which requirements it covers and which stay with the merchant, and the merchant must "
    "check the provider's compliance every year, which its attestation of compliance shows.",
)
def pci_paperwork(ctx: CheckContext):
    card_functions = {f.id for f in ctx.model.functions if "card" in f.data}
    max_age = ctx.settings.cmp01_aoc_max_age_months
    as_of = ctx.as_of

    def stale(c) -> bool:
        day = c.payment.attestation_date if c.payment is not None else None
        if day is None:
            return False
        due = months_after(day, max_age)
        return due is not None and due < as_of

    def aoc_words(c) -> str:
        return (
            f"an attestation of compliance dated {show(c.payment.attestation_date)}, more "
            f"than {max_age} months before {show(as_of)}"
        )

    for p in ctx.model.parties:
        if p.category != "payment-provider":
            continue
        contracts = ctx.contracts_by_party.get(p.id, [])
        if not contracts:
            yield Hit(
                f"Payment provider {ctx.quoted(p.id)} has no contract, so no PCI DSS "
                "acknowledgement or responsibility matrix is documented.",
                [p.id],
                f"Record the contract with {ctx.quoted(p.id)}, with its PCI DSS "
                "acknowledgement and responsibility matrix.",
            )
            continue
        papers = [
            c
            for c in contracts
            if c.payment is not None
            and c.payment.pci_dss_acknowledgement
            and c.payment.pci_responsibility_matrix
        ]
        if papers:
            dated = [
                (c.payment.attestation_date, i, c)
                for i, c in enumerate(papers)
                if c.payment is not None and c.payment.attestation_date is not None
            ]
            if not dated:
                continue
            latest = max(dated)[2]
            if not stale(latest):
                continue
            yield Hit(
                f"Payment provider {ctx.quoted(p.id)}: {ctx.quoted(latest.id)} has "
                f"{aoc_words(latest)}.",
                [p.id, latest.id],
                f"Ask {ctx.quoted(p.id)} for its current attestation of compliance (PCI DSS "
                f"12.8.4: check the provider's compliance at least every {max_age} months) "
                f"and record its date in {ctx.quoted(latest.id)}.",
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
            if stale(c):
                missing += f", and {aoc_words(c)}"
        wanted = (
            "its written PCI DSS acknowledgement and a responsibility matrix"
            if terms is None
            or not (terms.pci_dss_acknowledgement or terms.pci_responsibility_matrix)
            else "a PCI responsibility matrix"
            if terms.pci_dss_acknowledgement
            else "its written PCI DSS acknowledgement"
        )
        yield Hit(
            f"Payment provider {ctx.quoted(p.id)}: {ctx.quoted(c.id)} has {missing}.",
            [p.id, c.id],
            f"Obtain from {ctx.quoted(p.id)} {wanted}, and record it in {ctx.quoted(c.id)}."
            + (
                " Ask for its current attestation of compliance too and record its date."
                if stale(c)
                else ""
            ),
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


def checkout_kind(terms) -> str | None:
    """How a payment contract's checkout takes cards: its `checkout_integration`, or
    ``hosted-page`` when only the older `hosted_payment_page` flag says the provider's
    page is used, or None when nothing is recorded."""
    if terms.checkout_integration is not None:
        return str(terms.checkout_integration)
    return "hosted-page" if terms.hosted_payment_page else None


@rule(
    "CMP-02",
    "warning",
    "Storefront scripts must not be able to affect the payment page",
    "Since 31 March 2025 PCI DSS v4.0.1 expects the merchant to control every script that "
    "can reach the payment page (requirements 6.4.3 and 11.6.1): a tag manager or agency "
    "script there can skim card data, and a shop that embeds the provider's payment form "
    "keeps the small SAQ A scope only with evidence that its own scripts cannot affect it.",
)
def scripts_on_payment_page(ctx: CheckContext):
    checkouts = [
        (c, c.payment, kind)
        for c in ctx.model.contracts
        if c.payment is not None and (kind := checkout_kind(c.payment)) is not None
    ]
    if not checkouts:
        return
    scripters = [
        p.id for p in ctx.model.parties if p.adds_storefront_scripts and p.reaches_payment_page
    ]
    # parties whose scripts reach a provider's page with no script controls of the shop's
    exposed: dict[str, list[str]] = {}
    for c, terms, kind in checkouts:
        evidence = terms.script_protection
        reach = [p for p in scripters if p != c.party]
        how = CHECKOUT_WORDS[kind]
        also = f" {ctx.names(reach)} can put scripts on the payment page." if reach else ""
        if kind in EMBEDDED and evidence in (None, "none"):
            yield Hit(
                f"Checkout takes cards through {how} ({ctx.quoted(c.id)}, "
                f"{ctx.quoted(c.party)}) with no evidence that the shop's scripts cannot "
                "affect it: without that evidence the shop no longer qualifies for SAQ A "
                "(PCI DSS v4.0.1, since 2025-03-31) and must assess its site under the "
                f"larger SAQ A-EP.{also}",
                [c.party, c.id, *reach],
                f"Obtain {ctx.quoted(c.party)}'s written confirmation that its embedded "
                "payment form, set up as it instructs, is protected from script attacks, or "
                "put the shop's own controls on the checkout page (PCI DSS 6.4.3: an "
                "inventory of authorised scripts with their integrity checked; 11.6.1: "
                f"alerts on changes to the page), then record which in {ctx.quoted(c.id)}.",
                [
                    SetField(
                        target="contract",
                        id=c.id,
                        field="payment",
                        value=_payment_terms(c, script_protection="provider-confirmation"),
                    )
                ],
            )
        elif kind in SHOP_PAGE and evidence != "merchant-controls":
            confirmation = (
                "; the provider's confirmation does not cover a page the shop serves"
                if evidence == "provider-confirmation"
                else ""
            )
            yield Hit(
                f"Checkout takes cards through {how} ({ctx.quoted(c.id)}, "
                f"{ctx.quoted(c.party)}) and no script controls of the shop's own are "
                f"recorded{confirmation}: PCI DSS v4.0.1 requirements 6.4.3 and 11.6.1 "
                f"apply to that page in full since 2025-03-31.{also}",
                [c.party, c.id, *reach],
                "Put script controls on the payment page (6.4.3: an inventory of authorised "
                "scripts with their integrity checked; 11.6.1: alerts on changes to the "
                "page and its security headers) and record them as the shop's own "
                f"controls in {ctx.quoted(c.id)}, or move checkout to "
                f"{ctx.quoted(c.party)}'s hosted page or embedded form, which keeps the "
                "scope small.",
            )
        elif kind in PROVIDER_PAGE and evidence != "merchant-controls":
            for p in reach:
                exposed.setdefault(p, []).append(c.id)
    for p, contract_ids in exposed.items():
        yield Hit(
            f"{ctx.quoted(p)} can add scripts to the storefront and reaches the payment "
            f"page, while payments rely on the hosted page of {ctx.names(contract_ids)}.",
            [p, *contract_ids],
            f"Keep {ctx.quoted(p)}'s scripts off the payment page (exclude it from the tag "
            "container or restrict its access), then record that it no longer reaches it.",
            [SetField(target="party", id=p, field="reaches_payment_page", value=False)],
        )


# --- CMP-03 ------------------------------------------------------------------------------


@rule(
    "CMP-03",
    "error",
    "Providers handling personal data need a full DPA, and a valid transfer basis outside the EEA",
    "A provider that processes customer, order or card data on the shop's behalf needs a "
    "data processing agreement (GDPR art. 28) that lists its subprocessors, announces "
    "changes to them and ends with the data returned or deleted; from outside the EEA it "
    "also needs a transfer basis that is valid today, such as the 2021 standard "
    "contractual clauses.",
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
        dpas = [c for c in contracts if c.data_processing_agreement]
        no_dpa = not dpas
        no_list = bool(dpas) and not any(c.sub_processor_list for c in dpas)
        no_notice = bool(dpas) and not any(c.sub_processor_notice for c in dpas)
        no_end = bool(dpas) and not any(
            c.personal_data_at_end is not None or c.data_return.agreed for c in dpas
        )
        bases = {str(c.transfer_basis) for c in contracts if c.transfer_basis is not None}
        transfer = None  # what is wrong with the transfer, if anything
        if p.data_location == "outside-eea" and not (
            bases & VALID_BASES or (DPF in bases and p.dpf_certified)
        ):
            if DPF in bases:
                transfer = (
                    "relies on the EU-US Data Privacy Framework but is not certified under it"
                )
            elif OLD_SCC in bases:
                transfer = (
                    "relies on the pre-2021 standard contractual clauses, which ceased to be "
                    "a transfer basis on 2022-12-27"
                )
            else:
                transfer = "works from outside the EEA without a transfer basis"
        if not (no_dpa or no_list or no_notice or no_end or transfer):
            continue
        reasons = []
        if no_dpa:
            reasons.append("has no data processing agreement")
        gaps = []
        if no_list:
            gaps.append("no list of subprocessors")
        if no_notice:
            gaps.append("no duty to give notice of subprocessor changes")
        if no_end:
            gaps.append("nothing on returning or deleting the data at the end")
        if gaps:
            reasons.append("its data processing agreement has " + _and(gaps))
        if transfer:
            reasons.append(transfer)
        message = (
            f"{ctx.quoted(p.id)} handles personal data ({ctx.names(functions)}) but "
            + " and ".join(reasons)
            + "."
        )
        subjects = [p.id, *functions]
        basis = DPF if p.dpf_certified else "standard-contractual-clauses"
        basis_words = (
            "the EU-US Data Privacy Framework, under which it is certified"
            if p.dpf_certified
            else "the 2021 standard contractual clauses (unless an adequacy decision or "
            "binding corporate rules apply)"
        )
        if not contracts:
            yield Hit(
                message,
                subjects,
                f"Record the contract with {ctx.quoted(p.id)} and conclude a data processing "
                "agreement with a list of subprocessors, notice of changes to them and "
                "return or certified deletion of the data at the end"
                + (f", and {basis_words}." if transfer else "."),
            )
            continue
        c = ctx.contracts.get(via.get(p.id, ""))
        if c is None or c.party != p.id or (dpas and c not in dpas):
            c = dpas[0] if dpas else contracts[0]
        changes: dict[str, object] = {}
        todo = []
        if no_dpa:
            todo.append(
                "a data processing agreement with a list of subprocessors, advance notice "
                "of changes to them and return or certified deletion of the data at the end"
            )
            changes["data_processing_agreement"] = True
        else:
            missing = []
            if no_list:
                missing.append("a list of subprocessors")
            if no_notice:
                missing.append("advance notice of subprocessor changes with a right to object")
            if no_end:
                missing.append("return or certified deletion of the data at the end")
            if missing:
                todo.append(_and(missing) + " in the data processing agreement")
        if no_dpa or no_list:
            changes["sub_processor_list"] = True
        if no_dpa or no_notice:
            changes["sub_processor_notice"] = True
        if (no_dpa or no_end) and not c.data_return.agreed and c.personal_data_at_end is None:
            changes["personal_data_at_end"] = "return-or-certified-deletion"
        if transfer:
            todo.append(basis_words)
            changes["transfer_basis"] = basis
        yield Hit(
            message,
            subjects,
            f"Agree with {ctx.quoted(p.id)} {'; and '.join(todo)}; then record it in "
            f"{ctx.quoted(c.id)}.",
            field_edits("contract", c.id, changes),
        )
