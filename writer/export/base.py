"""What every exporter shares: its options, its signature, and atomic output.

An exporter is a function ``export(work, target, options, progress) -> list[Path]`` that
writes one file (or, for the archive format, a folder of files) and returns what it wrote.
Output files are written atomically: an existing file is replaced only once the new one is
complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from writer.core.atomic import atomic_write_bytes
from writer.render.assembled import AssembledWork, AssembleOptions

Progress = Callable[[int, int], None]
PageSize = Literal["A4", "Letter"]


@dataclass
class ExportOptions:
    """Options of every format; each exporter reads the ones that apply to it."""

    assemble: AssembleOptions = field(default_factory=AssembleOptions)
    page_size: PageSize = "A4"
    margin_mm: float = 25.0
    font_family: str = "DejaVu Serif"
    font_size_pt: float = 11.0
    page_numbers: bool = True
    per_chapter: bool = False


class Exporter(Protocol):
    def __call__(
        self,
        work: AssembledWork,
        target: Path,
        options: ExportOptions,
        progress: Progress | None = None,
    ) -> list[Path]: ...


def report(progress: Progress | None, done: int, total: int) -> None:
    """Tell the caller how far an export is (for the window's progress bar)."""
    if progress is not None:
        progress(done, total)


def write_output(target: Path, data: bytes) -> Path:
    """Write an export file atomically, making its folder if needed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data)
    return target


@contextlib.contextmanager
def atomic_output_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` for writers that need a file name (Qt's PDF
    writer); renamed over ``target`` only when the block finishes without error."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
