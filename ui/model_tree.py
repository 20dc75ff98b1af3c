"""The model tree: the "Model" dock's view of one document's parties, functions (with
their activities), contracts, forums and saved scenarios.

`TreeModel` is a `QStandardItemModel` kept in step with the document. It reads each
`ecomraci.transaction.Change` and touches only what changed: a rename sets one item's
text, an object added or removed inserts or removes its row (and the group's count), an
activity given to another function leaves one function's rows for the other's. The view
therefore keeps its expanded groups, its selection and its scroll position. Only a move
(a new order within a collection) or a change it is not told about (`None`) rebuilds the
items, and `ModelTree` then expands again what was expanded and makes the same item
current. RACI cells, layout pins and fields that no label shows change nothing here.

Why standard items kept in sync rather than a `QAbstractItemModel` over the core model:
the core's objects and lists are no stable place for an index to point at (an undone
removal adds back a new object, and a pointer held in an index would keep no Python
object alive), while a tree of a few thousand standard items costs little, keeps its own
row bookkeeping correct, and lets callers hold a `QStandardItem` (`item_of`). What the
tree must get right is which rows to touch, and that is what `update` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecomraci.edits import object_key
from ui.document import Document

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMenu, QTreeView, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole  # an object's key (a scenario's name)
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # party, function, activity, ...; None on a group
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3  # parties, functions, ...; None on an object

# The groups at the top of the tree, in order: collection (also the group's name), title,
# the kind of its items.
GROUPS = (
    ("parties", "Parties", "party"),
    ("functions", "Functions", "function"),
    ("contracts", "Contracts", "contract"),
    ("forums", "Forums", "forum"),
    ("scenarios", "Scenarios", "scenario"),
)
_KIND_OF = {collection: kind for collection, _title, kind in GROUPS}
_KIND_OF["activities"] = "activity"
# The fields each kind's label shows: a change to any other field leaves the tree alone.
_LABEL_FIELDS = {"parties": {"name", "kind"}}
_NAME_ONLY = {"name"}

Identity = tuple[Any, Any, Any]  # (group, kind, key): an item that survives a rebuild


class _OrderChanged(Exception):
    """The rows kept under a parent are no longer in the model's order: rebuild."""


def _label(kind: str, obj: Any) -> str:
    if kind == "party":
        return f"{obj.name}  ·  {obj.kind}"
    return obj.name


def _item(
    text: str, kind: str | None = None, key: str | None = None, group: str | None = None
) -> QStandardItem:
    node = QStandardItem(text)
    node.setEditable(False)
    node.setData(key, KEY_ROLE)
    node.setData(kind, KIND_ROLE)
    node.setData(group, GROUP_ROLE)
    return node


class TreeModel(QStandardItemModel):
    """The items of the model tree for one document (or none), updated in place."""

    # Around a rebuild (a model reset): views keep what they want to show again. Qt's
    # modelAboutToBeReset comes too late for that: the items are gone by then.
    aboutToRebuild = Signal()
    rebuilt = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.document: Document | None = None

    def set_document(self, document: Document | None) -> None:
        """Follow `document` from now on (None: show nothing)."""
        old = self.document
        if old is not None and old is not document:
            try:
                old.changed.disconnect(self.update)
            except (RuntimeError, TypeError):  # already gone with its C++ object
                pass
        if document is not None and document is not old:
            document.changed.connect(self.update)
        self.document = document
        self.rebuild()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole name where the dock cuts it off
            role = Qt.ItemDataRole.DisplayRole
        return super().data(index, role)

    # --- reading ------------------------------------------------------------------------

    def group_item(self, group: str) -> QStandardItem | None:
        root = self.invisibleRootItem()
        for row in range(root.rowCount()):
            child = root.child(row)
            if child.data(GROUP_ROLE) == group:
                return child
        return None

    def item_of(self, key: str, kind: str | None = None) -> QStandardItem | None:
        """The item of the object `key` (of `kind`, or the first of any kind)."""
        if not key or self.rowCount() == 0:
            return None
        matches = self.match(
            self.index(0, 0),
            KEY_ROLE,
            key,
            -1 if kind else 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        for index in matches:
            if kind is None or index.data(KIND_ROLE) == kind:
                return self.itemFromIndex(index)
        return None

    def _find(self, collection: str, kind: str, key: str, obj: Any) -> QStandardItem | None:
        """The item of `key` looked up under its group (an activity: under its function's
        item) before searching the whole tree: `item_of` asks every item of a big model
        for its data through Python, which costs more than the edit."""
        if kind == "activity":
            parent = self._child(self.group_item("functions"), getattr(obj, "function", None))
        else:
            parent = self.group_item(collection)
        node = self._child(parent, key)
        if node is not None and node.data(KIND_ROLE) == kind:
            return node
        return self.item_of(key, kind)

    @staticmethod
    def _child(parent: QStandardItem | None, key: str | None) -> QStandardItem | None:
        if parent is None or key is None:
            return None
        for row in range(parent.rowCount()):
            child = parent.child(row)
            if child.data(KEY_ROLE) == key:
                return child
        return None

    # --- building -----------------------------------------------------------------------

    def rebuild(self) -> None:
        """All items again from the model (one reset of the views)."""
        self.aboutToRebuild.emit()
        # removeRows inside a reset, not clear(): clear() leaves PySide's wrappers of
        # every old item alive (about a hundred objects a rebuild on a sample, thousands
        # on a big model)
        self.beginResetModel()
        self.blockSignals(True)  # the views hear of the reset, not of each row
        self.removeRows(0, self.rowCount())
        if self.document is not None:
            m = self.document.model
            by_function = self._activities_by_function()
            root = self.invisibleRootItem()
            for collection, title, kind in GROUPS:
                objects = getattr(m, collection)
                group = _item(f"{title} ({len(objects)})", group=collection)
                group.appendRows([self._object_item(kind, o, by_function) for o in objects])
                root.appendRow(group)
        self.blockSignals(False)
        self.endResetModel()
        self.rebuilt.emit()

    def _activities_by_function(self) -> dict[str, list[Any]]:
        grouped: dict[str, list[Any]] = {}
        assert self.document is not None
        for a in self.document.model.activities:
            grouped.setdefault(a.function, []).append(a)
        return grouped

    def _object_item(
        self, kind: str, obj: Any, by_function: dict[str, list[Any]] | None = None
    ) -> QStandardItem:
        key = obj.name if kind == "scenario" else obj.id
        node = _item(_label(kind, obj), kind, key)
        if kind == "function":
            if by_function is None:
                by_function = self._activities_by_function()
            node.appendRows([_item(a.name, "activity", a.id) for a in by_function.get(key, [])])
        return node

    # --- following the document ---------------------------------------------------------

    def update(self, change=None) -> None:
        """Bring the items in line with `change` (an `ecomraci.transaction.Change`, or
        None for anything), touching only the rows it names."""
        if self.document is None:
            return
        if change is None or set(change.moved) & set(_KIND_OF):
            self.rebuild()
            return
        structural = (set(change.added) | set(change.removed)) & set(_KIND_OF)
        regrouped = any(
            "function" in names for names in change.changed_fields("activities").values()
        )
        if regrouped:
            structural.add("activities")
        try:
            # functions before their activities: a function added back comes with them
            for collection in (
                "parties",
                "functions",
                "activities",
                "contracts",
                "forums",
                "scenarios",
            ):
                if collection in structural:
                    self._sync(collection)
        except _OrderChanged:
            self.rebuild()
            return
        for collection, objects in change.fields.items():
            kind = _KIND_OF.get(collection)
            shown = _LABEL_FIELDS.get(collection, _NAME_ONLY)
            if kind is None or kind == "scenario":
                continue
            for key, names in objects.items():
                if names & shown:
                    self._relabel(collection, kind, key)

    def _sync(self, collection: str) -> None:
        assert self.document is not None
        if collection == "activities":
            functions = self.group_item("functions")
            by_function = self._activities_by_function()
            for row in range(functions.rowCount()):
                node = functions.child(row)
                self._reconcile(node, collection, by_function.get(node.data(KEY_ROLE), []))
            return
        group = self.group_item(collection)
        objects = getattr(self.document.model, collection)
        self._reconcile(group, collection, objects)
        title = next(t for c, t, _k in GROUPS if c == collection)
        group.setText(f"{title} ({len(objects)})")

    def _reconcile(self, parent: QStandardItem, collection: str, objects: list[Any]) -> None:
        """Remove the rows under `parent` whose object is gone and insert a row for each
        new object, where the model has it. Raises `_OrderChanged` when the rows kept are
        no longer in the model's order."""
        kind = _KIND_OF[collection]
        wanted = [object_key(collection, o) for o in objects]
        keep = set(wanted)
        for row in reversed(range(parent.rowCount())):
            if parent.child(row).data(KEY_ROLE) not in keep:
                parent.removeRow(row)
        present = [parent.child(row).data(KEY_ROLE) for row in range(parent.rowCount())]
        there = set(present)
        if [k for k in wanted if k in there] != present:
            raise _OrderChanged
        for row, (key, obj) in enumerate(zip(wanted, objects)):
            child = parent.child(row)
            if child is None or child.data(KEY_ROLE) != key:
                # the list form: PySide6 (6.11) leaves an item passed alone to insertRow
                # owned by Python, which deletes it and leaves an empty row
                parent.insertRow(row, [self._object_item(kind, obj)])

    def _relabel(self, collection: str, kind: str, key: str) -> None:
        assert self.document is not None
        obj = next((o for o in getattr(self.document.model, collection) if o.id == key), None)
        node = self._find(collection, kind, key, obj)
        if node is None:
            return
        if obj is not None and node.text() != _label(kind, obj):
            node.setText(_label(kind, obj))


class ModelTree(QTreeView):
    """The tree view of the "Model" dock. A click or Enter on an object asks to show it
    (`objectActivated`); a right-click shows the menu `menu_for(kind, key, group)` builds
    for the item (kind and key are None on a group, group None on an object)."""

    objectActivated = Signal(str, str)  # kind, key

    def __init__(
        self,
        menu_for: Callable[[str | None, str | None, str | None], QMenu],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.tree_model = TreeModel(self)
        self.setModel(self.tree_model)
        self._menu_for = menu_for
        self._kept: tuple[set[Identity], Identity | None, int] | None = None
        self._binding = False
        self.activated.connect(self._activated)
        self.clicked.connect(self._activated)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.tree_model.aboutToRebuild.connect(self._remember)
        self.tree_model.rebuilt.connect(self._restore)

    def bind(self, document: Document | None) -> None:
        """Show `document`'s objects, its groups expanded (None: an empty tree)."""
        self._binding = True
        try:
            self.tree_model.set_document(document)
        finally:
            self._binding = False
        self._kept = None
        self.expandToDepth(0)

    # --- the items ----------------------------------------------------------------------

    def item(self, key: str, kind: str | None = None) -> QStandardItem | None:
        return self.tree_model.item_of(key, kind)

    def select(self, key: str) -> bool:
        """Make the object `key` the current item and scroll to it (nothing is shown:
        this follows a selection made elsewhere). False when the tree has no such item."""
        node = self.tree_model.item_of(key)
        if node is None:
            return False
        self.setCurrentIndex(node.index())
        self.scrollTo(node.index())
        return True

    def menu(self, index: QModelIndex | QPersistentModelIndex) -> QMenu:
        """The context menu for the item at `index` (an invalid index: the empty space)."""
        return self._menu_for(index.data(KIND_ROLE), index.data(KEY_ROLE), index.data(GROUP_ROLE))

    def _show_menu(self, pos) -> None:
        if self.tree_model.document is None:
            return
        menu = self.menu(self.indexAt(pos))
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(pos))

    def _activated(self, index: QModelIndex) -> None:
        kind, key = index.data(KIND_ROLE), index.data(KEY_ROLE)
        if kind and key is not None:
            self.objectActivated.emit(kind, key)

    # --- keeping the view's state over a rebuild ----------------------------------------

    @staticmethod
    def _identity(index: QModelIndex) -> Identity:
        return (index.data(GROUP_ROLE), index.data(KIND_ROLE), index.data(KEY_ROLE))

    def _expandable(self):
        """The indexes that can be expanded: the groups and the functions."""
        model = self.tree_model
        for row in range(model.rowCount()):
            group = model.index(row, 0)
            yield group
            for child in range(model.rowCount(group)):
                index = model.index(child, 0, group)
                if model.hasChildren(index):
                    yield index

    def _remember(self) -> None:
        if self._binding:
            return
        expanded = {self._identity(i) for i in self._expandable() if self.isExpanded(i)}
        current = self.currentIndex()
        self._kept = (
            expanded,
            self._identity(current) if current.isValid() else None,
            self.verticalScrollBar().value(),
        )

    def _restore(self) -> None:
        kept, self._kept = self._kept, None
        if kept is None or self._binding:
            return
        expanded, current, scrolled = kept
        for index in list(self._expandable()):
            if self._identity(index) in expanded:
                self.expand(index)
        if current is not None:
            group, kind, key = current
            node = self.tree_model.item_of(key, kind) if kind else self.tree_model.group_item(group)
            if node is not None:
                self.setCurrentIndex(node.index())
        self.executeDelayedItemsLayout()  # the scroll range of the expanded rows
        self.verticalScrollBar().setValue(scrolled)
