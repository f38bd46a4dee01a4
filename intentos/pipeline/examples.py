"""Worked examples chosen for an intent from a library in ``prompts/examples/``.

A library is YAML data: each entry has an intent in a person's words, the workflow that
fulfils it, the apps it uses and its tier (single call, look-up then act, a look-up that finds
nothing, ask before acting ...). :meth:`ExampleLibrary.select` returns the ``k`` entries most
similar to an intent, and the prompt shows those instead of a fixed few, so a small model sees
how *this kind* of wish is done rather than one it would copy into an unrelated intent.

**Similarity: TF-IDF cosine over two feature spaces, mixed 0.7 / 0.3.**

* *Words*: lower-cased alphanumeric words, a few everyday synonyms folded to one word
  (:data:`SYNONYMS`: "text" = "message", "e-mail" = "mail", "track" = "song" ...), filler words
  dropped (:data:`STOPWORDS`), light suffix stemming ("reminders" → "reminder",
  "playing" → "play"). An example's document is its intent plus, at half weight, the words of
  the API functions its workflow calls, so "forward" finds the example that calls
  ``forward_email`` even when its intent says "pass on".
* *Character trigrams* of the same content words (before stemming, padded with a space at each
  end), so a typo ("calender", "remnd") or an inflection the stemmer misses still matches.

Each space is weighted with sublinear term frequency (1 + log tf) times smoothed inverse
document frequency over the library (log((1 + N) / (1 + df)) + 1), and compared by cosine
through an inverted index. Why this and not embeddings or BM25: it needs no model download
and no third-party code, is exact and deterministic (ties keep library order), and a library
of ~100 one-line intents is far too small for learned embeddings to beat a lexical match by
much, while BM25's length normalisation buys nothing on texts this short and its scores are
unbounded, which makes a stated closeness threshold (see ``tests/test_examples.py``)
harder to read than a cosine in [0, 1]. Selection over the whole library takes well under a
millisecond per intent in pure Python (median measured by ``python -m
intentos.pipeline.examples --benchmark``).

When nothing in the library shares a feature with the intent, every score is 0 and the first
``k`` entries are shown: the library starts with broadly useful look-up-and-act examples.

**No example is forced in.** :meth:`select` can guarantee one entry of a given tier
(``ensure_tier="lookup"``), but the default does not: the rules in the system text already say
"look it up first", the similar examples show it wherever a wish names a person or file, and
an unrelated look-up example is exactly what the 1.5B model was seen copying into intents
that needed none (issue 12). Whether a forced look-up example helps is for the benchmark to
measure.
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, ValidationError, field_validator

from intentos.errors import IntentosError
from intentos.resources import resource_dir
from intentos.yamldata import StrictData, load_mapping, validation_report

App = Literal[
    "files", "contacts", "mail", "calendar", "media", "messages", "notes", "reminders",
    "sensors", "web", "llm", "shell", "system",
]  # fmt: skip
APPS: tuple[str, ...] = get_args(App)
Tier = Literal[
    "single", "lookup", "nothing", "ask", "time", "loop", "refuse", "summarise", "untrusted"
]
TIERS: tuple[str, ...] = get_args(Tier)
# The API an example is written for: intentos' own (``full``) or one of the papers' smaller
# tables, which name and shape some functions differently (paper1 attaches files by id).
Profile = Literal["full", "paper1", "paper2"]
PROFILES: tuple[str, ...] = get_args(Profile)

LIBRARY_DIR = "examples"  # inside prompts/
DEFAULT_K = 3
WORD_WEIGHT = 0.7  # the rest goes to character trigrams
API_WORD_WEIGHT = 0.5  # the words of called API functions, relative to the intent's words
LEADING_WORD_BONUS = 1.0  # added to the count of an intent's first content word

STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for"}
    | {"from", "have", "how", "i", "im", "in", "is", "it", "its", "ll", "me", "my", "of"}
    | {"on", "or", "our", "please", "s", "so", "t", "that", "the", "their", "them", "then"}
    | {"there", "to", "us", "was", "we", "what", "whats", "which", "will", "with", "would"}
    | {"you", "your", "ill", "ive", "youre", "this", "these", "those", "thing", "things"}
    | {"some", "any", "just", "right", "about"}
)
# A document a person names by what it is, which the device holds as a file.
DOCUMENT_WORDS = (
    "file", "files", "document", "documents", "doc", "docs", "pdf", "scan", "title", "deed",
    "statement", "receipt", "invoice", "form", "lease", "contract", "certificate",
    "paperwork", "attachment", "attached", "attach", "agreement",
)  # fmt: skip
# Words a person uses for the same thing on this device, folded to the first of each group.
SYNONYMS: Mapping[str, str] = {
    word: group[0]
    for group in (
        ("mail", "email", "emails", "mails", "inbox"),
        ("message", "text", "texts", "sms", "messages", "txt"),
        ("song", "songs", "track", "tracks", "tune", "tunes", "music"),
        ("photo", "photos", "picture", "pictures", "pic", "pics", "image", "images"),
        ("event", "events", "calendar", "meeting", "meetings", "appointment", "appointments"),
        ("remind", "reminder", "reminders"),
        ("summarise", "summarize", "summary", "gist", "tldr"),
        ("folder", "folders", "directory", "dir"),
        DOCUMENT_WORDS,
        ("delete", "remove", "erase", "trash"),
        ("play", "playing", "listen", "hear", "put"),
        ("page", "website", "site", "article"),
        ("contact", "contacts", "phone"),
        ("sensor", "sensors", "reading", "readings", "temperature", "warm", "cold", "hot"),
        ("sensor", "humid", "humidity", "co2", "battery", "light", "bright", "dark", "pressure"),
        ("weather", "forecast", "rain", "umbrella", "sunny", "snow"),
        ("random", "die", "dice", "roll"),
    )
    for word in group
}
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = (("ies", "y", 5), ("ing", "", 6), ("ed", "", 5), ("es", "", 5), ("s", "", 4))
_API_CALL = re.compile(r"\b([a-z][a-z0-9_]*)\(")


class ExampleError(IntentosError):
    """An example library is missing or malformed."""


class WorkedExample(StrictData):
    """One wish and the workflow that fulfils it."""

    intent: str = Field(min_length=1)
    apps: tuple[App, ...] = Field(min_length=1)
    tier: Tier
    code: str = Field(min_length=1)
    profile: Profile = "full"

    @field_validator("apps")
    @classmethod
    def _apps_once(cls, apps: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(apps)) != len(apps):
            raise ValueError(f"an app is listed twice: {', '.join(apps)}")
        return apps

    @field_validator("code")
    @classmethod
    def _trimmed(cls, code: str) -> str:
        return code.rstrip() + "\n"

    def api_calls(self) -> list[str]:
        """The names called in the workflow, in order of first call (builtins included)."""
        return list(dict.fromkeys(_API_CALL.findall(self.code)))


class _LibraryFile(StrictData):
    examples: tuple[WorkedExample, ...] = Field(min_length=1)


# text → features


def _stem(word: str) -> str:
    for suffix, replacement, shortest in _SUFFIXES:
        if len(word) >= shortest and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def _raw_words(text: str) -> list[str]:
    lowered = text.lower().replace("e-mail", "email").replace("'", "")
    return [word for word in _WORD.findall(lowered) if word not in STOPWORDS]


def content_words(text: str) -> list[str]:
    """The words that carry meaning, before stemming: lower-cased, synonyms folded, filler
    dropped ("e-mail" is one word)."""
    folded = (SYNONYMS.get(word, word) for word in _raw_words(text))
    return [word for word in folded if word not in STOPWORDS]


def word_features(text: str) -> list[str]:
    return [_stem(word) for word in content_words(text)]


def trigram_features(text: str) -> list[str]:
    """Character trigrams of the words as written (not folded), so typos still overlap."""
    grams: list[str] = []
    for word in _raw_words(text):
        padded = f" {word} "
        grams.extend(padded[index : index + 3] for index in range(len(padded) - 2))
    return grams


def _api_words(names: Iterable[str]) -> list[str]:
    return [_stem(SYNONYMS.get(part, part)) for name in names for part in name.split("_")
            if part and name != "print"]  # fmt: skip


Vector = dict[str, float]


def _weights(counts: Mapping[str, float]) -> Vector:
    return {feature: 1.0 + math.log(count) if count >= 1 else count
            for feature, count in counts.items() if count > 0}  # fmt: skip


@dataclass
class _Space:
    """One TF-IDF feature space over the library's documents, with an inverted index."""

    idf: dict[str, float]
    default_idf: float
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)

    @classmethod
    def build(cls, documents: list[Mapping[str, float]]) -> _Space:
        frequency: Counter[str] = Counter()
        for counts in documents:
            frequency.update(feature for feature, count in counts.items() if count > 0)
        total = len(documents)
        idf = {feature: math.log((1 + total) / (1 + df)) + 1 for feature, df in frequency.items()}
        space = cls(idf=idf, default_idf=math.log(1 + total) + 1)
        for index, counts in enumerate(documents):
            for feature, weight in space.vector(counts).items():
                space.postings.setdefault(feature, []).append((index, weight))
        return space

    def vector(self, counts: Mapping[str, float]) -> Vector:
        raw = {f: w * self.idf.get(f, self.default_idf) for f, w in _weights(counts).items()}
        norm = math.sqrt(sum(value * value for value in raw.values()))
        return {f: value / norm for f, value in raw.items()} if norm else {}

    def cosines(self, counts: Mapping[str, float], size: int) -> list[float]:
        scores = [0.0] * size
        for feature, weight in self.vector(counts).items():
            for index, other in self.postings.get(feature, ()):
                scores[index] += weight * other
        return scores

    def cosine(self, first: Mapping[str, float], second: Mapping[str, float]) -> float:
        a, b = self.vector(first), self.vector(second)
        return sum(weight * b.get(feature, 0.0) for feature, weight in a.items())


def _word_counts(text: str, api_names: Iterable[str] = ()) -> dict[str, float]:
    features = word_features(text)
    counts: dict[str, float] = dict(Counter(features))
    if features:  # a wish usually leads with its action: "E-mail ...", "Play ...", "Remind ..."
        counts[features[0]] += LEADING_WORD_BONUS
    for word in _api_words(api_names):
        counts[word] = counts.get(word, 0.0) + API_WORD_WEIGHT
    return counts


# the library


@dataclass
class ExampleLibrary:
    """The examples of one library file and the index that ranks them against an intent."""

    name: str
    examples: tuple[WorkedExample, ...]
    digest: str  # SHA-256 of the file, for the prompt's hash
    _words: _Space = field(init=False, repr=False)
    _grams: _Space = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._words = _Space.build([_word_counts(e.intent, e.api_calls()) for e in self.examples])
        self._grams = _Space.build([Counter(trigram_features(e.intent)) for e in self.examples])

    def scores(self, intent: str) -> list[float]:
        """The similarity of ``intent`` to every example, in library order, in [0, 1]."""
        size = len(self.examples)
        words = self._words.cosines(_word_counts(intent), size)
        grams = self._grams.cosines(Counter(trigram_features(intent)), size)
        return [WORD_WEIGHT * w + (1 - WORD_WEIGHT) * g for w, g in zip(words, grams, strict=True)]

    def similarity(self, first: str, second: str) -> float:
        """How alike two intents are, by the same measure and weights as :meth:`scores`."""
        words = self._words.cosine(_word_counts(first), _word_counts(second))
        grams = self._grams.cosine(
            Counter(trigram_features(first)), Counter(trigram_features(second))
        )
        return WORD_WEIGHT * words + (1 - WORD_WEIGHT) * grams

    def select(
        self, intent: str, k: int = DEFAULT_K, ensure_tier: str | None = None
    ) -> list[WorkedExample]:
        """The ``k`` examples most similar to ``intent``, most similar first; ties keep library
        order. With ``ensure_tier``, the last place goes to the best example of that tier when
        none of the chosen ones has it."""
        if k <= 0:
            return []
        scores = self.scores(intent)
        order = sorted(range(len(scores)), key=lambda index: (-scores[index], index))
        chosen = order[:k]
        if ensure_tier is not None and all(self.examples[i].tier != ensure_tier for i in chosen):
            best = next((i for i in order if self.examples[i].tier == ensure_tier), None)
            if best is not None:
                chosen[-1] = best
        return [self.examples[index] for index in chosen]

    def restricted(self, keep: Callable[[WorkedExample], bool]) -> ExampleLibrary:
        """The examples ``keep`` accepts, in library order, indexed on their own: a feature's
        weight counts only the examples that can be shown, so adding examples for another API
        table leaves the ranking for this one as it was."""
        kept = tuple(example for example in self.examples if keep(example))
        return ExampleLibrary(self.name, kept, self.digest)


def library_path(name: str) -> Path:
    return resource_dir("prompts") / LIBRARY_DIR / f"{name}.yaml"


def available_libraries() -> list[str]:
    return sorted(path.stem for path in (resource_dir("prompts") / LIBRARY_DIR).glob("*.yaml"))


@cache
def load_library(name: str) -> ExampleLibrary:
    """The library ``prompts/examples/<name>.yaml``, read once per process."""
    path = library_path(name)
    if not path.is_file():
        choices = ", ".join(available_libraries()) or "none"
        raise ExampleError(f"no example library {name!r}; the libraries are: {choices}")
    return read_library(path, name)


def read_library(path: Path, name: str) -> ExampleLibrary:
    """Parse and check one library file; errors name the file and the entry."""
    raw = path.read_bytes()
    source = str(path)
    data = load_mapping(
        raw.decode("utf-8"),
        source,
        ExampleError,
        "an example library is a mapping: examples: [...]",
    )
    try:
        parsed = _LibraryFile.model_validate(data)
    except ValidationError as exc:
        report = validation_report(source, "example library", data, exc, ("intent",))
        raise ExampleError(report) from exc
    intents = Counter(example.intent.casefold() for example in parsed.examples)
    twice = [intent for intent, count in intents.items() if count > 1]
    if twice:
        raise ExampleError(f"{source}: an intent appears more than once: {twice[0]!r}")
    return ExampleLibrary(name, parsed.examples, hashlib.sha256(raw).hexdigest())


def benchmark(library: ExampleLibrary, intents: list[str], rounds: int = 20) -> float:
    """The median milliseconds :meth:`ExampleLibrary.select` takes for one intent."""
    timings: list[float] = []
    for _ in range(rounds):
        for intent in intents:
            started = time.perf_counter()
            library.select(intent)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main(argv: list[str]) -> int:
    """``python -m intentos.pipeline.examples [--library NAME] [--benchmark | INTENT]``."""
    name = argv[argv.index("--library") + 1] if "--library" in argv else "default"
    library = load_library(name)
    if "--benchmark" in argv:
        intents = [example.intent for example in library.examples]
        median = benchmark(library, intents)
        print(f"{len(library.examples)} examples; select() median {median:.3f} ms per intent")
        return 0
    words = [word for word in argv if not word.startswith("--") and word != name]
    intent = " ".join(words)
    scores = library.scores(intent)
    for example in library.select(intent):
        print(f"{scores[library.examples.index(example)]:.3f}  [{example.tier}] {example.intent}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
