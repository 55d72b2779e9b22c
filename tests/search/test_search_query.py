"""Every query form and filter, checked against a brute-force scan of 200+ documents."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from writer.core.vocabulary import canonical_rating
from writer.search import QueryError, SearchResults

PROSE = ("title", "text", "summary", "notes", "disclaimer", "spoilers")


def keys(results: SearchResults) -> set[str]:
    return {f"{hit.project}/{hit.document or ''}" for hit in results.hits}


def run(index, query: str) -> SearchResults:
    results = index.search(query, limit=None)
    assert results.total == len(results.hits)
    return results


def check(index, oracle, query: str, predicate, work_only: bool = False) -> set[str]:
    if work_only:
        inner = predicate

        def predicate(r):
            return r.kind == "work" and inner(r)

    expected = oracle.select(predicate)
    got = keys(run(index, query))
    assert got == expected, (
        f"{query!r}: missing {sorted(expected - got)[:5]}, extra {sorted(got - expected)[:5]}"
    )
    return expected


def test_library_is_big_enough(oracle) -> None:
    assert sum(r.kind != "work" for r in oracle.records) >= 200


@pytest.mark.parametrize(
    "word", ["lantern", "Harbour", "running", "runs", "happiness", "cafe", "NAIVE", "façade"]
)
def test_single_words(big_index, oracle, word) -> None:
    expected = check(big_index, oracle, word, oracle.word(word))
    assert 0 < len(expected) < len(oracle.records)


def test_accents_fold_both_ways(big_index) -> None:
    assert keys(run(big_index, "cafe")) == keys(run(big_index, "café"))
    assert keys(run(big_index, "uber")) == keys(run(big_index, "über"))


def _phrases(oracle) -> list[str]:
    """A rare-word pair, a phrase through common words and one that never occurs."""
    tokens = next(r for r in oracle.records if r.kind == "chapter").text.split()
    words = [w.strip(".!?*").lower() for w in tokens]
    rare = next(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if len(a + b) > 10)
    common = next(
        f"{a} {b} {c}"
        for a, b, c in zip(words, words[1:], words[2:], strict=False)
        if b in ("the", "a", "of", "and", "to", "in") and a.isalpha() and c.isalpha()
    )
    return [rare, common, "lantern lantern lantern"]


def test_phrases(big_index, oracle) -> None:
    rare, common, absent = _phrases(oracle)
    assert check(big_index, oracle, f'"{rare}"', oracle.phrase(rare))
    found = check(big_index, oracle, f'"{common}"', oracle.phrase(common))
    # Stop words are indexed: a phrase through "the" is not just its outer words.
    outer = common.split()[0] + " " + common.split()[2]
    assert found <= oracle.select(oracle.word(common.split()[0]))
    assert found != oracle.select(oracle.phrase(outer)) or not found
    assert check(big_index, oracle, f'"{absent}"', oracle.phrase(absent)) == set()


def test_boolean_operators(big_index, oracle) -> None:
    lantern, harbour, tide = (oracle.word(w) for w in ("lantern", "harbour", "tide"))
    check(big_index, oracle, "lantern harbour", lambda r: lantern(r) and harbour(r))
    check(big_index, oracle, "lantern AND harbour", lambda r: lantern(r) and harbour(r))
    check(big_index, oracle, "lantern OR harbour", lambda r: lantern(r) or harbour(r))
    check(big_index, oracle, "lantern NOT harbour", lambda r: lantern(r) and not harbour(r))
    check(big_index, oracle, "lantern AND NOT harbour", lambda r: lantern(r) and not harbour(r))
    check(
        big_index,
        oracle,
        "(lantern OR harbour) AND tide",
        lambda r: (lantern(r) or harbour(r)) and tide(r),
    )
    check(big_index, oracle, "NOT lantern", lambda r: not lantern(r))


@pytest.mark.parametrize("word", ["lant*", "happ*", "run*", "café*"])
def test_prefixes(big_index, oracle, word) -> None:
    assert check(big_index, oracle, word, oracle.prefix(word[:-1]))


@pytest.mark.parametrize(
    ("query", "word", "distance"),
    [
        ("lanterm~", "lanterm", 1),
        ("gul~", "gul", 1),
        ("towr~", "towr", 1),
        ("ancohr~2", "ancohr", 2),
    ],
)
def test_fuzzy(big_index, oracle, query, word, distance) -> None:
    assert check(big_index, oracle, query, oracle.fuzzy(word, distance))


@pytest.mark.parametrize(
    ("query", "name", "value"),
    [
        ('fandom:"Harry Potter"', "fandoms", "Harry Potter"),
        ('fandoms:"original work"', "fandoms", "original work"),
        ('fandom:"Les Miserables"', "fandoms", "Les Misérables"),
        ('fandom:"Star Trek: The Original Series"', "fandoms", "Star Trek The Original Series"),
        ("character:Spock", "characters", "Spock"),
        ('characters:"tamsin hale"', "characters", "Tamsin Hale"),
        ("character:hale", "characters", "hale"),
        ('relationship:"Kirk/Spock"', "relationships", "Kirk/Spock"),
        ('pairing:"wren calder & cass morrow"', "relationships", "Wren Calder Cass Morrow"),
        ('tag:"slow burn"', "tags", "Slow Burn"),
        ("tags:angst", "tags", "Angst"),
        ('tag:"hurt/comfort"', "tags", "Hurt Comfort"),
        ("warning:mcd", "warnings", "Major Character Death"),
        ("warnings:violence", "warnings", "Graphic Depictions Of Violence"),
    ],
)
def test_tag_filters_return_one_row_per_work(big_index, oracle, query, name, value) -> None:
    found = check(big_index, oracle, query, oracle.tag(name, value), work_only=True)
    assert found and all(key.endswith("/") for key in found)


@pytest.mark.parametrize("alias", ["teen", "T", "E", "explicit", "nr", "General Audiences", "k+"])
def test_rating_aliases(big_index, oracle, alias) -> None:
    rating = canonical_rating(alias)
    query = f'rating:"{alias}"' if " " in alias else f"rating:{alias}"
    assert check(big_index, oracle, query, lambda r: r.rating == rating, work_only=True)
    plural = query.replace("rating:", "ratings:")
    assert keys(run(big_index, plural)) == keys(run(big_index, query))


def test_project_filter_by_folder_or_title(big_index, oracle) -> None:
    slug = sorted({r.slug for r in oracle.records})[3]
    work = next(r for r in oracle.records if r.key == f"{slug}/")
    assert check(big_index, oracle, f"project:{slug}", lambda r: r.key == work.key)
    title = " ".join(big_index.search(f"project:{slug}").hits[0].project_title.split())
    found = check(big_index, oracle, f'project:"{title}"', oracle.tag("project", title), True)
    assert work.key in found


def test_filters_on_documents(big_index, oracle) -> None:
    assert check(big_index, oracle, "status:done", lambda r: r.status == "complete")
    assert check(big_index, oracle, "statuses:editing", lambda r: r.status == "revising")
    assert check(big_index, oracle, "kind:note", lambda r: r.kind == "note")
    assert check(big_index, oracle, "kind:scenes", lambda r: r.kind == "scene")
    assert check(big_index, oracle, "kind:work", lambda r: r.kind == "work")
    assert check(
        big_index,
        oracle,
        "kind:chapter status:draft",
        lambda r: r.kind == "chapter" and r.status == "draft",
    )
    assert check(big_index, oracle, "words:>60", lambda r: r.words is not None and r.words > 60)


def test_title_matches_work_or_document_titles(big_index, oracle) -> None:
    found = check(big_index, oracle, "title:lantern", oracle.word("lantern", ("title",)))
    assert any(k.endswith("/") for k in found) and any(not k.endswith("/") for k in found)
    check(
        big_index,
        oracle,
        "title:(lantern OR harbour)",
        lambda r: oracle.word("lantern", ("title",))(r) or oracle.word("harbour", ("title",))(r),
    )


def test_prose_metadata_fields(big_index, oracle) -> None:
    check(big_index, oracle, "summary:tide", oracle.word("tide", ("summary",)))
    check(big_index, oracle, "notes:lantern", oracle.word("lantern", ("notes",)))
    assert check(big_index, oracle, "disclaimer:own", oracle.word("own", ("disclaimer",)))
    assert check(big_index, oracle, "spoiler:season", oracle.word("season", ("spoilers",)))


@pytest.mark.parametrize(
    ("query", "low", "high"),
    [
        ("modified:2020", datetime(2020, 1, 1), datetime(2021, 1, 1)),
        ("modified:[2021-03 to 2022-06]", datetime(2021, 3, 1), datetime(2022, 7, 1)),
        ("modified:>=2023-01-01", datetime(2023, 1, 1), datetime(2100, 1, 1)),
        ("modified:<2020-06-01", datetime(1900, 1, 1), datetime(2020, 6, 1)),
        ("date:[2019 to 2019]", datetime(2019, 1, 1), datetime(2020, 1, 1)),
    ],
)
def test_date_ranges(big_index, oracle, query, low, high) -> None:
    assert check(big_index, oracle, query, lambda r: r.modified and low <= r.modified < high)


def test_greater_than_a_day_excludes_that_day(big_index, oracle) -> None:
    day = datetime(2021, 6, 3)
    after = datetime(2021, 6, 4)
    check(big_index, oracle, "modified:>2021-06-03", lambda r: r.modified and r.modified >= after)
    check(big_index, oracle, "modified:<2021-06-03", lambda r: r.modified and r.modified < day)


def test_filters_combine_with_words(big_index, oracle) -> None:
    lantern = oracle.word("lantern")
    harry = oracle.tag("fandoms", "Harry Potter")
    check(big_index, oracle, 'fandom:"Harry Potter" lantern', lambda r: harry(r) and lantern(r))
    teen = canonical_rating("teen")
    check(
        big_index,
        oracle,
        'fandom:"Harry Potter" rating:teen',
        lambda r: harry(r) and r.rating == teen,
        work_only=True,
    )
    angst = oracle.tag("tags", "Angst")
    check(
        big_index,
        oracle,
        'fandom:"Harry Potter" NOT tag:angst',
        lambda r: harry(r) and not angst(r),
        work_only=True,
    )
    check(
        big_index,
        oracle,
        '(fandom:"original work" OR fandom:"star trek") kind:note',
        lambda r: (
            (oracle.tag("fandoms", "original work")(r) or oracle.tag("fandoms", "star trek")(r))
            and r.kind == "note"
        ),
    )


def test_facets_count_every_hit(big_index, oracle) -> None:
    results = big_index.search("lantern OR harbour", limit=5)
    lantern, harbour = oracle.word("lantern"), oracle.word("harbour")
    matched = [r for r in oracle.records if lantern(r) or harbour(r)]
    assert len(results.hits) == 5 and results.total == len(matched)
    assert results.facets["project"] == dict(Counter(r.slug for r in matched))
    assert results.facets["status"] == dict(Counter(r.status for r in matched))
    assert results.facets["rating"] == dict(Counter(r.rating for r in matched if r.rating))
    fandoms = Counter(f for r in matched for f in r.tags["fandoms"])
    assert results.facets["fandom"] == dict(fandoms)
    assert list(results.facets["project"].values()) == sorted(
        results.facets["project"].values(), reverse=True
    )


def test_hits_point_into_the_markdown(big_index, oracle, analyse) -> None:
    texts = {r.key: r.text for r in oracle.records}
    for query, terms in [("lantern", ["lantern"]), ("café", ["cafe"]), ("happ*", None)]:
        results = big_index.search(query, limit=30)
        documents = [h for h in results.hits if h.document]
        assert documents
        located = 0
        for hit in documents:
            text = texts[f"{hit.project}/{hit.document}"]
            assert hit.path.endswith(f"{hit.document}.md")
            in_text = any(
                t.startswith("happ") if terms is None else t in terms for t in analyse(text)
            )
            assert (hit.offset is not None) == in_text  # Else it matched a title or summary.
            if hit.offset is None:
                continue
            located += 1
            found = analyse(text[hit.offset : hit.offset + hit.length])
            assert found == terms if terms else found[0].startswith("happ")
            assert "<mark>" in hit.snippet
        assert located
    rare, common, _ = _phrases(oracle)
    for phrase in (rare, common):
        for hit in big_index.search(f'"{phrase}"', limit=30).hits:
            if hit.document and hit.offset is not None:
                text = texts[f"{hit.project}/{hit.document}"]
                assert analyse(text[hit.offset : hit.offset + hit.length]) == analyse(phrase)


def test_results_are_grouped_by_project(big_index) -> None:
    results = big_index.search("lantern OR harbour OR tide", limit=40)
    groups = results.groups()
    assert sum(len(hits) for _, hits in groups) == len(results.hits)
    order = [hit.project for _, hits in groups for hit in hits]
    assert order == [h["project"] for h in results.to_json()["hits"]]
    assert len({p for p, _ in groups}) == len(groups)
    best = {p: hits[0].score for p, hits in groups}
    assert list(best.values()) == sorted(best.values(), reverse=True)


def test_notes_and_spoilers_are_marked(big_index, oracle) -> None:
    notes = big_index.search("kind:note", limit=None)
    assert notes.hits and all(h.is_note and h.to_json()["note"] for h in notes.hits)
    spoiling = {r.slug for r in oracle.records if r.kind == "work" and r.tokens("spoilers")}
    assert spoiling
    everything = big_index.search("lantern OR harbour OR NOT lantern", limit=None)
    assert everything.total == len(oracle.records)
    for hit in everything.hits:  # Every row of a work with spoilers says so, documents too.
        assert bool(hit.spoilers) == (hit.project in spoiling)
    marked = big_index.search("spoilers:season", limit=None).hits
    assert marked and all(h.spoilers == ("Season 2",) for h in marked)


def test_json_shape(big_index) -> None:
    data = big_index.search("lantern", limit=3).to_json()
    assert set(data) >= {"hits", "total", "facets", "elapsed_ms"}
    assert set(data["facets"]) == {"project", "fandom", "rating", "status"}
    for hit in data["hits"]:
        assert set(hit) >= {
            "project",
            "project_title",
            "document",
            "title",
            "tree_path",
            "path",
            "offset",
            "length",
            "score",
            "snippet",
            "spoilers",
        }
        assert hit["document"] is None or hit["tree_path"][-1] == hit["title"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('"lantern harbour', "quotation mark"),
        ("(lantern OR tide", "not closed"),
        ("lantern)", "no '('"),
        ("fandon:x", "unknown filter 'fandon:'"),
        ("fandom: lantern", "needs a value"),
        ("rating:zz", "unknown rating"),
        ("status:sleeping", "unknown status"),
        ("kind:poem", "unknown kind"),
        ("modified:yesterday", "is not a date"),
        ("modified:[garbage to 2020]", "is not a date"),
        ("words:many", "not a valid number"),
    ],
)
def test_malformed_queries_say_what_is_wrong(big_index, query, message) -> None:
    with pytest.raises(QueryError) as caught:
        big_index.search(query)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
