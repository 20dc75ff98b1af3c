"""The Excel export (`ecomraci export`, `ecomraci.xlsx.export_workbook`), checked with
openpyxl on the files it writes: every sheet and every sheet feature the workbook
promises, text safety, progress, atomic writes and the command line."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from bench.generate import generate
from ecomraci import cli
from ecomraci.model import Contract, Model, Party, Waiver, display_letters
from ecomraci.rules import check
from ecomraci.xlsx import ExportCancelled, export_workbook
from ecomraci.xlsx import layout as L
from ecomraci.xlsx.export import MAX_CELLS_PER_FINDING, _Export, contract_columns
from tests.core.kit import base_model
from tests.core.xlsx_kit import (
    AS_OF,
    FORMULA_LIKE,
    SAMPLE,
    SHEETS,
    export,
    locate,
    sample,
    tricky_model,
)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    model = sample()
    path = export(model, tmp_path_factory.mktemp("export"))
    return model, path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def tricky_book(tmp_path_factory):
    model = tricky_model()
    path = export(model, tmp_path_factory.mktemp("tricky"))
    return model, path, openpyxl.load_workbook(path)


def matrix_ref(model: Model) -> str:
    functions = {a.function for a in model.activities}
    last_row = L.FIRST_DATA_ROW + len(functions) + len(model.activities) - 1
    last_col = openpyxl.utils.get_column_letter(L.FIRST_PARTY_COL + len(model.parties) - 1)
    return f"C{L.FIRST_DATA_ROW}:{last_col}{last_row}"


# --- RACI sheet ------------------------------------------------------------------------


def test_the_sheets_in_order(sample_book):
    _, _, wb = sample_book
    assert wb.sheetnames == SHEETS
    assert wb.active.title == "RACI"


def test_title_block_names_the_model_date_and_legend(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    assert ws["B1"].value == model.name and ws["B1"].font.b
    assert "2026-06-01" in ws["B2"].value
    legend = ws["B3"].value
    for text in ("R = Responsible", "A = Accountable", "C = Consulted", "I = Informed"):
        assert text in legend


def test_one_row_per_activity_under_a_band_for_its_function(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    current = None
    seen = []
    for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        key, name = ws.cell(r, 1).value, ws.cell(r, 2).value
        if key.startswith(L.FUNCTION_PREFIX):
            current = model.function(key[len(L.FUNCTION_PREFIX) :])
            assert name == current.name and ws.cell(r, 2).font.b and ws.cell(r, 2).fill.fill_type
        else:
            activity = model.activity(key)
            assert activity.function == current.id and name == activity.name
            seen.append(key)
    assert sorted(seen) == sorted(a.id for a in model.activities)


def test_internal_parties_first_then_external_each_under_a_band(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    _, cols = locate(ws)
    order = sorted(cols, key=cols.get)
    kinds = [model.party(pid).kind for pid in order]
    assert kinds == sorted(kinds, key=lambda k: k != "internal") and len(set(kinds)) == 2
    first_external = cols[order[kinds.index("external")]]
    assert ws.cell(L.GROUP_ROW, L.FIRST_PARTY_COL).value == "Internal parties"
    assert ws.cell(L.GROUP_ROW, first_external).value == "External parties"
    for pid, c in cols.items():
        assert ws.cell(L.NAMES_ROW, c).value == model.party(pid).name
        assert ws.cell(L.NAMES_ROW, c).alignment.textRotation == 90


def test_ids_sit_in_a_hidden_row_and_a_hidden_column(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    assert ws.column_dimensions["A"].hidden
    assert ws.row_dimensions[L.IDS_ROW].hidden
    assert ws.cell(L.IDS_ROW, 1).value == L.ID_MARKER
    assert ws.cell(L.IDS_ROW, 2).value == L.NAME_MARKER
    assert ws.cell(L.NAMES_ROW, 1).value == L.NAMES_ROW_MARKER
    rows, cols = locate(ws)
    assert set(rows) == {a.id for a in model.activities}
    assert set(cols) == {p.id for p in model.parties}


def test_cells_hold_the_letters_as_people_write_them(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    rows, cols = locate(ws)
    assert any("/" in (ws.cell(rows[a], cols[p]).value or "") for a in rows for p in cols)
    for aid, r in rows.items():
        for pid, c in cols.items():
            letters = model.letters(aid, pid)
            assert ws.cell(r, c).value == (display_letters(letters) if letters else None)


def test_every_matrix_cell_has_one_list_validation(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and str(dv.sqref) == matrix_ref(model)
    assert dv.formula1.strip('"').split(",")[:5] == ["R", "A", "C", "I", "A/R"]
    assert dv.allow_blank and dv.showErrorMessage and dv.errorStyle == "warning"


def test_colours_come_from_conditional_formatting(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    (cf,) = list(ws.conditional_formatting)
    assert str(cf.sqref) == matrix_ref(model)
    formulas = [r.formula[0] for r in sorted(cf.rules, key=lambda r: r.priority)]
    assert formulas[0] == f'LEFT($A{L.FIRST_DATA_ROW},9)="function:"'
    assert formulas[-1] == "TRUE"  # the grid of the empty cells, tried last
    letters = [f.split('"')[1] for f in formulas[1:-1]]
    assert letters[:4] == ["A", "R", "C", "I"]  # A/R takes the A colour
    coloured = sorted(cf.rules, key=lambda r: r.priority)[:-1]
    assert all(r.stopIfTrue and r.dxf.fill is not None for r in coloured)
    rows, cols = locate(ws)
    cell = ws.cell(rows["sm-strategy"], cols["ecom-team"])
    assert cell.value == "A/R" and cell.fill.fill_type is None  # no colour of its own


def test_panes_filter_widths_and_print_set_up(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    assert ws.freeze_panes == f"C{L.FIRST_DATA_ROW}"
    last = matrix_ref(model).split(":")[1]
    assert ws.auto_filter.ref == f"B{L.NAMES_ROW}:{last}"
    assert ws.column_dimensions["B"].width >= 24
    assert 4 <= ws.column_dimensions["C"].width <= 10
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${L.GROUP_ROW}:${L.NAMES_ROW}"
    assert ws.print_title_cols == "$A:$B"
    for name in SHEETS[1:]:
        other = wb[name]
        assert other.freeze_panes == "B3" and other.auto_filter.ref.startswith("A2:")
        assert other.print_title_rows == "$1:$2" and other.print_title_cols == "$A:$A"
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddHeader.left.text == model.name
        assert ws.oddHeader.center.text == "&A"
        assert ws.oddHeader.right.text == f"As of {AS_OF.isoformat()}"
        assert ws.oddFooter.center.text == "Page &P of &N"


def test_letter_paper_for_the_regions_that_use_it(tmp_path):
    from ecomraci.xlsx.export import paper_for_locale

    assert [paper_for_locale(x) for x in ("en_US.UTF-8", "fr-CA", "es_MX", "en_PH")] == [
        "letter"
    ] * 4
    assert [paper_for_locale(x) for x in ("de_DE", "en_GB.UTF-8", "en", "", None)] == ["a4"] * 5
    path = export(sample(), tmp_path, paper="letter")
    assert {ws.page_setup.paperSize for ws in openpyxl.load_workbook(path)} == {1}
    with pytest.raises(ValueError, match="unknown paper 'legal'"):
        export(sample(), tmp_path, "legal.xlsx", paper="legal")
    assert not (tmp_path / "legal.xlsx").exists()


def test_one_font_family_a_grid_and_centred_letters(sample_book):
    model, _, wb = sample_book
    from ecomraci.xlsx.export import FONT_NAME

    for ws in wb.worksheets:
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {FONT_NAME}, ws.title
    ws = wb["RACI"]
    rows, cols = locate(ws)
    letters = 0
    for r in rows.values():
        for c in cols.values():
            cell = ws.cell(r, c)
            if cell.value:
                assert cell.alignment.horizontal == "center" and cell.border.left.style == "thin"
                letters += 1
    assert letters == sum(len(row) for row in model.raci.values())
    # the empty cells' boxes: a conditional format over the whole matrix
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert rules[-1].formula == ["TRUE"] and rules[-1].dxf.border.left.style == "thin"
    for name in SHEETS[1:]:
        # the tables' grid: a conditional format over the data, and a box of its own on
        # every cell of a row taller than a line
        table = wb[name]
        (cf,) = [cf for cf in table.conditional_formatting]
        assert str(cf.sqref) == f"A3:{get_column_letter(table.max_column)}{table.max_row}"
        assert cf.rules[0].formula == ["TRUE"] and cf.rules[0].dxf.border.top.style == "thin"
        for r in range(3, table.max_row + 1):
            if (table.row_dimensions[r].height or 0) > 16:
                row = table[r]
                assert all(c.border.bottom.style == "thin" for c in row), (name, r)


def test_rows_are_as_tall_as_their_wrapped_text(sample_book):
    """A Findings row holds its longest text wrapped at word boundaries in its column:
    worked out here word by word, at 1.2 characters per digit of width (Arial's letters
    average about 0.8 of a digit)."""
    _, _, wb = sample_book
    ws = wb[L.FINDINGS_SHEET]
    from openpyxl.utils import get_column_letter

    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, 8)]
    tall = 0
    for r, row in enumerate(ws.iter_rows(min_row=3, values_only=True), start=3):
        lines = 1
        for value, width in zip(row, widths):
            if not isinstance(value, str):
                continue
            room, n, used = int(width * 1.2) - 1, 1, 0
            for word in value.split():
                if used and used + 1 + len(word) > room:
                    n, used = n + 1, 0
                used += len(word) + (1 if used else 0)
            lines = max(lines, n)
        height = ws.row_dimensions[r].height or 15
        assert height >= 12.75 * lines, (r, lines, height)
        if lines > 1:
            tall += 1
            assert ws.cell(r, 3).alignment.wrap_text or ws.cell(r, 5).alignment.wrap_text
    assert tall >= 5


def test_cells_involved_in_a_finding_carry_its_message(sample_book):
    model, _, wb = sample_book
    ws = wb["RACI"]
    rows, cols = locate(ws)
    bands = {
        ws.cell(r, 1).value[len(L.FUNCTION_PREFIX) :]: r
        for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)
        if ws.cell(r, 1).value.startswith(L.FUNCTION_PREFIX)
    }
    findings = [f for f in check(model, as_of=AS_OF) if not f.waived]
    assert findings
    checked = 0
    for f in findings:
        acts = [s for s in f.subjects if s in rows]
        parties = [s for s in f.subjects if s in cols]
        if acts and parties and len(acts) * len(parties) <= MAX_CELLS_PER_FINDING:
            cells = [ws.cell(rows[a], cols[p]) for a in acts for p in parties]
        elif acts:
            cells = [ws.cell(rows[a], 2) for a in acts]
        elif parties:
            cells = [ws.cell(L.NAMES_ROW, cols[p]) for p in parties]
        else:
            cells = [ws.cell(bands[s], 2) for s in f.subjects if s in bands]
        for cell in cells:
            assert cell.comment is not None, (f.rule, cell.coordinate)
            text = cell.comment.text
            assert f.message in text or "more on the Findings sheet" in text
            checked += 1
    assert checked >= len(findings) // 2


def test_a_finding_about_one_cell_comments_on_that_cell(tmp_path):
    model = base_model()
    model.raci["pay-config"] = {"fin": "AR", "it": "C"}  # a control done and approved by one
    findings = [f for f in check(model, as_of=AS_OF) if f.rule == "RACI-03"]
    assert findings and set(findings[0].subjects) >= {"pay-config", "fin"}
    wb = openpyxl.load_workbook(export(model, tmp_path))
    rows, cols = locate(wb["RACI"])
    comment = wb["RACI"].cell(rows["pay-config"], cols["fin"]).comment
    assert comment is not None and findings[0].message in comment.text
    assert wb["RACI"].cell(rows["pay-config"], cols["it"]).comment is None


# --- the other sheets ------------------------------------------------------------------


def table(ws) -> tuple[list[str], list[list]]:
    values = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    return values[0], values[1:]


def test_sourcing_sheet(sample_book):
    model, _, wb = sample_book
    headers, rows = table(wb["Sourcing"])
    assert headers == [
        "Function",
        "Criticality",
        "Delivering party",
        "Party kind",
        "Mode",
        "Contract",
        "Reversible",
        "Lead time (months)",
    ]
    expected = set()
    for a in model.assignments:
        f = model.function(a.function)
        contract = model.contract(a.contract).name if a.contract else None
        expected.add(
            (
                f.name,
                f.criticality,
                model.party(a.party).name,
                model.party(a.party).kind,
                a.mode.replace("-", " "),
                contract,
                "yes" if f.reversible else "no",
                f.lead_time_months,
            )
        )
    assert {tuple(r) for r in rows} >= expected
    assert {r[0] for r in rows} == {f.name for f in model.functions}


def test_contracts_sheet_has_a_column_per_clause_and_real_dates(sample_book):
    model, _, wb = sample_book
    headers, rows = [], [[] for _ in model.contracts]
    for sheet in (
        L.CONTRACT_TERMS_SHEET,
        L.CONTRACT_EXIT_SHEET,
        L.CONTRACT_DATA_SHEET,
        L.CONTRACT_COMPLIANCE_SHEET,
    ):
        h, r = table(wb[sheet])
        assert h[:2] == ["Contract", "Party"]
        if not headers:
            headers, rows = h, [list(x) for x in r]
        else:  # the same contracts in the same order, the other columns beside
            assert [x[:2] for x in r] == [x[:2] for x in rows]
            headers += h[2:]
            for mine, theirs in zip(rows, r):
                mine += list(theirs[2:])
    assert (
        len(headers) == len(set(headers)) == len(contract_columns(_Export(model, [], AS_OF, None)))
    )
    ws = wb[L.CONTRACT_TERMS_SHEET]
    assert len(rows) == len(model.contracts)
    by_name = {r[0]: dict(zip(headers, r)) for r in rows}
    for c in model.contracts:
        row = by_name[c.name]
        assert row["Party"] == model.party(c.party).name
        assert row["Start"] == (datetime.combine(c.start, datetime.min.time()) if c.start else None)
        assert row["Auto-renew"] == ("yes" if c.auto_renew else "no")
        assert row["Notice period (months)"] == c.notice_period_months
        assert row["Exit plan"] in ("yes", "no")
    start_col = headers.index("Start") + 1
    cell = ws.cell(3, start_col)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    yes_no = {"yes", "no", None}
    for header in ("Bundled price", "Cooperation duty", "Service levels", "IP assignment"):
        assert {r[headers.index(header)] for r in rows} <= yes_no


def test_every_contract_field_has_a_column():
    model = base_model()
    export = _Export(model, [], AS_OF, None)
    c = Contract.model_validate(
        {
            **model.contracts[0].model_dump(),
            **{
                "minimum_commitment": {
                    "amount": 1000.0,
                    "currency": "EUR",
                    "shrinks_with_scope": True,
                },
                "note": "n",
                "exclusivity": ["online-marketing"],
                "cross_termination": ["psp-contract"],
                "transfer_basis": "standard-contractual-clauses",
            },
        }
    )
    values = {h: get(c) for h, get in contract_columns(export)}
    shown = set()
    for name in Contract.model_fields:
        if name == "id":
            continue
        # a column shows a field when changing the field changes some column's value
        changed = _flip(c, name)
        after = {h: get(changed) for h, get in contract_columns(export)}
        if after != values:
            shown.add(name)
    assert shown == set(Contract.model_fields) - {"id"}


def _flip(c: Contract, name: str) -> Contract:
    data = c.model_dump()
    value = data[name]
    flips = {
        "name": "Other name",
        "party": "psp",
        "covers": ["payments"],
        "start": date(2020, 1, 1),
        "end": date(2030, 1, 1),
        "renewal_term_months": 24,
        "notice_period_months": 9,
        "termination_for_convenience": "none",
        "partial_termination": "none",
        "insourcing_rights": [],
        "minimum_commitment": None,
        "exclusivity": [],
        "cross_termination": [],
        "exit_plan": {"exists": False, "last_tested": None},
        "transition_assistance": {"months": 1, "same_service_levels": False},
        "data_return": {"format": None, "days": None},
        "marketing_assets": {},
        "transfer_basis": None,
        "personal_data_at_end": "certified-deletion",
        "note": None,
        "payment": {
            "pci_dss_acknowledgement": True,
            "pci_responsibility_matrix": False,
            "hosted_payment_page": False,
        },
        "data_processing_service": "standard",
        "switching": {"notice_months": 2, "exportable_data_listed": True},
    }
    data[name] = (not value) if isinstance(value, bool) else flips[name]
    return Contract.model_validate(data)


def test_dependencies_sheet(sample_book):
    model, _, wb = sample_book
    headers, rows = table(wb["Dependencies"])
    assert headers == ["Function", "Needs", "Kind", "Strength", "Interface activity", "Note"]
    assert len(rows) == len(model.dependencies)
    d = model.dependencies[0]
    assert rows[0][:4] == [
        model.function(d.function).name,
        model.function(d.needs).name,
        d.kind.replace("-", " "),
        d.strength,
    ]


def test_findings_sheet_lists_every_finding_with_its_waiver(tmp_path):
    model = sample()
    found = check(model, as_of=AS_OF)
    target = found[0]
    model.waivers.append(
        Waiver(
            rule=target.rule,
            subjects=list(target.subjects),
            reason="Accepted until the re-tender",
            author="B. Novak",
            until=date(2026, 12, 31),
        )
    )
    findings = check(model, as_of=AS_OF)
    wb = openpyxl.load_workbook(export(model, tmp_path))
    ws = wb["Findings"]
    assert "2026-06-01" in ws["A1"].value
    headers, rows = table(ws)
    assert headers == ["Severity", "Rule", "Message", "Subjects", "Fix", "Waived", "Waiver"]
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        (f.severity, f.rule, f.message, f.fix) for f in findings
    ]
    waived = [r for r in rows if r[5] == "yes"]
    assert len(waived) == sum(f.waived for f in findings) >= 1
    assert "B. Novak until 2026-12-31: Accepted until the re-tender" in waived[0][6]
    names = {p.id: p.name for p in model.parties}
    first = next(f for f in findings if any(s in names for s in f.subjects))
    row = rows[findings.index(first)]
    assert all(names[s] in row[3] for s in first.subjects if s in names)
    assert ws["A3"].fill.fill_type == "solid"


def test_summary_counts_letters_per_party_with_a_bar_chart(sample_book):
    model, _, wb = sample_book
    ws = wb["Summary"]
    headers, rows = table(ws)
    assert headers[:6] == ["Party", "Kind", "R", "A", "C", "I"]
    by_name = {r[0]: r for r in rows}
    for p in model.parties:
        cells = [v for row in model.raci.values() for pid, v in row.items() if pid == p.id]
        row = by_name[p.name]
        for i, letter in enumerate("RACI"):
            assert row[2 + i] == sum(letter in v for v in cells)
    (chart,) = ws._charts
    assert chart.tagname == "barChart" and chart.type == "bar" and chart.grouping == "stacked"
    assert len(chart.series) == 4
    refs = [s.val.numRef.f for s in chart.series]
    assert refs[0] == f"'Summary'!$C$3:$C${len(rows) + 2}"
    assert (
        chart.series[0].cat.numRef.f == f"'Summary'!$A$3:$A${len(rows) + 2}"
        or chart.series[0].cat.strRef.f == f"'Summary'!$A$3:$A${len(rows) + 2}"
    )


def test_extension_letters_get_their_own_summary_column(tricky_book):
    _, _, wb = tricky_book
    headers, _ = table(wb["Summary"])
    assert "S" in headers
    assert "S = Supportive" in wb["RACI"]["B3"].value


# --- text safety -----------------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_written_as_text(tricky_book):
    model, path, wb = tricky_book
    texts = set(FORMULA_LIKE.values())
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(L.FORMULA_TRIGGERS):
                    assert cell.data_type == "s", cell.coordinate
                    assert cell.quotePrefix, cell.coordinate
                    found.setdefault(cell.value, []).append(f"{ws.title}!{cell.coordinate}")
    assert texts <= set(found)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name


def test_characters_xml_cannot_hold_are_dropped(tmp_path):
    model = base_model()
    model.parties[0].name = "E-commerce\x01 team\x0b"
    wb = openpyxl.load_workbook(export(model, tmp_path))
    _, cols = locate(wb["RACI"])
    assert wb["RACI"].cell(L.NAMES_ROW, cols["ecom"]).value == "E-commerce team"


def test_an_empty_model_exports(tmp_path):
    wb = openpyxl.load_workbook(export(Model(name="Empty"), tmp_path))
    assert wb.sheetnames == SHEETS and wb["RACI"]["B1"].value == "Empty"


def test_a_model_with_internal_parties_only(tmp_path):
    model = base_model()
    model.parties.append(Party(id="ops", name="Operations", kind="internal"))
    only_internal = Model(name="Teams", parties=[p for p in model.parties if p.kind == "internal"])
    wb = openpyxl.load_workbook(export(only_internal, tmp_path))
    assert wb["RACI"].cell(L.GROUP_ROW, L.FIRST_PARTY_COL).value == "Internal parties"


# --- progress and atomic writes --------------------------------------------------------


def test_progress_is_reported_up_to_the_total(tmp_path):
    model = generate(functions=12, activities=700, parties=8, dependencies=20, contracts=3)
    calls = []
    export(model, tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 4
    done = [d for d, _ in calls]
    assert done == sorted(done) and len({t for _, t in calls}) == 1
    assert calls[-1][0] == calls[-1][1] and calls[-2][0] < calls[-1][1]


def test_a_cancelled_export_writes_nothing_and_keeps_the_old_file(tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"the user's edited workbook")
    with pytest.raises(ExportCancelled):
        export_workbook(sample(), out, as_of=AS_OF, progress=lambda done, total: False)
    assert out.read_bytes() == b"the user's edited workbook"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_a_failing_export_leaves_no_half_written_file(tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")

    def boom(done, total):
        if done < total:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        export_workbook(sample(), out, as_of=AS_OF, progress=boom)
    assert out.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.xlsx"]


def test_the_export_replaces_an_old_file_whole(tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    export_workbook(sample(), out, as_of=AS_OF)
    assert openpyxl.load_workbook(out).sheetnames == SHEETS
    assert os.listdir(tmp_path) == ["out.xlsx"]


# --- command line ----------------------------------------------------------------------


def run(capsys, *args):
    try:
        code = cli.main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "raci.xlsx"
    code, stdout, err = run(capsys, "export", str(SAMPLE), "-o", str(out), "--as-of", "2026-06-01")
    assert code == 0 and err == ""
    assert "55 activities x 11 parties" in stdout and "2026-06-01" in stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS and "2026-06-01" in wb["Findings"]["A1"].value


def test_cli_export_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "raci.xlsx"
    out.write_bytes(b"edits")
    code, _, err = run(capsys, "export", str(SAMPLE), "-o", str(out))
    assert code == 2 and "the file exists" in err and "--force" in err
    assert out.read_bytes() == b"edits"
    code, _, err = run(capsys, "export", str(SAMPLE), "-o", str(out), "--force")
    assert code == 0 and openpyxl.load_workbook(out).sheetnames == SHEETS


@pytest.mark.parametrize(
    "name, message",
    [
        ("raci.csv", "name the workbook .xlsx"),
        ("missing/raci.xlsx", "does not exist"),
    ],
)
def test_cli_export_bad_output(tmp_path, capsys, name, message):
    code, _, err = run(capsys, "export", str(SAMPLE), "-o", str(tmp_path / name))
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_export_bad_model(tmp_path, capsys):
    bad = tmp_path / "bad.ecomraci.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, "export", str(bad), "-o", str(tmp_path / "out.xlsx"))
    assert code == 2 and "bad.ecomraci.json" in err and "Traceback" not in err
    assert not (tmp_path / "out.xlsx").exists()


def test_each_sheet_declares_its_true_size(sample_book):
    _, path, wb = sample_book
    declared = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        assert declared[ws.title].calculate_dimension() == ws.dimensions, ws.title
