"""Word counts by the archives' rule: prose words, with the markup gone."""

from __future__ import annotations

import unicodedata

import pytest

from writer.core.wordcount import count_words, strip_markup


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("   \n\t \n", 0),
        ("one", 1),
        ("one two  three\nfour\tfive", 5),
        # hyphens and apostrophes join
        ("a well-known fact", 3),
        ("mother-in-law", 1),
        ("a well‐known fact", 3),  # U+2010 hyphen
        ("a well‑known fact", 3),  # U+2011 non-breaking hyphen
        ("don't", 1),
        ("don’t", 1),
        ("I'm sure you'd've known", 4),
        ("the cat’s whiskers", 3),
        ("'tis the season", 3),
        # dashes separate
        ("now—then", 2),
        ("now — then", 2),
        ("now–then", 2),
        ("now – then", 2),
        ("now - then", 2),
        ("wait...what", 2),
        ("wait…what", 2),
        # numbers
        ("1,000 words", 2),
        ("3.14", 1),
        ("it cost 1,000,000.50 dollars", 4),
        ("chapter 12", 2),
        # punctuation alone is not a word
        ("!!! ??? ... — –", 0),
        ('"Quoted," she said.', 3),
        # non-Latin scripts
        ("café naïve", 2),
        ("Привет, мир", 2),
        ("Γειά σου κόσμε", 3),
        ("Größe straße", 2),
    ],
)
def test_plain_prose(text, words):
    assert count_words(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # headings and setext underlines
        ("# Chapter One", 2),
        ("### A Third-Level Heading ###", 3),
        ("Title\n=====\n\nSub\n---", 2),
        # emphasis
        ("*emphasis* here", 2),
        ("**strong** here", 2),
        ("***both*** here", 2),
        ("_x_ and __y__", 3),
        ("~~struck~~", 1),
        # lists and quotes
        ("- one\n- two\n* three\n+ four", 4),
        ("  - nested item", 2),
        ("> quoted text\n> > deeper", 3),
        # links: only the text counts
        ("[link text](http://example.com/some/long-path)", 2),
        ('[text](http://example.com/a "A Title")', 1),
        ("see <https://example.com/page> now", 2),
        ("see https://example.com/some/page now", 2),
        ("[ref text][ref] and\n\n[ref]: http://example.com/x", 3),
        ('   [other]: https://example.com/y "Title Words"', 0),
        # images: the address is not counted
        ("![](images/my-picture.png) Sat.", 1),
        ("![](http://example.com/cat.png)", 0),
        # footnotes
        ("a claim[^1] here", 3),
        ("a claim[^note-two].", 2),
        ("[^1]: The footnote text.", 3),
        # HTML
        ("<em>word</em>", 1),
        ('<span class="big words here">two words</span>', 2),
        ('<a href="http://example.com/x">link</a>', 1),
        ("line<br/>break", 2),
        ("<p>one</p>\n<div style='color: red'>two</div>", 2),
        ("<!-- a hidden note -->shown", 1),
        ("before <!--\nmulti\nline\n--> after", 2),
        ("Tom &amp; Jerry &mdash; again", 3),
        ("caf&eacute;", 1),
        # scene breaks and rules
        ("* * *", 0),
        ("***", 0),
        ("---", 0),
        ("___", 0),
        ("~ ~ ~", 0),
        ("one\n\n* * *\n\ntwo", 2),
        # fenced code: the markers (and info string) are not words, the code is
        ("```python\nprint(x)\n```", 2),
        ("~~~\nsome code\n~~~", 2),
        # tables
        ("| a | b |\n|---|:---:|\n| c | d |", 4),
    ],
)
def test_markdown_markup_is_not_counted(text, words):
    assert count_words(text) == words


def test_a_chapter_with_mixed_markup():
    text = (
        "# Chapter 1: The Storm\n\n"
        "It was a *dark* and **stormy** night—the keeper's lamp[^1] flickered.\n\n"
        "> “Don’t,” she said.\n\n"
        "* * *\n\n"
        "See [the map](https://example.com/map.png) and ![a gull](gull.png).\n\n"
        "<!-- TODO: fix this -->\n"
        "[^1]: An old lamp.\n"
    )
    # Chapter 1 The Storm (4) + It was a dark and stormy night the keeper's lamp
    # flickered (11) + Don't she said (3) + See the map and (4; image alt text is not
    # prose) + An old lamp (3)
    assert count_words(text) == 25


def test_strip_markup_keeps_the_prose():
    stripped = strip_markup("Read [**this**](http://x.com) <b>now</b> &amp; later")
    assert "http" not in stripped and "<b>" not in stripped
    assert "this" in stripped and "now" in stripped and "&" in stripped


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1. First item\n2. Second item\n10) Tenth item", 6),
        ("   3. indented marker", 2),
        ("> 1. quoted list", 2),
        ("1.5 cups of flour", 4),  # a number, not a marker
        ("Version 2.0 is out", 4),
    ],
)
def test_ordered_list_numbers_are_markup(text, words):
    assert count_words(text) == words


def test_decomposed_accents_count_once():
    nfc = "café naïve résumé"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert count_words(nfd) == count_words(nfc) == 3


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("नमस्ते दुनिया", 2),  # Devanagari vowel signs and virama are combining marks
        ("مرحبا بالعالم", 2),
        ("안녕하세요 세계", 2),  # Hangul is written with spaces: words, not characters
        ("ก่อน", 1),
    ],
)
def test_scripts_with_combining_marks(text, words):
    assert count_words(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("你好世界", 4),  # the archive counts each Han or kana character
        ("日本語のテキスト", 8),
        ("I love 東京 and さくら", 8),
        ("「你好」，世界。", 4),  # CJK punctuation is not a word
    ],
)
def test_cjk_characters_count_as_words_like_the_archive(text, words):
    assert count_words(text) == words


def test_a_number_on_a_wrapped_line_is_prose():
    assert count_words("It happened in\n2019. Then we left.") == 7


def test_a_long_chapter_counts_quickly():
    import time

    text = "Lorem ipsum dolor sit amet, *consectetur* elit—sed do eiusmod. " * 8000
    start = time.perf_counter()
    assert count_words(text) == 10 * 8000
    assert time.perf_counter() - start < 2.0
