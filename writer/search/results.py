"""Search results as plain data: what the CLI prints and the search panel shows.

Hits are ranked by score; :meth:`SearchResults.groups` gathers them by project, projects in
the order of their best hit, which is also the order of ``hits`` in the JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SearchHit:
    """One matching document (or, for ``kind`` "work", one matching work)."""

    project: str  # the project's folder name, as the CLI accepts it
    project_title: str
    document: str | None  # the document id; None for a work's own row
    title: str
    kind: str  # chapter, scene, note or work
    tree_path: tuple[str, ...]  # titles from the top of the manuscript down to the document
    path: str  # the Markdown file (project.json for a work)
    offset: int | None  # where the best hit starts in the document's Markdown
    length: int
    score: float
    snippet: str  # HTML-escaped text with <mark>…</mark> around matched words
    spoilers: tuple[str, ...] = ()  # what the work carries spoilers for

    @property
    def is_note(self) -> bool:
        return self.kind == "note"

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "project_title": self.project_title,
            "document": self.document,
            "title": self.title,
            "kind": self.kind,
            "note": self.is_note,
            "tree_path": list(self.tree_path),
            "path": self.path,
            "offset": self.offset,
            "length": self.length,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "spoilers": list(self.spoilers),
        }


@dataclass
class SearchResults:
    """The ranked hits of one query, the number of all hits and facet counts over them."""

    query: str
    hits: list[SearchHit]
    total: int
    facets: dict[str, dict[str, int]]
    elapsed_ms: float
    work_only: bool = False  # the query named work metadata only: one row per work
    notes: list[str] = field(default_factory=list)  # e.g. "the index is locked"

    def groups(self) -> list[tuple[str, list[SearchHit]]]:
        """Hits gathered by project, projects in the order of their best hit."""
        grouped: dict[str, list[SearchHit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.project, []).append(hit)
        return list(grouped.items())

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "hits": [hit.to_json() for _, hits in self.groups() for hit in hits],
            "total": self.total,
            "facets": self.facets,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }
