"""`ecomraci-gui [MODEL] [--screenshot PNG]`: QApplication set-up and the main window.

Start-up order matters for how soon the window is up:

* The Qt-free core (pydantic, networkx, the model and the rules) is imported before
  PySide6. Once PySide6 is imported it inspects the source text of every module
  imported after it (to find the modules that use its ``__feature__`` switches), which
  for the core's few hundred modules costs about a tenth of a second for nothing.
* The cyclic garbage collector is paused until the window is shown: start-up only
  builds long-lived objects (modules, classes, the model), which the collector would
  otherwise walk again and again. The window then freezes them (`gc.freeze`) and the
  collector runs as usual.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import traceback
from pathlib import Path

from ecomraci.dates import as_of_argument

SCREENSHOT_SIZE = (1400, 900)
# For PNG, Qt turns the quality into zlib's compression level: 80 writes in about half
# the time of the default and, with the filters Qt picks, a smaller file for these
# pictures.
SCREENSHOT_QUALITY = 80
log = logging.getLogger("ecomraci.ui")


def _parse(argv):
    p = argparse.ArgumentParser(prog="ecomraci-gui", description="The ecomraci desktop app.")
    p.add_argument("model", nargs="?", help="a model file to open")
    p.add_argument(
        "--screenshot",
        metavar="PNG",
        help="open the model, render the window at 1400x900 to PNG and exit",
    )
    p.add_argument(
        "--as-of",
        type=as_of_argument,
        default=None,
        metavar="DATE",
        help="date the date-based rules use (default: today)",
    )
    p.add_argument(
        "--install-desktop",
        action="store_true",
        help="add ecomraci to this user's Linux application menu (icon and file type) and exit",
    )
    p.add_argument(
        "--remove-desktop", action="store_true", help="take that menu entry away again and exit"
    )
    return p.parse_args(argv)


def install_error_handler(window) -> None:
    """Show an unexpected exception in a dialog and log it; the app keeps running."""
    from PySide6.QtCore import QStandardPaths

    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "ecomraci.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger("ecomraci").addHandler(handler)
    except OSError:
        pass

    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        text = "".join(traceback.format_exception(kind, value, tb))
        log.error("unexpected error\n%s", text)
        window.prompts.error(
            "Unexpected error",
            f"Something went wrong: {value}\n\nYour model was not changed by this error; "
            f"save your work under a new name to be safe. Details are in "
            f"{folder / 'ecomraci.log'}.",
        )

    sys.excepthook = hook


def remember_opened(window, path: Path) -> None:
    """Put a file opened from the command line at the top of the window's Open Recent
    (and the start page's list)."""
    from ui import files

    files.remember(window.settings, path)
    window.files.refresh_recent()


def main(argv=None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.install_desktop or args.remove_desktop:
        from ui import desktop

        return desktop.main(uninstall=args.remove_desktop)
    collecting = gc.isenabled()
    gc.disable()  # until the window is up: see the module's docstring
    try:
        return _run(args, collecting)
    finally:
        if collecting:
            gc.enable()


def _run(args, collecting: bool) -> int:
    # The core first, then Qt (see the module's docstring): the model and its file
    # (pydantic) and the rules (networkx).
    import ecomraci.rules  # noqa: F401
    from ecomraci import store
    from ecomraci.store import ModelFileError
    from ui import desktop
    from ui.document import Document
    from ui.main_window import MainWindow

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    def window_up() -> None:
        """The window is shown: the garbage collector goes back on, before any dialog
        or the event loop runs."""
        if collecting:
            gc.enable()

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("ecomraci")
    app.setOrganizationName("ecomraci")
    app.setDesktopFileName("ecomraci")  # ties the windows to the menu entry (ui.desktop)
    app.setWindowIcon(QIcon(str(desktop.ICON)))
    # Fusion draws the same on every platform and honours the header colours that tell
    # internal and external parties apart.
    app.setStyle("Fusion")

    document = None
    if args.model:
        try:
            document = Document(store.load(args.model), Path(args.model))
        except ModelFileError as exc:
            print(f"ecomraci-gui: {exc}", file=sys.stderr)
            if args.screenshot:
                return 2
            window = MainWindow(None, as_of=args.as_of)
            window.show()
            window_up()
            window.prompts.error("Cannot open the model", str(exc))
            return app.exec()
    if args.screenshot:
        # The picture must not depend on how this user left the window last time.
        import tempfile

        from PySide6.QtCore import QEvent, QSettings

        scratch = tempfile.TemporaryDirectory()
        settings = QSettings(str(Path(scratch.name) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            document,
            as_of=args.as_of,
            settings=settings,
            recovery_folder=Path(scratch.name) / "recovery",
        )
    else:
        window = MainWindow(document, as_of=args.as_of)
    if args.screenshot:
        window.resize(*SCREENSHOT_SIZE)
        window.window_layout.default_sizes()  # for this size, whatever the screen's
        window.show()
        if document is not None:
            window.findings.recheck_now(wait=True)
            window.show_first_finding()
        # Deliver what is queued (layouts, queued signals), then draw the window once,
        # straight into the picture: letting the event loop paint it on screen first
        # would draw everything twice.
        app.sendPostedEvents()
        ok = window.grab().save(args.screenshot, None, SCREENSHOT_QUALITY)
        if document is not None:
            document.undo_stack.setClean()
        window.close()
        window.deleteLater()  # main() may run again in the same process (tests)
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        if not ok:
            print(f"ecomraci-gui: cannot write {args.screenshot}", file=sys.stderr)
        return 0 if ok else 2
    install_error_handler(window)
    window.show()
    window_up()
    if document is None:
        window.offer_recovery()
    else:
        # A file opened from the command line (a double-click) gets its recovery copy
        # offered as one opened from the app does.
        window.files.offer_recovery(document.path, document.model)
        # in Open Recent as a file opened from the app is
        remember_opened(window, Path(args.model))
        window.statusBar().showMessage(f"Opened {args.model}", 5000)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
