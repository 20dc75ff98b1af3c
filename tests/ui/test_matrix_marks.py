"""The matrix marks the cells and rows findings name, and after a re-check tells its views
of exactly the cells whose mark came, went or changed severity."""

from __future__ import annotations

from ecomraci.rules.engine import Finding
from ui.matrix.model import RaciTableModel

from .sample_kit import sample_document


def _finding(severity: str, *subjects: str) -> Finding:
    return Finding("RACI-01", severity, "message", list(subjects), "why", "fix")


def _changed_cells(model, findings) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()

    def record(top, bottom, _roles=()):
        for r in range(top.row(), bottom.row() + 1):
            for c in range(top.column(), bottom.column() + 1):
                cells.add((r, c))

    model.dataChanged.connect(record)
    model.set_findings(findings)
    model.dataChanged.disconnect(record)
    return cells


def test_a_recheck_signals_exactly_the_cells_whose_mark_changes(qtbot):
    document = sample_document()
    model = RaciTableModel(document)
    m = document.model
    a1, a2 = m.activities[0].id, m.activities[1].id
    p1, p2 = m.parties[0].id, m.parties[1].id
    row1, row2 = model.row_of(a1), model.row_of(a2)
    c1, c2 = model.column_of(p1), model.column_of(p2)
    whole_row2 = {(row2, c) for c in range(model.columnCount())}

    cell = _finding("warning", a1, p1)
    row = _finding("info", a2)
    assert _changed_cells(model, [cell, row]) == {(row1, c1)} | whole_row2
    assert model.cell_marks(a1, p1)[0] == "warning"
    assert model.cell_marks(a2, p2)[0] == "info"  # the row's mark covers its cells
    assert model.cell_marks(a1, p2)[0] is None

    # the same findings again, as new objects: nothing to redraw
    assert _changed_cells(model, [_finding("warning", a1, p1), _finding("info", a2)]) == set()

    # a second finding on the cell, less severe: its mark stays; a waived one: ignored
    waived = _finding("error", a1, p2)
    waived.waived = True
    again = [cell, _finding("info", a1, p1), row, waived]
    assert _changed_cells(model, again) == set()
    assert model.cell_marks(a1, p2)[0] is None

    # more severe: that cell; the row's finding gone: that row
    assert _changed_cells(model, [_finding("error", a1, p1)]) == {(row1, c1)} | whole_row2
    assert model.cell_marks(a1, p1)[0] == "error"
    assert model.cell_marks(a2, p2)[0] is None

    # a finding on two parties of an activity: both cells; none at all: they go
    assert _changed_cells(model, [_finding("error", a1, p1, p2)]) == {(row1, c2)}
    assert _changed_cells(model, []) == {(row1, c1), (row1, c2)}
    assert model.cell_marks(a1, p1)[0] is None
