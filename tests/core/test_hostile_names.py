"""Names that try to act on their reader: escape sequences that recolour a terminal or
set its window title, BEL and other control characters, XML markup, a bidi override,
very long names. The command line shows them escaped, every XML document ecomraci
writes stays well-formed, and error messages quote them short and escaped."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET

from ecomraci import cli as cli_module
from ecomraci import store
from ecomraci.model import Waiver
from ecomraci.text import json_visible, quoted, shorten, visible, xml_safe
from tests.core.kit import base_model

AS_OF = "2026-06-01"
HOSTILE = [
    "\x1b[31mred\x1b[0m",  # colours
    "\x1b]0;pwned\x07",  # sets the terminal's window title
    "bell\x07",
    "ctl\x01\x02\x0b\x0c\x7f\x9b[2J",  # C0, DEL, and the 8-bit CSI
    "<b>&amp;</b>",
    "]]>",
    "'\"quoted\"'",
    "\u202eevil\u202c",  # right-to-left override
    "line\nbreak\rreturn\ttab",
    "L" * 190,
]
# What must never reach a terminal raw: C0 controls but the line break, DEL, C1, bidi.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def hostile_model():
    model = base_model()
    for i, p in enumerate(model.parties):
        p.name = f"{HOSTILE[i % len(HOSTILE)]} p{i}"
    for i, f in enumerate(model.functions):
        f.name = f"{HOSTILE[(i + 3) % len(HOSTILE)]} f{i}"
    for i, a in enumerate(model.activities):
        a.name = f"{HOSTILE[(i + 5) % len(HOSTILE)]} a{i}"[:200]
    for i, c in enumerate(model.contracts):
        c.name = f"{HOSTILE[(i + 1) % len(HOSTILE)]} c{i}"
    for forum in model.forums:
        forum.name = HOSTILE[1] + HOSTILE[4]
    model.name = HOSTILE[0] + HOSTILE[1] + HOSTILE[7]
    # Findings that name the hostile activities: no A in two rows, one of them waived
    # with a hostile author and reason, one waiver expired.
    model.raci["om-campaigns"] = {"agency": "R"}
    model.raci["pay-config"] = {"it": "R"}
    model.raci["it-run"] = {"it": "R"}
    model.waivers = [
        Waiver(
            rule="RACI-01",
            subjects=["om-campaigns"],
            reason=HOSTILE[1] + HOSTILE[8],
            author=HOSTILE[0],
        ),
        Waiver(
            rule="RACI-01",
            subjects=["pay-config"],
            reason=HOSTILE[2] + HOSTILE[4],
            author=HOSTILE[7],
            until=date(2026, 1, 1),
        ),
    ]
    return model


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = tmp_path / "hostile.ecomraci.json"
    store.save(hostile_model(), path)
    return path


def main(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = cli_module.main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_visible_escapes_what_a_terminal_acts_on():
    assert visible("\x1b]0;t\x07") == "\\x1b]0;t\\x07"
    assert visible("a\nb\tc\r") == "a\\nb\\tc\\r"
    assert visible("\x9b\x7f\u202e\u2028") == "\\x9b\\x7f\\u202e\\u2028"
    assert visible("Zoë & <Co> 日本") == "Zoë & <Co> 日本"
    assert not RAW.search(visible("".join(chr(c) for c in range(0x3000))))


def test_shorten_and_quoted():
    assert shorten("x" * 10) == "x" * 10
    long = shorten("x" * 1_000_000)
    assert len(long) < 250 and "1000000 characters" in long
    assert quoted("\x1b" + "y" * 500).startswith('"\\x1b')
    assert len(quoted("y" * 10_000)) < 250


def test_json_visible_keeps_the_value():
    value = {"name": "".join(chr(c) for c in range(0x2100)) + "\u202e\u2066"}
    text = json_visible(json.dumps(value, ensure_ascii=False))
    assert not RAW.search(text.replace("\n", ""))
    assert json.loads(text) == value


def test_xml_safe_makes_any_text_well_formed():
    from xml.sax.saxutils import escape

    text = "".join(chr(c) for c in range(0x800)) + "\ud800\ufffe\uffff]]>"
    SafeET.fromstring(f"<a>{escape(xml_safe(text))}</a>".encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_shows_names_escaped(hostile, capsys, fmt):
    code, out, err = main(capsys, "check", str(hostile), "--as-of", AS_OF, "--format", fmt)
    assert code == 1, err  # the RACI-01 error of it-run
    assert not RAW.search(out), RAW.search(out)
    if fmt == "text":
        assert "\\x1b]0;pwned\\x07" in out
        assert "\\u202eevil\\u202c" in out
        assert "RACI-01" in out and "Waived (1)" in out
        # A line break in a name does not start a line of its own.
        assert not any(line.startswith("break") for line in out.splitlines())
    else:
        doc = json.loads(out)
        assert doc["name"] == hostile_model().name  # JSON keeps the exact value


def test_other_commands_show_names_escaped(hostile, tmp_path, capsys):
    other = tmp_path / "other.ecomraci.json"
    model = hostile_model()
    model.parties[0].name = HOSTILE[1] + " renamed"
    store.save(model, other)
    for args in (
        ["diff", str(hostile), str(other), "--as-of", AS_OF],
        ["simulate", str(hostile), "--insource", "online-marketing", "--as-of", AS_OF],
        ["export", str(hostile), "-o", str(tmp_path / "out.xlsx"), "--as-of", AS_OF],
        ["import", str(hostile), str(tmp_path / "out.xlsx"), "--dry-run"],
    ):
        code, out, err = main(capsys, *args)
        assert code == 0, (args, err)
        assert not RAW.search(out), (args, RAW.search(out))
        assert "\\x1b" in out, args


def test_errors_are_escaped_and_short(tmp_path, capsys):
    doc = json.loads(store.dumps(hostile_model()))
    doc["raci"]["\x1b]0;pwned\x07" + "k" * 1_000_000] = {"ecom": "R"}
    path = tmp_path / "\x1b[31mbad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = main(capsys, "check", str(path))
    assert code == 2
    assert not RAW.search(err.rstrip("\n")), RAW.search(err)
    assert len(err) < 2000
    assert "\\x1b]0;pwned\\x07" in err and "characters)" in err


def test_exported_workbook_parts_are_well_formed(hostile, tmp_path, capsys):
    out = tmp_path / "hostile.xlsx"
    code, _, err = main(capsys, "export", str(hostile), "-o", str(out), "--as-of", AS_OF)
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                SafeET.fromstring(archive.read(name))


@pytest.mark.skipif(importlib.util.find_spec("PySide6") is None, reason="needs PySide6")
def test_rendered_svg_is_well_formed(hostile, tmp_path):
    out = tmp_path / "map.svg"
    result = subprocess.run(
        [sys.executable, "-m", "ecomraci", "render", str(hostile), "-o", str(out)]
        + ["--as-of", AS_OF],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert not RAW.search(result.stdout.rstrip("\n"))
    root = SafeET.fromstring(out.read_bytes())
    assert root.tag.endswith("svg")
    texts = " ".join(t for t in root.itertext())
    assert "\\x1b]0;pwned\\x07" in texts and "<b>&amp;</b>" in texts and "]]>" in texts
