"""The host board as a room display: buttons and keys, refresh in place, fits 1280×720."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from checkin.door.engine import check_in
from checkin.hosting.actions import add_host
from checkin.hosting.board import host_board
from checkin.hosting.links import host_link, page_url
from tests.support.factories import event_with_guests, guest
from ui.organiser.host_board import HostBoardWindow
from ui.organiser.host_cards import NAME_PX, HostCardWidget, NewcomerChip, QueueChip
from ui.tasks import TaskRunner

EVENT = "Board Evening"


def _seed(db) -> None:
    rows = [
        guest(2, "Hana", "Host", ticket_code="H1", is_host=True, host_capacity=2,
              interests=("AI",), company="Alpha"),
        guest(3, "Henk", "Host", ticket_code="H2", is_host=True, host_capacity=2,
              interests=("Design",), company="Beta"),
        guest(4, "Maximiliana", "Oppenheimer-Castellanos de la Vega", ticket_code="H3",
              is_host=True, host_capacity=1, interests=("Fintech",),
              company="Very Long Company Name GmbH"),
        guest(5, "Tom", "Baker", ticket_code="B1", first_time=False, interests=("Fintech",)),
        guest(6, "Ida", "Late", ticket_code="H4", is_host=True, host_capacity=3),
    ] + [
        guest(10 + i, f"New{i}", "Comer", ticket_code=f"N{i}", first_time=True,
              interests=(("AI", "Design", "Fintech")[i % 3],))
        for i in range(7)
    ]  # fmt: skip
    event_with_guests(db, EVENT, rows)
    add_host(db, EVENT, code="B1", backup=True)
    for code in ("H1", "H2", "H3", "B1", *(f"N{i}" for i in range(7))):
        check_in(db, EVENT, code)


@pytest.fixture
def board(qtbot, sqlite_db):
    _seed(sqlite_db)
    runner = TaskRunner()
    window = HostBoardWindow(sqlite_db, EVENT, runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.refreshed, timeout=10_000):
        window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    runner.stop()


def _wait_refresh(qtbot, window, action=None):
    with qtbot.waitSignal(window.refreshed, timeout=10_000):
        if action is None:
            window.refresh()
        else:
            action()


def _chip(window, code: str) -> NewcomerChip:
    for card in window.cards.values():
        for chip in card.chips.values():
            if chip.card.code == code:
                return chip
    raise AssertionError(f"no chip for {code}")


def _host_of(db, code: str) -> str | None:
    for h in host_board(db, EVENT).hosts:
        if any(n.code == code for n in h.newcomers):
            return h.code
    return None


def test_hosts_first_then_the_queue_oldest_first(board):
    assert [c.card.code for c in board.cards.values()] == ["H1", "H2", "H3"]
    queued = [c.card.code for c in board.queue_chips.values()]
    assert queued == ["N5", "N6"]  # 5 slots: the last two arrivals wait, in arrival order
    assert "Waiting (2)" in board.queue_title.text()
    assert board.proposal_bar.isVisibleTo(board)
    assert "Ask Tom Baker to welcome New5" in board.proposal.text()


def test_met_button_frees_the_slot_for_the_queue(qtbot, board):
    chip = _chip(board, "N0")
    with qtbot.waitSignal(board.refreshed, timeout=10_000):
        qtbot.mouseClick(chip.met_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "N5" not in [c.card.code for c in board.queue_chips.values()])
    assert _host_of(board.db, "N0") is None
    assert _host_of(board.db, "N5") is not None


def test_enter_marks_met_from_the_keyboard(qtbot, board):
    chip = _chip(board, "N1")
    chip.setFocus()
    QTest.keyClick(board, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _host_of(board.db, "N1") is None, timeout=10_000)


def test_r_releases_to_another_host(qtbot, board):
    before = _host_of(board.db, "N0")
    _chip(board, "N0").setFocus()
    QTest.keyClick(board, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: _host_of(board.db, "N0") != before, timeout=10_000)


def test_a_then_a_host_number_assigns(qtbot, board):
    _chip(board, "N0").setFocus()
    QTest.keyClick(board, Qt.Key.Key_A)
    assert board.assigning == "N0"
    assert isinstance(board.focusWidget(), HostCardWidget)
    QTest.keyClick(board, Qt.Key.Key_Escape)  # cancels choosing, keeps the board open
    assert board.assigning is None and board.isVisible()
    check_in(board.db, EVENT, "H4")  # a late host: takes N5 and N6, one slot left
    _wait_refresh(qtbot, board)
    ida = next(c for c in board.cards.values() if c.card.code == "H4")
    assert not ida.full
    _chip(board, "N0").setFocus()
    QTest.keyClick(board, Qt.Key.Key_A)
    QTest.keyClick(board, Qt.Key.Key_0 + ida.number)
    qtbot.waitUntil(lambda: _host_of(board.db, "N0") == "H4", timeout=10_000)


def test_a_then_arrows_and_enter_assigns_or_says_why_not(qtbot, board):
    _chip(board, "N0").setFocus()  # with Hana (AI)
    QTest.keyClick(board, Qt.Key.Key_A)
    QTest.keyClick(board, Qt.Key.Key_Right)  # to Henk, who is full
    assert board.focusWidget().card.code == "H2"
    QTest.keyClick(board, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "mark one met first" in board.notice.text(), timeout=10_000)
    assert _host_of(board.db, "N0") == "H1"


def test_arrows_move_between_newcomers(board):
    first = _chip(board, "N0")
    first.setFocus()
    QTest.keyClick(board, Qt.Key.Key_Right)
    assert board.focusWidget() is not first
    assert isinstance(board.focusWidget(), NewcomerChip | QueueChip)
    QTest.keyClick(board, Qt.Key.Key_Left)
    assert board.focusWidget() is first


def test_refresh_keeps_focus_and_never_moves_a_card(qtbot, board):
    chip = _chip(board, "N2")
    chip.setFocus()
    cards = {hid: (w, w.geometry()) for hid, w in board.cards.items()}
    _wait_refresh(qtbot, board, lambda: board.refresh(("a change record",)))  # any argument
    assert board.focusWidget() is chip
    assert {hid: (w, w.geometry()) for hid, w in board.cards.items()} == cards
    assert _chip(board, "N2") is chip  # updated in place, not rebuilt


def test_wait_shown_in_minutes_and_words_as_the_colour_deepens(board):
    from ui.organiser.host_cards import wait_level

    assert [wait_level(s, 60) for s in (0, 59, 60, 119, 120, 299, 300)] == [0, 0, 1, 1, 2, 2, 3]
    chip = next(iter(board.queue_chips.values()))
    assert "0 min" in chip.text.text()
    card = chip.card.__class__(**{**chip.card.__dict__, "seconds_waiting": 400,
                                  "minutes_waiting": 6})  # fmt: skip
    chip.update_card(card, 60)
    assert "6 min · too long" in chip.text.text()  # words, not colour alone


def _clipped(window) -> list[str]:
    out = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text():
            continue
        g = label.contentsRect()
        hint = label.sizeHint()
        right = label.mapTo(window, label.rect().topRight()).x()
        if right > window.width():  # beyond the window: cut off by a scroll area
            out.append(f"{label.text()!r}: ends at x={right}, the window at {window.width()}")
        if label.wordWrap():
            if label.heightForWidth(g.width()) > g.height() + 1:
                out.append(f"{label.text()!r}: needs {label.heightForWidth(g.width())} high")
        elif hint.width() > g.width() + 1:
            out.append(f"{label.text()!r}: needs {hint.width()} wide, has {g.width()}")
    return out


def test_fits_1280x720_without_clipped_text(qtbot, board):
    board.resize(1280, 720)
    _wait_refresh(qtbot, board)
    qtbot.wait(50)
    assert board.width() == 1280 and board.height() == 720
    assert not _clipped(board)
    for card in board.cards.values():  # every host is on screen without scrolling
        top_left = card.mapTo(board, card.rect().topLeft())
        assert top_left.y() >= 0 and top_left.y() + 40 < board.height()


def test_host_names_are_large_at_1080p_and_scale_with_the_screen(qtbot, board):
    sizes = {}
    for w, h in ((1920, 1080), (3840, 2160), (1280, 720)):
        board.resize(w, h)
        qtbot.waitUntil(lambda w=w: board.width() == w)
        card = next(iter(board.cards.values()))
        sizes[w] = card.name.font().pixelSize()
    assert sizes[1920] >= 48 and NAME_PX >= 48
    assert sizes[3840] >= 2 * sizes[1920] - 1
    assert sizes[1280] < sizes[1920]


def test_the_timer_stops_when_the_board_closes(board):
    assert board._timer.isActive()
    QTest.keyClick(board, Qt.Key.Key_F5)
    assert not board.isVisible() and not board._timer.isActive()


def _scanned(panel) -> list[str]:
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    panel.image.pixmap().toImage().save(buf, "PNG")
    return [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(bytes(buf.data()))))]


def test_the_focused_hosts_phone_link_as_a_qr_only_while_the_server_runs(qtbot, sqlite_db):
    _seed(sqlite_db)
    runner, base = TaskRunner(), ["http://10.0.0.5:8765"]
    window = HostBoardWindow(sqlite_db, EVENT, runner, phone_url=lambda: base[0])
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.refreshed, timeout=10_000):
            window.show()
        panel = window.phone_link
        for host in ("H1", "H2"):
            chip = next(
                iter(next(c for c in window.cards.values() if c.card.code == host).chips.values())
            )
            chip.setFocus()
            qtbot.waitUntil(
                lambda h=host: panel.isVisible() and panel.host_code == h, timeout=10_000
            )
            url = page_url(base[0], "host", host_link(sqlite_db, EVENT, host))
            assert _scanned(panel) == [url]
        base[0] = None  # the phone server stopped
        _wait_refresh(qtbot, window)
        assert not panel.isVisible()
    finally:
        window.close()
        runner.stop()


def test_no_phone_link_without_the_phone_server(board):
    assert not board.phone_link.isVisible() and board.phone_link.host_code is None
