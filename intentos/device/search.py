"""Ranking of device entries (contacts, files, songs ...) against a free-text expression.

Models look things up with expressions like ``"my insurance company"`` or ``"car title"``. A
candidate scores for every query word found among its words: fully for the same word (or the
same up to a plural ``s`` or a British/American spelling, :data:`SPELLING_VARIANTS`), almost
fully for a synonym, partly for a prefix of at least three letters. Filler words such as "my"
and "the" are ignored; a phrase found verbatim gets a bonus. Ties keep the given order, so
ranking is deterministic.

A look-up can find nothing: a candidate matches only when its words cover at least
:data:`MIN_SCORE` of the query (the mean of the word scores). 0.6 means a two-word query needs
both words ("boat registration" does not find the car registration), a three-word query two
of three, and one word found only as the prefix of another ("insur" in "insurance") still
counts. "last electricity bill" scores 0.45 against a dental invoice (the synonym of "bill"),
so it finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "i", "in", "is", "it", "me"}
    | {"my", "of", "on", "or", "our", "please", "the", "their", "to", "with", "your"}
    # words that qualify a look-up rather than name what is looked up
    | {"last", "latest", "newest", "recent", "file", "files", "document", "documents"}
)

# Words that say what kind of thing a look-up is for rather than which one ("dentist
# appointment", "the Beat It song", "Mr. Holloway"): each kind of look-up leaves its own out.
KIND_WORDS: dict[str, frozenset[str]] = {
    "event": frozenset({"appointment", "appointments", "appt", "meeting", "meetings", "event"})
    | frozenset({"events", "calendar", "entry", "session"}),
    "song": frozenset({"song", "songs", "track", "tracks", "tune", "tunes", "music", "version"}),
    "contact": frozenset({"contact", "contacts", "mr", "mrs", "ms", "miss", "dr", "prof"})
    | frozenset({"number", "phone", "email", "e-mail", "address"}),
    "note": frozenset({"note", "notes"}),
    "mail": frozenset({"email", "emails", "e-mail", "e-mails", "mail", "mails", "message"})
    | frozenset({"messages"}),
}


def focus(expression: str, kind: str) -> str:
    """``expression`` without the words of :data:`KIND_WORDS` ``[kind]``, unless nothing
    else is left ("dentist appointment" → "dentist", "meeting" stays "meeting")."""
    generic = KIND_WORDS[kind]
    kept = [
        word for word in re.findall(r"[\w'\u2019-]+", expression) if word.lower() not in generic
    ]
    return " ".join(kept) if kept else expression


# British spellings and their American forms: either finds the other.
SPELLING_VARIANTS: dict[str, str] = {
    "neighbour": "neighbor",
    "colour": "color",
    "favourite": "favorite",
    "harbour": "harbor",
    "honour": "honor",
    "labour": "labor",
    "behaviour": "behavior",
    "centre": "center",
    "theatre": "theater",
    "metre": "meter",
    "litre": "liter",
    "kilometre": "kilometer",
    "licence": "license",
    "defence": "defense",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "programme": "program",
    "cheque": "check",
    "grey": "gray",
    "tyre": "tire",
    "jewellery": "jewelry",
    "aluminium": "aluminum",
    "mould": "mold",
    "organise": "organize",
    "organisation": "organization",
    "summarise": "summarize",
    "travelling": "traveling",
    "traveller": "traveler",
    "cancelled": "canceled",
    "enrolment": "enrollment",
    "judgement": "judgment",
}

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
    frozenset({"cv", "resume", "curriculum", "vitae"}),
)
_SYNONYMS: dict[str, frozenset[str]] = {
    word: group - {word} for group in SYNONYM_GROUPS for word in group
}
SYNONYM_SCORE = 0.9
# The least a word must score for :func:`covers` to count it as found whole: the word itself, a
# plural or a synonym, not a prefix.
WHOLE_WORDS = SYNONYM_SCORE - 0.01

_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b", re.IGNORECASE)


def _american(word: str) -> str:
    if word in SPELLING_VARIANTS:
        return SPELLING_VARIANTS[word]
    if word.endswith("s") and word[:-1] in SPELLING_VARIANTS:
        return SPELLING_VARIANTS[word[:-1]] + "s"
    return word


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words in American spelling; camelCase and snake_case are split."""
    text = _POSSESSIVE.sub("", text)  # "Jordan's number" is about Jordan
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return [_american(word) for word in _WORD.findall(spaced.lower())]


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


MIN_SCORE = 0.6  # see the module docstring


def score(expression: str, fields: Sequence[str | None], least: float = 0.0) -> float:
    """How well ``fields`` (the searchable texts of one candidate) match ``expression``:
    0 when the words cover less than ``least`` of the query (or none of it)."""
    wanted = query_words(expression)
    expression = expression[:MAX_EXPRESSION_CHARS]
    if not wanted:
        return 0.0
    texts = [field for field in fields if field]
    candidate_words = {word for text in texts for word in words(text)}
    total = sum(_word_score(word, candidate_words) for word in wanted) / len(wanted)
    if total == 0.0 or total < least:
        return 0.0
    phrase = " ".join(words(expression))
    if phrase and any(phrase == " ".join(words(text)) for text in texts):
        total += 1.0
    elif phrase and any(f" {phrase} " in f" {' '.join(words(text))} " for text in texts):
        total += 0.5
    return total


def rank(
    expression: str,
    items: Iterable[T],
    fields: Callable[[T], Sequence[str | None]],
    least: float = 0.0,
) -> list[tuple[float, T]]:
    """Items that match (at least ``least`` of the query), best first (stable for ties)."""
    scored = [
        (score(expression, fields(item), least), index, item) for index, item in enumerate(items)
    ]
    matching = [(value, index, item) for value, index, item in scored if value > 0]
    matching.sort(key=lambda entry: (-entry[0], entry[1]))
    return [(value, item) for value, _, item in matching]


def rescored(
    ranked: Iterable[tuple[float, T]], adjust: Callable[[float, T], float]
) -> list[tuple[float, T]]:
    """``ranked`` with each score replaced by ``adjust(score, item)``, best first again (stable:
    items left level keep their order). Look-ups use it for what settles a tie: a file's
    extension, a mail's sender, a short name's longer rivals."""
    return sorted(
        ((adjust(value, item), item) for value, item in ranked), key=lambda entry: -entry[0]
    )


def covers(expression: str, fields: Sequence[str | None], least: float = 0.0) -> bool:
    """True when every query word is found in ``fields``, each with a score above ``least``
    (0: as a prefix will do; :data:`WHOLE_WORDS`: the word, a plural or a synonym)."""
    candidate_words = {word for text in fields if text for word in words(text)}
    return all(_word_score(word, candidate_words) > least for word in query_words(expression))


def best_matches(
    expression: str, items: Iterable[T], fields: Callable[[T], Sequence[str | None]]
) -> list[T]:
    """Ranked matches, however partial; when some items contain every query word, only those.
    (A web search; the device's look-ups use :func:`lookup`.)"""
    return [item for _, item in best_ranked(expression, items, fields)]


def lookup(
    expression: str, items: Iterable[T], fields: Callable[[T], Sequence[str | None]]
) -> list[T]:
    """:func:`best_matches` of at least :data:`MIN_SCORE`: a look-up that can find nothing."""
    return [item for _, item in best_ranked(expression, items, fields, MIN_SCORE)]


def best_ranked(
    expression: str,
    items: Iterable[T],
    fields: Callable[[T], Sequence[str | None]],
    least: float = 0.0,
) -> list[tuple[float, T]]:
    """:func:`best_matches` with their scores."""
    ranked = rank(expression, items, fields, least)
    complete = [(value, item) for value, item in ranked if covers(expression, fields(item))]
    return complete or ranked


def tied_best(ranked: Sequence[tuple[float, T]]) -> list[T]:
    """The items that share the best score of a ranking (none for an empty ranking)."""
    if not ranked:
        return []
    best = ranked[0][0]
    return [item for value, item in ranked if abs(value - best) < 1e-9]
