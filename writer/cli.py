"""The ``writer`` command line: the same library, headless.

Every error a user can cause ends as one line on stderr and a non-zero exit, never a
traceback. ``--library DIR`` works before and after the subcommand.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from writer import __version__
from writer.core.errors import ProjectLockedError, WriterError
from writer.core.library import Library
from writer.core.limits import check_work
from writer.core.lock import remove_lock
from writer.core.metadata import WorkMeta, to_dict
from writer.core.paths import default_library_dir
from writer.core.project import Project
from writer.core.snapshots import error_hint
from writer.export.base import ExportOptions
from writer.export.formats import FORMATS, get_format
from writer.render.assembled import AssembleOptions, assemble, reading_units

EXIT_ERROR = 1


def _library(args: argparse.Namespace) -> Library:
    return Library(Path(args.library) if args.library else default_library_dir())


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


# ---------------------------------------------------------------- commands


def cmd_gui(args: argparse.Namespace) -> int:
    from writer.gui.app import run_gui  # Qt is imported only when the window is wanted.

    chosen = args.library or os.environ.get("WRITER_LIBRARY")
    return run_gui(
        library=_library(args) if chosen else None,  # None: the library chosen in settings
        project=args.project,
        screenshot=Path(args.screenshot) if args.screenshot else None,
        size=args.size,
    )


def cmd_new(args: argparse.Namespace) -> int:
    meta = WorkMeta()
    project = _library(args).create(args.title, meta)
    if args.fandom:
        project.set_field("fandoms", args.fandom)
    if args.rating:
        project.set_field("rating", [args.rating])
    if args.author:
        project.set_field("author", [args.author])
    project.close()
    print(project.path)
    return 0


def _list_row(project: Project) -> dict[str, Any]:
    return {
        "title": project.meta.title,
        "slug": project.slug,
        "path": str(project.path),
        "fandoms": project.meta.fandoms,
        "status": project.meta.status,
        "posting": project.meta.posting,
        "words": project.total_words(),
        "modified": project.meta.modified,
    }


def cmd_list(args: argparse.Namespace) -> int:
    library = _library(args)
    if not library.path.is_dir():
        raise WriterError(f"library folder {library.path} does not exist")
    rows, broken = [], []
    for entry in library.entries():
        if entry.project is None:
            broken.append({"path": str(entry.path), "error": entry.error})
        else:
            rows.append(_list_row(entry.project))
    for item in broken:
        print(f"writer: skipped {item['error']}", file=sys.stderr)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print(f"No projects in {library.path}. Create one with: writer new TITLE")
        return 0
    width = max(len(r["title"]) for r in rows)
    for row in rows:
        fandoms = ", ".join(row["fandoms"]) or "-"
        print(
            f"{row['title']:<{width}}  {row['words']:>8,} words  {row['status']:<8} "
            f"{row['posting']:<8}  {row['modified'][:10]}  {fandoms}"
        )
    return 0


def _print_tree(nodes: list[dict[str, Any]], depth: int = 0) -> None:
    for node in nodes:
        title = node["title"] or "(untitled)"
        print(
            f"  {'  ' * depth}{node['kind']:<7} {title}  ({node['words']:,} words) [{node['id']}]"
        )
        _print_tree(node["children"], depth + 1)


def _format_value(value: Any) -> str:
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict) and "url" in item:
                parts.append(f"{item['site']}={item['url']}")
            elif isinstance(item, dict):
                part = f" #{item['part']}" if item.get("part") else ""
                parts.append(f"{item['name']}{part}")
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return "" if value is None else str(value)


def cmd_info(args: argparse.Namespace) -> int:
    project = _library(args).open(args.project)
    info = project.info()
    if args.json:
        _print_json(info)
        return 0
    for key, value in to_dict(project.meta).items():
        text = _format_value(value)
        if text:
            first, *rest = text.splitlines()
            print(f"{key + ':':<19}{first}")
            for line in rest:
                print(f"{'':<19}{line}")
    print(f"{'words:':<19}{info['words']:,}")
    print(f"{'path:':<19}{info['path']}")
    print("tree:")
    _print_tree(info["tree"])
    if info["trash"]:
        print("trash:")
        _print_tree(info["trash"])
    for warning in check_work(project.meta):
        print(f"warning: {warning.message}", file=sys.stderr)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    mode = "add" if args.add else "remove" if args.remove else "clear" if args.clear else "replace"
    if mode != "clear" and not args.values:
        raise WriterError(f"give a value for {args.field} (or --clear to empty it)")
    project = _library(args).open(args.project)
    if args.doc:
        meta = project.tree.find(args.doc).meta
        key = project.set_doc_field(args.doc, args.field, args.values, mode)
    else:
        meta = project.meta
        key = project.set_field(args.field, args.values, mode)
    project.close()
    print(f"{key}: {_format_value(to_dict(meta)[key])}")
    return 0


def _terminal_progress(label: str) -> Callable[[int, int], None] | None:
    """A one-line progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
        sys.stderr.flush()

    return show


def _export_options(args: argparse.Namespace, project: Project) -> ExportOptions:
    chapter_ids = None
    if args.chapters:
        known = {node.id for node, _part in reading_units(project)}
        unknown = [c for c in args.chapters if c not in known]
        if unknown:
            raise WriterError(f"no chapter with id {unknown[0]!r} in {project.title}")
        chapter_ids = args.chapters
    assemble_options = AssembleOptions(
        title_page=not args.no_title_page,
        disclaimer=not args.no_disclaimer,
        spoiler_warning=not args.no_spoiler_warning,
        work_notes=not args.no_notes,
        chapter_notes=not args.no_chapter_notes,
        headings=args.headings,
        scene_break=args.scene_break,
        chapter_ids=chapter_ids,
    )
    return ExportOptions(
        assemble=assemble_options,
        page_size=args.page_size,
        margin_mm=args.margin,
        font_family=args.font,
        font_size_pt=args.font_size,
        page_numbers=not args.no_page_numbers,
        per_chapter=args.per_chapter,
    )


def cmd_export(args: argparse.Namespace) -> int:
    fmt = get_format(args.format)
    project = _library(args).open(args.project)
    options = _export_options(args, project)
    if args.output:
        target = Path(args.output)
    else:
        suffix = "-archive" if fmt.name == "ao3" else ""
        target = Path.cwd() / f"{project.slug}{suffix}{fmt.extension}"
    work = assemble(project, options.assemble)
    if fmt.name == "ao3":
        from writer.export.archive_export import archive_warnings

        for warning in archive_warnings(work):
            print(f"warning: {warning}", file=sys.stderr)
    written = fmt.exporter()(work, target, options, _terminal_progress(f"{fmt.name}"))
    for path in written:
        print(path)
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    """Say who holds a project's lock; remove it when its holder is gone or on --force."""
    folder = _library(args).find(args.project)
    try:
        holder = remove_lock(folder, force=args.force)
    except ProjectLockedError as error:
        hint = "; if that copy is closed, run again with --force" if error.other_host else ""
        raise WriterError(f"{error}{hint}") from None
    if holder is None:
        print(f"{folder.name} is not locked")
    else:
        print(f"removed the lock of {folder.name} ({holder.describe()})")
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; ``--library`` is accepted on both sides of the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="library folder (default: $WRITER_LIBRARY or Documents/Writer)",
    )
    parser = argparse.ArgumentParser(
        prog="writer",
        description="A writing and manuscript manager for fiction and fan-fiction authors.",
    )
    parser.add_argument("--version", action="version", version=f"writer {__version__}")
    parser.add_argument("--library", metavar="DIR", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", parents=[common], help="open the window (the default)")
    gui.add_argument("project", nargs="?", help="project to open: folder, title or slug")
    gui.add_argument("--screenshot", metavar="FILE.png", help="save a PNG of the window and exit")
    gui.add_argument("--size", default="1400x900", help="window size for --screenshot (WxH)")
    gui.set_defaults(func=cmd_gui)

    new = sub.add_parser("new", parents=[common], help="create a project; prints its folder")
    new.add_argument("title")
    new.add_argument("--fandom", action="append", default=[], help="a fandom (repeatable)")
    new.add_argument("--rating", help="rating or alias: G, teen, T, M, explicit, K+ ...")
    new.add_argument("--author", help="author or pen name")
    new.set_defaults(func=cmd_new)

    lst = sub.add_parser("list", parents=[common], help="the projects of the library")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_list)

    info = sub.add_parser("info", parents=[common], help="metadata and tree with word counts")
    info.add_argument("project", help="folder, title or slug")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=cmd_info)

    set_ = sub.add_parser("set", parents=[common], help="set a metadata field")
    set_.add_argument("project", help="folder, title or slug")
    set_.add_argument("field", help="field name, e.g. rating, fandoms, summary, series")
    set_.add_argument("values", nargs="*", metavar="VALUE")
    set_.add_argument("--doc", metavar="ID", help="set a field of this document instead")
    how = set_.add_mutually_exclusive_group()
    how.add_argument("--add", action="store_true", help="add to a list field")
    how.add_argument("--remove", action="store_true", help="remove from a list field")
    how.add_argument("--clear", action="store_true", help="empty the field")
    set_.set_defaults(func=cmd_set)

    unlock = sub.add_parser("unlock", parents=[common], help="remove a stale project lock")
    unlock.add_argument("project", help="folder, title or slug")
    unlock.add_argument(
        "--force", action="store_true", help="also remove a lock from another computer"
    )
    unlock.set_defaults(func=cmd_unlock)
    _add_export_parser(sub, common)
    _add_stats_parser(sub, common)
    _add_import_parser(sub, common)
    _add_snapshot_parser(sub, common)
    _add_search_parsers(sub, common)
    return parser


def _add_export_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    exp = sub.add_parser("export", parents=[common], help="export a work to a file")
    exp.add_argument("project", help="folder, title or slug")
    exp.add_argument(
        "--format",
        "-f",
        required=True,
        choices=sorted(FORMATS),
        metavar="FORMAT",
        help=f"one of: {', '.join(FORMATS)}",
    )
    exp.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file (a folder for ao3); default: SLUG.EXT here",
    )
    exp.add_argument("--chapters", nargs="+", metavar="ID", help="only these chapters")
    exp.add_argument(
        "--headings",
        choices=["both", "titles", "numbers", "none"],
        default="both",
        help="chapter headings (default: Chapter N: Title)",
    )
    exp.add_argument(
        "--scene-break", default="* * *", metavar="TEXT", help="scene break marker (default: * * *)"
    )
    for flag, what in [
        ("--no-title-page", "the title page with the metadata"),
        ("--no-disclaimer", "the disclaimer"),
        ("--no-spoiler-warning", "the spoiler warning"),
        ("--no-notes", "the work's notes at the beginning and end"),
        ("--no-chapter-notes", "chapter notes and summaries"),
        ("--no-page-numbers", "page numbers (pdf)"),
    ]:
        exp.add_argument(flag, action="store_true", help=f"leave out {what}")
    exp.add_argument("--page-size", choices=["A4", "Letter"], default="A4", help="pdf, odt")
    exp.add_argument("--margin", type=float, default=25.0, metavar="MM", help="pdf, odt")
    exp.add_argument("--font", default="DejaVu Serif", help="pdf font family")
    exp.add_argument("--font-size", type=float, default=11.0, metavar="PT", help="pdf")
    exp.add_argument(
        "--per-chapter", action="store_true", help="ao3: also one HTML file per chapter"
    )
    exp.set_defaults(func=cmd_export)


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return func(args)
    except WriterError as error:
        hint = error_hint(error, getattr(args, "folder", None))
        print(f"writer: {error}; {hint}" if hint else f"writer: {error}", file=sys.stderr)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"writer: {where}{error.strerror or error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("writer: interrupted", file=sys.stderr)
        return 130
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``writer`` script and ``python -m writer``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "gui"])
    return _run(args.func, args)


# ---------------------------------------------------------------- search and index


def _add_search_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    search = sub.add_parser("search", parents=[common], help="search every work of the library")
    search.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words, "phrases", AND/OR/NOT, prefix*, fuzzy~, fandom:, character:, '
        "relationship:, tag:, rating:, status:, project:, title:, kind:, modified:",
    )
    search.add_argument("--limit", type=int, default=20, metavar="N", help="hits (default 20)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(func=cmd_search)

    index = sub.add_parser("index", parents=[common], help="bring the search index up to date")
    index.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")
    index.set_defaults(func=cmd_index)


def _search_text(words: list[str]) -> str:
    """The query from its arguments, joined by spaces. A ``FIELD:value with spaces``
    argument is what the shell leaves of ``fandom:"Harry Potter"``: its quotes go back."""
    parts = []
    for word in words:
        field, sep, value = word.partition(":")
        plain = '"' not in word and not value.lstrip().startswith(("[", "(", "{", "<", ">"))
        if sep and field.isidentifier() and plain and len(value.split()) > 1:
            word = f'{field}:"{value.strip()}"'
        elif len(words) > 1 and '"' not in word and len(word.split()) > 1:
            word = f'"{word}"'
        parts.append(word)
    return " ".join(parts)


def _terminal_snippet(snippet: str) -> str:
    import html

    on, off = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("[", "]")
    return html.unescape(snippet.replace("<mark>", on).replace("</mark>", off))


def _open_index(library: Library, build: str = "auto") -> Any:
    from writer.search import SearchIndex

    if not library.path.is_dir():
        raise WriterError(f"library folder {library.path} does not exist")
    return SearchIndex.open_for(library, build=build, progress=_terminal_progress("indexing"))


def cmd_search(args: argparse.Namespace) -> int:
    from writer.search import IndexLockedError

    if args.limit < 1:
        raise WriterError("--limit must be at least 1")
    text = _search_text(args.query)
    with _open_index(_library(args)) as index:
        try:
            index.reconcile()
        except IndexLockedError:
            print(
                "writer: note: the search index is being written by another copy of writer; "
                "these results are from its last saved state",
                file=sys.stderr,
            )
        index.warm()  # Open the searcher first: elapsed_ms is the query's own time.
        results = index.search(text, limit=args.limit)
    if args.json:
        _print_json(results.to_json())
        return 0
    if not results.hits:
        print(f"No matches for {text}.")
        return 0
    for _project, hits in results.groups():
        first = hits[0]
        spoilers = f"  (spoilers for {', '.join(first.spoilers)})" if first.spoilers else ""
        print(f"{first.project_title} [{first.project}]{spoilers}")
        for hit in hits:
            if hit.document is None:
                print("  work")
            else:
                place = " › ".join(t or "(untitled)" for t in hit.tree_path)
                where = f" @{hit.offset}" if hit.offset is not None else ""
                print(f"  {hit.kind:<7} {place}  [{hit.document}{where}]")
            if hit.snippet:
                print(f"          {_terminal_snippet(hit.snippet)}")
    shown = len(results.hits)
    print(f"{shown} of {results.total} hits ({results.elapsed_ms:.1f} ms)")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    import time

    started = time.perf_counter()
    build = "subprocess" if args.rebuild else "auto"
    with _open_index(_library(args), build) as index:
        if args.rebuild and not index.rebuilt:
            index.rebuild(_terminal_progress("indexing"), procs=2)
        if index.rebuilt:
            works, documents = index.size()
            seconds = time.perf_counter() - started
            print(f"Indexed {documents} documents of {works} works in {seconds:.1f} s.")
        else:
            counts = index.reconcile(progress=_terminal_progress("checking"))
            for problem in counts.skipped:
                print(f"writer: skipped {problem}", file=sys.stderr)
            print(
                f"Index up to date: {counts.added} added, {counts.updated} updated, "
                f"{counts.removed} removed, {counts.unchanged} unchanged."
            )
        print(f"Index folder: {index.index_dir}")
    return 0


# ---------------------------------------------------------------- import


def _add_import_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    imp = sub.add_parser(
        "import", parents=[common], help="import stories: .txt .md .html .docx .epub or folders"
    )
    imp.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file, or a folder of chapter files"
    )
    imp.add_argument(
        "--into", metavar="PROJECT", help="add the chapters to this project (after a snapshot)"
    )
    imp.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    imp.add_argument(
        "--update",
        action="store_true",
        help="update works imported before from a source that has changed since",
    )
    imp.add_argument("--json", action="store_true", help="print JSON")
    imp.set_defaults(func=cmd_import)


def _import_line(result: Any) -> str:
    count = f"{result.chapters} chapter{'s' if result.chapters != 1 else ''}"
    if result.action == "appended":
        return f"appended {count} to {result.project}"
    if result.action == "unchanged":
        return f"unchanged {result.project} (already imported)"
    if result.action == "update available":
        return f"already imported as {result.project}; changed since: --update updates it"
    if result.action == "would append":
        return f"would append {count} to {result.project}"
    return f"{result.action} {result.project} ({count})"


def cmd_import(args: argparse.Namespace) -> int:
    from writer.core.importing import import_paths  # the importer loads only when used

    bar = _terminal_progress("importing") if not args.json else None
    results = import_paths(
        args.paths,
        _library(args),
        into=args.into,
        dry_run=args.dry_run,
        progress=(lambda done, total, _message: bar(done, total)) if bar else None,
        update=args.update,
    )
    for result in results:
        if not result.ok:
            print(f"writer: {result.error}", file=sys.stderr)
            continue
        for warning in result.warnings:
            print(f"writer: warning: {result.source.name}: {warning}", file=sys.stderr)
        if args.json:
            continue
        print(_import_line(result))
        if args.dry_run:
            for key, value in result.metadata.items():
                text = _format_value(value) if not isinstance(value, dict) else json.dumps(value)
                print(f"  {key + ':':<17}{text.splitlines()[0] if text else ''}")
    if args.json:
        _print_json([result.to_json() for result in results])
    return EXIT_ERROR if any(not result.ok for result in results) else 0


# ---------------------------------------------------------------- snapshots


def _add_snapshot_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from writer.core.snapshots import DEFAULT_KEEP, DEFAULT_MAX_AGE_DAYS

    snap = sub.add_parser(
        "snapshot",
        parents=[common],
        help="back up projects as zip snapshots; list or restore them",
        description="Take a snapshot of a project (none if nothing changed since the last "
        "one), of the whole library (--all), list a project's snapshots, or restore one "
        "(after a snapshot of the current state).",
    )
    snap.add_argument("project", nargs="?", help="folder, title or slug")
    what = snap.add_mutually_exclusive_group()
    what.add_argument("--all", action="store_true", help="every project of the library")
    what.add_argument("--list", action="store_true", help="the project's snapshots, newest last")
    what.add_argument("--restore", metavar="NAME", help="bring back this snapshot (or 'latest')")
    snap.add_argument(
        "--keep",
        type=int,
        default=DEFAULT_KEEP,
        metavar="N",
        help=f"snapshots kept per project (default {DEFAULT_KEEP})",
    )
    snap.add_argument(
        "--max-age",
        type=float,
        default=DEFAULT_MAX_AGE_DAYS,
        metavar="DAYS",
        help=f"drop snapshots older than this, 0 for never (default {DEFAULT_MAX_AGE_DAYS})",
    )
    snap.add_argument(
        "--folder",
        metavar="DIR",
        help="snapshot folder (default: $WRITER_SNAPSHOT_DIR, else the app's data folder)",
    )
    snap.add_argument("--force", action="store_true", help="take one even if nothing changed")
    snap.set_defaults(func=cmd_snapshot)


def cmd_snapshot(args: argparse.Namespace) -> int:
    from writer.core import snapshots
    from writer.core.errors import ProjectError
    from writer.core.recovery import finish_interrupted_restores

    if args.keep < 1:
        raise WriterError("--keep must be at least 1")
    if args.max_age < 0:
        raise WriterError("--max-age must be 0 (no limit) or more days")
    folder = Path(args.folder).expanduser() if args.folder else None
    library = _library(args)
    if library.path.is_dir():
        for note in finish_interrupted_restores(library.path, folder):
            print(f"writer: note: {note}", file=sys.stderr)
    max_age = args.max_age or None
    if args.all:
        if args.project:
            raise WriterError("give a project or --all, not both")
        if not library.path.is_dir():
            raise WriterError(f"library folder {library.path} does not exist")
        results = snapshots.snapshot_library(
            library, "on demand", folder, keep=args.keep, max_age_days=max_age, force=args.force
        )
        for result in results:
            if result.status == "failed":
                print(f"writer: skipped {result.error}", file=sys.stderr)
            elif result.status == "taken":
                print(f"{result.folder.name}: {result.path}")
            else:
                since = f" since {result.path.stem}" if result.path else ""
                print(f"{result.folder.name}: unchanged{since}")
        if not results:
            print(f"No projects in {library.path}.")
        return EXIT_ERROR if any(r.status == "failed" for r in results) else 0
    if not args.project:
        raise WriterError("name a project, or give --all")
    project_folder = library.find(args.project)
    if args.list:
        project_id = snapshots.project_id_of(project_folder, folder)
        found = snapshots.list_snapshots(project_id, folder) if project_id else []
        if not found:
            print(f"No snapshots of {project_folder.name} yet.")
            return 0
        for info in found:
            mark = "" if info.loads else "  (did not load)"
            print(f"{info.name}  {info.local_time()}  {info.reason}{mark}")
        return 0
    if args.restore:
        project_id = snapshots.project_id_of(project_folder, folder)
        if project_id is None:
            raise WriterError(f"{project_folder}: cannot tell which project this is")
        chosen = snapshots.find_snapshot(project_id, args.restore, folder)
        restored = snapshots.restore_snapshot(project_folder, chosen.name, folder)
        newest = snapshots.latest_snapshot(project_id, folder)
        if newest is not None and newest.path != chosen.path:
            print(f"kept the state before the restore in snapshot {newest.name}")
        print(f"restored {restored} from snapshot {chosen.name} ({chosen.local_time()})")
        return 0
    try:
        project = Project.load(project_folder)
    except ProjectError as error:
        hint = snapshots.error_hint(error, folder)
        raise WriterError(f"{error}; {hint}" if hint else str(error)) from None
    taken = snapshots.snapshot_and_prune(
        project, "on demand", folder, keep=args.keep, max_age_days=max_age, force=args.force
    )
    if taken is None:
        newest = snapshots.latest_snapshot(project, folder)
        print(f"unchanged since {newest.name if newest else 'the last snapshot'}")
    else:
        print(taken)
    return 0


# ---------------------------------------------------------------- statistics

_STATS_JSON_KEYS = """\
JSON keys: project, path, words (the manuscript's words), goal (null without one),
percent (of the goal, one decimal), remaining, today (YYYY-MM-DD, local), words_today
(net), streak (days in a row with words added, to today or yesterday), sessions_total,
added, removed (over all sessions), days (the last --days days, oldest first: date, net,
added, removed, sessions), sessions (the last --sessions sessions, oldest first: start,
end, minutes, added, removed, net, documents), documents (documents with a word goal:
id, title, kind, words, goal, percent)."""


def _add_stats_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    stats = sub.add_parser(
        "stats",
        parents=[common],
        help="words, goals and writing sessions of a project",
        description="Words and goal progress of a project, words per day and recent\n"
        "writing sessions (recorded by the window in the project's sessions.tsv).",
        epilog=_STATS_JSON_KEYS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stats.add_argument("project", help="folder, title or slug")
    stats.add_argument("--json", action="store_true", help="print JSON (keys below)")
    stats.add_argument(
        "--days", type=int, default=14, metavar="N", help="days shown (default 14; 0: all)"
    )
    stats.add_argument(
        "--sessions",
        type=int,
        default=10,
        metavar="N",
        help="recent sessions shown (default 10; 0: all)",
    )
    stats.set_defaults(func=cmd_stats)


def _signed(value: int) -> str:
    return f"{value:+,}" if value else "0"


def cmd_stats(args: argparse.Namespace) -> int:
    from writer.core.sessions import stats as project_stats

    if args.days < 0 or args.sessions < 0:
        raise WriterError("--days and --sessions must be 0 or more")
    project = _library(args).open(args.project)
    numbers = project_stats(project)
    if args.json:
        _print_json(numbers.to_json(days=args.days, sessions=args.sessions))
        return 0
    goal = (
        f" of {numbers.goal:,} ({numbers.percent:.1f}%, {numbers.remaining:,} to go)"
        if numbers.goal
        else " (no goal set)"
    )
    print(numbers.title)
    print(f"{'Words:':<10}{numbers.total_words:,}{goal}")
    today = numbers.day_totals.get(numbers.today)
    count = today.sessions if today else 0
    print(f"{'Today:':<10}{_signed(numbers.words_today)} words in {count} session(s)")
    print(f"{'Streak:':<10}{numbers.streak} day(s)")
    print(
        f"{'Sessions:':<10}{len(numbers.sessions)}, +{numbers.added:,} -{numbers.removed:,} "
        f"words in all"
    )
    days = numbers.days(args.days)
    print()
    print(f"{'Day':<15}{'net':>8}{'added':>8}{'removed':>9}{'sessions':>10}")
    for day in days:
        print(
            f"{day.day.isoformat()} {day.day.strftime('%a'):<4}{_signed(day.net):>8}"
            f"{day.added:>8,}{day.removed:>9,}{day.sessions:>10}"
        )
    recent = numbers.recent_sessions(args.sessions)
    if recent:
        print()
        print("Recent sessions:")
        for session in recent:
            start, end = session.start.astimezone(), session.end.astimezone()
            print(
                f"  {start:%Y-%m-%d %H:%M}-{end:%H:%M} {session.minutes:>4} min  "
                f"{_signed(session.net):>7}  (+{session.added:,} -{session.removed:,}, "
                f"{session.documents} doc{'s' if session.documents != 1 else ''})"
            )
    if numbers.documents:
        print()
        print("Document goals:")
        width = max(len(d.title or "(untitled)") for d in numbers.documents)
        for doc in numbers.documents:
            print(
                f"  {doc.kind:<8}{doc.title or '(untitled)':<{width}}  {doc.words:>7,} of "
                f"{doc.goal:,}  {doc.percent:5.1f}%  [{doc.id}]"
            )
    return 0
