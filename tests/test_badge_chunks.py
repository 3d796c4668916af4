"""A big batch of badges is rendered in chunks and joined: every page, in order."""

from __future__ import annotations

import io

from pypdf import PdfReader

from checkin.badges import render
from checkin.badges.data import BadgeData
from checkin.badges.templates import get_template


def _badges(n: int):
    for i in range(n):
        yield BadgeData(f"Guest{i}", f"Guest{i} Lindqvist", "Nordlys AB", None, "Mixer")


def test_chunks_are_joined_into_one_pdf_with_every_page_in_order(monkeypatch):
    monkeypatch.setattr(render, "CHUNK_PAGES", 2)
    out = io.BytesIO()
    report = render.render_badges(_badges(5), get_template("zebra-4x3"), out)
    pdf = PdfReader(io.BytesIO(out.getvalue()))
    assert report.pages == len(pdf.pages) == 5
    texts = [page.extract_text() for page in pdf.pages]
    assert [f"Guest{i} Lindqvist" in t for i, t in enumerate(texts)] == [True] * 5
    assert pdf.metadata.title == "Badges (zebra-4x3)"


def test_a_sheet_never_splits_across_chunks(monkeypatch):
    monkeypatch.setattr(render, "CHUNK_PAGES", 1)
    template = get_template("avery-5392")  # several badges a sheet
    out = io.BytesIO()
    n = template.per_page * 2 + 1
    report = render.render_badges(_badges(n), template, out)
    pdf = PdfReader(io.BytesIO(out.getvalue()))
    assert report.pages == len(pdf.pages) == 3
    first_sheet = pdf.pages[0].extract_text()
    assert all(f"Guest{i} Lindqvist" in first_sheet for i in range(template.per_page))
