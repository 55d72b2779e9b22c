"""A deterministic benchmark library built from real prose.

``python bench/gen_library.py CORPUS_DIR OUT_DIR [--works 2000] [--words 2500]`` writes a
library of ``--works`` projects of about ``--words`` words each, in the app's own on-disk
format (``project.json`` written by ``writer.core.projectfile``, one Markdown file per
chapter, scene and note, word counts cached as the app caches them). The text is runs of
consecutive paragraphs from the corpus (plain-text novels, e.g. the six Austen novels in
the developers' ``../shared/corpus``), each chapter starting at a random place, so phrases
read naturally; metadata (fandoms, characters, ratings, ...) follows skewed distributions
like a real archive. The same arguments always give the same files, ids and dates.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from library_bench import Prose, load_paragraphs  # the corpus helpers beside this file

from writer.core.metadata import DocMeta, WorkMeta
from writer.core.projectfile import CachedCount, ProjectData, dumps
from writer.core.tree import Node, TrashEntry, Tree
from writer.core.vocabulary import RATINGS, STATUSES, WARNINGS
from writer.core.wordcount import count_words

FANDOMS = [
    "Pride and Prejudice - Jane Austen",
    "Emma - Jane Austen",
    "Persuasion - Jane Austen",
    "Mansfield Park - Jane Austen",
    "Northanger Abbey - Jane Austen",
    "Sense and Sensibility - Jane Austen",
    "Original Work",
    "Harry Potter - J. K. Rowling",
    "Star Trek: The Original Series",
    "Sherlock Holmes - Arthur Conan Doyle",
    "Les Misérables - Victor Hugo",
    "Saltmarsh Station (TV)",
] + [f"Invented Fandom {n}" for n in range(1, 29)]
CHARACTERS = [
    "Elizabeth Bennet",
    "Fitzwilliam Darcy",
    "Jane Bennet",
    "Charles Bingley",
    "Emma Woodhouse",
    "George Knightley",
    "Harriet Smith",
    "Anne Elliot",
    "Frederick Wentworth",
    "Fanny Price",
    "Edmund Bertram",
    "Mary Crawford",
    "Catherine Morland",
    "Henry Tilney",
    "Elinor Dashwood",
    "Marianne Dashwood",
    "Edward Ferrars",
    "John Willoughby",
    "Lydia Bennet",
    "Mr. Collins",
]
TAGS = [
    "Slow Burn",
    "Found Family",
    "Hurt/Comfort",
    "Angst",
    "Fluff",
    "Alternate Universe",
    "Regency",
    "Enemies to Lovers",
    "Letters",
    "Balls and Assemblies",
    "Friendship",
    "Canon Divergence",
    "Pining",
    "Misunderstandings",
    "Happy Ending",
    "Epistolary",
    "Humor",
    "Drama",
]
SPOILERS = ["Chapter 61", "The Ending", "Volume 3", "Season 2"]


def _skewed(rng: random.Random, items: list[str]) -> str:
    """A pick where the first items are far more common (as fandoms and tags are)."""
    return items[min(int(rng.paretovariate(1.2)) - 1, len(items) - 1)]


def _picks(rng: random.Random, items: list[str], low: int, high: int) -> list[str]:
    chosen: list[str] = []
    for _ in range(rng.randint(low, high)):
        item = _skewed(rng, items)
        if item not in chosen:
            chosen.append(item)
    return chosen


def _id(rng: random.Random) -> str:
    return f"{rng.getrandbits(48):012x}"


def _write(path: Path, text: str, moment: float) -> CachedCount:
    data = text.encode("utf-8")
    path.write_bytes(data)
    ns = int(moment * 1e9)
    os.utime(path, ns=(ns, ns))
    return CachedCount(count_words(text), len(data), ns)


def make_work(folder: Path, number: int, text: Prose, rng: random.Random, words: int) -> int:
    """One project folder; returns its word count (chapters and scenes)."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    base = datetime(2016, 1, 1, tzinfo=UTC).timestamp()
    moment = base + rng.uniform(0, 9 * 365 * 86400)
    meta = WorkMeta(
        title=f"{text.title()} {number}",
        author=rng.choice(["Marion Lowell", "quillandink", "tea_and_letters", "A. Reader"]),
        fandoms=_picks(rng, FANDOMS, 1, 2),
        characters=_picks(rng, CHARACTERS, 1, 4),
        tags=_picks(rng, TAGS, 0, 5),
        rating=RATINGS[min(int(rng.paretovariate(1.0)), len(RATINGS) - 1)],
        warnings=[rng.choice(WARNINGS[:3])],
        summary=text.sentence(),
        notes_begin=text.sentence() if rng.random() < 0.4 else "",
        disclaimer="I own nothing; the characters are their author's."
        if rng.random() < 0.2
        else "",
        spoilers=[rng.choice(SPOILERS)] if rng.random() < 0.1 else [],
        status=rng.choice(STATUSES),
        posting=rng.choice(["wip", "complete"]),
        created=datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    if len(meta.characters) >= 2:
        meta.relationships = [f"{meta.characters[0]}/{meta.characters[1]}"]
    project = ProjectData(id=_id(rng), meta=meta, tree=Tree())
    chapters = rng.randint(3, 6)
    total = 0
    for _ in range(chapters):
        chapter = Node(
            _id(rng), "chapter", DocMeta(title=text.title(), status=rng.choice(STATUSES))
        )
        scenes = rng.choice([0, 0, 1, 2])
        share = words // chapters // (scenes + 1)
        moment += rng.uniform(3600, 30 * 86400)
        for node in [chapter] + [
            Node(_id(rng), "scene", DocMeta(title=text.title())) for _ in range(scenes)
        ]:
            body = text.run(share)
            project.counts[node.id] = _write(docs / f"{node.id}.md", body, moment)
            total += project.counts[node.id].words
            if node is not chapter:
                chapter.children.append(node)
        project.tree.roots.append(chapter)
    note = Node(
        _id(rng), "note", DocMeta(title="Research " + text.title(), synopsis=text.sentence())
    )
    project.counts[note.id] = _write(docs / f"{note.id}.md", text.run(60), moment)
    project.tree.roots.append(note)
    if rng.random() < 0.2:
        cut = Node(_id(rng), "scene", DocMeta(title="Cut " + text.title()))
        project.counts[cut.id] = _write(docs / f"{cut.id}.md", text.run(200), moment)
        project.tree.trash.append(TrashEntry(cut, None, 0))
    meta.modified = datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (folder / "project.json").write_bytes(dumps(project))
    return total


def generate(corpus: Path, out: Path, works: int = 2000, words: int = 2500, seed: int = 1) -> int:
    """Write the library into ``out`` (which must not exist); returns its word count."""
    rng = random.Random(seed)
    text = Prose(load_paragraphs(corpus), rng)
    out.mkdir(parents=True)
    total = 0
    for number in range(1, works + 1):
        total += make_work(out / f"work-{number:05d}", number, text, rng, words)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder of plain-text novels (*.txt)")
    parser.add_argument("out", type=Path, help="library folder to create")
    parser.add_argument("--works", type=int, default=2000)
    parser.add_argument("--words", type=int, default=2500, help="words per work")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists; remove it first", file=sys.stderr)
        return 1
    started = time.perf_counter()
    total = generate(args.corpus, args.out, args.works, args.words, args.seed)
    print(f"{args.works} works, {total:,} words in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
