"""HTML to Markdown blocks: paragraphs, headings, scene breaks, emphasis, links, lists.

Text is escaped so that it renders as the same characters; ``<em>``/``<i>`` become
``*…*``, ``<strong>``/``<b>`` ``**…**``, links ``[text](href)``, ``<hr>`` and divider
paragraphs (``* * *``, ``~~~``) scene breaks, ``<blockquote>`` ``> ``, lists ``- ``/``1. ``.
Underline and strike-through have no Markdown and keep only their text. Script and style
are not text and are left out.
"""

from __future__ import annotations

import re

from writer.core.importing.chapters import is_break_line
from writer.core.importing.htmltree import Element, parse_html
from writer.core.importing.markup import escape_inline, escape_line_starts
from writer.core.importing.model import Block
from writer.core.importing.text_reader import Reading

_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl",
        "dt", "dd", "pre", "table", "hr", "section", "article", "header", "footer", "main",
        "center", "figure", "figcaption", "address", "details", "summary", "body", "html",
        "nav", "aside", "tbody", "thead", "tfoot", "tr", "#document",
    }
)  # fmt: skip
_EMPHASIS = {"em": "*", "i": "*", "cite": "*", "var": "*", "dfn": "*", "strong": "**", "b": "**"}
_CODE = frozenset({"code", "tt", "kbd", "samp"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _wrap(inner: str, mark: str) -> str:
    core = inner.strip(" \n")
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" \n"))]
    trail = inner[len(inner.rstrip(" \n")) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _style_marks(element: Element) -> str:
    style = element.attrs.get("style", "").replace(" ", "").casefold()
    mark = ""
    if re.search(r"font-weight:(bold|[6-9]00)", style):
        mark += "**"
    if "font-style:italic" in style:
        mark += "*"
    return mark


def inline(node: Element | str) -> str:
    """Inline Markdown of a node (its text escaped; line breaks kept as ``\\n``)."""
    if isinstance(node, str):
        return escape_inline(_HTML_SPACE.sub(" ", node))
    tag = node.tag
    if tag == "br":
        return "\n"
    if tag == "img":
        alt = escape_inline(node.attrs.get("alt", ""))
        src = node.attrs.get("src", "")
        return f"![{alt}]({src})" if src else alt
    inner = "".join(inline(child) for child in node.children)
    if tag in _EMPHASIS:
        return _wrap(inner, _EMPHASIS[tag])
    if tag in _CODE:
        text = node.text()
        return f"`{text}`" if "`" not in text and text.strip() else inner
    if tag == "a":
        href = node.attrs.get("href", "").strip()
        if href and not href.startswith("#") and inner.strip():
            target = f"<{href}>" if re.search(r"[\s()]", href) else href
            return f"[{inner.strip()}]({target})"
        return inner
    if tag == "span":
        mark = _style_marks(node)
        return _wrap(inner, mark) if mark else inner
    return inner


def _paragraph_text(nodes: list[Element | str]) -> str:
    text = "".join(inline(n) for n in nodes)
    lines = [line.strip(" ") for line in text.split("\n")]
    return escape_line_starts("\n".join(lines).strip("\n"))


def _is_block(node: Element | str) -> bool:
    return isinstance(node, Element) and node.tag in _BLOCK


def _para_blocks(text: str) -> list[Block]:
    blocks = []
    for part in re.split(r"\n[ \t]*\n+", text):
        part = part.strip()
        if not part:
            continue
        if "\n" not in part and is_break_line(_plain(part)):
            blocks.append(Block("break", part, markdown=True))
        else:
            blocks.append(Block("para", part, markdown=True))
    return blocks


def _plain(markdown_text: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown_text)


def _list_blocks(element: Element, depth: int = 0) -> list[str]:
    lines = []
    number = int(element.attrs.get("start", "1") or 1) if element.tag == "ol" else 0
    for item in element.elements():
        if item.tag != "li":
            continue
        inline_nodes = [c for c in item.children if not _is_block(c) or c.tag in ("p", "div")]
        nested = [c for c in item.elements() if c.tag in ("ul", "ol")]
        text = " ".join(
            _paragraph_text([c]) if isinstance(c, Element) and c.tag in ("p", "div") else inline(c)
            for c in inline_nodes
        )
        text = re.sub(r"\s*\n\s*", " ", text).strip()
        marker = f"{number}." if element.tag == "ol" else "-"
        lines.append(f"{'    ' * depth}{marker} {text}")
        if element.tag == "ol":
            number += 1
        for sub in nested:
            lines += _list_blocks(sub, depth + 1)
    return lines


def _table_block(element: Element) -> str:
    rows = [row for row in element.iter() if row.tag == "tr"]
    lines = []
    for index, row in enumerate(rows):
        cells = [c for c in row.elements() if c.tag in ("td", "th")]
        texts = [_paragraph_text(c.children).replace("\n", " ").replace("|", "\\|") for c in cells]
        lines.append("| " + " | ".join(texts) + " |")
        if index == 0:
            lines.append("|" + "|".join(" --- " for _ in cells) + "|")
    return "\n".join(lines)


def blocks_of(element: Element) -> list[Block]:
    """The blocks of an element's content, in order."""
    blocks: list[Block] = []
    run: list[Element | str] = []

    def flush() -> None:
        if run:
            blocks.extend(_para_blocks(_paragraph_text(run)))
            run.clear()

    for child in element.children:
        if not _is_block(child):
            run.append(child)
            continue
        flush()
        assert isinstance(child, Element)
        blocks.extend(_element_blocks(child))
    flush()
    return blocks


def _element_blocks(element: Element) -> list[Block]:
    tag = element.tag
    if tag == "hr":
        return [Block("break", "<hr>", markdown=True)]
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = re.sub(r"\s*\n\s*", " ", _paragraph_text(element.children))
        return [Block("heading", text, int(tag[1]), True)] if text else []
    if tag in ("ul", "ol"):
        lines = _list_blocks(element)
        return [Block("para", "\n".join(lines), markdown=True)] if lines else []
    if tag == "table":
        return [Block("para", _table_block(element), markdown=True)]
    if tag == "pre":
        body = element.text().strip("\n")
        return [Block("para", f"```\n{body}\n```", markdown=True)] if body.strip() else []
    if tag == "blockquote":
        quoted = []
        for block in blocks_of(element):
            text = block.text if not block.is_break else "* * *"
            quoted.append(Block("para", "\n".join("> " + ln for ln in text.split("\n")), 0, True))
        return quoted
    return blocks_of(element)


def read_html(text: str) -> Reading:
    """Blocks of a whole HTML document; its ``<title>`` and author ``<meta>`` as metadata."""
    root = parse_html(text)
    reading = Reading()
    title = root.find(lambda e: e.tag == "title")
    if title is not None and title.text().strip():
        reading.title = _HTML_SPACE.sub(" ", title.text()).strip()
    for meta in root.find_all(lambda e: e.tag == "meta"):
        name = meta.attrs.get("name", "").casefold()
        content = meta.attrs.get("content", "").strip()
        if name in ("author", "dc.creator") and content:
            reading.meta.append(("author", content))
    head = root.find(lambda e: e.tag == "head")
    if head is not None and head.parent is not None:
        head.parent.children.remove(head)
    body = root.find(lambda e: e.tag == "body") or root
    reading.blocks = blocks_of(body)
    return reading
