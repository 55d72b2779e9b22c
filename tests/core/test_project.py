"""A project on disk: creating, loading, changing the tree, texts and the word-count cache."""

from __future__ import annotations

import json
import os
import pathlib
import re
from pathlib import Path

import pytest

from writer.core import project as project_module
from writer.core.errors import MissingDocumentError, ProjectError, TreeError
from writer.core.metadata import WorkMeta
from writer.core.project import Project, is_project_dir

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def on_disk(folder: Path) -> dict:
    return json.loads((folder / "project.json").read_text("utf-8"))


def tree_ids(data: list) -> list[str]:
    out = []
    for node in data:
        out.append(node["id"])
        out += tree_ids(node["children"])
    return out


# ---------------------------------------------------------------- create and load


def test_create_makes_a_loadable_project(tmp_path):
    folder = tmp_path / "lighthouse"
    project = Project.create(folder, "The Lighthouse Keeper")
    assert is_project_dir(folder)
    assert project.title == "The Lighthouse Keeper"
    assert project.slug == "lighthouse"
    assert ISO.match(project.meta.created)
    assert project.meta.modified >= project.meta.created
    [chapter] = project.tree.roots
    assert (chapter.kind, chapter.title) == ("chapter", "Chapter 1")
    assert (folder / "docs" / f"{chapter.id}.md").read_bytes() == b""
    project.close()

    loaded = Project.load(folder)
    assert loaded.id == project.id
    assert loaded.meta == project.meta
    assert [(n.id, n.kind, n.title) for n in loaded.tree.walk()] == [
        (chapter.id, "chapter", "Chapter 1")
    ]
    assert loaded.dirty is False
    assert loaded.save() is False


def test_create_with_meta_and_without_a_chapter(tmp_path):
    meta = WorkMeta(author="quill", fandoms=["Original Work"], created="2020-05-05T05:05:05Z")
    project = Project.create(tmp_path / "p", "Title", meta=meta, first_chapter=False)
    assert project.tree.roots == []
    assert list((tmp_path / "p" / "docs").iterdir()) == []
    project.close()
    loaded = Project.load(tmp_path / "p")
    assert loaded.meta.author == "quill"
    assert loaded.meta.fandoms == ["Original Work"]
    assert loaded.meta.created == "2020-05-05T05:05:05Z"


def test_create_refuses_a_non_empty_folder(tmp_path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(ProjectError, match="already exists and is not empty") as info:
        Project.create(folder, "X")
    assert info.value.path == folder
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_create_in_an_existing_empty_folder(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    Project.create(folder, "X").close()
    assert is_project_dir(folder)


def test_load_of_a_folder_without_project_json(tmp_path):
    with pytest.raises(ProjectError, match="is not a writer project") as info:
        Project.load(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert not is_project_dir(tmp_path)


def test_title_falls_back_to_the_folder_name(tmp_path):
    project = Project.create(tmp_path / "my-folder", "")
    assert project.title == "my-folder"
    project.close()


# ---------------------------------------------------------------- tree changes persist


def test_add_move_rename_trash_restore_persist(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story", first_chapter=False)
    part = project.add_node("part", "Part One")
    ch1 = project.add_node("chapter", "One", parent_id=part.id, text="First words.")
    ch2 = project.add_node("chapter", "Two", parent_id=part.id)
    scene = project.add_node("scene", "Storm", parent_id=ch1.id, text="Rain fell.")
    note = project.add_node("note", "Research")
    assert not (folder / "docs" / f"{part.id}.md").exists()  # parts have no text
    assert project.read_text(ch1.id) == "First words."
    assert project.dirty
    project.save()
    project.close()

    p = Project.load(folder)
    assert [n.id for n in p.tree.walk()] == [part.id, ch1.id, scene.id, ch2.id, note.id]
    assert p.read_text(scene.id) == "Rain fell."

    p.move_node(ch2.id, part.id, 0)
    p.move_node(scene.id, ch2.id)
    p.rename_node(ch1.id, "  The First  ")
    p.trash_node(note.id)
    p.save()
    p.close()

    q = Project.load(folder)
    assert [n.id for n in q.tree.walk()] == [part.id, ch2.id, scene.id, ch1.id]
    assert q.tree.find(ch1.id).title == "The First"
    assert q.tree.in_trash(note.id)
    assert (folder / "docs" / f"{note.id}.md").exists()  # trash keeps the file

    q.restore_node(note.id)
    q.save()
    q.close()
    r = Project.load(folder)
    assert [n.id for n in r.tree.roots] == [part.id, note.id]
    assert r.tree.trash == []


def test_tree_changes_are_not_written_until_save(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    before = (folder / "project.json").read_bytes()
    node = project.add_node("chapter", "Two")
    assert (folder / "docs" / f"{node.id}.md").exists()  # the file exists first
    assert (folder / "project.json").read_bytes() == before
    assert project.dirty
    assert project.save() is True
    assert node.id in tree_ids(on_disk(folder)["tree"])
    assert project.save() is False
    project.close()


def test_save_updates_modified_only_when_something_changed(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    project.meta.modified = "2000-01-01T00:00:00Z"
    assert project.save() is True
    assert ISO.match(project.meta.modified) and project.meta.modified > "2000"
    stamp = on_disk(folder)["modified"]
    assert stamp == project.meta.modified
    assert project.save() is False
    project.close()


def test_add_node_refusal_leaves_no_file(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story", first_chapter=False)
    scene = project.add_node("scene", "S")
    files = sorted((folder / "docs").iterdir())
    with pytest.raises(TreeError):
        project.add_node("chapter", "bad", parent_id=scene.id)
    assert sorted((folder / "docs").iterdir()) == files
    project.close()


def test_write_text_on_a_part_is_refused(tmp_path):
    project = Project.create(tmp_path / "p", "Story")
    part = project.add_node("part", "P")
    with pytest.raises(TreeError, match="a part has no text"):
        project.write_text(part.id, "words")
    assert not (tmp_path / "p" / "docs" / f"{part.id}.md").exists()
    project.close()


# ---------------------------------------------------------------- delete forever


def test_delete_forever_removes_files_after_project_json_forgets_them(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story", first_chapter=False)
    chapter = project.add_node("chapter", "C", text="one two")
    scene = project.add_node("scene", "S", parent_id=chapter.id, text="three")
    keep = project.add_node("chapter", "Keep", text="four")
    project.trash_node(chapter.id)
    project.save()
    assert chapter.id in json.dumps(on_disk(folder)["trash"])

    removed: list[str] = []
    real_unlink = pathlib.Path.unlink

    def checking_unlink(self, *args, **kwargs):
        if self.parent == folder / "docs":
            # project.json on disk must no longer name the document being removed.
            assert self.stem not in (folder / "project.json").read_text("utf-8")
            removed.append(self.stem)
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "unlink", checking_unlink)
    project.delete_forever(chapter.id)
    monkeypatch.undo()

    assert sorted(removed) == sorted([chapter.id, scene.id])
    assert not (folder / "docs" / f"{chapter.id}.md").exists()
    assert not (folder / "docs" / f"{scene.id}.md").exists()
    assert (folder / "docs" / f"{keep.id}.md").exists()
    data = on_disk(folder)
    assert data["trash"] == []
    assert set(data["counts"]) == {keep.id}
    project.close()
    assert Project.load(folder).orphan_documents() == []


def test_delete_forever_keeps_the_files_when_project_json_cannot_be_written(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story", first_chapter=False)
    chapter = project.add_node("chapter", "C", text="one two")
    project.trash_node(chapter.id)
    project.save()

    def failing_write(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_module, "atomic_write_bytes", failing_write)
    with pytest.raises(OSError):
        project.delete_forever(chapter.id)
    assert (folder / "docs" / f"{chapter.id}.md").read_text("utf-8") == "one two"
    monkeypatch.undo()
    project.release_lock()
    assert Project.load(folder).tree.in_trash(chapter.id)


def test_delete_forever_of_a_live_node_is_refused(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    with pytest.raises(TreeError):
        project.delete_forever(chapter.id)
    assert (folder / "docs" / f"{chapter.id}.md").exists()
    project.close()


def test_empty_trash_removes_every_trashed_file(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story", first_chapter=False)
    a = project.add_node("chapter", "A")
    b = project.add_node("scene", "B", parent_id=a.id)
    c = project.add_node("note", "C")
    keep = project.add_node("chapter", "Keep")
    project.trash_node(a.id)
    project.trash_node(c.id)
    project.empty_trash()
    names = sorted(p.stem for p in (folder / "docs").iterdir())
    assert names == [keep.id]
    assert on_disk(folder)["trash"] == []
    project.close()
    loaded = Project.load(folder)
    assert [n.id for n in loaded.tree.all_nodes()] == [keep.id]
    for gone in (a, b, c):
        assert gone.id not in (folder / "project.json").read_text("utf-8")


# ---------------------------------------------------------------- word counts


def test_word_counts_are_cached_in_project_json(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    project.write_text(chapter.id, "one two three")
    entry = on_disk(folder)["counts"][chapter.id]
    stat = (folder / "docs" / f"{chapter.id}.md").stat()
    assert entry == {"words": 3, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    assert project.words(chapter.id) == 3
    project.close()


def test_counts_are_recomputed_when_the_file_changes_behind_the_projects_back(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    project.write_text(chapter.id, "one two three")
    project.close()

    file = folder / "docs" / f"{chapter.id}.md"
    file.write_text("a different text of six words", encoding="utf-8")
    loaded = Project.load(folder)
    assert loaded.words(chapter.id) == 6
    assert loaded.total_words() == 6
    # And the live project object notices too.
    file.write_text("now only four words", encoding="utf-8")
    assert loaded.words(chapter.id) == 4
    loaded.save()
    assert on_disk(folder)["counts"][chapter.id]["words"] == 4
    loaded.close()


def test_the_cache_is_used_while_size_and_mtime_are_unchanged(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    project.write_text(chapter.id, "aaaa bbbb cccc")  # 3 words, 14 bytes
    file = folder / "docs" / f"{chapter.id}.md"
    stat = file.stat()
    file.write_text("aaaaaaaaa bbbb", encoding="utf-8")  # 2 words, same size
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert project.words(chapter.id) == 3  # the cache answered without reading
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert project.words(chapter.id) == 2
    project.close()


def test_total_words_excludes_notes_and_trash(tmp_path):
    project = Project.create(tmp_path / "p", "Story", first_chapter=False)
    part = project.add_node("part", "P")
    ch = project.add_node("chapter", "C", parent_id=part.id, text="one two three")
    project.add_node("scene", "S", parent_id=ch.id, text="four five")
    project.add_node("note", "N", parent_id=ch.id, text="note words never count")
    project.add_node("note", "Top note", text="nor these")
    gone = project.add_node("chapter", "Gone", text="trashed words are not counted")
    loose = project.add_node("scene", "Loose", text="six")
    assert project.total_words() == 6 + 5
    project.trash_node(gone.id)
    assert project.total_words() == 6
    project.trash_node(loose.id)
    assert project.total_words() == 5
    project.close()


def test_node_words(tmp_path):
    project = Project.create(tmp_path / "p", "Story", first_chapter=False)
    part = project.add_node("part", "P")
    ch = project.add_node("chapter", "C", parent_id=part.id, text="one two")
    project.add_node("scene", "S1", parent_id=ch.id, text="three four five")
    project.add_node("scene", "S2", parent_id=ch.id, text="six")
    project.add_node("note", "N", parent_id=ch.id, text="ignored note words")
    ch2 = project.add_node("chapter", "C2", parent_id=part.id, text="seven")
    folder = project.add_node("note", "Research", text="a b")
    project.add_node("note", "Sub", parent_id=folder.id, text="c d e")
    assert project.node_words(ch) == 6
    assert project.node_words(ch2) == 1
    assert project.node_words(part) == 7
    assert project.node_words(folder) == 5  # notes count under notes
    info = project.info()
    assert info["words"] == 7
    assert info["tree"][0]["words"] == 7
    assert info["tree"][0]["children"][0]["words"] == 6
    project.close()


def test_words_of_a_missing_file_is_zero(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    (folder / "docs" / f"{chapter.id}.md").unlink()
    assert project.words(chapter.id) == 0
    project.close()


# ---------------------------------------------------------------- reading texts


def test_read_text_normalises_line_endings_and_strips_a_bom(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    file = folder / "docs" / f"{chapter.id}.md"
    file.write_bytes(b"\xef\xbb\xbfline one\r\nline two\rline three\n\r\n")
    assert project.read_text(chapter.id) == "line one\nline two\nline three\n\n"
    assert project.words(chapter.id) == 6
    project.close()


def test_write_text_round_trip_of_unicode(tmp_path):
    project = Project.create(tmp_path / "p", "Story")
    [chapter] = project.tree.roots
    text = "Ça va? — «Oui» 日本語 🙂\n\nNext paragraph.\n"
    project.write_text(chapter.id, text)
    project.close()
    assert Project.load(tmp_path / "p").read_text(chapter.id) == text


def test_non_utf8_document_is_an_error_naming_the_file_and_left_untouched(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    project.close()
    file = folder / "docs" / f"{chapter.id}.md"
    raw = b"caf\xe9 au lait\r\n\xff\xfe"
    file.write_bytes(raw)
    before = (folder / "project.json").read_bytes()

    loaded = Project.load(folder)  # existence is checked at load, text on read
    with pytest.raises(ProjectError) as info:
        loaded.read_text(chapter.id)
    assert str(file) in str(info.value)
    assert "UTF-8" in str(info.value)
    assert info.value.path == file
    with pytest.raises(ProjectError):
        loaded.words(chapter.id)
    loaded.close()
    assert file.read_bytes() == raw
    assert (folder / "project.json").read_bytes() == before


def test_read_text_of_a_missing_file(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    [chapter] = project.tree.roots
    file = folder / "docs" / f"{chapter.id}.md"
    file.unlink()
    with pytest.raises(MissingDocumentError) as info:
        project.read_text(chapter.id)
    assert info.value.path == file
    project.close()


def test_orphan_documents_are_reported_not_deleted(tmp_path):
    folder = tmp_path / "p"
    project = Project.create(folder, "Story")
    trashed = project.add_node("scene", "T", text="x")
    project.trash_node(trashed.id)
    project.save()
    stray = folder / "docs" / "stray123.md"
    stray.write_text("lost words")
    (folder / "docs" / "notes.txt").write_text("not markdown")
    assert project.orphan_documents() == [stray]
    project.close()
    loaded = Project.load(folder)
    assert loaded.orphan_documents() == [stray]
    loaded.save()
    loaded.close()
    assert stray.read_text() == "lost words"


# ---------------------------------------------------------------- unknown keys


def test_unknown_top_level_keys_survive_a_save(tmp_path):
    folder = tmp_path / "p"
    Project.create(folder, "Story").close()
    data = on_disk(folder)
    data["future_feature"] = {"nested": [1, 2, {"x": "y"}], "flag": True}
    data["zz_plugin"] = "kept"
    (folder / "project.json").write_text(json.dumps(data), encoding="utf-8")

    project = Project.load(folder)
    assert project.extra == {
        "future_feature": {"nested": [1, 2, {"x": "y"}], "flag": True},
        "zz_plugin": "kept",
    }
    project.set_field("title", ["Renamed"])
    assert project.save() is True
    project.close()
    saved = on_disk(folder)
    assert saved["future_feature"] == {"nested": [1, 2, {"x": "y"}], "flag": True}
    assert saved["zz_plugin"] == "kept"
    assert saved["title"] == "Renamed"
    # Reserved keys are never duplicated into "extra".
    assert set(Project.load(folder).extra) == {"future_feature", "zz_plugin"}


def test_info_has_every_work_key_and_the_tree(tmp_path):
    from writer.core.metadata import WORK_FIELDS

    project = Project.create(tmp_path / "p", "Story")
    info = project.info()
    assert set(WORK_FIELDS) <= set(info)
    assert {"id", "words", "path", "tree", "trash"} <= set(info)
    assert info["path"] == str(tmp_path / "p")
    assert info["tree"][0]["kind"] == "chapter"
    json.dumps(info)  # JSON-ready
    project.close()


def test_a_lone_surrogate_in_text_is_replaced_not_fatal(tmp_path):
    project = Project.create(tmp_path / "p", "Story")
    [chapter] = project.tree.roots
    project.write_text(chapter.id, "broken \ud800 pair")
    assert project.read_text(chapter.id) == "broken \ufffd pair"
    assert project.words(chapter.id) == 2
    project.close()


def test_a_lone_surrogate_in_metadata_does_not_break_saving(tmp_path):
    project = Project.create(tmp_path / "p", "Story")
    project.meta.title = "broken \ud800 title"
    project.save()
    project.close()
    assert Project.load(tmp_path / "p").meta.title in ("broken \ufffd title", "broken  title")


def test_create_on_a_file_is_a_project_error(tmp_path):
    file = tmp_path / "story.txt"
    file.write_text("mine")
    with pytest.raises(ProjectError) as info:
        Project.create(file, "X")
    assert info.value.path == file
    assert file.read_text() == "mine"
