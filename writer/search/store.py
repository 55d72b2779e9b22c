"""Where a library's index lives, how it is opened, and how a rebuilt one replaces it.

The index is derived data in the cache folder, one folder per library (named after the
library folder plus a hash of its full path). A small ``writer-index.json`` beside Whoosh's
files records the schema version and the library it belongs to; any mismatch, any error
while opening, or a missing folder means "rebuild".

Two file locks matter, and both die with their process (fcntl/msvcrt locks):

* Whoosh's own ``MAIN_WRITELOCK`` inside the index: held by whoever writes. An index whose
  lock is held belongs to a live writer and is never deleted or replaced.
* ``<index>.build.lock`` beside the index: held while a full rebuild runs, so two copies of
  the app that both find the index missing do not both build it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.util.filelock import FileLock

from writer.core.errors import WriterError
from writer.core.paths import cache_dir
from writer.search.schema import SCHEMA_VERSION, build_schema

META_FILE = "writer-index.json"
INDEX_NAME = "MAIN"
WRITELOCK = f"{INDEX_NAME}_WRITELOCK"


Progress = Callable[[int, int], None]  # (done, total), e.g. a terminal progress bar


class IndexLockedError(WriterError):
    """Another live process is writing the index, and it could not wait any longer."""


def index_dir_for(library_path: Path) -> Path:
    """The index folder of a library, in the platform cache folder."""
    resolved = Path(library_path).expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:12]
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in resolved.name)[:40]
    return cache_dir() / "search" / f"{name or 'library'}-{digest}"


def read_meta(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_meta(index_dir: Path, library_path: Path) -> None:
    data = {
        "schema": SCHEMA_VERSION,
        "library": str(Path(library_path).expanduser().resolve()),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (index_dir / META_FILE).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def open_index(index_dir: Path, library_path: Path) -> Any | None:
    """The Whoosh index in ``index_dir`` if it is whole and belongs to this library and
    schema version, else None (it is then rebuilt). Never raises for a bad index."""
    meta = read_meta(index_dir)
    wanted = str(Path(library_path).expanduser().resolve())
    if not meta or meta.get("schema") != SCHEMA_VERSION or meta.get("library") != wanted:
        return None
    try:
        ix = windex.open_dir(str(index_dir), indexname=INDEX_NAME)
        if sorted(ix.schema.names()) != sorted(build_schema().names()):
            return None
        with ix.searcher() as searcher:
            searcher.doc_count_all()
            searcher.reader().stored_fields(0) if searcher.doc_count_all() else None
        return ix
    except Exception:  # A damaged index raises EOFError, KeyError, struct.error, ...
        return None


def _try_lock(path: Path, timeout: float) -> FileLock | None:
    """Hold the file lock at ``path`` within ``timeout`` seconds, else None."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    deadline = time.monotonic() + timeout
    while True:
        if lock.acquire(blocking=False):
            return lock
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def writelock_held(index_dir: Path) -> bool:
    """Whether a live writer holds the index's write lock right now."""
    if not (index_dir / WRITELOCK).exists():
        return False
    lock = _try_lock(index_dir / WRITELOCK, 0)
    if lock is None:
        return True
    lock.release()
    return False


@contextlib.contextmanager
def held_writelock(index_dir: Path, timeout: float) -> Iterator[None]:
    """Hold the write lock of an existing index (to replace it), or raise
    :class:`IndexLockedError`; a folder without an index needs no lock."""
    if not index_dir.is_dir():
        yield
        return
    lock = _try_lock(index_dir / WRITELOCK, timeout)
    if lock is None:
        raise IndexLockedError(
            "the search index is being written by another copy of writer; "
            "try again when it has finished"
        )
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def build_lock(index_dir: Path, timeout: float) -> Iterator[bool]:
    """Hold the rebuild lock of ``index_dir``; yields False if another process kept it
    for longer than ``timeout`` (it is then building the same index)."""
    lock = _try_lock(index_dir.parent / f"{index_dir.name}.build.lock", timeout)
    try:
        yield lock is not None
    finally:
        if lock is not None:
            lock.release()


def new_build_dir(index_dir: Path) -> Path:
    """An empty folder beside the index for a rebuild (named after this process)."""
    build = index_dir.parent / f".{index_dir.name}.build-{os.getpid()}-{time.monotonic_ns()}"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    return build


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_builds(index_dir: Path) -> None:
    """Delete half-built folders left by a rebuild whose process has died."""
    parent = index_dir.parent
    if not parent.is_dir():
        return
    prefixes = (f".{index_dir.name}.build-", f".{index_dir.name}.old-")
    for entry in parent.iterdir():
        for prefix in prefixes:
            if entry.name.startswith(prefix):
                pid_text = entry.name[len(prefix) :].split("-")[0]
                if not pid_text.isdigit() or not _pid_alive(int(pid_text)):
                    shutil.rmtree(entry, ignore_errors=True)


def swap_in(build_dir: Path, index_dir: Path, timeout: float) -> None:
    """Replace the index with a finished build. The old index is moved aside while its
    write lock is held here (so no live writer is cut off), then deleted."""
    with held_writelock(index_dir, timeout):
        old = None
        if index_dir.exists():
            old = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}-{time.monotonic_ns()}"
            os.replace(index_dir, old)
        os.replace(build_dir, index_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
