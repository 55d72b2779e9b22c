"""Putting things right after a crash: interrupted restores and leftover temporary files.

Nothing here deletes content that exists nowhere else. An atomic save that was killed
leaves a ``.<name>.<random>.tmp`` file beside its target (the target itself is the old or
the new version, whole); :func:`clean_temp_files` removes those once no live copy of
writer holds the project's lock. A restore that was killed between its two renames leaves
the project under a hidden name beside where it belongs;
:func:`finish_interrupted_restores` puts it back.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
from pathlib import Path

from writer.core.lock import pid_alive, read_lock
from writer.core.projectfile import PROJECT_FILE
from writer.core.snapshots import iter_scratch, list_snapshots, project_digest, project_id_of

_TEMP_FILE = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")


def _someone_writing(project_folder: Path) -> bool:
    """Whether a live copy of writer other than this one may be writing to the folder
    (a lock from another computer counts: it may be live)."""
    holder = read_lock(project_folder)
    if holder is None:
        return False
    if holder.host != socket.gethostname():
        return True
    return holder.pid == os.getpid() or pid_alive(holder.pid)


def clean_temp_files(project_folder: Path | str) -> list[Path]:
    """Remove the temporary files killed saves left in a project folder and its
    ``docs/``; returns them. Does nothing while a live copy of writer holds the lock
    (including this process: its own save may be running)."""
    project_folder = Path(project_folder)
    if _someone_writing(project_folder):
        return []
    removed = []
    for where in (project_folder, project_folder / "docs"):
        if not where.is_dir() or where.is_symlink():
            continue
        for entry in where.iterdir():
            if _TEMP_FILE.match(entry.name) and entry.is_file() and not entry.is_symlink():
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
                    removed.append(entry)
    return sorted(removed)


def finish_interrupted_restores(
    library_folder: Path | str, snapshot_folder: Path | str | None = None
) -> list[str]:
    """Put right what a killed ``restore_snapshot`` left in a library folder; returns a
    sentence for each thing done.

    - the project folder is missing and its old copy is hidden beside it: put it back;
    - both are there (the swap happened): the old copy is deleted if a snapshot holds
      exactly its content, and otherwise kept and reported;
    - a half-extracted snapshot: deleted (the snapshot itself is untouched).

    ``snapshot_folder`` is the ``folder`` given to the snapshot functions, if any.
    """
    library_folder = Path(library_folder)
    done = []
    for scratch, name, kind in iter_scratch(library_folder):
        home = library_folder / name
        if kind == "restoring":
            shutil.rmtree(scratch, ignore_errors=True)
            done.append(f"removed {scratch.name}, a restore of {name} that did not finish")
            continue
        if not home.exists() and (scratch / PROJECT_FILE).is_file():
            os.rename(scratch, home)
            done.append(f"put {name} back where it was: a restore of it was interrupted")
            continue
        project_id = project_id_of(scratch)
        digests = (
            {info.digest for info in list_snapshots(project_id, snapshot_folder)}
            if project_id
            else set()
        )
        if project_digest(scratch) in digests:
            shutil.rmtree(scratch, ignore_errors=True)
            done.append(f"removed {scratch.name}: {name} was restored and a snapshot holds it")
        else:
            done.append(f"kept {scratch.name}: the copy of {name} from before a restore")
    return done
