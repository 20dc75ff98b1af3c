"""*New* (Ctrl+N): the model's name and strategy focus, and the guided start.

The dialog lists the catalog's functions, one row each: whether the company has it
(the check box), who delivers it (one of the company's teams from the list, or an
outside party typed by name; a name typed in one row is offered in the others) and,
for an outside party, under which contract (filled in as "<party> contract", so the
functions bought from one party share one contract unless the user names another).
*Create model* hands the answers to `ecomraci.guided.guided_model`, which builds the
parties, assignments, contracts and RACI rows in one step; what it cannot build is
said in the dialog, under the rows, and nothing is created.

The dialog is window-modal but not blocking (`open`, not `exec`): the window's code
goes on, and tests drive the dialog's real widgets.
"""

from __future__ import annotations

from ecomraci import catalog
from ecomraci.guided import (
    Answer,
    GuidedError,
    default_answers,
    default_contract_name,
    guided_model,
    team_names,
)
from ecomraci.model import Model
from ecomraci.palette import SIDES
from ui.widgets.message import InlineMessage

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

FOCUS_TEXT = {
    "commerce": "Commerce: selling products online",
    "content": "Content: producing and licensing content",
    "community": "Community: advertising and moderation",
}
DEFAULT_NAME = "New e-commerce organisation"


class _SelectOnClick(QObject):
    """A click into a line edit that was not focused selects its text, so typing
    replaces it (as in a spreadsheet cell); Enter in a row moves down to the next row
    (`down(combo)`), instead of creating the model half answered."""

    def __init__(self, parent: QObject, down):
        super().__init__(parent)
        self._down = down

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        # An editable combo takes the focus for its line edit (its focus proxy), and
        # the line edit gets the mouse.
        line = obj.lineEdit() if isinstance(obj, QComboBox) else obj
        kind = event.type()
        if (
            kind == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(obj, QComboBox)
            and not obj.view().isVisible()
        ):
            self._down(obj)
            return True
        if kind == QEvent.Type.FocusIn:
            line.setProperty("freshFocus", True)
        elif kind == QEvent.Type.MouseButtonRelease and line.property("freshFocus"):
            line.setProperty("freshFocus", False)
            line.selectAll()
        elif kind == QEvent.Type.FocusOut:
            line.setProperty("freshFocus", False)
        return False


class FunctionRow:
    """The widgets of one catalog function's row."""

    def __init__(self, function: catalog.CatalogFunction, answer: Answer, teams: list[str], picker):
        self.function = function
        self.include = QCheckBox(function.name)
        self.include.setChecked(answer.include)
        self.include.setToolTip(function.description)
        self.include.setObjectName(f"include:{function.id}")
        self.deliverer = _combo(picker, f"deliverer:{function.id}")
        self.deliverer.setToolTip(
            f"Who delivers {function.name}: pick one of your teams, or type the name of "
            f"the outside party you buy it from."
        )
        self.deliverer.addItems(teams)
        self.deliverer.setEditText(answer.deliverer)
        self.mode = QLabel()
        self.mode.setObjectName(f"mode:{function.id}")
        self.mode.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mode.setMinimumWidth(82)
        self.contract = _combo(picker, f"contract:{function.id}")
        self.contract.setToolTip(
            "The contract an outside party delivers it under; give several functions the "
            "same contract name to put them under one contract."
        )
        self.contract.lineEdit().setPlaceholderText("in-house: no contract")
        self.contract.setEditText(answer.contract)
        # a contract name the row made up follows the deliverer; one typed stays
        who = " ".join(answer.deliverer.split())
        self._auto_contract = (
            answer.contract if answer.contract == default_contract_name(who) else ""
        )
        self.include.toggled.connect(self._enable)
        self._enable(answer.include)
        self._show_mode(bool(who) and who.casefold() not in {t.casefold() for t in teams})

    def _enable(self, on: bool) -> None:
        self.deliverer.setEnabled(on)
        self.contract.setEnabled(on)
        self.mode.setEnabled(on)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.include, self.deliverer, self.mode, self.contract)

    def _show_mode(self, outside: bool) -> None:
        side = SIDES["external" if outside else "internal"]
        self.mode.setText("outsourced" if outside else "in-house")
        self.mode.setStyleSheet(
            f"QLabel {{ background: {side.fill}; color: {side.text}; border-radius: 3px;"
            f" padding: 2px 6px; }} QLabel:disabled {{ background: transparent; }}"
        )

    def follow_deliverer(self, teams: set[str]) -> None:
        """An outside party gets "<party> contract" unless the user named one; a team
        gets none."""
        who = " ".join(self.deliverer.currentText().split())
        typed = self.contract.currentText()
        auto = typed in ("", self._auto_contract)
        self._show_mode(bool(who) and who.casefold() not in teams)
        if not who or who.casefold() in teams:
            if auto:
                self.contract.setEditText("")
                self._auto_contract = ""
            self.contract.lineEdit().setPlaceholderText("in-house: no contract")
        else:
            self.contract.lineEdit().setPlaceholderText(default_contract_name(who))
            if auto:
                self._auto_contract = default_contract_name(who)
                self.contract.setEditText(self._auto_contract)

    def answer(self) -> Answer:
        return Answer(
            self.function.id,
            self.include.isChecked(),
            self.deliverer.currentText(),
            self.contract.currentText(),
        )


def _combo(picker: QObject, name: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setObjectName(name)
    combo.setMinimumContentsLength(14)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.installEventFilter(picker)
    combo.lineEdit().installEventFilter(picker)
    return combo


class NewModelDialog(QDialog):
    """Name, focus and the guided start; `created` carries the model built."""

    created = Signal(object)  # an ecomraci Model

    def __init__(self, focus: str = "commerce", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New model")
        self.setObjectName("newModelDialog")
        self._picker = _SelectOnClick(self, self._move_down)
        self.rows: dict[str, FunctionRow] = {}

        self.name = QLineEdit(DEFAULT_NAME)
        self.name.setObjectName("modelName")
        self.name.setMaxLength(200)
        self.name.selectAll()
        self.focus = QComboBox()
        self.focus.setObjectName("strategyFocus")
        for key, text in FOCUS_TEXT.items():
            self.focus.addItem(text, key)
        self.focus.setCurrentIndex(max(0, self.focus.findData(focus)))
        top = QHBoxLayout()
        top.addWidget(QLabel("&Name:", buddy=self.name))
        top.addWidget(self.name, 3)
        top.addSpacing(12)
        top.addWidget(QLabel("Strategy &focus:", buddy=self.focus))
        top.addWidget(self.focus, 2)

        intro = QLabel(
            "Who delivers each function? Keep your own team, or type the name of the "
            "outside party you buy it from. Functions bought from one party share its "
            "contract unless you name another. The RACI rows are filled in for you: "
            "whoever delivers is Responsible, your team stays Accountable."
        )
        intro.setWordWrap(True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setWidget(self.grid_host)
        self.scroll = scroll

        self.message = InlineMessage()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("&Create model")
        self.create_button.setObjectName("createModel")
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.focus.currentIndexChanged.connect(self._fill)
        self.name.textChanged.connect(lambda _t: self.message.clear_message())
        self._fill()
        self.resize(820, 640)

    # --- the rows -----------------------------------------------------------------------

    def _teams(self) -> list[str]:
        return list(team_names(self.focus.currentData()))

    def _fill(self, *_args) -> None:
        """One row per catalog function of the chosen focus; answers already given to
        a function are kept."""
        kept = {fid: row.answer() for fid, row in self.rows.items()}
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows.clear()
        focus = self.focus.currentData()
        teams = self._teams()
        for col, text in enumerate(("Function", "Delivered by", "", "Contract")):
            header = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(header, 0, col)
        defaults = {a.function: a for a in default_answers(focus)}
        for r, function in enumerate(catalog.catalog_functions(focus), start=1):
            answer = kept.get(function.id, defaults[function.id])
            row = FunctionRow(function, answer, teams, self._picker)
            self.rows[function.id] = row
            for col, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, r, col)
            row.deliverer.editTextChanged.connect(lambda _t, row=row: self._deliverer_changed(row))
            row.deliverer.activated.connect(lambda _i, row=row: self._deliverer_changed(row))
            row.contract.editTextChanged.connect(lambda _t: self.message.clear_message())
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(3, 3)
        self.grid.setRowStretch(len(self.rows) + 1, 1)
        self._offer_names()

    def _move_down(self, combo: QComboBox) -> None:
        """Enter in a row: the same column of the next row (the Create button after
        the last row)."""
        rows = list(self.rows.values())
        for i, row in enumerate(rows):
            column = "deliverer" if combo is row.deliverer else "contract"
            if combo in (row.deliverer, row.contract):
                later = [r for r in rows[i + 1 :] if r.include.isChecked()]
                if later:
                    target = getattr(later[0], column)
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                    target.lineEdit().selectAll()
                    self.scroll.ensureWidgetVisible(target)
                else:
                    self.create_button.setFocus()
                return

    def _deliverer_changed(self, row: FunctionRow) -> None:
        self.message.clear_message()
        row.follow_deliverer({t.casefold() for t in self._teams()})
        self._offer_names(skip=row)

    def _offer_names(self, skip: FunctionRow | None = None) -> None:
        """Each deliverer list: the teams, then the outside parties typed anywhere;
        each contract list: the contracts named anywhere."""
        teams = self._teams()
        folded = {t.casefold() for t in teams}
        outside: dict[str, str] = {}
        contracts: dict[str, str] = {}
        for row in self.rows.values():
            who = " ".join(row.deliverer.currentText().split())
            if who and who.casefold() not in folded:
                outside.setdefault(who.casefold(), who)
            name = " ".join(row.contract.currentText().split())
            if name:
                contracts.setdefault(name.casefold(), name)
        for row in self.rows.values():
            if row is skip:
                continue
            _set_items(row.deliverer, [*teams, *outside.values()])
            _set_items(row.contract, list(contracts.values()))

    # --- creating -----------------------------------------------------------------------

    def answers(self) -> list[Answer]:
        return [row.answer() for row in self.rows.values()]

    def build(self) -> Model | None:
        """The model the dialog describes, or None with the reason shown."""
        try:
            return guided_model(self.name.text(), self.focus.currentData(), self.answers())
        except GuidedError as exc:
            self.message.show_message(str(exc))
            return None

    def create(self) -> None:
        model = self.build()
        if model is None:
            return
        self.accept()
        self.created.emit(model)


def _set_items(combo: QComboBox, items: list[str]) -> None:
    """Replace the list of an editable combo, keeping what is typed in it."""
    current = [combo.itemText(i) for i in range(combo.count())]
    if current == items:
        return
    text = combo.currentText()
    line = combo.lineEdit()
    cursor, selected = line.cursorPosition(), line.selectedText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItems(items)
    combo.setEditText(text)
    if selected == text and text:
        line.selectAll()
    else:
        line.setCursorPosition(cursor)
    combo.blockSignals(False)


__all__ = ["FOCUS_TEXT", "NewModelDialog"]
