"""Goals in the tree and status bar, the statistics dialog and its charts, and sessions
recorded from the window's saves."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
from conftest import build_story  # noqa: E402

from writer.core.library import Library  # noqa: E402
from writer.core.project import Project  # noqa: E402
from writer.core.sessions import (  # noqa: E402
    SESSIONS_FILE,
    Session,
    SessionRecorder,
    read_sessions,
    stats,
)
from writer.gui.goals import GoalDelegate, install_goals, item_goal  # noqa: E402
from writer.gui.library_model import ItemRole  # noqa: E402
from writer.gui.statistics import (  # noqa: E402
    CHART_DAYS,
    StatisticsDialog,
    install_statistics,
    open_statistics,
    project_menu,
)
from writer.gui.statistics_chart import Bar, BarChart, axis_range, nice_step  # noqa: E402


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute).astimezone()


def colours(image: QImage, step: int = 3) -> set[int]:
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def has_colour(image: QImage, colour: QColor) -> bool:
    return colour.rgb() in colours(image, 1)


def chapter_ids(project: Project) -> list[str]:
    return [n.id for n in project.tree.walk() if n.kind == "chapter"]


@pytest.fixture
def story(tmp_path: Path) -> Project:
    return build_story(tmp_path / "harbour-lights")


@pytest.fixture
def edited(story: Project) -> Project:
    """Two days of edits through a recorder: day 4 +5 then -2, day 5 +3."""
    one = chapter_ids(story)[0]
    moments = iter([at(4, 9), at(4, 11), at(5, 20)])
    recorder = SessionRecorder(story, clock=lambda: next(moments))
    text = story.read_text(one)
    recorder.remember(one, text)
    for new in (
        text + "\nThe gulls rose with morning.",
        text + "\nGulls with morning.",
        text + "\nGulls with morning. Then came rain.",
    ):
        story.write_text(one, new)
        recorder.saved(one, new)
    recorder.close()
    return story


# ---------------------------------------------------------------- the chart


def test_nice_axis_steps():
    assert nice_step(0) == 1
    assert nice_step(10) == 2
    assert nice_step(2300) == 500
    assert nice_step(7) == 2
    assert axis_range([]) == (0, 10, 2)
    low, high, step = axis_range([1234, -250], reference=600)
    assert low <= -250 and high >= 1234 and low % step == 0 and high % step == 0


def test_chart_draws_positive_and_negative_bars_in_palette_colours(qtbot):
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(500, 260)
    chart.set_bars(
        [Bar("1 Mar", 500, "tip one"), Bar("2 Mar", -200), Bar("3 Mar", 0, marked=True)],
        reference=("average", 150),
    )
    image = chart.grab().toImage()
    palette = chart.palette()
    assert has_colour(image, palette.color(QPalette.ColorRole.Highlight))
    assert has_colour(image, palette.color(QPalette.ColorRole.Mid))
    assert len(colours(image)) > 5
    first = chart.bar_at(chart._slots[0].center().x(), chart._slots[0].center().y())
    assert first == 0 and chart.bar_at(-5, -5) is None


def test_empty_chart_says_so(qtbot):
    chart = BarChart("Nothing here")
    qtbot.addWidget(chart)
    chart.resize(400, 220)
    chart.set_bars([Bar("1 Mar", 0), Bar("2 Mar", 0)])
    image = chart.grab().toImage()
    assert not image.isNull() and len(colours(image)) > 2


# ---------------------------------------------------------------- the dialog


def test_dialog_shows_numbers_matching_the_edits(qtbot, edited, tmp_path):
    edited.set_field("word_goal", ["1000"])
    edited.set_doc_field(chapter_ids(edited)[0], "word_goal", ["100"])
    edited.save()
    dialog = StatisticsDialog(edited, now=at(5, 22))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    total = edited.total_words()
    assert dialog.total_label.text() == f"{total:,}"
    assert dialog.goal_label.text() == f"{total / 10:.1f}% of 1,000"
    assert dialog.today_label.text() == "+3"
    assert dialog.streak_label.text() == "2 days"
    assert dialog.sessions_label.text() == "3"
    days = dialog.day_chart.bars
    assert len(days) == CHART_DAYS
    assert [b.value for b in days[-2:]] == [3, 3] and days[-1].marked
    assert sum(b.value for b in days) == 6
    assert [b.value for b in dialog.session_chart.bars] == [5, -2, 3]
    assert dialog.documents.topLevelItemCount() == 1
    assert dialog.documents.topLevelItem(0).text(2) == "100"
    image = dialog.grab().toImage()
    assert len(colours(image)) > 10  # not blank
    image.save(str(tmp_path / "statistics.png"))
    dialog.tabs.setCurrentIndex(1)
    assert len(colours(dialog.session_chart.grab().toImage())) > 5


def test_dialog_counts_the_open_session_and_refreshes(qtbot, story):
    pending = Session(at(6, 10), at(6, 10, 30), 40, 5, 1)
    dialog = StatisticsDialog(story, pending=[pending], now=at(6, 12))
    qtbot.addWidget(dialog)
    assert dialog.today_label.text() == "+35"
    assert dialog.session_chart.bars[-1].marked
    assert not dialog.documents.isVisibleTo(dialog)
    assert dialog.goal_label.text() == "none"
    dialog.set_pending([])
    dialog.refresh()
    assert dialog.today_label.text() == "0"


def test_dialog_reports_an_unreadable_log(qtbot, story, tmp_path):
    (story.path / SESSIONS_FILE).symlink_to(tmp_path / "elsewhere.tsv")
    dialog = StatisticsDialog(story)
    qtbot.addWidget(dialog)
    assert "symbolic link" in dialog.error_label.text()
    assert dialog.error_label.isVisibleTo(dialog)


# ---------------------------------------------------------------- goals in the window


def goal_rows(window) -> dict[str, tuple[int, int] | None]:
    """Goal of each visible row of the tree, by title."""
    view = window.library_panel.view
    found = {}
    proxy = view.model()

    def walk(parent):
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            item = index.data(ItemRole)
            if item.node is not None:
                name = item.node.title
            else:
                name = item.project.title if item.kind == "project" else item.kind
            found[name] = item_goal(index.siblingAtColumn(2))
            walk(index)

    walk(view.rootIndex())
    return found


def test_goal_bars_paint_in_the_words_column(qtbot, make_window, story_library):
    window = make_window(story_library)
    delegate = install_goals(window)
    view = window.library_panel.view
    assert isinstance(view.itemDelegateForColumn(2), GoalDelegate)
    assert delegate is window.goal_delegate
    view.expandAll()
    window.model.fetch_all()
    project = window.project
    qtbot.waitUntil(lambda: window.model.project_words(project) is not None, timeout=5000)
    before = view.grab().toImage()
    low_tide = chapter_ids(project)[0]
    project.set_field("word_goal", ["400"])
    project.set_doc_field(low_tide, "word_goal", ["50"])
    project.save()
    window.model.refresh_counts(project)
    rows = goal_rows(window)
    node = project.tree.find(low_tide)
    assert rows["Harbour Lights"] == (project.total_words(), 400)
    assert rows["Low Tide"] == (project.node_words(node), 50)
    assert rows["Flood"] is None
    after = view.grab().toImage()
    assert after != before  # the bars were drawn


def test_document_goal_in_the_status_bar(qtbot, make_window, story_library):
    window = make_window(story_library)
    install_goals(window)
    bar = window.document_goal
    assert not bar.isVisibleTo(window)
    project, node = window.project, window.node
    project.set_doc_field(node.id, "word_goal", ["200"])
    window.metadata.edited.emit(project)
    assert bar.isVisibleTo(window)
    words = project.node_words(node)  # the chapter and its scene, as in the tree
    assert words > project.words(node.id)
    assert bar.maximum() == 200 and bar.value() == min(words, 200)
    assert f"{words * 100 / 200:.0f}%" in bar.text()
    second = chapter_ids(project)[1]
    window.library_panel.select(project, second)
    assert not bar.isVisibleTo(window)


# ---------------------------------------------------------------- recording in the window


def type_at_end(qtbot, window, text: str) -> None:
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def test_statistics_menu_opens_the_dialog_for_the_current_project(
    qtbot, make_window, story_library
):
    window = make_window(story_library)
    install_statistics(window)
    menu = project_menu(window)
    assert menu is not None and window.statistics_action in menu.actions()
    window.statistics_action.trigger()
    dialog = window.statistics_dialog
    assert dialog.isVisible() and dialog.project is window.project
    again = open_statistics(window)
    assert again is dialog  # one dialog, refreshed
    dialog.close()


def test_saves_become_a_session_that_survives_a_restart(qtbot, make_window, story_library):
    window = make_window(story_library, story_library.path / "harbour-lights")
    tracker = install_statistics(window)
    project = window.project
    project.set_field("word_goal", ["5000"])
    project.set_doc_field(window.node.id, "word_goal", ["300"])
    project.save()
    type_at_end(qtbot, window, " Gulls wheeled overhead")
    assert window.documents.save_all()
    session = tracker.pending(project)[-1]
    assert (session.added, session.removed, session.documents) == (3, 0, 1)
    # A replacement in the same session: "overhead" -> "away".
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.movePosition(cursor.MoveOperation.PreviousWord, cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "away")
    assert window.documents.save_all()
    session = tracker.pending(project)[-1]
    assert (session.added, session.removed) == (4, 1)
    dialog = open_statistics(window)
    assert dialog.today_label.text() == "+3"
    dialog.close()
    tracker.close_all()
    assert [(s.added, s.removed) for s in read_sessions(project)] == [(4, 1)]
    window.close()

    restarted = make_window(Library(story_library.path), story_library.path / "harbour-lights")
    install_statistics(restarted)
    again = restarted.project
    assert again is not project
    assert again.meta.word_goal == 5000
    assert again.tree.find(window.node.id).meta.word_goal == 300
    dialog = open_statistics(restarted)
    assert dialog.today_label.text() == "+3" and dialog.sessions_label.text() == "1"
    assert stats(again).per_day == {date.today(): 3}
    dialog.close()


def test_text_reloaded_from_disk_is_not_counted_as_writing(qtbot, make_window, story_library):
    window = make_window(story_library, story_library.path / "harbour-lights")
    tracker = install_statistics(window)
    opened = window.current
    project = window.project
    type_at_end(qtbot, window, " One two")
    assert window.documents.save_all()
    outside = project.read_text(opened.node_id) + "\nWritten by another program here."
    opened.path.write_text(outside, encoding="utf-8")
    window.documents.check_disk(opened)  # what the file watcher does
    assert window.editor.toPlainText().endswith("another program here.")
    type_at_end(qtbot, window, " Three")
    assert window.documents.save_all()
    (session,) = tracker.pending(project)
    assert (session.added, session.removed) == (3, 0)


def test_an_idle_gap_ends_the_session_in_the_window(qtbot, make_window, story_library):
    window = make_window(story_library, story_library.path / "harbour-lights")
    tracker = install_statistics(window)
    clock = [at(10, 9)]
    project = window.project
    recorder = tracker.recorder(project)
    recorder.clock = lambda: clock[0]
    type_at_end(qtbot, window, " Dawn")
    assert window.documents.save_all()
    clock[0] += timedelta(minutes=45)
    tracker.check_idle()
    assert [(s.added, s.start) for s in read_sessions(project)] == [(1, at(10, 9))]
    assert tracker.pending(project) == []
