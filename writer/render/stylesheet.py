"""The one book stylesheet shared by the preview and the HTML exports.

``resources/styles/preview.css`` names its colours ``@text@``, ``@base@``, ``@link@`` and
``@mid@``. The window fills them from the Qt palette (light or dark); exports fill them
with print colours, since a file read elsewhere cannot follow the user's theme.
"""

from __future__ import annotations

from collections.abc import Mapping

from writer.resource_files import read_resource

PRINT_COLOURS = {"text": "#1a1a1a", "base": "#ffffff", "link": "#1f4e8c", "mid": "#9a9a9a"}


def fill_colours(css: str, colours: Mapping[str, str]) -> str:
    """Replace the ``@text@``-style colour placeholders of any stylesheet (the book's or
    an author's own) with ``colours``."""
    for name, value in colours.items():
        css = css.replace(f"@{name}@", value)
    return css


def book_stylesheet(colours: Mapping[str, str] = PRINT_COLOURS) -> str:
    """The stylesheet with its colour placeholders replaced."""
    return fill_colours(read_resource("styles", "preview.css"), colours)
