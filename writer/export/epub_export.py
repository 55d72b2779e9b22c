"""Export as an EPUB 3 e-book, written with :mod:`zipfile` and nothing else.

Why no e-book library: EbookLib is AGPL and has produced books without content or without
a navigation document; an EPUB is a small, well-specified zip that is easier to get right
by hand and keeps every byte under our control. The book is checked with epubcheck in the
tests.

The content is exactly what :func:`writer.render.work_html.work_to_html` renders for the
preview and the HTML export, split into one XHTML file per chapter (readers paginate and
load per file, and each chapter then starts on a new page), with a title page before them
and the work's end notes after. :mod:`writer.export.epub_parts` turns that HTML into the
XHTML an EPUB requires.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from writer.core.errors import MetadataError
from writer.core.vocabulary import canonical_language
from writer.export.base import ExportOptions, Progress, report, write_output
from writer.export.epub_parts import (
    Element,
    IdIndex,
    fix_element_ids,
    fix_links,
    fix_markup,
    parse_fragment,
    to_xhtml,
    xml_text,
)
from writer.render.assembled import AssembledChapter, AssembledWork
from writer.render.plaintext import markdown_to_plain
from writer.render.stylesheet import PRINT_COLOURS, book_stylesheet
from writer.render.work_html import work_to_html

MIMETYPE = b"application/epub+zip"
OPF_PATH = "OEBPS/content.opf"
_TITLE_FILE = "title.xhtml"
_NAV_FILE = "nav.xhtml"
_CSS_FILE = "style.css"
_END_NOTES_FILE = "end-notes.xhtml"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")

# E-readers have their own day and night themes: print colours would paint a white page
# inside a dark reader, so text and background follow the reader instead.
_READER_COLOURS = {**PRINT_COLOURS, "text": "currentColor", "base": "transparent"}

# Readers understand far more CSS than Qt, so the book gets what the preview cannot show.
_EPUB_CSS = """
/* E-book additions. */
body { margin: 0 0.4em; }
p { orphans: 2; widows: 2; }
.chapter-text > p:first-child, .label { text-indent: 0; }
h1, h2, h3 { page-break-after: avoid; }
h1.part-heading { margin-top: 30%; font-size: 22pt; }
.title-page table.work-meta { margin-left: auto; margin-right: auto; text-align: left; }
.work-meta th { vertical-align: top; padding-right: 0.6em; }
.work-meta td { vertical-align: top; }
.align-left { text-align: left; }
.align-center { text-align: center; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.spoiler-warning { border: 2px solid #b3261e; background-color: transparent; }
hr.scene-break { width: 20%; margin: 1.5em auto; }
.image-alt { font-style: italic; }
.footnote-backref { text-decoration: none; }
"""


@dataclass
class _Page:
    """One XHTML file of the book: where it goes, what it is called, what it holds."""

    file: str
    manifest_id: str
    title: str
    body_type: str
    root: Element = field(default_factory=lambda: Element("#root"))
    part: str = ""
    part_id: str = ""
    anchor: Element | None = None

    @property
    def href(self) -> str:
        """Where the table of contents points: the chapter's own element once a part
        heading precedes it in the file, so the entries stay in reading order."""
        anchor_id = self.anchor.attrs.get("id") if self.anchor is not None else None
        return f"{self.file}#{anchor_id}" if anchor_id and self.part_id else self.file


def book_identifier(work: AssembledWork) -> str:
    """A ``urn:uuid:`` that stays the same each time the same work is exported.

    Readers recognise a new export as the same book (keeping the reading position) only if
    the identifier is stable. The assembled work does not carry the project's id, so the
    uuid is derived from what does identify it: title, author and creation time.
    """
    meta = work.meta
    name = "writer-work:" + "\x1f".join([meta.title, meta.author, meta.created])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _modified_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so a build can be made reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _language(work: AssembledWork) -> str:
    """The work's BCP-47 code, or ``und`` (undetermined) rather than an invalid book.

    Projects written by hand may hold a language name ("English"); the vocabulary maps
    the common ones to their code.
    """
    try:
        code = canonical_language(work.meta.language)
    except MetadataError:
        return "und"
    return code if _LANGUAGE_TAG.match(code) else "und"


def _chapter_label(work: AssembledWork, chapter: AssembledChapter) -> str:
    """What the table of contents calls a chapter, even one without a heading."""
    if chapter.heading:
        return chapter.heading
    if chapter.title.strip():
        return chapter.title.strip()
    if work.is_single:
        return work.meta.title.strip() or "Text"
    return f"Chapter {chapter.number}"


def _split_pages(work: AssembledWork) -> tuple[_Page, list[_Page], _Page | None]:
    """Cut the rendered work into title page, chapter files and end notes.

    The top level of ``work_to_html`` is: the title page block, then each chapter's
    ``div.chapter`` (preceded by an ``h1.part-heading`` when a part starts), then the end
    notes. A part heading goes into the file of the chapter that opens the part.
    """
    title = work.meta.title.strip() or "Untitled"
    title_page = _Page(_TITLE_FILE, "title-page", title, "frontmatter")
    chapters = {f"chapter-{c.number}": c for c in work.chapters}
    pages: list[_Page] = []
    end_notes = _Page(_END_NOTES_FILE, "end-notes", "End Notes", "backmatter")
    pending_part: Element | None = None
    parts = 0
    for node in parse_fragment(work_to_html(work)).children:
        if isinstance(node, str):
            bucket = end_notes if pages else title_page
            if node.strip():
                bucket.root.children.append(node)
            continue
        chapter = chapters.get(node.attrs.get("id", "")) if node.tag == "div" else None
        if chapter is not None:
            number = f"{chapter.number:03d}"
            page = _Page(
                f"chapter-{number}.xhtml",
                f"chapter-{number}",
                _chapter_label(work, chapter),
                "bodymatter",
                part=chapter.part,
            )
            node.attrs["epub:type"] = "chapter"
            page.anchor = node
            if pending_part is not None:
                parts += 1
                page.part_id = f"part-{parts}"
                pending_part.attrs["id"] = page.part_id
                page.root.children.append(pending_part)
                pending_part = None
            page.root.children.append(node)
            pages.append(page)
        elif node.tag == "h1" and "part-heading" in node.classes():
            pending_part = node
        else:
            (end_notes if pages else title_page).root.children.append(node)
    if pending_part is not None:
        end_notes.root.children.append(pending_part)
    return title_page, pages, (end_notes if end_notes.root.children else None)


def _xhtml_document(title: str, body_type: str, body: str, lang: str) -> bytes:
    """A complete XHTML content document around well-formed body markup."""
    body_attr = f' epub:type="{body_type}"' if body_type else ""
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{xml_text(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{_CSS_FILE}"/>\n</head>\n'
        f"<body{body_attr}>\n{body}\n</body>\n</html>\n"
    )
    return text.encode("utf-8")


def _nav_entry(href: str, label: str, inner: str = "") -> str:
    return f'<li><a href="{xml_text(href, quote_marks=True)}">{xml_text(label)}</a>{inner}</li>'


def _toc_entries(chapters: list[_Page]) -> list[str]:
    """Chapter entries; the chapters of a part are nested under the part's entry."""
    entries: list[str] = []
    index = 0
    while index < len(chapters):
        page = chapters[index]
        index += 1
        if not page.part_id:
            entries.append(_nav_entry(page.href, page.title))
            continue
        members = [page]
        while (
            index < len(chapters)
            and not chapters[index].part_id
            and chapters[index].part == page.part
        ):
            members.append(chapters[index])
            index += 1
        inner = "<ol>" + "".join(_nav_entry(p.href, p.title) for p in members) + "</ol>"
        entries.append(_nav_entry(f"{page.file}#{page.part_id}", page.part, inner))
    return entries


def _nav_document(
    title_page: _Page, chapters: list[_Page], end_notes: _Page | None, lang: str
) -> bytes:
    """The navigation document: every chapter (nested under its part) and landmarks."""
    entries = [_nav_entry(title_page.file, "Title Page"), *_toc_entries(chapters)]
    if end_notes is not None:
        entries.append(_nav_entry(end_notes.file, end_notes.title))
    landmarks = [
        f'<li><a epub:type="titlepage" href="{title_page.file}">Title Page</a></li>',
    ]
    if chapters:
        landmarks.append(
            f'<li><a epub:type="bodymatter" href="{chapters[0].file}">Start of Story</a></li>'
        )
    body = (
        '<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>'
        + "".join(entries)
        + '</ol></nav>\n<nav epub:type="landmarks" id="landmarks" hidden="hidden">'
        + "<h2>Landmarks</h2><ol>"
        + "".join(landmarks)
        + "</ol></nav>"
    )
    return _xhtml_document("Contents", "", body, lang)


def _metadata(work: AssembledWork, identifier: str, modified: datetime) -> str:
    """The OPF ``<metadata>``: Dublin Core fields plus EPUB 3 refinements."""
    meta = work.meta
    lines = [
        f'<dc:identifier id="book-id">{identifier}</dc:identifier>',
        f"<dc:title>{xml_text(meta.title.strip() or 'Untitled')}</dc:title>",
    ]
    authors = [a.strip() for a in [meta.author, *meta.co_authors] if a.strip()]
    for number, author in enumerate(authors, start=1):
        lines.append(f'<dc:creator id="creator-{number}">{xml_text(author)}</dc:creator>')
        lines.append(
            f'<meta refines="#creator-{number}" property="role" scheme="marc:relators">aut</meta>'
        )
    lines.append(f"<dc:language>{_language(work)}</dc:language>")
    seen: set[str] = set()
    for subject in [*meta.fandoms, *meta.tags]:
        if subject.strip() and subject.strip().casefold() not in seen:
            seen.add(subject.strip().casefold())
            lines.append(f"<dc:subject>{xml_text(subject.strip())}</dc:subject>")
    description = " ".join(markdown_to_plain(meta.summary).split()) if meta.summary else ""
    if description:
        lines.append(f"<dc:description>{xml_text(description)}</dc:description>")
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    lines.append(f'<meta property="dcterms:modified">{stamp}</meta>')
    for number, series in enumerate(meta.series, start=1):
        if not series.name.strip():
            continue
        lines.append(
            f'<meta property="belongs-to-collection" id="series-{number}">'
            f"{xml_text(series.name.strip())}</meta>"
        )
        lines.append(f'<meta refines="#series-{number}" property="collection-type">series</meta>')
        if series.part:
            lines.append(
                f'<meta refines="#series-{number}" property="group-position">{series.part}</meta>'
            )
    return "\n".join("    " + line for line in lines)


def _package_document(
    work: AssembledWork, pages: list[_Page], identifier: str, modified: datetime
) -> bytes:
    """``content.opf``: metadata, the manifest of every file, and the reading order."""
    lang = _language(work)
    items = [
        f'    <item id="nav" href="{_NAV_FILE}" media-type="application/xhtml+xml"'
        ' properties="nav"/>',
        f'    <item id="css" href="{_CSS_FILE}" media-type="text/css"/>',
    ]
    items += [
        f'    <item id="{p.manifest_id}" href="{p.file}" media-type="application/xhtml+xml"/>'
        for p in pages
    ]
    spine = [f'    <itemref idref="{p.manifest_id}"/>' for p in pages]
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"'
        f' unique-identifier="book-id" xml:lang="{lang}">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"{_metadata(work, identifier, modified)}\n  </metadata>\n"
        "  <manifest>\n" + "\n".join(items) + "\n  </manifest>\n"
        "  <spine>\n" + "\n".join(spine) + "\n  </spine>\n</package>\n"
    )
    return text.encode("utf-8")


_CONTAINER = f"""<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{OPF_PATH}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
""".encode()


def _zip_book(files: list[tuple[str, bytes]], modified: datetime) -> bytes:
    """The OCF container: ``mimetype`` first and stored, as readers sniff it at a fixed
    offset; everything else deflated."""
    stamp = modified.timetuple()[:6] if modified.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = [("mimetype", MIMETYPE, zipfile.ZIP_STORED)]
        entries += [(name, data, zipfile.ZIP_DEFLATED) for name, data in files]
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def build_epub(work: AssembledWork, progress: Progress | None = None) -> bytes:
    """The whole EPUB file as bytes (the export writes it; tests may inspect it)."""
    title_page, chapters, end_notes = _split_pages(work)
    pages = [title_page, *chapters, *([end_notes] if end_notes else [])]
    total = len(pages) + 2
    index = IdIndex()
    for page in pages:
        fix_markup(page.root)
        fix_element_ids(page.root, page.file, index)
    lang = _language(work)
    files: list[tuple[str, bytes]] = []
    for done, page in enumerate(pages, start=1):
        fix_links(page.root, page.file, index)
        document = _xhtml_document(page.title, page.body_type, to_xhtml(page.root), lang)
        files.append((f"OEBPS/{page.file}", document))
        report(progress, done, total)
    modified = _modified_time()
    files.append((f"OEBPS/{_NAV_FILE}", _nav_document(title_page, chapters, end_notes, lang)))
    files.append((f"OEBPS/{_CSS_FILE}", (book_stylesheet(_READER_COLOURS) + _EPUB_CSS).encode()))
    files.append((OPF_PATH, _package_document(work, pages, book_identifier(work), modified)))
    files.insert(0, ("META-INF/container.xml", _CONTAINER))
    report(progress, total - 1, total)
    return _zip_book(files, modified)


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write the work as an EPUB 3 file; page and font options are the reader's choice."""
    data = build_epub(work, progress)
    written = write_output(target, data)
    report(progress, 1, 1)
    return [written]
