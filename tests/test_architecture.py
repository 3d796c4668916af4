"""The layering rules that keep the core usable without a screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_qt_or_ui():
    offenders = []
    for path in (ROOT / "checkin").rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in {"PySide6", "PyQt5", "PyQt6", "shiboken6", "ui"}:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    # The allowed doors: `checkin gui` starts the app and `selftest --qt-probe` checks Qt in a
    # child process, both importing ui lazily inside a function.
    allowed = ("checkin/cli/guests.py imports ui.", "checkin/cli/selftest_cmd.py imports ui.")
    offenders = [o for o in offenders if not o.startswith(allowed)]
    assert not offenders, offenders


def test_core_runs_a_check_in_without_loading_qt(tmp_path):
    script = (
        "import sys\n"
        "from checkin.db import open_database\n"
        "from checkin.events import create_event\n"
        "from checkin.walkins import walk_in\n"
        f"db = open_database({str(tmp_path / 'x.sqlite3')!r})\n"
        "create_event(db, 'E')\n"
        "walk_in(db, 'E', name='Ann Example')\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was loaded'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
