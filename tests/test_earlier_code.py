"""Last month's QR code: a regular on tonight's list is checked in under tonight's code."""

from __future__ import annotations

import json

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.door.lookup import EARLIER_CODE
from checkin.door.outcomes import OutcomeKind
from tests.support.factories import event_with_guests, guest


def _two_evenings(db) -> None:
    event_with_guests(
        db,
        "November Mixer",
        [
            guest(2, "Nina", "Abebe", ticket_code="NOV-NINA"),
            guest(3, "Otto", "Only", ticket_code="NOV-OTTO"),
        ],
    )
    event_with_guests(db, "December Mixer", [guest(2, "Nina", "Abebe", ticket_code="DEC-NINA")])


def test_last_months_code_checks_in_tonights_registration(db):
    _two_evenings(db)
    outcome = check_in(db, "December Mixer", "NOV-NINA", device="Door 1")
    assert outcome.kind is OutcomeKind.CHECKED_IN
    assert outcome.guest.code == "DEC-NINA"  # tonight's registration, not last month's
    assert EARLIER_CODE in outcome.warnings
    again = check_in(db, "December Mixer", "DEC-NINA", device="Door 1")
    assert again.kind is OutcomeKind.ALREADY_CHECKED_IN


def test_a_person_not_on_tonights_list_is_still_other_event(db):
    _two_evenings(db)
    outcome = check_in(db, "December Mixer", "NOV-OTTO", device="Door 1")
    assert outcome.kind is OutcomeKind.WRONG_EVENT and outcome.other_event == "November Mixer"


def test_the_command_line_does_the_same(db, db_url, capsys):
    _two_evenings(db)
    code = main(["--database", db_url, "scan", "NOV-NINA", "--event", "December Mixer", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["outcome"] == "checked_in" and out["guest"]["code"] == "DEC-NINA"
    assert EARLIER_CODE in out["warnings"]


def test_gui_takes_the_database_after_the_command_too(monkeypatch):
    import ui.app

    seen = {}
    monkeypatch.setattr(ui.app, "run", lambda database=None, event=None: seen.update(db=database))
    assert main(["gui", "--database", "sqlite:///x.sqlite3"]) == 0
    assert seen["db"] == "sqlite:///x.sqlite3"
    assert main(["--database", "sqlite:///y.sqlite3", "gui"]) == 0
    assert seen["db"] == "sqlite:///y.sqlite3"
