"""One story written out as text, Markdown, HTML, DOCX, EPUB and an archive download:
every format gives the same metadata, chapters, notes and prose."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from writer.core.importing import parse_path
from writer.render.plaintext import markdown_to_plain

STORY = {
    "title": "The Weaver of Tollan Cross",
    "author": "Maud Pellinore",
    "fandom": "The Loom Cycle",
    "rating": "Teen And Up Audiences",
    "relationship": "Idris/Soren",
    "characters": ["Idris", "Soren", "The Weaver"],
    "tags": ["Slow Burn", "Weaving"],
    "summary": "A tapestry keeps unravelling, and someone keeps putting it back together.",
    "disclaimer": "The Loom Cycle belongs to Eleri Vance.",
    "note": "Spoilers for Book 2, and thanks to everyone who asked for this.",
    "end": "That is the whole story. Thank you for reading.",
    "chapters": [
        {
            "title": "Warp",
            "note": "This chapter is mostly about thread.",
            "scenes": [
                ["The tapestry in the guildhall was unravelling from the *bottom* up.",
                 "Idris noticed it first, because Idris noticed everything."],
                ["At night someone came and wove it back."],
            ],
        },
        {
            "title": "Weft",
            "note": "",
            "scenes": [["Soren was caught with the shuttle still in his hand."]],
        },
    ],
}  # fmt: skip


def _plain_inline(text: str) -> str:
    return text.replace("*", "")


def _html_inline(text: str) -> str:
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", escape(text, quote=False))


def _labels() -> list[tuple[str, str]]:
    return [
        ("Author", STORY["author"]),
        ("Fandom", STORY["fandom"]),
        ("Rating", STORY["rating"]),
        ("Relationship", STORY["relationship"]),
        ("Characters", ", ".join(STORY["characters"])),
        ("Tags", ", ".join(STORY["tags"])),
        ("Summary", STORY["summary"]),
    ]


def write_text(folder: Path) -> Path:
    lines = [f"Title: {STORY['title']}"] + [f"{k}: {v}" for k, v in _labels()]
    out = ["\n".join(lines), f"Disclaimer: {STORY['disclaimer']}", f"A/N: {STORY['note']}"]
    for number, chapter in enumerate(STORY["chapters"], start=1):
        out.append(f"Chapter {number}: {chapter['title']}")
        if chapter["note"]:
            out.append(f"A/N: {chapter['note']}")
        scenes = ["\n\n".join(_plain_inline(p) for p in scene) for scene in chapter["scenes"]]
        out.append("\n\n* * *\n\n".join(scenes))
    out.append(f"End notes: {STORY['end']}")
    file = folder / "weaver.txt"
    file.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return file


def write_markdown(folder: Path) -> Path:
    front = [
        "---",
        f"title: {STORY['title']}",
        f"author: {STORY['author']}",
        f"fandom: {STORY['fandom']}",
        f"rating: {STORY['rating']}",
        f"relationships: [{STORY['relationship']}]",
        "characters:",
        *[f"  - {c}" for c in STORY["characters"]],
        f"tags: [{', '.join(STORY['tags'])}]",
        f"summary: {STORY['summary']}",
        f"disclaimer: {STORY['disclaimer']}",
        "---",
    ]
    out = ["\n".join(front), f"**A/N:** {STORY['note']}"]
    for number, chapter in enumerate(STORY["chapters"], start=1):
        out.append(f"## Chapter {number}: {chapter['title']}")
        if chapter["note"]:
            out.append(f"A/N: {chapter['note']}")
        out.append("\n\n***\n\n".join("\n\n".join(scene) for scene in chapter["scenes"]))
    out.append(f"End notes: {STORY['end']}")
    file = folder / "weaver.md"
    file.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return file


def _html_body(title_tag: str = "h1") -> list[str]:
    body = [f"<{title_tag}>{escape(STORY['title'])}</{title_tag}>"]
    body += [f"<p><b>{k}:</b> {escape(v)}</p>" for k, v in _labels()]
    body.append(f"<p><strong>Disclaimer:</strong> {escape(STORY['disclaimer'])}</p>")
    body.append(f"<p>A/N: {escape(STORY['note'])}</p>")
    return body


def _html_chapter(number: int, chapter: dict) -> list[str]:
    body = [f"<h2>Chapter {number}: {chapter['title']}</h2>"]
    if chapter["note"]:
        body.append(f"<p>A/N: {escape(chapter['note'])}</p>")
    scenes = ["".join(f"<p>{_html_inline(p)}</p>" for p in scene) for scene in chapter["scenes"]]
    body.append("<hr/>".join(scenes))
    return body


def write_html(folder: Path) -> Path:
    body = _html_body()
    for number, chapter in enumerate(STORY["chapters"], start=1):
        body += _html_chapter(number, chapter)
    body.append(f"<p>End notes: {escape(STORY['end'])}</p>")
    file = folder / "weaver.html"
    file.write_text(f"<html><body>{''.join(body)}</body></html>", encoding="utf-8")
    return file


def write_docx(folder: Path, helpers) -> Path:
    lines = [f"T: {STORY['title']}"] + [f"P: {k}: {v}" for k, v in _labels()]
    lines += [f"P: Disclaimer: {STORY['disclaimer']}", f"P: A/N: {STORY['note']}"]
    for number, chapter in enumerate(STORY["chapters"], start=1):
        lines.append(f"H1: Chapter {number}: {chapter['title']}")
        if chapter["note"]:
            lines.append(f"P: A/N: {chapter['note']}")
        for index, scene in enumerate(chapter["scenes"]):
            if index:
                lines.append("BREAK")
            lines += [f"P: {p}" for p in scene]
    lines.append(f"P: End notes: {STORY['end']}")
    return helpers.build_docx("\n".join(lines), folder / "weaver.docx")


def write_epub(folder: Path, helpers) -> Path:
    parts = ["".join(_html_body())]
    for number, chapter in enumerate(STORY["chapters"], start=1):
        chapter_html = _html_chapter(number, chapter)
        if number == len(STORY["chapters"]):
            chapter_html.append(f"<p>End notes: {escape(STORY['end'])}</p>")
        parts.append("".join(chapter_html))
    return helpers.build_epub("\n<!-- part -->\n".join(parts), folder / "weaver.epub")


QUOTE = '<blockquote class="userstuff">'


def write_archive(folder: Path, suffix: str, helpers) -> Path:
    link = '<a href="#">{}</a>'
    tags = "".join(
        f"<dt>{label}:</dt><dd>{', '.join(link.format(escape(v)) for v in values)}</dd>"
        for label, values in [
            ("Rating", [STORY["rating"]]),
            ("Fandom", [STORY["fandom"]]),
            ("Relationship", [STORY["relationship"]]),
            ("Characters", STORY["characters"]),
            ("Additional Tags", STORY["tags"]),
        ]
    )
    preface = (
        '<div id="preface"><p class="message">Posted originally on the Archive of Our Own at '
        '<a href="https://archiveofourown.org/works/161803">link</a>.</p><div class="meta">'
        f'<dl class="tags">{tags}</dl><h1>{escape(STORY["title"])}</h1>'
        f'<div class="byline">by <a rel="author" href="#">{STORY["author"]}</a></div>'
        f"<p>Summary</p>{QUOTE}<p>{escape(STORY['summary'])}</p></blockquote>"
        f"<p>Notes</p>{QUOTE}<p>Disclaimer: {escape(STORY['disclaimer'])}</p>"
        f"<p>{escape(STORY['note'])}</p></blockquote></div></div>"
    )
    chapters = []
    for number, chapter in enumerate(STORY["chapters"], start=1):
        notes = (
            f"<p>Chapter Notes</p>{QUOTE}<p>{escape(chapter['note'])}</p></blockquote>"
            if chapter["note"]
            else ""
        )
        scenes = ["".join(f"<p>{_html_inline(p)}</p>" for p in s) for s in chapter["scenes"]]
        chapters.append(
            f'<div class="meta group"><h2 class="heading">Chapter {number}: {chapter["title"]}</h2>'
            f'{notes}</div><div class="userstuff">{"<p>* * *</p>".join(scenes)}</div>'
        )
    chapters_html = f'<div id="chapters" class="userstuff">{"".join(chapters)}</div>'
    afterword = (
        '<div id="afterword"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff">'
        f"<p>{escape(STORY['end'])}</p></blockquote></div></div>"
    )
    if suffix == ".epub":
        source = "\n<!-- part -->\n".join([preface, chapters_html, afterword])
        return helpers.build_epub(source, folder / "weaver-archive.epub")
    file = folder / "weaver-archive.html"
    file.write_text(
        f"<html><head><title>x</title></head><body>{preface}{chapters_html}{afterword}</body></html>",
        encoding="utf-8",
    )
    return file


WRITERS = {
    "txt": lambda folder, helpers: write_text(folder),
    "md": lambda folder, helpers: write_markdown(folder),
    "html": lambda folder, helpers: write_html(folder),
    "docx": write_docx,
    "epub": write_epub,
    "archive-html": lambda folder, helpers: write_archive(folder, ".html", helpers),
    "archive-epub": lambda folder, helpers: write_archive(folder, ".epub", helpers),
}


def _prose(markdown_text: str) -> str:
    return re.sub(r"\s+", " ", markdown_to_plain(markdown_text)).strip()


def _expected_fields() -> dict:
    return {
        "title": STORY["title"],
        "author": STORY["author"],
        "fandoms": [STORY["fandom"]],
        "rating": STORY["rating"],
        "relationships": [STORY["relationship"]],
        "characters": STORY["characters"],
        "tags": STORY["tags"],
        "summary": STORY["summary"],
        "disclaimer": STORY["disclaimer"],
        "notes_begin": STORY["note"],
        "notes_end": STORY["end"],
        "spoilers": ["Book 2"],
    }


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_format_gives_the_same_story(fmt: str, tmp_path: Path, helpers) -> None:
    work = parse_path(WRITERS[fmt](tmp_path, helpers))[0]
    metadata = work.metadata()
    for key, value in _expected_fields().items():
        assert metadata.get(key) == value, (fmt, key)
    assert [c.title for c in work.chapters] == ["Warp", "Weft"]
    assert [c.notes_begin for c in work.chapters] == [STORY["chapters"][0]["note"], ""]
    assert [c.notes_end for c in work.chapters] == ["", ""]
    assert [len(c.scenes) for c in work.chapters] == [2, 1]
    for chapter, story_chapter in zip(work.chapters, STORY["chapters"], strict=True):
        for scene, paragraphs in zip(chapter.scenes, story_chapter["scenes"], strict=True):
            assert _prose(scene) == _prose("\n\n".join(paragraphs))
    if fmt != "txt":
        assert "*bottom*" in work.chapters[0].scenes[0]
