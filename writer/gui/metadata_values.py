"""How the metadata panel writes model values as text and reads them back.

The panel edits series, links and dates as short lines of text; the model keeps them as
:class:`~writer.core.metadata.SeriesEntry`, :class:`~writer.core.metadata.Link` and ISO
timestamps. Keeping both directions here lets the work and the document fields agree on
one spelling, and keeps the Qt code free of parsing.
"""

from __future__ import annotations

from datetime import datetime

from writer.core import vocabulary as vocab
from writer.core.errors import WriterError
from writer.core.metadata import Link, SeriesEntry, parse_link, parse_series

STATUS_LABELS = {"idea": "Idea", "draft": "Draft", "revising": "Revising", "complete": "Complete"}
POSTING_LABELS = {"wip": "Work in progress", "complete": "Complete"}
KIND_LABELS = {"part": "Part", "chapter": "Chapter", "scene": "Scene", "note": "Note"}
# The status box of the work and of a document offer the same choices.
STATUS_CHOICES = [(s, STATUS_LABELS.get(s, s)) for s in vocab.STATUSES]
WORD_GOAL_MAX = 10_000_000


def series_text(entry: SeriesEntry) -> str:
    return f"{entry.name} #{entry.part}" if entry.part else entry.name


def link_text(link: Link) -> str:
    return f"{link.site}={link.url}" if link.site else link.url


def normalise_series(text: str) -> str:
    """A typed series in its usual form; a series without a name is refused."""
    entry = parse_series(text)
    if not entry.name:
        raise ValueError("a series needs a name, as in “Tides #2”")
    return series_text(entry)


def series_key(text: str) -> str:
    """What makes two series the same: the name, whatever the case or the part."""
    return parse_series(text).name.casefold()


def normalise_link(text: str) -> str:
    return link_text(parse_link(text.strip()))


def link_key(text: str) -> str:
    """What makes two links the same: the address, whatever the site is called."""
    return parse_link(text.strip()).url


def merge_links(values: list[str], old: list[Link]) -> list[Link]:
    """Links from their text, keeping the posted/updated dates of known addresses.

    The dates are not shown in the panel, so editing the list must not lose them.
    """
    known = {link.url: link for link in old}
    links = []
    for value in values:
        try:
            link = parse_link(value)
        except WriterError:
            continue
        if link.url in known:
            link.posted, link.updated = known[link.url].posted, known[link.url].updated
        links.append(link)
    return links


def date_text(iso: str) -> str:
    """``2024-05-01T10:31:07Z`` -> ``2024-05-01 12:31`` in local time ("—" when unset)."""
    if not iso:
        return "—"
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
