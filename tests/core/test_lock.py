"""The project lock: taken at the first write, released on close, stale locks taken over."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from writer.core.errors import ProjectLockedError
from writer.core.lock import LOCK_NAME, ProjectLock, read_lock
from writer.core.project import Project


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A project on disk with no lock, as another session would have left it."""
    path = tmp_path / "p"
    Project.create(path, "Story").close()
    assert not (path / LOCK_NAME).exists()
    return path


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen]:
    """A live process that is not this one; killed at teardown."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield child
    finally:
        child.kill()
        child.wait()


@pytest.fixture
def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_lock(folder: Path, pid: int, host: str, time: str = "2024-01-01T00:00:00Z") -> bytes:
    raw = json.dumps({"pid": pid, "host": host, "time": time}).encode()
    (folder / LOCK_NAME).write_bytes(raw)
    return raw


def first_doc(project: Project) -> str:
    return next(project.tree.walk()).id


def test_the_first_write_takes_the_lock(folder):
    project = Project.load(folder)
    assert not (folder / LOCK_NAME).exists()
    project.write_text(first_doc(project), "words")
    data = json.loads((folder / LOCK_NAME).read_text("utf-8"))
    assert set(data) == {"pid", "host", "time"}
    assert data["pid"] == os.getpid()
    assert data["host"] == socket.gethostname()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", data["time"])
    info = read_lock(folder)
    assert (info.pid, info.host) == (os.getpid(), socket.gethostname())
    assert str(os.getpid()) in info.describe()
    project.close()
    assert not (folder / LOCK_NAME).exists()


def test_a_metadata_save_takes_the_lock_too(folder):
    project = Project.load(folder)
    project.set_field("title", ["New"])
    project.save()
    assert read_lock(folder).pid == os.getpid()
    project.close()
    assert read_lock(folder) is None


def test_loading_and_reading_do_not_lock(folder):
    project = Project.load(folder)
    doc = first_doc(project)
    project.read_text(doc)
    project.total_words()
    project.info()
    assert project.save() is False
    assert not (folder / LOCK_NAME).exists()
    project.close()
    assert not (folder / LOCK_NAME).exists()


def test_create_holds_the_lock_until_close(tmp_path):
    project = Project.create(tmp_path / "p", "Story")
    assert read_lock(tmp_path / "p").pid == os.getpid()
    project.close()
    assert read_lock(tmp_path / "p") is None


def test_release_lock_then_write_again(folder):
    project = Project.load(folder)
    doc = first_doc(project)
    project.write_text(doc, "one")
    project.release_lock()
    assert not (folder / LOCK_NAME).exists()
    project.write_text(doc, "two")
    assert (folder / LOCK_NAME).exists()
    project.close()


def test_a_lock_of_a_dead_process_on_this_host_is_taken_over(folder, dead_pid):
    write_lock(folder, dead_pid, socket.gethostname())
    project = Project.load(folder)
    project.write_text(first_doc(project), "mine now")
    assert read_lock(folder).pid == os.getpid()
    project.close()
    assert not (folder / LOCK_NAME).exists()


@pytest.mark.parametrize("content", [b"", b"not json", b'{"host": "x"}', b"[1]"])
def test_an_unreadable_lock_is_stale(folder, content):
    (folder / LOCK_NAME).write_bytes(content)
    project = Project.load(folder)
    project.write_text(first_doc(project), "mine now")
    assert read_lock(folder).pid == os.getpid()
    project.close()


def test_a_lock_of_a_live_process_on_this_host_is_refused(folder, sleeper):
    raw = write_lock(folder, sleeper.pid, socket.gethostname())
    project = Project.load(folder)  # loading is fine
    doc = first_doc(project)
    file = folder / "docs" / f"{doc}.md"
    doc_before = file.read_bytes()
    json_before = (folder / "project.json").read_bytes()

    with pytest.raises(ProjectLockedError) as info:
        project.write_text(doc, "should not be written")
    assert info.value.other_host is False
    assert str(sleeper.pid) in str(info.value)
    assert str(folder) in str(info.value)
    assert file.read_bytes() == doc_before  # refused before touching the document

    project.set_field("title", ["Changed"])
    with pytest.raises(ProjectLockedError):
        project.save()
    with pytest.raises(ProjectLockedError):
        project.close()
    assert (folder / "project.json").read_bytes() == json_before
    assert (folder / LOCK_NAME).read_bytes() == raw  # the other copy's lock is kept


def test_a_lock_from_another_host_is_refused_then_forced(folder):
    raw = write_lock(folder, 4242, "another-machine.example")
    project = Project.load(folder)
    doc = first_doc(project)
    with pytest.raises(ProjectLockedError) as info:
        project.write_text(doc, "not yet")
    assert info.value.other_host is True
    assert "another-machine.example" in str(info.value)
    assert "4242" in str(info.value)
    assert (folder / LOCK_NAME).read_bytes() == raw

    lock = ProjectLock(folder)
    with pytest.raises(ProjectLockedError):
        lock.acquire()
    lock.acquire(force=True)
    assert lock.held
    holder = read_lock(folder)
    assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
    project.write_text(doc, "now it is ours")
    assert project.read_text(doc) == "now it is ours"
    project.close()
    lock.release()
    assert not (folder / LOCK_NAME).exists()


def test_release_does_not_remove_a_lock_someone_else_took(folder, sleeper):
    project = Project.load(folder)
    project.write_text(first_doc(project), "mine")
    # Another copy forced the lock away from us (e.g. after a host rename).
    raw = write_lock(folder, sleeper.pid, socket.gethostname())
    project.release_lock()
    assert (folder / LOCK_NAME).read_bytes() == raw
    with pytest.raises(ProjectLockedError):
        project.write_text(first_doc(project), "again")


def test_a_held_lock_is_not_rewritten_for_every_save(folder):
    project = Project.load(folder)
    doc = first_doc(project)
    project.write_text(doc, "one")
    stat = (folder / LOCK_NAME).stat()
    project.write_text(doc, "two")
    project.write_text(doc, "three")
    assert (folder / LOCK_NAME).stat().st_ino == stat.st_ino
    project.close()


def test_lock_file_is_not_a_document(folder):
    project = Project.load(folder)
    project.write_text(first_doc(project), "x")
    assert project.orphan_documents() == []
    project.close()
