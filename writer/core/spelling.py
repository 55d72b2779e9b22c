"""Spell checking of manuscripts: which words to check, and whether each is spelled right.

Why a real engine: hand-made word lists cannot handle inflections, compounds or other
languages.  :class:`SpellChecker` wraps pyenchant, which uses the system's hunspell
dictionaries (Debian: ``libenchant-2-2`` plus ``hunspell-en-us``, ``hunspell-fr``, ...).
When the library or the dictionary for a work's language is missing, :meth:`for_language`
raises :class:`SpellingUnavailable` with one line telling the author what to install, and
the window simply switches spell check off.

What is never flagged:

* names from the work's metadata (characters, relationships, fandoms): fan fiction is full
  of them, and "Cass Heller/Wren Okafor" should not be a sea of red;
* words in the project dictionary (``<project>/dictionary.txt``, travels with the work) and
  the personal dictionary (``config_dir()/personal-dictionary.txt``, every work): plain
  UTF-8 text, one word per line, sorted, written atomically;
* words with digits, ALL-CAPS acronyms, URLs, e-mail addresses, and Markdown syntax (inline
  code, fenced code, link targets, HTML tags and comments, footnote labels).

Positions returned by :func:`tokenize` are Python string indices.  Checks are cached, so a
paragraph that is highlighted again costs a dictionary lookup per word, not a hunspell call.
Nothing here imports Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from writer.core.atomic import atomic_write_text
from writer.core.errors import WriterError
from writer.core.metadata import WorkMeta
from writer.core.paths import config_dir

__all__ = [
    "PERSONAL_DICTIONARY",
    "WORD_RE",
    "PROJECT_DICTIONARY",
    "SpellChecker",
    "SpellingUnavailable",
    "UserDictionary",
    "available_languages",
    "debian_package",
    "enchant_tags",
    "line_state",
    "mask_line",
    "name_words",
    "personal_dictionary_path",
    "project_dictionary_path",
    "scan_line",
    "tokenize",
]

#: File name of the project dictionary, inside the project folder.
PROJECT_DICTIONARY = "dictionary.txt"
#: File name of the personal dictionary, inside :func:`writer.core.paths.config_dir`.
PERSONAL_DICTIONARY = "personal-dictionary.txt"

#: Words cached per checker: far more than the distinct words of a long novel.
CACHE_SIZE = 65536
#: How many suggestions :meth:`SpellChecker.suggest` returns at most.
MAX_SUGGESTIONS = 8

Token = tuple[int, int, str]


class SpellingUnavailable(WriterError):
    """Spell check cannot run: no Enchant library, or no dictionary for the language."""


# ------------------------------------------------------------------ languages

# The region a bare language code means when several are installed (``en`` is en_US).
_DEFAULT_REGION = {
    "en": "US",
    "de": "DE",
    "fr": "FR",
    "es": "ES",
    "it": "IT",
    "pt": "PT",
    "nl": "NL",
    "pl": "PL",
    "ru": "RU",
    "sv": "SE",
    "da": "DK",
    "nb": "NO",
    "no": "NO",
    "fi": "FI",
    "cs": "CZ",
    "uk": "UA",
    "el": "GR",
    "ca": "ES",
    "hu": "HU",
    "ro": "RO",
    "tr": "TR",
}

# Debian package names for the dictionaries authors most often lack.
_DEBIAN_PACKAGES = {
    "en": "hunspell-en-us",
    "en-US": "hunspell-en-us",
    "en-GB": "hunspell-en-gb",
    "en-AU": "hunspell-en-au",
    "en-CA": "hunspell-en-ca",
    "en-ZA": "hunspell-en-za",
    "de": "hunspell-de-de",
    "de-DE": "hunspell-de-de",
    "de-AT": "hunspell-de-at",
    "de-CH": "hunspell-de-ch",
    "pt": "hunspell-pt-pt",
    "pt-PT": "hunspell-pt-pt",
    "pt-BR": "hunspell-pt-br",
    "sv": "hunspell-sv",
    "nb": "hunspell-no",
    "nn": "hunspell-no",
}


def _split_language(language: str) -> tuple[str, str]:
    """``pt-BR`` -> ``("pt", "BR")``; scripts and variants are dropped."""
    parts = [p for p in re.split(r"[-_.@]", language.strip()) if p]
    if not parts:
        return "", ""
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    return lang, region


def enchant_tags(language: str, available: Iterable[str] = ()) -> list[str]:
    """The Enchant dictionary tags to try for a BCP-47 ``language``, best first.

    ``pt-BR`` -> ``pt_BR``, then ``pt``, then the default region ``pt_PT``, then any other
    installed ``pt_*`` (from ``available``); ``en`` -> ``en``, ``en_US``, then others.
    """
    lang, region = _split_language(language)
    if not lang:
        return []
    tags: list[str] = []
    if region:
        tags.append(f"{lang}_{region}")
    tags.append(lang)
    default = _DEFAULT_REGION.get(lang, lang.upper())
    tags.append(f"{lang}_{default}")
    tags += sorted(tag for tag in available if tag.split("_")[0].lower() == lang)
    return list(dict.fromkeys(tags))


def debian_package(language: str) -> str:
    """The Debian package holding the hunspell dictionary for ``language`` (a good guess)."""
    lang, region = _split_language(language)
    code = f"{lang}-{region}" if region else lang
    return _DEBIAN_PACKAGES.get(code) or _DEBIAN_PACKAGES.get(lang) or f"hunspell-{lang}"


def _to_bcp47(tag: str) -> str:
    lang, region = _split_language(tag)
    return f"{lang}-{region}" if region else lang


_ENCHANT: Any = None  # the enchant module, once imported
_ENCHANT_ERROR = ""
_BROKER: Any = None
_DICTS: dict[str, Any] = {}  # loaded dictionaries by tag: loading one costs ~50 ms


def _enchant() -> Any:
    """The enchant module, or raise :class:`SpellingUnavailable` saying what to install."""
    global _ENCHANT, _ENCHANT_ERROR
    if _ENCHANT is None and not _ENCHANT_ERROR:
        try:
            import enchant  # noqa: PLC0415 - optional at run time: spell check just goes off

            _ENCHANT = enchant
        except Exception as error:  # ImportError, or pyenchant could not load libenchant
            _ENCHANT_ERROR = str(error) or type(error).__name__
    if _ENCHANT is None:
        raise SpellingUnavailable(
            "Spell check is off: the Enchant library is missing "
            "(install libenchant-2-2 and the pyenchant package)"
        )
    return _ENCHANT


def _broker() -> Any:
    """One Enchant broker for the process (each loads every provider)."""
    global _BROKER
    if _BROKER is None:
        _BROKER = _enchant().Broker()
    return _BROKER


def available_languages() -> list[str]:
    """The languages with an installed dictionary, as BCP-47 codes (``["en-US"]``);
    empty when Enchant itself is missing."""
    try:
        tags = _broker().list_languages()
    except Exception:  # no Enchant, or a broken one: no languages
        return []
    return sorted({_to_bcp47(tag) for tag in tags})


def _request_dict(language: str) -> tuple[str, Any]:
    """The tag and the Enchant dictionary for ``language``; cached by tag."""
    try:
        broker = _broker()
        installed = broker.list_languages()
    except SpellingUnavailable:
        raise
    except Exception as error:
        raise SpellingUnavailable(f"Spell check is off: Enchant failed ({error})") from error
    for tag in enchant_tags(language, installed):
        if tag in _DICTS:
            return tag, _DICTS[tag]
        try:
            if not broker.dict_exists(tag):
                continue
            dictionary = broker.request_dict(tag)
        except Exception:  # a broken dictionary file: try the next tag
            continue
        _DICTS[tag] = dictionary
        return tag, dictionary
    shown = language.strip() or "(none)"
    raise SpellingUnavailable(
        f"Spell check is off: no dictionary for {shown!r} (install {debian_package(shown)})"
    )


# ------------------------------------------------------------------ words and tokens

# Letters and digits (never "_", which is Markdown emphasis), plus combining marks so a
# decomposed "é" stays inside its word.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
WORD_RE = re.compile(rf"[\w{_MARKS}]+(?:['\u2019][\w{_MARKS}]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'"})

# What is masked out before words are found.  Fences are paragraph state (see scan_line).
_FENCE_OPEN_RE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE_RE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*$")
# Each pattern runs only when one of its trigger strings is in the line, so plain prose
# costs a few substring tests.
_INLINE_RES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("`",), re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")),  # inline code
    (("<",), re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>")),  # <https://...>
    (("<",), re.compile(r"</?[A-Za-z][A-Za-z0-9\-]*(?:\s[^<>]*)?/?>")),  # HTML tags
    (("](",), re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)")),
    (("][",), re.compile(r"\]\[[^\]]*\]")),  # reference link label
    (("[^",), re.compile(r"\[\^[^\]\s]+\]")),  # footnote label
    (("]:",), re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")),  # reference definition
    (("://", "www.", "mailto:"), re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.|mailto:)\S+")),
    (("@",), re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")),  # e-mail addresses
    (("&",), re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")),  # entities
)

# Paragraph states carried from one line to the next (two bits).
PLAIN, BACKTICK_FENCE, TILDE_FENCE, IN_COMMENT = 0, 1, 2, 3
STATE_BITS = 2


_DIGIT_RE = re.compile(r"\d")


def skipped(word: str) -> bool:
    """Words never checked: with digits (``R2D2``, ``3rd``) or ALL-CAPS (``NASA``)."""
    if word.isalpha():  # the common case, decided by two C calls
        return len(word) > 1 and word.isupper()
    if _DIGIT_RE.search(word):
        return True
    letters = word.replace("'", "").replace("\u2019", "")
    return len(letters) > 1 and letters.isupper()


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _fence_or_comment(line: str, state: int) -> tuple[list[tuple[int, int]] | None, int]:
    """Paragraph-level Markdown: ``(None, state)`` when the whole line is code, else the
    spans of HTML comments to mask and the state for the next line."""
    if state in (BACKTICK_FENCE, TILDE_FENCE):
        close = _FENCE_CLOSE_RE.match(line)
        char = "`" if state == BACKTICK_FENCE else "~"
        if close and close.group(1)[0] == char:
            return None, PLAIN
        return None, state
    if state == PLAIN and ("`" in line or "~" in line):
        opening = _FENCE_OPEN_RE.match(line)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            return None, BACKTICK_FENCE if opening.group(1)[0] == "`" else TILDE_FENCE
    if state != IN_COMMENT and "<!--" not in line:
        return [], PLAIN
    spans: list[tuple[int, int]] = []
    start, skip = (0, 0) if state == IN_COMMENT else (line.find("<!--"), 4)
    state = PLAIN
    while start >= 0:
        end = line.find("-->", start + skip)
        if end < 0:
            spans.append((start, len(line)))
            state = IN_COMMENT
            break
        spans.append((start, end + 3))
        start, skip = line.find("<!--", end + 3), 4
    return spans, state


def line_state(line: str, state: int = PLAIN) -> int:
    """The state after ``line`` (inside a fence or a comment?), without finding words."""
    if state == PLAIN and "`" not in line and "~" not in line and "<!--" not in line:
        return PLAIN
    return _fence_or_comment(line, state)[1]


def mask_line(line: str, state: int = PLAIN) -> tuple[str | None, int]:
    """``line`` with everything that is not prose blanked out (same length, so indices
    hold), and the state for the next line; ``None`` when the whole line is code.

    Words are then :data:`WORD_RE` matches of the result; :meth:`SpellChecker.check`
    accepts the ones that are never checked (digits, acronyms) by itself.
    """
    comments, state = _fence_or_comment(line, state)
    if comments is None:
        return None, state
    masked = _mask(line, comments)
    for triggers, pattern in _INLINE_RES:
        if any(trigger in masked for trigger in triggers):
            masked = _mask(masked, [match.span() for match in pattern.finditer(masked)])
    if "_" in masked:  # \w includes "_", which is emphasis or snake_case: a separator
        masked = masked.replace("_", " ")
    return masked, state


def scan_line(line: str, state: int = PLAIN) -> tuple[list[Token], int]:
    """The words to check in one paragraph (no newlines) and the state for the next.

    ``state`` is what the previous paragraph returned (:data:`PLAIN` at the start).
    Each token is ``(start, end, word)`` in Python indices into ``line``.
    """
    masked, state = mask_line(line, state)
    if masked is None:
        return [], state
    tokens = []
    for match in WORD_RE.finditer(masked):
        word = match.group()
        if not skipped(word):
            tokens.append((*match.span(), word))
    return tokens, state


def tokenize(text: str) -> list[Token]:
    """Every word to check in ``text`` (Markdown, any number of lines) as
    ``(start, end, word)`` in Python string indices.

    Apostrophes inside words keep them whole (``don’t``, ``Cass's``); hyphens and ``_``
    separate words.  Inline code, fenced code, link targets, URLs, e-mail addresses, HTML
    tags and comments, words with digits and ALL-CAPS acronyms are left out.
    """
    tokens: list[Token] = []
    state, offset = PLAIN, 0
    for line in text.split("\n"):
        found, state = scan_line(line, state)
        tokens += [(start + offset, end + offset, word) for start, end, word in found]
        offset += len(line) + 1
    return tokens


def _base_forms(word: str) -> tuple[str, ...]:
    """``word`` with straight apostrophes, and without a possessive ``'s`` or ``s'``."""
    plain = word.translate(_APOSTROPHES)
    if plain.endswith("'s") and len(plain) > 2:
        return plain, plain[:-2]
    if plain.endswith("'") and len(plain) > 1:
        return plain, plain[:-1]
    return (plain,)


def name_words(meta: WorkMeta) -> set[str]:
    """The words of every character, relationship and fandom (``Cass Heller/Wren Okafor``
    -> Cass, Heller, Wren, Okafor), possessives stripped, as written."""
    words: set[str] = set()
    for value in (*meta.characters, *meta.relationships, *meta.fandoms):
        for _start, _end, word in tokenize(value):
            words.update(form for form in _base_forms(word) if form)
    return words


# ------------------------------------------------------------------ user dictionaries


def personal_dictionary_path() -> Path:
    """The author's own dictionary, shared by every work."""
    return config_dir() / PERSONAL_DICTIONARY


def project_dictionary_path(project_dir: Path) -> Path:
    """The dictionary that travels with one work."""
    return Path(project_dir) / PROJECT_DICTIONARY


def _accepts(word: str, exact: set[str] | frozenset[str], lowered: set[str]) -> bool:
    """Whether a word list accepts ``word``: an entry as written, or a lowercase entry at
    the start of a sentence (``Lantern`` for ``lantern``); not ``kestrel`` for ``Kestrel``."""
    if word in exact:
        return True
    if word[:1].isupper() and word[1:] == word[1:].lower():
        return word.lower() in lowered
    return False


class UserDictionary:
    """Words the author has accepted, kept in a text file (or only in memory).

    The file is re-read before each addition, so words added by another copy of the app
    are kept; it is written sorted, one word per line, atomically.
    """

    def __init__(self, path: Path | None = None, words: Iterable[str] = ()) -> None:
        self.path = Path(path) if path is not None else None
        self._words: set[str] = set()
        self._lowered: set[str] = set()
        self.reload()
        self._update(words)

    def reload(self) -> None:
        """Read the file again (a missing or unreadable file is an empty dictionary)."""
        self._words, self._lowered = set(), set()
        self._update(self._read())

    def _read(self) -> list[str]:
        if self.path is None:
            return []
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return [line.strip() for line in text.splitlines()]

    def _update(self, words: Iterable[str]) -> None:
        for word in words:
            word = word.strip().translate(_APOSTROPHES)
            if word and not word.startswith("#"):
                self._words.add(word)
                if word == word.lower():
                    self._lowered.add(word)

    @property
    def words(self) -> frozenset[str]:
        return frozenset(self._words)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        return any(_accepts(form, self._words, self._lowered) for form in _base_forms(word))

    def __len__(self) -> int:
        return len(self._words)

    def add(self, word: str) -> bool:
        """Accept ``word`` from now on and save the file; ``False`` if it was there.

        Raises ``OSError`` when the file cannot be written (the word is still accepted
        for this session).
        """
        word = word.strip().translate(_APOSTROPHES)
        if not word:
            return False
        on_disk = self._read()
        new = word not in self._words
        self._update([*on_disk, word])
        if self.path is not None and (new or word not in on_disk):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ordered = sorted(self._words, key=lambda w: (w.casefold(), w))
            atomic_write_text(self.path, "".join(f"{w}\n" for w in ordered))
        return new


# ------------------------------------------------------------------ the checker


class _Dictionary(Protocol):
    def check(self, word: str) -> bool: ...

    def suggest(self, word: str) -> list[str]: ...


@dataclass(frozen=True)
class _Sources:
    """Where a checker's extra words come from (for :meth:`SpellChecker.same_sources`)."""

    tag: str
    project: Path | None
    personal: Path | None


class SpellChecker:
    """Checks words against one Enchant dictionary plus the author's word lists.

    Build it with :meth:`for_language` or :meth:`for_project`; both raise
    :class:`SpellingUnavailable` when spell check cannot run.
    """

    def __init__(
        self,
        dictionary: _Dictionary,
        *,
        language: str,
        tag: str,
        project: UserDictionary | None = None,
        personal: UserDictionary | None = None,
        names: Iterable[str] = (),
    ) -> None:
        self.dictionary = dictionary
        self.language = language
        self.tag = tag
        self.project = project if project is not None else UserDictionary()
        self.personal = personal if personal is not None else UserDictionary()
        self._names: set[str] = set()
        self._ignored: set[str] = set()
        self._cached = lru_cache(maxsize=CACHE_SIZE)(self._check_uncached)
        self.set_names(names)

    @classmethod
    def for_language(
        cls,
        language: str,
        project_words: Iterable[str] = (),
        personal_path: Path | None = None,
        *,
        project_dictionary: Path | None = None,
        names: Iterable[str] = (),
    ) -> SpellChecker:
        """A checker for a BCP-47 ``language`` (``en`` uses ``en_US`` when only that is
        installed).

        ``project_words`` are accepted without being saved; ``project_dictionary`` is the
        project's word file (read now, written by :meth:`add_to_project`);
        ``personal_path`` defaults to :func:`personal_dictionary_path`.
        """
        tag, dictionary = _request_dict(language)
        project = UserDictionary(project_dictionary, project_words)
        personal = UserDictionary(
            personal_path if personal_path is not None else personal_dictionary_path()
        )
        return cls(
            dictionary,
            language=language,
            tag=tag,
            project=project,
            personal=personal,
            names=names,
        )

    @classmethod
    def for_project(cls, project: Any, personal_path: Path | None = None) -> SpellChecker:
        """A checker for a :class:`writer.core.project.Project`: its language, its names
        and its dictionary file."""
        return cls.for_language(
            project.meta.language or "en",
            personal_path=personal_path,
            project_dictionary=project_dictionary_path(project.path),
            names=name_words(project.meta),
        )

    # ------------------------------------------------------------ configuration

    @property
    def sources(self) -> _Sources:
        return _Sources(self.tag, self.project.path, self.personal.path)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._names)

    def set_names(self, names: Iterable[str]) -> bool:
        """Accept exactly these names (any case); returns whether anything changed."""
        folded = {form.casefold() for name in names for form in _base_forms(name) if form}
        if folded == self._names:
            return False
        self._names = folded
        self._cached.cache_clear()
        return True

    def ignore_names(self, meta: WorkMeta) -> bool:
        """Accept every name in the work's characters, relationships and fandoms."""
        return self.set_names(name_words(meta))

    def ignore(self, word: str) -> None:
        """Accept ``word`` until this checker is dropped (nothing is saved)."""
        self._ignored.update(_base_forms(word))
        self._cached.cache_clear()

    def add_to_project(self, word: str) -> bool:
        """Accept ``word`` in this work and save the project dictionary."""
        try:
            return self.project.add(word)
        finally:
            self._cached.cache_clear()

    def add_to_personal(self, word: str) -> bool:
        """Accept ``word`` in every work and save the personal dictionary."""
        try:
            return self.personal.add(word)
        finally:
            self._cached.cache_clear()

    def reload(self) -> None:
        """Read both word files again (after another program changed them)."""
        self.project.reload()
        self.personal.reload()
        self._cached.cache_clear()

    # ------------------------------------------------------------ checking

    def check(self, word: str) -> bool:
        """Whether ``word`` is spelled right (or is a name, a user word, or never checked)."""
        return self._cached(word)

    def _check_uncached(self, word: str) -> bool:
        if not word or skipped(word):
            return True
        forms = _base_forms(word)
        if any(form.casefold() in self._names for form in forms):
            return True
        if word in self.project or word in self.personal:
            return True
        if any(form in self._ignored for form in forms):
            return True
        try:
            return bool(self.dictionary.check(forms[0]))
        except Exception:  # Enchant rejects some strings (e.g. lone surrogates): not our call
            return True

    def suggest(self, word: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Corrections for ``word``, best first, in its apostrophe style (’ stays ’)."""
        plain = word.translate(_APOSTROPHES)
        try:
            found = list(self.dictionary.suggest(plain))
        except Exception:
            return []
        if "\u2019" in word:
            found = [s.replace("'", "\u2019") for s in found]
        return list(dict.fromkeys(s for s in found if s and s != word))[:limit]

    def misspelled(self, text: str) -> list[Token]:
        """The words of ``text`` (Markdown) that are not spelled right."""
        return [token for token in tokenize(text) if not self.check(token[2])]
