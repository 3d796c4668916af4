"""Commands for organisers: badges, reports, merging journals, forgetting guests."""

from __future__ import annotations


def register(sub, parents) -> None:
    """Filled in by the badges, reports and sync work."""
