"""Atomic writes: after any failure or a kill, the old file or the new one, never a mix."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from writer.core import atomic
from writer.core.atomic import atomic_write_bytes, atomic_write_text
from writer.core.project import Project

REPO = Path(__file__).resolve().parents[2]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """An empty folder of its own (``tmp_path`` also holds the test's WRITER_HOME)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_write_creates_and_replaces(work):
    target = work / "file.bin"
    atomic_write_bytes(target, b"first")
    assert target.read_bytes() == b"first"
    atomic_write_bytes(str(target), b"second, longer content")
    assert target.read_bytes() == b"second, longer content"
    atomic_write_bytes(target, b"")
    assert target.read_bytes() == b""
    assert listing(work) == ["file.bin"]


def test_write_text_is_utf8_and_keeps_line_endings(tmp_path):
    target = tmp_path / "t.md"
    atomic_write_text(target, "café\r\nnaïve\n")
    assert target.read_bytes() == "café\r\nnaïve\n".encode()


def test_write_keeps_the_permissions_of_the_old_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_bytes(b"old")
    os.chmod(target, 0o600)
    atomic_write_bytes(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "fresh.txt"
    atomic_write_bytes(fresh, b"x")
    assert fresh.stat().st_mode & 0o777 == 0o644


def test_write_replaces_not_rewrites_in_place(tmp_path):
    target = tmp_path / "file.txt"
    target.write_bytes(b"old")
    inode = target.stat().st_ino
    hard = tmp_path / "hardlink.txt"
    os.link(target, hard)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert hard.read_bytes() == b"old"  # the old inode was never written to
    assert target.stat().st_ino != inode


def test_write_into_a_missing_folder_fails_cleanly(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write_bytes(tmp_path / "nope" / "file", b"x")


# ---------------------------------------------------------------- interrupted saves


def _fail_replace(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _fail_fsync(fd):
    raise OSError(errno.EIO, "Input/output error")


class _HalfWriter:
    """A file handle that writes half of what it is given, then fails."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()
        return False


def _patch(monkeypatch, how: str) -> None:
    if how == "replace":
        monkeypatch.setattr(atomic.os, "replace", _fail_replace)
    elif how == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", _fail_fsync)
    elif how == "half-write":
        real_fdopen = os.fdopen

        def half_fdopen(fd, *args, **kwargs):
            return _HalfWriter(real_fdopen(fd, *args, **kwargs))

        monkeypatch.setattr(atomic.os, "fdopen", half_fdopen)
    else:  # pragma: no cover
        raise AssertionError(how)


FAILURES = ["replace", "fsync", "half-write"]


@pytest.mark.parametrize("how", FAILURES)
def test_an_interrupted_write_leaves_the_old_file_and_no_temp(work, monkeypatch, how):
    target = work / "chapter.md"
    old = b"the old text\n" * 1000
    target.write_bytes(old)
    _patch(monkeypatch, how)
    with pytest.raises(OSError) as info:
        atomic_write_bytes(target, b"the new text\n" * 2000)
    monkeypatch.undo()
    assert info.value.errno in (errno.ENOSPC, errno.EIO)
    assert target.read_bytes() == old
    assert listing(work) == ["chapter.md"]


@pytest.mark.parametrize("how", FAILURES)
def test_an_interrupted_first_write_leaves_nothing(work, monkeypatch, how):
    _patch(monkeypatch, how)
    with pytest.raises(OSError):
        atomic_write_bytes(work / "new.md", b"content")
    monkeypatch.undo()
    assert listing(work) == []


def test_a_keyboard_interrupt_mid_write_also_cleans_up(work, monkeypatch):
    target = work / "f"
    target.write_bytes(b"old")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert listing(work) == ["f"]


@pytest.mark.parametrize("how", FAILURES)
def test_a_failed_document_save_leaves_document_and_project_json(tmp_path, monkeypatch, how):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    project.write_text(chapter.id, "old words here")  # also takes the lock
    doc = folder / "docs" / f"{chapter.id}.md"
    doc_before = doc.read_bytes()
    json_before = (folder / "project.json").read_bytes()
    docs_before = listing(folder / "docs")
    top_before = listing(folder)

    _patch(monkeypatch, how)
    with pytest.raises(OSError):
        project.write_text(chapter.id, "brand new words that never land")
    monkeypatch.undo()

    assert doc.read_bytes() == doc_before
    assert (folder / "project.json").read_bytes() == json_before
    assert listing(folder / "docs") == docs_before
    assert listing(folder) == top_before
    assert project.words(chapter.id) == 3
    project.close()
    loaded = Project.load(folder)
    assert loaded.read_text(chapter.id) == "old words here"
    assert loaded.words(chapter.id) == 3


def test_a_failed_project_json_save_after_the_document_still_loads(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    project.write_text(chapter.id, "old words here")
    json_before = (folder / "project.json").read_bytes()

    real_replace = os.replace

    def replace_docs_only(src, dst):
        if Path(dst).name == "project.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace_docs_only)
    with pytest.raises(OSError):
        project.write_text(chapter.id, "new text of six words here")
    monkeypatch.undo()

    assert (folder / "project.json").read_bytes() == json_before
    assert listing(folder) == [".writer.lock", "docs", "project.json"]
    project.release_lock()
    loaded = Project.load(folder)
    assert loaded.read_text(chapter.id) == "new text of six words here"
    assert loaded.words(chapter.id) == 6  # the stale cache entry is not trusted


def test_a_failed_add_node_leaves_no_node_and_no_file(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    ids_before = [n.id for n in project.tree.walk()]
    docs_before = listing(folder / "docs")
    monkeypatch.setattr(atomic.os, "replace", _fail_replace)
    with pytest.raises(OSError):
        project.add_node("chapter", "Two", text="words")
    monkeypatch.undo()
    assert [n.id for n in project.tree.walk()] == ids_before
    assert listing(folder / "docs") == docs_before
    assert project.save() is False
    project.close()


# ---------------------------------------------------------------- killed mid-save

CHILD = textwrap.dedent(
    """
    import sys
    from writer.core.atomic import atomic_write_bytes
    target = sys.argv[1]
    versions = [b"A" * (1 << 20), b"B" * (1 << 20)]
    atomic_write_bytes(target, versions[1])
    print("ready", flush=True)
    i = 0
    while True:
        atomic_write_bytes(target, versions[i % 2])
        i += 1
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_writer_leaves_version_a_or_b(work):
    target = work / "target.bin"
    version_a = b"A" * (1 << 20)
    version_b = b"B" * (1 << 20)
    target.write_bytes(version_a)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(1234)
    seen = set()
    deadline = time.monotonic() + 15
    for _ in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target)],
            stdout=subprocess.PIPE,
            env=env,
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.0, 0.08))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
            child.stdout.close()
        data = target.read_bytes()
        assert data in (version_a, version_b), f"mixed file of {len(data)} bytes"
        seen.add(data[:1])
        # Leftover temp files are allowed after a kill, but they never replace the target.
        for stray in work.iterdir():
            if stray != target:
                assert stray.name.startswith(".target.bin.") and stray.name.endswith(".tmp")
        assert time.monotonic() < deadline, "the kill test is too slow"
    assert seen <= {b"A", b"B"}
