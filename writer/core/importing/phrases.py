"""Sentences that mean something without a label: disclaimers, spoiler warnings, and the
fandom a disclaimer names.

These only ever look at paragraphs the detector offers them (the opening and closing
paragraphs of a text, and notes), and each test is narrow on purpose: "I don't own a car"
is prose, "I don't own Avatar" is a disclaimer.
"""

from __future__ import annotations

import re

_APOS = "['\u2019]"
_DONT = rf"(?:don{_APOS}?t|do\s+not|dont)"

_DISCLAIMER_STARTS = re.compile(
    rf"^(?:i\s+{_DONT}\s+own\b|i\s+own\s+nothing\b|i\s+claim\s+no\b|"
    rf"(?:all|the)\s+(?:original\s+)?characters?\b|characters\s+(?:belong|are)\b|"
    rf"no\s+(?:copyright\s+)?infringement\b|standard\s+disclaimers?\b|"
    rf"not\s+mine\b|nothing\s+(?:here\s+)?is\s+mine\b|none\s+of\s+(?:this|these|the)\b)",
    re.IGNORECASE,
)
_OWNERSHIP = re.compile(
    r"\b(?:belongs?|belonged|property|owned|owner|copyright|rights|trademark|infringement|"
    r"mine|profit|creators?)\b|\u00a9|\(c\)",
    re.IGNORECASE,
)
_OWN_OBJECT = re.compile(rf"^i\s+{_DONT}\s+own\s+(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_BELONGS = re.compile(
    r"^(?P<x>.{2,80}?)\s+(?:belongs?|belong|is\s+(?:the\s+)?property\s+of|is\s+owned\s+by|"
    r"are\s+(?:the\s+)?property\s+of|are\s+owned\s+by)\s+(?:to\s+)?(?P<y>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_LEADING_FILLER = re.compile(
    r"^(?:any\s+of\s+|all\s+of\s+|anything\s+|any\s+|these\s+|its\s+|"
    r"(?:the\s+)?(?:original\s+)?(?:characters?|rights|world|universe|franchise|setting|canon)"
    r"(?:\s+(?:to|of|from|in))?\s+|(?:from|of|in|to\s+do\s+with|related\s+to)\s+)",
    re.IGNORECASE,
)
_OWNER_NAMED = re.compile(
    r"\b(?:[Bb]elongs?|are\s+(?:the\s+)?property\s+of|are\s+owned\s+by|[Cc]opyright)\s+(?:to\s+)?"
    r"(?:[A-Z]|their\s+|the\s+(?:original\s+)?(?:author|creator|owner))"
)
_SMALL_WORDS = {"of", "the", "and", "a", "an", "in", "on", "to", "for", "at", "&", "de", "la"}


def _first_sentence(text: str) -> str:
    """Up to the first sentence end (or comma, "or", "nor", "but"), without it."""
    end = re.search(
        r"(?<![A-Z])[.!?;](?=\s|$)|,|\s+(?:or|nor|but|and\s+never|and\s+(?:I|it|they))\s+|\(|\n",
        text,
    )
    return (text[: end.start()] if end else text).strip(" \t\"'\u201c\u201d")


def _title_case(text: str) -> bool:
    words = [w for w in re.split(r"\s+", text) if w]
    return bool(words) and all(
        w[0].isupper() or w[0].isdigit() or w.casefold() in _SMALL_WORDS for w in words
    )


def disclaimer_source(text: str) -> tuple[str, str]:
    """``(kind, name)``: the work a disclaimer disowns (``"source"``) or, failing that,
    the owner it names (``"owner"``); ``("", "")`` when it names neither."""
    body = re.sub(r"^\s*disclaimers?\s*[:\-\u2013\u2014]?\s*", "", text, flags=re.IGNORECASE)
    body = body.strip()
    match = _OWN_OBJECT.match(body)
    if match:
        rest = match.group("rest")
        previous = None
        while previous != rest:
            previous = rest
            rest = _LEADING_FILLER.sub("", rest)
        name = _first_sentence(rest)
        name = re.sub(rf"{_APOS}s\s+characters?$|\s+characters?$", "", name).strip()
        if name and (name[0].isupper() or name[0].isdigit()) and len(name) <= 100:
            return "source", name
        return "", ""
    match = _BELONGS.match(_first_sentence_keep_commas(body))
    if match:
        thing = match.group("x").strip()
        owner = _first_sentence(match.group("y"))
        stripped = thing
        previous = None
        while previous != stripped:
            previous = stripped
            stripped = _LEADING_FILLER.sub("", stripped)
        if stripped and stripped != thing and _title_case(stripped) and stripped[0].isupper():
            return "source", stripped
        if re.match(
            r"^(?:(?:all|the|these|my|every|any)\s+(?:of\s+the\s+)?(?:original\s+)?"
            r"(?:characters?|rights|people|names|places)|everything|it|they)\b",
            thing,
            re.IGNORECASE,
        ):
            if owner and owner[0].isupper() and len(owner) <= 80:
                return "owner", owner
            return "", ""
        if _title_case(thing):
            return "source", thing
    return "", ""


def _first_sentence_keep_commas(text: str) -> str:
    end = re.search(r"(?<![A-Z])[.!?;](?=\s|$)|\n", text)
    return text[: end.start()] if end else text


def is_disclaimer(text: str) -> bool:
    """Whether an unlabelled paragraph is a disclaimer ("I don't own X", "All characters
    belong to Y", "X belongs to Y", "No infringement intended")."""
    body = text.strip().lstrip("*_([ ")
    if not body or len(body) > 600 or body.count("\n") > 4:
        return False
    if re.match(rf"^i\s+{_DONT}\s+own\b", body, re.IGNORECASE):
        return disclaimer_source(body)[0] == "source" or bool(
            re.match(rf"^i\s+{_DONT}\s+own\s+(?:anything|any\s+of|them|it\b)", body, re.I)
        )
    if re.match(r"^(?:all|the)\s+(?:original\s+)?characters?\b", body, re.IGNORECASE):
        return bool(_OWNER_NAMED.search(body))
    if _DISCLAIMER_STARTS.match(body):
        return bool(_OWNERSHIP.search(body)) or bool(
            re.match(r"^(?:not\s+mine|nothing|standard|no\s+|i\s+own|i\s+claim)", body, re.I)
        )
    if _BELONGS.match(_first_sentence_keep_commas(body)):
        return disclaimer_source(body)[0] != ""
    return False


# ---------------------------------------------------------------- spoilers

_SPOILER = re.compile(
    r"(?P<lead>\b(?:(?:this\s+(?:story|fic|chapter|work)\s+)?(?:contains|may\s+contain|has|"
    r"includes?|there\s+(?:are|will\s+be)|beware(?:\s+of)?|warning)\s+)?"
    r"(?:(?:minor|major|mild|heavy|huge|big|possible|some|light|vague|potential|massive)\s+)?"
    r"spoilers?(?:\s+(?:warning|alert))?)"
    r"(?:[ \t]*[:\-\u2013\u2014][ \t]*|\s+(?:for|from|about|of|on|through|up\s+to|until|"
    r"regarding|to)\s+)(?P<list>[^\n]+)",
    re.IGNORECASE,
)
_ABBREVIATIONS = {"vol", "no", "ep", "ch", "st", "dr", "mr", "mrs", "ms", "vs", "pt", "bk", "s"}
_VERBS = re.compile(
    r"\b(?:is|are|was|were|be|been|being|had|have|has|will|would|could|should|did|does|"
    r"said|says|went|came|made|got|seemed|felt)\b",
    re.IGNORECASE,
)


_LIST_END = re.compile(
    r",?\s+(?:so|but|because|which|if|though|although|since|beware|read|please)\b"
    r"|\s+[\u2013\u2014-]\s+|\s*\("
)


_CLAUSE = re.compile(
    r"\b(?:I|you|we|me|my|your|our|everyone|anyone|who|thanks?|please)\b|" + _VERBS.pattern,
    re.IGNORECASE,
)


def _cut_sentence(text: str) -> str:
    """The list part of a warning: up to the sentence end ("Vol. 3" does not end one) or a
    clause that is not a list ("..., so tread carefully")."""
    clause = _LIST_END.search(text)
    if clause is not None:
        text = text[: clause.start()]
    for match in re.finditer(r"[.!?)\]]+(?=\s|$)|[)\]]", text):
        before = text[: match.start()]
        word = re.search(r"(\w+)$", before)
        if match.group().startswith(".") and word and word.group(1).casefold() in _ABBREVIATIONS:
            continue
        if match.group().startswith(".") and word and re.fullmatch(r"[A-Z]", word.group(1)):
            continue  # an initial ("J. Austen")
        return before
    return text


def split_items(text: str) -> list[str]:
    """ "Season 2, the finale and Book 3" -> ["Season 2", "the finale", "Book 3"]."""
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bas\s+well\s+as\b)\s*", text.strip())
    items = []
    for part in parts:
        part = re.sub(r"^(?:and|also|both)\s+", "", part.strip(), flags=re.IGNORECASE)
        part = part.strip(" \t\"'\u201c\u201d*_")
        if part:
            items.append(part)
    return items


def find_spoilers(text: str, strict: bool = False) -> list[tuple[int, int, list[str]]]:
    """Spoiler warnings in a text: ``(start, end, named works)`` for each.

    ``strict`` (for paragraphs that are not inside a note) refuses a "list" that reads like
    a sentence of prose ("Spoilers for the finale were everywhere that week").
    """
    found = []
    for match in _SPOILER.finditer(text):
        listed = _cut_sentence(match.group("list"))
        items = split_items(listed)
        if not strict:
            # The list ends where a clause starts ("..., and thanks to everyone who ...").
            for index, item in enumerate(items):
                if index and (_CLAUSE.search(item) or len(item.split()) > 6):
                    items = items[:index]
                    break
        if not items:
            continue
        if strict and (_VERBS.search(listed) or any(len(i.split()) > 6 for i in items)):
            continue
        found.append((match.start(), match.start("list") + len(listed), items))
    return found


def standalone_spoiler(text: str) -> tuple[list[str], str] | None:
    """A paragraph that is a spoiler warning: ``(works, what else it says)``, or None."""
    body = text.strip()
    if len(body) > 400:
        return None
    found = find_spoilers(body, strict=True)
    if not found:
        return None
    start, end, items = found[0]
    if body[:start].strip(" \t*_([!\u26a0\ufe0f"):
        return None
    rest = body[end:].lstrip(" \t.!)]*_")
    return items, rest.strip()
