"""A small, forgiving element tree built with ``html.parser``.

Real downloads are not always valid XML (an unclosed ``<br>``, a ``<p>`` closed by the next
block), so neither ``xml.etree`` nor strict XHTML parsing will do. This tree closes what
HTML closes implicitly, ignores stray end tags, and drops script and style content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed"}
)
_SKIP = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe", "object"})
# Block elements that end an open <p>.
_CLOSES_P = frozenset(
    {
        "p", "div", "blockquote", "ul", "ol", "dl", "table", "pre", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "section", "article", "header", "footer", "address", "figure",
        "center", "details", "main", "nav", "aside",
    }
)  # fmt: skip
_SIBLING_CLOSE = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}}


@dataclass
class Element:
    """One element: tag, attributes, and children (elements and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def id(self) -> str:
        return self.attrs.get("id", "")

    def elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, test: Callable[[Element], bool]) -> list[Element]:
        return [e for e in self.iter() if e is not self and test(e)]

    def find(self, test: Callable[[Element], bool]) -> Element | None:
        return next((e for e in self.iter() if e is not self and test(e)), None)

    def by_id(self, value: str) -> Element | None:
        return self.find(lambda e: e.id == value)

    def text(self) -> str:
        """All text below this element, as it is (entities decoded)."""
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return "".join(parts)

    def next_element(self) -> Element | None:
        """The following sibling element (text between them skipped)."""
        if self.parent is None:
            return None
        siblings = self.parent.elements()
        index = next(i for i, e in enumerate(siblings) if e is self)
        return siblings[index + 1] if index + 1 < len(siblings) else None


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack: list[Element] = [self.root]
        self.skipping = 0

    def _close(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in _SKIP:
                self.skipping += 1
            return
        if tag in _SKIP:
            self.skipping = 1
            return
        if tag in _CLOSES_P and any(e.tag == "p" for e in self.stack[-3:]):
            self._close("p")
        if tag in _SIBLING_CLOSE:
            for depth in range(len(self.stack) - 1, 0, -1):
                current = self.stack[depth].tag
                if current in _SIBLING_CLOSE[tag]:
                    del self.stack[depth:]
                    break
                if current in ("ul", "ol", "dl", "table", "tbody", "thead"):
                    break
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skipping and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in _SKIP:
                self.skipping -= 1
            return
        if tag in VOID:
            return
        self._close(tag)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    """The element tree of an HTML or XHTML document (or fragment)."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root
