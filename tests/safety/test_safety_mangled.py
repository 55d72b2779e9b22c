"""Mangled files: each gives a clear error naming the file, and the file is never written.

For every way a project can be damaged (a truncated, empty or non-JSON ``project.json``,
one from a newer version, a tree naming missing files or paths outside the project,
symbolic links, a document that is not UTF-8) the loader raises a :class:`ProjectError`
naming the file, ``writer info`` prints one line naming it and exits 1, every byte of the
folder (and of anything a link points at) is unchanged afterwards, and the last snapshot
is offered.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from writer.cli import main
from writer.core.errors import MissingDocumentError, ProjectError, ProjectFormatError
from writer.core.library import Library
from writer.core.project import Project
from writer.core.snapshots import error_hint, take_snapshot


def all_bytes(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = b"->" + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = b"<dir>"
    return found


def _json(project: Project) -> dict:
    return json.loads((project.path / "project.json").read_bytes())


def _write_json(project: Project, data: dict) -> Path:
    target = project.path / "project.json"
    target.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return target


def truncated(project: Project) -> Path:
    target = project.path / "project.json"
    raw = target.read_bytes()
    target.write_bytes(raw[: len(raw) // 2])
    return target


def empty(project: Project) -> Path:
    target = project.path / "project.json"
    target.write_bytes(b"")
    return target


def toml(project: Project) -> Path:
    target = project.path / "project.json"
    target.write_text('title = "The Salt Road"\nformat_version = 1\n', encoding="utf-8")
    return target


def not_utf8_json(project: Project) -> Path:
    target = project.path / "project.json"
    target.write_bytes(target.read_bytes().replace(b"The Salt Road", b"The Salt R\xf6ad"))
    return target


def json_list(project: Project) -> Path:
    target = project.path / "project.json"
    target.write_bytes(b"[1, 2, 3]\n")
    return target


def newer_format(project: Project) -> Path:
    data = _json(project)
    data["format_version"] = 99
    return _write_json(project, data)


def missing_document(project: Project) -> Path:
    target = project.path / "docs" / f"{project.tree.roots[0].id}.md"
    target.unlink()
    return target


def not_utf8_document(project: Project) -> Path:
    target = project.path / "docs" / f"{project.tree.roots[0].id}.md"
    target.write_bytes(b"Caf\xe9 au lait, \xff\xfe and more words.\n")
    return target


def _bad_id(value: str) -> Callable[[Project], Path]:
    def mangle(project: Project) -> Path:
        data = _json(project)
        data["tree"][0]["id"] = value
        return _write_json(project, data)

    mangle.__name__ = f"tree id {value!r}"
    return mangle


def document_symlink(project: Project) -> Path:
    target = project.path / "docs" / f"{project.tree.roots[0].id}.md"
    outside = project.path.parent / "outside.md"
    outside.write_text("Someone else's words.", encoding="utf-8")
    target.unlink()
    target.symlink_to(outside)
    return target


def docs_symlink(project: Project) -> Path:
    docs = project.path / "docs"
    elsewhere = project.path.parent / "elsewhere-docs"
    docs.rename(elsewhere)
    docs.symlink_to(elsewhere, target_is_directory=True)
    return docs


def project_json_is_a_folder(project: Project) -> Path:
    target = project.path / "project.json"
    target.unlink()
    target.mkdir()
    (target / "keep.txt").write_text("do not touch", encoding="utf-8")
    return target


MANGLERS: list[tuple[Callable[[Project], Path], type[ProjectError], str]] = [
    (truncated, ProjectFormatError, "is not valid JSON"),
    (empty, ProjectFormatError, "is not valid JSON"),
    (toml, ProjectFormatError, "is not valid JSON"),
    (not_utf8_json, ProjectFormatError, "is not UTF-8"),
    (json_list, ProjectFormatError, "does not hold a JSON object"),
    (newer_format, ProjectFormatError, "newer writer (format 99)"),
    (missing_document, MissingDocumentError, "is missing"),
    (not_utf8_document, ProjectError, "is not UTF-8 text"),
    (_bad_id("../../outside"), ProjectFormatError, "not a plain document id"),
    (_bad_id("/etc/passwd"), ProjectFormatError, "not a plain document id"),
    (_bad_id("..\\..\\outside"), ProjectFormatError, "not a plain document id"),
    (_bad_id("docs/../x"), ProjectFormatError, "not a plain document id"),
    (document_symlink, ProjectFormatError, "is a symbolic link"),
    (docs_symlink, ProjectFormatError, "is a symbolic link"),
]
IDS = [m.__name__ for m, _error, _text in MANGLERS]


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "library"
    folder.mkdir()
    return Library(folder)


@pytest.fixture
def project(library: Library) -> Project:
    project = Project.create(library.path / "the-salt-road", "The Salt Road")
    project.write_text(project.tree.roots[0].id, "The lantern burned until morning.")
    project.close()
    return project


def _open_everything(folder: Path) -> None:
    """What the CLI and the window do with a project: load it, read every document."""
    loaded = Project.load(folder)
    loaded.info()


@pytest.mark.parametrize(("mangle", "error", "text"), MANGLERS, ids=IDS)
def test_a_mangled_project_names_the_file_and_is_never_written(
    project, library, tmp_path, capsys, mangle, error, text
):
    snapshot = take_snapshot(project, "on close")
    assert snapshot is not None
    bad = mangle(project)
    before = all_bytes(tmp_path / "library")

    with pytest.raises(error) as raised:
        _open_everything(project.path)
    assert text in str(raised.value)
    assert str(bad) in str(raised.value)
    assert raised.value.path == bad

    code = main(["info", "the-salt-road", "--library", str(library.path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("writer: ") and str(bad) in err

    code = main(["list", "--library", str(library.path)])
    out, err = capsys.readouterr()
    if error is not ProjectError:  # a non-UTF-8 document only fails once it is read
        assert f"skipped {bad}" in err

    hint = error_hint(raised.value)
    assert hint.endswith(f"writer snapshot the-salt-road --restore {snapshot.stem}")
    code = main(["snapshot", "the-salt-road", "--library", str(library.path)])
    out, err = capsys.readouterr()
    if code == 1:  # refused to snapshot a project that does not load: the hint is offered
        assert err.count("\n") == 1 and str(bad) in err and hint in err

    assert all_bytes(tmp_path / "library") == before


@pytest.mark.parametrize(("mangle", "error", "text"), MANGLERS, ids=IDS)
def test_a_mangled_project_is_restored_from_its_last_snapshot(
    project, library, capsys, mangle, error, text
):
    snapshot = take_snapshot(project, "on close")
    mangle(project)
    code = main(
        ["snapshot", "the-salt-road", "--restore", snapshot.stem, "--library", str(library.path)]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    restored = Project.load(project.path)
    assert restored.read_text(restored.tree.roots[0].id) == "The lantern burned until morning."
    assert not (project.path / "docs").is_symlink()


def test_a_project_json_that_is_a_folder_is_reported_and_left(project, tmp_path):
    bad = project_json_is_a_folder(project)
    before = all_bytes(tmp_path / "library")
    with pytest.raises(ProjectError, match="cannot be read") as raised:
        Project.load(project.path)
    assert raised.value.path == bad
    assert all_bytes(tmp_path / "library") == before


def test_no_hint_without_a_snapshot(project):
    truncated(project)
    with pytest.raises(ProjectFormatError) as raised:
        Project.load(project.path)
    assert error_hint(raised.value) == ""
