"""Hostile input: whatever bytes sit in ``project.json`` or a document, the loader answers
with a :class:`ProjectError` (or a project) and never another exception, and never writes
the file; whatever names a snapshot holds, restoring never writes outside the project."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from writer.core.errors import ProjectError, WriterError
from writer.core.project import Project
from writer.core.snapshots import _member_path

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

good_id = st.from_regex(r"\A[a-z0-9]{12}\Z")
bad_id = st.one_of(
    st.sampled_from(["../x", "/etc/passwd", "..", ".", "", "a/b", "a\\b", "CON", "x" * 65]),
    st.text(max_size=20),
    st.integers(),
    st.none(),
)


def mostly(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    """Good four times in five, so generated files get past the first checks."""
    return st.integers(0, 4).flatmap(lambda n: bad if n == 0 else good)


ids = mostly(good_id, bad_id)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
nodes = st.recursive(
    st.fixed_dictionaries(
        {"id": ids, "kind": st.sampled_from(["part", "chapter", "scene", "note", "x", 3])},
        optional={"title": json_values, "status": json_values, "synopsis": json_values},
    ),
    lambda inner: st.fixed_dictionaries(
        {
            "id": ids,
            "kind": st.sampled_from(["part", "chapter", "scene", "note"]),
            "children": st.one_of(st.lists(inner, max_size=3), json_values),
        }
    ),
    max_leaves=8,
)
project_documents = st.fixed_dictionaries(
    {
        "format_version": mostly(st.just(1), st.one_of(st.integers(), json_values)),
        "id": ids,
        "tree": mostly(st.lists(nodes, max_size=4), json_values),
    },
    optional={
        "trash": st.one_of(
            st.lists(
                st.fixed_dictionaries({"node": nodes, "parent": json_values, "index": json_values}),
                max_size=2,
            ),
            json_values,
        ),
        "counts": json_values,
        "title": json_values,
        "rating": json_values,
        "fandoms": json_values,
        "series": json_values,
        "links": json_values,
        "word_goal": json_values,
        "created": json_values,
    },
)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as where:
        project = Path(where) / "hostile"
        (project / "docs").mkdir(parents=True)
        yield project


def _load_untouched(folder: Path, raw: bytes) -> None:
    target = folder / "project.json"
    target.write_bytes(raw)
    try:
        project = Project.load(folder)
    except ProjectError as error:
        assert error.path == target or error.path.parent == folder / "docs"
        message = str(error)
        assert str(error.path) in message and "\n" not in message
    else:
        project.info()  # every document it names exists (load checked): no other error
    assert target.read_bytes() == raw
    assert sorted(p.name for p in folder.iterdir()) == ["docs", "project.json"]


@SETTINGS
@given(raw=st.binary(max_size=2000))
@example(raw=b"")
@example(raw=b"\xef\xbb\xbf{}")
@example(raw=b'{"format_version": 1e999, "id": "abc"}')
@example(raw=b'{"format_version": true, "id": "abc"}')
@example(raw=b'{"format_version": 1, "id": "abc", "tree": [{"id": "abc", "kind": "chapter"}]}')
def test_any_bytes_as_project_json(folder, raw):
    _load_untouched(folder, raw)


@SETTINGS
@given(data=project_documents)
def test_any_json_shaped_like_a_project(folder, data):
    _load_untouched(folder, json.dumps(data).encode())


@SETTINGS
@given(data=project_documents, cut=st.integers(min_value=0, max_value=400))
def test_any_truncated_project_json(folder, data, cut):
    raw = json.dumps(data, indent=2).encode()
    _load_untouched(folder, raw[:cut])


@pytest.mark.parametrize("depth", [600, 100_000])
def test_deeply_nested_json_is_a_format_error(folder, depth):
    tree = '{"id": "n%d", "kind": "part", "children": ['
    raw = (
        '{"format_version": 1, "id": "abc", "tree": ['
        + "".join(tree % i for i in range(depth))
        + "]}" * depth
        + "]}"
    )
    _load_untouched(folder, raw.encode())


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=3000))
def test_any_bytes_as_a_document(tmp_path_factory, raw):
    where = tmp_path_factory.mktemp("doc") / "p"
    project = Project.create(where, "Hostile")
    project.release_lock()
    doc = where / "docs" / f"{project.tree.roots[0].id}.md"
    doc.write_bytes(raw)
    try:
        text = project.read_text(project.tree.roots[0].id)
    except ProjectError as error:
        assert error.path == doc and "is not UTF-8" in str(error)
    else:
        assert "\r" not in text
        assert isinstance(Project.load(where).info()["words"], int)
    assert doc.read_bytes() == raw


names = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(["project", "docs", "..", ".", "", "a.md", "/", "\\", "C:", "~"]),
        max_size=6,
    ).map("/".join),
)


@settings(max_examples=500, deadline=None)
@given(name=names, is_link=st.booleans())
def test_no_snapshot_entry_is_restored_outside_the_project(name, is_link):
    info = zipfile.ZipInfo(name) if name else zipfile.ZipInfo("x")
    if is_link:
        info.external_attr = 0o120777 << 16
    try:
        relative = _member_path("snapshot.zip", info)
    except WriterError as error:
        assert "outside the project" in str(error)
        return
    if relative is None:
        return
    assert not is_link
    parts = PurePosixPath(relative).parts
    assert parts and all(part not in ("..", ".", "") for part in parts)
    assert not PurePosixPath(relative).is_absolute() and "\\" not in relative
    base = Path("/library/project")
    assert (base / relative).resolve().is_relative_to(base)
