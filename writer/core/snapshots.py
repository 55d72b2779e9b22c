"""Snapshots: a zip of a whole project folder, taken before anything rewrites it wholesale.

A snapshot is ``<data dir>/snapshots/<project id>/<UTC time>-<reason>.zip``, written to a
temporary file in the same folder, fsynced and renamed, so a half-written snapshot never
appears under its real name. The lock file is left out; everything else in the project
folder (``project.json``, ``docs/``, ``imported/`` ...) goes in, with a ``snapshot.json``
member that says when, why, and of which project.

Retention and restore come later; this module only takes and lists snapshots.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from writer.core import paths
from writer.core.errors import WriterError
from writer.core.lock import LOCK_NAME
from writer.core.project import Project

INFO_MEMBER = "snapshot.json"
_NAME = re.compile(r"^(\d{8}T\d{6}\d{6}Z)(?:-(.*))?\.zip$")


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot file: where it is, when it was taken (UTC, ISO 8601) and why."""

    path: Path
    taken: str
    reason: str


def snapshot_dir(project: Project) -> Path:
    """Where the snapshots of one project live (by project id, so renames do not matter)."""
    return paths.data_dir() / "snapshots" / project.id


def _slug(reason: str) -> str:
    text = re.sub(r"[^\w]+", "-", reason.casefold()).strip("-_")
    return text[:40].rstrip("-_")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def take_snapshot(project: Project, reason: str) -> Path:
    """Zip the project folder as it is on disk; returns the snapshot file."""
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    folder = snapshot_dir(project)
    folder.mkdir(parents=True, exist_ok=True)
    slug = _slug(reason)
    target = folder / (f"{stamp}-{slug}.zip" if slug else f"{stamp}.zip")
    number = 2
    while target.exists():
        target = folder / f"{stamp}-{slug or 'snapshot'}-{number}.zip"
        number += 1
    info = {
        "project_id": project.id,
        "title": project.title,
        "folder": str(project.path),
        "reason": reason,
        "taken": now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(INFO_MEMBER, json.dumps(info, indent=2, ensure_ascii=False))
                for file in sorted(project.path.rglob("*")):
                    if file.name == LOCK_NAME or not file.is_file() or file.is_symlink():
                        continue
                    relative = file.relative_to(project.path).as_posix()
                    archive.write(file, f"project/{relative}")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriterError(f"cannot take a snapshot of {project.title}: {error}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)
    return target


def list_snapshots(project: Project) -> list[SnapshotInfo]:
    """The project's snapshots, oldest first."""
    folder = snapshot_dir(project)
    if not folder.is_dir():
        return []
    found = []
    for file in sorted(folder.iterdir()):
        match = _NAME.match(file.name)
        if match is None or not file.is_file():
            continue
        stamp = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%fZ")
        taken = stamp.replace(microsecond=0).isoformat() + "Z"
        reason = (match.group(2) or "").replace("-", " ")
        try:
            with zipfile.ZipFile(file) as archive:
                reason = json.loads(archive.read(INFO_MEMBER)).get("reason", reason)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            pass
        found.append(SnapshotInfo(file, taken, reason))
    return found
