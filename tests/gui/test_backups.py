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


def test_broken_project_is_reported_and_restored_from_its_snapshot(
    qtbot, make_window, story_library
):
    from writer.core.snapshots import take_snapshot
    from writer.gui.library_model import ItemRole

    folder = story_library.find("Second Light")
    take_snapshot(Project.load(folder), "good", force=True)
    (folder / "project.json").write_text('{"format_version": 1, "id": "tru', encoding="utf-8")
    damaged = (folder / "project.json").read_bytes()
    window = make_window(story_library)
    panel = window.library_panel
    broken_row = next(
        panel.proxy.index(r, 0)
        for r in range(panel.proxy.rowCount())
        if panel.proxy.index(r, 0).data(ItemRole).kind == "broken"
    )
    panel.view.setCurrentIndex(broken_row)
    assert not window.banner.isHidden()
    assert "project.json" in window.banner.text() and "Restore snapshot" in window.banner.text()
    assert (folder / "project.json").read_bytes() == damaged  # never overwritten
    window.backups.choose = lambda labels: next(
        i for i, label in enumerate(labels) if "good" in label
    )
    window.backups.restore()
    assert Project.load(folder).title == "Second Light"
    assert any(p.title == "Second Light" for p in window.model.projects())
