"""The Archive of Our Own's own download (HTML, and the EPUB made from it): every field back.

The preface holds the work's link ("Posted originally on the Archive of Our Own at URL"),
a ``dl`` of tags (rating, warnings, categories, fandoms, relationships, characters,
additional tags, language, series, collections, stats), the title, the byline, and the
summary and notes. The chapters follow, each with its heading, summary, notes, text and
end notes; the afterword holds the work's end notes. Parts are found by their ids and
classes, and by their visible labels ("Chapter Summary") when the classes were renamed.
"""

from __future__ import annotations

import re
from typing import Any

from writer.core.importing.chapters import scenes_of
from writer.core.importing.collect import Collector
from writer.core.importing.detect import scan_back, scan_front
from writer.core.importing.html_reader import blocks_of
from writer.core.importing.htmltree import Element, parse_html
from writer.core.importing.labels import match_field
from writer.core.importing.model import ImportedChapter, ImportedWork
from writer.core.importing.phrases import is_disclaimer

_TAG_FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "category",
    "categories": "category",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "tags",
    "language": "language",
    "series": "series",
    "collections": "collections",
    "stats": "stats",
}
_SEE_END = re.compile(r"^\(?\s*see the end of the (?:work|chapter) for", re.IGNORECASE)


def _label(element: Element) -> str:
    return re.sub(r"\s+", " ", element.text()).strip().rstrip(":").strip().casefold()


def _is_message(element: Element) -> bool:
    """The archive's own lines ("Posted originally on...", "Please drop by...")."""
    if element.tag != "p":
        return False
    text = re.sub(r"\s+", " ", element.text()).casefold()
    return "message" in element.classes or any(
        phrase in text for phrase in ("posted originally on the", "drop by the archive")
    )


def is_archive_download(root: Element) -> bool:
    if root.by_id("preface") is not None and root.by_id("chapters") is not None:
        return True
    message = root.find(lambda e: e.tag == "p" and "message" in e.classes)
    return message is not None and "archive of our own" in message.text().casefold()


def parse_html_text(text: str, work: ImportedWork) -> bool:
    """Fill ``work`` from an archive HTML download; False when it is not one."""
    root = parse_html(text)
    if not is_archive_download(root):
        return False
    parse_archive(root, work)
    return True


def parse_epub(content: Any, work: ImportedWork) -> bool:
    """The same for the archive's EPUB: the spine's bodies joined, then the package's own
    metadata for any field the preface did not give."""
    root = Element("#document")
    for part in content.parts:
        tree = parse_html(part)
        body = tree.find(lambda e: e.tag == "body") or tree
        for child in body.children:
            if isinstance(child, Element):
                child.parent = root
            root.children.append(child)
    if not is_archive_download(root):
        return False
    parse_archive(root, work)
    collector = Collector(work)
    for key, value in content.meta:
        if key in ("title", "author", "language") and not work.fields.get(key):
            collector.apply(key, value, label=key)
        elif key == "summary_html" and not work.fields.get("summary"):
            collector.apply(key, value)
    return True


def _markdown(element: Element | None) -> str:
    if element is None:
        return ""
    blocks = blocks_of(element)
    texts = ["* * *" if b.is_break else b.text for b in blocks]
    return "\n\n".join(t for t in texts if not _SEE_END.match(t))


def _value_after(label: Element) -> Element | None:
    following = label.next_element()
    if (
        following is not None
        and following.tag in ("blockquote", "div")
        and not _labelled(following)
    ):
        return following
    return None


def _labelled(element: Element) -> bool:
    return _label(element) in (
        "summary", "notes", "chapter summary", "chapter notes", "chapter end notes", "end notes",
    )  # fmt: skip


def _tags(dl: Element, work: ImportedWork, collector: Collector) -> None:
    label = ""
    for element in dl.elements():
        if element.tag == "dt":
            label = _label(element)
            continue
        if element.tag != "dd" or not label:
            continue
        key = _TAG_FIELDS.get(label)
        text = re.sub(r"\s+", " ", element.text()).strip()
        links = [re.sub(r"\s+", " ", a.text()).strip() for a in element.iter() if a.tag == "a"]
        if key == "stats":
            _stats(text, collector)
        elif key == "series":
            for number, name in re.findall(
                r"part\s+(\d+)\s+of\s+(.+?)(?=,?\s*part\s+\d|$)", text, re.I
            ):
                collector.apply("series", f"{name.strip()} #{number}")
        elif key == "collections" or key is None:
            collector.unmapped(label, text)
        elif key in ("rating", "language"):
            collector.apply(key, text, label=label)
        else:
            collector.apply(key, links or [t.strip() for t in text.split(",") if t.strip()])


def _stats(text: str, collector: Collector) -> None:
    for name, value in re.findall(r"([A-Za-z ]+?):\s*([^:]+?)(?=\s+[A-Za-z ]+:|$)", text):
        name = name.strip().casefold()
        if name in ("published", "updated", "completed"):
            collector.apply("date", value.strip(), label=name)
            if name == "completed":
                collector.fields["posting"] = "complete"
        elif name == "words":
            collector.apply("word_count", value.strip(), label=name)
        elif name == "chapters":
            collector.apply("chapters", value.strip(), label=name)
        else:
            collector.unmapped(name, value.strip())


def _preface(preface: Element, work: ImportedWork, collector: Collector) -> None:
    for message in preface.find_all(_is_message):
        urls = [a.attrs.get("href", "") for a in message.iter() if a.tag == "a"]
        works = [u for u in urls if "/works/" in u] or urls[-1:]
        for url in works:
            collector.apply("links", url)
        work.drop("boilerplate", message.text())
    dl = preface.find(lambda e: e.tag == "dl")
    if dl is not None:
        _tags(dl, work, collector)
    title = preface.find(lambda e: e.tag == "h1")
    if title is not None:
        collector.apply("title", title.text().strip(), label="title")
    byline = preface.find(lambda e: "byline" in e.classes)
    names = [a.text().strip() for a in preface.iter() if a.attrs.get("rel") == "author"]
    if byline is not None and not names:
        names = [a.text().strip() for a in byline.iter() if a.tag == "a"]
        if not names:
            names = re.split(r",\s*|\s+and\s+", re.sub(r"^\s*by\s+", "", byline.text()))
    names = [n for n in names if n.strip()]
    if names or byline is not None:
        if names:
            collector.apply("author", names[0])
            collector.apply("co_authors", names[1:])
        work.drop("label", "by")
    for label in preface.find_all(lambda e: e.tag == "p" and _labelled(e)):
        name = _label(label)
        text = _markdown(_value_after(label))
        work.drop("label", label.text())
        if name == "summary":
            collector.apply("summary", text, markdown=True)
        elif name == "notes":
            _notes(text, collector, None, end=False)
    for link in preface.find_all(lambda e: "endnote-link" in e.classes):
        work.drop("boilerplate", link.text())


def _notes(text: str, collector: Collector, chapter: ImportedChapter | None, end: bool) -> None:
    """Notes, with a disclaimer paragraph moved to the disclaimer field."""
    kept = []
    for paragraph in text.split("\n\n"):
        label = match_field(paragraph.split("\n")[0])
        if label is not None and label.key == "disclaimer":
            value = label.value + paragraph[len(paragraph.split("\n")[0]) :]
            collector.apply("disclaimer", value, markdown=True, chapter=chapter, raw=paragraph)
            collector.work.drop("label", label.prefix)
        elif is_disclaimer(paragraph) and not end:
            collector.apply("disclaimer", paragraph, markdown=True, chapter=chapter, raw=paragraph)
        else:
            kept.append(paragraph)
    if kept:
        collector.apply("notes", "\n\n".join(kept), markdown=True, chapter=chapter, end=end)


def _chapter_text(
    element: Element, chapter: ImportedChapter, work: ImportedWork, collector: Collector
) -> None:
    for landmark in element.find_all(lambda e: e.tag == "h3" and "landmark" in e.classes):
        if landmark.parent is not None:
            landmark.parent.children.remove(landmark)
            work.drop("boilerplate", landmark.text())
    blocks = blocks_of(element)
    front = scan_front(blocks)
    work.dropped += front.dropped
    collector.apply_all(front.found, chapter)
    back = scan_back(front.rest)
    work.dropped += back.dropped
    collector.apply_all(back.found, chapter, end=True)
    for block in back.rest:
        if block.is_break:
            work.drop("separator", block.text)
    for title, body in scenes_of(back.rest):
        chapter.scenes.append("\n\n".join(b.text for b in body))
        chapter.scene_titles.append(title)


def _chapters(chapters: Element, work: ImportedWork, collector: Collector) -> None:
    current: ImportedChapter | None = None
    for element in chapters.elements():
        classes = element.classes
        if element.tag == "h2":  # a one-chapter work repeats its title here
            work.drop("duplicate", element.text())
            current = current or ImportedChapter()
            continue
        if "meta" in classes or element.find(lambda e: e.tag == "h2"):
            current = ImportedChapter()
            work.chapters.append(current)
            heading = element.find(lambda e: e.tag == "h2")
            if heading is not None:
                current.heading = current.title = re.sub(r"\s+", " ", heading.text()).strip()
            for label in element.find_all(lambda e: e.tag == "p" and _labelled(e)):
                text = _markdown(_value_after(label))
                work.drop("label", label.text())
                if _label(label) == "chapter summary":
                    collector.apply("summary", text, markdown=True, chapter=current)
                else:
                    _notes(text, collector, current, end=False)
            continue
        if element.id.startswith("endnotes") or element.find(
            lambda e: _label(e) == "chapter end notes" and e.tag == "p"
        ):
            target = current or (work.chapters[-1] if work.chapters else None)
            for label in element.find_all(lambda e: e.tag == "p" and _labelled(e)):
                work.drop("label", label.text())
                _notes(_markdown(_value_after(label)), collector, target, end=True)
            continue
        if "userstuff" in classes or element.tag == "div":
            if current is None or current.scenes:
                current = ImportedChapter()
            if current not in work.chapters:
                work.chapters.append(current)
            _chapter_text(element, current, work, collector)


def parse_archive(root: Element, work: ImportedWork) -> None:
    """Fill ``work`` from the element tree of an archive download."""
    from writer.core.importing.parse import number_titles

    collector = Collector(work)
    head_title = root.find(lambda e: e.tag == "title")
    if head_title is not None:
        work.drop("boilerplate", head_title.text())
    preface = root.by_id("preface") or root
    _preface(preface, work, collector)
    for chapters in root.find_all(lambda e: e.id == "chapters"):  # EPUBs split it up
        _chapters(chapters, work, collector)
    afterword = root.by_id("afterword")
    if afterword is not None:
        for label in afterword.find_all(lambda e: e.tag == "p" and _label(e) == "end notes"):
            work.drop("label", label.text())
            _notes(_markdown(_value_after(label)), collector, None, end=True)
        for message in afterword.find_all(_is_message):
            work.drop("boilerplate", message.text())
    if len(work.chapters) == 1 and work.chapters[0].title == work.fields.get("title"):
        work.chapters[0].title = work.chapters[0].heading = ""
    if not work.chapters:
        work.chapters.append(ImportedChapter())
    number_titles(work)
    collector.finish()
