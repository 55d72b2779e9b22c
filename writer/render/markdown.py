"""The single Markdown-to-HTML path shared by the live preview and every exporter.

Why one module: if the preview and the exporters each configured Markdown on their own,
an author would see one thing on screen and get another in the EPUB.  Everything that
turns manuscript text into HTML goes through :func:`render_markdown`, and its output is
always passed through :func:`writer.render.sanitize.sanitize_html` because manuscripts
(especially imported fan-fiction) may carry arbitrary raw HTML.

Why these extensions:

* ``footnotes`` and ``tables`` are common in author's notes and worldbuilding chapters;
  tables use ``align`` attributes rather than inline ``style`` so the sanitiser never has
  to allow ``style``.
* ``smarty`` gives typographic quotes, dashes and ellipses, which fiction expects.
* ``nl2br`` keeps a single newline as a line break: poetry, song lyrics and text-message
  exchanges are written line by line and must not be reflowed into one paragraph.
* ``sane_lists`` keeps a bulleted list and a numbered list that follow each other
  separate instead of merging them into one, which surprises non-technical authors.
* ``fenced_code`` lets authors quote code or ASCII art verbatim, including lines that
  would otherwise be taken as scene breaks.

Scene breaks are the one place where we deliberately depart from standard Markdown.
Fiction writers put ``***``, ``* * *``, ``---`` or ``___`` on a line of their own to mark
a change of scene, very often directly under the last line of a paragraph.  Standard
Markdown reads ``Some text`` followed by ``---`` as a setext ``<h2>``, which silently
turns the last sentence of a scene into a heading.  A preprocessor therefore replaces
every such line with a stashed ``<hr class="scene-break">`` surrounded by blank lines,
before the block parser gets a chance to see it.
"""

from __future__ import annotations

import re
import threading
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from writer.core.scenebreak import is_scene_break_line
from writer.render.sanitize import sanitize_html

__all__ = ["SCENE_BREAK_CLASS", "is_scene_break_line", "render_markdown"]

#: CSS class given to the ``<hr>`` that marks a scene break; the stylesheet, the
#: plain-text converter and the importer all key on it.
SCENE_BREAK_CLASS = "scene-break"

_SCENE_BREAK_HTML = f'<hr class="{SCENE_BREAK_CLASS}">'

# Python-Markdown's fenced_code preprocessor runs at priority 25 and html_block at 20
# (higher runs first).  Running after both means fenced code and raw HTML blocks have
# already been replaced by stash placeholders, so lines inside them are never touched.
_SCENE_BREAK_PRIORITY = 15

# Footnotes' treeprocessor (priority 50) appends the footnote list with its own <hr>;
# ours must run first so that separator is not mistaken for a scene break.
_RULE_TREE_PRIORITY = 55

# One or more blockquote markers at the start of a line, e.g. "> " or "> > ".
_QUOTE_PREFIX_RE = re.compile(r"^(?: {0,3}>[ \t]?)+")


class _SceneBreakPreprocessor(Preprocessor):
    """Replace scene-break lines with a stashed ``<hr class="scene-break">``.

    The rule is stashed as raw HTML instead of being left for the block parser because
    the block parser would either make the previous line a setext heading (``---``) or
    produce an ``<hr>`` without our class.  Blank lines are added around the placeholder
    so that it always ends the paragraph above it and starts a fresh block below.

    Lines inside a blockquote (``> ---``) get the same treatment, keeping their ``>``
    prefix, so a quoted letter or diary entry with a scene break is not turned into a
    heading either.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            match = _QUOTE_PREFIX_RE.match(line)
            prefix = match.group(0) if match else ""
            if is_scene_break_line(line[len(prefix) :]):
                placeholder = self.md.htmlStash.store(_SCENE_BREAK_HTML)
                blank = prefix.rstrip()
                if prefix and not prefix.endswith((" ", "\t")):
                    prefix += " "
                out.extend([blank, prefix + placeholder, blank])
            else:
                out.append(line)
        return out


class _MarkdownRuleTreeprocessor(Treeprocessor):
    """Give the scene-break class to any ``<hr>`` Markdown syntax still produced.

    The preprocessor only sees top-level and blockquoted lines; a rule nested in a list
    item is still parsed by Python-Markdown's own rule processor.  In a manuscript every
    Markdown rule means a scene break, so it is marked the same way.  This runs before
    the footnotes extension adds its own separator ``<hr>``, which is left alone.
    """

    def run(self, root: Element) -> None:
        for rule in root.iter("hr"):
            if not rule.get("class"):
                rule.set("class", SCENE_BREAK_CLASS)


class _SceneBreakExtension(Extension):
    """Register the scene-break processors on a Markdown instance."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(
            _SceneBreakPreprocessor(md), "writer_scene_break", _SCENE_BREAK_PRIORITY
        )
        md.treeprocessors.register(
            _MarkdownRuleTreeprocessor(md), "writer_scene_break_rule", _RULE_TREE_PRIORITY
        )


def _new_markdown() -> markdown.Markdown:
    """Build a Markdown converter with the project's fixed extension set."""
    return markdown.Markdown(
        extensions=[
            "fenced_code",
            "sane_lists",
            "footnotes",
            TableExtension(use_align_attribute=True),
            "smarty",
            "nl2br",
            _SceneBreakExtension(),
        ],
        output_format="html",
    )


# A markdown.Markdown instance keeps per-document state (footnotes, the HTML stash,
# reference links), so one instance must never be used by two threads at once.  Building
# one is comparatively expensive (it compiles many regexes), so each thread keeps its own
# and resets it before every document.
_thread_state = threading.local()


def _converter() -> markdown.Markdown:
    """Return this thread's Markdown converter, freshly reset."""
    md: markdown.Markdown | None = getattr(_thread_state, "md", None)
    if md is None:
        md = _new_markdown()
        _thread_state.md = md
    md.reset()
    return md


def render_markdown(text: str) -> str:
    """Render manuscript Markdown to a sanitised HTML fragment.

    The result is safe to show in the preview or to embed in an exported document: all
    raw HTML from the manuscript has passed through the prose allowlist, remote images
    cannot load and scripts are gone.  Safe to call from any thread.
    """
    md = _converter()
    try:
        html = md.convert(text)
    finally:
        # Drop references to this document's footnotes and stash as soon as we are done,
        # rather than keeping them alive until the thread's next render.
        md.reset()
    return sanitize_html(html)
