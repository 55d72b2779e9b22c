"""The live preview: Markdown rendered off the GUI thread, never making typing wait.

Edits restart a debounce timer (about 150 ms, stretched for long documents, since
Python-Markdown takes ~70 ms for 10,000 words and ~225 ms for 50,000 here). A render
request carries the document's revision; at most one render is in flight and one queued
(a newer request replaces the queued one), and a result whose revision is no longer the
latest is dropped. The renderer is the same one every exporter uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QTextBrowser, QWidget

from writer.core.wordcount import count_words
from writer.gui.style import preview_stylesheet
from writer.render.markdown import render_markdown

BASE_DEBOUNCE_MS = 150


def debounce_for(length: int) -> int:
    """Wait longer before rendering long documents: about 1 ms per 1,000 characters more."""
    return BASE_DEBOUNCE_MS + min(length // 1000, 600)


class RenderWorker(QObject):
    """Lives in its own thread; turns requests into HTML."""

    finished = Signal(int, str, int)  # revision, html, words (-1 when not counted)

    def __init__(self) -> None:
        super().__init__()
        self.threads_seen: set[int] = set()

    @Slot(int, object)
    def render(self, revision: int, job: object) -> None:
        self.threads_seen.add(threading.get_ident())
        words = -1
        try:
            if callable(job):
                html = job()
            else:
                html = render_markdown(str(job))
                words = count_words(str(job))  # Counted here so typing never waits for it.
        except Exception as error:  # noqa: BLE001 - a preview must never take the app down
            html = f"<p><em>The preview could not be rendered: {error}</em></p>"
        self.finished.emit(revision, html, words)


class PreviewPane(QTextBrowser):
    """A read-only book page, styled from the palette; remote resources are never loaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setOpenLinks(False)
        self.document().setDocumentMargin(36)
        self.apply_palette()

    def apply_palette(self) -> None:
        css = preview_stylesheet(self.palette(), getattr(self, "_user_css", ""))
        self.document().setDefaultStyleSheet(css)

    def set_user_stylesheet(self, css: str) -> None:
        """The author's own CSS, after the built-in sheet (Edit > Preferences)."""
        self._user_css = css
        self.apply_palette()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()  # Light or dark switched: the next render uses it.
        super().changeEvent(event)

    def loadResource(self, kind: int, url):  # noqa: N802 - Qt's name
        """Only local, relative resources; anything with a scheme stays unloaded."""
        if url.scheme():
            return None
        return super().loadResource(kind, url)

    def show_html(self, html: str, fraction: float | None = None) -> None:
        """Replace the content, keeping the reader's place (or going to ``fraction``)."""
        bar = self.verticalScrollBar()
        old = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.setHtml(html)
        self.scroll_to_fraction(old if fraction is None else fraction)

    def scroll_to_fraction(self, fraction: float) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(round(max(0.0, min(1.0, fraction)) * bar.maximum()))


class PreviewController(QObject):
    """Debounces edits and keeps at most one render in flight and one queued."""

    request = Signal(int, object)
    rendered = Signal(int)  # revision shown
    counted = Signal(int)  # words of the document just rendered

    def __init__(self, pane: PreviewPane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pane = pane
        self.revision = 0
        self.in_flight: int | None = None
        self.queued: tuple[int, object] | None = None
        self.renders_started = 0
        self.fraction: float | None = None
        self._source: Callable[[], object] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self.thread = QThread(self)
        self.thread.setObjectName("preview-render")
        self.worker = RenderWorker()
        self.worker.moveToThread(self.thread)
        self.request.connect(self.worker.render)
        self.worker.finished.connect(self._on_finished)
        self.thread.start()

    def schedule(self, source: Callable[[], object], length: int) -> None:
        """Ask for a render of what ``source()`` returns (Markdown text or an HTML job)."""
        self.revision += 1
        self._source = source
        self.timer.start(debounce_for(length))

    def render_now(self, source: Callable[[], object]) -> None:
        """Render without waiting (switching documents)."""
        self.revision += 1
        self._source = source
        self.timer.stop()
        self._fire()

    def _fire(self) -> None:
        if self._source is None:
            return
        job = (self.revision, self._source())
        if self.in_flight is not None:
            self.queued = job  # Replaces any older queued request.
            return
        self._send(job)

    def _send(self, job: tuple[int, object]) -> None:
        self.in_flight = job[0]
        self.renders_started += 1
        self.request.emit(*job)

    @Slot(int, str, int)
    def _on_finished(self, revision: int, html: str, words: int) -> None:
        self.in_flight = None
        if self.queued is not None:
            job, self.queued = self.queued, None
            self._send(job)
        if revision == self.revision:
            self.pane.show_html(html, self.fraction)
            self.rendered.emit(revision)
            if words >= 0:
                self.counted.emit(words)

    def follow(self, fraction: float) -> None:
        """Scroll the preview to the part of the document being edited."""
        self.fraction = fraction
        self.pane.scroll_to_fraction(fraction)

    def shutdown(self) -> None:
        """Stop the render thread; called when the window closes (and by tests)."""
        self.timer.stop()
        self.thread.quit()
        self.thread.wait(5000)
