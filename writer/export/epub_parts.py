"""HTML fragments made fit for an EPUB: a small tree, XHTML serialisation and link fixing.

Why a tree and not string replacement: the HTML from :mod:`writer.render.work_html` is
HTML5 (``<br>``, ``<hr class=..>``, ``&nbsp;``) and EPUB 3 wants well-formed XML that
also passes epubcheck's HTML5 rules. Several fixes need to see the document as a whole:
footnote ids such as ``fn:1`` are not XML names, a ``#fragment`` link must point at the
file its target ended up in once the work is split into one file per chapter, and two
chapters may each have a footnote ``fn:1``. A tree built with the standard library's
tolerant :class:`html.parser.HTMLParser` makes those fixes simple and serialising it back
guarantees balanced tags, self-closed void elements and escaped text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

__all__ = [
    "Element",
    "IdIndex",
    "fix_element_ids",
    "fix_links",
    "fix_markup",
    "parse_fragment",
    "to_xhtml",
    "xml_text",
]

# Elements that never have content or an end tag in HTML.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip

# Block elements whose start implicitly ends an open <p> (HTML's parsing rule, which a
# browser applies and which we must apply ourselves to stay balanced).
_CLOSES_P = frozenset(
    {"address", "blockquote", "div", "dl", "fieldset", "figure", "footer", "h1", "h2", "h3",
     "h4", "h5", "h6", "header", "hr", "ol", "p", "pre", "section", "table", "ul"}
)  # fmt: skip

# Characters XML 1.0 forbids outright; a control character pasted into a manuscript must
# not make the whole book unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?$")
_NOT_ID_CHAR = re.compile(r"[^A-Za-z0-9_.\-]")
_POSITIVE_INT = re.compile(r"^[1-9][0-9]{0,5}$")
_INTEGER = re.compile(r"^-?[0-9]{1,9}$")


@dataclass
class Element:
    """One element of the tree; ``children`` holds elements and decoded text."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> list[Element]:
        """This element and every element below it, in document order."""
        found = [self]
        for child in self.children:
            if isinstance(child, Element):
                found += child.iter()
        return found

    def classes(self) -> list[str]:
        """The class names, in their written order (keeps output reproducible)."""
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        """All the text inside, as a reader would see it run together."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    """Build an :class:`Element` tree, balancing whatever tags the fragment leaves open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CLOSES_P and self._stack[-1].tag == "p":
            self._stack.pop()
        values = {name: (value if value is not None else "") for name, value in attrs}
        element = Element(tag, {k: v for k, v in values.items() if _ATTRIBUTE_NAME.match(k)})
        self._stack[-1].children.append(element)
        if tag not in _VOID:
            self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return
        # A stray end tag closes nothing, as in a browser.

    def handle_data(self, data: str) -> None:
        children = self._stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def parse_fragment(html: str) -> Element:
    """Parse an HTML fragment into a tree under a ``#root`` element."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def xml_text(text: str, *, quote_marks: bool = False) -> str:
    """Escape text for XML, dropping characters XML cannot hold at all."""
    text = _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote_marks else text


def to_xhtml(node: Element | str) -> str:
    """Serialise a node as XHTML: balanced, void elements self-closed, text escaped."""
    if isinstance(node, str):
        return xml_text(node)
    inner = "".join(to_xhtml(child) for child in node.children)
    if node.tag == "#root":
        return inner
    attrs = "".join(f' {k}="{xml_text(v, quote_marks=True)}"' for k, v in node.attrs.items())
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}/>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def _safe_id(value: str) -> str:
    """An id that is an XML name without colons (``fn:1`` -> ``fn-1``)."""
    cleaned = _NOT_ID_CHAR.sub("-", value.strip())
    if not cleaned or not (cleaned[0].isalpha() or cleaned[0] == "_"):
        cleaned = "id-" + cleaned
    return cleaned


@dataclass
class IdIndex:
    """Where each original id ended up: per file, and book-wide (first one wins)."""

    by_file: dict[str, dict[str, str]] = field(default_factory=dict)
    book: dict[str, tuple[str, str]] = field(default_factory=dict)


def fix_element_ids(root: Element, file_name: str, index: IdIndex) -> None:
    """Make every id in one file a unique XML name and remember where it went."""
    local = index.by_file.setdefault(file_name, {})
    used = set(local.values())
    for element in root.iter():
        old = element.attrs.get("id")
        if old is None:
            continue
        new = base = _safe_id(old)
        suffix = 2
        while new in used:
            new = f"{base}-{suffix}"
            suffix += 1
        used.add(new)
        element.attrs["id"] = new
        local.setdefault(old, new)
        index.book.setdefault(old, (file_name, new))


def _fix_href(href: str, file_name: str, index: IdIndex) -> str | None:
    """The href as it must read in ``file_name``, or None when it can lead nowhere."""
    href = href.strip()
    if href.startswith("#"):
        old = href[1:]
        local = index.by_file.get(file_name, {})
        if old in local:
            return "#" + local[old]
        if old in index.book:
            target_file, new = index.book[old]
            return f"{target_file}#{new}"
        return None
    # The sanitiser keeps only http, https and mailto links and relative ones; a relative
    # link would name a file the book does not contain, which epubcheck rejects.
    if urlsplit(href).scheme.lower() not in ("http", "https", "mailto"):
        return None
    return quote(href, safe=":/?#[]@!$&'()*+,;=%~")


def fix_links(root: Element, file_name: str, index: IdIndex) -> None:
    """Point ``#fragment`` links at the file now holding their target; drop dead links."""
    for element in root.iter():
        if element.tag != "a" or "href" not in element.attrs:
            continue
        href = _fix_href(element.attrs["href"], file_name, index)
        if href is None:
            del element.attrs["href"]
        else:
            element.attrs["href"] = href
        if "footnote-ref" in element.classes():
            # Lets e-readers show the footnote as a pop-up instead of jumping away.
            element.attrs["epub:type"] = "noteref"


def _replace_images(element: Element) -> None:
    """Images become their alt text: the book cannot carry files it was never given."""
    for index, child in enumerate(element.children):
        if not isinstance(child, Element):
            continue
        if child.tag == "img":
            alt = child.attrs.get("alt", "").strip()
            element.children[index] = (
                Element("span", {"class": "image-alt"}, [f"[{alt}]"]) if alt else ""
            )
        else:
            _replace_images(child)


def fix_markup(root: Element) -> None:
    """Turn HTML the sanitiser allows but HTML5-in-EPUB forbids into valid equivalents."""
    _replace_images(root)
    for element in root.iter():
        attrs = element.attrs
        align = attrs.pop("align", "").strip().lower()
        if align in ("left", "center", "right", "justify"):
            attrs["class"] = " ".join([*element.classes(), f"align-{align}"])
        for name in ("colspan", "rowspan"):
            if name in attrs and not _POSITIVE_INT.match(attrs[name].strip()):
                del attrs[name]
        if "start" in attrs and not _INTEGER.match(attrs["start"].strip()):
            del attrs["start"]
        for name in ("width", "height"):
            attrs.pop(name, None)
        if "class" in attrs and not attrs["class"].strip():
            del attrs["class"]
