"""What counts as a scene break: one definition for the renderer, the importer, the
highlighter and word counts.

A line alone with up to three leading spaces (four would make an indented code block),
then three or more of the same character out of ``*``, ``-`` and ``_``, optionally
separated by spaces or tabs: ``* * *``, ``***``, ``---``.
"""

from __future__ import annotations

import re

SCENE_BREAK_RE = re.compile(r"^ {0,3}([*\-_])(?:[ \t]*\1){2,}[ \t]*$")


def is_scene_break_line(line: str) -> bool:
    """True if ``line`` on its own marks a scene break (a trailing line ending is ignored)."""
    return SCENE_BREAK_RE.match(line.rstrip("\r\n")) is not None
