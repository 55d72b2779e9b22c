"""Export as one Markdown file: the title page as Markdown, then the chapters as written.

The prose is copied as the author wrote it (no re-rendering), so a Markdown export reads
back into any Markdown tool, or into writer, unchanged.
"""

from __future__ import annotations

from pathlib import Path

from writer.export.base import ExportOptions, Progress, report, write_output
from writer.render.assembled import AssembledWork
from writer.render.sanitize import sanitize_markdown
from writer.render.work_html import field_rows


def _field_lines(work: AssembledWork) -> list[str]:
    return [f"**{label}:** {value}  " for label, value in field_rows(work)]


def _section(label: str, text: str) -> list[str]:
    if not text.strip():
        return []
    return [f"**{label}:**", "", text.strip(), ""]


def front_matter_markdown(work: AssembledWork) -> str:
    """Title, byline, metadata, summary, disclaimer, spoiler warning, notes."""
    meta, options = work.meta, work.options
    lines = [f"# {meta.title}", ""]
    authors = [a for a in [meta.author, *meta.co_authors] if a]
    if authors:
        lines += [f"by {', '.join(authors)}", ""]
    if options.title_page:
        lines += [*_field_lines(work), ""]
        lines += _section("Summary", meta.summary)
    if options.disclaimer:
        lines += _section("Disclaimer", meta.disclaimer)
    if options.spoiler_warning and work.spoiler_text:
        lines += [f"> **⚠ Spoiler warning:** {work.spoiler_text}", ""]
    if options.work_notes:
        lines += _section("Notes", meta.notes_begin)
    return "\n".join(lines)


def work_to_markdown(work: AssembledWork, progress: Progress | None = None) -> str:
    """The whole work as one Markdown document."""
    parts = [front_matter_markdown(work)]
    current_part = ""
    for done, chapter in enumerate(work.chapters, start=1):
        lines: list[str] = []
        if chapter.part and chapter.part != current_part:
            lines += [f"# {chapter.part}", ""]
        current_part = chapter.part
        if chapter.heading:
            lines += [f"## {chapter.heading}", ""]
        lines += _section("Chapter Summary", chapter.summary)
        lines += _section("Chapter Notes", chapter.notes_begin)
        lines += [sanitize_markdown(chapter.markdown).strip(), ""]
        lines += _section("Chapter End Notes", chapter.notes_end)
        parts.append("\n".join(lines))
        report(progress, done, len(work.chapters))
    if work.options.work_notes:
        parts.append("\n".join(_section("End Notes", work.meta.notes_end)))
    return "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write the work as a Markdown file."""
    return [write_output(target, work_to_markdown(work, progress).encode("utf-8"))]
