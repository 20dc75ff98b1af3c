"""The findings dock: the core's findings in a table, filtered by severity and text,
re-checked after every edit (debounced) in a worker thread so the window stays responsive.
"""

from __future__ import annotations

import logging
from datetime import date

from ecomraci import palette
from ecomraci.edits import ID_COLLECTIONS, AddObject, SetField
from ecomraci.rules import RULES, check
from ecomraci.rules.engine import SEVERITY_RANK
from ui.document import Document
from ui.widgets.fields import enum_label, label_for

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

SEVERITY_MARK = {"error": "error", "warning": "warning", "info": "info"}
SEVERITY_ICON = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
FINDING_OBJECT_ROLE = Qt.ItemDataRole.UserRole + 1
WAIVED_TEXT = QColor(palette.MUTED)


def object_names(model) -> dict[str, str]:
    """Every named object's id -> its name, and the profile fields and key
    accountabilities findings name, in words."""
    from ecomraci.rules.governance import SUBJECT_NAMES

    return SUBJECT_NAMES | {
        item.id: item.name for collection in ID_COLLECTIONS for item in getattr(model, collection)
    }


def subject_name(subject: str, names: dict[str, str]) -> str:
    """A finding's subject by name: an object's name; a dependency `a->b` as "A → B",
    an assignment `function@party` as "Function by Party"; what has no name (a waiver's
    rule) as it is."""
    if subject in names:
        return names[subject]
    for sep, joint in (("->", " → "), ("@", " by ")):
        first, found, second = subject.partition(sep)
        if found and first in names and second in names:
            return f"{names[first]}{joint}{names[second]}"
    return subject


class FindingsModel(QAbstractTableModel):
    COLUMNS = ("Severity", "Rule", "Message", "Subjects")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.findings: list = []
        self.names: dict[str, str] = {}  # object id -> name, for the Subjects column
        self._sort = (0, Qt.SortOrder.AscendingOrder)

    def set_findings(self, findings: list, names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        if names is not None:
            self.names = names
        self.findings = self._sorted(findings)
        self.endResetModel()

    # Sorting here, in one Python sort, instead of in a proxy that would ask data() for
    # every comparison: a big model has thousands of findings.
    def _sorted(self, findings: list) -> list:
        column, order = self._sort
        keys = (
            lambda f: (-SEVERITY_RANK[f.severity], f.rule, f.subjects),
            lambda f: (f.rule, -SEVERITY_RANK[f.severity], f.subjects),
            lambda f: f.message,
            lambda f: f.subjects,
        )
        return sorted(findings, key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self.findings = self._sorted(self.findings)
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self.findings[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            severity = SEVERITY_MARK[f.severity] + (" (waived)" if f.waived else "")
            return (severity, f.rule, f.message, self.subjects_text(f))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return QApplication.style().standardIcon(SEVERITY_ICON[f.severity])
        if role == Qt.ItemDataRole.ForegroundRole and f.waived:
            return WAIVED_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{f.message}\n\nWhy: {f.why}\nFix: {f.fix}"
        if role == FINDING_OBJECT_ROLE:
            return f
        return None

    def subjects_text(self, finding) -> str:
        """A finding's subjects by their names ("Online marketing", a dependency as
        "Payment processing → Web store IT"), never their ids."""
        return ", ".join(subject_name(s, self.names) for s in finding.subjects)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.severity = ""
        self.rule = ""
        self.text = ""

    def filterAcceptsRow(self, row, parent) -> bool:
        # Asked for every row after each check: with no filter set, answer at once.
        if not (self.severity or self.rule or self.text):
            return True
        f = self.sourceModel().findings[row]
        if self.severity and f.severity != self.severity:
            return False
        if self.rule and f.rule != self.rule:
            return False
        if self.text:
            # the subjects by name, as shown, and by id, as in the model file
            subjects = f"{self.sourceModel().subjects_text(f)} {' '.join(f.subjects)}"
            hay = f"{f.rule} {f.message} {subjects}".lower()
            return self.text.lower() in hay
        return True


class _CheckSignals(QObject):
    done = Signal(int, object)


class _CheckJob(QRunnable):
    def __init__(self, generation: int, model, as_of: date):
        super().__init__()
        self.generation, self.model, self.as_of = generation, model, as_of
        self.signals = _CheckSignals()

    def run(self) -> None:
        try:
            findings = check(self.model, as_of=self.as_of)
        except Exception:  # logged; the panel hears of it, so that the next edit checks
            logging.getLogger("ecomraci.ui").exception("check failed")
            self.signals.done.emit(self.generation, None)
            return
        self.signals.done.emit(self.generation, findings)


# Below this many two-line rows, the findings table shows one line per finding.
TWO_LINE_ROWS = 7


# The unit a number field's name ends with, as a fix's note says it.
UNITS = {"_days": " days", "_months": " months", "_percent": " %"}


def describe_edit(edit, model) -> tuple[str | None, str]:
    """One edit of a fix in words, objects by their names, as (the object whose field
    it sets or None, the words). A field set to a plain value says the value (yes/no, a
    number, a choice, the name of the object an id names); a field set to a list or a
    record (an exit plan) says only which field changed."""
    if not isinstance(edit, SetField):
        return None, edit.describe(model)
    owner = _name_of(model, edit.id) if edit.id else enum_label(edit.target)
    field = label_for(edit.field)
    value = edit.value
    if isinstance(value, bool):
        return owner, f"{field} set to {'yes' if value else 'no'}"
    if isinstance(value, int | float):
        unit = next((u for end, u in UNITS.items() if edit.field.endswith(end)), "")
        return owner, f"{field} set to {value}{unit}"
    if isinstance(value, str):
        names = object_names(model)
        shown = names[value] if value in names else enum_label(value).lower()
        return owner, f"{field} set to {shown}"
    return owner, f"{field} updated"


def _name_of(model, key: str | None) -> str:
    return subject_name(str(key), object_names(model))


def fix_message(rule: str, changes: list[tuple[str | None, str]]) -> str:
    """The status bar's note after a fix, in names: "Fixed SRC-01 on Pixelforge MSA:
    Partial termination set to per function." when the fix sets fields of one object,
    else "Fixed GOV-02: create the forum …; …" (the first few changes)."""
    owners = {owner for owner, _ in changes}
    if len(owners) == 1 and None not in owners:
        head, texts = f"Fixed {rule} on {owners.pop()}", [text for _, text in changes]
    else:
        head = f"Fixed {rule}"
        texts = [text if owner is None else f"{owner}: {text}" for owner, text in changes]
    shown = texts[:4]
    more = len(texts) - len(shown)
    text = "; ".join(shown) + (f"; and {more} more change{'s' if more > 1 else ''}" if more else "")
    return f"{head}: {text[:1].upper()}{text[1:]}. Undo (Ctrl+Z) takes it back."


class FindingsPanel(QWidget):
    findingsChanged = Signal(list)
    activated = Signal(object)  # a Finding, on double-click
    refused = Signal(str)  # a fix or waiver the model refused, as a message
    fixed = Signal(str)  # what an applied fix changed, in names, for the status bar

    def __init__(self, document: Document, parent=None, as_of: date | None = None):
        super().__init__(parent)
        self.document = document
        self.as_of = as_of
        self.model = FindingsModel(self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.severity = QComboBox()
        self.severity.addItems(["All severities", "error", "warning", "info"])
        self.rule = QComboBox()
        self.rule.addItem("All rules", "")
        for rule_id in sorted(RULES):
            self.rule.addItem(f"{rule_id}  {RULES[rule_id].title}", rule_id)
        self.rule.setMaximumWidth(320)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by rule, text or subject")
        self.search.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.verticalHeader().setSectionResizeMode(
            self.table.verticalHeader().ResizeMode.Fixed
        )
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setColumnWidth(0, 90)
        self.table.setColumnWidth(1, 70)
        self.table.setColumnWidth(3, 300)
        # the message takes the width the other columns leave
        header.setSectionResizeMode(2, header.ResizeMode.Stretch)
        bar = QHBoxLayout()
        bar.addWidget(self.severity)
        bar.addWidget(self.rule)
        bar.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        # Said in words when the table is empty: a clean model, or a filter that hides all.
        self.empty_note = QLabel(self.table.viewport())
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setStyleSheet("color: #555; font-size: 11pt;")
        self.empty_note.hide()
        self.table.viewport().installEventFilter(self)  # rows of one or two lines: _fit_rows
        self._checked_once = False
        self.severity.currentTextChanged.connect(self._filter_changed)
        self.rule.currentIndexChanged.connect(self._filter_changed)
        self.search.textChanged.connect(self._filter_changed)
        self.table.doubleClicked.connect(lambda i: self.activated.emit(self.finding_at(i)))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self.menu_for(self.finding_at(self.table.indexAt(pos))).exec(
                self.table.viewport().mapToGlobal(pos)
            )
        )
        # Dialogs go through these, so tests can answer them: a waiver's fields or None,
        # and showing a rule's explanation.
        self.ask_waiver = self._ask_waiver
        self.show_explanation = self._show_explanation
        self._generation = 0
        # A change is checked on the next turn of the event loop (the changes of one
        # turn are checked once); while a check runs, the changes that come meanwhile
        # wait for it and are checked together when it ends. So a lone edit's findings
        # come as soon as the check allows, and a burst of keystrokes is not checked
        # once per key.
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.recheck_now)
        self._in_flight = 0  # the generation of the check running, 0 when none
        self._again = False  # the model changed while it ran
        document.changed.connect(self._document_changed)

    def _document_changed(self, _change=None) -> None:
        if self._in_flight:
            self._again = True
        else:
            self._timer.start()

    def _filter_changed(self) -> None:
        sev = self.severity.currentText()
        self.proxy.beginFilterChange()
        self.proxy.severity = "" if sev.startswith("All") else sev
        self.proxy.rule = self.rule.currentData() or ""
        self.proxy.text = self.search.text()
        self.proxy.endFilterChange()
        self._update_empty_note()

    def _update_empty_note(self) -> None:
        if not self._checked_once or self.proxy.rowCount():
            self.empty_note.hide()
            return
        if self.model.rowCount():
            self.empty_note.setText("No finding matches the filter.")
        else:
            when = (self.as_of or date.today()).isoformat()
            self.empty_note.setText(f"No findings: the model passes every rule (as of {when}).")
        self.empty_note.resize(self.table.viewport().size())
        self.empty_note.show()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.empty_note.resize(self.table.viewport().size())

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return False

    def _fit_rows(self) -> None:
        """Rows of two lines (a long message wraps) when the table has room for at
        least `TWO_LINE_ROWS` of them, else of one line (the message elided, whole in
        its tooltip): a low pane on a small screen still lists several findings."""
        line = self.table.fontMetrics().lineSpacing()
        two_lines = 2 * line + 10
        wrap = self.table.viewport().height() >= TWO_LINE_ROWS * two_lines
        height = two_lines if wrap else line + 8
        header = self.table.verticalHeader()
        if header.defaultSectionSize() != height:
            self.table.setWordWrap(wrap)
            header.setDefaultSectionSize(height)

    def recheck_now(self, wait: bool = False) -> None:
        """Check a copy of the model in the thread pool; a newer edit supersedes it."""
        self._generation += 1
        job = _CheckJob(self._generation, self.document.snapshot(), self.as_of or date.today())
        if wait:
            self._checked(self._generation, check(job.model, as_of=job.as_of))
            return
        job.signals.done.connect(self._checked, Qt.ConnectionType.QueuedConnection)
        self._in_flight = self._generation
        QThreadPool.globalInstance().start(job)

    def _checked(self, generation: int, findings: list | None) -> None:
        if generation == self._in_flight:
            self._in_flight = 0
            if self._again:  # what it checked is already out of date: check again
                self._again = False
                self.recheck_now()
                return
        if generation != self._generation or findings is None:
            return
        self.model.set_findings(findings, object_names(self.document.model))
        self._checked_once = True
        self._update_empty_note()
        self.findingsChanged.emit(findings)

    # --- actions on one finding ---------------------------------------------------------

    def finding_at(self, index):
        if not index.isValid():
            return None
        return self.proxy.index(index.row(), 0).data(FINDING_OBJECT_ROLE)

    def menu_for(self, finding) -> QMenu:
        menu = QMenu(self)
        if finding is None:
            return menu
        fix = menu.addAction("Apply fix", lambda: self.apply_fix(finding))
        fix.setEnabled(bool(finding.edits))
        if not finding.edits:
            fix.setText("Apply fix (needs your decision: see Explain)")
        waive = menu.addAction("Waive…", lambda: self.waive(finding))
        waive.setEnabled(not finding.waived)
        menu.addAction("Explain", lambda: self.explain(finding))
        menu.addSeparator()
        menu.addAction("Show subject", lambda: self.activated.emit(finding))
        return menu

    def apply_fix(self, finding) -> bool:
        if not finding.edits:
            return False
        # described on the model before the change: what is removed still has its name
        changes = [describe_edit(edit, self.document.model) for edit in finding.edits]
        problem = self.document.apply(list(finding.edits), f"Fix {finding.rule}")
        if problem is not None:
            self.refused.emit(f"Cannot apply the fix for {finding.rule}: {problem}")
            return False
        self.fixed.emit(fix_message(finding.rule, changes))
        return True

    def waive(self, finding) -> bool:
        values = self.ask_waiver(finding)
        if not values:
            return False
        item = {"rule": finding.rule, "subjects": list(finding.subjects), **values}
        if item.get("until") is None:
            item.pop("until", None)
        problem = self.document.apply(
            [AddObject(collection="waivers", item=item)], f"Waive {finding.rule}"
        )
        if problem is not None:
            self.refused.emit(f"Cannot waive {finding.rule}: {problem}")
            return False
        return True

    def explain(self, finding) -> None:
        from ecomraci.docs import rule_in_words

        rule = RULES[finding.rule]
        self.show_explanation(f"{rule.id}: {rule.title}", rule_in_words(rule))

    def _ask_waiver(self, finding):
        from ui.dialogs import WaiveDialog

        dialog = WaiveDialog(finding, self)
        return dialog.values() if dialog.exec() else None

    def _show_explanation(self, title: str, text: str) -> None:
        from ui.dialogs import ExplainDialog

        ExplainDialog(title, text, self).exec()
