"""Archive limits are reported as warnings; nothing is ever cut."""

from __future__ import annotations

import copy

import pytest

from writer.core import vocabulary as vocab
from writer.core.limits import LimitWarning, check_document, check_work
from writer.core.metadata import DocMeta, WorkMeta


def complete_work(**changes) -> WorkMeta:
    meta = WorkMeta(
        title="The Lighthouse Keeper",
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Original Work"],
        language="en",
    )
    for name, value in changes.items():
        setattr(meta, name, value)
    return meta


def fields_of(warnings: list[LimitWarning]) -> list[str]:
    return [w.field for w in warnings]


def test_limits_are_the_archive_limits():
    assert vocab.TITLE_LIMIT == 255
    assert vocab.SUMMARY_LIMIT == 1250
    assert vocab.NOTES_LIMIT == 5000
    assert vocab.TAG_LIMIT == 150
    assert vocab.TAG_COUNT_LIMIT == 75
    assert vocab.CHAPTER_TEXT_LIMIT == 500_000


def test_a_complete_work_has_no_warnings():
    assert check_work(complete_work()) == []


def test_every_required_field_missing_is_reported():
    found = check_work(WorkMeta(language=""))
    assert fields_of(found) == ["title", "rating", "warnings", "fandoms", "language"]
    for warning in found:
        assert warning.message == f"{warning.field} is required by the archive"


@pytest.mark.parametrize("name", ["title", "rating", "warnings", "fandoms", "language"])
def test_each_required_field_on_its_own(name):
    meta = complete_work(**{name: [] if name in ("warnings", "fandoms") else ""})
    found = check_work(meta)
    assert fields_of(found) == [name]
    assert "required" in found[0].message


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("title", 255),
        ("summary", 1250),
        ("notes_begin", 5000),
        ("notes_end", 5000),
    ],
)
def test_text_limits_warn_one_past_the_limit_and_cut_nothing(name, limit):
    at_limit = complete_work(**{name: "x" * limit})
    assert check_work(at_limit) == []

    text = "y" * (limit + 1)
    meta = complete_work(**{name: text})
    before = copy.deepcopy(meta)
    found = check_work(meta)
    assert fields_of(found) == [name]
    assert f"{limit + 1:,} characters" in found[0].message
    assert f"the limit is {limit:,}" in found[0].message
    assert getattr(meta, name) == text  # nothing cut
    assert meta == before


def test_summary_1251_characters():
    summary = "word " * 250 + "z"
    assert len(summary) == 1251
    meta = complete_work(summary=summary)
    found = check_work(meta)
    assert found == [LimitWarning("summary", "summary has 1,251 characters; the limit is 1,250")]
    assert meta.summary == summary


def test_notes_5001_characters():
    meta = complete_work(notes_begin="n" * 5001, notes_end="e" * 5001)
    found = check_work(meta)
    assert fields_of(found) == ["notes_begin", "notes_end"]
    assert all("5,001" in w.message for w in found)
    assert len(meta.notes_begin) == 5001 and len(meta.notes_end) == 5001


@pytest.mark.parametrize("name", ["fandoms", "relationships", "characters", "tags"])
def test_a_tag_longer_than_150_is_reported_in_its_field(name):
    long_tag = "Long" + "g" * 147
    assert len(long_tag) == 151
    values = [*getattr(complete_work(), name), "fine", long_tag, "x" * 150]
    meta = complete_work(**{name: values})
    found = check_work(meta)
    assert fields_of(found) == [name]
    assert "longer than 150" in found[0].message
    assert long_tag[:30] in found[0].message
    assert getattr(meta, name) == values  # kept whole


def test_76_tags_in_total_across_tag_fields():
    meta = complete_work(
        fandoms=[f"F{i}" for i in range(10)],
        relationships=[f"R{i}" for i in range(20)],
        characters=[f"C{i}" for i in range(20)],
        tags=[f"T{i}" for i in range(26)],
    )
    found = check_work(meta)
    assert found == [LimitWarning("tags", "76 tags in all; the limit is 75")]
    assert len(meta.tags) == 26 and len(meta.fandoms) == 10


def test_75_tags_in_total_is_allowed():
    meta = complete_work(fandoms=["F"], tags=[f"T{i}" for i in range(74)])
    assert check_work(meta) == []


def test_warnings_categories_and_co_authors_do_not_count_as_tags():
    meta = complete_work(
        fandoms=["F"],
        tags=[f"T{i}" for i in range(74)],
        warnings=list(vocab.WARNINGS),
        categories=list(vocab.CATEGORIES),
        co_authors=[f"A{i}" for i in range(10)],
    )
    assert check_work(meta) == []


def test_check_document_text_limit():
    meta = DocMeta(title="Chapter")
    assert check_document(meta, 500_000) == []
    found = check_document(meta, 500_001)
    assert fields_of(found) == ["text"]
    assert "500,001" in found[0].message and "500,000" in found[0].message
    assert check_document(meta) == []


def test_check_document_field_limits():
    meta = DocMeta(
        title="t" * 256, summary="s" * 1251, notes_begin="b" * 5001, notes_end="e" * 5001
    )
    before = copy.deepcopy(meta)
    found = check_document(meta, 10)
    assert fields_of(found) == ["title", "summary", "notes_begin", "notes_end"]
    assert meta == before
