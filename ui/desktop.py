"""The app's icon and its entry in a Linux desktop's application menu.

`ecomraci-gui --install-desktop` writes, for the user who runs it (no administrator
rights needed), after the freedesktop.org specifications:

* ``$XDG_DATA_HOME/applications/ecomraci.desktop``: the menu entry, from the template
  shipped with the package, its ``Exec`` the absolute path of this ``ecomraci-gui`` (so
  that it works from a virtual environment that is not on ``PATH``) and its ``Icon`` the
  icon installed next to it;
* ``$XDG_DATA_HOME/icons/hicolor/scalable/apps/ecomraci.svg``: the icon;
* ``$XDG_DATA_HOME/mime/packages/ecomraci.xml``: the file type of ``*.ecomraci.json``
  models, so that a double-click on one opens it in the app.

``$XDG_DATA_HOME`` is ``~/.local/share`` unless set. `--remove-desktop` takes the three
files away again. A wheel cannot write there itself when pip installs it, hence the
option. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ecomraci.store import write_text_atomic

APP_ID = "ecomraci"
MIME_TYPE = "application/x-ecomraci+json"


def _resources() -> Path:
    """Where the icons and the desktop templates are: ``ui/resources`` in an installed
    package (the build puts them there), ``resources/`` beside ``ui/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for folder in (here / "resources", here.parent / "resources"):
        if (folder / "icons" / f"{APP_ID}.svg").is_file():
            return folder
    return here / "resources"


RESOURCES = _resources()
ICON = RESOURCES / "icons" / f"{APP_ID}.svg"
DESKTOP_TEMPLATE = RESOURCES / f"{APP_ID}.desktop"
MIME_TEMPLATE = RESOURCES / f"{APP_ID}-mime.xml"


class DesktopError(Exception):
    """Why the desktop entry cannot be installed, in words for the user."""


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not an absolute path
    (the specification says to ignore a relative one)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def targets(home: Path | None = None) -> dict[str, Path]:
    home = data_home() if home is None else home
    return {
        "desktop": home / "applications" / f"{APP_ID}.desktop",
        "icon": home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        "mime": home / "mime" / "packages" / f"{APP_ID}.xml",
    }


def launcher() -> list[str]:
    """The command that starts the app: the ``ecomraci-gui`` script installed beside this
    Python (or the one on ``PATH``), else this Python running the ``ui`` package."""
    beside = Path(sys.executable).parent / "ecomraci-gui"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which("ecomraci-gui")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "ui"]


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_argument(arg: str) -> str:
    """One argument of a desktop entry's ``Exec`` key, quoted and escaped as the Desktop
    Entry Specification says (quoting, then the string escape of backslashes)."""
    if "%" in arg:
        arg = arg.replace("%", "%%")
    if any(c in _RESERVED for c in arg):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        arg = f'"{inner}"'
    return arg.replace("\\", "\\\\")


def desktop_entry(command: list[str], icon: Path) -> str:
    """The template with ``Exec``, ``TryExec`` and ``Icon`` filled in."""
    lines = []
    for line in DESKTOP_TEMPLATE.read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0]
        if key == "Exec":
            line = "Exec=" + " ".join(exec_argument(a) for a in command) + " %f"
        elif key == "TryExec":
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        elif key == "Icon":
            line = "Icon=" + str(icon).replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _refresh(tool: str, folder: Path) -> None:
    """Run a desktop database tool on `folder` when it is installed; the desktop picks
    the files up on its own otherwise, a little later."""
    path = shutil.which(tool)
    if path is None:
        return
    try:
        subprocess.run([path, str(folder)], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        pass


def install(home: Path | None = None, command: list[str] | None = None) -> dict[str, Path]:
    """Write the entry, the icon and the file type; returns what was written where.
    Raises DesktopError naming the file and the reason."""
    where = targets(home)
    if not DESKTOP_TEMPLATE.is_file() or not ICON.is_file():
        raise DesktopError(f"the package is incomplete: {RESOURCES} has no desktop entry or icon")
    entry = desktop_entry(command or launcher(), where["icon"])
    files = {
        "icon": ICON.read_bytes(),
        "mime": MIME_TEMPLATE.read_bytes(),
        "desktop": entry.encode("utf-8"),
    }
    for name, data in files.items():
        path = where[name]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, data, keep_backup=False)
        except OSError as exc:
            raise DesktopError(f"cannot write {path}: {exc.strerror or exc}") from None
    _refresh("update-mime-database", where["mime"].parent.parent)
    _refresh("update-desktop-database", where["desktop"].parent)
    return where


def remove(home: Path | None = None) -> list[Path]:
    """Take the files `install` wrote away again; returns those that were there."""
    where = targets(home)
    gone = []
    for path in where.values():
        try:
            path.unlink()
            gone.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise DesktopError(f"cannot remove {path}: {exc.strerror or exc}") from None
    _refresh("update-mime-database", where["mime"].parent.parent)
    _refresh("update-desktop-database", where["desktop"].parent)
    return gone


def main(uninstall: bool = False) -> int:
    """`ecomraci-gui --install-desktop` / `--remove-desktop`: exit status 0 or 2."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        print(
            "ecomraci-gui: the desktop entry is for Linux and BSD desktops only",
            file=sys.stderr,
        )
        return 2
    try:
        if uninstall:
            gone = remove()
            if gone:
                print("Removed " + ", ".join(str(p) for p in gone))
            else:
                print("ecomraci has no desktop entry for this user; nothing to remove")
            return 0
        where = install()
    except DesktopError as exc:
        print(f"ecomraci-gui: {exc}", file=sys.stderr)
        return 2
    print(f"Installed the menu entry {where['desktop']}")
    print(f"Installed the icon {where['icon']}")
    print(f"Installed the file type of *.ecomraci.json models {where['mime']}")
    return 0
