"""`checkin selftest`: a quick end-to-end check inside whatever build this is."""

from __future__ import annotations


def register(sub, parents) -> None:
    """Filled in by the packaging work."""
