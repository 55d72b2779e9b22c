"""The index worker thread: incremental updates after save, rename, move, delete, trash."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from whoosh.util.filelock import FileLock

from writer.core.project import Project
from writer.search import CommitReport, IndexWorker, SearchIndex
from writer.search.store import WRITELOCK

BELL = "the-ninth-bell"
SCENE = "3f0410dade58"  # Part One / The Crack / The Ninth Bell
FOUNDRY = "4f1bebcc49d7"  # Part One / The Crack / The Foundry at Dawn
ARCHIVE = "e4f7599e8d00"  # Part One / The Guild Archive


@pytest.fixture
def index(sample_library: Path):
    with SearchIndex.open_for(sample_library, build="inline") as opened:
        yield opened


@pytest.fixture
def reports() -> list[CommitReport]:
    return []


@pytest.fixture
def worker(index, reports, no_leftover_threads):
    started = IndexWorker(index, reports.append, interval=60.0).start()
    yield started
    started.stop()


@pytest.fixture
def project(sample_library: Path):
    opened = Project.load(sample_library / BELL)
    yield opened
    opened.release_lock()


def titles(index, query: str) -> list[tuple[str, ...]]:
    return [h.tree_path for h in index.search(query, limit=None).hits]


def test_one_save_causes_exactly_one_index_update(index, worker, reports, project) -> None:
    before = (index.stats.written, index.stats.commits)
    project.write_text(SCENE, "The zeppelin moored above the tower.\n")
    worker.document_saved(project, SCENE)
    assert worker.flush()
    assert (index.stats.written, index.stats.commits) == (before[0] + 1, before[1] + 1)
    assert len(reports) == 1 and reports[0].counts.updated == 1 and not reports[0].error
    hits = index.search("zeppelin").hits
    assert [(h.document, h.offset, h.length) for h in hits] == [(SCENE, 4, 8)]
    assert index.search("trapdoor").total == 0


def test_saves_in_one_interval_become_one_update(index, worker, project) -> None:
    before = (index.stats.written, index.stats.commits)
    for word in ("alpha", "bravo", "charlie"):
        project.write_text(SCENE, f"The {word} moored above the tower.\n")
        worker.document_saved(project, SCENE)
    assert worker.flush()
    assert (index.stats.written, index.stats.commits) == (before[0] + 1, before[1] + 1)
    assert index.search("charlie").total == 1 and index.search("alpha").total == 0


def test_commits_come_by_themselves_after_the_interval(index, project, no_leftover_threads):
    committed = threading.Event()
    worker = IndexWorker(index, lambda report: committed.set(), interval=0.05).start()
    try:
        project.write_text(SCENE, "A quokka on the ladder.\n")
        worker.document_saved(project, SCENE)
        assert committed.wait(timeout=20)
        assert index.search("quokka").total == 1  # A fresh searcher after the commit.
    finally:
        worker.stop()


def test_rename_updates_only_that_document(index, worker, project) -> None:
    before = index.stats.written
    project.rename_node(SCENE, "Zephyr Hall")
    project.save()
    worker.project_changed(project)
    worker.flush()
    # The scene, plus the work's own row, which notes project.json's new size and time.
    assert index.stats.written == before + 2
    assert titles(index, "title:zephyr") == [("Part One", "The Crack", "Zephyr Hall")]


def test_renaming_a_chapter_moves_its_scenes_too(index, worker, project) -> None:
    project.rename_node("b50c1f0b4a9d", "The Fracture")
    project.save()
    worker.project_changed(project)
    worker.flush()
    assert ("Part One", "The Fracture", "The Ninth Bell") in titles(index, "trapdoor")


def test_move(index, worker, project) -> None:
    project.move_node(SCENE, ARCHIVE)
    project.save()
    worker.project_changed(project)
    worker.flush()
    assert titles(index, "trapdoor") == [("Part One", "The Guild Archive", "The Ninth Bell")]


def test_trash_restore_and_delete(index, worker, project) -> None:
    project.trash_node(SCENE)
    project.save()
    worker.project_changed(project)
    worker.flush()
    assert index.search("trapdoor").total == 0
    project.restore_node(SCENE)
    project.save()
    worker.project_changed(project)
    worker.flush()
    assert index.search("trapdoor").total == 1
    project.trash_node(SCENE)
    project.delete_forever(SCENE)
    worker.project_changed(project)
    worker.flush()
    assert index.search("trapdoor").total == 0
    assert index.reconcile().changed == 0


def test_saving_a_trashed_document_removes_it(index, worker, project) -> None:
    project.trash_node(FOUNDRY)
    worker.document_saved(project, FOUNDRY)
    worker.flush()
    assert index.search("title:foundry").total == 0


def test_metadata_change_reaches_every_document(index, worker, project) -> None:
    project.set_field("fandoms", ["Bellfounders (Podcast)"], "add")
    project.save()
    worker.project_changed(project)
    worker.flush()
    assert index.search("fandom:bellfounders kind:scene").total == 2
    assert index.search("fandom:bellfounders").total == 1  # One row for the work.


def test_project_removed_and_new_document(index, worker, project, sample_library) -> None:
    node = project.add_node("scene", "Coda", ARCHIVE, text="Ptarmigans at dawn.")
    project.save()
    worker.document_saved(project, node.id)
    worker.project_removed("what-the-tide-keeps")
    worker.flush()
    assert titles(index, "ptarmigans") == [("Part One", "The Guild Archive", "Coda")]
    assert index.search("project:what-the-tide-keeps").total == 0


def test_locked_index_keeps_changes_for_later(index, worker, reports, project) -> None:
    lock = FileLock(str(index.index_dir / WRITELOCK))
    assert lock.acquire(blocking=False)
    try:
        project.write_text(SCENE, "The wombat waited.\n")
        worker.document_saved(project, SCENE)
        worker.flush()
        assert reports[-1].error and index.search("wombat").total == 0
    finally:
        lock.release()
    worker.flush()
    assert not reports[-1].error and index.search("wombat").total == 1


def test_reconcile_job_picks_up_changes_on_disk(index, worker, sample_library) -> None:
    (sample_library / BELL / "docs" / f"{FOUNDRY}.md").write_text("Narwhals.\n", "utf-8")
    worker.reconcile()
    worker.flush()
    assert index.search("narwhals").total == 1


def test_stop_commits_what_is_pending(index, project, no_leftover_threads) -> None:
    worker = IndexWorker(index, interval=60.0).start()
    project.write_text(SCENE, "An axolotl.\n")
    worker.document_saved(project, SCENE)
    worker.stop()
    assert not worker.running
    assert index.search("axolotl").total == 1
