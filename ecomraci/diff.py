"""What differs between two models: objects, RACI cells, contract clauses and findings.

`diff_models` compares the structure: parties, functions, activities, assignments,
dependencies, contracts (clause by clause: a nested clause such as
``transition_assistance`` is compared field by field), forums, waivers, the RACI grid
cell by cell, and the single sections (name, organisation, key accountabilities,
settings). Objects are matched by the key `ecomraci.edits.object_key` gives them (an id,
``function@party`` for an assignment, ``function->needs`` for a dependency), so a moved
row is not a change. Layout and saved scenarios are left out: they describe the file,
not the organisation.

`diff_findings` compares two runs of the rule catalog. A finding is the same finding in
both when it has the same rule and the same subjects (in any order), and changed when
its text or severity differs. Of the rest, a finding that disappears and one that
appears with the same rule about the same object (the first subject: rules name the
object a finding is about first) and mostly the same subjects are one changed finding
too, since a contract that now covers one function less is still the same contract with
the same weak clause; anything else appeared or disappeared.

`compare(model_a, model_b, as_of)` does both; ``ecomraci diff`` and the what-if scenarios
(`ecomraci.scenario`) print and store its result. Every result type is a pydantic model,
so ``.model_dump(mode="json")`` is its JSON form.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from ecomraci.edits import ID_COLLECTIONS, object_key
from ecomraci.model import Model

# Collections compared object by object, in the order they are reported.
COLLECTIONS = (
    "parties",
    "functions",
    "activities",
    "assignments",
    "dependencies",
    "contracts",
    "forums",
    "waivers",
)
# Single sections compared field by field (dicts one level deep).
SECTIONS = ("name", "comment", "organisation", "key_accountabilities", "settings")


class FieldChange(BaseModel):
    """One field (``covers``, ``transition_assistance.months``) before and after."""

    field: str
    before: Any = None
    after: Any = None


class ObjectChange(BaseModel):
    key: str
    name: str
    status: Literal["added", "removed", "changed"]
    fields: list[FieldChange] = Field(default_factory=list)


class RaciChange(BaseModel):
    activity: str
    activity_name: str
    function: str
    party: str
    party_name: str
    before: str = ""
    after: str = ""


class FindingRef(BaseModel):
    rule: str
    severity: str
    message: str
    subjects: list[str]
    fix: str
    waived: bool = False

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.rule, tuple(sorted(self.subjects)))


class FindingChange(BaseModel):
    before: FindingRef
    after: FindingRef


class FindingsDiff(BaseModel):
    as_of: date
    appeared: list[FindingRef] = Field(default_factory=list)
    disappeared: list[FindingRef] = Field(default_factory=list)
    changed: list[FindingChange] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.appeared or self.disappeared or self.changed)


class ModelDiff(BaseModel):
    parties: list[ObjectChange] = Field(default_factory=list)
    functions: list[ObjectChange] = Field(default_factory=list)
    activities: list[ObjectChange] = Field(default_factory=list)
    assignments: list[ObjectChange] = Field(default_factory=list)
    dependencies: list[ObjectChange] = Field(default_factory=list)
    contracts: list[ObjectChange] = Field(default_factory=list)
    forums: list[ObjectChange] = Field(default_factory=list)
    waivers: list[ObjectChange] = Field(default_factory=list)
    raci: list[RaciChange] = Field(default_factory=list)
    sections: list[FieldChange] = Field(default_factory=list)
    findings: FindingsDiff | None = None

    @property
    def empty(self) -> bool:
        """No difference at all (findings included, when they were compared)."""
        structure = any(getattr(self, c) for c in COLLECTIONS) or self.raci or self.sections
        return not structure and (self.findings is None or self.findings.empty)

    def changed_keys(self) -> set[str]:
        """Keys of every object and RACI cell (``activity/party``) that differs, for a
        view that marks them."""
        keys = {c.key for name in COLLECTIONS for c in getattr(self, name)}
        keys |= {f"{r.activity}/{r.party}" for r in self.raci}
        return keys


# --- structure --------------------------------------------------------------------------


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    """One level of nested objects flattened into dotted fields."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, dict) and value:
            for sub, inner in value.items():
                out[f"{name}.{sub}"] = inner
        else:
            out[name] = value
    return out


def _field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    a, b = _flat(before), _flat(after)
    return [
        FieldChange(field=name, before=a.get(name), after=b.get(name))
        for name in dict.fromkeys([*a, *b])
        if a.get(name) != b.get(name)
    ]


def _label(names: _Names, collection: str, item: Any) -> str:
    if collection == "assignments":
        return f"{names(item.function)} by {names(item.party)}"
    if collection == "dependencies":
        return f"{names(item.function)} needs {names(item.needs)}"
    if collection == "waivers":
        return f"{item.rule} waiver on {', '.join(item.subjects)}"
    return item.name


class _Names:
    """Object id -> name over both models (the newer name wins)."""

    def __init__(self, *models: Model):
        self.names: dict[str, str] = {}
        for model in models:
            for collection in ID_COLLECTIONS:
                for item in getattr(model, collection):
                    self.names[item.id] = item.name

    def __call__(self, object_id: str) -> str:
        return self.names.get(object_id, object_id)


def _collection(a: Model, b: Model, collection: str, names: _Names) -> list[ObjectChange]:
    before = {object_key(collection, x): x for x in getattr(a, collection)}
    after = {object_key(collection, x): x for x in getattr(b, collection)}
    out: list[ObjectChange] = []
    for key, item in before.items():
        if key not in after:
            out.append(
                ObjectChange(key=key, name=_label(names, collection, item), status="removed")
            )
            continue
        if item == after[key]:
            continue
        changes = _field_changes(item.model_dump(mode="json"), after[key].model_dump(mode="json"))
        if changes:
            out.append(
                ObjectChange(
                    key=key,
                    name=_label(names, collection, after[key]),
                    status="changed",
                    fields=changes,
                )
            )
    for key, item in after.items():
        if key not in before:
            out.append(
                ObjectChange(
                    key=key,
                    name=_label(names, collection, item),
                    status="added",
                    fields=[
                        FieldChange(field=k, after=v)
                        for k, v in item.model_dump(mode="json", exclude_none=True).items()
                    ],
                )
            )
    return out


def raci_changes(a: Model, b: Model) -> list[RaciChange]:
    """Every RACI cell whose letters differ, in the row order of `b` (then rows only in `a`)."""
    names = _Names(a, b)
    function_of = {x.id: x.function for x in [*a.activities, *b.activities]}
    rows = list(
        dict.fromkeys(
            [*(x.id for x in b.activities), *(x.id for x in a.activities), *b.raci, *a.raci]
        )
    )
    out: list[RaciChange] = []
    for activity in rows:
        row_a, row_b = a.raci.get(activity, {}), b.raci.get(activity, {})
        for party in dict.fromkeys([*row_a, *row_b]):
            before, after = row_a.get(party, ""), row_b.get(party, "")
            if before != after:
                out.append(
                    RaciChange(
                        activity=activity,
                        activity_name=names(activity),
                        function=function_of.get(activity, ""),
                        party=party,
                        party_name=names(party),
                        before=before,
                        after=after,
                    )
                )
    return out


def diff_models(a: Model, b: Model) -> ModelDiff:
    """What differs between `a` and `b`, findings left out (see `compare`)."""
    names = _Names(a, b)
    result = ModelDiff.model_validate({c: _collection(a, b, c, names) for c in COLLECTIONS})
    result.raci = raci_changes(a, b)
    da = a.model_dump(mode="json", include=set(SECTIONS))
    db = b.model_dump(mode="json", include=set(SECTIONS))
    for section in SECTIONS:
        va, vb = da.get(section), db.get(section)
        if isinstance(va, dict) and isinstance(vb, dict):
            result.sections += [
                FieldChange(field=f"{section}.{c.field}", before=c.before, after=c.after)
                for c in _field_changes(va, vb)
            ]
        elif va != vb:
            result.sections.append(FieldChange(field=section, before=va, after=vb))
    return result


# --- findings ---------------------------------------------------------------------------


def finding_ref(finding) -> FindingRef:
    """A rule engine `Finding` as the plain record a diff keeps."""
    return FindingRef(
        rule=finding.rule,
        severity=finding.severity,
        message=finding.message,
        subjects=list(finding.subjects),
        fix=finding.fix,
        waived=finding.waived,
    )


def _mostly_same(a: list[str], b: list[str]) -> bool:
    """More than half of the shorter list of subjects is in the other: a contract that
    lost one of three functions, not a function that moved to another contract."""
    return len(set(a) & set(b)) * 2 > min(len(set(a)), len(set(b)))


def diff_findings(before: Iterable, after: Iterable, as_of: date) -> FindingsDiff:
    """Findings (engine `Finding`s or `FindingRef`s) that appear, disappear or change."""
    groups: dict[tuple, list[list[FindingRef]]] = defaultdict(lambda: [[], []])
    for side, findings in enumerate((before, after)):
        for f in findings:
            ref = f if isinstance(f, FindingRef) else finding_ref(f)
            groups[ref.key][side].append(ref)
    result = FindingsDiff(as_of=as_of)
    gone: list[FindingRef] = []
    new_ones: list[FindingRef] = []
    for old, new in groups.values():
        for x, y in zip(old, new):
            if (x.message, x.severity, x.waived) != (y.message, y.severity, y.waived):
                result.changed.append(FindingChange(before=x, after=y))
        gone += old[len(new) :]
        new_ones += new[len(old) :]
    # The second pass: a finding about the same object (a rule's first subject) whose
    # other subjects changed, such as a contract now covering one function less.
    by_object: dict[tuple[str, str], list[FindingRef]] = defaultdict(list)
    for y in new_ones:
        by_object[(y.rule, y.subjects[0] if y.subjects else "")].append(y)
    for x in gone:
        candidates = by_object.get((x.rule, x.subjects[0] if x.subjects else ""), [])
        match = next((y for y in candidates if _mostly_same(x.subjects, y.subjects)), None)
        if match is not None:
            candidates.remove(match)
            result.changed.append(FindingChange(before=x, after=match))
        else:
            result.disappeared.append(x)
    result.appeared = [y for ys in by_object.values() for y in ys]
    order = {id(y): i for i, y in enumerate(new_ones)}
    result.appeared.sort(key=lambda y: order[id(y)])
    return result


def compare(model_a: Model, model_b: Model, as_of: date) -> ModelDiff:
    """Everything that differs from `model_a` to `model_b`, with the findings of both
    checked as of `as_of`."""
    from ecomraci.rules import check

    result = diff_models(model_a, model_b)
    result.findings = diff_findings(check(model_a, as_of), check(model_b, as_of), as_of)
    return result


# --- text -------------------------------------------------------------------------------


def show(value: Any) -> str:
    """A field value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def letters_text(letters: str) -> str:
    return letters or "(none)"


def finding_line(f: FindingRef, mark: str = "") -> str:
    waived = " (waived)" if f.waived else ""
    return f"{mark}{f.severity.upper():<8}{f.rule:<8} {f.message}{waived}"


def findings_text(diff: FindingsDiff, indent: str = "  ") -> list[str]:
    lines = [
        f"Findings as of {diff.as_of.isoformat()}: {len(diff.appeared)} appear, "
        f"{len(diff.disappeared)} disappear, {len(diff.changed)} change"
    ]
    for f in diff.appeared:
        lines.append(finding_line(f, indent + "+ "))
    for f in diff.disappeared:
        lines.append(finding_line(f, indent + "- "))
    for c in diff.changed:
        lines.append(finding_line(c.after, indent + "~ "))
        lines.append(f"{indent}{'':18}was: {c.before.message}")
    return lines


_TITLES = {
    "parties": "Parties",
    "functions": "Functions",
    "activities": "Activities",
    "assignments": "Assignments",
    "dependencies": "Dependencies",
    "contracts": "Contracts",
    "forums": "Forums",
    "waivers": "Waivers",
}
_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def raci_line(r: RaciChange, indent: str = "  ") -> str:
    return (
        f"{indent}“{r.activity_name}” ({r.activity}) × “{r.party_name}”: "
        f"{letters_text(r.before)} -> {letters_text(r.after)}"
    )


def format_text(diff: ModelDiff, label_a: str = "A", label_b: str = "B") -> str:
    """The diff as ``ecomraci diff`` prints it."""
    lines = [f"{label_a} -> {label_b}"]
    if diff.empty:
        lines.append("No differences.")
        return "\n".join(lines)
    for collection in COLLECTIONS:
        changes: list[ObjectChange] = getattr(diff, collection)
        if not changes:
            continue
        lines.append(f"{_TITLES[collection]} ({len(changes)})")
        for c in changes:
            lines.append(f"  {_MARKS[c.status]} {c.key}  “{c.name}”")
            if c.status == "changed":
                for fc in c.fields:
                    lines.append(f"      {fc.field}: {show(fc.before)} -> {show(fc.after)}")
    if diff.raci:
        lines.append(f"RACI cells ({len(diff.raci)})")
        lines += [raci_line(r) for r in diff.raci]
    if diff.sections:
        lines.append(f"Other ({len(diff.sections)})")
        lines += [f"  {fc.field}: {show(fc.before)} -> {show(fc.after)}" for fc in diff.sections]
    if diff.findings is not None:
        lines += findings_text(diff.findings)
    return "\n".join(lines)
