"""A pretix event with the guests an organiser really has, made through pretix's API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from tests.support.pretix_server import PretixServer

_slugs = itertools.count(1)

ACME = 'ACME, Inc. "The Best"'


@dataclass
class Seeded:
    slug: str
    list_id: int
    item: int
    secrets: dict[str, str] = field(default_factory=dict)  # "given family" -> secret
    orders: dict[str, str] = field(default_factory=dict)  # "given family" -> order code


def person(given: str, family: str, email: str | None = None, company: str | None = None):
    pos: dict = {"attendee_name_parts": {"given_name": given, "family_name": family}}
    if email:
        pos["attendee_email"] = email
    if company:
        pos["company"] = company
    return pos


def seed_event(px: PretixServer, locale: str = "en", prefix: str = "desk") -> Seeded:
    """Paid guests with accents, CJK and a company full of commas and quotes; two attendees
    on one order (the second without an email of their own); an unpaid and a cancelled
    order."""
    slug = f"{prefix}-{locale}-{next(_slugs)}"
    px.create_event(slug, locale=locale, name="Welcome evening")
    ticket = "Konferenzticket" if locale == "de" else "Conference ticket"
    item = px.add_product(slug, ticket, price="49.00", quota=100)
    clist = px.checkin_list(slug)
    seeded = Seeded(slug, clist["id"], item["id"])
    orders = [
        ("p", [person("José", "Müller", "jose@example.org", "Müller & Söhne GmbH")], None),
        ("p", [person("Wei", "Zhang 张", "wei@example.org", "北京 Example Ltd.")], None),
        (
            "p",
            [
                person("Anna", "Łukasiewicz", "anna@example.org", ACME),
                person("Björk", "Guðmundsdóttir"),  # no email: the buyer's is used
            ],
            "buyer@example.org",
        ),
        ("n", [person("Pat", "Pending", "pat@example.org")], None),
        ("p", [person("Carla", "Cancel", "carla@example.org")], None),
    ]
    for status, positions, email in orders:
        order = px.create_order(slug, positions, status=status, email=email)
        for pos in order["positions"]:
            parts = pos["attendee_name_parts"]
            name = f"{parts['given_name']} {parts['family_name']}"
            seeded.secrets[name] = pos["secret"]
            seeded.orders[name] = order["code"]
    px.cancel_order(slug, seeded.orders["Carla Cancel"])
    return seeded
