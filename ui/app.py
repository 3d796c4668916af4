"""Starting the desktop app: open the database, pick the event, show the door screen."""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)


def _icon():
    from PySide6.QtGui import QIcon

    from checkin.resources import resources_dir

    return QIcon(str(resources_dir() / "icons" / "welcome-desk.svg"))


def make_application():
    from PySide6.QtWidgets import QApplication

    from ui.settings import APPLICATION, ORGANISATION
    from ui.theme import STYLE

    # QtMultimedia reports every codec library it did not find; nothing a volunteer can act on.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("welcome-desk")
    app.setWindowIcon(_icon())
    app.setStyleSheet(STYLE)
    return app


def _no_display() -> bool:
    """On Linux without X11 or Wayland (an SSH session, a server) Qt would just abort."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )


def run(database: str | None = None, event: str | None = None) -> int:
    if _no_display():
        print(
            "checkin: no display to open the app on. Run it on the laptop's desktop, or try "
            "`xvfb-run checkin gui`; every door action is also a command (`checkin --help`).",
            file=sys.stderr,
        )
        return 1
    from PySide6.QtWidgets import QDialog, QMessageBox

    from checkin.errors import CheckinError
    from checkin.store.db import open_database
    from ui import settings as S
    from ui.settings import Settings
    from ui.tasks import TaskRunner

    app = make_application()
    settings = Settings()
    try:
        db = open_database(database)
    except CheckinError as exc:
        QMessageBox.critical(None, "Welcome Desk", f"The database could not be opened.\n\n{exc}")
        return 1
    runner = TaskRunner()
    pending: list[str] = []  # codes scanned while the event was being chosen
    event = event or settings.get(S.LAST_EVENT) or None
    if event:
        from checkin.events import event_info

        try:
            event = event_info(db, event).name
        except CheckinError:
            event = None  # the last event is gone (another database): ask
    if not event:
        from ui.organiser.event_chooser import EventChooser

        chooser = EventChooser(db, runner)
        if chooser.exec() != QDialog.DialogCode.Accepted or not chooser.chosen:
            runner.stop()
            return 0
        event, pending = chooser.chosen, chooser.pending_scans
    doors = []

    def show(event: str, scans=()) -> None:
        settings.set(S.LAST_EVENT, event)
        window = open_door(db, event, settings, runner)
        window.switch_requested.connect(lambda other: switch(window, other))
        doors.append(window)
        window.show()
        for code in scans:  # scanned while the event was being chosen: never lost
            window.door_actions.scan(code)

    def switch(old, other: str) -> None:
        old.close()
        doors.remove(old)
        old.deleteLater()
        show(other)

    show(event, pending)
    code = app.exec()
    runner.stop()
    return code


def fit_to_screen(window, settings) -> None:
    """The size it had last time when that fits this screen; otherwise (first start, or a
    smaller screen than last time) the whole screen: the door is the laptop's one job.
    1280×720 fits; a bigger screen gives the result panel more room and larger text."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from ui import settings as S

    screen = QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    try:
        w, h = (int(x) for x in settings.get(S.WINDOW_SIZE).split("x"))
    except ValueError:
        w = h = 0
    frame_w, frame_h = 8, 40  # the window manager's borders and title bar come on top
    if w and h and (room is None or (w + frame_w <= room.width() and h + frame_h <= room.height())):
        window.resize(w, h)
        return
    if room is not None:
        window.resize(min(1366, room.width() - frame_w), min(768, room.height() - frame_h))
    window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def open_door(db, event: str, settings, runner):
    """The door window with its camera attached (when the camera part is available)."""
    from ui import settings as S
    from ui.door.window import DoorWindow

    window = DoorWindow(db, event, settings, runner)
    fit_to_screen(window, settings)
    from checkin.badges.templates import TemplateError, get_template
    from ui.printing.queue import PrintQueue, PrintTarget

    try:
        template = get_template(settings.get(S.BADGE_TEMPLATE))
    except TemplateError:
        template = get_template(S.BADGE_TEMPLATE.default)
    target = PrintTarget(printer=settings.get(S.PRINTER))
    window.attach_printer(PrintQueue.for_database(db, target, template, parent=window))
    if settings.get(S.CAMERA_ON):
        try:
            from ui.scanning.camera import CameraScanner

            camera = CameraScanner(window)
            window.attach_camera(camera)
            camera.start(settings.get(S.CAMERA) or None)
        except ImportError:
            log.info("camera support not available")
    from ui.phones import attach_phones

    window.phones = attach_phones(window, db, event, settings)  # hosts' phones, when on
    return window
