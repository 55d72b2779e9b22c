"""Plain text and Markdown sources to blocks.

Plain text: paragraphs are separated by blank lines (or, in a file with no blank lines,
one paragraph a line); hard-wrapped paragraphs are joined again; a divider line on its own
is a scene break; ``## Title`` alone on its paragraph, and a line underlined with
``===``/``---``, are headings.
Markdown: kept as written, split into blocks at blank lines (never inside a fenced code
block), with ATX and setext headings, and YAML-style front matter read into fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from writer.core.importing.chapters import is_break_line, parse_chapter_line
from writer.core.importing.labels import match_label
from writer.core.importing.model import Block, Dropped, remainder

_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_UNDERLINE = re.compile(r"^(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@dataclass
class Reading:
    """What a reader found: blocks, metadata the format itself carries, and drops."""

    blocks: list[Block] = field(default_factory=list)
    meta: list[tuple[str, Any]] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""

    def drop(self, kind: str, text: str) -> None:
        if text.strip():
            self.dropped.append(Dropped(kind, text))


# ---------------------------------------------------------------- plain text


def _paragraphs(text: str) -> list[list[str]]:
    lines = [line.strip() for line in text.split("\n")]
    if not any(not line for line in lines) or _one_line_each(lines):
        return [[line] for line in lines if line]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _one_line_each(lines: list[str]) -> bool:
    """A file that separates paragraphs by line ends and uses blank lines only now and then
    (round headings and breaks): long lines, few blank lines."""
    filled = [line for line in lines if line]
    blanks = len(lines) - len(filled)
    if len(filled) < 8 or blanks * 4 > len(filled):
        return False
    long_lines = sum(1 for line in filled if len(line) > 150)
    return long_lines * 3 >= len(filled)


def _wrapped(line: str, following: str, width: int) -> bool:
    """Whether ``line`` ends where it does only because the next word did not fit."""
    next_word = following.split(" ", 1)[0]
    return (
        len(line) >= width - 25
        and len(line) + 1 + len(next_word) > width - 2
        and not is_break_line(following)
        and match_label(following) is None
        and parse_chapter_line(following) is None
    )


def _wrap_width(paragraphs: list[list[str]]) -> int | None:
    """The column a hard-wrapped file was wrapped at, or None when it was not."""
    pairs = [(a, b) for p in paragraphs for a, b in zip(p, p[1:], strict=False)]
    if len(pairs) < 3:
        return None
    lengths = sorted(len(a) for a, _b in pairs)
    width = max(lengths)
    if not 40 <= width <= 100:
        return None
    wrapped = sum(1 for a, b in pairs if _wrapped(a, b, width))
    return width if wrapped >= 0.7 * len(pairs) else None


def _subtitle(line: str) -> bool:
    return 0 < len(line) <= 80 and not re.search(r"[.,;!?\"\u201d]$", line) and line[0].isupper()


def read_plain(text: str) -> Reading:
    """Blocks of a plain-text file (already decoded and with ``\\n`` line ends)."""
    reading = Reading()
    paragraphs = _paragraphs(text)
    width = _wrap_width(paragraphs)
    for lines in paragraphs:
        _plain_paragraph(lines, width, reading)
    return reading


def _plain_paragraph(lines: list[str], width: int | None, reading: Reading) -> None:
    if len(lines) == 2 and _UNDERLINE.match(lines[1]) and not is_break_line(lines[0]):
        level = 1 if lines[1].startswith("=") else 2
        reading.blocks.append(Block("heading", lines[0], level))
        reading.drop("markup", lines[1])
        return
    current: list[str] = []

    def flush() -> None:
        if current:
            joined = current[0]
            for previous, line in zip(current, current[1:], strict=False):
                wrapped = width is not None and _wrapped(previous, line, width)
                joined += (" " if wrapped else "\n") + line
            reading.blocks.append(Block("para", joined))
            current.clear()

    for index, line in enumerate(lines):
        atx = _ATX.match(line)
        if is_break_line(line):
            flush()
            reading.blocks.append(Block("break", line))
        elif atx and len(lines) == 1:
            reading.blocks.append(Block("heading", atx.group(2), len(atx.group(1))))
            reading.drop("markup", line[: atx.start(2)] + line[atx.end(2) :])
        elif index == 0 and len(lines) > 1 and parse_chapter_line(line):
            heading = parse_chapter_line(line)
            subtitle = lines[1]
            if heading and not heading.title and len(lines) == 2 and _subtitle(subtitle):
                # "CHAPTER ONE" with its title on the next line
                reading.blocks.append(Block("para", f"{line}: {subtitle}"))
                return
            reading.blocks.append(Block("para", line))
        else:
            current.append(line)
    flush()


# ---------------------------------------------------------------- Markdown


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner.replace("''", "'")
    return value


def _inline_list(value: str) -> list[str]:
    return [_scalar(part) for part in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", value)]


def parse_front_matter(lines: list[str]) -> list[tuple[str, Any]] | None:
    """A small YAML subset: ``key: value``, ``key: [a, b]``, ``- item`` lists and ``|``/``>``
    blocks. None when the lines are not of that shape (then they are not front matter)."""
    entries: list[tuple[str, Any]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^([A-Za-z_][\w \-']*?)\s*:(?:\s+(.*))?$", line.rstrip())
        if match is None:
            return None
        key, value = match.group(1), (match.group(2) or "").strip()
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            block = []
            while index < len(lines) and (not lines[index].strip() or lines[index][:1] in " \t"):
                block.append(lines[index].strip())
                index += 1
            joiner = "\n" if value.startswith("|") else " "
            entries.append((key, joiner.join(block).strip()))
        elif value.startswith("[") and value.endswith("]"):
            entries.append((key, [v for v in _inline_list(value[1:-1]) if v]))
        elif not value:
            items = []
            while index < len(lines) and re.match(r"^\s*-\s+", lines[index]):
                items.append(_scalar(re.sub(r"^\s*-\s+", "", lines[index])))
                index += 1
            entries.append((key, items))
        else:
            entries.append((key, _scalar(value)))
    return entries


def _split_front_matter(text: str, reading: Reading) -> str:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            entries = parse_front_matter(lines[1:end])
            if entries is None or not entries:
                return text
            reading.meta.extend(entries)
            values = "".join(v if isinstance(v, str) else "".join(v) for _k, v in entries)
            reading.drop("label", remainder("\n".join(lines[: end + 1]), values))
            return "\n".join(lines[end + 1 :])
    return text


def read_markdown(text: str) -> Reading:
    """Blocks of a Markdown file; front matter goes to ``reading.meta``."""
    reading = Reading()
    body = _split_front_matter(text, reading)
    current: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if current:
            reading.blocks.append(Block("para", "\n".join(current).strip("\n"), markdown=True))
            current.clear()

    lines = body.split("\n")
    for index, line in enumerate(lines):
        if fence is not None:
            current.append(line)
            if line.strip().startswith(fence):
                fence = None
                flush()
            continue
        opening = _FENCE.match(line)
        if opening and _closes(lines, index, opening.group(1)):
            flush()
            fence = opening.group(1)[0] * len(opening.group(1))
            current.append(line)
            continue
        atx = _ATX.match(line)
        if not line.strip():
            flush()
        elif atx:
            flush()
            reading.blocks.append(Block("heading", atx.group(2), len(atx.group(1)), True))
            reading.drop("markup", line[: atx.start(2)] + line[atx.end(2) :])
        elif len(current) == 1 and re.match(r"^=+[ \t]*$", line) and not is_break_line(current[0]):
            reading.blocks.append(Block("heading", current.pop().strip(), 1, True))
            reading.drop("markup", line)
        elif is_break_line(line):
            flush()
            reading.blocks.append(Block("break", line.strip(), markdown=True))
        else:
            current.append(line.rstrip())
    flush()
    return reading


def _closes(lines: list[str], index: int, fence: str) -> bool:
    marker = fence[0] * len(fence)
    return any(line.strip().startswith(marker) for line in lines[index + 1 :])
