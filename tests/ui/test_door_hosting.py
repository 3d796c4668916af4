"""Hosts at the door: a backup proposed and enlisted with Enter, Ctrl+B marks a guest happy
to welcome, and the evening's hosting plan shown when the door opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from checkin.hosting.actions import add_host
from checkin.hosting.board import host_board
from checkin.hosting.plan import hosting_plan
from checkin.store.models import Host, Registration
from tests.ui import keys
from tests.ui.conftest import EVENT


def _scan(qtbot, door, code: str):
    with qtbot.waitSignal(door.result_shown, timeout=10_000) as shown:
        keys.burst(door.search.box, code)
    return shown.args[0]


def test_the_door_proposes_a_backup_and_enter_enlists_them(qtbot, door):
    add_host(door.db, EVENT, code="ANNA0001", backup=True)  # Anna offered to welcome
    _scan(qtbot, door, "ANNA0001")
    nora = _scan(qtbot, door, "NORA0001")  # no host here: Nora waits
    assert nora.queued and nora.backup_proposal is not None
    panel = door.result
    assert panel.proposal_label.isVisible()
    assert panel.proposal_label.text() == "Ask Anna Müller to welcome Nora  ·  Enter enlists"
    assert "No host is here yet" in panel.first_time.text()  # the truth, not a promise
    assert "ask a regular to welcome them" in panel.first_time.text()
    with qtbot.waitSignal(door.changed, timeout=10_000):
        QTest.keyClick(door.search.box, Qt.Key.Key_Return)
    assert not panel.proposal_label.isVisible()
    (anna,) = [h for h in host_board(door.db, EVENT).hosts if h.code == "ANNA0001"]
    assert anna.enlisted and [n.code for n in anna.newcomers] == ["NORA0001"]
    assert "Nora Newcomer" in door.status_line.text()


def test_enter_in_a_search_with_text_never_enlists(qtbot, door):
    add_host(door.db, EVENT, code="ANNA0001", backup=True)
    _scan(qtbot, door, "ANNA0001")
    _scan(qtbot, door, "NORA0001")
    keys.typed(door.search.box, "zzzz")  # nobody matches: Enter does nothing
    qtbot.waitUntil(lambda: door.search.box.text() == "zzzz")
    QTest.keyClick(door.search.box, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert door.result.proposal_label.isVisible()
    assert _host(door, "ANNA0001").enlisted_at is None


def _host(door, code: str) -> Host | None:
    with door.db.read() as s:
        return s.scalar(select(Host).join(Registration).where(Registration.code == code))


def test_ctrl_b_marks_the_guest_on_screen_happy_to_welcome(qtbot, door):
    _scan(qtbot, door, "JOSE0001")
    with qtbot.waitSignal(door.changed, timeout=10_000):
        QTest.keyClick(door.search.box, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert "happy to welcome" in door.status_line.text()
    host = _host(door, "JOSE0001")
    assert host is not None and host.backup and host.capacity == 1


def test_the_hosting_plan_is_shown_when_the_door_opens(qtbot, door):
    expected = hosting_plan(door.db, EVENT).describe()
    qtbot.waitUntil(lambda: door.plan_label.isVisible(), timeout=10_000)
    assert door.plan_label.text() == f"Hosting plan: {expected}"
    assert "newcomer" in door.plan_label.text()
