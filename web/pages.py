"""The phone pages: one HTML document each, styles and script inline (the venue may have no
internet, so nothing is fetched from anywhere else). Guest data never goes into the HTML:
it arrives on the live stream and is put on the page as text, never as markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from importlib.resources import files

_ASSETS = files("web") / "assets"


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _document(title: str, body: str, script: str) -> Callable[[str], str]:
    css = _asset("phone.css")
    js = _asset(script)

    def render(nonce: str) -> str:
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<meta name='referrer' content='no-referrer'>"
            "<meta name='robots' content='noindex'>"
            f"<title>{html.escape(title)}</title>"
            f"<style nonce='{nonce}'>{css}</style></head><body>{body}"
            f"<script nonce='{nonce}'>{js}</script></body></html>"
        )

    return render


def host_page(host_name: str, event_name: str) -> Callable[[str], str]:
    first = html.escape(host_name.split(" ")[0] if host_name else "host")
    body = (
        "<header><div><h1>Hi " + first + "</h1>"
        "<p class='event'>" + html.escape(event_name) + "</p></div>"
        "<span id='live' class='live off'>Connecting…</span></header>"
        "<button id='sound' class='sound'>Tap once to allow the buzz and the sound</button>"
        "<main id='cards'></main>"
        "<p id='empty' class='empty' hidden>Nobody for you right now.<br>"
        "Keep this page open: your phone buzzes when a newcomer is yours.</p>"
        "<p id='note' class='note' role='status'></p>"
    )
    return _document(f"{host_name} · Welcome Desk", body, "host.js")


def board_page(event_name: str) -> Callable[[str], str]:
    body = (
        "<header><div><h1>Hosts</h1><p class='event'>" + html.escape(event_name) + "</p></div>"
        "<span id='live' class='live off'>Connecting…</span></header>"
        "<section id='queue'></section><main id='hosts'></main>"
    )
    return _document(f"{event_name} · hosts", body, "board.js")
