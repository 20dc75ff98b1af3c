"""Read the RACI sheet of an edited workbook back into a model, as a plan of changes.

`plan_import(model, path)` returns an `ImportPlan`: the cells that differ between the
sheet and the model (`CellChange`, also as `ecomraci.edits.SetRaci` edits, so that the
app can apply them as one undoable step), the parties the sheet adds (only with
``create_parties``) and warnings. Nothing is written; `ImportPlan.apply_to` gives the new
model.

How the sheet is read:

* Rows and columns are found by the stable ids in the hidden id column and id row
  (`ecomraci.xlsx.layout`), so sorted, moved, hidden or filtered rows and columns are
  fine. A row or column a user added has no id: it is matched by its activity or party
  name (case and spaces do not matter). An unknown party name is an error unless
  ``create_parties``; an unknown activity name is an error when its row holds letters.
* A cell may hold ``A/R``, ``A,R``, ``a r``, ``RA``...: `normalize_letters` folds them.
  Anything else is an error naming the sheet and cell (``RACI!F12``). A formula cell
  counts with its saved result; one without a saved result is an error.
* The sheet sets the cells of the rows and columns it has. Activities and parties of the
  model that have no row or column in the sheet keep their cells (a warning says so):
  deleting a row in Excel never deletes data by accident.
* Every problem raises `ecomraci.store.ModelFileError` (the workbook, the cell, what is
  wrong), so the command line shows it as it does for model files.

Safety: the file's size, the zip container's unpacked size and compression ratio (a zip
bomb) are checked before openpyxl opens it; Python's zipfile never unpacks more than an
entry declares, so these declared sizes bound the work. openpyxl parses the XML through
defusedxml, which refuses entity declarations (billion laughs) and external entities;
the import refuses to run when defusedxml is not in use.

Time and memory are bounded by `ReadLimits`, checked before openpyxl does the slow work:
openpyxl loads the workbook's whole table of shared strings (those of every sheet) even
in read-only mode, so that table's size and count are checked first; then the RACI sheet
alone is scanned with expat for its rows, cells and merged ranges, and refused at the
first row or cell beyond a limit. Only then does openpyxl read that one sheet, streaming
(``read_only``). Merged ranges in the header or the grid are errors naming the range: a
merge keeps only its first cell's value.
"""

from __future__ import annotations

import functools
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ecomraci.edits import SetRaci, apply_edit_in_place
from ecomraci.model import (
    RACI_LETTERS,
    Model,
    Party,
    PartyKind,
    display_letters,
    normalize_letters,
)
from ecomraci.store import ModelFileError
from ecomraci.text import quoted, shorten
from ecomraci.xlsx import layout as L

MiB = 1024 * 1024
MAX_PROBLEMS = 20  # problems counted in one error message
HEADER_SEARCH_ROWS = 50  # the id row is looked for in this many top rows


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 50 * MiB
    max_unpacked_bytes: int = 256 * MiB  # all parts of the zip together
    max_ratio: float = 300.0  # unpacked / packed, for parts over ratio_floor_bytes
    ratio_floor_bytes: int = 1 * MiB
    # The RACI sheet: a model of 2,000 activities in 300 functions has about 2,300 rows
    # of 200 party columns. Cells count every cell the sheet stores, formatted blank
    # ones too (openpyxl reads each, at about 15 microseconds apiece).
    max_rows: int = 20_000
    max_columns: int = 2_000
    max_cells: int = 1_000_000
    # The workbook's table of shared strings (every sheet's), which openpyxl loads whole.
    max_shared_strings: int = 200_000
    max_shared_strings_bytes: int = 32 * MiB


@dataclass(frozen=True)
class CellChange:
    """One RACI cell that the import changes; letters are canonical, "" for none."""

    activity: str
    party: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        return "removed" if not self.after else "changed"

    def to_json(self) -> dict[str, Any]:
        return {
            "activity": self.activity,
            "party": self.party,
            "before": self.before or None,
            "after": self.after or None,
        }


@dataclass
class ImportPlan:
    changes: list[CellChange] = field(default_factory=list)
    edits: list[SetRaci] = field(default_factory=list)
    new_parties: list[Party] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def apply_to(self, model: Model) -> Model:
        """A copy of `model` with the new parties added and the edits applied."""
        copy = model.model_copy(deep=True)
        copy.parties.extend(p.model_copy(deep=True) for p in self.new_parties)
        for edit in self.edits:
            apply_edit_in_place(copy, edit)
        return copy

    def describe(self, model: Model) -> list[str]:
        """One line per change, for people: ``changed  Run campaigns / Agency: R -> A/R``."""
        names = {p.id: p.name for p in [*model.parties, *self.new_parties]}
        names.update((a.id, a.name) for a in model.activities)
        lines = []
        for c in self.changes:
            before = display_letters(c.before) if c.before else "(none)"
            after = display_letters(c.after) if c.after else "(none)"
            lines.append(
                f"{c.kind:<8} {names.get(c.activity, c.activity)} / "
                f"{names.get(c.party, c.party)}: {before} -> {after}"
            )
        return lines


# --- reading the container --------------------------------------------------------------


def _fail(source: str, place: str, problem: str) -> ModelFileError:
    return ModelFileError(source, place, problem)


def _check_container(path: Path, source: str, limits: ReadLimits) -> None:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise _fail(source, "", "this is a folder, not an Excel workbook")
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise _fail(source, "", "no such file") from None
    except OSError as exc:
        raise _fail(source, "", f"cannot be read ({exc.strerror or exc})") from None
    if size > limits.max_file_bytes:
        raise _fail(
            source,
            "",
            f"the file is {size / MiB:.0f} MB, more than the "
            f"{limits.max_file_bytes // MiB} MB an imported workbook may have",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(
            source,
            "",
            "this is an old-style .xls file or a password-protected "
            "workbook; save it as an Excel workbook (.xlsx) without a password "
            "and import that",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_parts(archive, infos, source, limits)
            _check_shared_strings(archive, source, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _fail(
            source,
            "",
            "not an Excel workbook (.xlsx), or a damaged one; export "
            "one with `ecomraci export`, or save the sheet as .xlsx",
        ) from None


def _check_parts(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], source: str, limits: ReadLimits
) -> None:
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        other = (
            " (it looks like an OpenDocument file: save it as .xlsx)"
            if ("content.xml" in names)
            else ""
        )
        raise _fail(source, "", f"not an Excel workbook (.xlsx): it has no xl/workbook.xml{other}")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise _fail(
                source,
                info.filename,
                f"refused: this part would unpack {info.compress_size} bytes into "
                f"{info.file_size / MiB:.0f} MB (ratio {ratio:.0f}), the mark of a "
                f"zip bomb",
            )
        if total > limits.max_unpacked_bytes:
            raise _fail(
                source,
                "",
                f"refused: the workbook unpacks to more than {limits.max_unpacked_bytes // MiB} MB",
            )
    # Entity declarations sit in an XML part's prolog, before its first element: parse
    # each part with defusedxml that far, whichever parser openpyxl later uses for it.
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as stream:
                try:
                    for _ in iterparse(stream, events=("start",)):
                        break
                except DefusedXmlException as exc:
                    raise _entity_attack(source, info.filename, exc) from None
                except ParseError:
                    pass  # damaged XML: openpyxl says what it makes of it


class _Stop(Exception):
    """Ends an expat scan early: what was needed has been seen."""


def _local(name: str) -> str:
    return name.rpartition(" ")[2]  # expat gives "namespace local-name"


def _scan(stream: IO[bytes], start: Callable[[str, dict[str, str]], None], **more: Any) -> None:
    """Run expat over `stream`, calling `start(local name, attributes)` for each element
    (and `more`'s handlers): C speed, no tree. A part that declares entities is refused
    here too (`_check_parts` has refused it already); damaged XML ends the scan quietly,
    and openpyxl, which stops at the same place, says what is wrong."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def no_entities(*_args: Any) -> None:
        raise DefusedXmlException("an entity declaration")

    parser.EntityDeclHandler = no_entities
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    for handler, function in more.items():
        setattr(parser, handler, function)
    try:
        parser.ParseFile(stream)
    except (expat.ExpatError, _Stop):
        pass


def _check_shared_strings(archive: zipfile.ZipFile, source: str, limits: ReadLimits) -> None:
    """Refuse a table of shared strings beyond the limits, before openpyxl loads it whole.

    The table is found as openpyxl finds it, by its content type."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    try:
        manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        found = manifest.find(SHARED_STRINGS)
        part = found.PartName[1:] if found is not None else None
        info = archive.getinfo(part) if part else None
    except DefusedXmlException as exc:
        raise _entity_attack(source, ARC_CONTENT_TYPES, exc) from None
    except (KeyError, ValueError, TypeError, AttributeError, SyntaxError):
        return  # no table, or a damaged manifest: openpyxl says what it makes of it
    if info is None:
        return
    assert part is not None
    hint = (
        "; a workbook holds the strings of all its sheets in one table: keep the RACI "
        "sheet in a workbook of its own"
    )
    if info.file_size > limits.max_shared_strings_bytes:
        raise _fail(
            source,
            part,
            f"refused: the table of shared strings is {info.file_size / MiB:.0f} MB, "
            f"more than the {limits.max_shared_strings_bytes // MiB} MB an import reads{hint}",
        )
    too_many = _fail(
        source,
        part,
        f"refused: the workbook has more than {limits.max_shared_strings:,} different "
        f"strings, more than an import reads{hint}",
    )
    count = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal count
        if name == "si":
            count += 1
            if count > limits.max_shared_strings:
                raise too_many
        elif name == "sst":
            declared = attrs.get("uniqueCount", "")
            if declared.isdigit() and int(declared) > limits.max_shared_strings:
                raise too_many

    with archive.open(info) as stream:
        try:
            _scan(stream, start)
        except DefusedXmlException as exc:
            raise _entity_attack(source, part, exc) from None


def _scan_sheet(stream: IO[bytes], source: str, limits: ReadLimits) -> list[str]:
    """Check the RACI sheet's XML against the limits, fast, before openpyxl reads it:
    refused at the first cell past `max_cells` or the first value below `max_rows`.
    Returns the sheet's merged ranges (``C7:E7``), as written."""
    merges: list[str] = []
    row = cells = 0
    cell_ref = ""
    reading = has_value = False  # in a cell's value, formula or inline text; found one

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, cells, cell_ref, reading, has_value
        if name == "c":
            cells += 1
            if cells > limits.max_cells:
                raise _fail(
                    source,
                    f"{L.RACI_SHEET}!{shorten(attrs.get('r', ''), 20)}".rstrip("!"),
                    f"refused: the sheet has more than {limits.max_cells:,} cells, "
                    "more than an import reads",
                )
            cell_ref, has_value = attrs.get("r", ""), False
        elif name in ("v", "f", "t"):
            reading = True
        elif name == "row":
            number = attrs.get("r", "")
            row = int(number) if number.isdigit() else row + 1
        elif name == "mergeCell":
            merges.append(attrs.get("ref", ""))

    def end(name: str) -> None:
        nonlocal reading
        name = _local(name)
        if name in ("v", "f", "t"):
            reading = False
        elif name == "c" and has_value and row > limits.max_rows:
            raise _fail(
                source,
                f"{L.RACI_SHEET}!{shorten(cell_ref, 20)}",
                f"the sheet has more than {limits.max_rows:,} rows, more than an import reads",
            )

    def text(data: str) -> None:
        nonlocal has_value
        if reading and not has_value and data.strip():
            has_value = True

    try:
        _scan(stream, start, EndElementHandler=end, CharacterDataHandler=text)
    except DefusedXmlException as exc:
        raise _entity_attack(source, "", exc) from None
    return merges


def _open_workbook(path: Path, source: str, data_only: bool):
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise _fail(
            source,
            "",
            "refused: Excel files are read only with defusedxml in use "
            "(install defusedxml, and do not set OPENPYXL_DEFUSEDXML=False)",
        )
    fh = open(path, "rb")
    try:
        # A file object, so that openpyxl does not judge the file by its extension.
        reader = _sheet_reader()(fh, read_only=True, data_only=data_only, keep_links=False)
        reader.read()
    except BaseException as exc:
        fh.close()
        raise _read_error(source, "", exc) from None
    return reader.wb, fh, reader.titles


@functools.cache
def _sheet_reader() -> type:
    """openpyxl's reader of a workbook, made to read the RACI sheet only.

    `openpyxl.load_workbook` opens every worksheet and chartsheet, even in read-only
    mode: it parses each worksheet up to its ``<dimension>`` element (the whole sheet
    when there is none) and each chartsheet whole. This reader makes the RACI sheet
    (chosen as `_raci_title` chooses) the workbook's only sheet, skips the dimension
    (the import goes by the cells), and leaves the defined names unbound (print titles
    and areas; an import does not use them). `titles` lists every sheet's name."""
    from openpyxl.reader.excel import ExcelReader, apply_stylesheet
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            pass

    class Reader(ExcelReader):
        titles: list[str]

        def read(self) -> None:
            action = "read manifest"
            try:
                self.read_manifest()
                action = "read strings"
                self.read_strings()
                action = "read workbook"
                self.read_workbook()
                action = "read stylesheet"
                apply_stylesheet(self.archive, self.wb)
                action = "read worksheets"
                self.read_worksheets()
            except ValueError as exc:
                raise ValueError(f"could not {action}") from exc

        def read_worksheets(self) -> None:
            found = list(self.parser.find_sheets())
            self.titles = [sheet.name for sheet, _ in found]
            title = _raci_title(self.titles)
            for sheet, rel in found:
                # A chartsheet or a missing part: no grid, reported as no RACI sheet.
                if (
                    sheet.name == title
                    and rel.target in self.valid_files
                    and "chartsheet" not in rel.Type
                ):
                    ws = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                    ws.sheet_state = sheet.state
                    self.wb._sheets.append(ws)
                    break

    return Reader


def _raci_title(titles: list[str]) -> str | None:
    """The name of the RACI sheet among `titles`: the exact name, or one with other
    case or spaces around it."""
    return next((t for t in titles if t == L.RACI_SHEET), None) or next(
        (t for t in titles if t.strip().casefold() == L.RACI_SHEET.casefold()), None
    )


def _entity_attack(source: str, place: str, exc: Exception) -> ModelFileError:
    return _fail(
        source,
        place,
        "refused: the XML declares entities or refers to external "
        f"ones ({type(exc).__name__}), which spreadsheet programs never write; "
        "it may be an XML entity attack",
    )


def _read_error(source: str, place: str, exc: BaseException) -> BaseException:
    """The user's message for an exception raised while openpyxl reads."""
    if isinstance(exc, (ModelFileError, KeyboardInterrupt, SystemExit, MemoryError)):
        return exc
    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps what went wrong in a ValueError of its own
        if isinstance(cause, DefusedXmlException):
            return _entity_attack(source, place, cause)
        cause = cause.__cause__ or cause.__context__
    detail = shorten((str(exc).strip().splitlines() or [""])[0])
    return _fail(
        source,
        place,
        f"the workbook is damaged or not one Excel writes ({type(exc).__name__}: {detail})",
    )


@dataclass
class _Grid:
    rows: list[list[Any]]
    formulas: dict[tuple[int, int], str]  # (row, col), 0-based -> formula text
    merges: list[str] = field(default_factory=list)  # merged ranges, as written


def _read_sheet(path: Path, source: str, limits: ReadLimits, data_only: bool) -> _Grid:
    wb, fh, titles = _open_workbook(path, source, data_only)
    try:
        title = _raci_title(wb.sheetnames)
        if title is None:
            found = ", ".join(quoted(t, 40) for t in titles[:20]) or "none"
            if len(titles) > 20:
                found += f" and {len(titles) - 20} more"
            raise _fail(
                source,
                "",
                f'no sheet named "{L.RACI_SHEET}" (sheets found: {found}); '
                f"import reads the RACI sheet of a workbook written by "
                f"`ecomraci export`",
            )
        ws = wb[title]
        merges: list[str] = []
        if not data_only:  # the second reading, of formulas' results, is of the same sheet
            with zipfile.ZipFile(path) as archive, archive.open(ws._worksheet_path) as stream:
                merges = _scan_sheet(stream, source, limits)
        ws.reset_dimensions()  # go by the cells, not by what the file declares
        rows: list[list[Any]] = []
        formulas: dict[tuple[int, int], str] = {}
        for r, row in enumerate(ws.iter_rows(), start=1):
            values = [c.value for c in row]
            while values and (values[-1] is None or values[-1] == ""):
                values.pop()
            if r > limits.max_rows:
                if values:
                    raise _fail(
                        source,
                        f"{L.RACI_SHEET}!A{r}",
                        f"the sheet has more than "
                        f"{limits.max_rows} rows, more than an import reads",
                    )
                break  # empty, perhaps formatted, rows below (the scan found no value)
            if len(values) > limits.max_columns + L.FIRST_PARTY_COL:
                raise _fail(
                    source,
                    f"{L.RACI_SHEET}!{_col(len(values) - 1)}{r}",
                    f"the sheet has more than {limits.max_columns} party columns, "
                    f"more than an import reads",
                )
            for c, cell in enumerate(row[: len(values)]):
                if cell.data_type == "f":
                    formulas[(r - 1, c)] = str(cell.value)
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        return _Grid(rows, formulas, merges)
    except BaseException as exc:
        raise _read_error(source, "", exc) from None
    finally:
        wb.close()
        fh.close()


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- making sense of the sheet ---------------------------------------------------------


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


class _Problems:
    def __init__(self, source: str):
        self.source = source
        self.items: list[tuple[str, str]] = []

    def add(self, row: int, col: int, problem: str) -> None:
        self.add_at(f"{_col(col)}{row + 1}", problem)

    def add_at(self, place: str, problem: str) -> None:
        if len(self.items) < MAX_PROBLEMS + 1:
            self.items.append((f"{L.RACI_SHEET}!{place}", problem))

    def raise_any(self) -> None:
        if not self.items:
            return
        place, problem = self.items[0]
        more = len(self.items) - 1
        if more:
            count = f"{more}+" if len(self.items) > MAX_PROBLEMS else str(more)
            problem += f" ({count} more problem{'s' if more > 1 else ''} after this one)"
        raise ModelFileError(self.source, place, problem)


def _cell(rows: list[list[Any]], r: int, c: int) -> Any:
    row = rows[r]
    return row[c] if c < len(row) else None


def _find_header(grid: _Grid, source: str) -> tuple[int, int, int, int]:
    """(ids row, names row, id column, name column), 0-based."""
    rows = grid.rows
    for r in range(min(len(rows), HEADER_SEARCH_ROWS)):
        for c, value in enumerate(rows[r]):
            if isinstance(value, str) and value.strip() == L.ID_MARKER:
                ids_row, id_col = r, c
                break
        else:
            continue
        break
    else:
        raise ModelFileError(
            source,
            L.RACI_SHEET,
            "the hidden row of ids is missing: this "
            "sheet was not written by `ecomraci export`, or that row was "
            "deleted; export the model again and edit the new workbook",
        )
    name_col = next(
        (
            c
            for c, v in enumerate(rows[ids_row])
            if isinstance(v, str) and v.strip() == L.NAME_MARKER
        ),
        None,
    )
    if name_col is None:
        raise ModelFileError(
            source,
            f"{L.RACI_SHEET}!{_col(id_col)}{ids_row + 1}",
            "the hidden row of ids does not mark the activity-name column; "
            "export the model again and edit the new workbook",
        )
    names_row = next(
        (
            r
            for r in range(ids_row + 1, min(len(rows), ids_row + 10))
            if _text(_cell(rows, r, id_col)) == L.NAMES_ROW_MARKER
        ),
        None,
    )
    if names_row is None:
        raise ModelFileError(
            source,
            f"{L.RACI_SHEET}!{_col(id_col)}{ids_row + 2}",
            "the row of party names is missing below the hidden id row; "
            "export the model again and edit the new workbook",
        )
    return ids_row, names_row, id_col, name_col


def _check_merges(merges: list[str], ids_row: int, problems: _Problems) -> None:
    """Merged ranges from the hidden id row down are errors: a merge keeps only its
    first cell's value, so letters or names under the others would be lost unseen."""
    from openpyxl.utils.cell import range_boundaries

    for ref in merges:
        try:
            _, _, _, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            problems.add_at(
                shorten(ref, 40), "a merged range that cannot be read; unmerge the cells"
            )
            continue
        if max_row is not None and max_row > ids_row:
            problems.add_at(
                ref,
                "merged cells: a merged range keeps only its first cell's value, so the "
                "letters or names under the other cells would be lost; unmerge the cells "
                "and type the letters in each",
            )


def _letters(text: str) -> tuple[str, str]:
    """(canonical letters, "") for a typed RACI cell, or ("", the problem)."""
    try:
        letters = normalize_letters(text)
    except ValueError:
        return "", (
            f"{quoted(text.strip())} is not one of R, A, C, I (or "
            "a combination such as A/R; S and V are accepted too)"
        )
    typed = [ch for ch in text.upper() if ch in RACI_LETTERS]
    if len(typed) != len(letters):  # as in a model file, which refuses "AA"
        repeated = "".join(ch for ch in letters if typed.count(ch) > 1)
        return "", (
            f"{quoted(text.strip())}: a RACI letter is repeated ({', '.join(repeated)}); "
            "type each letter once"
        )
    return letters, ""


def _unique_id(name: str, taken: set[str]) -> str:
    from ecomraci.operations import new_id

    candidate = new_id(name, taken)
    taken.add(candidate)
    return candidate


def _note_renamed(plan: ImportPlan, cell: str, name: str, model_name: str) -> None:
    """Warn that a row or column was renamed in the sheet: only letters come back."""
    if name and _norm(name) != _norm(model_name):
        plan.warnings.append(
            f"{L.RACI_SHEET}!{cell}: the name {quoted(name)} differs from the model's "
            f"{quoted(model_name)}; names are not imported, only letters"
        )


def plan_import(
    model: Model,
    xlsx_path: str | Path,
    create_parties: bool = False,
    limits: ReadLimits | None = None,
) -> ImportPlan:
    """The changes that make `model`'s RACI cells match the workbook's RACI sheet."""
    limits = limits or ReadLimits()
    path = Path(xlsx_path)
    source = str(xlsx_path)
    _check_container(path, source, limits)
    grid = _read_sheet(path, source, limits, data_only=False)
    cached: _Grid | None = None
    if grid.formulas:
        cached = _read_sheet(path, source, limits, data_only=True)
    return _plan(model, grid, cached, source, create_parties)


def _plan(
    model: Model, grid: _Grid, cached: _Grid | None, source: str, create_parties: bool
) -> ImportPlan:
    rows = grid.rows
    ids_row, names_row, id_col, name_col = _find_header(grid, source)
    first_data = max(ids_row, names_row) + 1
    problems = _Problems(source)
    _check_merges(grid.merges, ids_row, problems)
    plan = ImportPlan()
    width = max((len(r) for r in rows), default=0)
    fixed = {id_col, name_col}

    def value_at(r: int, c: int) -> Any:
        if cached is not None and (r, c) in grid.formulas:
            return _cell(cached.rows, r, c) if r < len(cached.rows) else None
        return _cell(rows, r, c)

    # Which columns hold anything below the header.
    filled_cols: dict[int, int] = {}  # column -> first row with a value
    for r in range(first_data, len(rows)):
        for c, v in enumerate(rows[r]):
            if v is not None and c not in filled_cols and c not in fixed and _filled(v):
                filled_cols[c] = r

    # --- rows: activities ------------------------------------------------------------
    activities = {a.id: a for a in model.activities}
    by_name: dict[str, list[str]] = defaultdict(list)
    for a in model.activities:
        by_name[_norm(a.name)].append(a.id)
    functions = {f.id: f for f in model.functions}
    row_activity: dict[int, str] = {}
    seen_rows: dict[str, int] = {}
    for r in range(first_data, len(rows)):
        row = rows[r]
        first_value = next((c for c, v in enumerate(row) if c not in fixed and _filled(v)), None)
        row_id = _text(_cell(rows, r, id_col))
        name = _text(_cell(rows, r, name_col))
        aid: str | None = None
        if row_id.startswith(L.FUNCTION_PREFIX):
            if first_value is not None:
                fid = row_id[len(L.FUNCTION_PREFIX) :]
                label = functions[fid].name if fid in functions else name
                problems.add(
                    r,
                    first_value,
                    f"{quoted(_text(row[first_value]))} sits in the band "
                    f"row of the function {quoted(label)}; letters go in activity rows",
                )
            continue
        if row_id:
            if row_id in activities:
                aid = row_id
                _note_renamed(plan, f"{_col(name_col)}{r + 1}", name, activities[aid].name)
            elif first_value is not None:
                problems.add(
                    r,
                    name_col,
                    f"activity id {quoted(row_id)} ({quoted(name)}) is not in the "
                    "model; was the activity deleted after the export?",
                )
                continue
            else:
                continue
        elif name:
            matches = by_name.get(_norm(name), [])
            if len(matches) == 1:
                aid = matches[0]
            elif first_value is None:
                continue
            elif matches:
                problems.add(
                    r,
                    name_col,
                    f"{quoted(name)} is the name of {len(matches)} activities; "
                    "copy the row of the one you mean instead of typing its name",
                )
                continue
            else:
                problems.add(
                    r,
                    name_col,
                    f"{quoted(name)} is not an activity of the model; add it "
                    "in the app first (an import changes RACI cells only)",
                )
                continue
        else:
            if first_value is not None:
                problems.add(
                    r,
                    first_value,
                    f"{quoted(_text(row[first_value]))} is in a row with no activity name",
                )
            continue
        if aid in seen_rows:
            problems.add(
                r,
                name_col,
                f"the activity {quoted(activities[aid].name)} has two rows "
                f"({seen_rows[aid] + 1} and {r + 1}); keep one",
            )
            continue
        seen_rows[aid] = r
        row_activity[r] = aid

    # --- columns: parties --------------------------------------------------------------
    parties = {p.id: p for p in model.parties}
    party_by_name: dict[str, list[str]] = defaultdict(list)
    for p in model.parties:
        party_by_name[_norm(p.name)].append(p.id)
    col_party: dict[int, str] = {}
    seen_cols: dict[str, int] = {}
    pending_new: list[tuple[int, str]] = []  # (column, name) of parties to create
    for c in range(width):
        if c in fixed:
            continue
        pid = _text(_cell(rows, ids_row, c))
        name = _text(_cell(rows, names_row, c))
        has_letters = c in filled_cols
        party: str | None = None
        if pid:
            if pid in parties:
                party = pid
                _note_renamed(plan, f"{_col(c)}{names_row + 1}", name, parties[pid].name)
            elif has_letters:
                problems.add(
                    names_row,
                    c,
                    f"party id {quoted(pid)} ({quoted(name)}) is not in the model; "
                    "was the party deleted after the export?",
                )
                continue
            else:
                continue
        elif name:
            matches = party_by_name.get(_norm(name), [])
            if len(matches) == 1:
                party = matches[0]
            elif not has_letters:
                continue
            elif matches:
                problems.add(
                    names_row,
                    c,
                    f"{quoted(name)} is the name of {len(matches)} parties; "
                    "copy the column of the one you mean instead of typing its name",
                )
                continue
            elif create_parties:
                pending_new.append((c, name))
                continue
            else:
                problems.add(
                    names_row,
                    c,
                    f"{quoted(name)} is not a party of the model; add it in "
                    "the app first, or import with --create-parties",
                )
                continue
        else:
            if has_letters:
                r = filled_cols[c]
                problems.add(r, c, f"{quoted(_text(rows[r][c]))} is in a column with no party name")
            continue
        if party in seen_cols:
            problems.add(
                names_row,
                c,
                f"the party {quoted(parties[party].name)} has two columns "
                f"({_col(seen_cols[party])} and {_col(c)}); keep one",
            )
            continue
        seen_cols[party] = c
        col_party[c] = party

    # Parties named in columns the model does not have (create_parties).
    taken = set(parties)
    created: dict[str, str] = {}  # normalised name -> new id
    for c, name in pending_new:
        key = _norm(name)
        if key in created:
            problems.add(names_row, c, f"the new party {quoted(name)} has two columns; keep one")
            continue
        if len(name) > 200:
            problems.add(names_row, c, "a party name may have at most 200 characters")
            continue
        known = [k for k in col_party if k < c] or list(col_party)
        neighbour = min(known, key=lambda k: abs(k - c)) if known else None
        kind: str = parties[col_party[neighbour]].kind if neighbour is not None else "internal"
        new = Party(id=_unique_id(name, taken), name=name, kind=PartyKind(kind))
        created[key] = new.id
        plan.new_parties.append(new)
        col_party[c] = new.id
        plan.warnings.append(
            f"{L.RACI_SHEET}!{_col(c)}{names_row + 1}: new party {quoted(name)} (id {new.id}, "
            f"{kind}, like the column next to it); check its kind and category in the app"
        )

    # --- the cells ---------------------------------------------------------------------
    found: list[CellChange] = []
    columns = list(col_party.items())
    # typed text -> (letters, problem); a sheet holds few distinct texts
    folded: dict[str, tuple[str, str]] = {}
    for r, aid in row_activity.items():
        row = rows[r]
        width = len(row)
        current = model.raci.get(aid, {})
        for c, pid in columns:
            value = row[c] if c < width else None
            if grid.formulas and (r, c) in grid.formulas:
                value = value_at(r, c)
                if cached is None or not _filled(value):
                    problems.add(
                        r,
                        c,
                        f"holds a formula ({shorten(grid.formulas[(r, c)])}) with no "
                        "saved result; type the letters instead",
                    )
                    continue
            if value is None:
                letters = ""
            elif isinstance(value, str):
                read = folded.get(value)
                if read is None:
                    read = folded[value] = _letters(value)
                letters, wrong = read
                if wrong:
                    problems.add(r, c, wrong)
                    continue
            else:
                problems.add(
                    r, c, f"{quoted(value)} is not one of R, A, C, I (or a combination such as A/R)"
                )
                continue
            before = current.get(pid, "")
            if letters != before:
                found.append(CellChange(aid, pid, before, letters))
    problems.raise_any()

    # --- the plan, in the model's order ------------------------------------------------
    new_ids = [p.id for p in plan.new_parties]
    party_order = {pid: i for i, pid in enumerate([p.id for p in model.parties] + new_ids)}
    activity_order = {a.id: i for i, a in enumerate(model.activities)}
    found.sort(key=lambda ch: (activity_order[ch.activity], party_order[ch.party]))
    plan.changes = found
    plan.edits = [SetRaci(activity=ch.activity, party=ch.party, letters=ch.after) for ch in found]

    missing_rows = [a.name for a in model.activities if a.id not in seen_rows]
    missing_cols = [p.name for p in model.parties if p.id not in seen_cols]
    for what, names in (("activities", missing_rows), ("parties", missing_cols)):
        if names:
            shown = ", ".join(quoted(n) for n in names[:5])
            more = f" and {len(names) - 5} more" if len(names) > 5 else ""
            plan.warnings.append(
                f"{len(names)} {what} of the model are not in the sheet "
                f"({shown}{more}); their cells are left as they are"
            )
    return plan
