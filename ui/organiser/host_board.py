"""The host board: a room display for a TV near the entrance, readable across a room.

Hosts first and large, each with the newcomers they welcome now; below them the queue as a
compact strip, oldest first, each wait in minutes and in a colour that deepens past the set
time. A backup to enlist is proposed above the queue.

Keyboard (nobody needs a mouse): arrows move between newcomers; Enter = met; R = release;
A, then a host (arrows + Enter, or the host's number) = assign; E = enlist the proposed
backup; Esc or F5 closes (Esc first cancels choosing a host). A refresh updates the cards
in place: focus stays, and no card moves. It refreshes on the door's changes (any
argument), and every few seconds while shown for other doors on a shared database.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from checkin.badges.qr_sheets import qr_png_bytes
from checkin.hosting import actions
from checkin.hosting.board import Board, host_board
from checkin.hosting.links import host_page_url
from checkin.hosting.words import plural, proposal_line
from checkin.store.db import Database
from ui.organiser.host_cards import (
    Focusable,
    HostCardWidget,
    NewcomerChip,
    PhoneLinkPanel,
    QueueChip,
    px,
)
from ui.tasks import TaskRunner

REFRESH_MS = 5_000
ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class HostBoardWindow(QWidget):
    refreshed = Signal(object)  # the Board shown, for tests

    def __init__(
        self,
        db: Database,
        event: str,
        runner: TaskRunner,
        journal=lambda: None,
        phone_url=lambda: None,
    ) -> None:
        super().__init__()
        self.db, self.event_name, self.runner = db, event, runner
        self._journal = journal  # the door's journal, if any, at the time of the action
        self._phone_url = phone_url  # the phone server's address now, None when it is off
        self.phone_link = PhoneLinkPanel()
        self._phone_wanted: str | None = None
        self.board: Board | None = None
        self.cards: dict[int, HostCardWidget] = {}  # host id -> card, in first-seen order
        self.queue_chips: dict[int, QueueChip] = {}
        self.assigning: str | None = None  # the newcomer code being given a host
        self.setWindowTitle(f"Hosts — {event}")
        self.setAccessibleName("Host board")
        self.title = QLabel(f"Welcome hosts — {event}")
        self.title.setWordWrap(True)  # a long event name never holds the window wide
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.notice = QLabel("")  # what the last action did, or why not
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.grid = QGridLayout()
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addLayout(self.grid)
        inner_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(inner)
        self.proposal = QLabel("")
        self.proposal.setWordWrap(True)
        self.enlist_button = QPushButton("Enlist  (E)")
        self.enlist_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.enlist_button.clicked.connect(self.enlist)
        self.proposal_bar = QWidget()
        bar = QHBoxLayout(self.proposal_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.proposal, 1)
        bar.addWidget(self.enlist_button)
        self.queue_title = QLabel("")
        self.strip = QHBoxLayout()
        self.strip.setSpacing(8)
        strip_box = QWidget()
        strip_row = QHBoxLayout(strip_box)
        strip_row.setContentsMargins(0, 0, 0, 0)
        strip_row.addWidget(self.queue_title)
        strip_row.addLayout(self.strip)
        strip_row.addStretch(1)
        self.strip_scroll = QScrollArea()
        self.strip_scroll.setWidgetResizable(True)
        self.strip_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.strip_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip_scroll.setWidget(strip_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        middle = QHBoxLayout()
        middle.addWidget(self.scroll, 1)
        middle.addWidget(self.phone_link, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(middle, 1)
        layout.addWidget(self.proposal_bar)
        layout.addWidget(self.strip_scroll)
        self.resize(1280, 720)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.restyle()  # the first refresh comes with showing (showEvent): one query, not two
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    # -- size ----------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        """1.0 at 1920×1080; 0.67 at 1280×720; 2.0 at 4K (whichever side is tighter)."""
        return max(0.5, min(self.width() / 1920, self.height() / 1080))

    def columns(self) -> int:
        """As square a grid as the hosts make, no card narrower than ~440 px at 1080p."""
        widest = max(2, int(self.width() // (440 * self.scale)))
        return min(widest, max(2, math.ceil(math.sqrt(len(self.cards) or 1))))

    def restyle(self) -> None:
        s = self.scale
        self.setStyleSheet("HostBoardWindow { background: #eceff1; }")
        self.title.setStyleSheet(f"font-size: {px(40, s)}px; font-weight: bold;")
        self.message.setStyleSheet(f"font-size: {px(22, s)}px; color: #37474f;")
        self.notice.setStyleSheet(f"font-size: {px(24, s)}px; font-weight: bold;")
        self.queue_title.setStyleSheet(f"font-size: {px(28, s)}px; font-weight: bold;")
        self.proposal.setStyleSheet(f"font-size: {px(28, s)}px; font-weight: bold;")
        self.proposal_bar.setStyleSheet(
            f"QPushButton {{ font-size: {px(26, s)}px; padding: {px(8, s)}px; }}"
        )
        self.grid.setSpacing(px(16, s))
        for card in self.cards.values():
            card.restyle(s)
        for chip in self.queue_chips.values():
            chip.restyle(s)
        self.phone_link.restyle(s)
        self._place_cards()
        bar = self.strip_scroll.horizontalScrollBar().sizeHint().height()
        self.strip_scroll.setFixedHeight(px(64, s) + bar)
        m = px(12, s)
        self.layout().setContentsMargins(m, m // 2, m, m // 2)
        self.layout().setSpacing(px(6, s))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.restyle()

    # -- refreshing ----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()  # a closed board asks nothing of the database
        super().closeEvent(event)

    def refresh(self, *_changes) -> None:
        """Fetch the board again; accepts whatever the door's change signal carries."""
        db, event = self.db, self.event_name
        self.runner.submit(lambda: host_board(db, event), self.show_board, self._error)

    def _error(self, exc: BaseException) -> None:
        self._say(str(exc))

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_board(self, board: Board) -> None:
        self.board = board
        present = [h for h in board.hosts if h.present]
        seen = {h.host_id for h in present}
        for hid in [h for h in self.cards if h not in seen]:  # left: their card goes
            card = self.cards.pop(hid)
            self.grid.removeWidget(card)
            card.deleteLater()
        for host in present:
            if host.host_id in self.cards:
                self.cards[host.host_id].update_card(host)
            else:
                card = HostCardWidget(host, len(self.cards) + 1)
                card.met.connect(self.mark_met)
                card.released.connect(self.release)
                card.set_choosing(self.assigning is not None)
                card.restyle(self.scale)
                self.cards[host.host_id] = card
        self._place_cards()
        self._show_queue(board)
        away = len(board.hosts) - len(present)
        words = [plural(len(present), "host") + " here"]
        if away:
            words.append(f"{away} not arrived yet")
        if board.backups_here:
            words.append(plural(board.backups_here, "regular") + " happy to help")
        words.append("↑↓←→ move · Enter met · R release · A assign · Esc close")
        self.message.setText(" · ".join(words))
        if self.focusWidget() is None or not self.focusWidget().isVisible():
            self._focus_first()
        if self._phone_url() is None or self.phone_link.host_code not in {h.code for h in present}:
            self.phone_link.clear()  # the server stopped, or that host left
        self._focus_moved(None, self.focusWidget())
        self.refreshed.emit(board)

    # -- the focused host's phone link ---------------------------------------------------
    def _focus_moved(self, _old, new) -> None:
        """Show the QR of the focused host's phone link (the host of a focused newcomer)."""
        card = new
        while card is not None and not isinstance(card, HostCardWidget):
            card = card.parentWidget()
        base = self._phone_url()
        if card is None or card.window() is not self or card.card.code == self.phone_link.host_code:
            return
        if base is None:
            self.phone_link.clear()
            return
        db, event, code, name = self.db, self.event_name, card.card.code, card.card.name
        self._phone_wanted = code

        def make() -> bytes | None:  # the token (a write, first time) and the QR: a worker's
            url = host_page_url(db, event, code, base)
            return qr_png_bytes(url, box_size=4) if url else None

        self.runner.submit(
            make, lambda png: self.phone_link.show_link(code, name, png), self._error
        )

    def _place_cards(self) -> None:
        cols = self.columns()
        for i, card in enumerate(self.cards.values()):
            card.number = i + 1
            self.grid.addWidget(card, i // cols, i % cols)  # re-adding moves nothing in place

    def _show_queue(self, board: Board) -> None:
        wanted = {c.registration_id: c for c in board.queue}
        for rid in [r for r in self.queue_chips if r not in wanted]:
            chip = self.queue_chips.pop(rid)
            self.strip.removeWidget(chip)
            chip.deleteLater()
        for i, (rid, c) in enumerate(wanted.items()):
            chip = self.queue_chips.get(rid)
            if chip is None:
                chip = self.queue_chips[rid] = QueueChip(c, board.backup_after_s)
                chip.restyle(self.scale)
            else:
                chip.update_card(c, board.backup_after_s)
            if self.strip.indexOf(chip) != i:
                self.strip.insertWidget(i, chip)
        n = len(board.queue)
        self.queue_title.setText(
            f"Waiting ({n}), oldest first:" if n else "Nobody is waiting for a host."
        )
        p = board.proposal
        self.proposal_bar.setVisible(p is not None)
        if p is not None:
            self.proposal.setText(proposal_line(p) + ".")

    # -- keyboard ------------------------------------------------------------------------
    def _items(self) -> list[Focusable]:
        if self.assigning is not None:
            return list(self.cards.values())
        chips: list[Focusable] = [c for card in self.cards.values() for c in card.chips.values()]
        return chips + list(self.queue_chips.values())

    def _focus_first(self) -> None:
        items = self._items()
        if items:
            items[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _move(self, dx: int, dy: int) -> None:
        """To the nearest item in that direction (by where things are on the screen)."""
        items = [w for w in self._items() if w.isVisible()]
        current = self.focusWidget()
        if current not in items:
            self._focus_first()
            return
        here = current.mapTo(self, current.rect().center())
        best, best_cost = None, None
        for w in items:
            if w is current:
                continue
            there = w.mapTo(self, w.rect().center())
            d = there - here
            along = d.x() * dx + d.y() * dy
            if along <= 0:
                continue
            across = abs(d.x() * dy) + abs(d.y() * dx)
            cost = along + 3 * across
            if best_cost is None or cost < best_cost:
                best, best_cost = w, cost
        if best is not None:
            best.setFocus(Qt.FocusReason.TabFocusReason)
            self.scroll.ensureWidgetVisible(best)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        focused = self.focusWidget()
        if key in ARROWS:
            self._move(*ARROWS[key])
        elif key == Qt.Key.Key_Escape and self.assigning is not None:
            self._stop_assigning("Not reassigned.")
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_F5):
            self.close()
        elif self.assigning is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if isinstance(focused, HostCardWidget):
                self._assign_to(focused)
        elif self.assigning is not None and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            number = key - Qt.Key.Key_0
            chosen = [c for c in self.cards.values() if c.number == number]
            if chosen:
                self._assign_to(chosen[0])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focused, NewcomerChip):
            self.mark_met(focused.card.code)
        elif key == Qt.Key.Key_R and isinstance(focused, NewcomerChip):
            self.release(focused.card.code)
        elif key == Qt.Key.Key_A and isinstance(focused, NewcomerChip | QueueChip):
            self._start_assigning(focused.card.code, focused.card.name)
        elif key == Qt.Key.Key_E and self.board is not None and self.board.proposal:
            self.enlist()
        else:
            super().keyPressEvent(event)

    def _start_assigning(self, code: str, name: str) -> None:
        if not self.cards:
            self._say("No host is here to assign to.")
            return
        self.assigning = code
        for card in self.cards.values():
            card.set_choosing(True)
        self._say(
            f"Assign {name}: choose a host — arrows and Enter, or the host's number. Esc cancels."
        )
        next(iter(self.cards.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def _stop_assigning(self, message: str) -> None:
        self.assigning = None
        for card in self.cards.values():
            card.set_choosing(False)
        self._say(message)
        self._focus_first()

    def _assign_to(self, card: HostCardWidget) -> None:
        code = self.assigning
        self._stop_assigning(f"Giving them to {card.card.name} …")
        if code:
            self.reassign(code, card.card.code)

    # -- actions -------------------------------------------------------------------------
    def _act(self, work, done_message: str) -> None:
        self.runner.submit(work, lambda r: self._done(r.message or done_message), self._error)

    def _done(self, message: str) -> None:
        self._say(message)
        self.refresh()

    def mark_met(self, code: str) -> None:
        j = self._journal()
        self._act(
            lambda: actions.mark_met(self.db, self.event_name, code, journal=j), "Marked met."
        )

    def release(self, code: str) -> None:
        j = self._journal()
        self._act(lambda: actions.release(self.db, self.event_name, code, journal=j), "Released.")

    def reassign(self, newcomer_code: str, host_code: str) -> None:
        j = self._journal()
        self._act(
            lambda: actions.reassign(self.db, self.event_name, newcomer_code, host_code, journal=j),
            "Reassigned.",
        )

    def enlist(self) -> None:
        p = self.board.proposal if self.board else None
        if p is None:
            return
        j, code = self._journal(), p.backup.code
        self._act(
            lambda: actions.enlist_backup(self.db, self.event_name, code, journal=j), "Enlisted."
        )
