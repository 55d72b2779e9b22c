"""OpenDocument text (.odt) export, written with zipfile and ElementTree alone.

Why not odfpy or Qt's ODF writer: Qt's writer leaves out styles.xml and meta.xml (so no
named styles, no title or author), and odfpy is a large dependency for what is a zip of
four small XML files.  Writing the package ourselves keeps real named styles (Heading 1,
Text body, Quotations, Emphasis...), outline levels on headings, and the work's
metadata, all under our control.

The content and its order come from :mod:`writer.export.blocks` (shared with the DOCX
export); this module maps blocks to ODF elements.  The fixed parts (styles, metadata,
manifest) live in :mod:`writer.export.odt_xml`.  The package is built in memory and
written with :func:`write_output`, so a failed export never leaves a half-written file.
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from writer.export import blocks as b
from writer.export.base import ExportOptions, Progress, write_output
from writer.export.odt_xml import (
    CODE_FONT,
    MIMETYPE,
    font_faces,
    manifest_xml,
    meta_xml,
    q,
    root,
    serialise,
    styles_xml,
    sub,
)
from writer.render.assembled import AssembledWork

__all__ = ["build_package", "export"]

_PARAGRAPH_STYLE = {
    b.TITLE: "Title",
    b.BYLINE: "Subtitle",
    b.META: "Metadata",
    b.LABEL: "Note_20_Label",
    b.PART: "Part_20_Heading",
    b.CHAPTER: "Heading_20_1",
    b.PARAGRAPH: "Text_20_body",
    b.BLOCKQUOTE: "Quotations",
    b.LIST_ITEM: "List_20_Paragraph",
    b.SCENE_BREAK: "Scene_20_Break",
    b.CODE: "Preformatted_20_Text",
    b.FOOTNOTE: "Footnote",
}
_LIST_STYLE = {"bullet": "Bullets", "number": "Numbering_20_123"}
# Text styles for a run with exactly one kind of formatting; combinations get automatic
# styles.  Keys are the Run flags in _run_flags order.
_NAMED_TEXT_STYLES = {
    ("italic",): "Emphasis",
    ("bold",): "Strong_20_Emphasis",
    ("code",): "Source_20_Text",
}
_TEXT_PROPERTIES = {
    "italic": {"fo:font-style": "italic"},
    "bold": {"fo:font-weight": "bold"},
    "code": {"style:font-name": CODE_FONT},
    "strike": {"style:text-line-through-style": "solid"},
    "superscript": {"style:text-position": "super 58%"},
    "subscript": {"style:text-position": "sub 58%"},
    "underline": {
        "style:text-underline-style": "solid",
        "style:text-underline-width": "auto",
        "style:text-underline-color": "font-color",
    },
}


@dataclass
class _OpenList:
    """A ``text:list`` still open for more items, at one nesting level."""

    kind: str
    element: ET.Element
    item: ET.Element | None = None
    last_number: int = 0


def _run_flags(run: b.Run) -> tuple[str, ...]:
    return tuple(flag for flag in _TEXT_PROPERTIES if getattr(run, flag))


def _add_string(parent: ET.Element, text: str) -> None:
    """Append character data after whatever ``parent`` already holds."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _ContentWriter:
    """Builds ``office:text`` from blocks, collecting the automatic styles it needs."""

    def __init__(self) -> None:
        self.text = ET.Element(q("office:text"))
        self.automatic: list[ET.Element] = []
        self.paragraphs = 0
        self._paragraph_styles: dict[tuple[str, bool, int], str] = {}
        self._text_styles: dict[tuple[str, ...], str] = {}
        self._lists: list[_OpenList] = []
        self._after_space = True

    # -- styles ------------------------------------------------------------------

    def _paragraph_style(self, block: b.Block) -> str:
        if block.kind == b.HEADING:
            base = f"Heading_20_{min(max(block.level, 1), 6)}"
        else:
            base = _PARAGRAPH_STYLE.get(block.kind, "Text_20_body")
        page_break = block.page_break and self.paragraphs > 0
        indent = block.level if block.kind == b.BLOCKQUOTE and block.level > 1 else 0
        if not page_break and not indent:
            return base
        key = (base, page_break, indent)
        if key not in self._paragraph_styles:
            name = f"P{len(self._paragraph_styles) + 1}"
            style = ET.Element(
                q("style:style"),
                {
                    q("style:name"): name,
                    q("style:family"): "paragraph",
                    q("style:parent-style-name"): base,
                },
            )
            props = sub(style, "style:paragraph-properties")
            if page_break:
                props.set(q("fo:break-before"), "page")
            if indent:
                props.set(q("fo:margin-left"), f"{indent}cm")
            self.automatic.append(style)
            self._paragraph_styles[key] = name
        return self._paragraph_styles[key]

    def _text_style(self, run: b.Run) -> str:
        flags = _run_flags(run)
        if not flags:
            return ""
        if flags in _NAMED_TEXT_STYLES:
            return _NAMED_TEXT_STYLES[flags]
        if flags not in self._text_styles:
            name = f"T{len(self._text_styles) + 1}"
            style = ET.Element(q("style:style"), {q("style:name"): name, q("style:family"): "text"})
            props: dict[str, str] = {}
            for flag in flags:
                props.update(_TEXT_PROPERTIES[flag])
            sub(style, "style:text-properties", props)
            self.automatic.append(style)
            self._text_styles[flags] = name
        return self._text_styles[flags]

    # -- blocks ------------------------------------------------------------------

    def add(self, block: b.Block) -> None:
        parent = self._list_parent(block) if block.kind == b.LIST_ITEM else self.text
        if block.kind != b.LIST_ITEM:
            self._lists.clear()
        style = self._paragraph_style(block)
        if block.kind in (b.CHAPTER, b.PART, b.HEADING):
            level = str(max(block.level, 1))
            attrs = {"text:style-name": style, "text:outline-level": level}
            paragraph = sub(parent, "text:h", attrs)
        else:
            paragraph = sub(parent, "text:p", {"text:style-name": style})
        self._add_runs(paragraph, block.runs)
        self.paragraphs += 1

    def _list_parent(self, block: b.Block) -> ET.Element:
        """The ``text:list-item`` a list block's paragraph goes into, opening and closing
        ``text:list`` elements so the nesting follows ``block.level``."""
        level = max(block.level, 1)
        del self._lists[level:]
        top = self._lists[-1] if len(self._lists) == level else None
        if top is not None and block.continued and top.item is not None:
            return top.item
        if top is not None and (
            top.kind != block.list_kind
            or (block.list_kind == "number" and block.number != top.last_number + 1)
        ):
            self._lists.pop()  # a different list starts at the same level
        while len(self._lists) < level:
            if self._lists:
                outer = self._lists[-1]
                if outer.item is None:
                    outer.item = sub(outer.element, "text:list-item")
                holder = outer.item
            else:
                holder = self.text
            style = _LIST_STYLE.get(block.list_kind, "Bullets")
            element = sub(holder, "text:list", {"text:style-name": style})
            self._lists.append(_OpenList(block.list_kind, element, last_number=0))
        top = self._lists[-1]
        attrs = {}
        if block.list_kind == "number" and not block.continued:
            if block.number != top.last_number + 1:
                attrs["text:start-value"] = str(block.number)
            top.last_number = block.number
        top.item = sub(top.element, "text:list-item", attrs)
        return top.item

    def _add_runs(self, paragraph: ET.Element, runs: list[b.Run]) -> None:
        """Runs as spans, links as ``text:a``; one link element per run of one target."""
        self._after_space = True
        link: ET.Element | None = None
        for run in runs:
            container = paragraph
            if run.href:
                if link is None or link.get(q("xlink:href")) != run.href:
                    link = sub(
                        paragraph,
                        "text:a",
                        {
                            "xlink:type": "simple",
                            "xlink:href": run.href,
                            "text:style-name": "Internet_20_link",
                        },
                    )
                container = link
            else:
                link = None
            style = self._text_style(run)
            if style:
                container = sub(container, "text:span", {"text:style-name": style})
            self._add_text(container, run.text)

    def _add_text(self, parent: ET.Element, text: str) -> None:
        """Text with ODF's white-space rules: a space after a space (or at a line start)
        would collapse, so it becomes ``text:s``; tabs and newlines become elements."""
        chars: list[str] = []
        spaces = 0

        def flush() -> None:
            nonlocal spaces
            _add_string(parent, "".join(chars))
            chars.clear()
            if spaces:
                extra = {"text:c": str(spaces)} if spaces > 1 else {}
                sub(parent, "text:s", extra)
                spaces = 0

        for char in text:
            if char == " ":
                if self._after_space:
                    if chars:
                        flush()
                    spaces += 1
                else:
                    chars.append(" ")
                    self._after_space = True
                continue
            if spaces:
                flush()
            if char in "\n\t":
                flush()
                sub(parent, "text:line-break" if char == "\n" else "text:tab")
                self._after_space = True
            else:
                chars.append(char)
                self._after_space = False
        flush()


def content_xml(writer: _ContentWriter, options: ExportOptions) -> bytes:
    """content.xml around the text the writer built."""
    doc = root("office:document-content")
    font_faces(doc, options)
    sub(doc, "office:automatic-styles").extend(writer.automatic)
    sub(doc, "office:body").append(writer.text)
    return serialise(doc)


def build_package(
    work: AssembledWork, options: ExportOptions, progress: Progress | None = None
) -> bytes:
    """The complete .odt file as bytes, in the order of the HTML preview."""
    writer = _ContentWriter()
    for block in b.document_blocks(work, options.assemble, progress):
        writer.add(block)

    summary = "\n".join(block.text for block in b.markdown_to_blocks(work.meta.summary))
    parts = {
        "content.xml": content_xml(writer, options),
        "styles.xml": styles_xml(options, b.clean_text(work.meta.language)),
        "meta.xml": meta_xml(work, summary, writer.paragraphs),
    }
    stamp = time.localtime()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        # The mimetype must come first and uncompressed, so tools can sniff the type.
        package.writestr(zipfile.ZipInfo("mimetype", stamp), MIMETYPE, zipfile.ZIP_STORED)
        for name, data in parts.items():
            package.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
        manifest = manifest_xml(list(parts))
        package.writestr(
            zipfile.ZipInfo("META-INF/manifest.xml", stamp), manifest, zipfile.ZIP_DEFLATED
        )
    return buffer.getvalue()


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write the work as one .odt file at ``target`` (atomically) and return [target]."""
    write_output(target, build_package(work, options, progress))
    return [target]
