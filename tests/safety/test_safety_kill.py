"""Killed mid-save: SIGKILL a process that saves a project in a loop, hundreds of times.

A "zygote" subprocess imports writer and builds every version of three ~1.5 MB documents
once; for each round of the test it forks a fresh worker that opens the project and saves
through the public API in a loop (each document in turn, the work's summary, a new note
added and the previous one deleted for good). The test kills the worker with SIGKILL after
a random delay (fixed seed), waits until it is reaped, and checks that the project loads,
that every document is byte for byte one of the versions that was being written (never
torn, never empty), that the word-count cache is never trusted for content it was not
counted on, and that files no tree entry names are reported as orphans and never lost.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from writer.core.project import Project
from writer.core.recovery import clean_temp_files
from writer.core.wordcount import count_words

REPO = Path(__file__).resolve().parents[2]
KILLS = 200
SIZE = 1_500_000  # bytes per document version
VERSIONS = 3  # versions per document; consecutive rounds always differ
MAX_DELAY = 0.08  # seconds between "ready" and the kill
TIME_LIMIT = 60.0

VERSION_SOURCE = textwrap.dedent(
    '''
    def version(doc, number, size):
        """Version ``number`` of document ``doc``: its head and its every line say which."""
        head = f"# Document {doc}, version {number}\\n\\n"
        line = f"Version {number} of document {doc}: the lantern burned until morning.\\n\\n"
        body = line * (size // len(line) + 1)
        return (head + body)[: size - 1] + "\\n"
    '''
)

ZYGOTE = VERSION_SOURCE + textwrap.dedent(
    """
    import os
    import sys
    from pathlib import Path

    import writer.core.project as project_module
    from writer.core.project import Project

    folder = Path(sys.argv[1])
    size, count = int(sys.argv[2]), int(sys.argv[3])
    chapters = [n.id for n in Project.load(folder).tree.roots if n.kind == "chapter"]
    texts = [[version(d, k, size) for k in range(count)] for d in range(len(chapters))]
    real_count = project_module.count_words
    words = {id(t): real_count(t) for row in texts for t in row}
    # The versions are counted once here: each save still goes through write_text.
    project_module.count_words = lambda text: words.get(id(text)) or real_count(text)
    for d, row in enumerate(texts):
        print("words", d, *(words[id(t)] for t in row), flush=True)

    def work(start):
        project = Project.load(folder)
        notes = [n.id for n in project.tree.roots if n.kind == "note"]
        print("ready", os.getpid(), flush=True)
        r = start
        while True:
            for d, doc in enumerate(chapters):
                project.write_text(doc, texts[d][(r + d) % count])
            project.meta.summary = f"round {r}"
            note = project.add_node("note", f"note {r}", text=f"note of round {r}\\n")
            project.save()
            for old in notes:
                project.trash_node(old)
                project.delete_forever(old)
            notes = [note.id]
            r += 1

    print("zygote ready", flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command != "go":
            break
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                work(int(argument))
            except BaseException as error:
                print("error", type(error).__name__, error, flush=True)
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        print("reaped", pid, status, flush=True)
    """
)

NOTE_TEXT = re.compile(r"^note of round \d+\n$")


class Lines:
    """Lines from a pipe, with a timeout (never blocks the test forever)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def read(self, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.fd], [], [], max(left, 0))
            if not ready:
                raise AssertionError("the child process stopped answering")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise AssertionError(f"the child process exited; it said {self.buffer!r}")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"), reason="POSIX")
def test_a_project_killed_mid_save_hundreds_of_times_loses_nothing(tmp_path):
    started = time.monotonic()
    folder = tmp_path / "killed"
    project = Project.create(folder, "Killed Mid-Save")
    project.add_node("chapter", "Chapter 2")
    project.add_node("chapter", "Chapter 3")
    chapters = [n.id for n in project.tree.roots]
    firsts = [f"Chapter {d + 1}, first draft.\n" for d in range(len(chapters))]
    for doc, text in zip(chapters, firsts, strict=True):
        project.write_text(doc, text)
    project.close()

    namespace: dict = {}
    exec(VERSION_SOURCE, namespace)
    version = namespace["version"]
    allowed = [
        {_sha(version(d, k, SIZE).encode()): k for k in range(VERSIONS)}
        | {_sha(firsts[d].encode()): -1}
        for d in range(len(chapters))
    ]

    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(folder), str(SIZE), str(VERSIONS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    lines = Lines(zygote.stdout.fileno())
    rng = random.Random(20261129)
    seen_states = set()
    orphans_seen: set[Path] = set()
    temp_files_left = 0
    try:
        words = {}
        for d in range(len(chapters)):
            tag, index, *counts = lines.read(60).split()
            assert (tag, int(index)) == ("words", d)
            words[d] = {k: int(c) for k, c in enumerate(counts)}
            words[d][-1] = count_words(firsts[d])
        assert lines.read(30) == "zygote ready"

        for round_number in range(KILLS):
            zygote.stdin.write(f"go {round_number * 100_000}\n".encode())
            zygote.stdin.flush()
            answer = lines.read().split()
            assert answer[0] == "ready", " ".join(answer)
            pid = int(answer[1])
            time.sleep(rng.uniform(0.0, MAX_DELAY))
            os.kill(pid, signal.SIGKILL)
            reaped = lines.read().split()
            assert reaped[:2] == ["reaped", str(pid)], " ".join(reaped)
            status = int(reaped[2])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

            # The project loads: project.json is whole and names only files that exist.
            loaded = Project.load(folder)
            assert [n.id for n in loaded.tree.roots if n.kind == "chapter"] == chapters
            assert re.fullmatch(r"(round \d+)?", loaded.meta.summary)
            state = []
            for d, doc in enumerate(chapters):
                data = (folder / "docs" / f"{doc}.md").read_bytes()
                digest = _sha(data)
                assert digest in allowed[d], (
                    f"kill {round_number}: document {d} is {len(data)} bytes of no version"
                )
                number = allowed[d][digest]
                state.append(number)
                cached = loaded.cached_words(doc)
                assert cached is None or cached == words[d][number], "stale count trusted"
            seen_states.add(tuple(state))
            for note in (n for n in loaded.tree.roots if n.kind == "note"):
                assert NOTE_TEXT.match(loaded.read_text(note.id))

            # Files the tree does not name are reported, whole, and stay where they are.
            orphans = set(loaded.orphan_documents())
            assert orphans_seen <= orphans, "an orphan document disappeared"
            for orphan in orphans - orphans_seen:
                assert NOTE_TEXT.match(orphan.read_text(encoding="utf-8"))
            orphans_seen = orphans

            # A kill mid-write leaves a temporary file; it never replaced anything.
            removed = clean_temp_files(folder)
            temp_files_left += len(removed)
            assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in removed)
            assert all(p.suffix == ".md" for p in (folder / "docs").iterdir())
            assert time.monotonic() - started < TIME_LIMIT, f"too slow at kill {round_number}"
    finally:
        zygote.stdin.close()
        try:
            zygote.wait(timeout=10)
        except subprocess.TimeoutExpired:
            zygote.kill()
            zygote.wait()
        zygote.stdout.close()

    # The kills landed in many different places of the save loop.
    assert len(seen_states) >= 3, seen_states
    print(
        f"{KILLS} kills in {time.monotonic() - started:.1f} s: {len(seen_states)} distinct "
        f"document states, {len(orphans_seen)} orphans reported, "
        f"{temp_files_left} temporary files left by interrupted writes"
    )
