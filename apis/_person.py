"""The person at the device: what is shown to them and what they are asked.

Its own module so that look-ups elsewhere (apis/_choose.py) can ask the person which match
they mean, and ``resolve_time`` (apis/system.py) can use those look-ups, without an import
cycle.
"""

from __future__ import annotations

from intentos.api.context import ApiContext
from intentos.errors import ApiError

MAX_OUTPUT_CHARS = 20_000
NO_ANSWER = "I don't know."
ANY_QUESTION = "*"  # an answer pattern that fits every question


def show(ctx: ApiContext, channel: str, text: str) -> None:
    if len(text) > MAX_OUTPUT_CHARS:
        text = text[:MAX_OUTPUT_CHARS] + f"... [{len(text) - MAX_OUTPUT_CHARS} characters cut]"
    ctx.insert("output", {"at": ctx.now_iso(), "channel": channel, "text": text})


def ask(ctx: ApiContext, question: str) -> str:
    if not question.strip():
        raise ApiError("the question is empty")
    answer = ctx.ask(question) if ctx.ask is not None else None
    if answer is None:
        answer = canned_answer(ctx, question)
    ctx.insert("questions", {"at": ctx.now_iso(), "question": question, "answer": answer})
    if ctx.person_said is not None:
        ctx.person_said.append(answer)
    return answer


def canned_answer(ctx: ApiContext, question: str) -> str:
    """The world's answer for a question: that of its first pattern found in the question
    (case does not matter; the pattern ``*`` fits any question), else "I don't know."."""
    lowered = question.lower()
    for row in ctx.rows("SELECT pattern, answer FROM answers ORDER BY id"):
        pattern = str(row["pattern"]).lower()
        if pattern == ANY_QUESTION or pattern in lowered:
            return str(row["answer"])
    return NO_ANSWER
