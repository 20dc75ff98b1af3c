"""The what-if's statutory exit: for a function leaving a data processing service (EU
Data Act, Art. 25), `ecomraci simulate` shows the statutory switch next to the
contractual earliest exit, with its dates and the fee that may still be due."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ecomraci import store
from ecomraci.scenario import insource, terminate
from tests.core.test_cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ESTORE = SAMPLES / "outsourced-estore.ecomraci.json"


def test_simulate_shows_the_contractual_and_the_statutory_exit(capsys):
    args = ["simulate", str(ESTORE), "--insource", "web-store-it", "--as-of", "2026-11-24"]
    code, text, err = main(capsys, *args)
    assert code == 0 and err == ""
    exits = text.split("Earliest exit\n")[1].split("\n\n")[0]
    lines = exits.splitlines()
    # the contractual exit: six months' notice of the whole contract
    assert lines[0].endswith("on 2027-05-24")
    assert "termination for convenience of the whole contract" in lines[1]
    # ... and next to it the statutory switch: 2 months to 2027-01-24, then 30 days
    statutory = next(x for x in lines if "statutory right to switch" in x)
    assert statutory.strip().startswith("statutory right to switch, on 2027-02-23: EU Data Act")
    assert "notice given on 2026-11-24 runs 2 months to 2027-01-24" in statutory
    assert "up to 30 days completes the switch on 2027-02-23" in statutory
    assert "earlier than the contractual exit on 2027-05-24" in statutory
    assert "no switching charges (none allowed from 2027-01-12)" in statutory
    assert "the fixed term runs to 2027-12-31: a proportionate early-termination fee" in statutory

    code, out, err = main(capsys, *args, "--format", "json")
    [web] = json.loads(out)["exits"]
    assert web["leave"] == "2027-05-24"
    assert web["statutory"]["on"] == "2027-02-23"
    assert web["statutory"]["notice_ends"] == "2027-01-24"
    assert web["statutory"]["transition_days"] == 30


def test_only_the_data_processing_service_has_a_statutory_exit():
    model = store.load(ESTORE)
    # the agency's marketing work is not a data processing service
    result = insource(model, "online-marketing", as_of=date(2026, 11, 24))
    assert [e.statutory for e in result.exits] == [None]
    # ending the whole agency contract: only the web store is switched by law
    result = terminate(model, "pixelforge-msa", as_of=date(2026, 11, 24))
    statutory = {e.function: e.statutory for e in result.exits}
    assert statutory["online-marketing"] is None and statutory["analytics"] is None
    assert statutory["web-store-it"] is not None
    assert statutory["web-store-it"].on == date(2027, 2, 23)
    # a payment provider's contract is not marked as one
    result = terminate(model, "paynord-psp", as_of=date(2026, 11, 24))
    assert [e.statutory for e in result.exits] == [None]


def test_statutory_exit_follows_the_settings_and_the_agreed_terms():
    model = store.load(ESTORE)
    model.settings.src13_max_notice_months = 1
    model.settings.src13_max_transition_days = 10
    result = insource(model, "web-store-it", as_of=date(2026, 11, 24))
    assert result.exits[0].statutory.on == date(2027, 1, 3)  # 2026-12-24 + 10 days
    # an agreed early-termination fee is named as what may still be due
    c = model.contract("pixelforge-msa")
    c.switching.early_termination_fee = True
    result = insource(model, "web-store-it", as_of=date(2026, 11, 24))
    assert "early-termination fee stays allowed" in result.exits[0].statutory.reason
