"""Small, local corrections to whoosh-reloaded 2.7.5, applied once on import.

whoosh-reloaded is no longer maintained, so its inefficiencies are worked around here rather
than fixed upstream. Each fix keeps Whoosh's behaviour and only removes wasted work.

* ``W3PerDocReader._cached_reader`` caches the column reader of a field's lengths, but not
  the *absence* of one: for every posting of a field without lengths (IDs, tags, numbers)
  it asks the file system whether the column file exists. A full build of the benchmark
  library made 1.8 million such ``stat`` calls. A segment's files never change once
  written, so the answer is cached too.
* ``BufferFile`` wraps each file of a memory-mapped segment in ``io.BytesIO(memoryview)``,
  which *copies* the whole file: opening a searcher on the benchmark index copied its
  150 MB of postings and terms again (about 100 ms), and every commit opens two. A reader
  over the memoryview itself gives the same bytes without the copy.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from whoosh.codec import whoosh3
from whoosh.filedb import structfile

_MISSING = object()


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    found = self._readers.get(fieldname, _MISSING)
    if found is _MISSING:
        found = None
        if self.has_column(fieldname):
            found = self.column_reader(fieldname, column)
        self._readers[fieldname] = found
    return found


class ViewReader:
    """A read-only file over a memoryview (what ``BytesIO`` offers, without copying)."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(len(self._view), start + size)
        self._pos = end
        return bytes(self._view[start:end])

    def peek(self, size: int = 1) -> bytes:
        """Lets the C unpickler read ahead in large chunks instead of byte by byte."""
        start = self._pos
        return bytes(self._view[start : start + max(size, 4096)])

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        line = bytearray()
        while size is None or size < 0 or len(line) < size:
            char = self.read(1)
            if not char:
                break
            line += char
            if char == b"\n":
                break
        return bytes(line)

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = ViewReader(buf) if isinstance(buf, memoryview) else BytesIO(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def apply() -> None:
    """Install the fixes (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    structfile.BufferFile.__init__ = _buffer_file_init


apply()
