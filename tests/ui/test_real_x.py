"""The door under a real X server and window manager, typed at with real key presses.

Offscreen tests send key events straight to widgets; here the X server delivers them to
whatever the window manager focused, as on a laptop. Runs when Xvfb, openbox and xdotool
are installed (packaging/system-deps.sh test; CI installs them), else skips saying why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
NEEDED = ("xvfb-run", "openbox", "xdotool")
missing = [tool for tool in NEEDED if shutil.which(tool) is None]

pytestmark = [
    pytest.mark.real_x,
    pytest.mark.slow,
    pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} (a real X display)"),
]


def _run_door(tmp_path: Path) -> dict:
    script = (
        "openbox >/dev/null 2>&1 & wm=$!; sleep 1; "
        f'"{sys.executable}" -m tests.ui.real_x_door "{tmp_path}"; status=$?; '
        "kill $wm; exit $status"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    env["QT_LOGGING_RULES"] = "qt.multimedia.*=false"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x720x24", "sh", "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_real_keys_scan_search_and_never_fill_a_dialog(tmp_path):
    result = _run_door(tmp_path)
    assert result["first"] == "Anna Müller" and result["box_after_scan"] == ""
    # The scan during the walk-in form: the guest is in, the form is as it was.
    assert result["door_shows"] == "José García"
    assert result["name_field"] == "Peter Par" and result["dialog_open"]
    assert not result["fake_guest"]
    assert result["search_box"] == "nora"  # a person's typing is still typing
