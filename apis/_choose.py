"""Asking the person which of several equally good matches a single-result look-up means.

``find_contact_id("Kat")`` with a Katherine and a Kathryn on the device cannot pick one, and a
small model rarely writes the question itself: it used the first match, or stopped on the
error. So the look-up asks, the way a phone shows a picker: it lists the rivals, numbered and
described, and reads the answer. An answer picks the rival it names best — by words of its
description ("Kathryn, the science teacher", "the plumber"; a word names another that shares
its first five letters, "renewal" names "renews") or by its number ("2", "the second one").
An answer that picks none of them, or several equally, leaves the look-up failing with the
question and the answer in its message, so nothing is guessed.

A workflow can put its own options to the person the same way (``ask_choice``): the options
it found (contacts, files, songs … or plain strings) are listed, numbered and described, under
its question, and the answer is read by the same rules. The 1.5B's own matching,
``[p for p in people if p["name"].lower() in answer.lower()]``, missed every answer a person
gives naturally ("Dave, the plumber" names no full name).

The question goes through :func:`apis._person.ask` like ``ask_question``'s: it is shown (or
answered from the world's answers in a benchmark) and kept in the device's ``questions``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from intentos.api.context import ApiContext, Row
from intentos.device import search
from intentos.errors import ApiError

from ._person import ask

T = TypeVar("T")
MAX_OFFERED = 5
MAX_CHOICES = 12  # options a workflow may put to the person at once
# The fields that name an option, first found first, and those that tell rivals apart.
NAMING_FIELDS = ("name", "title", "subject", "text", "path", "url")
DETAIL_FIELDS = (
    *("relation", "company", "artist", "album", "year", "start", "from", "date"),
    *("location", "number", "due"),
)
TIME_FIELDS = frozenset({"start", "date", "due"})
TIME_CHARS = len("2026-03-16T08:30")
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
    question = f"Which {kind} do you mean by {expression!r}? {numbered(offered, label)}"
    answer = ask(ctx, question)
    chosen = picked(answer, offered, texts)
    if chosen is None:
        raise ApiError(
            f"{len(rivals)} {kind}s match {expression!r} equally well and the answer to "
            f"{question!r} was {answer!r}, which names none of them; tell the person, or "
            "look up a more precise name"
        )
    return chosen


def numbered(options: Sequence[T], label: Callable[[T], str]) -> str:
    """The options as the person sees them: "1) …; 2) …"."""
    return "; ".join(f"{number}) {label(option)}" for number, option in enumerate(options, 1))


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


def ask_which(ctx: ApiContext, question: str, options: Sequence[Any]) -> Any:
    """The option of ``options`` the person picks when asked ``question``; the only option
    without asking; None when the answer names none of them or several equally."""
    if not question.strip():
        raise ApiError("the question is empty")
    if not options:
        raise ApiError(
            "there are no options to choose from; when a look-up finds nothing, tell the "
            "person so instead of asking"
        )
    if len(options) > MAX_CHOICES:
        raise ApiError(
            f"{len(options)} options are too many to ask about (at most {MAX_CHOICES}); "
            "narrow the look-up with a more precise expression first"
        )
    if len(options) == 1:
        return options[0]
    answer = ask(ctx, f"{question.strip()} {numbered(options, option_label)}")
    return picked(answer, list(options), option_texts)


def option_label(option: Any) -> str:
    """How an option is shown to the person: a record by its name and what tells it apart
    ("Dave Holloway (plumber, Holloway Plumbing)"), anything else as written."""
    if not isinstance(option, dict):
        return str(option)
    named = next((str(option[f]) for f in NAMING_FIELDS if option.get(f)), None)
    details = [_detail(option, field) for field in DETAIL_FIELDS if option.get(field)]
    if named is None:
        return ", ".join(details) or str(option)
    return f"{named} ({', '.join(details)})" if details else named


def _detail(option: dict[str, Any], field: str) -> str:
    text = str(option[field])
    return text[:TIME_CHARS] if field in TIME_FIELDS else text  # a time to the minute


def option_texts(option: Any) -> list[str | None]:
    """Every text of an option an answer may name it by: all of a record's strings."""
    if not isinstance(option, dict):
        return [str(option)]
    texts: list[str | None] = []
    for key, value in option.items():
        if key == "id":
            continue
        values = value if isinstance(value, list) else [value]
        texts.extend(
            str(item)
            for item in values
            if isinstance(item, str | int) and not isinstance(item, bool)
        )
    return texts
