"""The PDF itself: what text it holds, the QR, warnings, many badges in one file."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from checkin.badges.data import BadgeData
from checkin.badges.render import render_badge_pdf, render_badges
from checkin.badges.templates import get_template, load_templates
from tests.badges.samples import VCARD, guest

PdfToPng = Callable[[bytes, int], list[Image.Image]]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("name", ["zebra-4x3", "dymo-30857", "brother-ql-62x100", "avery-l7418"])
def test_pdf_text_holds_the_names_company_first_time_mark_and_host(name: str) -> None:
    badge = guest(first_time=True, host_name="Marcus Berg", vcard=VCARD)
    text = _text(render_badge_pdf(badge, get_template(name)))
    for expected in (
        "Anna",
        "Anna Lindqvist",
        "Nordlys Analytics AB",
        "Head of Data Platform",
        "Stockholm Founders Mixer",
        "First time",
        "say hello!",
        "Your host: Marcus Berg",
    ):
        assert expected in text, (name, expected, text)


def test_no_first_time_mark_for_a_regular() -> None:
    text = _text(render_badge_pdf(guest(host_name="Marcus Berg"), get_template("zebra-4x3")))
    assert "First time" not in text
    assert "Marcus Berg" not in text  # a host is only shown to a first-timer


@pytest.mark.parametrize("name", sorted(load_templates()))
def test_the_qr_code_decodes_to_the_vcard(name: str, pdf_to_png: PdfToPng) -> None:
    pdf = render_badge_pdf(guest(vcard=VCARD, first_time=True, host_name="Sam"), get_template(name))
    (page,) = pdf_to_png(pdf, 200)
    codes = zxingcpp.read_barcodes(page)
    assert [c.text for c in codes] == [VCARD]


def test_no_qr_without_a_vcard(pdf_to_png: PdfToPng) -> None:
    (page,) = pdf_to_png(render_badge_pdf(guest(), get_template("zebra-4x3")), 200)
    assert zxingcpp.read_barcodes(page) == []


def test_emoji_and_symbols_print_and_only_what_no_font_has_is_reported() -> None:
    out = io.BytesIO()
    hieroglyph = "\U00013000"  # no bundled font has Egyptian hieroglyphs
    report = render_badges(
        [
            guest(first_name="Sam 🚀", full_name="Sam Rocket 🚀", company="≈ √ ∫ ┌─┐ Ⓐ①"),
            guest(full_name=f"Anna {hieroglyph} Lindqvist"),
        ],
        get_template("zebra-4x3"),
        out,
    )
    assert report.badges == 2
    assert not any(w.startswith("badge 1:") for w in report.warnings), report.warnings
    assert any("U+13000" in w and w.startswith("badge 2:") for w in report.warnings)
    text = _text(out.getvalue())
    assert "Sam 🚀" in text and "≈ √ ∫ ┌─┐ Ⓐ①" in text and "Anna Lindqvist" in text


def test_a_missing_logo_is_reported_and_left_off(tmp_path: Path) -> None:
    report = render_badges(
        [guest(logo_path=str(tmp_path / "nope.png"))], get_template("zebra-4x3"), io.BytesIO()
    )
    assert any("logo" in w for w in report.warnings)


def test_a_logo_is_embedded_once_for_many_badges(tmp_path: Path, pdf_to_png: PdfToPng) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 100), (200, 30, 30)).save(logo)
    out = io.BytesIO()
    render_badges((guest(logo_path=str(logo)) for _ in range(12)), get_template("avery-5392"), out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    xobjects = {
        obj.idnum
        for page in reader.pages
        for obj in page["/Resources"].get("/XObject", {}).values()  # type: ignore[union-attr]
    }
    assert len(reader.pages) == 2 and len(xobjects) == 1
    # The red logo is on the page.
    page = pdf_to_png(out.getvalue(), 50)[0]
    assert (200, 30, 30) in {px for _, px in page.getcolors(1 << 16) or []}


def test_render_to_a_path(tmp_path: Path) -> None:
    target = tmp_path / "badges.pdf"
    report = render_badges([guest(), guest()], get_template("avery-l7418"), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert (report.pages, report.badges) == (1, 2)


def test_nothing_to_render_is_an_error() -> None:
    with pytest.raises(ValueError, match="no badges"):
        render_badges([], get_template("zebra-4x3"), io.BytesIO())


def test_badges_are_consumed_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A generator is read lazily: each badge is drawn before the next one is asked for."""
    import checkin.badges.render as render_module

    events: list[str] = []
    real_draw = render_module.draw_badge

    def draw(*args: object) -> None:
        events.append("draw")
        real_draw(*args)  # type: ignore[arg-type]

    def feed() -> Iterator[BadgeData]:
        for i in range(3):
            events.append("pull")
            yield guest(first_name=f"G{i}")

    monkeypatch.setattr(render_module, "draw_badge", draw)
    render_badges(feed(), get_template("avery-5392"), io.BytesIO())
    assert events == ["pull", "draw"] * 3


@pytest.mark.slow
def test_many_badges_render_into_one_document() -> None:
    # How fast is measured by `make bench`, beside bare reportlab, not asserted here.
    t = get_template("avery-5392")
    badges = (guest(first_name=f"Guest{i}", vcard=VCARD + str(i)) for i in range(300))
    out = io.BytesIO()
    report = render_badges(badges, t, out)
    assert report.pages == 50
    assert len(PdfReader(io.BytesIO(out.getvalue())).pages) == 50
