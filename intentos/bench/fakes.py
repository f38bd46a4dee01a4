"""A deterministic stand-in for the nested model behind ``query_llm``.

It "answers" with the beginning of what it was given, as a lazy summariser would, so a
workflow that hands it the right text gets an answer grounded in that text. Like a small model
it has a context window: a query longer than that fails, as whole web pages did for the second
paper's models (HTTP 400).
"""

from __future__ import annotations

from intentos.api.context import QueryLlm
from intentos.errors import ApiError

ANSWER_CHARS = 300
CONTEXT_CHARS = 16_000


def excerpt_llm(answer_chars: int = ANSWER_CHARS, context_chars: int = CONTEXT_CHARS) -> QueryLlm:
    def query_llm(query: str) -> str:
        if len(query) > context_chars:
            raise ApiError(
                f"the model's context window is {context_chars} characters; the query has "
                f"{len(query)} (send a part of the text)"
            )
        return query[:answer_chars]

    return query_llm
