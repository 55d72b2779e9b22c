"""The detectors one case at a time: labels and separators, notes, disclaimers, spoilers,
headings, scene breaks, escaping, and prose that only mentions such things."""

from __future__ import annotations

from pathlib import Path

import pytest

from writer.core.importing.chapters import (
    is_break_line,
    natural_key,
    parse_chapter_line,
    title_from_stem,
    word_number,
)
from writer.core.importing.labels import match_field, match_note
from writer.core.importing.markup import escape_markdown, markdown_to_plain
from writer.core.importing.parse import parse_file
from writer.core.importing.phrases import (
    disclaimer_source,
    is_disclaimer,
    standalone_spoiler,
)
from writer.render.markdown import render_markdown
from writer.render.plaintext import markdown_to_plain as render_plain


def parse_text(text: str, name: str = "story.txt"):
    return parse_file(Path(name), data=text.encode("utf-8"))


PROSE = "The kettle boiled over while nobody watched it.\n\nIt was that kind of morning."


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("Title: The Kettle", "title", "The Kettle"),
        ("TITLE:The Kettle", "title", "The Kettle"),
        ("title - The Kettle", "title", "The Kettle"),
        ("Title-The Kettle", "title", "The Kettle"),
        ("Title – The Kettle", "title", "The Kettle"),
        ("Title—The Kettle", "title", "The Kettle"),
        ("**Title:** The Kettle", "title", "The Kettle"),
        ("**Title: The Kettle**", "title", "The Kettle"),
        ("Pairing: Ada/Bea", "relationships", "Ada/Bea"),
        ("Relationships : Ada/Bea", "relationships", "Ada/Bea"),
        ("Word Count: 1,200", "word_count", "1,200"),
        ("Rated: K+", "rating", "K+"),
        ("Category: F/F", "category", "F/F"),
        ("Archive Warnings: none", "warnings", "none"),
        ("Beta: thanks to Jo", "note_line", "thanks to Jo"),
    ],
)
def test_header_labels(line, key, value):
    match = match_field(line)
    assert match is not None
    assert (match.key, match.value.strip()) == (key, value)


@pytest.mark.parametrize(
    "line",
    [
        "Author-approved plans were rare.",
        "Titles mattered to her.",
        "Rating the film, she gave it a seven.",
        "By the time we arrived, it was dark.",
        "Summary judgement was swift.",
        "Words - she had too many of them.",
    ],
)
def test_prose_that_starts_like_a_label_is_not_one(line):
    match = match_field(line)
    assert match is None or match.key == "author" and not match.spaced


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("A/N: hello", "notes"),
        ("A/N hello", "notes"),
        ("a/n - hello", "notes"),
        ("AN: hello", "notes"),
        ("A.N.: hello", "notes"),
        ("Author's Note: hello", "notes"),
        ("Authors note – hello", "notes"),
        ("Author’s notes—hello", "notes"),
        ("Note from the author: hello", "notes"),
        ("A note from the author: hello", "notes"),
        ("Notes: hello", "notes"),
        ("(A/N: hello)", "notes"),
        ("[AN: hello]", "notes"),
        ("**A/N:** hello", "notes"),
        ("End notes: hello", "notes_end"),
        ("Final note: hello", "notes_end"),
    ],
)
def test_note_labels(line, key):
    match = match_note(line)
    assert match is not None and match.key == key


@pytest.mark.parametrize(
    "line",
    [
        "An hour later she left.",
        "Notes on the war were kept.",
        "Note to self, he said.",
        "Notebook: red",
    ],
)
def test_prose_that_starts_like_a_note_is_not_one(line):
    assert match_note(line) is None


# ---------------------------------------------------------------- disclaimers and spoilers


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("I don't own Avatar.", "source", "Avatar"),
        (
            "Disclaimer: I do not own the characters of Pride and Prejudice.",
            "source",
            "Pride and Prejudice",
        ),
        (
            "I don’t own any of the characters from The Loom Cycle, sadly.",
            "source",
            "The Loom Cycle",
        ),
        ("I dont own Harbour Lights or its characters.", "source", "Harbour Lights"),
        ("The Loom Cycle belongs to Eleri Vance.", "source", "The Loom Cycle"),
        ("All characters belong to J. Arden.", "owner", "J. Arden"),
        ("I don't own a car.", "", ""),
    ],
)
def test_disclaimer_names_its_source_or_owner(text, kind, name):
    assert disclaimer_source(text) == (kind, name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I don't own Avatar. Nickelodeon does.", True),
        ("I own nothing but the plot.", True),
        ("No copyright infringement intended.", True),
        ("All characters belong to their respective owners.", True),
        ("The Loom Cycle belongs to Eleri Vance.", True),
        ("I don't own a car, so I walked.", False),
        ("The house belongs to my aunt.", False),
        ("All characters in the village belonged to one of two families.", False),
        ('"I don\'t own Avatar," she said.', False),
    ],
)
def test_unlabelled_disclaimers(text, expected):
    assert is_disclaimer(text) is expected


@pytest.mark.parametrize(
    ("text", "works"),
    [
        ("Spoilers for Season 2.", ["Season 2"]),
        ("Spoiler warning: Season 2", ["Season 2"]),
        ("SPOILERS - the finale", ["the finale"]),
        ("Contains spoilers for Season 2 and the finale.", ["Season 2", "the finale"]),
        ("Major spoilers for Vol. 3, Book 4 & the epilogue!", ["Vol. 3", "Book 4", "the epilogue"]),
        ("Spoiler alert: Book 1; Book 2", ["Book 1", "Book 2"]),
    ],
)
def test_spoiler_warnings(text, works):
    assert standalone_spoiler(text) == (works, "")


def test_spoiler_warning_keeps_what_else_it_says():
    assert standalone_spoiler("Spoilers for Book 2. You have been warned!") == (
        ["Book 2"],
        "You have been warned!",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Spoilers for the finale were everywhere that week.",
        "He hated spoilers for films.",
        "She told me there were spoilers for everything in that shop, and she was right about it.",
    ],
)
def test_prose_about_spoilers_is_not_a_warning(text):
    assert standalone_spoiler(text) is None


def test_spoilers_inside_a_note_are_found_and_the_sentence_stays():
    work = parse_text("A/N: Mild spoilers for Season 3! Enjoy.\n\n" + PROSE)
    assert work.fields["spoilers"] == ["Season 3"]
    assert work.fields["notes_begin"] == "Mild spoilers for Season 3! Enjoy."


def test_a_spoiler_inside_a_disclaimer_is_found_too():
    work = parse_text("Disclaimer: I don't own Tidewater. Spoilers for Book 2.\n\n" + PROSE)
    assert work.fields["spoilers"] == ["Book 2"]
    assert work.fields["fandoms"] == ["Tidewater"]


def test_given_fandom_is_not_replaced_by_a_guess():
    work = parse_text("Fandom: Tidewater Saga\nDisclaimer: I don't own Tidewater.\n\n" + PROSE)
    assert work.fields["fandoms"] == ["Tidewater Saga"]
    assert not any("guessed" in w for w in work.warnings)


# ---------------------------------------------------------------- blocks in a text


def test_header_block_fills_fields_and_leaves_clean_prose():
    work = parse_text("Title: Kettle\nRating: teen\nFandom: Hearth\n\n" + PROSE)
    assert work.fields["title"] == "Kettle"
    assert work.fields["rating"] == "Teen And Up Audiences"
    assert work.chapters[0].scenes == [PROSE]


def test_single_label_with_glued_hyphen_is_prose_but_a_block_of_them_is_a_header():
    alone = parse_text("Author-approved plans were rare.\n\n" + PROSE)
    assert "author" not in alone.fields
    block = parse_text("Author-Wren\nRating-T\n\n" + PROSE)
    assert block.fields["author"] == "Wren"
    assert block.fields["rating"] == "Teen And Up Audiences"


def test_summary_label_alone_takes_the_next_paragraph():
    work = parse_text("Summary:\n\nA kettle, a morning, a mistake.\n\n* * *\n\n" + PROSE)
    assert work.fields["summary"] == "A kettle, a morning, a mistake."
    assert work.chapters[0].scenes == [PROSE]


def test_note_runs_on_to_a_divider_only_over_paragraphs_that_talk_to_readers():
    text = "A/N: New story!\n\nThanks to everyone who reviewed the last one.\n\n~~~\n\n" + PROSE
    work = parse_text(text)
    assert (
        work.fields["notes_begin"] == "New story!\n\nThanks to everyone who reviewed the last one."
    )
    story = parse_text("A/N: New story!\n\nThe kettle boiled.\n\n~~~\n\n" + PROSE)
    assert story.fields["notes_begin"] == "New story!"
    assert story.chapters[0].scenes[0] == "The kettle boiled."


def test_a_different_disclaimer_in_a_later_chapter_stays_with_that_chapter():
    text = (
        "Chapter 1\n\nDisclaimer: I don't own Hearth.\n\nOne.\n\n"
        "Chapter 2\n\nDisclaimer: The song belongs to Ivo Brand.\n\nTwo."
    )
    work = parse_text(text)
    assert work.fields["disclaimer"] == "I don't own Hearth."
    assert work.chapters[1].notes_begin == "Disclaimer: The song belongs to Ivo Brand."


def test_a_repeated_disclaimer_is_stored_once():
    chapter = "Chapter {n}\n\nDisclaimer: I don't own Hearth.\n\nText {n}.\n\n"
    work = parse_text("".join(chapter.format(n=n) for n in (1, 2, 3)))
    assert work.fields["disclaimer"] == "I don't own Hearth."
    assert [d.kind for d in work.dropped].count("duplicate") == 2
    assert all(not c.notes_begin for c in work.chapters)


def test_note_heading_sections_become_notes():
    work = parse_text(
        "## Author's Note\n\nHello.\n\n## One\n\nText.\n\n## Afterword notes\n\nBye.", "s.md"
    )
    assert work.fields["notes_begin"] == "Hello."
    assert [c.title for c in work.chapters] == ["One", "Afterword notes"]


def test_text_with_nothing_but_prose_keeps_every_paragraph():
    work = parse_text(PROSE)
    assert work.fields == {"title": "Story"}
    assert work.chapters[0].scenes == [PROSE]


def test_empty_file_gives_one_empty_chapter():
    work = parse_text("")
    assert len(work.chapters) == 1 and work.chapters[0].scenes == []


# ---------------------------------------------------------------- headings and breaks


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("Chapter 3", 3, ""),
        ("CHAPTER 3: The Fall", 3, "The Fall"),
        ("Chapter Three - The Fall", 3, "The Fall"),
        ("Chapter Twenty-One", 21, ""),
        ("Chapter XIV. Ice", 14, "Ice"),
        ("Ch. 4 – Thaw", 4, "Thaw"),
        ("Chapter 12 The Reckoning", 12, "The Reckoning"),
        ("*Chapter 2*", 2, ""),
        ("Prologue", None, ""),
        ("Epilogue: Ten Years On", None, "Ten Years On"),
    ],
)
def test_chapter_lines(line, number, title):
    heading = parse_chapter_line(line)
    assert heading is not None
    assert (heading.number, heading.title) == (number, title)


@pytest.mark.parametrize(
    "line",
    [
        "Chapter 3 of the book was missing.",
        "Chapters are overrated.",
        "Prologue aside, it was fine.",
        "Chapter and verse, she said.",
    ],
)
def test_prose_about_chapters_is_not_a_heading(line):
    assert parse_chapter_line(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "* * *",
        "***",
        "---",
        "___",
        "- - -",
        "~~~",
        "#",
        "oOo",
        "xXxXx",
        "-x-x-",
        "~*~",
        "=====",
        "+++",
    ],
)
def test_divider_lines(line):
    assert is_break_line(line)


@pytest.mark.parametrize("line", ["ooo", "XXX", "...", "…", "-", "Oh.", "* not a bullet", "OK"])
def test_not_divider_lines(line):
    assert not is_break_line(line)


def test_word_numbers():
    assert [word_number(w) for w in ("7", "seven", "Forty-Two", "IX", "nope")] == [
        7,
        7,
        42,
        9,
        None,
    ]


def test_numbered_chapters_drop_their_number_only_in_sequence():
    text = "Chapter 1: A\n\none\n\nChapter 2: B\n\ntwo\n\nChapter 7: C\n\nthree"
    assert [c.title for c in parse_text(text).chapters] == ["A", "B", "Chapter 7: C"]


def test_natural_order_of_chapter_files():
    names = ["ch10.txt", "ch2.txt", "Ch1.txt", "chapter 11.md", "ch3.txt"]
    assert sorted(names, key=natural_key) == [
        "Ch1.txt",
        "ch2.txt",
        "ch3.txt",
        "ch10.txt",
        "chapter 11.md",
    ]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("ch01", (1, "")),
        ("02 - The Storm", (2, "The Storm")),
        ("Chapter 3 - Ice", (3, "Ice")),
        ("epilogue", (None, "epilogue")),
        ("07_The_Long_Way", (7, "The Long Way")),
    ],
)
def test_chapter_titles_from_file_names(stem, expected):
    assert title_from_stem(stem) == expected


# ---------------------------------------------------------------- escaping


LOOKALIKE = (
    "1. first\n2. second\n#hashtag and # not a heading\n* star\n- dash\n+ plus\n> quote\n"
    "<b>not bold</b> & &amp; _under_ **star** [link](x) `tick` \\ back\n~~~ fence"
)


def test_plain_text_that_looks_like_markdown_reads_the_same():
    rendered = render_plain(escape_markdown(LOOKALIKE))
    assert rendered.split("\n") == LOOKALIKE.split("\n")


def test_escaped_text_renders_no_markup():
    html = render_markdown(escape_markdown(LOOKALIKE))
    for tag in (
        "<ol",
        "<ul",
        "<h1",
        "<blockquote",
        "<b>",
        "<em",
        "<strong",
        "<a ",
        "<code",
        "<pre",
    ):
        assert tag not in html


def test_markdown_lookalike_fixture_reads_the_same_after_import(helpers):
    source = helpers.fixtures / "txt_markdown_lookalike.txt"
    work = parse_file(source)
    original = source.read_text(encoding="utf-8").split("\n\n", 1)[1].strip()
    assert render_plain(work.chapters[0].scenes[0]) == original


def test_markdown_to_plain_for_single_line_fields():
    assert markdown_to_plain("**The** *Long* \\*Way\\* [Home](https://x.org) &amp; back") == (
        "The Long *Way* Home & back"
    )


# ---------------------------------------------------------------- parts and title pages


def test_part_headings_hold_the_chapters_after_them():
    text = (
        "Part One: Spring\n\nChapter 1\n\nA.\n\nChapter 2\n\nB.\n\n"
        "PART TWO\n\nA short epigraph.\n\nChapter 1\n\nC.\n\nVolume III\n\nBook 4"
    )
    work = parse_text(text)
    assert [(c.part, c.title) for c in work.chapters] == [
        ("Part One: Spring", ""),
        ("Part One: Spring", ""),
        ("PART TWO", ""),
        ("PART TWO", "Chapter 1"),
        ("Volume III", ""),
        ("Book 4", ""),
    ]
    assert work.chapters[2].scenes == ["A short epigraph."]


def test_prose_about_parts_is_not_a_part():
    work = parse_text("Part of me wanted to stay.\n\nBook 2 was better, everyone said.")
    assert [c.part for c in work.chapters] == [""]


@pytest.mark.parametrize(
    "opening",
    [
        "The Salt Road\nby Wren Vale",
        "The Salt Road\n\nby Wren Vale",
        "The Salt Road\n\nBy\n\nWren Vale",
        "The Salt Road\n\n(2019)\n\nwritten by Wren Vale",
        "The Salt Road\n\nby Wren Vale\n\n(a novella)",
    ],
)
def test_title_pages(opening):
    work = parse_text(opening + "\n\n" + PROSE)
    assert (work.fields["title"], work.fields["author"]) == ("The Salt Road", "Wren Vale")
    assert work.chapters[0].scenes == [PROSE]
    assert set(work.unmapped.values()) <= {"(2019)", "(a novella)"}


def test_a_first_line_followed_by_prose_is_not_a_title_page():
    work = parse_text("Morning\n\nBy noon the kettle had boiled dry.\n\n" + PROSE)
    assert "author" not in work.fields
    assert work.chapters[0].scenes[0].startswith("Morning")


def test_a_chapter_line_with_its_title_on_the_next_line():
    work = parse_text("CHAPTER ONE\nThe Beginning\n\nIt was dark.\n\nCHAPTER TWO\nIt was light.")
    assert [c.title for c in work.chapters] == ["The Beginning", ""]
    assert work.chapters[1].scenes == ["It was light."]
