"""`checkin host link` and `checkin serve` as an organiser types them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from tests.web.conftest import EVENT, ROOT


def _checkin(path, *args, check=True):
    return subprocess.run(
        [sys.executable, "-m", "checkin", "--database", str(path), *args],
        capture_output=True, text=True, cwd=ROOT, check=check,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def test_host_link_prints_the_same_personal_link_each_time(evening):
    base = "http://192.168.1.20:8765/"
    first = json.loads(_checkin(evening.path, "host", "link", "-e", EVENT, "H1",
                                "--base-url", base, "--json").stdout)  # fmt: skip
    again = _checkin(evening.path, "host", "link", "-e", EVENT, "H1", "--base-url", base)
    assert first["url"].startswith("http://192.168.1.20:8765/h/")
    assert len(first["url"].rsplit("/", 1)[1]) >= 22  # at least 128 bits
    assert again.stdout.strip() == first["url"]
    board = _checkin(evening.path, "host", "link", "-e", EVENT, "--board", "--base-url", base)
    assert board.stdout.strip().startswith("http://192.168.1.20:8765/b/")
    nobody = _checkin(evening.path, "host", "link", "-e", EVENT, "N1", check=False)
    assert nobody.returncode == 1 and "No host with code 'N1'" in nobody.stderr
    assert "Traceback" not in nobody.stderr
    ended = _checkin(evening.path, "host", "link", "-e", EVENT, "--end", "--json")
    assert json.loads(ended.stdout) == {"ended": 2}
    fresh = _checkin(evening.path, "host", "link", "-e", EVENT, "H1", "--base-url", base)
    assert fresh.stdout.strip() != first["url"]  # an ended link is not given out again


def test_serve_says_where_it_listens_and_refuses_a_busy_port(evening):
    proc = subprocess.Popen(
        [sys.executable, "-m", "checkin", "--database", str(evening.path), "serve",
         "-e", EVENT, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        assert line.startswith("Hosts' phones: http://127.0.0.1:")
        port = int(line.strip().rstrip("/").rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # it listens when it says so
        busy = _checkin(evening.path, "serve", "-e", EVENT, "--port", str(port), check=False)
        assert busy.returncode == 1 and f"Cannot listen on 127.0.0.1:{port}" in busy.stderr
        assert "Traceback" not in busy.stderr
    finally:
        proc.terminate()
        proc.wait(10)
