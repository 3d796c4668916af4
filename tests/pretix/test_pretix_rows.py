"""pretix orders (the API's shape) into guest rows: the rules no seeded server needs."""

from __future__ import annotations

from checkin.pretix.pull import guest_list, tickets_from_orders

TICKET, SHIRT = 1, 2


def order(code, status="p", email="buyer@example.org", **extra) -> dict:
    return {"code": code, "status": status, "email": email, "positions": [], **extra}


def position(n, given="", family="", item=TICKET, **extra) -> dict:
    parts = {"given_name": given, "family_name": family} if given or family else {}
    return {"positionid": n, "item": item, "secret": f"s{n}", "attendee_name_parts": parts, **extra}


def rows(orders, only=None):
    tickets = tickets_from_orders(orders, {TICKET: "Ticket", SHIRT: ""}, only)
    return tickets, guest_list(tickets, "pretix test")


def test_non_admission_products_are_left_out():
    other_list = {SHIRT}  # a check-in list with another product only
    o = order("A1", positions=[position(1, "Ana", "Ruiz"), position(2, item=3)])
    tickets, _ = rows([o], None)
    assert [t.given for t in tickets] == ["Ana"]  # item 3 is not an admission product
    tickets, _ = rows([o], only=other_list)
    assert tickets == []


def test_a_single_field_name_is_split_and_a_nameless_ticket_takes_the_invoice_name():
    full = position(1, attendee_name_parts={"full_name": "Anna Maria Schmidt"})
    nameless = position(2, attendee_name_parts={})
    o = order("A1", invoice_address={"name": "Ben Buyer"}, positions=[full, nameless])
    tickets, guests = rows([o])
    assert [(t.given, t.family) for t in tickets] == [("Anna Maria", "Schmidt"), ("Ben", "Buyer")]
    assert guests.ok


def test_no_name_and_no_email_is_a_problem_named_by_its_order():
    o = order("ZZ9", email="", positions=[position(1)])
    _, guests = rows([o])
    assert [(p.column, p.message) for p in guests.problems] == [
        ("order ZZ9, ticket 1", "no attendee name and no email")
    ]


def test_statuses_pending_let_in_by_pretix_blocked_and_cancelled_positions():
    orders = [
        order("P1", "p", positions=[position(1, "Paid", "P")]),
        order("N1", "n", positions=[position(2, "Pending", "N")]),
        order("N2", "n", valid_if_pending=True, positions=[position(3, "Trusted", "N")]),
        order("E1", "e", positions=[position(4, "Expired", "E")]),
        order("C1", "p", positions=[position(5, "Gone", "C", canceled=True)]),
        order("B1", "p", positions=[position(6, "Blocked", "B", blocked=["admin"])]),
    ]
    tickets, guests = rows(orders)
    assert [(t.status, t.reason) for t in tickets] == [
        ("registered", None),
        ("unpaid", "unpaid"),
        ("registered", None),
        ("cancelled", "expired"),
        ("cancelled", "cancelled"),
        ("cancelled", "blocked"),
    ]
    admitted = [r.first_name for r in guests.rows if r.status == "registered"]
    assert admitted == ["Paid", "Trusted"]  # an unpaid ticket is never plainly registered
