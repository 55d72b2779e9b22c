"""Opening, rebuilding, reconciling, damaged and locked indexes, ranking."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.util.filelock import FileLock

from writer.core.library import Library
from writer.core.metadata import WorkMeta
from writer.core.project import Project
from writer.search import IndexLockedError, SearchIndex, index_dir_for
from writer.search.rebuild import rebuild_in_subprocess
from writer.search.records import read_markdown
from writer.search.store import META_FILE, WRITELOCK

BELL = "the-ninth-bell"
SCENE = "3f0410dade58"  # "The Ninth Bell", a scene in Part One / The Crack


@pytest.fixture
def index(sample_library: Path):
    with SearchIndex.open_for(sample_library, build="inline") as opened:
        yield opened


def keys(results) -> set[str]:
    return {f"{h.project}/{h.document or ''}" for h in results.hits}


def damage(folder: Path) -> None:
    """Overwrite every index file with garbage of the same size (lock files aside)."""
    for file in folder.iterdir():
        if file.is_file() and "LOCK" not in file.name and file.name != META_FILE:
            size = file.stat().st_size
            file.write_bytes(b"\xde\xad" * (size // 2 + 1))


def test_index_lives_in_the_cache_folder_keyed_by_library(sample_library, writer_home) -> None:
    with SearchIndex.open_for(sample_library, build="inline") as index:
        assert index.index_dir == index_dir_for(sample_library)
        assert index.index_dir.is_relative_to(writer_home / "cache")
        assert index.rebuilt and index.size() == (3, 15)
    other = sample_library.parent / "other"
    assert index_dir_for(other) != index_dir_for(sample_library)
    with SearchIndex.open_for(sample_library, build="inline") as again:
        assert not again.rebuilt


def test_trash_is_not_indexed_and_notes_are(sample_library, index) -> None:
    project = Project.load(sample_library / BELL)
    project.trash_node(SCENE)
    project.close()
    index.reconcile()
    assert index.search("trapdoor").total == 0
    notes = index.search("copper tin", limit=None)
    assert notes.hits and all(h.kind == "note" for h in notes.hits)


def test_reconcile_after_files_change_behind_the_back(sample_library, index) -> None:
    commits = index.stats.commits
    assert index.reconcile().changed == 0
    assert index.stats.commits == commits  # Nothing changed: no writer, no commit.

    # A document edited by another program (git pull, a text editor).
    file = sample_library / BELL / "docs" / f"{SCENE}.md"
    file.write_text("The zeppelin moored above the tower.\n", encoding="utf-8")
    # A project copied in, one deleted, metadata edited by another copy of the app.
    shutil.copytree(sample_library / "the-lighthouse-keeper", sample_library / "lighthouse-copy")
    shutil.rmtree(sample_library / "what-the-tide-keeps")
    other = Project.load(sample_library / "the-lighthouse-keeper")
    other.set_field("tags", ["Quietude"], "add")
    other.close()

    counts = index.reconcile()
    assert counts.updated >= 2 and counts.added == 2 and counts.removed == 7
    assert keys(index.search("zeppelin")) == {f"{BELL}/{SCENE}"}
    assert index.search("trapdoor").total == 0
    assert keys(index.search("tag:quietude")) == {"the-lighthouse-keeper/"}
    assert {h.project for h in index.search("lighthouse", limit=None).hits} == {
        "the-lighthouse-keeper",
        "lighthouse-copy",
    }
    assert index.search("project:what-the-tide-keeps").total == 0
    again = index.reconcile()
    assert again.changed == 0 and again.unchanged == index.size()[0] + index.size()[1]


def test_reconcile_sees_a_document_added_and_one_deleted(sample_library, index) -> None:
    project = Project.load(sample_library / BELL)
    project.add_node("scene", "Aftermath", "e4f7599e8d00", text="Quicksilver everywhere.")
    project.trash_node("4f1bebcc49d7")
    project.delete_forever("4f1bebcc49d7")
    project.close()
    counts = index.reconcile()
    assert (counts.added, counts.removed) == (1, 1)
    hit = index.search("quicksilver").hits[0]
    assert hit.tree_path == ("Part One", "The Guild Archive", "Aftermath")


def test_a_broken_project_is_skipped_and_reported(sample_library, index) -> None:
    (sample_library / BELL / "project.json").write_text("{ not json", encoding="utf-8")
    counts = index.reconcile()
    assert counts.skipped and BELL in counts.skipped[0]
    assert index.search("project:the-ninth-bell").total == 0


@pytest.mark.parametrize("how", ["garbage", "missing", "empty", "schema"])
def test_a_damaged_index_is_rebuilt_on_open(sample_library, how) -> None:
    with SearchIndex.open_for(sample_library, build="inline") as first:
        folder = first.index_dir
    if how == "garbage":
        damage(folder)
    elif how == "missing":
        shutil.rmtree(folder)
    elif how == "empty":
        for file in folder.iterdir():
            file.write_bytes(b"")
    else:
        (folder / META_FILE).write_text('{"schema": 0}', encoding="utf-8")
    with SearchIndex.open_for(sample_library, build="inline") as index:
        assert index.rebuilt
        assert f"{BELL}/{SCENE}" in keys(index.search('"ninth bell"'))


def test_an_index_damaged_while_open_is_rebuilt_on_search(sample_library, index) -> None:
    assert index.search("bell").total
    index.close()
    damage(index.index_dir)
    results = index.search("bell")
    assert results.total == 8 and index.stats.rebuilds == 2


def test_a_locked_index_is_searched_as_committed_and_never_deleted(sample_library, index) -> None:
    lock = FileLock(str(index.index_dir / WRITELOCK))
    assert lock.acquire(blocking=False)  # Another writer (a separate descriptor) holds it.
    try:
        file = sample_library / BELL / "docs" / f"{SCENE}.md"
        file.write_text("The zeppelin moored above the tower.\n", encoding="utf-8")
        with pytest.raises(IndexLockedError):
            index.reconcile(wait=0.2)
        assert index.search("trapdoor").total == 1  # The last committed state.
        with pytest.raises(IndexLockedError):
            index.rebuild()
        assert index.search("trapdoor").total == 1
        damage(index.index_dir)
        with pytest.raises(IndexLockedError):
            SearchIndex.open_for(sample_library, build="inline")
        assert (index.index_dir / WRITELOCK).exists()
    finally:
        lock.release()
    with SearchIndex.open_for(sample_library, build="inline") as reopened:
        assert reopened.rebuilt and reopened.search("zeppelin").total == 1


def test_a_lock_dies_with_its_process(sample_library, index) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from whoosh.util.filelock import FileLock; "
            f"l = FileLock({str(index.index_dir / WRITELOCK)!r}); "
            "assert l.acquire(); print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        (sample_library / BELL / "docs" / f"{SCENE}.md").write_text("Zeppelin.\n", "utf-8")
        with pytest.raises(IndexLockedError):
            index.reconcile(wait=0.1)
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)
    assert index.reconcile().updated == 1


def test_rebuild_in_a_child_process_with_progress(sample_library, tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    folder = tmp_path / "ix"
    rebuild_in_subprocess(
        sample_library, folder, procs=2, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (3, 3)
    with SearchIndex.open_for(sample_library, index_dir=folder, build="inline") as index:
        assert not index.rebuilt and index.size() == (3, 15)
        assert index.search("trapdoor").total == 1


def test_stale_build_folders_are_removed(sample_library, index) -> None:
    stale = index.index_dir.parent / f".{index.index_dir.name}.build-999999999-1"
    stale.mkdir()
    index.rebuild()
    assert not stale.exists()


def test_read_markdown_matches_project_read_text(sample_library) -> None:
    project = Project.load(sample_library / BELL)
    file = project.doc_path(SCENE)
    file.write_bytes(b"\xef\xbb\xbfOne\r\ntwo\rthree\n\xc3\xa9")
    assert read_markdown(file) == project.read_text(SCENE) == "One\ntwo\nthree\né"


def test_a_title_hit_ranks_above_a_passing_mention(tmp_path) -> None:
    library = Library(tmp_path / "lib")
    project = library.create("Harbour Stories", WorkMeta(fandoms=["Original Work"]))
    filler = " ".join(["The gulls wheeled over the grey water and the nets dried."] * 12)
    project.add_node("chapter", "The Lighthouse", text="She climbed the stairs at dusk. " + filler)
    project.add_node(
        "chapter", "Market Day", text=filler + " They passed the lighthouse. " + filler
    )
    project.close()
    with SearchIndex.open_for(library, build="inline") as index:
        hits = index.search("lighthouse").hits
        assert [h.title for h in hits] == ["The Lighthouse", "Market Day"]
