"""DOCX to Markdown blocks with python-docx (imported only when a DOCX is read).

Body paragraphs and tables are read in order. The "Title" style gives the work's title,
"Heading N" styles headings; italic and bold runs (direct or from a character style)
become ``*``/``**``, hyperlinks ``[text](url)``, and a divider paragraph a scene break.
The file's core properties give the title when the text has none; its "author" property
is the name of the computer's user, not the pen name, so it is never used.
"""

from __future__ import annotations

import io
import re
from typing import Any

from writer.core.errors import WriterError
from writer.core.importing.chapters import is_break_line
from writer.core.importing.markup import escape_inline, escape_line_starts
from writer.core.importing.model import Block
from writer.core.importing.text_reader import Reading


def _flag(run: Any, name: str) -> bool:
    value = getattr(run, name)
    if value is None and run.style is not None:
        value = getattr(run.style.font, name, None)
    return bool(value)


def _run_text(run: Any) -> str:
    text = escape_inline(run.text.replace("\t", " "))
    mark = ("**" if _flag(run, "bold") else "") + ("*" if _flag(run, "italic") else "")
    if not mark or not text.strip():
        return text
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark[::-1]}{trail}"


def _merge_marks(text: str) -> str:
    """``*a* *b*`` from two italic runs reads better as ``*a b*``."""
    return re.sub(r"(?<=[^\s*\\])(\*{1,3})(\s*)\1(?=[^\s*])", r"\2", text)


def _paragraph_markdown(paragraph: Any) -> str:
    from docx.text.hyperlink import Hyperlink

    parts = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            text = "".join(_run_text(r) for r in item.runs).strip()
            url = item.url or ""
            parts.append(f"[{text}]({url})" if url and text else text)
        else:
            parts.append(_run_text(item))
    text = _merge_marks("".join(parts))
    lines = [line.strip() for line in text.split("\n")]
    return escape_line_starts("\n".join(lines).strip())


def _heading_level(paragraph: Any) -> int | None:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.casefold() == "title":
        return 0
    match = re.match(r"heading\s*(\d)", name, re.IGNORECASE)
    return int(match.group(1)) if match else None


def read_docx(data: bytes, name: str) -> Reading:
    """Blocks of a DOCX file's body."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise WriterError("reading DOCX files needs python-docx") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise WriterError(f"{name} is not a readable DOCX file ({error})") from None
    reading = Reading()
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            _add_paragraph(item, reading)
        elif isinstance(item, Table):
            rows = []
            for index, row in enumerate(item.rows):
                cells = [" ".join(_paragraph_markdown(p) for p in c.paragraphs) for c in row.cells]
                rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
                if index == 0:
                    rows.append("|" + "|".join(" --- " for _ in row.cells) + "|")
            if rows:
                reading.blocks.append(Block("para", "\n".join(rows), markdown=True))
    reading.title = (document.core_properties.title or "").strip()  # only a fallback
    return reading


def _add_paragraph(paragraph: Any, reading: Reading) -> None:
    text = _paragraph_markdown(paragraph)
    if not text:
        return
    level = _heading_level(paragraph)
    plain = re.sub(r"\\(.)", r"\1", text).strip()
    if level is None and "\n" not in text and is_break_line(plain):
        reading.blocks.append(Block("break", text, markdown=True))
    elif level == 0:
        reading.blocks.append(Block("heading", text, 1, True))
    elif level is not None:
        reading.blocks.append(Block("heading", text, level + 1, True))
    else:
        reading.blocks.append(Block("para", text, markdown=True))
