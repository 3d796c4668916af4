"""The simulator's channels: a buzz on the phone welcomes sooner than the board, and a
phone nobody feels is escalated to the next host (through the real engine)."""

from __future__ import annotations

from checkin.hosting import simulate_channels
from checkin.hosting.simulate_channels import simulate_channel

SMALL = {"guests": 40, "first_time": 0.4, "hosts": 5, "capacity": 2, "seed": 3}


def test_the_phone_welcomes_sooner_than_the_board():
    phone = simulate_channel("phone", **SMALL)
    board = simulate_channel("board", **SMALL)
    assert phone.newcomers == board.newcomers == 16
    assert phone.welcomed_within_120s > board.welcomed_within_120s
    assert phone.median_welcome_s < board.median_welcome_s
    assert board.escalations == 0


def test_a_phone_nobody_feels_is_escalated(monkeypatch):
    monkeypatch.setattr(simulate_channels, "BUZZ_FELT", 0.0)
    monkeypatch.setattr(simulate_channels, "REMINDER_FELT", 0.0)
    silent = simulate_channel("phone", **SMALL)
    assert silent.escalations >= silent.newcomers
    assert silent.welcomed_within_120s == 0 and silent.never_welcomed == silent.newcomers
