"""The bundled sample library: it loads cleanly and shows off what the format holds."""

from __future__ import annotations

import json

from writer.cli import main
from writer.core.library import Library
from writer.core.limits import check_work
from writer.render.assembled import assemble
from writer.render.work_html import work_to_html


def test_three_samples_load_without_orphans(sample_library):
    entries = list(Library(sample_library).entries())
    assert [e.error for e in entries] == ["", "", ""]
    titles = sorted(e.project.title for e in entries)
    assert titles == ["The Lighthouse Keeper", "The Ninth Bell", "What the Tide Keeps"]
    for entry in entries:
        assert entry.project.orphan_documents() == []
        assert entry.project.total_words() > 500
        assert not (entry.path / ".writer.lock").exists()


def test_fan_fiction_sample_carries_every_kind_of_note(sample_library):
    project = Library(sample_library).open("What the Tide Keeps")
    meta = project.meta
    assert meta.disclaimer.startswith("I don’t own Saltmarsh Station")
    assert meta.spoilers == ["Season 2"]
    assert meta.spoiler_note and meta.notes_begin and meta.notes_end
    assert meta.rating == "Teen And Up Audiences"
    assert (meta.series[0].name, meta.series[0].part) == ("Low Tide Letters", 1)
    assert check_work(meta) == []
    chapters = [n for n in project.tree.roots if n.kind == "chapter"]
    assert len(chapters) == 4
    assert any(c.meta.notes_begin for c in chapters)
    assert any(child.kind == "scene" for c in chapters for child in c.children)
    html = work_to_html(assemble(project))
    assert 'class="spoiler-warning"' in html and 'class="scene-break"' in html
    assert 'class="footnote"' in html


def test_draft_sample_has_parts_and_notes(sample_library):
    project = Library(sample_library).open("The Ninth Bell")
    kinds = [n.kind for n in project.tree.walk()]
    assert "part" in kinds and kinds.count("note") >= 3
    assert project.meta.status == "draft" and project.meta.fandoms == ["Original Work"]


def test_opening_a_fresh_clone_of_the_samples_changes_no_byte(sample_library):
    """A clone gives every file a new mtime: counts are re-verified in memory, and neither
    counting nor saving nor closing rewrites project.json (git stays clean)."""
    import os

    for folder in Library(sample_library).project_dirs():
        for doc in (folder / "docs").iterdir():
            os.utime(doc, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    for project in Library(sample_library).projects():
        before = (project.path / "project.json").read_bytes()
        assert project.total_words() > 500
        assert project.save() is False
        project.close()
        assert (project.path / "project.json").read_bytes() == before


def test_cli_lists_and_describes_the_samples(sample_library, capsys):
    assert main(["list", "--json", "--library", str(sample_library)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["title"] for r in rows} == {
        "The Lighthouse Keeper",
        "The Ninth Bell",
        "What the Tide Keeps",
    }
    assert main(["info", "The Ninth Bell", "--library", str(sample_library)]) == 0
    assert "Part One" in capsys.readouterr().out
