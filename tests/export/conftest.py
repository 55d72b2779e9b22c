"""A story that exercises everything an export must carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from writer.core.project import Project
from writer.render.assembled import AssembledWork, assemble

CHAPTER_ONE = """\
The *harbour* was empty when Mara came down the hill, and the **bell** was silent.

“You’re late,” said Tobin — not unkindly… He held out a [map](https://example.org/map).

> Keep the lamp lit.
> Whatever comes.

* * *

She counted the boats:

1. the *Heron*
2. the *Gannet*

- rope
- tar

The tide-tables were wrong.[^1]

[^1]: They had been wrong since the storm.
"""

CHAPTER_TWO = """\
Water rose over the quay. <script>alert("x")</script><span onclick="evil()">Still</span> she waited.

[click](javascript:alert(1)) ![remote](https://example.org/x.png)
"""

SCENE = "The lamp burned until morning."


def build_story(folder: Path) -> Project:
    """A two-chapter work in one part, with every kind of metadata an export shows."""
    p = Project.create(folder, "Harbour Lights", first_chapter=False)
    for field, values in {
        "author": ["Wren Aldous"],
        "fandoms": ["Saltmarsh Station"],
        "rating": ["teen"],
        "warnings": ["none"],
        "categories": ["gen"],
        "relationships": ["Mara Quill & Tobin Reyes"],
        "characters": ["Mara Quill", "Tobin Reyes"],
        "tags": ["Storms", "Lighthouses"],
        "summary": ["A keeper waits out a *storm*."],
        "notes_begin": ["Written for a winter exchange."],
        "notes_end": ["Thank you for reading."],
        "disclaimer": ["I don't own Saltmarsh Station."],
        "spoilers": ["Season 2"],
        "spoiler_note": ["Set after the finale."],
        "language": ["en"],
    }.items():
        p.set_field(field, values)
    part = p.add_node("part", "Part One")
    one = p.add_node("chapter", "Low Tide", part.id, text=CHAPTER_ONE)
    p.set_doc_field(one.id, "summary", ["Mara arrives."])
    p.set_doc_field(one.id, "notes_begin", ["First chapter note."])
    p.set_doc_field(one.id, "notes_end", ["First chapter end note."])
    p.add_node("scene", "Night", one.id, text=SCENE)
    p.add_node("note", "Research", one.id, text="SECRET NOTE TEXT")
    p.add_node("chapter", "Flood", part.id, text=CHAPTER_TWO)
    cut = p.add_node("chapter", "Cut", text="TRASHED TEXT")
    p.trash_node(cut.id)
    p.save()
    return p


@pytest.fixture
def story(tmp_path: Path) -> Project:
    return build_story(tmp_path / "harbour-lights")


@pytest.fixture
def work(story: Project) -> AssembledWork:
    return assemble(story)
