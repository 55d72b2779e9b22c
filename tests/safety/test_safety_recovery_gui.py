"""Autosave and recovery copies: text typed after the last autosave survives a kill.

The main test is a real process: a window on a private library, text typed into the editor
with key events, the autosave writes the first part, more text is typed, its recovery copy
appears, and the process is killed with SIGKILL. The next window finds the file holding the
autosaved text and offers the copy; restoring it brings back every typed word. The unit
tests below cover the copy's life: written while unsaved, deleted on save or when the text
equals the file again, discarded, kept for later, ignored for projects that left the library.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from writer.core.library import Library
from writer.core.project import Project
from writer.gui.main_window import MainWindow
from writer.gui.recovery_copies import (
    RecoveryCopies,
    copy_paths,
    install_recovery,
    pending_recoveries,
    recovery_root,
    write_copy,
)

REPO = Path(__file__).resolve().parents[2]
ORIGINAL = "# Night Watch\n\nThe tide was out when the keeper climbed the stair.\n"
PART_A = "The lantern burned low over the harbour"
PART_B = " and nobody saved these words before the crash."
WAIT_MS = 20_000

CHILD = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path

    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from writer.core.library import Library
    from writer.gui.main_window import MainWindow
    from writer.gui.recovery_copies import install_recovery

    library, part_a, part_b = sys.argv[1:4]
    app = QApplication(["writer-recovery-test"])
    window = MainWindow(Library(Path(library)))
    recovery = install_recovery(window)  # (returns the window's own when it has one)
    window.resize(1000, 700)
    window.open_project(None)
    window.show()
    QTest.qWaitForWindowExposed(window, 10_000)


    def wait_for(check, what, timeout=30.0):
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                print("TIMEOUT", what, flush=True)
                sys.exit(3)
            QTest.qWait(20)


    opened = window.current
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    QTest.keyClicks(window.editor, part_a)
    wait_for(
        lambda: not opened.unsaved and opened.path.read_text("utf-8").endswith(part_a),
        "autosave of the first part",
    )
    # The kill must land after this autosave and before the next one: the next one is
    # put off by a minute so the test does not race a 1.5 s timer.
    window.documents.autosave.setInterval(60_000)
    QTest.keyClicks(window.editor, part_b)
    copy = recovery.copy_path(opened)
    wait_for(
        lambda: copy.is_file() and copy.read_text("utf-8").endswith(part_a + part_b),
        "recovery copy of the second part",
    )
    print("READY", opened.project.id, opened.node_id, flush=True)
    app.exec()
    """
)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog would wait forever offscreen: answer at once, and remember it."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def answer(default):
        def show(_parent, _title, text, *_args, **_kwargs):
            shown.append(text)
            return default

        return show

    monkeypatch.setattr(QMessageBox, "warning", answer(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    monkeypatch.setattr(QMessageBox, "information", answer(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()))
    return shown


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """A library of two works; the first document of "Night Watch" holds ``ORIGINAL``."""
    root = tmp_path / "lib"
    night = Library(root).create("Night Watch")
    night.write_text(night.tree.roots[0].id, ORIGINAL)
    night.add_node("chapter", "Chapter 2", text="The second night.\n")
    night.close()
    other = Library(root).create("Other Shore")
    other.write_text(other.tree.roots[0].id, "Lanterns on the water.\n")
    other.close()
    return Library(root)


@pytest.fixture
def open_window(qtbot):
    """Windows with recovery installed (``ask`` set before any event runs), closed after."""
    made: list[MainWindow] = []

    def make(library: Library, ask=None) -> MainWindow:
        window = MainWindow(library)
        qtbot.addWidget(window)
        recovery = install_recovery(window)
        if ask is not None:
            recovery.ask = ask
        window.resize(1200, 800)
        window.open_project(None)
        made.append(window)
        return window

    yield make
    for window in made:
        window.confirm_discard = lambda: True
        window.documents.autosave.stop()
        window.close()
        window.preview_controller.shutdown()


def _night(library: Library) -> tuple[Project, str]:
    project = next(p for p in library.projects() if p.title == "Night Watch")
    return project, project.tree.roots[0].id


def _type_at_end(qtbot, window: MainWindow, text: str) -> None:
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def _recorder(answer: str, asked: list):
    def ask(recovery):
        asked.append(recovery)
        return answer

    return ask


def _pending_copy(library: Library, text: str) -> tuple[Project, str, Path]:
    """A recovery copy as a killed run leaves it: based on the file now on disk."""
    import hashlib

    project, doc_id = _night(library)
    base = hashlib.sha256(project.doc_path(doc_id).read_bytes()).hexdigest()
    return project, doc_id, write_copy(project, doc_id, text, base)


# ---------------------------------------------------------------- killed while typing


class _Lines:
    """Lines from a child's stdout, never waiting past a deadline."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer = fd, b""

    def read(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([self.fd], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise AssertionError("the window process stopped answering")
            chunk = os.read(self.fd, 4096)
            if not chunk:
                raise AssertionError(f"the window process exited; it said {self.buffer!r}")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX")
def test_text_typed_after_the_autosave_survives_a_kill(
    qtbot, library, open_window, writer_home, tmp_path
):
    project, doc_id = _night(library)
    errors = tmp_path / "child-stderr.txt"
    env = {
        **os.environ,
        "WRITER_HOME": str(writer_home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    with errors.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(library.path), PART_A, PART_B],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
        )
    assert child.stdout is not None
    try:
        try:
            line = _Lines(child.stdout.fileno()).read(timeout=90)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{errors.read_text(errors='replace')}") from None
        assert line == f"READY {project.id} {doc_id}", line
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()

    # The file holds what the autosave wrote; the rest is only in the recovery copy.
    assert project.read_text(doc_id) == ORIGINAL + PART_A
    copy, sidecar = copy_paths(project.id, doc_id)
    assert copy.read_text(encoding="utf-8") == ORIGINAL + PART_A + PART_B
    assert json.loads(sidecar.read_text(encoding="utf-8"))["doc_id"] == doc_id

    asked: list = []
    window = open_window(Library(library.path), ask=_recorder("restore", asked))
    full = ORIGINAL + PART_A + PART_B
    qtbot.waitUntil(lambda: window.editor.toPlainText() == full, timeout=WAIT_MS)
    assert [(r.doc_id, r.title) for r in asked] == [(doc_id, "Chapter 1")]
    assert window.current is not None and window.current.node_id == doc_id
    assert window.current.unsaved  # the autosave will write it ...
    qtbot.waitUntil(lambda: not window.current.unsaved, timeout=WAIT_MS)  # ... and does
    assert Project.load(project.path).read_text(doc_id) == full
    assert not copy.exists() and not sidecar.exists()
    assert pending_recoveries(Library(library.path)) == []


# ---------------------------------------------------------------- the copy's life


def test_typing_keeps_a_copy_until_the_document_is_saved(qtbot, library, open_window):
    window = open_window(library)
    opened = window.current
    assert opened is not None
    copy, sidecar = copy_paths(opened.project.id, opened.node_id)
    assert not copy.exists()
    _type_at_end(qtbot, window, "More words")
    qtbot.waitUntil(copy.is_file, timeout=WAIT_MS)
    assert copy.read_text(encoding="utf-8") == ORIGINAL + "More words"
    info = json.loads(sidecar.read_text(encoding="utf-8"))
    assert info["project_path"] == str(opened.project.path)
    assert (info["doc_id"], info["title"]) == (opened.node_id, "Chapter 1")
    assert info["base_sha256"] == opened.disk_hash
    assert copy.parent == recovery_root() / opened.project.id
    assert opened.project.read_text(opened.node_id) == ORIGINAL  # not saved yet
    window.save_everything()
    assert opened.project.read_text(opened.node_id) == ORIGINAL + "More words"
    assert not copy.exists() and not sidecar.exists()


def test_no_copy_when_the_text_equals_the_file(qtbot, library, open_window):
    window = open_window(library)
    opened = window.current
    recovery: RecoveryCopies = window.recovery
    copy, sidecar = copy_paths(opened.project.id, opened.node_id)
    recovery.write_now()
    assert not copy.exists()  # nothing typed
    _type_at_end(qtbot, window, "x")
    qtbot.waitUntil(copy.is_file, timeout=WAIT_MS)
    qtbot.keyClick(window.editor, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not copy.exists(), timeout=WAIT_MS)
    assert not sidecar.exists()
    recovery.write_now()
    assert not copy.exists()


def test_discard_deletes_the_copy(qtbot, library, open_window):
    project, doc_id, copy = _pending_copy(library, "A newer draft.\n")
    asked: list = []
    window = open_window(library, ask=_recorder("discard", asked))
    with qtbot.waitSignal(window.recovery.offered, timeout=WAIT_MS):
        pass
    assert [r.doc_id for r in asked] == [doc_id]
    assert not copy.exists() and not copy.with_suffix(".json").exists()
    assert project.read_text(doc_id) == ORIGINAL
    assert not any(d.unsaved for d in window.documents.documents())
    assert pending_recoveries(library) == []


def test_keep_for_later_asks_again_and_is_not_overwritten(qtbot, library, open_window):
    project, doc_id, copy = _pending_copy(library, "A newer draft.\n")
    asked: list = []
    window = open_window(library, ask=_recorder("later", asked))
    with qtbot.waitSignal(window.recovery.offered, timeout=WAIT_MS):
        pass
    assert [r.doc_id for r in asked] == [doc_id]
    kept = asked[0].text_path
    assert (
        kept.is_file() and kept != copy and kept.read_text(encoding="utf-8") == "A newer draft.\n"
    )
    # Typing in the same document in this run makes a live copy beside the kept one.
    assert window.current.node_id == doc_id
    _type_at_end(qtbot, window, "typed now")
    qtbot.waitUntil(copy.is_file, timeout=WAIT_MS)
    window.save_everything()
    assert not copy.exists()
    assert kept.read_text(encoding="utf-8") == "A newer draft.\n"
    window.close()

    # The saved file is now newer than the kept copy, which is not offered any more...
    assert pending_recoveries(Library(library.path)) == []
    assert kept.is_file()  # ... but it is not deleted either.


def test_keep_for_later_is_offered_at_the_next_start(qtbot, library, open_window):
    _project, doc_id, _copy = _pending_copy(library, "A newer draft.\n")
    first: list = []
    window = open_window(library, ask=_recorder("later", first))
    with qtbot.waitSignal(window.recovery.offered, timeout=WAIT_MS):
        pass
    window.close()
    again: list = []
    window = open_window(Library(library.path), ask=_recorder("restore", again))
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "A newer draft.\n", timeout=WAIT_MS)
    assert [r.doc_id for r in first] == [r.doc_id for r in again] == [doc_id]
    assert again[0].kept
    window.save_everything()
    assert not again[0].text_path.exists()
    assert pending_recoveries(Library(library.path)) == []


def test_restore_is_one_undoable_edit(qtbot, library, open_window):
    project, doc_id, _copy = _pending_copy(library, "Restored draft.\n\nWith two paragraphs.\n")
    window = open_window(library, ask=lambda _recovery: "restore")
    qtbot.waitUntil(lambda: window.editor.toPlainText().startswith("Restored"), timeout=WAIT_MS)
    document = window.editor.document()
    assert document.isModified()
    document.undo()
    assert window.editor.toPlainText() == ORIGINAL
    document.redo()
    assert window.editor.toPlainText() == "Restored draft.\n\nWith two paragraphs.\n"
    window.save_everything()
    assert project.read_text(doc_id) == "Restored draft.\n\nWith two paragraphs.\n"


def test_copies_of_projects_no_longer_in_the_library_are_ignored(
    qtbot, library, open_window, tmp_path
):
    project, _doc_id, copy = _pending_copy(library, "A newer draft.\n")
    assert len(pending_recoveries(library)) == 1
    shutil.move(project.path, tmp_path / "moved-away")
    asked: list = []
    window = open_window(Library(library.path), ask=_recorder("discard", asked))
    assert window.recovery.offer() == []
    assert asked == []
    assert pending_recoveries(Library(library.path)) == []
    assert copy.is_file()  # left alone: the project may come back


def test_a_copy_older_than_the_file_or_equal_to_it_is_not_offered(library):
    project, doc_id, copy = _pending_copy(library, "A newer draft.\n")
    info = json.loads(copy.with_suffix(".json").read_text(encoding="utf-8"))
    # Another program wrote the file after the copy was made.
    project.doc_path(doc_id).write_text("Written elsewhere.\n", encoding="utf-8")
    later = info["epoch"] + 60
    os.utime(project.doc_path(doc_id), (later, later))
    assert pending_recoveries(library) == []
    assert copy.is_file()
    # A copy holding exactly what the file holds is removed.
    project.doc_path(doc_id).write_text("A newer draft.\n", encoding="utf-8")
    assert pending_recoveries(library) == []
    assert not copy.exists()


def test_an_empty_copy_that_does_not_match_its_checksum_is_not_offered(library):
    _project, _doc_id, copy = _pending_copy(library, "A newer draft.\n")
    copy.write_bytes(b"")  # what a power cut can leave of an unsynced write
    assert pending_recoveries(library) == []
    copy.write_text("A newer draft, torn", encoding="utf-8")
    (found,) = pending_recoveries(library)
    assert not found.verified and found.text == "A newer draft, torn"


def test_install_recovery_is_idempotent(qtbot, library):
    window = MainWindow(library)
    qtbot.addWidget(window)
    first = install_recovery(window)
    assert install_recovery(window) is first is window.recovery
    window.documents.autosave.stop()
    window.close()
    window.preview_controller.shutdown()
