"""A walk-in: a short form that registers and checks in at once (hosting follows)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from checkin.text import is_email


@dataclass(frozen=True)
class WalkIn:
    name: str
    email: str | None
    company: str | None
    interests: str | None
    first_time: bool


class WalkInDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Register a walk-in")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.email = QLineEdit()
        self.email.setAccessibleName("Email")
        self.company = QLineEdit()
        self.company.setAccessibleName("Company")
        self.interests = QLineEdit()
        self.interests.setAccessibleName("Interests")
        self.interests.setPlaceholderText("e.g. fintech, hiring, design")
        self.first_time = QCheckBox("&First time at this group")
        self.first_time.setChecked(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.hide()
        self.scan_notice = QLabel()
        self.scan_notice.setObjectName("status")
        self.scan_notice.setWordWrap(True)
        self.scan_notice.hide()
        form = QFormLayout()
        form.addRow("&Name *", self.name)
        form.addRow("&Email", self.email)
        form.addRow("&Company", self.company)
        form.addRow("&Interests", self.interests)
        form.addRow("", self.first_time)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Register && check in")
        ok.setObjectName("primary")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.scan_notice)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.show_error("A walk-in needs a name.")
            self.name.setFocus()
            return
        email = self.email.text().strip()
        if email and not is_email(email):
            self.show_error(f"“{email}” is not an email address: correct it or leave it empty.")
            self.email.setFocus()
            return
        self.accept()

    def notice_scan(self, text: str) -> None:
        """A guest's code scanned while this form is open: checked in at the door, the form
        untouched. Said here so the volunteer knows where the scan went."""
        self.scan_notice.setText(text)
        self.scan_notice.show()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def value(self) -> WalkIn:
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return WalkIn(
            name=self.name.text().strip(),
            email=text(self.email),
            company=text(self.company),
            interests=text(self.interests),
            first_time=self.first_time.isChecked(),
        )
