"""Errors that carry a one-line, human message naming the file at fault.

The CLI prints ``str(error)`` and exits non-zero; the window shows it in a dialog. Nothing
below the CLI or the window ever prints a traceback for a user's bad file.
"""

from __future__ import annotations

from pathlib import Path


class WriterError(Exception):
    """Base of every error meant for the user's eyes."""


class ProjectError(WriterError):
    """A project folder cannot be read or written as it is."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path}: {message}")


class ProjectFormatError(ProjectError):
    """``project.json`` is malformed, of a newer format, or points outside the project."""


class MissingDocumentError(ProjectError):
    """The tree names a document whose file is not there."""


class ProjectLockedError(ProjectError):
    """Another live copy of the app (here or on another host) holds the project's lock."""

    def __init__(self, path: Path | str, message: str, *, other_host: bool) -> None:
        self.other_host = other_host
        super().__init__(path, message)


class TreeError(WriterError):
    """A tree operation that the manuscript's structure does not allow."""


class MetadataError(WriterError):
    """A metadata value that cannot be understood (unknown field, bad rating, ...)."""


class LibraryError(WriterError):
    """A library folder or a project reference that cannot be resolved."""
