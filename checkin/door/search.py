"""Finding a guest without their code: partial, case- and accent-insensitive, typo-tolerant.

The index holds the folded words of every guest's name, email and company. A query is
split into words; each must match a word of the guest: exactly, as a prefix, inside it, or
(for words of 3+ letters) within a small edit distance ("mullr" finds Müller). Guests are
ranked by how well their words matched, names before companies, then alphabetically.

Sized for a big conference (``make bench``: a million guests): guests sit in compact slots
(search_store.py), in name order when the index is built from a list, so the best few of a
huge match ("a") are read off sorted postings without scoring every guest. Inside-a-word
and typo matching run over the words of names and companies only: an email's own part
("j.smith82") is unique to each guest and found exactly or by its start.
"""

from __future__ import annotations

import bisect
import heapq
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from checkin.door.search_store import SEP, Postings, SlotTable, int_key
from checkin.door.search_words import COMPANY, EMAIL, NAME, Vocabulary, edits
from checkin.events import find_event
from checkin.store.db import Database
from checkin.store.models import Person, Registration
from checkin.text import fold

_WORD = re.compile(r"\w+")
_FIELD_WEIGHT = {NAME: 1.0, EMAIL: 0.8, COMPANY: 0.7}
# How well a query word matched a guest's word (0-100).
EXACT, PREFIX, INSIDE, TYPO = 100.0, 92.0, 80.0, 80.0
ENOUGH_WORDS = 5  # with this many real matches, typo search would only add noise
CODE = 3
COMMON_WORD = 1_000  # guests found by a query word as typed, beyond which it is no typo
MANY_WORDS = 64  # words starting with a fragment, beyond which their postings are not merged


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


GuestRecord = tuple  # (registration id, name, email, company, code, status, checked in)


class GuestIndex:
    """In-memory search index of one event's guests; ``add``/``remove`` keep it current."""

    def __init__(self) -> None:
        # Every slot's name SEP email SEP company SEP code, in UTF-8, one after the other:
        # no object a guest for the garbage collector to walk (see search_store.Postings).
        self._text = bytearray()
        self._text_at = array("q", [0])  # where each slot's text starts; last: the end
        self._rids = array("q")
        self._state = bytearray()  # bit 0: checked in; the rest: index into _statuses
        self._statuses = ["registered"]
        self._by_rid = SlotTable(lambda slot, rid: self._rids[slot] == rid)
        self._by_code = SlotTable(lambda slot, code: fold(self._field(slot, CODE)) == code)
        self._fields = (Postings(), Postings(), Postings())  # NAME, EMAIL, COMPANY
        self._symbol_names: dict[str, list[int]] = {}  # names with no word: ".", "🚀"
        self._live = 0
        self._name_ordered = 0  # slots below this are in name order (see from_records)
        self._words = Vocabulary(self._fields)

    @classmethod
    def from_records(cls, records: Iterable[GuestRecord]) -> GuestIndex:
        """An index of many guests at once, stored in name order (what ranking needs)."""
        index = cls()
        keyed = sorted(((fold(r[1]), r[0]), r) for r in records)
        index._by_rid.reserve(len(keyed))
        index._by_code.reserve(len(keyed))
        for (folded_name, _), record in keyed:
            index._add(*record, folded_name=folded_name, bulk=True)
        for postings in index._fields:
            postings.finish()
        index._name_ordered = len(index._rids)
        index._words.sort()
        return index

    def __len__(self) -> int:
        return self._live

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
        self._add(registration_id, name, email, company, code, status, checked_in)

    def _add(
        self,
        registration_id: int,
        name: str,
        email: str | None,
        company: str | None,
        code: str,
        status: str,
        checked_in: bool,
        *,
        folded_name: str | None = None,
        bulk: bool = False,
    ) -> None:
        slot = len(self._rids)
        self._text += SEP.join((name, email or "", company or "", code)).encode()
        self._text_at.append(len(self._text))
        self._rids.append(registration_id)
        self._state.append(self._state_byte(status, checked_in))
        self._by_rid.add(registration_id, slot)
        self._by_code.add(int_key(fold(code)), slot)
        self._live += 1
        has_word = False
        folded = (folded_name if folded_name is not None else fold(name), fold(email or ""))
        for field, text in ((NAME, folded[0]), (EMAIL, folded[1]), (COMPANY, fold(company or ""))):
            for word in set(_WORD.findall(text)):
                new = self._fields[field].add(word, slot, bulk=bulk)
                has_word |= field == NAME
                if new and not bulk:  # in bulk, the vocabulary is sorted after
                    self._words.note_new(field, word)
        if not has_word:
            self._symbol_names.setdefault(_whole(name), []).append(slot)

    def remove(self, registration_id: int) -> None:
        slot = self._slot(registration_id)
        if slot is None:
            return
        name, email, company, code = self._text_of(slot).split(SEP)
        for field, text in ((NAME, name), (EMAIL, email), (COMPANY, company)):
            for word in set(_WORD.findall(fold(text))):
                self._fields[field].remove(word, slot)
                self._words.refresh_first(field, word)
        if (same := self._symbol_names.get(_whole(name))) and slot in same:
            same.remove(slot)
            if not same:
                del self._symbol_names[_whole(name)]
        self._by_rid.remove(registration_id, slot)
        self._by_code.remove(int_key(fold(code)), slot)  # the slot's text stays, unread
        self._live -= 1

    def set_checked_in(self, registration_id: int, checked_in: bool) -> None:
        if (slot := self._slot(registration_id)) is not None:
            self._state[slot] = (self._state[slot] & ~1) | int(checked_in)

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        stripped = text.strip()
        folded = fold(stripped)
        if folded and (by_code := list(self._by_code.find(int_key(folded), folded))):
            exact = [s for s in by_code if self._field(s, CODE) == stripped]
            return [self._hit(exact[0] if exact else by_code[0], 100.0)]  # a code first
        tokens = _WORD.findall(folded)
        if not tokens:  # only symbols or punctuation: the whole name, exactly
            found = self._symbol_names.get(_whole(stripped), [])
            return [self._hit(s, EXACT) for s in self._in_name_order(found)[:limit]]
        if self._words.stale():
            self._words.sort()
        if len(tokens) == 1:
            return self._best_of_levels(tokens[0], limit)
        return self._best_of_all(tokens, limit)

    # -- one query word -----------------------------------------------------------------

    def _levels(
        self,
        token: str,
        more: Callable[[], bool] = lambda: True,
        *,
        typos: bool | None = None,
        as_typed: bool = True,
        most_edits: int = 2,
    ) -> Iterator[tuple[float, int, bool, list[str]]]:
        """(score, field, by prefix?, words) for one query word, best score first, built
        lazily: a short fragment rarely needs more than the names that start with it.
        Typos are looked for when few words match as typed, unless ``typos`` says."""
        inside = self._words.inside(token) if len(token) >= 3 and as_typed else []
        kinds: list[tuple[float, Callable[[int], list[str]]]] = []
        if as_typed:
            kinds += [
                (EXACT, lambda field: [token]),
                (PREFIX, lambda field: self._words.prefixed(field, token)),
                (INSIDE, lambda field: inside),
            ]
        if typos is None and len(token) >= 3:
            matched = len(inside) + self._words.known(token)
            for field in (NAME, EMAIL, COMPANY):
                if matched >= ENOUGH_WORDS:
                    break
                matched += len(self._words.prefixed(field, token))
            typos = matched < ENOUGH_WORDS  # nothing much matches as typed: a typo?
        if typos and len(token) >= 3:
            found: list[dict[int, list[str]]] = []  # looked for once, when first read

            def typo_words(distance: int) -> list[str]:
                if not found:
                    found.append(self._words.typos(token, most_edits))
                return found[0].get(distance, [])

            for distance in range(1, edits(token) + 1):
                kinds.append((TYPO - 12.0 * distance, lambda field, d=distance: typo_words(d)))
        scored = sorted(
            (
                (quality * _FIELD_WEIGHT[field], field, i)
                for i, (quality, _) in enumerate(kinds)
                for field in (NAME, EMAIL, COMPANY)
            ),
            key=lambda t: -t[0],
        )
        for score, field, i in scored:
            if not more():  # the caller has all it needs: read no further
                return
            yield score, field, as_typed and i == 1, kinds[i][1](field)

    def _postings(self, field: int, words: list[str]) -> list:
        get = self._fields[field].get
        return [p for w in words if (p := get(w)) is not None]

    def _best_of_levels(self, token: str, limit: int) -> list:
        """The best ``limit`` guests for one query word, reading as little as it can."""
        picked: dict[int, float] = {}
        for score, field, by_prefix, words in self._levels(token, lambda: len(picked) < limit):
            need = limit - len(picked)
            if by_prefix and len(words) > MANY_WORDS:  # "s": thousands of words start so
                group = self._first_by_prefix(field, token, need + len(picked))
                group.difference_update(picked)
                for s in self._in_name_order(group)[:need]:
                    picked[s] = score
                continue
            lists = self._postings(field, words)
            if not lists:
                continue
            if sum(len(p) for p in lists) <= 4 * limit:
                group = {s for p in lists for s in p if s not in picked}
            else:  # the first few in name order, of a sorted merge, and any added since
                group = set()
                for s in heapq.merge(*lists):
                    if s >= self._name_ordered or len(group) >= need:
                        break
                    if s not in picked:
                        group.add(s)
                for p in lists:
                    if p[-1] >= self._name_ordered:  # guests added since the index was built
                        tail = p[bisect.bisect_left(p, self._name_ordered) :]
                        group.update(s for s in tail if s not in picked)
            for s in self._in_name_order(group)[:need]:
                picked[s] = score
        return self._ranked(picked, 1, limit)

    # -- several query words: each must match ---------------------------------------------

    def _best_of_all(self, tokens: list[str], limit: int) -> list:
        """Guests matching every query word. Typos are looked for when the words as typed
        find fewer guests than asked for, for the words that find few (typing "Agnieszka",
        found by thousands, is no typo); when they find some guests, only one edit away and
        only for the words no guest has whole. Each look for typos reads every name word of
        about the word's length: tens of thousands at a million guests."""
        levels = [self._all_levels(t, typos=False) for t in tokens]
        totals = _matching_all(levels)
        if len(totals) < limit:
            known = self._words.known if totals else lambda token: False
            for i, token in enumerate(tokens):
                if len(token) >= 3 and _guests(levels[i]) < COMMON_WORD and not known(token):
                    more = self._all_levels(
                        token, typos=True, as_typed=False, most_edits=2 if not totals else 1
                    )
                    levels[i] = sorted(levels[i] + more, key=lambda level: -level[0])
            totals = _matching_all(levels)
        return self._ranked(totals, len(tokens), limit)

    def _all_levels(self, token: str, **which: Any) -> list[tuple[float, memoryview]]:
        return [
            (score, bag)
            for score, field, _, words in self._levels(token, **which)
            if (bag := self._fields[field].bag(words))
        ]

    def _first_by_prefix(self, field: int, token: str, n: int) -> set[int]:
        """The first ``n`` guests in name order with a word of ``field`` starting with
        ``token`` (not equal to it), reading a few postings, not one for each such word:
        a guest's slot is its place in name order, so the answer is the ``n`` smallest slots
        of the words' postings, all at most the ``n``-th smallest of the words' first slots.
        Guests added since the index was built (not in name order) are all looked at."""
        vocab, firsts = self._words.sorted[field], self._words.firsts[field]
        lo, hi = self._words.prefix_range(field, token)
        ordered = self._name_ordered
        smallest = sorted(set(firsts[lo:hi]))[:n]
        group: set[int] = set()
        if smallest and smallest[0] < ordered:
            top = min(smallest[-1], ordered - 1)
            get = self._fields[field].get
            for i in range(lo, hi):
                if firsts[i] <= top and (p := get(vocab[i])) is not None:
                    group.update(p[: bisect.bisect_right(p, top)])
        for slot in range(ordered, len(self._rids)):
            if self._slot(self._rids[slot]) == slot and any(
                w.startswith(token) and w != token
                for w in _WORD.findall(fold(self._field(slot, field)))
            ):
                group.add(slot)
        return group

    # -- ranking and hits -------------------------------------------------------------------

    def _ranked(self, scores: dict[int, float], words: int, limit: int) -> list[SearchHit]:
        by_score: dict[float, list[int]] = {}
        for s, score in scores.items():
            by_score.setdefault(score, []).append(s)
        hits: list[SearchHit] = []
        for score in sorted(by_score, reverse=True):
            group = by_score[score]
            if len(group) > limit - len(hits):
                base = heapq.nsmallest(
                    limit - len(hits), (s for s in group if s < self._name_ordered)
                )
                group = base + [s for s in group if s >= self._name_ordered]
            for s in self._in_name_order(group)[: limit - len(hits)]:
                hits.append(self._hit(s, score / words))
            if len(hits) >= limit:
                break
        return hits

    def _in_name_order(self, slots: Iterable[int]) -> list[int]:
        return sorted(slots, key=lambda s: (fold(self._field(s, NAME)), self._rids[s]))

    def _hit(self, slot: int, score: float) -> SearchHit:
        name, email, company, code = self._text_of(slot).split(SEP)
        state = self._state[slot]
        return SearchHit(
            self._rids[slot],
            name,
            email or None,
            company or None,
            code,
            self._statuses[state >> 1],
            bool(state & 1),
            score,
        )

    # -- storage -------------------------------------------------------------------------------

    def _slot(self, registration_id: int) -> int | None:
        return next(self._by_rid.find(registration_id, registration_id), None)

    def _text_of(self, slot: int) -> str:
        return self._text[self._text_at[slot] : self._text_at[slot + 1]].decode()

    def _field(self, slot: int, field: int) -> str:
        return self._text_of(slot).split(SEP)[field]

    def _state_byte(self, status: str, checked_in: bool) -> int:
        if status not in self._statuses:
            self._statuses.append(status)
        return (self._statuses.index(status) << 1) | int(checked_in)


def _guests(levels: list[tuple[float, memoryview]]) -> int:
    return sum(len(bag) for _, bag in levels)


def _matching_all(levels: list[list[tuple[float, memoryview]]]) -> dict[int, float]:
    """slot → summed score, of the guests found by each word's levels (best first)."""
    levels = sorted(levels, key=_guests)
    totals: dict[int, float] = {}
    for score, bag in levels[0]:  # the rarest word first: the fewest guests to score
        totals.update(dict.fromkeys(set(bag).difference(totals), score))
    for other in levels[1:]:
        scored: dict[int, float] = {}
        for score, bag in other:
            for s in (totals.keys() & bag).difference(scored):
                scored[s] = totals[s] + score
        totals = scored
        if not totals:
            break
    return totals


def _whole(name: str) -> str:
    return " ".join(fold(name).split())


def build_index(db: Database, event: str | int) -> GuestIndex:
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
    return GuestIndex.from_records(
        (rid, f"{first} {last}".strip(), email, company, code, status, at is not None)
        for rid, first, last, email, company, code, status, at in rows
    )


def search_guests(db: Database, event: str | int, text: str, limit: int = 20) -> list[SearchHit]:
    return build_index(db, event).search(text, limit)
