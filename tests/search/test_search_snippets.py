"""Locating hits in Markdown and cutting snippets."""

from __future__ import annotations

from writer.search.query import Highlight
from writer.search.snippets import analyse_word, locate, opening


def terms(*words: str) -> Highlight:
    return Highlight(terms=frozenset(analyse_word(w) for w in words))


def test_offsets_index_the_markdown_and_skip_emphasis() -> None:
    text = "A lamp.\n\nShe lit the *lanterns* at dusk."
    found = locate(text, terms("lantern"))
    assert text[found.offset : found.offset + found.length] == "lanterns"
    assert "*<mark>lanterns</mark>*" in found.snippet


def test_accented_words_are_found_from_plain_letters() -> None:
    text = "Un élan vital, naïvement, au café."
    for word, surface in [("elan", "élan"), ("cafe", "café"), ("élan", "élan")]:
        found = locate(text, terms(word))
        assert text[found.offset : found.offset + found.length] == surface


def test_snippets_escape_html_and_mark_words() -> None:
    text = "Tom & Jerry said <b>bell</b> twice: bells."
    found = locate(text, terms("bell"))
    assert found.snippet == (
        "Tom &amp; Jerry said &lt;b&gt;<mark>bell</mark>&lt;/b&gt; twice: <mark>bells</mark>."
    )


def test_phrases_win_and_are_marked_whole() -> None:
    text = "The bell rang. Later the ninth bell, cracked, answered."
    hl = Highlight(phrases=(("ninth", "bell"),), terms=frozenset({"bell"}))
    found = locate(text, hl)
    assert text[found.offset : found.offset + found.length] == "ninth bell"
    assert "<mark>ninth bell</mark>" in found.snippet
    assert "The <mark>bell</mark> rang" in found.snippet


def test_the_window_with_most_query_words_is_chosen() -> None:
    filler = "word " * 80
    text = f"tide alone. {filler} the salt tide and marsh together. {filler}"
    found = locate(text, terms("tide", "salt", "marsh"))
    assert text[found.offset : found.offset + found.length] == "salt"
    assert found.snippet.startswith("…") and found.snippet.endswith("…")
    assert len(found.snippet.replace("<mark>", "").replace("</mark>", "")) <= 230


def test_prefixes_are_marked() -> None:
    text = "Running and runners ran."
    found = locate(text, Highlight(prefixes=("runn",)))
    assert found.offset == 0 and found.length == 7
    assert found.snippet == "<mark>Running</mark> and <mark>runners</mark> ran."


def test_no_match_and_the_opening() -> None:
    assert locate("nothing here", terms("bell")) is None
    assert locate("text", Highlight()) is None
    start = opening("\n\n# Chapter One\n\nIt was   a dark night.")
    assert start.offset is None and start.snippet == "# Chapter One It was a dark night."
