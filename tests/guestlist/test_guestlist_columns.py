"""Format detection, the synonym table and explicit column mappings."""

from __future__ import annotations

import pytest

from checkin.guestlist.reading import FIELDS, detect_format, read_guest_list

EVENTBRITE = [
    "Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Price Tier",
    "Ticket Type", "Attendee #", "Group", "Order Type", "Currency", "Total Paid", "Fees Paid",
    "Eventbrite Fees", "Eventbrite Payment Processing", "Attendee Status", "Job Title", "Company",
]  # fmt: skip
EVENTBRITE_2013 = [
    "Attendee #", "Date", "Last Name", "First Name", "Email", "QTY", "Ticket Type",
    "Date Attending", "Order #", "Order Type", "Amount (USD)", "Fees Paid (USD)",
    "Attendee Status", "Job Title", "Company",
]  # fmt: skip
MEETUP = [
    "Name", "Attendance", "User ID", "Title", "Event Host", "RSVP", "Guests", "RSVPed on",
    "Joined Group on", "URL of Member Profile", "Notes",
]  # fmt: skip
PRETIX = [
    "Event slug", "Order code", "Position ID", "Status", "Email", "Phone number", "Order date",
    "Order time", "Product", "Variation", "Price", "Tax rate", "Tax rule", "Tax value",
    "Attendee name", "Attendee email", "Company", "Ticket secret",
]  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (EVENTBRITE, "eventbrite"),
        (EVENTBRITE_2013, "eventbrite"),
        (MEETUP, "meetup"),
        (PRETIX, "pretix"),
        (["First name", "Last name", "Email"], "generic"),
        (["Name", "Email", "Status"], "generic"),
        ([], "generic"),
    ],
)
def test_detect_format(headers, expected):
    assert detect_format(headers) == expected


def test_detection_ignores_case_spacing_order_and_extra_columns():
    messy = ["  ATTENDEE STATUS ", "my own column", "order  #", "first name", "Last Name"]
    assert detect_format(messy) == "eventbrite"
    assert detect_format(["url of member profile", " user id", "NAME", "Favourite colour"]) == (
        "meetup"
    )
    assert detect_format(["Attendee name", "Position ID", "Order Code"]) == "pretix"


def test_fields_are_the_documented_ones():
    assert FIELDS == (
        "first_name", "last_name", "name", "email", "company", "job_title", "ticket_code",
        "ticket_type", "external_id", "status", "first_time", "is_host", "host_capacity",
        "backup_host", "interests", "languages", "profession", "phone", "title",
    )  # fmt: skip


def write(tmp_path, text, name="list.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Vorname", "first_name"),
        ("Prénom", "first_name"),
        ("Given name", "first_name"),
        ("Nachname", "last_name"),
        ("Nom", "last_name"),
        ("Family name", "last_name"),
        ("Surname", "last_name"),
        ("E-Mail", "email"),
        ("Email address", "email"),
        ("Organisation", "company"),
        ("Organization", "company"),
        ("Firma", "company"),
        ("Barcode", "ticket_code"),
        ("Code", "ticket_code"),
        ("Ticket", "ticket_code"),
        ("Topics", "interests"),
        ("Interests", "interests"),
        ("First time?", "first_time"),
        ("Host", "is_host"),
        ("Languages spoken", "languages"),
        ("Phone", "phone"),
        ("Occupation", "profession"),
    ],
)
def test_generic_synonyms(tmp_path, header, field):
    path = write(tmp_path, f"Full name,{header}\nAda Lovelace,\n")
    guests = read_guest_list(path)
    assert guests.mapping["name"] == "Full name"
    assert guests.mapping[field] == header


def test_custom_questions_are_recognised_by_their_words(tmp_path):
    header = (
        "First name,Last name,Which topics interest you?,Would you like to host a newcomer?,"
        "How many newcomers can you host at most?,Is this your first time here?,"
        "Which languages do you speak?,Company / organisation\n"
    )
    path = write(tmp_path, header + "Ada,Lovelace,Maths | Engines,yes,2,no,English;French,AE\n")
    guests = read_guest_list(path)

    assert guests.ok, guests.problems
    ada = guests.rows[0]
    assert ada.interests == ("Maths", "Engines")
    assert (ada.is_host, ada.host_capacity, ada.first_time) == (True, 2, False)
    assert ada.languages == ("English", "French")
    assert ada.company == "AE"


def test_explicit_mapping_overrides_the_guess(tmp_path):
    path = write(
        tmp_path, "Name,Work email,Email,Badge\nAda Lovelace,ada@work.example,a@home,B-1\n"
    )
    guests = read_guest_list(
        path, mapping={"email": "Work email", "ticket_code": "badge", "company": ""}
    )
    assert guests.ok, guests.problems
    assert guests.mapping["email"] == "Work email"
    assert guests.mapping["ticket_code"] == "Badge"  # matched ignoring case
    assert guests.rows[0].email == "ada@work.example"
    assert guests.rows[0].ticket_code == "B-1"


def test_explicit_full_name_column_wins_over_guessed_first_and_last(tmp_path):
    path = write(tmp_path, "First name,Last name,Display\nAda,L.,Ada Lovelace\n")
    guests = read_guest_list(path, mapping={"name": "Display"})
    assert "first_name" not in guests.mapping
    assert guests.rows[0].full_name == "Ada Lovelace"


def test_explicit_mapping_to_a_missing_column_is_a_file_problem(tmp_path):
    path = write(tmp_path, "Name,Email\nAda Lovelace,ada@example.com\n")
    guests = read_guest_list(path, mapping={"company": "Organisation", "colour": "Name"})

    assert [(p.row, p.column) for p in guests.problems] == [(None, None), (None, None)]
    messages = [p.message for p in guests.problems]
    assert any("'Organisation'" in m and "no such column" in m and "'Email'" in m for m in messages)
    assert any("'colour'" in m and "first_name" in m for m in messages)
    assert guests.rows[0].full_name == "Ada Lovelace"  # the rest was still read


def test_explicit_format_is_used_even_when_detection_would_differ(tmp_path):
    path = write(tmp_path, "Name,User ID,RSVP\nAda Lovelace,42,no\n")
    assert read_guest_list(path).format == "meetup"
    guests = read_guest_list(path, format="generic")
    assert guests.format == "generic"
    assert guests.rows[0].cancelled is True  # "no" in a status column means no either way


def test_unknown_format_is_a_programming_error(tmp_path):
    path = write(tmp_path, "Name\nAda\n")
    with pytest.raises(ValueError, match="unknown guest-list format"):
        read_guest_list(path, format="humanitix")


def test_a_bare_id_column_is_not_taken_for_a_member_id(tmp_path):
    guests = read_guest_list(write(tmp_path, "ID,Name,Member ID\n1,Ada Lovelace,m-77\n"))
    assert guests.mapping["external_id"] == "Member ID"
    assert guests.rows[0].external_id == "m-77"
