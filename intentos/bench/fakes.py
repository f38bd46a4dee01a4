"""A deterministic stand-in for the nested model behind ``query_llm``.

It "answers" with the beginning of what it was given, as a lazy summariser would, so a
workflow that hands it the right text gets an answer grounded in that text. It is given what
the benchmark's real path gives the model (:func:`intentos.pipeline.run.nested_prompt`: HTML
reduced to text, the query cut at the same length), so a workflow fares with it as it would
with the real nested model, neither better nor worse.
"""

from __future__ import annotations

from intentos.api.context import QueryLlm

ANSWER_CHARS = 300


def excerpt_llm(answer_chars: int = ANSWER_CHARS) -> QueryLlm:
    from intentos.pipeline.run import nested_prompt  # noqa: PLC0415 - the pipeline is heavy

    def query_llm(query: str) -> str:
        return nested_prompt(query)[:answer_chars]

    return query_llm
