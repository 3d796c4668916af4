"""The simulator's named evenings (issue 15), and the share of regulars willing to help."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    guests: int
    first_time: float
    hosts: int
    capacity: int


SCENARIOS = {
    "default": Scenario(300, 0.3, 12, 3),
    "scarce": Scenario(300, 0.5, 6, 2),
    "large": Scenario(1000, 0.3, 20, 3),
    "tiny": Scenario(60, 0.4, 2, 2),
}
DEFAULT_BACKUP_SHARE = 0.15
# A volunteer who sees the proposal asks the backup, who finishes their sentence and walks
# over: the backup hosts this long after being proposed.
ASK_DELAY_S = 30
# How often the door (and the board) look again for someone to propose, between scans.
LOOK_EVERY_S = 15
# A newcomer who joins another's conversation (a pair) stays until that conversation ends,
# and at least this long: the host introduces them and the three talk.
PAIR_MIN_TALK = dt.timedelta(minutes=3)
