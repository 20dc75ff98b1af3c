"""The `ecomraci` command line (stable: users' scripts and CI rely on it).

Exit codes: 0 fine; 1 findings at or above ``--fail-on``; 2 bad input, with a message on
stderr that names the file, the place in it and the problem, and never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

from ecomraci import store
from ecomraci.store import ModelFileError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or files; the text is shown to the user as it is."""


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ecomraci",
        description="Sourcing maps, RACI matrices and contract checks for e-commerce.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = sub.add_parser("new", help="start a model from the default function catalog")
    new.add_argument("--focus", choices=["commerce", "content", "community"], default="commerce")
    new.add_argument("--name", default="New e-commerce organisation")
    new.add_argument("-o", "--output", required=True, metavar="MODEL")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    chk = sub.add_parser("check", help="check a model against the rule catalog")
    chk.add_argument("model", metavar="MODEL")
    chk.add_argument("--format", choices=["text", "json"], default="text")
    chk.add_argument("--fail-on", choices=["error", "warning", "info"], default="error")
    chk.add_argument("--as-of", type=_as_of, default=None, metavar="DATE",
                     help="date the date-based rules use (default: today)")

    rules = sub.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("rule", nargs="?", metavar="RULE-ID")
    return p


def _cmd_new(args: argparse.Namespace) -> int:
    from ecomraci.catalog import new_model

    out = Path(args.output)
    if out.exists() and not args.force:
        raise UsageError(f"{out}: the file exists; choose another name or pass --force")
    if not out.parent.exists():
        raise UsageError(f"{out}: the folder {out.parent} does not exist")
    model = new_model(args.focus, args.name)
    try:
        store.save(model, out)
    except OSError as exc:
        raise UsageError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    print(
        f"{out}: new {args.focus} model with {len(model.functions)} functions, "
        f"{len(model.activities)} activities and {len(model.parties)} parties"
    )
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from ecomraci.rules import check, summary
    from ecomraci.rules.engine import severity_rank

    model = store.load(args.model)
    as_of = args.as_of or date.today()
    findings = check(model, as_of=as_of)
    counts = summary(findings)
    if args.format == "json":
        doc = {
            "model": args.model,
            "name": model.name,
            "as_of": as_of.isoformat(),
            "findings": [f.to_json() for f in findings],
            "summary": counts,
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(_text_report(args.model, model.name, as_of, findings, counts))
    threshold = severity_rank(args.fail_on)
    failing = any(not f.waived and severity_rank(f.severity) >= threshold for f in findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _text_report(path, name, as_of, findings, counts) -> str:
    lines = [f"{path}: {name} (checked as of {as_of.isoformat()})"]
    active = [f for f in findings if not f.waived]
    waived = [f for f in findings if f.waived]

    def block(f) -> None:
        lines.append(f"{f.severity.upper():<8}{f.rule:<8} {f.message}")
        lines.append(f"{'':16} subjects: {', '.join(f.subjects)}")
        lines.append(f"{'':16} why: {f.why}")
        lines.append(f"{'':16} fix: {f.fix}")
        if f.waiver_expired is not None:
            w = f.waiver_expired
            lines.append(f"{'':16} a waiver by {w.author} expired on {w.until}: {w.reason}")

    for f in active:
        block(f)
    if waived:
        lines.append("")
        lines.append(f"Waived ({len(waived)}):")
        for f in waived:
            w = f.waiver
            until = f" until {w.until}" if w.until else ""
            lines.append(f"{'waived':<8}{f.rule:<8} {f.message}")
            lines.append(f"{'':16} by {w.author}{until}: {w.reason}")
    lines.append("")
    lines.append(
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info(s)"
        + (f"; {counts['waived']} waived" if counts["waived"] else "")
    )
    return "\n".join(lines)


def _cmd_rules(args: argparse.Namespace) -> int:
    from ecomraci.rules import RULES

    if args.rule:
        key = args.rule.upper()
        if key not in RULES:
            raise UsageError(f"{args.rule}: no such rule; `ecomraci rules` lists them")
        from ecomraci.docs import rule_explanation

        print(rule_explanation(RULES[key]))
        return EXIT_OK
    for r in sorted(RULES.values(), key=lambda r: r.id):
        print(f"{r.id:<8} {r.severity:<8} {r.title}")
    return EXIT_OK


COMMANDS = {"new": _cmd_new, "check": _cmd_check, "rules": _cmd_rules}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ModelFileError, UsageError) as exc:
        print(f"ecomraci: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("ecomraci: interrupted", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
