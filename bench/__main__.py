"""`make bench`: every benchmark, one table. Figures compare and report; nothing asserts.

python -m bench            # all
python -m bench core ui    # some
"""

from __future__ import annotations

import importlib
import platform
import sys
import time

SUITES = {
    "core": ("bench.bench_core", "scan, search, import, host assignment (SQLite, 50k)"),
    "ui": ("bench.bench_ui", "door screen and host board (offscreen Qt, 50k)"),
    "camera": ("bench.bench_camera", "QR decoding off the UI thread"),
    "badges": ("bench.bench_badges", "badge PDFs"),
    "merge": ("bench.bench_merge", "merging door journals"),
    "import-door": ("bench.bench_import_door", "a door scanning during a big import (SQLite)"),
}


def main(argv: list[str]) -> int:
    chosen = argv or list(SUITES)
    print(f"Welcome Desk benchmarks — {platform.python_version()} on {platform.platform()}")
    for name in chosen:
        module_name, title = SUITES[name]
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            print(f"\n## {name}: not available ({exc})")
            continue
        print(f"\n## {name}: {title}")
        started = time.perf_counter()
        for row_name, value, unit in module.run():
            print(f"  {row_name:<58} {value:>10.2f} {unit}")
        print(f"  ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
