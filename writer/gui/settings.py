"""The user's preferences: one typed, validated model, kept in ``settings.ini``.

The file is ``config_dir()/settings.ini`` (an INI file written by ``QSettings``, so
``WRITER_HOME`` moves it and tests stay isolated). Every change is written at once and
announced with :attr:`Settings.changed` (the key's name), so whatever shows a setting
applies it live: ``install_settings`` in :mod:`writer.gui.settings_dialog` connects the
window's widgets.

The editor font and line width used to live in the window's ``window.ini`` (chosen from
the View menu). :meth:`Settings.load` moves them here the first time it finds them there
(and takes them out of ``window.ini``, so there is only ever one place that says).

==========================  ===========================================================
key                         value
==========================  ===========================================================
``library_folder``          ``str``: a folder, or ``""`` for the default library
``theme``                   ``"system"``, ``"light"``, ``"dark"`` or ``"sepia"``
``editor_font``             ``QFont`` (stored as ``QFont.toString()``)
``line_spacing``            ``int`` percent of the font's line height, 100–250
``line_width``              ``int | None`` average characters per line; ``None``: full
``autosave_ms``             ``int`` quiet milliseconds before unsaved text is written
``snapshot_keep``           ``int`` snapshots kept per project
``snapshot_max_age_days``   ``int`` days a snapshot is kept, 0–3650; ``0``: no age limit
``snapshot_folder``         ``str``: where snapshots go, or ``""`` for the data folder
                            (or ``WRITER_SNAPSHOT_DIR`` when that is set)
``preview_stylesheet``      ``str`` a CSS file added after the book style, or ``""``
``spell_language``          ``str`` e.g. ``"en_GB"``; ``""``: the work's own language
==========================  ===========================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QFont

from writer.core.paths import config_dir, default_library_dir
from writer.core.snapshots import DEFAULT_KEEP, DEFAULT_MAX_AGE_DAYS
from writer.gui.documents import AUTOSAVE_MS
from writer.gui.editor import DEFAULT_LINE_WIDTH, default_editor_font
from writer.gui.themes import LINE_SPACING_RANGE, THEMES
from writer.gui.window_state import window_settings

__all__ = [
    "AUTOSAVE_RANGE",
    "KEYS",
    "LINE_WIDTH_MAX",
    "SNAPSHOT_AGE_RANGE",
    "SNAPSHOT_RANGE",
    "Settings",
    "settings_path",
]

#: Every setting, in the order the dialog shows them.
KEYS = (
    "theme",
    "editor_font",
    "line_spacing",
    "line_width",
    "autosave_ms",
    "snapshot_keep",
    "snapshot_max_age_days",
    "snapshot_folder",
    "preview_stylesheet",
    "spell_language",
    "library_folder",
)
AUTOSAVE_RANGE = (250, 10 * 60 * 1000)
SNAPSHOT_RANGE = (1, 1000)
#: Days a snapshot is kept; 0 means no age limit.
SNAPSHOT_AGE_RANGE = (0, 3650)
LINE_WIDTH_MAX = 300
#: Keys that ``window.ini`` held before this file existed.
_LEGACY_KEYS = ("editor_font", "line_width")


def settings_path() -> Path:
    """Where the settings are kept."""
    return config_dir() / "settings.ini"


def chosen_library_folder() -> Path | None:
    """The library folder chosen in the preferences, read without building a
    :class:`Settings` (which needs a running Qt application for its font)."""
    if not settings_path().is_file():
        return None
    value = QSettings(str(settings_path()), QSettings.Format.IniFormat).value("library_folder")
    return Path(str(value)).expanduser() if value else None


def _defaults() -> dict[str, Any]:
    return {
        "theme": "system",
        "editor_font": default_editor_font(),
        "line_spacing": 100,
        "line_width": DEFAULT_LINE_WIDTH,
        "autosave_ms": AUTOSAVE_MS,
        "snapshot_keep": DEFAULT_KEEP,
        "snapshot_max_age_days": DEFAULT_MAX_AGE_DAYS,
        "snapshot_folder": "",
        "preview_stylesheet": "",
        "spell_language": "",
        "library_folder": "",
    }


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return min(max(value, bounds[0]), bounds[1])


def _as_int(value: object) -> int | None:
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None


def _clean(key: str, value: object, default: Any) -> Any:
    """``value`` made valid for ``key`` (it may come from a hand-edited file), or the
    default when nothing sensible can be made of it."""
    if isinstance(value, (list, tuple)):  # INI files read unquoted "a,b" back as a list
        value = ",".join(str(part) for part in value)
    if key == "editor_font":
        if isinstance(value, QFont):
            return QFont(value)
        font = QFont()
        return font if value and font.fromString(str(value)) else default
    if key == "theme":
        text = str(value).strip().lower()
        return text if text in THEMES else default
    if key in ("preview_stylesheet", "spell_language", "library_folder", "snapshot_folder"):
        return "" if value is None else str(value).strip()
    if key == "line_width":
        if value is None:
            return None
        number = _as_int(value)
        if number is None:
            return default
        return None if number <= 0 else min(number, LINE_WIDTH_MAX)
    number = _as_int(value)
    if number is None:
        return default
    bounds = {
        "line_spacing": LINE_SPACING_RANGE,
        "autosave_ms": AUTOSAVE_RANGE,
        "snapshot_keep": SNAPSHOT_RANGE,
        "snapshot_max_age_days": SNAPSHOT_AGE_RANGE,
    }[key]
    return _clamp(number, bounds)


def _stored(key: str, value: Any) -> object:
    """How ``value`` is written to the INI file."""
    if key == "editor_font":
        return value.toString()
    if key == "line_width":
        return value or 0
    return value


def _same(key: str, a: Any, b: Any) -> bool:
    if key == "editor_font":
        return a.toString() == b.toString()
    return a == b


class Settings(QObject):
    """The preferences, with a typed property per key.

    ``settings.line_width = 72`` (or ``settings.set("line_width", 72)``) validates the
    value, writes it to the file and emits ``changed("line_width")`` when it differs.
    """

    #: The key whose value just changed.
    changed = Signal(str)

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path) if path is not None else settings_path()
        self._defaults = _defaults()
        self._values: dict[str, Any] = dict(self._defaults)
        self._store: QSettings | None = None

    # -------------------------------------------------------------- file

    def _file(self) -> QSettings:
        if self._store is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._store = QSettings(str(self.path), QSettings.Format.IniFormat)
        return self._store

    def load(self) -> None:
        """Read the file (missing keys keep their defaults), moving the window's old
        editor font and line width here first if this file does not have them yet.
        Emits nothing: whoever loads applies every setting afterwards."""
        store = self._file()
        self._migrate(store)
        for key in KEYS:
            if store.contains(key):
                self._values[key] = _clean(key, store.value(key), self._defaults[key])
            else:
                self._values[key] = _copy(self._defaults[key])

    def _migrate(self, store: QSettings) -> None:
        old = window_settings()
        moved = False
        for key in _LEGACY_KEYS:
            if not old.contains(key):
                continue
            if not store.contains(key):
                value = _clean(key, old.value(key), self._defaults[key])
                store.setValue(key, _stored(key, value))
            old.remove(key)
            moved = True
        if moved:
            store.sync()
            old.sync()

    def save(self) -> None:
        """Write every value (``set`` already writes the one it changes)."""
        store = self._file()
        for key in KEYS:
            store.setValue(key, _stored(key, self._values[key]))
        store.sync()

    # -------------------------------------------------------------- values

    def get(self, key: str) -> Any:
        """The value of ``key`` (a copy for fonts, so changing it changes nothing here)."""
        return _copy(self._values[key])

    def set(self, key: str, value: object) -> bool:
        """Validate, store and announce a value; ``False`` when it was already that."""
        if key not in self._values:
            raise KeyError(f"no setting called {key!r}")
        value = _clean(key, value, self._defaults[key])
        if _same(key, value, self._values[key]):
            return False
        self._values[key] = value
        store = self._file()
        store.setValue(key, _stored(key, value))
        store.sync()
        self.changed.emit(key)
        return True

    def values(self) -> dict[str, Any]:
        """Every value (to put back later with :meth:`restore`)."""
        return {key: self.get(key) for key in KEYS}

    def restore(self, values: dict[str, Any]) -> None:
        """Set every key found in ``values`` (a dialog's Cancel puts back what it found)."""
        for key in KEYS:
            if key in values:
                self.set(key, values[key])

    def default(self, key: str) -> Any:
        return _copy(self._defaults[key])

    def reset(self) -> None:
        """Every setting back to its default."""
        self.restore(self._defaults)

    def library_path(self) -> Path:
        """The library folder: the chosen one, or the default.

        Where the app starts, ``--library`` and ``WRITER_LIBRARY`` should still win over
        this (``default_library_dir`` already reads ``WRITER_LIBRARY``)."""
        folder = self._values["library_folder"]
        return Path(folder).expanduser() if folder else default_library_dir()

    @staticmethod
    def default_library_path() -> Path:
        """The library folder used when none is chosen."""
        return default_library_dir()

    # -------------------------------------------------------------- typed properties

    @property
    def theme(self) -> str:
        return self._values["theme"]

    @theme.setter
    def theme(self, value: str) -> None:
        self.set("theme", value)

    @property
    def editor_font(self) -> QFont:
        return QFont(self._values["editor_font"])

    @editor_font.setter
    def editor_font(self, value: QFont) -> None:
        self.set("editor_font", value)

    @property
    def line_spacing(self) -> int:
        return self._values["line_spacing"]

    @line_spacing.setter
    def line_spacing(self, value: int) -> None:
        self.set("line_spacing", value)

    @property
    def line_width(self) -> int | None:
        return self._values["line_width"]

    @line_width.setter
    def line_width(self, value: int | None) -> None:
        self.set("line_width", value)

    @property
    def autosave_ms(self) -> int:
        return self._values["autosave_ms"]

    @autosave_ms.setter
    def autosave_ms(self, value: int) -> None:
        self.set("autosave_ms", value)

    @property
    def snapshot_keep(self) -> int:
        return self._values["snapshot_keep"]

    @snapshot_keep.setter
    def snapshot_keep(self, value: int) -> None:
        self.set("snapshot_keep", value)

    @property
    def snapshot_max_age_days(self) -> int:
        return self._values["snapshot_max_age_days"]

    @snapshot_max_age_days.setter
    def snapshot_max_age_days(self, value: int) -> None:
        self.set("snapshot_max_age_days", value)

    @property
    def snapshot_folder(self) -> str:
        return self._values["snapshot_folder"]

    @snapshot_folder.setter
    def snapshot_folder(self, value: str) -> None:
        self.set("snapshot_folder", value)

    @property
    def preview_stylesheet(self) -> str:
        return self._values["preview_stylesheet"]

    @preview_stylesheet.setter
    def preview_stylesheet(self, value: str) -> None:
        self.set("preview_stylesheet", value)

    @property
    def spell_language(self) -> str:
        return self._values["spell_language"]

    @spell_language.setter
    def spell_language(self, value: str) -> None:
        self.set("spell_language", value)

    @property
    def library_folder(self) -> str:
        return self._values["library_folder"]

    @library_folder.setter
    def library_folder(self, value: str) -> None:
        self.set("library_folder", value)


def _copy(value: Any) -> Any:
    return QFont(value) if isinstance(value, QFont) else value
