"""Policy tables of wish wording made into one regular expression.

The reviews that read the wish (:mod:`~intentos.pipeline.unasked`, :mod:`~intentos.pipeline.moves`,
:mod:`~intentos.pipeline.unsent`) keep their words as tables of (pattern, example wish) rows, so
the tests can parametrise over both; each matches the first column of its table at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PolicyTable = Iterable[tuple[str, str]]


def one_of(table: PolicyTable) -> str:
    """The patterns of ``table`` as one alternation, each kept in its own group."""
    return "|".join(f"(?:{pattern})" for pattern, _ in table)


def whole_words(table: PolicyTable) -> re.Pattern[str]:
    """Any pattern of ``table`` as whole words, in any case."""
    return re.compile(rf"\b(?:{one_of(table)})\b", re.IGNORECASE)
