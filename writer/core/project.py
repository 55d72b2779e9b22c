"""A project: one work on disk as a folder of ``project.json`` and ``docs/<id>.md`` files.

Every read and write of a project goes through :class:`Project`. Writes are atomic and
ordered so that a crash at any moment leaves a loadable project: documents are written
before ``project.json`` refers to them, and files are deleted only after ``project.json``
has stopped referring to them. Nothing here overwrites a file it could not read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from stat import S_ISLNK
from typing import Any

from writer.core import projectfile
from writer.core.atomic import atomic_write_bytes, encode_utf8
from writer.core.errors import MissingDocumentError, ProjectError, ProjectFormatError, TreeError
from writer.core.lock import ProjectLock
from writer.core.metadata import (
    SetMode,
    WorkMeta,
    now_iso,
    set_doc_field,
    set_work_field,
    to_dict,
)
from writer.core.projectfile import PROJECT_FILE, CachedCount, ProjectData
from writer.core.tree import ID_PATTERN, Node, Tree, new_id
from writer.core.wordcount import count_words

DOCS_DIR = "docs"
PROSE_KINDS = frozenset({"chapter", "scene"})


class Project:
    """One work: its metadata, its manuscript tree and the text of its documents."""

    def __init__(self, path: Path, data: ProjectData, saved: bytes | None) -> None:
        self.path = Path(path)
        self._data = data
        self._saved = saved
        self._lock = ProjectLock(self.path)
        self._recounted: dict[str, int] = {}  # doc id -> mtime verified by a recount

    # -------------------------------------------------------------- opening

    @classmethod
    def load(cls, path: Path | str) -> Project:
        """Open a project folder, checking the file, its ids and its documents."""
        folder = Path(path)
        file = folder / PROJECT_FILE
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            raise ProjectError(folder, f"is not a writer project (no {PROJECT_FILE})") from None
        except OSError as error:
            raise ProjectError(file, f"cannot be read ({error.strerror})") from None
        project = cls(folder, projectfile.loads(file, raw), raw)
        project._check_documents()
        return project

    @classmethod
    def create(
        cls,
        folder: Path | str,
        title: str,
        meta: WorkMeta | None = None,
        first_chapter: bool = True,
    ) -> Project:
        """Make a new project in an empty or missing folder."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ProjectError(folder, "is a file, not a folder for a project")
        if folder.exists() and any(folder.iterdir()):
            raise ProjectError(folder, "already exists and is not empty")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / DOCS_DIR).mkdir(exist_ok=True)
        meta = meta or WorkMeta()
        meta.title = title
        meta.created = meta.created or now_iso()
        meta.modified = meta.created
        project = cls(folder, ProjectData(id=new_id(), meta=meta, tree=Tree()), None)
        if first_chapter:
            project.add_node("chapter", "Chapter 1")
        project.save()
        return project

    def _check_documents(self) -> None:
        docs = self.path / DOCS_DIR
        if docs.is_symlink():
            raise ProjectFormatError(docs, "is a symbolic link; documents must live in the project")
        for node in self.tree.all_nodes():
            if node.has_text:
                file = self.doc_path(node.id)
                if not file.exists():
                    raise MissingDocumentError(
                        file, f"is missing: the tree names document {node.title!r} ({node.id})"
                    )

    # -------------------------------------------------------------- properties

    @property
    def id(self) -> str:
        return self._data.id

    @property
    def meta(self) -> WorkMeta:
        return self._data.meta

    @property
    def tree(self) -> Tree:
        return self._data.tree

    @property
    def title(self) -> str:
        return self.meta.title or self.path.name

    @property
    def slug(self) -> str:
        return self.path.name

    @property
    def extra(self) -> dict[str, Any]:
        """Keys of ``project.json`` this version does not know; kept as they are."""
        return self._data.extra

    # -------------------------------------------------------------- documents

    def doc_path(self, doc_id: str) -> Path:
        """The file of a document; refuses ids and links that would leave the project."""
        if not ID_PATTERN.match(doc_id):
            raise ProjectFormatError(self.path / PROJECT_FILE, f"bad document id {doc_id!r}")
        docs = self.path / DOCS_DIR
        if docs.is_symlink():
            raise ProjectFormatError(docs, "is a symbolic link; documents must live in the project")
        file = docs / f"{doc_id}.md"
        if file.is_symlink():
            raise ProjectFormatError(file, "is a symbolic link; documents must live in the project")
        return file

    def read_text(self, doc_id: str) -> str:
        """The Markdown text of a document, with line endings normalised to ``\\n``."""
        file = self.doc_path(doc_id)
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            raise MissingDocumentError(file, "is missing") from None
        except OSError as error:
            raise ProjectError(file, f"cannot be read ({error.strerror})") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ProjectError(
                file, f"is not UTF-8 text (byte {error.start}); it was left untouched"
            ) from None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def write_text(self, doc_id: str, text: str, save: bool = True) -> None:
        """Save a document atomically, update its cached count, then ``project.json``."""
        node = self.tree.find(doc_id)
        if not node.has_text:
            raise TreeError(f"a {node.kind} has no text of its own")
        self.write_text_for_new(doc_id, text)
        if save:
            self.save()

    def _stat(self, doc_id: str) -> os.stat_result | None:
        """One ``lstat`` of a document (None when missing); a link is refused as in
        ``doc_path`` but without its extra checks, since counts stat every document."""
        if not ID_PATTERN.match(doc_id):
            raise ProjectFormatError(self.path / PROJECT_FILE, f"bad document id {doc_id!r}")
        try:
            stat = os.lstat(self.path / DOCS_DIR / f"{doc_id}.md")
        except FileNotFoundError:
            return None
        if S_ISLNK(stat.st_mode):
            self.doc_path(doc_id)  # raises the clear error
        return stat

    def cached_words(self, doc_id: str) -> int | None:
        """The cached count if the file is unchanged since it was counted, else None:
        never reads the document, so a window can show counts without blocking."""
        stat = self._stat(doc_id)
        if stat is None:
            return 0
        cached = self._data.counts.get(doc_id)
        known = (cached.mtime_ns, self._recounted.get(doc_id)) if cached else ()
        if cached and cached.size == stat.st_size and stat.st_mtime_ns in known:
            return cached.words
        return None

    def words(self, doc_id: str) -> int:
        """A document's own word count, from the cache while its file is unchanged."""
        cached = self.cached_words(doc_id)
        if cached is not None:
            return cached
        stat = self._stat(doc_id)
        words = count_words(self.read_text(doc_id))
        if stat is None:
            return words
        cached = self._data.counts.get(doc_id)
        if cached and (cached.words, cached.size) == (words, stat.st_size):
            # Same text, new mtime (a fresh clone or a copied library): remember that in
            # memory only, so merely opening a project never rewrites its project.json.
            self._recounted[doc_id] = stat.st_mtime_ns
        else:
            self._data.counts[doc_id] = CachedCount(words, stat.st_size, stat.st_mtime_ns)
        return words

    def counts_ready(self) -> bool:
        """Whether every document's count is cached and current (no reading needed)."""
        return all(self.cached_words(n.id) is not None for n in self.tree.all_nodes() if n.has_text)

    def node_words(self, node: Node) -> int:
        """Words of a node and everything below it (notes count only under notes)."""
        own = self.words(node.id) if node.has_text else 0
        return own + sum(
            self.node_words(child)
            for child in node.children
            if child.kind != "note" or node.kind == "note"
        )

    def total_words(self) -> int:
        """Words of the manuscript: chapters and scenes, not notes and not the trash."""
        return sum(self.words(n.id) for n in self.tree.walk() if n.kind in PROSE_KINDS)

    def orphan_documents(self) -> list[Path]:
        """Files in ``docs/`` that no tree entry names: reported, never deleted."""
        known = {f"{n.id}.md" for n in self.tree.all_nodes() if n.has_text}
        docs = self.path / DOCS_DIR
        if not docs.is_dir():
            return []
        return sorted(p for p in docs.iterdir() if p.suffix == ".md" and p.name not in known)

    def write_text_for_new(self, doc_id: str, text: str) -> None:
        """Write the file of a document the tree does not name yet (it will, next save)."""
        if not ID_PATTERN.match(doc_id):
            raise TreeError(f"bad document id {doc_id!r}")
        self._lock.acquire()
        (self.path / DOCS_DIR).mkdir(exist_ok=True)
        file = self.doc_path(doc_id)
        atomic_write_bytes(file, encode_utf8(text))
        stat = file.stat()
        self._data.counts[doc_id] = CachedCount(count_words(text), stat.st_size, stat.st_mtime_ns)

    # -------------------------------------------------------------- tree changes

    def add_node(
        self,
        kind: str,
        title: str = "",
        parent_id: str | None = None,
        index: int | None = None,
        text: str = "",
    ) -> Node:
        """Add a part, chapter, scene or note; its (empty) file exists before the tree names it."""
        node = self.tree.add(kind, title, parent_id, index)
        if node.has_text:
            try:
                (self.path / DOCS_DIR).mkdir(exist_ok=True)
                self.write_text(node.id, text, save=False)
            except BaseException:
                self.tree._detach(node.id)
                raise
        return node

    def move_node(self, node_id: str, parent_id: str | None, index: int | None = None) -> None:
        self.tree.move(node_id, parent_id, index)

    def rename_node(self, node_id: str, title: str) -> None:
        self.tree.find(node_id).meta.title = title.strip()

    def trash_node(self, node_id: str) -> None:
        self.tree.trash_node(node_id)

    def restore_node(self, node_id: str) -> None:
        self.tree.restore(node_id)

    def delete_forever(self, node_id: str) -> None:
        """Remove a trashed node for good: ``project.json`` first, then its files."""
        self._remove_files(self.tree.delete_forever(node_id))

    def empty_trash(self) -> None:
        self._remove_files(self.tree.empty_trash())

    def _remove_files(self, nodes: list[Node]) -> None:
        self.forget_files(nodes)

    def forget_files(self, nodes: list[Node]) -> None:
        """Save ``project.json`` (which no longer names ``nodes``), then remove their files."""
        self.save()
        for node in nodes:
            if node.has_text:
                self.doc_path(node.id).unlink(missing_ok=True)
                self._data.counts.pop(node.id, None)
        self.save()

    # -------------------------------------------------------------- metadata

    def set_field(self, name: str, values: list[str], mode: SetMode = "replace") -> str:
        """Set a work metadata field from text (aliases accepted); see ``metadata``."""
        return set_work_field(self.meta, name, values, mode)

    def set_doc_field(
        self, doc_id: str, name: str, values: list[str], mode: SetMode = "replace"
    ) -> str:
        return set_doc_field(self.tree.find(doc_id).meta, name, values, mode)

    # -------------------------------------------------------------- saving

    def _serialise(self) -> bytes:
        live = {n.id for n in self.tree.all_nodes() if n.has_text}
        self._data.counts = {k: v for k, v in self._data.counts.items() if k in live}
        return projectfile.dumps(self._data)

    @property
    def dirty(self) -> bool:
        """Whether ``project.json`` on disk differs from the model in memory."""
        return self._serialise() != self._saved

    def _content_key(self, raw: bytes | None) -> Any:
        """``project.json`` without its count cache: what counts as a change of the work."""
        if raw is None:
            return None
        data = json.loads(raw)
        data.pop("counts", None)
        return data

    def save(self) -> bool:
        """Write ``project.json`` if anything changed; returns whether it wrote.

        ``modified`` moves only when the work changed, not when the word-count cache was
        merely refreshed (as after a git checkout gives every file a new mtime).
        """
        raw = self._serialise()
        if raw == self._saved:
            return False
        if self._content_key(raw) != self._content_key(self._saved):
            self._data.meta.modified = now_iso()
            raw = self._serialise()
        self._lock.acquire()
        atomic_write_bytes(self.path / PROJECT_FILE, raw)
        self._saved = raw
        return True

    def holds_lock(self) -> bool:
        """Whether this process holds the project's lock right now."""
        return self._lock.held

    def take_over_lock(self) -> None:
        """Take the lock from another host's copy (the user said it is closed: usually a
        sync service carried its lock file here)."""
        self._lock.acquire(force=True)

    def release_lock(self) -> None:
        """Give up the lock (when idle); the next write takes it again."""
        self._lock.release()

    def close(self) -> None:
        """Save what is pending and release the lock."""
        try:
            self.save()
        finally:
            self._lock.release()

    # -------------------------------------------------------------- reports

    def node_info(self, node: Node) -> dict[str, Any]:
        """A node as ``writer info --json`` shows it: id, kind, metadata, words, children."""
        info: dict[str, Any] = {"id": node.id, "kind": node.kind}
        info.update(to_dict(node.meta))
        info["words"] = self.node_words(node)
        info["children"] = [self.node_info(child) for child in node.children]
        return info

    def info(self) -> dict[str, Any]:
        """Every work metadata key, plus ``id``, ``words``, ``path``, ``tree`` and ``trash``."""
        info: dict[str, Any] = to_dict(self.meta)
        info["id"] = self.id
        info["words"] = self.total_words()
        info["path"] = str(self.path)
        info["tree"] = [self.node_info(node) for node in self.tree.roots]
        info["trash"] = [self.node_info(entry.node) for entry in self.tree.trash]
        return info


def is_project_dir(path: Path) -> bool:
    """Whether a folder looks like a project (holds ``project.json``)."""
    return (path / PROJECT_FILE).is_file()
