"""pretix's guest list through its API, imported like a file: all or nothing, updating.

Every order of the event is read (all pages, cancelled positions included), each admission
ticket becomes one ``GuestRow`` — given and family name, attendee email (else the buyer's),
company, the ticket's secret as its code (the QR code on a pretix ticket holds the secret),
product, status — and the rows go through the same importer as a file. Pull again and the
door follows pretix: a cancellation there is cancelled here, a late payment admits the guest.

Order status -> the door's status: paid -> registered; pending -> unpaid (an order pretix
lets in while pending, ``valid_if_pending``, -> registered); expired, cancelled, a cancelled
or blocked position -> cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checkin.errors import ImportRefused
from checkin.guestlist.importer import ImportSummary, import_guest_list
from checkin.guestlist.rows import GuestList, GuestRow, ImportProblem
from checkin.guestlist.validation import BadValue, parse_email, split_name
from checkin.pretix.client import PretixClient, PretixError, text_of
from checkin.store.db import Database

Report = Callable[[str, int, int | None], None]  # (what, done, total or None)

ORDER_STATUS = {"p": "registered", "n": "unpaid", "e": "cancelled", "c": "cancelled"}
REASONS = {"e": "expired", "c": "cancelled", "n": "unpaid"}


@dataclass(frozen=True)
class Ticket:
    """One admission ticket as pretix holds it (what the pull imports)."""

    label: str  # "order ABC12, ticket 1": where a problem is
    order: str
    positionid: int
    secret: str
    given: str
    family: str
    email: str | None
    company: str | None
    product: str | None
    status: str  # registered | unpaid | cancelled
    reason: str | None  # why not admitted: unpaid, expired, cancelled, blocked


def _names(pos: dict, order: dict) -> tuple[str, str]:
    parts = pos.get("attendee_name_parts") or {}
    given = (parts.get("given_name") or "").strip()
    family = (parts.get("family_name") or "").strip()
    if given or family:
        return given, family
    full = (parts.get("full_name") or pos.get("attendee_name") or "").strip()
    if not full:  # a ticket without attendee names: the invoice name, if there is one
        invoice = order.get("invoice_address") or {}
        full = (invoice.get("name") or "").strip()
    return split_name(full) if full else ("", "")


def _status(order: dict, pos: dict) -> tuple[str, str | None]:
    if pos.get("canceled"):
        return "cancelled", "cancelled"
    if pos.get("blocked"):
        return "cancelled", "blocked"
    code = order.get("status")
    if code == "n" and order.get("valid_if_pending"):
        return "registered", None
    if code not in ORDER_STATUS:
        return "cancelled", f"pretix status {code}"
    return ORDER_STATUS[code], REASONS.get(code)


def tickets_from_orders(
    orders: list[dict], admission_items: dict[int, str], only_items: set[int] | None
) -> list[Ticket]:
    out = []
    for order in orders:
        for pos in order.get("positions", []):
            item = pos.get("item")
            if item not in admission_items or (only_items is not None and item not in only_items):
                continue  # a T-shirt, a parking ticket, or a product not on this check-in list
            given, family = _names(pos, order)
            status, reason = _status(order, pos)
            out.append(
                Ticket(
                    label=f"order {order.get('code')}, ticket {pos.get('positionid')}",
                    order=str(order.get("code")),
                    positionid=int(pos.get("positionid") or 0),
                    secret=str(pos.get("secret") or ""),
                    given=given,
                    family=family,
                    email=(pos.get("attendee_email") or order.get("email") or "").strip() or None,
                    company=(pos.get("company") or "").strip() or None,
                    product=admission_items[item] or None,
                    status=status,
                    reason=reason,
                )
            )
    return out


def _row(n: int, t: Ticket, email: str | None) -> GuestRow:
    values: dict = {
        "row": n,
        "first_name": t.given,
        "last_name": t.family,
        "email": email,
        "company": t.company,
        "ticket_code": t.secret,
        "ticket_type": t.product,
        "external_id": f"{t.order}-{t.positionid}",
        "cancelled": t.status == "cancelled",
        "status": t.status,  # unpaid is told apart at the door: NOT PAID
        "status_reason": t.reason,
    }
    return GuestRow(**values)


def guest_list(tickets: list[Ticket], source: str) -> GuestList:
    """Tickets -> the rows a file would give; problems name the order and ticket."""
    rows, problems = [], []
    for n, t in enumerate(tickets, start=1):
        if not t.secret:
            problems.append(ImportProblem(None, t.label, "pretix sent this ticket without a code"))
            continue
        try:
            email = parse_email(t.email or "")
        except BadValue as exc:
            problems.append(ImportProblem(None, f"{t.label}, email", str(exc)))
            continue
        if not (t.given or t.family or email):
            problems.append(ImportProblem(None, t.label, "no attendee name and no email"))
            continue
        rows.append(_row(n, t, email))
    mapping = {
        "first_name": "attendee_name_parts.given_name",
        "last_name": "attendee_name_parts.family_name",
        "email": "attendee_email (else the order's email)",
        "company": "company",
        "ticket_code": "secret",
        "status": "order status",
    }
    return GuestList(source, "pretix", "utf-8", "", mapping, rows, problems, tool="pretix (API)")


def _labelled(exc: ImportRefused, tickets: list[Ticket]) -> ImportRefused:
    """The importer says 'row 7'; the organiser wants 'order ABC12, ticket 1'."""
    labels = {n: t.label for n, t in enumerate(tickets, start=1)}
    problems = [
        ImportProblem(None, labels.get(p.row, p.column) if p.row else p.column, p.message)
        for p in exc.problems
    ]
    return ImportRefused(exc.path, problems)


def read_tickets(
    client: PretixClient, event: str, list_id: int | None = None, report: Report | None = None
) -> list[Ticket]:
    """Every admission ticket of the event (on check-in list ``list_id``, if given)."""

    def step(what: str) -> Callable[[int, int | None], None]:
        return lambda done, total: report(what, done, total) if report else None

    settings = client.get(client.event_path(event, "settings/"))
    locale = settings.get("locale") if isinstance(settings, dict) else None
    items = client.get_all(client.event_path(event, "items/"), progress=step("products"))
    admission = {i["id"]: text_of(i.get("name"), locale) for i in items if i.get("admission")}
    only: set[int] | None = None
    if list_id is not None:
        status, clist = client.request("GET", client.event_path(event, f"checkinlists/{list_id}/"))
        if status == 404:
            raise PretixError(f"event {event} has no check-in list {list_id}")
        if not clist.get("all_products"):
            only = {int(i) for i in clist.get("limit_products", [])}
    orders = client.get_all(
        client.event_path(event, "orders/"),
        {"include_canceled_positions": "true", "pdf_data": "false"},
        progress=step("orders"),
    )
    return tickets_from_orders(orders, admission, only)


def import_tickets(
    db: Database,
    client: PretixClient,
    event: str,
    into: str | int,
    tickets: list[Ticket],
    *,
    dry_run: bool = False,
) -> ImportSummary:
    """Import tickets read with ``read_tickets`` (the window reads on one thread and
    writes on the database worker)."""
    source = f"pretix {client.url} {client.organizer}/{event}"
    guests = guest_list(tickets, source)
    if guests.problems:
        raise ImportRefused(source, guests.problems)
    try:
        return import_guest_list(db, into, source, dry_run=dry_run, guests=guests)
    except ImportRefused as exc:
        raise _labelled(exc, tickets) from None


def pull(
    db: Database,
    client: PretixClient,
    event: str,
    into: str | int,
    *,
    list_id: int | None = None,
    dry_run: bool = False,
    report: Report | None = None,
) -> ImportSummary:
    """Read the event's tickets from pretix and import them into event ``into``."""
    tickets = read_tickets(client, event, list_id, report)
    if report:
        report("import", 0, len(tickets))
    summary = import_tickets(db, client, event, into, tickets, dry_run=dry_run)
    if report:
        report("import", len(tickets), len(tickets))
    return summary


def status_counts(tickets: list[Ticket]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in tickets:
        counts[t.status] = counts.get(t.status, 0) + 1
    return counts
