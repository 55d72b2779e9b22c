"""Property tests: any text survives a save, counts never fail, any metadata round-trips."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writer.core import projectfile
from writer.core.metadata import SeriesEntry, WorkMeta, parse_series, to_dict, work_from_dict
from writer.core.project import Project
from writer.core.wordcount import count_words, strip_markup

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Text with the characters that make trouble: line endings, BOMs, markup, non-Latin.
tricky_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\r", "\n", "\ufeff", "*", "#", "[", "]", "(", ")", "<", ">"]),
        st.sampled_from(["-", "—", "–", "'", "’", "_", "`", "~", "!", "^", ":", "&", ";"]),
    )
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Iterator[Project]:
    folder = tmp_path_factory.mktemp("props") / "p"
    project = Project.create(folder, "Properties")
    yield project
    project.release_lock()


def normalised(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@SETTINGS
@given(text=st.one_of(st.text(), tricky_text))
def test_any_text_reads_back_normalised(project, text):
    doc = project.tree.roots[0].id
    project.write_text(doc, text, save=False)
    assert project.read_text(doc) == normalised(text)
    assert project.words(doc) == count_words(text)


@SETTINGS
@given(text=st.one_of(st.text(), tricky_text))
def test_count_words_never_fails(text):
    words = count_words(text)
    assert isinstance(words, int) and words >= 0
    assert words <= len(text)
    assert isinstance(strip_markup(text), str)


@SETTINGS
@given(words=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1), max_size=30))
def test_plain_words_joined_by_spaces_count_one_each(words):
    assert count_words(" ".join(words)) == len(words)


@SETTINGS
@given(
    title=st.text(),
    summary=st.text(),
    notes=st.text(),
    tags=st.lists(st.text(min_size=1), max_size=5),
    goal=st.one_of(st.none(), st.integers(min_value=0, max_value=10**12)),
    doc_title=st.text(),
    synopsis=st.text(),
)
def test_any_metadata_round_trips(project, title, summary, notes, tags, goal, doc_title, synopsis):
    meta = project.meta
    meta.title = title
    meta.summary = summary
    meta.notes_end = notes
    meta.tags = tags
    meta.characters = list(reversed(tags))
    meta.word_goal = goal
    node = project.tree.roots[0]
    node.meta.title = doc_title
    node.meta.synopsis = synopsis
    project.save()

    loaded = Project.load(project.path)
    assert loaded.meta == project.meta
    assert loaded.tree.roots[0].meta == node.meta
    raw = (project.path / "project.json").read_bytes()
    assert projectfile.dumps(projectfile.loads(project.path / "project.json", raw)) == raw
    assert loaded.save() is False


@SETTINGS
@given(
    meta_text=st.dictionaries(
        st.sampled_from(["author", "disclaimer", "spoiler_note", "rating", "language"]), st.text()
    ),
    fandoms=st.lists(st.text(min_size=1), max_size=4),
    part=st.one_of(st.none(), st.integers(min_value=0, max_value=999)),
)
def test_work_meta_dict_round_trip(meta_text, fandoms, part):
    meta = WorkMeta(**meta_text, fandoms=fandoms, series=[SeriesEntry("S", part)])
    assert work_from_dict(to_dict(meta)) == meta


@SETTINGS
@given(
    name=st.text(),
    part=st.integers(min_value=0, max_value=10**6),
)
def test_parse_series_reads_any_name_with_a_part(name, part):
    entry = parse_series(f"{name}#{part}")
    assert entry.part == part
    assert entry.name == name.strip()
