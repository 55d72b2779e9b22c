"""Markdown, plain text and HTML exports: everything present, in order, and nothing unsafe."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from writer.export.base import ExportOptions
from writer.export.formats import FORMATS, get_format
from writer.render.assembled import AssembleOptions, assemble

IN_ORDER = [
    "Harbour Lights",
    "Wren Aldous",
    "Saltmarsh Station",
    "A keeper waits out a",
    "Disclaimer",
    "own Saltmarsh Station.",
    "Spoiler warning",
    "Spoilers for Season 2. Set after the finale.",
    "Written for a winter exchange.",
    "Part One",
    "Chapter 1: Low Tide",
    "Mara arrives.",
    "First chapter note.",
    "was empty when Mara came down the hill",
    "Keep the lamp lit.",
    "She counted the boats:",
    "The tide-tables were wrong.",
    "The lamp burned until morning.",
    "First chapter end note.",
    "Chapter 2: Flood",
    "Water rose over the quay.",
    "Thank you for reading.",
]
NEVER = ["SECRET NOTE TEXT", "TRASHED TEXT", "alert(", "<script", "onclick", "javascript:"]


def assert_in_order(text: str, markers: list[str]) -> None:
    positions = []
    for marker in markers:
        assert marker in text, f"{marker!r} missing"
        positions.append(text.index(marker, positions[-1] if positions else 0))
    assert positions == sorted(positions)


def export_to(work, tmp_path: Path, name: str, options: ExportOptions | None = None) -> Path:
    fmt = get_format(name)
    target = tmp_path / f"out{fmt.extension}"
    (written,) = fmt.exporter()(work, target, options or ExportOptions())
    return written


@pytest.mark.parametrize("name", ["md", "txt", "html"])
def test_everything_in_order_and_nothing_unsafe(work, tmp_path, name):
    text = export_to(work, tmp_path, name).read_text(encoding="utf-8")
    assert_in_order(text, IN_ORDER)
    for bad in NEVER:
        assert bad not in text


def test_markdown_keeps_markup(work, tmp_path):
    text = export_to(work, tmp_path, "md").read_text(encoding="utf-8")
    assert "The *harbour* was empty" in text
    assert "**bell**" in text
    assert "[map](https://example.org/map)" in text
    assert "[^1]: They had been wrong since the storm." in text
    assert "\n* * *\n" in text
    assert "## Chapter 2: Flood" in text
    assert "<span>Still</span>" in text  # the harmless tag stays, its handler goes


def test_text_has_no_markup(work, tmp_path):
    text = export_to(work, tmp_path, "txt").read_text(encoding="utf-8")
    assert "*harbour*" not in text and "The harbour was empty" in text
    assert "**" not in text and "](" not in text and "<" not in text
    assert "* * *" in text  # scene breaks stay visible
    assert "[1] They had been wrong since the storm." in text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_a_standalone_styled_page(work, tmp_path):
    text = export_to(work, tmp_path, "html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in text
    assert "<title>Harbour Lights</title>" in text
    assert "<style>" in text and "@text@" not in text
    assert "<em>harbour</em>" in text and "<strong>bell</strong>" in text
    assert 'class="spoiler-warning"' in text
    parser = _Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), tag
        if tag == "img":
            assert "src" not in attrs  # remote images never load


def test_options_leave_things_out(work, story, tmp_path):
    options = ExportOptions(
        assemble=AssembleOptions(disclaimer=False, spoiler_warning=False, headings="numbers")
    )
    text = export_to(assemble(story, options.assemble), tmp_path, "md", options).read_text(
        encoding="utf-8"
    )
    assert "Disclaimer" not in text and "Spoiler warning" not in text
    assert "## Chapter 1\n" in text and "Low Tide" not in text


def test_every_format_is_registered():
    assert set(FORMATS) == {"md", "txt", "html", "ao3", "epub", "docx", "odt", "pdf"}


def test_existing_file_replaced_only_when_complete(work, tmp_path, monkeypatch):
    target = tmp_path / "out.md"
    target.write_text("OLD", encoding="utf-8")

    def boom(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("writer.core.atomic.os.replace", boom)
    with pytest.raises(OSError):
        get_format("md").exporter()(work, target, ExportOptions())
    assert target.read_text(encoding="utf-8") == "OLD"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
