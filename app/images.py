"""Product images, logos and other pictures from ``resources/`` as cached pixmaps.

``ImageCache.pixmap("products/trail-runner.svg", 96)`` renders the SVG (or loads a
PNG/JPEG) at that size once and hands the same pixmap back afterwards. A missing file
gives a neutral placeholder tile rather than an exception: a catalog row whose image is
gone still shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from app import theme


class ImageCache:
    def __init__(self, root: Path | None = None, ratio: float = 2.0) -> None:
        self.root = Path(root) if root is not None else theme.RESOURCES
        self.ratio = ratio
        self._cache: dict[tuple[str, int, int], QPixmap] = {}

    def path(self, relpath: str) -> Path:
        return self.root / relpath

    def pixmap(self, relpath: str | None, size: int | QSize) -> QPixmap:
        """``relpath`` (under ``resources/``) at ``size`` logical pixels (square if an int)."""
        qsize = QSize(size, size) if isinstance(size, int) else QSize(size)
        key = (relpath or "", qsize.width(), qsize.height())
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = self._load(relpath, qsize)
        self._cache[key] = result
        return result

    def icon(self, relpath: str | None, size: int | QSize) -> QIcon:
        """The picture as a list's decoration: the same pixels when its row is selected
        (a plain pixmap is tinted with the selection colour, and a black tee looks blue)."""
        picture = self.pixmap(relpath, size)
        icon = QIcon()
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Active, QIcon.Mode.Selected):
            icon.addPixmap(picture, mode)
        return icon

    def _load(self, relpath: str | None, size: QSize) -> QPixmap:
        path = self.path(relpath) if relpath else None
        # never leave resources/ (a path from the network is data, not trust)
        if path is not None:
            try:
                path.resolve().relative_to(self.root.resolve())
            except ValueError:
                path = None
        if path is None or not path.is_file():
            return self.placeholder(size)
        if path.suffix.lower() == ".svg":
            return theme.render_svg(path.read_bytes(), size, self.ratio)
        loaded = QPixmap(str(path))
        if loaded.isNull():
            return self.placeholder(size)
        scaled = loaded.scaled(
            int(size.width() * self.ratio),
            int(size.height() * self.ratio),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(self.ratio)
        return scaled

    def placeholder(self, size: QSize) -> QPixmap:
        pixmap = QPixmap(int(size.width() * self.ratio), int(size.height() * self.ratio))
        pixmap.setDevicePixelRatio(self.ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(theme.COLOURS["border"]), 1.5))
        painter.setBrush(QColor(theme.COLOURS["surface_alt"]))
        rect = QRectF(1, 1, size.width() - 2, size.height() - 2)
        painter.drawRoundedRect(rect, 8, 8)
        box = theme.icon_pixmap(
            "box", "border_strong", max(12, min(size.width(), size.height()) // 2)
        )
        bw = box.width() / box.devicePixelRatio()
        bh = box.height() / box.devicePixelRatio()
        painter.drawPixmap(int((size.width() - bw) / 2), int((size.height() - bh) / 2), box)
        painter.end()
        return pixmap
