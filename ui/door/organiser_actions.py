"""The organiser's actions from the door's menus: import, export, lists, batch badges, merging
other doors' journals, the host board. Long reads run on the organiser's reader thread
(``Operations.read``) so a scan never waits behind them; writes go to the database worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog

from ui import settings as S
from ui.operations import Reloaded, concerns_hosting
from ui.words import plural

if TYPE_CHECKING:
    from ui.door.window import DoorWindow


class OrganiserActions(QObject):
    def __init__(self, window: DoorWindow) -> None:
        super().__init__(window)
        self.w = window

    def export_attendance(self) -> None:
        w = self.w
        path, _ = QFileDialog.getSaveFileName(
            w,
            "Export attendance",
            str(Path.home() / "attendance.csv"),
            "Spreadsheet (*.csv);;Excel (*.xlsx);;JSON (*.json)",
        )
        if not path:
            return
        from checkin.reports.export import export_attendance

        db, event = w.db, w.event_name
        w.show_status("Exporting…", seconds=0)
        w.ops.read(
            lambda: export_attendance(db, event, path),
            lambda n: w.show_status(f"Exported {plural(n, 'guest')} to {path}"),
        )

    def save_report(self, kind: str) -> None:
        w = self.w
        path, _ = QFileDialog.getSaveFileName(
            w,
            "Save the list",
            str(Path.home() / f"{kind}.pdf"),
            "PDF to print (*.pdf);;Spreadsheet (*.csv)",
        )
        if not path:
            return
        from checkin.reports import write_report

        db, event = w.db, w.event_name
        w.show_status("Writing the list…", seconds=0)
        w.ops.read(
            lambda: write_report(db, event, kind, path), lambda r: w.show_status(f"Saved {r.out}")
        )

    def print_badges(self) -> None:
        """The organiser's batch: every expected guest, by last name, on the chosen stock.

        Rendering the PDF and rasterising the preview pages both happen on the reader
        thread; the preview dialog only draws the finished pages."""
        from checkin.badges.lookup import badges_for_event
        from checkin.badges.render import render_badges
        from checkin.badges.templates import get_template
        from ui.printing.batch_preview import BatchPreview, render_pages

        w = self.w
        db, event = w.db, w.event_name
        template = get_template(w.settings.get(S.BADGE_TEMPLATE))

        def work():
            import io

            guests = [g for g in badges_for_event(db, event) if not g.cancelled]
            out = io.BytesIO()
            render_badges([g.badge for g in guests], template, out)
            pdf = out.getvalue()
            return pdf, render_pages(pdf), tuple(g.registration_id for g in guests)

        def done(result) -> None:
            pdf, pages, ids = result
            w.show_status("Badges ready: check the preview, then print.")
            dialog = BatchPreview(pdf, pages, template, w.print_queue, w, registration_ids=ids)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.preview = dialog
            dialog.show()

        w.show_status("Preparing the badges…", seconds=0)
        w.ops.read(work, done)

    def open_import(self) -> None:
        from ui.organiser.import_dialog import ImportDialog

        w = self.w
        dialog = ImportDialog(w.db, w.event_name, w.runner, w)
        dialog.imported.connect(lambda _s: (w.reload_guests(), w.ops.broadcast(Reloaded("list"))))
        dialog.exec()

    def merge_journals(self) -> None:
        w = self.w
        paths, _ = QFileDialog.getOpenFileNames(
            w, "Journals or exports from other doors", "", "Journals (*.jsonl *.json)"
        )
        if not paths:
            return
        from checkin.merge import merge_files

        db, event = w.db, w.event_name
        w.show_status("Merging…", seconds=0)

        def merged(report) -> None:
            w.show_status(
                f"Merged {plural(len(report.files), 'file')}: "
                f"{plural(report.added, 'new record')}, {report.already} already here, "
                f"{plural(report.duplicates, 'duplicate check-in')}; "
                f"{plural(report.checked_in, 'guest')} checked in now.",
                seconds=30,
            )
            w.reload_guests()
            w.ops.broadcast(Reloaded("merge"))

        w.ops.write(lambda: merge_files(db, event, paths), merged)

    def open_host_board(self) -> None:
        from ui.organiser.host_board import HostBoardWindow

        w = self.w
        if w.host_board is None:
            board = HostBoardWindow(
                w.db, w.event_name, w.runner, journal=lambda: w.journal, phone_url=self._phone_url
            )
            # Closed is gone: its refresh timer stops with it and F5 opens a fresh one.
            board.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

            def refresh(changes: object) -> None:
                if concerns_hosting(changes):
                    board.refresh()

            w.changed.connect(refresh)
            board.destroyed.connect(lambda: self._board_closed(refresh))
            w.host_board = board
        w.host_board.show()
        w.host_board.raise_()

    def _phone_url(self) -> str | None:
        phones = getattr(self.w, "phones", None)  # the hosts' phone server, when it runs
        return phones.url if phones is not None else None

    def _board_closed(self, refresh) -> None:
        import shiboken6

        if not shiboken6.isValid(self.w):
            return  # the window went first (the app closing): nothing left to disconnect
        self.w.changed.disconnect(refresh)
        self.w.host_board = None
