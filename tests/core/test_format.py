"""The on-disk format: a frozen golden project, stable bytes, and malformed files refused.

``golden/sample`` was built once by :func:`golden_data` and frozen. If the format changes on
purpose, regenerate it with ``python tests/core/test_format.py --regenerate`` and review the
diff: an unexplained change in those bytes is exactly what these tests exist to catch.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from writer.core import projectfile
from writer.core.errors import MissingDocumentError, ProjectError, ProjectFormatError
from writer.core.library import Library
from writer.core.metadata import DocMeta, Link, SeriesEntry, WorkMeta
from writer.core.project import Project
from writer.core.projectfile import CachedCount, ProjectData
from writer.core.tree import Node, TrashEntry, Tree
from writer.core.wordcount import count_words

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"
MTIME = 1_700_000_000_000_000_000

TEXTS = {
    "ch-01": "# The Storm\n\nThe lamp *guttered*; Ada’s hands were cold—colder than the sea.\n",
    "sc-01": "Landfall came at dawn. “Don’t,” Grace said.\n\n* * *\n\nThe boat was gone.\n",
    "nt-01": "Keep the lamp colour consistent: amber, not gold.\n",
    "ch-02": "",
    "nt-research": "Tide tables, 1,000 fathoms, 3.14 — see [the chart](https://example.com/c).\n",
    "nt-tides": "High water at 06:12.\n",
    "sc-cut": "A scene that did not survive the edit.\n",
}


def golden_data() -> ProjectData:
    """The golden project, built from public constructors only."""
    meta = WorkMeta(
        title="The Lighthouse Keeper",
        author="quill_and_ink",
        co_authors=["second_pen"],
        language="pt-BR",
        fandoms=["Original Work"],
        rating="Teen And Up Audiences",
        warnings=["Major Character Death"],
        categories=["F/F"],
        relationships=["Ada/Grace"],
        characters=["Ada", "Grace"],
        tags=["Angst", "Slow Burn", "Lighthouses"],
        summary="A keeper, a storm, and a letter «forty» years late.",
        notes_begin="Thanks to my beta.",
        notes_end="Comments welcome.",
        disclaimer="Original characters.",
        spoilers=["Grace dies"],
        spoiler_note="The tags hide a twist.",
        status="revising",
        posting="wip",
        chapters_expected=12,
        series=[SeriesEntry("Tides", 2), SeriesEntry("Anthology")],
        links=[Link("AO3", "https://archiveofourown.org/works/1", "2024-01-02", "2024-02-03")],
        word_goal=90_000,
        created="2024-01-01T09:00:00Z",
        modified="2024-03-04T10:11:12Z",
    )
    chapter_meta = DocMeta(
        title="The Storm",
        summary="The storm arrives.",
        synopsis="Ada finds the letter.",
        status="complete",
        notes_begin="Chapter notes.",
        notes_end="End notes.",
        word_goal=4_000,
        links=[Link("AO3", "https://archiveofourown.org/works/1/chapters/9", "2024-01-02")],
    )
    tree = Tree(
        roots=[
            Node(
                "part-one",
                "part",
                DocMeta(title="Part One: Ebb", synopsis="Before the storm."),
                [
                    Node(
                        "ch-01",
                        "chapter",
                        chapter_meta,
                        [
                            Node("sc-01", "scene", DocMeta(title="Landfall", status="revising")),
                            Node("nt-01", "note", DocMeta(title="Continuity")),
                        ],
                    ),
                    Node("ch-02", "chapter", DocMeta(title="The Letter")),
                ],
            ),
            Node(
                "nt-research",
                "note",
                DocMeta(title="Research"),
                [Node("nt-tides", "note", DocMeta(title="Tide tables"))],
            ),
        ],
        trash=[TrashEntry(Node("sc-cut", "scene", DocMeta(title="Cut scene")), "ch-02", 0)],
    )
    counts = {
        doc_id: CachedCount(count_words(text), len(text.encode("utf-8")), MTIME)
        for doc_id, text in TEXTS.items()
    }
    return ProjectData(
        id="golden-sample-0001",
        meta=meta,
        tree=tree,
        counts=counts,
        extra={"x_future_feature": {"kept": True, "items": [1, "two"]}},
    )


def write_golden(folder: Path) -> None:
    """Regenerate the frozen folder (only when the format changes on purpose)."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "docs").mkdir(parents=True)
    for doc_id, text in TEXTS.items():
        (folder / "docs" / f"{doc_id}.md").write_bytes(text.encode("utf-8"))
    (folder / "project.json").write_bytes(projectfile.dumps(golden_data()))


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(GOLDEN, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# ---------------------------------------------------------------- the golden project


def test_golden_folder_is_complete():
    assert (GOLDEN / "project.json").is_file()
    assert sorted(p.stem for p in (GOLDEN / "docs").iterdir()) == sorted(TEXTS)
    for doc_id, text in TEXTS.items():
        assert (GOLDEN / "docs" / f"{doc_id}.md").read_bytes() == text.encode("utf-8")


def test_the_model_serialises_to_the_golden_bytes():
    assert projectfile.dumps(golden_data()) == (GOLDEN / "project.json").read_bytes()


def test_load_then_save_writes_nothing(golden):
    before = snapshot(golden)
    project = Project.load(golden)
    assert project.dirty is False
    assert project.save() is False
    project.close()
    assert snapshot(golden) == before
    assert not (golden / ".writer.lock").exists()


def test_loads_then_dumps_gives_the_same_bytes(golden):
    raw = (golden / "project.json").read_bytes()
    data = projectfile.loads(golden / "project.json", raw)
    assert projectfile.dumps(data) == raw


def test_sorted_keys_two_space_indent_utf8_trailing_newline():
    raw = (GOLDEN / "project.json").read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    canonical = json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert text == canonical
    assert "«forty»" in text  # UTF-8, not \u escapes
    lines = text.splitlines()
    assert lines[1].startswith('  "') and not lines[1].startswith("   ")
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, line
    top_keys = [line.split('"')[1] for line in lines if line.startswith('  "')]
    assert top_keys == sorted(top_keys)
    assert "\t" not in text and "\r" not in text


def test_golden_content_is_read_back(golden):
    project = Project.load(golden)
    assert project.id == "golden-sample-0001"
    assert project.meta == golden_data().meta
    assert [(n.id, n.kind) for n in project.tree.walk()] == [
        ("part-one", "part"),
        ("ch-01", "chapter"),
        ("sc-01", "scene"),
        ("nt-01", "note"),
        ("ch-02", "chapter"),
        ("nt-research", "note"),
        ("nt-tides", "note"),
    ]
    assert project.tree.find("ch-01").meta == golden_data().tree.find("ch-01").meta
    [entry] = project.tree.trash
    assert (entry.node.id, entry.parent_id, entry.index) == ("sc-cut", "ch-02", 0)
    assert project.extra == {"x_future_feature": {"kept": True, "items": [1, "two"]}}
    assert project.read_text("sc-01") == TEXTS["sc-01"]
    # Word counts are right whether the cache still matches the files or not.
    expected = sum(count_words(TEXTS[i]) for i in ("ch-01", "sc-01", "ch-02"))
    assert project.total_words() == expected
    project.release_lock()


def test_key_layout_of_nodes_and_trash():
    data = json.loads((GOLDEN / "project.json").read_text("utf-8"))
    assert data["format_version"] == 1
    part = data["tree"][0]
    # Default doc fields are left out; title, id, kind and children are always there.
    assert set(part) == {"id", "kind", "title", "synopsis", "children"}
    assert set(data["tree"][0]["children"][1]) == {"id", "kind", "title", "children"}
    assert data["trash"][0]["parent"] == "ch-02" and data["trash"][0]["index"] == 0
    assert data["counts"]["ch-01"] == {
        "words": count_words(TEXTS["ch-01"]),
        "size": len(TEXTS["ch-01"].encode("utf-8")),
        "mtime_ns": MTIME,
    }


def test_a_change_is_saved_and_only_that_changes(golden):
    project = Project.load(golden)
    project.rename_node("ch-02", "The Letter, Again")
    assert project.save() is True
    project.close()
    old = json.loads((GOLDEN / "project.json").read_text("utf-8"))
    new = json.loads((golden / "project.json").read_text("utf-8"))
    assert new["tree"][0]["children"][1]["title"] == "The Letter, Again"
    assert new["modified"] != old["modified"]
    for key in set(old) - {"tree", "modified"}:
        assert new[key] == old[key], key


# ---------------------------------------------------------------- malformed files


def golden_json() -> dict:
    return json.loads((GOLDEN / "project.json").read_text("utf-8"))


def with_changes(change) -> bytes:
    data = golden_json()
    change(data)
    return json.dumps(data, indent=2).encode("utf-8")


def _set(key, value):
    def change(data):
        data[key] = value

    return change


def _node_id(value):
    def change(data):
        data["tree"][0]["children"][0]["children"][0]["id"] = value

    return change


def _duplicate(data):
    data["tree"][1]["children"][0]["id"] = "sc-01"


def _duplicate_in_trash(data):
    data["trash"][0]["node"]["id"] = "ch-01"


def _kind(data):
    data["tree"][0]["children"][1]["kind"] = "poem"


def _children(data):
    data["tree"][0]["children"] = {"a": 1}


def _entry_not_object(data):
    data["tree"].append("ch-09")


def _trash_entry_not_object(data):
    data["trash"].append(["sc-cut"])


def _no_version(data):
    del data["format_version"]


def _bad_doc_meta(data):
    data["tree"][0]["children"][0]["word_goal"] = "lots"


RAW_CASES = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "toml": lambda raw: b'title = "The Lighthouse Keeper"\n\n[tree]\nid = "ch-01"\n',
    "array": lambda raw: b"[1, 2, 3]\n",
    "string": lambda raw: b'"project"\n',
    "empty": lambda raw: b"",
    "latin1": lambda raw: raw.replace("«".encode(), b"\xab"),
}
JSON_CASES = {
    "missing format_version": _no_version,
    "format_version 99": _set("format_version", 99),
    "format_version as text": _set("format_version", "1"),
    "format_version true": _set("format_version", True),
    "project id missing": _set("id", None),
    "project id path": _set("id", "../other"),
    "project id number": _set("id", 42),
    "tree id dotdot": _node_id("../../etc/passwd"),
    "tree id absolute": _node_id("/abs"),
    "tree id backslash": _node_id("..\\..\\x"),
    "tree id empty": _node_id(""),
    "tree id number": _node_id(7),
    "tree id too long": _node_id("a" * 65),
    "duplicate ids": _duplicate,
    "duplicate id in trash": _duplicate_in_trash,
    "unknown kind": _kind,
    "tree not a list": _set("tree", {"id": "x"}),
    "trash not a list": _set("trash", "none"),
    "children not a list": _children,
    "tree entry not an object": _entry_not_object,
    "trash entry not an object": _trash_entry_not_object,
    "work meta malformed": _set("word_goal", "lots"),
    "series malformed": _set("series", ["Tides#2"]),
    "doc meta malformed": _bad_doc_meta,
}
MESSAGES = {
    "truncated": "not valid JSON",
    "toml": "not valid JSON",
    "array": "does not hold a JSON object",
    "latin1": "not UTF-8",
    "missing format_version": "no format_version",
    "format_version 99": "newer writer",
    "tree id dotdot": "not a plain document id",
    "tree id absolute": "not a plain document id",
    "duplicate ids": "appears twice",
    "unknown kind": "unknown kind 'poem'",
    "project id path": "project id",
}


def _check_refused(folder: Path, raw: bytes, name: str) -> None:
    file = folder / "project.json"
    file.write_bytes(raw)
    before = snapshot(folder)
    with pytest.raises(ProjectFormatError) as info:
        Project.load(folder)
    message = str(info.value)
    assert str(file) in message, message
    assert info.value.path == file
    if name in MESSAGES:
        assert MESSAGES[name] in message, message
    assert "\n" not in message.strip()
    # Nothing was written: not the file, not a lock, not a temp file.
    assert snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["docs", "project.json"]
    # The library reports it instead of raising, and still does not touch it.
    [entry] = Library(folder.parent).entries()
    assert not entry.ok and str(file) in entry.error
    assert snapshot(folder) == before


@pytest.mark.parametrize("name", sorted(RAW_CASES))
def test_malformed_bytes_are_refused_and_untouched(golden, name):
    raw = RAW_CASES[name]((golden / "project.json").read_bytes())
    _check_refused(golden, raw, name)


@pytest.mark.parametrize("name", sorted(JSON_CASES))
def test_malformed_content_is_refused_and_untouched(golden, name):
    _check_refused(golden, with_changes(JSON_CASES[name]), name)


def test_newer_format_message_says_the_file_is_left_alone(golden):
    (golden / "project.json").write_bytes(with_changes(_set("format_version", 99)))
    with pytest.raises(ProjectFormatError, match=r"format 99\).*reads format 1"):
        Project.load(golden)


@pytest.mark.parametrize("index", ["first", [0], -1, 1.5, True, None])
def test_malformed_trash_index_is_a_format_error(golden, index):
    def change(data):
        data["trash"][0]["index"] = index

    _check_refused(golden, with_changes(change), "trash index")


def test_a_trash_entry_without_an_index_goes_first(golden):
    def change(data):
        del data["trash"][0]["index"]
        data["trash"][0]["parent"] = None

    (golden / "project.json").write_bytes(with_changes(change))
    project = Project.load(golden)
    assert project.tree.trash[0].index == 0
    project.restore_node("sc-cut")
    assert project.tree.roots[0].id == "sc-cut"


def test_a_damaged_counts_cache_is_only_a_recount(golden):
    def change(data):
        data["counts"]["ch-01"] = {"words": "many"}
        data["counts"]["sc-01"] = "junk"

    (golden / "project.json").write_bytes(with_changes(change))
    project = Project.load(golden)
    assert project.words("ch-01") == count_words(TEXTS["ch-01"])
    assert project.words("sc-01") == count_words(TEXTS["sc-01"])
    project.release_lock()


# ---------------------------------------------------------------- documents on disk


def test_a_missing_document_is_named(golden):
    file = golden / "docs" / "ch-02.md"
    file.unlink()
    before = snapshot(golden)
    with pytest.raises(MissingDocumentError) as info:
        Project.load(golden)
    assert info.value.path == file
    assert str(file) in str(info.value)
    assert "The Letter" in str(info.value)
    assert snapshot(golden) == before


def test_a_missing_document_in_the_trash_is_named(golden):
    (golden / "docs" / "sc-cut.md").unlink()
    with pytest.raises(MissingDocumentError, match="sc-cut"):
        Project.load(golden)


def test_a_part_needs_no_file(golden):
    assert not (golden / "docs" / "part-one.md").exists()
    Project.load(golden).release_lock()


def test_a_document_symlinked_outside_is_refused_on_load(golden, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"secret text\n")
    file = golden / "docs" / "ch-01.md"
    file.unlink()
    os.symlink(outside, file)
    with pytest.raises(ProjectFormatError, match="symbolic link") as info:
        Project.load(golden)
    assert info.value.path == file
    assert outside.read_bytes() == b"secret text\n"


def test_a_document_symlinked_after_load_is_refused_on_read_and_write(golden, tmp_path):
    project = Project.load(golden)
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"secret text\n")
    file = golden / "docs" / "sc-01.md"
    file.unlink()
    os.symlink(outside, file)
    with pytest.raises(ProjectFormatError, match="symbolic link"):
        project.read_text("sc-01")
    with pytest.raises(ProjectFormatError, match="symbolic link"):
        project.write_text("sc-01", "overwrite through the link")
    assert outside.read_bytes() == b"secret text\n"
    assert file.is_symlink()
    project.release_lock()


def test_a_symlinked_docs_folder_is_refused(golden, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.move(golden / "docs", outside)
    os.symlink(outside, golden / "docs", target_is_directory=True)
    before = snapshot(outside)
    with pytest.raises(ProjectFormatError, match="symbolic link") as info:
        Project.load(golden)
    assert info.value.path == golden / "docs"
    assert snapshot(outside) == before


def test_a_docs_folder_symlinked_after_load_is_refused(golden, tmp_path):
    project = Project.load(golden)
    outside = tmp_path / "elsewhere"
    shutil.move(golden / "docs", outside)
    os.symlink(outside, golden / "docs", target_is_directory=True)
    before = snapshot(outside)
    try:
        with pytest.raises(ProjectFormatError, match="symbolic link"):
            project.write_text("sc-01", "written through the link")
    finally:
        project.release_lock()
    assert snapshot(outside) == before


def test_bad_ids_are_refused_by_doc_path(golden):
    project = Project.load(golden)
    for bad in ("../../etc/passwd", "/abs", "", "a/b"):
        with pytest.raises(ProjectFormatError):
            project.doc_path(bad)
    project.release_lock()


def test_unreadable_project_json_is_a_project_error(golden):
    (golden / "project.json").unlink()
    (golden / "project.json").mkdir()
    with pytest.raises(ProjectError, match="cannot be read"):
        Project.load(golden)


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        write_golden(GOLDEN)
        print(f"wrote {GOLDEN}")
    else:
        print("usage: python tests/core/test_format.py --regenerate")
