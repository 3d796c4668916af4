"""Turning the bytes of a guest-list file into text, and saying plainly when that fails.

Order of guesses (first that fits wins):

1. a byte-order mark: UTF-8 (Excel's "CSV UTF-8"), UTF-16 LE/BE (Excel's "Unicode Text");
2. UTF-16 without a mark, recognised by its NUL bytes (ASCII text in UTF-16 is every other
   byte zero);
3. strict UTF-8 (what every web tool exports);
4. Windows-1252 (Excel's plain "CSV" on Windows in Western Europe and the Americas).

UTF-8 goes before Windows-1252 because nearly any byte string "decodes" as Windows-1252, while
real Windows-1252 text with accents is almost never valid UTF-8.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# The five byte values Windows-1252 leaves undefined: a file containing one is neither encoding.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")

# A UTF-8 encoded non-ASCII character; in genuine Windows-1252 text these byte pairs would be
# letter pairs like "Ã¼" that do not occur in names.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# How much of the file the NUL-byte test looks at: enough for a header and a few rows.
_SNIFF = 4096


class DecodeError(Exception):
    """The file is not text we can read; the message is meant for the organiser."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be" or "cp1252"


def decode(data: bytes) -> Decoded:
    """Decode a whole file, or raise DecodeError with a message an organiser understands."""
    _refuse_spreadsheet_files(data)

    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[3:], "utf-8", offset=3), "utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE):
        return Decoded(_strict(data[2:], "utf-16-le", offset=2), "utf-16-le")
    if data.startswith(codecs.BOM_UTF16_BE):
        return Decoded(_strict(data[2:], "utf-16-be", offset=2), "utf-16-be")

    utf16 = _bomless_utf16(data)
    if utf16:
        return Decoded(_strict(data, utf16, offset=0), utf16)
    if (nul := data.find(b"\x00")) >= 0:  # anywhere, not only near the start
        raise DecodeError(
            f"line {_line_of(data, nul)} contains a NUL byte, so this is not a text (CSV) "
            "file or it is damaged; save the guest list as CSV again and try once more"
        )

    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _UTF8_SEQUENCE.search(data):
        # Real UTF-8 letters *and* a byte that is not: a file pasted together from two sources.
        # Reading it as Windows-1252 would turn every "ü" into "Ã¼", so stop here instead.
        raise DecodeError(
            f"the file mixes two text encodings: it contains UTF-8 text, but line "
            f"{_line_of(data, bad)} has the byte 0x{data[bad]:02X}, which is not UTF-8; "
            'save the list again as "CSV UTF-8"'
        )
    holes = [i for i in (data.find(bytes([b])) for b in _CP1252_HOLES) if i >= 0]
    if holes:
        # Neither UTF-8 nor Windows-1252: name the line so the organiser can look at it.
        at = min(holes)
        raise DecodeError(
            f"line {_line_of(data, at)} contains the byte 0x{data[at]:02X}, which is neither "
            'UTF-8 nor Windows-1252 text; save the list again as "CSV UTF-8"'
        )
    return Decoded(data.decode("cp1252"), "cp1252")


def _strict(data: bytes, encoding: str, offset: int) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        at = exc.start + offset
        if encoding.startswith("utf-16"):
            raise DecodeError(
                f"the file says it is UTF-16 text but is damaged near byte {at} "
                "(perhaps cut off); save the list again and try once more"
            ) from None
        raise DecodeError(
            f"line {_line_of(data, exc.start)} contains the byte 0x{data[exc.start]:02X}, which is "
            "not valid UTF-8 although the file starts with a UTF-8 mark; "
            'save the list again as "CSV UTF-8"'
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told apart by where the NUL bytes sit."""
    sample = data[: _SNIFF - _SNIFF % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    # Mostly-ASCII text: one byte of each pair is zero, the other almost never is.
    if odd_nuls >= pairs * 0.3 and even_nuls <= pairs * 0.05:
        return "utf-16-le"
    if even_nuls >= pairs * 0.3 and odd_nuls <= pairs * 0.05:
        return "utf-16-be"
    return None


def _refuse_spreadsheet_files(data: bytes) -> None:
    # Organisers often pick the .xlsx by mistake; say so instead of "not valid text".
    if data.startswith(b"PK\x03\x04"):
        raise DecodeError(
            "this is an Excel workbook (.xlsx) or another zip file, not a CSV file; "
            'in Excel choose "Save As" and the type "CSV UTF-8"'
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DecodeError(
            "this is an old Excel workbook (.xls), not a CSV file; "
            'in Excel choose "Save As" and the type "CSV UTF-8"'
        )


def _line_of(data: bytes, index: int) -> int:
    return data.count(b"\n", 0, index) + 1
