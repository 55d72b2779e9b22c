"""Library benchmark: how long a library of 200 works takes to be ready to edit.

    python bench/library_bench.py [--corpus DIR] [--works 200] [--repeat 5] [--profile]

The issue's target is "a library of 200 works is ready to edit in under 2 seconds". This
script builds a deterministic library through the core API (``Library.create``,
``Project.add_node``), about 10 chapters of about 2,000 words per work, cut from real prose
(the six Austen novels in the developers' ``../shared/corpus``), then starts a fresh Python
process per measurement, because a second window in the same process would find Qt, fonts,
imports and the page cache already warm and flatter the figure. Each child times
``MainWindow(library)`` + ``resize`` + ``open_project(None)`` + ``show()`` until the window
is exposed, the first document is in the editor and pending events are processed: "ready
to edit". It also notes when the first preview arrives and how long closing takes.

Beside it, in the same run and also in fresh processes, the baseline is the least any
window could do: ``Library.projects()``, loading every ``project.json``. The ratio shows
what the window adds. Every figure is taken twice: with the word-count cache warm (as the
app leaves it) and cold (``counts`` deleted from every ``project.json``, as after an older
version or a hand edit), since counting 4 million words is the obvious cost to fear.

This file also holds the small corpus helpers the other bench scripts share (reading the
corpus, runs of prose, medians, tables), so the three scripts build text the same way.
It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TARGET_READY_S = 2.0
_QT_NOISE = "does not support propagateSizeHints"  # the offscreen plugin, on every show()
_HEADING = re.compile(r"^\s*(chapter|volume)\b", re.IGNORECASE)

# ---------------------------------------------------------------- shared helpers


def add_corpus_argument(parser: argparse.ArgumentParser) -> None:
    """Every bench script takes the corpus the same way, defaulting to the shared one."""
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"folder of plain-text novels (*.txt); default {DEFAULT_CORPUS}",
    )


def load_paragraphs(corpus: Path) -> list[str]:
    """Every paragraph of the corpus, unwrapped, chapter headings left out.

    Exits with one line (not a traceback) when the corpus is missing, because a user's
    clone has no ``../shared`` and should be told what to pass instead.
    """
    files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if not files:
        raise SystemExit(f"error: no corpus at {corpus} (pass --corpus DIR with *.txt novels)")
    paragraphs: list[str] = []
    for file in files:
        text = file.read_text(encoding="utf-8").replace("\r\n", "\n")
        for block in re.split(r"\n\s*\n", text):
            line = " ".join(block.split())
            if len(line.split()) >= 4 and not _HEADING.match(line):
                paragraphs.append(line)
    if not paragraphs:
        raise SystemExit(f"error: no prose found in {corpus}/*.txt")
    return paragraphs


class Prose:
    """Runs of consecutive corpus paragraphs from seeded random places.

    Consecutive paragraphs (not shuffled sentences) keep dialogue, emphasis and paragraph
    lengths as a novelist writes them, which is what the renderer and the editor see.
    """

    def __init__(self, paragraphs: list[str], rng: random.Random) -> None:
        self.paragraphs = paragraphs
        self.rng = rng

    def run(self, words: int) -> str:
        """About ``words`` words of Markdown: paragraphs separated by blank lines."""
        start = self.rng.randrange(len(self.paragraphs))
        chosen: list[str] = []
        count = 0
        while count < words:
            paragraph = self.paragraphs[(start + len(chosen)) % len(self.paragraphs)]
            size = len(paragraph.split())
            if chosen and count + size // 2 > words:
                break
            chosen.append(paragraph)
            count += size
        return "\n\n".join(chosen) + "\n"

    def title(self) -> str:
        """Two or three capitalised words from the corpus."""
        words = re.findall(r"[A-Za-z]{4,}", self.rng.choice(self.paragraphs))
        picked = self.rng.sample(words, min(len(words), self.rng.randint(2, 3))) or ["Untitled"]
        return " ".join(w.capitalize() for w in picked)

    def sentence(self) -> str:
        return self.rng.choice(self.paragraphs).split(". ")[0][:300].rstrip(".") + "."


def isolate_environment(home: Path) -> None:
    """Offscreen Qt and a private ``WRITER_HOME``: a benchmark never touches the real home."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["WRITER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile (the maximum when there are fewer than 20 values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:,.1f}"


def ratio(value: float, base: float) -> str:
    if math.isnan(value) or math.isnan(base) or base <= 0:
        return "-"
    return f"{value / base:,.1f}x"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str = "") -> None:
    """A plain aligned table: the first column left-aligned, figures right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    if title:
        print(f"\n{title}")

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def run_child(script: Path, args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``script --child ...`` in a fresh interpreter; its last stdout line is JSON."""
    result = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if result.returncode != 0 or not result.stdout.strip():
        sys.stderr.write(result.stderr)
        raise SystemExit(f"error: child {' '.join(args[:2])} failed ({result.returncode})")
    noise = [line for line in result.stderr.splitlines() if line and _QT_NOISE not in line]
    if noise:
        sys.stderr.write("\n".join(noise) + "\n")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the library


def build_library(
    root: Path, paragraphs: list[str], works: int, chapters: int, words: int, seed: int
) -> int:
    """Write ``works`` projects through the core API; returns the words written.

    Going through ``Library.create`` and ``add_node`` means the files, the tree and the
    word-count cache are exactly what the app itself writes (about 25 ms a work here, so
    nothing needs caching between runs).
    """
    from writer.core.library import Library

    rng = random.Random(seed)
    prose = Prose(paragraphs, rng)
    library = Library(root)
    total = 0
    for number in range(1, works + 1):
        project = library.create(f"{prose.title()} {number}", first_chapter=False)
        project.set_field("author", [rng.choice(["Marion Lowell", "quillandink", "A. Reader"])])
        project.set_field("fandoms", [rng.choice(["Pride and Prejudice", "Emma", "Persuasion"])])
        project.set_field("summary", [prose.sentence()])
        project.set_field("tags", rng.sample(["Slow Burn", "Letters", "Regency", "Angst"], 2))
        for chapter in range(1, chapters + 1):
            text = prose.run(max(50, round(words * rng.uniform(0.8, 1.2))))
            project.add_node("chapter", f"Chapter {chapter}: {prose.title()}", text=text)
        project.add_node("note", "Research", text=prose.run(100))
        total += project.total_words()
        project.close()
    return total


def strip_counts(root: Path) -> None:
    """Forget every cached word count, as an older ``project.json`` would have none."""
    for file in sorted(root.glob("*/project.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        data.pop("counts", None)
        file.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- children


def child_baseline(library_path: Path) -> dict[str, Any]:
    """Load every project (the floor for any window), then count every project's words."""
    from writer.core.library import Library

    started = time.perf_counter()
    projects = Library(library_path).projects()
    loaded = time.perf_counter()
    words = sum(p.total_words() for p in projects)
    counted = time.perf_counter()
    return {
        "projects": len(projects),
        "words": words,
        "load_s": loaded - started,
        "load_count_s": counted - started,
    }


def child_ready(library_path: Path, profile: bool) -> dict[str, Any]:
    """Start the window on the library and time it to "ready to edit"."""
    began = time.perf_counter()
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from writer.core.library import Library
    from writer.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["writer-bench"])
    app.setApplicationName("writer")
    app.setOrganizationName("writer")
    imported = time.perf_counter()
    library = Library(library_path)

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    window = MainWindow(library)
    constructed = time.perf_counter()
    shown_at: list[float] = []
    window.preview_controller.rendered.connect(lambda _rev: shown_at.append(time.perf_counter()))
    window.resize(1400, 900)
    window.open_project(None)
    opened = time.perf_counter()
    window.show()
    QTest.qWaitForWindowExposed(window, 5000)
    app.processEvents()
    ready = time.perf_counter()
    if profiler is not None:
        profiler.disable()
    current = window.current
    in_editor = (
        current is not None
        and window.editor.document() is current.document
        and current.document.characterCount() > 1
    )
    deadline = time.perf_counter() + 30
    while not shown_at and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    preview = (shown_at[0] - started) if shown_at else math.nan
    closing = time.perf_counter()
    window.close()
    closed = time.perf_counter()
    profile_text = ""
    if profiler is not None:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        profile_text = out.getvalue()
    return {
        "profile": profile_text,
        "import_s": imported - began,
        "construct_s": constructed - started,
        "open_s": opened - constructed,
        "ready_s": ready - started,
        "preview_s": preview,
        "close_s": closed - closing,
        "in_editor": in_editor,
        "document_chars": current.document.characterCount() if current else 0,
        "projects": len(window.model.projects()),
    }


# ---------------------------------------------------------------- the run


def measure(script: Path, library: Path, homes: Path, cold: bool, repeat: int) -> dict[str, list]:
    """Alternate baseline and window children ``repeat`` times on one cache state."""
    runs: dict[str, list] = {"baseline": [], "ready": []}
    for number in range(repeat):
        if cold:
            strip_counts(library)
        runs["baseline"].append(run_child(script, ["--child", "baseline", str(library)]))
        if cold:
            strip_counts(library)  # (the baseline writes nothing; this keeps it obvious)
        home = homes / f"{'cold' if cold else 'warm'}-{number}"
        env = {"WRITER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
        runs["ready"].append(run_child(script, ["--child", "ready", str(library)], env))
    return runs


def report(results: dict[str, dict[str, list]], works: int, words: int) -> None:
    """The readable table: medians and p95 per phase, and the ratio to the baseline."""
    print(f"\nlibrary: {works} works, {words:,} words; figures in ms, fresh process each run")
    rows = []
    for state in ("warm", "cold"):
        runs = results[state]
        base = [r["load_s"] for r in runs["baseline"]]
        base_count = [r["load_count_s"] for r in runs["baseline"]]
        base_med = median(base)
        rows.append([f"{state}: Library.projects()", ms(base_med), ms(p95(base)), "1.0x"])
        rows.append(
            [
                f"{state}: projects() + total_words()",
                ms(median(base_count)),
                ms(p95(base_count)),
                ratio(median(base_count), base_med),
            ]
        )
        for key, label in (
            ("import_s", "import Qt + writer.gui (not counted)"),
            ("construct_s", "MainWindow(library)"),
            ("open_s", "open_project(None)"),
            ("ready_s", "READY TO EDIT (shown, idle)"),
            ("preview_s", "first preview shown"),
            ("close_s", "window.close() (saves all)"),
        ):
            values = [r[key] for r in runs["ready"]]
            shown = ratio(median(values), base_med) if key != "import_s" else ""
            rows.append([f"{state}: {label}", ms(median(values)), ms(p95(values)), shown])
    print_table(["measurement", "median", "p95", "vs projects()"], rows)
    print()
    for state in ("warm", "cold"):
        ready = median([r["ready_s"] for r in results[state]["ready"]])
        ok = all(r["in_editor"] for r in results[state]["ready"])
        verdict = "meets" if ready < TARGET_READY_S else "MISSES"
        print(
            f"{state} cache: ready to edit in {ready:.2f} s median, {verdict} the "
            f"{TARGET_READY_S:.0f} s target; first document in the editor every run: {ok}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time a library of N works from MainWindow() to ready-to-edit.",
    )
    add_corpus_argument(parser)
    parser.add_argument("--works", type=int, default=200, help="projects in the library")
    parser.add_argument("--chapters", type=int, default=10, help="chapters per work")
    parser.add_argument("--words", type=int, default=2000, help="words per chapter")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work", type=Path, help="folder for the library (kept); default a temp folder"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of one cold start"
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "LIBRARY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, library = args.child
        if kind == "baseline":
            result = child_baseline(Path(library))
        else:
            result = child_ready(Path(library), profile=kind == "profile")
        print(json.dumps(result))
        return 0

    paragraphs = load_paragraphs(args.corpus)
    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory(prefix="writer-library-bench-") as tmp:
        work = args.work or Path(tmp)
        isolate_environment(work / "home")
        library = work / "library"
        if library.exists():
            shutil.rmtree(library)
        started = time.perf_counter()
        words = build_library(library, paragraphs, args.works, args.chapters, args.words, args.seed)
        print(
            f"generated {args.works} works x {args.chapters} chapters, {words:,} words "
            f"in {time.perf_counter() - started:.1f} s"
        )
        results = {
            "warm": measure(script, library, work / "homes", cold=False, repeat=args.repeat),
            "cold": measure(script, library, work / "homes", cold=True, repeat=args.repeat),
        }
        report(results, args.works, words)
        if args.profile:
            strip_counts(library)
            env = {"WRITER_HOME": str(work / "homes" / "profile"), "QT_QPA_PLATFORM": "offscreen"}
            profiled = run_child(script, ["--child", "profile", str(library)], env)
            print("\ncProfile of one cold start, MainWindow() to ready (top 30, cumulative):")
            print(profiled["profile"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
