"""Badge rendering speed and memory.

    .venv/bin/python bench/bench_badges.py

run() returns (name, value, unit, note) rows; the targets are: warm badge <= 20 ms, first
badge in a fresh process <= 1 s, 10,000 badges <= 2x bare reportlab drawing the same pages,
peak memory at 10,000 <= 30 MB above 1,000 (pages are rendered in chunks and joined).
"""

from __future__ import annotations

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


# The floor: bare reportlab drawing the same pages (same fonts, same QR library, same page
# size), one canvas saved at the end, no layout engine.
_BARE = """
import io, json, sys, time
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from checkin.badges.qr import qr_image
from checkin.badges.templates import get_template
from checkin.resources import fonts_dir
n, template = int(sys.argv[1]), get_template(sys.argv[2])
pdfmetrics.registerFont(TTFont("B", str(fonts_dir() / "NotoSans-Bold.ttf")))
pdfmetrics.registerFont(TTFont("R", str(fonts_dir() / "NotoSans-Regular.ttf")))
def high_water_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
before = high_water_mb()
t0 = time.perf_counter()
out = io.BytesIO()
c = Canvas(out, pagesize=template.page_size, pageCompression=1)
w, h = template.badge_width, template.badge_height
for i in range(n):
    x, y = template.slot_origin(i % template.per_page)
    if i % 4 == 0:
        c.setFillColorRGB(0.1, 0.5, 0.3)
        c.rect(x, y, w, h * 0.15, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont("B", 30)
    c.drawString(x + 10, y + h * 0.7, f"Guest{{i}}")
    c.setFont("R", 14)
    c.drawString(x + 10, y + h * 0.55, f"Guest{{i}} Lindqvist")
    c.drawString(x + 10, y + h * 0.45, "Nordlys Analytics AB")
    c.drawString(x + 10, y + h * 0.35, "Head of Data Platform")
    c.drawImage(ImageReader(qr_image({vcard!r} + str(i))), x + w - 90, y + 10, 80, 80)
    if (i + 1) % template.per_page == 0:
        c.showPage()
c.save()
seconds = time.perf_counter() - t0
rss = high_water_mb()
print(json.dumps(dict(seconds=seconds, rss_mb=rss, growth_mb=rss - before)))
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


def _bare(n: int, template: str) -> dict[str, float]:
    return json.loads(_child(_BARE.format(vcard=VCARD), str(n), template))


def _side_by_side(n: int, template: str) -> tuple[dict, dict]:
    """Ours and the bare floor at the same time, one core each (the machine has two, and
    nothing else runs meanwhile): the same conditions for both, in half the wall time."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        ours = pool.submit(_many, n, template)
        bare = pool.submit(_bare, n, template)
        return ours.result(), bare.result()


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


def run(quick: bool = False) -> list:
    from checkin.badges.data import BadgeData
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
    arabic = BadgeData("فاطمة", "فاطمة الزهراء", "شركة النور", None, "Mixer", vcard=VCARD)
    rows: list = []
    rows.append(("first badge, fresh process (Latin)", _first_badge("Anna", "Anna Lindqvist"), "s"))
    rows.append(("warm badge, QR + first-timer (zebra-4x3)", _warm_ms(anna, zebra), "ms"))
    rows.append(("warm badge, Arabic + QR", _warm_ms(arabic, zebra), "ms"))
    sizes = (300,) if quick else (1000, 10_000)
    peaks = {}
    for n in sizes:
        ours, bare = _side_by_side(n, "zebra-4x3")
        peaks[n] = ours["rss_mb"]
        rows.append(
            (f"{n:,} badges (zebra-4x3): time", ours["seconds"], "s",
             f"{ours['seconds'] / bare['seconds']:.2f}× bare reportlab {bare['seconds']:.1f} s"
             + (" (target ≤2)" if n >= 10_000 else ""))
        )  # fmt: skip
        rows.append(
            (f"{n:,} badges: peak RSS", ours["rss_mb"], "MB",
             f"bare reportlab {bare['rss_mb']:.0f} MB; PDF {ours['pdf_mb']:.1f} MB")
        )  # fmt: skip
    if len(peaks) == 2:
        rows.append(
            ("peak RSS at 10,000 above 1,000", peaks[10_000] - peaks[1000], "MB", "target ≤30")
        )
    return rows


def main() -> None:
    rows = run()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>9}  unit")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>9.3f}  {unit}")


if __name__ == "__main__":
    main()
