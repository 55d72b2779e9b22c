"""Work and document metadata: round trips through project.json, aliases, and errors."""

from __future__ import annotations

import dataclasses

import pytest

from writer.core.errors import MetadataError
from writer.core.metadata import (
    DOC_FIELDS,
    WORK_FIELDS,
    DocMeta,
    Link,
    SeriesEntry,
    WorkMeta,
    canonical_field,
    doc_from_dict,
    parse_link,
    parse_series,
    set_doc_field,
    set_work_field,
    to_dict,
    work_from_dict,
)
from writer.core.project import Project

FULL_WORK = {
    "title": "The Lighthouse Keeper",
    "author": "quill_and_ink",
    "co_authors": ["second_pen", "third_pen"],
    "language": "pt-BR",
    "fandoms": ["Original Work", "Sea Stories"],
    "rating": "Teen And Up Audiences",
    "warnings": ["Graphic Depictions Of Violence", "Major Character Death"],
    "categories": ["F/F", "Gen"],
    "relationships": ["Ada/Grace", "Ada & Lin"],
    "characters": ["Ada", "Grace", "Lin"],
    "tags": ["Angst", "Hurt/Comfort", "Slow Burn"],
    "summary": "A keeper, a storm,\nand a letter that arrives *forty* years late.",
    "notes_begin": "Thanks to my beta.",
    "notes_end": "Comments welcome — «merci».",
    "disclaimer": "I own nothing.",
    "spoilers": ["Grace dies", "the letter is forged"],
    "spoiler_note": "Tags hide a twist.",
    "status": "revising",
    "posting": "complete",
    "chapters_expected": 12,
    "series": [SeriesEntry("Tides", 2), SeriesEntry("Anthology", None)],
    "links": [
        Link("AO3", "https://archiveofourown.org/works/1", "2024-01-02", "2024-02-03"),
        Link("ffn", "https://www.fanfiction.net/s/2", "2023-05-06", ""),
    ],
    "word_goal": 90_000,
}

FULL_DOC = {
    "title": "Chapter One: Storm",
    "summary": "The storm arrives.",
    "synopsis": "Ada finds the letter; Grace lies.",
    "status": "complete",
    "notes_begin": "Opening notes.",
    "notes_end": "Closing notes.",
    "word_goal": 4_500,
    "links": [Link("AO3", "https://archiveofourown.org/works/1/chapters/9", "2024-01-02", "")],
}


def test_full_fixtures_cover_every_field():
    # The round-trip tests below are only complete if these cover every field but the
    # app-kept timestamps; a new field added to WorkMeta/DocMeta must be added here.
    assert set(FULL_WORK) == set(WORK_FIELDS) - {"created", "modified"}
    assert set(FULL_DOC) == set(DOC_FIELDS)
    defaults_work = to_dict(WorkMeta())
    defaults_doc = to_dict(DocMeta())
    for name, value in FULL_WORK.items():
        assert to_dict(WorkMeta(**{name: value}))[name] != defaults_work[name], name
    for name, value in FULL_DOC.items():
        assert to_dict(DocMeta(**{name: value}))[name] != defaults_doc[name], name


def test_every_work_field_round_trips_through_save_and_load(tmp_path):
    project = Project.create(tmp_path / "p", "placeholder")
    created = project.meta.created
    for name, value in FULL_WORK.items():
        setattr(project.meta, name, value)
    assert project.save() is True
    project.close()

    loaded = Project.load(tmp_path / "p")
    for name, value in FULL_WORK.items():
        assert getattr(loaded.meta, name) == value, name
    assert loaded.meta.created == created
    assert loaded.meta.modified == project.meta.modified
    assert loaded.meta == project.meta
    # Series and links come back as their dataclasses, not as plain mappings.
    assert isinstance(loaded.meta.series[0], SeriesEntry)
    assert isinstance(loaded.meta.links[0], Link)
    assert loaded.meta.series[1].part is None


def test_every_doc_field_round_trips_through_save_and_load(tmp_path):
    project = Project.create(tmp_path / "p", "Story", first_chapter=False)
    chapter = project.add_node("chapter", "x")
    note = project.add_node("note", "Research")
    for name, value in FULL_DOC.items():
        setattr(chapter.meta, name, value)
    project.save()
    project.close()

    loaded = Project.load(tmp_path / "p")
    again = loaded.tree.find(chapter.id)
    for name, value in FULL_DOC.items():
        assert getattr(again.meta, name) == value, name
    assert again.meta == chapter.meta
    # A node with only defaults comes back with only defaults.
    assert loaded.tree.find(note.id).meta == DocMeta(title="Research")


def test_doc_defaults_are_not_written_but_set_values_are(tmp_path):
    import json

    project = Project.create(tmp_path / "p", "Story", first_chapter=False)
    plain = project.add_node("scene", "Plain")
    rich = project.add_node("scene", "Rich")
    set_doc_field(rich.meta, "goal", ["1,200"])
    project.save()
    data = json.loads((tmp_path / "p" / "project.json").read_text("utf-8"))
    by_id = {node["id"]: node for node in data["tree"]}
    assert set(by_id[plain.id]) == {"id", "kind", "title", "children"}
    assert by_id[rich.id]["word_goal"] == 1200
    project.close()


def test_dict_conversion_round_trips_and_ignores_unknown_keys():
    meta = WorkMeta(**FULL_WORK, created="2024-01-01T00:00:00Z", modified="2024-01-02T00:00:00Z")
    data = to_dict(meta)
    assert data["series"][0] == {"name": "Tides", "part": 2}
    assert data["links"][1]["site"] == "ffn"
    assert work_from_dict({**data, "from_the_future": 1}) == meta
    doc = DocMeta(**FULL_DOC)
    assert doc_from_dict({**to_dict(doc), "kind": "chapter"}) == doc


def test_from_dict_is_lenient_about_shapes():
    meta = work_from_dict(
        {"fandoms": "Solo Fandom", "tags": None, "word_goal": "", "chapters_expected": "7"}
    )
    assert meta.fandoms == ["Solo Fandom"]
    assert meta.tags == []
    assert meta.word_goal is None
    assert meta.chapters_expected == 7


# ---------------------------------------------------------------- set_work_field modes


def test_replace_add_remove_clear_on_a_list_field():
    meta = WorkMeta()
    assert set_work_field(meta, "tags", ["Angst", " Fluff "]) == "tags"
    assert meta.tags == ["Angst", "Fluff"]
    set_work_field(meta, "tags", ["Hurt/Comfort", "angst"], "add")  # case-folded duplicate
    assert meta.tags == ["Angst", "Fluff", "Hurt/Comfort"]
    set_work_field(meta, "tags", ["FLUFF"], "remove")
    assert meta.tags == ["Angst", "Hurt/Comfort"]
    set_work_field(meta, "tags", ["Slow Burn"], "replace")
    assert meta.tags == ["Slow Burn"]
    set_work_field(meta, "tags", [], "clear")
    assert meta.tags == []


def test_empty_items_are_dropped():
    meta = WorkMeta()
    set_work_field(meta, "characters", ["Ada", "", "   ", "Grace"])
    assert meta.characters == ["Ada", "Grace"]


def test_replace_and_clear_on_a_single_value_field():
    meta = WorkMeta()
    set_work_field(meta, "title", ["The", "Long", "Night"])
    assert meta.title == "The Long Night"
    set_work_field(meta, "summary", ["  padded  "])
    assert meta.summary == "padded"
    set_work_field(meta, "title", [], "clear")
    assert meta.title == ""
    set_work_field(meta, "rating", ["teen"])
    set_work_field(meta, "rating", [], "clear")
    assert meta.rating == ""


@pytest.mark.parametrize("mode", ["add", "remove"])
@pytest.mark.parametrize("name", ["title", "rating", "word_goal", "summary", "language"])
def test_add_or_remove_on_a_single_value_field_is_refused(name, mode):
    meta = WorkMeta(title="Kept")
    before = dataclasses.replace(meta)
    with pytest.raises(MetadataError, match=rf"{name} holds a single value"):
        set_work_field(meta, name, ["x"], mode)
    assert meta == before


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("fandom", "fandoms"),
        ("Fandom", "fandoms"),
        ("pairing", "relationships"),
        ("pairings", "relationships"),
        ("relationship", "relationships"),
        ("goal", "word_goal"),
        ("word-goal", "word_goal"),
        ("Word Goal", "word_goal"),
        ("warning", "warnings"),
        ("archive_warnings", "warnings"),
        ("category", "categories"),
        ("character", "characters"),
        ("tag", "tags"),
        ("additional_tags", "tags"),
        ("co-author", "co_authors"),
        ("coauthors", "co_authors"),
        ("spoiler", "spoilers"),
        ("notes", "notes_begin"),
        ("author_note", "notes_begin"),
        ("end_notes", "notes_end"),
        ("link", "links"),
        ("lang", "language"),
        ("  TITLE ", "title"),
        ("chapters-expected", "chapters_expected"),
    ],
)
def test_field_name_aliases(typed, stored):
    assert canonical_field(typed) == stored


def test_field_aliases_work_through_set_work_field():
    meta = WorkMeta()
    assert set_work_field(meta, "fandom", ["Original Work"]) == "fandoms"
    assert set_work_field(meta, "pairing", ["Ada/Grace"], "add") == "relationships"
    assert set_work_field(meta, "goal", ["50,000"]) == "word_goal"
    assert meta.fandoms == ["Original Work"]
    assert meta.relationships == ["Ada/Grace"]
    assert meta.word_goal == 50_000


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("teen", "Teen And Up Audiences"),
        ("T", "Teen And Up Audiences"),
        ("Teen and Up", "Teen And Up Audiences"),
        ("pg-13", "Teen And Up Audiences"),
        ("K", "General Audiences"),
        ("K+", "General Audiences"),
        ("g", "General Audiences"),
        ("M", "Mature"),
        ("Mature", "Mature"),
        ("MA", "Explicit"),
        ("explicit", "Explicit"),
        ("E", "Explicit"),
        ("nr", "Not Rated"),
        ("not rated", "Not Rated"),
        ("  general audiences  ", "General Audiences"),
    ],
)
def test_rating_aliases(typed, stored):
    meta = WorkMeta()
    set_work_field(meta, "rating", [typed])
    assert meta.rating == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("mcd", "Major Character Death"),
        ("none", "No Archive Warnings Apply"),
        ("violence", "Graphic Depictions Of Violence"),
        ("cntw", "Creator Chose Not To Use Archive Warnings"),
        ("non-con", "Rape/Non-Con"),
        ("underage", "Underage Sex"),
        ("Major Character Death", "Major Character Death"),
    ],
)
def test_warning_aliases(typed, stored):
    meta = WorkMeta()
    set_work_field(meta, "warnings", [typed])
    assert meta.warnings == [stored]


def test_warning_aliases_in_add_and_remove():
    meta = WorkMeta()
    set_work_field(meta, "warning", ["mcd", "violence"], "add")
    set_work_field(meta, "warning", ["Major Character Death"], "add")  # already there
    assert meta.warnings == ["Major Character Death", "Graphic Depictions Of Violence"]
    set_work_field(meta, "warnings", ["mcd"], "remove")
    assert meta.warnings == ["Graphic Depictions Of Violence"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("slash", "M/M"),
        ("het", "F/M"),
        ("femslash", "F/F"),
        ("f/f", "F/F"),
        ("gen", "Gen"),
        ("multi", "Multi"),
        ("other", "Other"),
    ],
)
def test_category_aliases(typed, stored):
    meta = WorkMeta()
    set_work_field(meta, "category", [typed])
    assert meta.categories == [stored]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("done", "complete"),
        ("editing", "revising"),
        ("drafting", "draft"),
        ("planned", "idea"),
        ("Complete", "complete"),
    ],
)
def test_status_aliases(typed, stored):
    meta = WorkMeta()
    set_work_field(meta, "status", [typed])
    assert meta.status == stored
    doc = DocMeta()
    set_doc_field(doc, "status", [typed])
    assert doc.status == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (["in", "progress"], "wip"),
        (["in progress"], "wip"),
        (["ongoing"], "wip"),
        (["WIP"], "wip"),
        (["finished"], "complete"),
        (["done"], "complete"),
    ],
)
def test_posting_aliases(typed, stored):
    meta = WorkMeta(posting="complete" if stored == "wip" else "wip")
    set_work_field(meta, "posting", typed)
    assert meta.posting == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("English", "en"),
        ("english", "en"),
        ("Français", "fr"),
        ("Deutsch", "de"),
        ("日本語", "ja"),
        ("pt-br", "pt-BR"),
        ("PT-BR", "pt-BR"),
        ("en-us", "en-US"),
        ("zh-hant", "zh-Hant"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("EN", "en"),
    ],
)
def test_language_names_and_bcp47_casing(typed, stored):
    meta = WorkMeta()
    set_work_field(meta, "language", [typed])
    assert meta.language == stored


# ---------------------------------------------------------------- errors


def test_unknown_field_is_refused_with_the_choices():
    meta = WorkMeta()
    with pytest.raises(MetadataError) as info:
        set_work_field(meta, "colour", ["blue"])
    message = str(info.value)
    assert "'colour'" in message
    assert "fandoms" in message and "word_goal" in message
    assert meta == WorkMeta()


def test_doc_field_names_are_checked_against_doc_fields():
    with pytest.raises(MetadataError, match="unknown field 'rating'"):
        set_doc_field(DocMeta(), "rating", ["teen"])


def test_unknown_rating_names_the_value_and_the_choices():
    meta = WorkMeta(rating="Mature")
    with pytest.raises(MetadataError) as info:
        set_work_field(meta, "rating", ["PG-99"])
    message = str(info.value)
    assert "'PG-99'" in message
    assert "rating" in message
    assert "Teen And Up Audiences" in message
    assert meta.rating == "Mature"


@pytest.mark.parametrize(
    ("field", "value", "pattern"),
    [
        ("warnings", "spiders", "unknown archive warning 'spiders'"),
        ("categories", "romance", "unknown category 'romance'"),
        ("status", "abandoned", "unknown status 'abandoned'"),
        ("posting", "someday", "unknown posting state 'someday'"),
        ("language", "Klingon tongue", "not a BCP-47 code"),
        ("language", "e", "not a BCP-47 code"),
    ],
)
def test_unknown_choice_values(field, value, pattern):
    meta = WorkMeta()
    before = dataclasses.replace(meta)
    with pytest.raises(MetadataError, match=pattern):
        set_work_field(meta, field, [value])
    assert meta == before


def test_negative_goal_is_refused():
    meta = WorkMeta(word_goal=10)
    with pytest.raises(MetadataError, match="word_goal cannot be negative"):
        set_work_field(meta, "goal", ["-5"])
    assert meta.word_goal == 10


@pytest.mark.parametrize("value", ["lots", "12.5", "1e3", "ten thousand"])
def test_non_number_goal_is_refused(value):
    meta = WorkMeta()
    with pytest.raises(MetadataError, match=r"word_goal must be a whole number"):
        set_work_field(meta, "word_goal", [value])
    assert meta.word_goal is None


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("50000", 50_000),
        ("50,000", 50_000),
        ("50_000", 50_000),
        (" 7 ", 7),
        ("?", None),
        ("", None),
    ],
)
def test_goal_and_chapter_numbers(value, stored):
    meta = WorkMeta(word_goal=1, chapters_expected=1)
    set_work_field(meta, "word_goal", [value])
    set_work_field(meta, "chapters_expected", [value])
    assert meta.word_goal == stored
    assert meta.chapters_expected == stored


def test_non_number_chapters_expected_is_refused():
    with pytest.raises(MetadataError, match="chapters_expected must be a whole number"):
        set_work_field(WorkMeta(), "chapters_expected", ["many"])


@pytest.mark.parametrize("name", ["created", "modified"])
@pytest.mark.parametrize("mode", ["replace", "clear"])
def test_read_only_fields(name, mode):
    meta = WorkMeta(created="2024-01-01T00:00:00Z", modified="2024-01-01T00:00:00Z")
    with pytest.raises(MetadataError, match=rf"{name} is kept by the app"):
        set_work_field(meta, name, ["2000-01-01"], mode)
    assert getattr(meta, name) == "2024-01-01T00:00:00Z"


def test_project_set_field_uses_the_same_rules(tmp_path):
    project = Project.create(tmp_path / "p", "Story")
    chapter = next(project.tree.walk())
    assert project.set_field("pairing", ["Ada/Grace"], "add") == "relationships"
    assert project.set_doc_field(chapter.id, "goal", ["2,000"]) == "word_goal"
    with pytest.raises(MetadataError):
        project.set_field("rating", ["nope"])
    project.save()
    project.close()
    loaded = Project.load(tmp_path / "p")
    assert loaded.meta.relationships == ["Ada/Grace"]
    assert loaded.tree.find(chapter.id).meta.word_goal == 2_000


# ---------------------------------------------------------------- series and links


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Tides#2", SeriesEntry("Tides", 2)),
        ("Tides # 3 ", SeriesEntry("Tides", 3)),
        ("The Long Tides Saga#12", SeriesEntry("The Long Tides Saga", 12)),
        ("Tides", SeriesEntry("Tides", None)),
        ("  Tides  ", SeriesEntry("Tides", None)),
        ("Book #1 of Tides#4", SeriesEntry("Book #1 of Tides", 4)),
    ],
)
def test_parse_series(text, entry):
    assert parse_series(text) == entry


def test_series_through_set_work_field():
    meta = WorkMeta()
    set_work_field(meta, "series", ["Tides#2", "Anthology"])
    assert meta.series == [SeriesEntry("Tides", 2), SeriesEntry("Anthology")]
    set_work_field(meta, "series", ["tides"], "remove")  # by name, case-folded
    assert meta.series == [SeriesEntry("Anthology")]


def test_parse_link_bare_url_takes_the_host_as_site():
    link = parse_link("https://www.archiveofourown.org/works/123")
    assert link == Link(site="archiveofourown.org", url="https://www.archiveofourown.org/works/123")


def test_parse_link_site_equals_url():
    link = parse_link("AO3 = https://archiveofourown.org/works/1?view_adult=true")
    assert link.site == "AO3"
    assert link.url == "https://archiveofourown.org/works/1?view_adult=true"
    assert link.posted == "" and link.updated == ""


def test_parse_link_url_with_equals_sign_is_not_split():
    link = parse_link("http://example.com/read?id=5")
    assert link == Link(site="example.com", url="http://example.com/read?id=5")


@pytest.mark.parametrize(
    "text", ["www.example.com/story", "ftp://example.com/x", "AO3=archiveofourown.org", "AO3="]
)
def test_parse_link_refuses_non_http(text):
    with pytest.raises(MetadataError, match=r"is not an http\(s\) address"):
        parse_link(text)


def test_links_through_set_work_field():
    meta = WorkMeta()
    set_work_field(meta, "link", ["AO3=https://archiveofourown.org/works/1"], "add")
    set_work_field(meta, "link", ["https://archiveofourown.org/works/1"], "add")  # same URL
    set_work_field(meta, "link", ["https://example.com/s/2"], "add")
    assert [link.site for link in meta.links] == ["AO3", "example.com"]
    set_work_field(meta, "links", ["https://archiveofourown.org/works/1"], "remove")
    assert [link.url for link in meta.links] == ["https://example.com/s/2"]
    with pytest.raises(MetadataError):
        set_work_field(meta, "links", ["not a url"], "add")
    assert len(meta.links) == 1
