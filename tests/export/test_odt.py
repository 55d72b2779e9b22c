"""The OpenDocument export, unzipped and read back with ElementTree."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from writer.export import blocks, odt_export
from writer.export.base import ExportOptions
from writer.export.odt_xml import NS
from writer.render.assembled import AssembledWork, AssembleOptions

MIMETYPE = "application/vnd.oasis.opendocument.text"


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


class Odt:
    """The parsed parts of an exported file, with the look-ups the tests need."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.content = ET.fromstring(self.zip.read("content.xml"))
        self.styles = ET.fromstring(self.zip.read("styles.xml"))
        self.meta = ET.fromstring(self.zip.read("meta.xml"))
        self.manifest = ET.fromstring(self.zip.read("META-INF/manifest.xml"))
        self.body = self.content.find(f"{q('office:body')}/{q('office:text')}")
        self.auto = {
            s.get(q("style:name")): s
            for s in self.content.find(q("office:automatic-styles"))
            if s.tag == q("style:style")
        }
        self.named = {
            s.get(q("style:name")): s
            for s in self.styles.find(q("office:styles"))
            if s.tag in (q("style:style"), q("text:list-style"))
        }

    def paragraphs(self) -> list[ET.Element]:
        return [e for e in self.body.iter() if e.tag in (q("text:p"), q("text:h"))]

    def texts(self) -> list[str]:
        return [text_of(p) for p in self.paragraphs()]

    def find(self, text: str) -> ET.Element:
        return next(p for p in self.paragraphs() if text_of(p) == text)

    def named_style(self, element: ET.Element) -> str:
        """The element's named style, looking through an automatic style to its parent."""
        name = element.get(q("text:style-name"))
        if name in self.auto:
            return self.auto[name].get(q("style:parent-style-name"))
        return name

    def paragraph_properties(self, name: str) -> dict[str, str]:
        style = self.auto.get(name, self.named.get(name))
        props = style.find(q("style:paragraph-properties"))
        return {} if props is None else dict(props.attrib)


def text_of(element: ET.Element) -> str:
    """Text as a reader sees it: text:s as spaces, tabs and line breaks as characters."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == q("text:s"):
            parts.append(" " * int(child.get(q("text:c"), "1")))
        elif child.tag == q("text:tab"):
            parts.append("\t")
        elif child.tag == q("text:line-break"):
            parts.append("\n")
        else:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def expected_texts(work: AssembledWork) -> list[str]:
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


def export(work: AssembledWork, path: Path, options: ExportOptions | None = None) -> Odt:
    assert odt_export.export(work, path, options or ExportOptions()) == [path]
    return Odt(path)


@pytest.fixture
def odt(work: AssembledWork, tmp_path: Path) -> Odt:
    return export(work, tmp_path / "out" / "harbour.odt")


def test_package_layout(odt: Odt) -> None:
    first = odt.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b""
    assert odt.zip.read("mimetype") == MIMETYPE.encode()
    assert odt.zip.testzip() is None
    entries = {
        e.get(q("manifest:full-path")): e.get(q("manifest:media-type")) for e in odt.manifest
    }
    assert entries.pop("/") == MIMETYPE
    listed = set(odt.zip.namelist()) - {"mimetype", "META-INF/manifest.xml"}
    assert set(entries) == listed == {"content.xml", "styles.xml", "meta.xml"}
    assert set(entries.values()) == {"text/xml"}
    assert odt.content.get(q("office:version")) == "1.3"


def test_every_paragraph_in_order(odt: Odt, work: AssembledWork) -> None:
    assert odt.texts() == expected_texts(work)


def test_every_style_used_is_defined(odt: Odt) -> None:
    for element in odt.body.iter():
        name = element.get(q("text:style-name"))
        if name is not None:
            assert name in odt.auto or name in odt.named, name
    for style in odt.auto.values():
        if style.get(q("style:family")) == "paragraph":
            assert style.get(q("style:parent-style-name")) in odt.named
    for style in odt.named.values():
        parent = style.get(q("style:parent-style-name"))
        assert parent is None or parent in odt.named, parent


def test_headings_are_outlined_with_heading_styles(odt: Odt) -> None:
    headings = odt.body.iter(q("text:h"))
    found = [(text_of(h), h.get(q("text:outline-level")), odt.named_style(h)) for h in headings]
    assert found == [
        ("Part One", "1", "Part_20_Heading"),
        ("Chapter 1: Low Tide", "1", "Heading_20_1"),
        ("Chapter 2: Flood", "1", "Heading_20_1"),
    ]
    assert odt.named["Heading_20_1"].get(q("style:display-name")) == "Heading 1"
    assert odt.named["Part_20_Heading"].get(q("style:parent-style-name")) == "Heading_20_1"


def test_paragraph_styles(odt: Odt) -> None:
    assert odt.named_style(odt.find("Harbour Lights")) == "Title"
    assert odt.named_style(odt.find("Mara arrives.")) == "Text_20_body"
    assert odt.named_style(odt.find("Keep the lamp lit.\nWhatever comes.")) == "Quotations"
    assert odt.named_style(odt.find("1. They had been wrong since the storm.")) == "Footnote"
    scene = [p for p in odt.paragraphs() if text_of(p) == "* * *"]
    assert [odt.named_style(p) for p in scene] == ["Scene_20_Break"] * 2
    assert odt.paragraph_properties("Scene_20_Break")[q("fo:text-align")] == "center"


def test_emphasis_spans(odt: Odt) -> None:
    spans = {(text_of(s), s.get(q("text:style-name"))) for s in odt.body.iter(q("text:span"))}
    assert ("harbour", "Emphasis") in spans
    assert ("bell", "Strong_20_Emphasis") in spans
    emphasis = odt.named["Emphasis"].find(q("style:text-properties"))
    assert emphasis.get(q("fo:font-style")) == "italic"
    assert odt.named["Emphasis"].get(q("style:family")) == "text"


def test_spoiler_warning_label_is_bold(odt: Odt) -> None:
    label = odt.find("Spoiler warning:")
    (span,) = list(label)
    assert span.get(q("text:style-name")) == "Strong_20_Emphasis"


def test_page_break_before_each_chapter(odt: Odt) -> None:
    breaking = [
        text_of(p)
        for p in odt.paragraphs()
        if p.get(q("text:style-name")) in odt.auto
        and odt.paragraph_properties(p.get(q("text:style-name"))).get(q("fo:break-before"))
        == "page"
    ]
    assert breaking == ["Part One", "Chapter 1: Low Tide", "Chapter 2: Flood"]


def test_lists_links_and_line_breaks(odt: Odt) -> None:
    lists = list(odt.body.iter(q("text:list")))
    assert [lst.get(q("text:style-name")) for lst in lists] == ["Numbering_20_123", "Bullets"]
    items = [[text_of(p) for p in lst.iter(q("text:p"))] for lst in lists]
    assert items == [["the Heron", "the Gannet"], ["rope", "tar"]]
    (link,) = odt.body.iter(q("text:a"))
    assert link.get(q("xlink:href")) == "https://example.org/map"
    assert text_of(link) == "map"
    quote = odt.find("Keep the lamp lit.\nWhatever comes.")
    assert quote.find(q("text:line-break")) is not None


def test_nested_and_restarted_lists_and_code(work: AssembledWork, tmp_path: Path) -> None:
    work.chapters[
        1
    ].markdown = "1. a\n    - inner\n2. b\n\nText.\n\n3. c\n\n```\n  two  spaces\n```\n"
    odt = export(work, tmp_path / "lists.odt")
    outer = [lst for lst in odt.body if lst.tag == q("text:list")][-2:]
    first_items = outer[0].findall(q("text:list-item"))
    assert len(first_items) == 2
    nested = first_items[0].find(q("text:list"))
    assert nested.get(q("text:style-name")) == "Bullets"
    assert text_of(nested.find(f"{q('text:list-item')}/{q('text:p')}")) == "inner"
    assert outer[1].find(q("text:list-item")).get(q("text:start-value")) == "3"
    code = odt.find("  two  spaces")
    assert odt.named_style(code) == "Preformatted_20_Text"
    assert code.find(f".//{q('text:s')}") is not None


def test_metadata(odt: Odt, work: AssembledWork) -> None:
    meta = odt.meta.find(q("office:meta"))

    def values(tag: str) -> list[str]:
        return [e.text for e in meta.findall(q(tag))]

    assert values("dc:title") == ["Harbour Lights"]
    assert values("dc:creator") == ["Wren Aldous"]
    assert values("dc:subject") == ["Saltmarsh Station"]
    assert values("dc:description") == ["A keeper waits out a storm."]
    assert values("meta:keyword") == ["Storms", "Lighthouses"]
    assert values("dc:language") == ["en"]
    assert values("meta:generator") == ["writer"]
    stats = meta.find(q("meta:document-statistic"))
    assert stats.get(q("meta:word-count")) == str(work.words)


def test_page_layout_and_fonts(work: AssembledWork, tmp_path: Path, odt: Odt) -> None:
    def layout(doc: Odt) -> dict[str, str]:
        props = doc.styles.find(f".//{q('style:page-layout-properties')}")
        return {k.split("}")[1]: v for k, v in props.attrib.items()}

    assert layout(odt)["page-width"] == "21cm" and layout(odt)["margin-left"] == "2.5cm"
    assert odt.styles.find(f".//{q('text:page-number')}") is not None
    options = ExportOptions(
        page_size="Letter", margin_mm=20, page_numbers=False, font_family="Liberation Serif"
    )
    letter = export(work, tmp_path / "letter.odt", options)
    assert layout(letter)["page-width"] == "8.5in" and layout(letter)["margin-top"] == "2cm"
    assert letter.styles.find(f".//{q('text:page-number')}") is None
    default = letter.styles.find(f".//{q('style:default-style')}/{q('style:text-properties')}")
    assert default.get(q("style:font-name")) == "Liberation Serif"
    assert default.get(q("fo:language")) == "en"


def test_options_leave_out_front_matter(work: AssembledWork, tmp_path: Path) -> None:
    options = ExportOptions(
        assemble=AssembleOptions(
            title_page=False, disclaimer=False, spoiler_warning=False, work_notes=False
        )
    )
    texts = export(work, tmp_path / "bare.odt", options).texts()
    assert texts[:3] == ["Harbour Lights", "by Wren Aldous", "Part One"]
    assert "Disclaimer:" not in texts and "End Notes:" not in texts


def test_nothing_hidden_or_unsafe(odt: Odt) -> None:
    everything = "".join(odt.zip.read(n).decode() for n in odt.zip.namelist())
    for text in ("SECRET NOTE TEXT", "TRASHED TEXT", "alert(", "evil(", "javascript:"):
        assert text not in everything


def test_awkward_text_stays_valid_xml(work: AssembledWork, tmp_path: Path) -> None:
    work.meta.title = "Fish & <Chips> \x0b"
    work.chapters[1].markdown = "A & B < C > D \"q\" 'a'\x0c\x01 end"
    odt = export(work, tmp_path / "awkward.odt")
    assert odt.texts()[0] == "Fish & <Chips>"
    assert "A & B < C > D “q” ‘a’ end" in odt.texts()


def test_progress_and_atomic_failure(
    work: AssembledWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int]] = []
    target = tmp_path / "out" / "keep.odt"
    odt_export.export(work, target, ExportOptions(), lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]
    before = target.read_bytes()

    def broken(*args: object, **kwargs: object) -> list[blocks.Block]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(blocks, "end_matter_blocks", broken)
    with pytest.raises(RuntimeError):
        odt_export.export(work, target, ExportOptions())
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["keep.odt"]
