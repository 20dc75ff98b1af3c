"""The wording of a what-if: `format_text`, the result as ``ecomraci simulate`` prints it,
and `months`, the month count as the results' reasons write it."""

from __future__ import annotations

from collections.abc import Mapping

from ecomraci.dates import BEYOND
from ecomraci.diff import FieldChange, findings_text, raci_line, show
from ecomraci.model import Model
from ecomraci.scenario.results import ExitRoute, FunctionExit, ScenarioResult

# The fields whose values are ids of the model's objects (the last part of a nested
# field's name): a what-if words them by name.
ID_FIELDS = frozenset(
    {
        "party",
        "parties",
        "covers",
        "insourcing_rights",
        "exclusivity",
        "cross_termination",
        "contract",
        "function",
        "needs",
        "interface_activity",
        "members",
    }
)


def object_names(*models: Model) -> dict[str, str]:
    """id -> name of every party, function, activity, contract and forum of `models`
    (a later model's name wins), for wording what differs between them."""
    names: dict[str, str] = {}
    for model in models:
        for collection in ("parties", "functions", "activities", "contracts", "forums"):
            for x in getattr(model, collection):
                names[x.id] = x.name
    return names


def dependency_text(key: str, names: Mapping[str, str]) -> str:
    """A dependency's key (``function->needs``) as words: “Online marketing” needs
    “Content”."""
    function, _, needs = key.partition("->")
    return f"“{names.get(function, function)}” needs “{names.get(needs, needs)}”"


def value_text(value: object, names: Mapping[str, str], ids: bool = True) -> str:
    """A field's value as a person reads it, with the objects it names (when `ids`) by
    their names: “Web store IT”, “Online marketing”; yes/no; (none)."""
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        if ids and value in names:
            return f"“{names[value]}”"
        if ids and "->" in value:
            return dependency_text(value, names)
        return value
    if isinstance(value, list):
        return ", ".join(value_text(v, names, ids) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{str(k).replace('_', ' ')}: {value_text(v, names, ids)}" for k, v in value.items()
        )
    return show(value)


def field_text(change: FieldChange, names: Mapping[str, str]) -> str:
    """One changed field in words: ``covers: “Web store IT”, “Analytics” → “Analytics”``."""
    ids = change.field.rsplit(".", 1)[-1] in ID_FIELDS
    before = value_text(change.before, names, ids)
    after = value_text(change.after, names, ids)
    return f"{change.field.replace('_', ' ').replace('.', ', ')}: {before} → {after}"


def months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def leave_text(e: FunctionExit) -> str:
    """The day a function leaves, as written: the date, a day beyond 9999-12-31 (its
    earliest way out takes effect after the calendar's last day; the reason says so), or
    none without negotiating."""
    if e.leave is not None:
        return str(e.leave)
    return f"a day {BEYOND}" if BEYOND in e.reason else "no date without negotiating"


def go_live_text(e: FunctionExit) -> str:
    """The successor's go-live, as written (when a successor is named and can be ready)."""
    if e.go_live is not None:
        return str(e.go_live)
    if e.leave is None and BEYOND in e.reason:
        return f"a day {BEYOND}"
    return "not before an exit is negotiated"


def route_text(route: ExitRoute) -> str:
    """The day a way out takes effect, as written: the date, a day beyond 9999-12-31, or
    never (no way without negotiating)."""
    if route.on is not None:
        return str(route.on)
    return "never" if route.kind == "none" else f"a day {BEYOND}"


def format_text(result: ScenarioResult, source: str | None = None) -> str:
    """The result as ``ecomraci simulate`` prints it."""
    head = f"{source}: {result.name}" if source else result.name
    lines = [head, f"{result.question} (as of {result.as_of})", ""]
    lines.append("Earliest exit")
    for e in result.exits:
        where = f"under “{e.contract_name}”" if e.contract_name else "no contract"
        lines.append(f"  “{e.function_name}” leaves “{e.party_name}” ({where}) on {leave_text(e)}")
        lines.append(f"      why: {e.reason}")
        for route in e.routes[1:]:
            lines.append(f"      or {route_text(route)}: {route.reason}")
        if e.statutory is not None:
            on = str(e.statutory.on) if e.statutory.on is not None else f"a day {BEYOND}"
            lines.append(f"      statutory right to switch, on {on}: {e.statutory.reason}")
        if e.ready is not None:
            lines.append(f"      go-live: {go_live_text(e)} ({e.go_live_reason})")
        elif e.go_live_reason:
            lines.append(f"      successor: {e.go_live_reason}")
    lines.append("")
    lines.append("Services put at risk" + ("" if result.at_risk else ": none"))
    for risk in result.at_risk:
        lines.append(f"  “{risk.function_name}”: {'; '.join(risk.reasons)}")
    if result.stranded:
        stranded = [dependency_text(d, result.names) for d in result.stranded]
        lines.append(f"  stranded dependencies: {', '.join(stranded)}")
    lines.append("")
    lines.append(
        "Dependencies crossing a new party boundary" + ("" if result.boundaries else ": none")
    )
    for b in result.boundaries:
        lines.append(
            f"  “{b.function_name}” needs “{b.needs_name}” ({', '.join(b.new_pairs)}): {b.action}"
        )
    if result.closed_boundaries:
        closed = [dependency_text(d, result.names) for d in result.closed_boundaries]
        lines.append(f"  no longer crossing parties: {', '.join(closed)}")
    lines.append("")
    lines.append(f"RACI changes ({len(result.raci)})")
    lines += [raci_line(r) for r in result.raci]
    lines.append("")
    lines.append("Contracts to amend" + ("" if result.contracts else ": none"))
    for c in result.contracts:
        lines.append(f"  “{c.name}” ({c.contract}, {c.party_name}): {c.status}")
        for ch in c.changes:
            lines.append(f"      change {ch}")
        verb = "settle" if c.status == "ends" else "negotiate"
        for cl in c.clauses:
            fields = f" [{', '.join(dict.fromkeys(cl.fields))}]" if cl.fields else ""
            lines.append(f"      {verb} ({cl.rule}){fields}: {cl.ask}")
    lines.append("")
    lines += findings_text(result.findings)
    if result.notes:
        lines.append("")
        lines += [f"Note: {n}" for n in result.notes]
    return "\n".join(lines)
