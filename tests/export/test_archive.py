"""Archive-ready export: only allowed tags and attributes, notes order, field sheet, limits."""

from __future__ import annotations

from html.parser import HTMLParser

from writer.export.archive_export import (
    ARCHIVE_ATTRIBUTES,
    ARCHIVE_TAGS,
    archive_html,
    archive_warnings,
    export,
)
from writer.export.base import ExportOptions
from writer.render.assembled import assemble


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[str]]] = []
        self.anchors: set[str] = set()
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, [name for name, _ in attrs]))
        values = dict(attrs)
        if tag == "a" and values.get("name"):
            self.anchors.add(values["name"])
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.links.add(values["href"][1:])


def check_allowlist(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    for tag, attrs in parser.seen:
        assert tag in ARCHIVE_TAGS, tag
        for attr in attrs:
            assert attr in ARCHIVE_ATTRIBUTES[tag], (tag, attr)
    return parser


def test_output_uses_only_archive_tags_and_attributes(work, tmp_path):
    written = export(work, tmp_path / "out", ExportOptions(per_chapter=True))
    names = sorted(p.name for p in written)
    assert names == ["chapter-01.html", "chapter-02.html", "fields.txt", "work.html"]
    for path in written:
        if path.suffix == ".html":
            html = path.read_text(encoding="utf-8")
            parser = check_allowlist(html)
            assert parser.links <= parser.anchors  # every footnote link has its anchor
            for bad in ("alert(", "SECRET NOTE TEXT", "TRASHED TEXT", "javascript:"):
                assert bad not in html


def test_footnotes_are_rewritten_to_named_anchors():
    html = archive_html("Wrong.[^1]\n\n[^1]: Since the storm.", prefix="c1")
    parser = check_allowlist(html)
    assert parser.links and parser.links <= parser.anchors
    assert "id=" not in html and "class=" not in html
    assert "Since the storm." in html


def test_scene_break_and_emphasis(work, tmp_path):
    (html_path, *_rest) = export(work, tmp_path / "out", ExportOptions())
    html = html_path.read_text(encoding="utf-8")
    assert "<em>harbour</em>" in html
    assert '<p align="center">* * *</p>' in html
    assert "<h2>Chapter 1: Low Tide</h2>" in html


def test_field_sheet_order_and_notes_open_with_disclaimer_and_spoilers(work, tmp_path):
    export(work, tmp_path / "out", ExportOptions())
    sheet = (tmp_path / "out" / "fields.txt").read_text(encoding="utf-8")
    order = [
        "== Rating ==\nTeen And Up Audiences",
        "== Archive Warnings ==\nNo Archive Warnings Apply",
        "== Fandoms ==\nSaltmarsh Station",
        "== Relationships ==\nMara Quill & Tobin Reyes",
        "== Characters ==\nMara Quill, Tobin Reyes",
        "== Additional Tags ==\nStorms, Lighthouses",
        "== Work Title ==\nHarbour Lights",
        "== Summary ==\n<p>A keeper waits out a <em>storm</em>.</p>",
        "== Notes at the beginning ==\n<p><strong>Disclaimer:</strong>",
        "<strong>Spoiler warning:</strong> Spoilers for Season 2.",
        "Written for a winter exchange.",
        "== Notes at the end ==\n<p>Thank you for reading.</p>",
        "---------- Chapter 1 ----------",
        "== Chapter Title ==\nLow Tide",
        "== Chapter Summary ==\n<p>Mara arrives.</p>",
        "== Chapter Notes (beginning) ==\n<p>First chapter note.</p>",
        "== Chapter Notes (end) ==\n<p>First chapter end note.</p>",
        "---------- Chapter 2 ----------",
        "== Chapter Title ==\nFlood",
    ]
    positions = [sheet.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_limits_and_required_fields_reported(story, tmp_path):
    story.set_field("rating", [""])
    story.set_field("summary", ["x" * 1300])
    story.set_field("notes_begin", ["n" * 4990])
    warnings = archive_warnings(assemble(story))
    assert any("rating is required" in w for w in warnings)
    assert any("summary has 1,300 characters" in w for w in warnings)
    assert any("beginning notes (with disclaimer and spoiler warning)" in w for w in warnings)
    export(assemble(story), tmp_path / "out", ExportOptions())
    sheet = (tmp_path / "out" / "fields.txt").read_text(encoding="utf-8")
    assert "CHECK BEFORE POSTING:" in sheet and "rating is required" in sheet
    assert "x" * 1300 in sheet  # reported, never cut
