"""One HTML-to-text (intentos/html_text.py): entities, blocks, what a reader does not see,
navigation, the main content, and the cached pages of the default world."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from intentos.html_text import (
    FURNITURE_NAMES,
    HTML_MARKERS,
    SKIPPED,
    SKIPPED_ROLES,
    html_to_text,
    looks_like_html,
)
from intentos.resources import worlds_dir

PAGES = worlds_dir() / "default" / "pages"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Fish &amp; chips</p>", "Fish & chips"),
        ("<p>caf&eacute; cr&egrave;me</p>", "café crème"),
        ("<p>1990&#8212;2000 &#x2013; now</p>", "1990—2000 – now"),
        ("<p>10&nbsp;km</p>", "10 km"),
        ("<p>&lt;b&gt; is bold</p>", "<b> is bold"),
        ("<p>x &lt; 5 &amp;&amp; y &gt; 3</p>", "x < 5 && y > 3"),
        ("<p>AT&T and R&D</p>", "AT&T and R&D"),  # bare ampersands stay
        ("<p>&bogus; stays</p>", "&bogus; stays"),
    ],
)
def test_entities_are_decoded(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one</p><p>two</p>", "one\ntwo"),
        ("<div><div><p>deep <b>bold <i>and</i></b> on</p></div>after</div>", "deep bold and on\nafter"),
        ("<p>a<br>b<br/>c</p>", "a\nb\nc"),
        ("<h1>Title</h1>text", "Title\ntext"),
        ("<ul><li>milk<li>eggs</ul>", "- milk\n- eggs"),
        ("<table><tr><th>Day</th><th>High</th></tr><tr><td>Tue</td><td>54</td></tr></table>",
         "Day | High\nTue | 54"),
        ("<p>  lots \n\t of   space  </p>", "lots of space"),
        ("<p>in<span>line</span> words</p>", "inline words"),
        ("<pre>line 1\n  line 2</pre>", "line 1\nline 2"),
        ("<p>unclosed<p>paragraphs<div>and divs", "unclosed\nparagraphs\nand divs"),
        ("</div>stray end tags</span>", "stray end tags"),
        ("<p>cut inside a tag <a hre", "cut inside a tag"),
        ("<!-- a comment --><p>seen</p>", "seen"),
        ("", ""),
        ("plain text, no markup", "plain text, no markup"),
    ],
)  # fmt: skip
def test_structure_becomes_lines(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize("tag", sorted(SKIPPED - {"head", "title"}))
def test_what_a_reader_does_not_see_is_left_out(tag: str) -> None:
    html = f"<body><p>before</p><{tag}>unseen words</{tag}><p>after</p></body>"
    assert html_to_text(html) == "before\nafter"


@pytest.mark.parametrize("role", sorted(SKIPPED_ROLES))
def test_navigation_roles_are_left_out(role: str) -> None:
    html = f'<body><p>kept</p><div role="{role}"><ul><li>Home</li></ul></div></body>'
    assert html_to_text(html) == "kept"


@pytest.mark.parametrize("name", sorted(FURNITURE_NAMES))
def test_page_furniture_named_by_id_or_class_is_left_out(name: str) -> None:
    by_id = f'<body><div id="{name}"><a>Home</a></div><p>kept</p></body>'
    by_class = f'<body><div class="site-{name} wide"><a>Home</a></div><p>kept</p></body>'
    assert html_to_text(by_id) == html_to_text(by_class) == "kept"


def test_names_inside_words_do_not_count_as_furniture() -> None:
    assert html_to_text('<div class="menus-of-the-week navigational">Soup</div>') == "Soup"


def test_hidden_elements_and_the_head_are_left_out() -> None:
    html = (
        "<html><head><title>Page title</title><style>p{}</style></head><body>"
        '<p hidden>secret</p><span aria-hidden="true">icon</span><p>shown</p>'
        "<script>var a = '<p>not text</p>';</script></body></html>"
    )
    assert html_to_text(html) == "shown"


def test_a_page_header_is_left_out_but_an_article_header_is_kept() -> None:
    html = (
        "<body><header>Site name | Log in</header>"
        "<article><header><h1>The headline</h1></header><p>Story.</p></article></body>"
    )
    assert html_to_text(html) == "The headline\nStory."


def test_the_main_content_is_preferred_to_the_rest_of_the_page() -> None:
    html = "<body><div>Home About Contact</div><main><p>The story.</p></main><div>More</div></body>"
    assert html_to_text(html) == "The story."
    assert html_to_text('<body><div>Menu</div><div role="main">Story</div></body>') == "Story"


def test_articles_are_kept_when_no_main_content_is_marked() -> None:
    html = "<body><div>Sections</div><article>First.</article><article>Second.</article></body>"
    assert html_to_text(html) == "First.\nSecond."


def test_an_empty_main_element_does_not_hide_the_page() -> None:
    assert html_to_text("<body><main> </main><p>Everything else</p></body>") == "Everything else"


def test_text_around_a_page_is_kept_with_its_main_content() -> None:
    query = "Summarize this page: <html><body><nav>Home</nav><main><p>Body text.</p></main></body></html> In two sentences."
    assert html_to_text(query) == "Summarize this page:\nBody text.\nIn two sentences."


@pytest.mark.parametrize("marker", HTML_MARKERS)
def test_html_is_recognised_by_its_markers(marker: str) -> None:
    assert looks_like_html(f"Summarize: {marker.upper()} x")


@pytest.mark.parametrize("text", ["Summarize: x < 5 and y > 3", "Translate 'p' to German", ""])
def test_plain_text_is_not_taken_for_html(text: str) -> None:
    assert not looks_like_html(text)


# -- the default world's cached pages -----------------------------------------------------------


def test_the_transformer_article_starts_with_the_article() -> None:
    text = html_to_text((PAGES / "transformer.html").read_text(encoding="utf-8"))
    assert text.startswith("Transformer (deep learning architecture)\nFrom Wikipedia")
    assert "In deep learning, the transformer is a family of neural network designs" in text[:1500]
    for navigation in ("Jump to content", "Create account", "Random article", "Privacy policy"):
        assert navigation not in text
    assert "n × n" in text and "&times;" not in text and "<" not in text


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.html")), ids=lambda path: path.stem)
def test_every_cached_page_reads_as_text(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    text = html_to_text(html)
    assert len(text) > 500
    assert "<" not in text.replace("<b>", "") and "&amp;" not in text and "&nbsp;" not in text
    first_line = text.split("\n", 1)[0]
    assert first_line and first_line.lower() not in {"home", "menu", "skip to content"}


def test_a_large_page_is_converted_quickly() -> None:
    html = (PAGES / "transformer.html").read_text(encoding="utf-8") * 10
    started = time.perf_counter()
    html_to_text(html)
    assert time.perf_counter() - started < 2.0
