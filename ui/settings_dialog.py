"""The door's settings: door name, camera, sounds, badge printing, journal folder."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import settings as S
from ui.settings import Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Door settings")
        self.device = QLineEdit(settings.get(S.DEVICE_NAME))
        self.device.setAccessibleName("Door name")
        self.sounds = QCheckBox("Play a sound for each scan")
        self.sounds.setChecked(settings.get(S.SOUNDS))
        self.seconds = QSpinBox()
        self.seconds.setRange(2, 60)
        self.seconds.setValue(settings.get(S.RESULT_SECONDS))
        self.seconds.setSuffix(" s")
        self.seconds.setAccessibleName("Seconds a result stays on screen")

        self.camera_on = QCheckBox("Scan with the camera")
        self.camera_on.setChecked(settings.get(S.CAMERA_ON))
        self.camera = QComboBox()
        self.camera.setAccessibleName("Camera")
        self.camera.addItem("System default", "")
        for cam in _cameras():
            self.camera.addItem(cam[1], cam[0])
        self._select(self.camera, settings.get(S.CAMERA))

        self.auto_print = QCheckBox("Print a badge at check-in")
        self.auto_print.setChecked(settings.get(S.AUTO_PRINT))
        self.host_slip = QCheckBox("Print a slip for the host of each newcomer")
        self.host_slip.setChecked(settings.get(S.HOST_SLIP))
        self.printer = QComboBox()
        self.printer.setAccessibleName("Badge printer")
        self.printer.addItem("System default printer", "")
        for name in _printers():
            self.printer.addItem(name, name)
        self._select(self.printer, settings.get(S.PRINTER))
        self.template = QComboBox()
        self.template.setAccessibleName("Badge stock")
        for name, description in _templates():
            self.template.addItem(f"{name} — {description}" if description else name, name)
        self._select(self.template, settings.get(S.BADGE_TEMPLATE))

        self.journal = QLineEdit(settings.get(S.JOURNAL_FOLDER))
        self.journal.setAccessibleName("Attendance journal folder")
        self.journal.setPlaceholderText("e.g. a USB stick — empty: no journal")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        journal_row = QHBoxLayout()
        journal_row.addWidget(self.journal, 1)
        journal_row.addWidget(browse)

        self.phones_on = QCheckBox("Serve the hosts' phones on this network")
        self.phones_on.setChecked(settings.get(S.PHONES_ON))
        self.phones_port = QSpinBox()
        self.phones_port.setRange(1024, 65535)
        self.phones_port.setValue(settings.get(S.PHONES_PORT) or S.PHONES_PORT.default)
        self.phones_port.setAccessibleName("Port for the hosts' phones")

        form = QFormLayout()
        form.addRow("&Door name", self.device)
        form.addRow("", self.sounds)
        form.addRow("&Result shown for", self.seconds)
        form.addRow("", self.camera_on)
        form.addRow("&Camera", self.camera)
        form.addRow("", self.auto_print)
        form.addRow("", self.host_slip)
        form.addRow("&Printer", self.printer)
        form.addRow("Badge &stock", self.template)
        journal_label = QLabel("&Journal folder")  # a row of two widgets: say which takes focus
        journal_label.setBuddy(self.journal)
        form.addRow(journal_label, journal_row)
        form.addRow("", self.phones_on)
        form.addRow("P&hones' port", self.phones_port)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.scan_notice = QLabel("")
        self.scan_notice.setObjectName("status")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.scan_notice)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)

    def notice_scan(self, text: str) -> None:
        self.scan_notice.setText(text)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Attendance journal folder")
        if folder:
            self.journal.setText(folder)

    def _save(self) -> None:
        s = self.settings
        s.set(S.DEVICE_NAME, self.device.text().strip() or S.DEVICE_NAME.default)
        s.set(S.SOUNDS, self.sounds.isChecked())
        s.set(S.RESULT_SECONDS, self.seconds.value())
        s.set(S.CAMERA_ON, self.camera_on.isChecked())
        s.set(S.CAMERA, self.camera.currentData() or "")
        s.set(S.AUTO_PRINT, self.auto_print.isChecked())
        s.set(S.HOST_SLIP, self.host_slip.isChecked())
        s.set(S.PRINTER, self.printer.currentData() or "")
        s.set(S.BADGE_TEMPLATE, self.template.currentData() or S.BADGE_TEMPLATE.default)
        s.set(S.JOURNAL_FOLDER, self.journal.text().strip())
        s.set(S.PHONES_ON, self.phones_on.isChecked())
        s.set(S.PHONES_PORT, self.phones_port.value())
        self.accept()


def _cameras() -> list[tuple[str, str]]:
    try:
        from PySide6.QtMultimedia import QMediaDevices

        return [
            (bytes(d.id().data()).decode(errors="replace"), d.description())
            for d in QMediaDevices.videoInputs()
        ]
    except Exception:  # no multimedia backend: the camera setting simply offers the default
        return []


def _printers() -> list[str]:
    try:
        from ui.printing.preview import available_printers

        return [p.name for p in available_printers()]
    except Exception:
        return []


def _templates() -> list[tuple[str, str]]:
    from checkin.badges.templates import load_templates

    return [(name, t.description) for name, t in sorted(load_templates().items())]
