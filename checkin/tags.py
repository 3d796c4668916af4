"""Keeping a person's interests and their indexed tags in step."""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from checkin.models import Person, PersonTag
from checkin.text import fold, join_tags, split_tags

MAX_TAG_LEN = 100


def tag_rows(person_id: int, interests: str | None) -> list[dict]:
    return [
        {"person_id": person_id, "tag": fold(t)[:MAX_TAG_LEN]}
        for t in dict.fromkeys(split_tags(interests))
    ]


def set_interests(session: Session, person: Person, interests: str | tuple[str, ...]) -> None:
    text = (
        join_tags(interests) if isinstance(interests, tuple) else join_tags(split_tags(interests))
    )
    person.interests = text
    session.flush()
    session.execute(delete(PersonTag).where(PersonTag.person_id == person.id))
    rows = {r["tag"]: r for r in tag_rows(person.id, text)}.values()
    if rows:
        session.execute(insert(PersonTag), list(rows))
