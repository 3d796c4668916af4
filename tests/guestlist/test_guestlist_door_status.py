"""Imported statuses at the door: unpaid says NOT PAID (unless the organiser admits unpaid
tickets), every other refusal says which, and the import summary names tool and mapping."""

from __future__ import annotations

import json
from pathlib import Path

from checkin.cli.main import main
from checkin.door.engine import check_in, check_in_registration
from checkin.door.outcomes import OutcomeKind
from checkin.events import create_event, set_event_options
from checkin.guestlist.importer import import_guest_list

DATA = Path(__file__).resolve().parent.parent / "data" / "guestlists"
EVENT = "Konferenz"
PETER = "f7z7y8mmxhc7c4w224p8z7b4tesvmjdr"  # pending order in positions_de.csv
CARLA = "2t54drs37nu3tjb4r8re4jgz7du88anu"  # cancelled order
JOSE = "4evtafhb3xfcsunp9sz8478h86yzj64r"  # paid


def _pretix_de(db):
    create_event(db, EVENT)
    return import_guest_list(db, EVENT, DATA / "pretix" / "positions_de.csv")


def test_unpaid_pretix_ticket_is_not_paid_at_the_door(db):
    _pretix_de(db)
    o = check_in(db, EVENT, PETER)
    assert o.kind is OutcomeKind.NOT_PAID and not o.kind.admitted
    assert o.guest.name == "Peter Pending" and o.reason == "unpaid"
    assert o.changes == ()  # nothing written
    # Found by name and checked in by hand: the same answer.
    again = check_in_registration(db, EVENT, o.guest.registration_id)
    assert again.kind is OutcomeKind.NOT_PAID
    assert check_in(db, EVENT, JOSE).kind is OutcomeKind.CHECKED_IN


def test_the_organiser_can_admit_unpaid_tickets(db):
    _pretix_de(db)
    info = set_event_options(db, EVENT, admit_unpaid=True)
    assert info.admit_unpaid is True
    assert check_in(db, EVENT, PETER).kind is OutcomeKind.CHECKED_IN
    # Cancelled stays refused whatever the setting.
    assert check_in(db, EVENT, CARLA).kind is OutcomeKind.CANCELLED


def test_refusals_say_why(db, tmp_path):
    create_event(db, EVENT)
    import_guest_list(db, EVENT, DATA / "tools" / "luma.csv")
    base = "https://luma.com/check-in/evt-DemoEvt00000001?pk=g-Demo000000000"
    reasons = {n: check_in(db, EVENT, f"{base}{n}") for n in (1, 2, 3, 4)}
    assert reasons[1].kind is OutcomeKind.CHECKED_IN
    assert [(o.kind, o.reason) for o in (reasons[2], reasons[3], reasons[4])] == [
        (OutcomeKind.CANCELLED, "awaiting approval"),
        (OutcomeKind.CANCELLED, "waitlisted"),
        (OutcomeKind.CANCELLED, "declined"),
    ]
    assert reasons[4].as_json()["reason"] == "declined"


def test_a_re_import_after_payment_lets_them_in(db, tmp_path):
    _pretix_de(db)
    assert check_in(db, EVENT, PETER).kind is OutcomeKind.NOT_PAID
    paid = tmp_path / "paid.csv"
    text = (DATA / "pretix" / "positions_de.csv").read_text(encoding="utf-8")
    paid.write_text(text.replace('"DYTHY",1,"ausstehend"', '"DYTHY",1,"bezahlt"'), "utf-8")
    summary = import_guest_list(db, EVENT, paid)
    assert summary.updated == 1 and summary.unpaid == 0
    assert check_in(db, EVENT, PETER).kind is OutcomeKind.CHECKED_IN


def test_summary_names_the_tool_the_mapping_and_who_is_kept_out(db):
    summary = _pretix_de(db)
    assert summary.tool == "pretix order positions (German)"
    assert summary.mapping["first_name"] == "Name Teilnehmer*in: Vorname"
    assert summary.mapping["ticket_code"] == "Ticket-Code"
    assert (summary.unpaid, summary.refused) == (1, {"cancelled": 1})
    text = "\n".join(summary.describe())
    assert "pretix order positions (German)" in text
    assert "ticket code ← 'Ticket-Code'" in text
    assert "not admitted at the door: 1 unpaid, 1 cancelled" in text


def test_command_line_event_option_and_not_paid(db_url, capsys):
    assert main(["-d", db_url, "event", "create", EVENT]) == 0
    path = str(DATA / "pretix" / "checkin_pendinglist_en.csv")
    assert main(["-d", db_url, "import", path, "--event", EVENT]) == 0
    out = capsys.readouterr().out
    assert "pretix check-in list (English)" in out and "1 unpaid" in out
    code = "3xa5tcv6ctuymrw8kwtte5tmgapjcm5t"  # Peter, "Paid" = "No"
    assert main(["-d", db_url, "scan", code, "--event", EVENT, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "not_paid"
    assert main(["-d", db_url, "event", "options", EVENT, "--admit-unpaid"]) == 0
    capsys.readouterr()
    assert main(["-d", db_url, "scan", code, "--event", EVENT]) == 0
    assert capsys.readouterr().out.startswith("WELCOME")


def test_command_line_refuses_a_check_in_list_without_secrets(db_url, capsys):
    assert main(["-d", db_url, "event", "create", EVENT]) == 0
    path = str(DATA / "pretix" / "checkin_nosecret_de.csv")
    assert main(["-d", db_url, "import", path, "--event", EVENT]) == 3
    assert "Include QR-code secret" in capsys.readouterr().err
    assert main(["-d", db_url, "import", path, "--event", EVENT, "--issue-codes"]) == 0
    assert "5 codes issued" in capsys.readouterr().out
