"""Tests for the shared Markdown renderer and its sanitiser.

Reference files in ``cases/`` pin the exact HTML for representative manuscript text, so
any change to the rendering path (extension set, sanitiser allowlist, library upgrade)
shows up as a reviewable diff.  The direct assertions below state the security and
scene-break guarantees explicitly, so they hold even if a reference file is regenerated.
"""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from writer.render.markdown import SCENE_BREAK_CLASS, is_scene_break_line, render_markdown
from writer.render.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    CLEAN_CONTENT_TAGS,
    URL_SCHEMES,
    sanitize_html,
)

CASES_DIR = Path(__file__).parent / "cases"
CASE_NAMES = sorted(path.stem for path in CASES_DIR.glob("*.md"))
STYLESHEET = Path(__file__).parents[2] / "resources" / "styles" / "preview.css"

SCENE_BREAK_HR = f'<hr class="{SCENE_BREAK_CLASS}">'


# -- reference files -------------------------------------------------------------------


def test_there_are_enough_reference_cases() -> None:
    assert len(CASE_NAMES) >= 12
    for name in CASE_NAMES:
        assert (CASES_DIR / f"{name}.html").is_file(), f"{name}.md has no {name}.html"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_reference_case(name: str) -> None:
    source = (CASES_DIR / f"{name}.md").read_text(encoding="utf-8")
    expected = (CASES_DIR / f"{name}.html").read_text(encoding="utf-8")
    assert render_markdown(source).rstrip() == expected.rstrip()


# -- scene breaks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "***",
        "* * *",
        "* * * *",
        "*****",
        "---",
        "- - -",
        "----------",
        "___",
        "_ _ _",
        "   ***",
        " * * *",
        "***   ",
        "*\t*\t*",
        "---\n",
        "* * *\r\n",
    ],
)
def test_is_scene_break_line_accepts(line: str) -> None:
    assert is_scene_break_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "**",
        "--",
        "* *",
        "    ***",  # four spaces: an indented code block
        "*-*",  # mixed characters
        "**_",
        "*** text",
        "text ***",
        "- item",
        "* item",
        "=====",  # setext h1 underline, not a scene break
        "~~~",
        "> ***",  # the quote prefix is the renderer's business, not the line test's
        "#",
    ],
)
def test_is_scene_break_line_rejects(line: str) -> None:
    assert not is_scene_break_line(line)


@pytest.mark.parametrize("marker", ["---", "***", "* * *", "___", "- - -"])
def test_text_followed_by_marker_is_paragraph_then_break(marker: str) -> None:
    html = render_markdown(f"The last line of a scene.\n{marker}\nThe next scene.")
    assert "<h2" not in html
    assert html.split("\n") == [
        "<p>The last line of a scene.</p>",
        SCENE_BREAK_HR,
        "<p>The next scene.</p>",
    ]


def test_scene_break_inside_fenced_code_is_untouched() -> None:
    html = render_markdown("```\nabove\n---\n* * *\n```")
    assert SCENE_BREAK_CLASS not in html
    assert "<pre><code>above\n---\n* * *\n</code></pre>" in html


def test_indented_code_is_not_a_scene_break() -> None:
    html = render_markdown("Before.\n\n    ***\n")
    assert SCENE_BREAK_CLASS not in html
    assert "<pre><code>***" in html


def test_markdown_rule_nested_in_list_is_still_a_scene_break() -> None:
    html = render_markdown("- first\n\n    ***\n\n- second")
    assert SCENE_BREAK_HR in html


def test_footnote_separator_is_not_a_scene_break() -> None:
    html = render_markdown("Text.[^a]\n\n[^a]: Note.")
    assert SCENE_BREAK_CLASS not in html
    assert '<div class="footnote">\n<hr>' in html


# -- hostile input ---------------------------------------------------------------------

HOSTILE_SNIPPETS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<p onclick="alert(1)">click</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](vbscript:msgbox)",
    "[x]: javascript:alert(1)\n\n[click][x]",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body { display: none }</style>",
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name="q"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<div style="background: url(https://evil.example/t.gif)">x</div>',
    "<!--<script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</script>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
]


class _TagCollector(HTMLParser):
    """Collect every element and attribute actually present in an HTML fragment.

    Checking parsed markup rather than substrings matters: the sanitiser may legitimately
    keep hostile-looking *text* (escaped as ``&lt;img onerror=...``), which is harmless.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


@pytest.mark.parametrize("snippet", HOSTILE_SNIPPETS)
def test_hostile_input_is_neutralised(snippet: str) -> None:
    html = render_markdown(f"Before.\n\n{snippet}\n\nAfter.")
    lowered = html.lower()
    # Raw "<tag" can only appear as real markup: text "<" is always escaped to "&lt;".
    for forbidden in (
        "<script",
        "<iframe",
        "<style",
        "<svg",
        "<math",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<meta",
        "<base",
        "<link",
    ):
        assert forbidden not in lowered, f"{forbidden!r} survived in {html!r}"
    for tag, attributes in _elements(html):
        assert tag in ALLOWED_TAGS
        for name, value in attributes.items():
            assert not name.startswith("on"), f"event handler on <{tag}> in {html!r}"
            assert name != "style"
            assert name in ALLOWED_ATTRIBUTES.get(tag, ()), f"{name} on <{tag}>"
            if name in ("href", "src"):
                scheme = value.strip().lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:")), html
    assert "Before." in html and "After." in html


def test_hostile_reference_case_has_no_active_content() -> None:
    source = (CASES_DIR / "hostile_html.md").read_text(encoding="utf-8")
    html = render_markdown(source)
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html.lower()
    assert "tracker.example.com" not in html


def test_script_and_style_content_is_removed_not_unwrapped() -> None:
    html = render_markdown(
        "<script>var secret = 1;</script>\n\n<style>p { color: red }</style>\n\n"
        '<iframe src="https://x.example">fallback text</iframe>'
    )
    assert "secret" not in html
    assert "color" not in html
    assert "fallback" not in html


def test_harmless_unknown_tags_are_unwrapped_keeping_text() -> None:
    assert sanitize_html("<p><font face=x>kept</font> <marquee>too</marquee></p>") == (
        "<p>kept too</p>"
    )


# -- sanitiser details -----------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "http://example.com/a.png",
        "https://example.com/a.png",
        "HTTPS://example.com/a.png",
        "//example.com/a.png",
        "\\\\example.com\\a.png",
        "/\\example.com/a.png",
        " https://example.com/a.png",
        "ht\ttps://example.com/a.png",
        "data:image/png;base64,AAAA",
        "file:///etc/passwd",
        "ftp://example.com/a.png",
        "",
    ],
)
def test_non_local_image_sources_are_dropped(src: str) -> None:
    html = sanitize_html(f'<p><img src="{src}" alt="pic"></p>')
    assert html == '<p><img alt="pic"></p>'


@pytest.mark.parametrize(
    "src", ["images/map.png", "./map.png", "../art/cover.jpg", "/home/me/cover.png", "a b.png"]
)
def test_local_image_sources_are_kept(src: str) -> None:
    html = sanitize_html(f'<img src="{src}" alt="pic" width="10" height="20" title="t">')
    assert 'src="' in html
    assert 'alt="pic"' in html and 'width="10"' in html and 'height="20"' in html


def test_markdown_remote_image_keeps_alt_text_only() -> None:
    html = render_markdown("![The harbour at dawn](https://example.com/harbour.jpg)")
    assert html == '<p><img alt="The harbour at dawn"></p>'


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://example.org/", True),
        ("http://example.org/", True),
        ("mailto:someone@example.org", True),
        ("#fn:1", True),
        ("chapter-02.html", True),
        ("../notes/world.md#rivers", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org/", False),
        ("data:text/html,hi", False),
    ],
)
def test_link_schemes(href: str, kept: bool) -> None:
    html = sanitize_html(f'<a href="{href}">x</a>')
    assert ("href=" in html) is kept


def test_links_get_no_rel_attribute() -> None:
    assert sanitize_html('<a href="https://example.org">x</a>') == (
        '<a href="https://example.org">x</a>'
    )


def test_footnote_markup_survives_sanitising() -> None:
    html = render_markdown("Text.[^n]\n\n[^n]: The note.")
    assert '<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup>' in html
    assert '<li id="fn:n">' in html
    assert 'class="footnote-backref" href="#fnref:n" title="' in html


def test_table_alignment_uses_attributes_not_style() -> None:
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert '<td align="left">1</td>' in html
    assert '<td align="right">2</td>' in html
    assert "style" not in html


def test_exported_constants_are_immutable_and_consistent() -> None:
    assert isinstance(ALLOWED_TAGS, frozenset)
    assert {"p", "hr", "img", "sup", "table"} <= ALLOWED_TAGS
    assert not {"script", "style", "iframe"} & ALLOWED_TAGS
    assert not CLEAN_CONTENT_TAGS & ALLOWED_TAGS
    assert set(ALLOWED_ATTRIBUTES) <= ALLOWED_TAGS
    with pytest.raises(TypeError):
        ALLOWED_ATTRIBUTES["p"] = frozenset({"style"})  # type: ignore[index]
    for attributes in ALLOWED_ATTRIBUTES.values():
        assert isinstance(attributes, frozenset)
        assert "style" not in attributes
        assert not any(name.startswith("on") for name in attributes)
    assert frozenset({"http", "https", "mailto"}) == URL_SCHEMES


def test_constants_can_build_a_stricter_cleaner() -> None:
    """The archive exporter is expected to derive its allowlist from ours like this."""
    tags = ALLOWED_TAGS - {"img", "div", "span"}
    attributes = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items() if tag in tags}
    html = nh3.clean(
        '<div class="x"><p id="a">Hi <img src="a.png"></p></div>',
        tags=set(tags),
        attributes=attributes,
        link_rel=None,
    )
    assert html == '<p id="a">Hi </p>'


# -- robustness and threads ------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_render_markdown_never_raises(text: str) -> None:
    html = render_markdown(text)
    assert isinstance(html, str)
    assert "<script" not in html.lower()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "***",
                "* * *",
                "---",
                "___",
                "text",
                "",
                "> quote",
                "- item",
                "```",
                "    code",
                "[^1]",
                "[^1]: note",
                "| a | b |",
                "|---|---|",
                "<div>",
                "</div>",
                "===",
            ]
        ),
        max_size=12,
    )
)
def test_render_markdown_never_raises_on_markdown_like_lines(lines: list[str]) -> None:
    assert isinstance(render_markdown("\n".join(lines)), str)


def test_consecutive_renders_do_not_leak_state() -> None:
    first = render_markdown("One.[^a]\n\n[^a]: First note.\n\n[ref]: https://example.org")
    second = render_markdown("Two, with a [ref] that is not defined here.")
    assert "First note" in first
    assert "footnote" not in second
    assert "href" not in second


def test_rendering_is_thread_safe() -> None:
    sources = [(CASES_DIR / f"{name}.md").read_text(encoding="utf-8") for name in CASE_NAMES]
    expected = [render_markdown(source) for source in sources]
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            rendered: list[str] = []
            for _ in range(10):
                rendered = [render_markdown(source) for source in sources]
                assert rendered == expected
            results[index] = rendered
        except BaseException as exc:  # reported by the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(results) == [0, 1, 2, 3]
    for rendered in results.values():
        assert rendered == expected


# -- stylesheet ------------------------------------------------------------------------


def test_preview_stylesheet_uses_only_palette_placeholders() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    placeholders = set(re.findall(r"@(\w+)@", css))
    assert placeholders == {"text", "base", "link", "mid"}
    # Every at sign belongs to a placeholder (no @media, @import, ...).
    assert css.count("@") == 2 * len(re.findall(r"@\w+@", css))
    # No literal colours.
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b", css)
    assert not re.search(r"\b(rgb|rgba|hsl|hsla)\(", css)
    for selector in (
        "hr.scene-break",
        "blockquote",
        ".footnote",
        "h1",
        "h2",
        ".title-page",
        ".spoiler-warning",
        ".disclaimer",
        ".notes",
    ):
        assert re.search(rf"(^|\s|,){re.escape(selector)}\s*[{{,]", css, re.M), selector
