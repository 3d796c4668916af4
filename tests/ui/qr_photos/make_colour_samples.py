"""Makes the colour QR samples in this folder: blue finder patterns, as some ticketing tools
and phone apps draw them, flat and photographed (tilt, blur, dim light, sensor noise).

    .venv/bin/python tests/ui/qr_photos/make_colour_samples.py

Deterministic (fixed seeds); the files are committed, so tests do not depend on Pillow's
resampling staying bit-identical.
"""

from __future__ import annotations

import random
from pathlib import Path

import qrcode
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
TEXT = "WD7K2M9Q4X8R1T"


def blue_finder_qr(text: str, blue, background, dark=(0, 0, 0), box: int = 6) -> Image.Image:
    """A QR code whose three finder patterns are blue and whose other modules are dark."""
    code = qrcode.QRCode(box_size=1, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make()
    matrix = code.get_matrix()  # with the quiet zone
    n, border = len(matrix), 4
    inner = n - 2 * border
    image = Image.new("RGB", (n, n), background)
    pixels = image.load()
    for r, row in enumerate(matrix):
        for c, dark_module in enumerate(row):
            if not dark_module:
                continue
            y, x = r - border, c - border
            finder = (y < 7 or y >= inner - 7) and (x < 7 or x >= inner - 7)
            finder = finder and not (y >= inner - 7 and x >= inner - 7)
            pixels[c, r] = blue if finder else dark
    return image.resize((n * box, n * box), Image.Resampling.NEAREST)


def photographed(image: Image.Image, seed: int, light: float, tilt: float) -> Image.Image:
    """The code as a camera sees it: tilted, a little out of focus, dimmer, noisy."""
    rng = random.Random(seed)
    w, h = image.size
    pad = int(w * 0.25)
    canvas = Image.new("RGB", (w + 2 * pad, h + 2 * pad), image.getpixel((0, 0)))
    canvas.paste(image, (pad, pad))
    W, H = canvas.size
    d = tilt * W
    # Where the corners of the output come from in the input: a sheet turned away at the top.
    quad = (d, 0, -d * 0.3, H, W + d * 0.3, H, W - d, 0)
    canvas = canvas.transform(
        (W, H), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=(120, 110, 100)
    )
    canvas = canvas.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise((W, H), 12).convert("RGB")
    dim = canvas.point(lambda v: int(v * light))
    out = Image.blend(dim, noise, 0.06)
    return out.rotate(rng.uniform(-8, 8), Image.Resampling.BICUBIC, fillcolor=(110, 100, 90))


def main() -> None:
    samples = {
        "blue-finders-on-grey.png": blue_finder_qr(TEXT, (60, 180, 250), (230, 230, 230)),
        "blue-finders-pale-blue.png": blue_finder_qr(TEXT, (90, 190, 255), (230, 230, 230)),
        "blue-finders-app-blue.png": blue_finder_qr(TEXT, (25, 150, 235), (255, 255, 255)),
        "blue-finders-app-blue-on-grey.png": blue_finder_qr(TEXT, (25, 150, 235), (215, 215, 215)),
    }
    # The colour of the real photo that failed, (25, 150, 235), on grey paper, photographed.
    paper = samples["blue-finders-app-blue-on-grey.png"]
    shot = photographed(paper, seed=3, light=0.8, tilt=0.04)
    for name, image in samples.items():
        image.save(HERE / name, optimize=True)
    shot.save(HERE / "blue-finders-photographed.jpg", quality=88)
    (HERE / "blue-finders.txt").write_text(TEXT)


if __name__ == "__main__":
    main()
