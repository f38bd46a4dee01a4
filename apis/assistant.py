"""Assistant: a nested question to the language model driving intentos."""

from __future__ import annotations

from intentos.api.context import ApiContext
from intentos.api.registry import FULL, Effect, api
from intentos.errors import ApiError


@api(Effect.READ, profiles=(FULL, "paper2"))
def query_llm(ctx: ApiContext, query: str) -> str:
    """Ask a large language model `query` (a question, or text with an instruction such as
    "summarize: ...") and return its answer.

    A web page in `query` is read as its text (the article, without the site's menus), and
    the model sees the first 6000 characters: pass a page whole, not a slice of its HTML,
    which is mostly head and menus.
    """
    if not query.strip():
        raise ApiError("the query is empty")
    return ctx.query_llm(query)
