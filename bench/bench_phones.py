"""Hosts' phones: check-in -> host's page, with 50 phones connected.

    PYTHONPATH=. .venv/bin/python bench/bench_phones.py

`checkin serve` runs in its own process (its memory is its own); 50 phones hold the live
stream open (plain HTTP clients reading the same server-sent events a browser reads: 50
browsers would measure the browsers on a 2-core machine); this process is the door and
checks first-timers in one after another. Each latency is from the start of the check-in
call to the moment the newcomer's name arrives on their host's stream.

Targets (issue 16): p95 <= 1 s with 50 phones; server memory <= 50 MB with 50 phones; the
door's scan within 10 % of its time with no phones. Nothing asserts: figures report.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PHONES = 50
ARRIVALS = 60
SPACING_S = 0.25  # a busy door: four check-ins a second
EVENT = "Bench Phones"


class Phone(threading.Thread):
    """One host's phone: reads the stream, notes when each newcomer's name first arrives."""

    def __init__(self, host: str, port: int, path: str) -> None:
        super().__init__(daemon=True)
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.path = path
        self.seen: dict[str, float] = {}
        self.ready = threading.Event()

    def run(self) -> None:
        self.conn.request("GET", self.path, headers={"Accept": "text/event-stream"})
        resp = self.conn.getresponse()
        try:
            for raw in resp:
                if not raw.startswith(b"data: "):
                    continue
                now = time.perf_counter()
                for n in json.loads(raw[6:])["newcomers"]:
                    self.seen.setdefault(n["name"], now)
                self.ready.set()
        except (OSError, ValueError):
            pass


def _vm(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return float("nan")


def _evening(db, hosts: int, newcomers: int) -> tuple[list[str], list[str]]:
    from checkin.door.engine import check_in
    from tests.support.factories import event_with_guests, guest

    rows = [
        guest(i + 2, f"Host{i:02d}", "Bench", ticket_code=f"H{i:02d}", is_host=True,
              host_capacity=3, interests=(f"topic{i % 10}",))
        for i in range(hosts)
    ] + [
        guest(hosts + i + 2, f"New{i:03d}", "Comer", ticket_code=f"N{i:03d}", first_time=True,
              interests=(f"topic{i % 10}",))
        for i in range(newcomers)
    ]  # fmt: skip
    event_with_guests(db, EVENT, rows)
    host_codes = [f"H{i:02d}" for i in range(hosts)]
    for code in host_codes:
        check_in(db, EVENT, code)
    return host_codes, [f"N{i:03d}" for i in range(newcomers)]


def _free_all(db) -> None:
    """Every host marks their newcomers met, so the next round finds room (not timed)."""
    from checkin.hosting.actions import mark_met
    from checkin.hosting.board import host_board

    for h in host_board(db, EVENT).hosts:
        for n in h.newcomers:
            mark_met(db, EVENT, n.code)


def _scan_ms(db, codes: list[str]) -> list[float]:
    from checkin.door.engine import check_in

    out = []
    for code in codes:
        t0 = time.perf_counter()
        check_in(db, EVENT, code, device="Door 1")
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(SPACING_S)
    return out


def run() -> list[tuple[str, float, str]]:
    from checkin.door.engine import check_in
    from checkin.hosting import links
    from checkin.store.db import open_database

    folder = Path(tempfile.mkdtemp(prefix="bench-phones-"))
    path = folder / "bench.sqlite3"
    db = open_database(f"sqlite:///{path}")
    host_codes, newcomers = _evening(db, PHONES, ARRIVALS * 4)
    before, timed, loaded, after = (newcomers[i * ARRIVALS : (i + 1) * ARRIVALS] for i in range(4))
    # The door with no phone server at all, before and after (this machine is shared: the
    # two baselines show how much the figures move without the server).
    none_ms = _scan_ms(db, before)
    _free_all(db)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "checkin", "--database", str(path), "serve", "-e", EVENT,
         "--port", "0", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=env, text=True,
    )  # fmt: skip
    text = ""
    while not text.rstrip().endswith("}"):
        text += proc.stdout.readline()
    url = json.loads(text)["url"]
    host, port = url.split("//")[1].rstrip("/").split(":")
    idle_mb = _vm(proc.pid, "VmRSS")
    try:
        phones = {}
        for code in host_codes:
            token = links.host_link(db, EVENT, code)
            phones[code] = Phone(host, int(port), f"/h/{token}/events")
            phones[code].start()
        for p in phones.values():
            p.ready.wait(30)
        connected_mb = _vm(proc.pid, "VmRSS")

        latencies = []
        for code in timed:
            t0 = time.perf_counter()
            o = check_in(db, EVENT, code, device="Door 1")
            if o.host is None:
                continue
            phone = phones[o.host.code]
            name = o.guest.name
            deadline = t0 + 10
            while name not in phone.seen and time.perf_counter() < deadline:
                time.sleep(0.002)
            latencies.append(phone.seen.get(name, deadline) - t0)
            time.sleep(max(0.0, SPACING_S - (time.perf_counter() - t0)))
        _free_all(db)
        with_ms = _scan_ms(db, loaded)
        peak_mb = _vm(proc.pid, "VmHWM")
        after_mb = _vm(proc.pid, "VmRSS")
    finally:
        proc.terminate()
        proc.wait(10)
    try:
        _free_all(db)
        none_ms += _scan_ms(db, after)
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    scan_none, scan_with = statistics.median(none_ms), statistics.median(with_ms)
    return [
        (f"check-in -> host's page, median ({PHONES} phones)", statistics.median(latencies), "s"),
        (f"check-in -> host's page, p95 ({PHONES} phones)", p95, "s"),
        ("check-in -> host's page, worst", latencies[-1], "s"),
        ("server memory, no phones (RSS)", idle_mb, "MB"),
        (f"server memory, {PHONES} phones connected (RSS)", connected_mb, "MB"),
        (f"server memory, {PHONES} phones after {ARRIVALS} arrivals (RSS)", after_mb, "MB"),
        ("server memory, peak (VmHWM)", peak_mb, "MB"),
        (f"server memory added by {PHONES} phones", connected_mb - idle_mb, "MB"),
        ("door scan, median, no phone server (before and after)", scan_none, "ms"),
        (f"door scan, median, {PHONES} phones connected", scan_with, "ms"),
        ("door scan with phones vs without", 100 * (scan_with / scan_none - 1), "%"),
    ]


if __name__ == "__main__":
    for row_name, value, unit in run():
        print(f"  {row_name:<58} {value:>10.3f} {unit}")
