"""The fixed parts of an ODT package: namespaces, styles.xml, meta.xml and the manifest.

Kept apart from :mod:`writer.export.odt_export` (which writes the text itself) because
these parts depend only on the export options and the work's metadata.  Everything is
built with :mod:`xml.etree.ElementTree`, so every value is escaped by the serialiser and
the output is well-formed by construction.

Style names follow LibreOffice's own (``Text_20_body`` is displayed as "Text body",
``Heading_20_1`` as "Heading 1", ``Quotations``, ``Emphasis``...), so a document opened in
LibreOffice uses the styles an author already knows instead of duplicates of them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from writer.export.base import ExportOptions
from writer.export.blocks import clean_text
from writer.render.assembled import AssembledWork

ODF_VERSION = "1.3"
MIMETYPE = "application/vnd.oasis.opendocument.text"
CODE_FONT = "Courier New"

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

_PAGE_SIZES = {"A4": ("21cm", "29.7cm"), "Letter": ("8.5in", "11in")}


def q(name: str) -> str:
    """``"text:p"`` in ElementTree's ``{uri}p`` form."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def sub(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None) -> ET.Element:
    """Append a child element; attribute names are prefixed (``"style:name"``)."""
    return ET.SubElement(parent, q(tag), {q(k): v for k, v in (attrs or {}).items()})


def root(tag: str) -> ET.Element:
    """A document root carrying ``office:version``."""
    return ET.Element(q(tag), {q("office:version"): ODF_VERSION})


def serialise(element: ET.Element) -> bytes:
    """UTF-8 XML with its declaration."""
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def style_name(display: str) -> str:
    """LibreOffice's encoding of a display name: ``"Text body"`` -> ``"Text_20_body"``."""
    return display.replace(" ", "_20_")


def font_faces(parent: ET.Element, options: ExportOptions) -> None:
    """Declare the body and code fonts (each XML part that names a font declares it)."""
    decls = sub(parent, "office:font-face-decls")
    for family in dict.fromkeys([options.font_family, CODE_FONT]):
        sub(decls, "style:font-face", {"style:name": family, "svg:font-family": f"'{family}'"})


def _language_attrs(language: str) -> dict[str, str]:
    """``fo:language``/``fo:country`` from a tag such as ``en`` or ``en-GB``."""
    parts = language.replace("_", "-").split("-")
    if not parts[0].isalpha():
        return {}
    attrs = {"fo:language": parts[0].lower()}
    if len(parts) > 1 and parts[1].isalpha() and len(parts[1]) == 2:
        attrs["fo:country"] = parts[1].upper()
    return attrs


def _attrs(spec: str, **values: str) -> dict[str, str]:
    """``"fo:text-align=center fo:margin-top=4cm"`` as a dict, plus ``values`` given as
    keyword arguments (``style__font_name=...`` for ``style:font-name``)."""
    attrs = dict(item.split("=", 1) for item in spec.split())
    attrs.update({k.replace("__", ":").replace("_", "-"): v for k, v in values.items()})
    return attrs


def _paragraph_style(
    styles: ET.Element, display: str, parent: str, cls: str, paragraph: str, text: str = ""
) -> ET.Element:
    """A named paragraph style; ``paragraph`` and ``text`` are :func:`_attrs` specs."""
    attrs = {"style:name": style_name(display), "style:family": "paragraph", "style:class": cls}
    if display != style_name(display):
        attrs["style:display-name"] = display
    if parent:
        attrs["style:parent-style-name"] = style_name(parent)
    style = sub(styles, "style:style", attrs)
    if paragraph:
        sub(style, "style:paragraph-properties", _attrs(paragraph))
    if text:
        sub(style, "style:text-properties", _attrs(text))
    return style


def _text_style(styles: ET.Element, display: str, text: dict[str, str]) -> None:
    attrs = {"style:name": style_name(display), "style:family": "text"}
    if display != style_name(display):
        attrs["style:display-name"] = display
    sub(sub(styles, "style:style", attrs), "style:text-properties", text)


def _list_style(styles: ET.Element, display: str, numbered: bool) -> None:
    """A ten-level list style: bullets or ``1.`` numbers, indented 0.635 cm per level."""
    attrs = {"style:name": style_name(display)}
    if display != style_name(display):
        attrs["style:display-name"] = display
    lst = sub(styles, "text:list-style", attrs)
    for level in range(1, 11):
        if numbered:
            item = sub(
                lst,
                "text:list-level-style-number",
                {
                    "text:level": str(level),
                    "style:num-suffix": ".",
                    "style:num-format": "1",
                },
            )
        else:
            bullet = "•◦▪"[(level - 1) % 3]
            item = sub(
                lst,
                "text:list-level-style-bullet",
                {
                    "text:level": str(level),
                    "text:bullet-char": bullet,
                },
            )
        props = sub(
            item,
            "style:list-level-properties",
            {
                "text:list-level-position-and-space-mode": "label-alignment",
            },
        )
        indent = f"{0.635 * (level + 1):.3f}cm"
        sub(
            props,
            "style:list-level-label-alignment",
            {
                "text:label-followed-by": "listtab",
                "text:list-tab-stop-position": indent,
                "fo:text-indent": "-0.635cm",
                "fo:margin-left": indent,
            },
        )


def _outline_style(styles: ET.Element) -> None:
    """Headings take part in the outline (navigator, table of contents) without numbers."""
    outline = sub(styles, "text:outline-style", {"style:name": "Outline"})
    for level in range(1, 11):
        sub(
            outline,
            "text:outline-level-style",
            {
                "text:level": str(level),
                "style:num-format": "",
            },
        )


def _named_paragraph_styles(size: float) -> list[tuple[str, str, str, str, str]]:
    """(display name, parent, class, paragraph properties, text properties) of every
    paragraph style, sized from the body font size."""

    def pt(scale: float, minus: float = 0) -> str:
        return f"{max(size * scale - minus, 6):g}pt"

    heading = [
        (f"Heading {n}", "Heading", "text", "", f"fo:font-size={pt(scale)} fo:font-weight=bold")
        for n, scale in enumerate([1.8, 1.5, 1.3, 1.15, 1.05, 1.0], start=1)
    ]
    return [
        ("Standard", "", "text", "", ""),
        ("Text body", "Standard", "text",
         "fo:margin-top=0cm fo:margin-bottom=0.247cm fo:line-height=115%", ""),
        ("Heading", "Standard", "text",
         "fo:margin-top=0.423cm fo:margin-bottom=0.212cm fo:keep-with-next=always",
         f"fo:font-size={pt(1.3)}"),
        *heading,
        ("Part Heading", "Heading 1", "text",
         "fo:text-align=center fo:margin-top=4cm fo:margin-bottom=1cm",
         f"fo:font-size={pt(2.2)}"),
        ("Title", "Heading", "chapter", "fo:text-align=center",
         f"fo:font-size={pt(2.5)} fo:font-weight=bold"),
        ("Subtitle", "Heading", "chapter", "fo:text-align=center fo:margin-bottom=0.8cm",
         f"fo:font-size={pt(1.4)}"),
        ("Metadata", "Standard", "extra", "fo:margin-top=0cm fo:margin-bottom=0.07cm", ""),
        ("Note Label", "Text body", "extra",
         "fo:margin-top=0.42cm fo:margin-bottom=0.07cm fo:keep-with-next=always",
         "fo:font-weight=bold"),
        ("Quotations", "Standard", "html",
         "fo:margin-left=1cm fo:margin-right=1cm fo:margin-top=0cm fo:margin-bottom=0.283cm",
         ""),
        ("Scene Break", "Text body", "text",
         "fo:text-align=center fo:margin-top=0.42cm fo:margin-bottom=0.42cm", ""),
        ("List Paragraph", "Text body", "list", "fo:margin-top=0cm fo:margin-bottom=0.1cm", ""),
        ("Preformatted Text", "Standard", "html", "fo:margin-top=0cm fo:margin-bottom=0.247cm",
         f"fo:font-size={pt(1, 1)}"),
        ("Footnote", "Standard", "extra",
         "fo:margin-left=0.5cm fo:text-indent=-0.5cm fo:margin-top=0cm fo:margin-bottom=0.1cm",
         f"fo:font-size={pt(1, 2)}"),
        ("Footer", "Standard", "extra", "fo:text-align=center", ""),
    ]  # fmt: skip


def styles_xml(options: ExportOptions, language: str) -> bytes:
    """styles.xml: the named styles every block maps to, the page layout and footer."""
    doc = root("office:document-styles")
    font_faces(doc, options)
    styles = sub(doc, "office:styles")
    default = sub(styles, "style:default-style", {"style:family": "paragraph"})
    sub(default, "style:paragraph-properties", {"style:writing-mode": "page"})
    sub(default, "style:text-properties", _attrs(
        f"fo:font-size={options.font_size_pt:g}pt", style__font_name=options.font_family,
        **_language_attrs(language),
    ))  # fmt: skip
    for display, parent, cls, paragraph, text in _named_paragraph_styles(options.font_size_pt):
        style = _paragraph_style(styles, display, parent, cls, paragraph, text)
        if display.startswith("Heading "):
            style.set(q("style:default-outline-level"), display.split()[1])
        elif display == "Heading":
            style.set(q("style:next-style-name"), "Text_20_body")
        elif display == "Preformatted Text":
            # Font names hold spaces, so they cannot go in an _attrs spec.
            style.find(q("style:text-properties")).set(q("style:font-name"), CODE_FONT)
    for name, spec, values in [
        ("Emphasis", "fo:font-style=italic", {}),
        ("Strong Emphasis", "fo:font-weight=bold", {}),
        ("Source Text", "", {"style__font_name": CODE_FONT}),
        ("Internet link", "fo:color=#000080 style:text-underline-style=solid "
         "style:text-underline-width=auto style:text-underline-color=font-color", {}),
    ]:  # fmt: skip
        _text_style(styles, name, _attrs(spec, **values))
    _list_style(styles, "Bullets", numbered=False)
    _list_style(styles, "Numbering 123", numbered=True)
    _outline_style(styles)

    automatic = sub(doc, "office:automatic-styles")
    width, height = _PAGE_SIZES.get(options.page_size, _PAGE_SIZES["A4"])
    margin = f"{options.margin_mm / 10:g}cm"
    layout = sub(automatic, "style:page-layout", {"style:name": "pm1"})
    sub(layout, "style:page-layout-properties", _attrs(
        f"fo:page-width={width} fo:page-height={height} style:print-orientation=portrait "
        f"fo:margin-top={margin} fo:margin-bottom={margin} fo:margin-left={margin} "
        f"fo:margin-right={margin}"
    ))  # fmt: skip
    footer_style = sub(layout, "style:footer-style")
    sub(footer_style, "style:header-footer-properties",
        _attrs("fo:min-height=0cm fo:margin-top=0.4cm"))  # fmt: skip
    masters = sub(doc, "office:master-styles")
    master = sub(masters, "style:master-page",
                 {"style:name": "Standard", "style:page-layout-name": "pm1"})  # fmt: skip
    if options.page_numbers:
        footer = sub(sub(master, "style:footer"), "text:p", {"text:style-name": "Footer"})
        sub(footer, "text:page-number", {"text:select-page": "current"}).text = "1"
    return serialise(doc)


def _odf_date(value: str) -> str:
    """An ISO timestamp as ODF wants it (no ``Z``), or now when ``value`` is unusable."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat()


def meta_xml(work: AssembledWork, description: str, paragraphs: int) -> bytes:
    """meta.xml: title, author, fandoms as subject, summary, tags, language, statistics."""
    meta = work.meta
    doc = root("office:document-meta")
    office_meta = sub(doc, "office:meta")
    authors = ", ".join(a for a in [meta.author, *meta.co_authors] if a)
    values = [
        ("meta:generator", "writer"),
        ("dc:title", meta.title),
        ("dc:creator", authors),
        ("meta:initial-creator", authors),
        ("dc:subject", ", ".join(meta.fandoms)),
        ("dc:description", description),
        *[("meta:keyword", tag) for tag in meta.tags],
        ("dc:language", meta.language),
        ("meta:creation-date", _odf_date(meta.created)),
        ("dc:date", _odf_date(datetime.now(UTC).isoformat())),
    ]
    for tag, value in values:
        if value:
            sub(office_meta, tag).text = clean_text(value)
    sub(
        office_meta,
        "meta:document-statistic",
        {
            "meta:word-count": str(work.words),
            "meta:paragraph-count": str(paragraphs),
        },
    )
    return serialise(doc)


def manifest_xml(paths: list[str]) -> bytes:
    """META-INF/manifest.xml listing the package root and every XML part."""
    doc = ET.Element(q("manifest:manifest"), {q("manifest:version"): ODF_VERSION})
    sub(
        doc,
        "manifest:file-entry",
        {
            "manifest:full-path": "/",
            "manifest:version": ODF_VERSION,
            "manifest:media-type": MIMETYPE,
        },
    )
    for path in paths:
        sub(
            doc,
            "manifest:file-entry",
            {"manifest:full-path": path, "manifest:media-type": "text/xml"},
        )
    return serialise(doc)
