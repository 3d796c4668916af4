"""Write transactions that survive a concurrent door: retried when the database says conflict."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from checkin.errors import DatabaseError
from checkin.store.db import Database

T = TypeVar("T")
MAX_ATTEMPTS = 5


def with_retry(db: Database, work: Callable[[Session], T]) -> T:
    """Run ``work`` in a write transaction, again if a concurrent door made it conflict.

    PostgreSQL may abort one of two racing transactions (deadlock, serialisation, a unique
    nonce inserted by the other); the retry sees the other's result and answers from it.
    """
    for attempt in range(MAX_ATTEMPTS):
        try:
            with db.write() as session:
                return work(session)
        except (DBAPIError, DatabaseError) as exc:
            if not _is_conflict(exc) or attempt == MAX_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))  # let the other door finish
    raise AssertionError("unreachable")


def _is_conflict(exc: BaseException) -> bool:
    if isinstance(exc, DatabaseError):  # a translated driver error: look at the original
        exc = exc.__cause__ if exc.__cause__ is not None else exc
    if isinstance(exc, IntegrityError):
        return True  # e.g. the same nonce committed by another door a moment ago
    orig = getattr(exc, "orig", None)
    if type(orig).__name__ == "PipelineAborted":
        # psycopg: a statement queued behind one that failed in the same pipeline (a bulk
        # insert meeting another door's row); the rolled-back transaction can run again.
        return True
    code = getattr(orig, "sqlstate", None)
    return code in {"40001", "40P01"}  # serialization_failure, deadlock_detected
