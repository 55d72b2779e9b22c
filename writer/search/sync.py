"""Comparing the index with the files: what to write, what to drop, what to leave alone.

Each record in the index stores its signature (file size and mtime, plus a hash of its
metadata) and each work's record the size and mtime of ``project.json``. Reconciling a
library of 2,000 works then costs one ``stat`` per file: a project is loaded only when
its ``project.json`` or one of its indexed files changed, and only records whose signature
differs are written again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writer.core.project import DOCS_DIR
from writer.core.projectfile import PROJECT_FILE
from writer.search.records import (
    WORK_KIND,
    Record,
    doc_key,
    file_stamp,
    signature,
    stamp_of_signature,
)


class Damaged(Exception):
    """Whoosh failed while reading or writing: the index must be rebuilt."""


@dataclass
class ReconcileCounts:
    """Records written or removed to bring the index in step with the files."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # projects that could not be read

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@dataclass
class Stored:
    """What the index holds about one project: signatures by document id."""

    work_sig: str | None = None
    pjstamp: str | None = None
    docs: dict[str, str] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return len(self.docs) + (self.work_sig is not None)


@dataclass
class Plan:
    """One writer session's work."""

    write: list[Record] = field(default_factory=list)
    delete_keys: list[str] = field(default_factory=list)
    delete_slugs: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.write or self.delete_keys or self.delete_slugs)


def stored_state(ix: Any, slug: str | None = None) -> dict[str, Stored]:
    """Signatures by project (all projects, or one), read with a private searcher."""
    state: dict[str, Stored] = {}
    try:
        with ix.searcher() as searcher:
            if slug is None:
                docs = searcher.reader().all_stored_fields()
            else:
                docs = searcher.documents(slug=slug)
            for stored in docs:
                entry = state.setdefault(stored["slug"], Stored())
                if stored.get("kind") == WORK_KIND:
                    entry.work_sig = stored.get("sig")
                    entry.pjstamp = stored.get("pjstamp")
                else:
                    entry.docs[stored["doc"]] = stored.get("sig", "")
    except Exception as error:
        raise Damaged(str(error)) from error
    return state


def diff(records: list[Record], stored: Stored | None, plan: Plan, counts: ReconcileCounts) -> None:
    """Add to ``plan`` what differs between a project's records and the index."""
    known = stored.docs if stored else {}
    present: set[str] = set()
    for record in records:
        if record.is_work:
            old = stored.work_sig if stored else None
            same = (
                stored is not None
                and old == signature(record, None)
                and stored.pjstamp == record.project_stamp
            )
        else:
            present.add(record.doc)
            old = known.get(record.doc)
            assert record.file is not None
            same = old == signature(record, file_stamp(record.file))
        if same:
            counts.unchanged += 1
            continue
        plan.write.append(record)
        if old is None:
            counts.added += 1
        else:
            counts.updated += 1
    for doc_id in known:
        if doc_id not in present:
            plan.delete_keys.append(doc_key(records[0].slug, doc_id))
            counts.removed += 1


def unchanged_on_disk(folder: Path, stored: Stored) -> bool:
    """Whether neither project.json nor any indexed file changed (no load needed)."""
    if stored.work_sig is None or file_stamp(folder / PROJECT_FILE) != stored.pjstamp:
        return False
    docs = folder / DOCS_DIR
    return all(
        file_stamp(docs / f"{doc_id}.md") == stamp_of_signature(sig)
        for doc_id, sig in stored.docs.items()
    )
