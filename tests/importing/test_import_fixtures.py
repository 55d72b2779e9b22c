"""Every labelled fixture in ``fixtures/`` gives the metadata, chapters and prose its
``<name>.expected.json`` says, and loses no character on the way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from writer.core.importing import parse_path
from writer.render.plaintext import markdown_to_plain

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCE_SUFFIXES = (".txt", ".md", ".html", ".docxsrc", ".html")
EXPECTED = sorted(FIXTURES.glob("*.expected.json"))


def _source_name(expected: Path) -> str:
    stem = expected.name[: -len(".expected.json")]
    if (FIXTURES / stem).is_dir():
        return stem
    if stem.endswith(".epubsrc"):
        return stem + ".html"
    for suffix in (".txt", ".md", ".html", ".docxsrc"):
        if (FIXTURES / (stem + suffix)).exists():
            return stem + suffix
    raise AssertionError(f"no source for {expected.name}")


def _plain(markdown_text: str) -> str:
    text = markdown_to_plain(markdown_text)
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return re.sub(r"\s+", " ", text).strip()


def test_there_are_at_least_thirty_labelled_fixtures():
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda p: p.name[: -len(".expected.json")])
def test_fixture(expected_file: Path, tmp_path: Path, helpers) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    source = helpers.materialise(_source_name(expected_file), tmp_path)
    works = parse_path(source)
    assert len(works) == 1
    work = works[0]
    metadata = work.metadata()
    for key, value in expected.get("metadata", {}).items():
        assert metadata.get(key) == value, key
    for key in expected.get("absent", []):
        assert key not in metadata, key
    assert [c.title for c in work.chapters] == expected["chapters"]
    if "scenes" in expected:
        assert [len(c.scenes) for c in work.chapters] == expected["scenes"]
    if "scene_titles" in expected:
        assert [c.scene_titles for c in work.chapters] == expected["scene_titles"]
    for chapter, notes in zip(work.chapters, expected.get("chapter_notes", []), strict=False):
        for key, value in notes.items():
            assert getattr(chapter, key) == value, (chapter.title, key)
    everything = "\n\n".join(c.text for c in work.chapters)
    for snippet in expected.get("markdown_contains", []):
        assert snippet in everything
    for message in expected.get("warnings", []):
        assert any(message in w for w in work.warnings), work.warnings
    if "first" in expected:
        assert _plain(work.chapters[0].text).startswith(expected["first"])
    if "last" in expected:
        assert _plain(work.chapters[-1].text).endswith(expected["last"])
    if "exact_first" in expected:
        assert work.chapters[0].scenes[0].startswith(expected["exact_first"])
    if "paragraphs" in expected:
        assert len(work.chapters[0].scenes[0].split("\n\n")) == expected["paragraphs"]


TEXT_FIXTURES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md") and p.is_file())


@pytest.mark.parametrize("source", TEXT_FIXTURES, ids=lambda p: p.name)
def test_text_fixtures_lose_no_character(source: Path, helpers) -> None:
    from writer.core.importing.encoding import decode_text

    text, _encoding = decode_text(source.read_bytes(), source.name)
    work = parse_path(source)[0]
    markdown = source.suffix == ".md"
    assert helpers.missing(text, work, escaped=not markdown, markdown=markdown) == ""
