"""HTML sanitiser for rendered manuscript text.

Why this exists: manuscripts are plain Markdown, and Markdown lets raw HTML through.  Text
pasted from the web or imported from fan-fiction archives can carry ``<script>``, event
handlers, ``javascript:`` links, tracking pixels and iframes.  The preview, the HTML and
EPUB exporters all show this HTML, so everything :func:`writer.render.markdown.render_markdown`
produces is cleaned here with an explicit allowlist suited to prose, rather than with
``nh3``'s general-purpose defaults, so that widening it is always a deliberate decision.

Images: an ``<img>`` is kept (its ``alt`` text is the author's description and the
plain-text export uses it), but its ``src`` attribute is dropped unless it is a plain
relative reference such as ``images/map.png``.  Anything with a scheme (``http:``,
``https:``, ``data:``, ``file:`` ...) or a protocol-relative ``//host/...`` source is
removed by an ``attribute_filter`` callback, so no rendered document can ever make a
network request or embed an opaque blob when it is opened.

``ALLOWED_TAGS``, ``ALLOWED_ATTRIBUTES``, ``URL_SCHEMES`` and ``CLEAN_CONTENT_TAGS`` are
public and immutable so that a stricter variant (for example for an archive exporter)
can be built from them without copying the lists by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

import nh3

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "CLEAN_CONTENT_TAGS",
    "URL_SCHEMES",
    "sanitize_html",
    "sanitize_markdown",
]

#: Elements that survive sanitising.  Anything else is unwrapped: the tag goes, its
#: text stays (except for :data:`CLEAN_CONTENT_TAGS`, whose content goes too).
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "em", "strong", "i", "b", "u", "s", "del", "ins", "sub", "sup",
        "small", "a", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
        "code", "pre", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
        "div", "span", "abbr", "dl", "dt", "dd", "figure", "figcaption", "img",
    }
)  # fmt: skip

# ``id`` and ``class`` are needed where Python-Markdown's footnotes put them
# (<sup id="fnref:1">, <a class="footnote-ref">, <div class="footnote">, <li id="fn:1">)
# and where the app's own markup uses classes (hr.scene-break, div.spoiler-warning,
# div.title-page, div.notes, ...).
_ID_CLASS = frozenset({"id", "class"})
_CELL = frozenset({"align", "colspan", "rowspan"})

#: Attributes allowed per element.  ``style`` is deliberately absent everywhere (tables
#: use ``align``), as are all ``on*`` event handlers and ``srcset``.
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "a": frozenset({"href", "title", "id", "class"}),
        "abbr": frozenset({"title"}),
        "img": frozenset({"src", "alt", "title", "width", "height"}),
        "td": _CELL,
        "th": _CELL,
        "ol": frozenset({"start"}) | _ID_CLASS,
        "sup": _ID_CLASS,
        "li": _ID_CLASS,
        "div": _ID_CLASS,
        "span": _ID_CLASS,
        "hr": _ID_CLASS,
        "p": _ID_CLASS,
        "ul": _ID_CLASS,
        "blockquote": _ID_CLASS,
        "figure": _ID_CLASS,
        **{f"h{level}": frozenset({"id"}) for level in range(1, 7)},
    }
)

#: Schemes allowed in ``href`` and ``src``.  Relative URLs and ``#fragment`` links have no
#: scheme and are always kept (footnote links and links between chapters need them).
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

#: Elements removed together with everything inside them.  Just unwrapping these would
#: leave script source, CSS or an iframe's fallback text in the prose.
CLEAN_CONTENT_TAGS: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "noscript", "noembed", "noframes", "template", "textarea", "select", "title",
        "xmp", "svg", "math",
    }
)  # fmt: skip

# Characters a browser's URL parser ignores (ASCII tab and newlines anywhere, leading C0
# controls and spaces), removed before we look for a scheme so "ht\ttp:" cannot sneak by.
_URL_IGNORED_RE = re.compile(r"[\t\n\r]")
_LEADING_IGNORED_RE = re.compile(r"^[\x00-\x20]+")
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]*:")


def _is_local_image_source(src: str) -> bool:
    """Return True if ``src`` is a relative reference that cannot leave the machine.

    Protocol-relative (``//host``) and backslash variants (``\\\\host``, which browsers
    treat the same way) are remote; anything with a scheme is either remote (``http``),
    inline (``data``) or reaches outside the project (``file``).
    """
    normalised = _LEADING_IGNORED_RE.sub("", _URL_IGNORED_RE.sub("", src))
    normalised = normalised.replace("\\", "/").lower()
    if not normalised:
        return False
    if normalised.startswith("//"):
        return False
    return _SCHEME_RE.match(normalised) is None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3 callback: drop non-local image sources, keep every other allowed attribute."""
    if tag == "img" and attribute == "src" and not _is_local_image_source(value):
        return None
    return value


def sanitize_html(html: str) -> str:
    """Return ``html`` cleaned with the prose allowlist.

    Unknown elements are unwrapped (their text kept), dangerous ones are removed with
    their content, comments are dropped, and only the attributes and URL schemes listed
    above survive.  No ``rel`` is added to links (``link_rel=None``) because the preview
    and the exports are not web pages that leak a referrer.
    """
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
    )


# ---------------------------------------------------------------- raw HTML inside Markdown

_CLEAN_BLOCK_RE = re.compile(
    r"<(" + "|".join(sorted(CLEAN_CONTENT_TAGS)) + r")\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR_RE = re.compile(r"([^\s=/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_MD_LINK_URL_RE = re.compile(r"(\]\(\s*<?)((?:[^()\s<>]|\([^()\s]*\))*)")


def _safe_url(value: str) -> bool:
    normalised = _LEADING_IGNORED_RE.sub("", _URL_IGNORED_RE.sub("", value)).lower()
    match = _SCHEME_RE.match(normalised)
    return match is None or match.group(0)[:-1] in URL_SCHEMES


def _clean_tag(match: re.Match[str]) -> str:
    closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
    if name not in ALLOWED_TAGS:
        return ""
    if closing:
        return f"</{name}>"
    allowed = ALLOWED_ATTRIBUTES.get(name, frozenset())
    kept = []
    for attr in _ATTR_RE.finditer(rest):
        key, raw = attr.group(1).lower(), attr.group(2) or '""'
        value = raw[1:-1] if raw[:1] in "\"'" else raw
        if key not in allowed or (key in ("href", "src") and not _safe_url(value)):
            continue
        if name == "img" and key == "src" and not _is_local_image_source(value):
            continue
        kept.append(f'{key}="{value.replace(chr(34), "&quot;")}"')
    end = " /" if rest.rstrip().endswith("/") else ""
    return f"<{name}{''.join(' ' + k for k in kept)}{end}>"


def sanitize_markdown(text: str) -> str:
    """Markdown with its raw HTML cleaned by the same allowlist, the Markdown left alone.

    Exports that keep Markdown (``md``) must not carry a ``<script>`` or an ``onclick``
    either: dangerous elements go with their content, unknown tags are unwrapped, event
    handlers and unsafe URLs (also in ``[text](javascript:...)`` links) are dropped.
    """
    text = _CLEAN_BLOCK_RE.sub("", text)
    text = _TAG_RE.sub(_clean_tag, text)
    return _MD_LINK_URL_RE.sub(lambda m: m.group(0) if _safe_url(m.group(2)) else m.group(1), text)
