"""A real pretix server for the whole test session (tests/support/pretix_server.py).

Its own virtual environment and a migrated template database live in a cache folder
(default ~/.cache/welcome-desk, or $CHECKIN_PRETIX_CACHE) and are reused: the first run
installs pretix (~70 s) and migrates (90-300 s), printing its progress; later runs start in
about 10 s. The server listens on 127.0.0.1 only and uses SQLite.

Without network to the package index pretix cannot be installed and the tests skip, saying
so — unless CHECKIN_REQUIRE_PRETIX is set (CI sets it), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import socket
import urllib.parse
from collections.abc import Iterator

import pytest

from tests.support.pretix_server import PretixServer

REQUIRE = "CHECKIN_REQUIRE_PRETIX"


def _index_unreachable() -> str | None:
    """Why pip cannot reach its package index (None when it can)."""
    index = os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple"
    parts = urllib.parse.urlsplit(index)
    host = parts.hostname or "pypi.org"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=5):
            return None
    except OSError as exc:
        return f"{host}:{port}: {exc}"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE):
        pytest.fail(f"pretix is required here ({REQUIRE} is set) but {reason}", pytrace=False)
    pytest.skip(f"pretix can't be installed here: {reason} (set {REQUIRE}=1 to make this fail)")


@pytest.fixture(scope="session")
def pretix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PretixServer]:
    server = PretixServer(tmp_path_factory.mktemp("pretix"), startup_timeout=300)
    installed = os.path.exists(server.venv_python) and os.path.exists(
        os.path.join(server.cache_dir, ".pretix-lab-installed")
    )
    if not installed and (why := _index_unreachable()):
        _unavailable(f"no network to the package index ({why})")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    # The first set-up takes minutes: show its progress instead of a silent terminal.
    quiet = capture.global_and_fixture_disabled() if capture else contextlib.nullcontext()
    with quiet:
        if not installed:
            print(
                f"\n[pretix] first-time set-up in {server.cache_dir}: installing pretix "
                "(~1-6 min) and migrating its database (~2-5 min, longer on a busy machine); "
                "later runs reuse both"
            )
        try:
            server.start()
        except RuntimeError as exc:
            if "pip install" in str(exc) and not installed:
                _unavailable(f"pip install failed: {str(exc)[-600:]}")
            raise
    print(f"\n[pretix] timings: {server.timings}")
    yield server
    server.stop()
