"""The preview stylesheet, coloured from the palette so light and dark both read well."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from writer.render.stylesheet import book_stylesheet, fill_colours

_ROLES = {
    "text": QPalette.ColorRole.Text,
    "base": QPalette.ColorRole.Base,
    "link": QPalette.ColorRole.Link,
    "mid": QPalette.ColorRole.Mid,
}


def palette_colours(palette: QPalette) -> dict[str, str]:
    """The stylesheet placeholders' colours taken from ``palette``."""
    return {name: palette.color(role).name() for name, role in _ROLES.items()}


def preview_stylesheet(palette: QPalette, user_css: str = "") -> str:
    """The book stylesheet in the colours of ``palette``, then the author's own CSS (which
    may use the same ``@text@``-style placeholders)."""
    colours = palette_colours(palette)
    extra = f"\n{fill_colours(user_css, colours)}" if user_css else ""
    return book_stylesheet(colours) + extra
