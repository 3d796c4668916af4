"""The big panel a guest and the volunteer both read: who, what happened, who to meet.

A colour band with a word (never colour alone), the name large, the company, and for a
first-timer who their host is and whom to meet. It returns to "ready" by itself after a
few seconds so the next guest never sees the previous one's name.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkin.door.outcomes import BackupProposal, Outcome, OutcomeKind
from checkin.hosting.words import proposal_line, waiting_line
from checkin.timeutil import local_hhmm
from ui.theme import FIRST_TIME, LOOKS, READY, REFUSED_WORDS, Look

# Font sizes (px) at a panel 560 px tall (1280×720); they grow with the panel up to 1.6×.
SIZES = {"band": 40, "name": 52, "company": 26, "detail": 26, "first": 24, "intro": 20,
         "warn": 18, "notice": 20, "proposal": 22}  # fmt: skip
BASE_HEIGHT = 560


def _label(object_name: str, bold: bool = False, style: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    # The app's style sheet sets every widget's font size: sizes here go through it too.
    label.setProperty("base_style", style + ("font-weight: bold;" if bold else ""))
    return label


def _set_px(label: QLabel, px: int) -> None:
    px = max(8, px)
    label.setStyleSheet(f"{label.property('base_style') or ''} font-size: {px}px;")
    font = QFont(label.font())
    font.setPixelSize(px)
    label.setFont(font)  # for measuring before the style sheet is applied


class ResultPanel(QFrame):
    undo_requested = Signal()
    reprint_requested = Signal()

    def __init__(self, parent: QWidget | None = None, seconds: int = 8) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self.setAccessibleName("Check-in result")
        self.outcome: Outcome | None = None
        self._reset = QTimer(self)
        self._reset.setSingleShot(True)
        self._reset.timeout.connect(self.show_ready)
        self.seconds = seconds
        self._look = READY

        self.band = QLabel()
        self.band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.band.setAccessibleName("Outcome")
        self.band.setMinimumHeight(70)
        self.scale = 1.0
        self.name = _label("guestName", bold=True)
        self.name.setAccessibleName("Guest name")
        self.company = _label("guestCompany")
        self.detail = _label("outcomeDetail", bold=True)
        self.first_time = _label(
            "firstTime",
            style=f"background: {FIRST_TIME}; color: white; padding: 12px; border-radius: 8px;",
        )
        self.first_time.setAccessibleName("First-timer and host")
        self.introductions = _label("introductions")
        # A regular who offered to welcome, proposed for the newcomer waiting longest.
        self.proposal: BackupProposal | None = None
        self.proposal_label = _label(
            "backupProposal",
            bold=True,
            style="background: #e3f2fd; color: #0d3c61; padding: 10px; border-radius: 8px;",
        )
        self.proposal_label.setAccessibleName("Backup host to ask")
        self.warnings = _label("warnings", bold=True, style="color: #b71c1c;")
        # Stays across guests until it is resolved: a badge that did not print.
        self.notice = _label(
            "notice",
            bold=True,
            style="background: #fdecea; color: #8a1c1c; padding: 8px; border-radius: 6px;",
        )
        self.notice.setAccessibleName("Printing problem")
        self.notice.hide()

        self.undo = QPushButton("Undo check-in  (Ctrl+Z)")
        self.undo.setAccessibleName("Undo the last check-in")
        self.undo.clicked.connect(self.undo_requested)
        self.reprint = QPushButton("Reprint badge  (Ctrl+P)")
        self.reprint.setAccessibleName("Reprint this guest's badge")
        self.reprint.clicked.connect(self.reprint_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reprint)
        buttons.addWidget(self.undo)

        body = QVBoxLayout()
        body.setContentsMargins(24, 12, 24, 12)
        body.setSpacing(10)
        for w in (self.name, self.company, self.detail, self.first_time, self.introductions,
                  self.proposal_label):  # fmt: skip
            body.addWidget(w)
        body.addWidget(self.warnings)
        body.addStretch(1)
        body.addWidget(self.notice)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.band)
        layout.addLayout(body, 1)
        self.setStyleSheet("#resultPanel { background: white; border-radius: 10px; }")
        self._apply_sizes()
        self.show_ready()

    # -- states ------------------------------------------------------------------------

    def _set_band(self, look: Look, word: str | None = None) -> None:
        self.band.setText(f"{look.symbol}  {word or look.word}")
        self.band.setStyleSheet(
            f"background: {look.background}; color: {look.foreground};"
            f"font-size: {round(SIZES['band'] * self.scale)}px; font-weight: bold;"
            "border-top-left-radius: 10px; border-top-right-radius: 10px;"
        )
        self._look = look

    # -- size: readable from a step away at 1280×720, bigger on a big screen ----------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scale = max(0.8, min(1.6, self.height() / BASE_HEIGHT))
        if abs(scale - self.scale) > 0.02:
            self.scale = scale
            self._set_band(self._look, self.band.text().split("  ", 1)[-1] or None)
            self._apply_sizes()

    def _apply_sizes(self) -> None:
        k = self.scale
        for label, key in (
            (self.company, "company"),
            (self.detail, "detail"),
            (self.first_time, "first"),
            (self.introductions, "intro"),
            (self.warnings, "warn"),
            (self.notice, "notice"),
            (self.proposal_label, "proposal"),
        ):
            _set_px(label, round(SIZES[key] * k))
        self._fit_name()

    def _fit_name(self) -> None:
        """The name as large as fits in three lines of the panel's width: never clipped."""
        width = max(200, self.width() - 60)
        px = round(SIZES["name"] * self.scale)
        font = QFont(self.name.font())
        while px > 18:
            font.setPixelSize(px)
            metrics = QFontMetrics(font)
            rect = metrics.boundingRect(0, 0, width, 10_000, Qt.TextFlag.TextWordWrap,
                                        self.name.text())  # fmt: skip
            if rect.width() <= width and rect.height() <= metrics.lineSpacing() * 3:
                break
            px -= 4
        _set_px(self.name, px)

    def show_ready(self, message: str = "Scan a code\nor type a name") -> None:
        self._reset.stop()
        self.outcome = None
        self._set_band(READY)
        self.name.setText(message)
        self._fit_name()
        self.company.setText("")
        self.detail.setText("F3 walk-in  ·  Ctrl+F search  ·  F5 host board")
        for w in (self.first_time, self.introductions, self.warnings):
            w.hide()
        self.hide_proposal()
        self.undo.hide()
        self.reprint.hide()

    def show_outcome(
        self, o: Outcome, assigned: tuple[str, ...] = (), hosts_present: int | None = None
    ) -> None:
        """``assigned``: newcomers this check-in just gave to the host checking in;
        ``hosts_present``: hosts here now, when known (what a waiting newcomer is told)."""
        self.outcome = o
        look = LOOKS[o.kind]
        self._set_band(look, REFUSED_WORDS.get(o.reason or "") if o.reason else None)
        guest = o.guest
        if guest is not None:
            self.name.setText(guest.name)
            self.company.setText(" · ".join(p for p in (guest.company, guest.job_title) if p))
        else:
            self.name.setText(f"Code {o.code}")
            self.company.setText("")
        self._fit_name()
        self.detail.setText(self._detail(o, assigned))
        self._show_first_time(o, hosts_present)
        self._show_proposal(o.backup_proposal)
        if o.warnings:
            self.warnings.setText("\n".join(f"⚠ {w}" for w in o.warnings))
            self.warnings.show()
        else:
            self.warnings.hide()
        self.undo.setVisible(o.kind is OutcomeKind.CHECKED_IN)
        self.reprint.setVisible(o.kind.admitted)
        self._reset.start(self.seconds * 1000)

    def _show_proposal(self, p: BackupProposal | None) -> None:
        self.proposal = p
        if p is None:
            self.proposal_label.hide()
            return
        self.proposal_label.setText(f"{proposal_line(p)}  ·  Enter enlists")
        self.proposal_label.show()

    def hide_proposal(self) -> None:
        self._show_proposal(None)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def clear_notice(self) -> None:
        self.notice.hide()
        self.notice.setText("")

    def show_message(self, look: Look, title: str, detail: str = "") -> None:
        """A plain message in the panel (undo done, an error) — inline, not a dialog."""
        self.outcome = None
        self._set_band(look)
        self.name.setText(title)
        self._fit_name()
        self.company.setText("")
        self.detail.setText(detail)
        for w in (self.first_time, self.introductions, self.warnings):
            w.hide()
        self.hide_proposal()
        self.undo.hide()
        self.reprint.hide()
        self._reset.start(self.seconds * 1000)

    @staticmethod
    def _detail(o: Outcome, assigned: tuple[str, ...] = ()) -> str:
        if o.kind is OutcomeKind.ALREADY_CHECKED_IN:
            line = f"Checked in at {local_hhmm(o.checked_in_at)} at {o.device or 'another door'}"
            if o.first_time:  # one message: who their host is, not a second "welcome"
                line += f" · first time here, host: {o.host.name}" if o.host else " · first time"
            return line
        if o.kind is OutcomeKind.WRONG_EVENT:
            return f"This ticket is for “{o.other_event}”. Please check with the organiser."
        if o.kind is OutcomeKind.UNKNOWN_CODE:
            return "Not on tonight's list. Search by name, or register a walk-in (F3)."
        if o.kind is OutcomeKind.INVALID_CODE:
            return "This code is damaged or mistyped. Search by name instead."
        if o.kind is OutcomeKind.NOT_PAID:
            return "This ticket is not paid yet: ask them to pay at the desk."
        if o.kind is OutcomeKind.CANCELLED:
            if o.reason and o.reason != "cancelled":
                return f"Not admitted: {o.reason}. Please check with the organiser."
            return "This ticket was cancelled. Please check with the organiser."
        if o.is_host:
            if assigned:
                return f"Thank you for hosting! Your newcomer: {', '.join(assigned)}"
            return "Thank you for hosting! Newcomers will be sent your way."
        if o.first_time:
            return ""  # the first-timer band below says it all
        return "Enjoy the evening!"

    def _show_first_time(self, o: Outcome, hosts_present: int | None) -> None:
        if not (o.first_time and o.kind is OutcomeKind.CHECKED_IN):
            self.first_time.hide()
            self.introductions.hide()
            return
        lines = ["★  FIRST TIME HERE — welcome!"]
        if o.host is not None:
            company = f" ({o.host.company})" if o.host.company else ""
            lines.append(f"Your host: {o.host.name}{company}")
            lines.append("will meet you here at the welcome desk")
            if o.host.shared_interests:
                lines.append(f"You both like {', '.join(o.host.shared_interests)}")
        elif o.queued:
            lines.append(waiting_words(o, hosts_present))
        self.first_time.setText("\n".join(lines))
        self.first_time.show()
        if o.introductions:
            people = "\n".join(
                f"• {i.name}" + (f", {i.company}" if i.company else "")
                + (f" — {', '.join(i.shared_interests)}" if i.shared_interests else "")
                for i in o.introductions
            )  # fmt: skip
            self.introductions.setText(f"People to meet:\n{people}")
            self.introductions.show()
        else:
            self.introductions.hide()


def waiting_words(o: Outcome, hosts_present: int | None) -> str:
    """What a queued newcomer is told: only what is true. The hosting rules put the hosts
    here, the place in the queue and the expected wait on the outcome (``waiting_line``);
    an outcome without them says what the door knows."""
    present = o.hosts_present if o.hosts_present is not None else hosts_present
    if present is None:
        return "All hosts here are busy: you are in the queue for the next free one."
    return waiting_line(dataclasses.replace(o, hosts_present=present))
