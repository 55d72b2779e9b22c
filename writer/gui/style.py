"""The preview stylesheet, coloured from the palette so light and dark both read well."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from writer.resources import read_resource


def preview_stylesheet(palette: QPalette) -> str:
    """``resources/styles/preview.css`` with its ``@role@`` colours taken from ``palette``."""
    roles = {
        "text": QPalette.ColorRole.Text,
        "base": QPalette.ColorRole.Base,
        "link": QPalette.ColorRole.Link,
        "mid": QPalette.ColorRole.Mid,
    }
    css = read_resource("styles", "preview.css")
    for name, role in roles.items():
        css = css.replace(f"@{name}@", palette.color(role).name())
    return css
