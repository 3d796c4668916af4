"""The organiser's dialogs: choosing an event, importing a list with preview and problems."""

from __future__ import annotations

from pathlib import Path

from checkin.door.search import search_guests
from checkin.events import create_event
from ui.organiser.event_chooser import EventChooser
from ui.organiser.import_dialog import ImportDialog
from ui.tasks import TaskRunner

DATA = Path(__file__).parents[1] / "data" / "guestlists"


def test_import_dialog_previews_detects_and_imports(qtbot, db):
    create_event(db, "Founders")
    runner = TaskRunner()
    dialog = ImportDialog(db, "Founders", runner)
    qtbot.addWidget(dialog)
    dialog.open_file(DATA / "eventbrite_attendee_report.csv")
    qtbot.waitUntil(lambda: dialog.guests is not None, timeout=10_000)
    assert "eventbrite" in dialog.detected.text()
    assert dialog.table.rowCount() > 0 and dialog.import_button.isEnabled()
    assert dialog.table.item(0, 1).text() == "Amara"
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as done:
        dialog.import_button.click()
    assert done.args[0].added > 0
    assert search_guests(db, "Founders", "okafor")
    runner.stop()


def test_import_dialog_shows_every_problem_and_imports_nothing(qtbot, db):
    create_event(db, "Founders")
    runner = TaskRunner()
    dialog = ImportDialog(db, "Founders", runner)
    qtbot.addWidget(dialog)
    dialog.open_file(DATA / "broken_several_problems.csv")
    qtbot.waitUntil(lambda: dialog.guests is not None, timeout=10_000)
    assert not dialog.import_button.isEnabled()
    lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert "nothing will be imported" in lines[0]
    assert any("row" in line and "column" in line for line in lines[1:])
    assert search_guests(db, "Founders", "a") == []
    runner.stop()


def test_event_chooser_creates_and_opens(qtbot, db):
    runner = TaskRunner()
    chooser = EventChooser(db, runner)
    qtbot.addWidget(chooser)
    chooser.name.setText("Chamber Evening")
    chooser.create()
    qtbot.waitUntil(lambda: chooser.list.count() == 1, timeout=10_000)
    chooser.open_selected()
    assert chooser.chosen == "Chamber Evening"
    runner.stop()
