"""``writer.core.snapshots``: a timestamped zip of the project, written atomically, listed."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from writer.core.lock import LOCK_NAME
from writer.core.project import Project
from writer.core.snapshots import list_snapshots, snapshot_dir, take_snapshot


def _project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "story", "A Story")
    chapter = project.tree.roots[0]
    project.write_text(chapter.id, "Once upon a time.")
    (project.path / "imported").mkdir()
    (project.path / "imported" / "original.txt").write_text("Once upon a time.", encoding="utf-8")
    return project


def test_snapshot_zips_the_project_without_its_lock(tmp_path, writer_home):
    project = _project(tmp_path)
    assert (project.path / LOCK_NAME).exists()
    path = take_snapshot(project, "before import of original.txt")
    assert path.parent == writer_home / "data" / "snapshots" / project.id
    assert path.name.endswith("-before-import-of-original-txt.zip")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        info = json.loads(archive.read("snapshot.json"))
        chapter = project.tree.roots[0].id
        assert archive.read(f"project/docs/{chapter}.md") == b"Once upon a time."
    assert "project/project.json" in names
    assert "project/imported/original.txt" in names
    assert f"project/{LOCK_NAME}" not in names
    assert info["reason"] == "before import of original.txt"
    assert info["project_id"] == project.id
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]
    project.close()


def test_snapshots_are_listed_oldest_first_and_never_overwrite(tmp_path):
    project = _project(tmp_path)
    first = take_snapshot(project, "one")
    second = take_snapshot(project, "two", force=True)
    assert first != second
    listed = list_snapshots(project)
    assert [s.path for s in listed] == [first, second]
    assert [s.reason for s in listed] == ["one", "two"]
    assert listed[0].taken.endswith("Z")
    project.close()


def test_no_snapshots_yet(tmp_path):
    project = _project(tmp_path)
    assert list_snapshots(project) == []
    assert not snapshot_dir(project).exists()
    project.close()
