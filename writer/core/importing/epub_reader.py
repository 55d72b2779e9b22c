"""EPUB to XHTML parts in reading order, plus the package's own metadata.

``META-INF/container.xml`` names the package document (OPF); its manifest maps ids to files
and its spine gives the reading order. Navigation documents and non-linear items (covers)
are skipped. Dublin Core and Calibre metadata (title, creators, language, subjects,
description, dates, series) are returned as labelled values.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from writer.core.errors import WriterError

_CONTAINER = "META-INF/container.xml"


@dataclass
class EpubContent:
    """The XHTML of each spine item, in order, and the package metadata."""

    parts: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    meta: list[tuple[str, Any]] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(data: bytes, what: str, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise WriterError(f"{name}: the EPUB's {what} is not valid XML ({error})") from None


def _decode(data: bytes) -> str:
    for codec in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def _package_meta(package: ElementTree.Element) -> list[tuple[str, Any]]:
    meta: list[tuple[str, Any]] = []
    metadata = next((e for e in package if _local(e.tag) == "metadata"), None)
    if metadata is None:
        return meta
    series, index = "", ""
    for element in metadata.iter():
        tag, text = _local(element.tag), (element.text or "").strip()
        if tag == "meta":
            name = element.get("name", "") or element.get("property", "")
            content = element.get("content", "") or text
            if name == "calibre:series":
                series = content
            elif name == "calibre:series_index":
                index = content
            continue
        if not text:
            continue
        if tag == "title":
            meta.append(("title", text))
        elif tag == "creator":
            meta.append(("author", text))
        elif tag == "language":
            meta.append(("language", text))
        elif tag == "subject":
            meta.append(("tags", [text]))
        elif tag == "description":
            meta.append(("summary_html", text))
        elif tag == "date":
            meta.append(("date", text))
        elif tag in ("source", "identifier") and re.match(r"^https?://", text):
            meta.append(("links", text))
    if series:
        number = re.match(r"^\d+", index)
        meta.append(("series", f"{series} #{number.group()}" if number else series))
    return meta


def read_epub(data: bytes, name: str) -> EpubContent:
    """The spine's XHTML parts and the package metadata of an EPUB file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise WriterError(f"{name} is not an EPUB file (not a zip archive)") from None
    with archive:
        files = set(archive.namelist())
        if _CONTAINER not in files:
            raise WriterError(f"{name} is not an EPUB file (no {_CONTAINER})")
        container = _xml(archive.read(_CONTAINER), "container.xml", name)
        rootfile = next((e for e in container.iter() if _local(e.tag) == "rootfile"), None)
        opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
        if opf_path not in files:
            raise WriterError(f"{name}: the EPUB names a package file it does not hold")
        package = _xml(archive.read(opf_path), "package file", name)
        base = posixpath.dirname(opf_path)
        manifest: dict[str, tuple[str, str, str]] = {}
        for item in package.iter():
            if _local(item.tag) == "item":
                href = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
                manifest[item.get("id", "")] = (
                    href,
                    item.get("media-type", ""),
                    item.get("properties", ""),
                )
        content = EpubContent(meta=_package_meta(package))
        for ref in package.iter():
            if _local(ref.tag) != "itemref" or ref.get("linear", "yes") == "no":
                continue
            href, media, properties = manifest.get(ref.get("idref", ""), ("", "", ""))
            if "nav" in properties.split() or href not in files:
                continue
            if media and "html" not in media:
                continue
            content.parts.append(_decode(archive.read(href)))
            content.names.append(href)
    if not content.parts:
        raise WriterError(f"{name}: the EPUB has no text in its reading order")
    return content
