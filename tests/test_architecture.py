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
        "from checkin.store.db import open_database\n"
        "from checkin.events import create_event\n"
        "from checkin.door.walkins import walk_in\n"
        f"db = open_database({str(tmp_path / 'x.sqlite3')!r})\n"
        "create_event(db, 'E')\n"
        "walk_in(db, 'E', name='Ann Example')\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was loaded'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """Modules this file imports when it runs, lazy imports included (TYPE_CHECKING not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _module_graph() -> dict[str, set[str]]:
    files = {}
    for top in ("checkin", "ui", "web"):
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            files[name.removesuffix(".__init__")] = path
    names = set(files)
    return {n: (_runtime_imports(p, names) & names) - {n} for n, p in files.items()}


def test_no_import_circles_not_even_lazy_ones():
    graph = _module_graph()
    circles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start and len(path) > 1:
                    circles.append(" -> ".join((*path, start)))
                elif nxt not in seen and nxt not in path:
                    seen.add(nxt)
                    stack.append((nxt, (*path, nxt)))
    # The package itself ("checkin" for __version__) is a leaf, not part of a circle.
    circles = [c for c in circles if " -> checkin -> " not in f" -> {c} -> "]
    assert not circles, circles[:5]
