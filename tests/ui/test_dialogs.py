"""The organiser's dialogs: choosing an event, importing a list with preview and problems."""

from __future__ import annotations

from pathlib import Path

from checkin.door.search import search_guests
from checkin.events import create_event
from tests.ui import keys
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


def test_walk_in_email_is_checked_before_anything_is_registered(qtbot):
    from ui.door.walkin_dialog import WalkInDialog

    dialog = WalkInDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Ada Lovelace")
    for bad in ("a@..c", "ada@", "ada lovelace@example.org"):
        dialog.email.setText(bad)
        dialog._accept()
        assert dialog.isVisible() and "is not an email address" in dialog.error.text()
    dialog.email.setText("ada@example.org")
    dialog._accept()
    assert not dialog.isVisible() and dialog.value().email == "ada@example.org"


def test_settings_read_back_as_their_types(tmp_path):
    from PySide6.QtCore import QSettings

    from ui import settings as S
    from ui.settings import Settings

    ini = tmp_path / "s.ini"
    ini.write_text(
        "[door]\nresult_seconds= 12 \nsounds=false\ncamera_on=yes\n"
        "device_name=Side door, left\n[scanner]\nmax_gap_ms=fast\n",
        encoding="utf-8",
    )
    s = Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    assert s.get(S.RESULT_SECONDS) == 12
    assert s.get(S.SOUNDS) is False and s.get(S.CAMERA_ON) is True
    assert s.get(S.DEVICE_NAME) == "Side door, left"  # not a list
    assert s.get(S.SCANNER_MAX_GAP_MS) == 35  # unreadable: the default
    assert s.get(S.JOURNAL_FOLDER) == ""


def test_event_chooser_follows_the_keyboard(qtbot, db):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    runner = TaskRunner()
    chooser = EventChooser(db, runner)
    qtbot.addWidget(chooser)
    chooser.show()
    qtbot.waitUntil(lambda: chooser.empty.isVisible(), timeout=10_000)
    assert "No events yet" in chooser.empty.text()
    assert not chooser.import_button.isEnabled() and not chooser.open_button.isEnabled()
    QTest.keyClick(chooser, Qt.Key.Key_Return)  # nothing chosen: nothing happens
    assert chooser.isVisible() and chooser.findChild(ImportDialog) is None
    chooser.create()
    assert chooser.message.text() == "Give the event a name."
    keys.typed(chooser.name, "Chamber Evening")  # a person typing (a scan would be kept)
    qtbot.waitUntil(lambda: chooser.name.text() == "Chamber Evening")
    assert chooser.message.text() == ""  # the stale error is gone
    QTest.keyClick(chooser.name, Qt.Key.Key_Return)  # Enter creates it
    qtbot.waitUntil(lambda: chooser.list.count() == 1, timeout=10_000)
    item = chooser.list.item(0).text()
    assert "Chamber Evening" in item and "0 of 0 checked in" in item
    assert chooser.open_button.isEnabled()
    chooser.open_selected()
    assert chooser.chosen == "Chamber Evening"
    runner.stop()


def test_import_dialog_mapping_is_readable_and_busy_text_clears(qtbot, db):
    create_event(db, "Founders")
    runner = TaskRunner()
    dialog = ImportDialog(db, "Founders", runner)
    qtbot.addWidget(dialog)
    dialog.resize(980, 680)
    dialog.show()
    dialog.open_file(DATA / "eventbrite_attendee_report.csv")
    assert dialog.result.text() == "Reading the file…"
    qtbot.waitUntil(lambda: dialog.guests is not None, timeout=10_000)
    assert dialog.result.text() == ""
    combo = dialog.mapping["name"]
    qtbot.waitUntil(combo.isVisible)
    assert combo.width() >= 150
    labels = [w for w in dialog.findChildren(type(dialog.detected)) if "Format" in w.text()]
    assert labels and labels[0].buddy() is dialog.format  # "&Format:" shows as "Format:"
    runner.stop()


def test_a_scan_in_the_event_chooser_is_kept_not_typed(qtbot, db):
    runner = TaskRunner()
    chooser = EventChooser(db, runner)
    qtbot.addWidget(chooser)
    chooser.show()
    keys.burst(chooser.name, "ANNA0001")
    assert chooser.pending_scans == ["ANNA0001"] and chooser.name.text() == ""
    assert "Scan received" in chooser.message.text()
    assert chooser.list.count() == 0  # Enter did not create an event
    chooser.reject()
    runner.stop()
