"""Spell checking without Qt: which words are checked, names and user dictionaries, the
language mapping, and a clean "off" when Enchant or a dictionary is missing."""

from __future__ import annotations

import os
import sys

import pytest

from writer.core import spelling
from writer.core.errors import WriterError
from writer.core.metadata import WorkMeta
from writer.core.paths import config_dir
from writer.core.project import Project
from writer.core.spelling import (
    SpellChecker,
    SpellingUnavailable,
    UserDictionary,
    available_languages,
    debian_package,
    enchant_tags,
    name_words,
    personal_dictionary_path,
    project_dictionary_path,
    tokenize,
)


def words(text: str) -> list[str]:
    return [word for _start, _end, word in tokenize(text)]


@pytest.fixture
def en_us() -> None:
    """Tests that need the real en_US dictionary: skipped without it, except on CI,
    where ``.ci/run`` installs it and its absence is a failure."""
    if "en-US" in available_languages():
        return
    message = "no en_US dictionary (install libenchant-2-2, hunspell-en-us and pyenchant)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class FakeDictionary:
    """Knows a handful of words; counts calls so caching can be seen."""

    WORDS = {"the", "lighthouse", "keeper", "don't", "lamp", "Heller", "is", "lit"}

    def __init__(self) -> None:
        self.calls = 0

    def check(self, word: str) -> bool:
        self.calls += 1
        return word in self.WORDS or word.lower() in self.WORDS

    def suggest(self, word: str) -> list[str]:
        return ["lighthouse", "light house"] if word.startswith("light") else ["don't"]


def fake_checker(tmp_path, names=()) -> SpellChecker:
    return SpellChecker(
        FakeDictionary(),
        language="en",
        tag="en_US",
        project=UserDictionary(tmp_path / "dictionary.txt"),
        personal=UserDictionary(tmp_path / "personal.txt"),
        names=names,
    )


# ------------------------------------------------------------------ tokens


def test_tokens_are_python_indices_and_keep_apostrophes():
    text = "🌊 Cass’s lamp don't wasn’t"
    found = tokenize(text)
    assert [w for *_, w in found] == ["Cass’s", "lamp", "don't", "wasn’t"]
    for start, end, word in found:
        assert text[start:end] == word
    assert words("'tis the students' rock'n'roll") == ["tis", "the", "students", "rock'n'roll"]


def test_markdown_syntax_urls_digits_and_acronyms_are_skipped():
    text = (
        '**bolld** _itallic_ `codde` [linkk](http://exampel.com/a_b "titel") '
        '<span class="clas">spann</span> <https://auto.lnk> www.site.orgg me@mail.exampel '
        "NASA R2D2 3rd snake_case [^nte] &nbsp; <!-- hiddn --> end"
    )
    assert words(text) == [
        "bolld",
        "itallic",
        "linkk",
        "spann",
        "snake",
        "case",
        "end",
    ]


def test_fenced_code_and_comments_spanning_lines_are_skipped():
    text = "one\n```python\nbadd_code = 1\n```\ntwo <!-- a\nhiddn\n--> three\n~~~\nnope\n~~~\nfour"
    assert words(text) == ["one", "two", "three", "four"]
    positions = tokenize(text)
    assert all(text[s:e] == w for s, e, w in positions)


def test_reference_definitions_and_labels_are_skipped():
    assert words('[Thee text][reff]\n[reff]: https://x.org "Titel"') == ["Thee", "text"]


def test_names_split_relationships_and_drop_possessives():
    meta = WorkMeta(
        characters=["Cass Heller", "Wren Okafor’s"],
        relationships=["Cass Heller/Wren Okafor", "Jean-Luc & Q"],
        fandoms=["Tidewater (Web Series)"],
    )
    names = name_words(meta)
    assert {"Cass", "Heller", "Wren", "Okafor", "Jean", "Luc", "Tidewater", "Web"} <= names
    assert "Cass Heller" not in names


# ------------------------------------------------------------------ the checker


def test_checker_accepts_names_in_any_case_and_with_possessive(tmp_path):
    checker = fake_checker(tmp_path, names=name_words(WorkMeta(characters=["Cass Okafor"])))
    assert checker.check("Cass") and checker.check("Okafor’s") and checker.check("CASS")
    assert not checker.check("Casz")
    assert checker.ignore_names(WorkMeta(relationships=["Casz/Mira"]))
    assert checker.check("Casz") and not checker.check("Cass")


def test_checks_are_cached_and_skips_never_reach_the_dictionary(tmp_path):
    checker = fake_checker(tmp_path)
    dictionary = checker.dictionary
    assert isinstance(dictionary, FakeDictionary)
    for _ in range(5):
        assert not checker.check("lighthuse")
    assert dictionary.calls == 1
    assert checker.check("NASA") and checker.check("R2D2") and checker.check("")
    assert dictionary.calls == 1
    assert checker.check("don’t")  # curly apostrophe checked as straight
    assert checker.misspelled("The lighthuse is lit") == [(4, 13, "lighthuse")]


def test_suggestions_keep_the_apostrophe_style(tmp_path):
    checker = fake_checker(tmp_path)
    assert checker.suggest("lighthuse")[0] == "lighthouse"
    assert checker.suggest("dont’") == ["don’t"]


def test_project_dictionary_persists_sorted_and_clears_the_cache(tmp_path):
    checker = fake_checker(tmp_path)
    assert not checker.check("Kestrel")
    assert checker.add_to_project("Kestrel")
    assert checker.add_to_project("zephyrine")
    assert checker.add_to_project("ambergleam")
    assert not checker.add_to_project("Kestrel")
    assert checker.check("Kestrel") and checker.check("Kestrel's")
    assert not checker.check("kestrel")  # a capitalised entry is a name
    assert checker.check("Zephyrine")  # a lowercase entry may start a sentence
    path = tmp_path / "dictionary.txt"
    assert path.read_text(encoding="utf-8") == "ambergleam\nKestrel\nzephyrine\n"
    assert not list(tmp_path.glob(".dictionary.txt.*"))  # no temp file left behind
    again = fake_checker(tmp_path)
    assert again.check("Kestrel")


def test_adding_keeps_words_another_copy_saved(tmp_path):
    path = tmp_path / "personal.txt"
    mine, theirs = UserDictionary(path), UserDictionary(path)
    theirs.add("glimmerfen")
    mine.add("Wrenna")
    assert path.read_text(encoding="utf-8").split() == ["glimmerfen", "Wrenna"]
    assert "glimmerfen" in mine


def test_unwritable_dictionary_raises_but_keeps_the_word_for_the_session(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    dictionary = UserDictionary(blocker / "dictionary.txt")
    with pytest.raises(OSError):
        dictionary.add("Kestrel")
    assert "Kestrel" in dictionary


def test_personal_dictionary_lives_in_the_config_folder(writer_home):
    assert personal_dictionary_path() == config_dir() / "personal-dictionary.txt"
    assert personal_dictionary_path().is_relative_to(writer_home)


# ------------------------------------------------------------------ languages


def test_bcp47_codes_map_to_enchant_tags():
    assert enchant_tags("en")[:2] == ["en", "en_US"]
    assert enchant_tags("en-GB")[0] == "en_GB"
    assert enchant_tags("pt-BR", ["pt_PT", "pt_BR", "de_DE"]) == ["pt_BR", "pt", "pt_PT"]
    assert enchant_tags("zh-Hant-TW")[0] == "zh_TW"
    assert enchant_tags("") == []
    assert debian_package("fr") == "hunspell-fr"
    assert debian_package("pt-BR") == "hunspell-pt-br"
    assert debian_package("en") == "hunspell-en-us"


def test_missing_dictionary_is_a_clear_writer_error(en_us):
    with pytest.raises(SpellingUnavailable) as caught:
        SpellChecker.for_language("xx")
    assert isinstance(caught.value, WriterError)
    assert str(caught.value) == "Spell check is off: no dictionary for 'xx' (install hunspell-xx)"


def test_missing_enchant_is_a_clear_writer_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "enchant", None)  # import enchant -> ImportError
    monkeypatch.setattr(spelling, "_ENCHANT", None)
    monkeypatch.setattr(spelling, "_ENCHANT_ERROR", "")
    monkeypatch.setattr(spelling, "_BROKER", None)
    monkeypatch.setattr(spelling, "_DICTS", {})
    assert available_languages() == []
    with pytest.raises(SpellingUnavailable, match="Enchant library is missing"):
        SpellChecker.for_language("en")


def test_english_dictionary_flags_and_suggests(en_us, tmp_path):
    checker = SpellChecker.for_language("en", personal_path=tmp_path / "p.txt")
    assert checker.tag == "en_US"
    assert checker.check("lighthouse") and checker.check("Lighthouse")
    assert checker.check("don’t") and checker.check("keeper's")
    assert not checker.check("lighthuse")
    assert "lighthouse" in checker.suggest("lighthuse")
    assert [w for *_, w in checker.misspelled("The keeper climbd the stairs.")] == ["climbd"]


def test_a_regional_code_falls_back_to_an_installed_region(en_us):
    assert SpellChecker.for_language("en-US").tag == "en_US"
    assert SpellChecker.for_language("en-NZ").tag.startswith("en_")


def test_checker_for_a_project_uses_its_names_and_dictionary(en_us, tmp_path):
    project = Project.create(tmp_path / "work", "Work")
    try:
        project.set_field("characters", ["Cass Heller", "Wren Okafor"])
        project.set_field("language", ["English"])
        checker = SpellChecker.for_project(project)
        assert checker.project.path == project_dictionary_path(project.path)
        assert checker.check("Okafor") and not checker.check("Okafur")
        checker.add_to_project("Okafur")
        assert (project.path / "dictionary.txt").read_text(encoding="utf-8") == "Okafur\n"
    finally:
        project.close()
