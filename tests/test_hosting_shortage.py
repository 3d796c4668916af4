"""When hosts run short: the truth at the door, backup hosts, pairs, the plan, the simulator."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.hosting.actions import add_host, enlist_backup, mark_met, next_best_host
from checkin.hosting.board import host_board
from checkin.hosting.options import hosting_options
from checkin.hosting.plan import hosting_plan, simulator_peak_share
from checkin.hosting.simulate import simulate
from checkin.hosting.words import proposal_line, waiting_line
from checkin.store.models import Host
from tests.support.factories import event_with_guests, guest

EVENT = "Short Evening"
T0 = dt.datetime(2026, 3, 5, 18, 0, tzinfo=dt.UTC)


def _evening(db, hosts: int = 1, capacity: int = 1):
    rows = [
        guest(2 + i, f"Host{i}", "Keeper", ticket_code=f"H{i}", is_host=True,
              host_capacity=capacity, interests=("AI",))
        for i in range(hosts)
    ] + [
        guest(20, "Tom", "Baker", ticket_code="B1", first_time=False, interests=("Fintech",)),
        guest(21, "Rhea", "Regular", ticket_code="B2", first_time=False, interests=("Golf",)),
        guest(22, "Umar", "Murphy", ticket_code="R1", first_time=False, interests=("AI",)),
        guest(30, "Anna", "Kowalska", ticket_code="N1", first_time=True, interests=("Fintech",)),
        guest(31, "Ben", "Hughes", ticket_code="N2", first_time=True, interests=("AI",)),
        guest(32, "Cleo", "Martin", ticket_code="N3", first_time=True, interests=("AI",)),
        guest(33, "Dev", "Patel", ticket_code="N4", first_time=True, interests=("Fintech",)),
    ]  # fmt: skip
    return event_with_guests(db, EVENT, rows, day=T0.date())


def _at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_a_queued_newcomer_is_told_hosts_place_and_wait(db):
    _evening(db, hosts=2, capacity=1)
    check_in(db, EVENT, "H0", now=_at(0))
    check_in(db, EVENT, "H1", now=_at(0))
    check_in(db, EVENT, "R1", now=_at(1))
    check_in(db, EVENT, "N2", now=_at(2))
    check_in(db, EVENT, "N3", now=_at(2))
    second = check_in(db, EVENT, "N1", now=_at(3))
    third = check_in(db, EVENT, "N4", now=_at(3))
    assert second.queued and second.host is None
    assert (second.hosts_present, second.queue_position) == (2, 1)
    assert third.queue_position == 2
    # 2 slots, 6-minute conversations: one frees every 3 minutes.
    assert (second.estimated_wait_min, third.estimated_wait_min) == (3, 6)
    doc = third.as_json()
    assert doc["hosts_present"] == 2 and doc["queue_position"] == 2
    assert doc["estimated_wait_min"] == 6
    assert waiting_line(third) == "All 2 hosts are busy — you're 2nd, about 6 minutes."
    again = check_in(db, EVENT, "N4", now=_at(4))  # a repeat scan tells the same truth
    assert again.queue_position == 2 and again.hosts_present == 2


def test_with_no_host_here_the_door_promises_nobody(db):
    _evening(db, hosts=1)
    o = check_in(db, EVENT, "N1", now=_at(0))
    assert o.queued and o.hosts_present == 0 and o.estimated_wait_min is None
    assert "No host is here yet" in waiting_line(o)
    assert "moment" not in waiting_line(o)


def test_a_backup_hosts_only_once_enlisted_then_with_capacity_one(db):
    _evening(db, hosts=1)
    backup = add_host(db, EVENT, code="B1", backup=True)
    assert backup.backup and backup.capacity == 1
    check_in(db, EVENT, "B1", now=_at(0))
    o = check_in(db, EVENT, "N1", now=_at(1))
    assert o.queued and o.hosts_present == 0  # a backup not asked yet is no host
    p = o.backup_proposal
    assert p is not None and p.backup.code == "B1" and p.newcomer_code == "N1"
    assert proposal_line(p) == "Ask Tom Baker to welcome Anna — you both like fintech"
    assert o.as_json()["backup_proposal"]["backup"]["name"] == "Tom Baker"
    r = enlist_backup(db, EVENT, "B1", now=_at(1.5))
    assert "Anna Kowalska" in r.message
    board = host_board(db, EVENT, now=_at(2))
    (tom,) = [h for h in board.hosts if h.code == "B1"]
    assert tom.enlisted and [n.code for n in tom.newcomers] == ["N1"]
    assert check_in(db, EVENT, "N2", now=_at(2)).queued  # capacity 1: full now


def test_the_best_backup_shares_interests_then_has_been_here_longest(db):
    _evening(db, hosts=1)
    add_host(db, EVENT, code="B1", backup=True)  # Fintech
    add_host(db, EVENT, code="B2", backup=True)  # Golf, here longer
    check_in(db, EVENT, "B2", now=_at(0))
    check_in(db, EVENT, "B1", now=_at(1))
    assert check_in(db, EVENT, "N1", now=_at(2)).backup_proposal.backup.code == "B1"
    enlist_backup(db, EVENT, "B1", now=_at(2))
    o = check_in(db, EVENT, "N2", now=_at(3))  # AI: nobody shares; the longest here
    assert o.backup_proposal.backup.code == "B2"


def test_with_a_backup_already_asked_the_proposal_is_for_the_next_in_the_queue(db):
    from checkin.hosting.backups import propose

    _evening(db, hosts=1)
    first, second = (add_host(db, EVENT, code=c, backup=True) for c in ("B1", "B2"))
    check_in(db, EVENT, "B1", now=_at(0))
    check_in(db, EVENT, "B2", now=_at(0))
    check_in(db, EVENT, "N1", now=_at(1))
    check_in(db, EVENT, "N2", now=_at(2))
    with db.read() as s:
        event_id = s.scalar(select(Host.event_id).where(Host.id == first.host_id))
        front = propose(s, event_id, _at(3))
        after = propose(s, event_id, _at(3), asked={front.backup.host_id})
        nobody = propose(s, event_id, _at(3), asked={first.host_id, second.host_id})
    assert front.newcomer_code == "N1"
    assert after.newcomer_code == "N2" and after.backup.host_id != front.backup.host_id
    assert nobody is None  # two asked cover both who wait


def test_no_proposal_while_nobody_waits(db):
    _evening(db, hosts=1, capacity=3)
    add_host(db, EVENT, code="B1", backup=True)
    check_in(db, EVENT, "H0", now=_at(0))
    check_in(db, EVENT, "B1", now=_at(0))
    assert check_in(db, EVENT, "N1", now=_at(1)).backup_proposal is None
    assert host_board(db, EVENT, now=_at(5)).proposal is None


def test_a_full_host_welcomes_two_who_share_an_interest_as_one_conversation(db):
    _evening(db, hosts=1, capacity=1)
    hosting_options(db, EVENT, pairs=True)
    check_in(db, EVENT, "H0", now=_at(0))
    check_in(db, EVENT, "N2", now=_at(1))  # AI, with Host0
    cleo = check_in(db, EVENT, "N3", now=_at(2))  # AI too: joins the conversation
    assert not cleo.queued and cleo.host.code == "H0"
    assert cleo.introductions[0].name == "Ben Hughes"  # introduced to each other
    assert check_in(db, EVENT, "N1", now=_at(2)).queued  # Fintech: shares with neither
    with db.read() as s:
        assert s.scalar(select(Host.load).where(Host.capacity == 1)) == 1  # one slot
    mark_met(db, EVENT, "N2", now=_at(6))  # the conversation goes on with Cleo
    assert [n.code for n in host_board(db, EVENT, now=_at(6)).queue] == ["N1"]
    mark_met(db, EVENT, "N3", now=_at(7))  # now the slot frees: Anna gets Host0
    assert not host_board(db, EVENT, now=_at(7)).queue


def test_without_the_setting_there_are_no_pairs(db):
    _evening(db, hosts=1, capacity=1)
    check_in(db, EVENT, "H0", now=_at(0))
    check_in(db, EVENT, "N2", now=_at(1))
    assert check_in(db, EVENT, "N3", now=_at(2)).queued


def test_next_best_host_previews_a_release(db):
    _evening(db, hosts=2, capacity=2)
    check_in(db, EVENT, "H0", now=_at(0))
    check_in(db, EVENT, "N2", now=_at(1))  # with H0, who still has room
    assert next_best_host(db, EVENT, "N2") is None  # nobody else here
    check_in(db, EVENT, "H1", now=_at(2))
    assert next_best_host(db, EVENT, "N2").code == "H1"


def test_the_plan_counts_newcomers_and_hosts_needed(db):
    _evening(db, hosts=1, capacity=1)
    add_host(db, EVENT, code="B1", backup=True)
    plan = hosting_plan(db, EVENT)
    assert plan.expected_newcomers == 4 and plan.hosts_signed_up == 1
    assert plan.backups_offered == 1 and plan.peak_from == "simulator pattern"
    assert plan.peak_newcomers_15min == 2  # half of them in the busiest 15 minutes
    assert plan.hosts_needed == 1  # 2 × 6.55 min / 15 min ≈ 0.9 at once
    assert abs(simulator_peak_share() - 0.5) < 0.01
    assert set(plan.as_json()) >= {
        "expected_newcomers", "peak_newcomers_15min", "hosts_needed", "hosts_signed_up",
    }  # fmt: skip


def test_plan_and_backup_from_the_command_line(db, capsys):
    _evening(db, hosts=1)
    url = db.url
    assert (
        main(["--database", url, "host", "add", "--event", EVENT, "--code", "B1", "--backup"]) == 0
    )
    assert "can welcome if needed" in capsys.readouterr().out
    assert main(["--database", url, "hosts", "plan", "--event", EVENT, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["hosts_signed_up"] == 1 and doc["backups_offered"] == 1
    assert main(["--database", url, "host", "options", "--event", EVENT, "--pairs", "on"]) == 0
    assert "Pairs on" in capsys.readouterr().out
    assert main(["--database", url, "scan", "N1", "--event", EVENT, "--json"]) == 0
    scan = json.loads(capsys.readouterr().out)
    assert scan["queued"] and scan["hosts_present"] == 0 and scan["queue_position"] == 1
    assert "estimated_wait_min" in scan


def test_simulator_scenarios_report_welcomes_backups_and_pairs():
    r = simulate(scenario="tiny", seed=2)
    assert (r.guests, r.hosts, r.capacity, r.newcomers) == (60, 2, 2, 24)
    doc = r.as_json()
    assert {"welcomed_within_120s", "backup_hosts_used", "pairs"} <= set(doc)
    assert r.backups_offered == 5  # 15 % of the 34 regulars
    assert r.capacity_violations == 0 and r.never_hosted == 0
    assert r.welcomed_within_120s >= 0.9
    alone = simulate(scenario="tiny", seed=2, backup_share=0, pairs=False)
    assert alone.backup_hosts_used == 0 and alone.pairs == 0
    assert alone.max_wait_s > r.max_wait_s  # the regulars and pairs are what helps
