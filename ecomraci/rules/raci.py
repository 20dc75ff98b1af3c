"""RACI hygiene rules (RACI-01 .. RACI-07): one accountable and someone doing the work per
activity, separation of duties, no overloaded parties, accountability kept in-house.

Choices made here, also written up in ``ecomraci/rules/doc/raci.md``:

* RACI-03 knows a control activity by its kind (``"control"``), not by its name. A party
  holding A and R is flagged even when a second party is also R (the A still signs off its
  own work); a different party holding V (RACI-VS "verifies") counts as the second pair
  of eyes and clears it.
* RACI-04 counts the letters C and I per activity against the number of parties in the
  model; a cell ``CI`` counts once for each.
* RACI-05 flags a disproportionate share, not a fixed count: a party A on more than 40 %
  of the activities (`raci05_accountable_share`; only once it is A on more than half of
  `raci05_accountable_max`, so a four-activity model does not call two A's a load), or A
  on more than `raci05_accountable_max` (8) activities and on more than
  `raci05_peer_factor` (3) times the median of the other internal parties that are A
  somewhere. Each team accountable for its own function's activities (marketing on a
  dozen, finance on ten) is not a bottleneck; one far above the others, or holding most
  of the model, is. The median keeps one overloaded team from raising its own yardstick;
  with no other internal accountable party the share test decides.
* RACI-06 stays silent on a model with no activities (every party would have no letter).
* Rules that need "the internal party who owns a function" ask `internal_owner` once per
  function per check, not once per activity.

Speed: RACI-01, RACI-02 and RACI-07 pick the few activities they hit out of thousands with
compress/map over the shared A and R indexes (`_picked`), which runs in C. RACI-04 skips
a row that cannot pass a limit: each cell holds a letter at most once (the store refuses
a repeated letter), so a row has no more C or I than cells, and no more C than cells that
are not a plain I (counted in C). RACI-01 and RACI-05 write their wording, and RACI-01
its edits, when read (see `ecomraci.rules.engine`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import compress
from operator import attrgetter, countOf, not_
from statistics import median

from ecomraci.edits import SetRaci
from ecomraci.model import Activity, normalize_letters
from ecomraci.rules.engine import CheckContext, Hit, rule

# How many names a message lists before it says "and N more".
_NAMES_SHOWN = 5


def _with(letters: str, add: str = "", remove: str = "") -> str:
    kept = "".join(ch for ch in letters if ch not in remove)
    return normalize_letters(kept + add)


def _owner_lookup(ctx: CheckContext) -> Callable[[str], str | None]:
    """`ctx.internal_owner`, remembered per function for the length of one rule call."""
    cache: dict[str, str | None] = {}

    def owner(function_id: str) -> str | None:
        if function_id not in cache:
            cache[function_id] = ctx.internal_owner(function_id)
        return cache[function_id]

    return owner


def _some_names(ctx: CheckContext, ids: list[str], shown: int = _NAMES_SHOWN) -> str:
    if len(ids) <= shown:
        return ctx.names(ids)
    return f"{ctx.names(ids[:shown])} and {len(ids) - shown} more"


@rule(
    "RACI-01",
    "error",
    "An activity needs exactly one Accountable",
    "With no Accountable nobody answers for the outcome; with two, each waits for the other "
    "and decisions stall. One party signs off, whoever does the work.",
)
def one_accountable(ctx: CheckContext):
    owner_of = _owner_lookup(ctx)
    accountable = ctx.accountable
    raci = ctx.model.raci
    for a in _picked(ctx, accountable, (1).__ne__, len):
        holders = accountable[a.id]
        row = raci.get(a.id, {})
        owner = owner_of(a.function)
        if len(holders) > 1:
            keep = (
                owner
                if owner in holders
                else next((p for p in holders if p in ctx.internal), holders[0])
            )
            letters = {p: row[p] for p in holders if p != keep}
            yield Hit.deferred(
                [a.id, *holders],
                partial(_accountables_text, ctx, a.id, holders, keep),
                partial(_drop_a, a.id, letters),
            )
        elif owner is None:
            yield Hit.deferred([a.id], partial(_no_accountable_text, ctx, a.id, a.function, None))
        else:
            yield Hit.deferred(
                [a.id],
                partial(_no_accountable_text, ctx, a.id, a.function, owner),
                partial(_add_letter, a.id, owner, row.get(owner, ""), "A"),
            )


def _picked(ctx: CheckContext, index: dict[str, list[str]], *tests: Callable) -> Iterator[Activity]:
    """The activities (in file order) whose entry in `index` (`ctx.accountable` or
    `ctx.responsible`) passes ``tests[0](tests[1](...(entry)))``, picked with
    compress/map, which run in C: these rules hit a few activities of thousands."""
    activities = ctx.model.activities
    flags: Iterator = map(index.__getitem__, map(_ID, activities))
    for test in reversed(tests):
        flags = map(test, flags)
    return compress(activities, flags)


_ID = attrgetter("id")


def _accountables_text(
    ctx: CheckContext, aid: str, holders: list[str], keep: str
) -> tuple[str, str]:
    return (
        f"Activity {ctx.activity_label(aid)} has {len(holders)} Accountables: "
        f"{ctx.names(holders)}.",
        f"Keep {ctx.quoted(keep)} as the single A; the others give up the A "
        "(and become C where the A was their only letter).",
    )


def _drop_a(aid: str, letters: dict[str, str]) -> list[SetRaci]:
    # A party whose only letter was A stays in the loop as Consulted.
    return [
        SetRaci(activity=aid, party=p, letters=_with(held, remove="A") or "C")
        for p, held in letters.items()
    ]


def _no_accountable_text(
    ctx: CheckContext, aid: str, fid: str, owner: str | None
) -> tuple[str, str]:
    message = f"Activity {ctx.activity_label(aid)} has no Accountable."
    if owner is None:
        return message, (
            f"Mark one internal party A on this activity (the owner of {ctx.quoted(fid)})."
        )
    return message, f"Make {ctx.quoted(owner)}, who owns {ctx.quoted(fid)}, the A."


def _add_letter(aid: str, party: str, letters: str, add: str) -> list[SetRaci]:
    return [SetRaci(activity=aid, party=party, letters=_with(letters, add=add))]


def _doer(ctx: CheckContext, a: Activity) -> tuple[str | None, bool]:
    """Who should be R on an activity nobody is R on, and whether that party delivers the
    function (else it is the activity's A). Managing a supplier is internal work, so the
    supplier itself is not proposed there; on a control activity a deliverer who is not
    the A is preferred, so the fix does not create a RACI-03 finding."""
    accountable = ctx.accountable[a.id]
    deliverers = ctx.deliverers.get(a.function, [])
    if a.kind == "supplier-management":
        deliverers = [p for p in deliverers if p in ctx.internal]
    if a.kind == "control":
        deliverers = sorted(deliverers, key=lambda p: p in accountable)  # stable
    if deliverers:
        return deliverers[0], True
    return next(iter(accountable), None), False


@rule(
    "RACI-02",
    "error",
    "An activity needs someone Responsible",
    "An activity nobody is Responsible for does not get done. An Accountable who also "
    "does the work is marked A/R.",
)
def someone_responsible(ctx: CheckContext):
    for a in _picked(ctx, ctx.responsible, not_):
        row = ctx.model.raci.get(a.id, {})
        doer, delivers = _doer(ctx, a)
        message = f"Activity {ctx.activity_label(a.id)} has nobody Responsible."
        if doer is None:
            yield Hit(message, [a.id], "Mark the party that does this work R.")
            continue
        if delivers:
            fix = f"Make {ctx.quoted(doer)}, who delivers {ctx.quoted(a.function)}, R" + (
                " (A/R: it is also accountable)." if "A" in row.get(doer, "") else "."
            )
        else:
            fix = f"Make {ctx.quoted(doer)}, the Accountable, also Responsible (A/R)."
        yield Hit(
            message,
            [a.id],
            fix,
            [SetRaci(activity=a.id, party=doer, letters=_with(row.get(doer, ""), add="R"))],
        )


def _internal_candidates(
    ctx: CheckContext, a: Activity, row: dict[str, str], role: str
) -> Iterable[str]:
    """Parties that could take `role` (A or R) on a control activity, best first: the
    function's owner (for A) or its deliverers (for R), then parties already Consulted,
    then Informed on the activity, then parties holding the same letter elsewhere in the
    function. The caller keeps the first internal one that is not the A/R party."""
    if role == "A":
        owner = ctx.internal_owner(a.function)
        if owner is not None:
            yield owner
    else:
        yield from ctx.deliverers.get(a.function, [])
    for letter in "CI":
        yield from (p for p, letters in row.items() if letter in letters)
    for other in ctx.activities_by_function.get(a.function, []):
        yield from (p for p, letters in ctx.model.raci.get(other.id, {}).items() if role in letters)


@rule(
    "RACI-03",
    "warning",
    "A control activity needs a second pair of eyes",
    "Refunds, price changes, payment configuration and payouts move money or open the door "
    "to fraud; when the party that does the work also signs it off, mistakes and abuse go "
    "unnoticed. Another party should approve or do it.",
)
def separation_of_duties(ctx: CheckContext):
    for a in ctx.activities_by_kind.get("control", ()):
        row = ctx.model.raci.get(a.id, {})
        for p in ctx.accountable[a.id]:
            if "R" not in row[p]:
                continue
            if any(q != p and "V" in letters for q, letters in row.items()):
                continue  # a verifier (RACI-VS) is the second pair of eyes
            message = (
                f"Control activity {ctx.activity_label(a.id)}: {ctx.quoted(p)} both does "
                "the work and signs it off (A/R): no second pair of eyes."
            )
            others = [q for q in ctx.responsible[a.id] if q != p]
            if others:
                yield Hit(
                    message,
                    [a.id, p],
                    f"{ctx.names(others)} already {'does' if len(others) == 1 else 'do'} "
                    f"the work: keep {ctx.quoted(p)} as "
                    "the A who signs it off, without the R.",
                    [SetRaci(activity=a.id, party=p, letters=_with(row[p], remove="R"))],
                )
                continue
            # The party that delivers the function keeps the work and gets an approver;
            # otherwise it keeps the sign-off and gets someone to do the work.
            role = "A" if p in ctx.deliverers.get(a.function, []) else "R"
            candidate = next(
                (
                    q
                    for q in _internal_candidates(ctx, a, row, role)
                    if q != p and q in ctx.internal
                ),
                None,
            )
            if candidate is None:
                yield Hit(
                    message,
                    [a.id, p],
                    "Give the work (R) or the sign-off (A) to a second internal party, or "
                    "name a verifier (V).",
                )
                continue
            if role == "A":
                fix = (
                    f"Let {ctx.quoted(candidate)} sign off (A) while {ctx.quoted(p)} keeps "
                    "doing the work (R)."
                )
            else:
                fix = (
                    f"Let {ctx.quoted(candidate)} do the work (R) while {ctx.quoted(p)} "
                    "keeps the sign-off (A)."
                )
            yield Hit(
                message,
                [a.id, p],
                fix,
                [
                    SetRaci(
                        activity=a.id,
                        party=candidate,
                        letters=_with(row.get(candidate, ""), add=role, remove="CI"),
                    ),
                    SetRaci(activity=a.id, party=p, letters=_with(row[p], remove=role)),
                ],
            )


@rule(
    "RACI-04",
    "warning",
    "Too many Consulted or Informed on one activity",
    "Every Consulted party is a conversation before the work can move, and a long Informed "
    "list turns into mail nobody reads; a crowded RACI row slows promotions, releases and "
    "campaigns and hides who really matters.",
)
def crowded_row(ctx: CheckContext):
    s = ctx.settings
    n = len(ctx.model.parties)
    share_c = s.raci04_consulted_share * n
    limit_c = max(s.raci04_consulted_min, share_c)
    limit_i = s.raci04_informed_share * n
    c_text = (
        f"more than {s.raci04_consulted_min}"
        if s.raci04_consulted_min >= share_c
        else f"more than {s.raci04_consulted_share:.0%} of the {n} parties"
    )
    i_text = f"more than {s.raci04_informed_share:.0%} of the {n} parties"
    # A cell holds each letter at most once (the store refuses a repeated letter), so a
    # row of no more cells than both limits passes both: on a big model with many
    # parties that is most rows, and the longer ones are picked in C (compress/map).
    fewest = min(limit_c, limit_i)
    raci = ctx.model.raci
    activities = ctx.activities
    longer = compress(raci.items(), map(fewest.__lt__, map(len, raci.values())))
    for aid, row in longer:
        if aid not in activities:
            continue
        # Likewise a row whose cells other than a plain I are few enough has too few C,
        # and counting the plain I cells needs no new string.
        if len(row) <= limit_i and len(row) - countOf(row.values(), "I") <= limit_c:
            continue
        # Each letter appears once per cell (integrity checks it), so counting letters in
        # the joined row counts parties, at C speed.
        joined = "".join(row.values())
        c, i = joined.count("C"), joined.count("I")
        too_many_c, too_many_i = c > limit_c, i > limit_i
        if not (too_many_c or too_many_i):
            continue
        parts, fixes = [], []
        if too_many_c:
            consulted = [p for p, letters in row.items() if "C" in letters]
            parts.append(f"{c} Consulted ({c_text})")
            fixes.append(
                f"keep C only for those whose input is needed before the work is done "
                f"(now {_some_names(ctx, consulted)}) and make the others I or drop them"
            )
        if too_many_i:
            parts.append(f"{i} Informed ({i_text})")
            fixes.append(
                "keep I for those who must act on the outcome and reach the rest through a "
                "report or the alignment forum"
            )
        message = f"Activity {ctx.activity_label(aid)} has " + " and ".join(parts) + "."
        fix = "; ".join(fixes)
        yield Hit(message, [aid], fix[0].upper() + fix[1:] + ".")


@rule(
    "RACI-05",
    "warning",
    "A party is accountable for too much",
    "A party that must sign off a large part of the e-commerce work becomes a bottleneck: "
    "campaigns, releases and supplier decisions queue behind it, and its absence stops "
    "the shop.",
)
def overloaded_accountable(ctx: CheckContext):
    s = ctx.settings
    total = len(ctx.model.activities)
    if not total:
        return
    counts: dict[str, list[str]] = {}
    for activity_id, holders in ctx.accountable.items():
        for p in holders:
            counts.setdefault(p, []).append(activity_id)
    share_limit = s.raci05_accountable_share * total
    # The share test needs a party to be A on more than half the load floor: in a
    # small model, 2 of 4 activities is a large share but no load at all.
    share_floor = s.raci05_accountable_max // 2
    # The peer test: how many A's the internal parties that are accountable somewhere
    # hold, sorted, so that each party is compared with the median of the others.
    internal = ctx.internal
    loads = sorted(len(held) for p, held in counts.items() if p in internal)
    for p in ctx.parties:
        held = counts.get(p)
        if not held:
            continue
        n = len(held)
        over_share = n > share_limit and n > share_floor
        typical = _median_of_others(loads, n if p in internal else None)
        over_peers = (
            typical is not None
            and n > s.raci05_accountable_max
            and n > s.raci05_peer_factor * typical
        )
        if not (over_share or over_peers):
            continue
        if over_share:
            reason = f"more than {s.raci05_accountable_share:.0%} of all activities"
        else:
            assert typical is not None
            reason = (
                f"more than {s.raci05_peer_factor:g} times the {typical:g} the other "
                "internal accountable parties typically hold"
            )
        yield Hit.deferred([p], partial(_bottleneck_text, ctx, p, held, total, reason))


def _median_of_others(loads: list[int], own: int | None) -> float | None:
    """The median of the sorted `loads` with one entry equal to `own` left out (none left
    out when `own` is None); None when no load is left."""
    if own is not None:
        i = bisect_left(loads, own)
        others = loads[:i] + loads[i + 1 :]
    else:
        others = loads
    if not others:
        return None
    return float(median(others))


def _bottleneck_text(
    ctx: CheckContext, p: str, held: list[str], total: int, reason: str
) -> tuple[str, str]:
    n = len(held)
    message = (
        f"{ctx.quoted(p)} is Accountable for {n} of {total} activities "
        f"({n / total:.0%}, {reason}): a bottleneck."
    )
    # Activities another internal party already does are the natural ones to hand
    # over; control activities are left out (their doer should not also approve).
    handover = []
    for activity_id in held:
        a = ctx.activities[activity_id]
        if a.kind == "control":
            continue
        doers = [q for q in ctx.responsible[activity_id] if q != p and q in ctx.internal]
        if len(doers) == 1:
            handover.append(f"{ctx.quoted(activity_id)} to {ctx.quoted(doers[0])}")
        if len(handover) == 3:
            break
    fix = "Delegate the A on some activities to the teams that do the work" + (
        f", for example {'; '.join(handover)}." if handover else "."
    )
    return message, fix


@rule(
    "RACI-06",
    "info",
    "A party has no real role",
    "A party that is only ever Informed, or appears nowhere in the matrix, makes the "
    "organisation look bigger than it works; either it takes part in some activity or it "
    "does not belong in the model.",
)
def idle_party(ctx: CheckContext):
    if not ctx.model.activities:
        return
    rows = ctx.model.raci.values()
    idle = set(ctx.parties)
    for row in rows:
        idle.difference_update([p for p, letters in row.items() if letters != "I"])
        if not idle:
            return  # the usual case in a real model: stop scanning early
    informed: dict[str, int] = {}
    for row in rows:
        for p in idle.intersection(row):
            informed[p] = informed.get(p, 0) + 1
    delivers: dict[str, list[str]] = {}
    for assignment in ctx.model.assignments:
        delivers.setdefault(assignment.party, []).append(assignment.function)
    for p in ctx.parties:
        if p not in idle:
            continue
        delivered = delivers.get(p, [])
        if delivered:
            fix = (
                f"{ctx.quoted(p)} delivers {ctx.names(delivered)}: mark it R on the "
                "activities it does there."
            )
        else:
            fix = (
                f"Give {ctx.quoted(p)} a role (R, A or C) where it takes part, or remove it "
                "from the model."
            )
        count = informed.get(p, 0)
        if count:
            message = (
                f"{ctx.quoted(p)} is only ever Informed ({count} "
                f"activit{'y' if count == 1 else 'ies'}) and has no other role."
            )
        else:
            message = f"{ctx.quoted(p)} has no letter anywhere in the RACI matrix."
        yield Hit(message, [p], fix)


@rule(
    "RACI-07",
    "error",
    "Accountability stays in-house",
    "A company can outsource the work but not the accountability: a provider that is its "
    "own Accountable has nobody on the client side to answer for the result, accept its "
    "work or steer it. Keep an internal A and make the provider R.",
)
def external_accountable(ctx: CheckContext):
    owner_of = _owner_lookup(ctx)
    for a in _picked(ctx, ctx.accountable, not_, ctx.external.isdisjoint):
        holders = ctx.accountable[a.id]
        outside = [p for p in holders if p in ctx.external]
        row = ctx.model.raci.get(a.id, {})
        owner = owner_of(a.function)
        for p in outside:
            message = (
                f"Activity {ctx.activity_label(a.id)}: the outside party {ctx.quoted(p)} "
                "holds the A."
            )
            if owner is None:
                yield Hit(
                    message,
                    [a.id, p],
                    f"Make an internal party accountable (A) for {ctx.quoted(a.id)} and "
                    f"keep {ctx.quoted(p)} Responsible (R).",
                )
                continue
            owner_letters = _with(row.get(owner, ""), add="A", remove="CI")
            if a.kind == "control":
                # The provider does the work now; the owner only signs off (RACI-03).
                owner_letters = _with(owner_letters, remove="R")
            yield Hit(
                message,
                [a.id, p],
                f"Make {ctx.quoted(owner)}, who owns {ctx.quoted(a.function)}, the A and "
                f"keep {ctx.quoted(p)} Responsible (R) for the work.",
                [
                    SetRaci(activity=a.id, party=p, letters=_with(row[p], add="R", remove="ACI")),
                    SetRaci(activity=a.id, party=owner, letters=owner_letters),
                ],
            )
