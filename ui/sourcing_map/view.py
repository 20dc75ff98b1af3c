"""The sourcing map tab: a toolbar over a zoomable view of the map scene.

Gestures (each one undoable command on the document, findings follow on their own):

* drag a box within its lane: it stays where it was dropped (a pin in the model's layout);
* drag a box into another party's lane: that party delivers the function from now on;
  for an outside party the widget asks under which contract (`choose_contract`, which
  tests replace);
* Shift-drag from a box, or drag from the handle on its right edge, onto another box:
  the second function needs the first (a new dependency);
* Delete: remove the selected boxes (one party's part in a function, or the function when
  it is its only box), arrows, contracts, forums or parties;
* wheel or +/- to zoom, 0 to fit, middle button or Space-drag to pan.

The view only reports gestures; `SourcingMapWidget` turns them into commands. It lays
the map out again when the document's change moves something (boxes, lanes, frames,
arrows: `Change.map_changed`); a new name or a contract's clause only redraws the items
showing it (`MapScene.update_texts`), and other changes leave the map as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ecomraci.edits import EditError, SetLayout
from ecomraci.layout import UNASSIGNED, Lane
from ecomraci.operations import NEW_CONTRACT, add_dependency, deliver, remove_subjects
from ecomraci.transaction import Change
from ui.document import Document
from ui.sourcing_map import style
from ui.sourcing_map.items import BoxItem, EdgeItem, ForumItem, FrameItem, LaneItem, MapItem
from ui.sourcing_map.scene import MapScene

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGraphicsPathItem,
    QGraphicsView,
    QInputDialog,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

NO_CONTRACT = ""  # the contract chooser's answer for "under no contract"
HANDLE = 14  # width of the connecting handle on a box's right edge
MIN_ZOOM, MAX_ZOOM = 0.05, 4.0


class _Press:
    def __init__(self, item: BoxItem, start: QPointF, mode: str):
        self.item, self.start, self.mode = item, start, mode
        self.active = False


class MapView(QGraphicsView):
    boxDropped = Signal(object, object, float, float)  # Box, Lane or None, new x, new y
    connectRequested = Signal(object, object)  # from Box, onto Box or None
    deleteRequested = Signal()

    def __init__(self, scene: MapScene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._press: _Press | None = None
        self._pan: QPointF | None = None
        self._space = False
        self._lane: LaneItem | None = None
        self._target: BoxItem | None = None
        self._ghost: QGraphicsPathItem | None = None

    # --- zoom ---------------------------------------------------------------------------

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if not rect.isValid():
            return
        # measured against the room the view has without scroll bars, which a fitted
        # map does not need (fitInView measures with the bars the view shows right now)
        room = self.maximumViewportSize()
        factor = min((room.width() - 4) / rect.width(), (room.height() - 4) / rect.height())
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self.resetTransform()
        self.scale(factor, factor)
        self.centerOn(rect.center())

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # Shift-wheel scrolls
            return
        delta = event.angleDelta().y()
        if delta:
            self.zoom(1.0015**delta)
        event.accept()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteRequested.emit()
        elif key == Qt.Key.Key_Escape and self._press is not None:
            self._cancel()
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
        super().keyReleaseEvent(event)

    # --- gestures -------------------------------------------------------------------------

    def _box_at(self, pos) -> BoxItem | None:
        for item in self.items(pos.toPoint()):
            if isinstance(item, BoxItem):
                return item
        return None

    def _lane_at(self, x: float, y: float) -> Lane | None:
        scene = self.scene()
        return scene.map.lane_at(x, y) if scene.map is not None else None

    def mousePressEvent(self, event) -> None:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space
        ):
            self._pan = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button == Qt.MouseButton.LeftButton:
            item = self._box_at(event.position())
            if item is not None:
                at = self.mapToScene(event.position().toPoint())
                connect = (
                    bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                    or at.x() >= item.box.rect.right - HANDLE
                )
                self._press = _Press(item, at, "connect" if connect else "move")
                if connect:
                    event.accept()
                    return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan is not None:
            delta = event.position() - self._pan
            self._pan = event.position()
            self.horizontalScrollBar().setValue(
                self.horizontalScrollBar().value() - round(delta.x())
            )
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        press = self._press
        if press is None:
            super().mouseMoveEvent(event)
            return
        at = self.mapToScene(event.position().toPoint())
        if not press.active:
            moved = self.mapFromScene(at) - self.mapFromScene(press.start)
            if moved.manhattanLength() < QApplication.startDragDistance():
                return
            press.active = True
        delta = at - press.start
        if press.mode == "move":
            press.item.setPos(delta)
            press.item.setZValue(10)
            cx, cy = press.item.box.rect.center
            self._set_lane(self._lane_at(cx + delta.x(), cy + delta.y()))
        else:
            r = press.item.box.rect
            path = QPainterPath(QPointF(r.right, r.center[1]))
            path.lineTo(at)
            if self._ghost is None:
                self._ghost = QGraphicsPathItem()
                self._ghost.setPen(QPen(style.SELECTED, 2.5, Qt.PenStyle.DashLine))
                self._ghost.setZValue(20)
                self.scene().addItem(self._ghost)
            self._ghost.setPath(path)
            target = self._box_at(event.position())
            self._set_target(target if target is not press.item else None)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self._pan is not None:
            self._pan = None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor
            )
            event.accept()
            return
        press = self._press
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        self._press = None
        target = self._target
        self._set_lane(None)
        self._set_target(None)
        self._drop_ghost()
        if press.mode == "move":
            super().mouseReleaseEvent(event)
        if not press.active:
            return
        at = self.mapToScene(event.position().toPoint())
        delta = at - press.start
        press.item.setPos(0, 0)
        press.item.setZValue(4)
        box = press.item.box
        if press.mode == "move":
            x, y = box.rect.x + delta.x(), box.rect.y + delta.y()
            cx, cy = box.rect.center
            self.boxDropped.emit(box, self._lane_at(cx + delta.x(), cy + delta.y()), x, y)
        else:
            self.connectRequested.emit(box, target.box if target is not None else None)
        event.accept()

    def _cancel(self) -> None:
        press, self._press = self._press, None
        press.item.setPos(0, 0)
        press.item.setZValue(4)
        self._set_lane(None)
        self._set_target(None)
        self._drop_ghost()

    def _set_lane(self, lane: Lane | None) -> None:
        item = self.scene().lanes.get(lane.party) if lane is not None else None
        if item is not self._lane:
            if self._lane is not None:
                self._lane.set_highlight(False)
            self._lane = item
            if item is not None:
                item.set_highlight(True)

    def _set_target(self, item: BoxItem | None) -> None:
        if item is not self._target:
            if self._target is not None:
                self._target.set_drop_target(False)
            self._target = item
            if item is not None:
                item.set_drop_target(True)

    def _drop_ghost(self) -> None:
        if self._ghost is not None:
            self.scene().removeItem(self._ghost)
            self._ghost = None

    def forget_items(self) -> None:
        """The scene is about to be rebuilt: drop references to its items."""
        self._press = None
        self._lane = None
        self._target = None
        self._ghost = None


ContractChooser = Callable[[object, object, list], "str | None"]


class SourcingMapWidget(QWidget):
    """The map of one document with its toolbar. The window connects `selectionChanged`
    to its other views, calls `select_subjects` when they select, and feeds findings to
    `set_findings`; `set_highlight` marks what a what-if changes; `message` carries texts
    for the status bar."""

    selectionChanged = Signal(list)
    message = Signal(str)

    def __init__(
        self, document: Document, parent=None, choose_contract: ContractChooser | None = None
    ):
        super().__init__(parent)
        self.document = document
        self.choose_contract: ContractChooser = choose_contract or self._ask_contract
        self.findings: list | None = None  # None until the first check reports
        self._syncing = False
        self._fitted = False
        self.scene = MapScene(self)
        self.view = MapView(self.scene, self)
        self.toolbar = QToolBar("Map", self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.zoom_in_action = self._action(
            "Zoom in", lambda: self.view.zoom(1.25), QKeySequence.StandardKey.ZoomIn
        )
        self.zoom_out_action = self._action(
            "Zoom out", lambda: self.view.zoom(0.8), QKeySequence.StandardKey.ZoomOut
        )
        self.fit_action = self._action("Fit", self.view.fit)
        self.toolbar.addSeparator()
        self.relayout_action = self._action("Re-layout", self.relayout)
        self.relayout_action.setToolTip(
            "Release the boxes placed by hand and lay the map out again"
        )
        self.toolbar.addSeparator()
        self.forums_action = self._action("Forums", self.rebuild)
        self.forums_action.setCheckable(True)
        self.forums_action.setChecked(True)
        self.legend_action = self._action("Legend", self._toggle_legend)
        self.legend_action.setCheckable(True)
        self.legend_action.setChecked(True)
        self.toolbar.addSeparator()
        self.export_action = self._action("Export…", self._export_dialog)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view)
        self.view.boxDropped.connect(self._dropped)
        self.view.connectRequested.connect(self._connect)
        self.view.deleteRequested.connect(self.delete_selected)
        self.scene.selectionChanged.connect(self._scene_selection)
        document.changed.connect(self._document_changed)
        self.rebuild()

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda *_: slot())
        self.toolbar.addAction(action)
        return action

    # --- showing the model -----------------------------------------------------------------

    # A window that keeps the map on a tab sets this: while the tab is not shown, model
    # changes and new findings only mark the map stale, and it catches up when shown.
    defer_when_hidden = False
    _stale_build = False
    _stale_texts = None  # the changes of labels (a Change) the hidden map has not drawn
    _stale_findings = False

    def _deferred(self) -> bool:
        return self.defer_when_hidden and not self.isVisible()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale_build:
            self.rebuild()
        else:
            if self._stale_texts is not None:
                texts, self._stale_texts = self._stale_texts, None
                self.scene.update_texts(texts)
            if self._stale_findings:
                self._stale_findings = False
                self.scene.set_findings(self.findings)
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self.view.fit)

    def _document_changed(self, change=None) -> None:
        # Only boxes, lanes, frames and arrows need a new layout (Change.map_changed); a
        # new name, a contract's clause and the like redraw their own items in place,
        # and what the map does not show (RACI cells, activities, ...) changes nothing.
        if change is None or change.map_changed:
            if self._deferred():
                self._stale_build = True
            else:
                self.rebuild()
        elif self._deferred():
            if not self._stale_build:
                if self._stale_texts is None:
                    self._stale_texts = Change()
                self._stale_texts.merge(change)
        else:
            self.scene.update_texts(change)

    def rebuild(self) -> None:
        """Draw the model again, keeping the selection and what the view shows."""
        self._stale_build = self._stale_findings = False
        self._stale_texts = None
        selected = self.selected_subjects()
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        self.view.forget_items()
        self._syncing = True
        try:
            self.scene.build(
                self.document.model,
                self.findings,
                show_forums=self.forums_action.isChecked(),
                show_legend=self.legend_action.isChecked(),
            )
            for subject in selected:
                for item in self.scene.items_of(subject):
                    item.setSelected(True)
        finally:
            self._syncing = False
        self.view.centerOn(centre)
        if selected != self.selected_subjects():
            self._scene_selection()

    def _toggle_legend(self) -> None:
        if self.scene.legend is not None:
            self.scene.legend.setVisible(self.legend_action.isChecked())
            self.scene.fit_rect()

    def set_findings(self, findings) -> None:
        """Mark the items the findings name; called whenever the findings change."""
        self.findings = list(findings) if findings is not None else None
        if self._deferred():
            self._stale_findings = True
            return
        self.scene.set_findings(self.findings)

    def set_highlight(self, subjects: set[str], notes: dict[str, str] | None = None) -> None:
        """Mark the boxes, lanes, contract frames and arrows a what-if or a comparison
        changes (object keys as `ecomraci.diff.ModelDiff.changed_keys` gives them, notes
        by key for the tooltips); the marks stay when the map is drawn again, and an
        empty set takes them away."""
        self.scene.set_highlight(subjects, notes)

    def highlighted(self) -> set[str]:
        """The subjects of the items marked as changed."""
        return {item.subject for item in self.scene.changed_items}

    # --- selection ---------------------------------------------------------------------------

    def selected_subjects(self) -> list[str]:
        out: list[str] = []
        for item in self.scene.selectedItems():
            if isinstance(item, MapItem) and item.subject not in out:
                out.append(item.subject)
        return out

    def _scene_selection(self) -> None:
        if not self._syncing:
            self.selectionChanged.emit(self.selected_subjects())

    def select_subjects(self, ids) -> None:
        """Select the items showing these ids (from the tree, inspector or findings)."""
        self._syncing = True
        try:
            self.scene.clearSelection()
            first = None
            for subject in ids or []:
                for item in self.scene.items_of(subject):
                    item.setSelected(True)
                    first = first or item
        finally:
            self._syncing = False
        if first is not None:
            self.view.ensureVisible(first, 40, 40)

    # --- gestures into commands ----------------------------------------------------------------

    def _push(self, edits: list, text: str) -> bool:
        if not edits:
            return False
        problem = self.document.apply(edits, text)
        if problem is not None:
            self.message.emit(f"Not changed: {problem}")
            return False
        self.message.emit(text)
        return True

    def _name(self, collection: str, object_id: str) -> str:
        return next(
            (x.name for x in getattr(self.document.model, collection) if x.id == object_id),
            object_id,
        )

    def _dropped(self, box, lane: Lane | None, x: float, y: float) -> None:
        model = self.document.model
        fname = self._name("functions", box.function)
        if lane is None:
            self.message.emit("Drop a box on a party's lane")
            return
        pin = self.scene.map.pin_at(x, y, lane)
        if lane.party == box.party:
            if not box.primary:
                self.message.emit(
                    f"This box of {fname} is placed next to its first box; move that one"
                )
                return
            current = model.layout.get(box.function)
            if current is not None and (current.x, current.y) == (pin.x, pin.y):
                return
            self._push([SetLayout(subject=box.function, position=pin)], f"Place {fname} on the map")
            return
        if lane.party == UNASSIGNED:
            self.message.emit(
                f"To stop a party delivering {fname}, select its box and press Delete"
            )
            return
        party = model.party(lane.party)
        contract = None
        if party.kind == "external":
            contracts = [c for c in model.contracts if c.party == party.id]
            answer = self.choose_contract(model.function(box.function), party, contracts)
            if answer is None:
                self.message.emit(f"{fname} stays with {self._name('parties', box.party)}")
                return
            contract = answer or None
        try:
            edits = deliver(
                model,
                box.function,
                party.id,
                instead_of=box.party or None,
                contract=contract,
                pin=pin if box.primary else None,
            )
        except EditError as exc:
            self.message.emit(f"Not changed: {exc}")
            return
        self._push(edits, f"Move {fname} to {party.name}")

    def _ask_contract(self, function, party, contracts) -> str | None:
        items = [c.name for c in contracts] + [f"A new contract with {party.name}", "No contract"]
        text, ok = QInputDialog.getItem(
            self,
            "Under which contract?",
            f"{party.name} will deliver {function.name}. Under which contract?",
            items,
            0,
            False,
        )
        if not ok:
            return None
        index = items.index(text)
        if index < len(contracts):
            return contracts[index].id
        return NEW_CONTRACT if index == len(contracts) else NO_CONTRACT

    def _connect(self, source, target) -> None:
        if target is None:
            return
        model = self.document.model
        try:
            edits = add_dependency(model, needed=source.function, needing=target.function)
        except EditError as exc:
            self.message.emit(f"No dependency added: {exc}")
            return
        self._push(
            edits,
            f"{self._name('functions', target.function)} needs "
            f"{self._name('functions', source.function)}",
        )

    def delete_selected(self) -> None:
        subjects: list[tuple[str, str]] = []
        for item in self.scene.selectedItems():
            if isinstance(item, BoxItem):
                subjects.append(("box", f"{item.box.function}@{item.box.party}"))
            elif isinstance(item, EdgeItem):
                subjects.append(("dependency", item.subject))
            elif isinstance(item, FrameItem):
                subjects.append(("contract", item.subject))
            elif isinstance(item, ForumItem):
                subjects.append(("forum", item.subject))
            elif isinstance(item, LaneItem) and item.subject != UNASSIGNED:
                subjects.append(("party", item.subject))
        if not subjects:
            return
        try:
            edits = remove_subjects(self.document.model, subjects)
        except EditError as exc:
            self.message.emit(f"Nothing deleted: {exc}")
            return
        n = len(subjects)
        self._push(edits, "Delete from the map" if n == 1 else f"Delete {n} items from the map")

    def relayout(self) -> None:
        functions = {f.id for f in self.document.model.functions}
        pinned = [k for k in self.document.model.layout if k in functions]
        if not pinned:
            self.message.emit("No box is placed by hand: the map is already laid out automatically")
            return
        self._push([SetLayout(subject=k, position=None) for k in pinned], "Re-layout the map")

    # --- export ---------------------------------------------------------------------------------

    def export_map(self, path) -> Path:
        """Write the map as SVG, PNG or PDF (by the file's extension)."""
        from ui.sourcing_map.render import render_map

        return render_map(
            self.document.model, path, self.findings, show_forums=self.forums_action.isChecked()
        )

    def _export_dialog(self) -> None:
        from ui.sourcing_map.render import RenderError

        base = self.document.path.name.split(".")[0] if self.document.path else "map"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export map", f"{base}-map.svg", "SVG (*.svg);;PNG (*.png);;PDF (*.pdf)"
        )
        if not path:
            return
        try:
            self.export_map(path)
        except RenderError as exc:
            QMessageBox.warning(self, "Cannot export the map", str(exc))
            return
        self.message.emit(f"Map written to {path}")
