"""`checkin selftest`: every step passes in a development install, and failures are named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checkin.cli.main import main
from checkin.selftest import STEPS

ROOT = Path(__file__).resolve().parents[1]


def _run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["selftest", "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_every_step_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _run_json(capsys)
    bad = [s for s in report["steps"] if s["status"] != "ok"]
    assert not bad, json.dumps(bad, indent=2, ensure_ascii=False)
    assert code == 0
    assert report["ok"] is True and report["failed"] == []
    assert [s["name"] for s in report["steps"]] == [name for name, _ in STEPS]
    for step in report["steps"]:
        assert step["ok"] is True and step["error"] is None
        assert isinstance(step["ms"], int | float) and step["ms"] >= 0
    assert report["ms"] < 15_000, "the selftest should take a few seconds at most"


def test_a_failing_step_is_named_and_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHECKIN_RESOURCES", str(tmp_path / "nowhere"))
    code = main(["selftest", "--json", "--step", "resources", "--step", "qr"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert code == 1
    assert report["ok"] is False and report["failed"] == ["resources"]
    steps = {s["name"]: s for s in report["steps"]}
    assert steps["resources"]["status"] == "failed"
    assert "nowhere" in steps["resources"]["error"]
    assert steps["qr"]["status"] == "ok"
    assert "selftest failed" in captured.err and "resources" in captured.err


def test_a_step_brings_the_steps_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _run_json(capsys, "--step", "host")
    assert code == 0
    assert [s["name"] for s in report["steps"]] == ["database", "import", "check_in", "host"]


def test_text_output_lists_each_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["selftest", "--step", "qr", "--step", "search"]) == 0
    out = capsys.readouterr().out
    assert "selftest" in out.splitlines()[0]
    assert any(line.split()[:2] == ["ok", "qr"] for line in out.splitlines())
    assert "passed" in out.splitlines()[-1]


def test_the_selftest_process_itself_never_loads_qt(tmp_path: Path) -> None:
    # Qt runs in a child process (`checkin selftest --qt-probe`); the core stays Qt-free.
    script = (
        "import sys\n"
        "from checkin.selftest import run_selftest\n"
        "report = run_selftest()\n"
        "assert report.ok, report.as_json()\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=tmp_path, timeout=120)
