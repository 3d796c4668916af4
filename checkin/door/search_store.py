"""Compact storage under the search index: a few bytes a guest, not a few objects.

A guest lives in a *slot*: one string holding name, email, company and code, one byte of
state, and its registration id in an array. Registration ids and codes are found through
open-addressing tables over integer arrays (12 to 24 bytes a guest each) instead of dicts of
strings and ints (over 100 bytes a guest each at a million guests).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Iterator

_EMPTY, _GONE = -1, -2
SEP = "\x1f"  # between the fields of a guest's text (never typed)


class SlotTable:
    """key → slots, in an array. Keys are ints (hashes may collide: ``matches`` checks)."""

    def __init__(self, matches: Callable[[int, object], bool]) -> None:
        self._matches = matches
        self._table = array("i", [_EMPTY]) * 8  # slot, or empty / gone
        self._keys = array("q", [0]) * 8
        self._used = 0

    def reserve(self, n: int) -> None:
        """Room for ``n`` guests at once (no growing while a big list is added)."""
        if (self._used + n) * 2 > len(self._table):
            self._grow(self._used + n)

    def _start(self, key: int) -> int:
        return (key * 0x9E3779B1) & (len(self._table) - 1)

    def add(self, key: int, slot: int) -> None:
        if (self._used + 1) * 2 > len(self._table):
            self._grow()
        mask = len(self._table) - 1
        i = self._start(key)
        while self._table[i] >= 0:
            i = (i + 1) & mask
        if self._table[i] == _EMPTY:
            self._used += 1
        self._table[i], self._keys[i] = slot, key

    def find(self, key: int, value: object) -> Iterator[int]:
        """Every slot stored under ``key`` whose guest really has ``value``."""
        mask = len(self._table) - 1
        i = self._start(key)
        while (slot := self._table[i]) != _EMPTY:
            if slot >= 0 and self._keys[i] == key and self._matches(slot, value):
                yield slot
            i = (i + 1) & mask

    def remove(self, key: int, slot: int) -> None:
        mask = len(self._table) - 1
        i = self._start(key)
        while (found := self._table[i]) != _EMPTY:
            if found == slot and self._keys[i] == key:
                self._table[i] = _GONE
                return
            i = (i + 1) & mask

    def _grow(self, room: int = 0) -> None:
        old = [(k, s) for k, s in zip(self._keys, self._table, strict=True) if s >= 0]
        size = len(self._table) * 2
        while max(len(old), room) * 2 > size:
            size *= 2
        self._table = array("i", [_EMPTY]) * size
        self._keys = array("q", [0]) * size
        self._used = 0
        for key, slot in old:
            self.add(key, slot)


def int_key(text: str) -> int:
    """A signed 63-bit key for a string (Python's hash, stable within one process)."""
    return hash(text) >> 1


class Postings:
    """word → the slots of its guests, ascending, packed 4 bytes a slot.

    Only str and bytes are kept, never arrays, lists or ints: the garbage collector does not
    walk such a dict, where a dict of arrays it walks whole at every full collection (over
    100 ms at 200k guests, felt as a stall of the search box or the door); and the postings
    of many words join into one buffer at C speed (``bag``). Adding to a word copies it:
    cheap for a walk-in; a big list is built in bulk (``add(..., bulk=True)``, ``finish``).
    """

    def __init__(self) -> None:
        self.words: dict[str, bytes] = {}
        self._growing: dict[str, array] = {}  # in bulk: the words with more than one guest

    def add(self, word: str, slot: int, *, bulk: bool = False) -> bool:
        """Returns True when the word is new to this field. Slots only grow, so each word's
        slots stay sorted. In bulk, ``finish`` must follow before the words are read."""
        found = self.words.get(word)
        if found is None:
            self.words[word] = _pack(slot)
            return True
        if bulk:
            if (growing := self._growing.get(word)) is None:
                growing = self._growing[word] = array("i")
                growing.frombytes(found)
            if growing[-1] != slot:
                growing.append(slot)
        elif first_slot(found[-4:]) != slot:
            self.words[word] = found + _pack(slot)
        return False

    def finish(self) -> None:
        """Packs what ``add(..., bulk=True)`` gathered (a new dict: one the collector never
        tracked)."""
        growing, self._growing = self._growing, {}
        words = self.words
        self.words = {w: (g.tobytes() if (g := growing.get(w)) else b) for w, b in words.items()}

    def remove(self, word: str, slot: int) -> None:
        found = self.words.get(word)
        if found is None:
            return
        rest = array("i")
        rest.frombytes(found)
        if slot in rest:
            rest.remove(slot)
            if rest:
                self.words[word] = rest.tobytes()
            else:
                del self.words[word]

    def get(self, word: str) -> memoryview | None:
        """The word's slots, ascending."""
        found = self.words.get(word)
        return None if found is None else memoryview(found).cast("i")

    def bag(self, words: Iterable[str]) -> memoryview:
        """The slots of all these words (unordered, a guest once a word)."""
        return memoryview(b"".join(filter(None, map(self.words.get, words)))).cast("i")


def first_slot(packed: bytes) -> int:
    return int.from_bytes(packed[:4], sys.byteorder, signed=True)


def _pack(slot: int) -> bytes:
    return slot.to_bytes(4, sys.byteorder, signed=True)
