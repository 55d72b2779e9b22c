"""From a file or a folder of chapter files to an :class:`ImportedWork`.

One pipeline for every format: a reader gives blocks; the title heading and the chapters
are split off; the opening and closing blocks of the text and of each chapter are scanned
for labels, notes, disclaimers and spoiler warnings; what is left is prose, split into
scenes at scene breaks. Archive downloads (HTML and EPUB) carry their metadata in a fixed
preface and go through ``archive_download`` instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from writer.core.errors import MetadataError, WriterError
from writer.core.importing import archive_download
from writer.core.importing.chapters import (
    Section,
    parse_chapter_line,
    scenes_of,
    split_sections,
)
from writer.core.importing.collect import Collector
from writer.core.importing.detect import scan_back, scan_front
from writer.core.importing.encoding import decode_text
from writer.core.importing.labels import END_NOTE_LABEL, FIELD_LABELS, match_note, normalise_label
from writer.core.importing.markup import as_markdown, as_plain
from writer.core.importing.model import Block, ImportedChapter, ImportedWork
from writer.core.importing.text_reader import Reading, read_markdown, read_plain
from writer.core.metadata import WORK_FIELDS, canonical_field

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".epub": "epub",
}


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.casefold())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        what = path.suffix or "files without an extension"
        raise WriterError(f"{path.name}: cannot import {what} (known: {known})")
    return fmt


# ---------------------------------------------------------------- reading one file


def read_source(path: Path, data: bytes, work: ImportedWork) -> Reading | None:
    """The blocks of a file, or None when it was an archive download (already parsed)."""
    fmt = format_of(path)
    work.format = fmt
    if fmt == "docx":
        from writer.core.importing.docx_reader import read_docx

        return read_docx(data, path.name)
    if fmt == "epub":
        from writer.core.importing.epub_reader import read_epub

        content = read_epub(data, path.name)
        if archive_download.parse_epub(content, work):
            work.format = "epub (archive download)"
            return None
        return _generic_epub(content)
    text, encoding = decode_text(data, path)
    work.encoding = encoding
    if encoding == "Windows-1252":
        work.warn(f"{path.name} is not UTF-8; it was read as Windows-1252")
    if fmt == "html":
        if archive_download.parse_html_text(text, work):
            work.format = "html (archive download)"
            return None
        from writer.core.importing.html_reader import read_html

        return read_html(text)
    return read_markdown(text) if fmt == "markdown" else read_plain(text)


def _generic_epub(content: Any) -> Reading:
    """Each spine part becomes (at least) one chapter: a part that does not open with a
    heading gets a chapter boundary of its own."""
    from writer.core.importing.html_reader import read_html

    reading = Reading(meta=list(content.meta))
    known = " ".join(str(v) for k, v in content.meta if k in ("title", "author")).casefold()
    parts = []
    for part in content.parts:
        blocks = read_html(part).blocks
        text = " ".join(b.text for b in blocks if not b.is_break).casefold().strip()
        if not text or (len(text) < 200 and all(w in known for w in re.findall(r"\w+", text))):
            reading.dropped += [*map(_boilerplate, blocks)]
        else:
            parts.append(blocks)
    levels = [b.level for blocks in parts for b in blocks if b.is_heading]
    level = min(levels) if levels else 1
    for blocks in parts:
        first = next((b for b in blocks if not b.is_break), None)
        if first is not None and not first.is_heading and parse_chapter_line(first.text) is None:
            blocks.insert(0, Block("heading", "", level, True))
        reading.blocks += blocks
    return reading


def _boilerplate(block: Block) -> Any:
    from writer.core.importing.model import Dropped

    return Dropped("boilerplate", block.text)


# ---------------------------------------------------------------- the generic pipeline


def meta_key(key: str) -> str:
    label = normalise_label(key.replace("_", " "))
    if label in FIELD_LABELS:
        return FIELD_LABELS[label]
    try:
        return canonical_field(key, WORK_FIELDS)
    except MetadataError:
        return key if key in ("summary_html", "date") else "unmapped"


def _scenes(chapter: ImportedChapter, blocks: list[Block], work: ImportedWork) -> None:
    for block in blocks:
        if block.is_break:
            work.drop("separator", block.text)
    for title, body in scenes_of(blocks):
        text = "\n\n".join(as_markdown(b.text, b.markdown) for b in body)
        chapter.scenes.append(text)
        chapter.scene_titles.append(title)


def _is_note_heading(block: Block | None) -> bool:
    if block is None or not block.text.strip():
        return False
    note = match_note(as_plain(block.text, block.markdown))
    return note is not None and not note.value.strip()


def build_from_reading(
    work: ImportedWork, reading: Reading, collector: Collector, chapter_file: bool = False
) -> list[ImportedChapter]:
    """Run the pipeline on a reader's blocks; returns the chapters it made (already added
    to ``work.chapters``). ``chapter_file``: the file is one chapter of a folder, so its
    notes belong to its chapter."""
    work.dropped += reading.dropped
    for message in reading.warnings:
        work.warn(message)
    creators: list[str] = []
    for key, value in reading.meta:
        mapped = meta_key(key)
        if mapped == "author":  # several creators (or a list): the first is the author
            names = [str(v) for v in value] if isinstance(value, list) else [str(value)]
            creators += [n for n in names if n.strip()]
            continue
        collector.apply(mapped, value, markdown=work.format == "markdown", label=key)
    if creators:
        collector.apply("author", creators[0], markdown=work.format == "markdown")
        collector.apply("co_authors", creators[1:])
    title_block, preamble, sections = split_sections(reading.blocks)
    first = ImportedChapter() if chapter_file else None
    if title_block is not None and first is not None and not sections:
        first.heading = first.title = as_plain(title_block.text, title_block.markdown)
    elif title_block is not None:
        collector.apply("title", title_block.text, markdown=title_block.markdown)
    made: list[ImportedChapter] = []
    front = scan_front(preamble, byline=title_block is None and not chapter_file)
    work.dropped += front.dropped
    collector.apply_all(front.found, first, False)
    if not sections:
        chapter = first or ImportedChapter()
        back = scan_back(front.rest)
        work.dropped += back.dropped
        collector.apply_all(back.found, chapter if chapter_file else None, True)
        _scenes(chapter, back.rest, work)
        made.append(chapter)
    else:
        if any(not b.is_break for b in front.rest) or first is not None:
            chapter = first or ImportedChapter()
            _scenes(chapter, front.rest, work)
            if not chapter.is_empty() or first is None:
                made.append(chapter)
        _sections(sections, made, work, collector)
    if first is not None and len(made) > 1 and made[0] is first and not first.text.strip():
        _merge_into(first, made[1])
        made.pop(0)
    made = [c for c in made if not c.is_empty()] or made[:1]
    work.chapters += made
    return made


def _merge_into(source: ImportedChapter, target: ImportedChapter) -> None:
    """Notes found before a chapter file's own heading belong to that chapter."""
    for name in ("notes_begin", "summary"):
        before, after = getattr(source, name), getattr(target, name)
        setattr(target, name, "\n\n".join(t for t in (before, after) if t))
    target.notes_end = "\n\n".join(t for t in (source.notes_end, target.notes_end) if t)
    if source.title and not target.title:
        target.title = target.heading = source.title


def _sections(
    sections: list[Section], made: list[ImportedChapter], work: ImportedWork, collector: Collector
) -> None:
    """Chapters in order; a part heading gives its title to the chapters after it (a part
    with prose of its own, or with no chapters, gets an untitled chapter)."""
    part, waiting = "", False
    for index, section in enumerate(sections):
        last = index == len(sections) - 1
        if section.part:
            assert section.heading is not None
            if waiting:
                made.append(ImportedChapter(part=part))
            part = as_plain(section.heading.text, section.heading.markdown)
            waiting = True
            if all(b.is_break for b in section.blocks):
                for block in section.blocks:
                    if block.is_break:
                        work.drop("separator", block.text)
                continue
            section = Section(None, section.blocks)
        before = len(made)
        _section(section, last, made, work, collector)
        for chapter in made[before:]:
            chapter.part = part
        waiting = waiting and len(made) == before
    if waiting:
        made.append(ImportedChapter(part=part))


def _section(
    section: Section,
    last: bool,
    made: list[ImportedChapter],
    work: ImportedWork,
    collector: Collector,
) -> None:
    heading = section.heading
    if _is_note_heading(heading):
        assert heading is not None
        work.drop("label", heading.text)
        for block in section.blocks:
            if block.is_break:
                work.drop("separator", block.text)
        texts = [as_markdown(b.text, b.markdown) for b in section.blocks if not b.is_break]
        text = "\n\n".join(texts)
        if not made:
            collector.apply("notes_begin", text, markdown=True)
        elif last:
            collector.apply("notes_end", text, markdown=True, end=True)
        else:
            collector.apply("notes", text, markdown=True, chapter=made[-1], end=True)
        return
    chapter = ImportedChapter()
    if heading is not None and heading.text.strip():
        text = as_plain(heading.text, heading.markdown)
        chapter.heading = text
        line = section.chapter_line or parse_chapter_line(text)
        chapter.number = line.number if line is not None else None
        chapter.title = text
    front = scan_front(section.blocks)
    work.dropped += front.dropped
    collector.apply_all(front.found, chapter, False)
    back = scan_back(front.rest)
    work.dropped += back.dropped
    for found in back.found:
        # "End notes:" closing the last chapter are the work's; "A/N:" stays the chapter's.
        whole_work = last and found.key == "notes_end" and END_NOTE_LABEL.match(found.label)
        collector.apply_all([found], None if whole_work else chapter, True)
    _scenes(chapter, back.rest, work)
    made.append(chapter)


def number_titles(work: ImportedWork) -> None:
    """ "Chapter 3: The Fall" in third place is stored as "The Fall" (the app numbers
    chapters itself, across parts); out of sequence, or "Prologue", it keeps the whole
    heading, so an export shows what the source showed."""
    for position, chapter in enumerate(work.chapters, start=1):
        line = parse_chapter_line(chapter.heading) if chapter.heading else None
        if line is None or line.number is None:
            continue
        if line.number == position and re.match(r"^ch", line.keyword, re.IGNORECASE):
            chapter.title = line.title
            kept = line.title
            work.drop("label", chapter.heading.replace(kept, "", 1) if kept else chapter.heading)


# ---------------------------------------------------------------- one file


def fallback_title(work: ImportedWork, name: str, reading_title: str = "") -> None:
    if work.fields.get("title"):
        return
    if reading_title:
        work.fields["title"] = reading_title
        return
    stem = re.sub(r"[_]+", " ", Path(name).stem).strip()
    stem = re.sub(r"\s*-\s*", " - ", stem) if " " in stem else stem.replace("-", " ")
    work.fields["title"] = stem[:1].upper() + stem[1:] if stem.islower() else stem or "Untitled"


def finish_single(path: Path, work: ImportedWork, reading: Reading | None) -> ImportedWork:
    """Run the pipeline on one file's reading (None: an archive download, already parsed)."""
    collector = Collector(work)
    if reading is not None:
        build_from_reading(work, reading, collector)
        number_titles(work)
        fallback_title(work, path.name, reading.title)
    collector.finish()
    if not work.chapters:
        work.chapters.append(ImportedChapter())
    return work


def parse_file(path: Path | str, data: bytes | None = None) -> ImportedWork:
    """Parse one file into a work (nothing is written)."""
    path = Path(path)
    work = ImportedWork(sources=[path])
    data = path.read_bytes() if data is None else data
    return finish_single(path, work, read_source(path, data, work))
