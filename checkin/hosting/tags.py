"""A person's interests, languages and profession as indexed tags.

"Who here shares X" and "which free host suits this newcomer best" are then indexed SQL
queries, fast with hundreds of hosts and tens of thousands of guests. Tags are folded
(case- and accent-free); languages are stored as ``lang:<x>`` and the profession (or
industry) as ``prof:<x>``, so one table and one index serve every kind of match.
"""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from checkin.store.models import HostTag, Person, PersonTag
from checkin.text import fold, join_tags, split_tags

MAX_TAG_LEN = 100
LANG = "lang:"
PROF = "prof:"


def tags_of(interests: str | None, languages: str | None = None, profession: str | None = None):
    """The folded tags, in order, without repeats."""
    out = [fold(t)[:MAX_TAG_LEN] for t in split_tags(interests)]
    out += [(LANG + fold(t))[:MAX_TAG_LEN] for t in split_tags(languages)]
    if profession and profession.strip():
        out.append((PROF + fold(profession.strip()))[:MAX_TAG_LEN])
    return list(dict.fromkeys(out))


def interest_tags(tags: list[str]) -> list[str]:
    """Tags that count as a shared interest: interests and the profession/industry."""
    return [t for t in tags if not t.startswith(LANG)]


def language_tags(tags: list[str]) -> list[str]:
    return [t for t in tags if t.startswith(LANG)]


def tag_rows(
    person_id: int, interests: str | None, languages: str | None = None, profession=None
) -> list[dict]:
    return [{"person_id": person_id, "tag": t} for t in tags_of(interests, languages, profession)]


def retag_person(session: Session, person: Person) -> None:
    session.flush()
    session.execute(delete(PersonTag).where(PersonTag.person_id == person.id))
    rows = tag_rows(person.id, person.interests, person.languages, person.profession)
    if rows:
        session.execute(insert(PersonTag), rows)


def set_interests(session: Session, person: Person, interests: str | tuple[str, ...]) -> None:
    text = (
        join_tags(interests) if isinstance(interests, tuple) else join_tags(split_tags(interests))
    )
    person.interests = text
    retag_person(session, person)


def retag_host(session: Session, host_id: int, tags: list[str]) -> None:
    """A host's own interests/languages for this event, replacing the person's."""
    session.execute(delete(HostTag).where(HostTag.host_id == host_id))
    if tags:
        session.execute(insert(HostTag), [{"host_id": host_id, "tag": t} for t in tags])
