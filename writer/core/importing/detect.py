"""Finding the blocks that are not prose at the start and at the end of a text.

``scan_front`` reads from the first block while it meets header labels ("Rating: T"),
author's notes ("A/N: ..."), disclaimers (labelled or "I don't own X"), spoiler warnings
("Spoilers for Season 2") or a "Title / by Author" byline, and the dividers between them.
``scan_back`` finds the notes (and disclaimers) a text ends with. Both return what they
found as :class:`Found` values for the collector, the prose blocks that are left, and the
label words and dividers they left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from writer.core.importing.chapters import is_break_line, parse_chapter_line
from writer.core.importing.labels import LabelMatch, match_label, match_note
from writer.core.importing.model import Block, Dropped, remainder
from writer.core.importing.phrases import is_disclaimer, standalone_spoiler

LONG_KEYS = frozenset({"notes", "notes_end", "summary", "disclaimer"})
_LIST_KEYS = frozenset({"tags", "characters", "relationships", "fandoms", "warnings"})
_LABEL_ONLY = re.compile(
    r"^[\s*_#]*(summary|description|disclaimer|disclaimers)[\s*_]*:?[\s*_]*$", re.IGNORECASE
)
_MAX_EXTRA = 3


@dataclass
class Found:
    """One value for the collector: its key, text, and how it was written."""

    key: str
    value: str | list[str]
    markdown: bool
    label: str = ""
    raw: str = ""


@dataclass
class Scan:
    """What a scan found, the prose blocks it left (``rest``), and what it dropped."""

    found: list[Found] = field(default_factory=list)
    rest: list[Block] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def drop(self, kind: str, text: str) -> None:
        if text.strip():
            self.dropped.append(Dropped(kind, text))


def _label_lines(block: Block) -> list[LabelMatch | None]:
    return [match_label(line) for line in block.text.split("\n")]


def _label_only(block: Block) -> str | None:
    """ "Summary" / "Disclaimer:" alone on its paragraph: the key it introduces."""
    if not block.is_para or "\n" in block.text:
        return None
    note = match_note(block.text)
    if note is not None and not note.value.strip():
        return note.key
    match = _LABEL_ONLY.match(block.text)
    if match is None:
        return None
    word = match.group(1).casefold()
    return "summary" if word in ("summary", "description") else "disclaimer"


def classify(block: Block, in_header: bool) -> str | None:
    """What an opening paragraph is: "labels", "label_only", "disclaimer", "spoiler"."""
    if not block.is_para:
        return None
    if _label_only(block):
        return "label_only"
    matches = _label_lines(block)
    first = matches[0]
    if first is not None:
        count = sum(1 for m in matches if m is not None)
        if first.key in ("notes", "notes_end") or in_header or count >= 2 or first.spaced:
            return "labels"
    if is_disclaimer(block.text):
        return "disclaimer"
    if standalone_spoiler(block.text) is not None:
        return "spoiler"
    return None


def _parse_labels(block: Block, scan: Scan) -> tuple[list[Found], str]:
    """The label lines of a paragraph as values; returns also any trailing prose lines."""
    found: list[Found] = []
    lines = block.text.split("\n")
    for index, line in enumerate(lines):
        match = match_label(line)
        if match is None:
            if found and (found[-1].key in LONG_KEYS or found[-1].key in _LIST_KEYS):
                found[-1].value = f"{found[-1].value}\n{line}"
                found[-1].raw = f"{found[-1].raw}\n{line}"
                continue
            if not found:
                return found, "\n".join(lines)
            return found, "\n".join(lines[index:])
        if match.key == "note_line":
            found.append(Found("note_line", line, block.markdown, match.label, line))
            continue
        scan.drop("label", match.prefix)
        scan.drop("markup", match.suffix)
        found.append(Found(match.key, match.value, block.markdown, match.label, line))
    return found, ""


def _close_bracket(found: Found, scan: Scan) -> bool:
    """Strip the bracket a "(A/N: ...)" note closes with; False if it is still open."""
    text = str(found.value).rstrip()
    for closer in (")", "]"):
        if text.endswith("\\" + closer) or text.endswith(closer):
            cut = 2 if text.endswith("\\" + closer) else 1
            found.value = text[:-cut]
            scan.drop("separator", text[-cut:])
            return True
    return False


_NOTE_TALK = re.compile(
    r"\b(?:thanks?|thank\s+you|reviews?|chapters?|story|stories|fics?|fanfic|updat\w*|"
    r"readers?|reading|comments?|kudos|beta\w*|sorry|enjoy\w*|hope|posted|posting|writing|"
    r"wrote|one-?shot|author|prompt|inspired|dedicated|feedback|a/n)\b",
    re.IGNORECASE,
)


def _note_like(block: Block) -> bool:
    """Whether a paragraph talks to readers (as notes do) rather than telling the story."""
    text = block.text
    return bool(_NOTE_TALK.search(text)) and not re.search(r"[\"\u201c\u201d]", text)


def _extend(blocks: list[Block], start: int, label_only: bool, bracket: bool) -> int:
    """How many paragraphs after ``start`` belong to the long value opened there.

    A bracketed note runs to its closing bracket. Otherwise a note runs on over at most
    two paragraphs that talk to readers ("thanks for reading") when a divider follows
    them; a label alone on its line ("Summary") takes the next paragraph.
    """
    following = blocks[start + 1 :]
    for extra, block in enumerate(following):
        if bracket and block.is_para and block.text.rstrip().endswith((")", "]")):
            return extra + 1 if extra < _MAX_EXTRA + 3 else 0
        if bracket and (not block.is_para or extra >= _MAX_EXTRA + 3):
            return 0
        if bracket:
            continue
        if block.is_break or block.is_heading:
            return extra if 0 < extra <= 2 else int(label_only and extra > 0)
        if not block.is_para or classify(block, False) or not _note_like(block) or extra >= 2:
            break
    return 1 if label_only and following and following[0].is_para and not bracket else 0


_BY = re.compile(r"^((?:written\s+)?by\s+)(\S.{0,79})$", re.IGNORECASE)
_BY_ALONE = re.compile(r"^(?:written\s+)?by:?$", re.IGNORECASE)
_ASIDE = re.compile(r"^\(.{1,40}\)$|^\d{4}$")  # "(1814)", "(a novel)", "2019"


def _title_like(text: str) -> bool:
    return (
        0 < len(text) <= 120
        and "\n" not in text
        and not re.search(r"[.!?,;:]$", text)
        and not match_label(text)
        and parse_chapter_line(text) is None
        and not is_break_line(text)
    )


def _byline(blocks: list[Block], i: int, scan: Scan) -> tuple[list[Found], int] | None:
    """A title page at the very start: "The Long Road" then "by Wren" (in one paragraph or
    two, or "by" and the name apart), with a "(1814)"-like aside before or after."""
    texts = [b.text.strip() if b.is_para else None for b in blocks[i : i + 6]]
    lines = (texts[0] or "").split("\n")
    if len(lines) == 2 and _title_like(lines[0]) and _BY.match(lines[1]):
        title, match, used = lines[0], _BY.match(lines[1]), 1
        name, label = match.group(2), match.group(1)  # type: ignore[union-attr]
    elif texts[0] is not None and _title_like(texts[0]):
        title, used = texts[0], 1
        asides = []
        if used < len(texts) and texts[used] and _ASIDE.match(texts[used]):
            asides.append(texts[used])
            used += 1
        following = texts[used] if used < len(texts) else None
        after = texts[used + 1] if used + 1 < len(texts) else None
        if following and _BY.match(following):
            label, name = _BY.match(following).groups()  # type: ignore[union-attr]
            used += 1
        elif following and _BY_ALONE.match(following) and after and _title_like(after):
            label, name = following, after
            used += 2
        else:
            return None
        if used < len(texts) and texts[used] and _ASIDE.match(texts[used]):
            asides.append(texts[used])
            used += 1
        scan.found += [
            Found("unmapped", aside, blocks[i].markdown, "title page") for aside in asides
        ]
    else:
        return None
    if not _name_like(name):
        return None
    scan.drop("label", label)
    markdown = blocks[i].markdown
    return [Found("title", title, markdown), Found("author", name, markdown)], used


def _name_like(text: str) -> bool:
    """A name or pen name ("Wren Vale", "quillandember"), not a clause ("noon the ...")."""
    words = text.split()
    if (
        not 0 < len(words) <= 4
        or re.search(r"[.!?,;:]$", text)
        and not re.search(r"\b[A-Z]\.$", text)
    ):
        return False
    return len(words) == 1 or all(
        w[:1].isupper() or not w[:1].isalpha() or w in _NAME_PARTICLES for w in words
    )


_NAME_PARTICLES = frozenset(
    {"van", "von", "de", "du", "da", "di", "del", "la", "le", "of", "and", "&"}
)


def scan_front(blocks: list[Block], byline: bool = False) -> Scan:
    """Header labels, notes, disclaimers and spoiler warnings a text opens with."""
    scan = Scan()
    i, in_header = 0, False
    while i < len(blocks):
        block = blocks[i]
        if block.is_break:
            scan.drop("separator", block.text)
            i += 1
            continue
        if byline and not scan.found and not in_header:
            found = _byline(blocks, i, scan)
            if found is not None:
                values, used = found
                scan.found += values
                i += used
                in_header = True
                continue
        kind = classify(block, in_header)
        if kind is None:
            break
        if kind == "label_only":
            key = _label_only(block) or "notes"
            scan.drop("label", block.text)
            count = _extend(blocks, i, True, False)
            body = blocks[i + 1 : i + 1 + count]
            if body:
                text = "\n\n".join(b.text for b in body)
                scan.found.append(Found(key, text, body[0].markdown, block.text, text))
            i += 1 + count
            in_header = True
            continue
        if kind == "disclaimer":
            scan.found.append(Found("disclaimer", block.text, block.markdown, "", block.text))
        elif kind == "spoiler":
            items, rest = standalone_spoiler(block.text)  # type: ignore[misc]
            scan.found.append(Found("spoilers", items, block.markdown))
            if rest:
                scan.found.append(Found("spoiler_note", rest, block.markdown))
            kept = "".join(items) + rest
            scan.drop("label", remainder(block.text, kept))
        else:
            values, rest = _parse_labels(block, scan)
            scan.found += values
            if rest:
                blocks = [
                    *blocks[:i],
                    block,
                    Block("para", rest, 0, block.markdown),
                    *blocks[i + 1 :],
                ]
                i += 1
                break
            last = values[-1] if values else None
            label_only = last is not None and not str(last.value).strip()
            if (
                last is not None
                and last.key in LONG_KEYS
                and (last.key != "disclaimer" or label_only)
            ):
                bracket = "(" in _opener(block) or "[" in _opener(block)
                closed = bracket and _close_bracket(last, scan)
                count = _extend(blocks, i, not str(last.value).strip(), bracket and not closed)
                body = blocks[i + 1 : i + 1 + count]
                if body:
                    extra = "\n\n".join(b.text for b in body)
                    last.value = f"{last.value}\n\n{extra}".strip("\n")
                    last.raw = f"{last.raw}\n\n{extra}"
                    if bracket and not closed:
                        _close_bracket(last, scan)
                i += count
            in_header = True
        i += 1
    scan.rest = blocks[i:]
    return scan


def _opener(block: Block) -> str:
    match = match_label(block.text.split("\n")[0])
    return match.opener if match else ""


def scan_back(blocks: list[Block]) -> Scan:
    """The notes and disclaimers a text ends with; ``rest`` is the prose before them."""
    scan = Scan()
    end = len(blocks)
    while end > 0 and blocks[end - 1].is_break:
        end -= 1
    start = None
    for k in range(max(1, end - 12), end):
        window = blocks[k:end]
        if any(not b.is_para for b in window):
            continue
        first = blocks[k]
        note = match_note(first.text.split("\n")[0])
        if note is not None or _label_only(first) or _ends_disclaimer(first):
            start = k
            break
    if start is None:
        scan.rest = list(blocks)
        return scan
    for block in blocks[end:]:
        scan.drop("separator", block.text)
    if blocks[start - 1].is_break:
        scan.drop("separator", blocks[start - 1].text)
    current: Found | None = None
    for block in blocks[start:end]:
        kind = classify(block, True)
        if kind == "labels":
            values, rest = _parse_labels(block, scan)
            for value in values:
                if value.key == "notes":
                    value.key = "notes_end"
            scan.found += values
            current = values[-1] if values else None
            if rest:
                current = _append(scan, current, rest, block.markdown)
        elif kind == "label_only":
            scan.drop("label", block.text)
            key = _label_only(block) or "notes_end"
            key = "notes_end" if key == "notes" else key
            current = Found(key, "", block.markdown, block.text.strip(" \t*_#:"))
            scan.found.append(current)
        elif kind == "disclaimer":
            scan.found.append(Found("disclaimer", block.text, block.markdown, "", block.text))
            current = None
        else:
            current = _append(scan, current, block.text, block.markdown)
    for value in scan.found:
        opener = value.raw.split("\n")[0] if value.raw else ""
        match = match_label(opener) if opener else None
        if match and ("(" in match.opener or "[" in match.opener):
            _close_bracket(value, scan)
    scan.rest = blocks[: start - 1 if blocks[start - 1].is_break else start]
    return scan


def _append(scan: Scan, current: Found | None, text: str, markdown: bool) -> Found:
    if current is not None and current.key in LONG_KEYS:
        current.value = f"{current.value}\n\n{text}".strip("\n")
        current.raw = f"{current.raw}\n\n{text}"
        return current
    found = Found("notes_end", text, markdown, "", text)
    scan.found.append(found)
    return found


def _ends_disclaimer(block: Block) -> bool:
    first = match_label(block.text.split("\n")[0])
    return (first is not None and first.key == "disclaimer") or is_disclaimer(block.text)
