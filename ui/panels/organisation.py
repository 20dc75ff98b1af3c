"""The organisation tab: the profile, the key accountabilities and the maturity
self-assessment with its radar chart.

The profile fields come from `OrganisationProfile` through the same field editors as
the inspector. The maturity form has one row per dimension of `ecomraci.maturity`: a
level from 1 to 5 with what that level means on that dimension. The organisation is at
the level of its weakest dimension, so the radar draws the next level as the target on
every dimension and the form marks the dimensions below it. Each change is one
undoable `SetField` (or `SetKeyAccountability`); a refused value shows its message in
the box it came from and changes nothing.
"""

from __future__ import annotations

from ecomraci import maturity, palette
from ecomraci.edits import SetField, SetKeyAccountability
from ecomraci.model import KeyAccountability, MaturityDimension, OrganisationProfile
from ui.document import Document
from ui.widgets.editors import FieldEditor, make_editor
from ui.widgets.fields import enum_label, field_specs
from ui.widgets.forms import aligned_form
from ui.widgets.message import InlineMessage
from ui.widgets.radar import RadarChart

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

ACCOUNTABILITY_HELP = {
    "online-revenue": "Who answers for the sales the online channel makes.",
    "customer-experience": "Who answers for the experience of customers online.",
    "omnichannel-consistency": "Who keeps the online and in-store experience consistent.",
    "ecommerce-operations": "Who answers for the operations behind e-commerce: "
    "fulfilment, delivery, returns, customer service.",
}
BELOW_TARGET = palette.SEVERITIES["warning"].text
# The tab's widths (pixels) from which its parts sit side by side (see `_reflow`).
WIDE_TOP = 740
WIDE_MATURITY = 960
WIDE_LEVELS = 620
# The radar's height: a share of the width, within these.
RADAR_MIN = 300
RADAR_MAX = 680
SEVERAL = "\x00several"  # the combo item shown while two parties are accountable


def _level_label(dimension: str, level: int) -> str:
    return f"{level} · {maturity.describe(dimension, level).name}"


class OrganisationTab(QWidget):
    """`profileEdited()` is emitted after an edit of this tab has been pushed."""

    profileEdited = Signal()

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.profile_editors: dict[str, FieldEditor] = {}
        self.level_combos: dict[str, QComboBox] = {}
        self.level_texts: dict[str, QLabel] = {}
        self.gap_marks: dict[str, QLabel] = {}
        self.owner_combos: dict[str, QComboBox] = {}
        self._parties_signature = None

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(10, 10, 10, 10)
        column.setSpacing(10)
        top = self._top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        top.setSpacing(10)
        top.addWidget(self._profile_box(), 1)
        top.addWidget(self._accountability_box(), 1)
        column.addLayout(top)
        column.addWidget(self._maturity_box())
        column.addStretch(1)
        scroll = self.scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self._wide: tuple[bool, bool, bool] | None = None  # the arrangement shown (see `_reflow`)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._refresh()
        document.changed.connect(self._document_changed)

    # --- building -----------------------------------------------------------------------

    def _profile_box(self) -> QGroupBox:
        box = QGroupBox("Organisation profile")
        form = aligned_form(box)
        for spec in field_specs(OrganisationProfile):
            if spec.editor in ("enum-map", "other") or spec.name == "maturity":
                continue
            editor = make_editor(spec, box, self.document.model)
            editor.committed.connect(lambda value, name=spec.name: self.set_profile(name, value))
            label = QLabel(spec.label + ":")
            label.setToolTip(spec.tooltip or _PROFILE_HELP.get(spec.name, ""))
            editor.widget.setToolTip(label.toolTip())
            form.addRow(label, editor.widget)
            self.profile_editors[spec.name] = editor
        self.profile_message = InlineMessage(box)
        form.addRow(self.profile_message)
        return box

    def _accountability_box(self) -> QGroupBox:
        box = QGroupBox("Key accountabilities")
        box.setToolTip(
            "One party should be accountable for each; the rules warn about none or two."
        )
        form = aligned_form(box)
        for key in KeyAccountability:
            combo = QComboBox(box)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.setToolTip(ACCOUNTABILITY_HELP.get(key.value, ""))
            combo.activated.connect(lambda _i, k=key.value: self._owner_chosen(k))
            label = QLabel(enum_label(key) + ":")
            label.setToolTip(combo.toolTip())
            form.addRow(label, combo)
            self.owner_combos[key.value] = combo
        self.accountability_message = InlineMessage(box)
        form.addRow(self.accountability_message)
        return box

    def _maturity_box(self) -> QGroupBox:
        box = QGroupBox("Maturity self-assessment")
        outer = self._maturity_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, box)
        outer.setSpacing(16)
        left = QVBoxLayout()
        grid = self._grid = QGridLayout()
        self._heads: list[QLabel] = []
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for col, text in enumerate(("Dimension", "Level", "What the level means", "")):
            head = QLabel(text)
            head.setStyleSheet("font-weight: 600;")
            grid.addWidget(head, 0, col)
            self._heads.append(head)
        self._rows: list[tuple[QLabel, QComboBox, QLabel, QLabel]] = []
        for dim in MaturityDimension:
            key = dim.value
            name = QLabel(maturity.DIMENSION_NAMES[key])
            name.setToolTip(maturity.DIMENSION_QUESTIONS[key])
            combo = QComboBox()
            combo.addItem("Not assessed", None)
            for level in maturity.LEVELS:
                combo.addItem(_level_label(key, level), level)
                combo.setItemData(
                    combo.count() - 1,
                    maturity.describe(key, level).description,
                    Qt.ItemDataRole.ToolTipRole,
                )
            combo.setToolTip(maturity.DIMENSION_QUESTIONS[key])
            combo.activated.connect(lambda _i, k=key: self._level_chosen(k))
            # as narrow as a short level name: the meaning beside it wraps instead
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
            name.setWordWrap(True)
            text = QLabel()
            text.setWordWrap(True)
            text.setMinimumWidth(160)
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            mark = QLabel()
            mark.setStyleSheet(f"color: {BELOW_TARGET};")
            height = combo.sizeHint().height()
            for label in (name, mark):
                label.setMinimumHeight(height)
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            text.setContentsMargins(0, max(0, (height - text.fontMetrics().height()) // 2), 0, 0)
            self._rows.append((name, combo, text, mark))
            self.level_combos[key] = combo
            self.level_texts[key] = text
            self.gap_marks[key] = mark
        self._place_rows(wide=True)
        left.addLayout(grid)
        self.stage_label = QLabel()
        self.stage_label.setWordWrap(True)
        self.stage_label.setTextFormat(Qt.TextFormat.RichText)
        left.addSpacing(6)
        left.addWidget(self.stage_label)
        self.maturity_message = InlineMessage(box)
        left.addWidget(self.maturity_message)
        left.addStretch(1)
        outer.addLayout(left, 2)
        self.radar = RadarChart(box)
        self.radar.setToolTip("Assessed levels against the next level's target")
        outer.addWidget(self.radar, 3)
        return box

    # --- fitting the width ----------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # the scroll area's viewport follows later: the tab's width less its scroll bar
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self._reflow(self.width() - bar - 2 * self.scroll.frameWidth())

    def _reflow(self, width: int) -> None:
        """Arrange the tab for `width` pixels, so that it needs no sideways scrolling:
        the profile beside the key accountabilities when both fit, else above them; the
        radar beside the maturity form on a wide window, else under it; on a narrow one,
        each level's meaning under its level rather than beside it. The radar takes a
        share of the width, so it grows with the window."""
        wide = (width >= WIDE_TOP, width >= WIDE_MATURITY, width >= WIDE_LEVELS)
        if wide != self._wide:
            self._wide = wide
            left_to_right, top_to_bottom = (
                QBoxLayout.Direction.LeftToRight,
                QBoxLayout.Direction.TopToBottom,
            )
            self._top.setDirection(left_to_right if wide[0] else top_to_bottom)
            self._maturity_layout.setDirection(left_to_right if wide[1] else top_to_bottom)
            self._place_rows(wide=wide[2])
        side = width * 0.5 if wide[1] else width - 60
        self.radar.setMinimumHeight(int(max(RADAR_MIN, min(RADAR_MAX, side * 0.9))))

    def _place_rows(self, wide: bool) -> None:
        """The maturity form's rows: dimension, level, meaning and mark side by side
        (`wide`), or the meaning on its own line under the level."""
        grid = self._grid
        for widgets in self._rows:
            for widget in widgets:
                grid.removeWidget(widget)
        for row in range(grid.rowCount()):
            grid.setRowMinimumHeight(row, 0)
        self._heads[2].setVisible(wide)
        top = Qt.AlignmentFlag.AlignTop
        for i, (name, combo, text, mark) in enumerate(self._rows):
            if wide:
                row = 1 + i
                grid.addWidget(name, row, 0, top)
                grid.addWidget(combo, row, 1, top)
                grid.addWidget(text, row, 2, top)
                grid.addWidget(mark, row, 3, top)
                grid.setRowMinimumHeight(row, combo.sizeHint().height() * 2)
            else:
                row = 1 + 2 * i
                grid.addWidget(name, row, 0, top)
                grid.addWidget(combo, row, 1, top)
                grid.addWidget(mark, row, 2, 1, 2, top)
                grid.addWidget(text, row + 1, 1, 1, 3, top)
        grid.setColumnStretch(2, 1 if wide else 0)
        grid.setColumnStretch(3, 0 if wide else 1)

    # --- edits --------------------------------------------------------------------------

    def set_profile(self, field: str, value) -> str | None:
        """Set a field of the organisation profile as one undoable step; returns the
        message shown when the model refuses it."""
        label = field.replace("_", " ")
        problem = self.document.apply(
            [SetField(target="organisation", field=field, value=value)],
            f"Set {label}",
        )
        self._report(self.profile_message, problem)
        if problem:
            editor = self.profile_editors.get(field)
            if editor is not None:
                editor.reset_value(getattr(self.document.model.organisation, field))
        return problem

    def set_level(self, dimension: str, level: int | None) -> str | None:
        """Set the self-assessed level of one maturity dimension (None: not assessed)."""
        levels = {
            getattr(k, "value", k): v for k, v in self.document.model.organisation.maturity.items()
        }
        if levels.get(dimension) == level:
            return None
        if level is None:
            levels.pop(dimension, None)
        else:
            levels[dimension] = level
        what = maturity.DIMENSION_NAMES.get(dimension, dimension).lower()
        problem = self.document.apply(
            [SetField(target="organisation", field="maturity", value=levels)],
            f"Assess {what} at level {level}" if level else f"Clear {what}",
        )
        self._report(self.maturity_message, problem)
        return problem

    def set_accountable(self, key: str, party_id: str | None) -> str | None:
        """Make `party_id` the one party accountable for `key` (None: nobody)."""
        parties = [party_id] if party_id else []
        if list(self.document.model.key_accountabilities.get(key, [])) == parties:
            return None
        edit = SetKeyAccountability(key=key, parties=parties)
        problem = self.document.apply([edit], edit.describe(self.document.model).capitalize())
        self._report(self.accountability_message, problem)
        return problem

    def _report(self, message: InlineMessage, problem: str | None) -> None:
        if problem:
            message.show_message(problem)
        else:
            message.clear_message()
            self.profileEdited.emit()

    def _level_chosen(self, dimension: str) -> None:
        self.set_level(dimension, self.level_combos[dimension].currentData())

    def _owner_chosen(self, key: str) -> None:
        data = self.owner_combos[key].currentData()
        if data != SEVERAL:
            self.set_accountable(key, data)

    # --- showing ------------------------------------------------------------------------

    def _document_changed(self, change=None) -> None:
        """Refresh when the change (a `Change`; None: anything) touches what the tab
        shows: the organisation, the model, the key accountabilities, or the parties
        the owner lists offer (added, removed, moved, renamed, of another kind)."""
        if change is None or change.collections & {"organisation", "model", "key_accountabilities"}:
            self._refresh()
            return
        if (
            "parties" in change.added
            or "parties" in change.removed
            or "parties" in change.moved
            or any(names & {"name", "kind"} for names in change.changed_fields("parties").values())
        ):
            self._refresh()

    def _refresh(self) -> None:
        for message in (self.profile_message, self.maturity_message, self.accountability_message):
            message.clear_message()
        model = self.document.model
        org = model.organisation
        for name, editor in self.profile_editors.items():
            editor.set_value(getattr(org, name))
        levels = {getattr(k, "value", k): v for k, v in org.maturity.items()}
        target = maturity.next_target(levels)
        below = set(maturity.gaps(levels)) if levels else set()
        for key, combo in self.level_combos.items():
            level = levels.get(key)
            combo.setCurrentIndex(max(0, combo.findData(level)))
            text = self.level_texts[key]
            if level:
                text.setText(maturity.describe(key, level).description)
                text.setStyleSheet("")
            else:
                text.setText(maturity.DIMENSION_QUESTIONS[key])
                text.setStyleSheet("color: palette(placeholder-text);")
            mark = self.gap_marks[key]
            if key in below and level:
                mark.setText(f"▲ below target {target}")
                mark.setToolTip(
                    f"Next: {_level_label(key, target)}: "
                    f"{maturity.describe(key, target).description}"
                )
            else:
                mark.setText("")
                mark.setToolTip("")
        self._show_stage(levels, target)
        self.radar.set_data(
            [maturity.DIMENSION_NAMES[d.value] for d in MaturityDimension],
            [levels.get(d.value) for d in MaturityDimension],
            [target] * len(MaturityDimension) if target else None,
            "Assessed",
            f"Target: level {target}" if target else "Target",
        )
        self._refresh_owners()

    def _show_stage(self, levels: dict, target: int | None) -> None:
        level = maturity.current_level(levels)
        if level is None:
            self.stage_label.setText(
                "Assess each dimension to see the organisation's level and the next target."
            )
            return
        text = f"<b>Level {level} of 5: {maturity.LEVEL_NAMES[level]}</b> (the weakest dimension)."
        if target:
            raise_ = [maturity.DIMENSION_NAMES[d] for d in maturity.gaps(levels)]
            text += (
                f" Next: <b>level {target}, {maturity.LEVEL_NAMES[target]}</b>"
                f" on every dimension; raise {', '.join(raise_).lower()}."
            )
        else:
            text += " The top level on every dimension."
        self.stage_label.setText(text)

    def _refresh_owners(self) -> None:
        model = self.document.model
        parties = [
            (p.id, p.name + ("" if p.kind == "internal" else " (external)")) for p in model.parties
        ]
        for key, combo in self.owner_combos.items():
            owners = list(model.key_accountabilities.get(key, []))
            items: list[tuple[object, str]] = [(None, "— nobody —")]
            if len(owners) > 1:
                names = dict(parties)
                items.insert(
                    0, (SEVERAL, " and ".join(names.get(o, o) for o in owners) + " (choose one)")
                )
            items += parties
            current = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
            if current != items:
                combo.blockSignals(True)
                combo.clear()
                for data, text in items:
                    combo.addItem(text, data)
                combo.blockSignals(False)
            wanted = SEVERAL if len(owners) > 1 else (owners[0] if owners else None)
            combo.setCurrentIndex(max(0, combo.findData(wanted)))


_PROFILE_HELP = {
    "strategy_focus": "What the online business concentrates on: selling (commerce), "
    "publishing (content) or a community.",
    "structure_stage": "How far the e-commerce organisation has developed: ad hoc, "
    "focused, formalised or institutionalised.",
    "placement": "Where e-commerce sits in the organisation.",
    "online_share_percent": "The online share of total revenue.",
}
