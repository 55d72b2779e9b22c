"""Turning what the author typed into a Whoosh query, or into one clear error line.

The syntax is Whoosh's, trimmed to what authors need: words (all must match), ``"exact
phrases"``, ``AND``/``OR``/``NOT`` and parentheses, ``prefix*``, ``fuzzy~`` (``~2`` for two
edits; the first letter must match), and ``field:value`` filters whose names accept singular
and plural. Mid-word wildcards are off on purpose (a typed ``?`` in a question must not
become a wildcard).

Whoosh is lenient: it silently drops an unclosed quote or an unknown field name and searches
for something else. Authors deserve to be told, so the text is checked before parsing and
the parsed tree is checked after. Aliases are resolved here (``rating:T``, ``status:done``,
``kind:notes``) with the same vocabulary as the rest of the app.

A query that names only work-level filters (``fandom:X rating:teen``) is restricted to the
works' own records, so it returns one row per work rather than one per chapter.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema

from writer.core import vocabulary
from writer.core.errors import MetadataError, WriterError
from writer.search.analysis import common_pair, is_pair, normalise_tag, tag_query_form
from writer.search.schema import BODY, FIELD_ALIASES, KINDS, TEXT_FIELDS, WORK_FILTER_FIELDS

MAX_EXPANDED_TERMS = 400


class QueryError(WriterError):
    """A query that cannot be understood; the message says what is wrong."""


@dataclass(frozen=True)
class Highlight:
    """What to mark in one field's text: analysed terms, prefixes and phrases."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.phrases)

    def __or__(self, other: Highlight) -> Highlight:
        return Highlight(
            self.terms | other.terms,
            tuple(dict.fromkeys((*self.prefixes, *other.prefixes))),
            tuple(dict.fromkeys((*self.phrases, *other.phrases))),
        )


@dataclass
class ParsedQuery:
    """A checked query: the Whoosh tree to run and what its matches look like.

    ``query`` is what runs (phrases rewritten into common grams, filters resolved);
    ``words`` is the same query before the phrase rewrite, which says what to highlight.
    ``scored`` is False for a query of filters alone: ranking them means nothing, so they
    are collected unscored in reading order.
    """

    text: str
    query: wq.Query
    words: wq.Query
    work_only: bool
    scored: bool
    # Fuzzy terms as the search expanded them, (field, text) -> index terms: highlighting
    # reuses them rather than walking the term list a second time.
    expanded: dict[tuple[str, str], set[str]] = field(default_factory=dict, repr=False)
    _highlights: dict[str, Highlight] = field(default_factory=dict, repr=False)

    def highlight(self, reader: Any, fieldname: str) -> Highlight:
        """The terms to mark in ``fieldname``, worked out once per query, not per hit."""
        found = self._highlights.get(fieldname)
        if found is None:
            found = _collect_highlight(self.words, reader, fieldname, self.expanded)
            self._highlights[fieldname] = found
        return found


class WordPrefix(wq.Prefix):
    """A prefix query that never expands to a common-gram pair ("she was")."""

    def _btexts(self, ixreader: Any) -> Any:
        return (t for t in super()._btexts(ixreader) if not is_pair(_text(t)))


class WordFuzzyTerm(wq.FuzzyTerm):
    """A fuzzy term that never expands to a common-gram pair."""

    def _btexts(self, ixreader: Any) -> Any:
        return (t for t in super()._btexts(ixreader) if not is_pair(_text(t)))


# ---------------------------------------------------------------- the parser

_PARSER_LOCK = threading.Lock()
_PARSERS: dict[int, qparser.QueryParser] = {}


def _parser(schema: Schema) -> qparser.QueryParser:
    with _PARSER_LOCK:
        parser = _PARSERS.get(id(schema))
        if parser is None:
            parser = qparser.QueryParser(BODY, schema)
            parser.remove_plugin_class(qparser.WildcardPlugin)
            parser.add_plugin(qparser.PrefixPlugin())
            parser.add_plugin(qparser.FuzzyTermPlugin())
            parser.add_plugin(qparser.GtLtPlugin())
            aliases: dict[str, list[str]] = {}
            for alias, name in FIELD_ALIASES.items():
                if alias != name:
                    aliases.setdefault(name, []).append(alias)
            parser.add_plugin(qparser.FieldAliasPlugin(aliases))
            _PARSERS.clear()
            _PARSERS[id(schema)] = parser
        return parser


# ---------------------------------------------------------------- checks before parsing

_QUOTED = re.compile(r'"[^"]*"')
_FIELD_NAME = re.compile(r"(?<![\w.:])([A-Za-z_][\w-]*):(\S?)")
_FILTER_NAMES = sorted(
    {"fandom", "character", "relationship", "tag", "warning", "category", "rating"}
    | {"status", "project", "title", "kind", "summary", "notes", "disclaimer", "spoiler"}
    | {"modified", "words"}
)


def _mask_quotes(text: str) -> str:
    """The text with quoted phrases blanked out, keeping every other character's place."""
    return _QUOTED.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)


def _check_text(text: str) -> None:
    if not text.strip():
        raise QueryError("the search is empty: type a word, a phrase or a filter")
    if text.count('"') % 2:
        raise QueryError('a quotation mark is not closed: phrases go between two " marks')
    masked = _mask_quotes(text)
    depth = 0
    for char in masked:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("a ')' has no '(' before it")
    if depth:
        raise QueryError("a '(' is not closed")
    for match in _FIELD_NAME.finditer(masked):
        name, following = match.group(1), match.group(2)
        if name.casefold() not in FIELD_ALIASES:
            raise QueryError(
                f"unknown filter {name + ':'!r}; filters are: "
                + ", ".join(f"{n}:" for n in _FILTER_NAMES)
            )
        if following in ("", ")"):
            raise QueryError(f'{name}: needs a value, e.g. {name}:"…"')


# ---------------------------------------------------------------- rewriting after parsing


def _canonical(fieldname: str, text: str) -> str:
    """A filter value resolved through the app's aliases (raises QueryError if unknown)."""
    try:
        if fieldname == "rating":
            return normalise_tag(vocabulary.canonical_rating(text))
        if fieldname == "status":
            return vocabulary.canonical_status(text)
        if fieldname == "warnings":
            return tag_query_form(vocabulary.canonical_warning(text))
        if fieldname == "categories":
            return tag_query_form(vocabulary.canonical_category(text))
    except MetadataError as error:
        if fieldname in ("warnings", "categories"):
            return text  # Free words still match part of a warning or category.
        raise QueryError(str(error)) from None
    if fieldname == "kind":
        kind = text.casefold()
        if kind not in KINDS and kind.endswith("s") and kind[:-1] in KINDS:
            kind = kind[:-1]
        if kind not in KINDS:
            raise QueryError(f"unknown kind {text!r}; kinds are: {', '.join(KINDS)}")
        return kind
    return text


def _common_grams(q: wq.Phrase) -> wq.Query:
    """A body phrase as common grams: each adjacent pair with a common word becomes its
    pair term, other words stay single, all at consecutive positions. "a great deal of"
    -> ["a great", "great", "deal of"]: the same documents, far fewer positions read."""
    words = [_text(w) for w in q.words]
    terms: list[str] = []
    last_covered = False
    for first, second in zip(words, words[1:], strict=False):
        pair = common_pair(first, second)
        terms.append(pair or first)
        last_covered = pair is not None
    if not last_covered:
        terms.append(words[-1])
    if len(terms) == 1:
        return wq.Term(BODY, terms[0], boost=q.boost)
    return wq.Phrase(BODY, terms, slop=1, boost=q.boost)


def _expand_body(q: wq.Query) -> wq.Query:
    """Body queries as they run against common grams (see :func:`_common_grams`)."""
    if isinstance(q, wq.Phrase) and q.fieldname == BODY and q.slop == 1 and len(q.words) > 1:
        return _common_grams(q)
    if isinstance(q, wq.Prefix) and q.fieldname == BODY:
        return WordPrefix(q.fieldname, q.text, boost=q.boost)
    if isinstance(q, wq.FuzzyTerm) and q.fieldname == BODY:
        return WordFuzzyTerm(q.fieldname, q.text, q.boost, q.maxdist, q.prefixlength)
    if q.is_leaf():
        return q
    return q.apply(_expand_body)


_ALIASED = frozenset({"rating", "status", "kind", "warnings", "categories"})


def _rewrite(q: wq.Query) -> wq.Query:
    error = getattr(q, "error", None)
    if error:
        raise QueryError(f"cannot read the search: {error}")
    if isinstance(q, wq.FuzzyTerm) and q.prefixlength < 1:
        # The first letter must match: typos rarely hit it, and without it Whoosh walks
        # the whole term list (1.4 s on the benchmark library instead of 50 ms).
        return wq.FuzzyTerm(q.fieldname, q.text, q.boost, q.maxdist, 1)
    if isinstance(q, wq.Term) and q.fieldname in _ALIASED:
        return wq.Term(q.fieldname, _canonical(q.fieldname, str(q.text)), boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(_rewrite)


def _leaf_fields(q: wq.Query) -> set[str]:
    names: set[str] = set()
    for leaf in q.leaves():
        name = leaf.field()
        names.add(name if name else "*")
    return names


def parse_query(text: str, schema: Schema) -> ParsedQuery:
    """Check and parse a query; raises :class:`QueryError` with a one-line message."""
    _check_text(text)
    try:
        parsed = _parser(schema).parse(text)
    except QueryError:
        raise
    except Exception as error:  # Whoosh raises plain ValueErrors for bad ranges.
        raise QueryError(f"cannot read the search: {error}") from None
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        if getattr(parsed, "error", None):
            raise QueryError(f"cannot read the search: {parsed.error}")
        raise QueryError("nothing to search for: type a word, a phrase or a filter")
    rewritten = _rewrite(parsed).normalize()
    if rewritten is wq.NullQuery:
        raise QueryError("nothing to search for: type a word, a phrase or a filter")
    names = _leaf_fields(rewritten)
    work_only = bool(names) and names <= WORK_FILTER_FIELDS
    scored = bool(names & TEXT_FIELDS)
    if work_only:
        rewritten = wq.And([rewritten, wq.Term("kind", "work")])
    return ParsedQuery(text, _expand_body(rewritten), rewritten, work_only, scored)


# ---------------------------------------------------------------- what to highlight


def _positive_leaves(q: wq.Query) -> list[wq.Query]:
    """Leaves that make a document match (not the ones under NOT)."""
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.AndNot):
        return _positive_leaves(q.a)
    if q.is_leaf():
        return [q]
    leaves: list[wq.Query] = []
    for child in q.children():
        leaves.extend(_positive_leaves(child))
    return leaves


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _collect_highlight(
    q: wq.Query, reader: Any, fieldname: str, expanded: dict[tuple[str, str], set[str]]
) -> Highlight:
    if fieldname not in TEXT_FIELDS:
        return Highlight()
    terms: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for leaf in _positive_leaves(q):
        if leaf.field() != fieldname:
            continue
        if isinstance(leaf, wq.Term):
            terms.add(_text(leaf.text))
        elif isinstance(leaf, wq.Prefix):
            prefixes.append(_text(leaf.text))
        elif isinstance(leaf, wq.Phrase):
            words = tuple(_text(w) for w in leaf.words)
            if len(words) == 1:
                terms.add(words[0])
            elif words:
                phrases.append(words)
        elif isinstance(leaf, wq.FuzzyTerm):
            known = expanded.get((fieldname, _text(leaf.text)))
            found = known if known is not None else map(_text, leaf._btexts(reader))
            for number, text in enumerate(found):
                if number >= MAX_EXPANDED_TERMS:
                    break
                if not is_pair(text):
                    terms.add(text)
    return Highlight(frozenset(terms), tuple(dict.fromkeys(prefixes)), tuple(phrases))
