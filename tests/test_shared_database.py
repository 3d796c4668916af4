"""The README's several-doors recipe, run for real: start the shared database with the
shipped script, point two doors at it, check guests in from both, stop it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.postgres import skip_or_fail, unavailable_reason

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "packaging" / "shared-database" / "welcome-desk-db"


def _checkin(url: str, *args: str) -> dict | str:
    out = subprocess.run(
        [sys.executable, "-m", "checkin", "--database", url, *args],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        return out.stdout


@pytest.mark.postgres
def test_two_doors_share_one_database_started_by_the_script():
    if reason := unavailable_reason():
        skip_or_fail(reason)
    from port_for import select_random

    folder = Path(tempfile.mkdtemp(prefix="welcome-desk-shared-"))
    os.chmod(folder, 0o755)  # the server runs as `postgres` when we are root
    data = folder / "data"
    port = select_random()
    try:
        subprocess.run([str(SCRIPT), "start", str(data), str(port)], check=True, timeout=120)
        url = subprocess.run(
            [str(SCRIPT), "url", str(data), "127.0.0.1"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        assert url.startswith("postgresql://welcomedesk:")
        assert _checkin(url, "demo").strip() == "Riverside Business Breakfast"
        found = _checkin(url, "search", "garcia", "-e", "Riverside Business Breakfast", "--json")
        code = next(r["code"] for r in found["results"] if not r["checked_in"])
        door1 = _checkin(url, "scan", code, "-e", "Riverside Business Breakfast",
                         "--device", "Door 1", "--json")  # fmt: skip
        door2 = _checkin(url, "scan", code, "-e", "Riverside Business Breakfast",
                         "--device", "Door 2", "--json")  # fmt: skip
        assert door1["outcome"] == "checked_in"
        assert door2["outcome"] == "already_checked_in" and door2["device"] == "Door 1"
    finally:
        subprocess.run([str(SCRIPT), "stop", str(data)], check=False, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
