"""Asking the person which of several equally good matches a single-result look-up means.

``find_contact_id("Kat")`` with a Katherine and a Kathryn on the device cannot pick one, and a
small model rarely writes the question itself: it used the first match, or stopped on the
error. So the look-up asks, the way a phone shows a picker: it lists the rivals, numbered and
described, and reads the answer. An answer picks the rival it names best — by words of its
description ("Kathryn, the science teacher", "the plumber"; a word names another that shares
its first five letters, "renewal" names "renews") or by its number ("2", "the second one").
An answer that picks none of them, or several equally, leaves the look-up failing with the
question and the answer in its message, so nothing is guessed.

The question goes through :func:`apis._person.ask` like ``ask_question``'s: it is shown (or
answered from the world's answers in a benchmark) and kept in the device's ``questions``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from intentos.api.context import ApiContext, Row
from intentos.device import search
from intentos.errors import ApiError

from ._person import ask

MAX_OFFERED = 5
ORDINALS: dict[str, int] = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
CARDINALS: dict[str, int] = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def best_match(
    ctx: ApiContext,
    ranked: Sequence[tuple[float, Row]],
    *,
    kind: str,
    expression: str,
    label: Callable[[Row], str],
    texts: Callable[[Row], Sequence[str | None]],
) -> Row | None:
    """The best of a look-up's ``ranked`` matches; when several share the best score, the one
    the person picks (:func:`choose`); None when nothing matched."""
    rivals = search.tied_best(ranked)
    if len(rivals) > 1:
        return choose(
            ctx, kind=kind, expression=expression, rivals=rivals, label=label, texts=texts
        )
    return rivals[0] if rivals else None


def choose(
    ctx: ApiContext,
    *,
    kind: str,
    expression: str,
    rivals: Sequence[Row],
    label: Callable[[Row], str],
    texts: Callable[[Row], Sequence[str | None]],
) -> Row:
    """The rival the person picks when asked which ``kind`` ``expression`` means; raises
    :class:`ApiError` (naming the rivals) when the answer picks none."""
    offered = list(rivals[:MAX_OFFERED])
    options = "; ".join(f"{number}) {label(row)}" for number, row in enumerate(offered, 1))
    question = f"Which {kind} do you mean by {expression!r}? {options}"
    answer = ask(ctx, question)
    chosen = picked(answer, offered, texts)
    if chosen is None:
        raise ApiError(
            f"{len(rivals)} {kind}s match {expression!r} equally well and the answer to "
            f"{question!r} was {answer!r}, which names none of them; tell the person, or "
            "look up a more precise name"
        )
    return chosen


def picked(
    answer: str, offered: Sequence[Row], texts: Callable[[Row], Sequence[str | None]]
) -> Row | None:
    """The one row of ``offered`` that ``answer`` names: by number, else by the most words of
    its texts; None when it names none or several equally."""
    said = search.query_words(answer)
    numbers = {ORDINALS.get(word) or (int(word) if word.isdigit() else 0) for word in said}
    if len(said) == 1 and said[0] in CARDINALS:  # "two" alone; "the third one" is not 1
        numbers = {CARDINALS[said[0]]}
    by_number = [row for index, row in enumerate(offered, 1) if index in numbers]
    if len(by_number) == 1 and len(said) <= 3:  # "2", "the second one", "number 2"
        return by_number[0]
    hits = [_words_named(said, texts(row)) for row in offered]
    best = max(hits, default=0)
    if best == 0 or hits.count(best) > 1:
        return None
    return offered[hits.index(best)]


SHARED_STEM = 5  # "renewal" names "renews": words that share their first five letters


def _words_named(said: Sequence[str], texts: Sequence[str | None]) -> int:
    own = {word for text in texts if text for word in search.words(text)}
    stems = {word[:SHARED_STEM] for word in own if len(word) >= SHARED_STEM}
    return sum(
        1
        for word in set(said)
        if not word.isdigit()
        and (word in own or (len(word) >= SHARED_STEM and word[:SHARED_STEM] in stems))
    )
