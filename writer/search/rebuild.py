"""A full rebuild of a library's index, in this process or in a child process.

A rebuild writes a complete new index into a folder beside the old one and swaps it in
only when it is finished, so searches keep working on the old index meanwhile and a crash
leaves the old index as it was. With ``procs > 1`` the projects are shared among that many
processes, each writing one segment, and the segments are joined unmerged: on two cores
that halves the build time.

The window must never fork worker processes out of the Qt process, so it runs the rebuild
as ``python -m writer.search.rebuild LIBRARY``, which reports progress on stdout as
``progress DONE TOTAL`` lines; :func:`rebuild_in_subprocess` does exactly that.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from writer.core.errors import WriterError
from writer.core.library import Library
from writer.core.project import Project
from writer.search.records import load_text, project_records, whoosh_fields
from writer.search.schema import build_schema
from writer.search.store import (
    INDEX_NAME,
    IndexLockedError,
    Progress,
    build_lock,
    new_build_dir,
    remove_stale_builds,
    swap_in,
    write_meta,
)

LOCK_WAIT = 2.0
EXIT_LOCKED = 3
POOL_MB = 2048


@dataclass
class BuildReport:
    """What a rebuild did."""

    projects: int = 0
    records: int = 0
    words: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: BuildReport) -> None:
        self.projects += other.projects
        self.records += other.records
        self.words += other.words
        self.skipped += other.skipped


def _index_projects(folders: list[Path], folder: Path, tick: Callable[[], None]) -> BuildReport:
    """Index some projects into a new index (one segment) in ``folder``."""
    report = BuildReport()
    folder.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    # Postings beyond limitmb (Whoosh's estimate, about 1.5 times the real size) are
    # pickled to temporary files and merged back: at 512 MB that spilling was a third of
    # the build time. A process indexing 2.5 million words peaks at about 1 GB with this.
    writer = ix.writer(limitmb=POOL_MB)
    try:
        for folder in folders:
            try:
                project = Project.load(folder)
            except WriterError as error:
                report.skipped.append(str(error))
                tick()
                continue
            for record in project_records(project):
                text, stamp = load_text(record)
                writer.add_document(**whoosh_fields(record, text, stamp))
                report.records += 1
                report.words += record.words or 0
            report.projects += 1
            tick()
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
    return report


def _combine(build_dir: Path, parts: list[Path]) -> None:
    """Make the parts' segments one index: move their files into ``build_dir`` and write
    a table of contents listing them all (what Whoosh's multisegment writer does)."""
    segments = []
    for part in parts:
        storage = FileStorage(str(part))
        for segment in TOC.read(storage, INDEX_NAME).segments:
            for filename in segment.list_files(storage):
                os.replace(part / filename, build_dir / filename)
            segments.append(segment)
        shutil.rmtree(part)
    windex.create_in(str(build_dir), build_schema(), indexname=INDEX_NAME)
    TOC(build_schema(), segments, 1).write(FileStorage(str(build_dir)), INDEX_NAME)


def _start_part(part: Path, folders: list[Path]) -> subprocess.Popen:
    """A fresh Python process (never a fork) indexing ``folders`` into ``part``."""
    part.mkdir(parents=True)
    listing = part / "projects.txt"
    listing.write_text("\n".join(str(f) for f in folders) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "writer.search.rebuild", "--part", str(part), "-"]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=dict(os.environ)
    )


def _build_parts(
    folders: list[Path], build_dir: Path, procs: int, progress: Progress | None
) -> BuildReport:
    """Index the projects in ``procs`` processes at once, this one and ``procs - 1``
    children, each writing its own segment; then join the segments."""
    shares = [folders[i::procs] for i in range(procs)]
    parts = [build_dir / f"part-{i}" for i in range(procs)]
    lock = threading.Lock()
    done = 0
    reports: list[BuildReport] = []

    def tick() -> None:
        nonlocal done
        with lock:
            done += 1
            if progress:
                progress(min(done, len(folders)), len(folders))

    def follow(child: subprocess.Popen) -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("tick"):
                tick()
            elif line.startswith("report "):
                reports.append(BuildReport(**json.loads(line[7:])))

    children = [_start_part(parts[i], shares[i]) for i in range(1, procs)]
    readers = [threading.Thread(target=follow, args=(c,), daemon=True) for c in children]
    for reader in readers:
        reader.start()
    try:
        report = _index_projects(shares[0], parts[0], tick)
    finally:
        codes = [child.wait() for child in children]
        for reader in readers:
            reader.join()
    if any(codes) or len(reports) != len(children):
        raise WriterError(f"a search index build process failed (exit status {max(codes)})")
    for other in reports:
        report.add(other)
    _combine(build_dir, parts)
    return report


def _run_part(part: Path) -> int:
    """The child side of :func:`_start_part`: index the listed projects, say so."""
    listing = part / "projects.txt"
    folders = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    report = _index_projects(folders, part, lambda: print("tick", flush=True))
    listing.unlink()
    data = {k: v for k, v in report.__dict__.items() if k != "seconds"}
    print("report " + json.dumps(data), flush=True)
    return 0


def build_index(
    library_path: Path,
    index_dir: Path,
    *,
    procs: int = 1,
    progress: Progress | None = None,
    lock_wait: float = LOCK_WAIT,
) -> BuildReport:
    """Build a fresh index of every project in the library and swap it in.

    With ``procs > 1`` the projects are shared among that many processes, each writing its
    own segment, and the segments are joined without a merge. (Whoosh's own multiprocessing
    writer, ``procs=2, multisegment=True``, took as long as one process here: its parent
    pickles every document to job files that the children read back.)

    Raises :class:`IndexLockedError` when a live writer holds the old index (it is never
    deleted under a writer) or another process is already rebuilding it.
    """
    started = time.perf_counter()
    remove_stale_builds(index_dir)
    with build_lock(index_dir, timeout=lock_wait) as got:
        if not got:
            raise IndexLockedError("the search index is being rebuilt by another copy of writer")
        build_dir = new_build_dir(index_dir)
        try:
            folders = Library(Path(library_path)).project_dirs()
            if progress and not folders:
                progress(0, 0)
            if procs > 1 and len(folders) >= procs:
                report = _build_parts(folders, build_dir, procs, progress)
            else:
                total = len(folders)
                count = iter(range(1, total + 1))

                def tick() -> None:
                    if progress:
                        progress(next(count), total)

                report = _index_projects(folders, build_dir, tick)
            write_meta(build_dir, Path(library_path))
            swap_in(build_dir, index_dir, timeout=lock_wait)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise
    report.seconds = time.perf_counter() - started
    return report


def rebuild_in_subprocess(
    library_path: Path,
    index_dir: Path,
    *,
    procs: int = 2,
    progress: Progress | None = None,
) -> None:
    """Run :func:`build_index` in a child Python process (never forks the caller)."""
    command = [
        sys.executable,
        "-m",
        "writer.search.rebuild",
        str(library_path),
        "--index-dir",
        str(index_dir),
        "--procs",
        str(procs),
    ]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            text=True,
            env=dict(os.environ),
        )
        assert child.stdout is not None
        for line in child.stdout:
            parts = line.split()
            if progress and len(parts) == 3 and parts[0] == "progress":
                progress(int(parts[1]), int(parts[2]))
        code = child.wait()
        errors.seek(0)
        lines = [line.strip() for line in errors.read().splitlines() if line.strip()]
    if code == EXIT_LOCKED:
        raise IndexLockedError(lines[-1] if lines else "the search index is locked")
    if code != 0:
        detail = lines[-1] if lines else f"exit status {code}"
        raise WriterError(f"rebuilding the search index failed: {detail}")


def main(argv: list[str] | None = None) -> int:
    """``python -m writer.search.rebuild LIBRARY [--index-dir DIR] [--procs N]``."""
    from writer.search.store import index_dir_for

    parser = argparse.ArgumentParser(prog="python -m writer.search.rebuild")
    parser.add_argument("library", help="library folder")
    parser.add_argument("--index-dir", help="index folder (default: the cache folder's)")
    parser.add_argument("--procs", type=int, default=2, help="indexing processes")
    parser.add_argument("--part", help=argparse.SUPPRESS)  # internal: one share of a build
    args = parser.parse_args(argv)
    if args.part:
        return _run_part(Path(args.part))
    library = Path(args.library)
    index_dir = Path(args.index_dir) if args.index_dir else index_dir_for(library)

    def report(done: int, total: int) -> None:
        print(f"progress {done} {total}", flush=True)

    try:
        build_index(library, index_dir, procs=max(1, args.procs), progress=report)
    except IndexLockedError as error:
        print(f"writer: {error}", file=sys.stderr)
        return EXIT_LOCKED
    except WriterError as error:
        print(f"writer: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
