"""The block-level evaluator agrees with Whoosh's own search; the Whoosh fixes hold."""

from __future__ import annotations

import pickle
import random

import pytest

from writer.search.evaluate import LengthCache, Unsupported, evaluate
from writer.search.query import parse_query
from writer.search.whoosh_fixes import ViewReader

QUERIES = [
    "lantern",
    "café",
    '"the lantern"',
    '"lantern of the"',
    "lantern harbour",
    "lantern OR harbour",
    "lantern NOT harbour",
    "NOT lantern",
    "(lantern OR harbour) AND NOT tide",
    "lant*",
    "lanterm~",
    'fandom:"harry potter" lantern',
    'fandom:"harry potter"',
    "status:draft kind:chapter",
    "modified:[2020 to 2021-06]",
    "words:>60",
    'title:"lantern"',
    "summary:tide OR notes:lantern",
]


def _whoosh(searcher, query) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


@pytest.mark.parametrize("text", QUERIES)
def test_block_evaluator_matches_whoosh(big_index, text) -> None:
    parsed = parse_query(text, big_index.schema)
    with big_index._ix.searcher() as searcher:
        ours = evaluate(searcher, parsed.query, LengthCache())
        theirs = _whoosh(searcher, parsed.query)
    assert set(ours) == set(theirs)
    if text in ("lantern", "café", "lantern harbour", "lantern OR harbour"):
        for docnum, score in theirs.items():  # Plain terms: the same BM25F scores.
            assert ours[docnum] == pytest.approx(score, rel=1e-5)


def test_unknown_query_forms_fall_back(big_index) -> None:
    from whoosh import query as wq

    with big_index._ix.searcher() as searcher, pytest.raises(Unsupported):
        evaluate(searcher, wq.Phrase("body", ["lantern", "harbour"], slop=3), LengthCache())
    # The index still answers them, through Whoosh's own matchers.
    assert (
        big_index.search('"lantern harbour"~3').total >= big_index.search('"lantern harbour"').total
    )


def test_many_phrases_match_the_scan(big_index, oracle) -> None:
    rng = random.Random(3)
    texts = [r.text for r in oracle.records if r.kind in ("chapter", "scene")]
    checked = 0
    while checked < 30:
        words = [w.strip(".!?*").lower() for w in rng.choice(texts).split()]
        size = rng.randint(2, 4)
        start = rng.randrange(max(1, len(words) - size))
        phrase = [w for w in words[start : start + size] if w.isalpha()]
        if len(phrase) < 2:
            continue
        text = " ".join(phrase)
        results = big_index.search(f'"{text}"', limit=None)
        got = {f"{h.project}/{h.document or ''}" for h in results.hits}
        assert got == oracle.select(oracle.phrase(text)), text
        assert got
        checked += 1


def test_view_reader_reads_like_a_file() -> None:
    data = pickle.dumps(["a", 1, 2.5]) + b"line one\nline two\n" + pickle.dumps({"k": "v"})
    reader = ViewReader(memoryview(data))
    assert pickle.load(reader) == ["a", 1, 2.5]
    assert reader.readline() == b"line one\n"
    assert list(iter(reader.readline, b""))[0] == b"line two\n"
    reader.seek(-len(pickle.dumps({"k": "v"})), 2)
    assert pickle.load(reader) == {"k": "v"} and reader.read() == b""
    reader.seek(0)
    assert reader.read(1) == data[:1] and reader.tell() == 1
    buffer = bytearray(3)
    assert reader.readinto(buffer) == 3 and bytes(buffer) == data[1:4]
