"""How commands print: one JSON document with --json, else short lines for people."""

from __future__ import annotations

import json
import sys
from typing import Any

from checkin.door.outcomes import Outcome, OutcomeKind
from checkin.hosting.words import meanwhile, proposal_line, waiting_line
from checkin.timeutil import local_hhmm

WORDS = {
    OutcomeKind.CHECKED_IN: "WELCOME",
    OutcomeKind.ALREADY_CHECKED_IN: "ALREADY CHECKED IN",
    OutcomeKind.UNKNOWN_CODE: "NOT ON THE LIST",
    OutcomeKind.WRONG_EVENT: "OTHER EVENT",
    OutcomeKind.CANCELLED: "CANCELLED",
    OutcomeKind.INVALID_CODE: "INVALID CODE",
    OutcomeKind.NOT_PAID: "NOT PAID",
}


def emit_json(doc: Any) -> None:
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def show(args, doc: Any, text: str) -> None:
    """One JSON document with --json, else the words for people."""
    if getattr(args, "json", False):
        emit_json(doc)
    else:
        print(text)


def describe(o: Outcome) -> str:
    lines = [WORDS[o.kind] + (f": {o.guest.name}" if o.guest else f" ({o.code})")]
    if o.guest and o.guest.company:
        lines.append(f"  {o.guest.company}")
    if o.kind is OutcomeKind.ALREADY_CHECKED_IN:
        lines.append(f"  first checked in at {local_hhmm(o.checked_in_at)} at {o.device or '?'}")
    if o.kind is OutcomeKind.WRONG_EVENT:
        lines.append(f"  this code is for '{o.other_event}'")
    if o.kind is OutcomeKind.NOT_PAID:
        lines.append("  ticket not paid yet: ask them to pay at the desk")
    if o.kind is OutcomeKind.CANCELLED and o.reason and o.reason != "cancelled":
        lines.append(f"  not admitted: {o.reason}")
    if o.first_time:
        lines.append("  First time here!")
        if o.host:
            lines.append(
                f"  Host: {o.host.name}" + (f" ({o.host.company})" if o.host.company else "")
            )
        elif o.queued:
            lines.append("  " + waiting_line(o))
            if o.backup_proposal:
                lines.append("  " + proposal_line(o.backup_proposal))
            if line := meanwhile(o):
                lines.append("  " + line)
        if o.introductions:
            lines.append("  Introduce to: " + ", ".join(i.name for i in o.introductions))
    if o.is_host and o.kind is OutcomeKind.CHECKED_IN:
        lines.append("  Host: newcomers will be sent your way")
    lines.extend(f"  ! {w}" for w in o.warnings)
    return "\n".join(lines)
