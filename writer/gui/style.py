"""The preview stylesheet, coloured from the palette so light and dark both read well."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from writer.render.stylesheet import book_stylesheet

_ROLES = {
    "text": QPalette.ColorRole.Text,
    "base": QPalette.ColorRole.Base,
    "link": QPalette.ColorRole.Link,
    "mid": QPalette.ColorRole.Mid,
}


def preview_stylesheet(palette: QPalette) -> str:
    """The book stylesheet in the colours of ``palette``."""
    return book_stylesheet({name: palette.color(role).name() for name, role in _ROLES.items()})
