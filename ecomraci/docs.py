"""Text about rules, for the command line, the app and `docs/rules.md`.

Each rule family explains its rules in a markdown fragment shipped with the package,
``ecomraci/rules/doc/<family>.md`` (``intro.md`` opens docs/rules.md): an optional ``# Family title`` with an introduction,
then one ``## RULE-ID (severity): title`` section per rule with the paragraphs
**Checks**, **Why it matters.**, **Example.** and **Fix.**, and a last paragraph
"Tested by ..." naming the tests that trigger and clear the example.

* `rule_explanation(rule)` is what ``ecomraci rules RULE-ID`` prints: the registry's
  heading and rationale, then the rule's section without the "Tested by" line (the tests
  are not shipped).
* `render_rules_md()` builds the whole ``docs/rules.md``;
  ``python -m ecomraci.docs docs/rules.md`` writes it.

The app speaks to people who never open a model file, so it shows each rule in the words
of its forms instead: ``ecomraci/rules/doc/in_words.md`` holds, per rule, **What it
checks.**, **Example.** and **How to fix it.** without field names, command lines or exit
codes; the rule's **Why it matters.** paragraph comes from its family's fragment.

* `rule_in_words(rule)` is what *Explain* on a finding shows;
* `render_catalog_in_words()` is *Help › Rule catalog*;
* `technical_words(text)` lists what must not appear in them (a test and
  `_check_against_registry` use it).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ecomraci.model import Settings
from ecomraci.rules.engine import Rule

# The families in the order of the product's rule catalog.
FAMILIES = (
    "raci",
    "reversibility",
    "exit_terms",
    "switching",
    "exit_plans",
    "consistency",
    "coupling",
    "governance",
    "compliance",
)
REGENERATE = "python -m ecomraci.docs docs/rules.md"
PARAGRAPHS = ("**Checks**", "**Why it matters.**", "**Example.**", "**Fix.**")

_HEADING = re.compile(r"^## ([A-Z]+-\d{2}) \((error|warning|info)\): (.+)$")
_TESTED_BY = "Tested by "
_SETTINGS_MARK = "<!-- settings -->"
IN_WORDS = "in_words"
WORDS_PARAGRAPHS = ("**What it checks.**", "**Example.**", "**How to fix it.**")
_WORDS_HEADING = re.compile(r"^## ([A-Z]+-\d{2})$")
SEVERITY_WORDS = {
    "error": "Error: fix these first.",
    "warning": "Warning: a weakness to fix, or to accept on purpose with a waiver.",
    "info": "Information: worth knowing before the next decision.",
}
# What a text for people must not hold: markup, field names of the model file, values
# written as JSON, command lines and exit codes, source comments, ids of test models.
_TECHNICAL = (
    (re.compile(r"`"), "a code span"),
    (re.compile(r"<!--|-->"), "a source comment"),
    (re.compile(r"\b[a-z]+_[a-z_]+\b"), "a field name"),
    (re.compile(r'"[\w-]+"\s*:|[{}\[\]]'), "JSON"),
    (re.compile(r"\bexit(s|ed)? (code|with [0-9])|--[a-z]", re.I), "a command line"),
    (re.compile(r"\becomraci (check|rules|simulate|diff)\b"), "a command line"),
    (re.compile(r"\b[a-z]+-[a-z]+(-[a-z]+)*\b(?<!-in)"), "an id"),
)
# hyphenated words of plain English the texts use
_PLAIN_HYPHENATED = {
    "e-commerce",
    "in-house",
    "co-sources",
    "co-source",
    "co-sourced",
    "co-ordination",
    "co-ordinated",
    "re-sourcing",
    "re-source",
    "cross-termination",
    "step-in",
    "e-mail",
    "supplier-management",
    "product-feed",
    "one-function",
    "software-as-a-service",
    "follow-up",
    "hand-over",
    "go-live",
    "set-up",
    "check-out",
    "pay-by-link",
    "how-to",
    "three-way",
    "well-run",
    "write-off",
    "a-service",
    "sign-off",
    "day-to-day",
    "know-how",
    "under-delivers",
}


class DocsError(ValueError):
    """A fragment that does not fit the registry; the text says which and why."""


@dataclass(frozen=True)
class Section:
    rule_id: str
    severity: str
    title: str
    body: str  # the paragraphs, without the "Tested by" one
    tested_by: str  # the "Tested by ..." paragraph, or ""

    @property
    def heading(self) -> str:
        return f"{self.rule_id} ({self.severity}): {self.title}"


@dataclass(frozen=True)
class Fragment:
    family: str
    title: str
    intro: str
    sections: tuple[Section, ...]


def fragment_text(family: str) -> str:
    return (
        resources.files("ecomraci.rules")
        .joinpath("doc", f"{family}.md")
        .read_text(encoding="utf-8")
    )


@cache
def fragment(family: str) -> Fragment:
    """The parsed explanation fragment of one rule family."""
    name = f"ecomraci/rules/doc/{family}.md"
    title, intro_lines = "", []
    sections: list[Section] = []
    current: list[str] | None = None
    head: re.Match[str] | None = None

    def close() -> None:
        if head is None or current is None:
            return
        pars = [p.strip() for p in "\n".join(current).strip().split("\n\n") if p.strip()]
        tested = [p for p in pars if p.startswith(_TESTED_BY)]
        body = "\n\n".join(p for p in pars if not p.startswith(_TESTED_BY))
        sections.append(Section(head[1], head[2], head[3].strip(), body, "\n".join(tested)))

    for number, line in enumerate(fragment_text(family).splitlines(), 1):
        if line.startswith("# ") and head is None and not title:
            title = line[2:].strip()
        elif line.startswith("## "):
            close()
            head = _HEADING.match(line)
            if head is None:
                raise DocsError(
                    f"{name}, line {number}: a rule heading must read "
                    f"'## RULE-ID (severity): title', not {line!r}"
                )
            current = []
        elif current is not None:
            current.append(line)
        else:
            intro_lines.append(line)
    close()
    return Fragment(family, title, "\n".join(intro_lines).strip(), tuple(sections))


def section(rule_id: str) -> Section | None:
    for family in FAMILIES:
        for s in fragment(family).sections:
            if s.rule_id == rule_id:
                return s
    return None


def rule_explanation(r: Rule) -> str:
    head = f"{r.id} ({r.severity}): {r.title}\n\n{r.rationale}"
    s = section(r.id)
    return f"{head}\n\n{s.body}" if s is not None and s.body else head


# --- the rules in words, for the app ------------------------------------------------


def technical_words(text: str) -> list[str]:
    """What in `text` a person reading the app should not meet: code spans, field names,
    JSON, command lines, source comments, ids (each as 'what: the text found')."""
    found = []
    for pattern, what in _TECHNICAL:
        for m in pattern.finditer(text):
            if what == "an id" and m.group().lower() in _PLAIN_HYPHENATED:
                continue
            found.append(f"{what}: {m.group()!r}")
    return found


@cache
def in_words() -> dict[str, str]:
    """rule id -> its paragraphs in plain words (What it checks, Example, How to fix it)."""
    name = f"ecomraci/rules/doc/{IN_WORDS}.md"
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(fragment_text(IN_WORDS).splitlines(), 1):
        if line.startswith("## "):
            head = _WORDS_HEADING.match(line)
            if head is None:
                raise DocsError(f"{name}, line {number}: a heading must read '## RULE-ID'")
            if head[1] in out:
                raise DocsError(f"{name}, line {number}: {head[1]} is there twice")
            current = out[head[1]] = []
        elif current is not None:
            current.append(line)
    return {k: "\n".join(v).strip() for k, v in out.items()}


def _why(rule_id: str) -> str:
    s = section(rule_id)
    if s is None:
        return ""
    mark = "**Why it matters.**"
    return next((p for p in s.body.split("\n\n") if p.startswith(mark)), "")


def _paragraph(body: str, mark: str) -> str:
    return next((p for p in body.split("\n\n") if p.startswith(mark)), "")


def _unwrap(text: str) -> str:
    """A paragraph's lines joined into one: the fragments wrap at 90 columns."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def rule_in_words(r: Rule) -> str:
    """What *Explain* on a finding of rule `r` shows: the rule in plain words, as
    markdown (what it checks, why it matters, how to fix it, an example)."""
    words = in_words().get(r.id, "")
    parts = [
        f"## {r.title}",
        f"*{SEVERITY_WORDS[r.severity]}* Rule {r.id}.",
        _paragraph(words, "**What it checks.**"),
        _why(r.id) or f"**Why it matters.** {r.rationale}",
        _paragraph(words, "**How to fix it.**"),
        _paragraph(words, "**Example.**"),
    ]
    return _unwrap("\n\n".join(p for p in parts if p)) + "\n"


CATALOG_INTRO = """\
The app checks the model against these rules after every change and lists what it finds
in the Findings panel. Each finding names the parties, functions and contracts it is
about. Right-click a finding to *Apply fix* (when the fix is a clear change to the model;
it is one step that *Undo* takes back), to *Waive* it (accept it on purpose, with a
reason, your name and a date until which the waiver holds) or to *Explain* it.

- **Error**: the model contradicts itself, or a contract leaves the shop exposed. Fix
  these first.
- **Warning**: a weakness to fix, or to accept on purpose with a waiver.
- **Information**: worth knowing before the next decision.

The rules that read dates (the exit plan test, notice and renewal) count from today, so
the same model can give other findings next month. The limits a rule uses (how many C's
a row may have, how long a contract may run without benchmarking) are given with the
rule; they are the defaults, which a model file may change."""


def render_catalog_in_words() -> str:
    """*Help › Rule catalog*: every rule in plain words, family by family (markdown)."""
    from ecomraci.rules import RULES

    out = ["# The rule catalog", "", CATALOG_INTRO, ""]
    for family in FAMILIES:
        frag = fragment(family)
        out += [f"# {frag.title}", ""]
        for s in frag.sections:
            r = RULES.get(s.rule_id)
            if r is not None:
                out += [rule_in_words(r).replace(f"## {r.title}", f"## {r.id}: {r.title}"), ""]
    return "\n".join(out).rstrip() + "\n"


# --- docs/rules.md ----------------------------------------------------------------------


def _check_against_registry(rules: dict[str, Rule]) -> None:
    """Every registered rule documented once, in its family's fragment, under the
    registry's own heading; nothing documented that is not registered."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for family in FAMILIES:
        for s in fragment(family).sections:
            where = f"ecomraci/rules/doc/{family}.md, {s.rule_id}"
            if s.rule_id in seen:
                problems.append(f"{where}: documented twice (also in {seen[s.rule_id]}.md)")
                continue
            seen[s.rule_id] = family
            r = rules.get(s.rule_id)
            if r is None:
                problems.append(f"{where}: no such rule is registered")
                continue
            if r.family != family:
                problems.append(f"{where}: the rule belongs to {r.family}.md")
            expected = f"{r.id} ({r.severity}): {r.title}"
            if s.heading != expected:
                problems.append(f"{where}: heading {s.heading!r} should be {expected!r}")
            paragraphs = s.body.split("\n\n")
            missing = [p for p in PARAGRAPHS if not any(par.startswith(p) for par in paragraphs)]
            if missing:
                problems.append(f"{where}: no {', '.join(missing)} paragraph")
            if not s.tested_by:
                problems.append(f"{where}: no 'Tested by' line")
    words = in_words()
    where = f"ecomraci/rules/doc/{IN_WORDS}.md"
    for rule_id in words:
        if rule_id not in rules:
            problems.append(f"{where}, {rule_id}: no such rule is registered")
    for rule_id in rules:
        text = words.get(rule_id)
        if text is None:
            problems.append(f"{rule_id}: no section in {where}")
            continue
        pars = text.split("\n\n")
        missing = [p for p in WORDS_PARAGRAPHS if not any(par.startswith(p) for par in pars)]
        if missing:
            problems.append(f"{where}, {rule_id}: no {', '.join(missing)} paragraph")
        for word in technical_words(text + "\n\n" + _why(rule_id)):
            problems.append(f"{where}, {rule_id} (or its Why it matters): {word}")
    for rule_id in rules:
        if rule_id not in seen:
            problems.append(
                f"{rule_id}: no section in ecomraci/rules/doc/{rules[rule_id].family}.md"
            )
    if problems:
        raise DocsError("the rule explanations do not match the rules:\n" + "\n".join(problems))


def _settings_table() -> list[str]:
    rows = ["| setting | default | rule |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        m = re.match(r"([a-z]+)(\d{2})_", name)
        rule_id = f"{m[1].upper()}-{m[2]}" if m else ""
        default = field.default
        if isinstance(default, float) and 0 < default < 1:
            shown = f"{default:g} ({default:.0%})"
        else:
            shown = f"{default:g}" if isinstance(default, float) else str(default)
        rows.append(f"| `{name}` | {shown} | {rule_id} |")
    return rows


def _anchor(text: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def render_rules_md() -> str:
    """The full text of docs/rules.md, from the package's fragments and the registry."""
    from ecomraci.rules import RULES

    _check_against_registry(RULES)
    intro = fragment_text("intro").strip()
    if _SETTINGS_MARK not in intro:
        raise DocsError(f"ecomraci/rules/doc/intro.md: no {_SETTINGS_MARK} line for the table")
    title, _, rest = intro.partition("\n")
    out = [
        title,
        "",
        "<!-- Generated from ecomraci/rules/doc/*.md and the rule registry by",
        f"`{REGENERATE}`: edit those, not this file. -->",
        "",
        rest.strip().replace(_SETTINGS_MARK, "\n".join(_settings_table())),
        "",
        "## Contents",
        "",
    ]
    fragments = [fragment(f) for f in FAMILIES]
    for frag in fragments:
        ids = [s.rule_id for s in frag.sections]
        span = f"{ids[0]} .. {ids[-1]}" if len(ids) > 1 else "".join(ids)
        out.append(f"- [{frag.title}](#{_anchor(frag.title)}): {span}")
    for frag in fragments:
        out += ["", f"## {frag.title}", ""]
        if frag.intro:
            out += [frag.intro, ""]
        for s in frag.sections:
            out += [f"### {s.heading}", "", s.body, "", s.tested_by, ""]
        out.pop()
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(f"usage: {REGENERATE}", file=sys.stderr)
        return 2
    try:
        text = render_rules_md()
    except DocsError as exc:
        print(f"ecomraci.docs: {exc}", file=sys.stderr)
        return 2
    out = Path(args[0])
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"ecomraci.docs: {out}: cannot be written ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(f"{out}: {len(text.splitlines())} lines")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
