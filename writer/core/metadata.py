"""Metadata of a work and of its documents, and how each field is read and set.

The dataclass field names are the JSON keys of ``project.json`` and of ``writer info
--json``: one vocabulary everywhere. Values are stored canonical (see ``vocabulary``);
aliases are accepted by :func:`set_work_field` and :func:`set_doc_field`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from writer.core import vocabulary as vocab
from writer.core.errors import MetadataError


def now_iso() -> str:
    """The current time as the ISO 8601 string stored in ``created``/``modified``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class SeriesEntry:
    """A series the work belongs to, and its place in it (``part`` may be unknown)."""

    name: str
    part: int | None = None


@dataclass
class Link:
    """Where a work or chapter is posted, with its posting and update dates."""

    site: str
    url: str
    posted: str = ""
    updated: str = ""


@dataclass
class WorkMeta:
    """Everything an author says about a work as a whole."""

    title: str = ""
    author: str = ""
    co_authors: list[str] = field(default_factory=list)
    language: str = "en"
    fandoms: list[str] = field(default_factory=list)
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    notes_begin: str = ""
    notes_end: str = ""
    disclaimer: str = ""
    spoilers: list[str] = field(default_factory=list)
    spoiler_note: str = ""
    status: str = "draft"
    posting: str = "wip"
    chapters_expected: int | None = None
    series: list[SeriesEntry] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    word_goal: int | None = None
    created: str = ""
    modified: str = ""


@dataclass
class DocMeta:
    """What a chapter, scene or note carries besides its text."""

    title: str = ""
    summary: str = ""
    synopsis: str = ""
    status: str = "draft"
    notes_begin: str = ""
    notes_end: str = ""
    word_goal: int | None = None
    links: list[Link] = field(default_factory=list)


WORK_FIELDS = tuple(f.name for f in dataclasses.fields(WorkMeta))
DOC_FIELDS = tuple(f.name for f in dataclasses.fields(DocMeta))
LIST_FIELDS = frozenset(
    {
        "co_authors",
        "fandoms",
        "warnings",
        "categories",
        "relationships",
        "characters",
        "tags",
        "spoilers",
        "series",
        "links",
    }
)
INT_FIELDS = frozenset({"chapters_expected", "word_goal"})
READ_ONLY_FIELDS = frozenset({"created", "modified"})

# Field names authors reach for, mapped to the stored ones.
FIELD_ALIASES = {
    "fandom": "fandoms",
    "warning": "warnings",
    "archive_warnings": "warnings",
    "category": "categories",
    "relationship": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "character": "characters",
    "tag": "tags",
    "additional_tags": "tags",
    "co_author": "co_authors",
    "coauthors": "co_authors",
    "spoiler": "spoilers",
    "notes": "notes_begin",
    "author_note": "notes_begin",
    "end_notes": "notes_end",
    "goal": "word_goal",
    "link": "links",
    "lang": "language",
}


def canonical_field(name: str, allowed: tuple[str, ...] = WORK_FIELDS) -> str:
    """Resolve a field name as typed (``fandom``, ``Pairing``, ``word-goal``)."""
    key = name.strip().casefold().replace("-", "_").replace(" ", "_")
    key = FIELD_ALIASES.get(key, key)
    if key not in allowed:
        raise MetadataError(f"unknown field {name!r}; fields are: {', '.join(allowed)}")
    return key


# ---------------------------------------------------------------- dict conversion


def _list_of_str(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(item) for item in value if str(item)]


def _opt_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _series(value: Any) -> list[SeriesEntry]:
    return [
        SeriesEntry(str(item.get("name", "")), _opt_int(item.get("part"))) for item in value or []
    ]


def _links(value: Any) -> list[Link]:
    return [
        Link(
            site=str(item.get("site", "")),
            url=str(item.get("url", "")),
            posted=str(item.get("posted", "")),
            updated=str(item.get("updated", "")),
        )
        for item in value or []
    ]


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):
        if spec.name not in data:
            continue
        value = data[spec.name]
        if spec.name == "series":
            kwargs[spec.name] = _series(value)
        elif spec.name == "links":
            kwargs[spec.name] = _links(value)
        elif spec.name in LIST_FIELDS:
            kwargs[spec.name] = _list_of_str(value)
        elif spec.name in INT_FIELDS:
            kwargs[spec.name] = _opt_int(value)
        else:
            kwargs[spec.name] = "" if value is None else str(value)
    return cls(**kwargs)


def work_from_dict(data: dict[str, Any]) -> WorkMeta:
    """Read work metadata from a ``project.json`` mapping; unknown keys are ignored."""
    return _from_dict(WorkMeta, data)


def doc_from_dict(data: dict[str, Any]) -> DocMeta:
    """Read a document's metadata from its tree node mapping."""
    return _from_dict(DocMeta, data)


def to_dict(meta: WorkMeta | DocMeta) -> dict[str, Any]:
    """Every field, lists as lists, nested entries as mappings (JSON-ready)."""
    return dataclasses.asdict(meta)


# ---------------------------------------------------------------- setting fields

SetMode = Literal["replace", "add", "remove", "clear"]

_CHOICE_NORMALISERS = {
    "rating": vocab.canonical_rating,
    "status": vocab.canonical_status,
    "posting": vocab.canonical_posting,
    "language": vocab.canonical_language,
}
_ITEM_NORMALISERS = {
    "warnings": vocab.canonical_warning,
    "categories": vocab.canonical_category,
}


def parse_series(text: str) -> SeriesEntry:
    """``"Name"`` or ``"Name#2"`` -> a series entry (part 2)."""
    match = re.match(r"^(.*?)\s*#\s*(\d+)\s*$", text, re.DOTALL)
    if match:
        return SeriesEntry(match.group(1).strip(), int(match.group(2)))
    return SeriesEntry(text.strip())


def parse_link(text: str) -> Link:
    """``"URL"`` or ``"SITE=URL"`` -> a link; the site defaults to the URL's host."""
    site, sep, url = text.partition("=")
    if not sep or "://" in site:
        url, site = text, ""
    url = url.strip()
    if not re.match(r"^https?://", url):
        raise MetadataError(f"link {url!r} is not an http(s) address")
    if not site:
        site = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return Link(site=site.strip(), url=url)


def _parse_int(name: str, text: str) -> int | None:
    text = text.strip().replace(",", "").replace("_", "")
    if text.casefold() in ("", "?", "none"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise MetadataError(f"{name} must be a whole number, not {text!r}") from None
    if value < 0:
        raise MetadataError(f"{name} cannot be negative")
    return value


def _parse_items(name: str, values: list[str]) -> list[Any]:
    if name == "series":
        return [parse_series(v) for v in values if v.strip()]
    if name == "links":
        return [parse_link(v) for v in values if v.strip()]
    normalise = _ITEM_NORMALISERS.get(name, str.strip)
    return [normalise(v) for v in values if v.strip()]


def _item_key(item: Any) -> str:
    if isinstance(item, SeriesEntry):
        return item.name.casefold()
    if isinstance(item, Link):
        return item.url
    return str(item).casefold()


def _set_field(meta: Any, name: str, values: list[str], mode: SetMode) -> None:
    if name in READ_ONLY_FIELDS:
        raise MetadataError(f"{name} is kept by the app and cannot be set")
    if name in LIST_FIELDS:
        current = list(getattr(meta, name))
        items = _parse_items(name, values) if mode != "clear" else []
        if mode in ("replace", "clear"):
            current = []
        if mode == "remove":
            drop = {_item_key(i) for i in items}
            current = [i for i in current if _item_key(i) not in drop]
        else:
            seen = {_item_key(i) for i in current}
            for item in items:
                if _item_key(item) not in seen:
                    current.append(item)
                    seen.add(_item_key(item))
        setattr(meta, name, current)
        return
    if mode in ("add", "remove"):
        raise MetadataError(f"{name} holds a single value: use it without --add/--remove")
    text = "" if mode == "clear" else " ".join(values).strip()
    if name in INT_FIELDS:
        setattr(meta, name, _parse_int(name, text))
    elif name in _CHOICE_NORMALISERS and text:
        setattr(meta, name, _CHOICE_NORMALISERS[name](text))
    else:
        setattr(meta, name, text)


def set_work_field(meta: WorkMeta, name: str, values: list[str], mode: SetMode = "replace") -> str:
    """Set, add to, remove from or clear a work field; returns the canonical field name."""
    key = canonical_field(name, WORK_FIELDS)
    _set_field(meta, key, values, mode)
    return key


def set_doc_field(meta: DocMeta, name: str, values: list[str], mode: SetMode = "replace") -> str:
    """The same as :func:`set_work_field` for a chapter's, scene's or note's metadata."""
    key = canonical_field(name, DOC_FIELDS)
    _set_field(meta, key, values, mode)
    return key
