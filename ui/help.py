"""The Help menu: the user guide, the rule catalog in plain words, the keyboard shortcuts
and the About box.

* The guide is ``docs/guide.md``, shipped in the package as ``ui/guide.md`` (a test keeps
  the two the same) and shown in a `GuideWindow`: its headings listed on the left, the
  text on the right, the guide's own links jumping to their heading.
* The shortcuts are read from the window's menus when the list is opened, so an action
  added or rebound elsewhere shows up without a change here; the keys of the RACI matrix
  that are not menu actions come from `MATRIX_KEYS` (a key that some action of the window
  already has is listed with that action instead).
* The About box reads every version and licence from the installed packages
  (`importlib.metadata`): the app, Python, Qt and PySide6, and each library the app
  needs at run time, found by following the requirements of ``ecomraci[gui]``.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from html import escape
from importlib import metadata, resources

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QObject, Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMenuBar,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

APP = "ecomraci"
GUIDE = "guide.md"  # in the `ui` package; the same text as docs/guide.md
# Keys of the RACI matrix that are not actions of a menu: keys, what they do.
MATRIX_KEYS = (
    ("Arrows, Tab, Shift+Tab", "Move from cell to cell"),
    ("R, A, C, I (or A/R, AR)", "Type the letters of the current cell (they replace it)"),
    ("Ctrl+Shift+R, A, C, I", "Add or take out one letter in every selected cell"),
    ("F2", "Edit the current cell's letters as text"),
    ("Enter", "Keep the letters typed and move down"),
    ("Esc", "Cancel the letters typed"),
    ("Delete", "Clear the selected cells"),
    ("Ctrl+X, Ctrl+C, Ctrl+V", "Cut, copy and paste cells (also to and from a spreadsheet)"),
    ("Ctrl+D", "Fill down: copy the top row of the selection into the rows below"),
    ("Ctrl+R", "Fill right: copy the left column of the selection into the columns right"),
    ("Ctrl++, Ctrl+-", "Zoom the matrix in and out"),
    ("Ctrl+0", "Zoom the matrix back to 100 %"),
    ("Alt+Left, Alt+Right", "Fold or unfold the function of the current row"),
)
MAP_KEYS = (
    ("+, -, 0", "Zoom the map in and out, or fit it to the window"),
    ("Shift+drag", "Draw a dependency from one function to another"),
    ("Delete", "Remove what is selected on the map"),
)


# --- the guide --------------------------------------------------------------------------


def guide_markdown() -> str:
    """The user guide, as shipped with the package."""
    return resources.files("ui").joinpath(GUIDE).read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """The anchor a heading gets in a markdown link (as GitHub writes it)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


class GuideWindow(QWidget):
    """The user guide in a window of its own, beside the main window (not modal)."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("ecomraci user guide")
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._follow)
        self.text.document().setDocumentMargin(16)
        self.text.setMarkdown(guide_markdown())
        # The contents: a click (or Enter) on a heading scrolls to it. Not on the current
        # item's change, which the list makes itself when it first gets the focus.
        self.contents = QListWidget()
        self.contents.setMinimumWidth(160)
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.setSpacing(2)
        for level, heading in self.headings():
            item = QListWidgetItem(("    " if level > 2 else "") + heading)
            item.setData(Qt.ItemDataRole.UserRole, heading)
            self.contents.addItem(item)
        for signal in (self.contents.itemClicked, self.contents.itemActivated):
            signal.connect(lambda item: self.show_heading(item.data(Qt.ItemDataRole.UserRole)))
        split = QSplitter()
        split.addWidget(self.contents)
        split.addWidget(self.text)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 720])
        self.setFocusProxy(self.text)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.activated.connect(self.close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        screen = self.screen().availableGeometry()
        self.resize(min(980, screen.width() - 80), min(760, screen.height() - 80))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.text.setFocus()  # the keys scroll the text; no heading looks picked
        self.contents.setCurrentRow(-1)

    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of the guide's headings below the title, in order."""
        out = []
        block = self.text.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level >= 2:
                out.append((level, block.text()))
            block = block.next()
        return out

    def show_heading(self, heading: str) -> bool:
        """Scroll the heading whose text (or anchor) is `heading` to the top."""
        block = self.text.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and heading in (block.text(), slug(block.text())):
                self.text.setTextCursor(QTextCursor(block))
                top = self.text.document().documentLayout().blockBoundingRect(block).top()
                self.text.verticalScrollBar().setValue(int(top))
                return True
            block = block.next()
        return False

    def _follow(self, url: QUrl) -> None:
        if url.hasFragment() and not url.path():
            self.show_heading(url.fragment())
        else:
            QDesktopServices.openUrl(url)


# --- the keyboard shortcuts ---------------------------------------------------------------


@dataclass(frozen=True)
class Shortcut:
    group: str  # the menu, or the place where the keys work
    what: str
    keys: str


def _plain(text: str) -> str:
    """A menu text without its mnemonic and the shortcut Qt shows after a tab."""
    return text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def _keys(action: QAction) -> str:
    shown = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
    return " or ".join(s for s in shown if s)


def menu_shortcuts(window) -> list[Shortcut]:
    """Every action with a shortcut in the window's menus, menu by menu (submenus
    under their own name), then other actions of the window that have one."""
    out: list[Shortcut] = []
    seen: set[int] = set()

    def walk(menu: QMenu, group: str) -> None:
        for action in menu.actions():
            seen.add(id(action))
            if action.menu() is not None:
                walk(action.menu(), f"{group} › {_plain(action.text())}")
            elif not action.isSeparator() and _keys(action):
                out.append(Shortcut(group, _plain(action.text()), _keys(action)))

    bar: QMenuBar = window.menuBar()
    for top in bar.actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    others = [
        a for a in window.findChildren(QAction) if id(a) not in seen and _keys(a) and a.text()
    ]
    for action in others:
        out.append(Shortcut(_place(window, action), _plain(action.text()), _keys(action)))
    return out


def _place(window, action: QAction) -> str:
    """Where an action that is in no menu works: the tab or the pane that holds it."""
    owner = action.parent()
    if isinstance(owner, QWidget):
        tabs = getattr(window, "tabs", None)
        for i in range(tabs.count() if tabs is not None else 0):
            page = tabs.widget(i)
            if page is owner or page.isAncestorOf(owner):
                return tabs.tabText(i).replace("&", "")
        for dock in window.findChildren(QDockWidget):
            if dock.isAncestorOf(owner):
                return dock.windowTitle()
    return "Other"


def all_shortcuts(window) -> list[Shortcut]:
    """The menu shortcuts, then the keys of the matrix and the map."""
    out = menu_shortcuts(window)
    taken = {s.keys for s in out}
    out += [Shortcut("RACI matrix", what, keys) for keys, what in MATRIX_KEYS if keys not in taken]
    out += [Shortcut("Sourcing map", what, keys) for keys, what in MAP_KEYS]
    order = {group: i for i, group in reversed(list(enumerate(s.group for s in out)))}
    return sorted(out, key=lambda s: order[s.group])  # each place's keys together


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def shortcuts_html(window) -> str:
    """The shortcuts as one table, a bold row for each menu or place, so that every key
    lines up in one column."""
    rows = []
    group = None
    for s in all_shortcuts(window):
        if s.group != group:
            group = s.group
            pad = "" if not rows else "padding-top: 14px;"
            rows.append(f'<tr><td colspan="2" style="{pad}"><b>{escape(group)}</b></td></tr>')
        rows.append(
            f'<tr><td width="34%" style="padding-left: 12px;"><b>{escape(s.keys)}</b></td>'
            f"<td>{escape(s.what)}</td></tr>"
        )
    return (
        "<h2>Keyboard shortcuts</h2>"
        '<table width="100%" cellspacing="0" cellpadding="3">' + "".join(rows) + "</table>"
    )


# --- About ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def app_version() -> str:
    try:
        return metadata.version(APP)
    except metadata.PackageNotFoundError:
        return "not installed (running from the source folder)"


def licence_of(dist: metadata.Distribution) -> str:
    """A package's licence as its metadata states it: the SPDX expression, a short
    licence field, or the licence classifiers; a licence field that holds the whole
    licence text is cut to its first line."""
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 80:
        return field
    if classifiers:
        return ", ".join(classifiers)
    if field:
        return field.splitlines()[0][:80]
    return "not stated"


def _name(requirement: str) -> tuple[str, str]:
    """(distribution name, its environment marker) of a requirement line."""
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    marker = requirement.split(";", 1)[1] if ";" in requirement else ""
    return (name.group() if name else requirement), marker


def libraries(root: str = APP, extras: tuple[str, ...] = ("gui",)) -> list[Library]:
    """The installed libraries the app needs at run time: the requirements of `root`
    with `extras`, and theirs in turn (no other extras, no test tools), by name."""
    found: dict[str, Library] = {}
    todo = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = (dist.metadata["Name"] or name).lower().replace("_", "-")
        if key in found:
            continue
        if name != root:
            found[key] = Library(dist.metadata["Name"] or name, dist.version, licence_of(dist))
        for requirement in dist.requires or []:
            req, marker = _name(requirement)
            if "extra" in marker and not any(f'extra == "{e}"' in marker for e in wanted):
                continue
            if "python_version" in marker or "sys_platform" in marker or "platform_" in marker:
                if not _marker_holds(marker):
                    continue
            todo.append((req, ()))
    if root == APP:  # running from the source folder: the GUI's own packages at least
        for name in ("PySide6-Essentials", "shiboken6"):
            key = name.lower()
            if key not in found:
                try:
                    dist = metadata.distribution(name)
                except metadata.PackageNotFoundError:
                    continue
                found[key] = Library(name, dist.version, licence_of(dist))
    return sorted(found.values(), key=lambda lib: lib.name.lower())


def _marker_holds(marker: str) -> bool:
    try:
        from packaging.markers import Marker
    except ImportError:  # without packaging, list the library rather than hide it
        return True
    try:
        return Marker(marker.replace('extra == ""', "True")).evaluate({"extra": ""})
    except Exception:
        return True


def about_markdown() -> str:
    rows = "\n".join(
        f"| {_cell(lib.name)} | {_cell(lib.version)} | {_cell(lib.licence)} |"
        for lib in libraries()
    )
    licence = "not stated"
    try:
        licence = licence_of(metadata.distribution(APP))
    except metadata.PackageNotFoundError:
        pass
    return f"""# ecomraci {app_version()}

Sourcing maps, RACI matrices and contract-reversibility checks for e-commerce
organisations. Licence: {licence}.

| Runs on | Version |
|---|---|
| Python | {platform.python_version()} ({platform.python_implementation()}) |
| Qt | {qVersion()} |
| PySide6 | {PYSIDE_VERSION} |
| System | {platform.system()} {platform.release()} |

## Libraries

The app uses these libraries, each under its own licence:

| Library | Version | Licence |
|---|---|---|
{rows}
"""


# --- the dialogs and the menu --------------------------------------------------------------


class TextDialog(QDialog):
    """A markdown (or, with `html`, rich) text with a Close button, not modal."""

    def __init__(self, title: str, text: str, parent=None, size=(640, 600), html=False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.document().setDocumentMargin(12)
        if html:
            self.text.setHtml(text)
        else:
            self.text.setMarkdown(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()
        self.resize(min(size[0], screen.width() - 60), min(size[1], screen.height() - 80))


class HelpMenu(QObject):
    """Fills the window's Help menu and keeps one of each help window."""

    def __init__(self, window, menu: QMenu):
        super().__init__(window)
        self.window = window
        self._open: dict[str, QWidget] = {}
        self.guide_action = self._add(
            menu, "&User guide", self.show_guide, QKeySequence.StandardKey.HelpContents
        )
        self.rules_action = self._add(menu, "&Rule catalog", self.show_rule_catalog)
        self.shortcuts_action = self._add(menu, "&Keyboard shortcuts", self.show_shortcuts)
        menu.addSeparator()
        self.about_action = self._add(menu, "&About ecomraci", self.show_about)

    def _add(self, menu: QMenu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _show(self, key: str, build) -> QWidget:
        """The help window `key`, built the first time, brought to the front."""
        widget = self._open.get(key)
        if widget is None:
            widget = self._open[key] = build()
            widget.destroyed.connect(lambda *_: self._open.pop(key, None))
            # over the middle of the main window, on its screen
            centre = self.window.frameGeometry().center()
            area = self.window.screen().availableGeometry()
            x = max(
                area.left(), min(centre.x() - widget.width() // 2, area.right() - widget.width())
            )
            y = max(
                area.top(), min(centre.y() - widget.height() // 2, area.bottom() - widget.height())
            )
            widget.move(x, y)
        widget.show()
        widget.raise_()
        widget.activateWindow()
        return widget

    def show_guide(self) -> GuideWindow:
        return self._show("guide", lambda: GuideWindow(self.window))

    def show_rule_catalog(self) -> QWidget:
        from ecomraci.docs import render_catalog_in_words

        return self._show(
            "rules",
            lambda: TextDialog("Rule catalog", render_catalog_in_words(), self.window, (760, 700)),
        )

    def show_shortcuts(self) -> QWidget:
        # built anew each time: the window's actions may have changed since
        old = self._open.pop("shortcuts", None)
        if old is not None:
            old.close()
            old.deleteLater()
        return self._show(
            "shortcuts",
            lambda: TextDialog(
                "Keyboard shortcuts", shortcuts_html(self.window), self.window, (560, 640), True
            ),
        )

    def show_about(self) -> QWidget:
        return self._show(
            "about", lambda: TextDialog("About ecomraci", about_markdown(), self.window, (620, 640))
        )
