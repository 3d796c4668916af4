"""pretix's guest list in, for real: its own exports (English, German) and its API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.errors import ImportRefused
from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.pretix.client import PretixClient, PretixError
from checkin.pretix.pull import pull
from checkin.store.models import Person, Registration
from tests.pretix.seed import ACME, seed_event

pytestmark = pytest.mark.pretix


def client(px, **kw) -> PretixClient:
    return PretixClient(px.url, px.organizer, px.token, **kw)


def guests(db, event: str) -> dict[str, dict]:
    with db.read() as s:
        rows = s.execute(
            select(Person, Registration)
            .join(Registration, Registration.person_id == Person.id)
            .where(Registration.event.has(name=event))
        ).all()
        return {
            f"{p.first_name} {p.last_name}": {
                "email": p.email,
                "company": p.company,
                "code": r.code,
                "status": r.status,
                "ticket_type": r.ticket_type,
            }
            for p, r in rows
        }


def export(px, seeded, tmp_path, identifier: str, params: dict, name: str):
    path = tmp_path / name
    path.write_bytes(px.run_export(seeded.slug, identifier, params))
    return path


def test_english_positions_export_imports_names_codes_and_cancellations(
    pretix, sqlite_db, tmp_path
):
    seeded = seed_event(pretix, "en")
    path = export(
        pretix,
        seeded,
        tmp_path,
        "orderlist",
        {"_format": "positions:default", "paid_only": False},
        "positions_en.csv",
    )
    create_event(sqlite_db, "Evening")
    import_guest_list(sqlite_db, "Evening", path)
    got = guests(sqlite_db, "Evening")
    assert got["Wei Zhang 张"]["code"] == seeded.secrets["Wei Zhang 张"]
    assert got["Wei Zhang 张"]["company"] == "北京 Example Ltd."
    assert got["Anna Łukasiewicz"]["company"] == ACME
    assert got["José Müller"]["email"] == "jose@example.org"
    assert got["Carla Cancel"]["status"] == "cancelled"


@pytest.mark.parametrize("locale", ["en", "de"])
def test_pretix_exports_in_english_and_german_import_with_statuses(
    pretix, sqlite_db, tmp_path, locale
):
    seeded = seed_event(pretix, locale)
    create_event(sqlite_db, "Evening")
    positions = export(
        pretix,
        seeded,
        tmp_path,
        "orderlist",
        {"_format": "positions:default", "paid_only": False},
        f"positions_{locale}.csv",
    )
    import_guest_list(sqlite_db, "Evening", positions)
    got = guests(sqlite_db, "Evening")
    assert got["Wei Zhang 张"]["code"] == seeded.secrets["Wei Zhang 张"]
    assert got["Anna Łukasiewicz"]["company"] == ACME
    assert got["Pat Pending"]["status"] == "unpaid"
    assert got["Carla Cancel"]["status"] == "cancelled"
    assert got["José Müller"]["status"] == "registered"

    checkin_list = export(
        pretix,
        seeded,
        tmp_path,
        "checkinlist",
        {"_format": "default", "list": seeded.list_id, "secrets": True},
        f"checkinlist_{locale}.csv",
    )
    import_guest_list(sqlite_db, "Evening", checkin_list)  # the same guests: an update
    again = guests(sqlite_db, "Evening")
    assert set(again) == set(got)
    assert again["Wei Zhang 张"]["code"] == seeded.secrets["Wei Zhang 张"]


def test_pull_reads_every_page_and_maps_pretix_statuses(pretix, sqlite_db):
    seeded = seed_event(pretix, "en")
    create_event(sqlite_db, "Evening")
    pages: list[tuple[int, int | None]] = []

    def report(what, done, total):
        if what == "orders":
            pages.append((done, total))

    summary = pull(sqlite_db, client(pretix, page_size=2), seeded.slug, "Evening", report=report)
    assert len(pages) == 3  # 5 orders, 2 a page
    assert summary.added == 6
    got = guests(sqlite_db, "Evening")
    assert set(got) == set(seeded.secrets)
    for name, secret in seeded.secrets.items():
        assert got[name]["code"] == secret  # the QR code on a pretix ticket holds the secret
    assert got["José Müller"] == {
        "email": "jose@example.org",
        "company": "Müller & Söhne GmbH",
        "code": seeded.secrets["José Müller"],
        "status": "registered",
        "ticket_type": "Conference ticket",
    }
    assert got["Wei Zhang 张"]["company"] == "北京 Example Ltd."
    assert got["Anna Łukasiewicz"]["company"] == ACME
    assert got["Björk Guðmundsdóttir"]["email"] == "buyer@example.org"  # the order's email
    assert got["Pat Pending"]["status"] == "unpaid"
    assert got["Carla Cancel"]["status"] == "cancelled"


def test_pull_again_follows_pretix_a_cancellation_is_cancelled_at_the_door(pretix, sqlite_db):
    seeded = seed_event(pretix, "en")
    create_event(sqlite_db, "Evening")
    pull(sqlite_db, client(pretix), seeded.slug, "Evening")
    assert check_in(sqlite_db, "Evening", seeded.secrets["Pat Pending"]).kind != "checked_in"

    pretix.cancel_order(seeded.slug, seeded.orders["Wei Zhang 张"])
    summary = pull(sqlite_db, client(pretix), seeded.slug, "Evening")
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 5)
    assert check_in(sqlite_db, "Evening", seeded.secrets["Wei Zhang 张"]).kind == "cancelled"
    assert check_in(sqlite_db, "Evening", seeded.secrets["José Müller"]).kind == "checked_in"


def test_pull_with_a_check_in_list_takes_only_its_products(pretix, sqlite_db):
    seeded = seed_event(pretix, "en")
    other = pretix.add_product(seeded.slug, "Workshop", price="10.00")
    pretix.create_order(
        seeded.slug, [{"item": other["id"], **_names("Olga", "Other")}], email="olga@example.org"
    )
    workshop = pretix.api(
        "POST",
        f"/events/{seeded.slug}/checkinlists/",
        {"name": "Workshop", "all_products": False, "limit_products": [other["id"]]},
    )
    create_event(sqlite_db, "Workshop")
    pull(sqlite_db, client(pretix), seeded.slug, "Workshop", list_id=workshop["id"])
    assert set(guests(sqlite_db, "Workshop")) == {"Olga Other"}


def _names(given, family):
    return {"attendee_name_parts": {"given_name": given, "family_name": family}}


def test_pull_refuses_a_bad_ticket_with_where_and_imports_nothing(pretix, sqlite_db):
    seeded = seed_event(pretix, "en")
    # pretix accepts an address the door's email rule refuses: the pull says which ticket.
    order = pretix.create_order(
        seeded.slug, [{**_names("Eve", "Odd"), "attendee_email": "eve@localhost"}]
    )
    create_event(sqlite_db, "Evening")
    with pytest.raises(ImportRefused) as refused:
        pull(sqlite_db, client(pretix), seeded.slug, "Evening")
    where = [p.column for p in refused.value.problems]
    assert where == [f"order {order['code']}, ticket 1, email"]
    assert guests(sqlite_db, "Evening") == {}


def test_pull_says_what_is_wrong_with_the_token_or_event(pretix, sqlite_db):
    create_event(sqlite_db, "Evening")
    wrong = PretixClient(pretix.url, pretix.organizer, "not-the-token")
    with pytest.raises(PretixError, match="refused the API token") as exc:
        pull(sqlite_db, wrong, "whatever", "Evening")
    assert "not-the-token" not in str(exc.value)
    with pytest.raises(PretixError, match="does not exist"):
        pull(sqlite_db, client(pretix), "no-such-event", "Evening")
