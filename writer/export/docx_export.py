"""Word (.docx) export with python-docx, using real paragraph styles.

Why real styles rather than direct formatting: authors send these files to editors,
beta readers and publishers who restyle the whole manuscript at once and navigate it by
its headings, so the title is in "Title", chapters in "Heading 1", prose in "Normal",
quotes in "Quote" and lists in "List Bullet"/"List Number".  Only what has no built-in
style (scene breaks, labels, metadata, footnotes, code) gets a custom style, still a
named one.

The content and its order come from :mod:`writer.export.blocks` (shared with the ODT
export); this module only maps blocks to styles.  python-docx has no public API for
hyperlinks or restarting list numbers, so those two are written into the XML directly.
The whole document is built in memory and written with :func:`write_output`, so a failed
export never leaves a half-written file behind.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from writer.export import blocks as b
from writer.export.base import ExportOptions, Progress, write_output
from writer.render.assembled import AssembledWork

__all__ = ["build_document", "export"]

CODE_FONT = "Courier New"
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
_PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}

# Styles for the block kinds that map to one style; lists and headings are chosen per block.
_STYLE_OF_KIND = {
    b.TITLE: "Title",
    b.BYLINE: "Subtitle",
    b.META: "Metadata",
    b.LABEL: "Note Label",
    b.PART: "Part Heading",
    b.CHAPTER: "Heading 1",
    b.PARAGRAPH: "Normal",
    b.BLOCKQUOTE: "Quote",
    b.SCENE_BREAK: "Scene Break",
    b.CODE: "Preformatted",
    b.FOOTNOTE: "Footnote",
}


def _setup_styles(document: Document, options: ExportOptions, language: str) -> None:
    """Set the body font and language, and add the custom styles the blocks need."""
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = options.font_family
    normal.font.size = Pt(options.font_size_pt)
    if language:
        # The document default language drives Word's spelling and hyphenation.
        path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang"))
        default_language = styles.element.find(path)
        if default_language is not None:
            default_language.set(qn("w:val"), language)
    for name in ("Title", "Subtitle"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def add(name: str, base: str) -> ParagraphStyle:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        return style

    part = add("Part Heading", "Heading 1")
    part.font.size = Pt(options.font_size_pt * 2)
    part.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    part.paragraph_format.space_before = Pt(144)
    meta = add("Metadata", "Normal")
    meta.paragraph_format.space_after = Pt(2)
    label = add("Note Label", "Normal")
    label.font.bold = True
    label.paragraph_format.keep_with_next = True
    label.paragraph_format.space_before = Pt(12)
    label.paragraph_format.space_after = Pt(2)
    scene = add("Scene Break", "Normal")
    scene.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    scene.paragraph_format.space_before = Pt(12)
    scene.paragraph_format.space_after = Pt(12)
    code = add("Preformatted", "Normal")
    code.font.name = CODE_FONT
    code.font.size = Pt(max(options.font_size_pt - 1, 6))
    code.paragraph_format.line_spacing = 1.0
    note = add("Footnote", "Normal")
    note.font.size = Pt(max(options.font_size_pt - 2, 6))
    note.paragraph_format.space_after = Pt(4)


def _setup_page(document: Document, options: ExportOptions) -> None:
    """Page size and margins from the options, and a centred page number in the footer."""
    section = document.sections[0]
    width, height = _PAGE_SIZES_MM.get(options.page_size, _PAGE_SIZES_MM["A4"])
    section.page_width, section.page_height = Mm(width), Mm(height)
    margin = Mm(options.margin_mm)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    if not options.page_numbers:
        return
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


CORE_PROPERTY_LIMIT = 255


def _property_text(value: str) -> str:
    """Word's document properties hold at most 255 characters; the full text (a long
    summary, many tags) is in the document itself, so the property is shortened."""
    text = b.clean_text(value)
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"


def _set_core_properties(document: Document, work: AssembledWork) -> None:
    """Title, author, subject (fandoms), keywords (tags), comments (summary), language."""
    meta = work.meta
    props = document.core_properties
    authors = ", ".join(a for a in [meta.author, *meta.co_authors] if a)
    summary = "\n".join(block.text for block in b.markdown_to_blocks(meta.summary))
    for name, value in (
        ("title", meta.title),
        ("author", authors),
        ("last_modified_by", authors),
        ("subject", ", ".join(meta.fandoms)),
        ("keywords", ", ".join(meta.tags)),
        ("comments", summary),
        ("language", meta.language),
        ("category", meta.rating),
    ):
        setattr(props, name, _property_text(value))
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = props.modified = now
    props.revision = 1
    # python-docx's template carries a thumbnail of an empty page; file managers would
    # show it as the preview of every exported manuscript.
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package_rels.pop(rel_id)


class _DocxWriter:
    """Appends blocks to a python-docx document, one styled paragraph per block."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._has_content = False
        # Per list level: (numId, last number) of the numbered list open at that level.
        self._numbered: dict[int, tuple[int, int]] = {}
        self._style_ids: dict[str, str] = {}

    def add(self, block: b.Block) -> None:
        style = self._style_name(block)
        paragraph = self.document.add_paragraph()
        if style != "Normal":
            # Set the style id directly: python-docx's lookup by name scans every style
            # for the default one on each call, which made long novels take many seconds.
            if style not in self._style_ids:
                self._style_ids[style] = self.document.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self._style_ids[style]
        if block.page_break and self._has_content:
            paragraph.paragraph_format.page_break_before = True
        if block.kind == b.BLOCKQUOTE:
            paragraph.paragraph_format.left_indent = Mm(10 * block.level)
            paragraph.paragraph_format.right_indent = Mm(10)
        if block.kind == b.LIST_ITEM:
            self._list_numbering(paragraph, block, style)
        else:
            self._numbered.clear()
        _add_runs(paragraph, block.runs)
        self._has_content = True

    def _style_name(self, block: b.Block) -> str:
        if block.kind == b.HEADING:
            return f"Heading {min(max(block.level, 1), 9)}"
        if block.kind == b.LIST_ITEM:
            suffix = "" if block.level <= 1 else f" {min(block.level, 3)}"
            if block.continued:
                return f"List Continue{suffix}"
            return f"List {'Number' if block.list_kind == 'number' else 'Bullet'}{suffix}"
        return _STYLE_OF_KIND.get(block.kind, "Normal")

    def _list_numbering(self, paragraph: Paragraph, block: b.Block, style: str) -> None:
        """Restart numbering for each new ordered list (Word would otherwise count on
        from the previous list with the same style) and honour a list's start number."""
        for deeper in [level for level in self._numbered if level > block.level]:
            del self._numbered[deeper]
        if block.continued or block.list_kind != "number":
            return
        current = self._numbered.get(block.level)
        if current is not None and current[1] == block.number - 1:
            num_id = current[0]
        else:
            num_id = self._new_numbering(style, block.number)
        self._numbered[block.level] = (num_id, block.number)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id

    def _new_numbering(self, style_name: str, start: int) -> int:
        """A fresh numbering instance of the style's list definition, starting at ``start``."""
        numbering = self.document.part.numbering_part.element
        style_num = self.document.styles[style_name].element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId


def _add_runs(paragraph: Paragraph, runs: list[b.Run]) -> None:
    """Add formatted runs; consecutive runs with one link target share one hyperlink."""
    link = None
    link_href = ""
    for run in runs:
        # Run.text turns "\n" into <w:br/> and "\t" into <w:tab/>.
        r = paragraph.add_run(run.text)
        r.italic = run.italic or None
        r.bold = run.bold or None
        if run.strike:
            r.font.strike = True
        if run.superscript:
            r.font.superscript = True
        elif run.subscript:
            r.font.subscript = True
        if run.code:
            r.font.name = CODE_FONT
        if run.underline:
            r.underline = True
        if not run.href:
            link, link_href = None, ""
            continue
        if link is None or run.href != link_href:
            link = _hyperlink(paragraph, run.href)
            link_href = run.href
        r.underline = True
        r.font.color.rgb = LINK_COLOUR
        link.append(r._r)  # moves the run into the hyperlink


def _hyperlink(paragraph: Paragraph, href: str) -> BaseOxmlElement:
    """A ``w:hyperlink`` to an external address, appended to the paragraph."""
    rel_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), rel_id)
    paragraph._p.append(element)
    return element


def build_document(
    work: AssembledWork, options: ExportOptions, progress: Progress | None = None
) -> Document:
    """The whole work as a python-docx document, in the order of the HTML preview."""
    document = docx.Document()
    _setup_styles(document, options, b.clean_text(work.meta.language))
    _setup_page(document, options)
    _set_core_properties(document, work)
    writer = _DocxWriter(document)
    for block in b.document_blocks(work, options.assemble, progress):
        writer.add(block)
    return document


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write the work as one .docx file at ``target`` (atomically) and return [target]."""
    buffer = io.BytesIO()
    build_document(work, options, progress).save(buffer)
    write_output(target, buffer.getvalue())
    return [target]
