"""Spell-check benchmark: keystroke latency with spell check on and off, 100,000 words.

    python bench/spellcheck_bench.py [--words 100000] [--keys 300] [--corpus DIR] [--seed 7]

Builds one Markdown document of ``--words`` words: by default deterministic prose from a
built-in word list with about one misspelling in 40 words, some ``**bold**``/``*emphasis*``
and character names; with ``--corpus DIR`` real novels instead (the Austen corpus in the
developers' ``../shared/corpus``, whose old spellings such as "connexion" are flagged).
The document comes from ``create_document`` and is shown in a ``MarkdownEditor``
(1000x800, offscreen), the cursor at the end of the middle paragraph.

For spell check off and on (a ``SpellCheckController`` in English, names accepted) it
reports, per simulated keystroke (``QTest.keyClick`` plus the events it posted, back to
back, letters with a space now and then), the median, p95 and maximum time, and the ratio
on/off.  Then the one-off costs with spell check on: attaching the layer (one highlighter
pass over the whole document, checking only the paragraphs on screen), the same pass if
every paragraph were checked, checking the paragraphs that a scroll brings into view, and
adding a word to the personal dictionary.  ``WRITER_HOME`` points at a temp folder.  It
prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import random
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import typing_bench  # noqa: E402  (beside this file)
from library_bench import (  # noqa: E402  (shared helpers beside this file)
    Prose,
    isolate_environment,
    load_paragraphs,
    median,
    ms,
    p95,
    print_table,
    ratio,
)

NAMES = ["Cass", "Heller", "Wren", "Okafor", "Mara", "Quill"]
_WORD_LIST = (
    "the a and of to in was she he it that her his with for on at as had not but be by "
    "from they you we all were one said there would what so up out if about who when "
    "which them could into time only little then now over before after again back down "
    "light lighthouse keeper stairs harbour water tide storm lantern window night "
    "morning evening rain wind sea shore boat rope salt glass door house room fire table "
    "letter thought looked walked turned waited watched remembered answered whispered "
    "laughed quiet cold dark bright long slow careful tired gentle sudden distant "
    "familiar through across between beneath toward against without along behind beyond "
    "never always perhaps almost nothing something everything someone nobody because "
    "although while until since though whether "
)
WORDS = _WORD_LIST.split()


def misspell(word: str, rng: random.Random) -> str:
    """A plausible typo: two neighbouring letters swapped, or one doubled or dropped."""
    if len(word) < 4:
        return word + rng.choice("xqz")
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1 :]


def generated_text(words: int, rng: random.Random) -> str:
    """About ``words`` words of Markdown paragraphs, deterministic for a seed."""
    paragraphs, count = [], 0
    while count < words:
        size = rng.randint(40, 160)
        out = []
        for n in range(size):
            word = rng.choice(NAMES) if rng.random() < 0.03 else rng.choice(WORDS)
            if rng.random() < 0.025:
                word = misspell(word, rng)
            if n == 0:
                word = word[:1].upper() + word[1:]
            if rng.random() < 0.02:
                word = f"**{word}**" if rng.random() < 0.5 else f"*{word}*"
            out.append(word)
            if rng.random() < 0.08:
                out[-1] += ","
        paragraphs.append(" ".join(out) + ".")
        count += size
    return "\n\n".join(paragraphs) + "\n"


def corpus_text(corpus: Path, words: int, rng: random.Random) -> str:
    return Prose(load_paragraphs(corpus), rng).run(words)


def middle_cursor(editor: Any) -> None:
    """The typing benchmark's place in the middle of the text, centred on screen."""
    typing_bench.middle_cursor(editor)
    editor.centerCursor()


def keys(rng: random.Random, count: int) -> list[str]:
    return [
        " " if rng.random() < 0.17 else rng.choice(string.ascii_lowercase) for _ in range(count)
    ]


def type_burst(app: Any, widget: Any, letters: list[str]) -> list[float]:
    from PySide6.QtTest import QTest

    gc.collect()  # a collection left over from building the document is not a keystroke
    times = []
    for letter in letters:
        started = time.perf_counter()
        QTest.keyClick(widget, letter)
        app.processEvents()
        times.append(time.perf_counter() - started)
    return times


def make_editor(app: Any, text: str) -> tuple[Any, Any]:
    from writer.gui.editor import MarkdownEditor, create_document

    document = create_document(text)
    editor = MarkdownEditor()
    editor.resize(1000, 800)
    editor.show()
    editor.set_document(document)
    app.processEvents()
    return editor, document


def count_words(text: str) -> int:
    return len(text.split())


def run(args: argparse.Namespace) -> None:
    from PySide6.QtWidgets import QApplication

    from writer.core.spelling import SpellChecker, SpellingUnavailable
    from writer.gui.editor import highlighter_for
    from writer.gui.spellcheck import SpellCheckController, SpellingLayer

    app = QApplication.instance() or QApplication([])
    rng = random.Random(args.seed)
    if args.corpus is not None:
        text = corpus_text(args.corpus, args.words, rng)
        source = f"corpus {args.corpus}"
    else:
        text = generated_text(args.words, rng)
        source = "generated prose, ~2.5% misspelled"
    try:
        SpellChecker.for_language("en")
    except SpellingUnavailable as error:
        raise SystemExit(f"error: {error}") from error
    print(
        f"document: {count_words(text):,} words, {text.count(chr(10)) + 1:,} paragraphs ({source})"
    )
    letters = keys(random.Random(args.seed + 1), args.keys)

    # --- spell check off
    editor, document = make_editor(app, text)
    middle_cursor(editor)
    type_burst(app, editor, letters[:20])  # warm up
    off = type_burst(app, editor, letters)
    editor.close()

    # --- spell check on
    editor, document = make_editor(app, text)
    controller = SpellCheckController()
    controller.set_editor(editor)
    started = time.perf_counter()
    controller.set_language("en", names=NAMES)  # attaches the layer: one highlighter pass
    attach = time.perf_counter() - started
    layer = controller.layer_for(document)
    assert layer is not None
    middle_cursor(editor)
    app.processEvents()
    started = time.perf_counter()
    controller.refresh()  # the view moved to the middle: check what is now on screen
    scroll_cold = time.perf_counter() - started
    type_burst(app, editor, letters[:20])
    on = type_burst(app, editor, letters)
    first, last = editor.visible_block_range()

    scrollbar = editor.verticalScrollBar()
    scroll_times = []
    for step in range(10):
        scrollbar.setValue(scrollbar.maximum() * step // 10)
        app.processEvents()
        started = time.perf_counter()
        controller.refresh()
        scroll_times.append(time.perf_counter() - started)
    middle_cursor(editor)
    app.processEvents()
    controller.refresh()
    started = time.perf_counter()
    controller.add_to_personal_dictionary("Zorblatt")
    add_word = time.perf_counter() - started
    marked = sum(
        1 for n in range(document.blockCount()) if document.findBlockByNumber(n).userData()
    )
    editor.close()

    # --- the same whole-document pass if every paragraph were checked
    full_doc = make_editor(app, text)[1]
    highlighter = highlighter_for(full_doc)
    checker = SpellChecker.for_language("en", names=NAMES)
    started = time.perf_counter()
    highlighter.add_layer(SpellingLayer(checker, highlighter))
    full_pass = time.perf_counter() - started
    plain_doc = make_editor(app, text)[1]
    started = time.perf_counter()
    highlighter_for(plain_doc).rehighlight()
    markdown_pass = time.perf_counter() - started

    print_table(
        ["per keystroke", "median ms", "p95 ms", "max ms", "keys"],
        [
            ["spell check off", ms(median(off)), ms(p95(off)), ms(max(off)), str(len(off))],
            ["spell check on", ms(median(on)), ms(p95(on)), ms(max(on)), str(len(on))],
            [
                "ratio on/off",
                ratio(median(on), median(off)),
                ratio(p95(on), p95(off)),
                ratio(max(on), max(off)),
                "",
            ],
        ],
        title=f"Typing at the end of the middle paragraph ({args.keys} keys, burst)",
    )
    print_table(
        ["one-off cost (spell check on)", "ms"],
        [
            ["attach: whole-document pass, visible paragraphs checked", ms(attach)],
            ["same pass, every paragraph checked", ms(full_pass)],
            ["same pass, Markdown only (no spelling layer)", ms(markdown_pass)],
            ["check paragraphs newly on screen (jump to middle, cold)", ms(scroll_cold)],
            ["check paragraphs newly on screen (scroll, median of 10)", ms(median(scroll_times))],
            ["add a word to the personal dictionary + recheck screen", ms(add_word)],
        ],
    )
    print(
        f"\nparagraphs on screen: {last - first + 1}; paragraphs ever checked: {marked:,} "
        f"of {document.blockCount():,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--corpus", type=Path, default=None, help="folder of *.txt novels instead of generated"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="writer-spell-bench-") as home:
        isolate_environment(Path(home))
        run(args)


if __name__ == "__main__":
    main()
