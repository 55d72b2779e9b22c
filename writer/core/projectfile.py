"""The on-disk format of ``project.json``: reading it strictly and writing it stably.

The file holds ``format_version``, the project ``id``, every work metadata field at the top
level (the same keys as ``writer info --json``), the ordered ``tree``, the ``trash`` and a
``counts`` cache of word counts keyed by document id (with the file size and mtime they were
counted at). It is written with sorted keys and two-space indents, so it diffs well and an
unchanged project serialises to the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writer.core.atomic import encode_utf8
from writer.core.errors import ProjectFormatError
from writer.core.metadata import (
    DOC_FIELDS,
    WORK_FIELDS,
    DocMeta,
    WorkMeta,
    doc_from_dict,
    to_dict,
    work_from_dict,
)
from writer.core.tree import ID_PATTERN, KINDS, Node, TrashEntry, Tree

FORMAT_VERSION = 1
PROJECT_FILE = "project.json"
_RESERVED = frozenset({"format_version", "id", "tree", "trash", "counts"})


@dataclass
class CachedCount:
    """A document's word count, valid while its file keeps this size and mtime."""

    words: int
    size: int
    mtime_ns: int


@dataclass
class ProjectData:
    """Everything ``project.json`` holds, as Python objects."""

    id: str
    meta: WorkMeta
    tree: Tree
    counts: dict[str, CachedCount] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- writing


def _node_to_dict(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {"id": node.id, "kind": node.kind, "title": node.meta.title}
    defaults = to_dict(DocMeta())
    for key, value in to_dict(node.meta).items():
        if key != "title" and value != defaults[key]:
            data[key] = value
    data["children"] = [_node_to_dict(child) for child in node.children]
    return data


def to_json_dict(project: ProjectData) -> dict[str, Any]:
    """The mapping written to ``project.json``."""
    data: dict[str, Any] = dict(project.extra)
    data.update(to_dict(project.meta))
    data["format_version"] = FORMAT_VERSION
    data["id"] = project.id
    data["tree"] = [_node_to_dict(node) for node in project.tree.roots]
    data["trash"] = [
        {"node": _node_to_dict(e.node), "parent": e.parent_id, "index": e.index}
        for e in project.tree.trash
    ]
    data["counts"] = {
        doc_id: {"words": c.words, "size": c.size, "mtime_ns": c.mtime_ns}
        for doc_id, c in project.counts.items()
    }
    return data


def dumps(project: ProjectData) -> bytes:
    """Serialise stably: sorted keys, two-space indent, UTF-8, one trailing newline."""
    text = json.dumps(to_json_dict(project), indent=2, sort_keys=True, ensure_ascii=False)
    return encode_utf8(text + "\n")


# ---------------------------------------------------------------- reading


def _fail(path: Path, message: str) -> ProjectFormatError:
    return ProjectFormatError(path, message)


def _node_from_dict(path: Path, data: Any, seen: set[str]) -> Node:
    if not isinstance(data, dict):
        raise _fail(path, "a tree entry is not an object")
    node_id = data.get("id")
    if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
        # Ids name files under docs/: anything else could point outside the project.
        raise _fail(path, f"tree entry id {node_id!r} is not a plain document id")
    if node_id in seen:
        raise _fail(path, f"document id {node_id!r} appears twice in the tree")
    seen.add(node_id)
    kind = data.get("kind")
    if kind not in KINDS:
        raise _fail(path, f"tree entry {node_id!r} has unknown kind {kind!r}")
    children = data.get("children", [])
    if not isinstance(children, list):
        raise _fail(path, f"children of {node_id!r} is not a list")
    try:
        meta = doc_from_dict({k: v for k, v in data.items() if k in DOC_FIELDS})
    except (TypeError, ValueError, AttributeError) as error:
        raise _fail(path, f"metadata of {node_id!r} is malformed ({error})") from None
    return Node(
        id=node_id,
        kind=kind,
        meta=meta,
        children=[_node_from_dict(path, child, seen) for child in children],
    )


def _counts_from_dict(data: Any) -> dict[str, CachedCount]:
    counts: dict[str, CachedCount] = {}
    if not isinstance(data, dict):
        return counts
    for doc_id, entry in data.items():
        try:
            counts[str(doc_id)] = CachedCount(
                int(entry["words"]), int(entry["size"]), int(entry["mtime_ns"])
            )
        except (KeyError, TypeError, ValueError):
            continue  # A damaged cache entry is only a recount.
    return counts


def loads(path: Path, raw: bytes) -> ProjectData:
    """Parse ``project.json`` bytes read from ``path``; errors name the file."""
    try:
        return _loads(path, raw)
    except RecursionError:
        raise _fail(path, "nests too deeply to be a writer project file") from None


def _loads(path: Path, raw: bytes) -> ProjectData:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _fail(path, "is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise _fail(path, f"is not valid JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(data, dict):
        raise _fail(path, "does not hold a JSON object")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail(path, "has no format_version: it is not a writer project file")
    if version > FORMAT_VERSION:
        raise _fail(
            path,
            f"was written by a newer writer (format {version}); this version reads "
            f"format {FORMAT_VERSION} and leaves the file untouched",
        )
    project_id = data.get("id")
    if not isinstance(project_id, str) or not ID_PATTERN.match(project_id):
        raise _fail(path, f"project id {project_id!r} is missing or malformed")
    tree_data = data.get("tree", [])
    trash_data = data.get("trash", [])
    if not isinstance(tree_data, list) or not isinstance(trash_data, list):
        raise _fail(path, "tree and trash must be lists")
    seen: set[str] = set()
    roots = [_node_from_dict(path, item, seen) for item in tree_data]
    trash = []
    for item in trash_data:
        if not isinstance(item, dict):
            raise _fail(path, "a trash entry is not an object")
        node = _node_from_dict(path, item.get("node"), seen)
        parent = item.get("parent")
        index = item.get("index", 0)
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise _fail(path, f"trash entry {node.id!r} has a bad index {index!r}")
        trash.append(TrashEntry(node, parent if isinstance(parent, str) else None, index))
    try:
        meta = work_from_dict({k: v for k, v in data.items() if k in WORK_FIELDS})
    except (TypeError, ValueError, AttributeError) as error:
        raise _fail(path, f"work metadata is malformed ({error})") from None
    extra = {k: v for k, v in data.items() if k not in WORK_FIELDS and k not in _RESERVED}
    return ProjectData(
        id=project_id,
        meta=meta,
        tree=Tree(roots, trash),
        counts=_counts_from_dict(data.get("counts")),
        extra=extra,
    )
