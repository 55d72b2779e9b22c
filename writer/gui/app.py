"""Starting the window: the QApplication, the library, and ``--screenshot``.

A run without any display fails inside Qt with a message few people understand, so the
display is checked first and the user gets one plain line instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from writer.core.errors import WriterError
from writer.core.library import Library
from writer.core.paths import default_library_dir


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def parse_size(text: str) -> tuple[int, int]:
    """``"1400x900"`` -> (1400, 900)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise WriterError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 1400x900") from None
    if width < 200 or height < 150:
        raise WriterError(f"size {text!r} is too small for the window")
    return width, height


def _prepare_library(library: Library) -> None:
    if library.path.is_dir():
        return
    if library.path == default_library_dir():
        library.path.mkdir(parents=True, exist_ok=True)  # First start: make the default home.
        return
    raise WriterError(f"library folder {library.path} does not exist")


def _settings_library() -> Library:
    """The library folder chosen in Edit > Preferences, else the default."""
    from writer.gui.settings import chosen_library_folder

    return Library(chosen_library_folder() or default_library_dir())


def run_gui(
    library: Library | None,
    project: str | None = None,
    screenshot: Path | None = None,
    size: str = "1400x900",
) -> int:
    """Open the main window on ``library`` (None: the one chosen in the settings); with
    ``screenshot``, save a PNG and exit."""
    if library is None:
        library = _settings_library()
    _prepare_library(library)
    width, height = parse_size(size)
    project_path = library.find(project) if project else None
    if screenshot is not None and not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not _has_display():
        raise WriterError(
            "no display found: run writer from a desktop session "
            "(or set QT_QPA_PLATFORM=offscreen for a window without a screen)"
        )

    from PySide6.QtWidgets import QApplication

    from writer.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("writer")
    app.setOrganizationName("writer")
    window = MainWindow(library)
    window.resize(width, height)
    window.open_project(project_path)
    window.show()
    if screenshot is not None:
        return _save_screenshot(app, window, screenshot)
    return app.exec()


def _save_screenshot(app, window, target: Path) -> int:
    for _ in range(5):
        app.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target), "PNG"):
        raise WriterError(f"could not write the screenshot {target}")
    print(target)
    window.close()
    return 0
