"""`checkin selftest`: a quick end-to-end check of whatever build this is (source or bundle).

Everything happens in a scratch folder: a new SQLite database migrated from the shipped
Alembic files, a three-line guest list, a host and a first-timer checked in, a badge, a QR
code decoded again, an attendance file, and Qt started offscreen. Nothing touches the
user's real database or data folder.

The core never loads Qt (tests/test_architecture.py): the Qt step runs in a child process
(`checkin selftest --qt-probe`, the same binary in a bundle), so this process stays Qt-free
and a Qt library that aborts on loading shows up as a failed step instead of a crash.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checkin import __version__

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
QT_PROBE_TIMEOUT = 60.0  # s; a first start of a bundle on a slow laptop disk can take a while
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPrintSupport", "QtPdf", "QtMultimedia")

# Three guests: a host, a first-timer who shares the host's interests, a returning guest
# whose name needs the bundled fonts (Latin accents, Arabic company name for shaping).
GUEST_LIST = """\
First name,Last name,Email,Company,Ticket code,First time,Host,Host capacity,Interests
Hana,Host,hana@example.com,Welcome Desk,SELFTEST-HOST,no,yes,2,"Design; Coffee"
Nia,Newcomer,nia@example.com,Ångström AB,SELFTEST-NEW,yes,no,,"design, AI"
Zoë,Ångström,zoe@example.com,شركة المثال,SELFTEST-BACK,no,no,,Tea
"""
EVENT = "Selftest Evening"
HOST, NEWCOMER, RETURNING = "SELFTEST-HOST", "SELFTEST-NEW", "SELFTEST-BACK"
PREFERRED_TEMPLATES = ("zebra-4x3", "brother-ql-62x100", "avery-5392")


class Skip(Exception):
    """A step that cannot run in this build (a part not installed); not a failure."""


@dataclass
class Step:
    name: str
    status: str
    ms: float
    detail: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != FAILED

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "ok": self.ok,
            "ms": round(self.ms, 1),
            "detail": self.detail,
            "error": self.error,
        }


@dataclass
class Report:
    steps: list[Step] = field(default_factory=list)
    ms: float = 0.0

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    @property
    def failed(self) -> list[str]:
        return [s.name for s in self.steps if s.status == FAILED]

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "version": __version__,
            "frozen": bool(getattr(sys, "frozen", False)),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "executable": sys.executable,
            "ms": round(self.ms, 1),
            "failed": self.failed,
            "steps": [s.as_json() for s in self.steps],
        }


class _Run:
    """The state steps hand on to each other, in one scratch folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db: Any = None
        self.badge_pdf: Path | None = None
        self.done: set[str] = set()

    def need(self, *steps: str) -> None:
        missing = [s for s in steps if s not in self.done]
        if missing:
            raise RuntimeError(f"not run: needs the {', '.join(missing)} step")


class _LogCapture(logging.Handler):
    """Collects a logger's warnings during a step (they go into the step's detail)."""

    def __init__(self, logger: str) -> None:
        super().__init__(logging.WARNING)
        self.logger = logging.getLogger(logger)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def __enter__(self) -> _LogCapture:
        self.logger.addHandler(self)
        self._propagate, self.logger.propagate = self.logger.propagate, False
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self)
        self.logger.propagate = self._propagate


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return text if len(text) <= 2000 else text[:2000] + " …"


def _timed(name: str, fn: Callable[[], str]) -> Step:
    start = time.perf_counter()
    try:
        detail = fn() or ""
        status, error = OK, None
    except Skip as exc:
        detail, status, error = f"skipped: {exc}", SKIPPED, None
    except Exception as exc:  # a selftest reports every failure, whatever it is
        detail, status, error = "", FAILED, _error_text(exc)
        if os.environ.get("CHECKIN_SELFTEST_TRACEBACK"):
            traceback.print_exc()
    return Step(name, status, (time.perf_counter() - start) * 1000, detail, error)


# --- the steps ---------------------------------------------------------------------------------


def _resources(run: _Run) -> str:
    from checkin.resources import fonts_dir, resources_dir, templates_dir

    root = resources_dir()
    if not root.is_dir():
        raise FileNotFoundError(f"no resources folder at {root}")
    fonts = sorted(fonts_dir().glob("*.ttf"))
    templates = sorted(templates_dir().glob("*.json"))
    if not fonts:
        raise FileNotFoundError(f"no fonts in {fonts_dir()}")
    if not templates:
        raise FileNotFoundError(f"no badge templates in {templates_dir()}")
    return f"{root}: {len(fonts)} fonts, {len(templates)} badge templates"


def _database(run: _Run) -> str:
    from checkin.store.db import open_database
    from checkin.store.migrate import MIGRATIONS, current_revision, head_revision

    if not (MIGRATIONS / "env.py").is_file():
        raise FileNotFoundError(f"no Alembic migrations at {MIGRATIONS}")
    run.db = open_database(f"sqlite:///{run.folder / 'selftest.sqlite3'}")
    head, current = head_revision(), current_revision(run.db)
    if not head or current != head:
        raise RuntimeError(f"schema at {current!r}, expected the head {head!r}")
    run.done.add("database")
    return f"SQLite {run.db.sqlite_path}, migrated to {current}"


def _import(run: _Run) -> str:
    from checkin.events import create_event
    from checkin.guestlist.importer import import_guest_list

    run.need("database")
    create_event(run.db, EVENT)
    path = run.folder / "guests.csv"
    path.write_text(GUEST_LIST, encoding="utf-8")
    summary = import_guest_list(run.db, EVENT, path)
    if summary.added != 3 or summary.hosts != 1:
        raise RuntimeError(f"expected 3 guests and 1 host, got {summary.as_json()}")
    run.done.add("import")
    return f"{summary.added} guests ({summary.format} CSV), {summary.hosts} host"


def _check_in(run: _Run) -> str:
    from checkin.door.engine import check_in
    from checkin.door.outcomes import OutcomeKind

    run.need("import")
    host = check_in(run.db, EVENT, HOST, device="selftest")
    back = check_in(run.db, EVENT, RETURNING, device="selftest")
    again = check_in(run.db, EVENT, RETURNING, device="selftest")
    got = (host.kind, host.is_host, back.kind, back.first_time, again.kind)
    want = (OutcomeKind.CHECKED_IN, True, OutcomeKind.CHECKED_IN, False)
    if got[:4] != want or again.kind is not OutcomeKind.ALREADY_CHECKED_IN:
        raise RuntimeError(f"unexpected outcomes {[str(g) for g in got]}")
    run.done.add("check_in")
    return "host and a returning guest checked in; a second scan says already checked in"


def _host(run: _Run) -> str:
    from checkin.door.engine import check_in
    from checkin.door.outcomes import OutcomeKind
    from checkin.hosting.board import host_board

    run.need("check_in")
    new = check_in(run.db, EVENT, NEWCOMER, device="selftest")
    if new.kind is not OutcomeKind.CHECKED_IN or not new.first_time:
        raise RuntimeError(f"the newcomer came out as {new.kind}, first_time={new.first_time}")
    if new.host is None or new.host.code != HOST:
        raise RuntimeError(f"the first-timer got host {new.host}, expected Hana Host")
    board = host_board(run.db, EVENT).as_json()
    shared = ", ".join(new.host.shared_interests) or "none"
    run.done.add("host")
    return f"first-timer {new.guest.name} → host {new.host.name} (shared: {shared}); " + (
        f"board lists {len(board.get('hosts', []))} host(s)"
    )


def _search(run: _Run) -> str:
    from checkin.door.search import search_guests

    run.need("import")
    hits = search_guests(run.db, EVENT, "angstrom")
    if not hits or hits[0].code != RETURNING:
        raise RuntimeError(f"a typo-free search for 'angstrom' found {[h.name for h in hits]}")
    return f"'angstrom' → {hits[0].name}"


def _badge(run: _Run) -> str:
    try:
        from checkin.badges.data import BadgeData
        from checkin.badges.render import render_badge_pdf
        from checkin.badges.templates import get_template, load_templates
    except ImportError as exc:
        raise Skip(f"badges not available ({exc})") from exc

    names = load_templates()
    name = next((n for n in PREFERRED_TEMPLATES if n in names), min(names, default=None))
    if name is None:
        raise RuntimeError("no badge templates were found")
    badge = BadgeData(
        first_name="Zoë",
        full_name="Zoë Ångström",
        company="شركة المثال",
        job_title="Selftest",
        event_name=EVENT,
        first_time=True,
        host_name="Hana Host",
        vcard="BEGIN:VCARD\nVERSION:3.0\nFN:Zoë Ångström\nEND:VCARD",
        code=RETURNING,
    )
    warnings = _LogCapture("checkin.badges")
    with warnings:
        pdf = render_badge_pdf(badge, get_template(name))
    if not pdf.startswith(b"%PDF") or len(pdf) < 1000:
        raise RuntimeError(f"the badge is not a PDF ({len(pdf)} bytes)")
    run.badge_pdf = run.folder / "badge.pdf"
    run.badge_pdf.write_bytes(pdf)
    notes = f"; warnings: {'; '.join(warnings.messages)}" if warnings.messages else ""
    return f"{name}: {len(pdf) // 1024} KB PDF{notes}"


def _qr(run: _Run) -> str:
    import zxingcpp

    from checkin.badges.qr_sheets import qr_image

    text = "WD1-SELFTEST-Ωμέγα"
    image = qr_image(text, box_size=4).convert("L")
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    texts = [r.text for r in found]
    if texts != [text]:
        raise RuntimeError(f"decoded {texts!r}, expected [{text!r}]")
    return f"{image.width}×{image.height} px QR decoded by zxing-cpp"


def _export(run: _Run) -> str:
    from checkin.reports.export import export_attendance

    run.need("host")
    out = run.folder / "attendance.xlsx"
    rows = export_attendance(run.db, EVENT, out)
    if rows < 3 or out.stat().st_size == 0:
        raise RuntimeError(f"the attendance file has {rows} rows")
    return f"{rows} rows to XLSX"


def _postgresql_driver(run: _Run) -> str:
    from sqlalchemy import create_engine

    # Builds the dialect and loads psycopg (no server is contacted), so a build that lost
    # the driver says so here rather than at a multi-door event.
    engine = create_engine("postgresql+psycopg://selftest@127.0.0.1:9/selftest")
    psycopg = importlib.import_module("psycopg")
    libpq = psycopg.pq.version()
    engine.dispose()
    return (
        f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, "
        f"libpq {libpq // 10000}.{libpq % 10000})"
    )


def _qt(run: _Run) -> str:
    command = [*self_command(), "selftest", "--qt-probe"]
    if run.badge_pdf:
        command.append(str(run.badge_pdf))
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        timeout=QT_PROBE_TIMEOUT,
        cwd=run.folder,
    )
    result = None
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            result = json.loads(line)
            break
    if result is None or proc.returncode != 0:
        why = (result or {}).get("error") or proc.stderr.strip()[-1500:] or "no output"
        raise RuntimeError(f"the Qt probe exited with status {proc.returncode}: {why}")
    return result["detail"]


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("resources", _resources),
    ("database", _database),
    ("import", _import),
    ("check_in", _check_in),
    ("host", _host),
    ("search", _search),
    ("badge", _badge),
    ("qr", _qr),
    ("export", _export),
    ("postgresql_driver", _postgresql_driver),
    ("qt", _qt),
)


def self_command() -> list[str]:
    """How to start this very `checkin` again: the bundle's binary, or this Python."""
    if getattr(sys, "frozen", False):
        # Windows: welcome-desk.exe has no console (no stdout); checkin.exe is its twin.
        twin = Path(sys.executable).with_name("checkin.exe")
        if sys.platform == "win32" and twin.is_file():
            return [str(twin)]
        return [sys.executable]
    return [sys.executable, "-m", "checkin"]


def run_selftest(only: list[str] | None = None) -> Report:
    """Run the steps (all, or those named in ``only``) in a scratch folder."""
    report = Report()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="welcome-desk-selftest-") as tmp:
        run = _Run(Path(tmp))
        try:
            for name, fn in STEPS:
                if only and name not in only:
                    continue
                report.steps.append(_timed(name, lambda fn=fn: fn(run)))
        finally:
            if run.db is not None:
                run.db.dispose()
    report.ms = (time.perf_counter() - start) * 1000
    return report
