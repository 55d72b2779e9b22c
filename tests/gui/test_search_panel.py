"""The search panel in the window: results while typing, the right place opened, and
results that follow saves."""

from __future__ import annotations

from writer.gui.search_panel import HitRole


def open_search(qtbot, window):
    window.show_search()
    qtbot.waitUntil(lambda: window.search.worker is not None, timeout=60_000)
    window.search.worker.flush()
    return window.search_panel


def hit_items(panel):
    items = []
    for i in range(panel.tree.topLevelItemCount()):
        top = panel.tree.topLevelItem(i)
        items += [top.child(j) for j in range(top.childCount())]
    return items


def test_query_opens_the_document_with_the_hit_selected(qtbot, make_window, story_library):
    window = make_window(story_library)
    panel = open_search(qtbot, window)
    panel.query.setText("quay")
    qtbot.waitUntil(lambda: bool(hit_items(panel)), timeout=10_000)
    item = hit_items(panel)[0]
    hit = item.data(0, HitRole)
    assert hit.project_title == "Harbour Lights"
    panel._activated(item)
    assert window.current is not None and window.current.node_id == hit.document
    assert window.editor.textCursor().selectedText().lower() == "quay"


def test_malformed_query_is_a_message(qtbot, make_window, story_library):
    window = make_window(story_library)
    panel = open_search(qtbot, window)
    panel.query.setText('"unclosed phrase')
    panel.run()
    panel.query.setText("title:(")
    panel.run()
    assert panel.status.text().startswith("⚠") or hit_items(panel) == []


def test_saved_text_becomes_searchable(qtbot, make_window, story_library):
    window = make_window(story_library)
    panel = open_search(qtbot, window)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " zanzibarian")
    window.save_everything()
    window.search.worker.flush()
    panel.query.setText("zanzibarian")
    qtbot.waitUntil(lambda: bool(hit_items(panel)), timeout=10_000)
    assert hit_items(panel)[0].data(0, HitRole).document == window.current.node_id


def test_facet_chip_filters_by_project(qtbot, make_window, story_library):
    window = make_window(story_library)
    panel = open_search(qtbot, window)
    panel.query.setText("the")
    panel.run()
    projects = {item.data(0, HitRole).project_title for item in hit_items(panel)}
    assert projects == {"Harbour Lights", "Second Light"}
    panel.filters["project"] = "Second Light"
    panel.run()
    projects = {item.data(0, HitRole).project_title for item in hit_items(panel)}
    assert projects == {"Second Light"}


def test_corrupt_index_is_rebuilt_in_the_background(qtbot, make_window, story_library):
    from writer.search import index_dir_for

    first = make_window(story_library)
    open_search(qtbot, first)
    first.close()
    folder = index_dir_for(story_library.path.absolute())
    damaged = 0
    for file in folder.rglob("*"):
        if file.is_file() and file.suffix in (".toc", ".seg", ".pst", ".trm", ""):
            file.write_bytes(b"\0garbage")
            damaged += 1
    assert damaged
    window = make_window(story_library)
    panel = open_search(qtbot, window)
    assert window.search.index.rebuilt
    panel.query.setText("quay")
    qtbot.waitUntil(lambda: bool(hit_items(panel)), timeout=10_000)
