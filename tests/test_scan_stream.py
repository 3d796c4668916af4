"""`checkin scan --event E -`: codes from standard input, one JSON outcome a line."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
from pathlib import Path

from checkin.cli.main import main
from checkin.journal.reader import read_journal
from tests.support.factories import event_with_guests, guest

EVENT = "Stream Night"
ROOT = Path(__file__).resolve().parents[1]


def _scan_stream(monkeypatch, capsys, db_url: str, text: str, *extra: str):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    status = main(["--database", db_url, *extra, "scan", "--event", EVENT, "-"])
    out = capsys.readouterr().out
    return status, [json.loads(line) for line in out.splitlines()]


def test_each_code_read_prints_one_outcome_line_in_order(db, db_url, monkeypatch, capsys):
    event_with_guests(
        db, EVENT, [guest(2, "Ada", "Lovelace", ticket_code="A1"), guest(3, "Bo", "Li")]
    )
    status, lines = _scan_stream(monkeypatch, capsys, db_url, "A1\n\n  A1  \nnope\n")
    assert status == 0
    assert [d["outcome"] for d in lines] == ["checked_in", "already_checked_in", "unknown_code"]
    assert lines[0]["guest"]["name"] == "Ada Lovelace"


def test_stream_writes_the_attendance_journal(db, db_url, monkeypatch, capsys, tmp_path):
    event_with_guests(db, EVENT, [guest(2, "Ada", "Lovelace", ticket_code="A1")])
    folder = tmp_path / "stick"
    folder.mkdir()  # the organiser's stick: the app never creates it
    status, lines = _scan_stream(
        monkeypatch, capsys, db_url, "A1\n", "--journal-folder", str(folder)
    )
    assert status == 0 and lines[0]["outcome"] == "checked_in"
    (path,) = folder.glob("*.jsonl")
    records = [r for _, r in read_journal(path).lines if r.get("type") == "checkin"]
    assert [r["guest"]["code"] for r in records] == ["A1"]


def test_each_answer_reaches_a_pipe_before_the_next_code_is_sent(sqlite_db, tmp_path):
    """A scripted door (or a serial scanner's bridge) waits for each answer: the line must
    be flushed down the pipe as soon as the check-in is committed, not at the end."""
    event_with_guests(sqlite_db, EVENT, [guest(2, "Ada", "Lovelace", ticket_code="A1")])
    argv = [sys.executable, "-m", "checkin", "-d", sqlite_db.url, "scan", "-e", EVENT, "-"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as in a shell
    with subprocess.Popen(
        argv, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as door:
        answers = []
        for _ in range(2):
            door.stdin.write("A1\n")
            door.stdin.flush()
            ready, _, _ = select.select([door.stdout], [], [], 30)
            assert ready, "no answer while standard input stays open"
            answers.append(json.loads(door.stdout.readline())["outcome"])
        door.stdin.close()
        assert door.wait(60) == 0
    assert answers == ["checked_in", "already_checked_in"]
