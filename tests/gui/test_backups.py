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


# ------------------------------------------------------------------ the chosen folder and age


def test_snapshots_go_to_the_chosen_folder_and_restore_from_there(
    qtbot, make_window, story_library, tmp_path, writer_home
):
    from writer.core.snapshots import snapshot_root

    window = make_window(story_library)
    for task in window.backups.tasks:
        task.wait()
    project = window.project
    node_id = window.current.node_id
    original = project.read_text(node_id)
    default = list_snapshots(project)
    chosen = tmp_path / "other disk" / "snapshots"
    window.settings.snapshot_folder = str(chosen)
    window.backups.snapshot_now()
    taken = list_snapshots(project, chosen)
    assert [s.reason for s in taken] == ["on demand"]
    assert taken[0].path.parent == chosen / project.id
    assert list_snapshots(project) == default  # nothing new in the data folder
    assert snapshot_root().is_relative_to(writer_home)
    window.editor.selectAll()
    qtbot.keyClicks(window.editor, "ruined")
    window.save_everything()
    labels_seen: list[list[str]] = []

    def choose(labels):
        labels_seen.append(labels)
        return next(i for i, label in enumerate(labels) if "on demand" in label)

    window.backups.choose = choose
    window.backups.restore()
    assert len(labels_seen[0]) == 1  # only the chosen folder's snapshots are offered
    assert Project.load(project.path).read_text(node_id) == original
    assert [s.reason for s in list_snapshots(project, chosen)][-1] == "before restore"
    assert list_snapshots(project) == default


def test_a_broken_project_is_offered_its_snapshot_from_the_chosen_folder(
    qtbot, make_window, story_library, tmp_path
):
    from writer.core.snapshots import take_snapshot
    from writer.gui.library_model import ItemRole
    from writer.gui.settings import Settings

    chosen = tmp_path / "snaps"
    settings = Settings()
    settings.load()
    settings.snapshot_folder = str(chosen)
    folder = story_library.find("Second Light")
    take_snapshot(Project.load(folder), "good", chosen, force=True)
    (folder / "project.json").write_text('{"format_version": 1, "id": "tru', encoding="utf-8")
    window = make_window(story_library)
    assert window.settings.snapshot_folder == str(chosen)
    panel = window.library_panel
    panel.view.setCurrentIndex(
        next(
            panel.proxy.index(r, 0)
            for r in range(panel.proxy.rowCount())
            if panel.proxy.index(r, 0).data(ItemRole).kind == "broken"
        )
    )
    assert "Restore snapshot" in window.banner.text()
    window.backups.choose = lambda labels: next(
        i for i, label in enumerate(labels) if "good" in label
    )
    window.backups.restore()
    assert Project.load(folder).title == "Second Light"


def test_snapshots_older_than_the_chosen_age_are_pruned(
    qtbot, make_window, story_library, tmp_path, monkeypatch
):
    from datetime import UTC, datetime, timedelta

    from writer.core import snapshots
    from writer.core.snapshots import take_snapshot

    window = make_window(story_library)
    for task in window.backups.tasks:
        task.wait()
    project = window.project
    chosen = tmp_path / "snaps"
    window.settings.snapshot_folder = str(chosen)
    window.settings.snapshot_max_age_days = 30
    now = datetime.now(UTC)
    monkeypatch.setattr(snapshots, "_now", lambda: now - timedelta(days=45))
    old = take_snapshot(project, "old", chosen, force=True)
    monkeypatch.setattr(snapshots, "_now", lambda: now - timedelta(days=10))
    recent = take_snapshot(project, "recent", chosen, force=True)
    monkeypatch.setattr(snapshots, "_now", lambda: now)
    window.backups.snapshot_now()
    kept = list_snapshots(project, chosen)
    assert old not in [s.path for s in kept]  # 45 days > 30: pruned
    assert [s.reason for s in kept] == ["recent", "on demand"]
    assert kept[0].path == recent
    window.settings.snapshot_max_age_days = 0  # forever: only the count limits them
    monkeypatch.setattr(snapshots, "_now", lambda: now + timedelta(days=400))
    window.backups.snapshot_now()
    assert len(list_snapshots(project, chosen)) == 3
    window.settings.snapshot_keep = 1
    window.backups.snapshot_now()
    assert [s.reason for s in list_snapshots(project, chosen)] == ["on demand"]
