"""What a contract says against what the model says (SRC-16).

A contract's `covers` and the assignments are two records of the same fact: which
functions an outside party delivers. The loader cannot refuse a file where they
disagree, since the app must open it for the user to put it right; this rule reports the
disagreement instead, and the rules that read `covers` (SRC-01 to SRC-08) are only as
right as that list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecomraci.rules.engine import CheckContext, Hit, field_edits, rule


@rule(
    "SRC-16",
    "warning",
    "A contract covers only functions its party delivers",
    "A contract that covers a function its party does not deliver is a record out of "
    "step with the sourcing: the exit, notice and exclusivity checks read what the "
    "contract covers, so they warn about a function the provider never had, or miss the "
    "one it really delivers under another contract.",
)
def covers_what_party_delivers(ctx: CheckContext):
    delivers: dict[str, set[str]] = {}
    delivered_by: dict[str, list[str]] = {}
    for s in ctx.model.assignments:
        delivers.setdefault(s.party, set()).add(s.function)
        parties = delivered_by.setdefault(s.function, [])
        if s.party not in parties:
            parties.append(s.party)
    for c in ctx.model.contracts:
        own = delivers.get(c.party, set())
        for fid in dict.fromkeys(c.covers):
            if fid in own or fid not in ctx.functions:
                continue
            others = [p for p in delivered_by.get(fid, []) if p != c.party]
            message = (
                f"{ctx.quoted(c.id)} covers {ctx.quoted(fid)}, but {ctx.quoted(c.party)} "
                f"does not deliver it"
                + (
                    f": {ctx.names(others)} {'do' if len(others) > 1 else 'does'}."
                    if others
                    else "."
                )
            )
            fix = (
                f"If {ctx.quoted(c.party)} delivers {ctx.quoted(fid)}, record it in the "
                f"sourcing (outsourced to {ctx.quoted(c.party)}, under {ctx.quoted(c.id)}); "
                f"if not, take {ctx.quoted(fid)} out of what {ctx.quoted(c.id)} covers."
            )
            # Taking it out is the fix only when another party is known to deliver it.
            edits: list[Any] | Callable[[], list[Any]] = (
                field_edits("contract", c.id, {"covers": [f for f in c.covers if f != fid]})
                if others
                else []
            )
            yield Hit(message, [c.id, fid], fix, edits)
