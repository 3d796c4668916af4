"""The HTTP half of the pretix test server: API calls and the seeding helpers tests use.

Standard library only. ``PretixServer`` (pretix_server.py) mixes this in; it provides
``url``, ``token``, ``organizer``, ``timings``, ``_items`` and ``log_tail()``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json as _json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


def _log(msg):
    print(f"[pretix] {msg}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _timed(what, timings=None):
    t0 = time.monotonic()
    _log(f"{what} ...")
    try:
        yield
    finally:
        dt = time.monotonic() - t0
        if timings is not None:
            timings[what] = round(dt, 2)
        _log(f"{what}: {dt:.1f} s")


class PretixAPIError(Exception):
    def __init__(self, method, path, status, body):
        self.method, self.path, self.status, self.body = method, path, status, body
        text = body if isinstance(body, str) else _json.dumps(body, ensure_ascii=False)
        super().__init__(f"{method} {path} -> HTTP {status}: {text[:2000]}")


class PretixAPI:
    """REST calls against the running server (``/api/v1/…``, token auth)."""

    # ------------------------------------------------------------------ HTTP
    def api_raw(self, method, path, json=None, params=None, timeout=120, headers=None):
        """Returns (status, headers, body bytes). Never raises on HTTP errors."""
        if path.startswith("http://") or path.startswith("https://"):
            url = path
        else:
            if not path.startswith("/"):
                path = "/" + path
            if not path.startswith("/api/"):
                path = f"/api/v1/organizers/{self.organizer}" + path
            url = self.url + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params, doseq=True)
        data = None
        hdrs = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if json is not None:
            data = _json.dumps(json).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method.upper(), headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def api(self, method, path, json=None, params=None, expect=None):
        """JSON API call. `path` may be absolute (/api/v1/...), a full URL, or relative to the
        organizer ("/events/" -> /api/v1/organizers/<org>/events/). Raises PretixAPIError on >= 400
        (or when the status is not in `expect`)."""
        status, _, body = self.api_raw(method, path, json=json, params=params)
        try:
            parsed = _json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            parsed = body.decode("utf-8", "replace")
        if (expect is not None and status not in expect) or (expect is None and status >= 400):
            raise PretixAPIError(method, path, status, parsed)
        return parsed

    def get_all(self, path, params=None):
        """Follows pagination; returns the concatenated `results`."""
        out = []
        page = self.api("GET", path, params=params)
        while True:
            out.extend(page["results"])
            if not page.get("next"):
                return out
            page = self.api("GET", page["next"])

    # ------------------------------------------------------------------ helpers
    def create_event(
        self,
        slug,
        locale="en",
        name=None,
        date_from=None,
        timezone="Europe/Berlin",
        currency="EUR",
        live=False,
        settings=None,
    ):
        """Creates an event and sets its language (`locale` + `locales` event settings).
        The attendee name scheme comes from the organizer (PretixServer(name_scheme=...), default
        "given_family"); pretix's own default for API-created events would be "full" (one field)."""
        if date_from is None:
            date_from = (_dt.datetime.now(_dt.UTC) + _dt.timedelta(days=30)).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
        if isinstance(date_from, _dt.datetime):
            date_from = date_from.isoformat()
        ev = self.api(
            "POST",
            "/events/",
            {
                "name": {locale: name or f"Event {slug}"},
                "slug": slug,
                "currency": currency,
                "date_from": date_from,
                "live": False,
                "timezone": timezone,
            },
        )
        s = {"locale": locale, "locales": [locale], "timezone": timezone}
        s.update(settings or {})
        self.api("PATCH", f"/events/{slug}/settings/", s)
        if live:
            ev = self.api("PATCH", f"/events/{slug}/", {"live": True})
        return ev

    def add_product(
        self,
        event,
        name,
        price="10.00",
        quota=100,
        admission=True,
        personalized=True,
        locale=None,
        **extra,
    ):
        """Creates an item + a quota containing it. Returns the item JSON (with 'quota_id')."""
        loc = locale or self._event_locale(event)
        body = {
            "name": {loc: name},
            "default_price": str(price),
            "admission": admission,
            "personalized": personalized,
            "active": True,
            "tax_rate": "0.00",
        }
        body.update(extra)
        item = self.api("POST", f"/events/{event}/items/", body)
        if quota is not None:
            q = self.api(
                "POST",
                f"/events/{event}/quotas/",
                {
                    "name": f"Quota {name}",
                    "size": quota,
                    "items": [item["id"]],
                    "variations": [],
                },
            )
            item["quota_id"] = q["id"]
        self._items.setdefault(event, []).append(item)
        return item

    def _event_locale(self, event):
        return self.api("GET", f"/events/{event}/settings/")["locale"]

    def _default_item(self, event):
        if self._items.get(event):
            return self._items[event][0]["id"]
        items = self.get_all(f"/events/{event}/items/")
        if not items:
            raise ValueError(f"event {event} has no products; call add_product first")
        return items[0]["id"]

    def create_order(
        self,
        event,
        positions,
        status="p",
        email=None,
        item=None,
        locale=None,
        invoice_address=None,
        **extra,
    ):
        """positions: [{attendee_name_parts: {given_name, family_name}, attendee_email, company,
        item?, price?}]
        status: 'p' (paid, via payment provider "manual") or 'n' (pending). No mails are sent."""
        item = item or self._default_item(event)
        pos = []
        for p in positions:
            p = dict(p)
            p.setdefault("item", item)
            pos.append(p)
        first_email = next((p.get("attendee_email") for p in pos if p.get("attendee_email")), None)
        body = {
            "email": email or first_email or "buyer@example.org",
            "locale": locale or self._event_locale(event),
            "sales_channel": "web",
            "status": status,
            "payment_provider": "manual",
            "send_email": False,
            "positions": pos,
        }
        if invoice_address:
            body["invoice_address"] = invoice_address
        body.update(extra)
        return self.api("POST", f"/events/{event}/orders/", body)

    def cancel_order(self, event, code):
        return self.api(
            "POST", f"/events/{event}/orders/{code}/mark_canceled/", {"send_email": False}
        )

    def checkin_list(self, event, name="Default", include_pending=False, create=True):
        """Returns the check-in list called `name` (creates it, all products, if missing)."""
        for cl in self.get_all(f"/events/{event}/checkinlists/"):
            if cl["name"] == name:
                return cl
        if not create:
            raise KeyError(name)
        return self.api(
            "POST",
            f"/events/{event}/checkinlists/",
            {
                "name": name,
                "all_products": True,
                "limit_products": [],
                "include_pending": include_pending,
            },
        )

    def list_checkins(self, event, list_id=None, **params):
        """All check-in records (GET .../checkins/), optionally filtered by list."""
        if list_id is not None:
            params["list"] = list_id
        return self.get_all(f"/events/{event}/checkins/", params=params or None)

    def order_positions(self, event, **params):
        return self.get_all(f"/events/{event}/orderpositions/", params=params or None)

    def redeem(self, secret, lists, force=False, nonce=None, when=None, **extra):
        """POST /checkinrpc/redeem/. Returns (http_status, json).
        201 = ok, 400 = refused (see 'reason')."""
        body = {
            "secret": secret,
            "lists": list(lists),
            "force": force,
            "nonce": nonce or uuid.uuid4().hex,
            "datetime": (when or _dt.datetime.now(_dt.UTC)).isoformat(),
        }
        body.update(extra)
        status, _, raw = self.api_raw("POST", "/checkinrpc/redeem/", json=body)
        return status, _json.loads(raw.decode("utf-8"))

    def exporters(self, event):
        return self.get_all(f"/events/{event}/exporters/")

    def run_export(self, event, identifier, params, timeout=120):
        """Runs a pretix exporter through the API and returns the file's bytes unchanged.
        `params` are the exporter's form fields (no UI defaults are applied!), e.g.
        {"_format": "positions:default", "paid_only": False}."""
        with _timed(f"export {event}/{identifier} {params.get('_format')}", self.timings):
            job = self.api(
                "POST", f"/events/{event}/exporters/{identifier}/run/", params, expect=(202,)
            )
            deadline = time.monotonic() + timeout
            while True:
                status, _headers, body = self.api_raw("GET", job["download"])
                if status == 200:
                    return body
                if status == 409 and time.monotonic() < deadline:
                    time.sleep(0.3)
                    continue
                raise PretixAPIError(
                    "GET",
                    job["download"],
                    status,
                    body.decode("utf-8", "replace") + "\n--- server log ---\n" + self.log_tail(40),
                )
