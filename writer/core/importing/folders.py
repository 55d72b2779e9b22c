"""A folder of chapter files as one work (or, when the files name different titles, as
one work per file).

Files are read in natural order ("ch2" before "ch10"); a file without a heading takes its
chapter title from its name once the part all names share is cut off ("story_ch01" ->
chapter 1, "02 - The Storm" -> "The Storm"). Notes at the start and end of each file are
that chapter's notes; header labels fill the work's fields; a disclaimer repeated in every
file is stored once.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from writer.core.errors import WriterError
from writer.core.importing.chapters import natural_key, split_sections, title_from_stem
from writer.core.importing.collect import Collector
from writer.core.importing.detect import scan_front
from writer.core.importing.markup import as_plain
from writer.core.importing.model import ImportedWork
from writer.core.importing.parse import (
    FORMATS,
    build_from_reading,
    fallback_title,
    finish_single,
    meta_key,
    number_titles,
    read_source,
)
from writer.core.importing.text_reader import Reading


def folder_files(folder: Path) -> tuple[list[Path], list[str]]:
    """The importable files of a folder in natural order, and what was skipped."""
    files, skipped = [], []
    for entry in sorted(folder.iterdir(), key=natural_key):
        if entry.name.startswith("."):
            continue
        if entry.is_file() and entry.suffix.casefold() in FORMATS:
            files.append(entry)
        else:
            skipped.append(entry.name)
    return files, skipped


def _chapter_stems(files: list[Path]) -> list[str]:
    stems = [f.stem for f in files]
    if len(stems) < 2:
        return stems
    prefix = os.path.commonprefix([s.casefold() for s in stems])
    prefix = re.sub(r"\d+$", "", prefix)
    if re.search(r"[a-z]$", prefix) and not re.search(r"(?:ch|chap|chapter|part)$", prefix):
        prefix = re.sub(r"\w+$", "", prefix)  # do not cut a word in half
    return [s[len(prefix) :] for s in stems]


def _declared_title(work: ImportedWork, reading: Reading | None) -> str:
    """The title a file states for itself: archive preface, front matter, a "Title:" label
    or a byline (not a heading, which may be a chapter's)."""
    if reading is None:
        return str(work.fields.get("title", ""))
    for key, value in reading.meta:
        if meta_key(key) == "title":
            return str(value)
    _title, preamble, _sections = split_sections(reading.blocks)
    for found in scan_front(preamble, byline=True).found:
        if found.key == "title":
            return as_plain(str(found.value), found.markdown)
    return ""


def parse_folder(folder: Path | str) -> list[ImportedWork]:
    """A folder of chapter files as one work; as one work per file when the files state
    different titles (a folder of separate stories)."""
    folder = Path(folder)
    files, skipped = folder_files(folder)
    if not files:
        known = ", ".join(sorted(FORMATS))
        raise WriterError(f"{folder} holds no files to import (known: {known})")
    parts = []
    for file in files:
        part = ImportedWork(sources=[file])
        parts.append((file, part, read_source(file, file.read_bytes(), part)))
    titles = {_declared_title(p, r).casefold() for _f, p, r in parts} - {""}
    if len(titles) > 1 or any(r is None for _f, _p, r in parts):
        works = [finish_single(f, p, r) for f, p, r in parts]
        if len(works) > 1:
            for work in works:
                work.warn(f"{folder.name} holds separate stories; each file became its own work")
        return works
    work = ImportedWork(sources=list(files))
    collector = Collector(work)
    for (file, part, reading), stem in zip(parts, _chapter_stems(files), strict=True):
        assert reading is not None
        work.format = work.format or f"folder of {part.format}"
        work.encoding = work.encoding or part.encoding
        for message in part.warnings:
            work.warn(message)
        made = build_from_reading(work, reading, collector, chapter_file=True)
        if made and not made[0].heading and not made[0].title:
            number, title = title_from_stem(stem or file.stem)
            if number is None:
                made[0].title = title
            else:
                made[0].heading = f"Chapter {number}: {title}" if title else f"Chapter {number}"
                made[0].title = made[0].heading
    for name in skipped:
        work.warn(f"skipped {name} (not a file type writer imports)")
    number_titles(work)
    fallback_title(work, folder.name)
    collector.finish()
    return [work]
