"""Export as one standalone, styled HTML5 file that any browser opens as it is."""

from __future__ import annotations

from html import escape
from pathlib import Path

from writer.export.base import ExportOptions, Progress, report, write_output
from writer.render.assembled import AssembledWork
from writer.render.stylesheet import book_stylesheet
from writer.render.work_html import work_to_html

# Browsers understand more CSS than Qt: give the page a readable measure and centring.
_PAGE_CSS = """
body { max-width: 38em; margin: 2em auto; padding: 0 1em; }
.chapter { margin-top: 3em; }
.spoiler-warning { border: 2px solid #b3261e; padding: 0.5em 1em; margin: 1em 0; }
.title-page { margin-bottom: 3em; }
hr.scene-break { width: 20%; margin: 1.5em auto; }
"""


def work_to_html_page(work: AssembledWork) -> str:
    """The complete HTML5 document of a work."""
    meta = work.meta
    authors = ", ".join(a for a in [meta.author, *meta.co_authors] if a)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(meta.language or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(meta.title)}</title>",
        f'<meta name="author" content="{escape(authors)}">',
        '<meta name="generator" content="writer">',
        f"<style>{book_stylesheet()}{_PAGE_CSS}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join(head) + "\n" + work_to_html(work) + "</body>\n</html>\n"


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write the work as one HTML file."""
    page = work_to_html_page(work)
    report(progress, len(work.chapters), len(work.chapters))
    return [write_output(target, page.encode("utf-8"))]
