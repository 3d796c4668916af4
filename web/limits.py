"""Rate limits for the phone server: a token bucket per client address, and a much smaller
allowance for wrong tokens, so guessing links is hopeless as well as unguessable.

A whole room of phones behind one venue router can share an address, so the ordinary
bucket is generous; wrong tokens are not.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(self, per_second: float, burst: float) -> None:
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def allow(self, who: str, cost: float = 1.0) -> bool:
        now = time.monotonic()
        with self._lock:
            b = self._buckets.get(who)
            if b is None:
                if len(self._buckets) > 10_000:  # forget the idle, keep memory flat
                    self._buckets.clear()
                b = self._buckets[who] = Bucket(self.burst, now)
            b.tokens = min(self.burst, b.tokens + (now - b.at) * self.per_second)
            b.at = now
            if b.tokens < cost:
                return False
            b.tokens -= cost
            return True


class Limits:
    """Requests per address, and wrong tokens per address."""

    def __init__(
        self,
        requests_per_s: float = 20,
        request_burst: float = 200,
        misses_per_min: float = 10,
    ) -> None:
        self.requests = RateLimiter(requests_per_s, request_burst)
        self.misses = RateLimiter(misses_per_min / 60, misses_per_min)

    def request(self, who: str) -> bool:
        return self.requests.allow(who)

    def may_guess(self, who: str) -> bool:
        """Before looking a token up: is this address still allowed a wrong one?"""
        with self.misses._lock:
            b = self.misses._buckets.get(who)
        if b is None:
            return True
        elapsed = time.monotonic() - b.at
        return min(self.misses.burst, b.tokens + elapsed * self.misses.per_second) >= 1

    def missed(self, who: str) -> None:
        self.misses.allow(who)
