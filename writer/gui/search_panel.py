"""The search panel (Ctrl+Shift+F): every work of the library at once.

The index is opened (and, when missing or damaged, rebuilt in a child process) by a
background task; meanwhile the panel says "rebuilding" instead of failing. Once open, one
:class:`IndexWorker` thread owns the index writer: the window hands it saves, and after each
commit it signals the panel, which runs its query again. Queries themselves are quick
(milliseconds) and run on the GUI thread after a short pause in typing.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from writer.core.library import Library
from writer.gui.list_field import FlowLayout
from writer.gui.tasks import Task
from writer.search import IndexWorker, QueryError, SearchHit, SearchIndex, SearchResults

DEBOUNCE_MS = 250
LIMIT = 100
FACETS = (("project", "project"), ("fandom", "fandom"), ("rating", "rating"), ("status", "status"))
HitRole = Qt.ItemDataRole.UserRole + 1


class _Bridge(QObject):
    """Carries the worker thread's commit reports into the GUI thread."""

    committed = Signal(object)


class SearchService(QObject):
    """The window's search index: opened in the background, kept current by a worker."""

    ready = Signal()
    progress = Signal(int, int)
    failed = Signal(str)
    committed = Signal(object)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.index: SearchIndex | None = None
        self.worker: IndexWorker | None = None
        self._bridge = _Bridge()
        self._bridge.committed.connect(self.committed)
        self._task: Task | None = None

    def start(self) -> None:
        """Open the index off the GUI thread (a needed rebuild runs in a child process)."""
        library = self.library

        def job(progress):
            return SearchIndex.open_for(
                library, build="subprocess", progress=lambda d, t: progress(d, t, "")
            )

        self._task = Task(job, self)
        self._task.progressed.connect(lambda d, t, _m: self.progress.emit(d, t))
        self._task.succeeded.connect(self._opened)
        self._task.failed.connect(self.failed)
        self._task.start()

    def _opened(self, index: SearchIndex) -> None:
        if index.library_path.resolve() != self.library.path.resolve():
            index.close()  # Opened for a library the window has since left.
            return
        self.index = index
        self.worker = IndexWorker(index, on_commit=self._bridge.committed.emit).start()
        self.worker.reconcile()  # Catch up with changes made while the app was closed.
        self.ready.emit()

    def stop(self) -> None:
        """Commit what is pending and end the threads (the window is closing)."""
        if self._task is not None:
            self._task.wait()
            self._task = None
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self.index is not None:
            self.index.close()
            self.index = None


class SearchPanel(QWidget):
    """Query box, facet chips and results grouped by project."""

    open_hit = Signal(object)  # SearchHit

    def __init__(self, service: SearchService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.results: SearchResults | None = None
        self.filters: dict[str, str] = {}
        self.query = QLineEdit(placeholderText='Search all works: words, "phrase", fandom:…')
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(lambda _t: self.timer.start())
        self.query.returnPressed.connect(self.run)
        self.status = QLabel("Opening the search index…")
        self.status.setWordWrap(True)
        self.chips_box = QWidget()
        self.chips = FlowLayout(self.chips_box)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.chips_box)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        service.ready.connect(self._ready)
        service.progress.connect(self._rebuilding)
        service.failed.connect(lambda message: self.status.setText(f"⚠ Search is off: {message}"))
        service.committed.connect(lambda _report: self.run(quiet=True))

    # -------------------------------------------------------------- index state

    def _ready(self) -> None:
        self.status.setText("Type to search every work of the library.")
        if self.query.text().strip():
            self.run()

    def _rebuilding(self, done: int, total: int) -> None:
        share = f" {done * 100 // total}%" if total else ""
        self.status.setText(f"Rebuilding the search index…{share}")

    # -------------------------------------------------------------- queries

    def full_query(self) -> str:
        """The typed query plus the chosen filter chips."""
        parts = [self.query.text().strip()]
        for field, value in self.filters.items():
            parts.append(f'{field}:"{value}"')
        return " ".join(p for p in parts if p)

    def run(self, quiet: bool = False) -> None:
        """Search now (typing pauses, Enter, a chip, or a commit of the index)."""
        self.timer.stop()
        text = self.full_query()
        index = self.service.index
        if index is None:
            return
        if not text:
            self.results = None
            self.tree.clear()
            self._show_chips(None)
            if not quiet:
                self.status.setText("Type to search every work of the library.")
            return
        try:
            results = index.search(text, LIMIT)
        except QueryError as error:
            self.status.setText(f"⚠ {error}")
            return
        except Exception as error:  # noqa: BLE001 - search must never take the window down
            self.status.setText(f"⚠ Search failed: {error}")
            return
        self.show_results(results)

    def show_results(self, results: SearchResults) -> None:
        self.results = results
        self.tree.clear()
        groups = results.groups()
        for _project, hits in groups:
            first = hits[0]
            label = f"{first.project_title} ({len(hits)})"
            if first.spoilers:
                label += f" — spoilers for {', '.join(first.spoilers)}"
            top = QTreeWidgetItem([label])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for hit in hits:
                item = QTreeWidgetItem(top)
                item.setData(0, HitRole, hit)
                self.tree.setItemWidget(item, 0, self._hit_label(hit))
            top.setExpanded(True)
        shown = len(results.hits)
        more = f" (showing {shown})" if shown < results.total else ""
        notes = "".join(f" {note}." for note in results.notes)
        self.status.setText(
            f"{results.total} hit{'s' if results.total != 1 else ''} in {len(groups)} "
            f"work{'s' if len(groups) != 1 else ''}{more} · {results.elapsed_ms:.0f} ms{notes}"
        )
        self._show_chips(results)

    def _hit_label(self, hit: SearchHit) -> QLabel:
        place = " › ".join(html.escape(p) for p in hit.tree_path) or html.escape(hit.title)
        marker = " <i>(note)</i>" if hit.is_note else ""
        snippet = hit.snippet.replace("<mark>", "<b><u>").replace("</mark>", "</u></b>")
        label = QLabel(f"<b>{place}</b>{marker}<br><small>{snippet}</small>")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        return label

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        hit = item.data(0, HitRole)
        if hit is not None:
            self.open_hit.emit(hit)

    # -------------------------------------------------------------- chips

    def _show_chips(self, results: SearchResults | None) -> None:
        while self.chips.count():
            widget = self.chips.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for field, value in self.filters.items():
            self._chip(field, value, None, checked=True)
        if results is None:
            return
        for field, facet in FACETS:
            counts = results.facets.get(facet, {})
            if len(counts) < 2:
                continue  # A chip that filters nothing away is noise.
            for value, count in sorted(counts.items(), key=lambda kv: -kv[1])[:6]:
                if self.filters.get(field) != value:
                    self._chip(field, value, count, checked=False)

    def _chip(self, field: str, value: str, count: int | None, checked: bool) -> None:
        button = QToolButton()
        button.setCheckable(True)
        button.setChecked(checked)
        shown = value if count is None else f"{value} ({count})"
        button.setText(f"{field}: {shown}")
        button.setObjectName(f"chip_{field}")
        button.toggled.connect(lambda on, f=field, v=value: self._toggle_filter(f, v, on))
        self.chips.addWidget(button)

    def _toggle_filter(self, field: str, value: str, on: bool) -> None:
        if on:
            self.filters[field] = value
        else:
            self.filters.pop(field, None)
        QTimer.singleShot(0, self.run)

    def focus_query(self) -> None:
        self.query.setFocus()
        self.query.selectAll()
