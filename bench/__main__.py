"""`make bench`: every benchmark, one table, each figure beside its floor from the same run.
Figures compare and report; nothing asserts.

python -m bench                      # all (under 10 minutes)
python -m bench --quick              # a one-minute version (smaller lists, fewer scans)
python -m bench door search          # some
python -m bench --json figures.json  # also write every figure
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import platform
import sys
import time

SUITES = {
    "door": ("bench.bench_door", "the door as it runs: history, journal, 500 hosts (SQLite)"),
    "postgres": ("bench.bench_pg", "PostgreSQL: 4 door processes vs 4 bare psycopg loops"),
    "search": ("bench.bench_search", "name search at 50k / 200k / 1M, with recall"),
    "startup": ("bench.bench_startup", "start-up of one-shot commands"),
    "import": ("bench.bench_import", "guest list import vs bare csv + sqlite3 executemany"),
    "badges": ("bench.bench_badges", "badge PDFs vs bare reportlab"),
    "ui": ("bench.bench_ui", "the window: memory, usable time, scan → screen (offscreen Qt)"),
    "camera": ("bench.bench_camera", "QR decoding off the UI thread"),
    "merge": ("bench.bench_merge", "merging door journals"),
    "import-door": ("bench.bench_import_door", "a door scanning during a big import (SQLite)"),
}
QUICK = ("door", "postgres", "search", "startup", "import", "badges")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Python {platform.python_version()} on {platform.platform()}; {os.cpu_count()} cores "
        f"({cpu}); load average {load:.1f} at start"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=", ".join(SUITES))
    parser.add_argument("--quick", action="store_true", help="about a minute: smaller, fewer")
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    args = parser.parse_args(argv)
    if unknown := [s for s in args.suites if s not in SUITES]:
        parser.error(f"unknown suite(s) {', '.join(unknown)}: choose from {', '.join(SUITES)}")
    chosen = args.suites or (list(QUICK) if args.quick else list(SUITES))
    started_all = time.perf_counter()
    doc: dict = {"machine": machine(), "quick": args.quick, "suites": {}}
    print(f"Welcome Desk benchmarks — {doc['machine']}")
    for name in chosen:
        module_name, title = SUITES[name]
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            print(f"\n## {name}: not available ({exc})")
            continue
        print(f"\n## {name}: {title}", flush=True)
        started = time.perf_counter()
        takes_quick = "quick" in inspect.signature(module.run).parameters
        try:
            rows = module.run(quick=args.quick) if takes_quick else module.run()
        except Exception as exc:  # one suite failing (no PostgreSQL here, say) is reported
            print(f"  not measured: {type(exc).__name__}: {exc}")
            doc["suites"][name] = {"error": str(exc)}
            continue
        figures = []
        for row in rows:
            row_name, value, unit, note = (*row, "")[:4]
            print(f"  {row_name:<60} {value:>10.2f} {unit:<3} {note}".rstrip(), flush=True)
            figures.append({"name": row_name, "value": value, "unit": unit, "note": note})
        seconds = time.perf_counter() - started
        print(f"  ({seconds:.0f} s)")
        doc["suites"][name] = {"seconds": seconds, "figures": figures}
    doc["seconds"] = time.perf_counter() - started_all
    print(f"\nall: {doc['seconds']:.0f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
