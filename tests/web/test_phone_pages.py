"""A host's phone, for real: `checkin serve` in its own process (or on a thread, as in the
desktop app), Debian's chromium at 390x844, and check-ins made by the door — this process,
another process on the same SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from checkin.hosting.board import host_board
from checkin.hosting.links import phone_views
from tests.web.conftest import EVENT, REQUIRE, ROOT, WAIT_MS, ServerProcess

try:
    from playwright.sync_api import expect
except ImportError:
    if os.environ.get(REQUIRE):
        raise
    pytest.skip("browser tests skipped: playwright is not installed", allow_module_level=True)


def _cards(page):
    return page.locator("article.card .name")


def test_a_first_timer_checked_in_at_the_door_appears_on_their_hosts_page(evening, server, phone):
    page = phone(evening.link("H1", server.url))
    expect(page.locator("#live")).to_have_text("Live", timeout=WAIT_MS)
    expect(page.locator("#empty")).to_be_visible()
    evening.arrive("N1")  # this process is the door; the server is another process
    card = page.locator("article.card")
    expect(card.locator(".name")).to_have_text("Nora Newby", timeout=WAIT_MS)
    expect(card).to_contain_text("Gamma Labs")
    expect(card).to_contain_text("You shareAI")
    expect(card).to_contain_text("Meet atthe welcome desk (Door 1)")
    expect(card).to_contain_text("Introduce them toRita Regular (Omega)")
    assert "nora.private" not in page.content()


def test_a_check_in_by_another_door_process_appears_too(evening, server, phone):
    page = phone(evening.link("H2", server.url))
    expect(page.locator("#live")).to_have_text("Live", timeout=WAIT_MS)
    subprocess.run(
        [sys.executable, "-m", "checkin", "--database", str(evening.path), "scan", "N2",
         "-e", EVENT, "--device", "Door 2"],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    expect(_cards(page)).to_have_text(["Nils Newman"], timeout=WAIT_MS)
    expect(page.locator("article.card")).to_contain_text("Door 2")


def test_on_my_way_shows_at_the_door_and_on_the_board(evening, server, phone):
    page = phone(evening.link("H1", server.url))
    board = phone(evening.board(server.url))
    evening.arrive("N1")
    page.get_by_role("button", name="On my way").click()
    expect(page.locator(".answered")).to_contain_text("You're on your way", timeout=WAIT_MS)
    expect(page.get_by_role("button", name="On my way")).to_have_count(0)
    (hana,) = [h for h in host_board(evening.db, EVENT).hosts if h.code == "H1"]
    assert hana.newcomers[0].answer == "on_my_way"  # the door's board model
    expect(board.locator("#hosts")).to_contain_text(
        "Nora Newby — Hana Host is on the way", timeout=WAIT_MS
    )


def test_met_frees_the_slot(evening, server, phone):
    page = phone(evening.link("H1", server.url))
    evening.arrive("N1")
    expect(_cards(page)).to_have_text(["Nora Newby"], timeout=WAIT_MS)
    page.get_by_role("button", name="Met").click()
    expect(page.locator("#empty")).to_be_visible(timeout=WAIT_MS)
    (hana,) = [h for h in host_board(evening.db, EVENT).hosts if h.code == "H1"]
    assert hana.newcomers == () and hana.hosted_total == 1


def test_cant_now_moves_the_newcomer_to_the_next_host(evening, server, phone):
    hana = phone(evening.link("H1", server.url))
    henk = phone(evening.link("H2", server.url))
    evening.arrive("N1")
    expect(_cards(hana)).to_have_text(["Nora Newby"], timeout=WAIT_MS)
    hana.get_by_role("button", name="Can't now").click()
    expect(_cards(henk)).to_have_text(["Nora Newby"], timeout=WAIT_MS)
    expect(hana.locator("#empty")).to_be_visible(timeout=WAIT_MS)


def test_a_silent_host_has_the_newcomer_offered_to_the_next_after_the_timeout(evening, phone):
    s = ServerProcess(evening.path, "--answer-within", "2")
    try:
        hana = phone(evening.link("H1", s.url))
        henk = phone(evening.link("H2", s.url))
        expect(hana.locator("#live")).to_have_text("Live", timeout=WAIT_MS)
        evening.arrive("N1")
        expect(_cards(hana)).to_have_text(["Nora Newby"], timeout=WAIT_MS)
        expect(_cards(henk)).to_have_text(["Nora Newby"], timeout=WAIT_MS)
        expect(hana.locator("#empty")).to_be_visible()
    finally:
        s.stop()


def test_host_a_never_sees_host_bs_newcomer(evening, server, phone):
    hana = phone(evening.link("H1", server.url))
    henk = phone(evening.link("H2", server.url))
    evening.arrive("N1")  # AI -> Hana
    evening.arrive("N2")  # Design -> Henk
    expect(_cards(henk)).to_have_text(["Nils Newman"], timeout=WAIT_MS)
    expect(_cards(hana)).to_have_text(["Nora Newby"], timeout=WAIT_MS)
    assert "Nils" not in hana.content()
    # Henk's newcomer cannot be answered with Hana's page either.
    nils = phone_views(evening.db, evening.event_id)
    (henks_card,) = [c for cards in nils.values() for c in cards if c.name == "Nils Newman"]
    answer = hana.evaluate(
        """async (id) => {
            const csrf = await new Promise(ok => {
                const es = new EventSource(location.pathname + "/events");
                es.addEventListener("state", e => { es.close(); ok(JSON.parse(e.data).csrf); });
            });
            const r = await fetch(location.pathname + "/answer", {method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
                body: JSON.stringify({id: id, reply: "met"})});
            return await r.json();
        }""",
        henks_card.assignment_id,
    )
    assert answer == {"done": False, "message": "Not one of your newcomers."}
    expect(_cards(henk)).to_have_text(["Nils Newman"])


def test_a_wrong_token_is_a_plain_404_and_no_guest_data_is_logged(evening, server):
    for path in ("/h/not-a-real-token", "/h/not-a-real-token/events", "/b/x", "/guests"):
        try:
            urllib.request.urlopen(server.url.rstrip("/") + path, timeout=5)
            raise AssertionError(f"{path} answered")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404 and exc.read() == b"Not found"
    host_url = evening.link("H1", server.url)
    board_url = evening.board(server.url)
    for wrong_kind in (host_url.replace("/h/", "/b/"), board_url.replace("/b/", "/h/")):
        try:  # a host's token does not open the board, nor the board's a host page
            urllib.request.urlopen(wrong_kind, timeout=5)
            raise AssertionError(f"{wrong_kind} answered")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
    urllib.request.urlopen(host_url, timeout=5).read()
    evening.arrive("N1")
    server.stop()
    log = server.log()
    for secret in ("Nora", "Newby", "Hana", "nora.private", host_url.rsplit("/", 1)[1]):
        assert secret not in log


def test_answers_need_the_pages_token_and_origin(evening, server):
    host_url = evening.link("H1", server.url)
    evening.arrive("N1")
    (card,) = phone_views(evening.db, evening.event_id).values()
    body = json.dumps({"id": card[0].assignment_id, "reply": "met"}).encode()

    def post(headers: dict) -> int:
        req = urllib.request.Request(host_url + "/answer", body, method="POST", headers=headers)
        try:
            return urllib.request.urlopen(req, timeout=5).status
        except urllib.error.HTTPError as exc:
            return exc.code

    json_type = {"Content-Type": "application/json"}
    assert post(json_type) == 403  # no per-page token
    assert post({**json_type, "X-CSRF-Token": "0" * 32}) == 403
    with urllib.request.urlopen(host_url + "/events", timeout=5) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                csrf = json.loads(line[6:])["csrf"]
                break
    evil = {**json_type, "X-CSRF-Token": csrf, "Origin": "http://evil.example"}
    assert post(evil) == 403
    assert post({**json_type, "X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"}) == 403
    assert host_board(evening.db, EVENT).hosts[0].newcomers  # nothing happened
    assert post({**json_type, "X-CSRF-Token": csrf}) == 200


def test_the_page_recovers_after_the_server_restarts(evening, server, phone):
    page = phone(evening.link("H1", server.url))
    expect(page.locator("#live")).to_have_text("Live", timeout=WAIT_MS)
    server.stop()
    expect(page.locator("#live")).to_have_text("Reconnecting…", timeout=WAIT_MS)
    evening.arrive("N1")  # while the server is down
    server.restart()
    expect(_cards(page)).to_have_text(["Nora Newby"], timeout=WAIT_MS)
    expect(page.locator("#live")).to_have_text("Live")
    page.get_by_role("button", name="Met").click()  # the new server's page token works
    expect(page.locator("#empty")).to_be_visible(timeout=WAIT_MS)
