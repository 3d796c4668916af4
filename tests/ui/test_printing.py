"""The badge print queue: to a PDF file through QPrinter, and to a real CUPS queue.

Printing rasterises each badge page at the printer's resolution (that is what every driver,
label printers included, understands), so a printed PDF holds an image, not text. These
tests check the name where it survives as text (the job title: the PDF's /Title, the CUPS
job name, the cups-pdf file name) and check the page *image* against the badge PDF the
renderer made, rendered side by side: it matches that badge and not another guest's.

The CUPS tests start a private ``cupsd -f`` (own config, socket and spool in a temporary
folder, ``CUPS_SERVER`` pointing at it) with a cups-pdf queue whose output folder is set by
a per-queue file ``/etc/cups/cups-pdf-<instance>.conf`` (cups-pdf only reads its config
from /etc/cups; that file is removed afterwards). cups-pdf's backend is installed
root-only (mode 0700), which makes CUPS run it as root: so these tests need root, the
Debian packages ``cups`` and ``printer-driver-cups-pdf`` (packaging/system-deps.sh test),
and skip, saying why, without them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from checkin.badges import printlog
from checkin.badges.data import BadgeData
from checkin.badges.lookup import badge_for_registration
from checkin.badges.render import render_badge_pdf
from checkin.badges.templates import BadgeTemplate, get_template
from checkin.cli.main import main as checkin_main
from checkin.door.engine import check_in
from checkin.store.models import PrintLog
from tests.support.factories import event_with_guests, guest
from ui.printing.preview import available_printers, load_pdf, preview_dialog, set_page
from ui.printing.queue import PrintQueue, PrintTarget, choose_printer

pytestmark = pytest.mark.gui
WAIT_MS = 20_000
ANNA = BadgeData("Anna", "Anna Lindqvist", company="Nordlys Analytics", event_name="Print Night")
BOB = BadgeData("Bob", "Bob Smith", company="Nordlys Analytics", event_name="Print Night")


@pytest.fixture
def template() -> BadgeTemplate:
    return get_template("zebra-4x3")


class Recorder:
    """The queue's ``record`` hook, remembered (the real one is checkin.badges.printlog)."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, str, str, str]] = []

    def __call__(self, registration_id: int, kind: str, printer: str, status: str, detail: str):
        self.calls.append((registration_id, kind, printer, status, detail))

    @property
    def statuses(self) -> list[str]:
        return [c[3] for c in self.calls]


@pytest.fixture
def make_queue(qtbot) -> Iterator[Callable[..., PrintQueue]]:
    queues: list[PrintQueue] = []

    def make(*args, **kwargs) -> PrintQueue:
        queue = PrintQueue(*args, **kwargs)
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        queue.close()


# -- what a printed page shows ------------------------------------------------------------


def _gray(pdf: bytes, size: QSize) -> bytes:
    page = load_pdf(pdf).render(0, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, page)
    painter.end()
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    row = gray.bytesPerLine()
    data = bytes(gray.constBits())
    return b"".join(data[y * row : y * row + size.width()] for y in range(size.height()))


def _difference(a: bytes, b: bytes) -> float:
    """Mean absolute grey-level difference (0 = the same, 255 = inverted)."""
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def assert_shows(printed: Path, badge: BadgeData, template: BadgeTemplate, other: BadgeData):
    """The printed PDF is the badge's page: the template's size, titled with the guest's name,
    and its image matches their badge (about 1/255 apart here) and not another's (about 25)."""
    reader = PdfReader(printed)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(template.page_size, abs=1)
    assert badge.full_name in str(reader.metadata.title)
    size = QSize(round(template.page_width), round(template.page_height))
    seen = _gray(printed.read_bytes(), size)
    same = _difference(seen, _gray(render_badge_pdf(badge, template), size))
    different = _difference(seen, _gray(render_badge_pdf(other, template), size))
    assert same < 5 and different > 4 * same, (same, different)


# -- the queue, printing to PDF files ------------------------------------------------------


def test_a_badge_prints_to_a_pdf_file_off_the_ui_thread(qtbot, make_queue, template, tmp_path):
    record = Recorder()
    target = PrintTarget(pdf_path=str(tmp_path / "badge-{registration}-{job}.pdf"))
    threads: list[int] = []
    release = threading.Event()

    def badge_for(registration_id: int) -> BadgeData:
        threads.append(threading.get_ident())
        release.wait(WAIT_MS / 1000)  # a slow database: the door must not wait for it
        return ANNA

    queue = make_queue(target, template, record=record, badge_for=badge_for)
    changes: list[tuple[int, int]] = []
    queue.queue_changed.connect(lambda pending, failed: changes.append((pending, failed)))

    with qtbot.waitSignal(queue.job_started, timeout=WAIT_MS):
        job = queue.reprint(41)
    assert queue.pending == 1  # the UI thread is free while the worker waits
    release.set()
    with qtbot.waitSignal(queue.job_done, timeout=WAIT_MS) as done:
        pass
    assert done.args == [job, 41]
    assert threads and threads[0] != threading.get_ident()
    assert changes[0] == (1, 0) and changes[-1] == (0, 0)
    printed = tmp_path / f"badge-41-{job}.pdf"
    assert_shows(printed, ANNA, template, BOB)
    assert record.calls == [(41, "reprint", f"pdf:{printed}", "sent", f"job {job}")]
    assert queue.last_seconds is not None


def test_a_failed_job_is_kept_and_retried(qtbot, make_queue, template, tmp_path):
    record = Recorder()
    folder = tmp_path / "not-yet"
    queue = make_queue(PrintTarget(pdf_path=str(folder / "badge.pdf")), template, record=record)

    with qtbot.waitSignal(queue.job_failed, timeout=WAIT_MS) as failed:
        job = queue.auto_print(7, ANNA)
    assert failed.args[0] == job and "badge.pdf" in failed.args[1]
    assert (queue.pending, queue.failed) == (0, 1)
    assert [j.id for j in queue.failed_jobs()] == [job]
    assert record.statuses == ["failed"] and record.calls[0][1] == "auto"

    folder.mkdir()  # the volunteer fixes it
    with qtbot.waitSignal(queue.job_done, timeout=WAIT_MS) as done:
        assert queue.retry_failed() == 1
    assert done.args == [job, 7]
    assert (queue.pending, queue.failed) == (0, 0)
    assert record.statuses == ["failed", "sent"]
    assert_shows(folder / "badge.pdf", ANNA, template, BOB)


def test_a_missing_printer_fails_and_another_printer_can_take_the_job(
    qtbot, make_queue, template, tmp_path
):
    queue = make_queue(PrintTarget(printer="No Such Printer 42"), template)
    with qtbot.waitSignal(queue.job_failed, timeout=WAIT_MS) as failed:
        job = queue.reprint(8, ANNA)
    assert "No Such Printer 42" in failed.args[1] and "not found" in failed.args[1]
    assert queue.failed == 1

    queue.set_target(PrintTarget(pdf_path=str(tmp_path / "instead.pdf")))
    with qtbot.waitSignal(queue.job_done, timeout=WAIT_MS) as done:
        queue.retry_failed()
    assert done.args == [job, 8]
    assert (tmp_path / "instead.pdf").exists()


def test_auto_print_gives_one_badge_per_guest(qtbot, make_queue, template, tmp_path):
    printed_before = {5}
    queue = make_queue(
        PrintTarget(pdf_path=str(tmp_path / "{registration}.pdf")),
        template,
        already_printed=lambda rid: rid in printed_before,
    )
    with qtbot.waitSignal(queue.job_done, timeout=WAIT_MS):
        assert queue.auto_print(4, ANNA) is not None
    assert queue.auto_print(4, ANNA) is None, "asked twice in one session: one badge"
    with qtbot.waitSignal(queue.job_skipped, timeout=WAIT_MS) as skipped:
        job = queue.auto_print(5, BOB)  # the print log says Bob has one
    assert skipped.args == [job, 5]
    assert not (tmp_path / "5.pdf").exists()
    with qtbot.waitSignal(queue.job_done, timeout=WAIT_MS):
        queue.reprint(5, BOB)  # a reprint is deliberate: it prints
    assert (tmp_path / "5.pdf").exists()


def test_the_queue_logs_to_the_database_and_auto_prints_once(qtbot, db, template, tmp_path):
    event_with_guests(db, "Print Night", [guest(2, "Anna", "Lindqvist", ticket_code="Q1")])
    outcome = check_in(db, "Print Night", "Q1", device="Door 1")
    rid = outcome.guest.registration_id
    target = PrintTarget(pdf_path=str(tmp_path / "{job}.pdf"))

    first = PrintQueue.for_database(db, target, template)
    try:
        with qtbot.waitSignal(first.job_done, timeout=WAIT_MS):
            first.auto_print(rid)  # the badge is read from the database
    finally:
        first.close()
    assert not printlog.should_auto_print(db, rid)
    badge = badge_for_registration(db, rid)
    assert badge.full_name == "Anna Lindqvist" and badge.first_time
    assert_shows(tmp_path / "1.pdf", badge, template, BOB)

    second = PrintQueue.for_database(db, target, template)  # another door, or a restart
    try:
        with qtbot.waitSignal(second.job_skipped, timeout=WAIT_MS):
            second.auto_print(rid)
        with qtbot.waitSignal(second.job_done, timeout=WAIT_MS):
            second.reprint(rid)
    finally:
        second.close()
    with db.read() as s:
        kinds = s.execute(select(PrintLog.kind, PrintLog.status).order_by(PrintLog.id)).all()
    assert [tuple(k) for k in kinds] == [("auto", "sent"), ("reprint", "sent")]


def test_preview_paints_the_badge(qtbot, template, tmp_path):
    dialog = preview_dialog(None, render_badge_pdf(ANNA, template), template)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "preview.pdf"))
    printer.setResolution(150)
    printer.setDocName(f"Badge: {ANNA.full_name}")
    set_page(printer, *template.page_size)
    dialog.paintRequested.emit(printer)  # what the dialog's Print button does
    assert_shows(tmp_path / "preview.pdf", ANNA, template, BOB)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.close()


# -- a real print system: CUPS with a cups-pdf queue -----------------------------------------

CUPS_QUEUE = "WelcomeDeskPDF"
CUPS_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])


def _tool(name: str) -> str | None:
    return shutil.which(name, path=SBIN)


def _cups_unavailable() -> str | None:
    tools = ("cupsd", "lpadmin", "lpstat", "cupsenable", "cupsdisable", "cupsaccept")
    missing = [t for t in (*tools, "cupsreject") if _tool(t) is None]
    if missing:
        return f"CUPS is not installed ({', '.join(missing)} missing): install cups"
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        return "cups-pdf is not installed: install printer-driver-cups-pdf"
    if os.geteuid() != 0:
        return "cups-pdf's backend runs only under a cupsd started as root: run as root"
    return None


@functools.cache
def _libcups() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("cups")
    return ctypes.CDLL(name) if name else None


def _reread_cups_server() -> None:
    """libcups remembers its server per thread: make this thread read CUPS_SERVER again."""
    lib = _libcups()
    if lib is not None:
        lib.cupsSetServer(None)


@dataclass
class Cups:
    root: Path
    socket: Path
    out: Path
    instance: str

    def run(self, *args: str) -> str:
        tool = _tool(args[0]) or args[0]
        done = subprocess.run(
            [tool, *args[1:]],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "CUPS_SERVER": str(self.socket)},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def add_queue(self, name: str) -> None:
        self.run("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{self.instance}", "-m", CUPS_PPD)

    def output(self, name_part: str) -> Path | None:
        """A finished cups-pdf file whose name holds ``name_part`` (cups-pdf names files
        after the job title: "Badge__Anna_Lindqvist-job_3.pdf")."""
        for path in self.out.rglob(f"*{name_part}*.pdf"):
            data = path.read_bytes()
            if data.rstrip().endswith(b"%%EOF"):
                return path
        return None


def _write_cups_config(root: Path, instance: str) -> tuple[Path, Path]:
    for sub in ("etc/ppd", "spool/tmp", "cache", "state", "log", "out"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    socket = root / "cups.sock"
    files = root / "cups-files.conf"
    files.write_text(
        f"ServerRoot {root}/etc\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\n"
        f"CacheDir {root}/cache\nStateDir {root}/state\nErrorLog {root}/log/error_log\n"
        f"AccessLog {root}/log/access_log\nPageLog {root}/log/page_log\n"
        f"Printcap {root}/printcap\nSystemGroup root\n"
    )
    cupsd = root / "cupsd.conf"
    cupsd.write_text(
        f"Listen {socket}\nLogLevel info\nBrowsing No\nWebInterface No\n"
        "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
    )
    # cups-pdf reads /etc/cups/cups-pdf-<instance>.conf for the URI cups-pdf:/<instance>.
    conf = Path(f"/etc/cups/cups-pdf-{instance}.conf")
    conf.write_text(f"Out {root}/out\nSpool {root}/cups-pdf-spool\nLog {root}/log\n")
    return cupsd, files


@pytest.fixture(scope="session")
def cups() -> Iterator[Cups]:
    reason = _cups_unavailable()
    if reason:
        pytest.skip(reason)
    # Not pytest's tmp folder: it is private (0700) and CUPS filters run as the user lp.
    root = Path(tempfile.mkdtemp(prefix="welcomedesk-cups-"))
    root.chmod(0o755)
    instance = f"welcomedesk-{os.getpid()}"
    cupsd_conf, files_conf = _write_cups_config(root, instance)
    server = Cups(root, root / "cups.sock", root / "out", instance)
    log = (root / "log" / "cupsd.out").open("w")
    proc = subprocess.Popen(
        [_tool("cupsd") or "cupsd", "-f", "-c", str(cupsd_conf), "-s", str(files_conf)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    patch = pytest.MonkeyPatch()
    try:
        deadline = time.monotonic() + 15
        while "scheduler is running" not in _lpstat_r(server):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"cupsd did not start: {(root / 'log' / 'cupsd.out').read_text()}")
            time.sleep(0.05)  # waiting for another process to listen: no signal to wait on
        server.add_queue(CUPS_QUEUE)
        patch.setenv("CUPS_SERVER", str(server.socket))
        _reread_cups_server()
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        patch.undo()
        _reread_cups_server()
        Path(f"/etc/cups/cups-pdf-{instance}.conf").unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


def _lpstat_r(server: Cups) -> str:
    done = subprocess.run(
        [_tool("lpstat") or "lpstat", "-r"],
        capture_output=True,
        text=True,
        env={**os.environ, "CUPS_SERVER": str(server.socket)},
    )
    return done.stdout


def test_a_badge_prints_through_cups(qtbot, cups, make_queue, template):
    record = Recorder()
    queue = make_queue(PrintTarget(printer=CUPS_QUEUE), template, record=record)
    with qtbot.waitSignal(queue.job_done, timeout=WAIT_MS):
        queue.reprint(3, ANNA)
    assert record.calls[0][2:4] == (CUPS_QUEUE, "sent")
    qtbot.waitUntil(lambda: cups.output("Anna_Lindqvist") is not None, timeout=WAIT_MS)
    printed = cups.output("Anna_Lindqvist")
    assert printed is not None
    assert_shows(printed, ANNA, template, BOB)


def test_cups_failures_are_reported_and_retried(qtbot, cups, make_queue, template):
    cups.add_queue("WDPaused")
    cups.add_queue("WDRejecting")
    cups.run("cupsdisable", "WDPaused")
    cups.run("cupsreject", "WDRejecting")
    names = {p.name: p for p in available_printers()}
    assert names[CUPS_QUEUE].ready and not names["WDPaused"].ready

    paused = make_queue(PrintTarget(printer="WDPaused"), template)
    with qtbot.waitSignal(paused.job_failed, timeout=WAIT_MS) as failed:
        paused.reprint(1, BOB)
    assert "stopped or offline" in failed.args[1] and "paused" in failed.args[1]

    rejecting = make_queue(PrintTarget(printer="WDRejecting"), template)
    with qtbot.waitSignal(rejecting.job_failed, timeout=WAIT_MS) as failed:
        rejecting.reprint(2, BOB)
    # Qt reports success here; the queue asks libcups what became of the job.
    assert "refused" in failed.args[1] and "not accepting" in failed.args[1]

    cups.run("cupsenable", "WDPaused")
    cups.run("cupsaccept", "WDRejecting")
    for queue in (paused, rejecting):
        with qtbot.waitSignal(queue.job_done, timeout=WAIT_MS):
            assert queue.retry_failed() == 1


def test_choose_printer_returns_the_queue_name(qtbot, cups):
    def accept() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QPrintDialog):
            dialog.accept()
        else:
            QTimer.singleShot(20, accept)

    QTimer.singleShot(0, accept)
    assert choose_printer(None, CUPS_QUEUE) == CUPS_QUEUE


def test_the_command_line_sends_a_batch_to_cups(cups, sqlite_db, qtbot, capsys, tmp_path):
    event_with_guests(sqlite_db, "Batch Night", [guest(2, "Bob", "Smith", ticket_code="C1")])
    out = tmp_path / "batch.pdf"
    args = ["badges", "-e", "Batch Night", "--out", str(out), "--template", "zebra-4x3"]
    code = checkin_main(["--database", sqlite_db.url, *args, "--printer", CUPS_QUEUE])
    assert code == 0, capsys.readouterr().err
    with sqlite_db.read() as s:
        rows = s.execute(select(PrintLog.kind, PrintLog.status, PrintLog.printer)).all()
    assert [tuple(r) for r in rows] == [("batch", "sent", CUPS_QUEUE)]
    qtbot.waitUntil(lambda: cups.output("batch") is not None, timeout=WAIT_MS)
    printed = cups.output("batch")
    assert printed is not None and "Bob Smith" in PdfReader(printed).pages[0].extract_text()
