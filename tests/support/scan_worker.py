"""A door in its own process: scans codes and prints each acknowledged outcome, flushed.

Used by the concurrency and durability tests: a line on stdout means the check-in was
committed (``check_in`` returned), which is exactly what the door shows a guest.
"""

from __future__ import annotations

import sys
import time


def main(argv: list[str]) -> int:
    url, event, device, start_at, *codes = argv
    from checkin.door.engine import check_in
    from checkin.store.db import open_database

    db = open_database(url, migrate=False)
    delay = float(start_at) - time.time()
    if delay > 0:
        time.sleep(delay)  # all doors start together
    for code in codes:
        outcome = check_in(db, event, code, device=device)
        host = outcome.host.code if outcome.host else "-"
        print(f"{code} {outcome.kind.value} {host} {int(outcome.queued)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
