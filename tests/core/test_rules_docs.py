"""The rule documentation: docs/rules.md is generated from the package's fragments and up
to date, every registered rule is listed, explained and documented, and every rule has a
test that triggers it and one that does not, which its section names.

The tests of a rule are found by reading tests/core/rules/test_*.py with `ast`: a call
``findings(model, "SRC-02")`` (or ``subjects``, ``only``, ``fixed``, ``_fix``) whose
result is compared with ``[]`` asserts no finding; any other use of it expects one. A rule
id may come from a ``pytest.mark.parametrize`` argument or a ``for`` loop over constants.
"""

from __future__ import annotations

import ast
import importlib
import re
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cache
from pathlib import Path

import pytest

from ecomraci import docs
from ecomraci.rules import RULES
from ecomraci.rules.engine import Rule
from tests.core.test_cli import main as run_cli

ROOT = Path(__file__).resolve().parents[2]
RULES_MD = ROOT / "docs" / "rules.md"
RULE_TESTS = ROOT / "tests" / "core" / "rules"
RULE_IDS = sorted(RULES)
# the helpers of the rule tests that run one rule on a model
RULE_CALLS = {"findings", "subjects", "only", "fixed", "_fix"}
NODE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[([^\]`]+)\])?`")


def key(rule_id: str) -> str:
    """SRC-02 -> src02, the prefix of the rule's own test names."""
    return rule_id.lower().replace("-", "")


# --- docs/rules.md ---------------------------------------------------------------------


@cache
def rules_md() -> str:
    return RULES_MD.read_text(encoding="utf-8")


@cache
def md_sections() -> dict[str, tuple[str, str]]:
    """rule id -> (heading, body) of each ### section of docs/rules.md, in order."""
    out: dict[str, tuple[str, str]] = {}
    for part in re.split(r"(?m)^### ", rules_md())[1:]:
        heading, _, body = part.partition("\n")
        body = re.split(r"(?m)^## ", body)[0]  # the next family's heading ends it
        rule_id = heading.split()[0]
        assert rule_id not in out, f"docs/rules.md documents {rule_id} twice"
        out[rule_id] = (heading, body.strip())
    return out


def test_rules_md_is_up_to_date():
    assert RULES_MD.exists(), f"docs/rules.md is missing: run `{docs.REGENERATE}`"
    assert rules_md() == docs.render_rules_md(), (
        f"docs/rules.md is stale (a fragment in ecomraci/rules/doc/ or the registry "
        f"changed): run `{docs.REGENERATE}`"
    )


def test_sections_follow_the_catalog_order():
    family_order = {f: i for i, f in enumerate(docs.FAMILIES)}
    expected = sorted(RULES, key=lambda r: (family_order[RULES[r].family], r))
    assert list(md_sections()) == expected


def test_settings_table_lists_every_threshold():
    from ecomraci.model import Settings

    for name, _info in Settings.model_fields.items():
        assert f"| `{name}` |" in rules_md(), name


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_a_full_section(rule_id):
    r = RULES[rule_id]
    heading, body = md_sections()[rule_id]
    assert heading == f"{r.id} ({r.severity}): {r.title}"
    paragraphs = body.split("\n\n")
    for mark in ("**Checks**", "**Why it matters.**", "**Example.**", "**Fix.**"):
        assert any(p.startswith(mark) for p in paragraphs), f"{rule_id}: no {mark} paragraph"
    assert paragraphs[-1].startswith("Tested by "), f"{rule_id}: no 'Tested by' line at the end"


def test_python_m_ecomraci_docs_writes_the_file(tmp_path, capsys):
    out = tmp_path / "rules.md"
    assert docs.main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == docs.render_rules_md()
    assert docs.main([]) == 2
    assert docs.REGENERATE in capsys.readouterr().err
    assert docs.main([str(tmp_path / "no-such-folder" / "rules.md")]) == 2
    assert "cannot be written" in capsys.readouterr().err


def test_a_rule_without_or_with_a_stale_section_is_refused():
    extra = Rule("SRC-99", "warning", "A new rule", "Why.", "reversibility", lambda ctx: [])
    with pytest.raises(
        docs.DocsError, match=r"SRC-99: no section in ecomraci/rules/doc/reversibility\.md"
    ):
        docs._check_against_registry({**RULES, "SRC-99": extra})
    renamed = {
        **RULES,
        "SRC-02": Rule(
            "SRC-02", "error", "New title", "Why.", "reversibility", RULES["SRC-02"].check
        ),
    }
    with pytest.raises(
        docs.DocsError,
        match=r"reversibility\.md, SRC-02: heading .* should be "
        r"'SRC-02 \(error\): New title'",
    ):
        docs._check_against_registry(renamed)
    fewer = {k: v for k, v in RULES.items() if k != "CMP-03"}
    with pytest.raises(docs.DocsError, match=r"compliance\.md, CMP-03: no such rule"):
        docs._check_against_registry(fewer)


def test_fragments_ship_with_the_package():
    """Every fragment is package data, so `ecomraci rules ID` works from a wheel."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["ecomraci"]
    doc_dir = ROOT / "ecomraci" / "rules" / "doc"
    files = sorted(p.relative_to(ROOT / "ecomraci").as_posix() for p in doc_dir.iterdir())
    expected = (*docs.FAMILIES, "intro", docs.IN_WORDS)
    assert files == sorted(f"rules/doc/{f}.md" for f in expected)
    for f in files:
        assert any(fnmatch(f, pattern) for pattern in patterns), f
    assert not (ROOT / "docs" / "rules").exists(), "the fragments live in ecomraci/rules/doc/"


# --- the rules in words: Explain and Help › Rule catalog in the app ----------------------


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_is_explained_in_plain_words(rule_id):
    r = RULES[rule_id]
    text = docs.rule_in_words(r)
    assert text.startswith(f"## {r.title}\n")
    for mark in (
        "**What it checks.**",
        "**Why it matters.**",
        "**How to fix it.**",
        "**Example.**",
    ):
        assert text.count(mark) == 1, f"{rule_id}: {mark}"
    assert docs.technical_words(text) == [], rule_id
    assert "Tested by" not in text and "tests/" not in text
    # the Why paragraph is the family fragment's, so the two texts cannot drift apart
    _, body = md_sections()[rule_id]
    why = next(p for p in body.split("\n\n") if p.startswith("**Why it matters.**"))
    assert " ".join(why.split()) in text


def test_the_technical_word_scan_catches_what_it_should():
    for bad in (
        '`"partial_termination": "none"`',
        "set insourcing_rights",
        '{"ecom": "AR"}',
        "edit those, not this file. -->",
        "the check exits with 1",
        "run ecomraci check --fail-on warning",
        "the agency-contract covers web-store-it",
    ):
        assert docs.technical_words(bad), bad
    assert docs.technical_words("The e-commerce team takes it in-house: a cooperation duty.") == []


def test_the_catalog_in_words_lists_every_rule_without_source_text():
    text = docs.render_catalog_in_words()
    for rule_id, r in RULES.items():
        assert f"## {rule_id}: {r.title}" in text
    for family in docs.FAMILIES:
        assert f"# {docs.fragment(family).title}" in text
    assert "<!--" not in text and "not this file" not in text
    assert docs.technical_words(text) == []


def test_a_rule_missing_in_words_or_with_field_names_is_refused(monkeypatch):
    words = dict(docs.in_words())
    del words["SRC-04"]
    words["SRC-05"] = words["SRC-05"].replace("ticks", "sets `price_card_per_function` by")
    monkeypatch.setattr(docs, "in_words", lambda: words)
    with pytest.raises(docs.DocsError) as raised:
        docs._check_against_registry(RULES)
    assert "SRC-04: no section in ecomraci/rules/doc/in_words.md" in str(raised.value)
    assert "SRC-05 (or its Why it matters): a code span" in str(raised.value)
    assert "a field name: 'price_card_per_function'" in str(raised.value)


# --- the command line ----------------------------------------------------------------------


def test_rules_lists_every_registered_rule(capsys):
    code, out, err = run_cli(capsys, "rules")
    assert code == 0 and err == ""
    listed = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert set(listed) == set(RULES)
    for rule_id, line in listed.items():
        assert RULES[rule_id].severity in line and RULES[rule_id].title in line


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rules_id_prints_the_explanation(capsys, rule_id):
    code, out, err = run_cli(capsys, "rules", rule_id)
    assert code == 0 and err == ""
    r = RULES[rule_id]
    assert out.startswith(f"{r.id} ({r.severity}): {r.title}\n")
    assert r.rationale in out
    _, body = md_sections()[rule_id]
    documented = body.rsplit("\n\nTested by ", 1)[0]
    assert documented in out  # the same text as docs/rules.md ...
    assert "Tested by" not in out  # ... without the tests, which are not installed


def test_rules_unknown_id_exits_2(capsys):
    code, out, err = run_cli(capsys, "rules", "NOPE")
    assert code == 2 and out == ""
    assert err.strip() == "ecomraci: NOPE: no such rule; `ecomraci rules` lists them"


# --- the tests behind each rule ----------------------------------------------------------


@dataclass
class RuleTest:
    """What one test function of tests/core/rules asserts about which rules."""

    path: str  # relative to the repository, as in a pytest node id
    name: str
    params: dict[str, list] = field(default_factory=dict)
    node: ast.FunctionDef | None = None

    def param_ids(self) -> set[str]:
        if len(self.params) != 1:
            return set()
        (values,) = self.params.values()
        return {str(v) for v in values}

    def rules(self, param: str | None = None) -> tuple[set[str], set[str], bool]:
        """(rules it expects a finding of, rules it expects none of, whether it looks at
        subjects); with `param`, for that parametrized case only."""
        loops: dict[str, set[str]] = {}
        for n in ast.walk(self.node):
            if (
                isinstance(n, ast.For)
                and isinstance(n.target, ast.Name)
                and isinstance(n.iter, (ast.Tuple, ast.List))
            ):
                loops[n.target.id] = {e.value for e in n.iter.elts if isinstance(e, ast.Constant)}

        def ids(arg: ast.expr) -> set[str]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return {arg.value}
            if isinstance(arg, ast.Name) and arg.id in self.params:
                values = {str(v) for v in self.params[arg.id]}
                return values & {param} if param is not None else values
            if isinstance(arg, ast.Name) and arg.id in loops:
                return loops[arg.id]
            return set()

        empty: set[int] = set()
        for n in ast.walk(self.node):
            if (
                isinstance(n, ast.Compare)
                and [type(op) for op in n.ops] == [ast.Eq]
                and isinstance(n.comparators[0], ast.List)
                and not n.comparators[0].elts
            ):
                empty.add(id(n.left))
        triggers, clears = set(), set()
        looks_at_subjects = any(
            isinstance(n, ast.Attribute) and n.attr == "subjects" for n in ast.walk(self.node)
        )
        for n in ast.walk(self.node):
            if not (isinstance(n, ast.Call) and len(n.args) >= 2):
                continue
            name = getattr(n.func, "id", getattr(n.func, "attr", None))
            if name not in RULE_CALLS:
                continue
            if id(n) in empty:
                clears |= ids(n.args[1])
            else:
                triggers |= ids(n.args[1])
                looks_at_subjects |= name == "subjects"
        return triggers, clears, looks_at_subjects


@cache
def rule_tests() -> dict[tuple[str, str], RuleTest]:
    found: dict[tuple[str, str], RuleTest] = {}
    for path in sorted(RULE_TESTS.glob("test_*.py")):
        module = importlib.import_module(f"tests.core.rules.{path.stem}")
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            params: dict[str, list] = {}
            for mark in getattr(getattr(module, node.name), "pytestmark", []):
                if mark.name != "parametrize":
                    continue
                names, values = mark.args[0], list(mark.args[1])
                if isinstance(names, str):
                    names = [n.strip() for n in names.split(",")]
                for i, n in enumerate(names):
                    params[n] = [v if len(names) == 1 else v[i] for v in values]
            found[(rel, node.name)] = RuleTest(rel, node.name, params, node)
    return found


def test_the_test_reader_sees_the_rule_tests():
    """The reader finds the well-known cases, so the checks below are not vacuous."""
    t = rule_tests()
    well_run = t[("tests/core/rules/test_reversibility.py", "test_well_run_model_has_no_finding")]
    assert well_run.rules() == (set(), {f"SRC-0{i}" for i in range(1, 7)}, False)
    assert well_run.rules("SRC-04") == (set(), {"SRC-04"}, False)
    acceptance = t[
        (
            "tests/core/rules/test_reversibility.py",
            "test_src02_acceptance_agency_contract_couples_marketing_and_web_store",
        )
    ]
    assert acceptance.rules() == ({"SRC-02"}, set(), True)
    fixed = t[
        ("tests/core/rules/test_raci.py", "test_raci03_control_with_ar_gets_an_internal_doer")
    ]
    triggers, clears, _ = fixed.rules()
    assert triggers == {"RACI-03"} and clears == {"RACI-01", "RACI-02", "RACI-03"}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_a_triggering_and_a_clean_test(rule_id):
    triggering, clean = [], []
    for t in rule_tests().values():
        triggers, clears, looks_at_subjects = t.rules()
        if t.name.startswith(f"test_{key(rule_id)}_") and rule_id in triggers and looks_at_subjects:
            triggering.append(t.name)
        if rule_id in clears and rule_id not in triggers:
            clean.append(t.name)
    assert triggering, (
        f"{rule_id}: no test named test_{key(rule_id)}_... in tests/core/rules that expects "
        f"a finding and checks its subjects"
    )
    assert clean, f"{rule_id}: no test in tests/core/rules that expects no finding of it"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_tested_by_names_existing_tests_that_trigger_and_clear(rule_id):
    """The section names a test with the finding and one without (a clean model)."""
    _, body = md_sections()[rule_id]
    tested_by = body.split("\n\n")[-1]
    nodes = NODE.findall(tested_by)
    assert nodes, f"{rule_id}: the 'Tested by' line names no test as `path::name`"
    tests = rule_tests()
    triggered = clean = False
    for path, name, param in nodes:
        t = tests.get((path, name))
        assert t is not None, f"{rule_id}: {path}::{name} does not exist"
        if param:
            assert param in t.param_ids(), f"{rule_id}: {path}::{name} has no case [{param}]"
        triggers, clears, _ = t.rules(param or None)
        triggered |= rule_id in triggers
        clean |= rule_id in clears and rule_id not in triggers
    assert triggered, f"{rule_id}: none of the tests named after 'Tested by' expects a finding"
    assert clean, (
        f"{rule_id}: none of the tests named after 'Tested by' is a model without the finding"
    )
