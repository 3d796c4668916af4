"""Exports from Tito, Luma, Hi.Events, Eventbrite UK/US and pretix (EN/DE, positions and the
check-in list) read without hand mapping: the code is what the ticket's QR holds, statuses
say who may not enter and why, and name parts stay parts.

tests/data/guestlists/tools: real headers (see docs/guestlists.md), invented rows.
tests/data/guestlists/pretix: files exactly as a real pretix 2026.8 server exported them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checkin.guestlist.reading import read_guest_list

DATA = Path(__file__).resolve().parent.parent / "data" / "guestlists"
TOOLS, PRETIX = DATA / "tools", DATA / "pretix"


def people(path, **kw):
    guests = read_guest_list(path, **kw)
    assert guests.ok, guests.problems
    return guests, {g.full_name: g for g in guests.rows}


@pytest.mark.parametrize(
    ("name", "fmt", "tool"),
    [
        ("tito.csv", "tito", "Tito tickets"),
        ("luma.csv", "luma", "Luma guest list"),
        ("hievents.csv", "hievents", "Hi.Events attendees"),
        ("eventbrite_uk.csv", "eventbrite", "Eventbrite attendee report"),
        ("eventbrite_us.csv", "eventbrite", "Eventbrite attendee report"),
        ("meetup.csv", "meetup", "Meetup attendee list"),
        ("pretix_positions_en.csv", "pretix", "pretix order positions (English)"),
        ("pretix_positions_de.csv", "pretix", "pretix order positions (German)"),
        ("pretix_checkin_en.csv", "pretix-checkin", "pretix check-in list (English)"),
        ("pretix_checkin_de.csv", "pretix-checkin", "pretix check-in list (German)"),
    ],
)
def test_each_tool_is_recognised_and_named(name, fmt, tool):
    guests = read_guest_list(TOOLS / name)
    assert guests.ok, guests.problems
    assert (guests.format, guests.tool) == (fmt, tool)


def test_tito_code_is_the_ticket_url_and_ticket_is_the_type():
    guests, p = people(TOOLS / "tito.csv")
    assert guests.mapping["ticket_code"] == "Unique Ticket URL"
    assert guests.mapping["ticket_type"] == "Ticket"  # "Conference Pass", never a code
    jose = p["José Müller"]
    assert jose.ticket_code == "https://ti.to/tickets/ti_pX9demoAAAAAAAAAAAAAAA1"
    assert (jose.ticket_type, jose.external_id) == ("Conference Pass", "QXBE-1")
    # Wei is on José's order: the buyer's company is not hers.
    assert p["Wei Zhang 张"].company is None
    assert (p["Oleksandr Kovalenko Коваленко"].status_reason) == "voided"


def test_luma_code_is_the_check_in_url_and_statuses_say_why():
    _, p = people(TOOLS / "luma.csv")
    assert p["José Müller"].ticket_code.startswith("https://luma.com/check-in/evt-")
    assert p["José Müller"].company == "Müller & Söhne GmbH"  # "What's your company?"
    assert p["José Müller"].status == "registered"
    assert (p["Wei Zhang 张"].status, p["Wei Zhang 张"].status_reason) == (
        "cancelled",
        "awaiting approval",
    )
    assert p["Aylin Yılmaz"].status_reason == "waitlisted"
    assert p["Oleksandr Kovalenko"].status_reason == "declined"


def test_hievents_code_is_the_public_id_and_awaiting_payment_is_unpaid():
    guests, p = people(TOOLS / "hievents.csv")
    assert guests.mapping["ticket_code"] == "Public ID"
    assert p["José Müller"].ticket_code == "K7QZ2MX-1"
    assert p["Aylin Yılmaz"].status == "unpaid"
    assert p["Oleksandr Kovalenko Коваленко"].status_reason == "cancelled"


@pytest.mark.parametrize("name", ["eventbrite_uk.csv", "eventbrite_us.csv"])
def test_eventbrite_uk_and_us_barcodes_prefixes_and_not_attending(name):
    guests, p = people(TOOLS / name)
    jose = p["José Müller"]
    assert jose.ticket_code == "11000000001220000000011001"
    assert jose.title in ("Dr", "Dr.") and jose.first_name == "José"
    assert p["Aylin Yılmaz"].status_reason == "not attending"
    assert "host_capacity" not in guests.mapping  # "Capacity" is the event's


@pytest.mark.parametrize("lang", ["en", "de"])
def test_pretix_positions_in_both_languages(lang):
    guests, p = people(PRETIX / f"positions_{lang}.csv")
    assert guests.format == "pretix"
    wei = p["Wei Zhang 张"]
    assert (wei.first_name, wei.last_name) == ("Wei", "Zhang 张")
    secret = {"en": "yjach7shz3eb5w6umpn2gtvg7h9sthxv", "de": "9kebhdactbrt4n62yreptn6r82tzp947"}
    assert wei.ticket_code == secret[lang]
    assert wei.company == "北京 Example Ltd."
    assert p["Ann O'Brien"].company == 'ACME, Inc. "The Best"'
    assert p["Peter Pending"].status == "unpaid"
    assert p["Carla Cancelled"].status_reason == "cancelled"
    assert p["Zoë Ångström"].external_id.endswith("-1")
    assert p["Björn Łukasz-Øster"].external_id.endswith("-2")  # two attendees, one order
    assert all(g.job_title is None for g in guests.rows)  # "Position" is a number


def test_pretix_german_semicolon_export():
    guests, p = people(PRETIX / "positions_semicolon_de.csv")
    assert guests.delimiter == ";" and guests.tool == "pretix order positions (German)"
    assert p["Peter Pending"].status == "unpaid" and p["José Müller"].status == "registered"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_pretix_check_in_list_uses_the_name_parts_and_the_secret(lang):
    guests, p = people(PRETIX / f"checkin_{lang}.csv")
    assert guests.format == "pretix-checkin"
    wei = p["Wei Zhang 张"]
    assert (wei.first_name, wei.last_name) == ("Wei", "Zhang 张")
    assert guests.mapping["ticket_code"] == "Secret"
    assert len(wei.ticket_code) == 32


@pytest.mark.parametrize("lang", ["en", "de"])
def test_pretix_check_in_list_paid_no_is_unpaid(lang):
    _, p = people(PRETIX / f"checkin_pendinglist_{lang}.csv")
    assert p["Peter Pending"].status == "unpaid"
    assert p["José Müller"].status == "registered"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_pretix_check_in_list_without_secrets_is_refused_unless_told(lang):
    path = PRETIX / f"checkin_nosecret_{lang}.csv"
    guests = read_guest_list(path)
    assert [p.row for p in guests.problems] == [None]
    message = guests.problems[0].message
    assert "no column with the ticket codes" in message and "Include QR-code secret" in message
    assert "--issue-codes" in message
    knowingly = read_guest_list(path, issue_codes=True)
    assert knowingly.ok and all(g.ticket_code is None for g in knowingly.rows)


def test_a_title_in_a_full_name_is_not_a_first_name(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Name,Email\nDr Ingrid M,i@example.org\nDr Who,w@example.org\n")
    _, p = people(path)
    ingrid = p["Ingrid M"]
    assert (ingrid.title, ingrid.first_name, ingrid.last_name) == ("Dr", "Ingrid", "M")
    assert p["Dr Who"].title is None  # nothing left after the title: it is the name


def test_pretix_title_part_is_kept_apart():
    _, p = people(TOOLS / "pretix_positions_en.csv")
    jose = p["José Müller"]
    assert (jose.title, jose.first_name, jose.last_name) == ("Dr.", "José", "Müller")


def test_an_unrecognised_header_gets_suggestions(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Vornamen,Nachnamen,Mail\nAda,Lovelace,a@example.org\n")
    guests = read_guest_list(path)
    message = guests.problems[0].message
    assert "no column with the guests' names" in message
    assert "'Vornamen' looks like first name" in message
    assert "'Nachnamen' looks like last name" in message


def test_the_german_position_number_is_never_a_job_title_even_as_generic():
    guests = read_guest_list(PRETIX / "positions_de.csv", format="generic")
    assert all(g.job_title is None for g in guests.rows)
