"""What the index holds about each work and document, taken from the project model.

A :class:`Record` is a snapshot of everything but the document text: it is cheap to take
on the thread that owns the :class:`~writer.core.project.Project` (the GUI thread), and the
index worker reads the text from disk later. Each record carries a *signature* (file size,
mtime and a hash of its metadata) stored in the index, so reconciling with the files on disk
only re-reads what changed.

Every document of a work carries the work's tags too, so ``fandom:X dragon`` filters
documents; the work itself gets one record of ``kind`` "work" holding its title, summary,
notes, disclaimer and spoilers, which a query on metadata alone returns as one row per work.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from writer.core.metadata import WorkMeta
from writer.core.project import Project
from writer.core.projectfile import PROJECT_FILE
from writer.core.tree import Node
from writer.search.analysis import join_parts, join_tags
from writer.search.schema import TAG_FIELDS

WORK_KIND = "work"


def doc_key(slug: str, doc_id: str) -> str:
    """The unique key of a document's record."""
    return f"{slug}/{doc_id}"


def work_key(slug: str) -> str:
    """The unique key of a work's own record."""
    return f"{slug}/"


def file_stamp(path: Path) -> str | None:
    """``size:mtime_ns`` of a file, or None when it is missing: what tells a change."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def read_markdown(path: Path) -> str:
    """A document's text exactly as :meth:`Project.read_text` gives it (offsets in search
    results index into this string): UTF-8 with an optional BOM, newlines as ``\\n``."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def spoiler_marks(meta: WorkMeta) -> tuple[str, ...]:
    """What a result row says a work spoils: its spoiler list, else its spoiler note."""
    marks = tuple(s.strip() for s in meta.spoilers if s.strip())
    if not marks and meta.spoiler_note.strip():
        note = " ".join(meta.spoiler_note.split())
        marks = (note if len(note) <= 80 else note[:79] + "…",)
    return marks


def _iso_to_local(value: str) -> datetime | None:
    """``2024-05-01T10:00:00Z`` -> a naive local datetime, as dates are typed in queries."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().replace(tzinfo=None)


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p and p.strip())


@dataclass(frozen=True)
class Record:
    """One work or document as indexed, minus the text (read from ``file`` when indexed)."""

    key: str
    slug: str
    project_id: str
    project_title: str
    doc: str  # "" for the work's own record
    kind: str
    title: str
    status: str
    tree: tuple[str, ...]
    file: Path | None  # the Markdown file; None for a work
    rating: str
    tags: tuple[tuple[str, tuple[str, ...]], ...]  # (field, values) for each tag field
    spoiler_marks: tuple[str, ...]
    summary: str = ""
    notes: str = ""
    disclaimer: str = ""
    spoilers: str = ""
    words: int | None = None
    modified: datetime | None = None  # works only; documents use their file's mtime
    project_stamp: str = ""  # works only: project.json's size:mtime when snapshotted
    position: int = 0  # reading order within the project (the work is 0)

    @property
    def is_work(self) -> bool:
        return self.kind == WORK_KIND

    def meta_hash(self) -> str:
        """A hash of everything indexed besides the text, so a rename or a new tag is seen."""
        parts = [
            self.project_id,
            self.project_title,
            self.kind,
            self.title,
            self.status,
            "\x1e".join(self.tree),
            self.rating,
            repr(self.tags),
            "\x1e".join(self.spoiler_marks),
            self.summary,
            self.notes,
            self.disclaimer,
            self.spoilers,
            "" if self.words is None else str(self.words),
            "" if self.modified is None else self.modified.isoformat(),
            str(self.position),
        ]
        return hashlib.blake2b("\x1d".join(parts).encode("utf-8"), digest_size=8).hexdigest()


def signature(record: Record, stamp: str | None) -> str:
    """The signature stored with a record: its file's stamp (documents) and metadata hash."""
    return f"{stamp or '-'}|{record.meta_hash()}"


def stamp_of_signature(sig: str) -> str:
    """The file part of a stored signature (``size:mtime_ns`` or ``-``)."""
    return sig.partition("|")[0]


def _work_tags(meta: WorkMeta) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(getattr(meta, name))) for name in TAG_FIELDS)


def _base(project: Project) -> dict[str, Any]:
    meta = project.meta
    return {
        "slug": project.slug,
        "project_id": project.id,
        "project_title": project.title,
        "rating": meta.rating,
        "tags": _work_tags(meta),
        "spoiler_marks": spoiler_marks(meta),
    }


def work_record(project: Project) -> Record:
    """The record of the work as a whole."""
    meta = project.meta
    return Record(
        key=work_key(project.slug),
        doc="",
        kind=WORK_KIND,
        title=project.title,
        status=meta.status,
        tree=(),
        file=None,
        summary=meta.summary,
        notes=_join(meta.notes_begin, meta.notes_end),
        disclaimer=meta.disclaimer,
        spoilers=_join("\n".join(meta.spoilers), meta.spoiler_note),
        modified=_iso_to_local(meta.modified or meta.created),
        project_stamp=file_stamp(project.path / PROJECT_FILE) or "",
        **_base(project),
    )


def _doc_record(
    project: Project, node: Node, trail: list[Node], base: dict[str, Any], position: int
) -> Record:
    meta = node.meta
    return Record(
        position=position,
        key=doc_key(project.slug, node.id),
        doc=node.id,
        kind=node.kind,
        title=meta.title,
        status=meta.status,
        tree=tuple(n.title for n in trail),
        file=project.doc_path(node.id),
        summary=_join(meta.summary, meta.synopsis),
        notes=_join(meta.notes_begin, meta.notes_end),
        words=project.words(node.id),
        **base,
    )


def document_record(project: Project, doc_id: str) -> Record | None:
    """The record of one document, or None when it is not indexed (trash, a part)."""
    if project.tree.in_trash(doc_id):
        return None
    trail = project.tree.path_of(doc_id)
    node = trail[-1]
    if not node.has_text:
        return None
    texts = [n.id for n in project.tree.walk() if n.has_text]
    return _doc_record(project, node, trail, _base(project), texts.index(doc_id) + 1)


def project_records(project: Project) -> list[Record]:
    """Every record of a project: the work, then its documents in reading order (the trash
    is left out; notes are in)."""
    base = _base(project)
    records = [work_record(project)]

    def visit(nodes: list[Node], trail: list[Node]) -> None:
        for node in nodes:
            path = [*trail, node]
            if node.has_text:
                records.append(_doc_record(project, node, path, base, len(records)))
            visit(node.children, path)

    visit(project.tree.roots, [])
    return records


def whoosh_fields(record: Record, text: str, stamp: str | None) -> dict[str, Any]:
    """The keyword arguments for ``writer.update_document`` (display values stored
    beside the normalised tag terms through Whoosh's ``_stored_`` prefix)."""
    values: dict[str, Any] = {
        "key": record.key,
        "slug": record.slug,
        "project_id": record.project_id,
        "project_title": record.project_title,
        "doc": record.doc,
        "kind": record.kind,
        "status": record.status,
        "tree": list(record.tree),
        "sig": signature(record, stamp),
        "spoiler_marks": list(record.spoiler_marks),
        "project": join_tags([record.slug, record.project_title]),
        "_stored_project": record.slug,
        "position": record.position,
        "body": join_parts(
            record.title, record.summary, record.notes, record.disclaimer, record.spoilers, text
        ),
        "title": record.title,
        "summary": record.summary,
        "notes": record.notes,
        "disclaimer": record.disclaimer,
        "spoilers": record.spoilers,
    }
    if record.rating:
        values["rating"] = record.rating
    for name, tags in record.tags:
        if tags:
            values[name] = join_tags(tags)
            values[f"_stored_{name}"] = list(tags)
    if record.words is not None:
        values["words"] = record.words
    modified = record.modified
    if record.file is not None and stamp:
        modified = datetime.fromtimestamp(int(stamp.split(":")[1]) / 1e9)
    if modified is not None:
        values["modified"] = modified
    if record.is_work:
        values["pjstamp"] = record.project_stamp
    return values


def load_text(record: Record) -> tuple[str, str | None]:
    """The text and file stamp of a record (a work has no text; a vanished or unreadable
    file indexes as empty, and reconcile picks it up again once it is back)."""
    if record.file is None:
        return "", None
    stamp = file_stamp(record.file)
    try:
        text = read_markdown(record.file)
    except OSError:
        return "", None
    return text, stamp
