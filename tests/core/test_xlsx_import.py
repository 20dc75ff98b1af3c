"""Reading an edited workbook back (`ecomraci import`, `ecomraci.xlsx.plan_import`): the
edits a spreadsheet user makes, the mistakes they make, hostile files, and the command
line's dry run, diff and atomic update."""

from __future__ import annotations

import json
import random
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bench.generate import generate
from ecomraci import cli, store
from ecomraci.edits import SetRaci, apply_edits
from ecomraci.store import ModelFileError
from ecomraci.xlsx import ReadLimits, importer, plan_import
from ecomraci.xlsx import layout as L
from tests.core import xlsx_kit as kit
from tests.core.xlsx_kit import changes, coordinate, edit_raci, export, locate, set_cell


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return kit.sample_workbook(tmp_path_factory.mktemp("import"))


def problem(model, path, **kwargs) -> str:
    with pytest.raises(ModelFileError) as info:
        plan_import(model, path, **kwargs)
    return str(info.value)


# --- round trips -----------------------------------------------------------------------


def test_an_untouched_workbook_gives_no_changes(exported):
    model, path = exported
    plan = plan_import(model, path)
    assert plan.changes == [] and plan.edits == [] and plan.new_parties == []
    assert plan.warnings == []


def test_formula_like_names_and_extension_letters_come_back_unchanged(tmp_path):
    model = kit.tricky_model()
    assert plan_import(model, export(model, tmp_path)).changes == []


def test_a_changed_letter_is_exactly_one_change(exported, tmp_path):
    model, path = exported
    assert model.letters("sm-strategy", "marketing-dept") == "C"
    edited = set_cell(path, tmp_path / "e.xlsx", "sm-strategy", "marketing-dept", "I")
    plan = plan_import(model, edited)
    assert changes(plan) == [("sm-strategy", "marketing-dept", "C", "I")]
    assert plan.edits == [SetRaci(activity="sm-strategy", party="marketing-dept", letters="I")]
    assert plan.changes[0].kind == "changed"


def test_added_changed_and_removed_cells(exported, tmp_path):
    model, path = exported
    assert model.letters("sm-strategy", "legal-dept") == ""
    assert model.letters("sm-strategy", "it-team") == "I"

    def change(ws):
        rows, cols = locate(ws)
        ws.cell(rows["sm-strategy"], cols["legal-dept"]).value = "C"
        ws.cell(rows["sm-strategy"], cols["it-team"]).value = None
        ws.cell(rows["sm-strategy"], cols["ecom-team"]).value = "A"

    plan = plan_import(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert {(c.party, c.kind, c.before, c.after) for c in plan.changes} == {
        ("legal-dept", "added", "", "C"),
        ("it-team", "removed", "I", ""),
        ("ecom-team", "changed", "AR", "A"),
    }
    new = plan.apply_to(model)
    assert new.letters("sm-strategy", "legal-dept") == "C"
    assert "it-team" not in new.raci["sm-strategy"]
    assert apply_edits(model, plan.edits) == new
    assert model.letters("sm-strategy", "it-team") == "I"  # the original is untouched


@pytest.mark.parametrize(
    "typed, letters",
    [
        ("A/R", "AR"),
        ("a/r", "AR"),
        ("A,R", "AR"),
        ("AR", "AR"),
        ("RA", "AR"),
        (" a r ", "AR"),
        ("r", "R"),
        ("c", "C"),
        ("  I  ", "I"),
        ("A; R", "AR"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_letters_are_read_the_way_people_type_them(exported, tmp_path, typed, letters):
    model, path = exported
    edited = set_cell(path, tmp_path / "e.xlsx", "sm-strategy", "legal-dept", typed)
    plan = plan_import(model, edited)
    expected = [("sm-strategy", "legal-dept", "", letters)] if letters else []
    assert changes(plan) == expected


def test_reordered_rows_and_columns_are_matched_by_their_ids(exported, tmp_path):
    model, path = exported
    rng = random.Random(4)

    def shuffle(ws):
        last_row, last_col = ws.max_row, ws.max_column
        grid = [
            [ws.cell(r, c).value for c in range(1, last_col + 1)] for r in range(1, last_row + 1)
        ]
        data = grid[L.FIRST_DATA_ROW - 1 :]
        rng.shuffle(data)  # a sort by any column, bands and all
        grid[L.FIRST_DATA_ROW - 1 :] = data
        order = list(range(L.FIRST_PARTY_COL - 1, last_col))
        rng.shuffle(order)  # columns cut and pasted elsewhere
        for row in grid:
            row[L.FIRST_PARTY_COL - 1 :] = [row[i] for i in order]
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                ws.cell(r, c).value = value
        rows, cols = locate(ws)
        ws.cell(rows["sm-strategy"], cols["marketing-dept"]).value = "i"

    plan = plan_import(model, edit_raci(path, tmp_path / "e.xlsx", shuffle))
    assert changes(plan) == [("sm-strategy", "marketing-dept", "C", "I")]


def test_a_row_added_by_hand_is_matched_by_activity_name(exported, tmp_path):
    model, path = exported
    activity = model.activity("sm-strategy")

    def change(ws):
        rows, cols = locate(ws)
        ws.delete_rows(rows["sm-strategy"])  # the user deletes the row ...
        r = ws.max_row + 2  # ... and types it again at the bottom, without an id
        ws.cell(r, L.NAME_COL).value = "  " + activity.name.upper() + " "
        ws.cell(r, cols["ecom-team"]).value = "A/R"
        ws.cell(r, cols["legal-dept"]).value = "I"
        ws.cell(r + 1, L.NAME_COL).value = "A note without letters"

    plan = plan_import(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert {(c.activity, c.party, c.after) for c in plan.changes} == {
        ("sm-strategy", "legal-dept", "I"),
        ("sm-strategy", "marketing-dept", ""),
        ("sm-strategy", "finance-dept", ""),
        ("sm-strategy", "purchasing-dept", ""),
        ("sm-strategy", "it-team", ""),
        ("sm-strategy", "operations-dept", ""),
    }


def test_an_unknown_activity_name_with_letters_is_an_error(exported, tmp_path):
    model, path = exported

    def change(ws):
        _, cols = locate(ws)
        ws.cell(ws.max_row + 1, L.NAME_COL).value = "Count the pallets"
        ws.cell(ws.max_row, cols["ecom-team"]).value = "R"

    edited = edit_raci(path, tmp_path / "e.xlsx", change)
    wb = openpyxl.load_workbook(edited)
    row = wb["RACI"].max_row
    assert problem(model, edited) == (
        f'{edited}: RACI!B{row}: "Count the pallets" is not an activity of the model; add it '
        "in the app first (an import changes RACI cells only)"
    )


def test_rows_and_columns_the_user_deleted_keep_their_cells(exported, tmp_path):
    model, path = exported

    def change(ws):
        rows, cols = locate(ws)
        ws.delete_cols(cols["parcelway"])
        ws.delete_rows(rows["sm-strategy"])

    plan = plan_import(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert plan.changes == []
    assert any(
        "1 activities of the model are not in the sheet" in w
        and model.activity("sm-strategy").name in w
        for w in plan.warnings
    )
    assert any(
        "1 parties of the model are not in the sheet" in w and "Parcelway" in w
        for w in plan.warnings
    )


def test_renamed_headers_are_warned_about_not_imported(exported, tmp_path):
    model, path = exported

    def change(ws):
        rows, cols = locate(ws)
        ws.cell(rows["sm-strategy"], L.NAME_COL).value = "Strategy (renamed)"
        ws.cell(L.NAMES_ROW, cols["it-team"]).value = "Information technology"

    plan = plan_import(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert plan.changes == []
    assert any('"Strategy (renamed)" differs' in w for w in plan.warnings)
    assert any('"Information technology" differs' in w for w in plan.warnings)


# --- parties -----------------------------------------------------------------------------


def add_column(path: Path, dst: Path, name: str, letters: dict[str, str]) -> Path:
    def change(ws):
        rows, _ = locate(ws)
        c = ws.max_column + 1
        ws.cell(L.NAMES_ROW, c).value = name
        for activity, value in letters.items():
            ws.cell(rows[activity], c).value = value

    return edit_raci(path, dst, change)


def test_an_unknown_party_name_is_an_error(exported, tmp_path):
    model, path = exported
    edited = add_column(path, tmp_path / "e.xlsx", "Ghost Agency", {"sm-strategy": "C"})
    col = openpyxl.utils.get_column_letter(openpyxl.load_workbook(edited)["RACI"].max_column)
    assert problem(model, edited) == (
        f'{edited}: RACI!{col}6: "Ghost Agency" is not a party of the model; add it in the '
        "app first, or import with --create-parties"
    )


def test_create_parties_adds_the_party_with_the_kind_of_its_neighbours(exported, tmp_path):
    model, path = exported
    edited = add_column(
        path, tmp_path / "e.xlsx", "Ghost Agency", {"sm-strategy": "C", "sm-trading": "r"}
    )
    plan = plan_import(model, edited, create_parties=True)
    (party,) = plan.new_parties
    assert (party.id, party.name, party.kind) == ("ghost-agency", "Ghost Agency", "external")
    assert changes(plan) == [
        ("sm-strategy", "ghost-agency", "", "C"),
        ("sm-trading", "ghost-agency", "", "R"),
    ]
    new = plan.apply_to(model)
    store.save(new, tmp_path / "new.ecomraci.json")
    again = store.load(tmp_path / "new.ecomraci.json")
    assert again.party("ghost-agency").kind == "external"
    assert again.letters("sm-trading", "ghost-agency") == "R"


def test_a_column_without_its_id_is_matched_by_party_name(exported, tmp_path):
    model, path = exported

    def change(ws):
        rows, cols = locate(ws)
        ws.cell(L.IDS_ROW, cols["legal-dept"]).value = None
        ws.cell(L.NAMES_ROW, cols["legal-dept"]).value = "legal"
        ws.cell(rows["sm-strategy"], cols["legal-dept"]).value = "I"

    plan = plan_import(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert changes(plan) == [("sm-strategy", "legal-dept", "", "I")]


def test_a_party_in_two_columns_is_an_error(exported, tmp_path):
    model, path = exported
    edited = add_column(path, tmp_path / "e.xlsx", "Legal", {"sm-strategy": "C"})
    assert 'the party "Legal" has two columns' in problem(model, edited)


# --- mistakes, with the cell they are in -------------------------------------------------


def test_a_bad_letter_names_sheet_and_cell(exported, tmp_path):
    model, path = exported
    edited = set_cell(path, tmp_path / "e.xlsx", "sm-strategy", "finance-dept", "X")
    coord = coordinate(edited, "sm-strategy", "finance-dept")
    message = problem(model, edited)
    assert message.startswith(f'{edited}: RACI!{coord}: "X" is not one of R, A, C, I')


def test_every_problem_is_counted(exported, tmp_path):
    model, path = exported

    def change(ws):
        rows, cols = locate(ws)
        for pid in ("ecom-team", "it-team", "legal-dept"):
            ws.cell(rows["sm-strategy"], cols[pid]).value = "Q"

    message = problem(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert (
        '"Q" is not one of R, A, C, I' in message and "(2 more problems after this one)" in message
    )


@pytest.mark.parametrize("value, shown", [(3, "3"), (True, "True"), ("A/X", "A/X")])
def test_numbers_and_other_values_are_rejected(exported, tmp_path, value, shown):
    model, path = exported
    edited = set_cell(path, tmp_path / "e.xlsx", "sm-strategy", "finance-dept", value)
    coord = coordinate(edited, "sm-strategy", "finance-dept")
    assert f'RACI!{coord}: "{shown}" is not one of R, A, C, I' in problem(model, edited)


def test_letters_in_a_function_band_are_an_error(exported, tmp_path):
    model, path = exported

    def change(ws):
        ws.cell(L.FIRST_DATA_ROW, L.FIRST_PARTY_COL).value = "A"

    message = problem(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert f'RACI!C{L.FIRST_DATA_ROW}: "A" sits in the band row of the function' in message


def test_a_duplicated_row_is_an_error(exported, tmp_path):
    model, path = exported

    def change(ws):
        rows, _ = locate(ws)
        r = ws.max_row + 1
        for c in range(1, ws.max_column + 1):
            ws.cell(r, c).value = ws.cell(rows["sm-strategy"], c).value

    message = problem(model, edit_raci(path, tmp_path / "e.xlsx", change))
    assert f'the activity "{model.activity("sm-strategy").name}" has two rows' in message


def test_a_formula_without_a_saved_result_is_reported(exported, tmp_path):
    model, path = exported
    edited = set_cell(path, tmp_path / "e.xlsx", "sm-strategy", "finance-dept", '="A"')
    coord = coordinate(edited, "sm-strategy", "finance-dept")
    assert f'RACI!{coord}: holds a formula (="A") with no saved result' in problem(model, edited)


def test_a_formula_counts_with_its_saved_result(exported, tmp_path):
    model, path = exported
    edited = set_cell(path, tmp_path / "e.xlsx", "sm-strategy", "finance-dept", '=LOWER("A")')
    coord = coordinate(edited, "sm-strategy", "finance-dept")
    # What Excel does on save: keep the formula and store its result next to it.
    with_result = rewrite_part(
        edited,
        tmp_path / "cached.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: store_result(xml, coord, "a"),
    )
    plan = plan_import(model, with_result)
    assert changes(plan) == [("sm-strategy", "finance-dept", "C", "A")]


def test_a_sheet_that_was_not_exported_by_ecomraci(exported, tmp_path):
    model, _ = exported
    wb = openpyxl.Workbook()
    wb.active.title = "RACI"
    wb.active["A1"] = "Activity"
    wb.save(tmp_path / "plain.xlsx")
    assert "the hidden row of ids is missing" in problem(model, tmp_path / "plain.xlsx")


def test_no_raci_sheet(exported, tmp_path):
    model, path = exported
    wb = openpyxl.load_workbook(path)
    wb["RACI"].title = "Matrix"
    wb.save(tmp_path / "renamed.xlsx")
    message = problem(model, tmp_path / "renamed.xlsx")
    assert 'no sheet named "RACI" (sheets found: "Matrix", "Sourcing"' in message


def test_a_lower_case_sheet_name_is_fine(exported, tmp_path):
    model, path = exported
    wb = openpyxl.load_workbook(path)
    wb["RACI"].title = "matrix"  # openpyxl refuses a title that differs in case only
    wb["matrix"].title = "raci"
    wb.save(tmp_path / "lower.xlsx")
    assert plan_import(model, tmp_path / "lower.xlsx").changes == []


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Activity,Party\n", "not an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old-style .xls file or a password"),
        (b"", "not an Excel workbook (.xlsx)"),
    ],
)
def test_files_that_are_not_workbooks(exported, tmp_path, content, message):
    model, _ = exported
    bad = tmp_path / "in.xlsx"
    bad.write_bytes(content)
    assert message in problem(model, bad)


def test_an_opendocument_file_is_named_as_such(exported, tmp_path):
    model, _ = exported
    with zipfile.ZipFile(tmp_path / "in.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument" in problem(model, tmp_path / "in.xlsx")


def test_missing_file_and_folder(exported, tmp_path):
    model, _ = exported
    assert problem(model, tmp_path / "nope.xlsx").endswith("nope.xlsx: no such file")
    assert "a folder" in problem(model, tmp_path)


def test_a_damaged_workbook(exported, tmp_path):
    model, path = exported
    damaged = rewrite_part(path, tmp_path / "d.xlsx", "xl/workbook.xml", lambda xml: xml[:200])
    assert "the workbook is damaged or not one Excel writes" in problem(model, damaged)


# --- hostile files and limits ------------------------------------------------------------


def rewrite_part(src: Path, dst: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return dst


def store_result(xml: str, coord: str, value: str) -> str:
    root = etree.fromstring(xml.encode())
    ns = {"m": root.nsmap[None]}
    (cell,) = root.xpath(f"//m:c[@r='{coord}']", namespaces=ns)
    cell.set("t", "str")
    v = cell.find("m:v", ns)
    if v is None:
        v = etree.SubElement(cell, f"{{{ns['m']}}}v")
    v.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()


LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi"))
    + "]>"
)


def with_doctype(xml: str, doctype: str) -> str:
    declaration_end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    return xml[:declaration_end] + doctype + xml[declaration_end:]


def test_an_xml_entity_attack_is_refused(exported, tmp_path):
    model, path = exported
    attack = rewrite_part(
        path,
        tmp_path / "laughs.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: with_doctype(xml, LAUGHS).replace("<t>ecomraci:id</t>", "<t>&i;</t>", 1),
    )
    message = problem(model, attack)
    assert "xl/worksheets/sheet1.xml: refused: the XML declares entities" in message
    assert "XML entity attack" in message


def test_an_external_entity_is_refused(exported, tmp_path):
    model, path = exported
    xxe = '<!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    attack = rewrite_part(
        path, tmp_path / "xxe.xlsx", "xl/workbook.xml", lambda xml: with_doctype(xml, xxe)
    )
    assert "refused: the XML declares entities" in problem(model, attack)


def test_openpyxl_itself_reads_through_defusedxml(exported, tmp_path):
    """Past our own check of each part, openpyxl parses sheets with defusedxml too."""
    model, path = exported
    assert openpyxl.DEFUSEDXML
    attack = rewrite_part(
        path,
        tmp_path / "laughs.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: with_doctype(xml, LAUGHS),
    )
    with pytest.raises(ModelFileError, match="XML entity attack"):
        importer._read_sheet(attack, str(attack), ReadLimits(), data_only=False)


def test_without_defusedxml_in_use_nothing_is_read(exported, monkeypatch):
    model, path = exported
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    assert "read only with defusedxml in use" in problem(model, path)


def test_a_zip_bomb_is_refused_before_unpacking(exported, tmp_path):
    model, _ = exported
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (8 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    message = problem(model, bomb)
    assert "xl/worksheets/sheet1.xml: refused: this part would unpack" in message
    assert "zip bomb" in message


@pytest.mark.parametrize(
    "limits, message",
    [
        (ReadLimits(max_file_bytes=1000), "more than the 0 MB an imported workbook may have"),
        (ReadLimits(max_unpacked_bytes=10_000), "refused: the workbook unpacks to more than"),
        (ReadLimits(max_rows=20), "the sheet has more than 20 rows"),
        (ReadLimits(max_columns=5), "the sheet has more than 5 party columns"),
    ],
)
def test_limits(exported, limits, message):
    model, path = exported
    assert message in problem(model, path, limits=limits)


# --- the command line ------------------------------------------------------------------


def run(capsys, *args):
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workspace(exported, tmp_path):
    """A model file, and a workbook of it with one letter changed."""
    model, path = exported
    model_path = tmp_path / "shop.ecomraci.json"
    shutil.copy(kit.SAMPLE, model_path)
    edited = set_cell(path, tmp_path / "edited.xlsx", "sm-strategy", "marketing-dept", "I")
    return model_path, edited


def test_cli_dry_run_shows_the_change_and_writes_nothing(workspace, capsys):
    model_path, edited = workspace
    before = model_path.read_bytes()
    folder = sorted(p.name for p in model_path.parent.iterdir())
    code, out, err = run(capsys, "import", model_path, edited, "--dry-run")
    assert code == 0 and err == ""
    assert "1 change (0 added, 1 changed, 0 removed)" in out
    assert "changed  Set online strategy, targets and budget / Marketing: C -> I" in out
    assert "Dry run: nothing written." in out
    assert model_path.read_bytes() == before
    assert sorted(p.name for p in model_path.parent.iterdir()) == folder


def test_cli_json_diff(workspace, capsys):
    model_path, edited = workspace
    code, out, _ = run(capsys, "import", model_path, edited, "--dry-run", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["changes"] == [
        {"activity": "sm-strategy", "party": "marketing-dept", "before": "C", "after": "I"}
    ]
    assert doc["dry_run"] is True and doc["written"] is None and doc["warnings"] == []


def test_cli_import_updates_the_model_atomically_and_keeps_a_backup(workspace, capsys):
    model_path, edited = workspace
    before = model_path.read_bytes()
    code, out, err = run(capsys, "import", model_path, edited)
    assert code == 0, err
    assert f"{model_path} updated; the previous version is in {model_path}.bak." in out
    assert store.load(model_path).letters("sm-strategy", "marketing-dept") == "I"
    assert (model_path.parent / (model_path.name + ".bak")).read_bytes() == before
    assert not [p for p in model_path.parent.iterdir() if p.name.endswith(".tmp")]
    # Importing the same workbook again changes nothing and writes nothing.
    after = model_path.read_bytes()
    code, out, _ = run(capsys, "import", model_path, edited)
    assert code == 0 and "No changes" in out and model_path.read_bytes() == after


def test_cli_import_to_a_new_model_leaves_the_old_one(workspace, capsys):
    model_path, edited = workspace
    before = model_path.read_bytes()
    new_path = model_path.parent / "new.ecomraci.json"
    code, out, _ = run(capsys, "import", model_path, edited, "-o", new_path, "--format", "json")
    assert code == 0 and json.loads(out)["written"] == str(new_path)
    assert model_path.read_bytes() == before
    assert store.load(new_path).letters("sm-strategy", "marketing-dept") == "I"


def test_cli_create_parties(exported, tmp_path, capsys):
    model, path = exported
    model_path = tmp_path / "shop.ecomraci.json"
    shutil.copy(kit.SAMPLE, model_path)
    edited = add_column(path, tmp_path / "e.xlsx", "Ghost Agency", {"sm-strategy": "C"})
    code, _, err = run(capsys, "import", model_path, edited)
    assert code == 2 and "--create-parties" in err and "Traceback" not in err
    code, out, _ = run(capsys, "import", model_path, edited, "--create-parties")
    assert code == 0 and "new party 'Ghost Agency' (id ghost-agency, external)" in out
    assert store.load(model_path).letters("sm-strategy", "ghost-agency") == "C"


def test_cli_bad_workbook_exits_2_with_the_cell(workspace, capsys, tmp_path):
    model_path, edited = workspace
    bad = set_cell(edited, tmp_path / "bad.xlsx", "sm-strategy", "finance-dept", "X")
    before = model_path.read_bytes()
    code, out, err = run(capsys, "import", model_path, bad)
    coord = coordinate(bad, "sm-strategy", "finance-dept")
    assert code == 2 and out == ""
    assert err.startswith(f'ecomraci: {bad}: RACI!{coord}: "X" is not one of R, A, C, I')
    assert "Traceback" not in err and model_path.read_bytes() == before


def test_cli_bad_model_exits_2(tmp_path, capsys, exported):
    _, path = exported
    code, _, err = run(capsys, "import", tmp_path / "missing.json", path)
    assert code == 2 and "missing.json: no such file" in err


# --- a property: export then import changes nothing --------------------------------------


names = st.text(min_size=1, max_size=24)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    functions=st.integers(1, 6),
    activities=st.integers(0, 24),
    parties=st.integers(2, 9),
    renames=st.lists(st.tuples(st.integers(0, 100), names), max_size=6),
)
def test_export_then_import_changes_nothing(
    tmp_path, seed, functions, activities, parties, renames
):
    model = generate(
        functions=functions,
        activities=activities,
        parties=parties,
        dependencies=min(3, functions * (functions - 1)),
        contracts=min(2, parties // 2),
        seed=seed,
    )
    objects = model.parties + model.activities + model.functions
    for index, name in renames:  # any text a user may give a party, activity or function
        objects[index % len(objects)].name = name
    path = export(model, tmp_path, f"p{seed}.xlsx")
    plan = plan_import(model, path)
    assert plan.changes == [] and plan.edits == [] and plan.new_parties == []
    assert not [w for w in plan.warnings if "not in the sheet" in w]


def test_a_renamed_party_or_activity_is_only_a_warning(tmp_path):
    from openpyxl import load_workbook

    from ecomraci import store
    from ecomraci.xlsx import export_workbook, plan_import

    model = store.load(
        Path(__file__).resolve().parents[2] / "samples" / "vip-promotion.ecomraci.json"
    )
    out = tmp_path / "raci.xlsx"
    export_workbook(model, out)
    book = load_workbook(out)
    sheet = book["RACI"]
    party, activity = model.parties[0].name, model.activities[0].name
    renamed = 0
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value in (party, activity):
                cell.value = f"{cell.value} (renamed)"
                renamed += 1
    assert renamed >= 2
    book.save(out)
    plan = plan_import(model, out)
    assert plan.changes == []
    notes = [w for w in plan.warnings if "names are not imported" in w]
    assert any(f'"{party} (renamed)"' in w for w in notes)
    assert any(f'"{activity} (renamed)"' in w for w in notes)
    assert all(w.startswith("RACI!") for w in notes)
