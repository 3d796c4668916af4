"""Screenshots of the hosts' phone pages at 390x844 (docs/screenshots/phone-*.png).

Runs the real server on a thread over a fresh demo database, checks first-timers in the
way the door does, and photographs the pages in Debian's chromium (Playwright).

    PYTHONPATH=. python -m tools.phone_screenshots [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from checkin.demo import make_demo
from checkin.door.engine import check_in
from checkin.hosting import links, replies
from checkin.hosting.board import host_board
from checkin.store.db import open_database
from web.server import PhoneServer

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip


def _not_here(db, event_id: int) -> list[str]:
    from sqlalchemy import select

    from checkin.store.models import Registration

    with db.read() as s:
        return list(
            s.scalars(
                select(Registration.code).where(
                    Registration.event_id == event_id, Registration.checked_in_at.is_(None)
                )
            )
        )


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    db = open_database(str(Path(tempfile.mkdtemp()) / "demo.sqlite3"))
    event = make_demo(db)
    with db.read() as s:
        from checkin.events import find_event

        event_id = find_event(s, event).id
    server = PhoneServer(db, event_id, port=0)
    server.start()
    try:
        base = server.url
        host = None
        for code in _not_here(db, event_id):
            o = check_in(db, event, code, device="Door 1")
            if o.host and host is None:
                host = o.host
            mine = [h for h in host_board(db, event).hosts if host and h.code == host.code]
            if mine and len(mine[0].newcomers) >= 2:
                break
        (card, *_), = [v for k, v in links.phone_views(db, event_id).items()
                       if k == host.host_id]  # fmt: skip
        replies.reply(db, host.host_id, card.assignment_id, "on_my_way")
        idle = next(h for h in host_board(db, event).hosts if h.present and not h.newcomers)
        host_url = links.page_url(base, links.HOST, links.host_link(db, event, host.code))
        idle_url = links.page_url(base, links.HOST, links.host_link(db, event, idle.code))
        board_url = links.page_url(base, links.BOARD, links.board_link(db, event))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            ctx = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=1, has_touch=True
            )
            for name, url, ready in (
                ("phone-host", host_url, "article.card"),
                ("phone-empty", idle_url, "#empty"),
                ("phone-board", board_url, ".host"),
            ):
                page = ctx.new_page()
                page.goto(url)
                page.wait_for_selector(ready)
                time.sleep(2.6)  # the arrival flash is over
                page.screenshot(path=str(out / f"{name}.png"))
                page.close()
            browser.close()
    finally:
        server.stop()
        db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
