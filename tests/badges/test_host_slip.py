"""The host slip: who to look for, what they share, whom to introduce them to."""

from __future__ import annotations

import io
import subprocess

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from checkin.badges.slip import render_host_slip
from checkin.badges.templates import get_template
from checkin.door.outcomes import Guest, HostRef, Introduction, Outcome, OutcomeKind


def _outcome() -> Outcome:
    return Outcome(
        OutcomeKind.CHECKED_IN,
        "N1",
        "Evening",
        guest=Guest(7, "N1", "Zoë", "Ångström", company="Kite Analytics"),
        first_time=True,
        host=HostRef(1, 2, "Hana Host", "H1", "Alpha", ("AI",)),
        introductions=(Introduction(3, "Rob Regular", "Omega", ("AI",)),),
    )


def test_slip_names_the_newcomer_and_the_introductions_on_the_badge_stock():
    template = get_template("zebra-4x3")
    pdf = PdfReader(io.BytesIO(render_host_slip(_outcome(), template)))
    (page,) = pdf.pages
    box = page.mediabox
    assert (round(float(box.width)), round(float(box.height))) == (288, 216)
    text = page.extract_text()
    for words in ("Hana Host", "Zoë Ångström", "Kite Analytics", "AI", "Rob Regular"):
        assert words in text


def test_slip_carries_the_hosts_phone_link_as_a_qr_only_when_given(tmp_path):
    template = get_template("zebra-4x3")
    url = "http://192.168.1.20:8765/h/abcdefghijklmnopqrstuvwxyz012345"
    plain = render_host_slip(_outcome(), template)
    with_link = render_host_slip(_outcome(), template, link_url=url)
    for name, pdf in (("plain", plain), ("link", with_link)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"),
             str(tmp_path / name)],
            check=True,
        )  # fmt: skip
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "link.png"))
    assert [b.text for b in found] == [url]
    assert zxingcpp.read_barcodes(Image.open(tmp_path / "plain.png")) == []
    assert "Rob Regular" in PdfReader(io.BytesIO(with_link)).pages[0].extract_text()
