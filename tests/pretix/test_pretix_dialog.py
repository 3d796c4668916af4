"""Event ▸ Sync with pretix…: the dialog pulls and pushes off the UI thread, for real."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from checkin.door.engine import check_in
from checkin.events import create_event
from tests.pretix.seed import seed_event
from ui.organiser.pretix_dialog import PretixDialog
from ui.tasks import TaskRunner

pytestmark = [pytest.mark.pretix, pytest.mark.gui]


@pytest.fixture
def dialog(qtbot, sqlite_db, pretix):
    create_event(sqlite_db, "Evening")
    runner, jobs = TaskRunner(name="db-worker"), TaskRunner(name="organiser-jobs")
    d = PretixDialog(sqlite_db, "Evening", runner, jobs)
    qtbot.addWidget(d)
    d.url.setText(pretix.url)
    d.organizer.setText(pretix.organizer)
    d.token.setText(pretix.token)
    yield d
    runner.stop()
    jobs.stop()


def test_sync_pulls_the_list_and_pushes_the_check_ins_with_progress(
    qtbot, dialog, pretix, sqlite_db
):
    seeded = seed_event(pretix, "en")
    dialog.pretix_event.setText(seeded.slug)
    moved = []
    dialog._progress.moved.connect(lambda *a: moved.append(a))
    with qtbot.waitSignal(dialog.synced, timeout=120_000) as pulled:
        qtbot.mouseClick(dialog.pull_button, Qt.MouseButton.LeftButton)
        assert not dialog.pull_button.isEnabled()  # busy, and the UI thread is free
    assert pulled.args == ["pull"]
    assert "Imported 6 tickets: 6 new" in dialog.status.text()
    assert any(what == "orders" for what, *_ in moved)
    assert dialog.token.echoMode() == dialog.token.EchoMode.Password

    check_in(sqlite_db, "Evening", seeded.secrets["Wei Zhang 张"])
    dialog.list_id.setValue(seeded.list_id)
    with qtbot.waitSignal(dialog.synced, timeout=120_000):
        qtbot.mouseClick(dialog.push_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("1 sent, 0 already")
    assert "Wei Zhang 张: entry" in dialog.details.toPlainText()
    assert pretix.token not in dialog.status.text() + dialog.details.toPlainText()


def test_a_wrong_token_is_said_plainly_and_changes_nothing(qtbot, dialog, pretix):
    seeded = seed_event(pretix, "en")
    dialog.pretix_event.setText(seeded.slug)
    dialog.token.setText("wrong-token")
    qtbot.mouseClick(dialog.pull_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pull_button.isEnabled(), timeout=60_000)
    assert "refused the API token" in dialog.status.text()
    assert "wrong-token" not in dialog.status.text()
