"""Search test fixtures: a generated library of 200+ documents and a brute-force oracle.

The library is generated deterministically (``random.Random(seed)``) from a built-in word
list through the core API, so the tests never depend on anything outside the repository.
The oracle reads the same projects back through the core API and answers each query form by
scanning every record; the index must return exactly the same records.
"""

from __future__ import annotations

import os
import random
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.support.charset import accent_map

from writer.core.library import Library
from writer.core.metadata import WorkMeta
from writer.core.vocabulary import RATINGS, STATUSES

WORDS = [
    "lantern",
    "harbour",
    "tide",
    "bell",
    "tower",
    "salt",
    "marsh",
    "river",
    "bridge",
    "winter",
    "ember",
    "copper",
    "storm",
    "gull",
    "anchor",
    "rope",
    "ledger",
    "cellar",
    "archive",
    "founder",
    "forge",
    "chime",
    "crack",
    "ladder",
    "window",
    "candle",
    "letter",
    "garden",
    "orchard",
    "meadow",
    "hollow",
    "kettle",
    "ribbon",
    "thimble",
    "violin",
    "quiet",
    "bright",
    "silver",
    "narrow",
    "crooked",
    "gentle",
    "restless",
    "hungry",
    "careful",
    "patient",
    "run",
    "runs",
    "running",
    "runner",
    "walk",
    "walked",
    "walking",
    "happy",
    "happiness",
    "happily",
    "café",
    "naïve",
    "façade",
    "élan",
    "über",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "was",
    "she",
    "he",
    "they",
    "it",
    "her",
    "his",
    "had",
    "said",
    "not",
    "but",
]
COMMON = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "was",
    "she",
    "he",
    "they",
    "it",
    "her",
    "his",
    "had",
    "said",
    "not",
    "but",
]
RARE = [w for w in WORDS if w not in COMMON]

FANDOMS = [
    "Harry Potter - J. K. Rowling",
    "Star Trek: The Original Series",
    "Original Work",
    "Les Misérables - Victor Hugo",
    "Saltmarsh Station (TV)",
]
CHARACTERS = ["Tamsin Hale", "Oriel Voss", "Bram Hale", "Wren Calder", "Cass Morrow", "Spock"]
RELATIONSHIPS = ["Tamsin Hale/Oriel Voss", "Wren Calder & Cass Morrow", "Kirk/Spock"]
TAGS = ["Found Family", "Slow Burn", "Hurt/Comfort", "Angst", "Fluff", "Alternate Universe"]
WARNINGS = ["No Archive Warnings Apply", "Major Character Death", "Graphic Depictions Of Violence"]
SPOILERS = ["Season 2", "Book 5", "Finale"]
DATES = [datetime(2019 + i % 6, 1 + (i * 5) % 12, 1 + (i * 7) % 27, 12, 0) for i in range(40)]
N_PROJECTS = 36

# Words, stems, folded accents; ``*`` is emphasis in Markdown, never part of a word.
ANALYZER = StemmingAnalyzer(expression=r"\w+(?:\.?\w+)*", stoplist=None) | CharsetFilter(accent_map)


def analyse(text: str) -> list[str]:
    return [t.text for t in ANALYZER(text)]


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(COMMON if rng.random() < 0.45 else RARE) for _ in range(length)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", "!", "?"])


def _paragraphs(rng: random.Random, count: int) -> str:
    paragraphs = []
    for _ in range(count):
        sentences = [_sentence(rng, rng.randint(5, 14)) for _ in range(rng.randint(2, 4))]
        text = " ".join(sentences)
        if rng.random() < 0.2:
            text = text.replace(" ", " *", 1).replace(" ", "* ", 2)  # Some emphasis markup.
        paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _title(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in rng.sample(RARE, rng.randint(1, 3)))


def _no_fsync(_fd: int) -> None:
    return None


def generate_library(root: Path, seed: int = 7, projects: int = N_PROJECTS) -> Path:
    """A library of ``projects`` works with chapters, scenes, notes and trash."""
    rng = random.Random(seed)
    library = Library(root)
    real_fsync = os.fsync
    os.fsync = _no_fsync  # Generated data need not survive a power cut; keeps tests fast.
    try:
        for number in range(projects):
            meta = WorkMeta(
                fandoms=rng.sample(FANDOMS, rng.randint(1, 2)),
                characters=rng.sample(CHARACTERS, rng.randint(0, 3)),
                relationships=rng.sample(RELATIONSHIPS, rng.randint(0, 1)),
                tags=rng.sample(TAGS, rng.randint(0, 3)),
                warnings=[rng.choice(WARNINGS)],
                rating=RATINGS[number % len(RATINGS)],
                status=STATUSES[number % len(STATUSES)],
                summary=_sentence(rng, 12),
                notes_begin=_sentence(rng, 8) if rng.random() < 0.5 else "",
                disclaimer="I own nothing." if rng.random() < 0.3 else "",
                spoilers=[rng.choice(SPOILERS)] if number % 5 == 0 else [],
            )
            project = library.create(f"{_title(rng)} {number}", meta)
            first = project.tree.roots[0]
            project.rename_node(first.id, _title(rng))
            project.write_text(first.id, _paragraphs(rng, 2), save=False)
            for _ in range(rng.randint(1, 3)):
                chapter = project.add_node("chapter", _title(rng), text=_paragraphs(rng, 2))
                project.set_doc_field(chapter.id, "status", [rng.choice(STATUSES)])
                for _ in range(rng.randint(0, 2)):
                    project.add_node("scene", _title(rng), chapter.id, text=_paragraphs(rng, 1))
            note = project.add_node("note", "Research " + _title(rng), text=_paragraphs(rng, 1))
            project.set_doc_field(note.id, "synopsis", [_sentence(rng, 6)])
            if rng.random() < 0.5:
                gone = project.add_node("scene", "Cut " + _title(rng), text=_paragraphs(rng, 1))
                project.trash_node(gone.id)
            project.close()
            for index, node in enumerate(n for n in project.tree.all_nodes() if n.has_text):
                moment = DATES[(number * 3 + index) % len(DATES)].timestamp()
                os.utime(project.doc_path(node.id), (moment, moment))
    finally:
        os.fsync = real_fsync
    return root


# ---------------------------------------------------------------- the oracle


def _fold(value: str) -> str:
    return " ".join(value.casefold().translate(accent_map).split())


def tag_words(value: str) -> list[str]:
    return re.findall(r"\w+", _fold(value))


@dataclass
class Rec:
    """One record as a scan of the files sees it."""

    key: str
    slug: str
    kind: str
    status: str
    rating: str
    fields: dict[str, list[str]]  # analysed tokens of each prose field
    tags: dict[str, list[str]] = field(default_factory=dict)
    modified: datetime | None = None
    words: int | None = None
    text: str = ""

    def tokens(self, name: str) -> list[str]:
        return self.fields.get(name, [])


PROSE = ("title", "text", "summary", "notes", "disclaimer", "spoilers")


def scan_library(root: Path) -> list[Rec]:
    records: list[Rec] = []
    for project in Library(root).projects():
        meta = project.meta
        tags = {
            "fandoms": meta.fandoms,
            "characters": meta.characters,
            "relationships": meta.relationships,
            "tags": meta.tags,
            "warnings": meta.warnings,
            "categories": meta.categories,
            "project": [project.slug, project.title],
        }
        work_modified = datetime.fromisoformat(meta.modified.replace("Z", "+00:00"))
        records.append(
            Rec(
                key=f"{project.slug}/",
                slug=project.slug,
                kind="work",
                status=meta.status,
                rating=meta.rating,
                fields={
                    "title": analyse(project.title),
                    "summary": analyse(meta.summary),
                    "notes": analyse(meta.notes_begin + "\n\n" + meta.notes_end),
                    "disclaimer": analyse(meta.disclaimer),
                    "spoilers": analyse("\n".join(meta.spoilers) + "\n\n" + meta.spoiler_note),
                },
                tags=tags,
                modified=work_modified.astimezone().replace(tzinfo=None),
            )
        )
        for node in project.tree.walk():
            if not node.has_text:
                continue
            text = project.read_text(node.id)
            stat = project.doc_path(node.id).stat()
            records.append(
                Rec(
                    key=f"{project.slug}/{node.id}",
                    slug=project.slug,
                    kind=node.kind,
                    status=node.meta.status,
                    rating=meta.rating,
                    fields={
                        "title": analyse(node.meta.title),
                        "text": analyse(text),
                        "summary": analyse(node.meta.summary + "\n\n" + node.meta.synopsis),
                        "notes": analyse(node.meta.notes_begin + "\n\n" + node.meta.notes_end),
                    },
                    tags=tags,
                    modified=datetime.fromtimestamp(stat.st_mtime_ns / 1e9),
                    words=project.words(node.id),
                    text=text,
                )
            )
    return records


def osa_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), as Whoosh's fuzzy terms."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


class Oracle:
    """Predicates over :class:`Rec` for every query form."""

    def __init__(self, records: list[Rec]) -> None:
        self.records = records

    def select(self, predicate: Callable[[Rec], bool]) -> set[str]:
        return {r.key for r in self.records if predicate(r)}

    @staticmethod
    def word(word: str, fields: tuple[str, ...] = PROSE) -> Callable[[Rec], bool]:
        (term,) = analyse(word)
        return lambda r: any(term in r.tokens(f) for f in fields)

    @staticmethod
    def phrase(text: str, fields: tuple[str, ...] = PROSE) -> Callable[[Rec], bool]:
        terms = analyse(text)

        def match(r: Rec) -> bool:
            for name in fields:
                tokens = r.tokens(name)
                for i in range(len(tokens) - len(terms) + 1):
                    if tokens[i : i + len(terms)] == terms:
                        return True
            return False

        return match

    @staticmethod
    def prefix(word: str, fields: tuple[str, ...] = PROSE) -> Callable[[Rec], bool]:
        (start,) = analyse(word)
        return lambda r: any(t.startswith(start) for f in fields for t in r.tokens(f))

    @staticmethod
    def fuzzy(word: str, distance: int = 1, fields: tuple[str, ...] = PROSE):
        """Within ``distance`` edits, the first letter kept (as the query layer asks)."""
        (term,) = analyse(word)
        return lambda r: any(
            t[:1] == term[:1] and osa_distance(t, term) <= distance
            for f in fields
            for t in r.tokens(f)
        )

    @staticmethod
    def tag(name: str, value: str) -> Callable[[Rec], bool]:
        """A filter value matches a tag when its words are a run of the tag's words."""
        wanted = tag_words(value)

        def match(r: Rec) -> bool:
            for tag in r.tags.get(name, []):
                words = tag_words(tag)
                for i in range(len(words) - len(wanted) + 1):
                    if words[i : i + len(wanted)] == wanted:
                        return True
            return False

        return match


@pytest.fixture(scope="session")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated library (read-only for the tests that share it)."""
    return generate_library(tmp_path_factory.mktemp("search") / "library")


@pytest.fixture(scope="session")
def big_index(big_library: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from writer.search import SearchIndex

    index = SearchIndex.open_for(
        big_library, index_dir=tmp_path_factory.mktemp("index") / "ix", build="inline"
    )
    yield index
    index.close()


@pytest.fixture(scope="session")
def oracle(big_library: Path) -> Oracle:
    return Oracle(scan_library(big_library))


@pytest.fixture(name="analyse")
def analyse_fixture() -> Callable[[str], list[str]]:
    """The prose analysis (for checking offsets), built here, not taken from writer.search."""
    return analyse


@pytest.fixture
def no_leftover_threads() -> Iterator[None]:
    """Fails a test that leaves an index worker thread running."""
    yield
    alive = [t for t in threading.enumerate() if t.name == "search-index"]
    assert not alive, f"worker threads left running: {alive}"
