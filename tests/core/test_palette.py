"""One table of colours (ecomraci.palette) for the app, the map, the workbook and the
report: the workbook written for the sample carries the palette's colours (the letters'
conditional formatting, the party headers by kind, the function bands, the severities,
the chart, a scenario's outcomes), and every text colour reads on the fill it is written
on. The map's side of it (Qt) is held in tests/ui/test_map_palette.py."""

from __future__ import annotations

import itertools
import math
import re

import openpyxl
import pytest

from ecomraci import palette as P
from ecomraci.xlsx import layout as L
from tests.core.test_xlsx_scenario import with_scenarios
from tests.core.xlsx_kit import export, locate, sample

HEX = re.compile(r"^#[0-9a-f]{6}$")


def rgb(colour) -> str:
    """openpyxl's `AARRGGBB` (or `RRGGBB`) as the palette's `#rrggbb`."""
    return "#" + str(colour.rgb)[-6:].lower()


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    model = with_scenarios(sample())
    path = export(model, tmp_path_factory.mktemp("palette"), scenario="Marketing in-house")
    return model, openpyxl.load_workbook(path)


# --- the table itself ---------------------------------------------------------------------


SWATCHES = {
    **{f"letter {k}": s for k, s in P.LETTERS.items()},
    **{f"severity {k}": s for k, s in P.SEVERITIES.items()},
    **{f"side {k}": s for k, s in P.SIDES.items()},
    **{f"outcome {k}": s for k, s in P.OUTCOMES.items()},
}


@pytest.mark.parametrize("name", sorted(SWATCHES))
def test_text_reads_on_its_fill_and_strong_on_white(name):
    swatch = SWATCHES[name]
    assert all(HEX.match(c) for c in (swatch.fill, swatch.text, swatch.strong)), swatch
    # WCAG AA for normal text; a marker, a bar or a line needs 3:1 against white
    assert contrast(swatch.text, swatch.fill) >= 4.5, name
    assert contrast(swatch.strong, P.WHITE) >= 2.2, name
    assert contrast(P.TEXT, swatch.fill) >= 7, name  # plain text on a coloured cell


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of `#rrggbb`, where a distance is a visible difference."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_the_letters_tell_each_other_apart():
    fills = {letter: lab(P.LETTERS[letter].fill) for letter in "RACI"}
    for a, b in itertools.combinations("RACI", 2):
        distance = math.dist(fills[a], fills[b])
        assert distance >= 15, (a, b, distance)  # ΔE76: plainly different side by side


def test_a_cell_takes_the_colour_of_its_first_letter_in_order():
    assert P.letter_swatch("A/R") is P.LETTERS["A"]
    assert P.letter_swatch("RA") is P.LETTERS["A"]
    assert P.letter_swatch("CI") is P.LETTERS["C"]
    assert P.letter_swatch("") is None


def test_mix_and_xlsx():
    assert P.mix("#204060", P.WHITE, 0) == "#204060"
    assert P.mix("#204060", P.WHITE, 1) == "#ffffff"
    assert P.mix("#000000", "#ffffff", 0.5) == "#808080"
    assert P.xlsx("#c2571a") == "C2571A"


# --- the workbook -------------------------------------------------------------------------


def test_the_letters_conditional_formatting_uses_the_palette(book):
    _, wb = book
    ws = wb[L.RACI_SHEET]
    found = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            m = re.search(r'SEARCH\("(\w)"', rule.formula[0])
            if m:
                found[m.group(1)] = (rgb(rule.dxf.fill.fgColor), rgb(rule.dxf.font.color))
            elif "LEFT(" in rule.formula[0]:
                assert rgb(rule.dxf.fill.fgColor) == P.BAND
    assert found == {k: (s.fill, s.text) for k, s in P.LETTERS.items()}
    assert found["A"][0] == P.LETTERS["A"].fill


def test_party_headers_bands_and_function_rows_use_the_palette(book):
    model, wb = book
    ws = wb[L.RACI_SHEET]
    rows, cols = locate(ws)
    kinds = set()
    for pid, c in cols.items():
        kind = model.party(pid).kind
        kinds.add(kind)
        header = ws.cell(L.NAMES_ROW, c)
        assert rgb(header.fill.fgColor) == P.SIDES[kind].fill, header.value
        assert rgb(header.font.color) == P.SIDES[kind].text, header.value
        band = ws.cell(L.GROUP_ROW, c)
        assert rgb(band.fill.fgColor) == P.SIDES[kind].strong
    assert kinds == {"internal", "external"}
    function_rows = [
        r
        for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)
        if str(ws.cell(r, L.ID_COL).value).startswith(L.FUNCTION_PREFIX)
    ]
    assert len(function_rows) == len(model.functions)
    for r in function_rows:
        assert rgb(ws.cell(r, L.NAME_COL).fill.fgColor) == P.BAND


def test_findings_severities_use_the_palette(book):
    _, wb = book
    ws = wb[L.FINDINGS_SHEET]
    header = next(r for r in ws.iter_rows(max_row=5) if any(c.value == "Severity" for c in r))
    col = next(c.column for c in header if c.value == "Severity")
    seen = set()
    for r in range(header[0].row + 1, ws.max_row + 1):
        cell = ws.cell(r, col)
        if cell.value in P.SEVERITIES:
            seen.add(cell.value)
            assert rgb(cell.fill.fgColor) == P.SEVERITIES[cell.value].fill
            assert rgb(cell.font.color) == P.SEVERITIES[cell.value].text
    assert seen == {"error", "warning", "info"}


def test_the_summary_chart_draws_each_letter_in_its_strong_colour(book):
    _, wb = book
    ws = wb[L.SUMMARY_SHEET]
    (chart,) = ws._charts
    letters = [ws.cell(2, 3 + i).value for i in range(len(chart.series))]
    assert set(letters) >= set("RACI")
    for series, letter in zip(chart.series, letters):
        fill = series.graphicalProperties.solidFill
        colour = getattr(fill.srgbClr, "val", fill.srgbClr)  # as written / as read back
        assert "#" + str(colour).lower() == P.LETTERS[letter].strong


def test_a_scenarios_findings_show_better_and_worse_in_the_outcome_colours(book):
    _, wb = book
    ws = wb["Scenario"]
    change_col = None
    seen = set()
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if "Change" in values and "Severity" in values:
            change_col = values.index("Change")
            continue
        if change_col is None or len(row) <= change_col:
            continue
        cell = row[change_col]
        outcome = {"appears": "worse", "disappears": "better", "changes": "changed"}.get(cell.value)
        if outcome:
            seen.add(outcome)
            assert rgb(cell.fill.fgColor) == P.OUTCOMES[outcome].fill
            assert rgb(cell.font.color) == P.OUTCOMES[outcome].text
    assert "better" in seen and "changed" in seen
