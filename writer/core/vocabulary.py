"""Canonical archive values, the aliases authors type for them, and the archives' limits.

Projects store the canonical strings the Archive of Our Own uses (so an export can be
pasted as it is); every input path accepts the aliases below, including FanFiction.Net's
ratings. Limits are reported as warnings and never enforced by cutting text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from writer.core.errors import MetadataError

RATINGS = (
    "Not Rated",
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
)
WARNINGS = (
    "Creator Chose Not To Use Archive Warnings",
    "No Archive Warnings Apply",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
)
CATEGORIES = ("Gen", "F/M", "M/M", "F/F", "Multi", "Other")
STATUSES = ("idea", "draft", "revising", "complete")
POSTING = ("wip", "complete")


def _key(value: str) -> str:
    """Fold case, spaces, and punctuation that authors vary, for alias lookup."""
    return re.sub(r"[\s_.]+", " ", value.strip().casefold()).strip()


def _table(canonical: Iterable[str], aliases: dict[str, str]) -> dict[str, str]:
    table = {_key(name): name for name in canonical}
    table.update({_key(alias): name for alias, name in aliases.items()})
    return table


_RATING_ALIASES = _table(
    RATINGS,
    {
        "nr": "Not Rated",
        "none": "Not Rated",
        "unrated": "Not Rated",
        "notrated": "Not Rated",
        "g": "General Audiences",
        "general": "General Audiences",
        "k": "General Audiences",
        "k+": "General Audiences",
        "fr7": "General Audiences",
        "t": "Teen And Up Audiences",
        "teen": "Teen And Up Audiences",
        "teen and up": "Teen And Up Audiences",
        "teens": "Teen And Up Audiences",
        "pg": "Teen And Up Audiences",
        "pg-13": "Teen And Up Audiences",
        "fr13": "Teen And Up Audiences",
        "m": "Mature",
        "r": "Mature",
        "fr15": "Mature",
        "e": "Explicit",
        "ma": "Explicit",
        "nc-17": "Explicit",
        "fr18": "Explicit",
    },
)
_WARNING_ALIASES = _table(
    WARNINGS,
    {
        "cntw": "Creator Chose Not To Use Archive Warnings",
        "choose not to warn": "Creator Chose Not To Use Archive Warnings",
        "chose not to warn": "Creator Chose Not To Use Archive Warnings",
        "creator chose not to warn": "Creator Chose Not To Use Archive Warnings",
        "none": "No Archive Warnings Apply",
        "no warnings": "No Archive Warnings Apply",
        "no archive warnings": "No Archive Warnings Apply",
        "violence": "Graphic Depictions Of Violence",
        "graphic violence": "Graphic Depictions Of Violence",
        "mcd": "Major Character Death",
        "character death": "Major Character Death",
        "rape": "Rape/Non-Con",
        "non-con": "Rape/Non-Con",
        "noncon": "Rape/Non-Con",
        "underage": "Underage Sex",
    },
)
_CATEGORY_ALIASES = _table(
    CATEGORIES,
    {
        "general": "Gen",
        "het": "F/M",
        "fm": "F/M",
        "slash": "M/M",
        "mm": "M/M",
        "femslash": "F/F",
        "ff": "F/F",
        "multiple": "Multi",
    },
)
_STATUS_ALIASES = _table(
    STATUSES,
    {
        "planned": "idea",
        "plan": "idea",
        "drafting": "draft",
        "first draft": "draft",
        "revision": "revising",
        "editing": "revising",
        "edit": "revising",
        "done": "complete",
        "finished": "complete",
        "completed": "complete",
    },
)
_POSTING_ALIASES = _table(
    POSTING,
    {
        "in progress": "wip",
        "work in progress": "wip",
        "ongoing": "wip",
        "incomplete": "wip",
        "completed": "complete",
        "finished": "complete",
        "done": "complete",
    },
)
_LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "french": "fr",
    "français": "fr",
    "german": "de",
    "deutsch": "de",
    "italian": "it",
    "italiano": "it",
    "portuguese": "pt",
    "português": "pt",
    "dutch": "nl",
    "nederlands": "nl",
    "polish": "pl",
    "polski": "pl",
    "russian": "ru",
    "русский": "ru",
    "chinese": "zh",
    "中文": "zh",
    "japanese": "ja",
    "日本語": "ja",
    "korean": "ko",
    "한국어": "ko",
    "swedish": "sv",
    "svenska": "sv",
    "finnish": "fi",
    "suomi": "fi",
}
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def _lookup(table: dict[str, str], value: str, what: str, canonical: Iterable[str]) -> str:
    found = table.get(_key(value))
    if found is None:
        choices = ", ".join(canonical)
        raise MetadataError(f"unknown {what} {value!r}; use one of: {choices}")
    return found


def canonical_rating(value: str) -> str:
    """``teen``, ``T``, ``K+``, ``Mature`` ... -> the archive's rating string."""
    return _lookup(_RATING_ALIASES, value, "rating", RATINGS)


def canonical_warning(value: str) -> str:
    """``mcd``, ``none``, ``violence`` ... -> the archive's warning string."""
    return _lookup(_WARNING_ALIASES, value, "archive warning", WARNINGS)


def canonical_category(value: str) -> str:
    """``slash``, ``f/f``, ``gen`` ... -> the archive's category string."""
    return _lookup(_CATEGORY_ALIASES, value, "category", CATEGORIES)


def canonical_status(value: str) -> str:
    """``done``, ``editing`` ... -> one of idea, draft, revising, complete."""
    return _lookup(_STATUS_ALIASES, value, "status", STATUSES)


def canonical_posting(value: str) -> str:
    """``in progress``, ``finished`` ... -> ``wip`` or ``complete``."""
    return _lookup(_POSTING_ALIASES, value, "posting state", POSTING)


def canonical_language(value: str) -> str:
    """A BCP-47 code as given (``en``, ``pt-BR``), or a common language name -> its code."""
    text = value.strip()
    named = _LANGUAGE_NAMES.get(text.casefold())
    if named:
        return named
    if not _BCP47.match(text):
        raise MetadataError(f"language {value!r} is not a BCP-47 code such as en, fr or pt-BR")
    head, *rest = text.split("-")
    parts = [head.lower()]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(parts)


# Limits of the Archive of Our Own, which are the strictest authors meet.
TITLE_LIMIT = 255
SUMMARY_LIMIT = 1250
NOTES_LIMIT = 5000
TAG_LIMIT = 150
TAG_COUNT_LIMIT = 75
CHAPTER_TEXT_LIMIT = 500_000
REQUIRED_FIELDS = ("title", "rating", "warnings", "fandoms", "language")
