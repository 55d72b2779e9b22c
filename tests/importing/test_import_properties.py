"""Property tests: import never crashes, never drops a character, and drops only what the
rule allows (labels, dividers, duplicates, markup, canonicalised values)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writer.core.errors import WriterError
from writer.core.importing.chapters import is_break_line
from writer.core.importing.encoding import decode_text
from writer.core.importing.labels import match_label
from writer.core.importing.markup import escape_markdown, unescape_markdown
from writer.core.importing.parse import parse_file
from writer.render.markdown import is_scene_break_line

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Text without control characters (a file full of them is refused as binary, on purpose).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85")
    | st.sampled_from(list("\n\n\t*_#>-+.1[]()<&\\`~:/")),
    max_size=400,
)

LABELS = [
    "Title", "AUTHOR", "fandom", "Rating", "Pairing", "Relationships", "Characters",
    "Summary", "Warnings", "Word count", "Disclaimer", "A/N", "Author's Note", "AN",
    "Notes", "Note from the author", "Spoilers", "Tags", "Series", "Status", "Language",
]  # fmt: skip
SEPARATORS = [":", ": ", " - ", "-", " – ", "–", "—", " — ", " :"]
_WORD_TEXT = (
    "the lantern keeper walked *slowly* across 1. harbour # > - Season 2 and I don't own "
    "Spoilers for Book Three T Mature none English Part 2 of Tides 3,400 Chapter 4 "
    "Prologue * * * ~~~ oOo (A/N: [x] <b> &amp; \\ _ ` belongs to"
)
WORDS = st.sampled_from(_WORD_TEXT.split())


def _line() -> st.SearchStrategy[str]:
    labelled = st.builds(
        lambda label, sep, words: f"{label}{sep}{' '.join(words)}",
        st.sampled_from(LABELS),
        st.sampled_from(SEPARATORS),
        st.lists(WORDS, max_size=6),
    )
    prose = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
    special = st.sampled_from(
        ["* * *", "***", "---", "~~~", "oOo", "#", "Chapter 3", "Chapter Two: The Bell",
         "Prologue", "## Dawn", "I don't own Harbour Lights.", "Spoiler warning: Book 2",
         "(A/N: thanks", "for reading!)", "by Wren", "The End", "Part One", "VOLUME II: Ice",
         "by", "(1999)", "Spoilers: S1, S2 and the finale"]
    )  # fmt: skip
    return st.one_of(labelled, prose, special)


STRUCTURED = st.lists(
    st.tuples(_line(), st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n\r\n"])),
    max_size=25,
).map(lambda pairs: "".join(line + end for line, end in pairs))


def _import_text(tmp_path, text: str, suffix: str = ".txt"):
    file = tmp_path / f"story{suffix}"
    file.write_bytes(text.encode("utf-8"))
    return parse_file(file)


def _check_dropped(work) -> None:
    """Every dropped piece is of an allowed kind and shape."""
    stored = " ".join(str(v) for v in work.fields.values()).casefold()
    for piece in work.dropped:
        text = piece.text.strip()
        if piece.kind == "label":
            assert len(text) <= 120, piece
        elif piece.kind == "separator":
            # dividers, brackets, and the commas and "and"s between list items
            letters = set(re.sub(r"[\W_]", "", text.casefold()))
            assert is_break_line(text) or letters <= set("and"), piece
        elif piece.kind == "duplicate":
            assert len(text) > 0
        elif piece.kind == "normalised":
            assert stored or work.unmapped is not None
        else:
            assert piece.kind in ("markup", "boilerplate"), piece


@SETTINGS
@given(text=TEXT)
def test_arbitrary_text_imports_and_loses_nothing(tmp_path, helpers, text):
    work = _import_text(tmp_path, text)
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    assert helpers.missing(source, work, escaped=True, markdown=False) == ""
    assert work.chapters


@SETTINGS
@given(text=STRUCTURED)
def test_story_shaped_text_loses_nothing(tmp_path, helpers, text):
    work = _import_text(tmp_path, text)
    source = text.replace("\r\n", "\n")
    assert helpers.missing(source, work, escaped=True, markdown=False) == ""
    _check_dropped(work)


@SETTINGS
@given(text=STRUCTURED)
def test_story_shaped_markdown_loses_nothing_but_syntax(tmp_path, helpers, text):
    work = _import_text(tmp_path, text, ".md")
    source = text.replace("\r\n", "\n")
    assert helpers.missing(source, work, escaped=False, markdown=True) == ""


@SETTINGS
@given(text=TEXT)
def test_arbitrary_html_paragraphs_never_crash(tmp_path, text):
    from html import escape

    body = "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n"))
    work = _import_text(tmp_path, f"<html><body>{body}</body></html>", ".html")
    assert work.chapters


@SETTINGS
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_give_text_or_a_clear_error(tmp_path, data):
    file = tmp_path / "story.txt"
    file.write_bytes(data)
    try:
        work = parse_file(file)
    except WriterError as error:
        assert "is not a text file" in str(error)
    else:
        assert work.chapters


@given(text=TEXT)
def test_escaping_is_exactly_reversible(text):
    assert unescape_markdown(escape_markdown(text)) == text


@given(text=TEXT, codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unicode_encodings_decode_to_the_same_text(text, codec):
    decoded, _encoding = decode_text(text.encode(codec), "x.txt")
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")


@given(line=st.text(alphabet=" \t*-_x", max_size=12))
def test_scene_breaks_include_every_renderer_scene_break(line):
    if is_scene_break_line(line):
        assert is_break_line(line)


# The labels the issue names take every separator; the everyday words among the others
# ("Series", "Status", "Language", "Notes" ...) need a colon or a spaced dash.
ANY_SEPARATOR = [
    "Title", "AUTHOR", "fandom", "Rating", "Pairing", "Relationships", "Characters",
    "Summary", "Warnings", "Word count", "Disclaimer", "A/N", "Author's Note", "Spoilers",
    "Note from the author", "Spoiler warning",
]  # fmt: skip
SPACED_ONLY = ["Notes", "Tags", "Series", "Status", "Language", "Pairings", "Beta"]


@given(
    label=st.sampled_from(ANY_SEPARATOR),
    sep=st.sampled_from(SEPARATORS),
    case=st.sampled_from([str, str.upper, str.lower, str.title]),
    value=WORDS.filter(lambda w: not w.startswith(("*", "_", "-", "\\", "#", "(", "[", ">"))),
)
def test_every_label_and_separator_is_recognised(label, sep, case, value):
    match = match_label(f"{case(label)}{sep}{value}")
    assert match is not None
    assert match.value.strip() == value.strip()


@given(label=st.sampled_from(SPACED_ONLY), sep=st.sampled_from([":", ": ", " - ", " – ", "—"]))
def test_everyday_labels_need_a_clear_separator(label, sep):
    assert match_label(f"{label}{sep}the lantern") is not None
    assert match_label(f"{label}-lantern") is None or label in ("Pairings",)


FRONT_KEYS = st.sampled_from(
    ["title", "author", "fandom", "rating", "notes", "summary", "tags", "series", "words", "x"]
)
FRONT_VALUES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.lists(st.text(alphabet="abc XYZ/:-", max_size=8), max_size=3).map(
        lambda items: "[" + ", ".join(items) + "]"
    ),
)


@SETTINGS
@given(entries=st.lists(st.tuples(FRONT_KEYS, FRONT_VALUES), max_size=8))
def test_any_front_matter_imports(tmp_path, entries):
    lines = [f"{key}: {value}".replace("\n", " ") for key, value in entries]
    text = "---\n" + "\n".join(lines) + "\n---\n\nSome prose.\n"
    work = _import_text(tmp_path, text, ".md")
    assert work.chapters[-1].scenes[-1].endswith("Some prose.")
