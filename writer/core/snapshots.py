"""Snapshots: timestamped zips of whole project folders, kept by count and age, restorable.

Where they live: ``<root>/<project id>/<UTC time>-<reason>.zip``, by project id so a renamed
project folder keeps its history. ``<root>`` is, first found:

1. the ``folder`` argument every function here accepts (a folder the user chose, for
   example on another disk);
2. the ``WRITER_SNAPSHOT_DIR`` environment variable (a settings-free choice);
3. ``<data dir>/snapshots`` (see :mod:`writer.core.paths`; ``WRITER_HOME`` moves it).

A snapshot is written to a temporary file beside its final name, fsynced and then given
its name, so a half-written snapshot never appears as a real one. It holds every file of
the project folder under ``project/`` (not the lock file, not leftovers of interrupted
saves, never a symbolic link) and a ``snapshot.json`` member that says when, why, of which
project, whether the project loaded at that moment, and a ``digest`` of its content.

The digest covers every file's bytes, except that ``project.json`` is digested without its
word-count cache, so a refreshed cache is not a change. :func:`take_snapshot` compares it
with the newest snapshot and takes none when nothing changed (unless forced): taking one
on close, daily, before an import and on demand costs nothing for a project left alone.

:func:`prune_snapshots` keeps the newest ``keep`` snapshots and drops those older than
``max_age_days``, but never the newest one and never the newest one of a project that
loaded. :func:`restore_snapshot` first snapshots the current state, then extracts the
snapshot beside the project folder, checks that it loads and swaps the two folders with
renames; until the swap succeeded the current folder is untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from writer.core import paths
from writer.core.errors import ProjectError, WriterError
from writer.core.lock import LOCK_NAME, ProjectLock
from writer.core.project import Project
from writer.core.projectfile import PROJECT_FILE
from writer.core.tree import ID_PATTERN

if TYPE_CHECKING:
    from writer.core.library import Library

ENV_DIR = "WRITER_SNAPSHOT_DIR"
INFO_MEMBER = "snapshot.json"
MEMBER_PREFIX = "project/"
DEFAULT_KEEP = 20
DEFAULT_MAX_AGE_DAYS = 90
DAILY = timedelta(hours=24)

_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(\d{8}T\d{6}\d{6}Z)(?:-(.*))?\.zip$")
# Leftovers of an interrupted atomic write (``.<name>.<random>.tmp``) are not content.
_TEMP_FILE = re.compile(r"^\..+\.tmp$")
# The top-level project id in the stable ``project.json`` layout (two-space indent).
_TOP_ID = re.compile(rb'^  "id": "([A-Za-z0-9][A-Za-z0-9_-]{0,63})",?\s*$', re.MULTILINE)
_RESTORING = "restoring"
_REPLACED = "replaced"


def _now() -> datetime:
    """The current UTC time (a seam for tests that fake old snapshots)."""
    return datetime.now(UTC)


# ---------------------------------------------------------------- where and what


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot file: where it is, when it was taken (UTC, ISO 8601) and why."""

    path: Path
    taken: str
    reason: str
    digest: str = ""
    loads: bool = True

    @property
    def name(self) -> str:
        """The name ``writer snapshot PROJECT --restore NAME`` takes (the file name
        without ``.zip``)."""
        return self.path.stem

    @property
    def when(self) -> datetime:
        """When it was taken, as an aware UTC datetime (from the file name)."""
        match = _NAME.match(self.path.name)
        assert match is not None
        return datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)

    def local_time(self) -> str:
        """``YYYY-MM-DD HH:MM`` in the computer's time zone."""
        return self.when.astimezone().strftime("%Y-%m-%d %H:%M")


def snapshot_root(folder: Path | str | None = None) -> Path:
    """The folder holding every project's snapshot folder (see the module docstring)."""
    if folder is not None:
        return Path(folder).expanduser()
    value = os.environ.get(ENV_DIR)
    if value:
        return Path(value).expanduser()
    return paths.data_dir() / "snapshots"


def _id_of(project: Project | str) -> str:
    project_id = project.id if isinstance(project, Project) else str(project)
    if not ID_PATTERN.match(project_id):
        raise WriterError(f"{project_id!r} is not a project id")
    return project_id


def snapshot_dir(project: Project | str, folder: Path | str | None = None) -> Path:
    """Where the snapshots of one project (a :class:`Project` or its id) live."""
    return snapshot_root(folder) / _id_of(project)


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


def _project_files(project_folder: Path, skip: Path | None = None) -> list[tuple[str, Path]]:
    """``(relative posix path, file)`` of what a snapshot holds, sorted; symbolic links,
    the lock and leftover temporary files are left out, and so is ``skip`` (a snapshot
    folder chosen inside the project)."""
    found = []
    for top, dirs, files in os.walk(project_folder, followlinks=False):
        here = Path(top)
        dirs[:] = [
            d for d in dirs if not (here / d).is_symlink() and (skip is None or here / d != skip)
        ]
        for name in files:
            file = here / name
            if name == LOCK_NAME and here == project_folder:
                continue
            if _TEMP_FILE.match(name) or file.is_symlink() or not file.is_file():
                continue
            found.append((file.relative_to(project_folder).as_posix(), file))
    return sorted(found)


def _content_bytes(relative: str, file: Path) -> bytes:
    data = file.read_bytes()
    if relative != PROJECT_FILE:
        return data
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):
        return data
    if not isinstance(parsed, dict):
        return data
    parsed.pop("counts", None)
    return json.dumps(parsed, sort_keys=True, ensure_ascii=False).encode("utf-8", "replace")


def _digest(files: list[tuple[str, Path]]) -> str:
    total = hashlib.sha256()
    for relative, file in files:
        content = hashlib.sha256(_content_bytes(relative, file)).hexdigest()
        total.update(f"{relative}\0{content}\n".encode("utf-8", "surrogateescape"))
    return total.hexdigest()


def project_digest(project_folder: Path | str) -> str:
    """The content digest of a project folder, as stored in ``snapshot.json``."""
    return _digest(_project_files(Path(project_folder)))


# ---------------------------------------------------------------- listing


def _read_info(file: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(file) as archive:
            data = json.loads(archive.read(INFO_MEMBER))
    except (OSError, KeyError, ValueError, RecursionError, zipfile.BadZipFile):
        return {}
    return data if isinstance(data, dict) else {}


def _info(file: Path) -> SnapshotInfo | None:
    match = _NAME.match(file.name)
    if match is None or not file.is_file():
        return None
    stamp = datetime.strptime(match.group(1), _STAMP)
    taken = stamp.replace(microsecond=0).isoformat() + "Z"
    data = _read_info(file)
    reason = data.get("reason")
    if not isinstance(reason, str):
        reason = (match.group(2) or "").replace("-", " ")
    digest = data.get("digest")
    return SnapshotInfo(
        file,
        taken,
        reason,
        digest if isinstance(digest, str) else "",
        data.get("loads", True) is not False,
    )


def list_snapshots(project: Project | str, folder: Path | str | None = None) -> list[SnapshotInfo]:
    """The snapshots of a project (a :class:`Project` or its id), oldest first, newest
    last; each one's ``name`` is what ``--restore`` takes."""
    where = snapshot_dir(project, folder)
    if not where.is_dir():
        return []
    found = [_info(file) for file in sorted(where.iterdir())]
    return [info for info in found if info is not None]


def latest_snapshot(
    project: Project | str, folder: Path | str | None = None, *, loadable: bool = False
) -> SnapshotInfo | None:
    """The newest snapshot (with ``loadable``, the newest of a project that loaded)."""
    for info in reversed(list_snapshots(project, folder)):
        if info.loads or not loadable:
            return info
    return None


def find_snapshot(
    project: Project | str, name: str, folder: Path | str | None = None
) -> SnapshotInfo:
    """A snapshot by its name, its file name, a unique beginning of its name, or
    ``latest``; raises :class:`WriterError` naming the choices otherwise."""
    found = list_snapshots(project, folder)
    wanted = name.strip().removesuffix(".zip")
    if not found:
        raise WriterError(
            f"there are no snapshots of this project in {snapshot_dir(project, folder)}"
        )
    if wanted in ("latest", "last"):
        return found[-1]
    exact = [info for info in found if info.name == wanted]
    if exact:
        return exact[0]
    partial = [info for info in found if wanted and info.name.startswith(wanted)]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise WriterError(f"{name!r} matches {len(partial)} snapshots; give the whole name")
    raise WriterError(
        f"no snapshot {name!r}; the newest is {found[-1].name} (writer snapshot PROJECT --list)"
    )


# ---------------------------------------------------------------- taking


def _unique_target(where: Path, stamp: str, slug: str) -> Path:
    target = where / (f"{stamp}-{slug}.zip" if slug else f"{stamp}.zip")
    number = 2
    while target.exists():
        target = where / f"{stamp}-{slug or 'snapshot'}-{number}.zip"
        number += 1
    return target


def _publish(tmp: Path, where: Path, stamp: str, slug: str) -> Path:
    """Give the finished temporary zip its name, never replacing another snapshot."""
    while True:
        target = _unique_target(where, stamp, slug)
        try:
            os.link(tmp, target)
        except FileExistsError:
            continue  # another process took this name a moment ago
        except OSError:
            os.replace(tmp, target)  # a file system without hard links
            return target
        tmp.unlink()
        return target


def _write_zip(
    project_folder: Path, files: list[tuple[str, Path]], info: dict[str, Any], where: Path
) -> Path:
    stamp = _now().strftime(_STAMP)
    slug = _slug(info["reason"])
    fd, tmp_name = tempfile.mkstemp(prefix=f".{stamp}.", suffix=".tmp", dir=where)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(
                handle, "w", zipfile.ZIP_DEFLATED, strict_timestamps=False
            ) as archive:
                archive.writestr(INFO_MEMBER, json.dumps(info, indent=2, ensure_ascii=False))
                for relative, file in files:
                    archive.write(file, MEMBER_PREFIX + relative)
            handle.flush()
            os.fsync(handle.fileno())
        target = _publish(tmp, where, stamp, slug)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriterError(
            f"cannot take a snapshot of {project_folder} in {where}: {error.strerror or error}"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(where)
    return target


def _snapshot(
    project_folder: Path,
    project_id: str,
    title: str,
    reason: str,
    folder: Path | str | None,
    *,
    force: bool,
    loads: bool,
) -> Path | None:
    root = snapshot_root(folder)
    where = root / project_id
    inside = root.absolute() if root.absolute().is_relative_to(project_folder) else None
    files = _project_files(project_folder, skip=inside)
    digest = _digest(files)
    if not force:
        newest = latest_snapshot(project_id, folder)
        if newest is not None and newest.digest == digest:
            return None
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriterError(
            f"cannot make the snapshot folder {where}: {error.strerror or error}"
        ) from None
    info = {
        "project_id": project_id,
        "title": title,
        "folder": str(project_folder),
        "reason": reason,
        "taken": _now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "digest": digest,
        "loads": loads,
        "files": len(files),
    }
    return _write_zip(project_folder, files, info, where)


def take_snapshot(
    project: Project, reason: str, folder: Path | str | None = None, *, force: bool = False
) -> Path | None:
    """Zip the project folder as it is on disk (save first) and return the new file, or
    None when its content equals the newest snapshot's (``force`` takes one anyway).

    ``reason`` is kept in the zip and, shortened, in its name: "on close", "daily",
    "before import of story.docx", "on demand"...
    """
    return _snapshot(
        project.path.absolute(),
        project.id,
        project.title,
        reason,
        folder,
        force=force,
        loads=True,
    )


def take_folder_snapshot(
    project_folder: Path | str,
    reason: str,
    folder: Path | str | None = None,
    *,
    force: bool = False,
) -> Path | None:
    """Like :func:`take_snapshot` for a project folder that may not load (a damaged
    ``project.json`` is kept as it is, and the snapshot is marked as not loading).
    Raises :class:`WriterError` when not even the project's id can be found."""
    project_folder = Path(project_folder).absolute()
    try:
        project = Project.load(project_folder)
    except ProjectError:
        project_id = project_id_of(project_folder, folder)
        if project_id is None:
            raise WriterError(
                f"{project_folder}: cannot tell which project this is, so it has no snapshots"
            ) from None
        return _snapshot(
            project_folder,
            project_id,
            project_folder.name,
            reason,
            folder,
            force=force,
            loads=False,
        )
    return take_snapshot(project, reason, folder, force=force)


def snapshot_and_prune(
    project: Project,
    reason: str,
    folder: Path | str | None = None,
    *,
    keep: int = DEFAULT_KEEP,
    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS,
    force: bool = False,
) -> Path | None:
    """:func:`take_snapshot` then :func:`prune_snapshots`: what "on close" and "daily" do."""
    taken = take_snapshot(project, reason, folder, force=force)
    prune_snapshots(project.id, keep, max_age_days, folder)
    return taken


def should_take_daily(project: Project | str, folder: Path | str | None = None) -> bool:
    """Whether the newest snapshot is missing or at least 24 hours old."""
    newest = latest_snapshot(project, folder)
    return newest is None or _now() - newest.when >= DAILY


# ---------------------------------------------------------------- retention


def prune_snapshots(
    project_id: str,
    keep: int = DEFAULT_KEEP,
    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS,
    folder: Path | str | None = None,
) -> list[Path]:
    """Delete snapshots beyond the newest ``keep`` and those older than ``max_age_days``
    (None or 0: no age limit); never the newest one, nor the newest of a project that
    loaded. Also clears temporary files of snapshots interrupted over an hour ago.
    Returns the files deleted."""
    if keep < 1:
        raise WriterError("snapshots to keep must be at least 1")
    found = list_snapshots(project_id, folder)
    protected = {found[-1].path} if found else set()
    good = latest_snapshot(project_id, folder, loadable=True)
    if good is not None:
        protected.add(good.path)
    now = _now()
    oldest = now - timedelta(days=max_age_days) if max_age_days else None
    removed = []
    for index, info in enumerate(found):
        too_many = index < len(found) - keep
        too_old = oldest is not None and info.when < oldest
        if (too_many or too_old) and info.path not in protected:
            with contextlib.suppress(FileNotFoundError):
                info.path.unlink()
            removed.append(info.path)
    where = snapshot_dir(project_id, folder)
    if where.is_dir():
        for stray in where.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if now.timestamp() - stray.stat().st_mtime > 3600:
                    stray.unlink()
    return removed


# ---------------------------------------------------------------- the library


@dataclass(frozen=True)
class LibrarySnapshot:
    """What ``snapshot_library`` did with one project folder.

    ``status`` is "taken" (``path`` is the new snapshot), "unchanged" (``path`` is the
    newest snapshot, which already holds this content, or None) or "failed" (``error``).
    """

    folder: Path
    status: str
    path: Path | None = None
    error: str = ""


def snapshot_library(
    library: Library,
    reason: str,
    folder: Path | str | None = None,
    *,
    keep: int | None = DEFAULT_KEEP,
    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS,
    force: bool = False,
) -> list[LibrarySnapshot]:
    """Snapshot every project of the library that changed since its last snapshot, then
    prune each (``keep=None``: no pruning). A project that does not load is reported as
    failed and left alone: the app never writes to it, and its newest snapshot stays the
    one to restore."""
    results = []
    for entry in library.entries():
        if entry.project is None:
            results.append(LibrarySnapshot(entry.path, "failed", error=entry.error))
            continue
        project = entry.project
        try:
            taken = take_snapshot(project, reason, folder, force=force)
            if keep is not None:
                prune_snapshots(project.id, keep, max_age_days, folder)
        except WriterError as error:
            results.append(LibrarySnapshot(entry.path, "failed", error=str(error)))
            continue
        if taken is not None:
            results.append(LibrarySnapshot(entry.path, "taken", taken))
        else:
            newest = latest_snapshot(project, folder)
            results.append(LibrarySnapshot(entry.path, "unchanged", newest and newest.path))
    return results


# ---------------------------------------------------------------- finding a project's id


def project_id_of(project_folder: Path | str, folder: Path | str | None = None) -> str | None:
    """The id of the project in a folder, even when its ``project.json`` is damaged: from
    the file if it still says, else from the newest snapshot taken of this folder."""
    project_folder = Path(project_folder).absolute()
    try:
        raw = (project_folder / PROJECT_FILE).read_bytes()
    except OSError:
        raw = b""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("id"), str) and ID_PATTERN.match(data["id"]):
        return data["id"]
    match = _TOP_ID.search(raw)
    if match:
        return match.group(1).decode("ascii")
    root = snapshot_root(folder)
    if not root.is_dir():
        return None
    best: tuple[str, str] | None = None
    for where in root.iterdir():
        if not where.is_dir() or not ID_PATTERN.match(where.name):
            continue
        zips = sorted(p for p in where.iterdir() if _NAME.match(p.name))
        if not zips:
            continue
        if _read_info(zips[-1]).get("folder") == str(project_folder):
            stamp = zips[-1].name
            if best is None or stamp > best[0]:
                best = (stamp, where.name)
    return best[1] if best else None


def last_snapshot_hint(project_folder: Path | str, folder: Path | str | None = None) -> str:
    """A sentence offering the newest snapshot that loads, or "" when there is none:
    ``a snapshot from 2026-11-29 21:00 can be restored with: writer snapshot SLUG
    --restore NAME``."""
    project_folder = Path(project_folder)
    try:
        project_id = project_id_of(project_folder, folder)
        newest = latest_snapshot(project_id, folder, loadable=True) if project_id else None
    except (OSError, WriterError):
        return ""
    if newest is None:
        return ""
    return (
        f"a snapshot from {newest.local_time()} can be restored with: "
        f"writer snapshot {project_folder.name} --restore {newest.name}"
    )


def _project_folder_of(path: Path) -> Path | None:
    for candidate in (path, *path.parents):
        if (candidate / PROJECT_FILE).exists() or candidate.name == PROJECT_FILE:
            return candidate.parent if candidate.name == PROJECT_FILE else candidate
    return None


def error_hint(error: BaseException, folder: Path | str | None = None) -> str:
    """For a :class:`ProjectError` about a damaged project (a file of it, or its folder),
    the :func:`last_snapshot_hint` of that project; "" for anything else."""
    if not isinstance(error, ProjectError):
        return ""
    project_folder = _project_folder_of(error.path)
    return last_snapshot_hint(project_folder, folder) if project_folder else ""


# ---------------------------------------------------------------- restoring


def _member_path(archive_name: str, member: zipfile.ZipInfo) -> str | None:
    """The project-relative path of a zip member, None for members not restored, or
    :class:`WriterError` for one that could land outside the project (zip slip)."""
    name = member.filename
    if name == INFO_MEMBER:
        return None
    is_dir = name.endswith("/")
    parts = name.split("/")
    if is_dir:
        parts = parts[:-1]  # the trailing "" of "project/docs/"
    rest = parts[1:]
    safe = (
        "\\" not in name
        and "\0" not in name
        and not PurePosixPath(name).is_absolute()
        and not PureWindowsPath(name).is_absolute()
        and not PureWindowsPath(name).drive
        and not stat.S_ISLNK(member.external_attr >> 16)
        and parts[0] + "/" == MEMBER_PREFIX
        and all(part not in ("", ".", "..") for part in rest)
    )
    if not safe:
        raise WriterError(
            f"{archive_name}: refusing to restore {name!r}, which would land outside the project"
        )
    if is_dir or not rest or rest == [LOCK_NAME]:
        return None
    return "/".join(rest)


def _checked_members(file: Path) -> list[tuple[zipfile.ZipInfo, str]]:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile) as error:
        raise WriterError(f"{file}: is not a readable snapshot ({error})") from None
    wanted = []
    seen = set()
    for member in members:
        relative = _member_path(str(file), member)
        if relative is None:
            continue
        if relative.casefold() in seen:
            raise WriterError(f"{file}: holds {relative!r} twice")
        seen.add(relative.casefold())
        wanted.append((member, relative))
    if PROJECT_FILE not in {relative for _member, relative in wanted}:
        raise WriterError(f"{file}: holds no {PROJECT_FILE}")
    return wanted


def _extract(file: Path, members: list[tuple[zipfile.ZipInfo, str]], target: Path) -> None:
    target.mkdir()
    with zipfile.ZipFile(file) as archive:
        for member, relative in members:
            out = target.joinpath(*relative.split("/"))
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(out, "xb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
                sink.flush()
                os.fsync(sink.fileno())
    for top, _dirs, _files in os.walk(target):
        _fsync_dir(Path(top))


def _scratch(project_folder: Path, kind: str) -> Path:
    return project_folder.parent / f".{project_folder.name}.{kind}-{secrets.token_hex(4)}"


def restore_snapshot(
    project_folder: Path | str, name: str, folder: Path | str | None = None
) -> Path:
    """Bring a project folder back to a snapshot; returns the project folder.

    First the current state is snapshotted ("before restore"; skipped when the newest
    snapshot already holds it, so afterwards the newest snapshot always holds the state
    before the restore). The snapshot is checked for entries that would land outside the
    project (absolute paths, ``..``, links: refused), extracted into a hidden folder
    beside the project and loaded as a project; only then are the folders swapped with
    two renames, so a crash leaves the old project or the restored one (and
    :func:`writer.core.recovery.finish_interrupted_restores` puts an interrupted swap
    right). Refuses while another copy of writer holds the project's lock.
    """
    project_folder = Path(project_folder).absolute()
    if not (project_folder / PROJECT_FILE).is_file():
        raise WriterError(f"{project_folder}: is not a writer project (no {PROJECT_FILE})")
    project_id = project_id_of(project_folder, folder)
    if project_id is None:
        raise WriterError(f"{project_folder}: cannot tell which project this is")
    chosen = find_snapshot(project_id, name, folder)
    members = _checked_members(chosen.path)
    lock = ProjectLock(project_folder)
    lock.acquire()
    staging = _scratch(project_folder, _RESTORING)
    swapped = False
    try:
        take_folder_snapshot(project_folder, "before restore", folder)
        _extract(chosen.path, members, staging)
        try:
            restored = Project.load(staging)
        except ProjectError as error:
            raise WriterError(
                f"{chosen.path}: does not hold a project that loads ({error}); nothing was changed"
            ) from None
        if restored.id != project_id:
            raise WriterError(f"{chosen.path}: is a snapshot of another project ({restored.id})")
        old = _scratch(project_folder, _REPLACED)
        os.rename(project_folder, old)
        try:
            os.rename(staging, project_folder)
        except BaseException:
            os.rename(old, project_folder)
            raise
        swapped = True
        _fsync_dir(project_folder.parent)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        raise WriterError(
            f"{project_folder}: cannot restore {chosen.name} ({error.strerror or error}); "
            "the project was left as it was"
        ) from None
    finally:
        if not swapped:
            shutil.rmtree(staging, ignore_errors=True)
            lock.release()
        lock.held = False
    return project_folder


def iter_scratch(library_folder: Path) -> Iterator[tuple[Path, str, str]]:
    """``(path, project folder name, kind)`` of the hidden folders a restore leaves
    beside a project while it runs ("restoring" or "replaced")."""
    pattern = re.compile(rf"^\.(.+)\.({_RESTORING}|{_REPLACED})-[0-9a-f]{{8}}$")
    if not library_folder.is_dir():
        return
    for entry in sorted(library_folder.iterdir()):
        match = pattern.match(entry.name)
        if match and entry.is_dir() and not entry.is_symlink():
            yield entry, match.group(1), match.group(2)
