"""The what-if package (`ecomraci.scenario`) reads the rules only through their public
names: no ``from ecomraci.rules.<module> import _name``, no ``<rules module>._name`` and
no ``<name from the rules>._name``, so the rules can change their helpers freely."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ecomraci" / "scenario"
RULES = "ecomraci.rules"


def _is_rules(module: str) -> bool:
    return module == RULES or module.startswith(RULES + ".")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` as text; None for anything else than names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module an ``ImportFrom`` names, with a relative one resolved in `package`."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def private_rules_uses(source: str, package: str = "ecomraci.scenario") -> list[str]:
    """Where `source` uses a private name of the rules, as "line: what" texts."""
    tree = ast.parse(source)
    bound: dict[str, str] = {}  # local name -> what it is in the rules
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            if not _is_rules(module):
                continue
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{node.lineno}: from {module} import {alias.name}")
                bound[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_rules(alias.name):
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:  # `import ecomraci.rules.x` binds `ecomraci`: seen as dotted below
                        bound.setdefault(alias.name.split(".")[0], alias.name.split(".")[0])
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and _private(node.attr)):
            continue
        owner = _dotted(node.value)
        if owner is None:
            continue
        head, _, rest = owner.partition(".")
        resolved = bound[head] + ("." + rest if rest else "") if head in bound else owner
        if _is_rules(resolved):
            found.append(f"{node.lineno}: {resolved}.{node.attr}")
    return found


def test_the_check_finds_each_kind_of_reach_into_the_rules():
    source = (
        "import ecomraci.rules.reversibility\n"
        "import ecomraci.rules.exit_terms as terms\n"
        "from ecomraci.rules import reversibility, check\n"
        "from ecomraci.rules.reversibility import _single_exit, single_exit\n"
        "from ..rules.engine import _grouped\n"
        "from ecomraci.rules.engine import CheckContext\n"
        "a = ecomraci.rules.reversibility._months_before\n"
        "b = terms._helper\n"
        "c = reversibility._DependencyIndex\n"
        "d = CheckContext._owners\n"
        "e = reversibility.single_exit, check.__name__, single_exit\n"
    )
    found = private_rules_uses(source)
    assert [line.split(":")[0] for line in found] == ["4", "5", "7", "8", "9", "10"]
    assert "5: from ecomraci.rules.engine import _grouped" in found
    assert "7: ecomraci.rules.reversibility._months_before" in found


def test_the_scenario_package_uses_only_public_names_of_the_rules():
    sources = sorted(PACKAGE.glob("*.py"))
    assert len(sources) > 1, "ecomraci.scenario is expected to be a package"
    uses_rules = False
    problems = []
    for path in sources:
        source = path.read_text(encoding="utf-8")
        uses_rules |= "ecomraci.rules" in source
        problems += [f"{path.name}:{p}" for p in private_rules_uses(source)]
    assert uses_rules  # the check reads something
    assert not problems, "private names of the rules used:\n" + "\n".join(problems)
