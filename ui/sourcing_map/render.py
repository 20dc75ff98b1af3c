"""Export the sourcing map offscreen to SVG, PNG or PDF with the window's own scene.

`render_map` is what ``ecomraci render`` and *File ▸ Export map* call. It needs only a
`QGuiApplication`-capable Qt (the offscreen platform is used when no application runs),
writes next to the target and moves the finished file into place, so a failed export
never leaves a half-written file over an earlier one.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

FORMATS = (".svg", ".png", ".pdf")
PNG_SCALE = 2.0  # pixels per map unit: 192 dpi, sharp on a slide and in print
# A very large map gets a smaller scale rather than a poster-sized image that takes
# seconds to paint and encode; SVG and PDF keep every detail at any size.
PNG_MAX_PIXELS = 12_000_000
PNG_QUALITY = 80  # zlib effort: 80 encodes about three times faster than the default, 10 % larger
_app = None


class RenderError(ValueError):
    """The map cannot be written; the text names the file and the problem."""


def _application():
    """The running QApplication, or an offscreen one for command-line use."""
    global _app
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = _app = QApplication(["ecomraci"])
    return app


def render_map(
    model,
    path,
    findings=None,
    *,
    show_forums: bool = True,
    scale: float = PNG_SCALE,
    findings_note: str = "",
) -> Path:
    """Draw the map of `model` into `path` (.svg, .png or .pdf); `findings` mark items.

    Raises RenderError for an unknown extension, a missing folder or a failed write.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise RenderError(
            f"{path}: cannot render to {suffix or 'a file with no extension'}; "
            f"use .svg, .png or .pdf"
        )
    if not path.parent.exists():
        raise RenderError(f"{path}: the folder {path.parent} does not exist")
    _application()
    from ui.sourcing_map.scene import MapScene

    scene = MapScene()
    scene.build(
        model, findings, show_forums=show_forums, show_legend=True, findings_note=findings_note
    )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        {".svg": _svg, ".png": _png, ".pdf": _pdf}[suffix](scene, tmp, model.name, scale)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        raise RenderError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _mode_for(path: Path) -> int:
    """The permissions the file would get if written directly (the temporary file is
    private): the old file's, or what the umask leaves of rw-rw-rw-."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _painter(device):
    from PySide6.QtGui import QPainter

    painter = QPainter(device)
    if not painter.isActive():
        raise OSError("the drawing could not start")
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    return painter


def _svg(scene, path: Path, title: str, scale: float) -> None:
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtSvg import QSvgGenerator

    rect = scene.sceneRect()
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(math.ceil(rect.width()), math.ceil(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setResolution(96)
    gen.setTitle(title)
    gen.setDescription("Sourcing map drawn by ecomraci")
    painter = _painter(gen)
    scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()
    _make_well_formed(path)


def _make_well_formed(path: Path) -> None:
    """Qt's SVG generator escapes ``<``, ``&`` and quotes but writes control characters
    of names as they are, which XML forbids: no SVG viewer or parser would read the file.
    They are written as visible escapes (``\\x1b``) instead."""
    from ecomraci.text import xml_safe

    text = path.read_bytes().decode("utf-8", "surrogateescape")
    safe = xml_safe(text)
    if safe != text:
        path.write_bytes(safe.encode("utf-8", "surrogateescape"))


def _png(scene, path: Path, title: str, scale: float) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage

    rect = scene.sceneRect()
    scale = min(scale, math.sqrt(PNG_MAX_PIXELS / max(1.0, rect.width() * rect.height())))
    w, h = max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale))
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    image.setDotsPerMeterX(round(96 * scale / 0.0254))
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    image.setText("Title", title)
    painter = _painter(image)
    scene.render(painter, QRectF(0, 0, w, h), rect)
    painter.end()
    if not image.save(str(path), "PNG", PNG_QUALITY):
        raise OSError("the PNG encoder refused it")


def _pdf(scene, path: Path, title: str, scale: float) -> None:
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    rect = scene.sceneRect()
    mm = 25.4 / 96  # one map unit is one pixel at 96 dpi
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("ecomraci")
    writer.setResolution(300)
    size = QPageSize(
        QSizeF(rect.width() * mm, rect.height() * mm),
        QPageSize.Unit.Millimeter,
        "map",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    writer.setPageLayout(
        QPageLayout(
            size,
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = _painter(writer)
    scene.render(painter, QRectF(0, 0, writer.width(), writer.height()), rect)
    painter.end()
