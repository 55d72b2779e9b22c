"""Import of existing stories: text, Markdown, HTML, DOCX and EPUB files, and folders of
chapter files, with the metadata authors put round their prose moved into fields.

:func:`import_paths` is the public entry point (the CLI calls it, the window's File >
Import will); :func:`parse_path` parses without writing anything. The steps, one module
each: readers (``encoding``, ``text_reader``, ``html_reader``/``htmltree``,
``docx_reader``, ``epub_reader``), ``archive_download`` (the archive's own downloads),
``labels``/``phrases``/``detect`` (header labels, notes, disclaimers, spoiler warnings),
``chapters`` (headings, parts, scene breaks), ``collect`` (which value goes to which
field), ``parse``/``folders`` (the pipeline), ``builder`` (the project on disk).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writer.core.errors import WriterError
from writer.core.importing.builder import (
    Source,
    append_to_project,
    create_project,
    find_previous,
    update_project,
)
from writer.core.importing.folders import folder_files, parse_folder
from writer.core.importing.model import ImportedChapter, ImportedWork
from writer.core.importing.parse import FORMATS, parse_file
from writer.core.library import Library
from writer.core.project import Project

__all__ = [
    "FORMATS",
    "ImportResult",
    "ImportedChapter",
    "ImportedWork",
    "Progress",
    "import_paths",
    "parse_path",
]

#: ``progress(done, total, message)``: called before each input and once at the end.
Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    """What happened to one input.

    ``action``: "created", "updated", "unchanged", "appended", "would create", "would
    update", "update available", "would append" or "failed" (then ``error`` says why).
    """

    sources: list[Path]
    project: Path | None
    action: str
    metadata: dict[str, Any] = field(default_factory=dict)
    chapters: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    snapshot: Path | None = None

    @property
    def source(self) -> Path:
        return self.sources[0]

    @property
    def ok(self) -> bool:
        return self.action != "failed"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": str(self.source),
            "project": str(self.project) if self.project else None,
            "action": self.action,
            "metadata": self.metadata,
            "chapters": self.chapters,
            "warnings": list(self.warnings),
        }
        if self.error:
            data["error"] = self.error
        if self.snapshot:
            data["snapshot"] = str(self.snapshot)
        return data


def parse_path(path: Path | str) -> list[ImportedWork]:
    """Parse a file or a folder (nothing is written): usually one work; a folder of
    separate stories gives one work per file."""
    path = Path(path).expanduser()
    if path.is_dir():
        return parse_folder(path)
    if not path.exists():
        raise WriterError(f"{path} does not exist")
    return [parse_file(path)]


def _source(path: Path, work: ImportedWork) -> Source:
    if path.is_dir() and len(work.sources) == 1 and work.sources[0] != path:
        file = work.sources[0]
        return Source.of(file, [file])
    files = folder_files(path)[0] if path.is_dir() else [path]
    return Source.of(path, files)


def _import_work(
    path: Path,
    work: ImportedWork,
    library: Library,
    into: Project | None,
    dry_run: bool,
    planned: set[Path],
    update: bool = True,
) -> ImportResult:
    source = _source(path, work)
    result = ImportResult(
        sources=list(work.sources) or [path],
        project=None,
        action="",
        metadata=work.metadata(),
        chapters=len(work.chapters),
        warnings=list(work.warnings),
    )
    if into is not None:
        already = any(r.get("sha256") == source.sha256 for r in into.extra.get("imports", []))
        result.project = into.path
        if already:
            result.action = "unchanged"
        elif dry_run:
            result.action = "would append"
        else:
            result.snapshot = append_to_project(into, work, source)
            result.action = "appended"
        return result
    previous = find_previous(library, source)
    if previous is not None:
        folder, record = previous
        result.project = folder
        if record.get("sha256") == source.sha256:
            result.action = "unchanged"
        elif dry_run:
            result.action = "would update"
        elif not update:
            result.action = "update available"  # Offered, never a duplicate project.
        else:
            _project, result.snapshot, notes = update_project(folder, record, work, source)
            result.warnings += notes
            result.action = "updated"
        return result
    if dry_run:
        folder = library.free_folder(work.fields.get("title") or path.stem)
        while folder in planned:
            folder = folder.with_name(folder.name + "-2")
        planned.add(folder)
        result.project, result.action = folder, "would create"
        return result
    project = create_project(library, work, source)
    result.project, result.action = project.path, "created"
    return result


def import_paths(
    paths: Sequence[Path | str],
    library: Library | Path | str,
    into: Project | Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    update: bool = True,
) -> list[ImportResult]:
    """Import each path (a file, or a folder of chapter files) into the library.

    Each input becomes a new project, or updates the project an earlier import of the same
    source made, or (with ``into``: a project, its folder, title or slug) new chapters of
    that project after a snapshot. A failing input gives a "failed" result with its error;
    the other inputs still import. ``dry_run`` writes nothing. With ``update`` False, a
    source imported before and changed since is only reported ("update available"), so a
    caller can offer the update instead of making it.
    """
    if not isinstance(library, Library):
        library = Library(Path(library))
    results: list[ImportResult] = []
    planned: set[Path] = set()
    target: Project | None = None
    if into is not None:
        target = into if isinstance(into, Project) else library.open(str(into))
    total = len(paths)
    for done, raw in enumerate(paths):
        path = Path(raw).expanduser()
        if progress is not None:
            progress(done, total, f"importing {path.name}")
        try:
            works = parse_path(path)
            for work in works:
                results.append(_import_work(path, work, library, target, dry_run, planned, update))
        except WriterError as error:
            results.append(ImportResult([path], None, "failed", error=str(error)))
        except OSError as error:
            message = f"{path}: {error.strerror or error}"
            results.append(ImportResult([path], None, "failed", error=message))
    if progress is not None:
        progress(total, total, "done")
    return results
