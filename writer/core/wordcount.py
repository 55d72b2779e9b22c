"""Word counts by the archives' rule: the words of the prose once the markup is gone.

Hyphenated words and words with apostrophes count once ("well-known", "don't"), numbers
with separators count once ("1,000"), and em or en dashes separate words
("now—then" is two). Each Han or kana character counts as a word, as the archives
count them. Markdown syntax, link addresses, HTML tags and footnote markers are
not words. This is a regex pass, not a render, because the tree shows counts for every
document of every project and must stay fast.
"""

from __future__ import annotations

import html
import re
import unicodedata

_FENCE = re.compile(r"^\s{0,3}(```|~~~).*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^<>\s]*>")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]:?")
_BARE_URL = re.compile(r"\bhttps?://\S+")
_LIST_NUMBER = re.compile(r"^(\s{0,3}(?:>\s*)*)(\d{1,9})[.)](?=\s)")

# Han and kana have no spaces between words; the archives count each character as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def _combining_marks() -> str:
    """A character class body of the combining marks (accents, vowel signs, viramas) that
    belong to the letter before them, so "naïve" in decomposed form is still one word."""
    ranges = [(0x0300, 0x1FFF), (0x20D0, 0x20FF), (0x3099, 0x309A), (0xFE20, 0xFE2F)]
    marks = [
        chr(code)
        for start, end in ranges
        for code in range(start, end + 1)
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me")
    ]
    return "".join(re.escape(mark) for mark in marks)


_LETTER = rf"(?:(?![{_CJK}])[^\W_])"
_TAIL = rf"(?:{_LETTER}|[{_combining_marks()}])*"
_JOIN = r"(?:['’‐‑-]|(?<=\d)[.,](?=\d))"
_WORD = re.compile(rf"[{_CJK}]|{_LETTER}{_TAIL}(?:{_JOIN}{_LETTER}{_TAIL})*")


def _strip_list_numbers(text: str) -> str:
    """Remove ordered-list markers, but not a number that merely starts a wrapped line:
    as in Markdown, only a list starting at 1, or one after a blank line, interrupts a
    paragraph."""
    lines = text.split("\n")
    previous_blank, in_list = True, False
    for i, line in enumerate(lines):
        match = _LIST_NUMBER.match(line)
        if match and (previous_blank or in_list or match.group(2) == "1"):
            lines[i] = match.group(1) + line[match.end() :]
            in_list = True
        elif line.strip() and previous_blank and not line.startswith((" ", "\t")):
            in_list = False
        previous_blank = not line.strip()
    return "\n".join(lines)


def strip_markup(text: str) -> str:
    """Markdown and HTML reduced to the words a reader sees (for counting, not display)."""
    text = _FENCE.sub("", text)
    text = _COMMENT.sub(" ", text)
    text = _AUTOLINK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _IMAGE.sub(" ", text)  # Alt text is not read as part of the prose.
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _LINK_DEF.sub("", text)
    text = _FOOTNOTE_REF.sub(" ", text)
    text = _BARE_URL.sub(" ", text)
    text = _strip_list_numbers(text)
    return html.unescape(text)


def words(text: str) -> list[str]:
    """The words of a Markdown document, by the same rule as :func:`count_words`."""
    return _WORD.findall(strip_markup(text))


def count_words(text: str) -> int:
    """The number of words in a Markdown document, by the archives' rule."""
    return sum(1 for _ in _WORD.finditer(strip_markup(text)))
