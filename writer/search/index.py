"""The library's search index: opening (or rebuilding) it, keeping it in step, searching.

:class:`SearchIndex` is the one object the rest of the app talks to. It is safe to share
between threads: searches run under a short lock around one long-lived searcher (opening
one costs 30-40 ms), and writes are serialised (Whoosh allows one writer per index). After
each commit a *fresh* searcher is opened: ``searcher.refresh()`` in whoosh-reloaded 2.7.5
returns the old copy of an updated document as well.

The index is derived data. Missing, stale, damaged or foreign indexes are rebuilt; an
index locked by another live writer is never deleted: writes wait briefly and then raise
:class:`IndexLockedError`, and searches keep reading the last committed state.
"""

from __future__ import annotations

import contextlib
import heapq
import operator
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from whoosh import scoring
from whoosh.index import LockError

from writer.core.errors import WriterError
from writer.core.library import Library
from writer.core.project import Project
from writer.search.evaluate import LengthCache, Unsupported, evaluate
from writer.search.facets import FacetCache
from writer.search.hits import WORK_TEXT_FIELDS, HitMaker
from writer.search.query import ParsedQuery, parse_query
from writer.search.records import (
    WORK_KIND,
    Record,
    doc_key,
    document_record,
    load_text,
    project_records,
    whoosh_fields,
)
from writer.search.results import SearchResults
from writer.search.schema import BODY, shared_schema
from writer.search.store import (
    IndexLockedError,
    Progress,
    index_dir_for,
    open_index,
    writelock_held,
)
from writer.search.sync import (
    Damaged,
    Plan,
    ReconcileCounts,
    diff,
    stored_state,
    unchanged_on_disk,
)

BuildMode = Literal["auto", "inline", "subprocess"]
SUBPROCESS_THRESHOLD = 20  # projects; smaller libraries build faster without a child
LOCK_WAIT = 2.0
MERGE_AT_SEGMENTS = 8
FRESHNESS_CHECK = 1.0  # seconds between checks for commits made by other processes


_score = operator.itemgetter(1)


def _rank(item: tuple[int, float]) -> tuple[float, int]:
    """Higher scores first; among equal scores, earlier documents first (as Whoosh)."""
    return -item[1], item[0]


@dataclass
class IndexStats:
    """Counters of the writes this object made (tests check "one save, one update")."""

    written: int = 0
    removed: int = 0
    commits: int = 0
    rebuilds: int = 0


class SearchIndex:
    """One library's index; see the module docstring."""

    def __init__(self, library_path: Path, index_dir: Path, ix: Any, build: BuildMode) -> None:
        self.library_path = Path(library_path)
        self.index_dir = Path(index_dir)
        self.build_mode: BuildMode = build
        self.stats = IndexStats()
        self.rebuilt = False
        self._ix = ix
        self._lock = threading.RLock()  # guards the searcher
        self._write_lock = threading.Lock()
        self._searcher: Any = None
        self._checked = 0.0
        self._facets = FacetCache()
        self._lengths = LengthCache()
        self._hits = HitMaker(self.library_path)

    # -------------------------------------------------------------- opening

    @classmethod
    def open_for(
        cls,
        library: Library | Path | str,
        *,
        index_dir: Path | None = None,
        build: BuildMode = "auto",
        progress: Progress | None = None,
    ) -> SearchIndex:
        """Open the library's index, building it first if it is missing or unusable.

        ``build`` says where a needed rebuild runs: "subprocess" (what the window uses),
        "inline" (small libraries, tests) or "auto" (a child process above
        :data:`SUBPROCESS_THRESHOLD` projects).
        """
        path = library.path if isinstance(library, Library) else Path(library).expanduser()
        path = path.absolute()
        folder = Path(index_dir) if index_dir else index_dir_for(path)
        ix = open_index(folder, path)
        index = cls(path, folder, ix, build)
        if ix is None:
            index._build(progress)
        return index

    @property
    def schema(self) -> Any:
        return shared_schema()

    def _build(self, progress: Progress | None = None, procs: int | None = None) -> None:
        """Rebuild everything, then reopen. Never removes an index a live writer holds."""
        deadline = time.monotonic() + LOCK_WAIT
        while self.index_dir.is_dir() and writelock_held(self.index_dir):
            if time.monotonic() >= deadline:
                raise IndexLockedError(
                    "the search index is being written by another copy of writer and cannot "
                    "be rebuilt now; try again when it has finished"
                )
            time.sleep(0.05)
        mode = self.build_mode
        if mode == "auto":
            count = len(Library(self.library_path).project_dirs())
            mode = "subprocess" if count > SUBPROCESS_THRESHOLD else "inline"
        # Imported here: ``python -m writer.search.rebuild`` must not find the module
        # already imported by the package.
        from writer.search.rebuild import build_index, rebuild_in_subprocess

        # Searches go on meanwhile: the new index is built beside the old one.
        if mode == "subprocess":
            rebuild_in_subprocess(
                self.library_path, self.index_dir, procs=procs or 2, progress=progress
            )
        else:
            build_index(self.library_path, self.index_dir, procs=procs or 1, progress=progress)
        ix = open_index(self.index_dir, self.library_path)
        if ix is None:
            raise WriterError(f"the search index in {self.index_dir} cannot be opened")
        with self._lock:
            self._close_searcher()
            self._ix = ix
            self._hits.forget()
            self.stats.rebuilds += 1
            self.rebuilt = True

    def rebuild(self, progress: Progress | None = None, *, procs: int | None = None) -> None:
        """Rebuild the whole index from the files (in a child process unless "inline")."""
        with self._write_lock:
            self._build(progress, procs)

    def close(self) -> None:
        with self._lock:
            self._close_searcher()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def size(self) -> tuple[int, int]:
        """(works, documents) in the last committed state."""
        with self._lock:
            searcher = self._current_searcher()
            works = searcher.doc_frequency("kind", WORK_KIND)
            return works, searcher.doc_count() - works

    # -------------------------------------------------------------- the searcher

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
            self._searcher = None

    def refresh(self) -> None:
        """Open a fresh searcher on the last commit (never ``searcher.refresh()``)."""
        with self._lock:
            fresh = self._ix.searcher(weighting=scoring.BM25F())
            self._close_searcher()
            self._searcher = fresh
            self._checked = time.monotonic()
            live = {leaf.segment().segment_id() for leaf, _ in fresh.reader().leaf_readers()}
            self._lengths.forget_except(live)

    def warm(self) -> None:
        """Open the searcher and read the per-document tables now (about 0.3 s for 15,000
        documents) rather than in the first query; the window calls it off the GUI thread."""
        with self._lock:
            searcher = self._current_searcher()
            reader = searcher.reader()
            self._facets.table(reader)
            for leaf, _ in reader.leaf_readers():
                self._lengths.get(leaf, BODY)

    def _current_searcher(self) -> Any:
        if self._searcher is None:
            self.refresh()
        elif time.monotonic() - self._checked > FRESHNESS_CHECK:
            self._checked = time.monotonic()
            if not self._searcher.up_to_date():
                self.refresh()
        return self._searcher

    # -------------------------------------------------------------- writing

    def _write(self, plan: Plan, wait: float) -> None:
        """Apply a plan in one writer session and one commit, then reopen the searcher."""
        if not plan:
            return
        plan.write = list({record.key: record for record in plan.write}.values())
        if not self._write_lock.acquire(timeout=wait):
            raise IndexLockedError("the search index is busy in this process")
        try:
            try:
                writer = self._ix.writer(timeout=wait)
            except LockError:
                raise IndexLockedError(
                    "the search index is being written by another copy of writer"
                ) from None
            except Exception as error:
                raise Damaged(str(error)) from error
            try:
                for slug in plan.delete_slugs:
                    writer.delete_by_term("slug", slug)
                for key in plan.delete_keys:
                    writer.delete_by_term("key", key)
                for record in plan.write:
                    text, stamp = load_text(record)
                    writer.update_document(**whoosh_fields(record, text, stamp))
                # Merging small segments on every commit made one update in five cost
                # several hundred milliseconds; merge only once they pile up.
                writer.commit(merge=len(writer.segments) >= MERGE_AT_SEGMENTS)
            except BaseException as error:
                with contextlib.suppress(Exception):
                    writer.cancel()
                if isinstance(error, Exception):
                    raise Damaged(str(error)) from error
                raise
            self.stats.written += len(plan.write)
            self.stats.removed += len(plan.delete_keys) + len(plan.delete_slugs)
            self.stats.commits += 1
        finally:
            self._write_lock.release()
        for slug in {record.slug for record in plan.write} | set(plan.delete_slugs):
            self._hits.forget(slug)
        self.refresh()

    def _guarded(self, action: Any) -> Any:
        """Run a read-then-write action; a damaged index is rebuilt (which also covers
        whatever the action meant to write)."""
        try:
            return action()
        except Damaged:
            self.rebuild()
            return None

    def reconcile(
        self, *, wait: float = LOCK_WAIT, progress: Progress | None = None
    ) -> ReconcileCounts:
        """Bring the index in step with the files (changed, added, deleted projects and
        documents since last time) without a full rebuild. Only projects whose
        ``project.json`` or indexed files changed are loaded."""
        counts = ReconcileCounts()

        def run() -> ReconcileCounts:
            stored = stored_state(self._ix)
            plan = Plan()
            folders = Library(self.library_path).project_dirs()
            for done, folder in enumerate(folders, start=1):
                entry = stored.pop(folder.name, None)
                if entry is not None and unchanged_on_disk(folder, entry):
                    counts.unchanged += entry.records
                elif (project := self._load(folder, counts)) is not None:
                    diff(project_records(project), entry, plan, counts)
                elif entry is not None:
                    plan.delete_slugs.append(folder.name)
                    counts.removed += entry.records
                if progress:
                    progress(done, len(folders))
            for slug, entry in stored.items():
                plan.delete_slugs.append(slug)
                counts.removed += entry.records
            self._write(plan, wait)
            return counts

        return self._guarded(run) or counts

    @staticmethod
    def _load(folder: Path, counts: ReconcileCounts) -> Project | None:
        try:
            return Project.load(folder)
        except WriterError as error:
            counts.skipped.append(str(error))
            return None

    def update_project(self, project: Project, *, wait: float = LOCK_WAIT) -> ReconcileCounts:
        """Re-index what changed in one project (titles, moves, trash, metadata, text)."""
        return self.apply(projects=[project_records(project)], wait=wait)

    def update_document(self, project: Project, doc_id: str, *, wait: float = LOCK_WAIT) -> None:
        """Re-index one saved document (or drop it if it is now in the trash)."""
        record = document_record(project, doc_id)
        if record is None:
            self.remove_document(project.slug, doc_id, wait=wait)
        else:
            self.apply(records=[record], wait=wait)

    def remove_document(self, slug: str, doc_id: str, *, wait: float = LOCK_WAIT) -> None:
        self.apply(removed_keys=[doc_key(slug, doc_id)], wait=wait)

    def remove_project(self, slug: str, *, wait: float = LOCK_WAIT) -> None:
        self.apply(removed_slugs=[slug], wait=wait)

    def apply(
        self,
        *,
        records: Iterable[Record] = (),
        removed_keys: Iterable[str] = (),
        removed_slugs: Iterable[str] = (),
        projects: Iterable[list[Record]] = (),
        wait: float = LOCK_WAIT,
    ) -> ReconcileCounts:
        """Write a batch in one commit: records to (re)index as they are, keys and whole
        projects to drop, and project snapshots to compare with the index first."""
        counts = ReconcileCounts()
        plan = Plan(list(records), list(removed_keys), list(removed_slugs))
        counts.updated += len(plan.write)
        counts.removed += len(plan.delete_keys) + len(plan.delete_slugs)
        snapshots = [p for p in projects if p]

        def run() -> ReconcileCounts:
            for snapshot in snapshots:
                slug = snapshot[0].slug
                diff(snapshot, stored_state(self._ix, slug).get(slug), plan, counts)
            self._write(plan, wait)
            return counts

        return self._guarded(run) or counts

    # -------------------------------------------------------------- searching

    def search(self, text: str, limit: int | None = 20) -> SearchResults:
        """Run a query; raises :class:`QueryError` for a malformed one. A damaged index
        is rebuilt and the query run again."""
        parsed = parse_query(text, self.schema)
        try:
            return self._search(parsed, limit)
        except Damaged:
            self.rebuild()
            return self._search(parsed, limit)

    def _search(self, parsed: ParsedQuery, limit: int | None) -> SearchResults:
        with self._lock:
            started = time.perf_counter()
            try:
                searcher = self._current_searcher()
                reader = searcher.reader()
                table = self._facets.table(reader)
                try:
                    scores = evaluate(searcher, parsed.query, self._lengths, parsed.expanded)
                except Unsupported:
                    parsed.expanded.clear()
                    scores = self._whoosh_search(searcher, parsed)
                if parsed.scored:
                    best = heapq.nlargest(limit or len(scores), scores.items(), key=_score)
                    ranked = [(score, docnum) for docnum, score in sorted(best, key=_rank)]
                else:  # Filters alone: ranking means nothing, so show them in reading order.
                    ordered = sorted(scores, key=table.order_key)
                    ranked = [(0.0, docnum) for docnum in ordered[:limit]]
                top = [(score, table.stored[docnum]) for score, docnum in ranked]
                facets = self._facets.count(reader, scores)
                for name in (BODY, *WORK_TEXT_FIELDS):
                    parsed.highlight(reader, name)
            except Exception as error:
                raise Damaged(str(error)) from error
            hits = [self._hits.make(parsed, reader, score, stored) for score, stored in top]
            elapsed = (time.perf_counter() - started) * 1000
        return SearchResults(parsed.text, hits, len(scores), facets, elapsed, parsed.work_only)

    @staticmethod
    def _whoosh_search(searcher: Any, parsed: ParsedQuery) -> dict[int, float]:
        """Every match with its score through Whoosh's own matchers (the slow path, for
        query forms :mod:`writer.search.evaluate` does not handle)."""
        found = searcher.search(parsed.query, limit=None, scored=parsed.scored)
        return {hit.docnum: hit.score or 0.0 for hit in found}


__all__ = ["IndexLockedError", "IndexStats", "ReconcileCounts", "SearchIndex"]
