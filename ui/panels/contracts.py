"""The contracts tab: every contract with its clauses in one editable table.

`ContractTableModel` is a thin item model over `Model.contracts`: one row per contract,
one column per field of `Contract`, with the fields of its small nested objects (exit
plan, transition assistance, data return, minimum commitment, payment terms) flattened
into columns of their own. The columns come from the pydantic type, so a clause added
to the core model appears here without new code. Booleans are check boxes
(CheckStateRole); choices, dates, numbers and sets get the same editors as the
inspector (`ui.widgets.editors`) through `ContractDelegate`.

Every edit is one `ApplyEditsCommand`; an edit the model refuses (a contract that ends
before it starts, an empty name) changes nothing and its message shows under the table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ecomraci.edits import RemoveObject, SetField
from ecomraci.model import Contract, PartyKind
from ecomraci.operations import add_contract
from ui.document import Document
from ui.widgets.editing import dump
from ui.widgets.editors import FieldEditor, default_of, make_editor
from ui.widgets.fields import FieldSpec, display_value, field_specs, label_for
from ui.widgets.message import InlineMessage

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

CONTRACT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Column headers; two lines where the label is long and the values are short.
HEADERS = {
    "covers": "Covers",
    "auto_renew": "Auto-\nrenew",
    "renewal_term_months": "Renewal\nterm",
    "notice_period_months": "Notice\nperiod",
    "termination_for_convenience": "Termination\nfor convenience",
    "partial_termination": "Partial\ntermination",
    "insourcing_rights": "Insourcing\nrights",
    "bundled_price": "Bundled\nprice",
    "price_card_per_function": "Price card\nper function",
    "minimum_commitment.amount": "Minimum\ncommitment",
    "minimum_commitment.currency": "Commitment\ncurrency",
    "minimum_commitment.shrinks_with_scope": "Commitment\nshrinks",
    "cross_termination": "Cross-\ntermination",
    "cooperation_duty": "Cooperation\nduty",
    "exit_plan.exists": "Exit\nplan",
    "exit_plan.last_tested": "Exit plan\ntested",
    "transition_assistance.months": "Transition\nassistance",
    "transition_assistance.same_service_levels": "Same SLAs in\ntransition",
    "data_return.format": "Data return\nformat",
    "data_return.days": "Data return\nwithin",
    "marketing_assets": "Marketing\nassets",
    "custom_work": "Custom\nwork",
    "ip_assignment": "IP\nassignment",
    "knowledge_transfer": "Knowledge\ntransfer",
    "staff_transfer_on_exit": "Staff\ntransfer",
    "step_in_rights": "Step-in\nrights",
    "benchmarking": "Bench-\nmarking",
    "change_control": "Change\ncontrol",
    "service_levels": "Service\nlevels",
    "data_processing_agreement": "DPA",
    "transfer_basis": "Transfer\nbasis",
    "payment.pci_dss_acknowledgement": "PCI DSS\nacknowledged",
    "payment.pci_responsibility_matrix": "PCI\nmatrix",
    "payment.hosted_payment_page": "Hosted\npayment page",
}

# The row labels' (the contracts' names') widest, in pixels.
ROW_LABEL_WIDTH = 200
WIDTHS = {
    "name": 160,
    "covers": 200,
    "insourcing_rights": 140,
    "exclusivity": 140,
    "cross_termination": 140,
    "marketing_assets": 220,
    "note": 260,
    "data_return.format": 200,
}


@dataclass(frozen=True)
class Column:
    """A column: a field of `Contract`, or a field of one of its nested objects."""

    field: str  # the Contract field an edit sets
    sub: str | None  # the field inside a nested object, or None
    spec: FieldSpec  # the spec of the edited value (the leaf)
    parent: FieldSpec | None  # the nested field's spec

    @property
    def key(self) -> str:
        return f"{self.field}.{self.sub}" if self.sub else self.field

    @property
    def header(self) -> str:
        if self.key in HEADERS:
            return HEADERS[self.key]
        if self.sub:
            return f"{label_for(self.field)}:\n{label_for(self.sub).lower()}"
        return self.spec.label

    @property
    def tooltip(self) -> str:
        tip = self.parent.tooltip if self.parent else self.spec.tooltip
        return tip or self.spec.label


def contract_columns() -> list[Column]:
    columns = []
    for spec in field_specs(Contract):
        if spec.name == "id":
            continue
        if spec.editor == "nested":
            for sub in field_specs(spec.nested):
                leaf = replace(sub, optional=True) if spec.optional and sub.required else sub
                columns.append(Column(spec.name, sub.name, leaf, spec))
        else:
            columns.append(Column(spec.name, None, spec, None))
    return columns


class ContractTableModel(QAbstractTableModel):
    """Rows are `document.model.contracts`; edits go through the undo stack."""

    editRejected = Signal(str)  # why an edit was refused

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self.columns = contract_columns()
        self._ids = self._contract_ids()
        document.changed.connect(self._document_changed)

    # --- reading ----------------------------------------------------------------------

    @property
    def contracts(self) -> list[Contract]:
        return self.document.model.contracts

    def _contract_ids(self) -> list[str]:
        return [c.id for c in self.contracts]

    def contract_at(self, row: int) -> Contract:
        return self.contracts[row]

    def row_of(self, contract_id: str) -> int:
        return next((i for i, c in enumerate(self.contracts) if c.id == contract_id), -1)

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def value(self, row: int, column: int):
        col = self.columns[column]
        value = getattr(self.contracts[row], col.field)
        if col.sub is None:
            return value
        return None if value is None else getattr(value, col.sub)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.contracts)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.contracts)):
            return None
        col = self.columns[index.column()]
        value = self.value(index.row(), index.column())
        is_bool = col.spec.editor == "bool"
        if role == Qt.ItemDataRole.DisplayRole:
            return None if is_bool else display_value(self.document.model, col.spec, value)
        if role == Qt.ItemDataRole.EditRole:
            return None if is_bool else value
        if role == Qt.ItemDataRole.CheckStateRole and is_bool:
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            text = col.tooltip
            if not is_bool and value not in (None, [], {}):
                shown = display_value(self.document.model, col.spec, value)
                if len(shown) > 30 or col.spec.editor in ("ref-set", "enum-map", "multiline"):
                    text = f"{shown}\n\n{text}"
            if not self._editable(col):
                text += "\n(edit it in the inspector)"
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.spec.editor in ("int", "float"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and value in (None, [], {}) and not is_bool:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == CONTRACT_ID_ROLE:
            return self.contracts[index.row()].id
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].tooltip
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.contracts):
            # the contract's name, which stays in view when the table scrolls sideways
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.contracts[section].name
        return None

    @staticmethod
    def _editable(col: Column) -> bool:
        return col.spec.editor not in ("id", "key", "other", "enum-map", "nested")

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        col = self.columns[index.column()]
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if col.spec.editor == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self._editable(col):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # --- editing ----------------------------------------------------------------------

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and col.spec.editor == "bool":
            value = (
                Qt.CheckState(value) == Qt.CheckState.Checked
                if not isinstance(value, bool)
                else value
            )
        elif role != Qt.ItemDataRole.EditRole or not self._editable(col):
            return False
        contract = self.contracts[index.row()]
        if value == self.value(index.row(), index.column()):
            return True
        new = self._field_value(contract, col, value)
        what = label_for(col.sub or col.field).lower()
        edit = SetField(target="contract", id=contract.id, field=col.field, value=new)
        problem = self.document.apply([edit], f"Set {what} of {contract.name}")
        if problem:
            self.editRejected.emit(f"{contract.name}: {problem}")
            return False
        return True

    @staticmethod
    def _field_value(contract: Contract, col: Column, value):
        """The new value of the Contract field for a new leaf `value`."""
        if col.sub is None:
            return value
        if value is None and col.parent.optional and _required(col):
            return None  # clearing the required amount removes the whole commitment
        current = getattr(contract, col.field)
        data = dump(current if current is not None else default_of(col.parent.nested))
        data[col.sub] = value
        return data

    # --- keeping up with the document ---------------------------------------------------

    def _document_changed(self, change=None) -> None:
        """Reset when contracts come, go or move; otherwise update the cells of the
        fields that changed, and the columns naming a renamed party, function or
        contract. Changes to nothing the table shows leave it alone."""
        if change is not None and not change.collections & SHOWN:
            return
        ids = self._contract_ids()
        if ids != self._ids:
            self.beginResetModel()
            self._ids = ids
            self.endResetModel()
            return
        n = len(self.contracts)
        if not n:
            return
        if change is None:
            self.dataChanged.emit(self.index(0, 0), self.index(n - 1, len(self.columns) - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, n - 1)
            return
        for cid, names in change.changed_fields("contracts").items():
            row = self.row_of(cid)
            if row < 0:
                continue
            for first, last in _runs(i for i, c in enumerate(self.columns) if c.field in names):
                self.dataChanged.emit(self.index(row, first), self.index(row, last))
            if "name" in names:
                self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)
        # a reference shows the name of what it refers to
        renamed = {
            collection
            for collection in SHOWN
            if any("name" in names for names in change.changed_fields(collection).values())
        }
        refs = (i for i, c in enumerate(self.columns) if c.spec.ref in renamed)
        for first, last in _runs(refs):
            self.dataChanged.emit(self.index(0, first), self.index(n - 1, last))


# What the table shows: contracts, and the names of the parties and functions they name.
SHOWN = {"contracts", "parties", "functions"}


def _runs(numbers) -> list[tuple[int, int]]:
    """Runs of adjacent numbers, as (first, last): 1, 2, 3, 7 -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for i in sorted(numbers):
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _required(col: Column) -> bool:
    return col.sub in {s.name for s in field_specs(col.parent.nested) if s.required}


class ContractDelegate(QStyledItemDelegate):
    """Edits a cell with the editor that fits its field; a choice (combo, date picked in
    the calendar) commits at once, typed values on Enter or when the cell is left."""

    def __init__(self, table_model: ContractTableModel, parent=None):
        super().__init__(parent)
        self.table_model = table_model

    def _column(self, index: QModelIndex) -> Column:
        return self.table_model.columns[index.column()]

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        col = self._column(index)
        editor = make_editor(col.spec, parent, self.table_model.document.model)
        widget = editor.widget
        editor.setParent(widget)  # the editor lives as long as its widget
        widget.field_editor = editor
        widget.setAutoFillBackground(True)
        if col.spec.editor in ("enum", "ref", "date"):
            editor.committed.connect(lambda _v, w=widget: self._commit_and_close(w))
        return widget

    def _commit_and_close(self, widget: QWidget) -> None:
        self.commitData.emit(widget)
        self.closeEditor.emit(widget, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, widget: QWidget, index: QModelIndex) -> None:
        editor: FieldEditor = widget.field_editor
        editor.set_value(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, widget: QWidget, model, index: QModelIndex) -> None:
        editor: FieldEditor = widget.field_editor
        model.setData(index, editor.current(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, widget: QWidget, option, index: QModelIndex) -> None:
        rect = QRect(option.rect)
        hint = widget.sizeHint()
        if self._column(index).spec.editor in ("enum-set", "ref-set", "multiline"):
            rect.setHeight(max(rect.height(), hint.height()))
        rect.setWidth(max(rect.width(), min(hint.width(), 320)))
        widget.setGeometry(rect)


class ContractsTab(QWidget):
    """The contracts table with add/remove buttons and a context menu.

    `contractSelected(id)` is emitted when the current row changes."""

    contractSelected = Signal(str)
    # Emitted while a row's context menu is built (menu, contract id), so other parts of
    # the window can add their actions to it.
    contractMenuAboutToShow = Signal(object, str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.table_model = ContractTableModel(document, self)
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.delegate = ContractDelegate(self.table_model, self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        rows.setMaximumWidth(ROW_LABEL_WIDTH)  # long names elided: whole in the tooltip
        rows.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.add_button = QPushButton("Add contract", self)
        self.add_button.setToolTip(
            "Add a contract with an external party (the selected "
            "contract's party, or the first one)"
        )
        self.remove_button = QPushButton("Remove contract", self)
        self.remove_button.setToolTip("Remove the selected contract (undo brings it back)")
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: palette(placeholder-text);")
        self.message = InlineMessage(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(lambda: self.add_contract())
        self.remove_button.clicked.connect(lambda: self.remove_contract())
        self.table_model.editRejected.connect(self.message.show_message)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table_model.modelReset.connect(self._update_state)
        document.changed.connect(self._document_changed)
        self._size_columns()
        self._update_state()

    # --- public -----------------------------------------------------------------------

    def current_contract(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(CONTRACT_ID_ROLE) if index.isValid() else None

    def select_contract(self, contract_id: str) -> None:
        row = self.table_model.row_of(contract_id)
        if row >= 0:
            column = max(0, self.table.currentIndex().column())
            self.table.setCurrentIndex(self.table_model.index(row, column))

    def add_contract(self, party_id: str | None = None) -> str | None:
        """Add a contract with `party_id` (default: the selected contract's party, else
        the first external party), select it and start editing its name. Returns its
        id, or None when there is no external party to contract with."""
        model = self.document.model
        external = [p for p in model.parties if p.kind == PartyKind.EXTERNAL.value]
        if party_id is None:
            current = self.current_contract()
            party_id = (
                model.contract(current).party if current else (external[0].id if external else None)
            )
        if party_id is None:
            self.message.show_message(
                "Add an external party first: a contract is always with an external party."
            )
            return None
        party = model.party(party_id)
        edits = add_contract(model, party_id, f"New contract with {party.name}")
        cid = edits[0].item["id"]
        if not self._apply(edits, f"Add contract with {party.name}"):
            return None
        index = self.table_model.index(self.table_model.row_of(cid), 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return cid

    def remove_contract(self, contract_id: str | None = None) -> bool:
        """Remove the contract (default: the selected one), as one undoable step."""
        contract_id = contract_id or self.current_contract()
        if not contract_id:
            return False
        name = self.document.model.contract(contract_id).name
        return self._apply(
            [RemoveObject(collection="contracts", key=contract_id)], f"Remove contract {name}"
        )

    def _apply(self, edits: list, text: str) -> bool:
        problem = self.document.apply(edits, text)
        if problem:
            self.message.show_message(problem)
        return problem is None

    # --- inside -----------------------------------------------------------------------

    def _size_columns(self) -> None:
        self.table.resizeColumnsToContents()
        for i, col in enumerate(self.table_model.columns):
            if col.key in WIDTHS:
                self.table.setColumnWidth(i, WIDTHS[col.key])
            else:
                self.table.setColumnWidth(i, min(max(self.table.columnWidth(i), 64), 180))

    def _document_changed(self, change=None) -> None:
        if change is None or change.collections & SHOWN:
            self.message.clear_message()  # a message is about the edit refused before this one
            self._update_state()

    def _update_state(self) -> None:
        n = len(self.document.model.contracts)
        self.count_label.setText(f"{n} contract{'s' if n != 1 else ''}")
        self.remove_button.setEnabled(self.current_contract() is not None)

    def _current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.remove_button.setEnabled(current.isValid())
        if current.isValid() and current.row() != previous.row():
            self.contractSelected.emit(current.data(CONTRACT_ID_ROLE))

    def _context_menu(self, pos) -> None:
        self.context_menu(self.table.indexAt(pos)).popup(self.table.viewport().mapToGlobal(pos))

    def context_menu(self, index: QModelIndex) -> QMenu:
        menu = QMenu(self)
        model = self.document.model
        add = menu.addMenu("Add contract with")
        for party in model.parties:
            if party.kind == PartyKind.EXTERNAL.value:
                action = QAction(party.name, add)
                action.triggered.connect(lambda _=False, pid=party.id: self.add_contract(pid))
                add.addAction(action)
        add.setEnabled(not add.isEmpty())
        if index.isValid():
            cid = index.data(CONTRACT_ID_ROLE)
            menu.addSeparator()
            remove = menu.addAction(f"Remove {model.contract(cid).name}")
            remove.triggered.connect(lambda _=False, c=cid: self.remove_contract(c))
            self.contractMenuAboutToShow.emit(menu, cid)
        return menu
