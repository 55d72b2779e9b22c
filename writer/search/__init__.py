"""Full-text search over the whole library: one Whoosh index, derived and rebuildable.

Everything that touches Whoosh lives in this package, behind these names:

* :class:`SearchIndex` opens (or rebuilds) a library's index in the cache folder,
  reconciles it with the files, applies updates and runs queries;
* :class:`IndexWorker` is the thread that owns the index writer in the window;
* :class:`SearchResults` / :class:`SearchHit` are plain data for the CLI and the panel;
* :class:`QueryError` and :class:`IndexLockedError` are one-line user-facing errors.

No Qt here: the window wraps :class:`IndexWorker` and runs full rebuilds through
``python -m writer.search.rebuild`` in a child process.
"""

from writer.search.index import IndexStats, ReconcileCounts, SearchIndex
from writer.search.query import QueryError
from writer.search.results import SearchHit, SearchResults
from writer.search.store import IndexLockedError, index_dir_for
from writer.search.worker import CommitReport, IndexWorker

__all__ = [
    "CommitReport",
    "IndexLockedError",
    "IndexStats",
    "IndexWorker",
    "QueryError",
    "ReconcileCounts",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "index_dir_for",
]
