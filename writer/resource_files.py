"""Find files in ``resources/`` relative to the package, never the working directory.

In a wheel the folder is installed as ``writer/resources``; in a source checkout (and an
editable install) it sits beside the package at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    """The resources folder of this installation."""
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("writer's resources folder is missing from this installation")


def resource_path(*parts: str) -> Path:
    """The path of one resource, e.g. ``resource_path("styles", "preview.css")``."""
    return resources_dir().joinpath(*parts)


def read_resource(*parts: str) -> str:
    """The text of one resource file."""
    return resource_path(*parts).read_text(encoding="utf-8")
