"""The Whoosh schema of the library index and the filter names authors type.

One record per indexed document (chapter, scene, note) and one per work (``kind`` "work").
All prose of a record goes into one ``body`` field, so a plain word is one term lookup
rather than an OR over six fields (three times the cost in Whoosh's pure-Python matchers);
the small prose fields (title, summary, notes, ...) are indexed again on their own for
``title:`` and the like. Tag-like metadata (fandoms, characters, ...) sits on every record
of a work, so ``fandom:X dragon`` filters documents. How each field is analysed is in
:mod:`writer.search.analysis`.

The schema is pickled into the index by Whoosh; bump :data:`SCHEMA_VERSION` whenever a
field or an analyser changes, and existing indexes are rebuilt on their next open.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whoosh import fields, formats, query
from whoosh.util.times import ceil, datetime_to_long, floor

from writer.search import whoosh_fixes  # noqa: F401  (installs fixes before any use)
from writer.search.analysis import TagTokenizer, body_analyzer, text_analyzer

SCHEMA_VERSION = 7

# Work-level keyword fields: every record of a work carries them, so they filter documents
# as well as selecting whole works.
TAG_FIELDS = ("fandoms", "characters", "relationships", "tags", "warnings", "categories")
WORK_FILTER_FIELDS = frozenset({*TAG_FIELDS, "rating", "project"})
# The field searched when a word has no field name, and the prose fields it gathers.
BODY = "body"
PROSE_FIELDS = ("title", "summary", "notes", "disclaimer", "spoilers")
TEXT_FIELDS = frozenset({BODY, *PROSE_FIELDS})

# What authors may type before a colon, mapped to the schema's field names.
FIELD_ALIASES: dict[str, str] = {
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "character": "characters",
    "characters": "characters",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "tag": "tags",
    "tags": "tags",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "rating": "rating",
    "ratings": "rating",
    "status": "status",
    "statuses": "status",
    "project": "project",
    "projects": "project",
    "work": "project",
    "title": "title",
    "titles": "title",
    "kind": "kind",
    "kinds": "kind",
    "summary": "summary",
    "summaries": "summary",
    "note": "notes",
    "notes": "notes",
    "disclaimer": "disclaimer",
    "disclaimers": "disclaimer",
    "spoiler": "spoilers",
    "spoilers": "spoilers",
    "modified": "modified",
    "date": "modified",
    "mtime": "modified",
    "updated": "modified",
    "words": "words",
}

KINDS = ("chapter", "scene", "note", "work")


class ModifiedField(fields.DATETIME):
    """Modification times; ranges honour ``>``/``<`` (Whoosh's DATETIME ignores them) and
    a date that cannot be read says which forms are understood."""

    def _parse_datestring(self, qstring: str) -> Any:
        try:
            return super()._parse_datestring(qstring)
        except Exception:
            raise ValueError(
                f"{qstring!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"
            ) from None

    def parse_range(  # type: ignore[override]
        self,
        fieldname: str,
        start: str | None,
        end: str | None,
        startexcl: bool,
        endexcl: bool,
        boost: float = 1.0,
    ) -> Any:
        if start is None and end is None:
            return query.Every(fieldname, boost=boost)
        low = high = None
        if start is not None:
            at = self._parse_datestring(start)
            low = datetime_to_long(ceil(at)) + 1 if startexcl else datetime_to_long(floor(at))
        if end is not None:
            at = self._parse_datestring(end)
            high = datetime_to_long(floor(at)) - 1 if endexcl else datetime_to_long(ceil(at))
        return query.NumericRange(fieldname, low, high, boost=boost)


def _tag_field(ngrams: bool = True) -> fields.FieldType:
    """A filter field: no frequencies or positions, display values stored beside it."""
    return fields.FieldType(
        formats.Existence(),
        TagTokenizer(ngrams),
        scorable=False,
        stored=True,
    )


def build_schema() -> fields.Schema:
    """The schema: one record per indexed document and one per work (``kind`` = work)."""
    analyzer = text_analyzer()

    def prose(stored: bool = False) -> fields.TEXT:
        return fields.TEXT(analyzer=analyzer, phrase=True, stored=stored)

    schema = fields.Schema(
        key=fields.ID(unique=True, stored=True),  # "slug/doc" or "slug/" for the work
        slug=fields.ID(stored=True),  # the project's folder name
        project_id=fields.ID(stored=True),
        project_title=fields.STORED(),
        doc=fields.ID(stored=True),
        kind=fields.ID(stored=True),
        status=fields.ID(stored=True),
        tree=fields.STORED(),  # titles from the top of the manuscript down to this document
        sig=fields.STORED(),  # what reconcile compares with the files
        pjstamp=fields.STORED(),  # works: project.json's size:mtime, for quick reconciles
        spoiler_marks=fields.STORED(),
        project=_tag_field(),  # folder name and title, for project:
        rating=_tag_field(ngrams=False),
        words=fields.NUMERIC(int, bits=64, stored=True),
        modified=ModifiedField(stored=False),
        body=fields.TEXT(analyzer=body_analyzer(), phrase=True, stored=False),
        position=fields.STORED(),  # reading order within the project (0 for the work)
        title=prose(stored=True),
        summary=prose(),
        notes=prose(),
        disclaimer=prose(),
        spoilers=prose(),
    )
    for name in TAG_FIELDS:
        schema.add(name, _tag_field())
    return schema


@lru_cache(maxsize=1)
def shared_schema() -> fields.Schema:
    """One schema object for parsing queries (reading the index's own copy means reading
    its table of contents from disk on every query)."""
    return build_schema()
