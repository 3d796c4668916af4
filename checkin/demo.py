"""A realistic demo evening: regulars from last month, first-timers, a dozen hosts.

Deterministic (seeded) and idempotent: running it again finds the event and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.rows import GuestList, GuestRow
from checkin.hosting.actions import add_host
from checkin.store.db import Database
from checkin.store.models import Event, Host, Registration
from checkin.timeutil import utcnow

DEMO_EVENT = "Riverside Business Breakfast"
PAST_EVENT = "Riverside Business Breakfast (last month)"

FIRST = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemal",
    "Lena",
    "Mateo",
    "Nina",
    "Oscar",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Vera",
    "William",
    "Xenia",
    "Yusuf",
    "Zoë",
    "José",
    "Chloé",
    "Björn",
    "Łukasz",
    "Søren",
    "Aoife",
    "Siobhán",
    "Mei",
    "Hiroshi",
    "Amara",
    "Kwame",
    "Olga",
    "Dmitri",
    "Fatima",
    "Noah",
    "Emma",
    "Liam",
    "Sofia",
    "Lucas",
    "Mia",
    "Ethan",
    "Hannah",
    "Raj",
    "Ana",
    "Pedro",
    "Marta",
    "Tomás",
    "Eleni",
    "Giulia",
    "Luca",
    "Sanne",
    "Daan",
)
LAST = (
    *(
        "Müller",
        "Schmidt",
        "García",
        "Rossi",
        "Dubois",
        "Novak",
        "Kowalski",
        "Jensen",
        "Murphy",
        "O'Brien",
        "Nakamura",
        "Chen",
        "Okafor",
        "Haddad",
        "Patel",
        "Silva",
        "Costa",
        "Andersson",
        "Nielsen",
        "Fischer",
        "Weber",
        "Martin",
        "Bernard",
        "Moreau",
        "Janssen",
        "Horvat",
        "Popescu",
        "Ivanova",
        "Georgiou",
        "Yilmaz",
        "Kaya",
        "Mensah",
        "Abebe",
        "Tanaka",
        "Kim",
        "Nguyen",
        "Singh",
        "Khan",
        "Cohen",
        "Levi",
        "Brown",
        "Taylor",
        "Wilson",
        "Evans",
        "Walsh",
        "Byrne",
        "Lefebvre",
        "Sánchez",
    ),
    "de Vries",
    "van der Berg",
)
COMPANIES = (
    "Brightpath Consulting",
    "Northwind Legal",
    "Harbour Bank",
    "Greenleaf Energy",
    "Pixel & Pine Design",
    "Atlas Logistics",
    "Cedar Health",
    "Bluebird Marketing",
    "Quantum Ledger",
    "Riverside Realty",
    "Summit HR",
    "Oakridge Insurance",
    "Blue Fern Studio",
    "Copperfield Accounting",
    "Nimbus Cloud",
    "Kite Analytics",
    "Foundry Coworking",
    "Maple & Co. Catering",
    "Vista Architects",
    "Helix Biotech",
)
INTERESTS = (
    "AI",
    "Fintech",
    "Marketing",
    "Sustainability",
    "Real estate",
    "Startups",
    "Design",
    "Hiring",
    "Sales",
    "Healthcare",
    "Legal",
    "Export",
    "Events",
    "Investing",
)
PROFESSIONS = (
    "Accountant",
    "Lawyer",
    "Designer",
    "Banker",
    "Architect",
    "Recruiter",
    "Developer",
    "Marketer",
    "Consultant",
    "Insurance broker",
    "Estate agent",
    "Caterer",
    "Photographer",
)
TITLES = ("Founder", "Director", "Partner", "Manager", "Consultant", "Head of Sales", "CEO")


def _people(rng: random.Random, n: int) -> list[dict]:
    seen = set()
    people = []
    while len(people) < n:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) in seen:
            continue
        seen.add((first, last))
        slug = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        slug = slug.encode("ascii", "ignore").decode() or "guest"
        people.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{slug}{len(people)}@example.org",
                "company": rng.choice(COMPANIES),
                "job_title": rng.choice(TITLES),
                "profession": rng.choice(PROFESSIONS),
                "interests": tuple(rng.sample(INTERESTS, rng.randint(1, 3))),
            }
        )
    return people


def _rows(people: list[dict], first_time: dict[int, bool | None]) -> list[GuestRow]:
    return [
        GuestRow(
            row=i + 2,
            first_name=p["first_name"],
            last_name=p["last_name"],
            email=p["email"],
            company=p["company"],
            job_title=p["job_title"],
            profession=p["profession"],
            interests=p["interests"],
            first_time=first_time.get(i),
        )
        for i, p in enumerate(people)
    ]


def _import(db: Database, event: str, rows: list[GuestRow]) -> None:
    guests = GuestList("demo", "generic", "utf-8", ",", {}, rows=rows)
    import_guest_list(db, event, "demo", guests=guests)


def make_demo(db: Database, *, guests: int = 300, hosts: int = 12, seed: int = 7) -> str:
    """Create the demo event (once) and return its name."""
    with db.read() as s:
        if s.scalar(select(Event.id).where(Event.name == DEMO_EVENT)) is not None:
            return DEMO_EVENT
    rng = random.Random(seed)
    people = _people(rng, guests)
    today = dt.date.today()
    # Last month: 160 regulars came. They are this month's returning guests.
    create_event(db, PAST_EVENT, today - dt.timedelta(days=28), exist_ok=True)
    regulars = list(range(160))
    _import(db, PAST_EVENT, _rows([people[i] for i in regulars], {}))
    with db.read() as s:
        past_codes = s.scalars(
            select(Registration.code)
            .join(Event, Event.id == Registration.event_id)
            .where(Event.name == PAST_EVENT)
        ).all()
    past = utcnow() - dt.timedelta(days=28)
    for k, code in enumerate(past_codes):
        check_in(db, PAST_EVENT, code, device="Door 1", now=past + dt.timedelta(seconds=20 * k))

    # Tonight: 140 of the regulars, and 160 people new to the group.
    create_event(db, DEMO_EVENT, today, exist_ok=True)
    tonight = regulars[:140] + list(range(160, guests))
    _import(db, DEMO_EVENT, _rows([people[i] for i in tonight], {}))
    for i in regulars[:hosts]:
        add_host(db, DEMO_EVENT, email=people[i]["email"], capacity=3)
    # The hosts and a few regulars are already here when the door opens.
    with db.read() as s:
        ev = s.scalar(select(Event).where(Event.name == DEMO_EVENT))
        host_codes = s.scalars(
            select(Registration.code)
            .join(Host, Host.registration_id == Registration.id)
            .where(Host.event_id == ev.id)
        ).all()
    early = [people[i]["email"] for i in regulars[hosts : hosts + 25]]
    with db.read() as s:
        from checkin.store.models import Person

        early_codes = s.scalars(
            select(Registration.code)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == ev.id, Person.email.in_(early))
        ).all()
    for code in [*host_codes, *early_codes]:
        check_in(db, DEMO_EVENT, code, device="Door 1")
    return DEMO_EVENT
