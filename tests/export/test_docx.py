"""The Word export, read back with python-docx and as raw XML."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from writer.export import blocks, docx_export
from writer.export.base import ExportOptions
from writer.render.assembled import AssembledWork, AssembleOptions


def body_after_title_page(work: AssembledWork) -> list[str]:
    """Every paragraph after the title page, in reading order."""
    return [
        "Part One",
        "Chapter 1: Low Tide",
        "Chapter Summary:",
        "Mara arrives.",
        "Chapter Notes:",
        "First chapter note.",
        "The harbour was empty when Mara came down the hill, and the bell was silent.",
        "“You’re late,” said Tobin — not unkindly… He held out a map.",
        "Keep the lamp lit.\nWhatever comes.",
        "* * *",
        "She counted the boats:",
        "the Heron",
        "the Gannet",
        "rope",
        "tar",
        "The tide-tables were wrong.1",
        "* * *",
        "The lamp burned until morning.",
        "1. They had been wrong since the storm.",
        "Chapter End Notes:",
        "First chapter end note.",
        "Chapter 2: Flood",
        "Water rose over the quay. Still she waited.",
        "click [remote]",
        "End Notes:",
        "Thank you for reading.",
    ]


def title_page(work: AssembledWork) -> list[str]:
    meta = work.meta
    return [
        "Harbour Lights",
        "by Wren Aldous",
        f"Rating: {meta.rating}",
        f"Archive Warnings: {', '.join(meta.warnings)}",
        f"Categories: {', '.join(meta.categories)}",
        "Fandoms: Saltmarsh Station",
        "Relationships: Mara Quill & Tobin Reyes",
        "Characters: Mara Quill, Tobin Reyes",
        "Additional Tags: Storms, Lighthouses",
        "Language: en",
        f"Words: {work.words:,}",
        f"Chapters: {work.chapter_count_label}",
        "Summary:",
        "A keeper waits out a storm.",
        "Disclaimer:",
        "I don’t own Saltmarsh Station.",
        "Spoiler warning:",
        "Spoilers for Season 2. Set after the finale.",
        "Notes:",
        "Written for a winter exchange.",
    ]


def export(work: AssembledWork, path: Path, options: ExportOptions | None = None):
    written = docx_export.export(work, path, options or ExportOptions())
    assert written == [path]
    return docx.Document(str(path))


@pytest.fixture
def document(work: AssembledWork, tmp_path: Path):
    return export(work, tmp_path / "out" / "harbour.docx")


def paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def test_every_paragraph_in_order(document, work: AssembledWork) -> None:
    assert [p.text for p in document.paragraphs] == title_page(work) + body_after_title_page(work)


def test_named_styles(document) -> None:
    assert paragraph(document, "Harbour Lights").style.name == "Title"
    assert paragraph(document, "by Wren Aldous").style.name == "Subtitle"
    assert paragraph(document, "Chapter 1: Low Tide").style.name == "Heading 1"
    assert paragraph(document, "Chapter 2: Flood").style.name == "Heading 1"
    assert paragraph(document, "Part One").style.base_style.name == "Heading 1"
    assert paragraph(document, "Mara arrives.").style.name == "Normal"
    assert paragraph(document, "Keep the lamp lit.\nWhatever comes.").style.name == "Quote"
    assert paragraph(document, "the Heron").style.name == "List Number"
    assert paragraph(document, "rope").style.name == "List Bullet"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Chapter 1: Low Tide", "Chapter 2: Flood"]


def test_metadata_labels_bold_and_spoiler_warning_marked(document) -> None:
    rating = next(p for p in document.paragraphs if p.text.startswith("Rating: "))
    assert rating.runs[0].text == "Rating: " and rating.runs[0].bold
    label = paragraph(document, "Spoiler warning:")
    assert all(run.bold for run in label.runs)
    texts = [p.text for p in document.paragraphs]
    warning = texts.index("Spoiler warning:")
    assert texts[warning + 1] == "Spoilers for Season 2. Set after the finale."


def test_emphasis_kept(document) -> None:
    runs = [run for p in document.paragraphs for run in p.runs]
    assert any(run.text == "harbour" and run.italic for run in runs)
    assert any(run.text == "bell" and run.bold for run in runs)
    assert any(run.text == "storm" and run.italic for run in runs)  # summary Markdown
    assert any(run.text == "1" and run.font.superscript for run in runs)


def test_scene_breaks_centred(document) -> None:
    breaks = [p for p in document.paragraphs if p.text == "* * *"]
    assert len(breaks) == 2
    for p in breaks:
        assert p.style.name == "Scene Break"
        assert p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_page_breaks_before_chapters_only(document) -> None:
    starting = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert starting == ["Part One", "Chapter 1: Low Tide", "Chapter 2: Flood"]


def test_core_properties(document) -> None:
    props = document.core_properties
    assert props.title == "Harbour Lights"
    assert props.author == "Wren Aldous"
    assert props.subject == "Saltmarsh Station"
    assert props.keywords == "Storms, Lighthouses"
    assert props.comments == "A keeper waits out a storm."
    assert props.language == "en"
    lang = document.styles.element.find(".//" + qn("w:rPrDefault") + "//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en"  # spelling and hyphenation language


def test_link_is_a_real_hyperlink(work: AssembledWork, tmp_path: Path) -> None:
    path = tmp_path / "linked.docx"
    export(work, path)
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "<w:hyperlink" in xml and ">map</w:t>" in xml
    assert 'Target="https://example.org/map" TargetMode="External"' in rels
    assert "https://example.org/map" not in xml  # the address is not in the text


def test_nothing_hidden_or_unsafe(work: AssembledWork, tmp_path: Path) -> None:
    path = tmp_path / "safe.docx"
    export(work, path)
    with zipfile.ZipFile(path) as package:
        everything = "".join(
            package.read(name).decode("utf-8", "replace") for name in package.namelist()
        )
    for text in ("SECRET NOTE TEXT", "TRASHED TEXT", "alert(", "evil(", "javascript:"):
        assert text not in everything
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(path).namelist()


def test_numbered_lists_restart(work: AssembledWork, tmp_path: Path) -> None:
    work.chapters[1].markdown = "1. a\n2. b\n\nText.\n\n1. c\n\n- d\n\n5. e\n"
    document = export(work, tmp_path / "lists.docx")

    def num_id(text: str) -> int:
        return paragraph(document, text)._p.pPr.numPr.numId.val

    assert num_id("a") == num_id("b")
    assert len({num_id("a"), num_id("c"), num_id("e")}) == 3
    numbering = document.part.numbering_part.element
    start = numbering.num_having_numId(num_id("e")).lvlOverride_lst[0].startOverride.val
    assert start == 5


def test_options(work: AssembledWork, tmp_path: Path) -> None:
    options = ExportOptions(
        assemble=AssembleOptions(
            title_page=False, disclaimer=False, spoiler_warning=False, work_notes=False,
            scene_break="~",
        ),
        page_size="Letter",
        margin_mm=20,
        font_family="Liberation Serif",
        font_size_pt=12,
    )  # fmt: skip
    document = export(work, tmp_path / "plain.docx", options)
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["Harbour Lights", "by Wren Aldous", "Part One"]
    for gone in ("Disclaimer:", "Spoiler warning:", "Notes:", "End Notes:", "Summary:"):
        assert gone not in texts
    assert texts.count("~") == 2
    section = document.sections[0]
    assert round(section.page_width.mm) == 216 and round(section.page_height.mm) == 279
    assert abs(section.left_margin - Mm(20)) < Mm(0.1)
    normal = document.styles["Normal"].font
    assert normal.name == "Liberation Serif" and normal.size.pt == 12


def test_one_shot_without_heading(work: AssembledWork, tmp_path: Path) -> None:
    work.chapters = work.chapters[1:]
    work.chapters[0].heading = ""
    work.chapters[0].part = ""
    document = export(work, tmp_path / "oneshot.docx")
    assert not [p for p in document.paragraphs if p.style.name == "Heading 1"]
    first = paragraph(document, "Water rose over the quay. Still she waited.")
    assert first.paragraph_format.page_break_before


def test_progress_reported_per_chapter(work: AssembledWork, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    docx_export.export(work, tmp_path / "p.docx", ExportOptions(), lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]


def test_failed_export_leaves_existing_file(
    work: AssembledWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "keep.docx"
    target.parent.mkdir()
    target.write_bytes(b"previous version")
    original = blocks.chapter_blocks

    def fail_on_second(chapter, options, **kwargs):
        if chapter.number == 2:
            raise RuntimeError("disk on fire")
        return original(chapter, options, **kwargs)

    monkeypatch.setattr(blocks, "chapter_blocks", fail_on_second)
    with pytest.raises(RuntimeError):
        docx_export.export(work, target, ExportOptions())
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in target.parent.iterdir()] == ["keep.docx"]
