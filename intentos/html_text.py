"""Web pages as text: what a person would read, not the markup around it.

One converter for the whole project, built on the standard library's :mod:`html.parser`: the
web app's search snippets (``apis/web.py``) and the text the nested model is given by
``query_llm`` (``intentos.pipeline.run.nested_prompt``) both use it.

- Entities are decoded (``&amp;`` ``&eacute;`` ``&#8212;``; ``&nbsp;`` becomes a space).
- Nothing a reader does not see is kept: scripts, styles, the head, forms, hidden elements.
- Navigation is left out: ``nav``, ``aside``, ``footer``, a page-level ``header``, elements
  with a navigation-like ARIA role, and elements whose id or class names them as page furniture
  (``id="menu"``, ``class="site-nav"``, ``sidebar``, ``breadcrumb`` ...; see
  :data:`FURNITURE_NAMES`).
- When the page marks its main content (``<main>`` or ``role="main"``; else ``<article>``),
  only that is kept; text outside every element (a query's instruction written around a page)
  is kept with it.
- Block elements (paragraphs, headings, list items, table rows ...) start a new line, list
  items start with ``- ``, table cells are separated by `` | ``; inside a line whitespace is
  collapsed to single spaces, inside ``<pre>`` line breaks stay; empty lines are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose content a reader of the page does not see, or sees only as page furniture.
SKIPPED = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "svg", "math", "canvas",
        "iframe", "object", "nav", "aside", "footer", "form", "button", "select", "dialog",
    }
)  # fmt: skip
SKIPPED_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
)
# Words in an element's id or class (split at spaces, "-" and "_") that mark page furniture.
FURNITURE_NAMES = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "menubar", "sidebar", "footer", "banner",
        "breadcrumb", "breadcrumbs", "cookie", "cookies", "skiplink",
    }
)  # fmt: skip
# Elements that hold the page itself, never taken for furniture whatever their names.
CONTAINERS = frozenset({"html", "body", "main", "article"})
BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "body", "br", "caption", "dd", "div", "dl", "dt",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
    }
)  # fmt: skip
CELLS = frozenset({"td", "th"})
# Elements that never have an end tag, so they are never open.
VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    }
)  # fmt: skip
# What makes a text HTML enough to be converted (checked case-insensitively).
HTML_MARKERS = ("<html", "<body", "</p>", "</div>", "</li>", "</td>")

# Line and cell boundaries, resolved when lines are assembled (control characters that are
# taken out of the page's own text).
_BREAK = "\x01"
_CELL = "\x00"
_MARKS = str.maketrans({_BREAK: " ", _CELL: " "})
_INCOMPLETE_TAG = re.compile(r"<[a-zA-Z/!][^>]*\Z")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds HTML markup worth converting."""
    lowered = text.lower()
    return any(marker in lowered for marker in HTML_MARKERS)


def readable(text: str) -> str:
    """``text`` as a reader gets it: HTML turned into its text, anything else as it is."""
    return html_to_text(text) if looks_like_html(text) else text


def html_to_text(html: str) -> str:
    """The readable text of ``html`` (a page, a fragment, or text around a page)."""
    reader = _Reader()
    reader.feed(_INCOMPLETE_TAG.sub("", html))  # a page cut inside a tag
    reader.close()
    return reader.text()


@dataclass
class _Open:
    tag: str
    skip: bool
    main: bool
    article: bool
    header: bool


@dataclass
class _Streams:
    """The text seen everywhere, inside the main content and inside articles."""

    everything: list[str] = field(default_factory=list)
    main: list[str] = field(default_factory=list)
    article: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._open: list[_Open] = []
        self._skipping = 0
        self._in_main = 0
        self._in_article = 0
        self._in_pre = 0
        self._streams = _Streams()
        self._main_has_words = False
        self._article_has_words = False

    # -- the parser's callbacks ------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._emit(_BREAK)
        if tag in CELLS:
            self._emit(_CELL)
        if tag == "li":
            self._emit("- ")
        if tag in VOID:
            return
        attributes = dict(attrs)
        role = (attributes.get("role") or "").lower()
        entry = _Open(
            tag=tag,
            skip=self._hidden(tag, role, attributes),
            main=tag == "main" or role == "main",
            article=tag == "article",
            header=tag == "header",
        )
        self._open.append(entry)
        self._count(entry, 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._emit(_BREAK)
        if all(entry.tag != tag for entry in self._open):
            return  # an end tag that closes nothing
        while self._open:
            entry = self._open.pop()
            self._count(entry, -1)
            if entry.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        data = data.translate(_MARKS)
        if self._in_pre:
            for number, line in enumerate(data.split("\n")):
                self._emit(*((_BREAK, line) if number else (line,)))
        else:
            self._emit(data)

    # -- helpers -----------------------------------------------------------------------------

    def _hidden(self, tag: str, role: str, attributes: dict[str, str | None]) -> bool:
        page_header = tag == "header" and not (self._in_main or self._in_article)
        return (
            tag in SKIPPED
            or role in SKIPPED_ROLES
            or page_header
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or (tag not in CONTAINERS and _furniture(attributes))
        )

    def _count(self, entry: _Open, step: int) -> None:
        self._skipping += step * entry.skip
        self._in_main += step * entry.main
        self._in_article += step * entry.article
        self._in_pre += step * (entry.tag == "pre")

    def _emit(self, *pieces: str) -> None:
        if self._skipping:
            return
        streams = self._streams
        outside = not self._open  # text around the document: an instruction, say
        words = any(piece.strip() for piece in pieces if piece not in (_BREAK, _CELL))
        streams.everything.extend(pieces)
        if self._in_main or outside:
            streams.main.extend(pieces)
            self._main_has_words |= words and not outside
        if self._in_article or outside:
            streams.article.extend(pieces)
            self._article_has_words |= words and not outside

    def text(self) -> str:
        streams = self._streams
        if self._main_has_words:
            return _assemble(streams.main)
        if self._article_has_words:
            return _assemble(streams.article)
        return _assemble(streams.everything)


def _furniture(attributes: dict[str, str | None]) -> bool:
    names = f"{attributes.get('id') or ''} {attributes.get('class') or ''}".lower()
    return not FURNITURE_NAMES.isdisjoint(re.split(r"[\s_-]+", names))


def _assemble(pieces: list[str]) -> str:
    lines: list[str] = []
    for raw in "".join(pieces).split(_BREAK):
        cells = [" ".join(cell.split()) for cell in raw.split(_CELL)]
        line = " | ".join(cell for cell in cells if cell)
        if line:
            lines.append(line)
    return "\n".join(lines)
