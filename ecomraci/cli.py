"""The `ecomraci` command line (stable: users' scripts and CI rely on it).

Exit codes: 0 fine; 1 findings at or above ``--fail-on``; 2 bad input, with a message on
stderr that names the file, the place in it and the problem, and never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ecomraci import store
from ecomraci.dates import as_of_argument
from ecomraci.store import ModelFileError
from ecomraci.text import json_visible, shorten, visible, visible_lines

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or files; the text is shown to the user as it is (escaped)."""


def _as_of(parser: argparse.ArgumentParser, text: str) -> None:
    """The `--as-of DATE` option every date-reading command takes (default: today)."""
    parser.add_argument("--as-of", type=as_of_argument, default=None, metavar="DATE", help=text)


def _say(text: str = "") -> None:
    """Print text output: names and values from files may hold anything, so control
    characters, escape sequences and bidi overrides are shown escaped (``\\x1b``)."""
    print(visible_lines(text))


def _say_json(doc: object) -> None:
    print(json_visible(json.dumps(doc, indent=2, ensure_ascii=False)))


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
    _as_of(chk, "date the date-based rules use (default: today)")

    rules = sub.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("rule", nargs="?", metavar="RULE-ID")

    ren = sub.add_parser("render", help="draw the sourcing map as SVG, PNG or PDF (needs PySide6)")
    ren.add_argument("model", metavar="MODEL")
    ren.add_argument("-o", "--output", required=True, metavar="OUT.svg|png|pdf")
    _as_of(ren, "date of the findings marked on the map (default: today)")
    ren.add_argument("--no-findings", action="store_true", help="leave out the findings' markers")
    ren.add_argument("--no-forums", action="store_true", help="leave out the forums")
    ren.add_argument(
        "--scale",
        type=float,
        default=2.0,
        metavar="N",
        help="PNG pixels per map unit (default 2: 192 dpi)",
    )

    sim = sub.add_parser(
        "simulate",
        help="what if a function is taken in-house or moved, "
        "or a contract ends: dates, services at risk, RACI and findings",
    )
    sim.add_argument("model", metavar="MODEL")
    what = sim.add_mutually_exclusive_group(required=True)
    what.add_argument("--insource", metavar="F", help="take function F in-house")
    what.add_argument("--resource", metavar="F", help="move function F to the provider --to")
    what.add_argument("--terminate", metavar="CONTRACT", help="end the contract CONTRACT")
    sim.add_argument(
        "--to",
        metavar="PARTY",
        help="the party taking the function over "
        "(--insource: default the internal party accountable for it)",
    )
    sim.add_argument(
        "--contract",
        metavar="C",
        help="with --resource: an existing contract of the new provider (default: a new contract)",
    )
    sim.add_argument("--format", choices=["text", "json"], default="text")
    _as_of(sim, "the day notice would be given (default: today)")
    sim.add_argument("--save-as", metavar="NAME", help="store the scenario in MODEL under NAME")

    dif = sub.add_parser("diff", help="what differs between two models, findings included")
    dif.add_argument("model_a", metavar="MODEL_A")
    dif.add_argument("model_b", metavar="MODEL_B")
    dif.add_argument("--format", choices=["text", "json"], default="text")
    _as_of(dif, "date the date-based rules use (default: today)")

    exp = sub.add_parser(
        "export",
        help="write the Excel workbook: RACI matrix, sourcing, "
        "contracts, dependencies, findings and a summary",
    )
    exp.add_argument("model", metavar="MODEL")
    exp.add_argument("-o", "--output", required=True, metavar="OUT.xlsx")
    _as_of(exp, "date of the findings sheet and comments (default: today)")
    exp.add_argument("--force", action="store_true", help="overwrite an existing file")
    exp.add_argument(
        "--scenario",
        metavar="NAME",
        help="add a Scenario sheet with the answer of the scenario saved in MODEL under NAME",
    )

    rep = sub.add_parser(
        "report",
        help="write the board report as PDF or HTML: key figures, sourcing map, contract "
        "calendar, accountability, organisation profile, findings, and a what-if",
    )
    rep.add_argument("model", metavar="MODEL")
    rep.add_argument("-o", "--output", required=True, metavar="OUT.pdf|html")
    _as_of(rep, "date of the findings and the calendar (default: today)")
    rep.add_argument(
        "--scenario", metavar="NAME", help="compare the scenario saved in MODEL under NAME"
    )

    imp = sub.add_parser(
        "import", help="take the RACI sheet of an edited workbook back into the model"
    )
    imp.add_argument("model", metavar="MODEL")
    imp.add_argument("workbook", metavar="IN.xlsx")
    imp.add_argument(
        "-o",
        "--output",
        metavar="NEW_MODEL",
        help="write the result to NEW_MODEL and leave MODEL as it is",
    )
    imp.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    imp.add_argument("--format", choices=["text", "json"], default="text")
    imp.add_argument(
        "--create-parties",
        action="store_true",
        help="add parties for columns with a name the model does not know",
    )

    dl = sub.add_parser(
        "deadlines",
        help="the contract calendar: notice days, renewals, ends, exits, re-tests and "
        "expiries, with what to do by when (text, JSON or an .ics calendar)",
    )
    dl.add_argument("model", metavar="MODEL")
    dl.add_argument(
        "--within",
        type=_days_argument,
        default=None,
        metavar="DAYS",
        help="only dates up to this many days after the as-of date, e.g. 180d "
        "(default: a year, and each renewal up to the first one notice still reaches)",
    )
    _as_of(dl, "the day the calendar starts (default: today)")
    dl.add_argument("--format", choices=["text", "json", "ics"], default="text")
    dl.add_argument(
        "--fail-within",
        type=_days_argument,
        default=None,
        metavar="DAYS",
        help="exit with code 1 when something is due (or overdue) within this many days, "
        "e.g. 30d: a notice day, an end or renewal, a re-test, an attestation, a waiver",
    )
    dl.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    return p


def _days_argument(text: str) -> int:
    """A number of days as --within and --fail-within take it: 180 or 180d."""
    digits = text[:-1] if text.lower().endswith("d") else text
    if not digits.isdigit() or int(digits) > 3_000_000:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of days; write it like 180d (0 to 3000000)"
        )
    return int(digits)


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
    _say(
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
        _say_json(doc)
    else:
        _say(_text_report(args.model, model.name, as_of, findings, counts))
    threshold = severity_rank(args.fail_on)
    failing = any(not f.waived and severity_rank(f.severity) >= threshold for f in findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _text_report(path, name, as_of, findings, counts) -> str:
    # Each value from the model is escaped on its own, so that a line break in a name
    # or a reason shows as \n rather than starting a line of its own.
    v = visible
    lines = [f"{v(path)}: {v(name)} (checked as of {as_of.isoformat()})"]
    active = [f for f in findings if not f.waived]
    waived = [f for f in findings if f.waived]

    def block(f) -> None:
        lines.append(f"{f.severity.upper():<8}{f.rule:<8} {v(f.message)}")
        lines.append(f"{'':16} subjects: {v(', '.join(f.subjects))}")
        lines.append(f"{'':16} why: {v(f.why)}")
        lines.append(f"{'':16} fix: {v(f.fix)}")
        if f.waiver_expired is not None:
            w = f.waiver_expired
            lines.append(f"{'':16} a waiver by {v(w.author)} expired on {w.until}: {v(w.reason)}")

    for f in active:
        block(f)
    if waived:
        lines.append("")
        lines.append(f"Waived ({len(waived)}):")
        for f in waived:
            w = f.waiver
            until = f" until {w.until}" if w.until else ""
            lines.append(f"{'waived':<8}{f.rule:<8} {v(f.message)}")
            lines.append(f"{'':16} by {v(w.author)}{until}: {v(w.reason)}")
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

        _say(rule_explanation(RULES[key]))
        return EXIT_OK
    for r in RULES.values():  # registered in catalog order: RACI, SRC, DEP, GOV, CMP
        _say(f"{r.id:<8} {r.severity:<8} {r.title}")
    return EXIT_OK


def _cmd_simulate(args: argparse.Namespace) -> int:
    from datetime import datetime

    from ecomraci import scenario

    if args.resource and not args.to:
        raise UsageError("--resource needs --to PARTY: the provider that takes the function over")
    if args.contract and not args.resource:
        raise UsageError("--contract goes with --resource: the new provider's contract")
    if args.terminate and args.to:
        raise UsageError(
            "--to does not go with --terminate: a terminated contract has no successor"
        )
    model = store.load(args.model)
    as_of = args.as_of or date.today()
    try:
        if args.insource:
            result = scenario.insource(model, args.insource, args.to, as_of=as_of)
        elif args.resource:
            result = scenario.resource(model, args.resource, args.to, args.contract, as_of=as_of)
        else:
            result = scenario.terminate(model, args.terminate, as_of=as_of)
        if args.save_as:
            created = datetime.now().replace(microsecond=0)
            scenario.add_scenario(model, result.to_scenario(args.save_as, created=created))
    except scenario.ScenarioError as exc:
        raise UsageError(f"{args.model}: {exc}") from None
    if args.save_as:
        try:
            store.save(model, args.model)
        except OSError as exc:
            raise UsageError(f"{args.model}: cannot be written ({exc.strerror or exc})") from None
    if args.format == "json":
        doc = {"model": args.model, **result.to_json()}
        if args.save_as:
            doc["saved_as"] = args.save_as
        _say_json(doc)
    else:
        _say(scenario.format_text(result, args.model))
        if args.save_as:
            _say(f"\nSaved as scenario {args.save_as!r} in {args.model}.")
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from ecomraci.diff import compare, format_text

    a, b = store.load(args.model_a), store.load(args.model_b)
    as_of = args.as_of or date.today()
    result = compare(a, b, as_of)
    if args.format == "json":
        doc = {"model_a": args.model_a, "model_b": args.model_b, **result.model_dump(mode="json")}
        _say_json(doc)
    else:
        _say(format_text(result, args.model_a, args.model_b))
    return EXIT_OK


def _cmd_deadlines(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from ecomraci import deadlines as cal

    model = store.load(args.model)
    as_of = args.as_of or date.today()
    items = cal.deadlines(model, as_of, args.within)
    notes = cal.calendar_notes(model, as_of)
    if args.format == "ics":
        stamp = datetime.now(UTC).replace(microsecond=0)
        data = cal.to_ics(items, model.name, model.settings.calendar_reminder_days, stamp)
    elif args.format == "json":
        doc = {"model": args.model, **cal.to_json(items, notes, model.name, as_of, args.within)}
        data = json_visible(json.dumps(doc, indent=2, ensure_ascii=False)).encode("utf-8")
    else:
        text = cal.format_text(items, notes, model.name, as_of, args.within)
        data = visible_lines(text).encode("utf-8")
    if args.output:
        out = Path(args.output)
        if out.is_dir():
            raise UsageError(f"{out}: this is a folder; name the file to write")
        try:
            out.write_bytes(data if data.endswith(b"\n") else data + b"\n")
        except OSError as exc:
            raise UsageError(f"{out}: cannot be written ({exc.strerror or exc})") from None
        print(f"{out}: {len(items)} dates")
    elif args.format == "ics":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        print(data.decode("utf-8"))
    if args.fail_within is not None and cal.due_within(model, as_of, args.fail_within):
        return EXIT_FINDINGS
    return EXIT_OK


COMMANDS = {
    "new": _cmd_new,
    "check": _cmd_check,
    "rules": _cmd_rules,
    "simulate": _cmd_simulate,
    "diff": _cmd_diff,
    "deadlines": _cmd_deadlines,
}


def _map_renderer():
    """The map is drawn by the Qt layer, which the core never imports: the desktop
    package registers its renderer under the entry point ``ecomraci.renderers: map``."""
    from importlib.metadata import entry_points

    found = list(entry_points(group="ecomraci.renderers", name="map"))
    try:
        if found:
            return found[0].load()
    except ImportError:
        pass
    raise UsageError(NEEDS_QT)


NEEDS_QT = "drawing the map needs PySide6, which is not installed: pip install 'ecomraci[gui]'"


def _cmd_render(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() not in (".svg", ".png", ".pdf"):
        raise UsageError(f"{out}: cannot tell the format; name the file .svg, .png or .pdf")
    if not 0.1 <= args.scale <= 8:
        raise UsageError(f"--scale {args.scale}: use a number from 0.1 to 8")
    model = store.load(args.model)
    render_map = _map_renderer()

    findings, note = None, ""
    if not args.no_findings:
        from ecomraci.rules import check

        as_of = args.as_of or date.today()
        findings, note = check(model, as_of=as_of), f"as of {as_of.isoformat()}"
    try:
        render_map(
            model,
            out,
            findings,
            show_forums=not args.no_forums,
            scale=args.scale,
            findings_note=note,
        )
    except (ValueError, OSError) as exc:  # the renderer names the file and the problem
        raise UsageError(str(exc)) from None
    except ImportError:  # the renderer imports Qt only when it draws
        raise UsageError(NEEDS_QT) from None
    _say(
        f"{out}: sourcing map of {visible(model.name)}: {len(model.functions)} functions, "
        f"{len(model.parties)} parties, {len(model.contracts)} contracts"
    )
    return EXIT_OK


COMMANDS["render"] = _cmd_render


def _cmd_export(args: argparse.Namespace) -> int:
    from ecomraci.scenario import ScenarioError
    from ecomraci.xlsx import export_workbook

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: name the workbook .xlsx")
    if out.is_dir():
        raise UsageError(f"{out}: this is a folder; name the workbook to write")
    if out.exists() and not args.force:
        raise UsageError(
            f"{out}: the file exists (it may hold edits); choose another name or pass --force"
        )
    if not out.parent.exists():
        raise UsageError(f"{out}: the folder {out.parent} does not exist")
    model = store.load(args.model)
    as_of = args.as_of or date.today()
    try:
        export_workbook(model, out, as_of=as_of, scenario=args.scenario)
    except ScenarioError as exc:
        raise UsageError(f"{args.model}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    sheet = f", scenario {args.scenario!r}" if args.scenario else ""
    _say(
        f"{out}: {visible(model.name)}: {len(model.activities)} activities x {len(model.parties)} "
        f"parties, {len(model.contracts)} contracts, findings as of {as_of.isoformat()}{sheet}"
    )
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from ecomraci.xlsx import plan_import

    model = store.load(args.model)
    plan = plan_import(model, args.workbook, create_parties=args.create_parties)
    target = Path(args.output or args.model)
    written = None
    if not args.dry_run and (plan.changes or plan.new_parties or args.output):
        try:
            store.save(plan.apply_to(model), target)
        except OSError as exc:
            raise UsageError(f"{target}: cannot be written ({exc.strerror or exc})") from None
        written = target
    if args.format == "json":
        doc = {
            "model": args.model,
            "workbook": args.workbook,
            "changes": [c.to_json() for c in plan.changes],
            "new_parties": [
                p.model_dump(mode="json", include={"id", "name", "kind"}) for p in plan.new_parties
            ],
            "warnings": plan.warnings,
            "dry_run": args.dry_run,
            "written": str(written) if written else None,
        }
        _say_json(doc)
        return EXIT_OK
    kinds = [c.kind for c in plan.changes]
    _say(
        f"{args.workbook} -> {args.model}: {len(kinds)} change{'s' * (len(kinds) != 1)} "
        f"({kinds.count('added')} added, {kinds.count('changed')} changed, "
        f"{kinds.count('removed')} removed)"
    )
    for line in plan.describe(model):
        _say(f"  {visible(line)}")
    for party in plan.new_parties:
        _say(f"  new party {party.name!r} (id {party.id}, {party.kind})")
    for warning in plan.warnings:
        _say(f"warning: {visible(warning)}")
    if args.dry_run:
        _say("Dry run: nothing written.")
    elif written is None:
        _say(f"No changes: {args.model} left as it was.")
    elif args.output:
        _say(f"Written to {written}; {args.model} left as it was.")
    else:
        _say(f"{written} updated; the previous version is in {store.backup_path(written)}.")
    return EXIT_OK


COMMANDS["export"] = _cmd_export


def _report_map(model, as_of: date) -> tuple[bytes | None, str]:
    """The sourcing map as PNG bytes for the report, drawn by the same renderer as
    ``ecomraci render``; without PySide6, None and a sentence saying why."""
    import tempfile

    from ecomraci.rules import check

    try:
        render_map = _map_renderer()
    except UsageError:
        return None, "The sourcing map is left out: drawing it needs PySide6 (ecomraci[gui])."
    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "map.png"
        try:
            render_map(
                model,
                png,
                check(model, as_of=as_of),
                show_forums=False,
                scale=2.0,
                findings_note=f"as of {as_of.isoformat()}",
            )
            return png.read_bytes(), f"as of {as_of:%d %b %Y}"
        except (ValueError, OSError, ImportError) as exc:
            return None, f"The sourcing map could not be drawn ({exc})."


def _cmd_report(args: argparse.Namespace) -> int:
    from ecomraci.report import FORMATS, compose, write_report
    from ecomraci.scenario import ScenarioError

    out = Path(args.output)
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"{out}: cannot tell the format; name the report .pdf or .html")
    if out.is_dir():
        raise UsageError(f"{out}: this is a folder; name the report to write")
    if not out.parent.exists():
        raise UsageError(f"{out}: the folder {out.parent} does not exist")
    model = store.load(args.model)
    as_of = args.as_of or date.today()
    map_png, map_note = _report_map(model, as_of)
    try:
        report = compose(model, as_of, map_png=map_png, map_note=map_note, scenario=args.scenario)
        write_report(report, out)
    except ScenarioError as exc:
        raise UsageError(f"{args.model}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    what = f", scenario {args.scenario!r}" if args.scenario else ""
    _say(f"{out}: board report of {visible(model.name)} as of {as_of.isoformat()}{what}")
    return EXIT_OK


COMMANDS["report"] = _cmd_report
COMMANDS["import"] = _cmd_import


# Characters of an error's file and place, and of its problem, that are shown.
ERROR_PLACE_LIMIT, ERROR_PROBLEM_LIMIT = 300, 1000


def _error_text(exc: Exception) -> str:
    """The error for stderr: escaped, and with the file, the place and the problem
    each cut short, so that a huge key or value in a file does not fill the screen."""
    if not isinstance(exc, ModelFileError):
        return visible(shorten(str(exc), ERROR_PROBLEM_LIMIT))
    parts = [exc.source, exc.place] if exc.place else [exc.source]
    shown = [visible(shorten(part, ERROR_PLACE_LIMIT)) for part in parts]
    return ": ".join([*shown, visible(shorten(exc.problem, ERROR_PROBLEM_LIMIT))])


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ModelFileError, UsageError) as exc:
        print(f"ecomraci: {_error_text(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("ecomraci: interrupted", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
