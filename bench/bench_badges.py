"""Badge rendering speed and memory.

    .venv/bin/python bench/bench_badges.py

run() returns (name, value, unit) rows; the targets are: warm badge <= 20 ms, 1,000 badges
<= 10 s, first badge in a fresh process <= 1 s, memory flat (the badges are streamed).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lindqvist;Anna;;;\r\nFN:Anna Lindqvist\r\n"
    "ORG:Nordlys Analytics AB\r\nTITLE:Head of Data Platform\r\n"
    "EMAIL:anna.lindqvist@nordlys.example\r\nTEL:+46 70 123 45 67\r\nEND:VCARD"
)

# Runs in a child process: imports, fonts and all, as the desk app's first print would.
_FIRST_BADGE = """
import time
t0 = time.perf_counter()
from checkin.badges.data import BadgeData
from checkin.badges.render import render_badge_pdf
from checkin.badges.templates import get_template
badge = BadgeData({first!r}, {full!r}, "Nordlys Analytics AB", "Head of Data",
                  "Founders Mixer", True, "Marcus Berg", {vcard!r})
pdf = render_badge_pdf(badge, get_template("zebra-4x3"))
print(time.perf_counter() - t0)
"""

# Runs in a child process so its peak memory is its own.
_MANY = """
import io, json, sys, time
from checkin.badges.data import BadgeData
from checkin.badges.render import render_badges
from checkin.badges.templates import get_template
n, template = int(sys.argv[1]), sys.argv[2]
def badges():
    for i in range(n):
        yield BadgeData(f"Guest{{i}}", f"Guest{{i}} Lindqvist", "Nordlys Analytics AB",
                        "Head of Data Platform", "Stockholm Founders Mixer", i % 4 == 0,
                        "Marcus Berg", {vcard!r} + str(i))
def high_water_mb():  # VmHWM: this process's peak RSS (ru_maxrss can be the parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
out = io.BytesIO()
get_template(template)
before = high_water_mb()
t0 = time.perf_counter()
report = render_badges(badges(), get_template(template), out)
seconds = time.perf_counter() - t0
rss = high_water_mb()
print(json.dumps(dict(seconds=seconds, rss_mb=rss, growth_mb=rss - before,
                      pdf_mb=len(out.getvalue()) / 1e6, pages=report.pages)))
"""


def _child(code: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def _first_badge(first: str, full: str) -> float:
    code = _FIRST_BADGE.format(first=first, full=full, vcard=VCARD)
    return statistics.median(float(_child(code)) for _ in range(3))


def _many(n: int, template: str) -> dict[str, float]:
    return json.loads(_child(_MANY.format(vcard=VCARD), str(n), template))


def _warm_ms(badge: object, template: object, repeat: int = 60) -> float:
    from checkin.badges.render import render_badge_pdf

    for _ in range(5):
        render_badge_pdf(badge, template)  # type: ignore[arg-type]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render_badge_pdf(badge, template)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run() -> list[tuple[str, float, str]]:
    from checkin.badges.data import BadgeData
    from checkin.badges.render import render_badges
    from checkin.badges.templates import get_template

    zebra = get_template("zebra-4x3")
    anna = BadgeData(
        "Anna",
        "Anna Lindqvist",
        "Nordlys Analytics AB",
        "Head of Data Platform",
        "Stockholm Founders Mixer",
        True,
        "Marcus Berg",
        VCARD,
    )
    plain = BadgeData("Anna", "Anna Lindqvist", "Nordlys Analytics AB", None, "Mixer")
    arabic = BadgeData("فاطمة", "فاطمة الزهراء", "شركة النور", None, "Mixer", vcard=VCARD)
    cjk = BadgeData("花子", "佐藤 花子", "株式会社サンプル", None, "Mixer", vcard=VCARD)

    rows: list[tuple[str, float, str]] = []
    rows.append(("first badge, fresh process (Latin)", _first_badge("Anna", "Anna Lindqvist"), "s"))
    rows.append(("first badge, fresh process (Japanese)", _first_badge("花子", "佐藤 花子"), "s"))
    rows.append(("warm badge, QR + first-timer (zebra-4x3)", _warm_ms(anna, zebra), "ms"))
    rows.append(("warm badge, no QR", _warm_ms(plain, zebra), "ms"))
    rows.append(("warm badge, Arabic + QR", _warm_ms(arabic, zebra), "ms"))
    rows.append(("warm badge, Japanese + QR", _warm_ms(cjk, zebra), "ms"))
    for n, template in ((1000, "zebra-4x3"), (1000, "avery-5392"), (100, "zebra-4x3")):
        result = _many(n, template)
        label = f"{n:,} badges, {template}"
        rows.append((f"{label}: time", result["seconds"], "s"))
        rows.append((f"{label}: peak RSS", result["rss_mb"], "MB"))
        rows.append((f"{label}: RSS growth while rendering", result["growth_mb"], "MB"))
        rows.append((f"{label}: PDF size", result["pdf_mb"], "MB"))
    # In-process sanity check that the API used above is the streaming one.
    render_badges((anna for _ in range(3)), zebra, io.BytesIO())
    return rows


def main() -> None:
    rows = run()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>9}  unit")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>9.3f}  {unit}")


if __name__ == "__main__":
    main()
