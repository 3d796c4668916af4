"""QR codes of the guest's vCard, made with the `qrcode` package as a tiny bitmap.

One pixel per module: the PDF scales it up, so the file stays small and the printer's
rasteriser draws crisp modules at its own resolution.
"""

from __future__ import annotations

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
# A fixed mask: choosing the "best" of eight costs ~8 ms a code in pure Python (80% of a
# badge); every mask is valid and phone scanners read them all.
MASK_PATTERN = 2


def qr_image(data: str) -> Image.Image:
    """A greyscale image with one pixel per module, quiet zone included."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, box_size=1, border=QUIET_ZONE, mask_pattern=MASK_PATTERN
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # rows of booleans, quiet zone included
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    return Image.frombytes("L", (size, size), pixels)
