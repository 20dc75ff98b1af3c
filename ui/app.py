"""`ecomraci-gui [MODEL] [--screenshot PNG]`: QApplication set-up and the main window."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication


def _parse(argv):
    p = argparse.ArgumentParser(prog="ecomraci-gui", description="The ecomraci desktop app.")
    p.add_argument("model", nargs="?", help="a model file to open")
    p.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    p.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="DATE")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("ecomraci")
    app.setOrganizationName("ecomraci")

    from ecomraci import store
    from ecomraci.catalog import new_model
    from ecomraci.store import ModelFileError
    from ui.document import Document
    from ui.main_window import MainWindow

    if args.model:
        try:
            document = Document(store.load(args.model), Path(args.model))
        except ModelFileError as exc:
            if args.screenshot:
                print(f"ecomraci-gui: {exc}", file=sys.stderr)
                return 2
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "Cannot open the model", str(exc))
            document = Document(new_model())
    else:
        document = Document(new_model())
    window = MainWindow(document, as_of=args.as_of)
    window.show()
    if args.screenshot:
        window.findings.recheck_now(wait=True)
        app.processEvents()
        ok = window.grab().save(args.screenshot)
        window.document.undo_stack.setClean()
        window.close()
        return 0 if ok else 2
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
