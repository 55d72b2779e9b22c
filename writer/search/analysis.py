"""How text becomes index terms: prose, the body field's parts and common grams, tags.

The indexer, the query parser and the snippet finder all analyse through this module, so
they agree on what a word is:

* prose is split with Whoosh 2.7's classic word pattern, lower-cased, Porter-stemmed and
  accent-folded, with **no stop list** (stop-word removal makes phrases match far too much);
* a ``body`` value is the record's parts (title first) joined by :data:`PART_SEPARATOR`:
  title words carry :data:`TITLE_BOOST` in their term weight (how BM25F ranks a title hit
  above a passing mention) and parts are :data:`PART_GAP` positions apart, so no phrase
  runs from a title into the text;
* every two adjacent words of which one is very common ("she was", "of the") are also
  indexed as one *common gram* at the first word's position, so a phrase through common
  words reads a few short posting lists instead of the positions of "the" everywhere;
* a tag is indexed as its normalised whole and every contiguous run of its words, so
  ``fandom:"Harry Potter"`` finds ``Harry Potter - J. K. Rowling`` but no filter matches
  across two tags.

Changing anything here changes the index: bump ``schema.SCHEMA_VERSION``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StemmingAnalyzer,
    Token,
    Tokenizer,
)
from whoosh.support.charset import accent_map

TITLE_BOOST = 3.0
PART_SEPARATOR = "\x1d"  # between the parts of a body value
PART_GAP = 100  # positions between parts: no phrase crosses from one part into the next
# Separates the values of a multi-valued tag field when it is handed to Whoosh as one string.
TAG_SEPARATOR = "\x1f"

# Words as Whoosh 2.7's classic pattern has them. whoosh-reloaded's default also takes ``*``
# into a word, which would index Markdown emphasis ``*word*`` as the term "*word*".
WORD_PATTERN = r"\w+(?:\.?\w+)*"


def text_analyzer() -> object:
    """The prose analyser: words, lower case, Porter stems, accents folded."""
    return StemmingAnalyzer(expression=WORD_PATTERN, stoplist=None) | CharsetFilter(accent_map)


@lru_cache(maxsize=1)
def _plain_analyzer() -> Any:
    return text_analyzer()


def analyse(text: str) -> list[str]:
    """The terms of a text, in order (what a phrase query matches against)."""
    return [token.text for token in _plain_analyzer()(text)]


# Very common English words (and Austen's "mr", "mrs", "miss"); pairs with them become
# common grams. Changing the list changes the index: bump SCHEMA_VERSION.
_COMMON = (
    "a about after again all also always am an and any are as at away back be because "
    "been before being better both but by came can come could day dear did do does done "
    "down each even ever every first for from get give go good great had has have he her "
    "here herself him himself his how however i if in indeed into is it its just know "
    "lady last least less let like little long made make man many may me might miss more "
    "most mr mrs much must my myself never no nor not nothing now of off often oh on once "
    "one only or other our out over own perhaps quite rather really said say see seemed "
    "shall she should sir so some soon still such sure take than that the their them then "
    "there these they thing think this those though thought through time to too two under "
    "until up upon us very was way we well were what when where whether which while who "
    "whom why will wish with without would yes yet you young your"
)
COMMON_TERMS = frozenset(term for word in _COMMON.split() for term in analyse(word))


def common_pair(first: str, second: str) -> str | None:
    """The common-gram term for two adjacent terms, or None if neither is common."""
    if first in COMMON_TERMS or second in COMMON_TERMS:
        return f"{first} {second}"
    return None


def is_pair(term: str) -> bool:
    return " " in term


class PartsTokenizer(RegexTokenizer):
    """Tokenises a body value: parts joined by :data:`PART_SEPARATOR`, the first being the
    title (its tokens boosted), with a gap of :data:`PART_GAP` positions between parts.
    Query text is tokenised as one part."""

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        if mode != "index" or PART_SEPARATOR not in value:
            yield from super().__call__(
                value,
                positions,
                chars,
                start_pos=start_pos,
                start_char=start_char,
                mode=mode,
                **kwargs,
            )
            return
        position, offset = start_pos, start_char
        for number, part in enumerate(value.split(PART_SEPARATOR)):
            boost = TITLE_BOOST if number == 0 else 1.0
            last = position - 1
            for token in super().__call__(
                part,
                positions,
                chars,
                start_pos=position,
                start_char=offset,
                mode=mode,
                **kwargs,
            ):
                token.boost = boost
                if positions:
                    last = token.pos
                yield token
            position = last + 1 + PART_GAP
            offset += len(part) + len(PART_SEPARATOR)


class CommonGramsFilter(Filter):
    """At indexing, adds a pair term ("she was") at the first word's position for every
    two adjacent terms of which one is in :data:`COMMON_TERMS`. Queries pass unchanged:
    the query layer rewrites phrases into pairs itself."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CommonGramsFilter)

    def __hash__(self) -> int:
        return hash(CommonGramsFilter)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        common = COMMON_TERMS
        pair: Token | None = None
        last_text, last_pos, last_start, last_common = "", -2, 0, False
        for token in tokens:
            if token.mode != "index" or not token.positions:
                yield token
                continue
            text, pos = token.text, token.pos
            is_common = text in common
            if pos == last_pos + 1 and (is_common or last_common):
                if pair is None:  # One reused token, as Whoosh's own tokenizers do.
                    pair = Token(positions=True, chars=token.chars, mode="index")
                pair.text = f"{last_text} {text}"
                pair.pos = last_pos
                pair.boost = 1.0
                pair.stopped = False
                if token.chars:
                    pair.startchar, pair.endchar = last_start, token.endchar
                yield pair
            last_text, last_pos, last_common = text, pos, is_common
            if token.chars:
                last_start = token.startchar
            yield token


def body_analyzer() -> Any:
    """The analyser of the ``body`` field: prose analysis plus title boost, part gaps and
    common grams."""
    return (
        PartsTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StemFilter(cachesize=200_000)
        | CharsetFilter(accent_map)
        | CommonGramsFilter()
    )


def join_parts(title: str, *parts: str) -> str:
    """A body value: the title, then the other parts (empty ones kept, for clarity)."""
    return PART_SEPARATOR.join((title, *parts))


_FOLD_TABLE = {code: value for code, value in accent_map.items() if isinstance(code, int)}
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def normalise_tag(value: str) -> str:
    """A tag as the index keeps it: NFKC, case-folded, accents folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", value).casefold().translate(_FOLD_TABLE)
    return " ".join(text.split())


def tag_words(value: str) -> list[str]:
    """The words of a normalised tag (punctuation such as ``/``, ``-`` and ``.`` dropped)."""
    return _WORDS.findall(value)


def tag_query_form(value: str) -> str:
    """The single term a typed tag value searches for: its words joined by spaces.

    Joining words makes ``Rape/Non-Con`` and ``rape non con`` the same filter; a value with
    wildcards or without any word characters is kept whole.
    """
    norm = normalise_tag(value)
    if "*" in norm or "?" in norm:
        return norm
    words = tag_words(norm)
    return " ".join(words) if words else norm


def tag_index_terms(value: str, ngrams: bool = True) -> Iterator[str]:
    """Every term one tag value is indexed under: the whole value and, with ``ngrams``,
    each contiguous run of its words (so a filter can name part of a long tag)."""
    norm = normalise_tag(value)
    if not norm:
        return
    words = tag_words(norm)
    yield " ".join(words) if words else norm
    if ngrams:
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                yield " ".join(words[start : start + size])


def join_tags(values: Iterable[str]) -> str:
    """Several tag values as the one string a tag field is given."""
    return TAG_SEPARATOR.join(v for v in values if v and v.strip())


class TagTokenizer(Tokenizer):
    """Index mode: the terms of every tag in a :data:`TAG_SEPARATOR`-joined string.
    Query mode: the one term the typed value stands for.

    With ``ngrams=False`` (ratings) a value is one whole term and the query keeps the typed
    text, so the query layer can resolve aliases such as ``T`` or ``nc-17`` itself.
    """

    def __init__(self, ngrams: bool = True) -> None:
        self.ngrams = ngrams

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TagTokenizer) and other.ngrams == self.ngrams

    def __hash__(self) -> int:
        return hash((TagTokenizer, self.ngrams))

    def _query_terms(self, value: str) -> list[str]:
        if not value.strip():
            return []
        return [tag_query_form(value) if self.ngrams else normalise_tag(value)]

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if mode == "query":
            texts: Iterable[str] = self._query_terms(value)
        else:
            seen: dict[str, None] = {}
            for tag in value.split(TAG_SEPARATOR):
                for term in tag_index_terms(tag, self.ngrams):
                    seen.setdefault(term, None)
            texts = seen
        for number, text in enumerate(texts):
            token.text = text
            token.boost = 1.0
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + number
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
