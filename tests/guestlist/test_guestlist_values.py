"""Single cell values: yes/no answers, lists, emails, capacities, statuses, names."""

from __future__ import annotations

import pytest

from checkin.guestlist.validation import (
    BadValue,
    check_ticket_code,
    is_cancelled,
    parse_bool,
    parse_capacity,
    parse_email,
    parse_list,
    split_name,
)


@pytest.mark.parametrize(
    "raw",
    [
        "yes",
        "Yes",
        "YES",
        "y",
        "true",
        "TRUE",
        "1",
        "x",
        "X",
        "ja",
        "Ja",
        "oui",
        "Yes, first time!",
    ],
)
def test_yes(raw):
    assert parse_bool(raw) is True


@pytest.mark.parametrize(
    "raw", ["no", "No", "n", "false", "False", "0", "nein", "Nein", "non", "No - third visit"]
)
def test_no(raw):
    assert parse_bool(raw) is False


def test_empty_answer_is_unknown():
    assert parse_bool("") is None


@pytest.mark.parametrize("raw", ["maybe", "2", "yess", "nicht sicher"])
def test_unclear_answer(raw):
    with pytest.raises(BadValue, match=f'"{raw}" is not a yes or no answer'):
        parse_bool(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ()),
        ("AI", ("AI",)),
        ("AI, Design ; UX|ai", ("AI", "Design", "UX")),
        (" , ;| ", ()),
        ("Climate\nEnergy", ("Climate", "Energy")),
        ("Zoë, ZOË, zoë", ("Zoë",)),
        ("b, a, B", ("b", "a")),
    ],
)
def test_lists(raw, expected):
    assert parse_list(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("Ada@Example.COM", "ada@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("zoë@exämple.de", "zoë@exämple.de"),
    ],
)
def test_good_emails(raw, expected):
    assert parse_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["anna@@example", "anna@example", "anna.example.com", "anna @example.com", "@example.com",
     "anna@example..com", "anna@.example.com", "Anna <anna@example.com>", "a@b.c,d@e.f"],
)  # fmt: skip
def test_bad_emails(raw):
    with pytest.raises(BadValue, match="is not an email address"):
        parse_email(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("", None), ("1", 1), ("3", 3), ("12", 12), ("4.0", 4)]
)
def test_capacity(raw, expected):
    assert parse_capacity(raw) == expected


@pytest.mark.parametrize("raw", ["0", "-1", "three", "2.5", "1e3", "²"])
def test_bad_capacity(raw):
    with pytest.raises(BadValue, match="is not a number of newcomers"):
        parse_capacity(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "Cancelled", "Refunded", "Not Attending", "Deleted", "Transferred",  # Eventbrite
        "No", "Waitlist", "waitlisted",  # Meetup
        "c", "canceled", "expired", "e",  # pretix display values and codes
        "Storniert", "annulé", "Refunded/Canceled",
    ],
)  # fmt: skip
def test_cancelled_statuses(raw):
    assert is_cancelled(raw) is True


@pytest.mark.parametrize(
    "raw", ["", "Attending", "Checked In", "Yes", "paid", "p", "pending", "n", "Completed", "Free"]
)
def test_valid_statuses(raw):
    assert is_cancelled(raw) is False


def test_ticket_codes_are_kept_verbatim():
    assert check_ticket_code("") is None
    assert check_ticket_code("000123") == "000123"
    assert check_ticket_code("Kx9rq2mfw7") == "Kx9rq2mfw7"
    for mangled in ("1.23457E+21", "1,23457E+21", "9E+15"):
        with pytest.raises(BadValue, match="rounded number"):
            check_ticket_code(mangled)


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Ada Lovelace", ("Ada", "Lovelace")),
        ("Anna Maria Schmidt", ("Anna Maria", "Schmidt")),
        ("Lovelace, Ada", ("Ada", "Lovelace")),
        ("Cher", ("Cher", "")),
        ("Adam M.", ("Adam", "M.")),
        ("  Ada   Lovelace ", ("Ada", "Lovelace")),
    ],
)
def test_split_name(full, expected):
    assert split_name(full) == expected
