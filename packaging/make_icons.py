"""Render the app icon (resources/icons/welcome-desk.svg) to PNGs, a Windows .ico and a macOS
.icns. Run after changing the SVG:

    .venv/bin/python packaging/make_icons.py

Qt's SVG renderer draws each size from the vector (crisper small sizes than scaling a big
PNG down); Pillow packs the .ico and .icns, so this works on any OS without iconutil.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "welcome-desk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)  # plus @2x variants Pillow derives from these


def png_path(size: int) -> Path:
    return ICONS / f"welcome-desk-{size}.png"


def render_pngs() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: Qt cannot read this SVG")
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = png_path(size)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        written.append(path)
    return written


def pack_ico_and_icns() -> list[Path]:
    from PIL import Image

    images = {size: Image.open(png_path(size)).convert("RGBA") for size in PNG_SIZES}
    ico = ICONS / "welcome-desk.ico"
    biggest = images[max(ICO_SIZES)]
    biggest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    icns = ICONS / "welcome-desk.icns"
    images[512].save(icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES if s != 512])
    return [ico, icns]


def main() -> int:
    for path in render_pngs() + pack_ico_and_icns():
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:>7} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
