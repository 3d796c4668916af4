"""Commands for badges: `checkin badges` and `checkin templates`."""

from __future__ import annotations


def register(sub, parents) -> None:
    """Filled in by the badges work."""
