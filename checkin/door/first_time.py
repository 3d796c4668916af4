"""The first-timer rule, in one place: the door decides with it, badges printed early repeat it."""

from __future__ import annotations

from collections.abc import Callable


def is_first_timer(
    *,
    is_host: bool,
    list_says: bool | None,
    been_before: Callable[[], bool],
    decided: bool | None = None,
) -> bool:
    """What the door decided at check-in, if it did; else: a host never is; the imported
    list may say; otherwise someone with no check-in at an earlier event in this database.

    ``been_before`` is only called when needed (it costs a query at the door)."""
    if decided is not None:
        return decided
    if is_host:
        return False
    if list_says is not None:
        return list_says
    return not been_before()
