"""Time in one place: stored in UTC, shown in the event's local time."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime | None) -> str | None:
    """UTC ISO 8601 text for files (journals), or None."""
    return as_utc(value).isoformat() if value is not None else None


def as_utc(value: datetime) -> datetime:
    """Naive datetimes from the database are UTC; make that explicit."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_hhmm(value: datetime | None) -> str:
    """The time a volunteer at the door expects to read: local wall clock, 24h."""
    if value is None:
        return ""
    return as_utc(value).astimezone().strftime("%H:%M")
