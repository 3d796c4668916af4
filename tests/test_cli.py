"""The `checkin` command, as scripts and organisers use it (design.md's contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from checkin.cli.main import main

DEMO = "Riverside Business Breakfast"


def run(capsys, db_url: str, *args: str) -> tuple[int, dict | str, str]:
    code = main(["--database", db_url, *args])
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        return code, out, err


@pytest.fixture
def demo(db, db_url, capsys) -> str:
    code, out, _ = run(capsys, db_url, "demo")
    assert code == 0 and out.strip() == DEMO
    return db_url


def test_demo_is_idempotent_and_listed(demo, capsys):
    _, out, _ = run(capsys, demo, "demo", "--json")
    assert out["name"] == DEMO and out["registrations"] == 280
    _, events, _ = run(capsys, demo, "event", "list", "--json")
    assert DEMO in [e["name"] for e in events["events"]]


def test_scan_search_walkin_undo_export(demo, capsys, tmp_path):
    _, found, _ = run(capsys, demo, "search", "müller", "--event", DEMO, "--json")
    guest = next(r for r in found["results"] if not r["checked_in"])
    _, scan, _ = run(capsys, demo, "scan", guest["code"], "-e", DEMO, "--device", "Door 3",
                     "--json")  # fmt: skip
    assert scan["outcome"] == "checked_in"
    assert set(scan) >= {"outcome", "guest", "first_time", "host", "queued", "checked_in_at",
                         "device", "introductions"}  # fmt: skip
    assert scan["guest"]["name"] == guest["name"] and scan["device"] == "Door 3"
    _, again, _ = run(capsys, demo, "scan", guest["code"], "-e", DEMO, "--json")
    assert again["outcome"] == "already_checked_in" and again["device"] == "Door 3"
    _, unknown, _ = run(capsys, demo, "scan", "nope", "-e", DEMO, "--json")
    assert unknown["outcome"] == "unknown_code" and unknown["guest"] is None

    args = ["--name", "Zoë Ångström", "--email", "zoe@example.com", "--interests", "AI, Design"]
    _, walkin, _ = run(capsys, demo, "walkin", "-e", DEMO, *args, "--json")
    assert walkin["outcome"] == "checked_in" and walkin["first_time"]
    assert walkin["host"] is not None and walkin["host"]["name"]
    assert len(walkin["introductions"]) >= 2

    code, undone, _ = run(capsys, demo, "undo", guest["code"], "-e", DEMO, "--json")
    assert code == 0 and undone["undone"]

    out = tmp_path / "attendance.csv"
    code, _, _ = run(capsys, demo, "export", "-e", DEMO, "--out", str(out))
    assert code == 0 and "Zoë" in out.read_text(encoding="utf-8-sig")


def test_hosts_board_and_actions(demo, capsys):
    _, walkin, _ = run(capsys, demo, "walkin", "-e", DEMO, "--name", "New Person",
                       "--first-time", "--json")  # fmt: skip
    newcomer = walkin["code"]
    first_host = walkin["host"]["code"]
    _, board, _ = run(capsys, demo, "hosts", "-e", DEMO, "--json")
    assert set(board) >= {"hosts", "queue"}
    other = next(h for h in board["hosts"] if h["code"] != first_host and h["present"])
    code, moved, _ = run(capsys, demo, "reassign", newcomer, "--host", other["code"], "-e", DEMO,
                         "--json")  # fmt: skip
    assert code == 0 and moved["ok"]
    code, _, _ = run(capsys, demo, "met", newcomer, "-e", DEMO)
    assert code == 0
    code, _, err = run(capsys, demo, "release", newcomer, "-e", DEMO)
    assert code == 1 and "no host right now" in err
    code, out, _ = run(capsys, demo, "checkout", other["code"], "-e", DEMO, "--json")
    assert code == 0 and out["ok"]


def test_codes_as_png_folder_decode_and_as_pdf(demo, capsys, tmp_path):
    _, found, _ = run(capsys, demo, "search", "garcia", "-e", DEMO, "--json")
    code = found["results"][0]["code"]
    folder = tmp_path / "codes"
    rc, _, _ = run(capsys, demo, "codes", "-e", DEMO, "--out", str(folder), "--code", code)
    assert rc == 0
    (png,) = folder.glob("*.png")
    (decoded,) = zxingcpp.read_barcodes(Image.open(png))
    assert decoded.text == code
    pdf = tmp_path / "codes.pdf"
    rc, _, _ = run(capsys, demo, "codes", "-e", DEMO, "--out", str(pdf))
    assert rc == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_errors_go_to_stderr_with_nonzero_status(db_url, db, capsys):
    code, out, err = run(capsys, db_url, "scan", "123", "--event", "No Such Event")
    assert code != 0 and out == "" and "No Such Event" in err


def test_simulate_json_keys(capsys, tmp_path):
    code = main(["simulate", "--guests", "60", "--hosts", "4", "--seed", "3", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(doc) >= {
        "hosted_within_60s",
        "median_wait_s",
        "max_wait_s",
        "max_host_load",
        "capacity_violations",
        "interest_match",
        "introductions_per_newcomer",
    }
    assert doc["capacity_violations"] == 0


def test_installed_entry_point_runs(tmp_path):
    exe = Path(sys.executable).with_name("checkin")
    out = subprocess.run(
        [str(exe), "--database", str(tmp_path / "x.sqlite3"), "event", "create", "Launch",
         "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(out.stdout)["name"] == "Launch"
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert "Welcome Desk" in version.stdout


def test_door_commands_write_the_journal_and_merge_reads_it(demo, capsys, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    _, found, _ = run(capsys, demo, "search", "garcia", "-e", DEMO, "--json")
    code = next(r["code"] for r in found["results"] if not r["checked_in"])
    rc, scan, _ = run(capsys, demo, "--journal-folder", str(folder), "scan", code, "-e", DEMO,
                      "--device", "Door 2", "--json")  # fmt: skip
    assert rc == 0 and scan["outcome"] == "checked_in"
    (journal,) = folder.glob("*.jsonl")
    assert "door-2" in journal.name.lower()
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert '"type": "header"' in lines[0].replace('":"', '": "') or "header" in lines[0]
    assert any(code in line for line in lines[1:])
    # Merging the door's journal again changes nothing: the check-in is already there.
    rc, _, _ = run(capsys, demo, "merge", str(journal), "-e", DEMO, "--json")
    assert rc == 0
