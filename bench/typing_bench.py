"""Typing benchmark: keystroke cost and keystroke-to-preview latency by document size.

    python bench/typing_bench.py [--corpus DIR] [--sizes 1000,10000,50000] [--keys 200]

For each size the script builds a one-project library whose first chapter has that many
words of real prose (the Austen corpus in the developers' ``../shared/corpus``), opens the
real ``MainWindow`` on it offscreen and puts the cursor in the middle of the chapter. Then:

* typing, burst: ``--keys`` simulated keystrokes (letters, a space now and then) sent
  back to back with ``QTest.keyClick``, each followed by processing the events it posted.
  The time per key is what the GUI thread spends on it; at 60 Hz it must stay well under
  16 ms or typing stutters. The baseline is the same keys in a bare ``QPlainTextEdit``
  holding the same text, so the ratio is what the window adds (highlighter, counts,
  preview scheduling, autosave timer).
* typing, paced: the same number of keys at a typist's rhythm (80-160 ms apart, with a
  pause of 250-600 ms after half the words), keeping the event loop running in between,
  so debounced previews really render in the background, compete for the GIL, and their
  results land on the GUI thread. Besides the per-key time it
  reports the longest stretch the event loop was blocked between keys (a frozen frame the
  author sees even if no key was being handled) and how many stretches exceeded 16 ms.
* keystroke-to-preview: a unique marker word is typed; the clock runs from its last key
  until the preview controller emits ``rendered`` for a revision at least the one that key
  made, and the preview is checked to contain the marker. The baselines, in the same run,
  are a direct ``render_markdown(text)`` of the same text and the pane's ``show_html`` of
  the result, so the ratio shows the cost of the debounce and the thread hop.

Everything runs in one process (the figures are per document, not per start). WRITER_HOME
points at a temp folder. It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library_bench import (  # noqa: E402  (shared corpus helpers beside this file)
    Prose,
    add_corpus_argument,
    isolate_environment,
    load_paragraphs,
    median,
    ms,
    p95,
    print_table,
    ratio,
)

FRAME_S = 0.016
WAIT_S = 30.0


def build_project(root: Path, prose: Prose, words: int) -> int:
    """A one-project library whose first chapter has about ``words`` words; returns them."""
    from writer.core.library import Library
    from writer.core.wordcount import count_words

    project = Library(root).create(f"Typing {words}", first_chapter=False)
    text = prose.run(words)
    project.add_node("chapter", "Chapter 1", text=text)
    project.add_node("chapter", "Chapter 2", text=prose.run(1500))
    project.close()
    return count_words(text)


def pump(app: Any, seconds: float) -> list[float]:
    """Run the event loop for ``seconds``; returns how long each processEvents() blocked."""
    blocks: list[float] = []
    end = time.perf_counter() + seconds
    while True:
        now = time.perf_counter()
        if now >= end:
            return blocks
        app.processEvents()
        blocks.append(time.perf_counter() - now)
        time.sleep(0.0005)


def wait_until(app: Any, done: Any, timeout: float = WAIT_S) -> bool:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
        time.sleep(0.0005)
    return True


def middle_cursor(editor: Any) -> None:
    """Put the cursor at the end of the middle paragraph, where an author revises."""
    from PySide6.QtGui import QTextCursor

    document = editor.document()
    block = document.findBlockByNumber(document.blockCount() // 2)
    while block.isValid() and not block.text().strip():
        block = block.next()
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.setFocus()


def keys(rng: random.Random, count: int) -> list[str]:
    """Letters with a space every few: words, as an author types them."""
    out = []
    for _ in range(count):
        out.append(" " if rng.random() < 0.17 else rng.choice(string.ascii_lowercase))
    return out


def type_burst(app: Any, widget: Any, letters: list[str]) -> list[float]:
    """Each key's cost: the key event plus the events it posted, back to back."""
    from PySide6.QtTest import QTest

    times = []
    for letter in letters:
        started = time.perf_counter()
        QTest.keyClick(widget, letter)
        app.processEvents()
        times.append(time.perf_counter() - started)
    return times


def pauses(rng: random.Random, letters: list[str]) -> list[float]:
    """A typist's rhythm: 80-160 ms within a word, and after half the spaces a pause of
    250-600 ms, longer than the preview debounce, so renders land while typing goes on."""
    out = []
    for letter in letters:
        if letter == " " and rng.random() < 0.5:
            out.append(rng.uniform(0.25, 0.6))
        else:
            out.append(rng.uniform(0.08, 0.16))
    return out


def type_paced(
    app: Any, widget: Any, letters: list[str], gaps: list[float]
) -> tuple[list[float], list[float]]:
    """Keys at a typist's pace; returns (per-key times, event-loop blocks between keys)."""
    from PySide6.QtTest import QTest

    times: list[float] = []
    blocks: list[float] = []
    for letter, gap in zip(letters, gaps, strict=True):
        started = time.perf_counter()
        QTest.keyClick(widget, letter)
        app.processEvents()
        spent = time.perf_counter() - started
        times.append(spent)
        blocks += pump(app, max(0.0, gap - spent))
    return times, blocks


def preview_trials(app: Any, window: Any, trials: int, tag: str) -> tuple[list[float], int]:
    """Marker word typed, then time until the preview shows it; returns (latencies, misses)."""
    from PySide6.QtTest import QTest

    controller = window.preview_controller
    seen: list[tuple[int, float]] = []
    controller.rendered.connect(lambda revision: seen.append((revision, time.perf_counter())))
    latencies: list[float] = []
    misses = 0
    for trial in range(trials):
        window.documents.save_all()  # an autosave must not land inside a measurement
        wait_until(app, lambda: controller.in_flight is None and not controller.timer.isActive())
        pump(app, 0.05)
        marker = f"qz{tag}{string.ascii_lowercase[trial // 26]}{string.ascii_lowercase[trial % 26]}"
        QTest.keyClicks(window.editor, " " + marker[:-1])
        app.processEvents()
        seen.clear()
        started = time.perf_counter()
        QTest.keyClick(window.editor, marker[-1])
        wanted = controller.revision
        arrived = wait_until(app, lambda w=wanted: any(rev >= w for rev, _ in seen))
        if not arrived:
            misses += 1
            continue
        finished = next(at for rev, at in seen if rev >= wanted)
        if marker not in window.preview.toPlainText():
            misses += 1
            continue
        latencies.append(finished - started)
    return latencies, misses


def bare_editor_baseline(app: Any, text: str, letters: list[str]) -> list[float]:
    """The same keys in a plain ``QPlainTextEdit``: what Qt alone costs per key."""
    from PySide6.QtWidgets import QPlainTextEdit

    from writer.gui.editor import default_editor_font

    editor = QPlainTextEdit()
    editor.setFont(default_editor_font())
    editor.setPlainText(text)
    editor.resize(900, 860)
    editor.show()
    middle_cursor(editor)
    app.processEvents()
    times = type_burst(app, editor, letters)
    editor.close()
    editor.deleteLater()
    app.processEvents()
    return times


def measure_size(
    app: Any, root: Path, prose: Prose, size: int, args: argparse.Namespace
) -> dict[str, Any]:
    """Every figure for one document size."""
    from PySide6.QtTest import QTest

    from writer.core.library import Library
    from writer.gui.editor import document_text
    from writer.gui.main_window import MainWindow
    from writer.gui.preview import debounce_for
    from writer.render.markdown import render_markdown

    words = build_project(root, prose, size)
    rng = random.Random(args.seed + size)
    window = MainWindow(Library(root))
    window.resize(1400, 900)
    window.open_project(None)
    window.show()
    QTest.qWaitForWindowExposed(window, 5000)
    controller = window.preview_controller
    wait_until(app, lambda: controller.in_flight is None and controller.renders_started > 0)
    pump(app, 0.2)
    middle_cursor(window.editor)
    text = document_text(window.editor.document())
    chars = window.editor.document().characterCount()

    burst_keys = keys(rng, args.keys)
    profile_text = ""
    if args.profile and size == max(args.sizes):
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        burst = type_burst(app, window.editor, burst_keys)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        profile_text = out.getvalue()
    else:
        burst = type_burst(app, window.editor, burst_keys)
    window.documents.save_all()
    pump(app, 0.5)
    paced_keys = keys(rng, args.keys)
    renders_before = controller.renders_started
    paced, blocks = type_paced(app, window.editor, paced_keys, pauses(rng, paced_keys))
    paced_renders = controller.renders_started - renders_before
    window.documents.save_all()
    pump(app, 0.5)
    latencies, misses = preview_trials(
        app, window, args.trials, string.ascii_lowercase[len(str(size))]
    )

    renders = []
    for _ in range(args.render_repeat):
        started = time.perf_counter()
        html = render_markdown(text)
        renders.append(time.perf_counter() - started)
    shows = []
    for _ in range(args.render_repeat):
        started = time.perf_counter()
        window.preview.show_html(html)
        shows.append(time.perf_counter() - started)

    window.confirm_discard = lambda: True
    window.documents.save_all()
    window.close()
    controller.shutdown()
    window.deleteLater()
    app.processEvents()
    bare = bare_editor_baseline(app, text, burst_keys)
    return {
        "size": size,
        "words": words,
        "chars": chars,
        "burst": burst,
        "bare": bare,
        "paced": paced,
        "blocks": blocks,
        "paced_renders": paced_renders,
        "latencies": latencies,
        "misses": misses,
        "render": renders,
        "show": shows,
        "debounce": debounce_for(chars) / 1000,
        "profile": profile_text,
    }


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """Three tables: burst typing, paced typing, keystroke-to-preview."""
    rows = []
    for r in results:
        rows.append(
            [
                f"{r['words']:,}",
                ms(median(r["bare"])),
                ms(median(r["burst"])),
                ms(p95(r["burst"])),
                ms(max(r["burst"])),
                ratio(median(r["burst"]), median(r["bare"])),
            ]
        )
    print_table(
        ["words", "bare QPlainTextEdit", "median", "p95", "max", "vs bare"],
        rows,
        f"typing, burst: {args.keys} keys back to back, ms per key (GUI thread; frame = 16 ms)",
    )
    rows = []
    for r in results:
        long_blocks = [b for b in r["blocks"] if b > FRAME_S]
        rows.append(
            [
                f"{r['words']:,}",
                ms(median(r["paced"])),
                ms(p95(r["paced"])),
                ms(max(r["paced"])),
                ms(max(r["blocks"], default=float("nan"))),
                str(len(long_blocks)),
                str(r["paced_renders"]),
            ]
        )
    print_table(
        [
            "words",
            "median",
            "p95",
            "max",
            "longest block between keys",
            "blocks > 16 ms",
            "renders",
        ],
        rows,
        f"typing, paced: {args.keys} keys at 80-160 ms, pauses of 250-600 ms after some "
        "words (previews render meanwhile), ms per key",
    )
    rows = []
    for r in results:
        lat = median(r["latencies"])
        rows.append(
            [
                f"{r['words']:,}",
                ms(r["debounce"]),
                ms(median(r["render"])),
                ms(median(r["show"])),
                ms(lat),
                ms(p95(r["latencies"])),
                ratio(lat, median(r["render"])),
                ms(lat - r["debounce"] - median(r["render"]) - median(r["show"])),
                f"{len(r['latencies'])}/{len(r['latencies']) + r['misses']}",
            ]
        )
    print_table(
        [
            "words",
            "debounce",
            "render_markdown",
            "show_html",
            "key->preview",
            "p95",
            "vs render",
            "unexplained",
            "ok",
        ],
        rows,
        f"keystroke-to-preview, {args.trials} trials, ms (baselines: direct calls, same text)",
    )
    for r in results:
        if r["profile"]:
            print(f"\ncProfile of burst typing at {r['words']:,} words (top 25, cumulative):")
            print(r["profile"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Typing latency and keystroke-to-preview latency by document size.",
    )
    add_corpus_argument(parser)
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[1000, 10000, 50000],
        help="document sizes in words, comma-separated (default 1000,10000,50000)",
    )
    parser.add_argument("--keys", type=int, default=200, help="keystrokes per typing test")
    parser.add_argument("--trials", type=int, default=20, help="keystroke-to-preview trials")
    parser.add_argument("--render-repeat", type=int, default=5, help="baseline repetitions")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile burst typing on the largest size"
    )
    args = parser.parse_args(argv)

    paragraphs = load_paragraphs(args.corpus)
    with tempfile.TemporaryDirectory(prefix="writer-typing-bench-") as tmp:
        isolate_environment(Path(tmp) / "home")
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(["writer-bench"])
        prose = Prose(paragraphs, random.Random(args.seed))
        results = []
        for size in args.sizes:
            started = time.perf_counter()
            results.append(measure_size(app, Path(tmp) / f"lib-{size}", prose, size, args))
            print(f"{size:,} words measured in {time.perf_counter() - started:.1f} s", flush=True)
        print(f"\nQt platform: {os.environ.get('QT_QPA_PLATFORM')}, cursor mid-chapter")
        report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
