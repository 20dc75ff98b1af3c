"""The status bar names the contract calendar's next date due within 90 days, and follows
edits (a re-check refreshes it)."""

from __future__ import annotations

from datetime import date

from ecomraci import store
from ecomraci.deadlines import due_within
from ecomraci.edits import SetField
from tests.ui.conftest import SAMPLES

AS_OF = date(2027, 5, 15)


def test_status_bar_shows_the_next_deadline_and_follows_an_edit(make_window):
    model = store.load(SAMPLES / "outsourced-estore.ecomraci.json")
    [first, *_] = due_within(model, AS_OF, 90)
    w = make_window(model, as_of=AS_OF)
    w.findings.recheck_now(wait=True)
    # The payment provider's attestation of 30 Jun 2025 was due again on 30 Jun 2026.
    assert first.kind == "attestation-renewal" and first.day == date(2026, 6, 30)
    assert w.next_deadline.text() == "Overdue since 2026-06-30: PCI attestation, Paynord Payments"
    assert "ask “Paynord Payments”" in w.next_deadline.toolTip()
    # A fresh attestation takes it off the list: next comes the Parcelway exit plan, last
    # tested on 16 Feb 2026 and so due again on 16 Feb 2027.
    psp = next(c for c in w.document.model.contracts if c.payment is not None)
    payment = psp.payment.model_dump(mode="json") | {"attestation_date": "2027-05-01"}
    edit = SetField(target="contract", id=psp.id, field="payment", value=payment)
    assert w.document.apply([edit], "attestation") is None
    w.findings.recheck_now(wait=True)
    assert (
        w.next_deadline.text() == "Overdue since 2027-02-16: exit plan, Parcelway parcel services"
    )
    w.document.undo_stack.undo()
    w.findings.recheck_now(wait=True)
    assert w.next_deadline.text().startswith("Overdue since 2026-06-30")


def test_status_bar_is_empty_when_nothing_is_due(make_window):
    from ecomraci.catalog import new_model

    w = make_window(new_model(), as_of=AS_OF)
    w.findings.recheck_now(wait=True)
    assert w.next_deadline.text() == ""
