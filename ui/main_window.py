"""The main window: model tree and findings docks around the RACI matrix, file handling,
undo/redo. It chooses paths and shows messages; loading, saving and checking are the
core's pure functions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QTreeView,
)

from ecomraci import store
from ecomraci.catalog import new_model
from ecomraci.store import ModelFileError
from ui.document import Document
from ui.matrix.model import RaciTableModel
from ui.matrix.view import RaciTableView
from ui.panels.findings import FindingsPanel

FILE_FILTER = "ecomraci models (*.ecomraci.json *.json);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, document: Document, as_of: date | None = None):
        super().__init__()
        self.document = document
        self.as_of = as_of
        self.resize(1400, 850)
        self._build()
        self._bind(document)

    # --- building -----------------------------------------------------------------

    def _build(self) -> None:
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree_model = QStandardItemModel(self)
        self.tree.setModel(self.tree_model)
        tree_dock = QDockWidget("Model", self)
        tree_dock.setObjectName("modelDock")
        tree_dock.setWidget(self.tree)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, tree_dock)
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findingsDock")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self.counts = QLabel()
        self.statusBar().addPermanentWidget(self.counts)

        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New from catalog", self.new_document, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        self._action(file_menu, "&Save", self.save, QKeySequence.StandardKey.Save)
        self._action(file_menu, "Save &As…", self.save_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = self.menuBar().addMenu("&Edit")

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _bind(self, document: Document) -> None:
        """Show `document`: new views over it, undo actions for its stack."""
        self.document = document
        self.tabs.clear()
        self.matrix_model = RaciTableModel(document, self)
        self.matrix = RaciTableView(self.matrix_model)
        self.matrix_model.rejected.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.tabs.addTab(self.matrix, "RACI matrix")
        self.findings = FindingsPanel(document, self, as_of=self.as_of)
        self.findings_dock.setWidget(self.findings)
        self.findings.findingsChanged.connect(self._show_findings)
        self.findings.activated.connect(self.select_subject)
        self.edit_menu.clear()
        undo = document.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = document.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.edit_menu.addAction(undo)
        self.edit_menu.addAction(redo)
        document.undo_stack.cleanChanged.connect(self._update_title)
        document.changed.connect(self._fill_tree)
        self._fill_tree()
        self._update_title()
        self.findings.recheck_now()

    # --- views ----------------------------------------------------------------------

    def _fill_tree(self, touched=None) -> None:
        if touched is not None:
            return  # cell edits do not change the tree
        m = self.document.model
        self.tree_model.clear()
        root = self.tree_model.invisibleRootItem()

        def group(title: str, items) -> QStandardItem:
            node = QStandardItem(f"{title} ({len(items)})")
            node.setEditable(False)
            for obj_id, text in items:
                child = QStandardItem(text)
                child.setEditable(False)
                child.setData(obj_id, Qt.ItemDataRole.UserRole)
                node.appendRow(child)
            root.appendRow(node)
            return node

        group("Parties", [(p.id, f"{p.name} · {p.kind}") for p in m.parties])
        functions = group("Functions", [])
        for f in m.functions:
            node = QStandardItem(f.name)
            node.setEditable(False)
            node.setData(f.id, Qt.ItemDataRole.UserRole)
            for a in m.activities_of(f.id):
                child = QStandardItem(a.name)
                child.setEditable(False)
                child.setData(a.id, Qt.ItemDataRole.UserRole)
                node.appendRow(child)
            functions.appendRow(node)
        functions.setText(f"Functions ({len(m.functions)})")
        group("Contracts", [(c.id, c.name) for c in m.contracts])
        group("Forums", [(f.id, f.name) for f in m.forums])
        self.tree.expandToDepth(0)

    def _show_findings(self, findings) -> None:
        self.matrix_model.set_findings(findings)
        active = [f for f in findings if not f.waived]
        n = {s: sum(1 for f in active if f.severity == s) for s in ("error", "warning", "info")}
        self.counts.setText(f"✖ {n['error']} errors   ▲ {n['warning']} warnings   ℹ {n['info']} infos")

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.document.title}{' *' if self.document.is_modified() else ''} — ecomraci")
        self.setWindowModified(self.document.is_modified())

    def select_subject(self, finding) -> None:
        if finding is None:
            return
        row = next((self.matrix_model.row_of(s) for s in finding.subjects if self.matrix_model.row_of(s) >= 0), -1)
        col = next((self.matrix_model.column_of(s) for s in finding.subjects if self.matrix_model.column_of(s) >= 0), 0)
        if row >= 0:
            self.tabs.setCurrentWidget(self.matrix)
            index = self.matrix_model.index(row, max(col, 0))
            self.matrix.setCurrentIndex(index)
            self.matrix.scrollTo(index)

    # --- files ----------------------------------------------------------------------

    def _may_discard(self) -> bool:
        if not self.document.is_modified():
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes",
            f"Save the changes to {self.document.title} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_document(self) -> None:
        if self._may_discard():
            self._bind(Document(new_model("commerce"), None, self))

    def open_dialog(self) -> None:
        if not self._may_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open model", "", FILE_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        try:
            model = store.load(path)
        except ModelFileError as exc:
            QMessageBox.critical(self, "Cannot open the model", str(exc))
            return False
        self._bind(Document(model, path, self))
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save model as", self.document.title, FILE_FILTER)
        return self._save_to(Path(path)) if path else False

    def _save_to(self, path: Path) -> bool:
        try:
            store.save(self.document.model, path)
        except OSError as exc:
            QMessageBox.critical(self, "Cannot save", f"{path}: {exc.strerror or exc}. The file on disk was not changed.")
            return False
        self.document.path = path
        self.document.undo_stack.setClean()
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def closeEvent(self, event) -> None:
        if self._may_discard():
            event.accept()
        else:
            event.ignore()
