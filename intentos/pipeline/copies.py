"""Refusing a workflow that copies a worked example shown for a different wish.

A small model shown "Text Theo that I'll bring the board games" may answer an unrelated wish
with that very workflow (issue 12 saw the landlord texted about the rent when a song was
asked for). Sharing an example's *shape* is what examples are for; reusing its *content* —
the names, files, texts and times the prompt says never to reuse — for another wish is not.

**The rule.** A workflow is a near copy of a shown example when all three hold:

1. the intent is unlike the example's intent: their retrieval similarity
   (:meth:`ExampleLibrary.similarity`, TF-IDF cosine in [0, 1]) is below
   :data:`INTENT_CEILING` — a wish close to the example may well need the same texts;
2. the code is like the example's: the ratio of matching Python tokens (comments and layout
   ignored, :class:`difflib.SequenceMatcher`) is at least :data:`CODE_FLOOR`;
3. the workflow reuses the example's content: of the words in the example's *distinctive*
   string literals, at least :data:`CONTENT_FLOOR` are in literals the workflow repeats
   exactly. A literal is distinctive unless it is an item key (``m["subject"]``, ``.get(k)``),
   a comparison operand (``state == "playing"``), inside ``print()``, ``speak()`` or
   ``ask_question()`` (wording shown to the person harms nothing), shorter than four letters
   or digits, made only of words of the intent ("landlord" is fine when the wish names the
   landlord), or sharing a telling word with it (five letters or more, not a common word:
   "weather forecast" for a wish about the weather).

Measured on every reference and alternative workflow of every suite against the three
examples the intentos prompt shows for its intent (1,338 pairs): none is a near copy, while
327 of the 426 shown examples' own code, given as the answer to that suite intent, is (the
other 99 hold no distinctive text: their wording is shown or said to the person, which harms
nothing, or is adapted to the wish). On the 1.5B's 129 one-attempt core answers of prompt v3
the guard refused 4; with questions counted as shown and telling words as adapted, 1
("paint colors hallway" reused in a reply to Emily about her couch).
The thresholds sit away from both: the closest correct workflows reuse a whole example's
texts at a token similarity of 0.34, or 6% of its content words at 0.92; a shown example's
intent is at most 0.40 similar to the suite intent.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from intentos.pipeline.examples import ExampleLibrary

INTENT_CEILING = 0.5
CODE_FLOOR = 0.7
CONTENT_FLOOR = 0.5
MIN_LITERAL_CHARS = 4
# What the workflow only shows or says to the person (a question included): reusing an
# example's wording there harms nothing.
SHOWN = frozenset({"print", "speak", "ask_question", "ask_choice"})
# A literal that shares a word of at least this many letters with the intent is adapted to
# it ("weather forecast" for "What will the weather be like on Tuesday?").
SHARED_WORD_CHARS = 5
# Longer words too common to tie a text to a wish.
COMMON_WORDS = frozenset(
    {"about", "after", "again", "before", "could", "every", "found", "from", "please"}
    | {"should", "their", "there", "these", "those", "today", "tomorrow", "which", "would"}
)
_WORD = re.compile(r"[a-z0-9]+")
_SKIPPED_TOKENS = frozenset(
    {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    | {tokenize.ENDMARKER}
)


class Shown(Protocol):
    """A worked example as the prompt showed it (a library entry or a template's own)."""

    @property
    def intent(self) -> str: ...

    @property
    def code(self) -> str: ...


@dataclass(frozen=True)
class NearCopy:
    """The example copied, how alike the code is, and the texts it reused."""

    example: Shown
    code_similarity: float
    intent_similarity: float
    reused: tuple[str, ...]

    def message(self) -> str:
        texts = ", ".join(f'"{text}"' for text in self.reused[:4])
        return (
            f'it copies the worked example for another wish ("{self.example.intent}") and '
            f"reuses its texts ({texts}); that example only shows a way of working. Write a new "
            "workflow for the person's wish, with its own names, files and texts"
        )


def _tokens(code: str) -> list[str]:
    try:
        tokens = tokenize.generate_tokens(io.StringIO(code).readline)
        return [token.string for token in tokens if token.type not in _SKIPPED_TOKENS]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code.split()


def code_similarity(first: str, second: str) -> float:
    """The share of matching tokens of two workflows, in [0, 1]."""
    return difflib.SequenceMatcher(None, _tokens(first), _tokens(second), autojunk=False).ratio()


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def content_literals(code: str) -> list[str]:
    """The string literals of ``code`` that carry content (not keys or compared values),
    normalised to lower-case words; empty when the code does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    structural: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SHOWN:
            structural.update(id(inner) for inner in ast.walk(node))
        elif isinstance(node, ast.Subscript):
            structural.add(id(node.slice))
        elif isinstance(node, ast.Compare):
            structural.update(id(operand) for operand in [node.left, *node.comparators])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            structural.add(id(node.args[0]))
    literals = (
        _normal(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in structural
    )  # fmt: skip
    return [text for text in literals if len(text.replace(" ", "")) >= MIN_LITERAL_CHARS]


def distinctive_literals(example: Shown, intent: str) -> set[str]:
    """The example's content literals that the intent does not account for: not all of
    their words are the intent's, nor a long word of theirs."""
    said = set(_WORD.findall(intent.lower()))
    telling = {word for word in said if len(word) >= SHARED_WORD_CHARS and word not in COMMON_WORDS}
    return {
        text
        for text in content_literals(example.code)
        if not ((words := set(text.split())) <= said or words & telling)
    }


def near_copy(
    code: str, intent: str, shown: Iterable[Shown], library: ExampleLibrary
) -> NearCopy | None:
    """The first shown example ``code`` is a near copy of, for ``intent`` (see the module)."""
    mine = set(content_literals(code))
    for example in shown:
        intent_similarity = library.similarity(intent, example.intent)
        if intent_similarity >= INTENT_CEILING:
            continue
        distinctive = distinctive_literals(example, intent)
        words = sum(len(text.split()) for text in distinctive)
        reused = sorted(distinctive & mine)
        if not words or sum(len(text.split()) for text in reused) / words < CONTENT_FLOOR:
            continue
        similarity = code_similarity(code, example.code)
        if similarity >= CODE_FLOOR:
            return NearCopy(example, similarity, intent_similarity, tuple(reused))
    return None
