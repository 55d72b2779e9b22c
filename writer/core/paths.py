"""Where the app keeps its own state, and where the library lives by default.

Everything written outside a project (settings, search index, snapshots, recovery copies,
logs) lives under platformdirs folders. One variable, ``WRITER_HOME``, moves all of them
under a single folder: tests set it to ``tmp_path`` so no test touches the real home.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "writer"


def _home_override() -> Path | None:
    value = os.environ.get("WRITER_HOME")
    return Path(value).expanduser() if value else None


def _app_dir(kind: str) -> Path:
    home = _home_override()
    if home is not None:
        return home / kind
    getter = {
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
        "state": platformdirs.user_state_dir,
        "log": platformdirs.user_log_dir,
    }[kind]
    return Path(getter(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Settings."""
    return _app_dir("config")


def data_dir() -> Path:
    """Snapshots and recovery copies: things the user may want back."""
    return _app_dir("data")


def cache_dir() -> Path:
    """Derived data that can always be rebuilt, such as the search index."""
    return _app_dir("cache")


def state_dir() -> Path:
    """Window state and other things that only make the next start nicer."""
    return _app_dir("state")


def log_dir() -> Path:
    """Log files."""
    return _app_dir("log")


def default_library_dir() -> Path:
    """The library folder when neither ``--library`` nor ``WRITER_LIBRARY`` is given."""
    value = os.environ.get("WRITER_LIBRARY")
    if value:
        return Path(value).expanduser()
    home = _home_override()
    if home is not None:
        return home / "library"
    return Path(platformdirs.user_documents_dir()) / "Writer"
