"""The main window: the shell around one document (or the start page when none is open).

It builds the menus, the toolbar, the docks and the tabs, binds a document to new views,
and passes the work on: files (new, open, save, recent, autosave, recovery, the map
export) to `ui.file_actions`, Excel to `ui.excel_actions`, the model tree dock to
`ui.model_tree`, the tree's structure gestures to `ui.structure` and what-if to
`ui.scenario_actions`. Each gets the collaborators it needs (the prompts, the settings,
the current document, a status bar message), not the window. The window keeps their
public methods (`save`, `open_path`, `export_excel`, `tree_item`, ...) as one-line
delegations for its callers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ecomraci.deadlines import next_due
from ui import files, heap
from ui.desktop import RESOURCES
from ui.document import Document
from ui.excel_actions import ExcelActions
from ui.file_actions import FileActions
from ui.help import HelpMenu
from ui.matrix.model import RaciTableModel
from ui.matrix.view import RaciTableView
from ui.model_tree import ModelTree
from ui.panels.findings import FindingsPanel
from ui.panels.inspector import InspectorPanel
from ui.prompts import Prompts
from ui.report_actions import ReportActions
from ui.scenario_actions import ScenarioActions
from ui.structure import StructureActions
from ui.window_layout import DockPlace, WindowLayout

from PySide6.QtCore import QSettings, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QStandardItem, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

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
        self._prompts = Prompts(self)
        self.document: Document | None = None
        self.matrix_model: RaciTableModel | None = None
        self.findings: FindingsPanel | None = None
        self._pages: dict[str, QWidget] = {}  # the lazy tabs built so far
        self._placeholders: dict[str, QWidget] = {}  # and those not built yet
        self._map_marks: tuple = (set(), {})
        self.setAcceptDrops(True)
        self._build(files.Autosaver(recovery_folder))
        self._restore_geometry()
        if document is not None:
            self._bind(document)
        else:
            self.show_start_page()

    @property
    def prompts(self):
        """Asks the user every question (`ui.prompts.Prompts`; tests set a stand-in, which
        the file and Excel actions then ask too)."""
        return self._prompts

    @prompts.setter
    def prompts(self, prompts) -> None:
        self._prompts = prompts
        self.files.prompts = prompts
        self.excel.prompts = prompts
        self.report.prompts = prompts

    @property
    def autosaver(self) -> files.Autosaver:
        return self.files.autosaver

    @autosaver.setter
    def autosaver(self, autosaver: files.Autosaver) -> None:
        self.files.autosaver = autosaver

    # --- building -------------------------------------------------------------------

    def _build(self, autosaver: files.Autosaver) -> None:
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._start_page = None  # built when first shown: see `start_page`
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.stack.addWidget(self.tabs)

        self.tree = ModelTree(self._tree_menu_for)
        self.tree_model = self.tree.tree_model
        self.tree.objectActivated.connect(self.show_object)
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
        self.window_layout = WindowLayout(
            self,
            self.settings,
            [
                DockPlace(self.tree_dock, Qt.DockWidgetArea.LeftDockWidgetArea),
                DockPlace(self.inspector_dock, Qt.DockWidgetArea.RightDockWidgetArea),
                DockPlace(self.scenario_dock, Qt.DockWidgetArea.RightDockWidgetArea),
                DockPlace(self.findings_dock, Qt.DockWidgetArea.BottomDockWidgetArea),
            ],
        )
        self.next_deadline = QLabel()  # the contract calendar's next date within 90 days
        self.statusBar().addPermanentWidget(self.next_deadline)
        self.counts = QLabel()
        self.statusBar().addPermanentWidget(self.counts)

        self.recent_menu = QMenu("Open &Recent", self)
        self.files = FileActions(
            prompts=self._prompts,
            settings=self.settings,
            autosaver=autosaver,
            current=lambda: self.document,
            show=self._bind,
            close=self.show_start_page,
            status=self._status,
            recent_menu=self.recent_menu,
            recent_changed=self._recent_changed,
            map_view=lambda: self.map,
            parent=self,
        )
        self.excel = ExcelActions(
            prompts=self._prompts,
            current=lambda: self.document,
            status=self._status,
            parent=self,
            as_of=self.as_of,
        )
        self.report = ReportActions(
            prompts=self._prompts,
            current=lambda: self.document,
            status=self._status,
            parent=self,
            as_of=self.as_of,
        )

        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        f = self.file_menu
        self._action(
            f,
            "&New…",
            lambda: self.files.new_document(),
            QKeySequence.StandardKey.New,
        )
        self._action(f, "&Open…", self.files.open_dialog, QKeySequence.StandardKey.Open)
        f.addMenu(self.recent_menu)
        f.addSeparator()
        self.doc_actions = [
            self._action(f, "&Save", self.files.save, QKeySequence.StandardKey.Save),
            self._action(f, "Save &As…", self.files.save_as, QKeySequence.StandardKey.SaveAs),
            self._action(
                f, "&Close model", self.files.close_document, QKeySequence.StandardKey.Close
            ),
        ]
        f.addSeparator()
        self.doc_actions += [
            self._action(f, "&Export to Excel…", self.excel.export_excel, "Ctrl+E"),
            self._action(
                f, "&Import RACI from Excel…", lambda: self.excel.import_excel(), "Ctrl+I"
            ),
            self._action(f, "Export &map…", self.files.export_map),
            self._action(f, "Export &report…", self.report.export_report),
        ]
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.tree_dock.toggleViewAction())
        self.view_menu.addAction(self.findings_dock.toggleViewAction())
        self.view_menu.addAction(self.inspector_dock.toggleViewAction())
        self.view_menu.addAction(self.scenario_dock.toggleViewAction())
        self.view_menu.addSeparator()
        self._action(self.view_menu, "Reset &layout", self.window_layout.reset)
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
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        undo.setIcon(_themed_icon("edit-undo", "undo.svg"))
        redo = self.undo_group.createRedoAction(self, "&Redo")
        # Every platform binding of Redo, and Ctrl+Y wherever the platform's list lacks
        # it (spreadsheet users press it): setShortcut would keep only the first.
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        redo.setShortcuts(redo_keys)
        redo.setIcon(_themed_icon("edit-redo", "redo.svg"))
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
        from ui.building import BuildingActions

        self.building = BuildingActions(
            current=lambda: self.document,
            show_object=lambda kind, key: self.show_object(kind, key),
            status=self._status,
            parent=self,
            selected=lambda: (
                (self.inspector.kind, self.inspector.key) if self.document is not None else None
            ),
        )
        self.doc_actions += self.building.install(bar.addMenu("&Model"), self.toolbar)
        check_menu = bar.addMenu("&Check")
        self.doc_actions.append(
            self._action(check_menu, "&Check now", self._recheck, QKeySequence.StandardKey.Refresh)
        )
        self.doc_actions[-1].setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload)
        )
        self.toolbar.addAction(self.doc_actions[-1])
        self.setWindowIcon(QIcon(str(RESOURCES / "icons" / "ecomraci.svg")))
        self.help = HelpMenu(self, bar.addMenu("&Help"))
        self.files.refresh_recent()

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
        self.window_layout.restore()  # or sized to the screen, the first time

    def _status(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

    def _recent_changed(self, recent: list[Path]) -> None:
        if self._start_page is not None:
            self._start_page.set_recent(recent)

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
            _empty(dock)
        for model_name in ("matrix_model",):
            model = getattr(self, model_name, None)
            if model is not None:
                model.deleteLater()
                setattr(self, model_name, None)

    def show_start_page(self) -> None:
        # first, while the docks have the sizes the user gave them (the start page,
        # shown below, squeezes them): back as they were when a model opens
        self.window_layout.hide_docks()
        if self.document is not None:
            heap.thaw()
            self.undo_group.removeStack(self.document.undo_stack)
            self.document.deleteLater()
        self._release_views()
        self.document = None
        self.start_page.set_recent(files.recent_files(self.settings))
        self.stack.setCurrentWidget(self.start_page)
        self.tree.bind(None)
        _empty(self.findings_dock)
        _empty(self.inspector_dock)
        self.scenario_actions.unbind()
        _empty(self.scenario_dock)
        self.undo_group.setActiveStack(None)
        self.counts.setText("")
        for action in self.doc_actions:
            action.setEnabled(False)
        self.setWindowTitle("ecomraci")

    def _bind(self, document: Document) -> None:
        """Show `document`: new views over it, undo actions for its stack."""
        old = self.document
        if old is not None:
            heap.thaw()  # its objects go back to the collector (see below)
        self.files.discard_recovery(old)
        self._release_views()
        self.document = document
        document.setParent(self)
        if old is not None and old is not document:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self.matrix_model = RaciTableModel(document, self)
        self.matrix = RaciTableView(self.matrix_model, settings=self.settings)
        self.matrix_model.rejected.connect(lambda msg: self._status(msg, 8000))
        self.matrix.message.connect(lambda msg: self._status(msg, 10000))
        self.matrix.addRequested.connect(
            lambda kind, fid: self.building.open_form(kind, **({"function": fid} if fid else {}))
        )
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
        self.inspector = InspectorPanel(document, as_of=self.as_of)
        self.inspector.objectRequested.connect(lambda _kind, key: self.tree.select(key))
        self.inspector.setMinimumWidth(280)
        self.inspector_dock.setWidget(self.inspector)
        _empty(self.scenario_dock)  # the pane comes with the first what-if
        self.scenario_actions.bind(document)
        self.matrix.selectionModel().currentChanged.connect(self._matrix_current)
        self.findings = FindingsPanel(document, self, as_of=self.as_of)
        self.findings_dock.setWidget(self.findings)
        self.findings.findingsChanged.connect(self._show_findings)
        self.findings.activated.connect(self.select_subject)
        self.findings.refused.connect(lambda text: self.prompts.error("Not changed", text))
        self.findings.fixed.connect(lambda text: self._status(text, 10000))

        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        self.files.watch(document)
        for action in self.doc_actions:
            action.setEnabled(True)
        document.undo_stack.cleanChanged.connect(self._update_title)
        document.undo_stack.indexChanged.connect(self._update_title)
        document.pathChanged.connect(self._update_title)
        self.tree.bind(document)
        self._update_title()
        self.stack.setCurrentWidget(self.tabs)
        self.window_layout.show_docks()
        # A big model is hundreds of thousands of long-lived objects: keep the cyclic
        # garbage collector from walking them all again and again (its full passes
        # otherwise stall the window for a tenth of a second or more). The old
        # document was thawed above, so the frozen set does not grow with each file.
        heap.freeze()
        self.findings.recheck_now()

    @property
    def start_page(self):
        """The page shown with no model open (`ui.start_page.StartPage`), built the
        first time: opening a model straight away does without it."""
        if self._start_page is None:
            from ui.start_page import StartPage

            page = self._start_page = StartPage()
            page.newRequested.connect(self.files.new_document)
            page.openRequested.connect(self.files.open_dialog)
            page.pathChosen.connect(self.files.open_path)
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
        page.message.connect(lambda text: self._status(text, 8000))
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

    # --- the model tree ---------------------------------------------------------------

    def _tree_menu_for(self, kind: str | None, key: str | None, group: str | None) -> QMenu:
        """The tree's context menu: the structure gestures, then the what-if ones."""
        menu = self.structure.menu(kind, key, group)
        self.scenario_actions.extend_menu(menu, kind, key, group)
        return menu

    def tree_menu(self, index) -> QMenu:
        return self.tree.menu(index)

    def tree_item(self, key: str) -> QStandardItem | None:
        return self.tree.item(key)

    # --- showing objects and findings -------------------------------------------------

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
        if kind == "contract":
            self.inspector.show_object(kind, key)
            self.tabs.setCurrentWidget(self.contracts_tab)
            self.contracts_tab.select_contract(key)
            return
        if kind in ("activity", "function"):
            row = self.matrix_model.row_of(key)
            if row >= 0:
                self.tabs.setCurrentWidget(self.matrix_page)
                self.matrix.selectRow(row)
                # its band at the top, its activities under it
                self.matrix.scrollTo(
                    self.matrix_model.index(row, 0), self.matrix.ScrollHint.PositionAtTop
                )
        elif kind == "party":
            col = self.matrix_model.column_of(key)
            if col >= 0:
                self.tabs.setCurrentWidget(self.matrix_page)
                self.matrix.selectColumn(col)
                self.matrix.scrollTo(self.matrix_model.index(0, col))
        # Last: selecting a column puts the current cell on the first row (a function's
        # band), which shows that function in the inspector (`_matrix_current`).
        self.inspector.show_object(kind, key)

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
        self.tree.select(subject)

    def _show_findings(self, findings) -> None:
        if "map" in self._pages:
            self._pages["map"].set_findings(findings)
        self.matrix_model.set_findings(findings)
        self.inspector.set_findings(findings)
        active = [f for f in findings if not f.waived]
        n = {s: sum(1 for f in active if f.severity == s) for s in ("error", "warning", "info")}
        waived = len(findings) - len(active)
        text = "   ".join(
            f"{mark} {files.count_of(n[s], s)}"
            for mark, s in (("✖", "error"), ("▲", "warning"), ("ℹ", "info"))
        )
        self.counts.setText(text + (f"   ({waived} waived)" if waived else ""))
        due = next_due(self.document.model, self.as_of or date.today(), 90)
        self.next_deadline.setText(due[0] if due else "")
        self.next_deadline.setToolTip(due[1] if due else "")

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
                self.inspector.show_object("party", m.party_at(col))  # after, as above
            self.matrix.scrollTo(index)
        for subject in finding.subjects:
            if self.tree.select(subject):
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
        self.help.show_rule_catalog()

    # --- files and Excel: the actions' faces for callers and tests --------------------

    def may_discard(self) -> bool:
        return self.files.may_discard()

    def new_document(self, focus: str | None = None):
        return self.files.new_document(focus)

    def open_dialog(self) -> None:
        self.files.open_dialog()

    def open_path(self, path: Path, ask: bool = True) -> bool:
        return self.files.open_path(path, ask)

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    def close_document(self) -> None:
        self.files.close_document()

    def autosave_now(self) -> Path | None:
        return self.files.autosave_now()

    def offer_recovery(self, path: Path | None = None) -> bool:
        return self.files.offer_recovery(path)

    def export_map(self) -> bool:
        return self.files.export_map()

    def export_excel(self) -> bool:
        return self.excel.export_excel()

    def export_report(self) -> bool:
        return self.report.export_report()

    def import_excel(self, path: Path | None = None) -> bool:
        return self.excel.import_excel(path)

    # --- window events ------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() == ".xlsx" and self.document is not None:
                    self.excel.import_excel(path)
                else:
                    self.files.open_path(path)
                event.acceptProposedAction()
                return

    def closeEvent(self, event) -> None:
        if not self.files.may_discard():
            event.ignore()
            return
        self.files.discard_recovery(self.document)
        self.window_layout.save()
        event.accept()


def _themed_icon(name: str, fallback: str) -> QIcon:
    """The desktop theme's icon `name`, or the bundled `resources/icons/<fallback>`."""
    return QIcon.fromTheme(name, QIcon(str(RESOURCES / "icons" / fallback)))


def _empty(dock) -> None:
    """Leave `dock` empty; a bare placeholder it held goes (the panels that docks show
    are deleted, or kept for the next document, by their owners)."""
    old = dock.widget()
    dock.setWidget(QWidget())
    if old is not None and type(old) is QWidget:
        old.deleteLater()
