"""Finding guests without their code."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checkin.door.search import GuestIndex, search_guests
from tests.support.factories import event_with_guests, guest

EVENT = "Search Night"


def _index() -> GuestIndex:
    idx = GuestIndex()
    people = [
        (1, "José Álvarez", "jose@example.org", "Harbour Bank"),
        (2, "Anna Müller", "anna.mueller@example.org", "Kite Analytics"),
        (3, "Joseph Brown", "jb@example.org", "Northwind Legal"),
        (4, "Zoë Ångström", "zoe@example.org", "Müller & Sons"),
        (5, "Chen Wei", "wei.chen@example.org", "Nimbus Cloud"),
        (6, "Annabel Lee", "annabel@example.org", "Pixel & Pine"),
    ]
    for rid, name, email, company in people:
        idx.add(rid, name, email, company, f"C{rid}")
    return idx


def names(hits) -> list[str]:
    return [h.name for h in hits]


def test_accent_and_case_insensitive():
    idx = _index()
    assert names(idx.search("jose"))[0] == "José Álvarez"
    assert names(idx.search("ZOE ANGSTROM")) == ["Zoë Ångström"]


def test_typo_tolerant():
    idx = _index()
    assert names(idx.search("mullr"))[0] == "Anna Müller"
    assert "Zoë Ångström" in names(idx.search("angstrm"))


def test_partial_and_ranked_names_before_companies():
    idx = _index()
    hits = names(idx.search("mull"))
    assert hits[0] == "Anna Müller"  # the name matches; Zoë's company matches less well
    assert "Zoë Ångström" in hits
    assert names(idx.search("ann"))[:2] == ["Anna Müller", "Annabel Lee"]


def test_several_words_must_all_match():
    idx = _index()
    assert names(idx.search("anna kite")) == ["Anna Müller"]
    assert idx.search("anna nimbus") == []


def test_email_and_code():
    idx = _index()
    assert names(idx.search("wei.chen@example.org"))[0] == "Chen Wei"
    assert names(idx.search("C3")) == ["Joseph Brown"]


def test_remove_and_update():
    idx = _index()
    idx.remove(2)
    assert "Anna Müller" not in names(idx.search("anna"))
    idx.add(2, "Anna Schmidt", None, None, "C2")
    assert names(idx.search("schmidt")) == ["Anna Schmidt"]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=30))
def test_any_query_is_safe(text):
    _index().search(text)  # never raises, whatever is typed


def test_search_against_the_database(db):
    event_with_guests(
        db, EVENT, [guest(2, "José", "García", company="Atlas"), guest(3, "Jo", "Smith")]
    )
    hits = search_guests(db, EVENT, "garcia")
    assert [h.name for h in hits] == ["José García"] and hits[0].company == "Atlas"


def test_an_empty_list_finds_nothing_without_failing():
    assert GuestIndex().search("anna") == []


def test_codes_that_differ_only_by_case_find_their_own_guest():
    idx = GuestIndex()
    idx.add(1, "Ann One", None, None, "abcDEF123")
    idx.add(2, "Bob Two", None, None, "ABCdef123")
    assert idx.search("ABCdef123")[0].name == "Bob Two"
    assert idx.search("abcDEF123")[0].name == "Ann One"


def _big_index(n: int = 300) -> GuestIndex:
    names = [f"{first} {last}" for first in ("Sam", "Sara", "Sven") for last in range(n // 3)]
    return GuestIndex.from_records(
        (i + 1, f"{name}", f"x{i}@example.org", "Acme", f"K{i}", "registered", False)
        for i, name in enumerate(reversed(names))
    )


def test_a_short_fragment_matching_many_guests_gives_the_first_by_name():
    idx = _big_index()
    hits = names(idx.search("s", limit=5))
    assert hits == sorted(hits) and hits[0] == "Sam 0"
    assert len(hits) == 5


def test_a_guest_added_after_the_index_was_built_is_ranked_by_name_too():
    idx = _big_index()
    idx.add(9999, "Saba Aaronson", None, None, "NEW")
    assert names(idx.search("s", limit=3))[0] == "Saba Aaronson"
    idx.remove(9999)
    assert "Saba Aaronson" not in names(idx.search("saba"))


def test_the_index_remembers_check_ins_and_statuses_by_guest():
    idx = _big_index(30)
    idx.add(500, "Nina Cancelled", None, None, "NC", "cancelled", False)
    idx.set_checked_in(500, True)
    (hit,) = idx.search("nina")
    assert (hit.status, hit.checked_in, hit.registration_id) == ("cancelled", True, 500)
    assert idx.search("NC")[0].registration_id == 500
    assert len(idx) == 31


def test_two_letters_swapped_in_a_short_name_is_one_typo():
    idx = _index()
    assert names(idx.search("cehn"))[0] == "Chen Wei"  # 4 letters: one edit allowed
