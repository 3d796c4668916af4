"""50,000 guests read correctly (how fast is measured by `make bench`, not asserted here)."""

from __future__ import annotations

import csv

from checkin.guestlist.reading import read_guest_list

ROWS = 50_000


def test_fifty_thousand_rows(tmp_path):
    path = tmp_path / "big_event.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(
            ["Order #", "Order Date", "First Name", "Last Name", "Email", "Ticket Type",
             "Attendee #", "Barcode #", "Attendee Status", "Is this your first time?",
             "Which topics interest you?", "Job Title", "Company"]
        )  # fmt: skip
        for i in range(ROWS):
            out.writerow(
                [9_000_000 + i // 3, "2025-05-01 10:00", f"Zoë{i}", f"Müller {i}",
                 f"guest{i // 3}@example.com", "Early Bird" if i % 7 else "Speaker",
                 17_000_000_000 + i, f"{i:025d}", "Not Attending" if i % 10 == 0 else "Attending",
                 "Yes" if i % 3 else "No", "AI | Hiring | ai" if i % 2 else "", "Engineer",
                 "Acme; Inc"]
            )  # fmt: skip
        out.writerow(["x", "", "", "", "not-an-email", "", "", f"{7:025d}", "", "", "", "", ""])

    guests = read_guest_list(path)

    assert guests.format == "eventbrite" and guests.delimiter == ";"
    assert len(guests.rows) == ROWS + 1
    last_good = guests.rows[ROWS - 1]
    assert last_good.row == ROWS + 1
    assert last_good.full_name == f"Zoë{ROWS - 1} Müller {ROWS - 1}"
    assert last_good.ticket_code == f"{ROWS - 1:025d}"
    assert last_good.interests == ("AI", "Hiring")
    assert sum(g.cancelled for g in guests.rows) == ROWS // 10
    # Exactly the three problems of the last row, nothing for the 50,000 good ones.
    assert [(p.row, p.column) for p in guests.problems] == [
        (ROWS + 2, "First Name"),
        (ROWS + 2, "Email"),
        (ROWS + 2, "Barcode #"),
    ]
    assert "already used in row 9" in guests.problems[2].message
