"""Web: pages answered from the device's page cache; there is no real network access."""

from __future__ import annotations

from typing import Annotated

from intentos.api.context import ApiContext
from intentos.api.records import WebResult
from intentos.api.registry import FULL, Effect, ShownAs, api
from intentos.device import search
from intentos.errors import ApiError
from intentos.html_text import html_to_text


def page(ctx: ApiContext, url: str) -> str:
    row = ctx.row("SELECT content, status FROM web_pages WHERE url = ?", (url.strip(),))
    if row is None:
        raise ApiError(
            f"cannot reach {url}: this device has no network access and the page is not in "
            "its cache (search_web(query) lists cached pages)"
        )
    return str(row["content"])


@api(Effect.READ, profiles=(FULL, "paper2"))
def http_get_request(
    ctx: ApiContext,
    url: str,
    headers: Annotated[dict[str, str] | None, ShownAs("Dictionary<String, String>")] = None,
) -> str:
    """Fetch `url` with an HTTP GET request and return the response body (HTML for pages)."""
    return page(ctx, url)


def snippet_of(html: str, length: int = 200) -> str:
    """The start of a page's readable text, on one line."""
    return " ".join(html_to_text(html).split())[:length]


@api(Effect.READ)
def search_web(ctx: ApiContext, query: str) -> list[WebResult]:
    """Search the web for `query`; return the best results."""
    if not query.strip():
        raise ApiError("the search query is empty; describe what to look for, e.g. 'nginx install'")
    rows = ctx.rows("SELECT url, title, content FROM web_pages ORDER BY url")
    found = search.best_matches(query, rows, lambda row: [row["title"], row["url"]])
    return [
        WebResult(url=row["url"], title=row["title"], snippet=snippet_of(row["content"]))
        for row in found[:5]
    ]
