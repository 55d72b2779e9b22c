"""Header labels ("Rating: T", "PAIRING - A/B", "**Summary:**") and note labels ("A/N").

A label line is a known label, then a colon, hyphen, en dash or em dash (spaces around it
optional, any letter case), then the value. Emphasis or a bracket round the label is
allowed (``**Title:** X``, ``[A/N: ...]``). Only the label and its separator (and that
wrapping) are ever dropped; the value always lands in a field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# label as authors write it (normalised: lower case, straight apostrophe, single spaces)
# -> the key the collector understands. "note" keys go to the notes fields.
FIELD_LABELS: dict[str, str] = {
    **dict.fromkeys(["title", "story title", "work title", "fic title", "story"], "title"),
    **dict.fromkeys(
        ["author", "authors", "author name", "written by", "writer", "pen name", "penname"],
        "author",
    ),
    **dict.fromkeys(["pseud", "creator", "creators", "by"], "author"),
    **dict.fromkeys(["co-author", "co-authors", "coauthor", "coauthors"], "co_authors"),
    **dict.fromkeys(["fandom", "fandoms", "fandom(s)", "crossover", "source"], "fandoms"),
    **dict.fromkeys(["category", "categories", "category(s)"], "category"),
    **dict.fromkeys(["rating", "rated", "ratings"], "rating"),
    **dict.fromkeys(
        [
            "warning",
            "warnings",
            "warning(s)",
            "archive warning",
            "archive warnings",
            "archive warning(s)",
            "content warning",
            "content warnings",
            "trigger warning",
            "trigger warnings",
            "tw",
            "cw",
            "tws",
            "cws",
        ],
        "warnings",
    ),  # fmt: skip
    **dict.fromkeys(
        [
            "pairing",
            "pairings",
            "pairing(s)",
            "relationship",
            "relationships",
            "relationship(s)",
            "ship",
            "ships",
            "main pairing",
            "couple",
            "couples",
        ],
        "relationships",
    ),  # fmt: skip
    **dict.fromkeys(
        ["character", "characters", "character(s)", "main characters", "cast"], "characters"
    ),
    **dict.fromkeys(
        ["tags", "additional tags", "freeform", "freeforms", "genre", "genres", "tropes"],
        "tags",
    ),
    **dict.fromkeys(["summary", "description", "blurb", "synopsis"], "summary"),
    **dict.fromkeys(["word count", "wordcount", "words", "length"], "word_count"),
    "language": "language",
    "series": "series",
    "status": "status",
    "chapters": "chapters",
    **dict.fromkeys(["disclaimer", "disclaimers"], "disclaimer"),
    **dict.fromkeys(
        ["spoiler", "spoilers", "spoiler warning", "spoiler warnings", "spoiler alert"],
        "spoilers",
    ),
    **dict.fromkeys(["link", "url", "posted at", "originally posted at", "archive"], "links"),
    **dict.fromkeys(["published", "posted", "updated", "completed", "date"], "date"),
    "collections": "unmapped",
    # Lines kept word for word in the notes, where archive authors put them.
    **dict.fromkeys(
        [
            "beta",
            "beta reader",
            "betaed by",
            "beta'd by",
            "beta-read by",
            "dedication",
            "dedicated to",
            "prompt",
            "inspiration",
            "inspired by",
            "timeline",
            "setting",
            "challenge",
            "song",
            "feedback",
            "au",
            "for",
        ],
        "note_line",
    ),  # fmt: skip
}

# Labels that are also everyday words: they count only with a colon.
COLON_ONLY = frozenset(
    {"by", "for", "story", "source", "words", "length", "date", "setting", "song", "au"}
    | {"feedback", "posted", "updated", "published", "archive", "cast", "writer", "link"}
    | {"completed", "prompt", "challenge", "crossover"}
)

SEPARATORS = ":-\u2013\u2014"

_NOTE_WORDS = (
    r"(?:a\s+)?notes?\s+from\s+(?:the\s+)?(?:author|writer)"
    r"|(?:author|writer)(?:['\u2019]?s|s['\u2019])?\s+notes?"
    r"|(?:beginning|opening|start|end|ending|closing|final|last|chapter|story|work)\s+notes?"
    r"|a\s*/\s*n\b|a\.\s?n\.|notes?"
)
_OPEN = r"(?P<open>[ \t]*(?:\\?[\[(]|[*_]{1,3}|>\s*)*[ \t]*)"
_CLOSE = r"(?P<close>[*_]{0,3})"
_SEP = r"[ \t]*(?P<sep>[:\-\u2013\u2014])(?P<close2>[*_]{0,3})[ \t]*"


def normalise_label(label: str) -> str:
    text = label.casefold().replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def _label_pattern(labels: list[str]) -> str:
    parts = []
    for label in sorted(labels, key=len, reverse=True):
        escaped = re.escape(label).replace("'", "['\u2019]?").replace(r"\ ", r"\s+")
        parts.append(escaped)
    return "|".join(parts)


_FIELD_RE = re.compile(
    rf"^{_OPEN}(?P<label>{_label_pattern(list(FIELD_LABELS))}){_CLOSE}{_SEP}(?P<value>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_NOTE_RE = re.compile(
    rf"^{_OPEN}(?P<label>{_NOTE_WORDS}){_CLOSE}(?:{_SEP}|[ \t]+|$)(?P<value>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_AN_RE = re.compile(
    rf"^{_OPEN}(?P<label>AN){_CLOSE}[ \t]*(?P<sep>:)(?P<close2>)[ \t]*(?P<value>.*)$"
)
END_NOTE_LABEL = re.compile(r"^(?:end|ending|closing|final|last)\b", re.IGNORECASE)


@dataclass(frozen=True)
class LabelMatch:
    """A label at the start of a line: which key, the dropped prefix, and the value."""

    key: str
    label: str
    prefix: str
    value: str
    sep: str
    opener: str
    suffix: str = ""

    @property
    def spaced(self) -> bool:
        """Whether the separator is unmistakable: anything but a hyphen glued to both sides."""
        return self.sep != "-" or bool(re.search(r"\s-|-\s", self.prefix))


def _finish(match: re.Match[str], key: str) -> LabelMatch:
    opener = match.group("open") or ""
    value = match.group("value")
    prefix = match.group(0)[: match.start("value")]
    marks = opener.strip(" \t[(\\>")
    suffix = ""
    if marks and value.rstrip().endswith(marks[::-1]):
        suffix = value[len(value.rstrip()) - len(marks) :]
        value = value.rstrip()[: -len(marks)]
    sep = match.groupdict().get("sep") or ""
    return LabelMatch(key, match.group("label"), prefix, value, sep, opener, suffix)


def match_field(line: str) -> LabelMatch | None:
    """A header label line ("Rating: T"); None for anything else."""
    match = _FIELD_RE.match(line)
    if match is None:
        return None
    label = normalise_label(match.group("label"))
    key = FIELD_LABELS.get(label) or FIELD_LABELS.get(label.replace("'", ""))
    if key is None:
        return None
    if label in COLON_ONLY and match.group("sep") != ":":
        return None
    glued = match.group("sep") == "-" and not re.search(r"\s-|-\s", match.group(0))
    if glued and match.group("value")[:1].isalnum() and not _glued_ok(label):
        return None
    return _finish(match, key)


def _glued_ok(label: str) -> bool:
    """``Rating-T`` is a label; ``Author-approved`` is a word: only the header labels the
    issue names may be glued to their value by a bare hyphen."""
    return FIELD_LABELS.get(label) in {
        "title", "author", "fandoms", "rating", "relationships", "characters", "summary",
        "warnings", "word_count", "disclaimer", "spoilers",
    }  # fmt: skip


def match_note(line: str) -> LabelMatch | None:
    """An author's-note label at the start of a line ("A/N:", "Author's Note -", "Notes")."""
    match = _AN_RE.match(line)
    if match is None:
        match = _NOTE_RE.match(line)
        if match is None:
            return None
        label = normalise_label(match.group("label"))
        bare = not match.group("sep")
        unmistakable = re.match(r"a\s*/\s*n$|a\.\s?n\.$", label)
        if bare and match.group("value").strip() and not unmistakable:
            return None  # without a separator only "A/N" may run into the text
        if label in ("note",) and bare:
            return None
        glued = match.group("sep") == "-" and not re.search(r"\s-|-\s", match.group(0))
        if glued and label in ("note", "notes") and match.group("value")[:1].isalnum():
            return None  # "Notes-to-self" is a word
    key = "notes_end" if END_NOTE_LABEL.match(match.group("label")) else "notes"
    return _finish(match, key)


def match_label(line: str) -> LabelMatch | None:
    """A note label first (so "Notes:" is a note), then any header label."""
    return match_note(line) or match_field(line)
