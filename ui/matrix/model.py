"""The RACI grid as a Qt item model over the core: one row per activity, grouped under a
band row per function; one column per party, internal parties first.

The model stores nothing of its own but the row/column order and the findings' cell
marks; letters are read from `document.model.raci` and written through `Document.apply`.
It resets only when the document's change adds, removes or reorders rows or columns; a
new name updates its header or band row, and RACI cells update just those cells and
their parties' totals.
"""

from __future__ import annotations

from ecomraci import letters as typed_letters
from ecomraci import palette
from ecomraci.edits import raci_edits
from ecomraci.model import display_letters
from ecomraci.rules.engine import SEVERITY_RANK
from ui.document import Document

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

OBJECT_ROLE = (
    Qt.ItemDataRole.UserRole + 1
)  # (activity id, party id), ("function", id) or ("totals", party id)
FINDING_ROLE = Qt.ItemDataRole.UserRole + 2  # worst severity of the findings on this cell
BAND_ROLE = Qt.ItemDataRole.UserRole + 3  # True on function band rows
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 4  # True on cells marked by set_highlight

# A cell's fill and text colour by letter (ecomraci.palette, shared with the map, the
# workbook and the report); a cell of several letters takes `palette.letter_swatch`'s.
LETTER_COLOURS = {letter: QColor(swatch.fill) for letter, swatch in palette.LETTERS.items()}
LETTER_TEXT = {letter: QColor(swatch.text) for letter, swatch in palette.LETTERS.items()}
BAND_COLOUR = QColor(palette.BAND)
TOTALS_COLOUR = QColor(palette.TOTALS)
INTERNAL_HEADER = QColor(palette.SIDES["internal"].fill)
EXTERNAL_HEADER = QColor(palette.SIDES["external"].fill)
EXTERNAL_TEXT = QColor(palette.SIDES["external"].text)


def cell_letter(letters: str) -> str | None:
    """The letter whose colours a cell holding `letters` takes (A/R shows as A)."""
    return next((ch for ch in palette.LETTER_ORDER if ch in letters), None)


def _texts(mark) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in mark[1]] if mark else []


def _runs(columns: set[int]) -> list[tuple[int, int]]:
    """Runs of adjacent numbers, as (first, last): {1, 2, 3, 7} -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for c in sorted(columns):
        if runs and runs[-1][1] == c - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


class RaciTableModel(QAbstractTableModel):
    rejected = Signal(str)  # a typed value that is not RACI letters, as a message

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self._rows: list[tuple[str, str]] = []
        self._parties: list[str] = []
        self._marks: dict[tuple[str, str], tuple[str, list]] = {}
        self._levels: dict[tuple[str, str], int] = {}  # key -> its mark's severity rank
        self._highlight: dict[tuple[str, str], str] = {}
        self._filter = ""
        # letters counted per party, filled as read; None: none counted yet
        self._totals: dict[str, dict[str, int]] | None = None
        self._rebuild()
        document.changed.connect(self._on_changed)

    # --- structure ------------------------------------------------------------------

    def _rebuild(self) -> None:
        m = self.document.model
        self._names = {o.id: o.name for o in (*m.parties, *m.functions, *m.activities)}
        self._kinds = {p.id: p.kind for p in m.parties}
        self._rows = self._filtered_rows()
        self._row_at = {oid: i for i, (_, oid) in enumerate(self._rows)}
        self._activity_rows = {oid for kind, oid in self._rows if kind == "activity"}
        internal = [p.id for p in m.parties if p.kind == "internal"]
        external = [p.id for p in m.parties if p.kind != "internal"]
        self._parties = internal + external
        self._column_at = {pid: i for i, pid in enumerate(self._parties)}
        self._totals = None

    def _filtered_rows(self) -> list[tuple[str, str]]:
        m = self.document.model
        by_function: dict[str, list[str]] = {}
        for a in m.activities:
            by_function.setdefault(a.function, []).append(a.id)
        needle = self._filter.casefold()
        rows: list[tuple[str, str]] = []
        for f in m.functions:
            acts = by_function.get(f.id, [])
            if needle and needle not in f.name.casefold():
                acts = [a for a in acts if needle in self._names[a].casefold()]
                if not acts:
                    continue
            rows.append(("function", f.id))
            rows.extend(("activity", aid) for aid in acts)
        rows.append(("totals", ""))
        return rows

    def _reset(self) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def _on_changed(self, change) -> None:
        """Update exactly what the document's change touches (see the module's doc)."""
        if change is None or change.rows_changed or change.columns_changed:
            self._reset()
            return
        renamed = {
            collection: [
                k for k, names in change.changed_fields(collection).items() if "name" in names
            ]
            for collection in ("parties", "functions", "activities")
        }
        if any(renamed.values()) and self._renamed(renamed):
            return  # the rows shown changed: reset
        if change.cells:
            self._cells_changed(change.cells)

    def _renamed(self, renamed: dict[str, list[str]]) -> bool:
        """Show new names: a party's in its column header and its cells' tooltips, a
        function's on its band row, an activity's in its row header and its cells'
        tooltips. With a filter set, a new name may show or hide rows: then the model
        resets and this returns True."""
        m = self.document.model
        for collection, ids in renamed.items():
            wanted = set(ids)
            for o in getattr(m, collection):
                if o.id in wanted:
                    self._names[o.id] = o.name
        if self._filter and (renamed["functions"] or renamed["activities"]):
            if self._filtered_rows() != self._rows:
                self._reset()
                return True
        last = len(self._parties) - 1
        tips = [Qt.ItemDataRole.ToolTipRole]
        for pid in renamed["parties"]:
            column = self._column_at.get(pid)
            if column is not None:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)
                self.dataChanged.emit(
                    self.index(0, column), self.index(len(self._rows) - 1, column), tips
                )
        for fid in renamed["functions"]:
            row = self._row_at.get(fid)
            if row is not None and last >= 0:
                band = self.index(row, 0)
                self.dataChanged.emit(band, band, [Qt.ItemDataRole.DisplayRole])
        for aid in renamed["activities"]:
            row = self._row_at.get(aid)
            if row is not None:
                self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)
                if last >= 0:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last), tips)
        return False

    def _cells_changed(self, cells: set[tuple[str, str]]) -> None:
        """dataChanged for each run of adjacent touched cells in a row, and for the
        totals of the parties touched (whose counts are counted again when read)."""
        parties = {p for _, p in cells}
        if self._totals is not None:
            for pid in parties:
                self._totals.pop(pid, None)
        columns: dict[int, set[int]] = {}
        for aid, pid in cells:
            row, column = self._row_at.get(aid), self._column_at.get(pid)
            if row is not None and column is not None:
                columns.setdefault(row, set()).add(column)
        totals = {self._column_at[p] for p in parties if p in self._column_at}
        if totals:
            columns[len(self._rows) - 1] = totals
        for row in sorted(columns):
            for first, last in _runs(columns[row]):
                self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def set_filter(self, text: str) -> None:
        """Show only activities whose name (or whose function's name) contains `text`."""
        if text == self._filter:
            return
        self.beginResetModel()
        self._filter = text
        self._rebuild()
        self.endResetModel()

    def totals(self, party_id: str) -> dict[str, int]:
        """How many R, A, C and I a party holds over all activities."""
        raci = self.document.model.raci
        if self._totals is None:  # every party at once
            counts: dict[str, dict[str, int]] = {pid: {} for pid in self._parties}
            for row in raci.values():
                for pid, letters in row.items():
                    c = counts.setdefault(pid, {})
                    for ch in letters:
                        c[ch] = c.get(ch, 0) + 1
            self._totals = counts
        if party_id not in self._totals:  # one party again, after an edit of its cells
            c: dict[str, int] = {}
            for row in raci.values():
                for ch in row.get(party_id, ""):
                    c[ch] = c.get(ch, 0) + 1
            self._totals[party_id] = c
        return self._totals[party_id]

    def totals_text(self, party_id: str) -> str:
        """The totals of a party in words: each letter's count and its share of all
        activities (a cell counts once per letter it holds)."""
        counts = self.totals(party_id)
        n = len(self.document.model.activities)
        lines = [f"{self._names.get(party_id, party_id)}: totals over {n} activities"]
        for ch in "RACISV":
            k = counts.get(ch, 0)
            if k or ch in "RACI":
                share = f" ({k / n:.0%})" if n else ""
                lines.append(f"{typed_letters.LETTER_NAMES[ch]} ({ch}): {k}{share}")
        return "\n".join(lines)

    def party_text(self, party_id: str) -> str:
        """A party's full name, kind and category, as its column header's tooltip says."""
        party = next((p for p in self.document.model.parties if p.id == party_id), None)
        if party is None:
            return self._names.get(party_id, party_id)
        kind = "internal" if party.kind == "internal" else "external"
        category = getattr(party.category, "value", party.category)
        from ecomraci import catalog  # only when a tooltip is shown: not at start-up

        label = getattr(catalog, "category_label", None)
        text = label(category, kind) if label else category.replace("-", " ").capitalize()
        side = "Internal team" if kind == "internal" else "Outside party"
        return f"{party.name}\n{side} · {text}"

    def cell_name(self, activity_id: str, party_id: str) -> str:
        """“Activity × Party”, as messages name a cell."""
        return (
            f"{self._names.get(activity_id, activity_id)} × {self._names.get(party_id, party_id)}"
        )

    def name_of(self, object_id: str) -> str:
        return self._names.get(object_id, object_id)

    def kind_of(self, party_id: str) -> str:
        """internal or external (any outside kind)."""
        return "internal" if self._kinds.get(party_id) == "internal" else "external"

    def function_of_row(self, row: int) -> str:
        """The function a row belongs to (a band row: its own); "" for the totals."""
        for r in range(row, -1, -1):
            kind, oid = self._rows[r]
            if kind == "function":
                return oid
            if kind == "totals":
                return ""
        return ""

    def row_object(self, row: int) -> tuple[str, str]:
        return self._rows[row]

    def party_at(self, column: int) -> str:
        return self._parties[column]

    def row_of(self, object_id: str) -> int:
        return self._row_at.get(object_id, -1)

    def column_of(self, party_id: str) -> int:
        return self._column_at.get(party_id, -1)

    def set_findings(self, findings) -> None:
        """Mark cells and rows named by findings (not waived); their messages are written
        into a cell's tooltip only when it is shown."""
        rank = SEVERITY_RANK
        found: dict[tuple[str, str], list] = {}
        worst: dict[tuple[str, str], int] = {}
        activities, parties = self._activity_rows, self._column_at
        apart = activities.isdisjoint
        for f in findings:
            subjects = f.subjects
            if f.waived or apart(subjects):  # most findings name no activity
                continue
            acts = [s for s in subjects if s in activities]
            ps = [s for s in subjects if s in parties] or [""]
            level = rank[f.severity]
            for a in acts:
                for p in ps:
                    key = (a, p)
                    if key in found:
                        found[key].append(f)
                        if level > worst[key]:
                            worst[key] = level
                    else:
                        found[key] = [f]
                        worst[key] = level
        name = {level: severity for severity, level in rank.items()}
        least = rank["info"]
        if any(level < least for level in worst.values()):
            worst = {key: max(level, least) for key, level in worst.items()}
        marks = {key: (name[worst[key]], fs) for key, fs in found.items()}
        old = self._levels
        self._marks, self._levels = marks, worst
        # Tell the views of the cells whose outline changes (a view asks for a tooltip
        # only when it shows one, so new wording needs no signal): a row's own mark
        # outlines its every cell, a cell's mark that cell. The keys whose level differs,
        # came or went: the symmetric difference of the (key, level) pairs, in C.
        changed = {key for key, _level in old.items() ^ worst.items()}
        whole = {a for a, p in changed if not p}
        columns: dict[int, set[int]] = {}
        for a, p in changed:
            row, column = self._row_at.get(a), self._column_at.get(p)
            if p and a not in whole and row is not None and column is not None:
                columns.setdefault(row, set()).add(column)
        last = len(self._parties) - 1
        for a in whole:
            row = self._row_at.get(a)
            if row is not None and last >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
                self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)
        for row in sorted(columns):
            for first, end in _runs(columns[row]):
                self.dataChanged.emit(self.index(row, first), self.index(row, end))

    def set_highlight(self, cells, notes: dict[tuple[str, str], str] | None = None) -> None:
        """Mark `cells` ((activity, party) pairs), such as the RACI cells a what-if or a
        comparison changes; `notes` adds a line to a cell's tooltip. An empty set clears."""
        notes = notes or {}
        self._highlight = {cell: notes.get(cell, "") for cell in cells}
        if self._rows and self._parties:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self._parties) - 1),
                [HIGHLIGHT_ROLE, Qt.ItemDataRole.ToolTipRole],
            )

    def cell_marks(self, activity_id: str, party_id: str) -> tuple[str | None, bool]:
        """What the grid draws over a cell: the worst severity of its findings (or its
        row's) and whether a what-if marks it, read without going through `data`."""
        mark = self._marks.get((activity_id, party_id)) or self._marks.get((activity_id, ""))
        return (mark[0] if mark else None), (activity_id, party_id) in self._highlight

    def highlighted(self) -> set[tuple[str, str]]:
        return set(self._highlight)

    # --- Qt model API ------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._parties)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        kind, oid = self._rows[index.row()]
        pid = self._parties[index.column()]
        if kind == "totals":
            counts = self.totals(pid)
            if role == Qt.ItemDataRole.DisplayRole:
                return " ".join(f"{x}{counts.get(x, 0)}" for x in "RACI")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.totals_text(pid)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(TOTALS_COLOUR)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == OBJECT_ROLE:
                return ("totals", pid)
            if role == BAND_ROLE:
                return False
            return None
        if kind == "function":
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return self._names.get(oid, oid)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(BAND_COLOUR)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == BAND_ROLE:
                return True
            if role == OBJECT_ROLE:
                return ("function", oid)
            return None
        letters = self.document.model.letters(oid, pid)
        if role == Qt.ItemDataRole.DisplayRole:
            return display_letters(letters)
        if role == Qt.ItemDataRole.EditRole:
            return letters
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and letters:
            return QBrush(LETTER_COLOURS[cell_letter(letters) or letters[0]])
        if role == Qt.ItemDataRole.ForegroundRole and letters:
            return QBrush(LETTER_TEXT[cell_letter(letters) or letters[0]])
        if role == OBJECT_ROLE:
            return (oid, pid)
        if role == BAND_ROLE:
            return False
        mark = self._marks.get((oid, pid)) or self._marks.get((oid, ""))
        if role == FINDING_ROLE:
            return mark[0] if mark else None
        if role == HIGHLIGHT_ROLE:
            return (oid, pid) in self._highlight
        if role == Qt.ItemDataRole.ToolTipRole:
            head = f"{self._names.get(oid, oid)} × {self._names.get(pid, pid)}"
            note = self._highlight.get((oid, pid))
            return "\n".join([head, *_texts(mark), *([note] if note else [])])
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()][0] != "activity":
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        kind, aid = self._rows[index.row()]
        if kind != "activity":
            return False
        pid = self._parties[index.column()]
        try:
            letters = typed_letters.parse(str(value or ""))
        except typed_letters.LetterError as exc:
            self.rejected.emit(f"{self.cell_name(aid, pid)}: {exc}; the cell is unchanged")
            return False
        if letters == self.document.model.letters(aid, pid):
            return True
        problem = self.document.apply(raci_edits({(aid, pid): letters}), "Edit RACI cell")
        if problem is not None:
            self.rejected.emit(problem)
            return False
        return True

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self._parties):
                return None
            pid = self._parties[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return self._names.get(pid, pid)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(
                    INTERNAL_HEADER if self._kinds.get(pid) == "internal" else EXTERNAL_HEADER
                )
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.party_text(pid)
            if role == Qt.ItemDataRole.ForegroundRole and self._kinds.get(pid) != "internal":
                return QBrush(EXTERNAL_TEXT)
            if role == Qt.ItemDataRole.FontRole and self._kinds.get(pid) != "internal":
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if section >= len(self._rows):
            return None
        kind, oid = self._rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == "totals":
                return "Totals (R A C I)"
            return "" if kind == "function" else self._names.get(oid, oid)
        if role == Qt.ItemDataRole.ToolTipRole and kind == "activity":
            mark = self._marks.get((oid, ""))
            function = self._names.get(self.function_of_row(section), "")
            return "\n".join([self._names.get(oid, oid), f"Function: {function}", *_texts(mark)])
        if role == Qt.ItemDataRole.ToolTipRole and kind == "function":
            return f"{self._names.get(oid, oid)} (click to fold or unfold its activities)"
        return None
