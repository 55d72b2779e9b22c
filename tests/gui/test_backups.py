"""Snapshots from the window: on close for changed projects, daily, and restore."""

from __future__ import annotations

from writer.core.project import Project
from writer.core.snapshots import list_snapshots


def test_close_backs_up_only_changed_projects(qtbot, make_window, story_library):
    window = make_window(story_library)
    changed = window.project
    other = next(p for p in window.model.projects() if p is not changed)
    for task in window.backups.tasks:
        task.wait()
    daily = {p.id: len(list_snapshots(p)) for p in (changed, other)}
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " last words")
    window.close()
    reasons = [s.reason for s in list_snapshots(changed)]
    assert reasons[-1] == "on close"
    assert len(list_snapshots(other)) == daily[other.id]


def test_restore_snapshot_brings_text_back(qtbot, make_window, story_library):
    window = make_window(story_library)
    project = window.project
    node_id = window.current.node_id
    original = project.read_text(node_id)
    window.backups.snapshot_now()
    window.editor.selectAll()
    qtbot.keyClicks(window.editor, "ruined")
    window.save_everything()
    assert project.read_text(node_id) == "ruined"
    window.backups.choose = lambda labels: next(
        i for i, label in enumerate(labels) if "on demand" in label
    )
    window.backups.restore()
    assert Project.load(project.path).read_text(node_id) == original
    assert window.project is not project  # the window shows the restored project
    assert window.editor.toPlainText() == original
    assert [s.reason for s in list_snapshots(project)][-1] == "before restore"
