"""The main window's size and dock layout: remembered between sessions, sized to the
screen the first time, kept in proportion when the window is resized, hidden while the
start page shows and put back by *View › Reset layout*.

* The first start (nothing remembered) sizes the window to the screen's free area
  (all of a small screen, nine tenths of a large one) and the docks in proportion to
  the window (`dock_sizes`).
* Closing the window stores its geometry and `saveState` (dock places, sizes and
  visibility, versioned by `STATE_VERSION`: a layout from an older version is not
  restored) in the settings; the next window restores both.
* When the window grows or shrinks, each docked pane keeps its share of the window (a
  main window otherwise gives all the change to the central tabs, so a pane squeezed on
  a small window never widens again).
* The start page shows no dock: `hide_docks` keeps the layout the user had (which docks
  and how big) and `show_docks` puts it back when a model opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
# Each dock's share of the window when the state was stored ("name:h:0.18;..."), to
# fit them to a window restored at another size (a smaller screen).
SHARES_KEY = "window/shares"
# Raised when the docks change so much that an old saved state would look broken.
STATE_VERSION = 2
# The size when the platform has no real screen (offscreen: tests, screenshots).
FALLBACK_SIZE = QSize(1400, 900)
# Below this the window takes the whole free area of the screen.
SMALL_SCREEN = QSize(1366, 800)
# The smallest width a side pane is squeezed to, so that it stays readable.
MIN_SIDE_WIDTH = 160
MIN_BOTTOM_HEIGHT = 120


@dataclass(frozen=True)
class DockPlace:
    dock: QDockWidget
    area: Qt.DockWidgetArea


def initial_size(available: QSize) -> QSize:
    """The window's size on a screen whose free area is `available`: all of a small
    screen, nine tenths of a larger one."""
    if available.width() <= SMALL_SCREEN.width() or available.height() <= SMALL_SCREEN.height():
        return QSize(available)
    return QSize(int(available.width() * 0.9), int(available.height() * 0.9))


def dock_sizes(window: QSize) -> tuple[int, int, int]:
    """The default widths of the left and right panes and the height of the bottom one
    for a window of size `window`: a share of it, within readable bounds."""

    def clamp(value: float, low: int, high: int) -> int:
        return int(max(low, min(high, value)))

    return (
        clamp(window.width() * 0.18, 170, 320),
        clamp(window.width() * 0.28, 300, 520),
        clamp(window.height() * 0.28, 150, 320),
    )


class WindowLayout(QObject):
    """Remembers and restores `window`'s geometry and docks (see the module's
    docstring). `places` are the docks in their default areas, left first, then the
    right ones (the first of which the others are tabbed with), then the bottom one."""

    def __init__(self, window: QMainWindow, settings: QSettings, places: list[DockPlace]):
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.places = places
        self._saved: QByteArray | None = None  # the model's layout while docks are hidden
        self._shares: list | None = None  # the docks' shares of the window, while resizing
        self._hidden_shares: list = []  # and while the start page hides them
        self._restored_shares: list = []  # and as the settings had them
        for place in places:
            # so that a narrow window squeezes the central tabs before the panes
            if place.area == Qt.DockWidgetArea.LeftDockWidgetArea:
                place.dock.setMinimumWidth(MIN_SIDE_WIDTH)
        window.installEventFilter(self)

    @property
    def docks(self) -> list[QDockWidget]:
        return [p.dock for p in self.places]

    @property
    def docks_hidden(self) -> bool:
        return self._saved is not None

    # --- remembering ----------------------------------------------------------------

    def restore(self) -> None:
        """The remembered geometry and docks, or the defaults for this screen."""
        geometry = _bytes(self.settings.value(GEOMETRY_KEY))
        if not (geometry is not None and self.window.restoreGeometry(geometry)):
            self.window.resize(self._screen_size())
            self._centre()
        state = _bytes(self.settings.value(STATE_KEY))
        if not (state is not None and self.window.restoreState(state, STATE_VERSION)):
            self.default_sizes()
            return
        # the shares the docks had, applied once the window is shown at its size
        self._restored_shares = self._stored_shares()
        if self._restored_shares:
            self._shares = self._restored_shares
            QTimer.singleShot(0, self._keep_shares)

    def save(self) -> None:
        """Store the geometry and the docks' layout (the model's, while the start page
        hides them)."""
        self.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        if self._saved is not None:
            state, shares = self._saved, self._hidden_shares
        else:
            state = self.window.saveState(STATE_VERSION)
            shares = self._current_shares(self.window.size())
        self.settings.setValue(STATE_KEY, state)
        self.settings.setValue(
            SHARES_KEY,
            ";".join(
                f"{dock.objectName()}:{'h' if o == Qt.Orientation.Horizontal else 'v'}:{share:.4f}"
                for o, dock, share in shares
            ),
        )

    def _stored_shares(self) -> list[tuple[Qt.Orientation, QDockWidget, float]]:
        by_name = {dock.objectName(): dock for dock in self.docks}
        shares = []
        for part in str(self.settings.value(SHARES_KEY, "") or "").split(";"):
            name, _, rest = part.partition(":")
            axis, _, number = rest.partition(":")
            try:
                share = float(number)
            except ValueError:
                continue
            if name in by_name and axis in ("h", "v") and 0 < share < 1:
                orientation = Qt.Orientation.Horizontal if axis == "h" else Qt.Orientation.Vertical
                shares.append((orientation, by_name[name], share))
        return shares

    def reset(self) -> None:
        """Every dock back in its default place, shown, at the default size; forget the
        remembered layout."""
        hidden = self.docks_hidden
        if hidden:
            self.show_docks()
            self._shares = None  # the default sizes below, not the shares from before
        right = [p.dock for p in self.places if p.area == Qt.DockWidgetArea.RightDockWidgetArea]
        for place in self.places:
            place.dock.setFloating(False)
            self.window.addDockWidget(place.area, place.dock)
            place.dock.show()
        for dock in right[1:]:
            self.window.tabifyDockWidget(right[0], dock)
        if right:
            right[0].raise_()
        self.default_sizes()
        self.settings.remove(STATE_KEY)
        self.settings.remove(SHARES_KEY)
        if hidden:
            self.hide_docks()
            self._hidden_shares = []  # the docks have not been laid out at these sizes yet

    def default_sizes(self) -> None:
        left, right, bottom = dock_sizes(self.window.size())
        widths = {
            Qt.DockWidgetArea.LeftDockWidgetArea: left,
            Qt.DockWidgetArea.RightDockWidgetArea: right,
        }
        side = [p for p in self.places if p.area in widths]
        self.window.resizeDocks(
            [p.dock for p in side], [widths[p.area] for p in side], Qt.Orientation.Horizontal
        )
        below = [p.dock for p in self.places if p.area == Qt.DockWidgetArea.BottomDockWidgetArea]
        self.window.resizeDocks(below, [bottom] * len(below), Qt.Orientation.Vertical)

    # --- the start page -------------------------------------------------------------

    def hide_docks(self) -> None:
        """Hide every dock (the start page shows none), keeping the layout to put back."""
        if self._saved is not None:
            return
        self._saved = self.window.saveState(STATE_VERSION)
        # (a window not shown yet has laid nothing out: the shares it was restored with)
        self._hidden_shares = (
            self._current_shares(self.window.size())
            if self.window.isVisible()
            else self._restored_shares
        )
        for dock in self.docks:
            dock.hide()
            dock.toggleViewAction().setEnabled(False)

    def show_docks(self) -> None:
        """Put back the docks `hide_docks` hid, as they were."""
        if self._saved is None:
            return
        saved, self._saved = self._saved, None
        for dock in self.docks:
            dock.toggleViewAction().setEnabled(True)
        if not self.window.restoreState(saved, STATE_VERSION):
            for dock in self.docks:
                dock.show()
        # the window may have been resized meanwhile: each dock back at its share of it
        self._shares = self._hidden_shares
        QTimer.singleShot(0, self._keep_shares)

    # --- resizing -------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.window
            and event.type() == QEvent.Type.Resize
            and self.window.isVisible()
            and event.oldSize().isValid()
            and event.oldSize() != event.size()
            and self._shares is None
        ):
            # The layout has not followed the resize yet: each dock still has its size
            # in the old window. The new sizes are set once it has (sooner, the layout
            # would squeeze them into the old window).
            self._shares = self._current_shares(event.oldSize())
            QTimer.singleShot(0, self._keep_shares)
        return False

    def _current_shares(self, old: QSize) -> list[tuple[Qt.Orientation, QDockWidget, float]]:
        """Each docked pane's share of the window's width (side panes) or height (the
        bottom one)."""
        shares: list[tuple[Qt.Orientation, QDockWidget, float]] = []
        picked: list[QDockWidget] = []
        # one dock of each tabbed group: the tab shown, which has the group's size
        for dock in sorted(self.docks, key=lambda d: d.visibleRegion().isEmpty()):
            if dock.isFloating() or not dock.isVisible():
                continue
            if any(dock in self.window.tabifiedDockWidgets(other) for other in picked):
                continue
            picked.append(dock)
            area = self.window.dockWidgetArea(dock)
            if area in (
                Qt.DockWidgetArea.LeftDockWidgetArea,
                Qt.DockWidgetArea.RightDockWidgetArea,
            ):
                if old.width() > 0:
                    shares.append((Qt.Orientation.Horizontal, dock, dock.width() / old.width()))
            elif area in (
                Qt.DockWidgetArea.TopDockWidgetArea,
                Qt.DockWidgetArea.BottomDockWidgetArea,
            ):
                if old.height() > 0:
                    shares.append((Qt.Orientation.Vertical, dock, dock.height() / old.height()))
        return shares

    def _keep_shares(self) -> None:
        """Each docked pane keeps the share of the window it had before the resize."""
        shares, self._shares = self._shares or [], None
        size = self.window.size()
        for orientation, total, low in (
            (Qt.Orientation.Horizontal, size.width(), MIN_SIDE_WIDTH),
            (Qt.Orientation.Vertical, size.height(), MIN_BOTTOM_HEIGHT),
        ):
            picked = [
                (dock, share)
                for o, dock, share in shares
                if o == orientation and not dock.isHidden()
            ]
            if picked:
                self.window.resizeDocks(
                    [dock for dock, _ in picked],
                    [max(low, round(share * total)) for _, share in picked],
                    orientation,
                )

    # --- the first start ------------------------------------------------------------

    def _screen_size(self) -> QSize:
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        if screen is None or QGuiApplication.platformName() in ("offscreen", "minimal"):
            return QSize(FALLBACK_SIZE)
        return initial_size(screen.availableGeometry().size())

    def _centre(self) -> None:
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        if screen is None or QGuiApplication.platformName() in ("offscreen", "minimal"):
            return
        frame = self.window.frameGeometry()
        frame.moveCenter(screen.availableGeometry().center())
        self.window.move(frame.topLeft())


def _bytes(value) -> QByteArray | None:
    """A stored geometry or state as Qt wants it (a settings back end may hand back
    plain bytes); None for anything else (a hand-edited or foreign value)."""
    if isinstance(value, QByteArray):
        return value
    if isinstance(value, bytes | bytearray):
        return QByteArray(bytes(value))
    return None
