"""Ranking of device entries (contacts, files, songs ...) against a free-text expression.

Models look things up with expressions like ``"my insurance company"`` or ``"car title"``. A
candidate scores for every query word found among its words: fully for the same word (or the
same up to a plural ``s``), partly for a prefix of at least three letters. Filler words such as
"my" and "the" are ignored; a phrase found verbatim gets a bonus. Ties keep the given order,
so ranking is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "i", "in", "is", "it", "me"}
    | {"my", "of", "on", "or", "our", "please", "the", "their", "to", "with", "your"}
)

# Words people use for the same thing; a synonym counts almost as much as the word itself.
SYNONYM_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"car", "vehicle", "auto", "automobile"}),
    frozenset({"mom", "mum", "mother"}),
    frozenset({"dad", "father"}),
    frozenset({"wife", "husband", "spouse", "partner"}),
    frozenset({"doctor", "physician", "gp"}),
    frozenset({"dentist", "dental"}),
    frozenset({"boss", "manager"}),
    frozenset({"photo", "picture", "image", "pic"}),
    frozenset({"song", "track", "tune"}),
    frozenset({"bill", "invoice"}),
)
_SYNONYMS: dict[str, frozenset[str]] = {
    word: group - {word} for group in SYNONYM_GROUPS for word in group
}
SYNONYM_SCORE = 0.9

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words; camelCase and snake_case are split too."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return _WORD.findall(spaced.lower())


MAX_EXPRESSION_CHARS = 300  # longer expressions are cut: they describe nothing better


def query_words(expression: str) -> list[str]:
    expression = expression[:MAX_EXPRESSION_CHARS]
    found = [word for word in words(expression) if word not in STOPWORDS]
    return found or words(expression)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _word_score(query: str, candidates: set[str]) -> float:
    singular = {_singular(word) for word in candidates}
    if query in candidates or _singular(query) in singular:
        return 1.0
    if _SYNONYMS.get(_singular(query), frozenset()) & (candidates | singular):
        return SYNONYM_SCORE
    if len(query) >= 3 and any(word.startswith(query) for word in candidates):
        return 0.6
    if any(len(word) >= 3 and query.startswith(word) for word in candidates):
        return 0.3
    return 0.0


def score(expression: str, fields: Sequence[str | None]) -> float:
    """How well ``fields`` (the searchable texts of one candidate) match ``expression``."""
    wanted = query_words(expression)
    expression = expression[:MAX_EXPRESSION_CHARS]
    if not wanted:
        return 0.0
    texts = [field for field in fields if field]
    candidate_words = {word for text in texts for word in words(text)}
    total = sum(_word_score(word, candidate_words) for word in wanted) / len(wanted)
    if total == 0.0:
        return 0.0
    phrase = " ".join(words(expression))
    if phrase and any(phrase == " ".join(words(text)) for text in texts):
        total += 1.0
    elif phrase and any(f" {phrase} " in f" {' '.join(words(text))} " for text in texts):
        total += 0.5
    return total


def rank(
    expression: str, items: Iterable[T], fields: Callable[[T], Sequence[str | None]]
) -> list[tuple[float, T]]:
    """Items that match at all, best first (stable for equal scores)."""
    scored = [(score(expression, fields(item)), index, item) for index, item in enumerate(items)]
    matching = [(value, index, item) for value, index, item in scored if value > 0]
    matching.sort(key=lambda entry: (-entry[0], entry[1]))
    return [(value, item) for value, _, item in matching]


def covers(expression: str, fields: Sequence[str | None]) -> bool:
    """True when every query word is found (fully or as a prefix) in ``fields``."""
    candidate_words = {word for text in fields if text for word in words(text)}
    return all(_word_score(word, candidate_words) > 0 for word in query_words(expression))


def best_matches(
    expression: str, items: Iterable[T], fields: Callable[[T], Sequence[str | None]]
) -> list[T]:
    """Ranked matches; when some items contain every query word, only those."""
    ranked = rank(expression, items, fields)
    complete = [item for _, item in ranked if covers(expression, fields(item))]
    return complete or [item for _, item in ranked]
