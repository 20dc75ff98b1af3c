"""The rule catalog. Importing this package registers every rule family.

`check(model, as_of)` runs them all and returns findings with waivers applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ecomraci.model import Model

# Importing each family registers its rules, in catalog order: the order of these lines
# is the order of `RULES`, so the import sorter leaves them alone.
from ecomraci.rules import raci  # noqa: F401, I001  # isort: skip
from ecomraci.rules import reversibility  # noqa: F401  # isort: skip
from ecomraci.rules import exit_terms  # noqa: F401  # isort: skip
from ecomraci.rules import switching  # noqa: F401  # isort: skip
from ecomraci.rules import exit_plans  # noqa: F401  # isort: skip
from ecomraci.rules import consistency  # noqa: F401  # isort: skip
from ecomraci.rules import coupling  # noqa: F401  # isort: skip
from ecomraci.rules import governance  # noqa: F401  # isort: skip
from ecomraci.rules import compliance  # noqa: F401  # isort: skip
from ecomraci.rules.engine import RULES, Finding, Hit, Rule, Severity, run_rules, summary


def check(
    model: Model, as_of: date | None = None, only: Iterable[str] | None = None
) -> list[Finding]:
    return run_rules(model, as_of, only)


__all__ = ["RULES", "Finding", "Hit", "Rule", "Severity", "check", "summary"]
