"""Snapshots: skipped when nothing changed, kept by count and age, restored whole and safely.

Also the hidden folders an interrupted restore leaves, the leftovers of killed saves, the
whole library at once, and ``writer snapshot``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from writer.cli import main
from writer.core import snapshots
from writer.core.errors import ProjectLockedError, WriterError
from writer.core.library import Library
from writer.core.lock import LOCK_NAME
from writer.core.project import Project
from writer.core.recovery import clean_temp_files, finish_interrupted_restores
from writer.core.snapshots import (
    find_snapshot,
    last_snapshot_hint,
    latest_snapshot,
    list_snapshots,
    project_digest,
    project_id_of,
    prune_snapshots,
    restore_snapshot,
    should_take_daily,
    snapshot_and_prune,
    snapshot_dir,
    snapshot_library,
    take_folder_snapshot,
    take_snapshot,
)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (links as their target text), for before/after checks."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = b"->" + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


def make_project(where: Path, title: str = "The Salt Road", text: str = "First words.") -> Project:
    project = Project.create(where, title)
    project.write_text(project.tree.roots[0].id, text)
    project.release_lock()
    return project


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "library"
    folder.mkdir()
    return Library(folder)


@pytest.fixture
def project(library: Library) -> Project:
    return make_project(library.path / "the-salt-road")


class Clock:
    """A fake ``snapshots._now`` that moves only when told."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: datetime) -> None:
        self.now = start
        monkeypatch.setattr(snapshots, "_now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def edit(project: Project, text: str) -> None:
    project.write_text(project.tree.roots[0].id, text)
    project.release_lock()


# ---------------------------------------------------------------- taking


def test_a_snapshot_is_skipped_when_nothing_changed(project, writer_home):
    first = take_snapshot(project, "on close")
    assert first is not None and first.parent == writer_home / "data" / "snapshots" / project.id
    assert take_snapshot(project, "on close") is None
    assert take_snapshot(project, "daily") is None
    edit(project, "Second words.")
    second = take_snapshot(project, "on close")
    assert second is not None and second != first
    assert take_snapshot(project, "on demand") is None
    forced = take_snapshot(project, "on demand", force=True)
    assert forced is not None
    assert [s.path for s in list_snapshots(project)] == [first, second, forced]


def test_a_refreshed_word_count_cache_is_not_a_change(project):
    take_snapshot(project, "on close")
    doc = project.path / "docs" / f"{project.tree.roots[0].id}.md"
    os.utime(doc, ns=(1_000_000_000, 1_000_000_000))  # as after a git checkout
    data = json.loads((project.path / "project.json").read_text(encoding="utf-8"))
    data["counts"] = {}  # a cold cache: counting now really changes project.json
    (project.path / "project.json").write_text(json.dumps(data), encoding="utf-8")
    fresh = Project.load(project.path)
    assert fresh.words(fresh.tree.roots[0].id) == 2
    assert fresh.save() is True  # only the cache moved
    fresh.release_lock()
    assert take_snapshot(fresh, "on close") is None


def test_a_snapshot_holds_the_content_its_digest_and_no_lock_temp_or_link(project, tmp_path):
    (project.path / "imported").mkdir()
    (project.path / "imported" / "story.txt").write_text("original", encoding="utf-8")
    (project.path / "docs" / ".abc.md.x1y2z3.tmp").write_text("half", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("not yours", encoding="utf-8")
    (project.path / "link.txt").symlink_to(outside)
    project.write_text(project.tree.roots[0].id, "Locked now.")  # takes the lock
    assert (project.path / LOCK_NAME).exists()
    path = take_snapshot(project, "before import of story.docx")
    project.release_lock()
    assert path is not None and path.name.endswith("-before-import-of-story-docx.zip")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        info = json.loads(archive.read("snapshot.json"))
    assert names == {
        "snapshot.json",
        "project/project.json",
        f"project/docs/{project.tree.roots[0].id}.md",
        "project/imported/story.txt",
    }
    assert info["digest"] == project_digest(project.path)
    assert info["reason"] == "before import of story.docx"
    assert info["project_id"] == project.id and info["loads"] is True
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_folder_comes_from_the_argument_then_the_environment(project, tmp_path, monkeypatch):
    chosen = tmp_path / "other-disk"
    by_argument = take_snapshot(project, "on demand", chosen)
    assert by_argument is not None and by_argument.parent == chosen / project.id
    assert list_snapshots(project) == []  # the default folder is another history
    by_env = tmp_path / "by-env"
    monkeypatch.setenv("WRITER_SNAPSHOT_DIR", str(by_env))
    taken = take_snapshot(project, "on demand")
    assert taken is not None and taken.parent == by_env / project.id
    assert snapshot_dir(project) == by_env / project.id
    assert [s.path for s in list_snapshots(project, chosen)] == [by_argument]


def test_listing_is_newest_last_and_names_work_for_restore(project, monkeypatch):
    clock = Clock(monkeypatch, datetime(2026, 11, 29, 21, 0, tzinfo=UTC))
    names = []
    for number in range(3):
        edit(project, f"Version {number}.")
        names.append(take_snapshot(project, f"edit {number}").stem)
        clock.advance(minutes=5)
    listed = list_snapshots(project)
    assert [s.name for s in listed] == names
    assert [s.reason for s in listed] == ["edit 0", "edit 1", "edit 2"]
    assert listed[0].taken == "2026-11-29T21:00:00Z"
    assert listed[0].when == datetime(2026, 11, 29, 21, 0, tzinfo=UTC)
    assert find_snapshot(project.id, names[1]).name == names[1]
    assert find_snapshot(project.id, names[1] + ".zip").name == names[1]
    assert find_snapshot(project.id, "latest").name == names[2]
    assert find_snapshot(project.id, "20261129T2105").name == names[1]  # a unique beginning
    with pytest.raises(WriterError, match="matches 3 snapshots"):
        find_snapshot(project.id, "2026")
    with pytest.raises(WriterError, match="no snapshot 'nope'"):
        find_snapshot(project.id, "nope")


def test_should_take_daily_after_24_hours(project, monkeypatch):
    clock = Clock(monkeypatch, datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
    assert should_take_daily(project) is True
    take_snapshot(project, "daily")
    assert should_take_daily(project) is False
    clock.advance(hours=23, minutes=59)
    assert should_take_daily(project) is False
    clock.advance(minutes=1)
    assert should_take_daily(project) is True


# ---------------------------------------------------------------- retention


def test_retention_by_count_keeps_the_newest(project, monkeypatch):
    clock = Clock(monkeypatch, datetime(2026, 11, 1, tzinfo=UTC))
    taken = []
    for number in range(6):
        edit(project, f"Draft {number}.")
        taken.append(take_snapshot(project, "on close"))
        clock.advance(hours=1)
    removed = prune_snapshots(project.id, keep=3)
    assert removed == taken[:3]
    assert [s.path for s in list_snapshots(project)] == taken[3:]
    assert prune_snapshots(project.id, keep=3) == []
    with pytest.raises(WriterError):
        prune_snapshots(project.id, keep=0)


def test_retention_by_age_never_deletes_the_newest(project, monkeypatch):
    clock = Clock(monkeypatch, datetime(2026, 1, 1, tzinfo=UTC))
    taken = []
    for number in range(4):
        edit(project, f"Old draft {number}.")
        taken.append(take_snapshot(project, "daily"))
        clock.advance(days=10)
    clock.advance(days=200)  # every snapshot is now far older than 90 days
    assert prune_snapshots(project.id, keep=20, max_age_days=90) == taken[:3]
    assert [s.path for s in list_snapshots(project)] == [taken[3]]
    edit(project, "A recent draft.")
    recent = take_snapshot(project, "daily")
    clock.advance(days=30)
    assert prune_snapshots(project.id, max_age_days=90) == [taken[3]]
    assert [s.path for s in list_snapshots(project)] == [recent]
    assert prune_snapshots(project.id, max_age_days=None) == []


def test_retention_keeps_the_newest_snapshot_that_loads(project, monkeypatch):
    clock = Clock(monkeypatch, datetime(2026, 11, 1, tzinfo=UTC))
    good = take_snapshot(project, "on close")
    clock.advance(hours=1)
    (project.path / "project.json").write_bytes(b"{ truncated")
    broken = take_folder_snapshot(project.path, "before restore")
    assert broken is not None
    assert list_snapshots(project.id)[-1].loads is False
    assert latest_snapshot(project.id, loadable=True).path == good
    assert prune_snapshots(project.id, keep=1) == []
    assert [s.path for s in list_snapshots(project.id)] == [good, broken]


def test_snapshot_and_prune_takes_then_prunes(project):
    for number in range(4):
        edit(project, f"Draft {number}.")
        snapshot_and_prune(project, "on close", keep=2)
    assert len(list_snapshots(project)) == 2


# ---------------------------------------------------------------- restoring


def test_restore_round_trip(project):
    chapter = project.tree.roots[0].id
    good = take_snapshot(project, "on close")
    assert good is not None
    project = Project.load(project.path)
    project.write_text(chapter, "Words I regret.")
    project.add_node("chapter", "A chapter I regret", text="More regret.")
    project.meta.title = "A Worse Title"
    project.close()
    regretted = folder_bytes(project.path)

    restored = restore_snapshot(project.path, good.stem)

    assert restored == project.path.absolute()
    back = Project.load(project.path)
    assert back.read_text(chapter) == "First words."
    assert back.meta.title == "The Salt Road"
    assert [n.title for n in back.tree.roots] == ["Chapter 1"]
    assert back.orphan_documents() == []
    assert not (project.path / LOCK_NAME).exists()
    assert sorted(p.name for p in project.path.parent.iterdir()) == ["the-salt-road"]
    # The state before the restore is the newest snapshot, whole.
    before = list_snapshots(project.id)[-1]
    assert before.reason == "before restore"
    with zipfile.ZipFile(before.path) as archive:
        kept = {
            name.removeprefix("project/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("project/")
        }
    assert kept == {k: v for k, v in regretted.items() if k != LOCK_NAME}
    # And it can be brought back in turn.
    restore_snapshot(project.path, before.name)
    assert Project.load(project.path).meta.title == "A Worse Title"


def test_restoring_the_current_state_needs_no_new_snapshot(project):
    good = take_snapshot(project, "on close")
    restore_snapshot(project.path, "latest")
    assert [s.path for s in list_snapshots(project)] == [good]
    assert Project.load(project.path).read_text(project.tree.roots[0].id) == "First words."


def test_a_broken_project_can_be_restored(project):
    good = take_snapshot(project, "on close")
    (project.path / "project.json").write_bytes(b'{"format_version": 1, "id": ')
    restore_snapshot(project.path, good.stem)
    assert Project.load(project.path).title == "The Salt Road"
    before = list_snapshots(project)[-1]
    assert before.reason == "before restore" and before.loads is False
    with zipfile.ZipFile(before.path) as archive:
        assert archive.read("project/project.json") == b'{"format_version": 1, "id": '


def _evil_zip(project: Project, name: str, member: str | zipfile.ZipInfo) -> Path:
    """A snapshot (as if planted in the snapshot folder) holding one hostile entry."""
    where = snapshot_dir(project)
    where.mkdir(parents=True, exist_ok=True)
    target = where / f"20200101T000000000000Z-{name}.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("snapshot.json", json.dumps({"project_id": project.id}))
        for file in sorted(project.path.rglob("*")):
            if file.is_file() and file.name != LOCK_NAME:
                archive.write(file, "project/" + file.relative_to(project.path).as_posix())
        archive.writestr(member, "pwned")
    return target


def _symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    "member",
    [
        "project/../../evil.txt",
        "project/docs/../../../evil.txt",
        "../evil.txt",
        "/tmp/evil.txt",
        "project//evil.txt",
        "project/./evil.txt",
        "project\\..\\..\\evil.txt",
        "C:/evil.txt",
        "elsewhere/evil.txt",
        "symlink",
    ],
)
def test_restore_refuses_entries_that_leave_the_project(project, tmp_path, member):
    entry = _symlink_member("project/docs/evil.md") if member == "symlink" else member
    planted = _evil_zip(project, "evil", entry)
    before = folder_bytes(tmp_path)
    existed = Path("/tmp/evil.txt").exists()
    with pytest.raises(WriterError, match="outside the project"):
        restore_snapshot(project.path, planted.stem)
    assert folder_bytes(tmp_path) == before  # nothing written, not even a snapshot
    assert Path("/tmp/evil.txt").exists() == existed


def test_restore_refuses_a_snapshot_that_does_not_load(project, tmp_path):
    take_snapshot(project, "on close")
    bad = snapshot_dir(project) / "20200101T000000000001Z-garbled.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("project/project.json", "not json at all")
    before = folder_bytes(project.path)
    with pytest.raises(WriterError, match="does not hold a project that loads"):
        restore_snapshot(project.path, bad.stem)
    assert folder_bytes(project.path) == before
    assert sorted(p.name for p in project.path.parent.iterdir()) == ["the-salt-road"]


def test_restore_refuses_while_another_copy_holds_the_lock(project):
    good = take_snapshot(project, "on close")
    edit(project, "Open in the window.")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = {"pid": sleeper.pid, "host": os.uname().nodename, "time": "now"}
        (project.path / LOCK_NAME).write_text(json.dumps(lock), encoding="utf-8")
        before = folder_bytes(project.path)
        with pytest.raises(ProjectLockedError):
            restore_snapshot(project.path, good.stem)
        assert folder_bytes(project.path) == before
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_failed_swap_puts_the_project_back(project, monkeypatch):
    good = take_snapshot(project, "on close")
    edit(project, "Keep me.")
    before = folder_bytes(project.path)
    real_rename = os.rename
    calls = []

    def second_rename_fails(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(snapshots.os, "rename", second_rename_fails)
    with pytest.raises(WriterError, match="left as it was"):
        restore_snapshot(project.path, good.stem)
    monkeypatch.undo()
    assert folder_bytes(project.path) == before
    assert sorted(p.name for p in project.path.parent.iterdir()) == ["the-salt-road"]


def test_an_interrupted_swap_is_put_right(project, library):
    good = take_snapshot(project, "on close")
    # Killed between the two renames: the project is only under its hidden name.
    hidden = library.path / ".the-salt-road.replaced-0123abcd"
    os.rename(project.path, hidden)
    staging = library.path / ".the-salt-road.restoring-89abcdef"
    staging.mkdir()
    (staging / "project.json").write_text("half", encoding="utf-8")
    notes = finish_interrupted_restores(library.path)
    assert len(notes) == 2 and any("put the-salt-road back" in n for n in notes)
    assert sorted(p.name for p in library.path.iterdir()) == ["the-salt-road"]
    assert Project.load(project.path).read_text(project.tree.roots[0].id) == "First words."
    # Killed after the swap: the old copy goes only when a snapshot holds it.
    restore_snapshot(project.path, good.stem)
    edit(Project.load(project.path), "Unsaved elsewhere.")
    shutil.copytree(project.path, hidden)
    assert "kept" in finish_interrupted_restores(library.path)[0]
    assert hidden.exists()
    take_snapshot(Project.load(hidden), "on close")
    assert "removed" in finish_interrupted_restores(library.path)[0]
    assert not hidden.exists()


# ---------------------------------------------------------------- ids, hints, leftovers


def test_the_project_id_is_found_even_in_a_damaged_file(project):
    take_snapshot(project, "on close")
    raw = (project.path / "project.json").read_bytes()
    (project.path / "project.json").write_bytes(raw[: len(raw) * 2 // 3])  # truncated
    assert project_id_of(project.path) == project.id
    (project.path / "project.json").write_bytes(b"\x00\xff garbage")
    assert project_id_of(project.path) == project.id  # from the snapshot's folder
    assert project_id_of(project.path, project.path.parent / "no-snapshots-here") is None


def test_last_snapshot_hint(project, monkeypatch):
    assert last_snapshot_hint(project.path) == ""
    Clock(monkeypatch, datetime(2026, 11, 29, 21, 0, tzinfo=UTC))
    taken = take_snapshot(project, "on close")
    local = datetime(2026, 11, 29, 21, 0, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert last_snapshot_hint(project.path) == (
        f"a snapshot from {local} can be restored with: "
        f"writer snapshot the-salt-road --restore {taken.stem}"
    )


def test_leftover_temp_files_are_cleaned_only_when_nobody_writes(project):
    docs = project.path / "docs"
    leftover = docs / f".{project.tree.roots[0].id}.md.ab12cd34.tmp"
    leftover.write_bytes(b"half a document")
    top = project.path / ".project.json.zz99yy88.tmp"
    top.write_bytes(b"{")
    lock = {"pid": os.getpid(), "host": os.uname().nodename, "time": "now"}
    (project.path / LOCK_NAME).write_text(json.dumps(lock), encoding="utf-8")
    assert clean_temp_files(project.path) == []  # this process holds it: maybe mid-save
    (project.path / LOCK_NAME).unlink()
    assert clean_temp_files(project.path) == sorted([top, leftover])
    assert sorted(p.name for p in project.path.iterdir()) == ["docs", "project.json"]
    Project.load(project.path)


# ---------------------------------------------------------------- the whole library


def test_snapshot_library_takes_what_changed_and_reports_broken_projects(library):
    one = make_project(library.path / "one", "One")
    two = make_project(library.path / "two", "Two")
    broken = make_project(library.path / "broken", "Broken")
    (broken.path / "project.json").write_bytes(b"[1, 2")
    results = {r.folder.name: r for r in snapshot_library(library, "on demand")}
    assert {name: r.status for name, r in results.items()} == {
        "broken": "failed",
        "one": "taken",
        "two": "taken",
    }
    assert "project.json" in results["broken"].error
    assert results["one"].path.parent == snapshot_dir(one)
    again = snapshot_library(library, "on demand")
    assert [r.status for r in again] == ["failed", "unchanged", "unchanged"]
    assert again[1].path == results["one"].path
    edit(two, "Changed.")
    third = {r.folder.name: r.status for r in snapshot_library(library, "daily", keep=1)}
    assert third == {"broken": "failed", "one": "unchanged", "two": "taken"}
    assert len(list_snapshots(two)) == 1
    assert list_snapshots(broken.id) == []


# ---------------------------------------------------------------- the command line


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_snapshot_list_and_restore(project, library, capsys):
    lib = ["--library", str(library.path)]
    code, out, err = run(capsys, "snapshot", "the-salt-road", *lib)
    assert code == 0 and err == ""
    first = Path(out.strip())
    assert first.is_file() and first.parent == snapshot_dir(project)
    code, out, _ = run(capsys, "snapshot", "The Salt Road", *lib)
    assert (code, out) == (0, f"unchanged since {first.stem}\n")
    edit(project, "Later words.")
    code, out, _ = run(capsys, "snapshot", "the-salt-road", "--keep", "5", *lib)
    second = Path(out.strip())
    assert code == 0 and second.is_file() and second != first
    code, out, _ = run(capsys, "snapshot", "the-salt-road", "--list", *lib)
    lines = out.splitlines()
    assert code == 0 and [line.split()[0] for line in lines] == [first.stem, second.stem]
    assert lines[0].endswith("on demand")
    edit(project, "Words I regret.")
    code, out, err = run(capsys, "snapshot", "the-salt-road", "--restore", first.stem, *lib)
    assert code == 0 and err == ""
    before = list_snapshots(project)[-1]
    assert out.splitlines() == [
        f"kept the state before the restore in snapshot {before.name}",
        f"restored {project.path.absolute()} from snapshot {first.stem} "
        f"({list_snapshots(project)[0].local_time()})",
    ]
    assert Project.load(project.path).read_text(project.tree.roots[0].id) == "First words."


def test_cli_snapshot_all_and_folder(library, tmp_path, capsys):
    make_project(library.path / "one", "One")
    make_project(library.path / "two", "Two")
    chosen = tmp_path / "usb"
    code, out, err = run(
        capsys, "snapshot", "--all", "--folder", str(chosen), "--library", str(library.path)
    )
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["one", "two"]
    assert all(Path(line.split(": ")[1]).parent.parent == chosen for line in lines)
    code, out, _ = run(
        capsys, "snapshot", "--all", "--folder", str(chosen), "--library", str(library.path)
    )
    assert code == 0 and all(": unchanged since " in line for line in out.splitlines())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snapshot"], "name a project, or give --all"),
        (["snapshot", "nowhere"], "no project 'nowhere'"),
        (["snapshot", "the-salt-road", "--keep", "0"], "--keep must be at least 1"),
        (["snapshot", "the-salt-road", "--restore", "nope"], "no snapshots of this project"),
        (["snapshot", "the-salt-road", "--all"], "not both"),
    ],
)
def test_cli_snapshot_errors_are_one_line(project, library, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--library", str(library.path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("writer: ") and message in err


def test_cli_snapshot_of_a_broken_project_offers_the_last_snapshot(project, library, capsys):
    good = take_snapshot(project, "on close")
    (project.path / "project.json").write_bytes(b'{"format_version": 1, "id"')
    code, out, err = run(capsys, "snapshot", "the-salt-road", "--library", str(library.path))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert str(project.path / "project.json") in err
    assert f"writer snapshot the-salt-road --restore {good.stem}" in err
    code, out, _ = run(
        capsys, "snapshot", "the-salt-road", "--list", "--library", str(library.path)
    )
    assert code == 0 and out.startswith(good.stem)
    code, out, err = run(
        capsys, "snapshot", "the-salt-road", "--restore", good.stem, "--library", str(library.path)
    )
    assert code == 0, err
    assert Project.load(project.path).title == "The Salt Road"
