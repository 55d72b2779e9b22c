"""The assembled work: reading order, what is left out, headings, and its HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from writer.core.project import Project
from writer.render.assembled import AssembleOptions, assemble, chapter_heading
from writer.render.work_html import work_to_html


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "work", "Harbour Lights", first_chapter=False)
    p.set_field("author", ["Wren Aldous"])
    p.set_field("fandoms", ["Saltmarsh Station"])
    p.set_field("rating", ["teen"])
    p.set_field("spoilers", ["Season 2", "the finale"])
    p.set_field("spoiler_note", ["Mild, from chapter two on."])
    p.set_field("disclaimer", ["I own nothing but the *boat*."])
    p.set_field("notes_begin", ["Thanks to my beta."])
    p.set_field("notes_end", ["Comments welcome."])
    part = p.add_node("part", "Part One")
    one = p.add_node("chapter", "Low Tide", part.id, text="The *harbour* was empty.")
    p.add_node("scene", "Dock", one.id, text="Ropes creaked.")
    p.add_node("note", "Research", one.id, text="NOTE TEXT NEVER EXPORTED")
    two = p.add_node("chapter", "Chapter Two: Flood", part.id, text="Water rose.")
    p.set_doc_field(two.id, "notes_begin", ["Chapter note."])
    p.set_doc_field(two.id, "summary", ["It floods."])
    gone = p.add_node("chapter", "Cut", text="TRASHED TEXT")
    p.trash_node(gone.id)
    p.add_node("note", "Ideas", text="ANOTHER NOTE")
    p.save()
    return p


def test_reading_order_and_exclusions(project):
    work = assemble(project)
    assert [c.title for c in work.chapters] == ["Low Tide", "Chapter Two: Flood"]
    assert [c.number for c in work.chapters] == [1, 2]
    assert work.chapters[0].part == "Part One"
    assert work.chapters[0].markdown == "The *harbour* was empty.\n\n* * *\n\nRopes creaked.\n"
    html = work_to_html(work)
    assert "NOTE TEXT" not in html and "ANOTHER NOTE" not in html
    assert "TRASHED TEXT" not in html


def test_headings_by_style():
    assert chapter_heading(3, "Flood", "both") == "Chapter 3: Flood"
    assert chapter_heading(3, "Chapter Three", "both") == "Chapter Three"
    assert chapter_heading(3, "Flood", "numbers") == "Chapter 3"
    assert chapter_heading(3, "Flood", "titles") == "Flood"
    assert chapter_heading(3, "", "titles") == "Chapter 3"
    assert chapter_heading(3, "Flood", "none") == ""


def test_spoiler_warning_and_front_matter_in_order(project):
    work = assemble(project)
    assert work.spoiler_text == "Spoilers for Season 2 and the finale. Mild, from chapter two on."
    html = work_to_html(work)
    order = [
        "Harbour Lights",
        "by Wren Aldous",
        "Teen And Up Audiences",
        "Saltmarsh Station",
        "Disclaimer",
        "<em>boat</em>",
        "Spoiler warning",
        "Spoilers for Season 2 and the finale.",
        "Thanks to my beta.",
        "Part One",
        "Chapter 1: Low Tide",
        "<em>harbour</em>",
        'class="scene-break"',
        "Chapter Two: Flood",
        "It floods.",
        "Chapter note.",
        "Water rose.",
        "Comments welcome.",
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert 'class="spoiler-warning"' in html


def test_options_leave_parts_out(project):
    options = AssembleOptions(disclaimer=False, spoiler_warning=False, work_notes=False)
    options.chapter_notes = False
    html = work_to_html(assemble(project, options))
    assert "Disclaimer" not in html
    assert "Spoilers for" not in html
    assert "Thanks to my beta." not in html and "Chapter note." not in html


def test_chapter_subset(project):
    second = project.tree.roots[0].children[1].id
    work = assemble(project, AssembleOptions(chapter_ids=[second]))
    assert [c.number for c in work.chapters] == [2]
    assert work.total_chapters == 2


def test_work_without_chapters_is_one_body(tmp_path):
    p = Project.create(tmp_path / "oneshot", "Loose", first_chapter=False)
    p.add_node("scene", "A", text="First scene.")
    p.add_node("scene", "B", text="Second scene.")
    p.save()
    work = assemble(p)
    assert len(work.chapters) == 1 and work.is_single
    assert work.chapters[0].heading == ""
    assert work.chapters[0].markdown == "First scene.\n\n* * *\n\nSecond scene.\n"


def test_chapter_count_label(project):
    work = assemble(project)
    assert work.chapter_count_label == "2/?"
    project.set_field("chapters_expected", ["5"])
    assert assemble(project).chapter_count_label == "2/5"
    project.set_field("chapters_expected", [""])
    project.set_field("posting", ["complete"])
    assert assemble(project).chapter_count_label == "2/2"


def test_metadata_is_escaped(tmp_path):
    p = Project.create(tmp_path / "x", "<script>alert(1)</script>")
    p.set_field("tags", ['"><img src=x onerror=alert(1)>'])
    html = work_to_html(assemble(p))
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
