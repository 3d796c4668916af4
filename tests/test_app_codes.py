"""A mistyped app code says INVALID CODE (not NOT ON THE LIST): a character outside the alphabet,
a broken prefix, a character or two too few or too many. Other tools' codes stay unknown."""

from __future__ import annotations

from checkin.door.engine import check_in
from checkin.door.outcomes import OutcomeKind
from checkin.door.search import search_guests
from tests.support.factories import event_with_guests, guest

EVENT = "Code Night"


def _app_code(db) -> str:
    event_with_guests(
        db, EVENT, [guest(2, "No", "Ticket"), guest(3, "Has", "Ticket", ticket_code="EB-1234567")]
    )
    return search_guests(db, EVENT, "no ticket")[0].code


def test_mistyped_app_codes_are_invalid_not_unknown(db):
    code = _app_code(db)
    body = code[2:]
    typos = {
        "a character outside the alphabet": code[:6] + "U" + code[7:],
        "punctuation inside": code[:6] + "#" + code[7:],
        "a broken prefix": "WB" + body,
        "a prefix typed as VD": "VD" + body,
        "one character short": code[:-1],
        "two characters short": code[:-2],
        "one character too many": code + "7",
        "two characters too many": code + "7K",
        "a dropped character in the middle": code[:7] + code[8:],
    }
    seen = {why: check_in(db, EVENT, typo).kind for why, typo in typos.items()}
    assert seen == dict.fromkeys(typos, OutcomeKind.INVALID_CODE)
    assert check_in(db, EVENT, code).kind is OutcomeKind.CHECKED_IN  # the real one still works


def test_codes_of_other_shapes_are_still_not_on_the_list(db):
    _app_code(db)
    for other in ("EB-7654321", "424242", "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", "1234567890ABCD",
                  "W", "WD", "WD12"):  # fmt: skip
        assert check_in(db, EVENT, other).kind is OutcomeKind.UNKNOWN_CODE, other
