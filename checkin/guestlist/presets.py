"""Which column holds what in each ticketing tool's export, and which tool made a header.

Header names come from the tools' real exports and exporter code (see docs/guestlists.md
for where each was checked); they are written here in their *normalised* form
(``synonyms.norm``: "Name Teilnehmer*in: Vorname" -> "name teilnehmer in vorname").

The ticket code is what the guest's own ticket QR holds, so their ticket scans:
pretix the secret, Eventbrite the barcode number, Hi.Events the attendee's public id, Luma
the check-in URL, Tito the ticket's URL (its QR; the slug ``ti_…`` is its last part).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from checkin.guestlist.synonyms import norm


@dataclass(frozen=True)
class Preset:
    name: str
    label: str = ""  # what the import summary calls the tool
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> candidates
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tried when empty
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)  # helper columns
    adjust: Callable[[dict[str, str]], None] | None = None
    # Headers the synonym table must leave alone because they mean something else here.
    ignore: frozenset[str] = frozenset()
    # The tool's tickets carry a code: a file without it would give every guest an app
    # code, and their own tickets would not scan.
    has_codes: bool = False
    # Headers this tool writes twice on purpose; the first is the one read (older pretix
    # exports had "Company" for the attendee and again for the invoice address).
    repeated: frozenset[str] = frozenset()


def _yes(value: str) -> bool:
    return value.strip().casefold() in {"yes", "ja", "true", "1", "oui", "sí", "si"}


def _no(value: str) -> bool:
    return value.strip().casefold() in {"no", "nein", "false", "0", "non"}


def _pretix_adjust(values: dict[str, str]) -> None:
    # pretix itself refers to a ticket as "<order code>-<position id>" (e.g. "Z3KQP-1").
    order, position = values.get("_order_code", ""), values.get("_position", "")
    if order and not values.get("external_id"):
        values["external_id"] = f"{order}-{position}" if position else order
    variation = values.get("_variation", "")
    if variation and values.get("ticket_type"):
        values["ticket_type"] = f"{values['ticket_type']} – {variation}"
    if _no(values.get("_paid", "")):  # check-in list "Paid"/"bezahlt" = "No"/"Nein"
        values["status"] = "unpaid"
    if _yes(values.get("_blocked", "")):  # "Blocked"/"Gesperrt": pretix refuses the ticket
        values["status"] = "blocked"


def _pretix_checkin_adjust(values: dict[str, str]) -> None:
    # One order holds several attendees and this list has no position number: the order
    # code names no single guest, so it is not kept as their id.
    values.pop("_order_code", None)
    _pretix_adjust(values)


def _tito_adjust(values: dict[str, str]) -> None:
    if values.get("_void"):  # "Void Status": any value means the ticket was voided
        values["status"] = "voided"


EVENTBRITE = Preset(
    name="eventbrite",
    label="Eventbrite attendee report",
    columns={
        "first_name": ("first name",),
        "last_name": ("last name", "surname"),
        "title": ("prefix",),
        "email": ("email", "email address"),
        "ticket_code": ("barcode", "barcode no", "barcode number"),
        "ticket_type": ("ticket type",),
        "external_id": ("attendee", "attendee no", "attendee id", "attendee number"),
        "status": ("attendee status",),
        "company": ("company",),
        "job_title": ("job title",),
        "phone": ("cell phone", "work phone", "home phone", "phone"),
    },
    fallbacks={"email": ("buyer email",)},
    ignore=frozenset(
        {
            "order",
            "order no",
            "order type",
            "group",
            "price tier",
            "event name",
            "event id",
            "capacity",  # the event's capacity, not a host's
        }
    ),
)

MEETUP = Preset(
    name="meetup",
    label="Meetup attendee list",
    columns={
        "name": ("name",),
        "external_id": ("user id", "member id"),
        "status": ("rsvp", "response"),
    },
    # "Title" is the member's role in the group (Organizer, Co-Organizer...), not a job title;
    # "Event Host" marks the event's organisers, not newcomer hosts (map it by hand if wanted).
    ignore=frozenset(
        {
            "title",
            "event host",
            "guests",
            "attendance",
            "url of member profile",
            "rsvped on",
            "joined group on",
            "last attended",
            "notes",
        }
    ),
)

# pretix exports in the event's language: English and German column names side by side.
_PRETIX_IGNORE = frozenset(
    {
        "event slug",
        "kurzname der veranstaltung",
        "event name",
        "veranstaltungstitel",
        "voucher",
        "gutschein",
        "voucher code",
        "gutscheincode",
        "pseudonymization id",
        "pseudonyme id",
        "invoice address name",
        "rechnungsadresse name",
        "position",  # the German "Position" is the position number, never a job title
        "seat name",
        "sitzbezeichnung",
        "state",  # of the address, not of the ticket
        "bundesstaat",
    }
)

PRETIX = Preset(
    name="pretix",
    label="pretix order positions",
    columns={
        "first_name": (
            "attendee name given name",
            "attendee name first name",
            "name teilnehmer in vorname",
        ),
        "last_name": (
            "attendee name family name",
            "attendee name last name",
            "name teilnehmer in nachname",
        ),
        "title": ("attendee name title", "name teilnehmer in titel"),
        "name": ("attendee name", "name teilnehmer in"),
        "email": ("attendee email", "e mail teilnehmer in"),
        "ticket_code": ("ticket secret", "ticket code", "secret"),
        "ticket_type": ("product", "produkt"),
        "status": ("status",),
        "company": ("attendee company", "teilnehmer innen firma", "company"),
        "phone": ("phone number", "telefonnummer"),
    },
    # Events that do not ask for attendee details leave those cells empty: use the order's.
    fallbacks={
        "email": ("email", "e mail"),
        "name": ("invoice address name", "rechnungsadresse name"),
        "company": ("invoice address company", "rechnungsadresse firma"),
    },
    extras={
        "_order_code": ("order code", "bestellnummer"),
        "_position": ("position id", "position"),
        "_variation": ("variation", "variante"),
        "_blocked": ("blocked", "gesperrt"),
    },
    adjust=_pretix_adjust,
    ignore=_PRETIX_IGNORE,
    has_codes=True,
    repeated=frozenset({"company"}),
)

PRETIX_CHECKIN = Preset(
    name="pretix-checkin",
    label="pretix check-in list",
    columns={
        "first_name": ("attendee name given name", "teilnehmer innenname vorname"),
        "last_name": ("attendee name family name", "teilnehmer innenname nachname"),
        "title": ("attendee name title", "teilnehmer innenname titel"),
        "name": ("attendee name", "name teilnehmer in"),
        "email": ("email", "e mail"),
        "ticket_code": ("secret",),
        "ticket_type": ("product", "produkt"),
        "company": ("company", "firma"),
        "phone": ("phone number", "telefonnummer"),
    },
    extras={
        "_order_code": ("order code", "bestellnummer"),
        "_paid": ("paid", "bezahlt"),
        "_blocked": ("blocked", "gesperrt"),
    },
    adjust=_pretix_checkin_adjust,
    ignore=_PRETIX_IGNORE | {"comment", "kommentar", "check in text", "check in hinweis"},
    has_codes=True,
)

TITO = Preset(
    name="tito",
    label="Tito tickets",
    columns={
        "first_name": ("ticket first name",),
        "last_name": ("ticket last name",),
        "name": ("ticket full name",),
        "email": ("ticket email",),
        "company": ("ticket company name",),
        "phone": ("ticket phone number",),
        "ticket_code": ("unique ticket url",),
        "ticket_type": ("ticket",),  # "Ticket" is the ticket type ("Individual"), never a code
        "external_id": ("ticket reference",),
    },
    fallbacks={
        "name": ("order name", "registration name"),  # a ticket not yet assigned to anyone
        "email": ("order email", "registration email"),
    },
    extras={"_void": ("void status",)},
    adjust=_tito_adjust,
    ignore=frozenset({"number", "event", "price", "tags", "order name", "registration name"}),
    has_codes=True,
)

LUMA = Preset(
    name="luma",
    label="Luma guest list",
    columns={
        "name": ("name",),
        "first_name": ("first name",),
        "last_name": ("last name",),
        "email": ("email",),
        "phone": ("phone number",),
        # The QR on a Luma ticket is this very URL (https://luma.com/check-in/evt-…?pk=g-…).
        "ticket_code": ("qr code url",),
        "ticket_type": ("ticket name",),
        "external_id": ("api id", "guest id"),
        "status": ("approval status",),
    },
    ignore=frozenset({"custom source", "coupon code", "ticket type id", "created at"}),
    has_codes=True,
)

HIEVENTS = Preset(
    name="hievents",
    label="Hi.Events attendees",
    columns={
        "first_name": ("first name",),
        "last_name": ("last name",),
        "email": ("email",),
        "status": ("status",),
        "ticket_code": ("public id",),  # the QR on a Hi.Events ticket is the public id
        "external_id": ("id",),
    },
    ignore=frozenset({"short id", "ticket id", "product id", "event id", "is checked in"}),
    has_codes=True,
)

GENERIC = Preset(name="generic", label="a spreadsheet of guests")

PRESETS: dict[str, Preset] = {
    p.name: p for p in (EVENTBRITE, MEETUP, PRETIX, PRETIX_CHECKIN, TITO, LUMA, HIEVENTS, GENERIC)
}


def detect_format(headers: Sequence[str]) -> str:
    """Which tool made this header (a key of PRESETS; "generic" when none)."""
    have = {norm(h) for h in headers}
    # Each test needs columns only that tool writes together, so extra columns never matter.
    if have & {"order code", "bestellnummer"}:
        positions = "position id" in have or {"bestellnummer", "position"} <= have
        if positions and have & {"attendee name", "product", "name teilnehmer in", "produkt"}:
            return "pretix"
        if have & {"checked in", "eingecheckt"} and have & {"attendee name", "name teilnehmer in"}:
            return "pretix-checkin"
    if have & {"order", "order no"} and "attendee status" in have:  # "Order #" / "Order no."
        return "eventbrite"
    if have & {"barcode", "barcode no"} and "attendee status" in have:
        return "eventbrite"
    if "unique ticket url" in have or {"ticket reference", "ticket full name"} <= have:
        return "tito"
    if "qr code url" in have or (have & {"api id", "guest id"} and "approval status" in have):
        return "luma"
    if {"public id", "short id"} <= have and {"first name", "last name"} <= have:
        return "hievents"
    if {"name", "user id"} <= have and have & {
        "rsvp",
        "response",
        "rsvped on",
        "joined group on",
        "url of member profile",
    }:
        return "meetup"
    return "generic"


_GERMAN = frozenset({"bestellnummer", "name teilnehmer in", "produkt", "firma", "e mail"})


def describe_format(fmt: str, headers: Sequence[str]) -> str:
    """The tool as the import summary names it: "pretix check-in list (German)"."""
    label = PRESETS[fmt].label or fmt
    if fmt.startswith("pretix"):
        have = {norm(h) for h in headers}
        label += " (German)" if len(have & _GERMAN) >= 2 else " (English)"
    return label
