"""Write a model as an Excel workbook (openpyxl, write-only mode).

Sheets: RACI (the matrix people edit and hand around), Sourcing, Contract terms,
Contract data, Exit register, Dependencies, Findings and Summary (letter counts per party with a bar chart); with a
saved scenario chosen, a Scenario sheet after them (`ecomraci.xlsx.scenario_sheet`).

Choices worth knowing:

* The workbook is streamed (openpyxl's write-only mode), so a 2,000 x 200 matrix costs
  little memory and time. Matrix cells carry no style of their own: colours come from
  conditional formatting over the whole matrix, so they follow what a user types, and one
  list data validation covers the whole range. Only names, headers and bands are styled.
* Every text a user typed is written as a text cell; text that begins with ``=``, ``+``,
  ``-`` or ``@`` also gets the quote prefix, so that neither the file nor a later edit of
  the cell turns it into a formula. Characters XML cannot hold are dropped.
* Every sheet prints: landscape on A4 (or US Letter, `paper`), one page wide, the
  header rows and the first column on every page, the model's name, the as-of date and
  page numbers in the header and footer, one font family (Arial), a thin grid, and row
  heights worked out for wrapped text (spreadsheet programs do not all grow a row).
* The file is written atomically: the workbook is built in memory and replaces the target
  in one `os.replace`, so an interrupted export never leaves a half-written file.
"""

from __future__ import annotations

import io
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.comments import Comment
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation

from ecomraci import palette as P
from ecomraci.model import (
    CORE_LETTERS,
    LETTER_NAMES,
    RACI_LETTERS,
    MarketingAsset,
    Model,
    display_letters,
)
from ecomraci.store import writable_target, write_text_atomic
from ecomraci.xlsx import layout as L

# progress(done, total) -> False to cancel; any other return value goes on.
Progress = Callable[[int, int], Any]

PROGRESS_STEP = 250  # rows between two progress calls
MAX_COMMENT_ITEMS = 6  # findings listed in one cell comment
# A finding about a few (activity, party) cells comments on those cells; one about more
# (say, seven owners missing on a change activity) comments on its activities' name
# cells instead of repeating the same text along the row.
MAX_CELLS_PER_FINDING = 4

# Fill and font of each letter in the matrix (conditional formatting), in the order the
# rules are tried: a cell holding A/R takes the A colour. The app's colours
# (`ecomraci.palette`), so that an A looks the same on screen and in the workbook.
LETTER_COLOURS = {
    letter: (P.xlsx(swatch.fill), P.xlsx(swatch.text)) for letter, swatch in P.LETTERS.items()
}
SEVERITY_FILLS = {s: P.xlsx(swatch.fill) for s, swatch in P.SEVERITIES.items()}

_THIN = Side(style="thin", color=P.xlsx(P.GRID))
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# One font family throughout, the workbook's default included: Arial is on Windows and
# macOS, and LibreOffice prints it with Liberation Sans, which has the same widths, so the
# row heights worked out below hold wherever the workbook is printed.
FONT_NAME = "Arial"
FONT_SIZE = 10
BODY_FONT = Font(name=FONT_NAME, size=FONT_SIZE, color=P.xlsx(P.TEXT))
LINE_HEIGHT = 12.75  # points a line of the 10-point font takes
ROW_PADDING = 3.0
# Characters of running text a column holds per digit of its width: Arial's letters
# average about 0.8 of a digit; this errs towards a line too many (a test prints the
# Findings through LibreOffice and finds every word on the page).
CHARS_PER_DIGIT = 1.2

# Paper: A4, or US Letter in the regions that use it (an explicit setting; A4 when none).
PAPER_SIZES = {"a4": 9, "letter": 1}  # SpreadsheetML paperSize codes
LETTER_REGIONS = frozenset(
    {"US", "CA", "MX", "PH", "PR", "CL", "CO", "VE", "GT", "CR", "PA", "SV", "NI", "DO", "BZ"}
)
PAPER_WIDTHS = {"a4": 841.89, "letter": 792.0}  # landscape, points
MARGIN_IN = 0.4  # left and right margins (inches); header and footer sit in top and bottom
# Fit to the page width prints a sheet no smaller than this: 10-point text at 7.5 points.
# A table wider than that gets its text columns narrowed (their text wraps) to fit.
LEAST_PRINT_SCALE = 0.75


def paper_for_locale(locale: str | None) -> str:
    """The paper a locale prints on: "letter" for US, Canada, Mexico and the other
    Letter-using regions (``en_US``, ``fr-CA``, ``es_MX.UTF-8``), "a4" otherwise and when
    no locale is given."""
    if not locale:
        return "a4"
    region = re.split(r"[_-]", locale.split(".")[0].split("@")[0])
    return "letter" if len(region) > 1 and region[-1].upper() in LETTER_REGIONS else "a4"


def _font(**kwargs: Any) -> Font:
    kwargs.setdefault("color", P.xlsx(P.TEXT))
    return Font(name=FONT_NAME, size=kwargs.pop("size", FONT_SIZE), **kwargs)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


@dataclass(frozen=True)
class _Look:
    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    border: Border | None = None

    def apply(self, cell: Cell, cache: dict[int, Any] | None = None) -> Cell:
        """Style `cell`; with a cache (one per workbook), the look's style array is built
        once and copied, which saves openpyxl a style look-up per attribute and cell."""
        if cache is not None:
            style = cache.get(id(self))
            if style is None:
                style = cache[id(self)] = copy(self.apply(cell)._style)
            else:
                cell._style = copy(style)
            return cell
        if self.font is not None:
            cell.font = self.font
        if self.fill is not None:
            cell.fill = self.fill
        if self.alignment is not None:
            cell.alignment = self.alignment
        if self.border is not None:
            cell.border = self.border
        return cell


TITLE = _Look(font=_font(bold=True, size=14, color=P.xlsx(P.TEXT)))
NOTE = _Look(font=_font(italic=True, color=P.xlsx(P.MUTED)))
HEADER = _Look(
    font=_font(bold=True, color=P.xlsx(P.TEXT)),
    fill=_fill(P.xlsx(P.HEADER)),
    alignment=Alignment(vertical="bottom", wrap_text=True),
    border=_BOX,
)
# A party's name above its column, in its side's colours (as the app's matrix header).
PARTY_HEADER = {
    kind: _Look(
        font=_font(bold=True, color=P.xlsx(P.SIDES[kind].text)),
        fill=_fill(P.xlsx(P.SIDES[kind].fill)),
        border=_BOX,
        alignment=Alignment(
            text_rotation=90, horizontal="center", vertical="bottom", wrap_text=True
        ),
    )
    for kind in ("internal", "external")
}
# "Internal teams" / "Outside parties" above the party names: the side's strong colour,
# as the map's bar beside its lanes.
GROUP_BAND = {
    kind: _Look(
        font=_font(bold=True, color=P.xlsx(P.WHITE)), fill=_fill(P.xlsx(P.SIDES[kind].strong))
    )
    for kind in ("internal", "external")
}
FUNCTION_BAND_FILL = P.xlsx(P.BAND)
FUNCTION_BAND = _Look(
    font=_font(bold=True, color=P.xlsx(P.TEXT)), fill=_fill(FUNCTION_BAND_FILL), border=_BOX
)
ACTIVITY = _Look(alignment=Alignment(indent=1), border=_BOX)
SEVERITY = {
    s: _Look(
        fill=_fill(SEVERITY_FILLS[s]),
        font=_font(bold=True, color=P.xlsx(swatch.text)),
        alignment=Alignment(vertical="top"),
        border=_BOX,
    )
    for s, swatch in P.SEVERITIES.items()
}
CENTRED = Alignment(horizontal="center")
WRAP = _Look(alignment=Alignment(wrap_text=True, vertical="top"), border=_BOX)
# A table's cells: a thin grid, text at the top (a wrapped neighbour makes the row tall).
CELL = _Look(alignment=Alignment(vertical="top"), border=_BOX)
# A matrix cell: the letters centred in a thin grid.
# A look's style is cached whole, number format included: dates get a look of their own.
DATE_CELL = _Look(alignment=Alignment(vertical="top", horizontal="left"), border=_BOX)
LETTER_CELL = _Look(alignment=Alignment(horizontal="center", vertical="center"), border=_BOX)


class ExportCancelled(Exception):
    """The progress callback asked to stop; no file was written."""


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _cell(
    ws: Any, value: Any, look: _Look | None = None, cache: dict[int, Any] | None = None
) -> Any:
    """A value ready for ``ws.append``: text is made safe, a look makes a styled cell.

    Text starting with a formula trigger becomes a text cell with the quote prefix; other
    values pass through (openpyxl types numbers and dates itself).
    """
    if isinstance(value, str):
        value = _clean(value)
        if value.startswith(L.FORMULA_TRIGGERS):
            cell = WriteOnlyCell(ws, value)
            if look is not None:
                look.apply(cell)
            cell.data_type = "s"  # never a formula, whatever the text
            cell.quotePrefix = True
            return cell
    if look is None:
        return value
    return look.apply(WriteOnlyCell(ws, value), cache)


def _declare_size(ws: Any, ref: str) -> None:
    """Have the sheet's <dimension> written, which a streamed sheet cannot know by itself:
    openpyxl writes it when the sheet answers `calculate_dimension`, and readers (openpyxl's
    read-only mode among them) otherwise scan the whole sheet to learn its size."""
    ws.calculate_dimension = lambda: ref


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def _words(value: Any) -> str | None:
    """An enum value as words: ``per-function`` -> ``per function``."""
    if value is None:
        return None
    return str(getattr(value, "value", value)).replace("-", " ")


def _width(values: Iterable[Any], least: int = 8, most: int = 60) -> float:
    longest = least
    for v in values:
        if v is None:
            continue
        text = v.isoformat() if isinstance(v, date) else str(v)
        longest = max(longest, max((len(line) for line in text.split("\n")), default=0))
    return min(longest, most) + 2


def _wrapped_lines(text: str, width: float) -> int:
    """The lines `text` takes wrapped at word boundaries in a column `width` digits wide:
    a cautious estimate (`CHARS_PER_DIGIT`; one character is kept for the cell's
    padding)."""
    room = max(int(width * CHARS_PER_DIGIT) - 1, 1)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            n = len(word)
            if used and used + 1 + n > room:
                lines += 1
                used = 0
            if used:
                used += 1
            used += n
            while used > room:  # a word longer than the column breaks where it must
                lines += 1
                used -= room
    return max(lines, 1)


def row_height(values: Sequence[Any], widths: Sequence[float], size: float = FONT_SIZE) -> float:
    """The height (points) of a row whose text cells wrap in columns of `widths`: set
    explicitly, since spreadsheet programs do not all grow a row for wrapped text (and
    openpyxl cannot measure it)."""
    most = 1
    for v, width in zip(values, widths):
        if isinstance(v, str):
            most = max(most, _wrapped_lines(v, width))
    return round(LINE_HEIGHT * size / FONT_SIZE * most + ROW_PADDING, 2)


def _chart_text(size: int, bold: bool = False) -> RichText:
    """A chart's text in the workbook's font family, `size` in hundredths of a point."""
    props = CharacterProperties(latin=DrawingFont(typeface=FONT_NAME), sz=size, b=bold)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart_title(text: str, size: int) -> Title:
    """A chart or axis title in the workbook's font family."""
    props = CharacterProperties(latin=DrawingFont(typeface=FONT_NAME), sz=size, b=True)
    run = RegularTextRun(rPr=props, t=text)
    rich = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])])
    return Title(tx=Text(rich=rich), overlay=False)


def column_points(width: float) -> float:
    """A column `width` (digits of the default font) in points: 7 pixels a digit plus 5
    of padding, at 96 pixels an inch."""
    return (int(width * 7 + 0.5) + 5) * 0.75


def fit_widths(widths: list[float], floors: Sequence[float], room: float) -> list[float]:
    """`widths` narrowed, the widest first and none below its floor, until they add up to
    at most `room` points (or every column is at its floor)."""
    widths = list(widths)
    while sum(column_points(w) for w in widths) > room:
        i = max(
            (i for i in range(len(widths)) if widths[i] > floors[i]),
            key=lambda i: widths[i] - floors[i] / 2,
            default=None,
        )
        if i is None:
            break
        widths[i] = max(floors[i], widths[i] - 1)
    return widths


def longest_word(values: Iterable[Any], most: int = 14) -> int:
    longest = 0
    for v in values:
        if isinstance(v, str):
            longest = max(longest, max((len(w) for w in v.split()), default=0))
        elif v is not None:
            longest = max(longest, len(v.isoformat() if isinstance(v, date) else str(v)))
    return min(longest, most)


def _header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return _clean(text).replace("&", "&&")[:80]


class _Export:
    def __init__(
        self,
        model: Model,
        findings: list[Any],
        as_of: date,
        progress: Progress | None,
        paper: str = "a4",
    ):
        if paper not in PAPER_SIZES:
            raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPER_SIZES)}")
        self.paper = paper
        self.model = model
        self.findings = findings
        self.as_of = as_of
        self.progress = progress
        self.wb = Workbook(write_only=True)
        # The default style (every cell without a look of its own) in the one font family.
        self.wb._fonts = IndexedList([BODY_FONT])
        self.wb._named_styles["Normal"].font = copy(BODY_FONT)
        self.done = 0
        self.total = (
            len(model.activities)
            + len(model.functions)
            + len(model.assignments)
            + len(model.contracts)
            + len(model.dependencies)
            + len(findings)
            + len(model.parties)
            + 1
        )
        self._next_report = 0
        self.styles: dict[int, Any] = {}  # id of a module-level _Look -> style array
        self.texts: dict[str, str] = {}  # text as given -> text as written
        self.names: dict[str, str] = {}
        for collection in (
            model.parties,
            model.functions,
            model.activities,
            model.contracts,
            model.forums,
        ):
            for item in collection:
                self.names.setdefault(item.id, item.name)

    def cell(self, ws: Any, value: Any, look: _Look | None = None) -> Any:
        if look is None and type(value) is str:
            # Plain text repeats (function and party names): make each text safe once.
            safe = self.texts.get(value)
            if safe is None:
                safe = _cell(ws, value)
                if type(safe) is str:
                    self.texts[value] = safe
            return safe
        return _cell(ws, value, look, self.styles)

    # --- progress ---------------------------------------------------------------------

    def tick(self) -> None:
        self.done += 1
        if self.progress is None or self.done < self._next_report:
            return
        self._next_report = self.done + PROGRESS_STEP
        # The total is an estimate (one more for the save), so stay below it until the end.
        if self.progress(min(self.done, self.total - 1), self.total) is False:
            raise ExportCancelled("the export was cancelled")

    def name(self, subject: str) -> str:
        if subject in self.names:
            return self.names[subject]
        if "->" in subject:
            a, _, b = subject.partition("->")
            return f"{self.names.get(a, a)} \u2192 {self.names.get(b, b)}"
        return subject

    # --- the sheets -------------------------------------------------------------------

    def build(self) -> Workbook:
        self.raci()
        self.sourcing()
        self.contracts()
        self.exit_register()
        self.dependencies()
        self.findings_sheet()
        self.summary()
        self.wb.properties.title = _clean(self.model.name)[:250]
        self.wb.properties.creator = "ecomraci"
        return self.wb

    def ordered_parties(self) -> list[Any]:
        internal = [p for p in self.model.parties if p.kind == "internal"]
        external = [p for p in self.model.parties if p.kind != "internal"]
        return internal + external

    def comment_index(self, parties: Sequence[Any]):
        """Which RACI-sheet cells carry which finding messages."""
        activity_ids = {a.id for a in self.model.activities}
        party_ids = {p.id for p in parties}
        function_ids = {f.id for f in self.model.functions}
        cells: dict[tuple[str, str], list[str]] = defaultdict(list)
        rows: dict[str, list[str]] = defaultdict(list)
        columns: dict[str, list[str]] = defaultdict(list)
        bands: dict[str, list[str]] = defaultdict(list)
        for f in self.findings:
            if f.waived:
                continue
            text = f"{f.severity.upper()} {f.rule}: {f.message}"
            acts = [s for s in f.subjects if s in activity_ids]
            ps = [s for s in f.subjects if s in party_ids]
            if acts and ps and len(acts) * len(ps) <= MAX_CELLS_PER_FINDING:
                for a in acts:
                    for p in ps:
                        cells[(a, p)].append(text)
            elif acts:
                for a in acts:
                    rows[a].append(text)
            elif ps:
                for p in ps:
                    columns[p].append(text)
            else:
                for fn in (s for s in f.subjects if s in function_ids):
                    bands[fn].append(text)
        return cells, rows, columns, bands

    def raci(self) -> None:
        model = self.model
        ws = self.wb.create_sheet(L.RACI_SHEET)
        parties = self.ordered_parties()
        first = L.FIRST_PARTY_COL
        last = first + len(parties) - 1 if parties else L.NAME_COL
        last_letter = get_column_letter(last)
        party_letters = [get_column_letter(first + i) for i in range(len(parties))]

        by_function: dict[str, list[Any]] = defaultdict(list)
        for a in model.activities:
            by_function[a.function].append(a)
        functions = [f for f in model.functions if by_function.get(f.id)]
        last_row = L.FIRST_DATA_ROW + len(functions) + len(model.activities) - 1

        # Set-up that write-only mode needs before the first row.
        _declare_size(ws, f"A1:{last_letter}{max(last_row, L.NAMES_ROW)}")
        ws.column_dimensions[get_column_letter(L.ID_COL)].hidden = True
        names = [a.name for a in model.activities] + [f.name for f in functions]
        ws.column_dimensions[get_column_letter(L.NAME_COL)].width = _width(names, 24, 60)
        for letter in party_letters:
            ws.column_dimensions[letter].width = 6
        ws.row_dimensions[L.IDS_ROW].hidden = True
        longest = max((len(p.name) for p in parties), default=8)
        ws.row_dimensions[L.NAMES_ROW].height = min(max(60, longest * 5.6 + 8), 220)
        ws.freeze_panes = f"{get_column_letter(first)}{L.FIRST_DATA_ROW}"
        ws.sheet_view.zoomScale = 90
        # The party names and the activity column on every page.
        self.print_setup(
            ws,
            f"{L.GROUP_ROW}:{L.NAMES_ROW}",
            f"{get_column_letter(L.ID_COL)}:{get_column_letter(L.NAME_COL)}",
        )

        used = sorted({ch for row in model.raci.values() for v in row.values() for ch in v})
        extensions = [ch for ch in RACI_LETTERS if ch in used and ch not in CORE_LETTERS]
        legend = ", ".join(f"{ch} = {LETTER_NAMES[ch]}" for ch in "RACI" + "".join(extensions))

        def padded(*values: Any) -> list[Any]:
            return [None] * (L.NAME_COL - 1) + list(values)

        ws.append(padded(self.cell(ws, model.name, TITLE)))
        ws.append(padded(self.cell(ws, f"RACI matrix as of {self.as_of.isoformat()}", NOTE)))
        ws.append(padded(self.cell(ws, legend, NOTE)))

        group_row: list[Any] = padded(None)
        for i, p in enumerate(parties):
            starts = i == 0 or parties[i - 1].kind != p.kind
            label = "Internal parties" if p.kind == "internal" else "External parties"
            group_row.append(self.cell(ws, label if starts else None, GROUP_BAND[p.kind]))
        ws.append(group_row)

        ids_row: list[Any] = [None] * last
        ids_row[L.ID_COL - 1] = L.ID_MARKER
        ids_row[L.NAME_COL - 1] = L.NAME_MARKER
        for i, p in enumerate(parties):
            ids_row[first - 1 + i] = p.id
        ws.append(ids_row)

        cells_notes, row_notes, column_notes, band_notes = self.comment_index(parties)
        names_row: list[Any] = [None] * last
        names_row[L.ID_COL - 1] = L.NAMES_ROW_MARKER
        names_row[L.NAME_COL - 1] = self.cell(ws, "Activity", HEADER)
        for i, p in enumerate(parties):
            names_row[first - 1 + i] = self.with_comment(
                self.cell(ws, p.name, PARTY_HEADER[p.kind]), ws, column_notes.get(p.id)
            )
        ws.append(names_row)

        shown = {
            letters: display_letters(letters)
            for row in model.raci.values()
            for letters in row.values()
        }
        pids = [p.id for p in parties]
        letter_cells = {letters: self.cell(ws, v, LETTER_CELL) for letters, v in shown.items()}
        for function in functions:
            band = self.cell(ws, function.name, FUNCTION_BAND)
            ws.append(
                [
                    L.FUNCTION_PREFIX + function.id,
                    self.with_comment(band, ws, band_notes.get(function.id)),
                ]
            )
            self.tick()
            for a in by_function[function.id]:
                cells = model.raci.get(a.id, {})
                row: list[Any] = [
                    a.id,
                    self.with_comment(self.cell(ws, a.name, ACTIVITY), ws, row_notes.get(a.id)),
                ]
                # Letters centred in a thin box (one styled cell object per combination of
                # letters: a write-only row writes each cell as it goes); an empty cell
                # costs nothing (a conditional format draws its box).
                row.extend(letter_cells[cells[pid]] if pid in cells else None for pid in pids)
                if cells_notes:
                    for j, pid in enumerate(pids):
                        notes = cells_notes.get((a.id, pid))
                        if notes:
                            value = shown[cells[pid]] if pid in cells else None
                            own = self.cell(ws, value, LETTER_CELL) if value else None
                            row[first - 1 + j] = self.with_comment(own, ws, notes)
                ws.append(row)
                self.tick()

        if parties and last_row >= L.FIRST_DATA_ROW:
            self.matrix_rules(
                ws, f"{party_letters[0]}{L.FIRST_DATA_ROW}:{last_letter}{last_row}", used
            )
        ws.auto_filter.ref = (
            f"{get_column_letter(L.NAME_COL)}{L.NAMES_ROW}:"
            f"{last_letter}{max(last_row, L.NAMES_ROW)}"
        )

    @staticmethod
    def with_comment(cell: Any, ws: Any, notes: list[str] | None) -> Any:
        if not notes:
            return cell
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(ws, cell)
        if not cell.has_style:
            # openpyxl's write-only rows reuse an unstyled cell object for the values
            # after it, which would repeat this comment along the row.
            cell.alignment = CENTRED
        shown = notes[:MAX_COMMENT_ITEMS]
        if len(notes) > len(shown):
            shown.append(f"... and {len(notes) - len(shown)} more on the Findings sheet")
        text = _clean("\n\n".join(shown))
        lines = sum(1 + len(t) // 48 for t in shown) + len(shown)
        cell.comment = Comment(text, "ecomraci", height=min(40 + 15 * lines, 420), width=340)
        return cell

    def matrix_rules(self, ws: Any, ref: str, used: Iterable[str]) -> None:
        top_left = ref.split(":")[0]
        id_col = get_column_letter(L.ID_COL)
        prefix = L.FUNCTION_PREFIX
        ws.conditional_formatting.add(
            ref,
            FormulaRule(
                formula=[f'LEFT(${id_col}{L.FIRST_DATA_ROW},{len(prefix)})="{prefix}"'],
                fill=_fill(FUNCTION_BAND_FILL),
                border=_BOX,
                stopIfTrue=True,
            ),
        )
        for letter, (fill, font) in LETTER_COLOURS.items():
            ws.conditional_formatting.add(
                ref,
                FormulaRule(
                    formula=[f'ISNUMBER(SEARCH("{letter}",{top_left}))'],
                    fill=_fill(fill),
                    font=Font(bold=True, color=font),
                    border=_BOX,
                    stopIfTrue=True,
                ),
            )
        # The empty cells' thin boxes (a conditional format costs nothing per cell).
        ws.conditional_formatting.add(ref, FormulaRule(formula=["TRUE"], border=_BOX))
        choices = ["R", "A", "C", "I", "A/R"]
        for letters in sorted({v for row in self.model.raci.values() for v in row.values()}):
            shown = display_letters(letters)
            if shown not in choices and len(",".join(choices + [shown])) <= 250:
                choices.append(shown)
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="RACI letters",
            error="Use R, A, C, I or a combination such as A/R.",
            showInputMessage=False,
        )
        dv.add(ref)
        ws.data_validations.append(dv)

    def fit(self, widths: list[float], floors: Sequence[float]) -> list[float]:
        """Column `widths` narrowed (to their `floors` at most) so that the sheet prints
        one page wide at `LEAST_PRINT_SCALE` or more."""
        room = (PAPER_WIDTHS[self.paper] - 144 * MARGIN_IN) / LEAST_PRINT_SCALE
        return fit_widths(widths, floors, room)

    def print_setup(self, ws: Any, rows: str | None = None, columns: str | None = None) -> None:
        """Page set-up, before the first row (write-only mode writes the sheet properties
        first): landscape on the chosen paper, fitted to one page wide (as many pages
        down as it takes), `rows` and `columns` repeated on every page, the model's name,
        the sheet's name and the as-of date in the header, page numbers in the footer."""
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_SIZES[self.paper]
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = MARGIN_IN
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.page_margins.header = ws.page_margins.footer = 0.25
        ws.print_options.horizontalCentered = True
        if rows:
            ws.print_title_rows = rows
        if columns:
            ws.print_title_cols = columns
        hf = ws.HeaderFooter
        parts = (
            (hf.oddHeader.left, _header_text(self.model.name)),
            (hf.oddHeader.center, "&A"),
            (hf.oddHeader.right, f"As of {self.as_of.isoformat()}"),
            (hf.oddFooter.center, "Page &P of &N"),
        )
        for part, text in parts:
            part.text = text
            part.font = f"{FONT_NAME},Regular"
            part.size = FONT_SIZE  # scaled with the sheet, as the cells are
            part.color = P.xlsx(P.MUTED)

    def table(
        self,
        sheet: str,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        looks: dict[int, Callable[[Any], _Look | None]] | None = None,
        wide: Sequence[int] = (),
        most: int = 40,
        widest: int = 60,
    ) -> Any:
        """A titled table: title row, header row, data rows, frozen and filtered; each
        column as wide as its longest value up to `most` digits (`widest` for the `wide`
        columns, whose text wraps), each row as tall as its wrapped text."""
        ws = self.wb.create_sheet(sheet)
        _declare_size(ws, f"A1:{get_column_letter(len(headers))}{len(rows) + 2}")
        columns = list(zip(*rows)) if rows else [()] * len(headers)
        widths, floors = [], []
        for i, header in enumerate(headers):
            # A header wraps at its spaces: its longest word sets the least width.
            word = max((len(w) for w in header.split()), default=0)
            # (a header is bold, a tenth wider than the body's text)
            floor = max(6, round(word * 1.1), longest_word(columns[i])) + 1
            floors.append(floor)
            widths.append(
                max(floor, _width(columns[i], max(8, word), widest if i in wide else most))
            )
        widths = self.fit(widths, floors)
        for i, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = width
        ws.freeze_panes = "B3"
        # The header row and the first column (what each row is about) on every page.
        self.print_setup(ws, "1:2", "A:A")
        ws.row_dimensions[2].height = row_height(headers, widths)
        tall = set()
        for r, values in enumerate(rows, start=3):
            height = row_height(values, widths)
            if height > LINE_HEIGHT + ROW_PADDING:
                ws.row_dimensions[r].height = height
                tall.add(r)
        ws.append([self.cell(ws, title, TITLE)])
        ws.append([self.cell(ws, h, HEADER) for h in headers])
        looks = looks or {}
        for r, values in enumerate(rows, start=3):
            # A row of one line needs no style (a conditional format draws the grid,
            # which costs nothing per cell); in a taller row every cell's text starts at
            # the top, beside the wrapped text.
            plain = r not in tall
            out = []
            for i, v in enumerate(values):
                look = looks[i](v) if i in looks else None
                if look is None and not plain:
                    wraps = isinstance(v, str) and (len(v) > widths[i] - 2 or "\n" in v)
                    look = WRAP if wraps else DATE_CELL if isinstance(v, date) else CELL
                out.append(self.cell(ws, v, look))
            ws.append(out)
            self.tick()
        last = get_column_letter(len(headers))
        ws.auto_filter.ref = f"A2:{last}{len(rows) + 2}"
        if rows:
            ws.conditional_formatting.add(
                f"A3:{last}{len(rows) + 2}", FormulaRule(formula=["TRUE"], border=_BOX)
            )
        return ws

    def sourcing(self) -> None:
        m = self.model
        by_function: dict[str, list[Any]] = defaultdict(list)
        for a in m.assignments:
            by_function[a.function].append(a)
        rows: list[list[str | int | None]] = []
        for f in m.functions:
            common: list[str | int | None] = [f.name, _words(f.criticality)]
            tail: list[str | int | None] = [_yes_no(f.reversible), f.lead_time_months]
            for a in by_function.get(f.id) or [None]:
                if a is None:
                    rows.append(common + [None, None, None, None] + tail)
                else:
                    contract = self.names.get(a.contract) if a.contract else None
                    kind = m.party(a.party).kind
                    rows.append(
                        common
                        + [self.names[a.party], _words(kind), _words(a.mode), contract]
                        + tail
                    )
        self.table(
            L.SOURCING_SHEET,
            f"Sourcing: who delivers each function ({m.name})",
            [
                "Function",
                "Criticality",
                "Delivering party",
                "Party kind",
                "Mode",
                "Contract",
                "Reversible",
                "Lead time (months)",
            ],
            rows,
        )

    def contracts(self) -> None:
        """The contracts on sheets a person can read on paper, a contract per row (see
        `CONTRACT_SHEETS`), each starting with the contract and its party."""
        columns = contract_columns(self)
        placed = {h for _, _, headers in CONTRACT_SHEETS for h in headers or ()}
        for sheet, title, headers in CONTRACT_SHEETS:
            chosen = [
                (h, get)
                for h, get in columns
                if h in CONTRACT_KEYS or (h in headers if headers is not None else h not in placed)
            ]
            rows = [[get(c) for _, get in chosen] for c in self.model.contracts]
            names = [h for h, _ in chosen]
            wide = [names.index(h) for h in CONTRACT_WRAPPED if h in names]
            self.table(
                sheet, f"{title} ({self.model.name})", names, rows, wide=wide, most=12, widest=26
            )

    def exit_register(self) -> None:
        headers, rows = exit_register_rows(self)
        self.table(
            L.EXIT_REGISTER_SHEET,
            f"Exit register per contract and function, as of {self.as_of.isoformat()} "
            f"({self.model.name})",
            headers,
            rows,
            wide=(0, 8),
        )

    def dependencies(self) -> None:
        rows = []
        for d in self.model.dependencies:
            rows.append(
                [
                    self.names[d.function],
                    self.names[d.needs],
                    _words(d.kind),
                    _words(d.strength),
                    self.names.get(d.interface_activity) if d.interface_activity else None,
                    d.note,
                ]
            )
        self.table(
            L.DEPENDENCIES_SHEET,
            f"Dependencies: a function and what it needs ({self.model.name})",
            ["Function", "Needs", "Kind", "Strength", "Interface activity", "Note"],
            rows,
            wide=(5,),
        )

    def findings_sheet(self) -> None:
        rows = []
        for f in self.findings:
            waiver = None
            if f.waiver is not None:
                w = f.waiver
                until = f" until {w.until.isoformat()}" if w.until else ""
                waiver = f"{w.author}{until}: {w.reason}"
            rows.append(
                [
                    f.severity,
                    f.rule,
                    f.message,
                    ", ".join(self.name(s) for s in f.subjects),
                    f.fix,
                    _yes_no(f.waived),
                    waiver,
                ]
            )
        self.table(
            L.FINDINGS_SHEET,
            f"Findings as of {self.as_of.isoformat()} ({self.model.name})",
            ["Severity", "Rule", "Message", "Subjects", "Fix", "Waived", "Waiver"],
            rows,
            looks={0: SEVERITY.get},
            wide=(2, 3, 4, 6),
        )

    def summary(self) -> None:
        m = self.model
        parties = self.ordered_parties()
        counts = {p.id: dict.fromkeys(RACI_LETTERS, 0) for p in parties}
        for row in m.raci.values():
            for pid, letters in row.items():
                if pid in counts:
                    for ch in letters:
                        counts[pid][ch] += 1
        used = [
            ch for ch in RACI_LETTERS if ch in CORE_LETTERS or any(c[ch] for c in counts.values())
        ]
        order = [ch for ch in "RACISV" if ch in used]
        rows = [
            [p.name, _words(p.kind)]
            + [counts[p.id][ch] for ch in order]
            + [sum(counts[p.id][ch] for ch in order)]
            for p in parties
        ]
        ws = self.table(
            L.SUMMARY_SHEET,
            f"RACI letters per party ({m.name})",
            ["Party", "Kind", *order, "Cells"],
            rows,
        )
        if not parties:
            return
        # A horizontal bar per party, stacked by letter, every party's name beside its
        # bar (no label skipped), beside the table and about as tall (a chart printed
        # below it would be cut by a page break).
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.gapWidth = 40
        chart.title = _chart_title("RACI letters per party", 1100)
        chart.y_axis.title = _chart_title("Activities (cells holding the letter)", 800)
        chart.x_axis.title = None
        chart.x_axis.scaling.orientation = "maxMin"  # first party on top, as in the table
        chart.x_axis.tickLblSkip = 1
        chart.x_axis.tickMarkSkip = 1
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.majorGridlines = None
        chart.legend.position = "b"
        chart.x_axis.txPr = _chart_text(800)
        chart.y_axis.txPr = _chart_text(800)
        chart.legend.txPr = _chart_text(800)
        last_row = len(parties) + 2
        data = Reference(ws, min_col=3, max_col=2 + len(order), min_row=2, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=last_row))
        for series, ch in zip(chart.series, order):
            colour = P.xlsx(P.LETTERS[ch].strong)  # a bar reads better in the strong colour
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        chart.width = 20
        # Room for every name: LibreOffice hides category labels that would touch.
        chart.height = max(8.0, min(0.6 * len(parties) + 3.5, 400.0))
        ws.add_chart(chart, f"{get_column_letter(len(order) + 4)}2")


# The contracts' sheets, a contract per row, each narrow enough to read on paper: its
# columns after the contract and its party (the last sheet takes every column the others
# have not, so every field of a contract is on one of them).
CONTRACT_SHEETS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    (
        L.CONTRACT_TERMS_SHEET,
        "Contract terms: term, renewal, termination and commitments",
        (
            "Covers",
            "Start",
            "End",
            "Auto-renew",
            "Renewal term (months)",
            "Notice period (months)",
            "Termination for convenience",
            "Partial termination",
            "Insourcing rights",
            "Minimum commitment",
            "Commitment currency",
            "Commitment shrinks with scope",
        ),
    ),
    (
        L.CONTRACT_EXIT_SHEET,
        "Contract exit: exit plan, transition and pricing",
        (
            "Bundled price",
            "Price card per function",
            "Exclusivity",
            "Cross-termination",
            "Cooperation duty",
            "Exit plan",
            "Exit plan last tested",
            "Transition assistance (months)",
            "Same service levels in transition",
            "Knowledge transfer",
            "Staff transfer on exit",
            "Step-in rights",
        ),
    ),
    (
        L.CONTRACT_DATA_SHEET,
        "Contract data and assets: data return, marketing assets, personal data",
        (
            "Data return format",
            "Data return (days)",
            *(f"Owner of {_words(a)}" for a in MarketingAsset),
            "Custom work",
            "IP assignment",
            "Data processing agreement",
            "Subprocessor list",
            "Notice of subprocessor changes",
            "Personal data at the end",
            "Transfer basis",
        ),
    ),
    (L.CONTRACT_COMPLIANCE_SHEET, "Contract compliance: service, payment and Data Act", None),
)
CONTRACT_KEYS = ("Contract", "Party")
# Columns of long text, which wrap in a wider column.
CONTRACT_WRAPPED = (
    "Contract",
    "Covers",
    "Insourcing rights",
    "Exclusivity",
    "Cross-termination",
    "Switching terms (Data Act)",
    "Note",
)


def contract_columns(ex: _Export) -> list[tuple[str, Callable[[Any], Any]]]:
    """The Contracts sheet's columns: (header, value of a contract). Every field of
    `ecomraci.model.Contract` has a column (a test holds this)."""
    names = ex.names

    def listed(ids: list[str]) -> str | None:
        return ", ".join(names.get(i, i) for i in ids) or None

    def mc(attr: str):
        def get(c):
            if c.minimum_commitment is None:
                return None
            value = getattr(c.minimum_commitment, attr)
            return _yes_no(value) if isinstance(value, bool) else value

        return get

    def pay(attr: str):
        return lambda c: None if c.payment is None else _yes_no(getattr(c.payment, attr))

    def asset(key: str):
        def get(c):
            owners = {getattr(k, "value", k): v for k, v in c.marketing_assets.items()}
            return _words(owners.get(key))

        return get

    cols: list[tuple[str, Callable[[Any], Any]]] = [
        ("Contract", lambda c: c.name),
        ("Party", lambda c: names.get(c.party, c.party)),
        ("Covers", lambda c: listed(c.covers)),
        ("Start", lambda c: c.start),
        ("End", lambda c: c.end),
        ("Auto-renew", lambda c: _yes_no(c.auto_renew)),
        ("Renewal term (months)", lambda c: c.renewal_term_months),
        ("Notice period (months)", lambda c: c.notice_period_months),
        ("Termination for convenience", lambda c: _words(c.termination_for_convenience)),
        ("Partial termination", lambda c: _words(c.partial_termination)),
        ("Insourcing rights", lambda c: listed(c.insourcing_rights)),
        ("Bundled price", lambda c: _yes_no(c.bundled_price)),
        ("Price card per function", lambda c: _yes_no(c.price_card_per_function)),
        ("Minimum commitment", mc("amount")),
        ("Commitment currency", mc("currency")),
        ("Commitment shrinks with scope", mc("shrinks_with_scope")),
        ("Exclusivity", lambda c: listed(c.exclusivity)),
        ("Cross-termination", lambda c: listed(c.cross_termination)),
        ("Cooperation duty", lambda c: _yes_no(c.cooperation_duty)),
        ("Exit plan", lambda c: _yes_no(c.exit_plan.exists)),
        ("Exit plan last tested", lambda c: c.exit_plan.last_tested),
        ("Transition assistance (months)", lambda c: c.transition_assistance.months),
        (
            "Same service levels in transition",
            lambda c: _yes_no(c.transition_assistance.same_service_levels),
        ),
        ("Data return format", lambda c: c.data_return.format),
        ("Data return (days)", lambda c: c.data_return.days),
    ]
    cols += [(f"Owner of {_words(a)}", asset(a.value)) for a in MarketingAsset]
    cols += [
        ("Custom work", lambda c: _yes_no(c.custom_work)),
        ("IP assignment", lambda c: _yes_no(c.ip_assignment)),
        ("Knowledge transfer", lambda c: _yes_no(c.knowledge_transfer)),
        ("Staff transfer on exit", lambda c: _yes_no(c.staff_transfer_on_exit)),
        ("Step-in rights", lambda c: _yes_no(c.step_in_rights)),
        ("Benchmarking", lambda c: _yes_no(c.benchmarking)),
        ("Change control", lambda c: _yes_no(c.change_control)),
        ("Service levels", lambda c: _yes_no(c.service_levels)),
        ("Data processing agreement", lambda c: _yes_no(c.data_processing_agreement)),
        ("Subprocessor list", lambda c: _yes_no(c.sub_processor_list)),
        ("Notice of subprocessor changes", lambda c: _yes_no(c.sub_processor_notice)),
        ("Personal data at the end", lambda c: _words(c.personal_data_at_end)),
        ("Transfer basis", lambda c: _words(c.transfer_basis)),
        ("PCI DSS acknowledgement", pay("pci_dss_acknowledgement")),
        ("PCI responsibility matrix", pay("pci_responsibility_matrix")),
        ("Hosted payment page", pay("hosted_payment_page")),
        (
            "Checkout integration",
            lambda c: None if c.payment is None else _words(c.payment.checkout_integration),
        ),
        (
            "Script protection evidence",
            lambda c: None if c.payment is None else _words(c.payment.script_protection),
        ),
        (
            "Attestation of compliance date",
            lambda c: None if c.payment is None else c.payment.attestation_date,
        ),
        ("Data processing service (Data Act)", lambda c: _words(c.data_processing_service)),
        ("Switching terms (Data Act)", lambda c: switching_text(c.switching, names)),
        ("Note", lambda c: c.note),
    ]
    return cols


def switching_text(s: Any, names: dict[str, str]) -> str | None:
    """A contract's Data Act switching terms in one cell."""
    if s is None:
        return None
    parts = []
    if s.functions:
        parts.append("for " + ", ".join(names.get(f, f) for f in s.functions))
    if s.notice_months is not None:
        parts.append(f"notice {s.notice_months} months")
    if s.transition_days is not None:
        justified = " (justified)" if s.transition_justified else ""
        parts.append(f"transition {s.transition_days} days{justified}")
    if s.retrieval_days is not None:
        parts.append(f"retrieval {s.retrieval_days} days")
    parts.append(
        "exportable data listed" if s.exportable_data_listed else "no list of exportable data"
    )
    parts.append("erasure after retrieval" if s.erasure_after_retrieval else "no erasure")
    if s.charges is not None:
        parts.append(f"switching charges: {_words(s.charges)}")
    if s.early_termination_fee:
        parts.append("early-termination fee")
    return "; ".join(parts)


EXIT_REGISTER_HEADERS = (
    "Contract",
    "Provider",
    "Function",
    "Criticality",
    "Data processing service (Data Act)",
    "Exit plan",
    "Exit plan last tested",
    "Exit plan owner",
    "Triggers",
    "Alternative",
    "Alternative named",
    "Planned exit (months)",
    "Notice plus transition assistance (months)",
    "Substitutability",
    "Bringing it in-house",
    "Statutory switch if notice is given on the as-of date",
)


def exit_register_rows(ex: _Export) -> tuple[list[str], list[list[Any]]]:
    """The Exit register sheet: one row per contract and function it delivers (its
    `covers`, then the functions assigned under it), with the exit plan's content, in the
    shape of the DORA register-of-information template B_07.01 (substitutability,
    exit plan, reintegration, alternative providers), which procurement teams know. A
    contract that delivers no function has one row without one. The last column is the
    statutory switch of a data processing service (EU Data Act, Art. 25)."""
    from ecomraci.rules.switching import statutory_switch, switched_functions

    m, names = ex.model, ex.names
    functions = {f.id: f for f in m.functions}
    under: dict[str, list[str]] = defaultdict(list)
    for a in m.assignments:
        if a.contract is not None:
            under[a.contract].append(a.function)
    rows: list[list[Any]] = []
    for c in m.contracts:
        plan = c.exit_plan
        switch = statutory_switch(c, m.settings, ex.as_of)
        switched = set(switched_functions(c)) if switch is not None else set()
        owner = names.get(plan.owner, plan.owner) if plan.owner else None
        delivered: list[str | None] = list(dict.fromkeys([*c.covers, *under.get(c.id, [])]))
        for fid in delivered or [None]:
            f = functions.get(fid) if fid is not None else None
            statutory = None
            if switch is not None and fid in switched:
                statutory = (
                    switch.done.isoformat() if switch.done is not None else "beyond 9999-12-31"
                )
            rows.append(
                [
                    c.name,
                    names.get(c.party, c.party),
                    names.get(fid, fid) if fid is not None else None,
                    _words(f.criticality) if f is not None else None,
                    _words(c.data_processing_service),
                    _yes_no(plan.exists),
                    plan.last_tested,
                    owner,
                    plan.triggers,
                    _words(plan.alternative),
                    plan.alternative_name,
                    plan.duration_months,
                    c.notice_period_months + c.transition_assistance.months,
                    _words(plan.substitutability),
                    _words(plan.reintegration),
                    statutory,
                ]
            )
    return list(EXIT_REGISTER_HEADERS), rows


def _discard(wb: Workbook) -> None:
    """Close the sheets of an abandoned write-only workbook in order and remove their
    temporary files (as saving would), rather than leave both to the garbage collector."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()
            writer.cleanup()
        except Exception:  # noqa: BLE001 - the export's own error is the one to report
            pass


def export_workbook(
    model: Model,
    path: str | os.PathLike[str],
    as_of: date | None = None,
    progress: Progress | None = None,
    findings: list[Any] | None = None,
    scenario: str | None = None,
    paper: str = "a4",
) -> None:
    """Write `model` as an ``.xlsx`` workbook at `path`, atomically.

    `findings` are those of ``ecomraci.rules.check(model, as_of)`` (computed when not
    given). `progress(done, total)` is called every few hundred rows and once with
    ``done == total`` when the file is written; when it returns False before that, the
    export stops with `ExportCancelled` and nothing is written. `scenario`, the name of a
    saved scenario, adds a Scenario sheet with its answer (`ecomraci.xlsx.scenario_sheet`);
    a name the model does not have raises `ecomraci.scenario.ScenarioError` (a ValueError)
    before anything is written. A target that is not a regular file the user can write (a
    device, a pipe, a folder) raises `ecomraci.store.WriteRefused` before any work.
    `paper` is "a4" (the default) or "letter" (`paper_for_locale` picks it from a locale).
    """
    writable_target(path)
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPER_SIZES)}")
    as_of = as_of or date.today()
    chosen = None
    if scenario is not None:
        from ecomraci.xlsx.scenario_sheet import scenario_for_export, write_scenario_sheet

        chosen = scenario_for_export(model, scenario)
    if findings is None:
        from ecomraci.rules import check

        findings = check(model, as_of=as_of)
    export = _Export(model, findings, as_of, progress, paper)
    try:
        wb = export.build()
        if chosen is not None:
            write_scenario_sheet(export, *chosen)
    except BaseException:
        _discard(export.wb)
        raise
    buffer = io.BytesIO()
    wb.save(buffer)
    write_text_atomic(path, buffer.getvalue(), keep_backup=False)
    if progress is not None:
        progress(export.total, export.total)
