"""Turning a matching record into a result row: place in the tree, snippet, position.

Everything but the snippet comes from the record's stored fields (kept in memory by
:mod:`writer.search.facets`). The snippet and the hit's offset come from the Markdown
file on disk, which is cheaper than storing every text in the index twice; a work's own
row takes its snippet from the summary, notes, disclaimer or spoilers in
``project.json``, read once per change of that file.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from writer.core.errors import WriterError
from writer.core.project import DOCS_DIR
from writer.core.projectfile import PROJECT_FILE, loads
from writer.search.query import ParsedQuery
from writer.search.records import WORK_KIND, file_stamp, read_markdown
from writer.search.results import SearchHit
from writer.search.schema import BODY
from writer.search.snippets import Located, locate, opening

WORK_TEXT_FIELDS = ("summary", "notes", "disclaimer", "spoilers")
CACHED_WORKS = 512


class HitMaker:
    """Builds :class:`SearchHit` rows for one library."""

    def __init__(self, library_path: Path) -> None:
        self.library_path = library_path
        self._lock = threading.Lock()
        self._work_texts: OrderedDict[str, tuple[str, dict[str, str]]] = OrderedDict()

    def forget(self, slug: str | None = None) -> None:
        """Drop cached work texts (of one project, or all)."""
        with self._lock:
            if slug is None:
                self._work_texts.clear()
            else:
                self._work_texts.pop(slug, None)

    def make(self, parsed: ParsedQuery, reader: Any, score: float, stored: dict) -> SearchHit:
        slug, kind = stored["slug"], stored["kind"]
        folder = self.library_path / slug
        if kind == WORK_KIND:
            located = self._work_snippet(parsed, reader, folder)
            path, doc = folder / PROJECT_FILE, None
        else:
            doc = stored["doc"]
            path = folder / DOCS_DIR / f"{doc}.md"
            try:
                text = read_markdown(path)
            except OSError:
                text = ""
            hl = parsed.highlight(reader, BODY)
            located = (locate(text, hl) if hl else None) or opening(text)
        return SearchHit(
            project=slug,
            project_title=stored.get("project_title", ""),
            document=doc,
            title=stored.get("title", ""),
            kind=kind,
            tree_path=tuple(stored.get("tree") or ()),
            path=str(path),
            offset=located.offset,
            length=located.length,
            score=float(score),
            snippet=located.snippet,
            spoilers=tuple(stored.get("spoiler_marks") or ()),
        )

    def _work_snippet(self, parsed: ParsedQuery, reader: Any, folder: Path) -> Located:
        texts = self._texts_of_work(folder)
        body = parsed.highlight(reader, BODY)
        for name in WORK_TEXT_FIELDS:
            hl = body | parsed.highlight(reader, name)
            if hl and texts.get(name):
                located = locate(texts[name], hl)
                if located is not None:
                    return Located(None, 0, located.snippet)
        first = next((texts[n] for n in WORK_TEXT_FIELDS if texts.get(n)), "")
        return opening(first)

    def _texts_of_work(self, folder: Path) -> dict[str, str]:
        """A work's summary, notes, disclaimer and spoilers, cached by project.json stamp."""
        file = folder / PROJECT_FILE
        stamp = file_stamp(file) or ""
        with self._lock:
            cached = self._work_texts.get(folder.name)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            meta = loads(file, file.read_bytes()).meta
            texts = {
                "summary": meta.summary,
                "notes": "\n\n".join(t for t in (meta.notes_begin, meta.notes_end) if t),
                "disclaimer": meta.disclaimer,
                "spoilers": "\n\n".join([*meta.spoilers, meta.spoiler_note]).strip(),
            }
        except (OSError, WriterError):
            texts = {}
        with self._lock:
            self._work_texts[folder.name] = (stamp, texts)
            while len(self._work_texts) > CACHED_WORKS:
                self._work_texts.popitem(last=False)
        return texts
