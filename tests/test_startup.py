"""Start-up: a one-shot command loads only what it needs (the timings are in `make bench`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checkin.cli.main import ALL_MODULES, COMMAND_MODULES, build_parser, modules_for

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("reportlab", "openpyxl", "PySide6", "alembic")


def _loaded_after(argv: list[str], prefixes: tuple[str, ...]) -> list[str]:
    script = (
        "import json, sys\n"
        "from checkin.cli.main import main\n"
        f"status = main({argv!r})\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({prefixes!r}))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_one_shot_scan_imports_no_reportlab_openpyxl_qt_or_alembic(tmp_path):
    db = str(tmp_path / "x.sqlite3")
    subprocess.run(
        [sys.executable, "-m", "checkin", "-d", db, "event", "create", "E"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )  # the database exists and is migrated: opening it again needs no Alembic
    assert _loaded_after(["-d", db, "scan", "--event", "E", "NOPE"], HEAVY) == []


def test_version_imports_no_database_layer():
    script = (
        "import sys\n"
        "from checkin.cli.main import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'checkin')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = eval(done.stdout.strip().splitlines()[-1])  # a printed list of names
    assert "Welcome Desk" in done.stdout
    assert not [m for m in loaded if m.startswith("sqlalchemy")]
    assert not [m for m in loaded if m.startswith("checkin.cli.") and m != "checkin.cli.main"]


def _commands(parser) -> set[str]:
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)


def test_every_command_is_found_by_its_own_module_alone():
    everything = _commands(build_parser(ALL_MODULES))
    assert set(COMMAND_MODULES) <= everything
    for command, module in COMMAND_MODULES.items():
        assert command in _commands(build_parser((module,))), command


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--version"], ()),
        ([], ()),
        (["-d", "scan", "scan", "X"], ("guests",)),  # an option's value is not the command
        (["--journal-folder", "/x", "met", "C"], ("hosts",)),
        (["--help"], ALL_MODULES),
        (["some-new-command"], ALL_MODULES),
    ],
)
def test_modules_for_a_command_line(argv, expected):
    assert modules_for(argv) == expected
