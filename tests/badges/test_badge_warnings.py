"""`checkin badges` tells an organiser which guests lost characters, once each, with a count."""

from __future__ import annotations

from checkin.cli.main import main
from tests.support.factories import event_with_guests, guest

HIEROGLYPH = "\U00013000"  # no bundled font has Egyptian hieroglyphs
EVENT = "Warning Night"


def test_one_line_per_guest_who_lost_characters_and_a_count(db, db_url, capsys, tmp_path):
    rows = [
        guest(2, f"Ra{HIEROGLYPH}", f"Sun{HIEROGLYPH}", ticket_code="W1", company=HIEROGLYPH),
        guest(3, "Anna", "Lindqvist", ticket_code="W2"),
        guest(4, f"Ptah{HIEROGLYPH}\u202e", "Maker", ticket_code="W3", job_title="🚀 ≈ ┌─┐"),
    ]
    event_with_guests(db, EVENT, rows)
    out = tmp_path / "badges.pdf"
    code = main(["--database", db_url, "badges", "-e", EVENT, "--out", str(out)])
    assert code == 0 and out.exists()
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    # Two guests lost the hieroglyph (in first name, full name and company): one line each,
    # the character once per guest, and a count. Emoji and symbols print: not reported.
    assert len(lines) == 3, lines
    ra = next(line for line in lines if "W1" in line)
    ptah = next(line for line in lines if "W3" in line)
    count = lines[-1]
    assert ra.count("U+13000") == 1 and f"Ra{HIEROGLYPH} Sun" in ra
    assert ptah.count("U+13000") == 1 and "\\u202e" in ptah  # no raw control
    assert "2 guests" in count
    assert not any("W2" in line or "U+1F680" in line for line in lines)


def test_a_warning_every_badge_shares_is_said_once_and_the_others_name_the_guest():
    from types import SimpleNamespace

    from checkin.cli.badges_cmd import summarise_dropped

    items = [
        SimpleNamespace(code=f"C{i}", badge=SimpleNamespace(full_name=f"Guest {i}"))
        for i in range(1, 6)
    ]
    logo = "logo /x.png could not be read; left off"
    warnings = [f"badge {i}: {logo}" for i in range(1, 6)]
    warnings += ["badge 2: job title: left off, no room on this badge", "C9: cancelled, no badge"]
    assert summarise_dropped(warnings, items) == [
        f"{logo} (on 5 badges)",
        "C2 Guest 2: job title: left off, no room on this badge",
        "C9: cancelled, no badge",
    ]
