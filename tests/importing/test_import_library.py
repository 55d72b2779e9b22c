"""Imports into a library: new projects, re-imports (unchanged / updated), --into, dry runs,
folders, the kept original, the import record, snapshots and progress."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from writer.core.errors import WriterError
from writer.core.importing import import_paths, parse_path
from writer.core.library import Library
from writer.core.lock import LOCK_NAME
from writer.core.project import Project
from writer.core.snapshots import list_snapshots

STORY = """Title: The Tin Lantern
Author: Odo Farr
Fandom: Lampwick
Rating: G

Disclaimer: I don't own Lampwick.

A/N: Hello again!

Chapter 1: Lit

The lantern was lit at dusk by a boy with a long pole.

* * *

At dawn the same boy put it out.

A/N: Short one, sorry.

Chapter 2: Unlit

One evening he did not come.
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    file = tmp_path / "src" / "tin-lantern.txt"
    file.parent.mkdir()
    file.write_text(STORY, encoding="utf-8")
    return file


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "library")


def test_import_creates_a_project_with_chapters_scenes_notes_and_the_original(story, library):
    result = import_paths([story], library)[0]
    assert result.action == "created"
    assert result.project == library.path / "the-tin-lantern"
    assert result.chapters == 2
    project = Project.load(result.project)
    assert project.meta.title == "The Tin Lantern"
    assert project.meta.author == "Odo Farr"
    assert project.meta.fandoms == ["Lampwick"]
    assert project.meta.rating == "General Audiences"
    assert project.meta.disclaimer == "I don't own Lampwick."
    assert project.meta.notes_begin == "Hello again!"
    first, second = project.tree.roots
    assert (first.kind, first.title, second.title) == ("chapter", "Lit", "Unlit")
    assert project.read_text(first.id) == "The lantern was lit at dusk by a boy with a long pole."
    assert [c.kind for c in first.children] == ["scene"]
    assert project.read_text(first.children[0].id) == "At dawn the same boy put it out."
    assert first.meta.notes_end == "Short one, sorry."
    assert (project.path / "imported" / "tin-lantern.txt").read_bytes() == story.read_bytes()
    record = project.extra["imports"][0]
    assert record["sha256"] == hashlib.sha256(story.read_bytes()).hexdigest()
    assert record["source"] == str(story.resolve())
    assert record["chapters"] == [first.id, second.id]
    assert record["imported"].endswith("Z")
    assert not (project.path / LOCK_NAME).exists()
    assert library.project_dirs() == [result.project]


def test_importing_the_same_file_again_is_unchanged_not_a_duplicate(story, library):
    import_paths([story], library)
    again = import_paths([story], library)[0]
    assert again.action == "unchanged"
    assert len(library.project_dirs()) == 1


def test_a_moved_copy_of_the_same_bytes_is_recognised(story, library, tmp_path):
    import_paths([story], library)
    moved = tmp_path / "elsewhere.txt"
    shutil.copy(story, moved)
    assert import_paths([moved], library)[0].action == "unchanged"


def test_a_changed_source_updates_its_chapters_in_place_after_a_snapshot(story, library):
    created = import_paths([story], library)[0]
    project = Project.load(created.project)
    ids = [n.id for n in project.tree.roots]
    project.set_field("summary", ["My own summary"])
    project.close()
    story.write_text(
        STORY.replace("One evening he did not come.", "One evening he came late.")
        + "\nChapter 3: Relit\n\nThe lantern was lit again.\n",
        encoding="utf-8",
    )
    result = import_paths([story], library)[0]
    assert result.action == "updated"
    assert result.project == created.project
    assert result.snapshot is not None and result.snapshot.exists()
    project = Project.load(created.project)
    assert [n.id for n in project.tree.roots][:2] == ids
    assert [n.title for n in project.tree.roots] == ["Lit", "Unlit", "Relit"]
    assert project.read_text(ids[1]) == "One evening he came late."
    assert project.meta.summary == "My own summary"
    assert len(project.extra["imports"]) == 1
    with zipfile.ZipFile(result.snapshot) as archive:
        names = archive.namelist()
        assert "project/project.json" in names
        assert f"project/docs/{ids[1]}.md" in names
        assert archive.read(f"project/docs/{ids[1]}.md") == b"One evening he did not come."
    assert len(library.project_dirs()) == 1


def test_an_update_keeps_fields_the_author_changed(story, library):
    created = import_paths([story], library)[0]
    project = Project.load(created.project)
    project.set_field("author", ["Odette Farr"])
    project.close()
    story.write_text(STORY.replace("Rating: G", "Rating: T"), encoding="utf-8")
    result = import_paths([story], library)[0]
    project = Project.load(created.project)
    assert project.meta.author == "Odette Farr"
    assert project.meta.rating == "Teen And Up Audiences"
    assert any("kept your own author" in w for w in result.warnings)


def test_a_shorter_source_moves_surplus_chapters_to_the_trash(story, library):
    created = import_paths([story], library)[0]
    story.write_text(STORY.split("Chapter 2")[0], encoding="utf-8")
    import_paths([story], library)
    project = Project.load(created.project)
    assert [n.title for n in project.tree.roots] == ["Lit"]
    assert [e.node.title for e in project.tree.trash] == ["Unlit"]


def test_into_appends_chapters_after_a_snapshot(story, library, tmp_path):
    target = library.create("Anthology")
    target.close()
    result = import_paths([story], library, into="Anthology")[0]
    assert result.action == "appended"
    assert result.project == target.path
    project = Project.load(target.path)
    assert [n.title for n in project.tree.roots] == ["Chapter 1", "Lit", "Unlit"]
    assert project.meta.title == "Anthology"
    assert project.meta.fandoms == ["Lampwick"]
    assert len(list_snapshots(project)) == 1
    again = import_paths([story], library, into="Anthology")[0]
    assert again.action == "unchanged"
    assert len(library.project_dirs()) == 1


def test_into_an_unknown_project_is_an_error(story, library):
    library.path.mkdir(parents=True)
    with pytest.raises(WriterError, match="no project"):
        import_paths([story], library, into="Nowhere")


def test_dry_run_writes_nothing(story, library, tmp_path):
    results = import_paths([story, story], library, dry_run=True)
    assert [r.action for r in results] == ["would create", "would create"]
    assert results[0].project != results[1].project
    assert results[0].metadata["title"] == "The Tin Lantern"
    assert not library.path.exists()
    assert not (tmp_path / "home" / "data").exists()


def test_dry_run_of_a_known_source_says_update(story, library):
    import_paths([story], library)
    story.write_text(STORY + "\nMore.\n", encoding="utf-8")
    assert import_paths([story], library, dry_run=True)[0].action == "would update"


def test_a_folder_becomes_one_work_in_natural_order(helpers, library):
    result = import_paths([helpers.fixtures / "folder_natural"], library)[0]
    assert result.action == "created"
    project = Project.load(result.project)
    texts = [project.read_text(n.id) for n in project.tree.roots]
    assert [t.split()[0:2] for t in texts] == [
        ["The", "night"],
        ["At", "two"],
        ["Nobody", "believed"],
    ]
    copies = sorted(p.name for p in (project.path / "imported" / "folder_natural").iterdir())
    assert copies == ["ch1.txt", "ch10.txt", "ch2.txt"]
    assert import_paths([helpers.fixtures / "folder_natural"], library)[0].action == "unchanged"


def test_a_folder_of_separate_stories_gives_one_work_each(tmp_path, library):
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a.txt").write_text("Title: Alpha\n\nFirst story.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Title: Beta\n\nSecond story.\n", encoding="utf-8")
    results = import_paths([folder], library)
    assert [r.action for r in results] == ["created", "created"]
    assert [Project.load(r.project).meta.title for r in results] == ["Alpha", "Beta"]
    assert all("separate stories" in " ".join(r.warnings) for r in results)


def test_an_empty_folder_is_an_error(tmp_path, library):
    (tmp_path / "empty").mkdir()
    result = import_paths([tmp_path / "empty"], library)[0]
    assert result.action == "failed" and "holds no files to import" in result.error


def test_missing_path_is_an_error(tmp_path, library):
    result = import_paths([tmp_path / "nope.txt"], library)[0]
    assert result.action == "failed" and "does not exist" in result.error


def test_progress_is_reported_for_each_input(story, library, tmp_path):
    calls = []
    import_paths([story, tmp_path / "nope.txt"], library, progress=lambda *a: calls.append(a))
    assert [(d, t) for d, t, _m in calls] == [(0, 2), (1, 2), (2, 2)]
    assert calls[0][2] == "importing tin-lantern.txt"


def test_every_fixture_imports_into_a_loadable_project(helpers, library, tmp_path):
    names = sorted(
        p.name
        for p in helpers.fixtures.iterdir()
        if p.suffix in (".txt", ".md", ".html", ".docxsrc") or p.is_dir()
    )
    paths = [helpers.materialise(name, tmp_path) for name in names]
    results = import_paths(paths, library)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    for result in results:
        project = Project.load(result.project)
        assert len(project.tree.roots) == result.chapters
        assert project.meta.title == result.metadata["title"]


def test_archive_download_round_trip_keeps_chapter_metadata(helpers, library):
    result = import_paths([helpers.fixtures / "archive_multi.html"], library)[0]
    project = Project.load(result.project)
    first = project.tree.roots[0]
    assert first.meta.summary == "In which a clock refuses to start."
    assert first.meta.notes_end == "Next time: the owl."
    assert project.meta.links[0].posted == "2023-02-11"
    assert project.meta.series[0].name == "Gears and Ghosts" and project.meta.series[0].part == 3
    assert project.extra["imports"][0]["unmapped"] == {"collections": "Clockwork Exchange 2023"}
    assert project.extra["imports"][0]["word_count"] == 1204


def test_parse_path_writes_nothing(helpers, tmp_path):
    works = parse_path(helpers.fixtures / "txt_header_colon.txt")
    assert works[0].fields["title"] == "Salt and Cinders"
    assert not any((tmp_path / "home").iterdir())


def test_parts_become_part_nodes_holding_their_chapters(tmp_path, library):
    file = tmp_path / "parts.txt"
    file.write_text(
        "Title: Two Winters\n\nPart One\n\nChapter 1\n\nSnow.\n\nChapter 2\n\nMore snow.\n\n"
        "Part Two\n\nChapter 3\n\nThaw.\n",
        encoding="utf-8",
    )
    project = Project.load(import_paths([file], library)[0].project)
    assert [(n.kind, n.title) for n in project.tree.roots] == [
        ("part", "Part One"),
        ("part", "Part Two"),
    ]
    assert [len(n.children) for n in project.tree.roots] == [2, 1]
    file.write_text(file.read_text(encoding="utf-8") + "\nChapter 4\n\nSpring.\n", encoding="utf-8")
    assert import_paths([file], library)[0].action == "updated"
    project = Project.load(project.path)
    assert [c.title for c in project.tree.roots[1].children] == ["", ""]
