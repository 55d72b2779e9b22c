"""An :class:`ImportedWork` into the library: a new project, an update, or new chapters.

Every import leaves a record in ``project.extra["imports"]`` (the source, the SHA-256 of
its bytes, when, the fields it detected, the chapters it made) and a copy of the original
file(s) under ``<project>/imported/``. The record is how a second import of the same
source is recognised: same bytes -> "unchanged"; same place, new bytes -> "updated" (the
chapters it made are rewritten in place after a snapshot).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from writer.core.atomic import atomic_write_bytes
from writer.core.importing.model import ImportedChapter, ImportedWork
from writer.core.library import Library
from writer.core.metadata import WorkMeta, now_iso, to_dict, work_from_dict
from writer.core.project import Project
from writer.core.snapshots import take_snapshot

IMPORTED_DIR = "imported"


@dataclass
class Source:
    """What was imported: its path, the files it consists of, and their combined hash."""

    path: Path
    files: list[Path]
    sha256: str

    @classmethod
    def of(cls, path: Path, files: list[Path]) -> Source:
        digest = hashlib.sha256()
        if path.is_dir():
            for file in files:
                digest.update(file.name.encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
        else:
            digest.update(path.read_bytes())
        return cls(path.resolve(), files, digest.hexdigest())


def _records(project: Project) -> list[dict[str, Any]]:
    records = project.extra.get("imports")
    return records if isinstance(records, list) else []


def find_previous(library: Library, source: Source) -> tuple[Path, dict[str, Any]] | None:
    """The project (and its record) that an earlier import of this source made: by hash
    first (a moved file), then by place (a changed file)."""
    by_place = None
    for entry in library.entries():
        if entry.project is None:
            continue
        for record in _records(entry.project):
            if record.get("sha256") == source.sha256:
                return entry.path, record
            if record.get("source") == str(source.path) and by_place is None:
                by_place = (entry.path, record)
    return by_place


# ---------------------------------------------------------------- writing chapters


def _part_for(project: Project, chapter: ImportedChapter, parts: dict[str, str]) -> str | None:
    """The part node a chapter goes into (made on first use), or None for the top level."""
    if not chapter.part:
        return None
    if chapter.part not in parts:
        parts[chapter.part] = project.add_node("part", chapter.part).id
    return parts[chapter.part]


def _add_chapter(project: Project, chapter: ImportedChapter, parent: str | None = None) -> str:
    pairs = list(zip(chapter.scene_titles, chapter.scenes, strict=True))
    own = pairs.pop(0)[1] if pairs and not pairs[0][0] else ""
    node = project.add_node("chapter", chapter.title, parent_id=parent, text=own)
    for title, text in pairs:
        project.add_node("scene", title, parent_id=node.id, text=text)
    _chapter_meta(project, node.id, chapter)
    return node.id


def _add_chapters(
    project: Project, chapters: list[ImportedChapter], parts: dict[str, str] | None = None
) -> list[str]:
    parts = {} if parts is None else parts
    return [_add_chapter(project, c, _part_for(project, c, parts)) for c in chapters]


def _chapter_meta(project: Project, node_id: str, chapter: ImportedChapter) -> None:
    meta = project.tree.find(node_id).meta
    meta.title = chapter.title
    meta.summary = chapter.summary
    meta.notes_begin = chapter.notes_begin
    meta.notes_end = chapter.notes_end


def _replace_chapter(project: Project, node_id: str, chapter: ImportedChapter) -> None:
    """Rewrite a chapter made by an earlier import: its text, its scenes, its notes."""
    node = project.tree.find(node_id)
    pairs = list(zip(chapter.scene_titles, chapter.scenes, strict=True))
    own = pairs.pop(0)[1] if pairs and not pairs[0][0] else ""
    project.write_text(node_id, own, save=False)
    scenes = [c for c in node.children if c.kind == "scene"]
    for index, (title, text) in enumerate(pairs):
        if index < len(scenes):
            scenes[index].meta.title = title
            project.write_text(scenes[index].id, text, save=False)
        else:
            project.add_node("scene", title, parent_id=node_id, text=text)
    for scene in scenes[len(pairs) :]:
        project.trash_node(scene.id)
    _chapter_meta(project, node_id, chapter)


def _copy_originals(project: Project, source: Source, previous: list[str] | None) -> list[str]:
    """Copy the source file(s) under ``imported/``; returns their names there."""
    folder = project.path / IMPORTED_DIR
    folder.mkdir(exist_ok=True)
    base = source.path.name
    if previous:
        name = previous[0].split("/")[0]
    else:
        name, number = base, 2
        while (folder / name).exists():
            stem, dot, suffix = base.partition(".")
            name = f"{stem}-{number}{dot}{suffix}"
            number += 1
    if source.path.is_dir():
        (folder / name).mkdir(exist_ok=True)
        for file in source.files:
            atomic_write_bytes(folder / name / file.name, file.read_bytes())
        return [f"{name}/{file.name}" for file in source.files]
    atomic_write_bytes(folder / name, source.path.read_bytes())
    return [name]


def _record(
    work: ImportedWork, source: Source, files: list[str], chapters: list[str]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": str(source.path),
        "name": source.path.name,
        "sha256": source.sha256,
        "imported": now_iso(),
        "format": work.format,
        "files": files,
        "chapters": chapters,
        "fields": work.fields,
    }
    if work.encoding:
        record["encoding"] = work.encoding
    if work.unmapped:
        record["unmapped"] = work.unmapped
    if work.word_count is not None:
        record["word_count"] = work.word_count
    return record


def _meta_values(work: ImportedWork) -> dict[str, Any]:
    values = to_dict(work_from_dict(work.fields))
    return {k: v for k, v in values.items() if k in work.fields}


# ---------------------------------------------------------------- the three actions


def create_project(library: Library, work: ImportedWork, source: Source) -> Project:
    """A new project from an imported work."""
    title = work.fields.get("title") or source.path.stem
    library.path.mkdir(parents=True, exist_ok=True)
    meta = work_from_dict(work.fields)
    if meta.posting == "complete":
        meta.status = "complete"
    project = Project.create(library.free_folder(title), title, meta, first_chapter=False)
    try:
        ids = _add_chapters(project, work.chapters)
        files = _copy_originals(project, source, None)
        project.extra["imports"] = [_record(work, source, files, ids)]
        project.save()
    finally:
        project.close()
    return project


def update_project(
    folder: Path, record: dict[str, Any], work: ImportedWork, source: Source
) -> tuple[Project, Path, list[str]]:
    """Rewrite the chapters an earlier import made, after a snapshot. Fields the author
    changed since that import are kept (and reported)."""
    project = Project.load(folder)
    notes: list[str] = []
    try:
        snapshot = take_snapshot(project, f"before re-import of {source.path.name}")
        live = {n.id for n in project.tree.walk()}
        old_ids = [i for i in record.get("chapters", []) if i in live]
        ids = []
        parts = {n.title: n.id for n in project.tree.walk() if n.kind == "part"}
        for index, chapter in enumerate(work.chapters):
            if index < len(old_ids):
                _replace_chapter(project, old_ids[index], chapter)
                ids.append(old_ids[index])
            else:
                ids += _add_chapters(project, [chapter], parts)
        for node_id in old_ids[len(work.chapters) :]:
            project.trash_node(node_id)
        before = record.get("fields", {})
        current = to_dict(project.meta)
        defaults = to_dict(WorkMeta())
        for name, value in _meta_values(work).items():
            unchanged = (before.get(name), defaults.get(name), value)
            if current.get(name) in unchanged or name not in before and not current.get(name):
                setattr(project.meta, name, getattr(work_from_dict(work.fields), name))
            else:
                notes.append(f"kept your own {name} (the source has another)")
        files = _copy_originals(project, source, record.get("files"))
        new = _record(work, source, files, ids)
        same = (record.get("source"), record.get("sha256"))
        records = [r for r in _records(project) if (r.get("source"), r.get("sha256")) != same]
        project.extra["imports"] = [*records, new]
        project.save()
    finally:
        project.close()
    return project, snapshot, notes


def append_to_project(project: Project, work: ImportedWork, source: Source) -> Path:
    """Add an imported work's chapters at the end of an existing project, after a
    snapshot; only empty work fields are filled in."""
    snapshot = take_snapshot(project, f"before import of {source.path.name}")
    try:
        ids = _add_chapters(project, work.chapters)
        current = to_dict(project.meta)
        incoming = work_from_dict(work.fields)
        for name in _meta_values(work):
            if name != "title" and current.get(name) in ("", [], None):
                setattr(project.meta, name, getattr(incoming, name))
        files = _copy_originals(project, source, None)
        project.extra["imports"] = [*_records(project), _record(work, source, files, ids)]
        project.save()
    finally:
        project.close()
    return snapshot
