"""Search benchmark: Whoosh (as writer.search uses it) beside SQLite FTS5 and a plain scan.

    python bench/search_bench.py CORPUS_DIR [--work DIR] [--works 2000] [--words 2500]

builds a deterministic library from real prose (``bench/gen_library.py``; the corpus is
e.g. the six Austen novels in the developers' ``../shared/corpus``), then measures in one
run: the full index build (words per second, index size), query latency (p50/p95) for
single words, phrases, field filters and boolean queries, and the latency of an
incremental update after a save. Each figure stands beside the same work done by SQLite
FTS5 (porter stemmer, diacritics removed, bm25 with the title weighted, snippets, total
and facet counts) and by a plain scan of the files, as ratios. It prints figures; it
asserts nothing. Everything it writes stays under ``--work`` (WRITER_HOME included).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_library  # noqa: E402  (the generator beside this file)

TARGETS = {"query_p50": 10.0, "query_p95": 50.0, "update_p50": 100.0, "build_s": 120.0}
CLASSES = ("single words", "phrases", "field filters", "boolean")
_WORD = re.compile(r"[A-Za-z]+")


# ---------------------------------------------------------------- queries


@dataclass
class Query:
    """One logical query, rendered for each engine."""

    kind: str
    words: list[str] = field(default_factory=list)  # plain words (AND), or the phrase
    phrase: bool = False
    op: str = ""  # AND, OR, NOT, GROUP ((a OR b) AND c)
    fandom: str = ""
    character: str = ""
    tag: str = ""
    rating: str = ""
    status: str = ""
    doc_kind: str = ""
    dates: tuple[str, str] | None = None

    @property
    def work_only(self) -> bool:
        return not self.words and not self.status and not self.doc_kind and not self.dates

    def whoosh(self) -> str:
        parts = []
        if self.phrase:
            parts.append('"' + " ".join(self.words) + '"')
        elif self.op == "GROUP":
            a, b, c = self.words
            parts.append(f"({a} OR {b}) AND {c}")
        elif self.op:
            parts.append(f" {self.op} ".join(self.words))
        else:
            parts.extend(self.words)
        for name, value in (("fandom", self.fandom), ("character", self.character)):
            if value:
                parts.append(f'{name}:"{value}"')
        if self.tag:
            parts.append(f'tag:"{self.tag}"')
        if self.rating:
            parts.append(f"rating:{self.rating}")
        if self.status:
            parts.append(f"status:{self.status}")
        if self.doc_kind:
            parts.append(f"kind:{self.doc_kind}")
        if self.dates:
            parts.append(f"modified:[{self.dates[0]} to {self.dates[1]}]")
        return " ".join(parts)


def _sample_words(texts: list[str], rng: random.Random, count: int) -> list[str]:
    from writer.search.analysis import COMMON_TERMS, analyse

    words: list[str] = []
    while len(words) < count:
        text = rng.choice(texts)
        candidates = _WORD.findall(text[rng.randrange(len(text)) :][:400])
        for word in candidates[1:]:
            terms = analyse(word)
            if len(word) >= 4 and terms and terms[0] not in COMMON_TERMS:
                words.append(word.lower())
                break
    return words


def _sample_phrases(texts: list[str], rng: random.Random, count: int) -> list[list[str]]:
    phrases: list[list[str]] = []
    while len(phrases) < count:
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        match = re.search(r"(?:[A-Za-z]+ ){1,3}[A-Za-z]+", text[start : start + 300])
        if match:
            words = match.group(0).lower().split()
            size = rng.randint(2, 4)
            if len(words) >= size:
                phrases.append(words[:size])
    return phrases


def make_queries(texts: list[str], n: int, seed: int = 5) -> dict[str, list[Query]]:
    rng = random.Random(seed)
    words = _sample_words(texts, rng, n * 6)
    pick = iter(words).__next__
    fandoms = gen_library.FANDOMS[:12]
    filters: list[Query] = []
    for i in range(n):
        form = i % 7
        if form == 0:
            filters.append(Query("field filters", fandom=rng.choice(fandoms)))
        elif form == 1:
            filters.append(Query("field filters", [pick()], fandom=rng.choice(fandoms)))
        elif form == 2:
            name = rng.choice(gen_library.CHARACTERS[:10])
            filters.append(Query("field filters", [pick()], character=name))
        elif form == 3:
            rating = rng.choice(["teen", "general", "mature", "explicit"])
            filters.append(Query("field filters", [pick()], rating=rating))
        elif form == 4:
            filters.append(
                Query("field filters", status=rng.choice(["draft", "complete"]), doc_kind="chapter")
            )
        elif form == 5:
            filters.append(Query("field filters", tag=rng.choice(gen_library.TAGS[:8])))
        else:
            year = rng.randint(2016, 2024)
            filters.append(Query("field filters", [pick()], dates=(f"{year}-01", f"{year}-06")))
    ops = ["AND", "OR", "NOT", "GROUP"]
    boolean = []
    for i in range(n):
        op = ops[i % 4]
        boolean.append(
            Query("boolean", [pick(), pick(), pick()][: 3 if op == "GROUP" else 2], op=op)
        )
    return {
        "single words": [Query("single words", [pick()]) for _ in range(n)],
        "phrases": [Query("phrases", p, phrase=True) for p in _sample_phrases(texts, rng, n)],
        "field filters": filters,
        "boolean": boolean,
    }


# ---------------------------------------------------------------- the library as records


@dataclass
class Doc:
    key: str
    project: str
    kind: str
    status: str
    rating: str
    fandoms: list[str]
    characters: list[str]
    tags: list[str]
    title: str
    body: str  # title, summary, notes... and text, as the Whoosh body field
    modified: float
    file: Path | None
    words: int


def load_docs(library: Path) -> list[Doc]:
    from writer.core.project import Project
    from writer.search.records import load_text, project_records

    docs = []
    for folder in sorted(p for p in library.iterdir() if (p / "project.json").is_file()):
        project = Project.load(folder)
        for record in project_records(project):
            text, stamp = load_text(record)
            parts = [record.title, record.summary, record.notes, record.disclaimer]
            body = "\n\n".join([*parts, record.spoilers, text])
            mtime = int(stamp.split(":")[1]) / 1e9 if stamp else 0.0
            if record.modified is not None and not stamp:
                mtime = record.modified.timestamp()
            tags = dict(record.tags)
            docs.append(
                Doc(
                    record.key,
                    record.slug,
                    record.kind,
                    record.status,
                    record.rating,
                    list(tags["fandoms"]),
                    list(tags["characters"]),
                    list(tags["tags"]),
                    record.title,
                    body,
                    mtime,
                    record.file,
                    record.words or 0,
                )
            )
    return docs


# ---------------------------------------------------------------- SQLite FTS5

_RATINGS = {
    "teen": "Teen And Up Audiences",
    "general": "General Audiences",
    "mature": "Mature",
    "explicit": "Explicit",
}
_STATUS = {"draft": "draft", "complete": "complete"}


def _fts_create(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, project UNINDEXED, title, body, "
        "fandoms, characters, tags, rating UNINDEXED, status UNINDEXED, kind UNINDEXED, "
        "modified UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')"
    )


def _fts_row(doc: Doc) -> tuple:
    return (
        doc.key,
        doc.project,
        doc.title,
        doc.body,
        " ; ".join(doc.fandoms),
        " ; ".join(doc.characters),
        " ; ".join(doc.tags),
        doc.rating,
        doc.status,
        doc.kind,
        doc.modified,
    )


def fts_build(path: Path, library: Path) -> tuple[sqlite3.Connection, float]:
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    _fts_create(db)
    db.executemany(
        "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)", map(_fts_row, load_docs(library))
    )
    db.commit()
    return db, time.perf_counter() - started


def _fts_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_sql(q: Query) -> tuple[str, list]:
    """WHERE clause and parameters for one query."""
    match = []
    if q.phrase:
        match.append("body : " + _fts_quote(" ".join(q.words)))
    elif q.op == "GROUP":
        a, b, c = (_fts_quote(w) for w in q.words)
        match.append(f"body : (({a} OR {b}) AND {c})")
    elif q.op:
        match.append("body : (" + f" {q.op} ".join(_fts_quote(w) for w in q.words) + ")")
    elif q.words:
        match.append("body : (" + " AND ".join(_fts_quote(w) for w in q.words) + ")")
    for column, value in (("fandoms", q.fandom), ("characters", q.character), ("tags", q.tag)):
        if value:
            match.append(f"{column} : {_fts_quote(value)}")
    where, params = [], []
    if match:
        where.append("docs MATCH ?")
        params.append(" AND ".join(match))
    if q.rating:
        where.append("rating = ?")
        params.append(_RATINGS[q.rating])
    if q.status:
        where.append("status = ?")
        params.append(_STATUS[q.status])
    if q.doc_kind:
        where.append("kind = ?")
        params.append(q.doc_kind)
    if q.work_only:
        where.append("kind = 'work'")
    if q.dates:
        low = datetime.strptime(q.dates[0], "%Y-%m").timestamp()
        year, month = map(int, q.dates[1].split("-"))
        high = datetime(year + (month == 12), month % 12 + 1, 1).timestamp()
        where.append("modified >= ? AND modified < ?")
        params += [low, high]
    return " AND ".join(where), params


def fts_search(db: sqlite3.Connection, q: Query) -> int:
    """Top 20 ranked (title weighted as in Whoosh) with snippets, then total and facets."""
    where, params = fts_sql(q)
    ranked = "docs MATCH" in where
    order = "ORDER BY bm25(docs, 0, 0, 3.0, 1.0, 0, 0, 0, 0, 0, 0, 0) " if ranked else ""
    snippet = "snippet(docs, 3, '<mark>', '</mark>', '…', 24)" if ranked else "substr(body, 1, 200)"
    db.execute(f"SELECT key, {snippet} FROM docs WHERE {where} {order}LIMIT 20", params).fetchall()
    rows = db.execute(
        f"SELECT project, status, rating, count(*) FROM docs WHERE {where} "
        "GROUP BY project, status, rating",
        params,
    ).fetchall()
    return sum(row[3] for row in rows)


# ---------------------------------------------------------------- plain scan


def _scan_predicate(q: Query):
    def rx(word: str) -> re.Pattern[str]:
        return re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)

    if q.phrase:
        phrase = re.compile(r"\b" + r"\W+".join(map(re.escape, q.words)) + r"\b", re.IGNORECASE)
        return lambda text: bool(phrase.search(text))
    pats = [rx(w) for w in q.words]
    if q.op == "OR":
        return lambda text: any(p.search(text) for p in pats)
    if q.op == "NOT":
        return lambda text: bool(pats[0].search(text)) and not pats[1].search(text)
    if q.op == "GROUP":
        return lambda text: (
            bool(pats[0].search(text) or pats[1].search(text)) and bool(pats[2].search(text))
        )
    return lambda text: all(p.search(text) for p in pats)


def scan_search(library: Path, q: Query) -> int:
    """Read every project.json and document; count matches, snippet the first 20."""
    test = _scan_predicate(q)
    wanted_rating = _RATINGS.get(q.rating)
    hits = 0
    snippets: list[str] = []
    for folder in sorted(library.iterdir()):
        meta = json.loads((folder / "project.json").read_text(encoding="utf-8"))
        if q.fandom and not any(q.fandom.lower() in f.lower() for f in meta["fandoms"]):
            continue
        if q.character and not any(q.character.lower() in c.lower() for c in meta["characters"]):
            continue
        if q.tag and not any(q.tag.lower() == t.lower() for t in meta["tags"]):
            continue
        if wanted_rating and meta["rating"] != wanted_rating:
            continue
        if q.work_only:
            hits += 1
            continue
        stack = list(meta["tree"])
        while stack:
            node = stack.pop()
            stack.extend(node["children"])
            if q.doc_kind and node["kind"] != q.doc_kind:
                continue
            if q.status and node.get("status", "draft") != q.status:
                continue
            file = folder / "docs" / f"{node['id']}.md"
            if q.dates:
                moment = datetime.fromtimestamp(file.stat().st_mtime).strftime("%Y-%m")
                if not q.dates[0] <= moment <= q.dates[1]:
                    continue
            text = node.get("title", "") + "\n" + file.read_text(encoding="utf-8")
            if not q.words or test(text):
                hits += 1
                if hits <= 20 and q.words:
                    first = re.search(re.escape(q.words[0]), text, re.IGNORECASE)
                    start = first.start() if first else 0
                    snippets.append(text[max(0, start - 80) : start + 120])
    return hits


# ---------------------------------------------------------------- measuring


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def du(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/writer-search-bench"))
    parser.add_argument("--works", type=int, default=2000)
    parser.add_argument("--words", type=int, default=2500)
    parser.add_argument("--queries", type=int, default=100, help="queries per class")
    parser.add_argument("--scan-queries", type=int, default=10, help="of those, scanned")
    parser.add_argument("--updates", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="keep a library already built")
    args = parser.parse_args(argv)

    work = args.work.resolve()
    os.environ["WRITER_HOME"] = str(work / "home")
    library = work / "library"
    if not (args.reuse and library.is_dir()):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        started = time.perf_counter()
        total_words = gen_library.generate(args.corpus, library, args.works, args.words)
        print(
            f"generated {args.works} works, {total_words:,} words in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )

    from writer.core.project import Project
    from writer.search import SearchIndex
    from writer.search.rebuild import rebuild_in_subprocess

    docs = load_docs(library)
    words_total = sum(d.words for d in docs)
    print(f"{len(docs) - args.works:,} documents, {words_total:,} words", flush=True)

    rows: list[tuple[str, float | None, float | None, float | None, str]] = []

    # Full build.
    index_dir = work / "whoosh"
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()
    rebuild_in_subprocess(library, index_dir, procs=2)
    whoosh_build = time.perf_counter() - started
    print(f"whoosh build {whoosh_build:.1f} s", flush=True)
    db, fts_build_s = fts_build(work / "fts5.db", library)
    print(f"fts5 build {fts_build_s:.1f} s", flush=True)
    rows.append(("full build (s), 2 processes", whoosh_build, fts_build_s, None, "< 120 s"))
    speeds = (words_total / whoosh_build, words_total / fts_build_s)
    rows.append(("build speed (words/s)", *speeds, None, ""))
    rows.append(("index size (MB)", du(index_dir), du(work / "fts5.db"), du(library), ""))

    index = SearchIndex.open_for(library, index_dir=index_dir)
    started = time.perf_counter()
    index.warm()
    warm = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    index.reconcile()
    reconcile = (time.perf_counter() - started) * 1000

    # Queries.
    texts = [d.body for d in docs if d.kind in ("chapter", "scene")]
    queries = make_queries(texts, args.queries)
    for name in CLASSES:
        whoosh_ms, fts_ms, scan_ms, agree = [], [], [], 0
        for number, q in enumerate(queries[name]):
            results = index.search(q.whoosh(), limit=20)
            whoosh_ms.append(results.elapsed_ms)
            started = time.perf_counter()
            fts_total = fts_search(db, q)
            fts_ms.append((time.perf_counter() - started) * 1000)
            agree += results.total == fts_total
            if number < args.scan_queries:
                started = time.perf_counter()
                scan_search(library, q)
                scan_ms.append((time.perf_counter() - started) * 1000)
        for label, share in (("p50", 0.5), ("p95", 0.95)):
            target = "< 10 ms" if label == "p50" else "< 50 ms"
            rows.append(
                (
                    f"query {name} {label} (ms)",
                    percentile(whoosh_ms, share),
                    percentile(fts_ms, share),
                    percentile(scan_ms, share),
                    target,
                )
            )
        print(
            f"{name}: {len(whoosh_ms)} queries ({len(scan_ms)} scanned); totals equal to "
            f"FTS5's for {agree}",
            flush=True,
        )

    # Incremental updates after a save.
    rng = random.Random(11)
    targets = rng.sample([d for d in docs if d.kind in ("chapter", "scene")], args.updates)
    whoosh_ms, fts_ms, found = [], [], 0
    for number, doc in enumerate(targets):
        project = Project.load(library / doc.project)
        doc_id = doc.key.split("/")[1]
        marker = f"zqmarker{number}x"
        text = project.read_text(doc_id) + f"\n\nShe wrote {marker} in the margin.\n"
        project.write_text(doc_id, text)
        project.release_lock()
        started = time.perf_counter()
        index.update_document(project, doc_id)
        whoosh_ms.append((time.perf_counter() - started) * 1000)
        found += index.search(marker).total == 1
        doc.body += f"\n\nShe wrote {marker} in the margin.\n"
        started = time.perf_counter()
        db.execute("DELETE FROM docs WHERE key = ?", (doc.key,))
        db.execute("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)", _fts_row(doc))
        db.commit()
        fts_ms.append((time.perf_counter() - started) * 1000)
    for label, share in (("p50", 0.5), ("p95", 0.95), ("max", 1.0)):
        rows.append(
            (
                f"update after save {label} (ms)",
                percentile(whoosh_ms, share),
                percentile(fts_ms, share),
                0.0,
                "< 100 ms" if label == "p50" else "",
            )
        )
    print(f"updates: {found}/{len(targets)} markers searchable right after", flush=True)

    print()
    print(
        f"writer search benchmark: {args.works} works, {words_total:,} words, "
        f"{len(docs) - args.works:,} documents, {os.cpu_count()} CPUs"
    )
    header = f"{'':38}{'whoosh':>10}{'fts5':>10}{'scan':>10}{'w/fts5':>9}{'w/scan':>9}  target"
    print(header)
    print("-" * len(header))
    for label, whoosh, fts, scan, target in rows:

        def show(value: float | None) -> str:
            if value is None:
                return "-"
            return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"

        def ratio(a: float | None, b: float | None) -> str:
            return f"{a / b:.2g}x" if a is not None and b else "-"

        print(
            f"{label:38}{show(whoosh):>10}{show(fts):>10}{show(scan):>10}"
            f"{ratio(whoosh, fts):>9}{ratio(whoosh, scan):>9}  {target}"
        )
    print(f"{'open index + warm tables (ms)':38}{warm:>10.1f}")
    print(f"{'reconcile, nothing changed (ms)':38}{reconcile:>10.1f}")
    print("scan: 'index size' is the library itself; an update needs no index (0).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
