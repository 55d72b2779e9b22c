"""A library of projects: listing, finding by path, slug or title, creating; app folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from writer.core import paths
from writer.core.errors import LibraryError
from writer.core.library import Library, slugify
from writer.core.metadata import WorkMeta
from writer.core.project import Project


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "library")
    for title in ("The Lighthouse Keeper", "Ashes", "zebra crossing"):
        lib.create(title).close()
    root = lib.path
    (root / ".hidden").mkdir()
    Project.create(root / ".hidden-project", "Hidden").close()
    (root / "not-a-project").mkdir()
    (root / "not-a-project" / "notes.md").write_text("hello")
    (root / "stray.txt").write_text("a file, not a folder")
    (root / "project.json").write_text("{}")  # a file named like a project file
    return lib


def test_project_dirs_skips_hidden_non_projects_and_files(library):
    names = [p.name for p in library.project_dirs()]
    assert names == ["ashes", "the-lighthouse-keeper", "zebra-crossing"]


def test_project_dirs_sorts_case_insensitively(tmp_path):
    lib = Library(tmp_path / "lib")
    for name in ("beta", "Alpha", "gamma"):
        Project.create(lib.path / name, name).close()
    assert [p.name for p in lib.project_dirs()] == ["Alpha", "beta", "gamma"]


def test_a_missing_library_folder_is_empty(tmp_path):
    lib = Library(tmp_path / "nowhere")
    assert lib.project_dirs() == []
    assert list(lib.entries()) == []
    assert lib.projects() == []


def test_find_by_path(library, tmp_path):
    target = library.path / "ashes"
    assert library.find(str(target)) == target
    # Even a project outside the library is found by its path.
    outside = tmp_path / "elsewhere"
    Project.create(outside, "Elsewhere").close()
    assert library.find(str(outside)) == outside


def test_find_by_slug(library):
    assert library.find("the-lighthouse-keeper") == library.path / "the-lighthouse-keeper"


@pytest.mark.parametrize(
    "ref",
    [
        "The Lighthouse Keeper",
        "the lighthouse keeper",
        "THE LIGHTHOUSE KEEPER",
        "  The Lighthouse Keeper ",
    ],
)
def test_find_by_title_ignores_case(library, ref):
    assert library.find(ref) == library.path / "the-lighthouse-keeper"


def test_find_by_title_after_the_folder_was_renamed(library):
    (library.path / "ashes").rename(library.path / "old-draft")
    assert library.find("Ashes") == library.path / "old-draft"
    assert library.open("ashes").title == "Ashes"


def test_find_an_ambiguous_title_names_both(library):
    library.create("Ashes").close()
    assert (library.path / "ashes-2").is_dir()
    with pytest.raises(LibraryError) as info:
        library.find("ASHES")
    message = str(info.value)
    assert "ashes," in message and "ashes-2" in message
    assert "'ASHES'" in message
    # The folder name still picks one.
    assert library.find("ashes-2") == library.path / "ashes-2"


@pytest.mark.parametrize("ref", ["Nothing Like It", "", "..", ".", "not-a-project", "stray.txt"])
def test_find_an_unknown_project(library, ref):
    with pytest.raises(LibraryError) as info:
        library.find(ref)
    assert str(library.path) in str(info.value)


def test_open_loads_the_project(library):
    project = library.open("zebra crossing")
    assert project.title == "zebra crossing"
    assert project.path == library.path / "zebra-crossing"


def test_create_makes_unique_folders_for_equal_titles(tmp_path):
    lib = Library(tmp_path / "lib")
    made = [lib.create("Same Title") for _ in range(3)]
    for project in made:
        project.close()
    assert [p.path.name for p in made] == ["same-title", "same-title-2", "same-title-3"]
    assert all(p.meta.title == "Same Title" for p in made)
    assert len({p.id for p in made}) == 3


def test_create_strips_the_title_and_keeps_meta(tmp_path):
    lib = Library(tmp_path / "lib")
    project = lib.create("  Spaced Out  ", WorkMeta(author="quill"))
    project.close()
    loaded = Project.load(lib.path / "spaced-out")
    assert loaded.meta.title == "Spaced Out"
    assert loaded.meta.author == "quill"


@pytest.mark.parametrize("title", ["", "   "])
def test_create_needs_a_title(tmp_path, title):
    lib = Library(tmp_path / "lib")
    with pytest.raises(LibraryError, match="needs a title"):
        lib.create(title)
    assert not lib.path.exists() or list(lib.path.iterdir()) == []


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("The Lighthouse Keeper", "the-lighthouse-keeper"),
        ("Don't Look Back!", "dont-look-back"),
        ("Don’t Look Back", "dont-look-back"),
        ("Café au Lait", "café-au-lait"),
        ("Ünïcödé  —  Títle", "ünïcödé-títle"),
        ("日本語のタイトル", "日本語のタイトル"),
        ("Привет, мир", "привет-мир"),
        ("ﬁre and ice", "fire-and-ice"),  # NFKC folds the ligature
        ("Part 2: The Return (Redux)", "part-2-the-return-redux"),
        ("a/b\\c:d*e?f", "a-b-c-d-e-f"),
        ("...", "untitled"),
        ("", "untitled"),
        ("___", "untitled"),
        ("Straße", "strasse"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_is_at_most_60_characters_and_does_not_end_in_a_hyphen():
    slug = slugify("word " * 40)
    assert len(slug) <= 60
    assert not slug.endswith("-")
    assert slug.startswith("word-word")


def test_entries_report_a_broken_project_instead_of_raising(library):
    broken = library.path / "ashes" / "project.json"
    broken.write_text("{ this is not json", encoding="utf-8")
    entries = list(library.entries())
    assert [e.path.name for e in entries] == ["ashes", "the-lighthouse-keeper", "zebra-crossing"]
    bad = entries[0]
    assert not bad.ok and bad.project is None
    assert str(broken) in bad.error and "not valid JSON" in bad.error
    assert all(e.ok and e.error == "" for e in entries[1:])
    assert [p.title for p in library.projects()] == ["The Lighthouse Keeper", "zebra crossing"]
    assert broken.read_text(encoding="utf-8") == "{ this is not json"
    # A broken project does not stop finding the others by title.
    assert library.find("zebra crossing") == library.path / "zebra-crossing"


def test_entries_report_a_missing_document(library):
    project = library.open("ashes")
    doc = next(project.tree.walk()).id
    (library.path / "ashes" / "docs" / f"{doc}.md").unlink()
    [entry] = [e for e in library.entries() if e.path.name == "ashes"]
    assert not entry.ok
    assert f"{doc}.md" in entry.error


# ---------------------------------------------------------------- paths


def test_writer_home_moves_every_app_folder(tmp_path, monkeypatch):
    home = tmp_path / "elsewhere"
    monkeypatch.setenv("WRITER_HOME", str(home))
    assert paths.config_dir() == home / "config"
    assert paths.data_dir() == home / "data"
    assert paths.cache_dir() == home / "cache"
    assert paths.state_dir() == home / "state"
    assert paths.log_dir() == home / "log"
    assert paths.default_library_dir() == home / "library"


def test_the_autouse_fixture_keeps_tests_out_of_the_real_home(writer_home):
    for folder in (paths.config_dir(), paths.data_dir(), paths.cache_dir(), paths.log_dir()):
        assert folder.is_relative_to(writer_home)
    assert paths.default_library_dir().is_relative_to(writer_home)


def test_writer_home_expands_the_user(monkeypatch):
    monkeypatch.setenv("WRITER_HOME", "~/writer-test-home")
    assert paths.config_dir() == Path.home() / "writer-test-home" / "config"


def test_writer_library_overrides_the_default_library(tmp_path, monkeypatch):
    monkeypatch.setenv("WRITER_LIBRARY", str(tmp_path / "my-books"))
    assert paths.default_library_dir() == tmp_path / "my-books"
    monkeypatch.setenv("WRITER_LIBRARY", "~/books")
    assert paths.default_library_dir() == Path.home() / "books"
    # An empty value is ignored.
    monkeypatch.setenv("WRITER_LIBRARY", "")
    assert paths.default_library_dir().name == "library"


def test_without_writer_home_the_platform_folders_are_used(monkeypatch):
    monkeypatch.delenv("WRITER_HOME")
    monkeypatch.delenv("WRITER_LIBRARY", raising=False)
    folders = {
        paths.config_dir(),
        paths.data_dir(),
        paths.cache_dir(),
        paths.state_dir(),
        paths.log_dir(),
    }
    assert all("writer" in str(folder).lower() for folder in folders)
    assert paths.default_library_dir().name == "Writer"


def test_a_title_with_a_slash_is_found_by_title(tmp_path):
    lib = Library(tmp_path / "lib")
    lib.create("Ada/Grace: A Story").close()
    assert (lib.path / "ada-grace-a-story").is_dir()
    assert lib.find("ada/grace: a story") == lib.path / "ada-grace-a-story"


def test_a_library_path_that_is_a_file_is_a_writer_error(tmp_path):
    from writer.core.errors import WriterError

    file = tmp_path / "library"
    file.write_text("not a folder")
    with pytest.raises(WriterError, match="library"):
        Library(file).create("Title")
