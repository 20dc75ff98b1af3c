"""The RACI grid as a Qt item model over the core: one row per activity, grouped under a
band row per function; one column per party, internal parties first.

The model stores nothing of its own but the row/column order and the findings' cell
marks; letters are read from `document.model.raci` and written through `Document.apply`.
"""

from __future__ import annotations

from ecomraci.edits import raci_edits
from ecomraci.model import display_letters, normalize_letters
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

LETTER_COLOURS = {
    "A": QColor("#f4c7c3"),
    "R": QColor("#c6dbf7"),
    "S": QColor("#d9ead3"),
    "C": QColor("#fff2cc"),
    "I": QColor("#eeeeee"),
    "V": QColor("#e1d5f0"),
}
BAND_COLOUR = QColor("#d0d7de")
TOTALS_COLOUR = QColor("#f3f4f6")
INTERNAL_HEADER = QColor("#e3eefc")
EXTERNAL_HEADER = QColor("#fde7d9")
EXTERNAL_TEXT = QColor("#a1420b")


def _texts(mark) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in mark[1]] if mark else []


class RaciTableModel(QAbstractTableModel):
    rejected = Signal(str)  # a typed value that is not RACI letters, as a message

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self._rows: list[tuple[str, str]] = []
        self._parties: list[str] = []
        self._marks: dict[tuple[str, str], tuple[str, list]] = {}
        self._highlight: dict[tuple[str, str], str] = {}
        self._filter = ""
        self._totals: dict[str, dict[str, int]] | None = None
        self._rebuild()
        document.changed.connect(self._on_changed)

    # --- structure ------------------------------------------------------------------

    def _rebuild(self) -> None:
        m = self.document.model
        by_function: dict[str, list[str]] = {}
        for a in m.activities:
            by_function.setdefault(a.function, []).append(a.id)
        self._names = {o.id: o.name for o in (*m.parties, *m.functions, *m.activities)}
        self._kinds = {p.id: p.kind for p in m.parties}
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
        self._rows = rows
        internal = [p.id for p in m.parties if p.kind == "internal"]
        external = [p.id for p in m.parties if p.kind != "internal"]
        self._parties = internal + external
        self._totals = None

    def _on_changed(self, change) -> None:
        if change is None or change.rows_changed or change.columns_changed or change.renamed:
            self.beginResetModel()
            self._rebuild()
            self.endResetModel()
            return
        if not change.cells:
            return
        touched = {a for a, _ in change.cells}
        self._totals = None
        rows = [i for i, (kind, oid) in enumerate(self._rows) if oid in touched]
        if rows and self._parties:
            last = len(self._parties) - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))
            totals = len(self._rows) - 1
            self.dataChanged.emit(self.index(totals, 0), self.index(totals, last))

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
        if self._totals is None:
            counts: dict[str, dict[str, int]] = {}
            for row in self.document.model.raci.values():
                for pid, letters in row.items():
                    c = counts.setdefault(pid, {})
                    for ch in letters:
                        c[ch] = c.get(ch, 0) + 1
            self._totals = counts
        return self._totals.get(party_id, {})

    def row_object(self, row: int) -> tuple[str, str]:
        return self._rows[row]

    def party_at(self, column: int) -> str:
        return self._parties[column]

    def row_of(self, object_id: str) -> int:
        return next((i for i, (_, oid) in enumerate(self._rows) if oid == object_id), -1)

    def column_of(self, party_id: str) -> int:
        return self._parties.index(party_id) if party_id in self._parties else -1

    def set_findings(self, findings) -> None:
        """Mark cells and rows named by findings (not waived); their messages are written
        into a cell's tooltip only when it is shown."""
        rank = SEVERITY_RANK
        marks: dict[tuple[str, str], tuple[str, list]] = {}
        activities = {oid for kind, oid in self._rows if kind == "activity"}
        parties = set(self._parties)
        for f in findings:
            if f.waived:
                continue
            acts = [s for s in f.subjects if s in activities]
            ps = [s for s in f.subjects if s in parties] or [""]
            for a in acts:
                for p in ps:
                    sev, found = marks.get((a, p), ("info", []))
                    if rank[f.severity] > rank[sev]:
                        sev = f.severity
                    marks[(a, p)] = (sev, [*found, f])
        self._marks = marks
        if self._rows and self._parties:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._parties) - 1)
            )
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)

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
                return (
                    f"{self._names.get(pid, pid)}: Responsible {counts.get('R', 0)}, "
                    f"Accountable {counts.get('A', 0)}, Consulted {counts.get('C', 0)}, "
                    f"Informed {counts.get('I', 0)}"
                )
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
            return QBrush(LETTER_COLOURS[letters[0]])
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
        try:
            letters = normalize_letters(str(value or ""))
        except ValueError as exc:
            self.rejected.emit(f"{self._names.get(aid, aid)}: {exc}")
            return False
        pid = self._parties[index.column()]
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
                return f"{self._names.get(pid, pid)} ({self._kinds.get(pid)})"
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
            return "\n".join([self._names.get(oid, oid), *_texts(mark)])
        return None
