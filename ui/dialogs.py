"""Small dialogs: waive a finding, explain a rule, review an Excel import's changes."""

from __future__ import annotations

import getpass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)


class WaiveDialog(QDialog):
    """Reason, author and an optional expiry for accepting a finding on purpose."""

    def __init__(self, finding, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Waive {finding.rule}")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why is this accepted? (required)")
        self.author = QLineEdit(_user())
        self.expires = QCheckBox("Expires on")
        self.expires.setChecked(True)
        self.until = QDateEdit(QDate.currentDate().addMonths(6))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.expires.toggled.connect(self.until.setEnabled)
        message = QLabel(finding.message)
        message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Finding:", message)
        form.addRow("Reason:", self.reason)
        form.addRow("Author:", self.author)
        form.addRow(self.expires, self.until)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._validate)
        self.author.textChanged.connect(self._validate)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, 220)
        self._validate()

    def _validate(self) -> None:
        ok = bool(self.reason.text().strip() and self.author.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict:
        until = self.until.date().toPython() if self.expires.isChecked() else None
        return {
            "reason": self.reason.text().strip(),
            "author": self.author.text().strip(),
            "until": until.isoformat() if isinstance(until, date) else None,
        }


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some sandboxes
        return ""


class ExplainDialog(QDialog):
    """A rule explained in plain words (`ecomraci.docs.rule_in_words`), or any markdown."""

    def __init__(self, title: str, markdown: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QTextBrowser()
        self.text.document().setDocumentMargin(12)
        self.text.setMarkdown(markdown)
        self.text.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()  # fits a 1024 x 700 screen too
        self.resize(min(680, screen.width() - 60), min(560, screen.height() - 80))

    @classmethod
    def for_rule(cls, rule_id: str, parent=None) -> ExplainDialog:
        """The explanation of one rule, as *Explain* on its finding shows it."""
        from ecomraci.docs import rule_in_words
        from ecomraci.rules import RULES

        rule = RULES[rule_id]
        return cls(f"{rule.id}: {rule.title}", rule_in_words(rule), parent)


class ImportReviewDialog(QDialog):
    """The cells an Excel import would change; OK applies them as one undo step."""

    def __init__(self, changes: list[tuple[str, str, str, str]], notes: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import RACI from Excel")
        summary = QLabel(
            f"{len(changes)} cell(s) will change."
            if changes
            else "The workbook holds no changes to this model."
        )
        table = QTableWidget(len(changes), 4)  # a read-only list of strings, not a data store
        table.setHorizontalHeaderLabels(["Activity", "Party", "Before", "After"])
        for r, row in enumerate(changes):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table = table
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table)
        for note in notes:
            label = QLabel(note)
            label.setWordWrap(True)
            layout.addWidget(label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply changes")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(changes))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 480)
