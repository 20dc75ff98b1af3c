"""The core (the `ecomraci` package) never imports Qt: the command line and CI must run
where no Qt is installed, and importing it would slow every `ecomraci check`."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import ecomraci

    imported, failed = [], []
    for info in pkgutil.walk_packages(ecomraci.__path__, "ecomraci."):
        if info.name.endswith(".__main__"):
            continue  # running it would start the command line
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception as exc:
            failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
    qt = sorted(
        m for m in sys.modules
        if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "shiboken2")
        or m.startswith("PyQt")
    )
    print(json.dumps({"imported": imported, "failed": failed, "qt": qt}))
    """
)


def test_core_imports_no_qt():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not result["failed"], result["failed"]
    assert "ecomraci.model" in result["imported"]
    assert "ecomraci.store" in result["imported"]
    assert "ecomraci.cli" in result["imported"]
    assert result["qt"] == [], f"the core imported Qt: {result['qt']}"


def test_no_core_source_imports_qt_or_the_ui_even_lazily():
    """Importing every module is not enough: an import inside a function runs only when
    it is called. No statement in ecomraci/ may import Qt or the `ui` package."""
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[2] / "ecomraci"
    offenders = []
    for path in sorted(core.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "ui"):
                    offenders.append(f"{path.relative_to(core.parent)}:{node.lineno}: {name}")
    assert offenders == []
