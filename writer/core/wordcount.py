"""Word counts by the archives' rule: the words of the prose once the markup is gone.

Hyphenated words and words with apostrophes count once ("well-known", "don't"), numbers
with separators count once ("1,000"), and em or en dashes separate words
("now—then" is two). Markdown syntax, link addresses, HTML tags and footnote markers are
not words. This is a regex pass, not a render, because the tree shows counts for every
document of every project and must stay fast.
"""

from __future__ import annotations

import html
import re

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
_WORD = re.compile(r"[^\W_]+(?:(?:['’‐‑-]|(?<=\d)[.,](?=\d))[^\W_]+)*")


def strip_markup(text: str) -> str:
    """Markdown and HTML reduced to the words a reader sees (for counting, not display)."""
    text = _FENCE.sub("", text)
    text = _COMMENT.sub(" ", text)
    text = _AUTOLINK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _LINK_DEF.sub("", text)
    text = _FOOTNOTE_REF.sub(" ", text)
    text = _BARE_URL.sub(" ", text)
    return html.unescape(text)


def count_words(text: str) -> int:
    """The number of words in a Markdown document, by the archives' rule."""
    return sum(1 for _ in _WORD.finditer(strip_markup(text)))
