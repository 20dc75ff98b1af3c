"""The JSON Schema of the model file, generated from `ecomraci.model.Model`.

``python -m ecomraci.schema docs/model.schema.json`` (or ``make schema``) writes it; the
test suite fails when the committed file differs from what this module generates, so the
published schema never drifts from the code. The output is deterministic: sorted keys,
two-space indent, one trailing newline.

The schema describes what `ecomraci.store.load` accepts in the current format version,
with additions the pydantic model cannot express by itself: ``format`` and ``version``
are required in a file (the model gives them defaults so code can build a `Model`
without them); a waiver names one of the rules ecomraci has; an exit plan with a test
date says ``"exists": true``; a date is written YYYY-MM-DD (a pattern as well as the
``date`` format, which validators check only on request); and every property has a title
and a description, those of the model's fields (`complete_titles`), which the app shows
as tooltips. A JSON Schema validator and `load` agree on what a file may hold
(tests/core/test_strict_loading.py); what lies between objects (ids unique, references
that exist) only `load` checks.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ecomraci import edits, model
from ecomraci.model import FORMAT_NAME, FORMAT_VERSION, Model

SCHEMA_ID = f"urn:ecomraci:{FORMAT_NAME}:v{FORMAT_VERSION}"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Fields a model file must contain, whatever defaults the Python model gives them.
REQUIRED_IN_FILE = ("format", "version")

SECTION_DESCRIPTIONS: dict[str, str] = {
    "format": f'Always "{FORMAT_NAME}": marks the file as an ecomraci model.',
    "version": f"Format version of the file; this schema describes version {FORMAT_VERSION}.",
    "name": "Name of the organisation or scenario the model describes.",
    "comment": "Free text about the model.",
    "organisation": "Organisation profile: strategy focus, structure stage, placement, "
    "online share of revenue and capability maturity.",
    "parties": "Internal teams and outside parties (agencies, vendors, providers).",
    "functions": "Units of e-commerce work, such as online-marketing or payments.",
    "activities": "Rows of the RACI matrix; each names the function it belongs to.",
    "assignments": "Sourcing: which party delivers which function, in which mode, under "
    "which contract.",
    "raci": "The RACI matrix, sparse: {activity id: {party id: letters}}, letters from "
    "A, R, S, C, I, V in that order (AR for an Accountable who also does the work).",
    "dependencies": 'Function needs function; the subject id of a dependency is "function->needs".',
    "contracts": "Contracts with external parties and their exit and reversibility clauses.",
    "forums": "Recurring alignment meetings and their member parties.",
    "key_accountabilities": "The party accountable for each key accountability; one each.",
    "waivers": "Findings accepted on purpose: rule, subjects, reason, author, until.",
    "layout": "Positions of map items the user arranged by hand, by object id.",
    "settings": "Rule thresholds (the (t) values of the rule catalog) with their defaults.",
}


DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

# The fields of the model's edits (saved scenarios), which are not fields a user types.
EDIT_FIELDS: dict[str, str] = {
    "op": "The kind of edit.",
    "collection": "The list of the model the object is in: parties, functions, activities, "
    "assignments, dependencies, contracts, forums or waivers.",
    "item": "The object added, as the model file holds it.",
    "index": "The position in the list, from 0; none: at the end.",
    "key": 'The object: its id (an assignment is "function@party", a dependency '
    '"function->needs"), or the key accountability.',
    "target": "The kind of object whose field is set.",
    "id": 'The object\'s id (an assignment is "function@party", a dependency "function->needs").',
    "field": "The name of the field set.",
    "value": "The field's new value, as the model file holds it.",
    "forum": "The forum added.",
    "subject": "The id of the map item.",
    "position": "Its position on the map; none releases it.",
    "parties": "The ids of the parties accountable.",
    "activity": "The id of the activity: the row of the cell.",
    "party": "The id of the party: the column of the cell.",
    "letters": "The letters of the cell; empty clears it.",
}


def _classes() -> dict[str, type[BaseModel]]:
    """The model's and the edits' classes by name, as the schema's definitions name them."""
    found: dict[str, type[BaseModel]] = {}
    for module in (model, edits):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseModel):
                found.setdefault(name, value)
    return found


def complete_titles(schema: dict[str, Any]) -> None:
    """Give every property its field's title and description where pydantic left them
    out (next to a ``$ref``, a title equal to the definition's)."""
    classes = _classes()
    targets = [("Model", schema)] + list(schema.get("$defs", {}).items())
    for name, node in targets:
        cls = classes.get(name)
        for field_name, prop in node.get("properties", {}).items():
            field = cls.model_fields.get(field_name) if cls is not None else None
            title = field.title if field is not None and field.title else None
            text = field.description if field is not None else None
            prop.setdefault("title", title or field_name.replace("_", " ").capitalize())
            if not prop.get("description"):
                prop["description"] = text or EDIT_FIELDS.get(field_name, "")


def _date_patterns(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("format") == "date" and node.get("type") == "string":
            node["pattern"] = DATE_PATTERN
        for value in node.values():
            _date_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _date_patterns(value)


def model_schema() -> dict[str, Any]:
    """The JSON Schema of a model file, as a dict."""
    schema = Model.model_json_schema()
    schema["$schema"] = DRAFT
    schema["$id"] = SCHEMA_ID
    schema["title"] = "ecomraci model file"
    schema["description"] = (
        f'An ecomraci model (*.ecomraci.json), format "{FORMAT_NAME}" version '
        f"{FORMAT_VERSION}: parties, functions, activities, sourcing assignments, the RACI "
        "matrix, dependencies, contracts, forums, key accountabilities, the organisation "
        "profile, waivers, layout and rule settings. Objects refer to each other by id; "
        "ecomraci also checks that every reference exists and every id is unique, which "
        "a JSON Schema cannot express. See docs/file-format.md."
    )
    properties = schema.get("properties", {})
    required = list(schema.get("required", []))
    for name in REQUIRED_IN_FILE:
        if name in properties and name not in required:
            required.append(name)
    schema["required"] = sorted(required)
    for name, text in SECTION_DESCRIPTIONS.items():
        if name in properties and "description" not in properties[name]:
            properties[name]["description"] = text
    complete_titles(schema)
    _date_patterns(schema)
    defs = schema.get("$defs", {})
    from ecomraci.rules import RULES  # the rules import the model, not this module

    if "Waiver" in defs:
        defs["Waiver"]["properties"]["rule"]["enum"] = sorted(RULES)
    if "ExitPlan" in defs:
        # A test date needs a plan (`ExitPlan` refuses the one without the other).
        defs["ExitPlan"]["if"] = {
            "properties": {"last_tested": {"type": "string"}},
            "required": ["last_tested"],
        }
        defs["ExitPlan"]["then"] = {
            "properties": {"exists": {"const": True}},
            "required": ["exists"],
        }
    return schema


def schema_text() -> str:
    """The schema as the committed file holds it: sorted keys, indent 2, newline."""
    return json.dumps(model_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(
            "usage: python -m ecomraci.schema OUT.json   (use - for standard output)",
            file=sys.stderr,
        )
        return 2
    text = schema_text()
    if args[0] == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args[0])
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"ecomraci.schema: {out}: cannot be written ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(f"{out}: JSON Schema of format {FORMAT_NAME} version {FORMAT_VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
