"""What the door does about hosts: make the chosen guest a host (Ctrl+H) or a backup who
is happy to welcome if needed (Ctrl+B), enlist the backup the screen proposes (Enter), and
the evening's hosting plan shown once when the door opens.

Every core call runs on the door's workers (``ui.operations.Operations``), never here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.operations import Reloaded
from ui.words import plural

if TYPE_CHECKING:
    from ui.door.window import DoorWindow


class HostActions(QObject):
    def __init__(self, window: DoorWindow) -> None:
        super().__init__(window)
        self.w = window

    def _chosen_code(self) -> str | None:
        """The guest chosen in the search list, or else the one on screen."""
        w = self.w
        hit = w.search.model.hit(w.search.selected_row()) if w.search.model.hits else None
        shown = w.result.outcome
        return hit.code if hit else (shown.guest.code if shown and shown.guest else None)

    def make_host(self, backup: bool = False) -> None:
        """The chosen guest becomes a host tonight (``backup``: one who is happy to welcome
        a newcomer if the hosts run short; they host once enlisted, one at a time)."""
        w, code = self.w, self._chosen_code()
        if code is None:
            key = "Ctrl+B marks them happy to welcome" if backup else "Ctrl+H makes them a host"
            w.show_status(f"Search for the guest first, then {key}.")
            return
        from checkin.hosting.actions import add_host

        db, event = w.db, w.event_name

        def done(h) -> None:
            if backup and h.backup:
                w.show_status(
                    f"{h.name} is happy to welcome a newcomer if the hosts run short "
                    "(the door will propose them)."
                )
            else:
                where = "here now" if h.present else "once they check in"
                w.show_status(f"{h.name} hosts up to {plural(h.capacity, 'newcomer')} ({where}).")
            if not getattr(h, "changes", ()):  # add_host notes no records (yet): say so
                w.ops.broadcast(Reloaded("hosts"))

        w.ops.write(lambda: add_host(db, event, code=code, backup=backup), done)

    def make_backup(self) -> None:
        self.make_host(backup=True)

    def enlist_proposal(self) -> None:
        """Enter on a proposal ("Ask Tom Baker to welcome Anna"): the backup said yes."""
        w = self.w
        proposal = w.result.proposal
        if proposal is None:
            return
        from checkin.hosting.actions import enlist_backup

        w.result.hide_proposal()  # a second Enter must not enlist twice
        db, event, code = w.db, w.event_name, proposal.backup.code
        w.ops.write(
            lambda: enlist_backup(db, event, code, journal=w.journal),
            lambda r: w.show_status(r.message),
        )

    def show_plan(self) -> None:
        """The evening's hosting plan, read off the UI thread, once when the door opens."""
        from checkin.hosting.plan import hosting_plan

        w = self.w
        db, event = w.db, w.event_name

        def done(plan) -> None:
            w.plan_label.setText(f"Hosting plan: {plan.describe()}")
            w.plan_label.show()

        w.ops.read(lambda: hosting_plan(db, event), done, w.quiet_error)
