"""Running the phone server: in the foreground (`checkin serve`) or on a background thread
(inside the desktop app). It listens only on the address it is given.

The socket is bound before uvicorn starts, so "listening" is true when the address is
printed, and port 0 (any free port) works for tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from dataclasses import dataclass

import uvicorn

from checkin.hosting.links import DEFAULT_PORT, lan_address
from checkin.store.actions import ChangeSink
from checkin.store.db import Database
from web.app import create_app
from web.hub import Hub, HubSettings

LOOPBACK = "127.0.0.1"


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def public_url(host: str, port: int) -> str:
    shown = lan_address() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


@dataclass
class PhoneServer:
    """One phone server for one event: ``start()`` then ``stop()``, or ``serve_forever()``."""

    db: Database
    event_id: int
    host: str = LOOPBACK
    port: int = DEFAULT_PORT
    settings: HubSettings | None = None
    journal: ChangeSink | None = None

    def __post_init__(self) -> None:
        self.hub = Hub(self.db, self.event_id, self.settings, self.journal)
        self.app = create_app(self.hub)
        self.sock = bind(self.host, self.port)
        self.port = self.sock.getsockname()[1]
        self.url = public_url(self.host, self.port)
        config = uvicorn.Config(
            self.app,
            access_log=False,  # the address of each request holds a host's token
            log_config=None,  # keep the application's logging as it is
            log_level="warning",
            server_header=False,
            timeout_graceful_shutdown=1,
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        with contextlib.suppress(KeyboardInterrupt):
            self.server.run(sockets=[self.sock])

    def start(self) -> None:
        """On a background thread (the desktop app)."""

        def run() -> None:
            asyncio.run(self.server.serve(sockets=[self.sock]))

        self._thread = threading.Thread(target=run, name="phone-server", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        with contextlib.suppress(OSError):
            self.sock.close()
