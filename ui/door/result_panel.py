"""The big panel a guest and the volunteer both read: who, what happened, who to meet.

A colour band with a word (never colour alone), the name large, the company, and for a
first-timer who their host is and whom to meet. It returns to "ready" by itself after a
few seconds so the next guest never sees the previous one's name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkin.door.outcomes import Outcome, OutcomeKind
from checkin.timeutil import local_hhmm
from ui.theme import FIRST_TIME, LOOKS, READY, REFUSED_WORDS, Look


def _label(object_name: str, size: int, bold: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    weight = "bold" if bold else "normal"
    label.setStyleSheet(f"font-size: {size}px; font-weight: {weight};")
    return label


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

        self.band = QLabel()
        self.band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.band.setAccessibleName("Outcome")
        self.band.setMinimumHeight(86)
        self.name = _label("guestName", 52, bold=True)
        self.name.setAccessibleName("Guest name")
        self.company = _label("guestCompany", 26)
        self.detail = _label("outcomeDetail", 22)
        self.first_time = QLabel()
        self.first_time.setWordWrap(True)
        self.first_time.setAccessibleName("First-timer and host")
        self.first_time.setStyleSheet(
            f"background: {FIRST_TIME}; color: white; font-size: 24px; padding: 14px;"
            "border-radius: 8px;"
        )
        self.introductions = _label("introductions", 20)
        self.warnings = _label("warnings", 18, bold=True)
        self.warnings.setStyleSheet(self.warnings.styleSheet() + "color: #b71c1c;")

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
        body.setContentsMargins(24, 16, 24, 16)
        body.setSpacing(10)
        for w in (self.name, self.company, self.detail, self.first_time, self.introductions):
            body.addWidget(w)
        body.addWidget(self.warnings)
        body.addStretch(1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.band)
        layout.addLayout(body, 1)
        self.setStyleSheet("#resultPanel { background: white; border-radius: 10px; }")
        self.show_ready()

    # -- states ------------------------------------------------------------------------

    def _set_band(self, look: Look, word: str | None = None) -> None:
        self.band.setText(f"{look.symbol}  {word or look.word}")
        self.band.setStyleSheet(
            f"background: {look.background}; color: {look.foreground}; font-size: 40px;"
            "font-weight: bold; border-top-left-radius: 10px; border-top-right-radius: 10px;"
        )

    def show_ready(self, message: str = "Scan a code\nor type a name") -> None:
        self._reset.stop()
        self.outcome = None
        self._set_band(READY)
        self.name.setText(message)
        self.company.setText("")
        self.detail.setText("F3 walk-in  ·  Ctrl+F search  ·  F5 host board")
        for w in (self.first_time, self.introductions, self.warnings):
            w.hide()
        self.undo.hide()
        self.reprint.hide()

    def show_busy(self, code: str) -> None:
        self._set_band(READY, "CHECKING…")
        self.name.setText("One moment…")
        self.company.setText("")

    def show_outcome(self, o: Outcome) -> None:
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
        self.detail.setText(self._detail(o))
        self._show_first_time(o)
        if o.warnings:
            self.warnings.setText("\n".join(f"⚠ {w}" for w in o.warnings))
            self.warnings.show()
        else:
            self.warnings.hide()
        self.undo.setVisible(o.kind is OutcomeKind.CHECKED_IN)
        self.reprint.setVisible(o.kind.admitted)
        self._reset.start(self.seconds * 1000)

    def show_message(self, look: Look, title: str, detail: str = "") -> None:
        """A plain message in the panel (undo done, an error) — inline, not a dialog."""
        self.outcome = None
        self._set_band(look)
        self.name.setText(title)
        self.company.setText("")
        self.detail.setText(detail)
        for w in (self.first_time, self.introductions, self.warnings):
            w.hide()
        self.undo.hide()
        self.reprint.hide()
        self._reset.start(self.seconds * 1000)

    @staticmethod
    def _detail(o: Outcome) -> str:
        if o.kind is OutcomeKind.ALREADY_CHECKED_IN:
            return f"Checked in at {local_hhmm(o.checked_in_at)} at {o.device or 'another door'}"
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
            return "Thank you for hosting! Newcomers will be sent your way."
        if o.first_time:
            return ""  # the first-timer band below says it all
        return "Enjoy the evening!"

    def _show_first_time(self, o: Outcome) -> None:
        if not (o.first_time and o.kind.admitted):
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
            lines.append("A host will come to you in a moment — please wait by the welcome desk.")
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
