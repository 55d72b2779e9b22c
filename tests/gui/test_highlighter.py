"""The layered Markdown highlighter: formats land on the right characters, state carries
fenced code and comments across paragraphs, and extra layers merge without disturbing it."""

from __future__ import annotations

import random
import time

import pytest
from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat, QTextDocument

from writer.gui.editor import create_document, highlighter_for
from writer.gui.highlighter import HighlightLayer, MarkdownHighlighter, SetFormat, Utf16Offsets


@pytest.fixture(autouse=True)
def _app(qapp):
    """QSyntaxHighlighter needs a running QGuiApplication."""
    return qapp


def block(document: QTextDocument, number: int):
    return document.findBlockByNumber(number)


def fmt_at(document: QTextDocument, number: int, column: int) -> QTextCharFormat:
    """The highlighter's format at ``column`` (a Qt position) of paragraph ``number``."""
    ranges = block(document, number).layout().formats()
    for rng in ranges:
        if rng.start <= column < rng.start + rng.length:
            return QTextCharFormat(rng.format)  # a copy: the range dies with the list
    return QTextCharFormat()


def bold(fmt: QTextCharFormat) -> bool:
    return fmt.fontWeight() >= QFont.Weight.Bold


def colour(fmt: QTextCharFormat) -> QColor:
    return fmt.foreground().color()


def doc(text: str) -> QTextDocument:
    return create_document(text)


def test_strong_emphasis_and_their_markers():
    d = doc("some **bold** and *it* and _it_ plain")
    assert not bold(fmt_at(d, 0, 0))
    assert bold(fmt_at(d, 0, 7))
    assert not fmt_at(d, 0, 7).fontItalic()
    assert fmt_at(d, 0, 19).fontItalic()
    assert fmt_at(d, 0, 28).fontItalic()
    assert not fmt_at(d, 0, 33).fontItalic()
    text_colour = d.findChild(MarkdownHighlighter).palette().color(QPalette.ColorRole.Text)
    assert colour(fmt_at(d, 0, 5)) != text_colour  # the ** is dimmed


def test_bold_italic_and_no_emphasis_inside_words_or_escapes():
    d = doc("***both*** snake_case_name \\*not\\* 2 * 3 * 4")
    assert bold(fmt_at(d, 0, 4)) and fmt_at(d, 0, 4).fontItalic()
    line = d.firstBlock().text()
    assert not fmt_at(d, 0, line.index("case")).fontItalic()
    assert not fmt_at(d, 0, line.index("not")).fontItalic()
    assert not fmt_at(d, 0, line.index("3")).fontItalic()


def test_headings_are_bold_and_larger():
    d = doc("# Chapter One\n### Smaller\n#hashtag")
    base = d.defaultFont().pointSizeF()
    h1, h3 = fmt_at(d, 0, 4), fmt_at(d, 1, 6)
    assert bold(h1) and h1.fontPointSize() > h3.fontPointSize() > base
    assert not bold(fmt_at(d, 2, 3))  # no space after #: not a heading


def test_heading_size_follows_the_font():
    d = doc("# Title")
    before = fmt_at(d, 0, 3).fontPointSize()
    highlighter_for(d).refresh_font(QFont("DejaVu Serif", 24))
    assert fmt_at(d, 0, 3).fontPointSize() > before


def test_inline_code_hides_emphasis_and_is_monospace():
    d = doc("see `a *b* c` here")
    inside = fmt_at(d, 0, 8)
    assert not inside.fontItalic()
    assert inside.fontFixedPitch()
    assert not fmt_at(d, 0, 15).fontFixedPitch()


def test_fenced_code_state_carries_across_paragraphs():
    d = doc("```python\n**not bold**\n* * *\n~~~\n```\n**bold**\n~~~\n```\n~~~~\n")
    assert not bold(fmt_at(d, 1, 3))
    assert fmt_at(d, 1, 3).fontFixedPitch()
    assert block(d, 1).userState() != block(d, 5).userState()
    assert fmt_at(d, 3, 0).fontFixedPitch()  # ~~~ does not close a ``` fence
    assert bold(fmt_at(d, 5, 3))  # closed: Markdown again
    assert fmt_at(d, 7, 0).fontFixedPitch()  # inside the ~~~ fence
    assert not fmt_at(d, 9, 0).fontFixedPitch()  # ~~~~ closed it


def test_editing_a_fence_rehighlights_the_following_paragraphs():
    d = doc("para\n**bold**")
    assert bold(fmt_at(d, 1, 3))
    cursor = d.find("para")
    cursor.insertText("```")
    assert not bold(fmt_at(d, 1, 3))


def test_links_autolinks_and_footnotes_use_link_colours():
    d = doc("a [the_link](http://x.org/a_b_c) <https://y.org> note[^1] end")
    palette = highlighter_for(d).palette()
    link = palette.color(QPalette.ColorRole.Link)
    line = d.firstBlock().text()
    assert colour(fmt_at(d, 0, line.index("the_link"))) == link
    url = colour(fmt_at(d, 0, line.index("http://")))
    assert url not in (link, palette.color(QPalette.ColorRole.Text))
    assert not fmt_at(d, 0, line.index("b_c")).fontItalic()
    assert colour(fmt_at(d, 0, line.index("https"))) == url
    assert colour(fmt_at(d, 0, line.index("^1"))) == link


def test_scene_breaks_lists_and_quotes():
    d = doc("* * *\n- item *one*\n12. item\n> quoted **line**\n---\n  ***  ")
    text = highlighter_for(d).palette().color(QPalette.ColorRole.Text)
    for number in (0, 4, 5):
        assert colour(fmt_at(d, number, 2)) != text
    assert not fmt_at(d, 0, 2).fontItalic()  # * * * is not emphasis
    list_marker = fmt_at(d, 1, 0)
    assert bold(list_marker) and colour(list_marker) != text
    assert fmt_at(d, 1, 8).fontItalic()
    assert bold(fmt_at(d, 2, 1))
    assert not bold(fmt_at(d, 2, 5))
    quote = fmt_at(d, 3, 4)
    assert quote.fontItalic() and colour(quote) != text
    assert bold(fmt_at(d, 3, 12))


def test_html_comments_span_paragraphs():
    d = doc("before <!-- hidden\n**not bold**\nend --> **bold**")
    assert fmt_at(d, 0, 10).fontItalic()
    assert not bold(fmt_at(d, 1, 3))
    assert fmt_at(d, 1, 3).fontItalic()
    assert bold(fmt_at(d, 2, 11))


def test_formats_after_an_emoji_land_on_the_right_characters():
    d = doc("\U0001f30a **wave**")
    assert not bold(fmt_at(d, 0, 0))
    assert bold(fmt_at(d, 0, 5))  # Qt counts the emoji as two positions
    offsets = Utf16Offsets("\U0001f30a **wave**")
    assert offsets.to_qt(5) == 6 and offsets.to_py(6) == 5


class TypoLayer(HighlightLayer):
    """A stand-in for a spell checker: underlines every "teh"."""

    def __init__(self) -> None:
        self.fmt = QTextCharFormat()
        self.fmt.setFontUnderline(True)

    def highlight(self, text: str, state: int, set_format: SetFormat) -> int | None:
        start = text.find("teh")
        while start >= 0:
            set_format(start, 3, self.fmt)
            start = text.find("teh", start + 1)
        return None


class CountingLayer(HighlightLayer):
    """A stateful layer: counts paragraphs, to prove states do not collide."""

    state_bits = 8

    def highlight(self, text: str, state: int, set_format: SetFormat) -> int | None:
        return (state + 1) & 0xFF


def test_an_added_layer_merges_with_markdown_formats():
    d = doc("**teh bold** and teh plain\n```\ncode teh\n```\n**after**")
    highlighter = highlighter_for(d)
    typo = TypoLayer()
    highlighter.add_layer(typo)
    assert highlighter.layers() == (highlighter.markdown_layer, typo)
    both = fmt_at(d, 0, 3)
    assert both.fontUnderline() and bold(both)
    assert fmt_at(d, 0, 18).fontUnderline() and not bold(fmt_at(d, 0, 18))
    assert fmt_at(d, 2, 6).fontUnderline() and fmt_at(d, 2, 6).fontFixedPitch()
    highlighter.remove_layer(typo)
    assert not fmt_at(d, 0, 3).fontUnderline()
    assert bold(fmt_at(d, 0, 3))


def test_stateful_layers_keep_separate_state():
    d = doc("```\n**in code**\n```\n**out**\nlast")
    highlighter = highlighter_for(d)
    highlighter.add_layer(CountingLayer())
    assert not bold(fmt_at(d, 1, 3))
    assert bold(fmt_at(d, 3, 3))
    shift = highlighter.markdown_layer.state_bits
    assert [block(d, n).userState() >> shift for n in range(5)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError):
        highlighter.add_layer(type("Greedy", (CountingLayer,), {"state_bits": 20})())
    with pytest.raises(ValueError):
        highlighter.remove_layer(highlighter.markdown_layer)


def test_colours_follow_the_palette():
    d = doc("[link](url)")
    highlighter = highlighter_for(d)
    palette = QPalette(highlighter.palette())
    palette.setColor(QPalette.ColorRole.Link, QColor(200, 30, 120))
    palette.setColor(QPalette.ColorRole.Base, QColor(20, 20, 20))
    palette.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    highlighter.refresh_palette(palette)
    assert colour(fmt_at(d, 0, 2)) == QColor(200, 30, 120)
    dimmed = colour(fmt_at(d, 0, 0))
    assert 20 < dimmed.red() < 230


def test_ten_thousand_words_rehighlight_quickly():
    rng = random.Random(7)
    words = [
        "the",
        "*tide*",
        "came",
        "**in**",
        "over",
        "`rocks`",
        "and",
        "[gulls](http://a.b)",
        "cried_out",
        "softly",
    ]
    paragraphs = [" ".join(rng.choice(words) for _ in range(100)) for _ in range(100)]
    d = doc("# Tides\n\n" + "\n\n".join(paragraphs))
    started = time.perf_counter()
    highlighter_for(d).rehighlight()
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0  # typically ~0.1 s; generous so a slow CI machine never flakes
