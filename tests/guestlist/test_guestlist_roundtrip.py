"""Property: whatever guests a spreadsheet or script writes with csv.writer read back the same."""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkin.guestlist.cleaning import clean_text
from checkin.guestlist.reading import read_guest_list

# Characters a guest list really contains, including the troublemakers for CSV: every
# delimiter, quotes, apostrophes and line breaks inside a value.
_PUNCTUATION = st.sampled_from([",", ";", "\t", '"', "'", "\n", " ", "-", ".", "&", "(", ")"])
_ANY_TEXT = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85"
)
# Windows-1252 letters, all >= 0xC0: two of them can never look like a UTF-8 sequence, so a
# Windows-1252 file of these is never mistaken for UTF-8 (Œ, Š, Ÿ ... could be; see report).
_CP1252_LETTERS = st.sampled_from("abcXYZäöüßÄÖÜéèêàçñøåæÉÈÀÇÑØÅÆëïîôûÿ")
# BOM-less UTF-16 is recognised by its NUL bytes, which only Latin-1 text has in every pair.
_LATIN1 = st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f\x85")

ENCODINGS = {
    "utf-8": st.one_of(_ANY_TEXT, _PUNCTUATION),
    "utf-8-sig": st.one_of(_ANY_TEXT, _PUNCTUATION),
    "cp1252": st.one_of(_CP1252_LETTERS, _PUNCTUATION),
    "utf-16": st.one_of(_ANY_TEXT, _PUNCTUATION),  # with a byte-order mark
    "utf-16-le": st.one_of(_LATIN1, _PUNCTUATION),  # without one
}


def value(alphabet):
    # The reader strips whitespace around values, so generate them already stripped; control
    # characters are cleaned on the way in (cleaning.py), so compare with the cleaned value.
    return st.text(alphabet, min_size=1, max_size=12).map(str.strip).filter(clean_text)


@st.composite
def guest_lists(draw):
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    alphabet = ENCODINGS[encoding]
    code = st.text("ABCDEFGHJKabcdefgh0123456789-", min_size=1, max_size=10)
    guests = draw(
        st.lists(
            st.tuples(value(alphabet), value(alphabet), code),
            min_size=1,
            max_size=15,
            unique_by=lambda g: g[2],
        )
    )
    return encoding, delimiter, guests


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guest_lists())
def test_written_guests_read_back_the_same(case):
    encoding, delimiter, guests = case
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["First name", "Last name", "Ticket code"])
    writer.writerows(guests)
    data = buffer.getvalue().encode(encoding)
    if encoding == "utf-16-le":
        assert not data.startswith(codecs.BOM_UTF16_LE)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "guests.csv"
        path.write_bytes(data)
        read = read_guest_list(path)

    assert read.ok, read.problems
    assert read.delimiter == delimiter
    assert read.format == "generic"
    expected = [(clean_text(first), clean_text(last), code) for first, last, code in guests]
    assert [(g.first_name, g.last_name, g.ticket_code) for g in read.rows] == expected
    assert [g.row for g in read.rows] == list(range(2, len(guests) + 2))
