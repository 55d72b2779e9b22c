"""Chapter headings, scene breaks, splitting blocks into chapters, and natural file order.

A chapter starts at a heading block at the chapter level (``#``/``##``, ``<h2>``, a DOCX
heading style) or at a paragraph that is a chapter line on its own: "Chapter 3",
"CHAPTER THREE: Title", "Ch. 4 - Title", "Chapter IV", "Prologue", "Epilogue: Title".
"Part One", "VOLUME II", "Book 3: Title" lines start a part that holds the chapters after it.
A scene break is any line that ``writer.core.scenebreak.is_scene_break_line`` accepts
(the same pattern is repeated here because core may not import render; a test keeps the
two equal) or a divider line authors use instead: ``#``, ``~~~``, ``oOo``, ``-x-x-``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from writer.core.importing.model import Block
from writer.core.scenebreak import SCENE_BREAK_RE

_DIVIDER_RE = re.compile(r"^[\s*#~=+\-_\u2013\u2014\u2022\u00b7\u00b0^|/\\:<>\u00a4\u00a7o0OxX]+$")
_DIVIDER_SYMBOL = re.compile(r"[*#~=+\-_\u2013\u2014\u2022\u00b7\u00b0^|/\\:<>\u00a4\u00a7]")

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|"
    r"four|five|six|seven|eight|nine))?|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
)
_NUMBER = rf"(?P<num>\d{{1,4}}|{_WORD_NUMBER}|[ivxlc]{{1,8}})"
_CHAPTER_RE = re.compile(
    rf"^(?P<kw>chapter|chap\.|ch\.|ch)\s*{_NUMBER}(?![\w])"
    rf"(?:\s*(?P<sep>[:.\-\u2013\u2014|])\s*(?P<title>.*)|\s+(?P<bare>.+))?$",
    re.IGNORECASE,
)
_PART_RE = re.compile(
    rf"^(?P<kw>part|volume|vol\.|book)\s+{_NUMBER}(?![\w])"
    rf"(?:\s*(?P<sep>[:.\-\u2013\u2014|])\s*(?P<title>.*))?$",
    re.IGNORECASE,
)
_SPECIAL_RE = re.compile(
    r"^(?P<kw>prologue|epilogue|interlude|afterword)"
    r"(?:\s*(?P<sep>[:.\-\u2013\u2014|])\s*(?P<title>.*))?$",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$", re.IGNORECASE)


def is_break_line(line: str) -> bool:
    """A line that marks a scene break or divider, and nothing else."""
    text = line.strip()
    if not text:
        return False
    if SCENE_BREAK_RE.match(line.rstrip("\r\n")) or SCENE_BREAK_RE.match(text):
        return True
    if not _DIVIDER_RE.match(text) or (len(text) == 1 and text not in "#*~\u00a7\u2022"):
        return False
    if _DIVIDER_SYMBOL.search(text):
        return not re.search(r"[A-Za-z0-9]{4,}", text.replace(" ", "")) or _alternating(text)
    return _alternating(text)


def _alternating(text: str) -> bool:
    """``oOo``, ``xXx``, ``0o0``: divider letters that change case or shape."""
    letters = re.sub(r"[^o0OxX]", "", text)
    if len(letters) < 3:
        return len(letters) >= 1 and len(text) > len(letters)
    return any(a != b for a, b in zip(letters, letters[1:], strict=False))


def word_number(text: str) -> int | None:
    """ "12", "twelve", "Twenty-One", "XIV" -> the number; None for anything else."""
    text = text.strip().casefold()
    if text.isdigit():
        return int(text)
    words = re.split(r"[\s-]+", text)
    if len(words) == 1 and words[0] in _UNITS:
        return _UNITS.index(words[0])
    if words and words[0] in _TENS and words[0]:
        value = _TENS.index(words[0]) * 10
        if len(words) == 2 and words[1] in _UNITS[1:10]:
            return value + _UNITS.index(words[1])
        return value if len(words) == 1 else None
    if _ROMAN.match(text) and text:
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
        total = 0
        for i, ch in enumerate(text):
            value = values[ch]
            total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
        return total
    return None


@dataclass
class Heading:
    """A recognised chapter line: its keyword, number and title."""

    text: str
    keyword: str = ""
    number: int | None = None
    title: str = ""


def _unwrap(text: str) -> str:
    text = text.strip()
    text = re.sub(r"^#{1,6}\s+", "", text)
    return re.sub(r"^[*_]+(.*?)[*_]+$", r"\1", text).strip()


def parse_chapter_line(line: str) -> Heading | None:
    """A "Chapter 3: Title" / "Prologue" line (emphasis allowed round it), or None."""
    text = _unwrap(line)
    if not text or "\n" in text or len(text) > 200:
        return None
    match = _CHAPTER_RE.match(text)
    if match:
        number = word_number(match.group("num"))
        if number is None:
            return None
        title = (match.group("title") or "").strip()
        bare = match.group("bare")
        if bare is not None:
            bare = bare.strip()
            if len(text) > 80 or re.search(r"[.,;!?]$", bare) or not _starts_title(bare):
                return None
            title = bare
        elif match.group("sep") == "." and title and not _starts_title(title):
            return None
        return Heading(text, match.group("kw"), number, title)
    match = _SPECIAL_RE.match(text)
    if match:
        return Heading(text, match.group("kw"), None, (match.group("title") or "").strip())
    return None


def parse_part_line(line: str) -> Heading | None:
    """A "Part One", "VOLUME II: The Return", "Book 3 - Ice" line, or None."""
    text = _unwrap(line)
    if not text or "\n" in text or len(text) > 200:
        return None
    match = _PART_RE.match(text)
    if match is None or word_number(match.group("num")) is None:
        return None
    title = (match.group("title") or "").strip()
    if title and not _starts_title(title):
        return None
    return Heading(text, match.group("kw"), word_number(match.group("num")), title)


def _starts_title(text: str) -> bool:
    first = text.lstrip("\"'\u201c\u2018*_([")[:1]
    return bool(first) and (first.isupper() or first.isdigit() or not first.isalpha())


# ---------------------------------------------------------------- splitting


@dataclass
class Section:
    """A chapter's blocks: the heading block (None for text before any heading)."""

    heading: Block | None
    blocks: list[Block] = field(default_factory=list)
    chapter_line: Heading | None = None
    part: bool = False  # a "Part One" / "Volume II" heading: its chapters follow


def heading_text(block: Block) -> str:
    return _unwrap(block.text)


def split_sections(blocks: list[Block]) -> tuple[Block | None, list[Block], list[Section]]:
    """``(title heading, blocks before the first chapter, chapters)``.

    The first block is the work's title when it is a heading that is not a chapter line
    and is the only heading at the top level in use. Chapters start at the highest
    remaining heading level and at chapter lines; deeper headings stay in the chapter
    (they become scene titles).
    """
    first = next((i for i, b in enumerate(blocks) if not b.is_break), None)
    title_block = None
    rest = list(blocks)
    headings = [b for b in blocks if b.is_heading and not _is_division(b.text)]
    if first is not None and blocks[first].is_heading:
        candidate = blocks[first]
        top = min(b.level for b in blocks if b.is_heading)
        same = [b for b in blocks if b.is_heading and b.level == candidate.level]
        if candidate in headings and candidate.level == top and len(same) == 1:
            title_block = candidate
            rest = blocks[:first] + blocks[first + 1 :]
    levels = [b.level for b in rest if b.is_heading and parse_part_line(b.text) is None]
    chapter_level = min(levels) if levels else None
    preamble: list[Block] = []
    sections: list[Section] = []
    for block in rest:
        textual = block.kind in ("para", "heading")
        line = parse_chapter_line(block.text) if textual else None
        part = parse_part_line(block.text) if textual else None
        starts = (block.is_heading and block.level == chapter_level) or line is not None
        if part is not None:
            sections.append(Section(block, [], part, part=True))
        elif starts:
            sections.append(Section(block, [], line))
        elif sections:
            sections[-1].blocks.append(block)
        else:
            preamble.append(block)
    return title_block, preamble, sections


def _is_division(text: str) -> bool:
    return parse_chapter_line(text) is not None or parse_part_line(text) is not None


def scenes_of(
    blocks: list[Block], chapter_level: int | None = None
) -> list[tuple[str, list[Block]]]:
    """Blocks split at scene breaks and at deeper headings: ``(scene title, blocks)``."""
    scenes: list[tuple[str, list[Block]]] = [("", [])]
    for block in blocks:
        if block.is_break:
            scenes.append(("", []))
        elif block.is_heading:
            scenes.append((heading_text(block), []))
        else:
            scenes[-1][1].append(block)
    return [(title, body) for title, body in scenes if body or title]


def natural_key(path: Path | str) -> tuple:
    """Sort key for file names: "Chapter 2" before "Chapter 10", case ignored."""
    name = Path(path).name
    parts = re.split(r"(\d+)", name.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p != "")


def title_from_stem(stem: str) -> tuple[int | None, str]:
    """A chapter file's name as ``(number, title)``: "ch01" -> (1, ""), "02 - The Storm"
    -> (2, "The Storm"), "Chapter 3 - Ice" -> (3, "Ice"), "epilogue" -> (None, "epilogue")."""
    text = re.sub(r"[_]+", " ", stem).strip()
    heading = parse_chapter_line(text)
    if heading is not None:
        if heading.number is None:
            return None, heading.text
        return heading.number, heading.title
    match = re.match(r"^(\d+)\s*(?:[.\-\u2013\u2014:)]\s*|\s+|$)(.*)$", text)
    if match:
        return int(match.group(1)), match.group(2).strip()
    return None, text
