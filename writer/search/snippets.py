"""Finding a hit in the Markdown on disk and cutting a snippet around it.

The index stores no text (it would double its size), so snippets and hit positions come
from the file itself. Analysing a whole 2,500-word chapter with the stemming analyser costs
several milliseconds in pure Python, too much for twenty hits within a 10 ms query budget.
Instead a regular expression (run in C) finds only the words that *could* stem to a query
term, and just those few are analysed. Offsets are Python string indices into the text as
:func:`writer.search.records.read_markdown` (= ``Project.read_text``) returns it; a Qt
widget that counts UTF-16 units must convert them for characters outside the BMP.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from whoosh.support.charset import accent_map

from writer.search.analysis import WORD_PATTERN, text_analyzer
from writer.search.query import Highlight

SNIPPET_CHARS = 200
_TOKEN = re.compile(WORD_PATTERN)
_START = r"(?<!\w)(?<!\w\.)"  # where the tokenizer can begin a token
# Accent folding that keeps every character in place, for finding candidates only.
_FOLD_SAME_LENGTH = {
    code: value
    for code, value in accent_map.items()
    if isinstance(value, str) and len(value) == 1 and code >= 128
}
_ANALYZER = text_analyzer()


@lru_cache(maxsize=200_000)
def analyse_word(word: str) -> str | None:
    """The index term of one word (lower case, stem, accents folded), or None when the
    analyser would not make it exactly one token."""
    tokens = [t.text for t in _ANALYZER(word)]
    return tokens[0] if len(tokens) == 1 else None


@dataclass(frozen=True)
class Located:
    """The best hit in a text and a snippet around it (``<mark>`` around matched words)."""

    offset: int | None
    length: int
    snippet: str


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    term: str


def _stem_prefix(term: str) -> str:
    """A prefix every word that analyses to ``term`` starts with (after folding): Porter
    rewrites at most the last few letters of a word, e.g. happy -> happi, able -> abl."""
    keep = max(2, len(term) - 3)
    return term[:keep]


def _candidate_pattern(hl: Highlight) -> re.Pattern[str] | None:
    starts = {_stem_prefix(t) for t in hl.terms}
    starts.update(p[: max(1, len(p) - 3)] for p in hl.prefixes)
    for phrase in hl.phrases:
        starts.add(_stem_prefix(phrase[0]))
    starts.discard("")
    if not starts:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True))
    return re.compile(rf"{_START}(?:{alternatives})\w*(?:\.?\w+)*", re.IGNORECASE)


def _fold(text: str) -> str:
    return text if text.isascii() else text.translate(_FOLD_SAME_LENGTH)


def _term_matcher(hl: Highlight) -> Callable[[str], bool]:
    terms, prefixes = hl.terms, hl.prefixes

    def matches(term: str) -> bool:
        return term in terms or any(term.startswith(p) for p in prefixes)

    return matches


def _phrase_at(text: str, first: re.Match[str], phrase: tuple[str, ...]) -> int | None:
    """The end of ``phrase`` if it starts with the token ``first``, else None."""
    position = first.end()
    for word in phrase[1:]:
        following = _TOKEN.search(text, position)
        if following is None or analyse_word(following.group(0)) != word:
            return None
        position = following.end()
    return position


def find_matches(text: str, hl: Highlight) -> tuple[list[_Match], list[_Match]]:
    """Matched words and matched phrases (as spans) of a text, in text order."""
    pattern = _candidate_pattern(hl)
    if pattern is None:
        return [], []
    matches_term = _term_matcher(hl)
    words: list[_Match] = []
    phrases: list[_Match] = []
    folded = _fold(text)
    for candidate in pattern.finditer(folded):
        token = text[candidate.start() : candidate.end()]
        term = analyse_word(token)
        if term is None:
            continue
        if matches_term(term):
            words.append(_Match(candidate.start(), candidate.end(), term))
        for phrase in hl.phrases:
            if phrase[0] == term:
                real = _TOKEN.match(text, candidate.start())
                end = _phrase_at(text, real, phrase) if real else None
                if end is not None:
                    phrases.append(_Match(candidate.start(), end, " ".join(phrase)))
    return words, phrases


def _best(words: list[_Match], phrases: list[_Match]) -> _Match | None:
    """The first phrase hit, else the word that starts the window with most distinct terms."""
    if phrases:
        return phrases[0]
    if not words:
        return None
    best, best_count = words[0], 0
    for index, match in enumerate(words):
        seen = set()
        for other in words[index:]:
            if other.start - match.start > SNIPPET_CHARS:
                break
            seen.add(other.term)
        if len(seen) > best_count:
            best, best_count = match, len(seen)
    return best


def _window(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    """A span of about ``width`` characters around [start, end), cut at spaces."""
    room = max(width - (end - start), 0)
    left = max(0, start - room // 3)
    right = min(len(text), end + room - (start - left))
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right


def _render(text: str, left: int, right: int, marks: list[tuple[int, int]]) -> str:
    parts = ["…" if left > 0 else ""]
    position = left
    for start, end in marks:
        if start < position or end > right:
            continue
        parts.append(html.escape(text[position:start], quote=False))
        parts.append(f"<mark>{html.escape(text[start:end], quote=False)}</mark>")
        position = end
    parts.append(html.escape(text[position:right], quote=False))
    parts.append("…" if right < len(text) else "")
    return " ".join("".join(parts).split())


def locate(text: str, hl: Highlight, width: int = SNIPPET_CHARS) -> Located | None:
    """The best hit of ``hl`` in ``text`` with a snippet, or None if nothing matches."""
    words, phrases = find_matches(text, hl)
    best = _best(words, phrases)
    if best is None:
        return None
    left, right = _window(text, best.start, best.end, width)
    spans = sorted({(m.start, m.end) for m in (*phrases, *words) if left <= m.start < right})
    marks: list[tuple[int, int]] = []
    for start, end in spans:  # A phrase wins over the words inside it.
        if marks and start < marks[-1][1]:
            continue
        marks.append((start, end))
    return Located(best.start, best.end - best.start, _render(text, left, right, marks))


def opening(text: str, width: int = SNIPPET_CHARS) -> Located:
    """The start of a text as a snippet, for hits on a title or a filter alone."""
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    _, right = _window(text, start, start, width)
    return Located(None, 0, _render(text, start, right, []).removeprefix("…").strip())
