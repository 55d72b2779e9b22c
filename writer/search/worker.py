"""The index writer thread: saves go in a queue, one thread owns the Whoosh writer.

An ``update_document`` + ``commit`` costs 70-100 ms and every few commits a segment merge
costs several hundred, so nothing of it may run on the GUI thread. The window calls
:meth:`IndexWorker.document_saved` (or :meth:`project_changed` after a rename, move, trash
or metadata edit) right after the save; those take a *snapshot* of the metadata on the
calling thread, which owns the project, and return at once. The worker thread reads the
text from disk, gathers everything queued within ``interval`` seconds into one writer
session and one commit (several saves of the same document become one update), opens a
fresh searcher and calls ``on_commit``, from its own thread: the Qt layer re-emits that as
a signal so the search panel re-runs its query.

Plain Python (``threading`` and ``queue``), so it is testable without Qt; :meth:`stop`
commits what is pending and joins the thread.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from writer.core.errors import WriterError
from writer.core.project import Project
from writer.search.index import ReconcileCounts, SearchIndex
from writer.search.records import Record, doc_key, document_record, project_records
from writer.search.store import IndexLockedError

COMMIT_INTERVAL = 1.5
LOCK_WAIT = 0.5


@dataclass(frozen=True)
class CommitReport:
    """What one commit did; ``error`` is set (and nothing committed) when it failed."""

    counts: ReconcileCounts
    error: str = ""


@dataclass
class _Batch:
    """Changes gathered between two commits, the latest snapshot winning."""

    records: dict[str, Record] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)
    projects: dict[str, list[Record]] = field(default_factory=dict)
    reconcile: bool = False

    def __bool__(self) -> bool:
        return bool(self.records or self.removed or self.dropped or self.projects)

    def _forget(self, slug: str) -> None:
        prefix = f"{slug}/"
        self.records = {k: r for k, r in self.records.items() if not k.startswith(prefix)}
        self.removed = {k for k in self.removed if not k.startswith(prefix)}

    def add_document(self, key: str, record: Record | None) -> None:
        if record is None:
            self.records.pop(key, None)
            self.removed.add(key)
        else:
            self.removed.discard(key)
            self.records[key] = record

    def add_project(self, slug: str, snapshot: list[Record]) -> None:
        self._forget(slug)
        self.dropped.discard(slug)
        self.projects[slug] = snapshot

    def drop_project(self, slug: str) -> None:
        self._forget(slug)
        self.projects.pop(slug, None)
        self.dropped.add(slug)


class IndexWorker:
    """The thread that owns the index writer; see the module docstring."""

    def __init__(
        self,
        index: SearchIndex,
        on_commit: Callable[[CommitReport], None] | None = None,
        *,
        interval: float = COMMIT_INTERVAL,
    ) -> None:
        self.index = index
        self.on_commit = on_commit
        self.interval = interval
        self._queue: queue.Queue[tuple] = queue.Queue()
        self._thread: threading.Thread | None = None

    # -------------------------------------------------------------- life

    def start(self) -> IndexWorker:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 30.0) -> None:
        """Commit what is pending, end the thread and wait for it."""
        if self._thread is None:
            return
        self._queue.put(("stop",))
        self._thread.join(timeout)
        self._thread = None

    def flush(self, timeout: float = 30.0) -> bool:
        """Commit everything queued so far now; True once the attempt has finished
        (a locked index keeps the changes for the next attempt)."""
        done = threading.Event()
        self._queue.put(("flush", done))
        return done.wait(timeout)

    # -------------------------------------------------------------- what the window calls

    def document_saved(self, project: Project, doc_id: str) -> None:
        """A document was saved: re-index it (snapshot taken here, on the caller's thread)."""
        self._queue.put(("doc", doc_key(project.slug, doc_id), document_record(project, doc_id)))

    def document_removed(self, slug: str, doc_id: str) -> None:
        self._queue.put(("doc", doc_key(slug, doc_id), None))

    def project_changed(self, project: Project) -> None:
        """Titles, order, trash or metadata changed: compare the whole project."""
        self._queue.put(("project", project.slug, project_records(project)))

    def project_removed(self, slug: str) -> None:
        self._queue.put(("drop", slug))

    def reconcile(self) -> None:
        """Compare the whole library with the files (at start, after an import or a pull)."""
        self._queue.put(("reconcile",))

    # -------------------------------------------------------------- the thread

    def _run(self) -> None:
        batch, deadline = _Batch(), None
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                job = self._queue.get(timeout=timeout)
            except queue.Empty:
                job = None
            if job is None or job[0] in ("flush", "stop"):
                if self._commit(batch):
                    batch, deadline = _Batch(), None
                else:
                    deadline = time.monotonic() + self.interval  # Locked: try again later.
                if job is not None and job[0] == "flush":
                    job[1].set()
                if job is not None and job[0] == "stop":
                    return
                continue
            self._merge(batch, job)
            if deadline is None:
                deadline = time.monotonic() + self.interval

    @staticmethod
    def _merge(batch: _Batch, job: tuple) -> None:
        kind = job[0]
        if kind == "doc":
            batch.add_document(job[1], job[2])
        elif kind == "project":
            batch.add_project(job[1], job[2])
        elif kind == "drop":
            batch.drop_project(job[1])
        elif kind == "reconcile":
            batch.reconcile = True

    def _commit(self, batch: _Batch) -> bool:
        """Write a batch; False when the index is locked and the batch should wait."""
        if not batch and not batch.reconcile:
            return True
        counts = ReconcileCounts()
        try:
            if batch.reconcile:
                counts = self.index.reconcile(wait=LOCK_WAIT)
                batch.reconcile = False
            if batch:
                done = self.index.apply(
                    records=batch.records.values(),
                    removed_keys=batch.removed,
                    removed_slugs=batch.dropped,
                    projects=batch.projects.values(),
                    wait=LOCK_WAIT,
                )
                counts.added += done.added
                counts.updated += done.updated
                counts.removed += done.removed
                counts.unchanged += done.unchanged
        except IndexLockedError as error:
            self._report(CommitReport(counts, str(error)))
            return False
        except WriterError as error:
            self._report(CommitReport(counts, str(error)))
            return True
        self._report(CommitReport(counts))
        return True

    def _report(self, report: CommitReport) -> None:
        if self.on_commit is None:
            return
        with contextlib.suppress(Exception):  # A broken listener must not stop indexing.
            self.on_commit(report)
