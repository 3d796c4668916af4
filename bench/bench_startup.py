"""Start-up of one-shot commands, beside a bare Python starting and exiting (same run)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, WORK, median, people, write_guest_csv


def _env() -> dict:
    """As an installed app runs: its modules compiled once (.pyc written), not every start."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _seconds(argv: list[str], repeat: int) -> float:
    env = _env()
    subprocess.run(argv, cwd=ROOT, env=env, capture_output=True)  # compiles, warms the cache
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return median(times)


def run(quick: bool = False) -> list:
    repeat = 3 if quick else 7
    py = [sys.executable]
    WORK.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        folder = Path(tmp)
        write_guest_csv(folder / "g.csv", people(2 * repeat + 2, seed=1))
        db = str(folder / "s.sqlite3")
        cli = [*py, "-m", "checkin", "-d", db]
        subprocess.run([*cli, "event", "create", "E"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run([*cli, "import", str(folder / "g.csv"), "-e", "E"], cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        bare = _seconds([*py, "-c", "pass"], repeat)
        orm = _seconds([*py, "-c", "import sqlalchemy.orm"], repeat)
        version = _seconds([*py, "-m", "checkin", "--version"], repeat)
        codes = iter(f"B{i:07d}" for i in range(2 * repeat + 2))
        env = _env()
        subprocess.run(
            [*cli, "scan", next(codes), "-e", "E"], cwd=ROOT, env=env, capture_output=True
        )
        scans = []
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([*cli, "scan", next(codes), "-e", "E"], cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
            scans.append(time.perf_counter() - t)
        scan = median(scans)
    return [
        ("floor: bare `python -c pass`", bare, "s", ""),
        ("floor: `python -c 'import sqlalchemy.orm'`", orm, "s", ""),
        ("`checkin --version`", version, "s", f"{version / bare:.1f}× bare Python (target ≤0.1 s)"),
        ("one-shot `checkin scan CODE` (a real check-in)", scan, "s",
         f"{scan / bare:.1f}× bare Python, {scan - orm:+.2f} s beyond importing the ORM (target ≤0.3 s)"),
    ]  # fmt: skip
