"""Finding a guest without their code: partial, case- and accent-insensitive, typo-tolerant.

The index holds the folded words of every guest's name, email and company. A query is
split into words; each must match a word of the guest: exactly, as a prefix, inside it, or
(for words of 3+ letters) within a small edit distance ("mullr" finds Müller). Guests are
ranked by how well their words matched, names before companies, then alphabetically.

Typo tolerance runs over the vocabulary of distinct words, not over guests, so it stays
fast on 50,000 registrations (see ``make bench``).
"""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import select

from checkin.events import find_event
from checkin.store.db import Database
from checkin.store.models import Person, Registration
from checkin.text import fold

_WORD = re.compile(r"\w+")
NAME, EMAIL, COMPANY = 0, 1, 2
_FIELD_WEIGHT = {NAME: 1.0, EMAIL: 0.8, COMPANY: 0.7}
# How well a query word matched a guest's word (0-100).
EXACT, PREFIX, INSIDE, TYPO = 100.0, 92.0, 80.0, 80.0
ENOUGH_WORDS = 5  # with this many real matches, typo search would only add noise


@dataclass(frozen=True)
class SearchHit:
    registration_id: int
    name: str
    email: str | None
    company: str | None
    code: str
    status: str
    checked_in: bool
    score: float

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "code": self.code,
            "status": self.status,
            "checked_in": self.checked_in,
            "score": round(self.score, 1),
        }


@dataclass
class _Entry:
    registration_id: int
    name: str
    email: str | None
    company: str | None
    code: str
    status: str
    checked_in: bool
    sort_key: str


class GuestIndex:
    """In-memory search index of one event's guests. Rebuild (or ``update``) on change."""

    def __init__(self) -> None:
        self._entries: dict[int, _Entry] = {}
        # word -> {registration id: best field of that word for the guest}
        self._postings: dict[str, dict[int, int]] = {}
        # Code -> registration id, exactly as written (pretix secrets differ by case) and
        # folded (typed by hand); exact wins.
        self._codes: dict[str, int] = {}
        self._codes_exact: dict[str, int] = {}
        self._words_of: dict[int, set[str]] = {}
        # Folded whole name -> guests: finds a name with no word in it (".", "\\", kaomoji).
        self._whole_names: dict[str, set[int]] = {}
        self._vocab: list[str] = []
        self._blob = ""
        self._offsets: list[int] = []
        self._by_length: dict[int, list[str]] = {}
        self._vocab_dirty = False

    def __len__(self) -> int:
        return len(self._entries)

    def add(
        self,
        registration_id: int,
        name: str,
        email: str | None,
        company: str | None,
        code: str,
        status: str = "registered",
        checked_in: bool = False,
    ) -> None:
        self.remove(registration_id)
        self._entries[registration_id] = _Entry(
            registration_id, name, email, company, code, status, checked_in, fold(name)
        )
        words: set[str] = set()
        for field, text in ((NAME, name), (EMAIL, email), (COMPANY, company)):
            for word in _WORD.findall(fold(text or "")):
                slot = self._postings.get(word)
                if slot is None:
                    slot = self._postings[word] = {}
                    self._vocab_dirty = True
                if slot.get(registration_id, 99) > field:
                    slot[registration_id] = field
                words.add(word)
        self._words_of[registration_id] = words
        self._whole_names.setdefault(_whole(name), set()).add(registration_id)
        self._codes[fold(code)] = registration_id
        self._codes_exact[code] = registration_id

    def remove(self, registration_id: int) -> None:
        entry = self._entries.pop(registration_id, None)
        if entry is None:
            return
        self._codes.pop(fold(entry.code), None)
        self._codes_exact.pop(entry.code, None)
        same_name = self._whole_names.get(_whole(entry.name), set())
        same_name.discard(registration_id)
        if not same_name:
            self._whole_names.pop(_whole(entry.name), None)
        for word in self._words_of.pop(registration_id, ()):
            del self._postings[word][registration_id]
            if not self._postings[word]:
                del self._postings[word]
                self._vocab_dirty = True

    def set_checked_in(self, registration_id: int, checked_in: bool) -> None:
        if (e := self._entries.get(registration_id)) is not None:
            e.checked_in = checked_in

    def _vocabulary(self) -> list[str]:
        if self._vocab_dirty:
            self._vocab = sorted(self._postings)
            # One string of every word, for substring search at C speed; offsets map a hit
            # back to its word. Words by length, so typo search only compares near lengths.
            self._blob = "\n".join(self._vocab)
            self._offsets = []
            pos = 0
            for word in self._vocab:
                self._offsets.append(pos)
                pos += len(word) + 1
            self._by_length = {}
            for word in self._vocab:
                self._by_length.setdefault(len(word), []).append(word)
            self._vocab_dirty = False
        return self._vocab

    def _word_matches(self, token: str) -> dict[str, float]:
        """Vocabulary words matching one query word, with a 0-100 quality."""
        found: dict[str, float] = {}
        vocab = self._vocabulary()
        if token in self._postings:
            found[token] = EXACT
        # Prefix matches are a contiguous run in the sorted vocabulary.
        i = bisect.bisect_left(vocab, token)
        while i < len(vocab) and vocab[i].startswith(token):
            found.setdefault(vocab[i], PREFIX)
            i += 1
        if len(token) >= 3:
            for m in re.finditer(re.escape(token), self._blob):
                word = vocab[bisect.bisect_right(self._offsets, m.start()) - 1]
                found.setdefault(word, INSIDE)
        if len(token) >= 3 and len(found) < ENOUGH_WORDS:
            # A typo: one edit for short words, two for longer ones.
            edits = 1 if len(token) <= 5 else 2
            near = [
                w
                for n in range(len(token) - edits, len(token) + edits + 1)
                for w in self._by_length.get(n, ())
            ]
            for word, distance, _ in process.extract(
                token, near, scorer=Levenshtein.distance, score_cutoff=edits, limit=50
            ):
                found.setdefault(word, TYPO - 12.0 * distance)
        return found

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        folded = fold(text.strip())
        exact = self._codes_exact.get(text.strip())
        if exact is not None or folded in self._codes:  # a code finds its guest first
            e = self._entries[exact if exact is not None else self._codes[folded]]
            return [self._hit(e, 100.0)]
        tokens = _WORD.findall(folded)
        if not tokens:  # only symbols or punctuation: the whole name, exactly
            found = self._whole_names.get(_whole(text), ())
            entries = sorted((self._entries[rid] for rid in found), key=lambda e: e.sort_key)
            return [self._hit(e, EXACT) for e in entries[:limit]]
        totals: dict[int, float] | None = None
        for token in tokens:
            per_guest: dict[int, float] = {}
            for word, quality in self._word_matches(token).items():
                for rid, field in self._postings[word].items():
                    score = quality * _FIELD_WEIGHT[field]
                    if score > per_guest.get(rid, 0.0):
                        per_guest[rid] = score
            if totals is None:
                totals = per_guest
            else:
                totals = {rid: totals[rid] + s for rid, s in per_guest.items() if rid in totals}
            if not totals:
                return []
        assert totals is not None
        best = heapq.nsmallest(
            limit, totals.items(), key=lambda kv: (-kv[1], self._entries[kv[0]].sort_key, kv[0])
        )
        return [self._hit(self._entries[rid], score / len(tokens)) for rid, score in best]

    @staticmethod
    def _hit(e: _Entry, score: float) -> SearchHit:
        return SearchHit(
            e.registration_id, e.name, e.email, e.company, e.code, e.status, e.checked_in, score
        )


def _whole(name: str) -> str:
    return " ".join(fold(name).split())


def build_index(db: Database, event: str | int) -> GuestIndex:
    index = GuestIndex()
    with db.read() as session:
        ev = find_event(session, event)
        rows = session.execute(
            select(
                Registration.id,
                Person.first_name,
                Person.last_name,
                Person.email,
                Person.company,
                Registration.code,
                Registration.status,
                Registration.checked_in_at,
            )
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == ev.id)
        ).all()
    for rid, first, last, email, company, code, status, at in rows:
        name = f"{first} {last}".strip()
        index.add(rid, name, email, company, code, status, at is not None)
    return index


def search_guests(db: Database, event: str | int, text: str, limit: int = 20) -> list[SearchHit]:
    return build_index(db, event).search(text, limit)
