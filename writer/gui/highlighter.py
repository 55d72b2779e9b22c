"""Markdown colouring for the editor, built as a stack of layers.

Why layers: Markdown colouring is only the first thing that wants to mark up the text as
the author types.  A spell checker (wavy underlines), search hits or a "filter words"
highlighter will follow, and each must be addable without rewriting this module.  Every
:class:`HighlightLayer` sees each paragraph in turn and reports formats through a callback;
the :class:`MarkdownHighlighter` *merges* what the layers report (a later format adds to an
earlier one instead of replacing it), so an underline laid over ``**bold**`` keeps the bold.

Why per-layer block state: Qt gives each paragraph one integer of state, carried to the
next paragraph (that is how a fenced code block knows it is still open).  Each layer
declares how many bits it needs and the highlighter packs them into that integer, so a
stateful layer can never clobber another's state.

Colours come from the palette (never literals) so light and dark themes both read well.
Positions given to layers are Python string indices; Qt counts characters outside the
Basic Multilingual Plane (most emoji) as two, which :class:`Utf16Offsets` converts.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Callable
from itertools import pairwise
from typing import ClassVar

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from writer.core.scenebreak import is_scene_break_line

__all__ = ["HighlightLayer", "MarkdownHighlighter", "MarkdownLayer", "SetFormat", "Utf16Offsets"]

#: ``set_format(start, length, format)``: positions are Python indices into the block text.
SetFormat = Callable[[int, int, QTextCharFormat], None]

_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Converts between Python indices and Qt (UTF-16) positions within one text.

    Without this every format, selection or search hit after an emoji would land one
    character early, because Qt stores such characters as surrogate pairs.
    """

    __slots__ = ("_astral", "_astral_qt")

    def __init__(self, text: str) -> None:
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL_RE.finditer(text)]
        self._astral_qt = [index + k for k, index in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        """The Qt position of Python index ``index``."""
        return index + bisect_left(self._astral, index) if self._astral else index

    def to_py(self, position: int) -> int:
        """The Python index of Qt position ``position`` (the middle of a pair maps to its start)."""
        return position - bisect_left(self._astral_qt, position) if self._astral else position


def mix_colors(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``: "dimmed" text is text mixed
    into the background, which stays readable whichever way round the theme is."""
    keep = 1.0 - amount
    return QColor.fromRgbF(
        a.redF() * keep + b.redF() * amount,
        a.greenF() * keep + b.greenF() * amount,
        a.blueF() * keep + b.blueF() * amount,
    )


class HighlightLayer(ABC):
    """One kind of highlighting, applied to every paragraph after the layers before it.

    Subclasses set ``state_bits`` to the number of bits of block state they need (0 for a
    stateless layer such as a spell checker) and implement :meth:`highlight`.
    """

    state_bits: ClassVar[int] = 0

    @abstractmethod
    def highlight(self, text: str, state: int, set_format: SetFormat) -> int | None:
        """Format one paragraph.

        ``state`` is what this layer returned for the previous paragraph (0 at the start);
        the return value is this paragraph's state (``None`` means 0).  Formats passed to
        ``set_format`` are merged over those of earlier layers and earlier calls.
        """

    def refresh_palette(self, palette: QPalette) -> None:  # noqa: B027 - optional hook
        """Recompute colours; called when the theme changes."""

    def refresh_font(self, font: QFont) -> None:  # noqa: B027 - optional hook
        """Recompute font-relative formats; called when the editor font changes."""


# Block-level patterns.  Each is matched at a position with ``pattern.match(text, pos)``.
_FENCE_OPEN_RE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE_RE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*$")
_QUOTE_RE = re.compile(r"(?: {0,3}>[ \t]?)+")
_HEADING_RE = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_LIST_RE = re.compile(r"[ \t]*([-*+]|\d{1,9}[.)])(?=[ \t]|$)")
# Inline patterns, run over a copy of the line in which already-claimed text is masked.
_ESCAPE_RE = re.compile(r"\\[!-/:-@\[-`{-~]")
_CODE_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_AUTOLINK_RE = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>\0]*|[^\s<>@\0]+@[^\s<>@\0]+\.[^\s<>@\0]+)>"
)
_LINK_RE = re.compile(
    r"(!?\[)([^\]\0]*)(\]\()([^()\s\0]*(?:\([^()\s\0]*\)[^()\s\0]*)*(?:[ \t]+\"[^\"\0]*\")?)(\))"
)
_FOOTNOTE_RE = re.compile(r"\[\^[^\]\s\0]+\]")
_STRONG_RES = (
    re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*"),
    re.compile(r"(?<![\w_])__(?=[^\s_])(.+?)(?<=[^\s_])__(?![\w_])"),
)
_EMPHASIS_RES = (
    re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)"),
    re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"),
)

_MASK = "\0"

# Markdown layer state: two bits of kind, then the opening fence's length.
_PLAIN, _BACKTICKS, _TILDES, _COMMENT = 0, 1, 2, 3
_MAX_FENCE = 31

_HEADING_SCALE = {1: 1.6, 2: 1.4, 3: 1.25, 4: 1.12, 5: 1.0, 6: 1.0}


def _mask(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with each range replaced by mask characters of the same length."""
    if not ranges:
        return text
    parts, last = [], 0
    for start, end in ranges:
        parts.append(text[last:start])
        parts.append(_MASK * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


class MarkdownLayer(HighlightLayer):
    """The Markdown syntax of a manuscript: headings, emphasis, links, code, quotes, lists,
    scene breaks, footnote references and HTML comments.

    Each inline construct masks what it claimed before the next runs, so a ``*`` inside
    inline code or an ``_`` inside a URL is never read as emphasis.
    """

    state_bits = 7

    def __init__(self, palette: QPalette, font: QFont) -> None:
        self.formats: dict[str, QTextCharFormat] = {}
        self._headings: dict[int, QTextCharFormat] = {}
        self.refresh_palette(palette)
        self.refresh_font(font)

    def refresh_palette(self, palette: QPalette) -> None:
        """Derive every colour from ``palette``."""
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        link = palette.color(QPalette.ColorRole.Link)
        dim = mix_colors(text, base, 0.55)
        code_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        def make(**props: object) -> QTextCharFormat:
            fmt = QTextCharFormat()
            if "fg" in props:
                fmt.setForeground(props["fg"])  # type: ignore[arg-type]
            if "bg" in props:
                fmt.setBackground(props["bg"])  # type: ignore[arg-type]
            if props.get("bold"):
                fmt.setFontWeight(QFont.Weight.Bold)
            if props.get("italic"):
                fmt.setFontItalic(True)
            if props.get("mono"):
                fmt.setFontFamilies(code_font.families())
                fmt.setFontFixedPitch(True)
            return fmt

        code_bg = mix_colors(base, text, 0.08)
        scene = make(fg=dim, bold=True)
        scene.setFontLetterSpacingType(QFont.SpacingType.PercentageSpacing)
        scene.setFontLetterSpacing(250)
        self.formats = {
            "marker": make(fg=dim),
            "strong": make(bold=True),
            "emphasis": make(italic=True),
            "link": make(fg=link),
            "url": make(fg=mix_colors(link, base, 0.45)),
            "footnote": make(fg=link),
            "code": make(mono=True, bg=code_bg),
            "code_marker": make(mono=True, bg=code_bg, fg=dim),
            "code_block": make(mono=True, fg=text),
            "fence": make(mono=True, fg=dim),
            "quote": make(fg=mix_colors(text, base, 0.3), italic=True),
            "list": make(fg=palette.color(QPalette.ColorRole.Highlight), bold=True),
            "scene_break": scene,
            "comment": make(fg=mix_colors(text, base, 0.5), italic=True),
        }

    def refresh_font(self, font: QFont) -> None:
        """Heading sizes are relative to the editor font, so they follow it."""
        self._headings = {}
        for level, scale in _HEADING_SCALE.items():
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            if font.pointSizeF() > 0:
                fmt.setFontPointSize(font.pointSizeF() * scale)
            elif font.pixelSize() > 0:
                fmt.setProperty(
                    QTextCharFormat.Property.FontPixelSize, round(font.pixelSize() * scale)
                )
            self._headings[level] = fmt

    def highlight(self, text: str, state: int, set_format: SetFormat) -> int | None:
        kind, fence_length = state & 3, state >> 2
        fmt = self.formats
        if kind in (_BACKTICKS, _TILDES):
            close = _FENCE_CLOSE_RE.match(text)
            fence_char = "`" if kind == _BACKTICKS else "~"
            if close and close.group(1)[0] == fence_char and len(close.group(1)) >= fence_length:
                set_format(0, len(text), fmt["fence"])
                return _PLAIN
            set_format(0, len(text), fmt["code_block"])
            return state
        if kind == _PLAIN and ("`" in text or "~" in text):
            opening = _FENCE_OPEN_RE.match(text)
            if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                set_format(0, len(text), fmt["fence"])
                fence = opening.group(1)
                new_kind = _BACKTICKS if fence[0] == "`" else _TILDES
                return new_kind | min(len(fence), _MAX_FENCE) << 2
        return self._highlight_line(text, kind == _COMMENT, set_format)

    def _highlight_line(self, text: str, in_comment: bool, set_format: SetFormat) -> int:
        fmt = self.formats
        masked, state = self._comments(text, in_comment, set_format)
        if not in_comment and is_scene_break_line(text):
            set_format(0, len(text), fmt["scene_break"])
            return state
        if "\\" in masked:
            masked = _mask(masked, [m.span() for m in _ESCAPE_RE.finditer(masked)])
        pos = 0
        quote = _QUOTE_RE.match(masked)
        if quote:
            pos = quote.end()
            set_format(0, len(text), fmt["quote"])
            set_format(0, pos, fmt["marker"])
        heading = _HEADING_RE.match(masked, pos)
        if heading:
            level = len(heading.group(1))
            set_format(pos, len(text) - pos, self._headings[level])
            set_format(heading.start(1), level, fmt["marker"])
        else:
            item = _LIST_RE.match(masked, pos)
            if item:
                set_format(item.start(1), item.end(1) - item.start(1), fmt["list"])
        self._inline(masked, set_format)
        return state

    def _comments(self, text: str, in_comment: bool, set_format: SetFormat) -> tuple[str, int]:
        """Format HTML comments (which may span paragraphs); return the masked text and state."""
        if not in_comment and "<!--" not in text:
            return text, _PLAIN
        ranges: list[tuple[int, int]] = []
        start, skip = (0, 0) if in_comment else (text.find("<!--"), 4)
        state = _PLAIN
        while start >= 0:
            end = text.find("-->", start + skip)
            if end < 0:
                ranges.append((start, len(text)))
                state = _COMMENT
                break
            ranges.append((start, end + 3))
            start, skip = text.find("<!--", end + 3), 4
        for start, end in ranges:
            set_format(start, end - start, self.formats["comment"])
        return _mask(text, ranges), state

    def _inline(self, masked: str, set_format: SetFormat) -> None:
        """Spans inside a paragraph; cheap character tests skip the regexes on plain prose."""
        fmt = self.formats
        if "`" in masked:
            claimed = []
            for m in _CODE_RE.finditer(masked):
                ticks = len(m.group(1))
                set_format(m.start(), m.end() - m.start(), fmt["code"])
                set_format(m.start(), ticks, fmt["code_marker"])
                set_format(m.end() - ticks, ticks, fmt["code_marker"])
                claimed.append(m.span())
            masked = _mask(masked, claimed)
        if "<" in masked:
            claimed = []
            for m in _AUTOLINK_RE.finditer(masked):
                set_format(m.start(), m.end() - m.start(), fmt["url"])
                claimed.append(m.span())
            masked = _mask(masked, claimed)
        if "[" in masked:
            claimed = []
            for m in _LINK_RE.finditer(masked):
                set_format(m.start(1), len(m.group(1)), fmt["marker"])
                set_format(m.start(2), len(m.group(2)), fmt["link"])
                set_format(m.start(3), m.end() - m.start(3), fmt["url"])
                claimed += [m.span(1), (m.start(3), m.end())]
            for m in _FOOTNOTE_RE.finditer(masked):
                set_format(m.start(), m.end() - m.start(), fmt["footnote"])
                claimed.append(m.span())
            masked = _mask(masked, sorted(claimed))
        if "*" in masked or "_" in masked:
            masked = self._delimited(masked, _STRONG_RES, 2, fmt["strong"], set_format)
            self._delimited(masked, _EMPHASIS_RES, 1, fmt["emphasis"], set_format)

    def _delimited(
        self,
        masked: str,
        patterns: tuple[re.Pattern[str], ...],
        width: int,
        style: QTextCharFormat,
        set_format: SetFormat,
    ) -> str:
        """Strong or emphasis spans; returns ``masked`` with their delimiters masked."""
        claimed = []
        marker = self.formats["marker"]
        for pattern in patterns:
            for m in pattern.finditer(masked):
                start, end = m.span()
                set_format(start, end - start, style)
                set_format(start, width, marker)
                set_format(end - width, width, marker)
                claimed += [(start, start + width), (end - width, end)]
        return _mask(masked, sorted(claimed))


class MarkdownHighlighter(QSyntaxHighlighter):
    """Applies its layers, in order, to every paragraph of one document.

    The Markdown layer is always first (``markdown_layer``); more layers are added with
    :meth:`add_layer`.  Create it with the document as argument: the document becomes its
    Qt parent and keeps it alive.
    """

    #: Bits of the block state available to layers (the state must stay a positive int).
    MAX_STATE_BITS = 30

    def __init__(self, document: QTextDocument, palette: QPalette | None = None) -> None:
        super().__init__(document)
        self._palette = QPalette(palette if palette is not None else QGuiApplication.palette())
        self._font = QFont(document.defaultFont())
        self.markdown_layer = MarkdownLayer(self._palette, self._font)
        self._layers: list[HighlightLayer] = [self.markdown_layer]
        self._shifts: list[int] = [0]

    def layers(self) -> tuple[HighlightLayer, ...]:
        """The layers, in the order they are applied."""
        return tuple(self._layers)

    def add_layer(self, layer: HighlightLayer) -> None:
        """Apply ``layer`` after the existing ones and rehighlight the document."""
        if layer in self._layers:
            return
        used = sum(existing.state_bits for existing in self._layers)
        if used + layer.state_bits > self.MAX_STATE_BITS:
            raise ValueError(f"not enough block state left for {layer.state_bits} more bits")
        layer.refresh_palette(self._palette)
        layer.refresh_font(self._font)
        self._layers.append(layer)
        self._restack()

    def remove_layer(self, layer: HighlightLayer) -> None:
        """Stop applying ``layer`` (the Markdown layer cannot be removed)."""
        if layer is self.markdown_layer:
            raise ValueError("the Markdown layer cannot be removed")
        if layer in self._layers:
            self._layers.remove(layer)
            self._restack()

    def _restack(self) -> None:
        shifts, shift = [], 0
        for layer in self._layers:
            shifts.append(shift)
            shift += layer.state_bits
        self._shifts = shifts
        self.rehighlight()

    def palette(self) -> QPalette:
        """The palette the colours were derived from."""
        return QPalette(self._palette)

    def refresh_palette(self, palette: QPalette) -> None:
        """Recolour for a new theme (call it on ``QEvent.PaletteChange``)."""
        self._palette = QPalette(palette)
        for layer in self._layers:
            layer.refresh_palette(self._palette)
        self.rehighlight()

    def font(self) -> QFont:
        """The font heading sizes were derived from."""
        return QFont(self._font)

    def refresh_font(self, font: QFont) -> None:
        """Resize headings for a new editor font."""
        self._font = QFont(font)
        for layer in self._layers:
            layer.refresh_font(self._font)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        """Run every layer over one paragraph, then apply the merged formats."""
        previous = max(self.previousBlockState(), 0)
        spans: list[tuple[int, int, QTextCharFormat]] = []
        size = len(text)

        def set_format(start: int, length: int, fmt: QTextCharFormat) -> None:
            end = min(start + length, size)
            start = max(start, 0)
            if end > start:
                spans.append((start, end, fmt))

        state = 0
        for layer, shift in zip(self._layers, self._shifts, strict=True):
            mask = (1 << layer.state_bits) - 1
            result = layer.highlight(text, (previous >> shift) & mask, set_format)
            if result:
                state |= (result & mask) << shift
        self.setCurrentBlockState(state)
        if spans:
            self._apply(text, spans)

    def _apply(self, text: str, spans: list[tuple[int, int, QTextCharFormat]]) -> None:
        """Merge overlapping spans in the order they were reported and hand them to Qt."""
        offsets = Utf16Offsets(text)
        if len(spans) == 1:
            start, end, fmt = spans[0]
            qt_start = offsets.to_qt(start)
            self.setFormat(qt_start, offsets.to_qt(end) - qt_start, fmt)
            return
        points = sorted({point for start, end, _ in spans for point in (start, end)})
        for left, right in pairwise(points):
            merged: QTextCharFormat | None = None
            for start, end, fmt in spans:
                if start <= left and end >= right:
                    if merged is None:
                        merged = QTextCharFormat(fmt)
                    else:
                        merged.merge(fmt)
            if merged is not None:
                qt_left = offsets.to_qt(left)
                self.setFormat(qt_left, offsets.to_qt(right) - qt_left, merged)
