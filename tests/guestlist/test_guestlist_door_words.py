"""The door says NOT PAID in amber (not red) and names every other refusal."""

from __future__ import annotations

from checkin.door.outcomes import Guest, Outcome, OutcomeKind
from ui.door.result_panel import ResultPanel
from ui.theme import LOOKS

GUEST = Guest(1, "c0de", "Peter", "Pending")


def test_not_paid_is_amber_and_says_what_to_do(qtbot):
    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.show_outcome(Outcome(OutcomeKind.NOT_PAID, "c0de", "E", guest=GUEST, reason="unpaid"))
    assert "NOT PAID" in panel.band.text()
    assert "pay at the desk" in panel.detail.text()
    assert LOOKS[OutcomeKind.NOT_PAID].background != LOOKS[OutcomeKind.CANCELLED].background
    assert not panel.reprint.isVisibleTo(panel)  # not admitted: no badge


def test_a_refusal_names_its_reason(qtbot):
    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.show_outcome(
        Outcome(OutcomeKind.CANCELLED, "c0de", "E", guest=GUEST, reason="waitlisted")
    )
    assert "ON THE WAITLIST" in panel.band.text()
    assert "waitlisted" in panel.detail.text()
    panel.show_outcome(Outcome(OutcomeKind.CANCELLED, "c0de", "E", guest=GUEST))
    assert "TICKET CANCELLED" in panel.band.text()
