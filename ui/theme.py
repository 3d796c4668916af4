"""Colours, sizes and words for outcomes: readable from a step away, never colour alone."""

from __future__ import annotations

from dataclasses import dataclass

from checkin.door.outcomes import OutcomeKind


@dataclass(frozen=True)
class Look:
    word: str  # the word shown beside the colour (never colour alone)
    symbol: str
    background: str
    foreground: str
    sound: str


GREEN = Look("WELCOME", "✓", "#1b7f3b", "#ffffff", "welcome")
LOOKS: dict[OutcomeKind, Look] = {
    OutcomeKind.CHECKED_IN: GREEN,
    OutcomeKind.ALREADY_CHECKED_IN: Look("ALREADY CHECKED IN", "!", "#f2b705", "#1a1a1a", "again"),
    OutcomeKind.UNKNOWN_CODE: Look("NOT ON THE LIST", "✗", "#c62828", "#ffffff", "error"),
    OutcomeKind.WRONG_EVENT: Look("OTHER EVENT", "✗", "#c62828", "#ffffff", "error"),
    OutcomeKind.CANCELLED: Look("TICKET CANCELLED", "✗", "#c62828", "#ffffff", "error"),
    OutcomeKind.INVALID_CODE: Look("INVALID CODE", "✗", "#c62828", "#ffffff", "error"),
    # Amber, not red: the guest is on the list and may enter once they have paid.
    OutcomeKind.NOT_PAID: Look("NOT PAID", "€", "#ef6c00", "#1a1a1a", "error"),
}
# The band's word for a refused ticket, by Outcome.reason (guestlist/statuses.py REASONS).
REFUSED_WORDS: dict[str, str] = {
    "cancelled": "TICKET CANCELLED",
    "declined": "DECLINED",
    "waitlisted": "ON THE WAITLIST",
    "refunded": "TICKET REFUNDED",
    "not attending": "NOT ATTENDING",
    "expired": "TICKET EXPIRED",
    "awaiting approval": "NOT APPROVED YET",
    "invited": "INVITED, NOT REGISTERED",
    "voided": "TICKET VOID",
    "deleted": "TICKET DELETED",
    "transferred": "TICKET TRANSFERRED",
    "blocked": "TICKET BLOCKED",
}
READY = Look("READY", "▶", "#263238", "#ffffff", "")
FIRST_TIME = "#6a1b9a"  # the first-timer band: distinct from every outcome colour

STYLE = """
QWidget { font-size: 15px; }
QMainWindow, QDialog { background: #f5f5f5; }
QLineEdit { font-size: 20px; padding: 6px; border: 2px solid #607d8b; border-radius: 6px;
            background: white; }
QLineEdit:focus { border-color: #1565c0; }
QPushButton { font-size: 15px; padding: 8px 14px; border-radius: 6px; border: 1px solid #90a4ae;
              background: #ffffff; }
QPushButton:focus { border: 2px solid #1565c0; }
QPushButton:hover { background: #e3f2fd; }
QPushButton#primary { background: #1565c0; color: white; border: none; font-weight: bold; }
QPushButton:disabled, QPushButton#primary:disabled { background: #e0e0e0; color: #9e9e9e;
                                                     border: 1px solid #cfd8dc; }
QTableView, QListView { font-size: 17px; background: white; alternate-background-color: #f0f4f8;
                        selection-background-color: #1565c0; selection-color: white; }
QHeaderView::section { font-size: 14px; padding: 4px; background: #eceff1; border: none; }
QLabel#counter { font-size: 18px; font-weight: bold; padding: 4px 12px; background: white;
                 border-radius: 6px; }
QLabel#hint { color: #37474f; font-size: 14px; }
QLabel#status { color: #37474f; font-size: 14px; }
QLabel#error { color: #b71c1c; font-size: 15px; font-weight: bold; }
"""
