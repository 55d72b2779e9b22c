"""Tests for the plain-text (``txt`` export) conversion.

Plain text is built from the same rendered HTML as the preview, so these tests focus on
the layout rules: blank lines between blocks, kept line breaks, list markers, scene
breaks, footnotes moved to the end, and decoded entities.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from writer.render.plaintext import (
    PLAIN_SCENE_BREAK,
    PLAIN_TEXT_WIDTH,
    html_to_plain,
    markdown_to_plain,
)

CASES_DIR = Path(__file__).parent / "cases"


def plain(source: str) -> str:
    """Convert dedented Markdown, so test sources can be indented like the code."""
    return markdown_to_plain(textwrap.dedent(source).strip("\n"))


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    assert plain(
        """
        First paragraph,
        with a second line.

        Second paragraph.



        Third, after many blank lines.
        """
    ) == (
        "First paragraph,\nwith a second line.\n\nSecond paragraph.\n\n"
        "Third, after many blank lines."
    )


def test_markup_is_removed_and_smart_punctuation_kept() -> None:
    result = plain("\"It's *not* my **fault**,\" said Kit -- again... She'd had it---enough.")
    assert result == "“It’s not my fault,” said Kit – again… She’d had it—enough."


def test_entities_are_unescaped() -> None:
    assert plain("Fish &amp; chips &lt;3 &copy; 2024 AT&T 5 > 4") == (
        "Fish & chips <3 © 2024 AT&T 5 > 4"
    )


def test_non_breaking_space_survives_inside_text() -> None:
    assert plain("Mr.&nbsp;Darcy") == "Mr.\u00a0Darcy"


def test_poetry_keeps_its_line_breaks() -> None:
    assert (
        plain(
            """
        Under the hill
        the old dog sleeps,
        and the wind keeps
        its counsel still.
        """
        )
        == "Under the hill\nthe old dog sleeps,\nand the wind keeps\nits counsel still."
    )


def test_headings_become_their_text() -> None:
    assert (
        plain(
            """
        # Book One

        ## Chapter 1

        It began with a goose.
        """
        )
        == "Book One\n\nChapter 1\n\nIt began with a goose."
    )


@pytest.mark.parametrize("marker", ["***", "* * *", "---", "___", "- - -"])
def test_scene_break_is_a_centred_marker_paragraph(marker: str) -> None:
    result = plain(f"End of one scene.\n{marker}\nStart of the next.")
    assert result == f"End of one scene.\n\n{PLAIN_SCENE_BREAK}\n\nStart of the next."


def test_scene_break_marker_is_centred() -> None:
    stripped = PLAIN_SCENE_BREAK.strip()
    assert stripped == "* * *"
    left = len(PLAIN_SCENE_BREAK) - len(stripped)
    right = PLAIN_TEXT_WIDTH - len(PLAIN_SCENE_BREAK)
    assert abs(left - right) <= 1


def test_document_starting_with_a_scene_break_keeps_the_centring() -> None:
    assert plain("***\n\nText.") == f"{PLAIN_SCENE_BREAK}\n\nText."


def test_unordered_and_ordered_lists() -> None:
    assert (
        plain(
            """
        Packing:

        - rope
        - lantern
        - bread

        Steps:

        1. climb
        2. look
        3. despair
        """
        )
        == "Packing:\n\n- rope\n- lantern\n- bread\n\nSteps:\n\n1. climb\n2. look\n3. despair"
    )


def test_ordered_list_start_number_is_respected() -> None:
    assert plain("7. seventh\n8. eighth") == "7. seventh\n8. eighth"


def test_nested_list_is_indented_under_its_parent() -> None:
    assert (
        plain(
            """
        - fruit
            - apples
            - pears
        - bread
        """
        )
        == "- fruit\n  - apples\n  - pears\n- bread"
    )


def test_loose_list_items_are_separated_by_blank_lines() -> None:
    assert plain(
        """
        1. First item.

        2. Second item,
           with a second line.

            And a second paragraph.
        """
    ) == ("1. First item.\n\n2. Second item,\n   with a second line.\n\n   And a second paragraph.")


def test_blockquote_paragraphs_are_kept_as_paragraphs() -> None:
    assert plain(
        """
        She read the card aloud:

        > Meet me at the gate.
        > Come alone.
        >
        > Bring the key.

        Then she burned it.
        """
    ) == (
        "She read the card aloud:\n\nMeet me at the gate.\nCome alone.\n\n"
        "Bring the key.\n\nThen she burned it."
    )


def test_footnotes_become_markers_with_notes_at_the_end() -> None:
    result = plain(
        """
        The duke arrived late.[^late] Nobody was surprised.[^2]

        The feast began without him.

        [^late]: He was *always* late.
        [^2]: Except the duchess.
        """
    )
    assert result == (
        "The duke arrived late.[1] Nobody was surprised.[2]\n\n"
        "The feast began without him.\n\n"
        "[1] He was always late.\n\n"
        "[2] Except the duchess."
    )


def test_footnote_backlink_arrow_is_dropped() -> None:
    result = plain("A.[^x]\n\n[^x]: B.")
    assert "↩" not in result
    assert "\u00a0" not in result


def test_fenced_code_is_verbatim() -> None:
    result = plain(
        """
        Before.

        ```
          indented ***
        ---
        last line
        ```

        After.
        """
    )
    assert result == "Before.\n\n  indented ***\n---\nlast line\n\nAfter."


def test_table_rows_become_lines() -> None:
    result = plain(
        """
        | Name | Age |
        |:-----|----:|
        | Ann  | 12  |
        | Bo   | 9   |
        """
    )
    assert result == "Name | Age\nAnn | 12\nBo | 9"


def test_images_become_their_alt_text_and_links_their_text() -> None:
    result = plain("See ![the map](map.png) and [the wiki](https://example.org).")
    assert result == "See [the map] and the wiki."


def test_hostile_html_leaves_no_code_behind() -> None:
    result = plain(
        """
        Safe text.

        <script>alert("x")</script>

        <style>p { color: red }</style>

        <p onclick="x()">Click</p>
        """
    )
    assert result == "Safe text.\n\nClick"


def test_empty_and_whitespace_input() -> None:
    assert markdown_to_plain("") == ""
    assert markdown_to_plain("   \n\n\t\n") == ""


def test_no_trailing_newline_or_trailing_spaces() -> None:
    result = plain("Line with trailing spaces   \nNext line.\n\n\n")
    assert not result.endswith("\n")
    assert all(line == line.rstrip() for line in result.split("\n"))


def test_html_to_plain_handles_raw_fragments() -> None:
    html = "<div class='spoiler-warning'>Spoilers!</div><p>One<br><br>Two</p><ul><li></li></ul>"
    assert html_to_plain(html) == "Spoilers!\n\nOne\n\nTwo\n\n-"


@pytest.mark.parametrize("name", sorted(path.stem for path in CASES_DIR.glob("*.md")))
def test_reference_cases_convert_cleanly(name: str) -> None:
    """Every reference case also converts to tag-free text with no leftover entities."""
    result = markdown_to_plain((CASES_DIR / f"{name}.md").read_text(encoding="utf-8"))
    assert "<" not in result.replace("<3", "")
    assert "&nbsp;" not in result and "&amp;" not in result and "&#" not in result
    assert "\n\n\n" not in result


def test_reference_case_long_line_stays_one_line() -> None:
    source = (CASES_DIR / "long_line.md").read_text(encoding="utf-8")
    result = markdown_to_plain(source)
    assert "\n" not in result
    assert len(result) > 1500


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_markdown_to_plain_never_raises(text: str) -> None:
    result = markdown_to_plain(text)
    assert isinstance(result, str)
    assert not result.endswith("\n")


_MARKUP_TOKENS = [
    "<p>", "</p>", "<br>", "<hr>", "<hr class='scene-break'>", "<ul>", "</ul>", "<ol>",
    "<ol start='3'>", "<ol start='x'>", "</ol>", "<li>", "</li>", "<pre>", "</pre>",
    "<div class='footnote'>", "</div>", "<a class='footnote-ref'>", "<a class='footnote-backref'>",
    "</a>", "<sup>", "</sup>", "<table>", "<tr>", "<td>", "</td>", "</tr>", "</table>",
    "<img alt='x'>", "<img>", "<blockquote>", "</blockquote>", "</em>", "&amp;", "&#0;", "&",
    "<", ">", " ", "\n", "\t", "word", "\u00a0", "<!-- c -->", "<!DOCTYPE html>", "<![CDATA[x]]>",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_MARKUP_TOKENS), st.text(max_size=5)), max_size=40))
def test_html_to_plain_never_raises_on_arbitrary_markup(tokens: list[str]) -> None:
    result = html_to_plain("".join(tokens))
    assert isinstance(result, str)
    assert result == result.strip("\n")
