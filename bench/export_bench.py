"""Export benchmark: a 150,000-word novel to every format, with time and peak memory.

    python bench/export_bench.py [--corpus DIR] [--words 150000] [--repeat 3] [--formats ...]

The script builds one deterministic novel through the core API from real prose (the
Austen corpus in the developers' ``../shared/corpus``): two parts, 40 chapters, scenes
joined by scene breaks, emphasis, footnotes, chapter summaries and notes, full work
metadata. Then every format in ``writer.export.formats.FORMATS`` is exported in a fresh
Python process per run, so each figure's peak memory belongs to that format alone (a
process's peak RSS never goes down, so formats run one after another in one process
would all report the worst one). Each child loads the project, ``assemble()``s it and
calls the exporter, as ``writer export`` does; the exporter's module is imported before
the clock starts (import cost is reported apart).

Reported per format: the median time of ``--repeat`` runs (load + assemble + export, what
the author waits for) and its ratio to the baseline; the peak RSS of the process and the
RSS the export added over the process after its imports; and, from one more run under
``tracemalloc`` (which slows Python down, so it is kept out of the timed runs), the peak
of the Python heap. Qt's C++ allocations (the PDF's text layout) appear only in RSS.

The baseline, in the same run and in the same kind of fresh process, is ``assemble()``
alone: reading every document and putting the work in order, which every exporter needs.
It prints figures and asserts nothing. WRITER_HOME points at a temp folder.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library_bench import (  # noqa: E402  (shared corpus helpers beside this file)
    REPO,
    Prose,
    add_corpus_argument,
    isolate_environment,
    load_paragraphs,
    median,
    print_table,
    ratio,
    run_child,
)

BASELINE = "assemble"
RENDER = "render"  # a second reference: assemble + render_markdown of every chapter
_SCENE_BREAK = "* * *"


# ---------------------------------------------------------------- the novel


def emphasise(text: str, rng: random.Random) -> str:
    """Bold a few words and add a footnote to the chapter, as authors' manuscripts do.

    The corpus already carries Austen's ``_italics_``; bold and footnotes exercise the
    other inline paths of every exporter.
    """
    paragraphs = text.rstrip("\n").split("\n\n")
    for index in rng.sample(range(len(paragraphs)), min(3, len(paragraphs))):
        words = paragraphs[index].split(" ")
        spot = rng.randrange(len(words))
        if words[spot].isalpha():
            words[spot] = f"**{words[spot]}**"
        paragraphs[index] = " ".join(words)
    return "\n\n".join(paragraphs) + "\n"


def add_footnote(text: str, rng: random.Random, prose: Prose, label: str) -> str:
    paragraphs = text.rstrip("\n").split("\n\n")
    index = rng.randrange(len(paragraphs))
    paragraphs[index] += f"[^{label}]"
    paragraphs.append(f"[^{label}]: {prose.sentence()}")
    return "\n\n".join(paragraphs) + "\n"


def build_novel(folder: Path, paragraphs: list[str], words: int, seed: int) -> int:
    """Write the novel with ``Project.add_node``; returns its word count as the app counts."""
    from writer.core.project import Project

    rng = random.Random(seed)
    prose = Prose(paragraphs, rng)
    project = Project.create(folder, "The Long Engagement", first_chapter=False)
    for field, values in {
        "author": ["Marion Lowell"],
        "fandoms": ["Pride and Prejudice - Jane Austen"],
        "rating": ["general"],
        "warnings": ["none"],
        "categories": ["f/m"],
        "relationships": ["Elizabeth Bennet/Fitzwilliam Darcy"],
        "characters": ["Elizabeth Bennet", "Fitzwilliam Darcy", "Jane Bennet"],
        "tags": ["Slow Burn", "Letters", "Regency", "Misunderstandings"],
        "summary": [prose.sentence()],
        "notes_begin": [prose.sentence()],
        "notes_end": ["Thank you for reading."],
        "disclaimer": ["The characters are Jane Austen's."],
        "language": ["en"],
    }.items():
        project.set_field(field, values)
    chapters = 40
    per_chapter = words / chapters
    for part_number in (1, 2):
        part = project.add_node("part", f"Volume {part_number}")
        for number in range(1, chapters // 2 + 1):
            scenes = rng.choice([0, 1, 1, 2])
            share = round(per_chapter / (scenes + 1))
            label = f"{part_number}-{number}"
            body = emphasise(prose.run(share), rng)
            if rng.random() < 0.3:  # a scene break typed inside a chapter's own text
                body += f"\n{_SCENE_BREAK}\n\n" + prose.run(80)
            body = add_footnote(body, rng, prose, label)
            chapter = project.add_node("chapter", prose.title(), part.id, text=body)
            if rng.random() < 0.5:
                project.set_doc_field(chapter.id, "summary", [prose.sentence()])
            for scene in range(scenes):
                text = emphasise(prose.run(share), rng)
                project.add_node("scene", f"Scene {scene + 1}", chapter.id, text=text)
        project.add_node("note", f"Research {part_number}", part.id, text=prose.run(300))
    total = project.total_words()
    project.close()
    return total


# ---------------------------------------------------------------- one child run


def child(fmt: str, folder: Path, out: Path, traced: bool) -> dict[str, Any]:
    """Load, assemble and export once; report times and memory of this process."""
    began = time.perf_counter()
    from writer.core.project import Project
    from writer.export.base import ExportOptions
    from writer.export.formats import get_format
    from writer.render.assembled import assemble
    from writer.render.markdown import render_markdown

    exporter = None if fmt in (BASELINE, RENDER) else get_format(fmt).exporter()
    imported = time.perf_counter()
    options = ExportOptions()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        import tracemalloc

        tracemalloc.start()
    started = time.perf_counter()
    work = assemble(Project.load(folder), options.assemble)
    assembled = time.perf_counter()
    written: list[Path] = []
    if fmt == RENDER:
        for chapter in work.chapters:
            render_markdown(chapter.markdown)
    if exporter is not None:
        extension = get_format(fmt).extension or "-archive"
        written = exporter(work, out / f"novel{extension}", options)
    finished = time.perf_counter()
    peak_heap = 0
    if traced:
        import tracemalloc

        peak_heap = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    files = [f for p in written for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return {
        "import_s": imported - began,
        "assemble_s": assembled - started,
        "export_s": finished - assembled,
        "total_s": finished - started,
        "rss_before_kb": rss_before,
        "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "heap_peak": peak_heap,
        "output_bytes": sum(f.stat().st_size for f in files),
        "chapters": len(work.chapters),
    }


# ---------------------------------------------------------------- the run


def mib(kib: float) -> str:
    return f"{kib / 1024:,.1f}"


def size(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1024
    return str(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Export a ~150,000-word novel to each format; time and peak memory."
    )
    add_corpus_argument(parser)
    parser.add_argument("--words", type=int, default=150_000, help="length of the novel")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per format")
    parser.add_argument(
        "--formats",
        type=lambda s: s.split(","),
        help="comma-separated names; default every format (md,txt,html,ao3,epub,docx,odt,pdf)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--child", nargs=3, metavar=("FORMAT", "PROJECT", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        fmt, folder, out = args.child
        print(json.dumps(child(fmt, Path(folder), Path(out), args.traced)))
        return 0

    from writer.export.formats import FORMATS  # (after the child branch: its imports are timed)

    args.formats = args.formats or list(FORMATS)
    unknown = [f for f in args.formats if f not in FORMATS]
    if unknown:
        raise SystemExit(f"error: unknown format {unknown[0]!r}; formats are {', '.join(FORMATS)}")
    paragraphs = load_paragraphs(args.corpus)
    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory(prefix="writer-export-bench-") as tmp:
        home = Path(tmp) / "home"
        isolate_environment(home)
        env = {"WRITER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
        novel = Path(tmp) / "the-long-engagement"
        words = build_novel(novel, paragraphs, args.words, args.seed)
        results: dict[str, dict[str, Any]] = {}
        for fmt in [BASELINE, RENDER, *args.formats]:
            started = time.perf_counter()
            runs = []
            for number in range(args.repeat + 1):
                out = Path(tmp) / f"out-{fmt}-{number}"
                out.mkdir()
                extra = ["--traced"] if number == args.repeat else []
                runs.append(run_child(script, ["--child", fmt, str(novel), str(out), *extra], env))
            results[fmt] = {"timed": runs[:-1], "traced": runs[-1]}
            took = time.perf_counter() - started
            print(f"{fmt}: {args.repeat + 1} runs in {took:.1f} s", file=sys.stderr, flush=True)
        report(results, words, args.repeat)
    return 0


def report(results: dict[str, dict[str, Any]], words: int, repeat: int) -> None:
    base = results[BASELINE]
    base_time = median([r["total_s"] for r in base["timed"]])
    base_peak = median([r["rss_peak_kb"] for r in base["timed"]])
    base_heap = base["traced"]["heap_peak"]
    chapters = base["timed"][0]["chapters"]
    print(f"novel: {words:,} words, {chapters} chapters; fresh process per run")
    names = {BASELINE: "assemble() (baseline)", RENDER: "assemble + render_markdown"}
    rows = []
    for fmt, runs in results.items():
        timed = runs["timed"]
        total = median([r["total_s"] for r in timed])
        export = median([r["export_s"] for r in timed])
        peak = max(r["rss_peak_kb"] for r in timed)
        added = median([r["rss_peak_kb"] - r["rss_before_kb"] for r in timed])
        heap = runs["traced"]["heap_peak"]
        rows.append(
            [
                names.get(fmt, fmt),
                f"{median([r['import_s'] for r in timed]) * 1000:,.0f}",
                f"{total:,.2f}",
                f"{export:,.2f}" if fmt != BASELINE else "-",
                ratio(total, base_time),
                mib(peak),
                ratio(peak, base_peak),
                mib(added),
                size(heap),
                ratio(heap, base_heap),
                size(timed[0]["output_bytes"]) if fmt not in names else "-",
            ]
        )
    print_table(
        [
            "format",
            "import ms",
            f"time s (median of {repeat})",
            "export alone s",
            "vs assemble",
            "peak RSS MiB",
            "vs assemble",
            "RSS added MiB",
            "Python heap peak",
            "vs assemble",
            "output",
        ],
        rows,
    )
    print(
        "\ntime = Project.load + assemble + export; export alone = after assemble; RSS added "
        "= peak RSS minus peak RSS after imports;\nPython heap = tracemalloc peak (load "
        "+ assemble + export) in a separate, untimed run"
    )


if __name__ == "__main__":
    sys.exit(main())
