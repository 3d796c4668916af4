"""A small client for pretix's REST API (``/api/v1/``): token auth, JSON, every page.

The token goes into the Authorization header and nowhere else: it is never part of a
message, a log line or an exception, and it is only ever sent to the host it was given
for (a ``next`` page link pointing elsewhere is rebuilt on our own host).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checkin import __version__
from checkin.errors import CheckinError

Progress = Callable[[int, int | None], None]  # (done, total or None)


class PretixError(CheckinError):
    """pretix could not be reached or refused the request; the message says what to do."""


def base_url(url: str) -> str:
    """'https://pretix.eu/', 'https://pretix.eu/api/v1' … -> 'https://pretix.eu'."""
    text = (url or "").strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PretixError(f'"{url}" is not a pretix address (like https://pretix.eu)')
    path = parts.path.rstrip("/")
    if path.endswith("/api/v1"):
        path = path[: -len("/api/v1")]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass
class PretixClient:
    url: str
    organizer: str
    token: str = field(repr=False)
    timeout: float = 30.0
    page_size: int | None = None  # pretix's default (and its maximum) is 50

    def __post_init__(self) -> None:
        self.url = base_url(self.url)
        if not self.organizer:
            raise PretixError("no pretix organizer given (the short name in its URLs)")
        if not self.token:
            raise PretixError("no pretix API token (set PRETIX_TOKEN or type it when asked)")

    # ------------------------------------------------------------------ addresses
    def org_path(self, path: str) -> str:
        org = urllib.parse.quote(self.organizer, safe="")
        return f"/api/v1/organizers/{org}/{path.lstrip('/')}"

    def event_path(self, event: str, path: str = "") -> str:
        slug = urllib.parse.quote(event, safe="")
        return self.org_path(f"events/{slug}/{path.lstrip('/')}")

    def _full(self, path_or_url: str, params: dict | None) -> str:
        if path_or_url.startswith(("http://", "https://")):
            # Only ever to our own host: keep the path and query of a link from elsewhere.
            parts = urllib.parse.urlsplit(path_or_url)
            url = self.url.split("/", 3)
            root = "/".join(url[:3])
            full = urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))
            target = root + full
        else:
            target = self.url + path_or_url
        if params:
            query = urllib.parse.urlencode(params, doseq=True)
            target += ("&" if "?" in target else "?") + query
        return target

    # ------------------------------------------------------------------ requests
    def request(
        self, method: str, path: str, body: Any = None, params: dict | None = None
    ) -> tuple[int, Any]:
        """(HTTP status, parsed JSON). 4xx answers are returned; other failures raise."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        headers = {
            "Authorization": f"Token {self.token}",
            "Accept": "application/json",
            "User-Agent": f"WelcomeDesk/{__version__}",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(
            self._full(path, params), data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PretixError(f"cannot reach pretix at {self.url}: {reason}") from None
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            parsed = None
        if status == 401:
            raise PretixError(
                f"pretix at {self.url} refused the API token (401): check the token, and that "
                f"it belongs to a team of organizer '{self.organizer}'"
            )
        if status == 403:
            raise PretixError(
                f"pretix answered 403 for {path.split('?')[0]}: the event does not exist, or "
                "the token's team may not see it"
            )
        if status >= 500 or (parsed is None and status >= 400 and status != 404):
            raise PretixError(f"pretix at {self.url} failed (HTTP {status}); try again later")
        return status, parsed

    def get(self, path: str, params: dict | None = None) -> Any:
        status, parsed = self.request("GET", path, params=params)
        if status == 404:
            raise PretixError(f"pretix has no {path.split('?')[0]} (404): check the names")
        if status >= 400:
            raise PretixError(f"pretix refused GET {path} (HTTP {status}): {short(parsed)}")
        return parsed

    def get_all(
        self, path: str, params: dict | None = None, progress: Progress | None = None
    ) -> list[dict]:
        """Every page of a list endpoint, in order."""
        params = dict(params or {})
        if self.page_size:
            params["page_size"] = self.page_size
        page = self.get(path, params)
        out: list[dict] = []
        while True:
            out.extend(page.get("results", []))
            if progress is not None:
                progress(len(out), page.get("count"))
            if not page.get("next"):
                return out
            page = self.get(page["next"])

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        return self.request("POST", path, body)


def short(parsed: Any) -> str:
    text = json.dumps(parsed, ensure_ascii=False) if parsed is not None else "no details"
    return text[:300]


def text_of(value: Any, locale: str | None = None) -> str:
    """pretix's translated strings ({"en": "Ticket", "de": "Ticket"}) as one string."""
    if isinstance(value, dict):
        if locale and value.get(locale):
            return str(value[locale])
        return next((str(v) for v in value.values() if v), "")
    return "" if value is None else str(value)
