"""What the window remembers between runs: geometry, splitters, view, open document.

Kept in an INI file under the state folder (which ``WRITER_HOME`` moves), not in the
platform registry, so tests and portable setups stay self-contained.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from writer.core.paths import state_dir


def window_settings() -> QSettings:
    """The settings file of the window."""
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
