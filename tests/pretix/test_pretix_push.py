"""The door's check-ins back to pretix, for real: once, with the door's time, never forced
for a ticket pretix holds invalid; read back through pretix's own API."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import text

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.door.leave import check_out, undo
from checkin.door.walkins import walk_in
from checkin.events import create_event
from checkin.pretix.client import PretixClient
from checkin.pretix.pull import pull
from checkin.pretix.push import push
from checkin.timeutil import utcnow
from tests.pretix.seed import seed_event

pytestmark = pytest.mark.pretix


def client(px) -> PretixClient:
    return PretixClient(px.url, px.organizer, px.token)


def pulled(px, db, locale="en"):
    seeded = seed_event(px, locale)
    create_event(db, "Evening")
    pull(db, client(px), seeded.slug, "Evening")
    return seeded


def entries(px, seeded, secret: str) -> list[dict]:
    """Successful check-ins pretix holds for this ticket on the seeded list."""
    pos = [p for p in px.order_positions(seeded.slug) if p["secret"] == secret]
    assert len(pos) == 1
    return [
        c
        for c in px.list_checkins(seeded.slug, seeded.list_id)
        if c["position"] == pos[0]["id"] and c["successful"]
    ]


def by_name(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for line in report.lines:
        out.setdefault(line.name, []).append(line)
    return out


def when(c: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(c["datetime"].replace("Z", "+00:00"))


def test_push_sends_the_door_check_ins_once_with_the_doors_time(pretix, db):
    # db: this one runs on SQLite and on PostgreSQL
    seeded = pulled(pretix, db)
    s = seeded.secrets
    at = utcnow() - dt.timedelta(hours=1)
    # Björk was let in by pretix's own app before the door saw her.
    status, _ = pretix.redeem(s["Björk Guðmundsdóttir"], [seeded.list_id])
    assert status == 201
    for i, name in enumerate(("José Müller", "Wei Zhang 张", "Anna Łukasiewicz")):
        assert check_in(db, "Evening", s[name], now=at + dt.timedelta(minutes=i)).kind == (
            "checked_in"
        )
    assert check_in(db, "Evening", s["Björk Guðmundsdóttir"]).kind == "checked_in"
    # Refused at the door: nothing to send, ever.
    assert not check_in(db, "Evening", s["Pat Pending"]).kind.admitted
    assert check_in(db, "Evening", s["Carla Cancel"]).kind == "cancelled"
    walk_in(db, "Evening", name="Walter Walkin")

    report = push(db, client(pretix), "Evening", seeded.list_id)
    lines = by_name(report)
    assert [x.result for x in lines["José Müller"]] == ["sent"]
    assert [x.result for x in lines["Wei Zhang 张"]] == ["sent"]
    assert [x.result for x in lines["Anna Łukasiewicz"]] == ["sent"]
    (bjork,) = lines["Björk Guðmundsdóttir"]
    assert bjork.result == "already"
    assert bjork.pretix_at is not None and bjork.pretix_at < bjork.at  # pretix's own time
    assert [x.result for x in lines["Walter Walkin"]] == ["skipped"]
    assert "Pat Pending" not in lines and "Carla Cancel" not in lines

    for i, name in enumerate(("José Müller", "Wei Zhang 张", "Anna Łukasiewicz")):
        (entry,) = entries(pretix, seeded, s[name])
        assert entry["type"] == "entry"
        assert abs(when(entry) - (at + dt.timedelta(minutes=i))) < dt.timedelta(seconds=1)
    assert len(entries(pretix, seeded, s["Björk Guðmundsdóttir"])) == 1  # not doubled
    assert entries(pretix, seeded, s["Pat Pending"]) == []
    assert entries(pretix, seeded, s["Carla Cancel"]) == []

    again = push(db, client(pretix), "Evening", seeded.list_id)
    assert again.lines == []
    assert again.earlier == len(report.lines)
    for name in ("José Müller", "Wei Zhang 张", "Anna Łukasiewicz", "Björk Guðmundsdóttir"):
        assert len(entries(pretix, seeded, s[name])) == 1


def test_a_repeated_push_after_a_lost_answer_doubles_nothing(pretix, sqlite_db):
    seeded = pulled(pretix, sqlite_db)
    secret = seeded.secrets["José Müller"]
    check_in(sqlite_db, "Evening", secret)
    # The answer of a first push was lost (the laptop closed): pretix has the check-in, the
    # door has no record of having sent it. Sending the same nonce again is harmless.
    push(sqlite_db, client(pretix), "Evening", seeded.list_id, dry_run=True)
    first = push(sqlite_db, client(pretix), "Evening", seeded.list_id)
    with sqlite_db.write() as s:
        s.execute(text("DELETE FROM pretix_push"))
    second = push(sqlite_db, client(pretix), "Evening", seeded.list_id)
    assert [x.result for x in first.lines] == [x.result for x in second.lines] == ["sent"]
    assert len(entries(pretix, seeded, secret)) == 1


def test_a_ticket_cancelled_in_pretix_after_the_door_admitted_it_is_refused_not_forced(
    pretix, sqlite_db
):
    seeded = pulled(pretix, sqlite_db)
    secret = seeded.secrets["Wei Zhang 张"]
    assert check_in(sqlite_db, "Evening", secret).kind == "checked_in"
    pretix.cancel_order(seeded.slug, seeded.orders["Wei Zhang 张"])
    report = push(sqlite_db, client(pretix), "Evening", seeded.list_id)
    (line,) = report.lines
    assert line.result == "refused"
    assert "cancelled" in line.detail
    assert entries(pretix, seeded, secret) == []  # a forced redeem would have recorded it


def test_check_out_is_an_exit_and_an_undo_annuls_the_pushed_check_in(pretix, sqlite_db):
    seeded = pulled(pretix, sqlite_db)
    s = seeded.secrets
    check_in(sqlite_db, "Evening", s["José Müller"])
    check_in(sqlite_db, "Evening", s["Wei Zhang 张"])
    check_in(sqlite_db, "Evening", s["Anna Łukasiewicz"])
    undo(sqlite_db, "Evening", s["Anna Łukasiewicz"])  # before any push: never sent
    first = by_name(push(sqlite_db, client(pretix), "Evening", seeded.list_id))
    assert [(x.action, x.result) for x in first["Anna Łukasiewicz"]] == [
        ("entry", "skipped"),
        ("annul", "skipped"),
    ]
    check_out(sqlite_db, "Evening", s["José Müller"])
    undo(sqlite_db, "Evening", s["Wei Zhang 张"])  # after the push: annulled at pretix
    report = push(sqlite_db, client(pretix), "Evening", seeded.list_id)
    lines = by_name(report)
    assert [(x.action, x.result) for x in lines["José Müller"]] == [("exit", "sent")]
    assert [(x.action, x.result) for x in lines["Wei Zhang 张"]] == [("annul", "sent")]

    jose = entries(pretix, seeded, s["José Müller"])
    assert [c["type"] for c in sorted(jose, key=when)] == ["entry", "exit"]
    assert entries(pretix, seeded, s["Wei Zhang 张"]) == []
    anna = [
        p["id"] for p in pretix.order_positions(seeded.slug) if p["secret"] == s["Anna Łukasiewicz"]
    ]
    assert [c for c in pretix.list_checkins(seeded.slug) if c["position"] in anna] == []


def test_dry_run_asks_pretix_and_records_nothing(pretix, sqlite_db):
    seeded = pulled(pretix, sqlite_db)
    secret = seeded.secrets["José Müller"]
    check_in(sqlite_db, "Evening", secret)
    dry = push(sqlite_db, client(pretix), "Evening", seeded.list_id, dry_run=True)
    assert [x.result for x in dry.lines] == ["sent"]
    assert entries(pretix, seeded, secret) == []
    real = push(sqlite_db, client(pretix), "Evening", seeded.list_id)
    assert [x.result for x in real.lines] == ["sent"]
    assert len(entries(pretix, seeded, secret)) == 1


def test_the_command_line_never_shows_the_token(pretix, sqlite_db, monkeypatch, capsys, caplog):
    seeded = seed_event(pretix, "en")
    url = f"sqlite:///{sqlite_db.sqlite_path}"
    create_event(sqlite_db, "Evening")
    monkeypatch.setenv("PRETIX_TOKEN", pretix.token)
    common = ["--url", pretix.url, "--organizer", pretix.organizer]
    caplog.set_level(logging.DEBUG)
    assert (
        main(["-d", url, "pretix", "pull", *common, "--event", seeded.slug, "--into", "Evening"])
        == 0
    )
    check_in(sqlite_db, "Evening", seeded.secrets["José Müller"])
    push_cmd = [
        "-d",
        url,
        "pretix",
        "push",
        *common,
        "--list",
        str(seeded.list_id),
        "-e",
        "Evening",
    ]
    assert main(push_cmd) == 0
    out = capsys.readouterr()
    assert "Imported 6 tickets" in out.out
    assert "1 sent" in out.out and "José Müller" in out.out
    assert main([*push_cmd, "--json"]) == 0
    again = capsys.readouterr()
    assert '"sent": 0' in again.out
    monkeypatch.setenv("PRETIX_TOKEN", "wrong-token")
    assert main([*push_cmd]) == 1
    wrong = capsys.readouterr()
    assert "refused the API token" in wrong.err
    monkeypatch.setenv("PRETIX_TOKEN", pretix.token)
    assert main([*push_cmd[:-4], "--list", "999999", "-e", "Evening"]) == 1
    no_list = capsys.readouterr()
    assert "no check-in list 999999" in no_list.err
    for shown in (out, again, wrong, no_list):
        assert pretix.token not in shown.out + shown.err
        assert "wrong-token" not in shown.out + shown.err
    assert pretix.token not in caplog.text and "wrong-token" not in caplog.text
