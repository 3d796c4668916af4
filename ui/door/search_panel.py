"""Finding a guest by name when they have no code: a live list as the volunteer types.

The model holds the hits of the core's search index (``checkin.door.search.GuestIndex``); the
index lives on the UI thread (a search takes a few milliseconds, see ``make bench``) and is
built off it when an event opens.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkin.door.search import GuestIndex, SearchHit

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Company", "Status")


class SearchResultsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.hits)):
            return None
        hit = self.hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() == 0:
                return hit.name
            if index.column() == 1:
                return hit.company or ""
            if hit.status == "cancelled":
                return "cancelled"
            return "✓ checked in" if hit.checked_in else "expected"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.name}\n{hit.email or ''}\n{hit.code}"
        if role == Qt.ItemDataRole.UserRole:
            return hit.registration_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def hit(self, row: int) -> SearchHit | None:
        return self.hits[row] if 0 <= row < len(self.hits) else None


class SearchPanel(QWidget):
    """A search box over a results table; Enter or a double-click picks a guest."""

    guest_chosen = Signal(int, str)  # registration id, name
    enter_idle = Signal()  # Enter with nothing typed: the door may act on what it shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = GuestIndex()
        self.door_shortcuts: list[QKeySequence] = []  # filled by the window that owns them
        self.box = QLineEdit()
        self.box.setPlaceholderText("Type a name, email or company…")
        self.box.setAccessibleName("Search guests")
        self.box.setClearButtonEnabled(True)
        self.model = SearchResultsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Matching guests")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda ix: self._choose(ix.row()))
        self.hint = QLabel("↑↓ choose · Enter checks in · Esc clears")
        self.hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.box.textChanged.connect(self.search)
        self.box.installEventFilter(self)
        self.table.installEventFilter(self)

    def set_index(self, index: GuestIndex) -> None:
        self.index = index
        self.search(self.box.text())

    def search(self, text: str) -> None:
        hits = self.index.search(text) if text.strip() else []
        self.model.set_hits(hits)
        if hits:
            self.table.selectRow(0)

    def clear(self) -> None:
        # setText, not clear(): it also empties the box's undo history, so the next Ctrl+Z
        # means the door's undo, not "bring back the name searched for the last guest".
        self.box.setText("")

    def focus(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def _choose(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is not None:
            self.guest_chosen.emit(hit.registration_id, hit.name)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            # The box has focus nearly all evening; the line edit's own Ctrl+H (backspace)
            # and Ctrl+E (end of line) must not hide the door's shortcuts, nor Ctrl+Z when
            # there is no typing to undo.
            combo = QKeySequence(event.keyCombination())
            if (
                obj is self.box
                and combo.matches(QKeySequence(QKeySequence.StandardKey.Undo))
                == QKeySequence.SequenceMatch.ExactMatch
                and self.box.isUndoAvailable()
            ):
                return False  # typed text to take back: Ctrl+Z is the text's undo
            if combo in self.door_shortcuts:
                event.ignore()
                return True
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.model.rowCount():
            self._choose(self.selected_row())
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.box.text().strip():
            self.enter_idle.emit()
            return True
        if obj is self.box and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
            step = 1 if key == Qt.Key.Key_Down else -1
            row = max(0, min(self.model.rowCount() - 1, self.selected_row() + step))
            self.table.selectRow(row)
            return True
        if key == Qt.Key.Key_Escape:
            self.clear()
            self.box.setFocus()
            return True
        return False
