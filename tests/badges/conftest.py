"""Badge test fixture: PDF -> PNG with poppler's pdftoppm, as a printer driver would."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image


@pytest.fixture
def pdf_to_png(tmp_path: Path) -> Callable[[bytes, int], list[Image.Image]]:
    """Rasterise every page of a PDF with poppler's pdftoppm, as a printer driver would."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")

    def convert(pdf: bytes, dpi: int = 100) -> list[Image.Image]:
        source = tmp_path / "in.pdf"
        source.write_bytes(pdf)
        stem = tmp_path / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(source), str(stem)],
            check=True,
            capture_output=True,
        )
        pages = sorted(tmp_path.glob("page*.png"))
        images = [Image.open(p).convert("RGB") for p in pages]
        for p in pages:
            p.unlink()
        return images

    return convert
