"""What goes on one badge: plain data, filled by the core from a registration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadgeData:
    first_name: str
    full_name: str
    company: str | None = None
    job_title: str | None = None
    event_name: str = ""
    first_time: bool = False
    host_name: str | None = None  # the welcoming host of a first-timer, when assigned
    vcard: str | None = None  # contact card for the QR, only when the guest consented
    code: str | None = None  # the guest's ticket code (not printed by default)
    logo_path: str | None = None  # optional event logo (PNG/JPEG)
