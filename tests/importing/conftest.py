"""Helpers for the import tests: the "nothing is lost" account, and DOCX/EPUB fixtures built
at test time from small text sources (so every fixture stays readable and original).

Fixture sources in ``fixtures/``:

* ``<name>.docxsrc``: one paragraph a line, ``T: `` title style, ``H1: ``/``H2: `` heading
  styles, ``P: `` a body paragraph (``*italic*``, ``**bold**`` and ``[text](url)`` become
  runs and hyperlinks), ``BREAK`` a centred ``* * *`` paragraph, ``PROP title: X`` a core
  property.
* ``<name>.epubsrc.html``: XHTML parts separated by ``<!-- part -->``; an optional first
  ``<!-- opf {json} -->`` line gives the package metadata.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from writer.core.importing import ImportedWork
from writer.core.importing.markup import unescape_markdown

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Characters a Markdown source may lose as syntax when a value goes to a plain field.
MARKUP_CHARS = set("*_\\`#>[]()!-:")


def _nonspace(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def accounted_text(work: ImportedWork, escaped: bool) -> str:
    """Everything the import kept or dropped on purpose, as one string."""
    md = unescape_markdown if escaped else (lambda t: t)
    pieces: list[str] = []
    for chapter in work.chapters:
        pieces += [chapter.title, chapter.heading, chapter.part, *chapter.scene_titles]
        pieces += [md(t) for t in (chapter.summary, chapter.notes_begin, chapter.notes_end)]
        pieces += [md(t) for t in chapter.scenes]
    for name, value in work.fields.items():
        if name in ("summary", "notes_begin", "notes_end", "disclaimer", "spoiler_note"):
            pieces.append(md(value))
        elif isinstance(value, list):
            for item in value:
                pieces += [str(v) for v in item.values()] if isinstance(item, dict) else [item]
        else:
            pieces.append(str(value))
    pieces += [f"{k} {v}" for k, v in work.unmapped.items()]
    pieces += [d.text for d in work.dropped]
    return "\n".join(pieces)


def missing_characters(source: str, work: ImportedWork, escaped: bool, markdown: bool) -> str:
    """Non-whitespace characters of ``source`` that the import does not account for."""
    have = _nonspace(accounted_text(work, escaped))
    want = _nonspace(html.unescape(source) if markdown else source)
    if markdown:
        for ch in MARKUP_CHARS:
            want.pop(ch, None)
    lacking = want - have
    return "".join(sorted(lacking.elements()))


# ---------------------------------------------------------------- DOCX

_RUN = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|\[(.+?)\]\((\S+?)\)")


def _add_hyperlink(paragraph: Any, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    text_el.set(qn("xml:space"), "preserve")
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


def _add_runs(paragraph: Any, text: str) -> None:
    position = 0
    for match in _RUN.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        if match.group(1):
            paragraph.add_run(match.group(1)).bold = True
        elif match.group(2):
            paragraph.add_run(match.group(2)).italic = True
        else:
            _add_hyperlink(paragraph, match.group(3), match.group(4))
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def build_docx(source: str, target: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    for line in source.splitlines():
        if not line.strip():
            continue
        kind, _, text = line.partition(": ")
        if line.strip() == "BREAK":
            paragraph = document.add_paragraph("* * *")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "T":
            document.add_paragraph(text, style="Title")
        elif kind in ("H1", "H2", "H3"):
            document.add_heading(text, level=int(kind[1]))
        elif kind.startswith("PROP "):
            setattr(document.core_properties, kind[5:], text)
        else:
            _add_runs(document.add_paragraph(), text if kind == "P" else line)
    document.save(str(target))
    return target


# ---------------------------------------------------------------- EPUB

_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""


def build_epub(source: str, target: Path) -> Path:
    meta: dict[str, Any] = {}
    first, _, rest = source.partition("\n")
    match = re.match(r"^<!-- opf (\{.*\}) -->$", first.strip())
    if match:
        meta = json.loads(match.group(1))
        source = rest
    parts = [p.strip() for p in source.split("<!-- part -->") if p.strip()]
    dc = ['<dc:identifier id="uid">urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0</dc:identifier>']
    for key in ("title", "language", "description", "date"):
        if key in meta:
            dc.append(f"<dc:{key}>{html.escape(meta[key])}</dc:{key}>")
    for name in meta.get("creators", []):
        dc.append(f"<dc:creator>{html.escape(name)}</dc:creator>")
    for subject in meta.get("subjects", []):
        dc.append(f"<dc:subject>{html.escape(subject)}</dc:subject>")
    if "series" in meta:
        dc.append(f'<meta name="calibre:series" content="{html.escape(meta["series"])}"/>')
        dc.append(f'<meta name="calibre:series_index" content="{meta.get("series_index", 1)}"/>')
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    ]
    spine = []
    for number, _part in enumerate(parts):
        items.append(
            f'<item id="p{number}" href="text/part{number:03d}.xhtml" '
            'media-type="application/xhtml+xml"/>'
        )
        spine.append(f'<itemref idref="p{number}"/>')
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        + "".join(dc)
        + "</metadata><manifest>"
        + "".join(items)
        + '</manifest><spine><itemref idref="nav" linear="no"/>'
        + "".join(spine)
        + "</spine></package>"
    )
    nav = (
        '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Contents</title></head><body>'
        '<nav epub:type="toc"><ol><li><a href="text/part000.xhtml">Start</a></li></ol></nav>'
        "</body></html>"
    )
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", _CONTAINER, zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/nav.xhtml", nav, zipfile.ZIP_DEFLATED)
        for number, part in enumerate(parts):
            body = (
                part
                if "<html" in part
                else (
                    '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
                    f"<head><title>Part {number}</title></head><body>{part}</body></html>"
                )
            )
            archive.writestr(f"OEBPS/text/part{number:03d}.xhtml", body, zipfile.ZIP_DEFLATED)
    return target


def materialise(name: str, folder: Path) -> Path:
    """The importable file of a fixture: the file itself, or a DOCX/EPUB built from it."""
    source = FIXTURES / name
    if name.endswith(".docxsrc"):
        return build_docx(source.read_text(encoding="utf-8"), folder / (source.stem + ".docx"))
    if name.endswith(".epubsrc.html"):
        stem = name[: -len(".epubsrc.html")]
        return build_epub(source.read_text(encoding="utf-8"), folder / f"{stem}.epub")
    return source


@pytest.fixture
def helpers() -> SimpleNamespace:
    return SimpleNamespace(
        fixtures=FIXTURES,
        missing=missing_characters,
        accounted=accounted_text,
        build_docx=build_docx,
        build_epub=build_epub,
        materialise=materialise,
    )
