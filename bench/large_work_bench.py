"""Large-work benchmark: one 300,000-word project, how long it takes and how much memory.

    python bench/large_work_bench.py [--corpus DIR] [--words 300000] [--chapters 60]
                                     [--repeat 3] [--formats md,html,epub,docx,odt,pdf]

The script writes one deterministic project of about 300,000 words (60 chapters of about
5,000 words of consecutive corpus paragraphs, the Austen novels in the developers'
``../shared/corpus``) through the core API, then measures each figure in a fresh Python
process, so that its peak RSS (``resource.getrusage`` ``ru_maxrss`` in the child) belongs
to that step alone:

- ``Project.load``: reading and checking ``project.json`` and the document files' presence;
- window ready to edit: ``MainWindow(library)`` + ``open_project`` + ``show()`` until the
  window is exposed, the first chapter is in the editor and events are processed; in the
  same child, one key typed and ``save_everything()`` timed (the window's save path). Each
  window run gets a fresh ``WRITER_HOME``, so the daily snapshot of the project starts in
  the background as it does at the first start of a day;
- saving one chapter (``write_text`` without ``project.json``) and saving ``project.json``
  alone (after a metadata change);
- exporting to each format: ``Project.load`` + ``assemble`` + the exporter, as
  ``writer export`` does (modules imported before the clock starts).

The baseline, in the same run and the same kind of fresh process, is reading every file of
the project raw (``read_bytes``), the least any of these steps could do. Times are medians
of ``--repeat`` runs; peak RSS is the largest of them; "added" is the peak minus the RSS
after the child's imports. It prints figures and asserts nothing; WRITER_HOME points at a
temp folder.
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

BASELINE = "read-raw"
EXPORT_FORMATS = ["md", "html", "epub", "docx", "odt", "pdf"]
LABELS = {
    BASELINE: "baseline: read every file raw",
    "load": "Project.load",
    "ready": "window: ready to edit",
    "window-save": "window: save_everything after one key",
    "save-chapter": "save one chapter (write_text)",
    "save-json": "save project.json",
}


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


# ---------------------------------------------------------------- the work


def build_work(folder: Path, paragraphs: list[str], words: int, chapters: int, seed: int) -> int:
    """Write the project through ``Project.add_node``; returns its words as the app counts."""
    from writer.core.project import Project

    rng = random.Random(seed)
    prose = Prose(paragraphs, rng)
    project = Project.create(folder, "The Very Long Engagement", first_chapter=False)
    project.set_field("author", ["Marion Lowell"])
    project.set_field("fandoms", ["Pride and Prejudice - Jane Austen"])
    project.set_field("summary", [prose.sentence()])
    project.set_field("language", ["en"])
    for number in range(1, chapters + 1):
        project.add_node(
            "chapter", f"Chapter {number}: {prose.title()}", text=prose.run(words // chapters)
        )
    total = project.total_words()
    project.close()
    return total


# ---------------------------------------------------------------- children


def child(kind: str, folder: Path, out: Path) -> dict[str, Any]:
    """One measurement in this (fresh) process; times in seconds, memory in KiB."""
    if kind == BASELINE:
        rss_before = _maxrss_kib()
        started = time.perf_counter()
        size = sum(len(f.read_bytes()) for f in sorted(folder.rglob("*")) if f.is_file())
        return _result(started, rss_before, bytes=size)
    if kind in ("ready", "window-save"):
        return child_window(folder)

    from writer.core.project import Project

    if kind == "load":
        rss_before = _maxrss_kib()
        started = time.perf_counter()
        project = Project.load(folder)
        return _result(started, rss_before, documents=len(list(project.tree.walk())))
    if kind == "save-chapter":
        project = Project.load(folder)
        doc = list(project.tree.walk())[-1]
        text = project.read_text(doc.id) + "\nOne more paragraph, typed today.\n"
        rss_before = _maxrss_kib()
        started = time.perf_counter()
        project.write_text(doc.id, text, save=False)
        result = _result(started, rss_before, bytes=len(text.encode()))
        project.release_lock()
        return result
    if kind == "save-json":
        project = Project.load(folder)
        project.set_field("summary", [f"{project.meta.summary} (revised {time.time()})"])
        rss_before = _maxrss_kib()
        started = time.perf_counter()
        project.save()
        result = _result(started, rss_before, bytes=(folder / "project.json").stat().st_size)
        project.release_lock()
        return result
    return child_export(kind, folder, out)


def _result(started: float, rss_before: int, **extra: Any) -> dict[str, Any]:
    return {
        "seconds": time.perf_counter() - started,
        "rss_before_kib": rss_before,
        "rss_peak_kib": _maxrss_kib(),
        **extra,
    }


def child_export(fmt: str, folder: Path, out: Path) -> dict[str, Any]:
    from writer.core.project import Project
    from writer.export.base import ExportOptions
    from writer.export.formats import get_format
    from writer.render.assembled import assemble

    exporter = get_format(fmt).exporter()
    options = ExportOptions()
    rss_before = _maxrss_kib()
    started = time.perf_counter()
    work = assemble(Project.load(folder), options.assemble)
    written = exporter(work, out / f"book{get_format(fmt).extension}", options)
    size = sum(p.stat().st_size for p in written if p.is_file())
    return _result(started, rss_before, bytes=size)


def child_window(folder: Path) -> dict[str, Any]:
    """Ready to edit, then one key and the window's save of everything."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from writer.core.library import Library
    from writer.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["writer-bench"])
    rss_before = _maxrss_kib()
    started = time.perf_counter()
    window = MainWindow(Library(folder.parent))
    window.resize(1400, 900)
    window.open_project(folder)
    window.show()
    QTest.qWaitForWindowExposed(window, 10_000)
    app.processEvents()
    ready = time.perf_counter()
    current = window.current
    in_editor = current is not None and window.editor.document() is current.document
    chars = current.document.characterCount() if current is not None else 0
    rss_ready = _maxrss_kib()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    QTest.keyClicks(window.editor, "x")
    saving = time.perf_counter()
    saved = window.save_everything()
    save_seconds = time.perf_counter() - saving
    rss_saved = _maxrss_kib()
    window.close()  # (untimed: waits for the daily snapshot and takes the on-close one)
    return {
        "seconds": ready - started,
        "rss_before_kib": rss_before,
        "rss_peak_kib": rss_ready,
        "save_seconds": save_seconds,
        "save_rss_peak_kib": rss_saved,
        "in_editor": in_editor and saved,
        "chars": chars,
    }


# ---------------------------------------------------------------- the run


def mib(kib: float) -> str:
    return f"{kib / 1024:,.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Open, save and export a 300,000-word project; time and peak memory."
    )
    add_corpus_argument(parser)
    parser.add_argument("--words", type=int, default=300_000, help="length of the work")
    parser.add_argument("--chapters", type=int, default=60, help="chapters in the work")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per figure")
    parser.add_argument(
        "--formats",
        type=lambda s: s.split(","),
        default=EXPORT_FORMATS,
        help=f"comma-separated export formats; default {','.join(EXPORT_FORMATS)}",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--child", nargs=3, metavar=("KIND", "PROJECT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)

    if args.child:
        kind, folder, out = args.child
        print(json.dumps(child(kind, Path(folder), Path(out))))
        return 0

    from writer.export.formats import FORMATS

    unknown = [f for f in args.formats if f not in FORMATS]
    if unknown:
        raise SystemExit(f"error: unknown format {unknown[0]!r}; formats are {', '.join(FORMATS)}")
    paragraphs = load_paragraphs(args.corpus)
    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory(prefix="writer-large-bench-") as tmp:
        root = Path(tmp)
        isolate_environment(root / "home")
        folder = root / "library" / "the-very-long-engagement"
        started = time.perf_counter()
        words = build_work(folder, paragraphs, args.words, args.chapters, args.seed)
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        print(
            f"generated {args.chapters} chapters, {words:,} words, {size / 2**20:.1f} MiB "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        kinds = [BASELINE, "load", "ready", "save-chapter", "save-json", *args.formats]
        results: dict[str, list[dict[str, Any]]] = {}
        for kind in kinds:
            began = time.perf_counter()
            runs = []
            for number in range(args.repeat):
                out = root / "out" / f"{kind}-{number}"
                out.mkdir(parents=True)
                env = {
                    "WRITER_HOME": str(root / "homes" / f"{kind}-{number}"),
                    "QT_QPA_PLATFORM": "offscreen",
                    "PYTHONPATH": str(REPO),
                }
                runs.append(run_child(script, ["--child", kind, str(folder), str(out)], env))
            results[kind] = runs
            took = time.perf_counter() - began
            print(f"{kind}: {args.repeat} runs in {took:.1f} s", file=sys.stderr, flush=True)
        results["window-save"] = [
            {
                "seconds": r["save_seconds"],
                "rss_before_kib": r["rss_before_kib"],
                "rss_peak_kib": r["save_rss_peak_kib"],
            }
            for r in results["ready"]
        ]
        report(results, words, args.chapters, size, args.repeat)
    return 0


def report(
    results: dict[str, list[dict[str, Any]]], words: int, chapters: int, size: int, repeat: int
) -> None:
    base = results[BASELINE]
    base_time = median([r["seconds"] for r in base])
    base_peak = max(r["rss_peak_kib"] for r in base)
    print(
        f"\nlarge work: {words:,} words, {chapters} chapters, {size / 2**20:.1f} MiB on disk; "
        f"fresh process per run, median of {repeat}"
    )
    order = [BASELINE, "load", "ready", "window-save", "save-chapter", "save-json"]
    order += [k for k in results if k not in order]
    rows = []
    for kind in order:
        runs = results[kind]
        seconds = median([r["seconds"] for r in runs])
        peak = max(r["rss_peak_kib"] for r in runs)
        added = median([r["rss_peak_kib"] - r["rss_before_kib"] for r in runs])
        label = LABELS.get(kind, f"export {kind} (load + assemble + export)")
        rows.append(
            [
                label,
                f"{seconds * 1000:,.1f}",
                ratio(seconds, base_time),
                mib(peak),
                ratio(peak, base_peak),
                mib(added),
            ]
        )
    print_table(
        ["measurement", "time ms", "vs baseline", "peak RSS MiB", "vs baseline", "RSS added MiB"],
        rows,
    )
    ready = results["ready"]
    ok = all(r["in_editor"] for r in ready)
    print(
        f"\nwindow: first chapter ({ready[0]['chars']:,} characters) in the editor and saved "
        f"every run: {ok}. Peak RSS of the window is taken at ready to edit (and after the "
        "save for its row).\n'RSS added' is the peak minus the RSS after the child's imports "
        "(Qt's libraries for the window and PDF): the step's own memory."
    )


if __name__ == "__main__":
    sys.exit(main())
