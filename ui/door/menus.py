"""The door window's menus and shortcuts (every shortcut works whatever has focus)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.organiser import pretix_dialog

if TYPE_CHECKING:
    from ui.door.window import DoorWindow

REPORTS = (
    ("attendance", "&Attendance"),
    ("newcomers", "&First-timers and their hosts (follow-up)"),
    ("hosts", "One sheet per &host"),
    ("no-shows", "&No-shows"),
    ("summary", "&Summary"),
)


def build_menus(w: DoorWindow) -> None:
    door, org = w.door_actions, w.organiser
    bar = w.menuBar()
    event_menu = bar.addMenu("&Event")
    door_menu = bar.addMenu("&Door")
    view_menu = bar.addMenu("&View")
    add = w.add_action

    w.walkin_action = add(door_menu, "&Walk-in…", "F3", door.open_walkin)
    hosts = w.host_actions
    add(door_menu, "Make the chosen guest a &host", "Ctrl+H", hosts.make_host)
    add(door_menu, "Happy to &welcome if needed (backup host)", "Ctrl+B", hosts.make_backup)
    add(door_menu, "Se&ttings…", "Ctrl+,", door.open_settings)
    add(door_menu, "Retry &failed badge prints", None, door.retry_prints)
    w.undo_action = add(door_menu, "&Undo check-in on screen", "Ctrl+Z", door.undo)
    w.reprint_action = add(
        door_menu, "&Reprint badge of the guest on screen", "Ctrl+P", door.reprint
    )
    add(door_menu, "&Search guests", "Ctrl+F", w.search.focus)
    add(view_menu, "&Host board", "F5", w.open_host_board)
    add(event_menu, "S&witch event…", None, w.switch_event)
    event_menu.addSeparator()
    add(event_menu, "&Import guest list…", "Ctrl+I", org.open_import)
    add(event_menu, "&Export attendance…", "Ctrl+E", org.export_attendance)
    add(event_menu, "Sync with &pretix…", None, lambda: pretix_dialog.open_for(w))
    reports = event_menu.addMenu("&Print lists")
    for kind, title in REPORTS:
        add(reports, title + "…", None, lambda _c=False, k=kind: org.save_report(k))
    add(event_menu, "Print &badges for the list…", None, org.print_badges)
    event_menu.addSeparator()
    add(event_menu, "Attendance &journal folder…", None, door.choose_journal_folder)
    add(event_menu, "&Merge journals from other doors…", None, org.merge_journals)
    event_menu.addSeparator()
    add(event_menu, "&Quit", "Ctrl+Q", w.quit_asking)  # the same on every platform
