"""RACI hygiene rules (RACI-01 ..): one accountable and someone doing the work per
activity, separation of duties, no overloaded parties, accountability kept in-house."""

from __future__ import annotations

from ecomraci.edits import SetRaci
from ecomraci.model import normalize_letters
from ecomraci.rules.engine import CheckContext, Hit, rule


def _with(letters: str, add: str = "", remove: str = "") -> str:
    kept = "".join(ch for ch in letters if ch not in remove)
    return normalize_letters(kept + add)


@rule(
    "RACI-01",
    "error",
    "An activity needs exactly one Accountable",
    "With no Accountable nobody answers for the outcome; with two, each waits for the other "
    "and decisions stall. One party signs off, whoever does the work.",
)
def one_accountable(ctx: CheckContext):
    for a in ctx.model.activities:
        holders = ctx.accountable[a.id]
        if len(holders) == 1:
            continue
        row = ctx.model.raci.get(a.id, {})
        owner = ctx.internal_owner(a.function)
        if len(holders) > 1:
            keep = owner if owner in holders else next(
                (p for p in holders if p in ctx.internal), holders[0]
            )
            message = (
                f"Activity {ctx.activity_label(a.id)} has {len(holders)} Accountables: "
                f"{ctx.names(holders)}."
            )
            edits = [
                SetRaci(activity=a.id, party=p, letters=_with(row[p], remove="A"))
                for p in holders
                if p != keep
            ]
            fix = f"Keep {ctx.quoted(keep)} as the single A; the others become C."
            edits = [
                SetRaci(activity=e.activity, party=e.party, letters=_with(e.letters, add="C"))
                if not e.letters
                else e
                for e in edits
            ]
            yield Hit(message, [a.id, *holders], fix, edits)
        else:
            message = f"Activity {ctx.activity_label(a.id)} has no Accountable."
            if owner is None:
                yield Hit(
                    message,
                    [a.id],
                    "Mark one internal party A on this activity (the owner of "
                    f"{ctx.quoted(a.function)}).",
                )
                continue
            yield Hit(
                message,
                [a.id],
                f"Make {ctx.quoted(owner)}, who owns {ctx.quoted(a.function)}, the A.",
                [SetRaci(activity=a.id, party=owner, letters=_with(row.get(owner, ""), add="A"))],
            )


@rule(
    "RACI-02",
    "error",
    "An activity needs someone Responsible",
    "An activity nobody is Responsible for does not get done. An Accountable who also "
    "does the work is marked A/R.",
)
def someone_responsible(ctx: CheckContext):
    for a in ctx.model.activities:
        if ctx.responsible[a.id]:
            continue
        row = ctx.model.raci.get(a.id, {})
        doer = next(iter(ctx.deliverers.get(a.function, [])), None)
        if doer is None:
            doer = next(iter(ctx.accountable[a.id]), None)
        message = f"Activity {ctx.activity_label(a.id)} has nobody Responsible."
        if doer is None:
            yield Hit(message, [a.id], "Mark the party that does this work R.")
            continue
        yield Hit(
            message,
            [a.id],
            f"Make {ctx.quoted(doer)}, who delivers {ctx.quoted(a.function)}, R"
            + (" (A/R: it is also accountable)." if "A" in row.get(doer, "") else "."),
            [SetRaci(activity=a.id, party=doer, letters=_with(row.get(doer, ""), add="R"))],
        )
