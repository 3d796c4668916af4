"""The result panel on its own: back to ready by itself, one message per outcome."""

from __future__ import annotations

from checkin.door.outcomes import Guest, Outcome, OutcomeKind
from ui.door.result_panel import ResultPanel, waiting_words


def _anna(kind=OutcomeKind.CHECKED_IN, **kw) -> Outcome:
    return Outcome(kind, "ANNA0001", "Evening", guest=Guest(1, "ANNA0001", "Anna", "Müller"), **kw)


def test_the_panel_returns_to_ready_by_itself(qtbot):
    panel = ResultPanel(seconds=8)
    qtbot.addWidget(panel)
    panel.show_outcome(_anna())
    assert panel.name.text() == "Anna Müller" and panel._reset.isActive()
    assert panel._reset.interval() == 8_000
    panel.seconds = 0  # the next guest comes at once
    panel.show_outcome(_anna())
    qtbot.waitUntil(lambda: "READY" in panel.band.text(), timeout=5_000)
    assert panel.outcome is None and "Anna" not in panel.name.text()
    assert not panel.undo.isVisible() and not panel.reprint.isVisible()


def test_waiting_words_never_promise_a_host_that_is_not_here():
    queued = _anna(first_time=True, queued=True)
    assert waiting_words(queued, 0).startswith("No host is here yet")
    assert "busy" in waiting_words(queued, 3)
    assert "in a moment" not in waiting_words(queued, None)


def test_the_names_grow_on_a_big_screen(qtbot):
    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 560)
    panel.show()
    panel.show_outcome(_anna())
    small = panel.name.font().pixelSize()
    panel.resize(1100, 900)
    qtbot.waitUntil(lambda: panel.name.font().pixelSize() > small, timeout=5_000)
