"""Any text import accepts prints in every PDF the app makes: badges, the five lists, QR
sheets, host slips. Nothing crashes; where a bundled font has the glyphs, the text can be
found (extracted) in the PDF again.

Hypothesis draws the text: controls, bidi marks, joiners, combining marks, astral
characters, every script. Examples are bounded so the file runs in seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from checkin.badges.data import BadgeData
from checkin.badges.qr_sheets import CodeCard, write_pdf
from checkin.badges.render import render_badge_pdf
from checkin.badges.slip import render_host_slip
from checkin.badges.templates import get_template
from checkin.door.outcomes import Guest as DoorGuest
from checkin.door.outcomes import HostRef, Introduction, Outcome, OutcomeKind
from checkin.reports import KINDS, render_pdf
from checkin.reports.data import Guest, Hosting, HostSheet, Snapshot

# Anything a CSV cell can hold (lone surrogates cannot come out of a decoded file).
ANY = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=24)
# Characters some bundled font has, drawn one glyph per character and left to right (so
# the PDF's text reads back as typed), with invisible ones the renderer must drop quietly.
PRINTABLE = (
    "AZaz09éøßÆŁğ.,;:!?()[]&@#%'\"-_/\\+=*<>~^|"
    "ΑλΩДжЯ王明花子김민수ツかな"
    "≈√∫∀⇒┌─┐│└┘━Ⓐⓑ①◕★✓❤🚀🎉👍☕"
)
INVISIBLE = "\u200b\u200d\u200e\u200f\u2066\u2069\ufeff\ufe0f"
SHOWN = st.text(st.sampled_from(PRINTABLE + INVISIBLE + " "), min_size=1, max_size=20).filter(
    lambda t: any(ch in PRINTABLE for ch in t)
)
FAST = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
TEMPLATE = get_template("zebra-4x3")


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _visible(text: str) -> str:
    """What should read back: the text as printed, without the invisible characters."""
    kept = (ch for ch in unicodedata.normalize("NFC", text) if ch not in INVISIBLE)
    return "".join("".join(kept).split())


def _badge(first: str, last: str, company: str) -> bytes:
    badge = BadgeData(
        first_name=first,
        full_name=f"{first} {last}",
        company=company,
        job_title=last,
        event_name=company,
        first_time=True,
        host_name=last,
    )
    return render_badge_pdf(badge, TEMPLATE)


def _snapshot(first: str, last: str, company: str) -> Snapshot:
    at = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)

    def guest(rid: int, checked_in: bool, first_time: bool) -> Guest:
        return Guest(rid, first, last, f"g{rid}@example.org", company, last, f"C{rid}",
                     "registered", "import", company, at if checked_in else None,
                     company, first_time)  # fmt: skip

    newcomer, host, absent = guest(1, True, True), guest(2, True, False), guest(3, False, False)
    hosting = Hosting(newcomer, host, "active", at, (f"{first} {last}", company))
    return Snapshot(
        event=company,
        day=at.date(),
        guests=(newcomer, host, absent),
        hostings=(hosting,),
        hosts=(HostSheet(host, 3, (hosting,)),),
        waiting=frozenset(),
    )


def _qr_sheet(first: str, last: str, company: str, tmp_path) -> bytes:
    out = tmp_path / "codes.pdf"
    write_pdf([CodeCard(f"{first} {last}", company, "WD123")], out, title=company)
    return out.read_bytes()


def _host_slip(first: str, last: str, company: str) -> bytes:
    outcome = Outcome(
        OutcomeKind.CHECKED_IN,
        "N1",
        company,
        guest=DoorGuest(7, "N1", first, last, company=company),
        first_time=True,
        host=HostRef(1, 2, f"{last} {first}", "H1", company, (first,)),
        introductions=(Introduction(3, first, company, (last,)),),
    )
    return render_host_slip(outcome, TEMPLATE)


@FAST
@given(first=ANY, last=ANY, company=ANY)
def test_a_badge_prints_any_text(first, last, company):
    _pdf_text(_badge(first, last, company))


@FAST
@given(first=ANY, last=ANY, company=ANY)
def test_every_list_prints_any_text(first, last, company):
    snap = _snapshot(first, last, company)
    for kind in KINDS:
        _pdf_text(render_pdf(kind, snap))


@settings(FAST, max_examples=6)
@given(first=ANY, last=ANY, company=ANY)
def test_a_qr_sheet_and_a_host_slip_print_any_text(first, last, company, tmp_path_factory):
    _pdf_text(_qr_sheet(first, last, company, tmp_path_factory.mktemp("codes")))
    _pdf_text(_host_slip(first, last, company))


@FAST
@given(first=SHOWN, last=SHOWN, company=SHOWN)
def test_text_the_fonts_have_reads_back_from_every_pdf(first, last, company, tmp_path_factory):
    name, firm = _visible(f"{first} {last}"), _visible(company)
    assert _visible(first) in _pdf_text(_badge(first, last, company))
    snap = _snapshot(first, last, company)
    attendance = _pdf_text(render_pdf("attendance", snap))
    assert name in attendance and firm in attendance
    assert name in _pdf_text(render_pdf("newcomers", snap))
    assert name in _pdf_text(_qr_sheet(first, last, company, tmp_path_factory.mktemp("codes")))
    assert name in _pdf_text(_host_slip(first, last, company))
