"""The main window: a start page, or one document's workspace (RACI matrix and other tabs,
model tree, findings), with file handling, recent files, autosave and recovery, and
undo/redo. It chooses paths and shows messages; loading, saving, checking and exporting
are the core's pure functions, and every change is an undoable command.
"""

from __future__ import annotations

import gc
import logging
from datetime import date
from pathlib import Path

from ecomraci import store
from ecomraci.operations import new_id
from ecomraci.store import ModelFileError
from ui import files
from ui.document import Document
from ui.matrix.model import RaciTableModel
from ui.matrix.view import RaciTableView
from ui.panels.findings import FindingsPanel
from ui.panels.inspector import InspectorPanel
from ui.prompts import MAP_FILTER, Prompts
from ui.scenario_actions import ScenarioActions
from ui.structure import StructureActions

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QIcon,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("ecomraci.ui")

AUTOSAVE_MS = 60_000
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
# Tabs built the first time they are shown or asked for (`MainWindow.map` and so on):
# opening a model then needs neither their modules nor their widgets. Attribute, title.
LAZY_TABS = (
    ("map", "Sourcing map"),
    ("contracts_tab", "Contracts"),
    ("organisation_tab", "Organisation"),
)


class MainWindow(QMainWindow):
    def __init__(
        self,
        document: Document | None = None,
        as_of: date | None = None,
        settings: QSettings | None = None,
        recovery_folder: Path | None = None,
    ):
        super().__init__()
        self.as_of = as_of
        self.settings = settings if settings is not None else QSettings()
        self.prompts = Prompts(self)
        self.autosaver = files.Autosaver(recovery_folder)
        self.document: Document | None = None
        self.matrix_model: RaciTableModel | None = None
        self.findings: FindingsPanel | None = None
        self._pages: dict[str, QWidget] = {}  # the lazy tabs built so far
        self._placeholders: dict[str, QWidget] = {}  # and those not built yet
        self._map_marks: tuple = (set(), {})
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self._build()
        self._restore_geometry()
        self._autosave = QTimer(self, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave_now)
        self._autosave.start()
        if document is not None:
            self._bind(document)
        else:
            self.show_start_page()

    # --- building -------------------------------------------------------------------

    def _build(self) -> None:
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._start_page = None  # built when first shown: see `start_page`
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.stack.addWidget(self.tabs)

        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree_model = QStandardItemModel(self)
        self.tree.setModel(self.tree_model)
        self.tree.activated.connect(self._tree_activated)
        self.tree.clicked.connect(self._tree_activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.structure = StructureActions(self)
        self.tree_dock = self._dock(
            "Model", "modelDock", self.tree, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.findings_dock = self._dock(
            "Findings", "findingsDock", None, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.inspector_dock = self._dock(
            "Inspector", "inspectorDock", None, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.scenario_actions = ScenarioActions(self)
        self.scenario_dock = self._dock(
            "What if", "scenarioDock", None, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.inspector_dock, self.scenario_dock)
        self.scenario_dock.visibilityChanged.connect(self._scenario_dock_shown)
        self.inspector_dock.raise_()
        self.resizeDocks(
            [self.tree_dock, self.inspector_dock], [240, 380], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.findings_dock], [230], Qt.Orientation.Vertical)
        self.counts = QLabel()
        self.statusBar().addPermanentWidget(self.counts)

        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        f = self.file_menu
        self._action(
            f,
            "&New from catalog",
            lambda: self.new_document("commerce"),
            QKeySequence.StandardKey.New,
        )
        self._action(f, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = f.addMenu("Open &Recent")
        f.addSeparator()
        self.doc_actions = [
            self._action(f, "&Save", self.save, QKeySequence.StandardKey.Save),
            self._action(f, "Save &As…", self.save_as, QKeySequence.StandardKey.SaveAs),
            self._action(f, "&Close model", self.close_document, QKeySequence.StandardKey.Close),
        ]
        f.addSeparator()
        self.doc_actions += [
            self._action(f, "&Export to Excel…", self.export_excel, "Ctrl+E"),
            self._action(f, "&Import RACI from Excel…", self.import_excel, "Ctrl+I"),
            self._action(f, "Export &map…", self.export_map),
        ]
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.tree_dock.toggleViewAction())
        self.view_menu.addAction(self.findings_dock.toggleViewAction())
        self.view_menu.addAction(self.inspector_dock.toggleViewAction())
        self.view_menu.addAction(self.scenario_dock.toggleViewAction())
        self.toolbar = self.addToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        style = self.style()
        for action, icon in (
            (f.actions()[0], QStyle.StandardPixmap.SP_FileIcon),
            (f.actions()[1], QStyle.StandardPixmap.SP_DialogOpenButton),
            (self.doc_actions[0], QStyle.StandardPixmap.SP_DialogSaveButton),
        ):
            action.setIcon(style.standardIcon(icon))
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        # One pair of undo/redo actions that follows the open document's stack.
        self.undo_group = QUndoGroup(self)
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        redo.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        for action in (undo, redo):
            self.edit_menu.addAction(action)
            self.toolbar.addAction(action)
        self.edit_menu.addSeparator()
        self.doc_actions.append(
            self._action(
                self.edit_menu, "&Find activity", self._focus_filter, QKeySequence.StandardKey.Find
            )
        )
        self.toolbar.addSeparator()
        check_menu = bar.addMenu("&Check")
        self.doc_actions.append(
            self._action(check_menu, "&Check now", self._recheck, QKeySequence.StandardKey.Refresh)
        )
        self.doc_actions[-1].setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload)
        )
        self.toolbar.addAction(self.doc_actions[-1])
        self.setWindowIcon(QIcon(str(RESOURCES / "icons" / "ecomraci.svg")))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Rule catalog", self._show_rules)
        self._refresh_recent()

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        if widget is not None:
            dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    # --- showing a document -----------------------------------------------------------

    def _release_views(self) -> None:
        """Delete the views of the document shown so far (they listen to it)."""
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        self._pages.clear()
        self._placeholders.clear()
        self._map_marks = (set(), {})
        if self.findings is not None:
            # a check still running for the old model must not reach the new views
            self.findings.findingsChanged.disconnect(self._show_findings)
            self.findings = None
        for dock in (self.findings_dock, self.inspector_dock):
            widget = dock.widget()
            if widget is not None:
                widget.deleteLater()
            dock.setWidget(QWidget())
        for model_name in ("matrix_model",):
            model = getattr(self, model_name, None)
            if model is not None:
                model.deleteLater()
                setattr(self, model_name, None)

    def show_start_page(self) -> None:
        if self.document is not None:
            self.undo_group.removeStack(self.document.undo_stack)
            self.document.deleteLater()
        self._release_views()
        self.document = None
        self.start_page.set_recent(files.recent_files(self.settings))
        self.stack.setCurrentWidget(self.start_page)
        self.tree_model.clear()
        self.findings_dock.setWidget(QWidget())
        self.inspector_dock.setWidget(QWidget())
        self.scenario_actions.unbind()
        self.scenario_dock.setWidget(QWidget())
        self.undo_group.setActiveStack(None)
        self.counts.setText("")
        for action in self.doc_actions:
            action.setEnabled(False)
        self.setWindowTitle("ecomraci")

    def _bind(self, document: Document) -> None:
        """Show `document`: new views over it, undo actions for its stack."""
        old = self.document
        if old is not None:
            self.autosaver.discard(old.path)
        self._release_views()
        self.document = document
        document.setParent(self)
        if old is not None and old is not document:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self.matrix_model = RaciTableModel(document, self)
        self.matrix = RaciTableView(self.matrix_model)
        self.matrix_model.rejected.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.matrix_filter = QLineEdit()
        self.matrix_filter.setPlaceholderText("Filter activities by name or function (Ctrl+F)")
        self.matrix_filter.setClearButtonEnabled(True)
        self.matrix_filter.textChanged.connect(self.matrix_model.set_filter)
        matrix_page = QWidget()
        layout = QVBoxLayout(matrix_page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.matrix_filter)
        layout.addWidget(self.matrix)
        self.matrix_page = matrix_page
        self.tabs.addTab(matrix_page, "RACI matrix")
        with QSignalBlocker(self.tabs):
            for attr, title in LAZY_TABS:
                self._placeholders[attr] = placeholder = QWidget()
                self.tabs.addTab(placeholder, title)
        self.inspector = InspectorPanel(document)
        self.inspector.setMinimumWidth(340)
        self.inspector_dock.setWidget(self.inspector)
        self.scenario_dock.setWidget(QWidget())  # the pane comes with the first what-if
        self.scenario_actions.bind(document)
        self.matrix.selectionModel().currentChanged.connect(self._matrix_current)
        self.findings = FindingsPanel(document, self, as_of=self.as_of)
        self.findings_dock.setWidget(self.findings)
        self.findings.findingsChanged.connect(self._show_findings)
        self.findings.activated.connect(self.select_subject)
        self.findings.refused.connect(lambda text: self.prompts.error("Not changed", text))

        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        for action in self.doc_actions:
            action.setEnabled(True)
        document.undo_stack.cleanChanged.connect(self._update_title)
        document.undo_stack.indexChanged.connect(self._update_title)
        document.changed.connect(self._fill_tree)
        self._fill_tree()
        self._update_title()
        self.stack.setCurrentWidget(self.tabs)
        # A big model is hundreds of thousands of long-lived objects: keep the cyclic
        # garbage collector from walking them all again and again (its full passes
        # otherwise stall the window for a tenth of a second or more).
        gc.freeze()
        self.findings.recheck_now()

    @property
    def start_page(self):
        """The page shown with no model open (`ui.start_page.StartPage`), built the
        first time: opening a model straight away does without it."""
        if self._start_page is None:
            from ui.start_page import StartPage

            page = self._start_page = StartPage()
            page.newRequested.connect(self.new_document)
            page.openRequested.connect(self.open_dialog)
            page.pathChosen.connect(self.open_path)
            self.stack.addWidget(page)
        return self._start_page

    # --- tabs built when first needed ---------------------------------------------------

    @property
    def map(self):
        """The sourcing map tab (`ui.sourcing_map.view.SourcingMapWidget`)."""
        return self._page("map")

    @property
    def contracts_tab(self):
        """The contracts tab (`ui.panels.contracts.ContractsTab`)."""
        return self._page("contracts_tab")

    @property
    def organisation_tab(self):
        """The organisation tab (`ui.panels.organisation.OrganisationTab`)."""
        return self._page("organisation_tab")

    def _page(self, attr: str) -> QWidget:
        """The lazy tab `attr`, built (in its placeholder's place) on first use."""
        page = self._pages.get(attr)
        if page is None:
            if attr not in self._placeholders:
                raise AttributeError(f"no model is open, so there is no {attr}")
            page = self._pages[attr] = getattr(self, f"_build_{attr}")(self.document)
            placeholder = self._placeholders.pop(attr)
            index, current = self.tabs.indexOf(placeholder), self.tabs.currentIndex()
            with QSignalBlocker(self.tabs):
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, page, dict(LAZY_TABS)[attr])
                self.tabs.setCurrentIndex(current)
            placeholder.deleteLater()
        return page

    def _tab_shown(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for attr, placeholder in list(self._placeholders.items()):
            if placeholder is widget:
                self._page(attr)

    def _build_map(self, document: Document) -> QWidget:
        from ui.sourcing_map.view import SourcingMapWidget

        page = SourcingMapWidget(document)
        page.defer_when_hidden = True  # catch up when its tab is shown
        page.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        page.selectionChanged.connect(self._map_selection)
        if self.findings is not None:
            page.set_findings(self.findings.model.findings)
        page.set_highlight(*self._map_marks)
        return page

    def _build_contracts_tab(self, document: Document) -> QWidget:
        from ui.panels.contracts import ContractsTab

        page = ContractsTab(document)
        page.contractSelected.connect(lambda cid: self.inspector.show_object("contract", cid))
        page.contractMenuAboutToShow.connect(
            lambda menu, cid: self.scenario_actions.extend_menu(menu, "contract", cid)
        )
        return page

    def _build_organisation_tab(self, document: Document) -> QWidget:
        from ui.panels.organisation import OrganisationTab

        return OrganisationTab(document)

    def _scenario_dock_shown(self, shown: bool) -> None:
        if shown and self.document is not None:
            self.scenario_actions.pane()  # built the first time it is looked at

    def mark_on_map(self, subjects: set[str], notes: dict[str, str] | None = None) -> None:
        """Mark what a what-if changes on the map, now or when the map is first built."""
        self._map_marks = (subjects, notes or {})
        if "map" in self._pages:
            self._pages["map"].set_highlight(*self._map_marks)

    def _focus_filter(self) -> None:
        self.tabs.setCurrentWidget(self.matrix_page)
        self.matrix_filter.setFocus()
        self.matrix_filter.selectAll()

    def _fill_tree(self, change=None) -> None:
        if self.document is None:
            return
        if change is not None and not (
            change.added or change.removed or change.moved or change.renamed
        ):
            return  # cell, pin and field edits do not change the tree
        m = self.document.model
        self.tree_model.clear()
        root = self.tree_model.invisibleRootItem()

        def item(
            text: str, kind: str | None = None, key: str | None = None, group: str | None = None
        ) -> QStandardItem:
            node = QStandardItem(text)
            node.setEditable(False)
            node.setData(key, Qt.ItemDataRole.UserRole)
            node.setData(kind, KIND_ROLE)
            node.setData(group, GROUP_ROLE)
            return node

        parties = item(f"Parties ({len(m.parties)})", group="parties")
        for p in m.parties:
            parties.appendRow(item(f"{p.name}  ·  {p.kind}", "party", p.id))
        functions = item(f"Functions ({len(m.functions)})", group="functions")
        for f in m.functions:
            node = item(f.name, "function", f.id)
            for a in m.activities_of(f.id):
                node.appendRow(item(a.name, "activity", a.id))
            functions.appendRow(node)
        contracts = item(f"Contracts ({len(m.contracts)})", group="contracts")
        for c in m.contracts:
            contracts.appendRow(item(c.name, "contract", c.id))
        forums = item(f"Forums ({len(m.forums)})", group="forums")
        for fo in m.forums:
            forums.appendRow(item(fo.name, "forum", fo.id))
        scenarios = item(f"Scenarios ({len(m.scenarios)})", group="scenarios")
        for s in m.scenarios:
            scenarios.appendRow(item(s.name, "scenario", s.name))
        for group in (parties, functions, contracts, forums, scenarios):
            root.appendRow(group)
        self.tree.expandToDepth(0)

    def _tree_menu(self, pos) -> None:
        if self.document is None:
            return
        index = self.tree.indexAt(pos)
        menu = self.tree_menu(index)
        if not menu.isEmpty():
            menu.exec(self.tree.viewport().mapToGlobal(pos))

    def tree_menu(self, index) -> QMenu:
        kind, key, group = (
            index.data(KIND_ROLE),
            index.data(Qt.ItemDataRole.UserRole),
            index.data(GROUP_ROLE),
        )
        menu = self.structure.menu(kind, key, group)
        self.scenario_actions.extend_menu(menu, kind, key, group)
        return menu

    def _tree_activated(self, index) -> None:
        kind, key = index.data(KIND_ROLE), index.data(Qt.ItemDataRole.UserRole)
        if not kind:
            return
        self.show_object(kind, key)

    def _matrix_current(self, current, _previous=None) -> None:
        """The inspector follows the matrix: an activity row shows the activity."""
        if not current.isValid():
            return
        kind, oid = self.matrix_model.row_object(current.row())
        if kind in ("activity", "function"):
            self.inspector.show_object(kind, oid)

    def show_object(self, kind: str, key: str) -> None:
        """Bring an object into view: its row or column in the matrix, its fields in the
        inspector, a contract in the contracts tab, a saved scenario in the what-if pane."""
        if kind == "scenario":
            self.scenario_actions.show_saved(key)
            return
        if hasattr(self, "inspector"):
            self.inspector.show_object(kind, key)
        if kind == "contract":
            self.tabs.setCurrentWidget(self.contracts_tab)
            self.contracts_tab.select_contract(key)
            return
        if kind in ("activity", "function"):
            row = self.matrix_model.row_of(key)
            if row >= 0:
                self.tabs.setCurrentWidget(self.matrix_page)
                self.matrix.selectRow(row)
                self.matrix.scrollTo(self.matrix_model.index(row, 0))
        elif kind == "party":
            col = self.matrix_model.column_of(key)
            if col >= 0:
                self.tabs.setCurrentWidget(self.matrix_page)
                self.matrix.selectColumn(col)
                self.matrix.scrollTo(self.matrix_model.index(0, col))

    def tree_item(self, key: str) -> QStandardItem | None:
        matches = self.tree_model.match(
            self.tree_model.index(0, 0),
            Qt.ItemDataRole.UserRole,
            key,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return self.tree_model.itemFromIndex(matches[0]) if matches else None

    def _map_selection(self, subjects: list) -> None:
        """A box or frame picked on the map shows in the inspector and the tree."""
        if not subjects:
            return
        subject = subjects[0]
        model = self.document.model
        for kind, items in (
            ("function", model.functions),
            ("contract", model.contracts),
            ("party", model.parties),
            ("forum", model.forums),
        ):
            if any(x.id == subject for x in items):
                self.inspector.show_object(kind, subject)
                break
        node = self.tree_item(subject)
        if node is not None:
            self.tree.setCurrentIndex(node.index())

    def _show_findings(self, findings) -> None:
        if "map" in self._pages:
            self._pages["map"].set_findings(findings)
        self.matrix_model.set_findings(findings)
        active = [f for f in findings if not f.waived]
        n = {s: sum(1 for f in active if f.severity == s) for s in ("error", "warning", "info")}
        waived = len(findings) - len(active)
        text = f"✖ {n['error']} errors   ▲ {n['warning']} warnings   ℹ {n['info']} infos"
        self.counts.setText(text + (f"   ({waived} waived)" if waived else ""))

    def _update_title(self, *_args) -> None:
        if self.document is None:
            return
        modified = self.document.is_modified()
        self.setWindowTitle(f"{self.document.title}{' *' if modified else ''} — ecomraci")

    def select_subject(self, finding) -> None:
        """Show a finding's subjects: the cell (activity × party) or row in the matrix,
        and the first subject in the model tree."""
        if finding is None or self.document is None:
            return
        m = self.matrix_model
        row = next((m.row_of(s) for s in finding.subjects if m.row_of(s) >= 0), -1)
        col = next((m.column_of(s) for s in finding.subjects if m.column_of(s) >= 0), -1)
        if row >= 0 or col >= 0:
            self.tabs.setCurrentWidget(self.matrix_page)
            index = m.index(max(row, 0), max(col, 0))
            if row >= 0 and col >= 0:
                self.matrix.setCurrentIndex(index)
            elif row >= 0:
                self.matrix.selectRow(row)
            else:
                self.matrix.selectColumn(col)
            self.matrix.scrollTo(index)
        for subject in finding.subjects:
            node = self.tree_item(subject)
            if node is not None:
                self.tree.setCurrentIndex(node.index())
                self.tree.scrollTo(node.index())
                break

    def show_first_finding(self) -> None:
        """Select the most severe finding and show its subject (the picture a user sees
        after opening a model and clicking the first finding)."""
        table = self.findings.table
        rows = self.findings.proxy.rowCount()
        if rows:
            found = [self.findings.finding_at(self.findings.proxy.index(r, 0)) for r in range(rows)]
            # the product's question first: a coupled exit, if there is one
            row = next((r for r, f in enumerate(found) if f.rule == "SRC-02"), 0)
            table.selectRow(row)
            table.scrollTo(self.findings.proxy.index(row, 0))
            finding = found[row]
            for subject in finding.subjects:
                for kind, items in (
                    ("function", self.document.model.functions),
                    ("contract", self.document.model.contracts),
                    ("party", self.document.model.parties),
                ):
                    if any(x.id == subject for x in items):
                        self.inspector.show_object(kind, subject)
                        return

    def _recheck(self) -> None:
        if self.document is not None:
            self.findings.recheck_now()

    def _show_rules(self) -> None:
        from ecomraci.docs import render_rules_md
        from ui.dialogs import ExplainDialog

        ExplainDialog("Rule catalog", render_rules_md(), self).exec()

    # --- files ----------------------------------------------------------------------

    def may_discard(self) -> bool:
        if self.document is None or not self.document.is_modified():
            return True
        answer = self.prompts.save_changes(self.document.title)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_document(self, focus: str = "commerce") -> None:
        if self.may_discard():
            from ecomraci.catalog import new_model

            self._bind(Document(new_model(focus)))

    def open_dialog(self) -> None:
        if not self.may_discard():
            return
        path = self.prompts.open_path()
        if path:
            self.open_path(path, ask=False)

    def open_path(self, path: Path, ask: bool = True) -> bool:
        if ask and not self.may_discard():
            return False
        path = Path(path)
        try:
            model = store.load(path)
        except ModelFileError as exc:
            self.prompts.error("Cannot open the model", str(exc))
            if not path.exists():
                files.forget(self.settings, path)
                self._refresh_recent()
            return False
        self._bind(Document(model, path))
        files.remember(self.settings, path)
        self._refresh_recent()
        return True

    def save(self) -> bool:
        if self.document is None:
            return False
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        if self.document is None:
            return False
        suggestion = (
            self.document.path.name if self.document.path else self._file_stem() + files.SUFFIX
        )
        path = self.prompts.save_path(suggestion)
        if path is None:
            return False
        if not path.name.endswith(".json"):
            path = path.with_name(path.name + files.SUFFIX)
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            store.save(self.document.model, path)
        except OSError as exc:
            self.prompts.error(
                "Cannot save",
                f"{path}: {exc.strerror or exc}. The file on disk was not changed.",
            )
            return False
        old = self.document.path
        self.autosaver.discard(old)
        self.document.path = path
        self.document.undo_stack.setClean()
        files.remember(self.settings, path)
        self._refresh_recent()
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def close_document(self) -> None:
        if self.may_discard():
            self.autosaver.discard(self.document.path if self.document else None)
            self.show_start_page()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = files.recent_files(self.settings)
        for path in recent:
            self.recent_menu.addAction(path.name, lambda p=path: self.open_path(p)).setToolTip(
                str(path)
            )
        self.recent_menu.setEnabled(bool(recent))
        if self._start_page is not None:
            self._start_page.set_recent(recent)

    def autosave_now(self) -> Path | None:
        """Write the recovery copy when there are unsaved changes."""
        if self.document is None or not self.document.is_modified():
            return None
        try:
            return self.autosaver.save(self.document.model, self.document.path)
        except OSError as exc:  # a full disk must not stop the user's work
            log.warning("autosave failed: %s", exc)
            self.statusBar().showMessage(f"Autosave failed: {exc}", 8000)
            return None

    def offer_recovery(self) -> bool:
        """At start: offer each recovery copy left by a session that did not end well.
        Returns True when one was opened."""
        for recovery in files.pending_recoveries(self.autosaver.folder):
            answer = self.prompts.recover(recovery.label)
            if answer == "discard":
                files.drop_recovery(recovery)
            elif answer == "recover":
                try:
                    model = store.load(recovery.model_path)
                except ModelFileError as exc:
                    self.prompts.error("Cannot recover", str(exc))
                    continue
                document = Document(model, recovery.original)
                self._bind(document)
                # Unsaved until the user saves: one undo step marks the stack dirty.
                document.undo_stack.resetClean()
                self._update_title()
                files.drop_recovery(recovery)
                return True
        return False

    def _file_stem(self) -> str:
        """The document's file name without its suffix, or one made from the model's
        name: the start of the names offered for saving and exporting."""
        if self.document.path is not None:
            return self.document.path.name.removesuffix(files.SUFFIX).removesuffix(".json")
        return new_id(self.document.model.name, set()).replace(".", "-") or "model"

    def export_map(self) -> bool:
        if self.document is None:
            return False
        stem = self._file_stem()
        path = self.prompts.save_path(f"{stem}-map.svg", "Export map", MAP_FILTER)
        if path is None:
            return False
        try:
            written = self.map.export_map(path)
        except Exception as exc:  # a bad folder or format: say so, keep working
            self.prompts.error("Cannot export the map", f"{path}: {exc}")
            return False
        self.statusBar().showMessage(f"Exported {written}", 5000)
        return True

    # --- Excel ------------------------------------------------------------------------

    def export_excel(self) -> bool:
        from ecomraci.xlsx import export_workbook
        from ui.workers import run_with_progress

        if self.document is None:
            return False
        scenario = None
        names = [s.name for s in self.document.model.scenarios]
        if names:
            scenario = self.prompts.item(
                "Export to Excel", "Add a Scenario sheet for:", ["(none)", *names]
            )
            if scenario is None:
                return False
            scenario = None if scenario == "(none)" else scenario
        stem = self._file_stem()
        path = self.prompts.save_path(f"{stem}.xlsx", "Export to Excel", "Excel workbooks (*.xlsx)")
        if path is None:
            return False
        model = self.document.model.model_copy(deep=True)
        ok, error = run_with_progress(
            self,
            "Exporting to Excel…",
            lambda progress: export_workbook(
                model, path, as_of=self.as_of, progress=progress, scenario=scenario
            ),
        )
        if not ok:
            self.prompts.error("Cannot export", f"{path}: {error}")
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def import_excel(self, path: Path | None = None) -> bool:
        """Read an edited workbook's RACI sheet (off the GUI thread), show the cells it
        changes, and apply them as one undoable step."""
        from ecomraci.xlsx import plan_import
        from ui.workers import run_with_progress

        if self.document is None:
            return False
        path = path or self.prompts.open_path("Import RACI from Excel", "Excel workbooks (*.xlsx)")
        if path is None:
            return False
        model = self.document.snapshot()
        ok, plan = run_with_progress(
            self, f"Reading {Path(path).name}…", lambda progress: plan_import(model, path)
        )
        if not ok:
            self.prompts.error("Cannot import", str(plan))
            return False
        names = {
            o.id: o.name for o in (*self.document.model.parties, *self.document.model.activities)
        }
        rows = [
            (
                names.get(c.activity, c.activity),
                names.get(c.party, c.party),
                c.before or "—",
                c.after or "—",
            )
            for c in plan.changes
        ]
        if not self.prompts.review_import(rows, list(plan.warnings)):
            return False
        if plan.edits:
            problem = self.document.apply(
                list(plan.edits), f"Import {len(plan.edits)} RACI cells from {Path(path).name}"
            )
            if problem is not None:
                self.prompts.error("Cannot import", problem)
                return False
        return True

    # --- window events ------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() == ".xlsx" and self.document is not None:
                    self.import_excel(path)
                else:
                    self.open_path(path)
                event.acceptProposedAction()
                return

    def closeEvent(self, event) -> None:
        if not self.may_discard():
            event.ignore()
            return
        if self.document is not None:
            self.autosaver.discard(self.document.path)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        event.accept()
