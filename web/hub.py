"""The phone server's heart: one thread notices changes, rebuilds what each phone shows,
and hands it to the phones whose page changed; it also escalates silent hosts.

Every phone is sent its whole state (a host has a handful of newcomers at most), never a
diff: a phone that reconnects after the Wi-Fi dropped, or after the server restarted, is
up to date with its first message.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from checkin.hosting import links, replies
from checkin.hosting.board import host_board
from checkin.store.actions import ChangeSink
from checkin.store.db import Database
from checkin.timeutil import utcnow
from web.watch import watch_for

log = logging.getLogger(__name__)
BOARD = 0  # the subscriber key of the organiser's board page


@dataclass
class HubSettings:
    answer_within_s: float = replies.DEFAULT_ANSWER_WITHIN_S
    meeting_point: str | None = None
    escalate_every_s: float = 5.0  # silence is measured in tens of seconds
    # Called with the state pushed to each host: the bench measures check-in -> page.
    on_push: Callable[[int, dict], None] | None = field(default=None, repr=False)


class Hub:
    def __init__(
        self,
        db: Database,
        event_id: int,
        settings: HubSettings | None = None,
        journal: ChangeSink | None = None,
    ) -> None:
        self.db = db
        self.event_id = event_id
        self.settings = settings or HubSettings()
        self.journal = journal
        self._subs: dict[int, set[asyncio.Queue]] = {}
        self._last: dict[int, dict] = {}
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._kick = threading.Event()
        self._stop = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- life -----------------------------------------------------------------------------
    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._refresh()
        self._thread = threading.Thread(target=self._run, name="phones-hub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._kick.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def changed(self) -> None:
        """Something changed here (a phone's answer): push without waiting for the poll."""
        self._kick.set()

    # -- phones ---------------------------------------------------------------------------
    def subscribe(self, key: int) -> tuple[asyncio.Queue, dict]:
        q: asyncio.Queue = asyncio.Queue(maxsize=8)
        with self._lock:
            known = key in self._last
        if not known:
            self._refresh(also=key)
        with self._lock:  # the state read and the queue added at once: no change falls between
            self._subs.setdefault(key, set()).add(q)
            return q, self._last.get(key) or self._empty(key)

    def unsubscribe(self, key: int, q: asyncio.Queue) -> None:
        with self._lock:
            self._subs.get(key, set()).discard(q)

    def state(self, key: int) -> dict:
        with self._lock:
            return self._last.get(key) or self._empty(key)

    def connected(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subs.values())

    def _empty(self, key: int) -> dict:
        return {"newcomers": [], "now": utcnow().isoformat()}

    # -- the thread -----------------------------------------------------------------------
    def _run(self) -> None:
        watch = watch_for(self.db)
        next_escalation = 0.0
        try:
            while not self._stop.is_set():
                changed = watch.wait(0.25) or self._kick.is_set()
                self._kick.clear()
                if self._stop.is_set():
                    break
                if time.monotonic() >= next_escalation:
                    next_escalation = time.monotonic() + self._escalation_tick()
                    changed = self._escalate() or changed
                if changed:
                    self._refresh()
        finally:
            watch.close()

    def _escalation_tick(self) -> float:
        s = self.settings
        return min(s.escalate_every_s, max(0.5, s.answer_within_s / 3))

    def _escalate(self) -> bool:
        try:
            done = replies.escalate(
                self.db, self.event_id, self.settings.answer_within_s, journal=self.journal
            )
        except Exception:  # the next tick tries again; a phone must never stop the server
            log.warning("escalation failed", exc_info=True)
            return False
        return bool(done)

    def _refresh(self, also: int | None = None) -> None:
        # One at a time: a state built from an older read must never replace a newer one.
        with self._refreshing:
            self._refresh_now(also)

    def _refresh_now(self, also: int | None) -> None:
        try:
            states = self._build(also)
        except Exception:
            log.warning("could not read the hosting state", exc_info=True)
            return
        pushes, changed = [], []
        with self._lock:
            for key, state in states.items():
                what = "board" if key == BOARD else "newcomers"
                if key in self._last and self._last[key].get(what) == state[what]:
                    continue  # this phone's page is unchanged
                self._last[key] = state
                changed.append((key, state))
                pushes.extend((q, state) for q in self._subs.get(key, ()))
        for q, state in pushes:
            self._send(q, state)
        if self.settings.on_push:
            for key, state in changed:
                if key != BOARD:
                    self.settings.on_push(key, state)

    def _build(self, also: int | None) -> dict[int, dict]:
        now = utcnow().isoformat()
        views = links.phone_views(self.db, self.event_id, self.settings.meeting_point)
        with self._lock:
            wanted = set(self._subs) | set(self._last) | ({also} if also is not None else set())
        states: dict[int, dict] = {}
        for host_id in (wanted | set(views)) - {BOARD}:
            cards = [c.as_json() for c in views.get(host_id, ())]
            states[host_id] = {"newcomers": cards, "now": now}
        if self._subs.get(BOARD) or also == BOARD:
            states[BOARD] = {"board": board_json(self.db, self.event_id), "now": now}
        return states

    def _send(self, q: asyncio.Queue, state: dict) -> None:
        def put() -> None:
            if q.full():  # a phone that stopped reading only needs the latest state
                q.get_nowait()
            q.put_nowait(state)

        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(put)


def board_json(db: Database, event_id: int) -> dict:
    """The organiser's page: the whole board, with the hosts' answers in words."""
    now = utcnow()
    board = host_board(db, event_id, now)
    hosts = []
    for h in board.hosts:
        cards = []
        for n in h.newcomers:
            doc = {k: v for k, v in n.as_json().items() if k != "code"}
            doc["answer_words"] = n.answer_words(h.name, now)
            cards.append(doc)
        hosts.append(
            {"name": h.name, "present": h.present, "capacity": h.capacity, "newcomers": cards}
        )
    queue = [{"name": q.name, "minutes_waiting": q.minutes_waiting} for q in board.queue]
    return {"event": board.event, "hosts": hosts, "queue": queue}
