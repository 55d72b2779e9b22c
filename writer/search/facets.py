"""Facet counts (hits per project, fandom, rating and status) over *all* hits of a query,
and the stored fields of every document, kept in memory.

Reading stored fields for thousands of hits per query would cost tens of milliseconds, so
they are read once per index segment into plain lists indexed by document number. Whoosh
segments never change once written, so a table survives every commit that leaves its
segment alone; only new or merged segments are read again.

Project and status are counted per document with ``Counter(map(list.__getitem__, ...))``,
which runs in C; rating and fandoms belong to the work, so they are added up per project.
The stored fields read on the way are kept too, so showing a hit costs no disk read.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

FACETS = ("project", "fandom", "rating", "status")


@dataclass
class _Table:
    """Per-document values of one segment (or of the whole reader)."""

    project: list[str]  # the project's folder name
    status: list[str]
    position: list[int]  # reading order within the project
    stored: list[dict[str, Any]]  # every stored field

    def order_key(self, docnum: int) -> tuple[str, int]:
        """Project, then reading order: how results of filters alone are listed."""
        return self.project[docnum], self.position[docnum]


def _segment_key(reader: Any) -> str | None:
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:
        return None
    # Deletions change which documents a segment holds but not their stored values.
    return segment.segment_id()


def _read_segment(reader: Any) -> _Table:
    size = reader.doc_count_all()
    table = _Table([""] * size, [""] * size, [0] * size, [{}] * size)
    for docnum, stored in reader.iter_docs():
        table.stored[docnum] = stored
        table.project[docnum] = stored.get("slug", "")
        table.status[docnum] = stored.get("status") or ""
        table.position[docnum] = stored.get("position") or 0
    return table


class FacetCache:
    """Tables of the segments seen so far; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._segments: dict[str, _Table] = {}
        self._whole: tuple[Any, _Table, dict[str, tuple[str, tuple[str, ...]]]] | None = None

    def table(self, reader: Any) -> _Table:
        """The table for a reader (one searcher's view of the index)."""
        return self._load(reader)[1]

    def _load(self, reader: Any) -> tuple[Any, _Table, dict[str, tuple[str, tuple[str, ...]]]]:
        with self._lock:
            if self._whole is not None and self._whole[0] is reader:
                return self._whole
            parts: list[_Table] = []
            live: dict[str, _Table] = {}
            for leaf, _offset in reader.leaf_readers():
                key = _segment_key(leaf)
                part = self._segments.get(key) if key else None
                if part is None:
                    part = _read_segment(leaf)
                if key:
                    live[key] = part
                parts.append(part)
            self._segments = live
            whole = _Table(
                list(chain.from_iterable(p.project for p in parts)),
                list(chain.from_iterable(p.status for p in parts)),
                list(chain.from_iterable(p.position for p in parts)),
                list(chain.from_iterable(p.stored for p in parts)),
            )
            # Rating and fandoms belong to the work: one entry per project (its own row).
            works = {
                stored["slug"]: (stored.get("rating") or "", tuple(stored.get("fandoms") or ()))
                for stored in whole.stored
                if stored.get("kind") == "work"
            }
            self._whole = (reader, whole, works)
            return self._whole

    def count(self, reader: Any, docnums: Iterable[int]) -> dict[str, dict[str, int]]:
        """``{"project": {slug: n}, "fandom": {...}, "rating": {...}, "status": {...}}``,
        each ordered by count, then name. Documents are counted per project and status in
        C (``Counter``); rating and fandoms are then added up per project."""
        _, table, works = self._load(reader)
        docs = docnums if isinstance(docnums, list | dict | set) else list(docnums)
        projects = Counter(map(table.project.__getitem__, docs))
        statuses = Counter(map(table.status.__getitem__, docs))
        ratings: Counter[str] = Counter()
        fandoms: Counter[str] = Counter()
        for project, count in projects.items():
            rating, tags = works.get(project, ("", ()))
            ratings[rating] += count
            for fandom in tags:
                fandoms[fandom] += count
        counters = {"project": projects, "fandom": fandoms, "rating": ratings, "status": statuses}
        return {
            name: {
                value: n
                for value, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
                if value
            }
            for name, counter in counters.items()
        }
