"""What every reader produces and every later step consumes.

A reader turns a file into :class:`Block` objects (paragraphs, headings, scene breaks) plus
whatever metadata the format carries on its own (front matter, EPUB package data). The
detectors and the chapter splitter turn blocks into an :class:`ImportedWork`: metadata
fields, chapters of scenes, and an account of everything that was left out on purpose
(:class:`Dropped`), so that "nothing is lost" can be checked rather than hoped for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# What may be left out of the prose without landing in a field; see ``Dropped``.
DROP_KINDS = frozenset({"label", "separator", "duplicate", "markup", "boilerplate", "normalised"})


def remainder(text: str, kept: str) -> str:
    """The characters of ``text`` that ``kept`` does not account for (as a multiset)."""
    pool: dict[str, int] = {}
    for ch in kept:
        pool[ch] = pool.get(ch, 0) + 1
    out = []
    for ch in text:
        if pool.get(ch):
            pool[ch] -= 1
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Block:
    """One paragraph, heading or scene break of a source.

    ``text`` is Markdown when ``markdown`` is true (HTML, DOCX, EPUB and ``.md`` sources),
    otherwise plain text that is escaped only when it is stored as Markdown.
    """

    kind: str  # "para" | "heading" | "break"
    text: str = ""
    level: int = 0
    markdown: bool = False

    @property
    def is_para(self) -> bool:
        return self.kind == "para"

    @property
    def is_break(self) -> bool:
        return self.kind == "break"

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@dataclass(frozen=True)
class Dropped:
    """Text left out on purpose.

    ``label``: a label word and its separator ("Disclaimer:", "A/N", "Chapter 3").
    ``separator``: a scene-break or divider line, or a bracket around a note.
    ``duplicate``: text equal to a value already stored (a repeated disclaimer).
    ``markup``: Markdown or HTML syntax around a value that is stored as plain text.
    ``boilerplate``: text the archive adds to every download ("Posted originally on...").
    ``normalised``: a value as written that is stored in canonical form ("T" for the
    rating "Teen And Up Audiences", "3,400" for the word count 3400, "English" -> "en").
    """

    kind: str
    text: str


@dataclass
class ImportedChapter:
    """A chapter: its title, its own notes and summary, and its scenes as Markdown."""

    title: str = ""
    scenes: list[str] = field(default_factory=list)
    scene_titles: list[str] = field(default_factory=list)
    summary: str = ""
    notes_begin: str = ""
    notes_end: str = ""
    heading: str = ""  # the heading as written ("Chapter 3: The Fall"), before numbering
    number: int | None = None  # the number the heading gave, if any
    part: str = ""  # the title of the part ("Volume II") the chapter belongs to

    @property
    def text(self) -> str:
        """All scenes joined by scene breaks (what the chapter reads as)."""
        return "\n\n* * *\n\n".join(s for s in self.scenes if s.strip())

    def is_empty(self) -> bool:
        return not any(s.strip() for s in self.scenes) and not (
            self.title
            or self.summary
            or self.notes_begin
            or self.notes_end
            or self.part
            or any(self.scene_titles)
        )


@dataclass
class ImportedWork:
    """A parsed source: work fields (``WorkMeta`` keys, JSON-ready), chapters, and an account.

    ``fields`` hold canonical values: lists as lists, ``series`` and ``links`` as mappings.
    ``unmapped`` keeps labelled values that match no field (or could not be understood),
    keyed by their label; they are stored with the import record in the project.
    """

    fields: dict[str, Any] = field(default_factory=dict)
    chapters: list[ImportedChapter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    unmapped: dict[str, str] = field(default_factory=dict)
    word_count: int | None = None
    sources: list[Path] = field(default_factory=list)
    format: str = ""
    encoding: str = ""

    def metadata(self) -> dict[str, Any]:
        """The detected metadata as reported to the user (non-empty fields only)."""
        data = {k: v for k, v in self.fields.items() if v not in ("", None, [], {})}
        if self.word_count is not None:
            data["word_count"] = self.word_count
        if self.unmapped:
            data["unmapped"] = dict(self.unmapped)
        return data

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def drop(self, kind: str, text: str) -> None:
        if kind not in DROP_KINDS:
            raise ValueError(f"unknown drop kind {kind!r}")
        if text.strip():
            self.dropped.append(Dropped(kind, text))
