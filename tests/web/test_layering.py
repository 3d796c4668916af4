"""The phone server is a face: the core never imports it nor any web framework (only the
`checkin serve` command starts it), and it never imports Qt or the window."""

from __future__ import annotations

from tests.test_architecture import ROOT, _imports

WEB = {"web", "starlette", "uvicorn", "sse_starlette", "aiohttp", "fastapi", "flask"}
QT = {"PySide6", "shiboken6", "ui"}


def _offenders(folder: str, banned: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    found = []
    for path in (ROOT / folder).rglob("*.py"):
        rel = str(path.relative_to(ROOT))
        found += [f"{rel} imports {n}" for n in _imports(path) if n.split(".")[0] in banned]
    return [o for o in found if not o.startswith(allowed)]


def test_the_core_never_imports_a_web_framework():
    assert _offenders("checkin", WEB, ("checkin/cli/serve.py imports web.",)) == []


def test_the_phone_server_never_imports_qt_or_the_window():
    assert _offenders("web", QT) == []
