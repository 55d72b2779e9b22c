"""HTML from the shared renderer cut into word-processor blocks, and the work's layout."""

from __future__ import annotations

from writer.export import blocks as b
from writer.export.blocks import Block, Run, html_to_blocks, markdown_to_blocks
from writer.render.assembled import AssembledWork, AssembleOptions


def kinds(blocks: list[Block]) -> list[str]:
    return [block.kind for block in blocks]


def texts(blocks: list[Block]) -> list[str]:
    return [block.text for block in blocks]


def test_emphasis_and_strong_nest_into_runs() -> None:
    (block,) = markdown_to_blocks("The *harbour* and **bold *both* x** and ***bi***.")
    assert block.kind == b.PARAGRAPH
    assert block.runs == [
        Run("The "),
        Run("harbour", italic=True),
        Run(" and "),
        Run("bold ", bold=True),
        Run("both", italic=True, bold=True),
        Run(" x", bold=True),
        Run(" and "),
        Run("bi", italic=True, bold=True),
        Run("."),
    ]


def test_other_inline_formatting() -> None:
    (block,) = html_to_blocks(
        "<p><i>i</i> <b>b</b> <code>c</code> <del>d</del> <s>s</s> <u>u</u> "
        "H<sub>2</sub>O x<sup>3</sup></p>"
    )
    runs = {run.text: run for run in block.runs}
    assert runs["i"].italic and runs["b"].bold and runs["c"].code
    assert runs["d"].strike and runs["s"].strike and runs["u"].underline
    assert runs["2"].subscript and runs["3"].superscript
    assert block.text == "i b c d s u H2O x3"


def test_links_keep_only_external_targets() -> None:
    (block,) = markdown_to_blocks("A [map](https://example.org/map), [x](#top), [m](mailto:a@b.c).")
    linked = {run.text: run.href for run in block.runs if run.href}
    assert linked == {"map": "https://example.org/map", "m": "mailto:a@b.c"}
    assert block.text == "A map, x, m."


def test_unsafe_link_and_script_leave_only_text() -> None:
    blocks = markdown_to_blocks('Hi <script>alert("x")</script>[click](javascript:alert(1))')
    assert texts(blocks) == ["Hi click"]
    assert all(not run.href for run in blocks[0].runs)
    # Even unsanitised HTML given straight to the parser loses script and style content.
    raw = html_to_blocks("<p>a<script>alert(1)</script><style>p{}</style>b</p>")
    assert texts(raw) == ["ab"]


def test_line_break_stays_inside_the_block() -> None:
    blocks = markdown_to_blocks("Keep the lamp lit.\nWhatever comes.\n\nNext.")
    assert texts(blocks) == ["Keep the lamp lit.\nWhatever comes.", "Next."]
    assert kinds(blocks) == [b.PARAGRAPH, b.PARAGRAPH]


def test_spaces_around_breaks_and_at_block_ends_are_trimmed() -> None:
    (block,) = html_to_blocks("<p>  a <em>b </em> <br>  c <br></p>")
    assert block.text == "a b\nc"


def test_blockquote_keeps_its_depth() -> None:
    blocks = markdown_to_blocks("> outer\n>\n> > inner\n\nafter")
    assert [(x.kind, x.level, x.text) for x in blocks] == [
        (b.BLOCKQUOTE, 1, "outer"),
        (b.BLOCKQUOTE, 2, "inner"),
        (b.PARAGRAPH, 0, "after"),
    ]


def test_nested_and_ordered_lists() -> None:
    text = "1. one\n    1. sub\n    2. sub two\n2. two\n\n- rope\n- tar\n"
    blocks = markdown_to_blocks(text)
    assert [(x.kind, x.list_kind, x.level, x.number, x.text) for x in blocks] == [
        (b.LIST_ITEM, "number", 1, 1, "one"),
        (b.LIST_ITEM, "number", 2, 1, "sub"),
        (b.LIST_ITEM, "number", 2, 2, "sub two"),
        (b.LIST_ITEM, "number", 1, 2, "two"),
        (b.LIST_ITEM, "bullet", 1, 0, "rope"),
        (b.LIST_ITEM, "bullet", 1, 0, "tar"),
    ]


def test_ordered_list_start_and_continued_paragraphs() -> None:
    blocks = markdown_to_blocks("3. three\n\n    more of three\n\n4. four\n")
    assert [(x.number, x.continued, x.text) for x in blocks] == [
        (3, False, "three"),
        (3, True, "more of three"),
        (4, False, "four"),
    ]
    assert html_to_blocks('<ol start="7"><li>x</li><li></li><li>z</li></ol>')[2].number == 9


def test_scene_breaks_in_every_spelling() -> None:
    blocks = markdown_to_blocks("One.\n---\nTwo.\n\n***\n\nThree.\n\n_ _ _\n\nFour.")
    assert kinds(blocks) == [b.PARAGRAPH, b.SCENE_BREAK] * 3 + [b.PARAGRAPH]
    assert texts(blocks)[0] == "One."


def test_footnotes_become_numbered_notes_and_superscript_references() -> None:
    text = "Wrong.[^1] Late.[^n]\n\n[^1]: Since the storm.\n\n    Second para.\n[^n]: Named."
    blocks = markdown_to_blocks(text)
    assert blocks[0].runs == [
        Run("Wrong."),
        Run("1", superscript=True),
        Run(" Late."),
        Run("2", superscript=True),
    ]
    notes = blocks[1:]
    assert [(x.kind, x.number, x.continued, x.text) for x in notes] == [
        (b.FOOTNOTE, 1, False, "1. Since the storm."),
        (b.FOOTNOTE, 1, True, "Second para."),
        (b.FOOTNOTE, 2, False, "2. Named."),
    ]
    assert "↩" not in "".join(texts(blocks))
    assert b.SCENE_BREAK not in kinds(blocks)  # the rule above the notes is not a break


def test_entities_are_unescaped() -> None:
    (block,) = html_to_blocks("<p>H&amp;M &lt;tag&gt; &copy; &#8212; caf&eacute;&nbsp;x</p>")
    assert block.text == "H&M <tag> © — café\xa0x"
    (smart,) = markdown_to_blocks('"Hi" -- it\'s... <b>&amp;</b>')
    assert smart.text == "“Hi” – it’s… &"


def test_headings_code_tables_and_images() -> None:
    text = (
        "# Big\n\n### Small\n\n```\ncode <x>\n  indented  twice\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | *2* |\n\n![a map](images/map.png)"
    )
    blocks = markdown_to_blocks(text)
    assert [(x.kind, x.level) for x in blocks[:2]] == [(b.HEADING, 1), (b.HEADING, 3)]
    code = blocks[2]
    assert code.kind == b.CODE and code.text == "code <x>\n  indented  twice"
    assert all(run.code for run in code.runs)
    assert texts(blocks[3:5]) == ["a\tb", "1\t2"]
    assert all(run.bold for run in blocks[3].runs)
    assert blocks[5].text == "[a map]"


def test_characters_xml_cannot_hold_are_dropped() -> None:
    (block,) = html_to_blocks("<p>a\x0bb\x0cc\x00d\x1fe</p>")
    assert block.text == "ab cde"  # a form feed is HTML white space, so it becomes a space


def test_empty_input_gives_no_blocks() -> None:
    assert markdown_to_blocks("") == []
    assert html_to_blocks("<p> </p><div>\n</div>") == []


# -- the work's layout -------------------------------------------------------------------


def test_front_matter_order(work: AssembledWork) -> None:
    blocks = b.front_matter_blocks(work, AssembleOptions())
    assert kinds(blocks[:3]) == [b.TITLE, b.BYLINE, b.META]
    labels = [x.text for x in blocks if x.kind == b.LABEL]
    assert labels == ["Summary:", "Disclaimer:", "Spoiler warning:", "Notes:"]
    spoiler = texts(blocks).index("Spoiler warning:")
    assert blocks[spoiler].runs == [Run("Spoiler warning:", bold=True)]
    assert blocks[spoiler + 1].text == "Spoilers for Season 2. Set after the finale."


def test_front_matter_respects_options(work: AssembledWork) -> None:
    options = AssembleOptions(
        title_page=False, disclaimer=False, spoiler_warning=False, work_notes=False
    )
    blocks = b.front_matter_blocks(work, options)
    assert texts(blocks) == ["Harbour Lights", "by Wren Aldous"]
    assert b.end_matter_blocks(work, options) == []


def test_chapter_layout(work: AssembledWork) -> None:
    first = b.chapter_blocks(work.chapters[0], AssembleOptions(), part_heading=True)
    assert [(x.kind, x.text, x.page_break) for x in first[:2]] == [
        (b.PART, "Part One", True),
        (b.CHAPTER, "Chapter 1: Low Tide", True),
    ]
    assert [x.text for x in first if x.kind == b.SCENE_BREAK] == ["* * *", "* * *"]
    assert first[-2].text == "Chapter End Notes:"
    second = b.chapter_blocks(work.chapters[1], AssembleOptions(scene_break="~"))
    assert second[0].kind == b.CHAPTER and second[0].page_break
    assert not any(x.page_break for x in second[1:])


def test_chapter_headings_in_text_move_below_chapter_level(work: AssembledWork) -> None:
    chapter = work.chapters[1]
    chapter.markdown = "# In text\n\nBody\n\n~\n\nMore"
    blocks = b.chapter_blocks(chapter, AssembleOptions(scene_break="~"))
    assert [(x.kind, x.level) for x in blocks[:2]] == [(b.CHAPTER, 1), (b.HEADING, 2)]
    # A custom marker is not a Markdown rule, but it still separates scenes.
    assert [(x.kind, x.text) for x in blocks[3:]] == [(b.SCENE_BREAK, "~"), (b.PARAGRAPH, "More")]


def test_one_shot_without_heading_starts_on_a_new_page(work: AssembledWork) -> None:
    chapter = work.chapters[1]
    chapter.heading = ""
    blocks = b.chapter_blocks(chapter, AssembleOptions())
    assert blocks[0].kind == b.PARAGRAPH and blocks[0].page_break
