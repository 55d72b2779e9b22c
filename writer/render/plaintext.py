"""Markdown to plain text, for the ``txt`` export.

Why render to HTML first instead of stripping Markdown syntax with regexes: the HTML
from :func:`writer.render.markdown.render_markdown` is what the preview shows, so the
plain text is guaranteed to agree with it about what is emphasis, what is a scene break,
what is a footnote and which smart quotes were chosen.  Regex stripping would be a second
Markdown parser that would drift from the first.

The HTML is walked with :class:`html.parser.HTMLParser` (standard library, tolerant of
anything) and written out as:

* paragraphs, headings and blockquoted paragraphs separated by one blank line;
* ``<br>`` as a newline, so poetry keeps its lines;
* list items as ``- item`` or ``1. item``, nested lists indented under their parent;
* scene breaks as a centred ``* * *`` paragraph;
* footnote references as ``[1]`` and the footnotes at the end as ``[1] text``;
* entities decoded, so smart quotes, dashes and non-breaking spaces stay as Unicode.

The result has no trailing newline; callers joining chapters add their own separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from writer.render.markdown import render_markdown

__all__ = ["PLAIN_TEXT_WIDTH", "PLAIN_SCENE_BREAK", "html_to_plain", "markdown_to_plain"]

#: Nominal line width used only to centre the scene-break marker; text is not wrapped.
PLAIN_TEXT_WIDTH = 72

#: How a scene break looks in plain text.
PLAIN_SCENE_BREAK = "* * *".center(PLAIN_TEXT_WIDTH).rstrip()

# HTML collapses runs of ASCII whitespace; a non-breaking space is not whitespace there.
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "caption",
        "figure", "figcaption", "dl", "dt", "dd", "pre",
    }
)  # fmt: skip
_LIST_TAGS = frozenset({"ul", "ol"})
_CELL_TAGS = frozenset({"td", "th"})
# Containers whose own whitespace (between rows and cells) is layout, not text.
_TABLE_STRUCTURE_TAGS = frozenset({"table", "thead", "tbody", "tfoot", "tr"})


@dataclass
class _ListLevel:
    """One open ``<ul>``/``<ol>``: how to number its items and how wide the marker is."""

    ordered: bool
    footnotes: bool
    counter: int = 1
    marker_width: int = 0


class _PlainTextWriter(HTMLParser):
    """Accumulate plain text from a sanitised HTML fragment.

    Output is built from three primitives: request a separation of N newlines before the
    next text (``_separate``), write text, and track whether the current line has any
    content yet.  Separation requests are merged (the larger wins) so nested blocks that
    each ask for a blank line still produce exactly one.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._pending_newlines = 0
        self._line_has_content = False
        self._lists: list[_ListLevel] = []
        self._open: list[str] = []  # open element names, for table/footnote context
        self._footnote_depth = 0  # >0 while inside <div class="footnote">
        self._div_is_footnote: list[bool] = []
        self._skip_depth = 0  # >0 while inside a footnote back-link (its text is "↩")
        self._anchor_is_ref: list[bool] = []  # one entry per open <a>
        self._after_marker = False  # a list marker was written and nothing after it yet
        self._pre_depth = 0
        self._cells_in_row = 0

    # -- output primitives ---------------------------------------------------------

    def _separate(self, newlines: int, *, force: bool = False) -> None:
        """Ask for at least ``newlines`` line breaks before the next text.

        Right after a list marker a block start is ignored, so an item's first paragraph
        shares the marker's line; ``force`` is for item and list ends, which must break
        the line even when the item was empty.
        """
        if not self._parts or (self._after_marker and not force):
            return
        self._after_marker = False
        self._pending_newlines = max(self._pending_newlines, newlines)

    def _indent(self, levels: list[_ListLevel]) -> str:
        return "".join(" " * level.marker_width for level in levels)

    def _flush_newlines(self, indent: str) -> None:
        """Emit pending line breaks, then the indentation for the new line."""
        if self._pending_newlines and self._parts:
            self._trim_trailing(" \t")
            self._parts.append("\n" * self._pending_newlines)
            self._parts.append(indent)
            self._line_has_content = False
        self._pending_newlines = 0

    def _trim_trailing(self, chars: str) -> None:
        while self._parts:
            stripped = self._parts[-1].rstrip(chars)
            if stripped:
                self._parts[-1] = stripped
                return
            self._parts.pop()

    def _write(self, text: str) -> None:
        """Write inline text that has already had its whitespace handled."""
        if not text:
            return
        self._flush_newlines(self._indent(self._lists))
        self._parts.append(text)
        self._line_has_content = True
        self._after_marker = False

    def _write_preformatted(self, text: str) -> None:
        """Write text verbatim, keeping its line structure (and list indentation)."""
        for index, line in enumerate(text.split("\n")):
            if index:
                self._pending_newlines += 1
            if line:
                self._write(line)

    # -- HTMLParser callbacks ------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in ("br", "hr", "img"):
            # Void elements: handled entirely here, never pushed on the open stack.
            self._void_element(tag, attributes)
            return
        self._open.append(tag)
        if self._skip_depth:
            self._skip_depth += 1
            return
        classes = attributes.get("class", "").split()
        if tag == "a" and "footnote-backref" in classes:
            self._skip_depth = 1
        elif tag == "a":
            is_ref = "footnote-ref" in classes
            self._anchor_is_ref.append(is_ref)
            if is_ref:
                self._write("[")
        elif tag in _LIST_TAGS:
            self._separate(1 if self._lists else 2)
            start = attributes.get("start", "")
            self._lists.append(
                _ListLevel(
                    ordered=tag == "ol",
                    footnotes=self._footnote_depth > 0,
                    counter=int(start) if start.isdigit() else 1,
                )
            )
        elif tag == "li":
            self._start_list_item()
        elif tag == "div":
            is_footnote = "footnote" in classes
            self._div_is_footnote.append(is_footnote)
            self._footnote_depth += is_footnote
            self._separate(2)
        elif tag == "pre":
            self._separate(2)
            self._pre_depth += 1
        elif tag in _BLOCK_TAGS:
            self._separate(2)
        elif tag == "tr":
            self._separate(1)
            self._cells_in_row = 0
        elif tag in _CELL_TAGS:
            if self._cells_in_row:
                self._trim_trailing(" ")
                self._write(" | ")
            self._cells_in_row += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "hr", "img"):
            return
        if tag not in self._open:
            return  # stray end tag; sanitised input should not have any
        # Close anything left open inside this element first (HTMLParser does not).
        while self._open:
            closed = self._open.pop()
            self._close(closed)
            if closed == tag:
                break

    def _close(self, tag: str) -> None:
        if self._skip_depth:
            self._skip_depth -= 1
            return
        if tag == "a":
            if self._anchor_is_ref and self._anchor_is_ref.pop():
                self._write("]")
        elif tag in _LIST_TAGS:
            if self._lists:
                self._lists.pop()
            self._separate(1 if self._lists else 2, force=True)
        elif tag == "li":
            self._separate(1, force=True)
        elif tag == "div":
            if self._div_is_footnote and self._div_is_footnote.pop():
                self._footnote_depth -= 1
            self._separate(2)
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
            self._trim_trailing("\n")
            self._separate(2)
        elif tag in _BLOCK_TAGS:
            self._separate(2)
        elif tag == "tr":
            self._separate(1)

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            self._write_preformatted(data)
            return
        if self._open and self._open[-1] in _TABLE_STRUCTURE_TAGS and not data.strip():
            return
        text = _HTML_SPACE_RE.sub(" ", data)
        at_line_start = not self._line_has_content or self._pending_newlines > 0
        ends_with_space = bool(self._parts) and self._parts[-1].endswith(" ")
        if at_line_start or ends_with_space:
            text = text.lstrip(" ")
        self._write(text)

    # -- element helpers -----------------------------------------------------------

    def _void_element(self, tag: str, attributes: dict[str, str]) -> None:
        """Handle ``<br>``, ``<hr>`` and ``<img>``, which have no content or end tag."""
        if self._skip_depth:
            return
        if tag == "br":
            if self._parts:
                self._pending_newlines += 1
        elif tag == "hr":
            if self._footnote_depth:
                return  # the separator above the footnote list
            self._separate(2)
            self._flush_newlines("")
            self._parts.append(PLAIN_SCENE_BREAK)
            self._line_has_content = True
            self._after_marker = False
            self._separate(2)
        elif tag == "img":
            alt = _HTML_SPACE_RE.sub(" ", attributes.get("alt", "")).strip()
            if alt:
                self._write(f"[{alt}]")

    def _start_list_item(self) -> None:
        level = self._lists[-1] if self._lists else None
        if level is None:
            marker = "- "
        elif level.footnotes:
            marker = f"[{level.counter}] "
            level.counter += 1
        elif level.ordered:
            marker = f"{level.counter}. "
            level.counter += 1
        else:
            marker = "- "
        self._separate(1, force=True)
        outer = self._lists[:-1] if level is not None else self._lists
        self._flush_newlines(self._indent(outer))
        self._parts.append(marker)
        self._line_has_content = False
        self._after_marker = True
        if level is not None:
            level.marker_width = len(marker)

    def text(self) -> str:
        """Return the accumulated text, trailing spaces trimmed from every line."""
        joined = "".join(self._parts)
        lines = [line.rstrip() for line in joined.split("\n")]
        return "\n".join(lines).strip("\n")


def html_to_plain(html: str) -> str:
    """Convert a sanitised HTML fragment (as from ``render_markdown``) to plain text."""
    writer = _PlainTextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()


def markdown_to_plain(text: str) -> str:
    """Return manuscript Markdown as plain text with all markup removed.

    See the module docstring for the layout.  Safe to call from any thread.
    """
    return html_to_plain(render_markdown(text))
