"""The sample exports in tests/data/guestlists read the way an organiser would check them."""

from __future__ import annotations

from pathlib import Path

from checkin.guestlist.reading import read_guest_list

DATA = Path(__file__).resolve().parent.parent / "data" / "guestlists"


def by_name(guests):
    return {g.full_name: g for g in guests.rows}


def test_eventbrite_attendee_report():
    guests = read_guest_list(DATA / "eventbrite_attendee_report.csv")

    assert guests.ok, guests.problems
    assert (guests.format, guests.encoding, guests.delimiter) == ("eventbrite", "utf-8", ",")
    assert guests.mapping["ticket_code"] == "Barcode #"
    assert guests.mapping["external_id"] == "Attendee #"
    assert [g.full_name for g in guests.rows] == [
        "Amara Okafor",
        "Lukas Brenner",
        "Sofia Brenner",
        "Mei Tanaka",
        "Daniel O'Brien",
        "Chiara Rossi",
    ]
    people = by_name(guests)
    amara = people["Amara Okafor"]
    # Barcodes stay exactly as Eventbrite printed them: a string with its leading zero.
    assert amara.ticket_code == "0105871234561701192340001"
    assert amara.external_id == "17011923401"
    assert amara.ticket_type == "General Admission"
    assert (amara.company, amara.job_title) == ("Kaleido Labs", "Founder")
    assert amara.first_time is True
    assert amara.interests == ("Fundraising", "Hiring")
    # One buyer registered a colleague with her own address: same email twice is fine.
    assert people["Lukas Brenner"].email == people["Sofia Brenner"].email == "l.brenner@example.com"
    assert people["Lukas Brenner"].interests == ("Product", "Design")
    assert people["Lukas Brenner"].is_host is True
    assert people["Sofia Brenner"].cancelled is False  # "Checked In"
    assert people["Mei Tanaka"].cancelled is True  # "Not Attending"
    assert people["Daniel O'Brien"].cancelled is True  # "Deleted"
    assert people["Daniel O'Brien"].first_time is None
    assert not people["Chiara Rossi"].cancelled


def test_meetup_rsvp_export():
    guests = read_guest_list(DATA / "meetup_rsvps.csv")

    assert guests.ok, guests.problems
    assert guests.format == "meetup"
    people = by_name(guests)
    assert set(people) == {"Priya S.", "Jonas Weber", "Ana Lucía Pérez", "Tom", "Grace Mwangi"}
    jonas = people["Jonas Weber"]
    assert (jonas.first_name, jonas.last_name) == ("Jonas", "Weber")
    assert jonas.external_id == "298765432"
    assert jonas.ticket_code is None  # Meetup has no tickets: the app issues codes
    assert jonas.first_time is True
    assert people["Tom"].first_name == "Tom" and people["Tom"].last_name == ""
    assert people["Ana Lucía Pérez"].cancelled is True  # RSVP "No"
    assert people["Tom"].cancelled is True  # "Waitlist": no seat at export time
    assert not people["Grace Mwangi"].cancelled
    # "Title" is the member's role in the group and "Event Host" the event's organisers:
    # neither becomes a job title or a newcomer host.
    assert people["Priya S."].job_title is None
    assert people["Priya S."].is_host is False
    assert "job_title" not in guests.mapping and "is_host" not in guests.mapping


def test_pretix_order_positions():
    guests = read_guest_list(DATA / "pretix_order_positions.csv")

    assert guests.ok, guests.problems
    assert guests.format == "pretix"
    assert guests.mapping["ticket_code"] == "Ticket secret"
    assert guests.mapping["first_name"] == "Attendee name: Given name"
    people = by_name(guests)
    julia, kofi = people["Julia Schneider"], people["Kofi Mensah"]
    # Secrets are case-sensitive: these two differ only in one letter's case and both stay.
    assert julia.ticket_code == "kx9rq2mfw7hpt4bz8dyc3ngs5vla6je0"
    assert kofi.ticket_code == "Kx9rq2mfw7hpt4bz8dyc3ngs5vla6je0"
    assert julia.external_id == "Z3KQP-1" and kofi.external_id == "Z3KQP-2"
    # Kofi has no attendee email: the order's email is used.
    assert kofi.email == "julia.schneider@example.de"
    assert julia.company == "Datenwerk GmbH"
    assert (julia.is_host, julia.host_capacity, julia.first_time) == (True, 3, False)
    assert julia.languages == ("English", "German")  # one yes/no column per option
    elif_ = people["Elif Yılmaz"]
    assert elif_.cancelled is True  # position "canceled"
    assert elif_.ticket_type == "Student ticket – with workshop"
    hannah = people["Hannah Berg"]  # no attendee name asked: the invoice name is used
    assert (hannah.first_name, hannah.last_name) == ("Hannah", "Berg")
    assert hannah.email == "hannah.berg@example.se"
    assert hannah.cancelled is False and hannah.status == "unpaid"  # "pending": may pay at the desk
    assert people["Ngozi Adeyemi"].email == "ngozi.adeyemi@example.ng"  # attendee email wins


def test_excel_semicolon_windows_1252_with_accents():
    guests = read_guest_list(DATA / "excel_semicolon_cp1252.csv")

    assert guests.ok, guests.problems
    assert (guests.format, guests.encoding, guests.delimiter) == ("generic", "cp1252", ";")
    assert [g.full_name for g in guests.rows] == [
        "Jürgen Müller",
        "José García López",
        "Zoë Lefèvre",
        "Ærøskøbing Ørsted",
        "Ünal Çelik",
    ]
    # The empty Excel row (";;;;") is skipped but still counted, like the spreadsheet shows it.
    assert [g.row for g in guests.rows] == [2, 3, 4, 5, 7]
    people = by_name(guests)
    jurgen = people["Jürgen Müller"]
    assert jurgen.ticket_code == "000417"  # leading zeros kept
    assert jurgen.company == "Bäckerei Müller & Söhne"
    assert (jurgen.first_time, jurgen.is_host) == (False, True)
    assert jurgen.languages == ("Deutsch", "English")
    assert people["José García López"].languages == ("Español", "English")
    assert people["Zoë Lefèvre"].job_title == "Directrice € Finanzen"
    assert people["Zoë Lefèvre"].interests == ("Finanzen", "Nachhaltigkeit")
    assert people["Ünal Çelik"].first_time is True  # "JA"


def test_utf16_tab_separated_unicode_text():
    guests = read_guest_list(DATA / "excel_unicode_text_utf16.txt")

    assert guests.ok, guests.problems
    assert (guests.encoding, guests.delimiter) == ("utf-16-le", "\t")
    assert [g.full_name for g in guests.rows] == [
        "Łukasz Wiśniewski",
        "渡辺 直美",
        "Zoë Ångström",
        "Ahmed Al-Sayed",
    ]
    assert [g.ticket_code for g in guests.rows] == ["QX-77a1", "QX-77a2", "QX-77A1", "QX-77a4"]
    assert guests.rows[3].languages == ("العربية", "English")


def test_quoted_multiline_cells_count_as_one_spreadsheet_row():
    guests = read_guest_list(DATA / "google_forms_multiline.csv")

    assert guests.format == "generic"
    assert guests.mapping["name"] == "Full name"
    assert guests.mapping["email"] == "Email Address"
    assert [g.row for g in guests.rows] == [2, 3, 4, 5, 6]
    people = by_name(guests)
    assert people["Marc Dubois"].first_name == "Marc"  # "Dubois, Marc"
    assert people["Noor Haddad"].company == 'Haddad "Cedar" Consulting'
    assert people["Noor Haddad"].interests == ("Climate", "Energy")
    assert people["Sam Lee"].interests == ("AI", "Hiring")
    # Sam's record starts on line 6 of the file but is spreadsheet row 4.
    assert [str(p) for p in guests.problems] == [
        "row 4, column 'Email Address': \"sam.lee@example\" is not an email address"
    ]


def test_broken_file_reports_every_problem_with_row_and_column():
    guests = read_guest_list(DATA / "broken_several_problems.csv")

    assert not guests.ok
    found = [(p.row, p.column) for p in guests.problems]
    assert found == [
        (3, "First name"),  # no name at all
        (4, "Email"),  # anna@@example
        (5, "Ticket"),  # EVT-1001 again
        (6, "Host capacity"),  # "three"
        (7, "First time?"),  # "maybe"
        (8, None),  # unquoted "Müller, Jr." shifted the row
        (8, "Email"),
        (8, "Host"),
        (9, "Ticket"),  # Excel turned the code into 1.00587E+21
        (10, "Host capacity"),  # 0
    ]
    text = [str(p) for p in guests.problems]
    assert text[1] == "row 4, column 'Email': \"anna@@example\" is not an email address"
    assert text[2] == "row 5, column 'Ticket': ticket code \"EVT-1001\" is already used in row 2"
    assert "comma without quotes" in text[5]
    assert "spreadsheet turned into a rounded number" in text[8]
    # The rows are still there for a preview, the good ones intact.
    assert guests.rows[0].full_name == "Anna Kowalski" and guests.rows[0].host_capacity == 2
