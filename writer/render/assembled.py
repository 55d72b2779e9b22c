"""The assembled work: what a reader gets, in order, for the preview and every exporter.

Exporters never walk the project tree themselves. They walk an :class:`AssembledWork`:
the front matter (title page fields, disclaimer, spoiler warning, notes), the chapters in
reading order with their own notes and their text (a chapter's text followed by its scenes,
joined by scene breaks), then the end notes. Notes documents and the trash never get here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from writer.core.metadata import WorkMeta
from writer.core.project import Project
from writer.core.tree import Node

HeadingStyle = Literal["both", "titles", "numbers", "none"]
_CHAPTER_WORD = re.compile(r"^\s*(chapter|prologue|epilogue|interlude)\b", re.IGNORECASE)


@dataclass
class AssembleOptions:
    """What goes into an export; the defaults suit posting and reading."""

    title_page: bool = True
    disclaimer: bool = True
    spoiler_warning: bool = True
    work_notes: bool = True
    chapter_notes: bool = True
    chapter_summaries: bool = True
    headings: HeadingStyle = "both"
    scene_break: str = "* * *"
    chapter_ids: list[str] | None = None


@dataclass
class AssembledChapter:
    """One chapter as the reader sees it."""

    id: str
    number: int
    title: str
    heading: str
    part: str
    summary: str
    notes_begin: str
    notes_end: str
    markdown: str


@dataclass
class AssembledWork:
    """A work ready to export: metadata, front matter, chapters, end notes."""

    meta: WorkMeta
    options: AssembleOptions
    chapters: list[AssembledChapter] = field(default_factory=list)
    words: int = 0
    total_chapters: int = 0

    @property
    def spoiler_text(self) -> str:
        """The spoiler warning as one paragraph, or "" when the work spoils nothing."""
        return spoiler_warning_text(self.meta)

    @property
    def chapter_count_label(self) -> str:
        """``3/4`` or ``3/?``, as the archives show a work's progress."""
        expected = self.meta.chapters_expected
        if self.meta.posting == "complete" and expected is None:
            expected = self.total_chapters
        return f"{self.total_chapters}/{expected if expected else '?'}"

    @property
    def is_single(self) -> bool:
        """A one-shot: one chapter whose heading adds nothing."""
        return self.total_chapters == 1


def spoiler_warning_text(meta: WorkMeta) -> str:
    """ "Spoilers for Season 2 and the finale. <spoiler note>", or "" without spoilers."""
    parts = []
    if meta.spoilers:
        names = meta.spoilers
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"Spoilers for {listed}.")
    if meta.spoiler_note.strip():
        parts.append(meta.spoiler_note.strip())
    return " ".join(parts)


def chapter_heading(number: int, title: str, style: HeadingStyle) -> str:
    """The heading a chapter gets under each heading style."""
    if style == "none":
        return ""
    numbered = f"Chapter {number}"
    if style == "numbers" or not title.strip():
        return numbered
    if style == "titles" or _CHAPTER_WORD.match(title):
        return title.strip()
    return f"{numbered}: {title.strip()}"


def _join_texts(texts: list[str], scene_break: str) -> str:
    pieces = [t.strip("\n") for t in texts if t.strip()]
    return f"\n\n{scene_break}\n\n".join(pieces) + ("\n" if pieces else "")


def _chapter_text(project: Project, node: Node, scene_break: str) -> str:
    texts = [project.read_text(node.id)] if node.has_text else []
    texts += [project.read_text(c.id) for c in node.children if c.kind == "scene"]
    return _join_texts(texts, scene_break)


def reading_units(project: Project) -> list[tuple[Node, str]]:
    """Chapters in reading order with their part's title; loose scenes count as chapters."""
    units: list[tuple[Node, str]] = []
    for node in project.tree.roots:
        if node.kind == "part":
            units += [(c, node.title) for c in node.children if c.kind == "chapter"]
        elif node.kind in ("chapter", "scene"):
            units.append((node, ""))
    return units


def assemble(project: Project, options: AssembleOptions | None = None) -> AssembledWork:
    """Gather a project into reading order; reads every document's text from disk."""
    options = options or AssembleOptions()
    units = reading_units(project)
    work = AssembledWork(meta=project.meta, options=options, words=project.total_words())
    if units and all(node.kind == "scene" for node, _ in units):
        # A work with no chapters exports as one: its scenes make a single untitled body.
        text = _join_texts([project.read_text(n.id) for n, _ in units], options.scene_break)
        work.chapters.append(AssembledChapter(units[0][0].id, 1, "", "", "", "", "", "", text))
        work.total_chapters = 1
        return work
    work.total_chapters = len(units)
    wanted = set(options.chapter_ids) if options.chapter_ids else None
    for number, (node, part) in enumerate(units, start=1):
        if wanted is not None and node.id not in wanted:
            continue
        meta = node.meta
        heading = chapter_heading(number, meta.title, options.headings)
        if len(units) == 1 and not meta.title.strip():
            heading = ""
        work.chapters.append(
            AssembledChapter(
                id=node.id,
                number=number,
                title=meta.title,
                heading=heading,
                part=part,
                summary=meta.summary if options.chapter_summaries else "",
                notes_begin=meta.notes_begin if options.chapter_notes else "",
                notes_end=meta.notes_end if options.chapter_notes else "",
                markdown=_chapter_text(project, node, options.scene_break),
            )
        )
    return work
