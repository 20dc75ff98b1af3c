"""The rule catalog. Importing this package registers every rule family.

`check(model, as_of)` runs them all and returns findings with waivers applied.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from ecomraci.model import Model
# Importing each family registers its rules, in catalog order.
from ecomraci.rules import (  # noqa: F401
    raci,
    reversibility,
    exit_terms,
    coupling,
    governance,
    compliance,
)
from ecomraci.rules.engine import RULES, Finding, Hit, Rule, Severity, run_rules, summary


def check(model: Model, as_of: date | None = None, only: Iterable[str] | None = None) -> list[Finding]:
    return run_rules(model, as_of, only)


__all__ = ["RULES", "Finding", "Hit", "Rule", "Severity", "check", "summary"]
