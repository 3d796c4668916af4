"""Names with no letters in them are found by typing the whole name."""

from __future__ import annotations

import pytest

from checkin.door.search import GuestIndex, search_guests
from tests.support.factories import event_with_guests, guest

SYMBOL_NAMES = [".", "\\", "(｡◕ ∀ ◕｡)", "(╯°□°）╯︵ ┻━┻)", "¯\\_(ツ)_/¯", "🚀"]


@pytest.mark.parametrize("name", SYMBOL_NAMES)
def test_a_symbol_only_name_is_found_by_the_whole_name(name):
    idx = GuestIndex()
    idx.add(1, "Anna Müller", "anna@example.org", "Kite", "C1")
    for i, other in enumerate(SYMBOL_NAMES, start=2):
        idx.add(i, other, None, None, f"C{i}")
    hits = idx.search(f"  {name} ")
    assert [h.name for h in hits][:1] == [name]
    assert len(hits) == 1 or _has_word(name)  # nothing else matches punctuation alone


def _has_word(name: str) -> bool:
    return any(ch.isalnum() or ch == "_" for ch in name)


def test_a_removed_symbol_name_is_no_longer_found_and_a_part_finds_nothing():
    idx = GuestIndex()
    idx.add(1, "(｡◕ ∀ ◕｡)", None, None, "C1")
    idx.add(2, "(｡◕ ∀ ◕｡)", None, None, "C2")  # two guests with one name: both
    assert [h.code for h in idx.search("(｡◕ ∀ ◕｡)")] == ["C1", "C2"]
    assert idx.search("◕") == []  # exact whole name only, not a fragment
    idx.remove(1)
    assert [h.code for h in idx.search("(｡◕ ∀ ◕｡)")] == ["C2"]
    idx.remove(2)
    assert idx.search("(｡◕ ∀ ◕｡)") == []


def test_symbol_names_are_found_in_the_database(db):
    event_with_guests(
        db,
        "Symbol Search",
        [guest(2, ".", "", ticket_code="S1"), guest(3, "\\", "", ticket_code="S2")],
    )
    assert [h.code for h in search_guests(db, "Symbol Search", ".")] == ["S1"]
    assert [h.code for h in search_guests(db, "Symbol Search", "\\")] == ["S2"]
