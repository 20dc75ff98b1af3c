"""The board report (`ecomraci report`, `ecomraci.report`): HTML and an A4 PDF for every
sample, with the cover, every section's heading, names instead of ids, a clear sentence
for a model without contracts or findings, and the what-if compared with today."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ecomraci import scenario, store
from ecomraci.model import Model, Party
from ecomraci.report import HEADINGS, compose, write_report

SAMPLES = sorted(Path(__file__).resolve().parents[2].glob("samples/*.ecomraci.json"))
AS_OF = date(2026, 12, 2)
A4 = (595.28, 841.89)  # points


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecomraci", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def pdf_text(path: Path) -> str:
    """The PDF's text by pdftotext (poppler), with runs of white space made one space."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is not installed; CI installs poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, timeout=60, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


def media_boxes(path: Path) -> list[tuple[float, float]]:
    boxes = re.findall(
        rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", path.read_bytes()
    )
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


class _Text(HTMLParser):
    """The text a reader of the page sees (the style sheet left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def _ids(model: Model) -> set[str]:
    """The ids a reader must never see: those that do not read as an ordinary word (with
    a hyphen, an underscore, a dot or a digit), so a plain-word id such as `payments` is
    not mistaken for the word in a sentence."""
    ids = {
        x.id
        for coll in (model.parties, model.functions, model.activities, model.contracts)
        for x in coll
    }
    return {i for i in ids if re.search(r"[-_.\d]", i)}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_pdf_and_html_for_each_sample(sample, tmp_path):
    model = store.load(sample)
    pdf, page = tmp_path / "board.pdf", tmp_path / "board.html"
    done = _cli("report", str(sample), "-o", str(pdf), "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    assert (
        _cli("report", str(sample), "-o", str(page), "--as-of", AS_OF.isoformat()).returncode == 0
    )

    boxes = media_boxes(pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    text = pdf_text(pdf)
    assert " ".join(model.name.split()) in text
    assert "as of" in text.lower() and "02 December 2026" in text
    for heading in [h for k, h in HEADINGS.items() if k != "scenario"]:
        assert heading in text, heading

    shown = html_text(page)
    assert model.name in shown
    raw = sorted(i for i in _ids(model) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", shown))
    assert not raw, f"raw ids in the report: {raw}"
    for c in model.contracts:  # each contract on the calendar, by name
        assert c.name in shown


@pytest.mark.skipif(importlib.util.find_spec("PySide6") is None, reason="needs PySide6")
def test_the_map_is_drawn_into_the_report(tmp_path):
    page = tmp_path / "board.html"
    done = _cli("report", str(SAMPLES[0]), "-o", str(page), "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    assert page.read_text(encoding="utf-8").count('src="data:image/png;base64,') == 1


def _quiet_model(contracts: bool = False) -> Model:
    keys = [
        "online-revenue",
        "customer-experience",
        "omnichannel-consistency",
        "ecommerce-operations",
    ]
    return Model(
        name="Quiet shop",
        parties=[Party(id="web-team", name="Web team", kind="internal")],
        key_accountabilities={k: ["web-team"] for k in keys},
    )


def test_a_model_without_contracts_or_findings_says_so(tmp_path):
    report = compose(_quiet_model(), AS_OF, map_note="The map is left out here.")
    page, pdf = tmp_path / "quiet.html", tmp_path / "quiet.pdf"
    write_report(report, page)
    write_report(report, pdf)
    for text in (html_text(page), pdf_text(pdf)):
        assert "no contracts" in text
        assert "no findings" in text
        assert "Web team" in text  # the key accountabilities, by name
    # no empty tables: the calendar's and the findings' tables are not there
    html = page.read_text(encoding="utf-8")
    assert "Dates ahead" not in html and "Findings by area" not in html


def test_the_same_model_with_findings_lists_them_with_why_and_fix(tmp_path):
    model = store.load(SAMPLES[0])
    page = tmp_path / "r.html"
    write_report(compose(model, AS_OF), page)
    text = html_text(page)
    from ecomraci.rules import check

    shown = [f for f in check(model, as_of=AS_OF) if not f.waived and f.severity != "info"]
    assert shown
    for f in shown:
        assert " ".join(f.message.split()) in text
        assert " ".join(f.fix.split()) in text
    assert "no findings" not in text


@pytest.fixture
def with_scenario(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "estore.ecomraci.json"
    model = store.load(next(s for s in SAMPLES if "outsourced" in s.name))
    function = next(a.function for a in model.assignments if a.mode == "outsourced")
    result = scenario.insource(model, function, as_of=AS_OF)
    scenario.add_scenario(model, result.to_scenario("Take it back"))
    store.save(model, path)
    return path, model.function(function).name


def test_scenario_is_compared_with_today(with_scenario, tmp_path):
    path, function_name = with_scenario
    pdf = tmp_path / "board.pdf"
    done = _cli(
        "report",
        str(path),
        "-o",
        str(pdf),
        "--as-of",
        AS_OF.isoformat(),
        "--scenario",
        "Take it back",
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(pdf)
    assert f"{HEADINGS['scenario']}: Take it back" in text
    assert "Today compared with the scenario" in text
    assert "With the scenario" in text
    assert function_name in text[text.index("Today compared") - 2000 :]

    plain = tmp_path / "plain.pdf"
    assert _cli("report", str(path), "-o", str(plain), "--as-of", AS_OF.isoformat()).returncode == 0
    assert "Today compared with the scenario" not in pdf_text(plain)


def test_bad_input_gets_a_message(with_scenario, tmp_path):
    path, _ = with_scenario
    done = _cli("report", str(path), "-o", str(tmp_path / "board.docx"))
    assert done.returncode == 2 and "name the report .pdf or .html" in done.stderr
    done = _cli("report", str(path), "-o", str(tmp_path / "board.pdf"), "--scenario", "Nope")
    assert done.returncode == 2 and "'Take it back'" in done.stderr
    assert "Traceback" not in done.stderr
    done = _cli("report", str(path), "-o", str(tmp_path / "missing" / "board.pdf"))
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_many_contracts_fit_on_the_pages(tmp_path):
    """The timeline is cut into charts a page holds and the key figures' page lists only
    the first contracts due: a model with 60 contracts gives a PDF whose key figures fit
    on their page, and whose calendar names every contract."""
    from bench.generate import generate

    model = generate(functions=40, activities=120, parties=70, dependencies=40, contracts=60)
    pdf, page = tmp_path / "many.pdf", tmp_path / "many.html"
    report = compose(model, AS_OF)
    write_report(report, pdf)
    write_report(report, page)
    assert len(media_boxes(pdf)) > 3
    shown = html_text(page)
    for c in model.contracts:
        assert c.name in shown
    text = pdf_text(pdf)
    start = text.index(f"{HEADINGS['figures']} As of")  # the page, not the contents
    figures = text[start : text.index(HEADINGS["map"], start)]
    assert "Page 2" in figures and "Page 3" not in figures
