"""Long jobs (export, import) off the GUI thread, reporting progress to a dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class Task(QObject):
    """Runs ``job(progress)`` in its own thread; ``progress(done, total, message="")``."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Callable[..., None]], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._job = job
        self.thread = QThread(self)
        self.thread.run = self._run  # type: ignore[method-assign]

    def _progress(self, done: int, total: int, message: str = "") -> None:
        self.progressed.emit(done, total, message)

    def _run(self) -> None:
        try:
            result = self._job(self._progress)
        except Exception as error:  # noqa: BLE001 - any failure becomes a message
            self.failed.emit(str(error) or type(error).__name__)
        else:
            self.succeeded.emit(result)

    def start(self) -> None:
        self.thread.start()

    def wait(self, ms: int = 30_000) -> bool:
        return self.thread.wait(ms)
