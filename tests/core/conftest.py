"""Helpers shared by the core tests: projects built in ``tmp_path`` through the public API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from writer.core.project import Project


@pytest.fixture
def new_project(tmp_path: Path) -> Iterator[Callable[..., Project]]:
    """A factory for fresh projects under ``tmp_path``; their locks are released afterwards."""
    made: list[Project] = []

    def make(name: str = "story", title: str = "A Story", **kwargs) -> Project:
        project = Project.create(tmp_path / name, title, **kwargs)
        made.append(project)
        return project

    yield make
    for project in made:
        project.release_lock()


def file_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name -> bytes), to prove nothing was touched."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    return file_bytes
