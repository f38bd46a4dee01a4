"""Text normalisation for comparing what a run said with the accepted answers.

Both sides are normalised the same way: Unicode compatibility forms, case, typographic quotes
and dashes, whitespace, and number formats (``21.0`` → ``21``, ``1,892,000`` → ``1892000``,
``21,5`` → ``21.5``, ``08:30`` → ``8:30``, ``2026-03-16T08:30`` → ``2026-03-16 8:30``,
``21°C`` → ``21 °c``). An accepted answer then
matches where it starts at a word boundary; one that ends in a digit must also end at a number
boundary, so ``21`` matches ``21 °C`` but not ``210`` or ``21.5`` (nor ``5`` the ``5:57`` of a
time or duration). `` ... `` in an accepted answer stands for up to six words
(``no ... found``).
"""

from __future__ import annotations

import re
import unicodedata

_TYPOGRAPHIC = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "−": "-", " ": " "}
)
_SPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
_DECIMAL_COMMA = re.compile(r"(?<![\d,.])(\d+),(\d{1,2})(?![\d,])")
_TRAILING_ZEROS = re.compile(r"(?<![\d.])(\d+)\.(\d*?)0+(?![\d])(?!\.\d)")
_LEADING_ZERO_HOUR = re.compile(r"(?<![\d.:])0(\d):(\d\d)")
_ISO_DATE_TIME = re.compile(r"(\d{4}-\d\d-\d\d)t(?=\d\d:\d\d)")  # after casefold
_DEGREE = re.compile(r"\s*°\s*")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\d])")


def _trim_zeros(match: re.Match[str]) -> str:
    whole, decimals = match.group(1), match.group(2)
    return f"{whole}.{decimals}" if decimals else whole


def normalize(text: str) -> str:
    """The comparable form of ``text``."""
    result = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC).casefold()
    result = _THOUSANDS.sub(lambda match: match.group(0).replace(",", ""), result)
    result = _DECIMAL_COMMA.sub(r"\1.\2", result)
    result = _TRAILING_ZEROS.sub(_trim_zeros, result)
    result = _ISO_DATE_TIME.sub(r"\1 ", result)
    result = _LEADING_ZERO_HOUR.sub(r"\1:\2", result)
    result = _DEGREE.sub(" °", result)
    return _SPACE.sub(" ", result).strip()


GAP = " ... "
"""In a needle, up to :data:`GAP_WORDS` words: ``no ... found`` matches "no PDF files found"."""
GAP_WORDS = 6


def _pattern(needle: str) -> re.Pattern[str]:
    # A number starts and ends at a number boundary; the parts of a time (5:57, 8:30) are not
    # numbers of their own, so "5" is not found in "5:57" nor "30" in "8:30".
    start = r"(?<![\w])(?<!\d[.,:])" if needle[:1].isalnum() else ""
    end = r"(?![\d])(?!\.\d)" if needle[-1:].isdigit() else ""
    if end and ":" not in needle:
        end += r"(?!:\d)"  # a time may go on with its seconds (8:30:00), a number may not
    gap = rf"\s+(?:\S+\s+){{0,{GAP_WORDS}}}"
    body = gap.join(re.escape(part) for part in needle.split(GAP))
    return re.compile(start + body + end)


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack``, both normalised (see the module doc)."""
    wanted = normalize(needle)
    if not wanted:
        return True
    return _pattern(wanted).search(normalize(haystack)) is not None


def found(haystack: str, needles: list[str]) -> list[str]:
    """The needles that occur in ``haystack``."""
    text = normalize(haystack)
    return [needle for needle in needles if _pattern(normalize(needle) or " ").search(text)]


# Words that, among the few before a phrase, say it is not meant: "no need to open a window".
_NEGATION = re.compile(
    r"(?<![\w'])(?:no|not|never|don't|do not|doesn't|needn't|without|nothing)(?![\w'])"
)
NEGATION_WINDOW_WORDS = 4


def found_unnegated(haystack: str, needles: list[str]) -> list[str]:
    """The needles that occur in ``haystack`` at least once without a negation among the
    :data:`NEGATION_WINDOW_WORDS` words before them."""
    text = normalize(haystack)
    hits: list[str] = []
    for needle in needles:
        for match in _pattern(normalize(needle) or " ").finditer(text):
            before = " ".join(text[: match.start()].split()[-NEGATION_WINDOW_WORDS:])
            if not _NEGATION.search(before):
                hits.append(needle)
                break
    return hits


def numbers(text: str) -> list[float]:
    """Every number in ``text`` after normalisation (``1,892,000`` is one number)."""
    return [float(match) for match in _NUMBER.findall(normalize(text))]


def shorten(text: str, limit: int = 160) -> str:
    """``text`` on one line, cut to ``limit`` characters for a message."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
