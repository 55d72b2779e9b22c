"""A project's lock file: which copy of the app is writing to it.

The lock (``.writer.lock`` in the project folder: pid, host, time) is taken at a project's
first write and released when the project is closed or idle, never for every project at
start. A lock left by a dead process on this host is stale and taken over. A lock from
another host is usually cloud sync carrying another machine's lock: it is reported, and
the user decides (``force=True``).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from writer.core.atomic import atomic_write_text
from writer.core.errors import ProjectLockedError
from writer.core.metadata import now_iso

LOCK_NAME = ".writer.lock"


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock."""

    pid: int
    host: str
    time: str

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} since {self.time}"


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def read_lock(project_dir: Path) -> LockInfo | None:
    """The current holder, or None when unlocked (an unreadable lock counts as stale)."""
    try:
        data = json.loads((project_dir / LOCK_NAME).read_text(encoding="utf-8"))
        return LockInfo(int(data["pid"]), str(data["host"]), str(data.get("time", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return LockInfo(0, socket.gethostname(), "")


def check_holder(project_dir: Path, holder: LockInfo) -> None:
    """Raise :class:`ProjectLockedError` when ``holder`` may still be writing: a live
    process on this host, or any process on another host (we cannot tell from here)."""
    here = socket.gethostname()
    if holder.host != here:
        raise ProjectLockedError(
            project_dir,
            f"is open in writer on another computer ({holder.describe()}); "
            "open it anyway only if that copy is closed",
            other_host=True,
        )
    if holder.pid != os.getpid() and pid_alive(holder.pid):
        raise ProjectLockedError(
            project_dir,
            f"is open in another copy of writer ({holder.describe()})",
            other_host=False,
        )


def remove_lock(project_dir: Path, force: bool = False) -> LockInfo | None:
    """Remove a lock whose holder is gone (or, with ``force``, one from another host);
    returns who held it, None when there was none."""
    holder = read_lock(project_dir)
    if holder is None:
        return None
    if not (force and holder.host != socket.gethostname()):
        check_holder(project_dir, holder)
    (project_dir / LOCK_NAME).unlink(missing_ok=True)
    return holder


class ProjectLock:
    """The lock of one project folder, held by this process once acquired."""

    def __init__(self, project_dir: Path) -> None:
        self.project_dir = Path(project_dir)
        self.path = self.project_dir / LOCK_NAME
        self.held = False

    def _mine(self) -> LockInfo:
        return LockInfo(os.getpid(), socket.gethostname(), now_iso())

    def acquire(self, force: bool = False) -> None:
        """Take the lock, or raise :class:`ProjectLockedError` saying who holds it."""
        if self.held and self._still_mine():
            return
        holder = read_lock(self.project_dir)
        if holder is not None and not force:
            check_holder(self.project_dir, holder)
        mine = self._mine()
        text = json.dumps({"pid": mine.pid, "host": mine.host, "time": mine.time}) + "\n"
        atomic_write_text(self.path, text)
        self.held = True

    def _still_mine(self) -> bool:
        holder = read_lock(self.project_dir)
        return (
            holder is not None and holder.pid == os.getpid() and holder.host == socket.gethostname()
        )

    def release(self) -> None:
        """Give the lock up if this process holds it; a no-op otherwise."""
        if self.held and self._still_mine():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.held = False
