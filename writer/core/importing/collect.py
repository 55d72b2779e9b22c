"""Where each detected value goes: the one place that decides fields, merging and conflicts.

Values arrive labelled by key ("rating", "notes", "category", ...) from the detectors, the
front matter, the EPUB package or the archive's preface. Canonical values are stored (the
archive's rating strings and so on); a value that cannot be understood, or a second,
different value for a single field, is kept in ``unmapped`` and reported. A disclaimer is
stored once: the same text again is dropped as a duplicate, a different one stays with
its chapter's notes.
"""

from __future__ import annotations

import html
import re
from typing import Any

from writer.core import vocabulary as vocab
from writer.core.errors import MetadataError
from writer.core.importing.detect import Found
from writer.core.importing.markup import as_markdown, as_plain
from writer.core.importing.model import ImportedChapter, ImportedWork, remainder
from writer.core.importing.phrases import disclaimer_source, find_spoilers, split_items

SINGLE = ("title", "author", "language", "rating", "posting")
LISTS = (
    "co_authors", "fandoms", "warnings", "categories", "relationships", "characters", "tags",
    "spoilers",
)  # fmt: skip
TEXTS = ("summary", "notes_begin", "notes_end", "disclaimer", "spoiler_note")
_NORMALISED = frozenset(
    {"rating", "language", "category", "posting", "status", "series", "chapters", "word_count"}
    | {"links"}
)
_SITES = {
    "archiveofourown.org": "Archive of Our Own",
    "fanfiction.net": "FanFiction.Net",
    "wattpad.com": "Wattpad",
}


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", html.unescape(re.sub(r"\\(.)", r"\1", text)).casefold())


def split_list(value: Any) -> list[str]:
    if isinstance(value, list):
        items = [str(v) for v in value]
    else:
        items = re.split(r"\s*[,;\n]\s*|\s+\u2022\s+", str(value))
    return [i.strip() for i in items if i.strip()]


def link_for(url: str) -> dict[str, str]:
    host = re.sub(r"^https?://(?:www\.|m\.)?", "", url).split("/")[0]
    return {"site": _SITES.get(host, host), "url": url, "posted": "", "updated": ""}


def parse_series(text: str) -> dict[str, Any]:
    """ "Part 2 of Name", "Name #2", "Name, part 2", "Name (Book 2)" -> name and part."""
    text = text.strip()
    patterns = (
        r"^(?:part|book|volume|vol\.?)\s+(?P<n>\d+)\s+of\s+(?P<name>.+?)$",
        r"^(?P<name>.+?)\s*#\s*(?P<n>\d+)$",
        r"^(?P<name>.+?)\s*[,:\-\u2013\u2014(]\s*(?:part|book|volume|vol\.?)\s+(?P<n>\d+)\)?$",
    )
    for pattern in patterns:
        match = re.match(pattern, text, re.IGNORECASE)
        if match:
            return {"name": match.group("name").strip(), "part": int(match.group("n"))}
    return {"name": text, "part": None}


class Collector:
    """Applies detected values to an :class:`ImportedWork` and its chapters."""

    def __init__(self, work: ImportedWork) -> None:
        self.work = work
        self.dates: dict[str, str] = {}

    # ------------------------------------------------------------ helpers

    @property
    def fields(self) -> dict[str, Any]:
        return self.work.fields

    def unmapped(self, label: str, value: str) -> None:
        label = label.strip() or "value"
        key, number = label, 2
        while key in self.work.unmapped:
            if self.work.unmapped[key] == value:
                self.work.drop("duplicate", value)
                return
            key = f"{label} ({number})"
            number += 1
        self.work.unmapped[key] = value

    def _single(self, name: str, value: str, label: str) -> None:
        current = self.fields.get(name, "")
        if not value:
            return
        if not current:
            self.fields[name] = value
        elif _key(current) == _key(value):
            self.work.drop("duplicate", value)
        else:
            self.unmapped(label or name, value)

    def _items(self, name: str, items: list[str]) -> None:
        current = self.fields.setdefault(name, [])
        seen = {_key(i) for i in current}
        for item in items:
            if _key(item) in seen or not _key(item):
                self.work.drop("duplicate", item)
                continue
            current.append(item)
            seen.add(_key(item))

    def _text(self, target: dict[str, Any] | ImportedChapter, name: str, text: str) -> None:
        text = text.strip("\n")
        if not text.strip():
            return
        if isinstance(target, ImportedChapter):
            current = getattr(target, name)
            setattr(target, name, f"{current}\n\n{text}" if current else text)
        else:
            current = target.get(name, "")
            target[name] = f"{current}\n\n{text}" if current else text

    # ------------------------------------------------------------ applying

    def apply(
        self,
        key: str,
        value: Any,
        *,
        markdown: bool = False,
        label: str = "",
        chapter: ImportedChapter | None = None,
        end: bool = False,
        raw: str = "",
    ) -> None:
        """Store one detected value; see the module docstring for the rules."""
        if isinstance(value, list) and key not in (*LISTS, "category", "series", "links"):
            joiner = "\n\n" if key in (*TEXTS, "notes", "note_line", "summary_html") else ", "
            value = joiner.join(str(v) for v in value)
        elif not isinstance(value, (str, list)):
            value = str(value)
        if key in ("notes", "note_line", "notes_begin", "notes_end"):
            name = "notes_end" if end or key == "notes_end" else "notes_begin"
            text = as_markdown(raw if key == "note_line" else value, markdown)
            self._text(chapter if chapter is not None else self.fields, name, text)
        elif key == "summary":
            self._text(
                chapter if chapter is not None else self.fields,
                "summary",
                as_markdown(value, markdown),
            )
        elif key == "summary_html":
            from writer.core.importing.html_reader import blocks_of
            from writer.core.importing.htmltree import parse_html

            body = "\n\n".join(b.text for b in blocks_of(parse_html(str(value))))
            if not self.fields.get("summary"):
                self.fields["summary"] = body
        elif key == "disclaimer":
            self._disclaimer(value, chapter, raw, markdown)
        elif key == "spoiler_note":
            self._text(self.fields, "spoiler_note", as_markdown(value, markdown))
        elif key == "title" and chapter is not None:
            self._chapter_title(chapter, as_plain(value, markdown), label)
        elif key in SINGLE[:2]:
            self._single(key, as_plain(value, markdown), label)
        elif key in LISTS:
            splitter = split_items if key == "spoilers" else split_list
            items = value if isinstance(value, list) else splitter(as_plain(value, markdown))
            if not isinstance(value, list):
                self.work.drop("separator", remainder(value, "".join(items)))
            if key == "warnings":
                self._warnings(items)
            else:
                self._items(key, [as_plain(i, markdown) for i in items])
        else:
            self._special(
                key, value if isinstance(value, list) else as_plain(value, markdown), label
            )

    def apply_all(
        self, found: list[Found], chapter: ImportedChapter | None = None, end: bool = False
    ) -> None:
        """Store what a scan found (``end``: it closed the text, so notes are end notes)."""
        for item in found:
            self.apply(
                item.key,
                item.value,
                markdown=item.markdown,
                label=item.label,
                chapter=chapter,
                end=end or item.key == "notes_end",
                raw=item.raw,
            )

    def _chapter_title(self, chapter: ImportedChapter, title: str, label: str) -> None:
        """A "Title:" label at a chapter's start: the work's title first, then the chapter's."""
        if not self.fields.get("title"):
            self.fields["title"] = title
        elif _key(title) == _key(self.fields.get("title", "")):
            self.work.drop("duplicate", title)
        elif not chapter.title:
            chapter.title = title
        else:
            self.unmapped(label or "title", title)

    def _disclaimer(
        self, value: str, chapter: ImportedChapter | None, raw: str, markdown: bool
    ) -> None:
        current = self.fields.get("disclaimer", "")
        text = as_markdown(value, markdown)
        if not text.strip():
            return
        if not current:
            self.fields["disclaimer"] = text
            return
        known = [_key(p) for p in current.split("\n\n")]
        if _key(text) in known or _key(text) == _key(current):
            self.work.drop("duplicate", value)
        elif chapter is not None:
            self._text(chapter, "notes_begin", as_markdown(raw, markdown) if raw else text)
        else:
            self.fields["disclaimer"] = f"{current}\n\n{text}"

    def _warnings(self, items: list[str]) -> None:
        known, other = [], []
        for item in items:
            try:
                known.append(vocab.canonical_warning(item))
                self.work.drop("normalised", item)
            except MetadataError:
                other.append(item)
        self._items("warnings", known)
        self._items("tags", other)

    def _special(self, key: str, value: Any, label: str) -> None:
        text = value if isinstance(value, str) else ", ".join(map(str, value))
        if key in _NORMALISED:
            self.work.drop("normalised", text)
        if key == "rating":
            self._rating(text, label)
        elif key == "language":
            try:
                self._single("language", vocab.canonical_language(text), label)
            except MetadataError:
                self.unmapped(label or "language", text)
        elif key == "category":
            for item in split_list(value):
                try:
                    self._items("categories", [vocab.canonical_category(item)])
                except MetadataError:
                    self._items("fandoms", [item])  # FanFiction.Net calls fandoms categories
        elif key == "posting" or key == "status":
            try:
                self._single("posting", vocab.canonical_posting(text), label)
            except MetadataError:
                self.unmapped(label or key, text)
        elif key == "series":
            for part in split_list(value) if isinstance(value, list) else [text]:
                entry = parse_series(part)
                series = self.fields.setdefault("series", [])
                if all(_key(s["name"]) != _key(entry["name"]) for s in series):
                    series.append(entry)
        elif key == "chapters":
            self._chapters(text, label)
        elif key == "word_count":
            digits = re.sub(r"[,.\s_']", "", text)
            thousands = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*k", text.strip(), re.IGNORECASE)
            if digits.isdigit():
                self.work.word_count = int(digits)
            elif thousands:
                self.work.word_count = int(float(thousands.group(1).replace(",", ".")) * 1000)
            else:
                self.unmapped(label or "word count", text)
        elif key == "links":
            found = re.findall(r"https?://[^\s<>\"')\]]+", text)
            if not found:
                self.unmapped(label or "link", text)
            links = self.fields.setdefault("links", [])
            for url in found:
                if all(link["url"] != url for link in links):
                    links.append(link_for(url))
        elif key == "date":
            name = (label or "date").strip().casefold()
            self.dates.setdefault(name, text)
        else:
            self.unmapped(label or key, text)

    def _rating(self, text: str, label: str) -> None:
        try:
            self._single("rating", vocab.canonical_rating(text), label)
            return
        except MetadataError:
            pass
        words = re.split(r"[\s(,;]+", text.strip())
        for size in (4, 3, 2, 1):
            head = " ".join(words[:size]).rstrip(".:-")
            try:
                rating = vocab.canonical_rating(head)
            except MetadataError:
                continue
            self._single("rating", rating, label)
            self.unmapped(label or "rating", text)
            return
        self.unmapped(label or "rating", text)
        self.work.warn(f"rating {text!r} is not one the archive knows; it was kept aside")

    def _chapters(self, text: str, label: str) -> None:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+|\?)\s*", text)
        if match:
            done, total = match.groups()
            if total != "?":
                self.fields["chapters_expected"] = int(total)
            self.fields.setdefault("posting", "complete" if done == total else "wip")
        elif text.strip().isdigit():
            self.fields["chapters_expected"] = int(text)
        else:
            self.unmapped(label or "chapters", text)

    # ------------------------------------------------------------ finishing

    def finish(self) -> None:
        """Dates onto the work's link, spoilers found in notes, a fandom from the
        disclaimer, and empty fields removed."""
        links = self.fields.get("links") or []
        for name, value in self.dates.items():
            if links and name in ("published", "posted", "date") and not links[0]["posted"]:
                links[0]["posted"] = value
            elif links and name in ("updated", "completed") and not links[0]["updated"]:
                links[0]["updated"] = value
            else:
                self.unmapped(name, value)
        self._spoilers()
        self._propose_fandom()
        for name in list(self.fields):
            if self.fields[name] in ("", [], None):
                del self.fields[name]

    def _texts_with_spoilers(self) -> list[str]:
        texts = [self.fields.get(n, "") for n in ("notes_begin", "notes_end", "disclaimer")]
        texts += [self.fields.get("summary", ""), *self.fields.get("tags", [])]
        for chapter in self.work.chapters:
            texts += [chapter.notes_begin, chapter.notes_end, chapter.summary]
        return [html.unescape(re.sub(r"\\(.)", r"\1", t)) for t in texts if t]

    def _spoilers(self) -> None:
        names = []
        for text in self._texts_with_spoilers():
            for _start, _end, items in find_spoilers(text):
                names += items
        if names:
            self._items_quiet("spoilers", names)

    def _items_quiet(self, name: str, items: list[str]) -> None:
        current = self.fields.setdefault(name, [])
        seen = {_key(i) for i in current}
        for item in items:
            if _key(item) and _key(item) not in seen:
                current.append(item)
                seen.add(_key(item))

    def _propose_fandom(self) -> None:
        disclaimer = self.fields.get("disclaimer", "")
        if self.fields.get("fandoms") or not disclaimer:
            return
        plain = html.unescape(re.sub(r"\\(.)", r"\1", disclaimer))
        for paragraph in plain.split("\n\n"):
            kind, name = disclaimer_source(paragraph)
            if kind:
                self.fields["fandoms"] = [name]
                what = "work" if kind == "source" else "owner"
                self.work.warn(
                    f"fandom {name!r} was guessed from the disclaimer (it names the {what}); "
                    "check it"
                )
                return
