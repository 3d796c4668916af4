"""The host board's pieces: a host card with their newcomers, and a chip in the queue strip.

Each piece is keyed by a database id and updated in place (``update``), so a refresh keeps
focus and never moves a card. Sizes come from one scale (screen height / 1080), so a host's
name is 52 px at 1080p, 35 px at 720p and 104 px on a 4K TV.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkin.hosting.board import HostCard, NewcomerCard
from checkin.hosting.words import plural
from checkin.timeutil import utcnow

NAME_PX = 50  # a host's name at 1080p: readable across a room


def px(size: float, scale: float) -> int:
    return max(11, round(size * scale))


def wait_level(seconds: int, after_s: int) -> int:
    """0 fine, 1 past the set time, 2 past twice it, 3 past five times (deepest colour)."""
    after = max(1, after_s)
    return 0 if seconds < after else 1 if seconds < 2 * after else 2 if seconds < 5 * after else 3


# Background, text, and the words beside the colour (never colour alone).
WAIT_LOOK = {
    0: ("#fff8e1", "#263238", ""),
    1: ("#ffcc80", "#263238", " · waiting"),
    2: ("#ef6c00", "#ffffff", " · long"),
    3: ("#b71c1c", "#ffffff", " · too long"),
}


def _label(text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _set_style(widget: QWidget, sheet: str) -> None:
    """Style sheets only when they change: setting one re-polishes the widget (about half a
    millisecond), and a board of 50 hosts refreshed every few seconds froze the door for
    a quarter of a second each time."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class Focusable(QFrame):
    """A card or chip the arrow keys can move to; a thick outline shows which."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class NewcomerChip(Focusable):
    """A newcomer with a host: name, minutes, interests, whom to introduce; Met / Release."""

    met = Signal(str)
    released = Signal(str)

    def __init__(self, card: NewcomerCard, host_name: str = "") -> None:
        super().__init__("newcomer")
        self.host_name = host_name  # for the host's answer from their phone
        self.compact = False  # a small screen: the first person to meet, and how many more
        self.title, self.info = _label(), _label()
        self.met_button = QPushButton("Met ✓")
        self.release_button = QPushButton("Release")
        for b in (self.met_button, self.release_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go through the chip
        self.met_button.setToolTip("Enter")
        self.release_button.setToolTip("R")
        self.met_button.clicked.connect(lambda: self.met.emit(self.card.code))
        self.release_button.clicked.connect(lambda: self.released.emit(self.card.code))
        below = QHBoxLayout()
        below.addWidget(self.info, 1)
        below.addWidget(self.met_button, 0, Qt.AlignmentFlag.AlignTop)
        below.addWidget(self.release_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addLayout(below)
        self.update_card(card)

    def update_card(self, card: NewcomerCard) -> None:
        self.card = card
        self.setAccessibleName(f"Newcomer {card.name}")
        self.met_button.setAccessibleName(f"{card.name} has met their host")
        self.release_button.setAccessibleName(f"Give {card.name} another host")
        self.title.setText(f"{card.name} · {card.minutes_waiting} min")
        parts = []
        if card.company:
            parts.append(card.company)
        if card.paired:
            parts.append("together with another newcomer")
        if card.shared_interests:
            parts.append("shares " + ", ".join(card.shared_interests))
        elif card.interests:
            parts.append(", ".join(card.interests))
        if card.introductions:
            people = card.introductions
            more = f" +{len(people) - 1}" if self.compact and len(people) > 1 else ""
            parts.append("meet " + (people[0] + more if self.compact else ", ".join(people)))
        if said := card.answer_words(self.host_name or "The host", utcnow()):  # their phone
            parts.append(said)
        self.info.setText(" · ".join(parts))

    def restyle(self, scale: float) -> None:
        if self.compact != (scale < 0.8):
            self.compact = scale < 0.8
            self.update_card(self.card)
        _set_style(
            self,
            "#newcomer { background: #f3e5f5; border-radius: 8px; border: 3px solid #f3e5f5; }"
            "#newcomer:focus { border: 4px solid #0d47a1; }"
            f"QPushButton {{ font-size: {px(20, scale)}px;"
            f" padding: {px(2, scale)}px {px(8, scale)}px; }}",
        )
        _set_style(self.title, f"font-size: {px(28, scale)}px; font-weight: bold;")
        _set_style(self.info, f"font-size: {px(20, scale)}px; color: #4a148c;")
        m = px(8, scale)
        self.layout().setContentsMargins(m, m // 2, m, m // 2)


class HostCardWidget(Focusable):
    """A host and the newcomers with them now; in assign mode, the card to choose."""

    met = Signal(str)
    released = Signal(str)

    def __init__(self, card: HostCard, number: int) -> None:
        super().__init__("hostCard")
        self.number = number
        self.name, self.load, self.company = _label(), _label(wrap=False), _label()
        below = QHBoxLayout()
        below.addWidget(self.company, 1)
        below.addWidget(self.load, 0, Qt.AlignmentFlag.AlignTop)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addWidget(self.name)
        layout.addLayout(below)
        layout.addLayout(self.rows)
        layout.addStretch(1)
        self.chips: dict[int, NewcomerChip] = {}
        self.scale = 1.0
        self.choosing = False
        self.update_card(card)

    @property
    def full(self) -> bool:
        return len([n for n in self.card.newcomers if not n.paired]) >= self.card.capacity

    def update_card(self, card: HostCard) -> None:
        self.card = card
        role = "Backup host" if card.enlisted else "Host"
        self.setAccessibleName(f"{role} {card.name}")
        self.name.setText(f"{self.number}  {card.name}" if self.choosing else card.name)
        slots = len([c for c in card.newcomers if not c.paired])
        extra = len(card.newcomers) - slots
        pair = f" +{extra} paired" if extra else ""
        self.load.setText(f"{slots} / {card.capacity}{pair}  " + ("full" if self.full else "free"))
        company = card.company or ""
        self.company.setText(company + ("  · backup host" if card.enlisted else ""))
        wanted = {c.registration_id: c for c in card.newcomers}
        for rid in list(self.chips):
            if rid not in wanted:
                chip = self.chips.pop(rid)
                self.rows.removeWidget(chip)
                chip.deleteLater()
        for rid, c in wanted.items():  # oldest first; a chip never moves once placed
            if rid in self.chips:
                self.chips[rid].update_card(c)
            else:
                chip = NewcomerChip(c, card.name)
                chip.met.connect(self.met)
                chip.released.connect(self.released)
                chip.restyle(self.scale)
                self.chips[rid] = chip
                self.rows.addWidget(chip)
        self.restyle(self.scale)

    def set_choosing(self, on: bool) -> None:
        self.choosing = on
        self.update_card(self.card)

    def restyle(self, scale: float) -> None:
        self.scale = scale
        border = "#9e9e9e" if self.full else "#1b7f3b"
        if self.choosing:
            border = "#0d47a1"
        _set_style(
            self,
            f"#hostCard {{ background: white; border: {px(4, scale)}px solid {border};"
            " border-radius: 12px; }"
            f"#hostCard:focus {{ border: {px(8, scale)}px solid #0d47a1; }}",
        )
        _set_style(self.name, f"font-size: {px(NAME_PX, scale)}px; font-weight: bold;")
        _set_style(self.load, f"font-size: {px(28, scale)}px;")
        _set_style(self.company, f"font-size: {px(22, scale)}px; color: #455a64;")
        m = px(10, scale)
        self.layout().setContentsMargins(m, m // 2, m, m)
        for chip in self.chips.values():
            chip.restyle(scale)


class QueueChip(Focusable):
    """A newcomer waiting: name and minutes, the colour deepening past the set time."""

    def __init__(self, card: NewcomerCard, after_s: int) -> None:
        super().__init__("queueChip")
        self.text = _label(wrap=False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text)
        self.scale = 1.0
        self.update_card(card, after_s)

    def update_card(self, card: NewcomerCard, after_s: int) -> None:
        self.card = card
        self.level = wait_level(card.seconds_waiting, after_s)
        words = WAIT_LOOK[self.level][2]
        self.text.setText(f"{card.name} · {card.minutes_waiting} min{words}")
        self.setAccessibleName(f"Waiting: {card.name}, {plural(card.minutes_waiting, 'minute')}")
        self.restyle(self.scale)

    def restyle(self, scale: float) -> None:
        self.scale = scale
        bg, fg, _ = WAIT_LOOK[self.level]
        weight = "bold" if self.level else "normal"
        _set_style(
            self,
            f"#queueChip {{ background: {bg}; border-radius: 8px; border: 3px solid {bg}; }}"
            "#queueChip:focus { border: 4px solid #0d47a1; }"
            f"QLabel {{ color: {fg}; font-size: {px(22, scale)}px; font-weight: {weight}; }}",
        )


def spacer() -> QWidget:
    w = QWidget()
    w.setFixedWidth(1)
    return w


class PhoneLinkPanel(QFrame):
    """The focused host's personal phone link as a QR, while the phone server runs."""

    QR_PX = 220  # at 1080p: a phone scans it from a step away

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("phoneLink")
        self.caption = _label()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setAccessibleName("Phone link QR")
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.image)
        layout.addStretch(1)
        self.host_code: str | None = None  # whose link is shown
        self.scale = 1.0
        self.hide()

    def show_link(self, host_code: str, host_name: str, png: bytes | None) -> None:
        """Show this host's QR (PNG bytes, made off the UI thread); None hides the panel."""
        pixmap = QPixmap()
        if not png or not pixmap.loadFromData(png):
            self.clear()
            return
        self.host_code = host_code
        self.caption.setText(f"{host_name}: scan for your newcomers on your phone")
        side = px(self.QR_PX, self.scale)
        self.image.setPixmap(
            pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio)  # crisp modules
        )
        self.show()

    def clear(self) -> None:
        self.host_code = None
        self.image.clear()
        self.hide()

    def restyle(self, scale: float) -> None:
        self.scale = scale
        self.setFixedWidth(px(self.QR_PX + 40, scale))
        _set_style(
            self,
            f"#phoneLink {{ background: #ffffff; border-radius: {px(10, scale)}px; }}"
            f"QLabel {{ font-size: {px(20, scale)}px; color: #37474f; }}",
        )
