"""A library: a folder whose sub-folders are projects.

A library folder holds project folders only; anything else the app keeps there is dot-named
and skipped. Projects are referred to by folder path, folder name (the slug) or title, so
the CLI can say ``writer info "The Lighthouse Keeper"``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from writer.core.errors import LibraryError, WriterError
from writer.core.metadata import WorkMeta
from writer.core.project import Project, is_project_dir


def slugify(title: str) -> str:
    """A folder name from a title: lower case, words joined by hyphens, letters kept."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"['’]", "", text)
    text = re.sub(r"[^\w]+", "-", text).strip("-_")
    return text[:60].rstrip("-_") or "untitled"


@dataclass
class ProjectEntry:
    """A project folder of the library: the loaded project, or why it could not load."""

    path: Path
    project: Project | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.project is not None


@dataclass
class Library:
    """The projects under one folder."""

    path: Path

    def __post_init__(self) -> None:
        self.path = Path(self.path).expanduser()

    def project_dirs(self) -> list[Path]:
        """Project folders in name order; hidden folders and stray files are skipped."""
        if not self.path.is_dir():
            return []
        return sorted(
            (p for p in self.path.iterdir() if not p.name.startswith(".") and is_project_dir(p)),
            key=lambda p: p.name.casefold(),
        )

    def entries(self) -> Iterator[ProjectEntry]:
        """Every project, loaded; a broken one is reported in its entry, not raised."""
        for folder in self.project_dirs():
            try:
                yield ProjectEntry(folder, Project.load(folder))
            except WriterError as error:
                yield ProjectEntry(folder, error=str(error))

    def projects(self) -> list[Project]:
        """Every project that loads."""
        return [entry.project for entry in self.entries() if entry.project is not None]

    def find(self, ref: str) -> Path:
        """Resolve a folder path, a folder name or a title to a project folder."""
        candidate = Path(ref).expanduser()
        if candidate.is_dir() and is_project_dir(candidate):
            return candidate
        by_slug = self.path / ref
        if "/" not in ref and not ref.startswith(".") and ref and is_project_dir(by_slug):
            return by_slug
        wanted = ref.strip().casefold()
        matches = []
        for entry in self.entries():
            if entry.project and wanted in (
                entry.project.meta.title.casefold(),
                slugify(entry.project.meta.title),
            ):
                matches.append(entry.path)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(p.name for p in matches)
            raise LibraryError(f"{ref!r} matches several projects ({names}); name the folder")
        raise LibraryError(f"no project {ref!r} in the library {self.path}")

    def open(self, ref: str) -> Project:
        """Load the project that ``ref`` names."""
        return Project.load(self.find(ref))

    def free_folder(self, title: str) -> Path:
        """A new, unused folder for a project with this title."""
        base = slugify(title)
        folder = self.path / base
        number = 2
        while folder.exists():
            folder = self.path / f"{base}-{number}"
            number += 1
        return folder

    def create(
        self, title: str, meta: WorkMeta | None = None, first_chapter: bool = True
    ) -> Project:
        """Make a new project in the library, in a folder named after its title."""
        if not title.strip():
            raise LibraryError("a project needs a title")
        if self.path.exists() and not self.path.is_dir():
            raise LibraryError(f"the library {self.path} is a file, not a folder")
        self.path.mkdir(parents=True, exist_ok=True)
        return Project.create(self.free_folder(title), title.strip(), meta, first_chapter)
