"""Plain text <-> Markdown for imported text, and Markdown -> plain for single-line fields.

Plain text that happens to look like Markdown must read the same after import, so
:func:`escape_markdown` escapes exactly what the renderer would otherwise take as syntax:
``\\ ` * _ [ ]`` anywhere, ``<`` (raw HTML) as ``&lt;``, ``&`` before an entity name as
``&amp;``, and at a line start ``#``, ``>``, a ``+``/``-`` list marker, ``12.`` and a
``~~~`` fence. :func:`unescape_markdown` is its exact inverse, which is what the
"nothing is lost" tests rely on.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r"[\\`*_\[\]<]|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:#|>|[+\-](?=[ \t]|$)|\d+(?=\.(?:[ \t]|$))|~(?=~~))")
_UNESCAPE = re.compile(r"\\([\\`*_\[\]#>+\-.])|&amp;(?=#?\w+;)|&lt;|&#126;")


def _escape_inline(match: re.Match[str]) -> str:
    char = match.group()
    if char == "<":
        return "&lt;"
    if char == "&":
        return "&amp;"
    return "\\" + char


def _escape_line_start(match: re.Match[str]) -> str:
    token = match.group()
    if token == "~":
        return "&#126;"
    if token[0].isdigit():
        return token + "\\"  # "12" then "\." once the dot follows
    return "\\" + token


def escape_line(line: str) -> str:
    """One line of plain text as Markdown that renders to the same characters."""
    line = _INLINE.sub(_escape_inline, line)
    match = _LINE_START.match(line)
    if match is None:
        return line
    escaped = _escape_line_start(match)
    return escaped + line[match.end() :]


def escape_inline(text: str) -> str:
    """Only the characters that are syntax anywhere in a line (for HTML text nodes)."""
    return _INLINE.sub(_escape_inline, text)


def escape_line_starts(text: str) -> str:
    """Only the syntax a line may start with, for each line of already-inline text."""
    lines = []
    for line in text.split("\n"):
        match = _LINE_START.match(line)
        lines.append(_escape_line_start(match) + line[match.end() :] if match else line)
    return "\n".join(lines)


def escape_markdown(text: str) -> str:
    """Plain text (possibly several lines) as Markdown; see the module docstring."""
    return "\n".join(escape_line(line) for line in text.split("\n"))


def _unescape(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return match.group(1)
    token = match.group()
    return {"&amp;": "&", "&lt;": "<", "&#126;": "~"}[token]


def unescape_markdown(text: str) -> str:
    """The exact inverse of :func:`escape_markdown`."""
    return _UNESCAPE.sub(_unescape, text)


def as_markdown(text: str, is_markdown: bool) -> str:
    """A value for a Markdown field (notes, summary, prose)."""
    return text if is_markdown else escape_markdown(text)


_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"(?<![\\\w])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_BACKSLASH = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def markdown_to_plain(text: str) -> str:
    """A one-line Markdown value (a title, a tag) as plain text: links, emphasis and
    escapes removed, entities decoded."""
    previous = None
    while previous != text:
        previous = text
        text = _LINK.sub(r"\1", text)
        text = _EMPHASIS.sub(r"\2", text)
    text = _BACKSLASH.sub(r"\1", text)
    return html.unescape(text).strip()


def as_plain(text: str, is_markdown: bool) -> str:
    """A value for a plain field (title, author, tags)."""
    return markdown_to_plain(text) if is_markdown else text.strip()


def strip_wrapping(text: str) -> tuple[str, str, str]:
    """``(opening, inner, closing)``: emphasis markers and brackets wrapped round a line."""
    match = re.match(r"^([\s*_#>\\(\[]*)(.*?)([\s*_\\)\]]*)$", text, re.DOTALL)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)
