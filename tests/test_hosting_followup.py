"""Following up the morning after: the list per host, e-mail drafts, done marks merged."""

from __future__ import annotations

import csv
import datetime as dt
import email
import io
import json
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import update

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.hosting.followup import due_date, follow_up_list, mark_followed_up
from checkin.journal.writer import Journal
from checkin.merge import merge_files
from checkin.reports import write_report
from checkin.reports.followup import NO_CONSENT, write_follow_up
from checkin.store.db import open_database
from checkin.store.models import Person
from tests.support.factories import event_with_guests, guest
from tests.support.journals import share_event_key

EVENT = "Thursday Breakfast"
DAY = dt.date(2026, 3, 5)  # a Thursday


def _evening(db) -> None:
    rows = [
        guest(2, "Hana", "Host", ticket_code="H1", is_host=True, interests=("AI",),
              email="hana@example.org"),
        guest(3, "Rita", "Regular", ticket_code="R1", first_time=False, interests=("AI",)),
        guest(4, "Nora", "New", ticket_code="N1", first_time=True, interests=("AI",),
              company="Gamma", phone="+44 20 7946 0000", email="nora@example.org"),
        guest(5, "Nils", "New", ticket_code="N2", first_time=True, email="nils@example.org"),
    ]  # fmt: skip
    event_with_guests(db, EVENT, rows, day=DAY)
    with db.write() as s:
        s.execute(
            update(Person).where(Person.email == "nora@example.org").values(vcard_consent=True)
        )
    at = dt.datetime(2026, 3, 5, 18, 0, tzinfo=dt.UTC)
    for i, code in enumerate(("H1", "R1", "N1", "N2")):
        check_in(db, EVENT, code, now=at + dt.timedelta(minutes=i))


def test_due_the_second_working_day():
    assert due_date(DAY) == dt.date(2026, 3, 9)  # Thursday → Friday → Monday
    assert due_date(dt.date(2026, 3, 2)) == dt.date(2026, 3, 4)  # Monday → Wednesday


def test_each_host_gets_their_newcomers_with_shared_contacts_only(db):
    _evening(db)
    fl = follow_up_list(db, EVENT)
    (hana,) = fl.hosts
    assert hana.host_name == "Hana Host" and fl.due == dt.date(2026, 3, 9)
    nils, nora = hana.newcomers
    assert (nora.email, nora.phone) == ("nora@example.org", "+44 20 7946 0000")
    assert "Rita Regular" in nora.met
    assert nils.email is None and not nils.shared_contact  # did not agree to share


def test_pdf_csv_and_one_email_draft_per_host(db, tmp_path):
    _evening(db)
    r = write_follow_up(db, EVENT, tmp_path / "f.pdf", eml_folder=tmp_path / "drafts")
    text = PdfReader(tmp_path / "f.pdf").pages[0].extract_text()
    assert "Follow-up for Hana Host" in text and "Nora New" in text
    assert "nora@example.org" in text and "nils@example.org" not in text
    (draft,) = r.drafts
    msg = email.message_from_bytes(Path(draft).read_bytes())
    assert msg["To"] == "Hana Host <hana@example.org>" and msg["X-Unsent"] == "1"
    body = msg.get_payload(decode=True).decode()
    assert "Nora New" in body and "Monday 09 March" in body and NO_CONSENT in body
    write_follow_up(db, EVENT, tmp_path / "f.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text("utf-8-sig"))))
    assert {r["newcomer"] for r in rows} == {"Nora New", "Nils New"}
    assert [r["email"] for r in rows if r["newcomer"] == "Nils New"] == [NO_CONSENT]


def test_followed_up_is_journaled_and_merged_on_another_laptop(db, tmp_path):
    _evening(db)
    (tmp_path / "stick").mkdir()
    share_event_key(db, EVENT)
    journal = Journal.for_event(db, EVENT, tmp_path / "stick", "Laptop 2")
    called = dt.datetime.combine(DAY + dt.timedelta(days=4), dt.time(10), tzinfo=dt.UTC)
    r = mark_followed_up(db, EVENT, "N1", device="Laptop 2", now=called, journal=journal)
    assert r.done
    assert not mark_followed_up(db, EVENT, "N1").done  # once is enough
    lines = [json.loads(x) for x in journal.path.read_text().splitlines()]
    assert lines[-1]["type"] == "followed_up" and lines[-1]["guest"]["code"] == "N1"
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        _evening(other)
        share_event_key(other, EVENT)  # the laptops of one event share its key
        report = merge_files(other, EVENT, [journal.path])
        assert not report.refused, report.refused
        done = {n.code: n.followed_up_at for h in follow_up_list(other, EVENT).hosts
                for n in h.newcomers}  # fmt: skip
        assert done["N1"] is not None and done["N2"] is None
    finally:
        other.dispose()


def test_summary_shows_the_follow_up_rate(db, tmp_path):
    _evening(db)
    mark_followed_up(db, EVENT, "N2")
    write_report(db, EVENT, "summary", tmp_path / "s.pdf")
    text = PdfReader(tmp_path / "s.pdf").pages[0].extract_text()
    assert "Followed up: 1 of 2 hosted newcomers (50%)" in text


def test_the_commands(db, tmp_path, capsys):
    _evening(db)
    url = db.url
    out = tmp_path / "f.pdf"
    args = ["--database", url, "report", "follow-up", "--event", EVENT, "--out", str(out)]
    assert main([*args, "--eml-folder", str(tmp_path / "d"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["hosts"] == 1 and doc["newcomers"] == 2 and len(doc["drafts"]) == 1
    assert main(["--database", url, "followed-up", "--event", EVENT, "N1"]) == 0
    assert "followed up" in capsys.readouterr().out
