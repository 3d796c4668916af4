"""What every benchmark shares: percentiles, peak memory, child processes, the work folder,
and the made-up guest lists (names with accents, tens of thousands of distinct surnames)."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# On the project's disk, like the real database (not a RAM-backed /tmp).
WORK = Path(__file__).with_name(".work")

Row = tuple  # (name, value, unit) or (name, value, unit, note)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def median(values: list[float]) -> float:
    return pct(values, 50)


def ms_since(t: float) -> float:
    return (time.perf_counter() - t) * 1000


def high_water_mb() -> float:
    """This process's peak RSS (VmHWM); ru_maxrss can be the parent's after a fork."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child_json(code: str, *args: str, timeout: float = 600) -> dict:
    """Run ``code`` in a fresh interpreter (its own imports, its own peak memory); it prints
    one JSON document as its last line."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio(value: float, floor: float, what: str) -> str:
    return f"{value / floor:.2f}× {what}" if floor > 0 else ""


FIRST = (
    "Anna Ben Carla David Elena Farid Grace Hugo Inès José Zoë Björn Łukasz Mei Kwame Sofía "
    "Chloé Noah Amélie Jürgen Ana Mohammed Priya Olga Siobhán Tomás Yusuf Émile Agnieszka Lars"
).split()
LAST = "Müller García Rossi Dubois Novak Kowalski Jensen Murphy Chen Okafor Patel Silva".split()
_SYLLABLES = (
    "ka ri mo len sa to vi ber an del ko mar ten lu ni ga ros wen fe ho "
    "stein berg ham ley son sen ova ski ez ov ic elli etti ard ier ton field bach mann"
).split()
_ACCENTED = {"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "í", "n": "ñ", "c": "ç", "s": "š"}
TOPICS = "AI Fintech Marketing Design Hiring Sales Legal Export Startups Healthcare".split()
DOMAINS = "example.org example.com mail.example.net corp.example".split()


def surnames(rng: random.Random, n: int) -> list[str]:
    """About n distinct made-up surnames, some with accents: a list of a million real people
    has tens of thousands of surnames."""
    names = set(LAST)
    while len(names) < n:
        word = "".join(rng.sample(_SYLLABLES, rng.randint(2, 3)))
        if rng.random() < 0.25:  # an accent somewhere
            i = rng.randrange(len(word))
            word = word[:i] + _ACCENTED.get(word[i], word[i]) + word[i + 1 :]
        names.add(word.capitalize())
    return sorted(names)


def people(n: int, seed: int = 5) -> list[tuple[str, str, str, str]]:
    """(first, last, email, company) for n guests; emails are first.last[n]@domain."""
    rng = random.Random(seed)
    lasts = surnames(rng, max(200, n // 8))
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(lasts)
        email = f"{first}.{last}{i}@{rng.choice(DOMAINS)}".lower()
        out.append((first, last, email, f"Company {i % 2000}"))
    return out


def write_guest_csv(path: Path, guests: list[tuple], *, hosts: int = 0, codes: str = "B") -> None:
    """An organiser's CSV: no "First time" column (the door decides by history)."""
    rng = random.Random(11)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["First name", "Last name", "Email", "Company", "Ticket", "Host", "Interests"])
        for i, (first, last, email, company) in enumerate(guests):
            host = "yes" if i < hosts else ""
            w.writerow(
                [
                    first,
                    last,
                    email,
                    company,
                    f"{codes}{i:07d}",
                    host,
                    ", ".join(rng.sample(TOPICS, 2)),
                ]
            )
