"""The rule catalog. Importing this package registers every rule family.

`check(model, as_of)` runs them all and returns findings with waivers applied.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from ecomraci.model import Model
from ecomraci.rules import raci  # noqa: F401  (registers RACI-..)
from ecomraci.rules.engine import RULES, Finding, Hit, Rule, Severity, run_rules, summary

for _family in ("reversibility", "exit_terms", "coupling", "governance", "compliance"):
    try:
        __import__(f"ecomraci.rules.{_family}")
    except ModuleNotFoundError as exc:  # a family not written yet
        if exc.name != f"ecomraci.rules.{_family}":
            raise


def check(model: Model, as_of: date | None = None, only: Iterable[str] | None = None) -> list[Finding]:
    return run_rules(model, as_of, only)


__all__ = ["RULES", "Finding", "Hit", "Rule", "Severity", "check", "summary"]
