"""The host board: a second window for a TV near the entrance, readable across a room.

Newcomers waiting for a host are at the top, highlighted; below, every host with the
newcomers they are welcoming now (company, interests, minutes since arrival, whom to
introduce them to). A volunteer marks a newcomer met or released with the buttons (or
keys), and reassigns by dragging a newcomer onto another host. It refreshes when this door
checks someone in and every few seconds for other doors on a shared database.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from checkin.hosting.board import Board, HostCard, NewcomerCard
from checkin.store.db import Database
from checkin.timeutil import utcnow
from ui.tasks import TaskRunner

MIME = "application/x-welcome-desk-newcomer"
REFRESH_MS = 5_000


class NewcomerRow(QFrame):
    """One newcomer: draggable onto another host; buttons for met / release."""

    met = Signal(str)
    released = Signal(str)

    def __init__(self, card: NewcomerCard, waiting: bool, host_name: str = "") -> None:
        super().__init__()
        self.card = card
        self.setObjectName("newcomer")
        self.setAccessibleName(f"Newcomer {card.name}")
        color = "#fff3cd" if waiting else "#f3e5f5"
        self.setStyleSheet(f"#newcomer {{ background: {color}; border-radius: 6px; }}")
        title = QLabel(card.name + (f" — {card.company}" if card.company else ""))
        title.setStyleSheet("font-size: 22px; font-weight: bold;")
        title.setWordWrap(True)
        parts = [f"{card.minutes_waiting} min"]
        if card.interests:
            parts.append(", ".join(card.interests))
        info = QLabel(" · ".join(parts))
        info.setStyleSheet("font-size: 17px;")
        info.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(title)
        layout.addWidget(info)
        if card.introductions:
            intro = QLabel("Introduce to: " + ", ".join(card.introductions))
            intro.setStyleSheet("font-size: 16px; color: #4a148c;")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        if said := card.answer_words(host_name or "The host", utcnow()):  # from their phone
            answer = QLabel(said)
            answer.setStyleSheet("font-size: 16px; font-weight: bold; color: #0b7a3b;")
            layout.addWidget(answer)
        if not waiting:
            buttons = QHBoxLayout()
            met = QPushButton("Met ✓")
            met.setAccessibleName(f"{card.name} has met their host")
            met.clicked.connect(lambda: self.met.emit(card.code))
            release = QPushButton("Release")
            release.setAccessibleName(f"Give {card.name} another host")
            release.clicked.connect(lambda: self.released.emit(card.code))
            buttons.addWidget(met)
            buttons.addWidget(release)
            buttons.addStretch(1)
            layout.addLayout(buttons)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            mime = QMimeData()
            mime.setData(MIME, self.card.code.encode())
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(Qt.DropAction.MoveAction)


class HostCardWidget(QFrame):
    """A host and their newcomers; a drop target for reassigning."""

    dropped = Signal(str, str)  # newcomer code, host code

    def __init__(self, card: HostCard) -> None:
        super().__init__()
        self.card = card
        self.setAcceptDrops(True)
        self.setObjectName("hostCard")
        self.setAccessibleName(f"Host {card.name}")
        full = len(card.newcomers) >= card.capacity
        border = "#9e9e9e" if full else "#1b7f3b"
        self.setStyleSheet(
            f"#hostCard {{ background: white; border: 3px solid {border}; border-radius: 10px; }}"
        )
        name = QLabel(card.name)
        name.setStyleSheet("font-size: 26px; font-weight: bold;")
        load = QLabel(f"{len(card.newcomers)} / {card.capacity}" + ("  full" if full else ""))
        load.setStyleSheet("font-size: 20px;")
        top = QHBoxLayout()
        top.addWidget(name, 1)
        top.addWidget(load)
        self.rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        if card.company:
            company = QLabel(card.company)
            company.setStyleSheet("font-size: 17px; color: #455a64;")
            layout.addWidget(company)
        layout.addLayout(self.rows)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        code = bytes(event.mimeData().data(MIME).data()).decode()
        event.acceptProposedAction()
        self.dropped.emit(code, self.card.code)


class HostBoardWindow(QWidget):
    refreshed = Signal(object)  # the Board shown, for tests

    def __init__(self, db: Database, event: str, runner: TaskRunner, journal=lambda: None) -> None:
        super().__init__()
        self.db, self.event_name, self.runner = db, event, runner
        self._journal = journal  # the door's journal, if any, at the time of the action
        self.board: Board | None = None
        self.setWindowTitle(f"Hosts — {event}")
        self.setAccessibleName("Host board")
        self.setStyleSheet("HostBoardWindow { background: #eceff1; }")
        self.title = QLabel(f"Welcome hosts — {event}")
        self.title.setStyleSheet("font-size: 30px; font-weight: bold;")
        self.message = QLabel("")
        self.message.setStyleSheet("font-size: 18px; color: #37474f;")
        self.waiting = QVBoxLayout()
        self.waiting_box = QFrame()
        self.waiting_box.setStyleSheet("background: #ffe082; border-radius: 10px;")
        waiting_layout = QVBoxLayout(self.waiting_box)
        self.waiting_title = QLabel("")
        self.waiting_title.setStyleSheet("font-size: 26px; font-weight: bold;")
        waiting_layout.addWidget(self.waiting_title)
        waiting_layout.addLayout(self.waiting)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.waiting_box)
        inner_layout.addLayout(self.grid)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        self.resize(1280, 720)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self, *_args) -> None:
        from checkin.hosting.board import host_board

        db, event = self.db, self.event_name
        self.runner.submit(lambda: host_board(db, event), self.show_board, self._error)

    def _error(self, exc: BaseException) -> None:
        self.message.setText(str(exc))

    def show_board(self, board: Board) -> None:
        # Rebuilding the cards is the slow part: skip it when nothing a person sees changed
        # (minutes waiting tick on, so the board is redrawn at least every refresh period).
        if self.board is not None and board == self.board:
            self.refreshed.emit(board)
            return
        self.board = board
        _clear(self.waiting)
        _clear(self.grid)
        self.waiting_box.setVisible(bool(board.queue))
        self.waiting_title.setText(f"Waiting for a host: {len(board.queue)}")
        for card in board.queue:
            self.waiting.addWidget(NewcomerRow(card, waiting=True))
        present = [h for h in board.hosts if h.present]
        columns = 3 if self.width() >= 1100 else 2
        for i, host in enumerate(present):
            widget = HostCardWidget(host)
            widget.dropped.connect(self.reassign)
            for n in host.newcomers:
                row = NewcomerRow(n, waiting=False, host_name=host.name)
                row.met.connect(self.mark_met)
                row.released.connect(self.release)
                widget.rows.addWidget(row)
            self.grid.addWidget(widget, i // columns, i % columns)
        away = len(board.hosts) - len(present)
        self.message.setText(
            f"{len(present)} hosts here" + (f", {away} not arrived yet" if away else "")
            + " · drag a newcomer onto a host to reassign"
        )  # fmt: skip
        self.refreshed.emit(board)

    def _act(self, work, done_message: str) -> None:
        self.runner.submit(work, lambda r: self._done(r.message or done_message), self._error)

    def _done(self, message: str) -> None:
        self.message.setText(message)
        self.refresh()

    def mark_met(self, code: str) -> None:
        from checkin.hosting.actions import mark_met

        j = self._journal()
        self._act(lambda: mark_met(self.db, self.event_name, code, journal=j), "Marked met.")

    def release(self, code: str) -> None:
        from checkin.hosting.actions import release

        j = self._journal()
        self._act(lambda: release(self.db, self.event_name, code, journal=j), "Released.")

    def reassign(self, newcomer_code: str, host_code: str) -> None:
        from checkin.hosting.actions import reassign

        j = self._journal()
        self._act(
            lambda: reassign(self.db, self.event_name, newcomer_code, host_code, journal=j),
            "Reassigned.",
        )


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
