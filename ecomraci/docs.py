"""Text about rules for the command line and the app: `ecomraci rules RULE-ID` prints the
rule's section of docs/rules.md when it is there, else the registry's own rationale."""

from __future__ import annotations

from pathlib import Path

from ecomraci.rules.engine import Rule

RULES_MD = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def rule_explanation(r: Rule) -> str:
    head = f"{r.id} ({r.severity}): {r.title}\n\n{r.rationale}"
    section = _section(r.id)
    return f"{head}\n\n{section}" if section else head


def _section(rule_id: str) -> str:
    try:
        text = RULES_MD.read_text(encoding="utf-8")
    except OSError:
        return ""
    lines, out, inside = text.splitlines(), [], False
    for line in lines:
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip().startswith(rule_id)
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()
