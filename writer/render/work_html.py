"""An assembled work as one HTML fragment: the "preview the whole work" view and the base
of the standalone HTML export.

Metadata is escaped; summaries, notes and disclaimers may hold Markdown (authors italicise
titles in them) and go through the same renderer as the prose.
"""

from __future__ import annotations

import re
from html import escape

from writer.render.assembled import AssembledChapter, AssembledWork
from writer.render.markdown import render_markdown


def field_rows(work: AssembledWork) -> list[tuple[str, str]]:
    """The labelled metadata of a title page, in the archive's order, empty ones left out."""
    meta = work.meta
    rows = [
        ("Rating", meta.rating),
        ("Archive Warnings", ", ".join(meta.warnings)),
        ("Categories", ", ".join(meta.categories)),
        ("Fandoms", ", ".join(meta.fandoms)),
        ("Relationships", ", ".join(meta.relationships)),
        ("Characters", ", ".join(meta.characters)),
        ("Additional Tags", ", ".join(meta.tags)),
        ("Language", meta.language),
        (
            "Series",
            "; ".join(f"Part {s.part} of {s.name}" if s.part else s.name for s in meta.series),
        ),
        ("Words", f"{work.words:,}"),
        ("Chapters", work.chapter_count_label),
    ]
    return [(label, value) for label, value in rows if value]


def _block(css_class: str, label: str, markdown_text: str) -> str:
    if not markdown_text.strip():
        return ""
    return (
        f'<div class="{css_class}"><p class="label"><strong>{escape(label)}</strong></p>'
        f"{render_markdown(markdown_text)}</div>\n"
    )


def title_page_html(work: AssembledWork) -> str:
    """Title, byline, the metadata table, summary, disclaimer, spoiler warning and notes."""
    meta, options = work.meta, work.options
    out = ['<div class="title-page">']
    out.append(f'<h1 class="work-title">{escape(meta.title)}</h1>')
    authors = [a for a in [meta.author, *meta.co_authors] if a]
    if authors:
        out.append(f'<p class="byline">by {escape(", ".join(authors))}</p>')
    if options.title_page:
        rows = "".join(
            f'<tr><th align="left">{escape(k)}:</th><td>{escape(v)}</td></tr>'
            for k, v in field_rows(work)
        )
        out.append(f'<table class="work-meta">{rows}</table>')
        out.append(_block("summary", "Summary", meta.summary))
    if options.disclaimer:
        out.append(_block("disclaimer", "Disclaimer", meta.disclaimer))
    if options.spoiler_warning and work.spoiler_text:
        out.append(_block("spoiler-warning", "⚠ Spoiler warning", work.spoiler_text))
    if options.work_notes:
        out.append(_block("notes", "Notes", meta.notes_begin))
    out.append("</div>\n")
    return "".join(out)


_FOOTNOTE_ID = re.compile(r'(id="|href="#)(fn(?:ref)?\d*:)')


def _chapter_text_html(chapter: AssembledChapter) -> str:
    """The chapter's prose; footnote ids get the chapter's number, since every chapter
    numbers its footnotes from 1 and one page holds them all."""
    html = render_markdown(chapter.markdown)
    return _FOOTNOTE_ID.sub(lambda m: f"{m.group(1)}c{chapter.number}-{m.group(2)}", html)


def chapter_html(chapter: AssembledChapter) -> str:
    """One chapter: heading, summary, notes, text, end notes."""
    out = [f'<div class="chapter" id="chapter-{chapter.number}">']
    if chapter.heading:
        out.append(f'<h2 class="chapter-heading">{escape(chapter.heading)}</h2>')
    out.append(_block("summary", "Chapter Summary", chapter.summary))
    out.append(_block("notes", "Chapter Notes", chapter.notes_begin))
    out.append(f'<div class="chapter-text">{_chapter_text_html(chapter)}</div>')
    out.append(_block("notes end-notes", "Chapter End Notes", chapter.notes_end))
    out.append("</div>\n")
    return "".join(out)


def work_to_html(work: AssembledWork) -> str:
    """The whole work as an HTML fragment: title page, parts and chapters, end notes."""
    out = [title_page_html(work)]
    part = ""
    for chapter in work.chapters:
        if chapter.part and chapter.part != part:
            out.append(f'<h1 class="part-heading">{escape(chapter.part)}</h1>\n')
        part = chapter.part
        out.append(chapter_html(chapter))
    if work.options.work_notes:
        out.append(_block("notes end-notes", "End Notes", work.meta.notes_end))
    return "".join(out)
