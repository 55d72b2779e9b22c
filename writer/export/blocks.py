"""Rendered manuscript HTML as a flat list of blocks, for the word-processor exporters.

Why a block list: DOCX and ODT are both "a sequence of styled paragraphs holding
formatted runs", not a tree.  Converting the HTML from
:func:`writer.render.markdown.render_markdown` once into that shape means the DOCX and
ODT writers only map block kinds to styles and never parse HTML or Markdown themselves,
so both show exactly what the preview shows (same emphasis, scene breaks, footnotes).

Block kinds from :func:`html_to_blocks`:

* ``paragraph``; ``heading`` (``level`` 1-6); ``blockquote`` (a paragraph in a quote,
  ``level`` = quote depth, 1 for a single ``>``);
* ``list_item`` (``list_kind`` "bullet" or "number", ``level`` = nesting, 1 for a top-level
  list, ``number`` = the item's number in an ordered list); a list item's second and later
  paragraphs are ``list_item`` blocks with ``continued=True`` and no marker of their own;
* ``scene_break`` (no runs; the document layout fills in the work's marker);
* ``code`` (preformatted; its text keeps its newlines and spaces);
* ``footnote`` (one per footnote paragraph, at the end of the fragment, ``number`` set; the
  first paragraph of each starts with a run ``"1. "``); the in-text reference becomes a
  superscript run ``"1"``.  They form a heading-less notes section.

Table rows become paragraphs with the cells separated by tabs (header cells bold), images
become ``[alt text]``, and ``<br>`` becomes ``"\\n"`` inside a run, which the writers turn
into a real line break.

The second half of the module lays out a whole work (title page, parts, chapters, notes)
as blocks of further kinds (``title``, ``byline``, ``meta``, ``label``, ``part``,
``chapter``), in the same order as :mod:`writer.render.work_html`, so the two writers
cannot disagree about what goes where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from writer.export.base import Progress, report
from writer.render.assembled import AssembledChapter, AssembledWork, AssembleOptions
from writer.render.markdown import render_markdown
from writer.render.work_html import field_rows

__all__ = [
    "BLOCKQUOTE", "BYLINE", "CHAPTER", "CODE", "FOOTNOTE", "HEADING", "LABEL", "LIST_ITEM",
    "META", "PARAGRAPH", "PART", "SCENE_BREAK", "TITLE", "Block", "Run", "chapter_blocks",
    "clean_text", "end_matter_blocks", "front_matter_blocks", "html_to_blocks",
    "markdown_to_blocks", "scene_break_marker"
]  # fmt: skip

PARAGRAPH = "paragraph"
HEADING = "heading"
BLOCKQUOTE = "blockquote"
LIST_ITEM = "list_item"
SCENE_BREAK = "scene_break"
CODE = "code"
FOOTNOTE = "footnote"
# Kinds that only the document layout below produces.
TITLE = "title"
BYLINE = "byline"
META = "meta"
LABEL = "label"
PART = "part"
CHAPTER = "chapter"


@dataclass
class Run:
    """A stretch of text with one formatting; ``"\\n"`` in ``text`` is a line break."""

    text: str
    italic: bool = False
    bold: bool = False
    code: bool = False
    strike: bool = False
    superscript: bool = False
    href: str = ""
    underline: bool = False
    subscript: bool = False

    def same_format(self, other: Run) -> bool:
        """True when the two runs differ only in their text (so they can be merged)."""
        return replace(self, text="") == replace(other, text="")


@dataclass
class Block:
    """One paragraph-like unit; see the module docstring for the kinds."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    list_kind: str = ""
    number: int = 0
    continued: bool = False
    page_break: bool = False

    @property
    def text(self) -> str:
        """The block's plain text (tests and the scene-break check read it)."""
        return "".join(run.text for run in self.runs)


# Characters XML 1.0 forbids; python-docx refuses them and they would make content.xml
# invalid, and a pasted manuscript can carry them (form feeds, vertical tabs, NULs).
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# HTML collapses runs of ASCII whitespace; a non-breaking space is not whitespace there.
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
# Spaces a browser would not show: at the ends of a block and beside line breaks and
# tabs; also a block's trailing line breaks (a final <br> shows nothing).
_TRIM_RE = re.compile(r"^ +| +(?=[\n\t])|(?<=[\n\t]) +|[ \n]+$")
_FOOTNOTE_TRIM_RE = re.compile(r"^ +| +(?=[\n\t])|(?<=[\n\t]) +|[ \n\xa0]+$")
_EXTERNAL_HREF_RE = re.compile(r"^(https?|mailto):", re.IGNORECASE)

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "ul", "ol",
        "li", "table", "thead", "tbody", "tfoot", "tr", "caption", "dl", "dt", "dd",
        "figure", "figcaption",
    }
)  # fmt: skip
# Inline tags and the Run flag each one switches on.
_INLINE_FLAGS = {
    "em": "italic",
    "i": "italic",
    "strong": "bold",
    "b": "bold",
    "code": "code",
    "s": "strike",
    "del": "strike",
    "strike": "strike",
    "sup": "superscript",
    "sub": "subscript",
    "u": "underline",
    "ins": "underline",
}
# render_markdown's sanitiser already removes these with their content; skipping them here
# too keeps script text out of a document even if unsanitised HTML is ever passed in.
_SKIP_TAGS = frozenset({"script", "style", "template", "textarea", "title"})
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})


def clean_text(text: str) -> str:
    """Drop characters that XML cannot hold, so no writer ever fails on them."""
    return _XML_INVALID_RE.sub("", text)


@dataclass
class _List:
    ordered: bool
    footnotes: bool
    counter: int = 1


@dataclass
class _Item:
    """An open ``<li>``: its list, its number, and whether its first block is out."""

    list: _List
    number: int
    emitted: bool = False


class _BlockBuilder(HTMLParser):
    """Collect inline runs and cut them into blocks at every block-level boundary.

    The kind of a block is decided when it is flushed, from the context that is open at
    that moment; start tags flush before they change the context and end tags flush
    before they restore it, so the text always gets the context it was written in.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._runs: list[Run] = []
        self._open: list[str] = []
        self._flags: dict[str, int] = dict.fromkeys(_INLINE_FLAGS.values(), 0)
        self._hrefs: list[str] = []
        self._quote_depth = 0
        self._heading = 0
        self._pre = 0
        self._skip = 0
        self._lists: list[_List] = []
        self._items: list[_Item] = []
        self._footnote_divs: list[bool] = []
        self._cells = 0

    # -- runs --------------------------------------------------------------------

    def _append(self, text: str) -> None:
        """Add text with the formatting of the open inline elements."""
        if not text:
            return
        href = next((h for h in reversed(self._hrefs) if h), "")
        run = Run(text, href=href, **{k: v > 0 for k, v in self._flags.items()})
        if self._runs and self._runs[-1].same_format(run):
            self._runs[-1].text += text
        else:
            self._runs.append(run)

    # -- blocks ------------------------------------------------------------------

    def _context_block(self) -> Block:
        """An empty block of the kind the open elements call for."""
        if self._pre:
            return Block(CODE)
        if self._heading:
            return Block(HEADING, level=self._heading)
        if self._items:
            item = self._items[-1]
            if item.list.footnotes:
                return Block(FOOTNOTE, number=item.number, continued=item.emitted)
            level = sum(1 for lst in self._lists if not lst.footnotes)
            kind = "number" if item.list.ordered else "bullet"
            number = item.number if item.list.ordered else 0
            return Block(LIST_ITEM, level=level, list_kind=kind, number=number,
                         continued=item.emitted)  # fmt: skip
        if self._quote_depth:
            return Block(BLOCKQUOTE, level=self._quote_depth)
        return Block(PARAGRAPH)

    def _flush(self) -> None:
        """Turn the pending runs into a block (or drop them if they hold no text)."""
        block = self._context_block()
        runs, self._runs = self._runs, []
        block.runs = _tidy_runs(runs, verbatim=block.kind == CODE, footnote=block.kind == FOOTNOTE)
        if not block.runs:
            return
        if block.kind == FOOTNOTE and not block.continued:
            block.runs.insert(0, Run(f"{block.number}. "))
        if self._items:
            self._items[-1].emitted = True
        self.blocks.append(block)

    # -- parser callbacks --------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in _VOID_TAGS:
            self._void(tag, attributes)
            return
        self._open.append(tag)
        if self._skip or tag in _SKIP_TAGS:
            self._skip += 1
            return
        classes = attributes.get("class", "").split()
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "a":
            if "footnote-backref" in classes:
                self._skip += 1  # its text is the "↩" back to the reference
                return
            href = attributes.get("href", "")
            self._hrefs.append(href if _EXTERNAL_HREF_RE.match(href) else "")
        elif tag in _INLINE_FLAGS:
            self._flags[_INLINE_FLAGS[tag]] += 1
        elif tag == "th":
            self._flags["bold"] += 1
            self._cell_separator()
        elif tag == "td":
            self._cell_separator()
        elif tag == "tr":
            self._cells = 0
        elif tag in ("ul", "ol"):
            in_footnotes = bool(self._footnote_divs and self._footnote_divs[-1])
            start = attributes.get("start", "")
            footnotes = in_footnotes and not any(lst.footnotes for lst in self._lists)
            counter = int(start) if start.isdigit() else 1
            self._lists.append(_List(ordered=tag == "ol", footnotes=footnotes, counter=counter))
        elif tag == "li":
            current = self._lists[-1] if self._lists else _List(ordered=False, footnotes=False)
            self._items.append(_Item(current, current.counter))
            current.counter += 1
        elif tag == "blockquote":
            self._quote_depth += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = int(tag[1])
        elif tag == "pre":
            self._pre += 1
        elif tag == "div":
            self._footnote_divs.append("footnote" in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS or tag not in self._open:
            return  # stray end tag; sanitised input has none
        # Close whatever was left open inside this element first (HTMLParser does not).
        while self._open:
            closed = self._open.pop()
            self._close(closed)
            if closed == tag:
                break

    def _close(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "a":
            if self._hrefs:
                self._hrefs.pop()
        elif tag in _INLINE_FLAGS:
            self._flags[_INLINE_FLAGS[tag]] -= 1
        elif tag == "th":
            self._flags["bold"] -= 1
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
        elif tag == "li" and self._items:
            item = self._items[-1]
            if not item.emitted and not item.list.footnotes:
                self.blocks.append(self._context_block())  # an empty item keeps its number
            self._items.pop()
        elif tag == "blockquote":
            self._quote_depth = max(0, self._quote_depth - 1)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = 0
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)
        elif tag == "div" and self._footnote_divs:
            self._footnote_divs.pop()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            self._append(clean_text(data))
            return
        # A form feed is HTML white space: collapse it before XML-invalid characters go.
        text = _HTML_SPACE_RE.sub(" ", clean_text(data.replace("\f", " ")))
        last = self._runs[-1].text[-1:] if self._runs else ""
        if last in ("", " ", "\n", "\t"):
            text = text.lstrip(" ")
        self._append(text)

    def _void(self, tag: str, attributes: dict[str, str]) -> None:
        if self._skip:
            return
        if tag == "br":
            self._append("\n")
        elif tag == "hr":
            if self._footnote_divs and self._footnote_divs[-1]:
                return  # the rule Python-Markdown puts above the footnotes
            self._flush()
            self.blocks.append(Block(SCENE_BREAK))
        elif tag == "img":
            alt = _HTML_SPACE_RE.sub(" ", clean_text(attributes.get("alt", ""))).strip()
            if alt:
                self._append(f"[{alt}]")

    def _cell_separator(self) -> None:
        if self._cells:
            self._append("\t")
        self._cells += 1

    def close(self) -> None:
        super().close()
        self._flush()


def _tidy_runs(runs: list[Run], *, verbatim: bool, footnote: bool) -> list[Run]:
    """Trim a block's runs as a browser would lay them out, and drop empty ones.

    Spaces around line breaks and tabs and at either end of the block go, even when they
    sit in a neighbouring run; a trailing ``<br>`` (which shows nothing in a browser) goes
    too.  A footnote also loses the non-breaking space Python-Markdown puts before its
    back-link.  Preformatted text is kept as written, except for the final newline every
    ``<pre>`` ends with.
    """
    text = "".join(run.text for run in runs)
    if verbatim:
        drop = {len(text) - 1} if text.endswith("\n") else set()
    else:
        pattern = _FOOTNOTE_TRIM_RE if footnote else _TRIM_RE
        drop = {i for m in pattern.finditer(text) for i in range(m.start(), m.end())}
    if not text.strip() or len(drop) == len(text):
        return []
    kept: list[Run] = []
    position = 0
    for run in runs:
        piece = "".join(ch for i, ch in enumerate(run.text, start=position) if i not in drop)
        position += len(run.text)
        if not piece:
            continue
        if kept and kept[-1].same_format(run):
            kept[-1].text += piece
        else:
            kept.append(replace(run, text=piece))
    return kept


def html_to_blocks(html: str) -> list[Block]:
    """Cut a sanitised HTML fragment (as from ``render_markdown``) into blocks."""
    builder = _BlockBuilder()
    builder.feed(html)
    builder.close()
    return builder.blocks


def markdown_to_blocks(text: str) -> list[Block]:
    """Manuscript Markdown as blocks, through the one shared Markdown renderer."""
    return html_to_blocks(render_markdown(text))


# -- the document layout: what goes where, shared by the DOCX and ODT writers ----------


def scene_break_marker(options: AssembleOptions) -> str:
    """The text a scene break shows; an empty setting falls back to the usual stars."""
    return options.scene_break.strip() or "* * *"


def _plain(text: str) -> str:
    """A metadata string (title, heading, field value) ready for a run."""
    return " ".join(clean_text(text).split())


def _label(text: str) -> Block:
    return Block(LABEL, [Run(text, bold=True)])


def _shift_headings(blocks: list[Block]) -> list[Block]:
    """Push headings written in the text one level down: level 1 belongs to chapters."""
    for block in blocks:
        if block.kind == HEADING:
            block.level = min(block.level + 1, 6)
    return blocks


def _labelled(label: str, markdown_text: str) -> list[Block]:
    """A bold label followed by the rendered text, or nothing when the text is empty."""
    if not markdown_text.strip():
        return []
    return [_label(label), *_shift_headings(markdown_to_blocks(markdown_text))]


def front_matter_blocks(work: AssembledWork, options: AssembleOptions) -> list[Block]:
    """Title, byline, metadata, summary, disclaimer, spoiler warning and notes.

    Mirrors :func:`writer.render.work_html.title_page_html`: the title and byline always
    appear; the flags in ``options`` decide the rest.
    """
    meta = work.meta
    blocks = [Block(TITLE, [Run(_plain(meta.title))])]
    authors = [a for a in [meta.author, *meta.co_authors] if a]
    if authors:
        blocks.append(Block(BYLINE, [Run(_plain("by " + ", ".join(authors)))]))
    if options.title_page:
        for name, value in field_rows(work):
            runs = [Run(f"{name}: ", bold=True), Run(_plain(value))]
            blocks.append(Block(META, runs))
        blocks += _labelled("Summary:", meta.summary)
    if options.disclaimer:
        blocks += _labelled("Disclaimer:", meta.disclaimer)
    if options.spoiler_warning and work.spoiler_text:
        blocks += _labelled("Spoiler warning:", work.spoiler_text)
    if options.work_notes:
        blocks += _labelled("Notes:", meta.notes_begin)
    return blocks


def _mark_scene_breaks(blocks: list[Block], marker: str) -> list[Block]:
    """Give scene breaks the work's marker; a paragraph that is just the marker (a custom
    marker such as "~" that Markdown does not read as a rule) counts as one too."""
    for block in blocks:
        if block.kind == SCENE_BREAK or (block.kind == PARAGRAPH and block.text == marker):
            block.kind = SCENE_BREAK
            block.runs = [Run(marker)]
    return blocks


def chapter_blocks(
    chapter: AssembledChapter, options: AssembleOptions, *, part_heading: bool = False
) -> list[Block]:
    """One chapter: [part heading], heading, summary, notes, text, end notes.

    The first block starts a new page; a part heading gets a page of its own because the
    chapter after it starts another.  Summaries and notes were already dropped by
    ``assemble`` when their options are off.
    """
    blocks: list[Block] = []
    if part_heading and chapter.part:
        blocks.append(Block(PART, [Run(_plain(chapter.part))], level=1, page_break=True))
    body: list[Block] = []
    if chapter.heading:
        body.append(Block(CHAPTER, [Run(_plain(chapter.heading))], level=1))
    body += _labelled("Chapter Summary:", chapter.summary)
    body += _labelled("Chapter Notes:", chapter.notes_begin)
    text = _shift_headings(markdown_to_blocks(chapter.markdown))
    body += _mark_scene_breaks(text, scene_break_marker(options))
    body += _labelled("Chapter End Notes:", chapter.notes_end)
    if body:
        body[0].page_break = True
    return blocks + body


def end_matter_blocks(work: AssembledWork, options: AssembleOptions) -> list[Block]:
    """The work's end notes, when work notes are wanted."""
    if not options.work_notes:
        return []
    return _labelled("End Notes:", work.meta.notes_end)


def document_blocks(
    work: AssembledWork, options: AssembleOptions, progress: Progress | None = None
) -> Iterator[Block]:
    """Every block of the document in reading order: front matter, each chapter (with its
    part heading where a part begins), end matter; reports progress per chapter."""
    yield from front_matter_blocks(work, options)
    part = ""
    for index, chapter in enumerate(work.chapters, start=1):
        new_part = bool(chapter.part) and chapter.part != part
        part = chapter.part
        yield from chapter_blocks(chapter, options, part_heading=new_part)
        report(progress, index, len(work.chapters))
    yield from end_matter_blocks(work, options)
