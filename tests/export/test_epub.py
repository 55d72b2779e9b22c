"""EPUB export: read the book back with zipfile and XML, and check it with epubcheck."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from writer.core.project import Project
from writer.export import epub_export
from writer.export.base import ExportOptions
from writer.export.formats import get_format
from writer.render.assembled import AssembledWork, assemble

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}

# What a reader must meet, in this order, paging through the book.
READING_ORDER = [
    "Harbour Lights",
    "by Wren Aldous",
    "Rating:",
    "Teen And Up Audiences",
    "Fandoms:",
    "Saltmarsh Station",
    "Additional Tags:",
    "Storms, Lighthouses",
    "A keeper waits out a storm.",
    "I don’t own Saltmarsh Station.",
    "Spoiler warning",
    "Spoilers for Season 2. Set after the finale.",
    "Written for a winter exchange.",
    "Part One",
    "Chapter 1: Low Tide",
    "Mara arrives.",
    "First chapter note.",
    "The harbour was empty when Mara came down the hill, and the bell was silent.",
    "“You’re late,” said Tobin — not unkindly… He held out a map.",
    "Keep the lamp lit. Whatever comes.",
    "She counted the boats:",
    "the Heron",
    "the Gannet",
    "The tide-tables were wrong.",
    "The lamp burned until morning.",
    "They had been wrong since the storm.",
    "First chapter end note.",
    "Chapter 2: Flood",
    "Water rose over the quay. Still she waited.",
    "Thank you for reading.",
]


def require_tool(available: bool, what: str) -> None:
    """Skip without the tool on a developer's machine; on CI a missing tool is a failure,
    so the check can never silently stop running."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required on CI but is missing")
    pytest.skip(f"{what} is not installed")


def epubcheck(book: Path) -> subprocess.CompletedProcess[str]:
    require_tool(shutil.which("java") is not None and EPUBCHECK_JAR.exists(), "epubcheck")
    return subprocess.run(
        ["java", "-jar", str(EPUBCHECK_JAR), str(book)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def export_book(work: AssembledWork, target: Path) -> zipfile.ZipFile:
    assert epub_export.export(work, target, ExportOptions()) == [target]
    return zipfile.ZipFile(target)


@pytest.fixture
def book(work: AssembledWork, tmp_path: Path) -> zipfile.ZipFile:
    return export_book(work, tmp_path / "out" / "Harbour Lights.epub")


def opf(book: zipfile.ZipFile) -> ElementTree.Element:
    return ElementTree.fromstring(book.read("OEBPS/content.opf"))


def spine_files(book: zipfile.ZipFile) -> list[str]:
    package = opf(book)
    hrefs = {i.get("id"): i.get("href") for i in package.iterfind("opf:manifest/opf:item", NS)}
    return [f"OEBPS/{hrefs[r.get('idref')]}" for r in package.iterfind("opf:spine/opf:itemref", NS)]


def plain(xhtml: bytes) -> str:
    body = ElementTree.fromstring(xhtml).find("x:body", NS)
    assert body is not None
    return " ".join("".join(body.itertext()).split())


def test_mimetype_comes_first_stored_and_bare(book: zipfile.ZipFile) -> None:
    first = book.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b""
    assert book.read("mimetype") == b"application/epub+zip"
    # Readers sniff the media type at a fixed offset: local header (30 bytes) + name.
    raw = Path(book.filename or "").read_bytes()
    assert raw[30:38] == b"mimetype" and raw[38:58] == b"application/epub+zip"


def test_container_points_at_the_package(book: zipfile.ZipFile) -> None:
    container = ElementTree.fromstring(book.read("META-INF/container.xml"))
    rootfile = container.find("c:rootfiles/c:rootfile", NS)
    assert rootfile is not None
    assert rootfile.get("full-path") == "OEBPS/content.opf"
    assert rootfile.get("media-type") == "application/oebps-package+xml"
    assert "OEBPS/content.opf" in book.namelist()


def test_package_metadata(book: zipfile.ZipFile) -> None:
    package = opf(book)
    assert package.get("version") == "3.0"
    metadata = package.find("opf:metadata", NS)
    assert metadata is not None
    identifier = metadata.find("dc:identifier", NS)
    assert identifier is not None and identifier.get("id") == package.get("unique-identifier")
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier.text or "")
    assert metadata.findtext("dc:title", namespaces=NS) == "Harbour Lights"
    assert [c.text for c in metadata.iterfind("dc:creator", NS)] == ["Wren Aldous"]
    assert metadata.findtext("dc:language", namespaces=NS) == "en"
    subjects = [s.text for s in metadata.iterfind("dc:subject", NS)]
    assert subjects == ["Saltmarsh Station", "Storms", "Lighthouses"]
    assert metadata.findtext("dc:description", namespaces=NS) == "A keeper waits out a storm."
    modified = [
        m.text for m in metadata.iterfind("opf:meta", NS) if m.get("property") == "dcterms:modified"
    ]
    assert len(modified) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified[0] or "")


def test_manifest_lists_every_file_and_the_nav(book: zipfile.ZipFile) -> None:
    items = list(opf(book).iterfind("opf:manifest/opf:item", NS))
    nav = [i for i in items if "nav" in (i.get("properties") or "").split()]
    assert len(nav) == 1 and nav[0].get("href") == "nav.xhtml"
    listed = {f"OEBPS/{i.get('href')}" for i in items}
    packaged = set(book.namelist()) - {"mimetype", "META-INF/container.xml", "OEBPS/content.opf"}
    assert listed == packaged
    assert spine_files(book) == [
        "OEBPS/title.xhtml",
        "OEBPS/chapter-001.xhtml",
        "OEBPS/chapter-002.xhtml",
        "OEBPS/end-notes.xhtml",
    ]


def test_nav_lists_both_chapters_and_landmarks(book: zipfile.ZipFile) -> None:
    nav = ElementTree.fromstring(book.read("OEBPS/nav.xhtml"))
    navs = {n.get(f"{{{NS['epub']}}}type"): n for n in nav.iter(f"{{{NS['x']}}}nav")}
    links = [(a.text, a.get("href")) for a in navs["toc"].iter(f"{{{NS['x']}}}a")]
    labels = [label for label, _ in links]
    assert labels == [
        "Title Page",
        "Part One",
        "Chapter 1: Low Tide",
        "Chapter 2: Flood",
        "End Notes",
    ]
    for _, href in links:
        assert f"OEBPS/{(href or '').split('#')[0]}" in book.namelist()
    assert "landmarks" in navs
    kinds = [a.get(f"{{{NS['epub']}}}type") for a in navs["landmarks"].iter(f"{{{NS['x']}}}a")]
    assert "bodymatter" in kinds and "titlepage" in kinds


def test_reading_order_holds_the_whole_work(book: zipfile.ZipFile) -> None:
    text = " ".join(plain(book.read(name)) for name in spine_files(book))
    position = 0
    for expected in READING_ORDER:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} missing or out of order"
        position = found + len(expected)


def test_markup_keeps_emphasis_and_scene_breaks(book: zipfile.ZipFile) -> None:
    chapter = book.read("OEBPS/chapter-001.xhtml").decode()
    assert "<em>harbour</em>" in chapter
    assert "<strong>bell</strong>" in chapter
    assert chapter.count('<hr class="scene-break"/>') == 2
    assert '<h2 class="chapter-heading">Chapter 1: Low Tide</h2>' in chapter
    title = book.read("OEBPS/title.xhtml").decode()
    assert 'class="spoiler-warning"' in title and 'class="disclaimer"' in title
    css = book.read("OEBPS/style.css").decode()
    assert "hr.scene-break" in css and "serif" in css


def test_every_document_is_xml_and_nothing_unsafe_or_private(book: zipfile.ZipFile) -> None:
    for name in book.namelist():
        data = book.read(name)
        if name.endswith((".xhtml", ".opf", ".xml")):
            ElementTree.fromstring(data)
        text = data.decode("utf-8")
        for banned in ("SECRET NOTE TEXT", "TRASHED TEXT", "alert(", "<script", "onclick"):
            assert banned not in text, f"{banned!r} in {name}"
        if name.endswith(".xhtml"):
            assert "&nbsp;" not in text


def test_footnote_ids_are_xml_names_and_links_resolve(book: zipfile.ZipFile) -> None:
    chapter = ElementTree.fromstring(book.read("OEBPS/chapter-001.xhtml"))
    ids = {e.get("id") for e in chapter.iter() if e.get("id")}
    assert "c1-fn-1" in ids and "c1-fnref-1" in ids
    assert not any(":" in i for i in ids)
    for link in chapter.iter(f"{{{NS['x']}}}a"):
        href = link.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids


def test_same_work_same_identifier_and_reproducible_bytes(
    work: AssembledWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one = tmp_path / "one.epub"
    two = tmp_path / "two.epub"
    epub_export.export(work, one, ExportOptions())
    epub_export.export(work, two, ExportOptions())
    assert one.read_bytes() == two.read_bytes()
    assert b"2023-11-14T22:13:20Z" in zipfile.ZipFile(one).read("OEBPS/content.opf")


def test_progress_reaches_the_end(work: AssembledWork, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    epub_export.export(
        work, tmp_path / "b.epub", ExportOptions(), lambda d, t: calls.append((d, t))
    )
    assert calls and calls[-1][0] == calls[-1][1]


def test_registered_as_the_epub_format() -> None:
    assert get_format("epub").exporter() is epub_export.export


@pytest.mark.parametrize("stage", ["render", "rename"])
def test_failed_export_leaves_the_old_file(
    work: AssembledWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "book.epub"
    target.write_bytes(b"the previous export")

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    if stage == "render":
        monkeypatch.setattr(epub_export, "work_to_html", broken)
    else:  # the complete book is already on disk beside the target when this fails
        monkeypatch.setattr("writer.core.atomic.os.replace", broken)
    with pytest.raises(OSError):
        epub_export.export(work, target, ExportOptions())
    monkeypatch.undo()
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in folder.iterdir()] == ["book.epub"]


def test_epubcheck_finds_nothing(work: AssembledWork, tmp_path: Path) -> None:
    target = tmp_path / "Harbour Lights.epub"
    epub_export.export(work, target, ExportOptions())
    result = epubcheck(target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout


def test_one_shot_passes_epubcheck(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "one-shot", "Low Water", first_chapter=False)
    project.set_field("author", ["Wren Aldous"])
    project.add_node("chapter", "", text="Only the *tide* came back.\n\n***\n\nAnd then the gulls.")
    project.save()
    work = assemble(project)
    assert work.is_single and work.chapters[0].heading == ""
    target = tmp_path / "one-shot.epub"
    book = export_book(work, target)
    nav = ElementTree.fromstring(book.read("OEBPS/nav.xhtml"))
    labels = [a.text for a in nav.iter(f"{{{NS['x']}}}a")]
    assert "Low Water" in labels
    assert "<em>tide</em>" in book.read("OEBPS/chapter-001.xhtml").decode()
    result = epubcheck(target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout
