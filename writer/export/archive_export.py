"""Archive-ready export: HTML that the Archive of Our Own keeps as it is, plus a field sheet.

Posting is paste, paste, paste: ``work.html`` (or one file per chapter) goes into the
work text box, and ``fields.txt`` lists every form field ready to copy. The archive has no
disclaimer or spoiler field, so both open the beginning notes. Footnote markup from
Python-Markdown (ids and classes the archive strips) is rewritten to ``<a name>`` anchors,
and everything passes a second, stricter allowlist taken from the archive's own rules.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import nh3

from writer.core import vocabulary as vocab
from writer.core.errors import WriterError
from writer.core.limits import check_document, check_work
from writer.core.metadata import DocMeta
from writer.export.base import ExportOptions, Progress, report, write_output
from writer.render.assembled import AssembledChapter, AssembledWork
from writer.render.markdown import render_markdown

ARCHIVE_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption",
        "center", "cite", "code", "col", "colgroup", "details", "figcaption", "figure", "dd",
        "del", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
    }
)  # fmt: skip
_GENERIC = {"align", "dir", "lang", "title"}
ARCHIVE_ATTRIBUTES = {
    **{tag: set(_GENERIC) for tag in ARCHIVE_TAGS},
    "a": _GENERIC | {"href", "name"},
    "img": _GENERIC | {"src", "alt", "width", "height"},
    "ol": _GENERIC | {"start", "type"},
}
_CLEAN_CONTENT = {"script", "style", "iframe", "svg", "math", "object", "embed", "noscript"}

_FN_REF = re.compile(r'<sup id="fnref(\d*):([\w-]+)"><a class="footnote-ref" href="#fn:([\w-]+)">')
_FN_ITEM = re.compile(r'<li id="fn:([\w-]+)">')
_FN_BACK = re.compile(r'<a class="footnote-backref" href="#fnref(\d*):([\w-]+)"[^>]*>')
_SCENE_BREAK = re.compile(r'<hr class="scene-break"\s*/?>')


def archive_html(markdown_text: str, prefix: str = "", scene_break: str = "* * *") -> str:
    """Markdown rendered, footnotes re-anchored, and cleaned to the archive's allowlist."""
    html = render_markdown(markdown_text)
    html = _FN_REF.sub(
        lambda m: (
            f'<sup><a name="{prefix}fnref{m.group(1)}-{m.group(2)}" '
            f'href="#{prefix}fn-{m.group(3)}">'
        ),
        html,
    )
    html = _FN_ITEM.sub(lambda m: f'<li><a name="{prefix}fn-{m.group(1)}"></a>', html)
    html = _FN_BACK.sub(
        lambda m: f'<a href="#{prefix}fnref{m.group(1)}-{m.group(2)}" title="Back to the text">',
        html,
    )
    html = _SCENE_BREAK.sub(f'<p align="center">{escape(scene_break)}</p>', html)
    return nh3.clean(
        html,
        tags=set(ARCHIVE_TAGS),
        attributes=ARCHIVE_ATTRIBUTES,
        clean_content_tags=_CLEAN_CONTENT,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def beginning_notes(work: AssembledWork) -> str:
    """The work's beginning notes as Markdown: disclaimer, spoiler warning, then the notes."""
    meta, options = work.meta, work.options
    parts = []
    if options.disclaimer and meta.disclaimer.strip():
        parts.append(f"**Disclaimer:** {meta.disclaimer.strip()}")
    if options.spoiler_warning and work.spoiler_text:
        parts.append(f"**Spoiler warning:** {work.spoiler_text}")
    if options.work_notes and meta.notes_begin.strip():
        parts.append(meta.notes_begin.strip())
    return "\n\n".join(parts)


def archive_warnings(work: AssembledWork) -> list[str]:
    """Every archive limit the work breaks and every required field left empty."""
    found = [w.message for w in check_work(work.meta) if w.field != "notes_begin"]
    notes = archive_html(beginning_notes(work))
    if len(notes) > vocab.NOTES_LIMIT:
        found.append(
            f"beginning notes (with disclaimer and spoiler warning) have {len(notes):,} "
            f"characters; the limit is {vocab.NOTES_LIMIT:,}"
        )
    for chapter in work.chapters:
        meta = DocMeta(
            title=chapter.title,
            summary=chapter.summary,
            notes_begin=chapter.notes_begin,
            notes_end=chapter.notes_end,
        )
        text_length = len(archive_html(chapter.markdown))
        for warning in check_document(meta, text_length):
            found.append(f"chapter {chapter.number}: {warning.message}")
    if not any(c.markdown.strip() for c in work.chapters):
        found.append("text is required by the archive")
    return found


def chapter_file_html(chapter: AssembledChapter, scene_break: str) -> str:
    """A chapter's text for the archive's chapter text box."""
    return archive_html(chapter.markdown, f"c{chapter.number}", scene_break) + "\n"


def work_file_html(work: AssembledWork) -> str:
    """The whole work in one file; chapter headings only when there are several."""
    out = []
    for chapter in work.chapters:
        if len(work.chapters) > 1 and chapter.heading:
            out.append(f"<h2>{escape(chapter.heading)}</h2>")
        out.append(chapter_file_html(chapter, work.options.scene_break))
    return "\n".join(out)


def _rich(markdown_text: str) -> str:
    return archive_html(markdown_text) if markdown_text.strip() else ""


def _field(name: str, value: str) -> str:
    return f"== {name} ==\n{value.strip() if value.strip() else '(empty)'}\n"


def field_sheet(work: AssembledWork, warnings: list[str]) -> str:
    """The posting form's fields in order; rich fields as archive HTML, others as text."""
    meta = work.meta
    lines = [f"Archive posting sheet for {meta.title}", ""]
    if warnings:
        lines += ["CHECK BEFORE POSTING:", *[f"  - {w}" for w in warnings], ""]
    lines += [
        _field("Rating", meta.rating),
        _field("Archive Warnings", ", ".join(meta.warnings)),
        _field("Fandoms", ", ".join(meta.fandoms)),
        _field("Categories", ", ".join(meta.categories)),
        _field("Relationships", ", ".join(meta.relationships)),
        _field("Characters", ", ".join(meta.characters)),
        _field("Additional Tags", ", ".join(meta.tags)),
        _field("Work Title", meta.title),
        _field("Creators", ", ".join(a for a in [meta.author, *meta.co_authors] if a)),
        _field("Summary", _rich(meta.summary)),
        _field("Notes at the beginning", _rich(beginning_notes(work))),
        _field(
            "Notes at the end",
            _rich(meta.notes_end) if work.options.work_notes else "",
        ),
        _field("Language", meta.language),
        _field("Series", "; ".join(f"{s.name} (part {s.part or '?'})" for s in meta.series)),
        _field("Chapters", work.chapter_count_label),
    ]
    for chapter in work.chapters:
        lines.append(f"---------- Chapter {chapter.number} ----------")
        lines.append(_field("Chapter Title", chapter.title))
        lines.append(_field("Chapter Summary", _rich(chapter.summary)))
        lines.append(
            _field(
                "Chapter Notes (beginning)",
                _rich(chapter.notes_begin),
            )
        )
        lines.append(_field("Chapter Notes (end)", _rich(chapter.notes_end)))
    return "\n".join(lines)


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write ``work.html`` (and ``chapter-NN.html`` with ``per_chapter``) and ``fields.txt``
    into the folder ``target``."""
    if target.exists() and not target.is_dir():
        raise WriterError(f"{target} is a file; the archive export writes into a folder")
    written = [write_output(target / "work.html", work_file_html(work).encode("utf-8"))]
    if options.per_chapter:
        for done, chapter in enumerate(work.chapters, start=1):
            html = chapter_file_html(chapter, work.options.scene_break)
            name = f"chapter-{chapter.number:02d}.html"
            written.append(write_output(target / name, html.encode("utf-8")))
            report(progress, done, len(work.chapters))
    sheet = field_sheet(work, archive_warnings(work))
    written.append(write_output(target / "fields.txt", sheet.encode("utf-8")))
    report(progress, len(work.chapters), len(work.chapters))
    return written
