"""The words under the search index, laid out for each way a query word can match one.

Each field's words are kept sorted (the words starting with a fragment are a range of them),
with the first guest of each (see ``GuestIndex._first_by_prefix``). The name and company
words are also kept side by side in one string, for inside-a-word search at C speed, and by
length, for typo search. Words added since the last sort wait in a small set.
"""

from __future__ import annotations

import bisect
import re
from array import array

from rapidfuzz import process
from rapidfuzz.distance import OSA

from checkin.door.search_store import Postings, first_slot

NAME, EMAIL, COMPANY = 0, 1, 2
RESORT_AFTER = 2_000  # new words before the sorted vocabulary is rebuilt
NO_SLOT = 2**31 - 1  # the first slot of a word no guest has any more


class Vocabulary:
    def __init__(self, fields: tuple[Postings, ...]) -> None:
        self._fields = fields
        self.sorted: tuple[tuple[str, ...], ...] = ((), (), ())  # each field's words
        self.firsts = (array("i"), array("i"), array("i"))  # each sorted word's first slot
        self._blob = ""  # name and company words, one a line
        self._offsets = array("i")  # where each of them starts in the blob
        self._fuzzy: tuple[str, ...] = ()  # the same words, sorted
        self._by_length: dict[int, tuple[str, ...]] = {}
        # Each word, and it with each letter taken out, hashed and sorted (beside: the word)
        self._deleted_keys = array("q")
        self._deleted_words = array("i")
        self._new: tuple[set[str], ...] = (set(), set(), set())  # since the sort

    def note_new(self, field: int, word: str) -> None:
        self._new[field].add(word)

    def stale(self) -> bool:
        return sum(map(len, self._new)) > RESORT_AFTER

    def known(self, word: str) -> bool:
        return any(word in f.words for f in self._fields)

    def prefix_range(self, field: int, token: str) -> tuple[int, int]:
        """Where the sorted words of ``field`` starting with ``token`` (longer) are."""
        vocab = self.sorted[field]
        lo = bisect.bisect_right(vocab, token)
        return lo, bisect.bisect_left(vocab, token + "\U0010ffff", lo)

    def prefixed(self, field: int, token: str) -> list[str]:
        """Words of one field that start with ``token`` (longer than it)."""
        lo, hi = self.prefix_range(field, token)
        words = list(self.sorted[field][lo:hi])
        return words + [w for w in self._new[field] if w.startswith(token) and w != token]

    def inside(self, token: str) -> list[str]:
        """Name and company words with ``token`` inside (not at the start)."""
        found: dict[str, None] = {}
        for m in re.finditer(re.escape(token), self._blob):
            word = self._fuzzy[bisect.bisect_right(self._offsets, m.start()) - 1]
            if not word.startswith(token):
                found[word] = None
        for word in self._new[NAME] | self._new[COMPANY]:
            if token in word and not word.startswith(token):
                found[word] = None
        return list(found)

    def typos(self, token: str, most_edits: int = 2) -> dict[int, list[str]]:
        """Name and company words a few edits from ``token``, by distance (50 at most).
        One edit away is looked up (``_one_edit``); two edits are looked for only when no
        word is one away, reading every word of about the token's length (tens of thousands
        at a million guests)."""
        # One edit for short words, two for longer; two letters swapped count as one edit
        # ("mlluer"), as people type them (optimal string alignment, not plain Levenshtein).
        found: list[tuple[int, str]] = []
        for most in range(1, min(edits(token), most_edits) + 1):
            if most == 1:
                found += ((1, word) for word in self._one_edit(token))
            else:
                for n in range(len(token) - most, len(token) + most + 1):
                    if words := self._by_length.get(n):
                        found += (
                            (int(distance), word)
                            for word, distance, _ in process.extract_iter(
                                token, words, scorer=OSA.distance, score_cutoff=most
                            )
                        )
            for word in self._new[NAME] | self._new[COMPANY]:
                if (distance := OSA.distance(token, word, score_cutoff=most)) <= most:
                    found.append((distance, word))
            found = [(d, w) for d, w in found if w != token]
            if found:
                break
        by_distance: dict[int, list[str]] = {}
        for distance, word in sorted(set(found))[:50]:
            by_distance.setdefault(distance, []).append(word)
        return by_distance

    def _one_edit(self, token: str) -> list[str]:
        """The sorted name and company words one edit from ``token`` (a letter missing,
        added, wrong, or two swapped): such a word and the token share a key, the word or
        the token or either with one letter taken out (hashed, checked after)."""
        keys, ids, words = self._deleted_keys, self._deleted_words, self._fuzzy
        near: set[int] = set()
        for key in map(hash, _deletions(token)):
            i = bisect.bisect_left(keys, key)
            while i < len(keys) and keys[i] == key:
                near.add(ids[i])
                i += 1
        return [
            words[i]
            for i in near
            if words[i] != token and OSA.distance(token, words[i], score_cutoff=1) <= 1
        ]

    def refresh_first(self, field: int, word: str) -> None:
        """After a guest left ``word``: its first slot again."""
        vocab = self.sorted[field]
        i = bisect.bisect_left(vocab, word)
        if i < len(vocab) and vocab[i] == word:
            found = self._fields[field].get(word)
            self.firsts[field][i] = found[0] if found else NO_SLOT

    def sort(self) -> None:
        # Tuples of words, not lists: the collector stops walking them after one look.
        self.sorted = tuple(tuple(sorted(f.words)) for f in self._fields)
        self.firsts = tuple(
            array("i", map(first_slot, map(f.words.get, v)))
            for f, v in zip(self._fields, self.sorted, strict=True)
        )
        fuzzy = sorted(set(self.sorted[NAME]).union(self.sorted[COMPANY]))
        self._blob = "\n".join(fuzzy)
        # Fresh copies, side by side in memory: typo search reads every word of a length,
        # and the words as added lay scattered among a million guests'.
        self._fuzzy = tuple(self._blob.split("\n")) if fuzzy else ()
        self._offsets = array("i")
        pos = 0
        by_length: dict[int, list[str]] = {}
        for word in self._fuzzy:
            self._offsets.append(pos)
            pos += len(word) + 1
            by_length.setdefault(len(word), []).append(word)
        self._by_length = {n: tuple(words) for n, words in by_length.items()}
        pairs = sorted(
            (hash(key), i) for i, word in enumerate(self._fuzzy) for key in _deletions(word)
        )
        self._deleted_keys = array("q", [k for k, _ in pairs])
        self._deleted_words = array("i", [i for _, i in pairs])
        self._new = (set(), set(), set())


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def edits(token: str) -> int:
    """How many edits a query word may be from a guest's word."""
    return 1 if len(token) <= 5 else 2
