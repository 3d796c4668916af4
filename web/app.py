"""The hosts' phone server (Starlette): a page per personal link, its live stream, its answers.

Only what a host needs: a token opens that host's own newcomers and nothing else; a wrong
token is a plain 404 with no data. Answers are POSTs carrying a per-page token and checked
for the page's own origin. Nothing here logs a guest's name (the access log is off).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import secrets
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from checkin.errors import CheckinError
from checkin.hosting import links, replies
from web import pages
from web.hub import BOARD, Hub
from web.limits import Limits

KEEPALIVE_S = 15
RETRY_MS = 2000
_NO_STORE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the address: never pass it on
    "X-Content-Type-Options": "nosniff",
}


def not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=_NO_STORE)


class PhoneApp:
    def __init__(self, hub: Hub, limits: Limits | None = None) -> None:
        self.hub = hub
        self.limits = limits or Limits()
        self._secret = secrets.token_bytes(32)

    def csrf(self, token: str) -> str:
        return hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()[:32]

    async def target(self, request: Request, kind: str) -> links.LinkTarget | None:
        who = request.client.host if request.client else "?"
        if not self.limits.may_guess(who):
            return None
        token = request.path_params["token"]
        found = await run_in_threadpool(links.resolve, self.hub.db, token)
        if found is None or found.kind != kind or found.event_id != self.hub.event_id:
            self.limits.missed(who)
            return None
        return found

    # -- pages ----------------------------------------------------------------------------
    async def host_page(self, request: Request) -> Response:
        t = await self.target(request, links.HOST)
        if t is None:
            return not_found()
        return self._page(pages.host_page(t.host_name or "", t.event_name))

    async def board_page(self, request: Request) -> Response:
        t = await self.target(request, links.BOARD)
        if t is None:
            return not_found()
        return self._page(pages.board_page(t.event_name))

    def _page(self, html_with_nonce) -> Response:
        nonce = secrets.token_urlsafe(16)
        csp = (
            "default-src 'none'; connect-src 'self'; img-src data:; base-uri 'none'; "
            f"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "form-action 'none'; frame-ancestors 'none'"
        )
        headers = {**_NO_STORE, "Content-Security-Policy": csp}
        return HTMLResponse(html_with_nonce(nonce), headers=headers)

    # -- live -----------------------------------------------------------------------------
    async def host_events(self, request: Request) -> Response:
        t = await self.target(request, links.HOST)
        if t is None or t.host_id is None:
            return not_found()
        extra = {"csrf": self.csrf(request.path_params["token"])}
        return self._stream(t.host_id, extra)

    async def board_events(self, request: Request) -> Response:
        t = await self.target(request, links.BOARD)
        if t is None:
            return not_found()
        return self._stream(BOARD, {})

    def _stream(self, key: int, extra: dict) -> Response:
        async def events() -> AsyncIterator[str]:
            q, first = self.hub.subscribe(key)
            try:
                yield f"retry: {RETRY_MS}\n\n"
                yield _event({**first, **extra})
                while True:
                    try:
                        state = await asyncio.wait_for(q.get(), KEEPALIVE_S)
                    except TimeoutError:
                        yield ": still here\n\n"
                        continue
                    yield _event({**state, **extra})
            finally:
                self.hub.unsubscribe(key, q)

        headers = {**_NO_STORE, "X-Accel-Buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    # -- answers --------------------------------------------------------------------------
    async def answer(self, request: Request) -> Response:
        t = await self.target(request, links.HOST)
        if t is None or t.host_id is None:
            return not_found()
        token = request.path_params["token"]
        if not _same_origin(request) or not hmac.compare_digest(
            request.headers.get("x-csrf-token", ""), self.csrf(token)
        ):
            return PlainTextResponse("Forbidden", status_code=403, headers=_NO_STORE)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return PlainTextResponse("Send JSON", status_code=415, headers=_NO_STORE)
        try:
            body = await request.json()
            assignment_id, what = int(body["id"]), str(body["reply"])
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("Bad request", status_code=400, headers=_NO_STORE)
        if what not in replies.REPLIES:
            return PlainTextResponse("Bad request", status_code=400, headers=_NO_STORE)
        try:
            result = await run_in_threadpool(
                replies.reply, self.hub.db, t.host_id, assignment_id, what,
                journal=self.hub.journal,
            )  # fmt: skip
        except CheckinError as exc:
            return JSONResponse({"done": False, "message": str(exc)}, 409, headers=_NO_STORE)
        self.hub.changed()
        return JSONResponse({"done": result.done, "message": result.message}, headers=_NO_STORE)

    async def home(self, request: Request) -> Response:
        return PlainTextResponse(
            "Welcome Desk: open the personal link on your badge.", headers=_NO_STORE
        )


def _same_origin(request: Request) -> bool:
    """A cross-site page cannot post here: the browser names the page's origin."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site request (they always send Origin on POST)
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


class RateLimit:
    """Plain ASGI middleware (it must not buffer the live streams)."""

    def __init__(self, app, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            client = scope.get("client")
            if not self.limits.request(client[0] if client else "?"):
                response = PlainTextResponse("Too many requests", 429, headers=_NO_STORE)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _event(state: dict) -> str:
    return f"event: state\ndata: {json.dumps(state, ensure_ascii=False, default=str)}\n\n"


def create_app(hub: Hub, limits: Limits | None = None) -> Starlette:
    phone = PhoneApp(hub, limits)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hub.start(asyncio.get_running_loop())
        try:
            yield
        finally:
            hub.stop()

    async def missing(request: Request, exc: Exception) -> Response:
        return not_found()

    routes = [
        Route("/", phone.home),
        Route("/h/{token}", phone.host_page),
        Route("/h/{token}/events", phone.host_events),
        Route("/h/{token}/answer", phone.answer, methods=["POST"]),
        Route("/b/{token}", phone.board_page),
        Route("/b/{token}/events", phone.board_events),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(RateLimit, limits=phone.limits)],
        exception_handlers={404: missing, 405: missing},
    )
    app.state.phone = phone
    return app
