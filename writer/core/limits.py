"""Archive limits and required fields, reported as warnings and never enforced by cutting.

The window shows these beside the fields, the CLI prints them with ``writer info``, and the
archive exporter repeats them before the author pastes anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from writer.core import vocabulary as vocab
from writer.core.metadata import DocMeta, WorkMeta


@dataclass(frozen=True)
class LimitWarning:
    """One broken limit or missing required field: which field, and what is wrong."""

    field: str
    message: str


def _too_long(field: str, text: str, limit: int) -> list[LimitWarning]:
    if len(text) > limit:
        message = f"{field} has {len(text):,} characters; the limit is {limit:,}"
        return [LimitWarning(field, message)]
    return []


def check_work(meta: WorkMeta) -> list[LimitWarning]:
    """Every limit the work's metadata breaks and every required field left empty."""
    found: list[LimitWarning] = []
    for name in vocab.REQUIRED_FIELDS:
        if not getattr(meta, name):
            found.append(LimitWarning(name, f"{name} is required by the archive"))
    found += _too_long("title", meta.title, vocab.TITLE_LIMIT)
    found += _too_long("summary", meta.summary, vocab.SUMMARY_LIMIT)
    found += _too_long("notes_begin", meta.notes_begin, vocab.NOTES_LIMIT)
    found += _too_long("notes_end", meta.notes_end, vocab.NOTES_LIMIT)
    tag_fields = ("fandoms", "relationships", "characters", "tags")
    total = 0
    for name in tag_fields:
        for tag in getattr(meta, name):
            total += 1
            if len(tag) > vocab.TAG_LIMIT:
                found.append(
                    LimitWarning(
                        name, f"{name} entry {tag[:30]!r}… is longer than {vocab.TAG_LIMIT}"
                    )
                )
    if total > vocab.TAG_COUNT_LIMIT:
        found.append(
            LimitWarning("tags", f"{total} tags in all; the limit is {vocab.TAG_COUNT_LIMIT}")
        )
    return found


def check_document(meta: DocMeta, text_length: int = 0) -> list[LimitWarning]:
    """Limits on a chapter's own fields and on its text length."""
    found = _too_long("title", meta.title, vocab.TITLE_LIMIT)
    found += _too_long("summary", meta.summary, vocab.SUMMARY_LIMIT)
    found += _too_long("notes_begin", meta.notes_begin, vocab.NOTES_LIMIT)
    found += _too_long("notes_end", meta.notes_end, vocab.NOTES_LIMIT)
    if text_length > vocab.CHAPTER_TEXT_LIMIT:
        found.append(
            LimitWarning(
                "text",
                f"the text has {text_length:,} characters; "
                f"the limit is {vocab.CHAPTER_TEXT_LIMIT:,}",
            )
        )
    return found
