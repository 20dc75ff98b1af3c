"""The command line (stable: users' scripts and CI rely on it): new, check with its JSON
shape, --fail-on and exit codes, waivers, and rules."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ecomraci import cli as cli_module
from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.model import Waiver
from ecomraci.rules.engine import severity_rank

FOCUSES = ["commerce", "content", "community"]
AS_OF = "2026-06-01"
# An activity whose A is held by a party that is not R, so removing the A leaves the R.
NO_A_ACTIVITY = "shop-management.kpi-review"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecomraci", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=cwd,
    )


def main(capsys, *args: str) -> tuple[int, str, str]:
    """The command line in-process (fast); returns exit code, stdout, stderr."""
    try:
        code = cli_module.main(list(args))
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def model_without_a(waivers: list[Waiver] | None = None):
    model = new_model("commerce", "Shop with a gap")
    row = model.raci[NO_A_ACTIVITY]
    for party, letters in list(row.items()):
        if "A" in letters:
            rest = letters.replace("A", "")
            if rest:
                row[party] = rest
            else:
                del row[party]
    assert not any("A" in v for v in row.values()) and any("R" in v for v in row.values())
    model.waivers = list(waivers or [])
    return model


def check_json(capsys, path: Path, *extra: str) -> tuple[int, dict]:
    code, out, err = main(capsys, "check", str(path), "--format", "json", "--as-of", AS_OF, *extra)
    assert err == ""
    return code, json.loads(out)


def expected_exit(doc: dict, fail_on: str) -> int:
    threshold = severity_rank(fail_on)
    failing = [
        f for f in doc["findings"] if not f["waived"] and severity_rank(f["severity"]) >= threshold
    ]
    return 1 if failing else 0


def raci01(doc: dict) -> list[dict]:
    return [f for f in doc["findings"] if f["rule"] == "RACI-01" and NO_A_ACTIVITY in f["subjects"]]


# --- new then check -------------------------------------------------------------------


@pytest.mark.parametrize("focus", FOCUSES)
def test_new_then_check(tmp_path, focus):
    path = tmp_path / f"{focus}.ecomraci.json"
    done = run("new", "--focus", focus, "-o", str(path))
    assert done.returncode == 0, done.stderr
    assert path.name in done.stdout
    assert store.load(path).organisation.strategy_focus == focus
    done = run("check", str(path), "--as-of", AS_OF)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert path.name in done.stdout
    assert "0 error(s)" in done.stdout


def test_console_script(tmp_path):
    script = Path(sys.executable).parent / "ecomraci"
    if not script.exists():
        pytest.skip("console script not installed next to the interpreter")
    path = tmp_path / "x.ecomraci.json"
    assert subprocess.run([str(script), "new", "-o", str(path)], timeout=120).returncode == 0
    done = subprocess.run(
        [str(script), "check", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_new_with_name_and_force(tmp_path, capsys):
    path = tmp_path / "m.ecomraci.json"
    assert main(capsys, "new", "-o", str(path), "--name", "Alpha")[0] == 0
    assert main(capsys, "new", "-o", str(path), "--name", "Beta")[0] == 2
    assert store.load(path).name == "Alpha"
    assert main(capsys, "new", "-o", str(path), "--name", "Beta", "--force")[0] == 0
    assert store.load(path).name == "Beta"
    assert store.load(store.backup_path(path)).name == "Alpha"


# --- check --format json --------------------------------------------------------------


def test_json_shape(tmp_path, capsys):
    path = tmp_path / "gap.ecomraci.json"
    store.save(model_without_a(), path)
    code, doc = check_json(capsys, path)
    assert isinstance(doc, dict)
    assert {"model", "findings", "summary"} <= set(doc)
    assert doc["model"] == str(path)
    assert isinstance(doc["findings"], list) and doc["findings"]
    for f in doc["findings"]:
        assert {"rule", "severity", "message", "subjects", "why", "fix", "waived"} <= set(f)
        assert isinstance(f["rule"], str) and f["rule"]
        assert f["severity"] in ("error", "warning", "info")
        assert isinstance(f["message"], str) and f["message"]
        assert isinstance(f["subjects"], list) and all(isinstance(s, str) for s in f["subjects"])
        assert isinstance(f["why"], str) and f["why"]
        assert isinstance(f["fix"], str) and f["fix"]
        assert f["waived"] is False
    assert {"error", "warning", "info"} <= set(doc["summary"])
    for severity in ("error", "warning", "info"):
        active = [f for f in doc["findings"] if f["severity"] == severity and not f["waived"]]
        assert doc["summary"][severity] == len(active)
    (finding,) = raci01(doc)
    assert finding["severity"] == "error"
    assert finding["subjects"] == [NO_A_ACTIVITY]
    assert "Monthly KPI and budget review" in finding["message"]  # names, not ids
    assert code == 1


def test_json_is_the_only_output(tmp_path):
    path = tmp_path / "m.ecomraci.json"
    store.save(new_model(), path)
    done = run("check", str(path), "--format", "json", "--as-of", AS_OF)
    assert done.returncode == 0 and done.stderr == ""
    doc = json.loads(done.stdout)  # one object, nothing else around it
    assert doc["findings"] == [] or all("rule" in f for f in doc["findings"])
    assert doc["summary"]["error"] == 0


def test_json_findings_carry_machine_applicable_edits(tmp_path, capsys):
    path = tmp_path / "gap.ecomraci.json"
    store.save(model_without_a(), path)
    _, doc = check_json(capsys, path)
    (finding,) = raci01(doc)
    assert finding["edits"] == [
        {"op": "set-raci", "activity": NO_A_ACTIVITY, "party": "ecommerce-team", "letters": "A"}
    ]


# --- --fail-on --------------------------------------------------------------------------


@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
def test_fail_on_with_an_error(tmp_path, capsys, fail_on):
    path = tmp_path / "gap.ecomraci.json"
    store.save(model_without_a(), path)
    code, doc = check_json(capsys, path, "--fail-on", fail_on)
    assert raci01(doc)
    assert code == 1  # an error is at or above every threshold
    assert code == expected_exit(doc, fail_on)


@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
def test_fail_on_follows_the_findings(tmp_path, capsys, fail_on):
    """Exit 1 exactly when an active finding is at or above the threshold."""
    for focus in FOCUSES:
        path = tmp_path / f"{focus}.ecomraci.json"
        store.save(new_model(focus), path)
        code, doc = check_json(capsys, path, "--fail-on", fail_on)
        assert code == expected_exit(doc, fail_on), (focus, doc["summary"])
    path = tmp_path / "handwritten.ecomraci.json"
    path.write_bytes((Path(__file__).parent / "data" / "handwritten.ecomraci.json").read_bytes())
    code, doc = check_json(capsys, path, "--fail-on", fail_on)
    assert code == expected_exit(doc, fail_on)


def test_default_fail_on_is_error(tmp_path, capsys):
    path = tmp_path / "gap.ecomraci.json"
    store.save(model_without_a(), path)
    code, out, _ = main(capsys, "check", str(path), "--as-of", AS_OF)
    assert code == 1
    assert "RACI-01" in out and "ERROR" in out
    assert "Monthly KPI and budget review" in out
    assert "fix:" in out and "why:" in out


def test_clean_model_exits_0_text(tmp_path, capsys):
    path = tmp_path / "m.ecomraci.json"
    store.save(new_model(), path)
    code, out, err = main(capsys, "check", str(path), "--as-of", AS_OF)
    assert code == 0 and err == ""
    assert out.splitlines()[0].startswith(str(path))
    assert "0 error(s)" in out


# --- waivers --------------------------------------------------------------------------


def waiver(until: date | None) -> Waiver:
    return Waiver(
        rule="RACI-01",
        subjects=[NO_A_ACTIVITY],
        reason="Being reorganised",
        author="J. Nowak",
        until=until,
    )


def test_waiver_silences_the_finding(tmp_path, capsys):
    path = tmp_path / "waived.ecomraci.json"
    store.save(model_without_a([waiver(date(2026, 12, 31))]), path)
    code, doc = check_json(capsys, path, "--fail-on", "error")
    (finding,) = raci01(doc)
    assert finding["waived"] is True
    assert finding["waiver"]["author"] == "J. Nowak"
    assert doc["summary"]["error"] == sum(
        1 for f in doc["findings"] if f["severity"] == "error" and not f["waived"]
    )
    assert code == expected_exit(doc, "error")
    assert code == 0
    # and the text report lists it under Waived
    code, out, _ = main(capsys, "check", str(path), "--as-of", AS_OF)
    assert code == 0
    assert "Waived (" in out and "Being reorganised" in out


def test_waiver_without_end_date(tmp_path, capsys):
    path = tmp_path / "waived.ecomraci.json"
    store.save(model_without_a([waiver(None)]), path)
    code, doc = check_json(capsys, path)
    assert raci01(doc)[0]["waived"] is True
    assert code == 0


def test_waiver_valid_on_its_last_day(tmp_path, capsys):
    path = tmp_path / "waived.ecomraci.json"
    store.save(model_without_a([waiver(date.fromisoformat(AS_OF))]), path)
    code, doc = check_json(capsys, path)
    assert raci01(doc)[0]["waived"] is True
    assert code == 0


def test_expired_waiver_raises_the_finding_again(tmp_path, capsys):
    path = tmp_path / "expired.ecomraci.json"
    store.save(model_without_a([waiver(date(2026, 1, 31))]), path)
    code, doc = check_json(capsys, path, "--fail-on", "error")
    (finding,) = raci01(doc)
    assert finding["waived"] is False
    assert finding["waiver_expired"]["until"] == "2026-01-31"
    assert doc["summary"]["error"] >= 1
    assert code == 1
    code, out, _ = main(capsys, "check", str(path), "--as-of", AS_OF)
    assert code == 1
    assert "expired on 2026-01-31" in out
    # the same file checked before the waiver ran out is fine
    code, doc = check_json(capsys, path, "--as-of", "2026-01-15")
    assert raci01(doc)[0]["waived"] is True
    assert code == 0


def test_waiver_for_another_rule_does_not_apply(tmp_path, capsys):
    other = Waiver(rule="RACI-02", subjects=[NO_A_ACTIVITY], reason="x", author="y")
    path = tmp_path / "other.ecomraci.json"
    store.save(model_without_a([other]), path)
    code, doc = check_json(capsys, path)
    assert raci01(doc)[0]["waived"] is False
    assert code == 1


# --- rules ----------------------------------------------------------------------------


def test_rules_lists_the_catalog():
    done = run("rules")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("RACI-01") and "error" in line for line in lines)
    assert any(line.startswith("RACI-02") for line in lines)
    ids = [line.split()[0] for line in lines if line.strip()]
    # the catalog's order (PRODUCT.md): families in turn, numbers ascending in each
    families = ["RACI", "SRC", "DEP", "GOV", "CMP"]
    assert ids == sorted(ids, key=lambda i: (families.index(i.split("-")[0]), i))
    assert [i.split("-")[0] for i in ids][:: len(ids) - 1] == ["RACI", "CMP"]


@pytest.mark.parametrize("spelling", ["RACI-01", "raci-01"])
def test_rules_explains_one(capsys, spelling):
    from ecomraci.rules import RULES

    code, out, err = main(capsys, "rules", spelling)
    assert code == 0 and err == ""
    assert out.startswith("RACI-01 (error)")
    assert RULES["RACI-01"].title in out
    assert RULES["RACI-01"].rationale in out


def test_unknown_rule_exits_2(capsys):
    code, out, err = main(capsys, "rules", "RACI-99")
    assert code == 2
    assert out == ""
    assert "RACI-99" in err and "Traceback" not in err


def test_documented_example_checks_clean(capsys):
    """docs/file-format.md says its example has nothing to report as of 2026-06-01."""
    path = Path(__file__).parent / "data" / "handwritten.ecomraci.json"
    code, out, err = main(capsys, "check", str(path), "--as-of", "2026-06-01", "--fail-on", "info")
    assert code == 0, f"the example in docs/file-format.md now has findings:\n{out}"
