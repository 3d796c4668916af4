"""Merging the attendance of several door laptops into one database.

Inputs are journals (see journal.py) and attendance exports in our JSON format
(``checkin export --format json``). Everything happens in one transaction: a corrupt file
refuses the whole merge, naming the file and line; only a torn line (a power cut while it
was written) is skipped and reported.

The rules, chosen so that merging is idempotent and order independent (the result is a
function of the set of records, whatever order files come in, however often):

- A check-in record is one row of the CheckIn log, known by its UUID and nonce: a record
  already present changes nothing.
- The Registration projection (checked_in_at, checked_in_device, checkin_id,
  checked_out_at, first_time) is recomputed from the merged log. Earliest check-in wins; a
  later check-in while the guest is in stays in the log as a recorded duplicate (an action
  "checkin" that is not the registration's ``checkin_id`` and changes nothing).
- An undo cancels the check-in it refers to and whatever its own door recorded for that
  guest between that check-in and the undo (a return after a checkout, say). Check-ins at
  other doors stand: the guest really was let in there. An undo whose check-in has not
  arrived yet waits in the log and takes effect when it does.
- Guests are matched by ticket code, then normalised email, then external id. Walk-ins
  without an email are never matched by name: two people can share a name, and a visible
  duplicate in the list is better than two people silently made one. A guest this
  database does not know is created (source "walkin", or "merge" for a plain check-in).
- A guest a merge creates (a walk-in, or someone seen only at another door) keeps the
  earliest record's code and registration time, and the details typed at the earliest
  walk-in (name, company, interests, first-time flag). People with other events here keep
  their record; imported registrations are never changed.
- Assignments (who hosts whom) are known by (newcomer, host, created_at); a door's end
  beats "active" and the earliest end wins. Then the merge tidies what no door ended: a
  newcomer given hosts at two doors keeps the later one ("superseded" for the earlier, as
  a reassignment would), and one no longer checked in keeps none ("absent"). Those two
  statuses are recomputed by every merge, so they never depend on file order.
- Introductions naming someone this database does not know are dropped.
- Rows read from an export have no UUID: they get one derived from event, code, time and
  door, and give way to the journal record of the same check-in when both arrive.
- first_time follows the door's rule against this database (a host never; else the
  imported list's flag; else no check-in at an earlier event here), so merge into the
  database that holds the group's history.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from checkin.events import find_event
from checkin.hosting import policy
from checkin.journal.signing import event_key, trusted_keys
from checkin.merge.apply import Merge
from checkin.merge.inputs import FileSummary, Parsed, Trust, collector_paused, read_inputs
from checkin.store.db import Database
from checkin.timeutil import utcnow

__all__ = ["MergeReport", "merge_files"]


@dataclass
class MergeReport:
    event: str
    files: list[FileSummary]
    added: int = 0  # new rows in the CheckIn log
    already: int = 0  # records that were here before
    duplicates: int = 0  # of the added check-ins: a guest who was already in
    guests_created: int = 0
    guests_updated: int = 0
    assignments_added: int = 0
    assignments_updated: int = 0
    checked_in: int = 0  # guests checked in at the event after the merge
    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # every line kept out, and why
    conflicts: list[str] = field(default_factory=list)  # a known id with other content ...

    def as_json(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "files"}
        out["files"] = [f.as_json() for f in self.files]
        out["notes"] = [*(n for f in self.files for n in f.notes), *self.notes]
        return out


def merge_files(
    db: Database,
    event: str | int,
    paths: list[str | os.PathLike],
    *,
    accept_unsigned: bool = False,
) -> MergeReport:
    """Merge journals and exports into ``event``: all of it, or (on an error) nothing.

    Journals must be signed with a key this event trusts (see checkin.journal.signing);
    ``accept_unsigned`` takes journals written before signing as they are. Lines with a
    bad signature, or dated away from the event's day, are refused and listed."""
    with db.write() as session:  # a write: the event's own key is made on first use
        ev = find_event(session, event)
        event_key(session, ev.id)
        name, day = ev.name, ev.day
        trust = Trust(trusted_keys(session, ev.id), accept_unsigned, day, utcnow())
    with collector_paused():  # everything the merge held is freed before the collector resumes
        return _merge(db, event, read_inputs(paths, name, trust))


def _merge(db: Database, event: str | int, parsed: Parsed) -> MergeReport:
    with db.write() as session:
        ev = find_event(session, event)
        policy.lock_event(session, ev.id)  # live doors on PostgreSQL wait for the merge
        report = MergeReport(ev.name, parsed.files, refused=list(parsed.refused))
        Merge(session, ev, report).run(parsed)
        return report
