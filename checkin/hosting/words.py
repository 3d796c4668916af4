"""What the door says to a newcomer who waits, in words (the command line and the door)."""

from __future__ import annotations

from checkin.door.outcomes import BackupProposal, Outcome


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def waiting_line(o: Outcome) -> str:
    """ "All 6 hosts are busy — you're 3rd, about 4 minutes." or, with no host here, what
    the volunteer does instead. Never promises a host who cannot come."""
    hosts = o.hosts_present or 0
    if hosts == 0:
        return (
            "No host is here yet — introduce them yourself to someone below"
            + (", or ask a regular to welcome them" if o.backup_proposal else "")
            + "."
        )
    busy = "The host is busy" if hosts == 1 else f"All {hosts} hosts are busy"
    where = f"you're {ordinal(o.queue_position)}" if o.queue_position else "you're next"
    wait = f", about {plural(o.estimated_wait_min, 'minute')}" if o.estimated_wait_min else ""
    return f"{busy} — {where}{wait}."


def meanwhile(o: Outcome) -> str:
    """ "Meanwhile: Umar Murphy, AI" — someone here to talk to while they wait."""
    if not o.introductions:
        return ""
    first = o.introductions[0]
    shared = f", {', '.join(first.shared_interests)}" if first.shared_interests else ""
    return f"Meanwhile: {first.name}{shared}"


def proposal_line(p: BackupProposal) -> str:
    """ "Ask Tom Baker to welcome Anna — you both like fintech"."""
    first = p.newcomer_name.split(" ")[0]
    shared = p.backup.shared_interests
    why = f" — you both like {', '.join(s.lower() for s in shared)}" if shared else ""
    return f"Ask {p.backup.name} to welcome {first}{why}"
