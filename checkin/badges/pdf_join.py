"""Join the PDF chunks reportlab wrote into one file, streaming: one chunk in memory at a
time, whatever the number of pages.

reportlab's canvas keeps every page until it saves, so a batch of ten thousand badges is
drawn in chunks (render.py). Their files are regular (a classic xref table, inline stream
lengths), so joining needs no PDF library: every object is copied with its number moved
past the previous chunks', each chunk's page tree, catalogue and info are dropped, and one
page tree lists every page in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

_REF = re.compile(rb"(\d+) 0 R\b")
PAGES, CATALOG, INFO = 1, 2, 3  # the joined file's own objects


def _pdf_text(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


class _Out:
    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.at, self.offsets = fh, 0, {}

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.at += len(data)

    def obj(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.at
        self.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")


def _objects(data: bytes) -> tuple[dict[int, bytes], bytes]:
    """Each object's text (from its number to the next object) and the trailer."""
    xref_at = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    lines = data[xref_at:].split(b"\n")
    count = int(lines[1].split()[1])
    starts = sorted(
        (int(line[:10]), k) for k, line in enumerate(lines[2 : 2 + count]) if line[17:18] == b"n"
    )
    bounds = [off for off, _ in starts[1:]] + [xref_at]
    objects = {k: data[off:end] for (off, k), end in zip(starts, bounds, strict=True)}
    return objects, data[data.index(b"trailer", xref_at) :]


def _ref(pattern: bytes, text: bytes) -> int | None:
    found = re.search(pattern + rb"\s+(\d+) 0 R", text)
    return int(found[1]) if found else None


def join_pdfs(chunks: Iterable[Path], out: BinaryIO, title: str, creator: str) -> int:
    """Write one PDF of every page of ``chunks`` in order; returns the page count."""
    w = _Out(out)
    w.write(b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n")
    kids: list[int] = []
    number = INFO
    for path in chunks:
        objects, trailer = _objects(path.read_bytes())
        root = _ref(rb"/Root", trailer)
        info = _ref(rb"/Info", trailer)
        catalog = objects[root]
        pages = _ref(rb"/Pages", catalog)
        outlines = _ref(rb"/Outlines", catalog)
        kids_text = re.search(rb"/Kids\s*\[(.*?)\]", objects[pages], re.S)[1]
        renumber = {pages: PAGES, root: CATALOG, info: INFO, outlines: CATALOG}
        for k in sorted(objects):
            if k not in renumber:
                number += 1
                renumber[k] = number

        def moved(m: re.Match, renumber: dict[int, int] = renumber) -> bytes:
            return b"%d 0 R" % renumber[int(m[1])]

        for k, text in sorted(objects.items()):
            if k in (pages, root, info, outlines):
                continue
            body = text[text.index(b"obj") + 3 :]
            stream = re.search(rb">>\s*stream\r?\n", body)
            head, rest = (
                (body[: stream.start() + 2], body[stream.start() + 2 :]) if stream else (body, b"")
            )
            rest = rest.rstrip()
            if rest.endswith(b"endobj"):
                rest = rest[:-6]
            elif head.rstrip().endswith(b"endobj"):
                head = head.rstrip()[:-6]
            w.obj(renumber[k], _REF.sub(moved, head).strip() + rest)
        kids += [renumber[int(k)] for k in _REF.findall(kids_text)]
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    w.obj(PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(kids), refs))
    w.obj(CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % PAGES)
    producer = _pdf_text("ReportLab, joined by Welcome Desk")
    info = (_pdf_text(title), _pdf_text(creator), producer)
    w.obj(INFO, b"<< /Title %s /Creator %s /Producer %s >>" % info)
    xref_at = w.at
    w.write(b"xref\n0 %d\n0000000000 65535 f \n" % (number + 1))
    w.write(b"".join(b"%010d 00000 n \n" % w.offsets[k] for k in range(1, number + 1)))
    w.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (number + 1, CATALOG, INFO))
    w.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return len(kids)
