"""The app's icon and its Linux menu entry: `ecomraci-gui --install-desktop` writes a
desktop entry that desktop-file-validate accepts, whose Exec starts this install and whose
Icon is the installed icon, and the file type of *.ecomraci.json models; --remove-desktop
takes them away; the package build ships the files; the icon reads at menu sizes and the
app sets it as its window icon.

desktop-file-validate (Debian: desktop-file-utils) must be installed where CI=true; the
tests that need it skip elsewhere when it is missing."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ecomraci import palette as P
from ui import app, desktop

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def validator() -> str:
    found = shutil.which("desktop-file-validate")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("desktop-file-validate is missing: install desktop-file-utils")
        pytest.skip("desktop-file-validate is not installed (desktop-file-utils)")
    return found


def validate(path: Path) -> None:
    done = subprocess.run(
        [validator(), str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def exec_words(value: str) -> list[str]:
    """An Exec value split as the Desktop Entry Specification says: the string escapes
    first (``\\\\`` is one backslash), then words apart at spaces outside double
    quotes, inside which a backslash takes the next `"`, `` ` ``, `$` or backslash as it
    is; ``%%`` is a percent sign."""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    text, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in escapes:
            text += escapes[value[i + 1]]
            i += 2
        else:
            text += value[i]
            i += 1
    words: list[str] = []
    word, quoted, i = None, False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
            word, i = (word or "") + text[i + 1], i + 2
            continue
        if c == '"':
            quoted, word = not quoted, word or ""
        elif c == " " and not quoted:
            if word is not None:
                words.append(word)
            word = None
        else:
            word = (word or "") + c
        i += 1
    assert not quoted, value
    if word is not None:
        words.append(word)
    return [w.replace("%%", "%") if w != "%f" else w for w in words]


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_the_shipped_template_is_a_valid_entry():
    validate(desktop.DESKTOP_TEMPLATE)
    fields = entry(desktop.DESKTOP_TEMPLATE)
    assert fields["Name"] == "ecomraci" and fields["Type"] == "Application"
    assert fields["Categories"] == "Office;ProjectManagement;"
    assert fields["MimeType"] == desktop.MIME_TYPE + ";"


def test_install_desktop_writes_entry_icon_and_file_type(data_home, capsys):
    assert app.main(["--install-desktop"]) == 0
    said = capsys.readouterr().out
    where = desktop.targets(data_home)
    for path in where.values():
        assert path.is_file() and str(path) in said
    assert where["desktop"] == data_home / "applications" / "ecomraci.desktop"
    assert where["icon"] == data_home / "icons" / "hicolor" / "scalable" / "apps" / "ecomraci.svg"
    validate(where["desktop"])

    fields = entry(where["desktop"])
    command = exec_words(fields["Exec"])
    assert command[-1] == "%f"  # a double-clicked model is opened
    program = Path(command[0])
    assert program.is_absolute() and program.is_file() and os.access(program, os.X_OK)
    assert Path(fields["TryExec"]) == program
    assert Path(fields["Icon"]) == where["icon"]
    assert where["icon"].read_bytes() == desktop.ICON.read_bytes()
    assert fields["MimeType"] == desktop.MIME_TYPE + ";"

    mime = ET.parse(where["mime"]).getroot().find(f"{MIME_NS}mime-type")
    assert mime is not None and mime.get("type") == desktop.MIME_TYPE
    assert [g.get("pattern") for g in mime.iter(f"{MIME_NS}glob")] == ["*.ecomraci.json"]


def test_the_entry_starts_the_app(data_home, tmp_path):
    """The Exec line, run as the desktop runs it, starts this ecomraci-gui (asked for its
    help, so that no window opens)."""
    assert app.main(["--install-desktop"]) == 0
    command = exec_words(entry(desktop.targets(data_home)["desktop"])["Exec"])[:-1]
    done = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0 and "--install-desktop" in done.stdout, done.stderr


@pytest.mark.parametrize("folder", ["My Apps", "it's $HOME", 'quote"and\\back`tick', "100% (beta)"])
def test_exec_quotes_a_launcher_path_with_reserved_characters(data_home, tmp_path, folder):
    program = tmp_path / folder / "ecomraci-gui"
    where = desktop.install(command=[str(program)])
    validate(where["desktop"])
    value = entry(where["desktop"])["Exec"]
    assert exec_words(value) == [str(program), "%f"]


def test_remove_desktop_takes_the_files_away(data_home, capsys):
    assert app.main(["--install-desktop"]) == 0
    capsys.readouterr()
    assert app.main(["--remove-desktop"]) == 0
    assert "Removed" in capsys.readouterr().out
    assert not any(p.exists() for p in desktop.targets(data_home).values())
    assert app.main(["--remove-desktop"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_an_unwritable_data_folder_is_said_plainly(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "share"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert app.main(["--install-desktop"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ecomraci-gui: cannot write ") and str(blocker) in err
    assert "Traceback" not in err


def test_a_relative_xdg_data_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop.data_home() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop.data_home() == tmp_path / ".local" / "share"


def test_the_build_ships_the_icons_and_desktop_files_in_the_package(tmp_path):
    built = tmp_path / "lib"
    done = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(built)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shipped = built / "ui" / "resources"
    for source in (desktop.ICON, desktop.DESKTOP_TEMPLATE, desktop.MIME_TEMPLATE):
        copy = shipped / source.relative_to(desktop.RESOURCES)
        assert copy.read_bytes() == source.read_bytes()
    # the installed package finds them there
    probe = "from ui import desktop; print(desktop.RESOURCES, desktop.ICON.is_file())"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(built)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.split() == [str(shipped), "True"], done.stderr


def render(size: int) -> QImage:
    renderer = QSvgRenderer(str(desktop.ICON))
    assert renderer.isValid()
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


@pytest.mark.parametrize("size", [16, 32, 48, 256])
def test_the_icon_fills_its_square_and_shows_the_letter_colours(qapp, size):
    image = render(size)
    centre = image.pixelColor(size // 2, size // 2)
    assert centre.alpha() == 255
    assert image.pixelColor(0, 0).alpha() == 0  # rounded corners
    seen = set()
    for y in range(size):
        for x in range(size):
            c = image.pixelColor(x, y)
            if c.alpha() == 255 and c.hsvSaturation() > 100 and c.value() > 200:
                seen.add(c.hsvHue() // 10 * 10)
    # bright cells in the letters' hues, orange (A), yellow (C), blue (R), even at 16 px
    assert {20, 40, 210} <= seen, seen
    # on a tile in the internal side's blue
    tile = QColor(P.SIDES["internal"].strong)
    assert abs(image.pixelColor(size // 2, size - size // 10).hsvHue() - tile.hsvHue()) < 12


def test_the_app_sets_its_window_icon_and_desktop_file(qapp, tmp_path):
    shot = tmp_path / "start.png"
    assert app.main(["--screenshot", str(shot)]) == 0
    assert shot.is_file()
    application = QApplication.instance()
    assert not application.windowIcon().isNull()
    assert application.desktopFileName() == "ecomraci"
