"""The worked-example library and the retrieval that picks examples for an intent.

* The library covers every app and tier, and its examples are short.
* **No example's intent is close to any suite case's intent.** Close means a similarity of
  :data:`CLOSE_SIMILARITY` or more by the retrieval's own measure (TF-IDF cosine of words and
  character trigrams, in [0, 1]), or a Jaccard overlap of :data:`CLOSE_JACCARD` or more
  between the two intents' sets of content words (stemmed, synonyms folded, filler dropped).
  Both bounds are shown to catch paraphrases of suite intents (:data:`NEAR_COPIES`).
* Every example passes the static check of the ``full`` profile and runs without error on a
  fresh default-world device through the real :func:`execute` (``approve_all``, the
  deterministic excerpt model behind ``query_llm``, the world's canned answers).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from intentos.api.registry import Registry, default_registry
from intentos.bench.fakes import excerpt_llm
from intentos.bench.suite import available_suites, load_suite
from intentos.codegen.check import check
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.executor import execute
from intentos.pipeline.examples import (
    APPS,
    PROFILES,
    TIERS,
    ExampleError,
    ExampleLibrary,
    WorkedExample,
    benchmark,
    load_library,
    read_library,
    word_features,
)
from intentos.pipeline.prompts import PromptTemplate, examples_for_table, load_prompt
from intentos.pipeline.reviews import REVIEWS, Wish, device_search
from intentos.pipeline.unasked import people_on
from intentos.sandbox.server import Sandbox

LIBRARY = load_library("default")
FULL_API = examples_for_table("default", None)  # what the full profile's prompt draws on
CLOSE_SIMILARITY = 0.45
CLOSE_JACCARD = 0.5
MIN_EXAMPLES = 60
SHORT_LINES = 8  # most examples fit in this many lines ...
SHORT_SHARE = 0.75  # ... at least this share of them
MAX_LINES = 15
MAX_SELECT_MS = 5.0


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48]


EXAMPLES = [
    pytest.param(example, id=f"{index:02d}-{_slug(example.intent)}")
    for index, example in enumerate(LIBRARY.examples)
]
SUITE_INTENTS = [
    pytest.param(case.intent, id=f"{name}/{case.id}")
    for name in available_suites()
    for case in load_suite(name).cases
]
# Paraphrases of suite intents: the closeness bound must flag every one of them.
NEAR_COPIES = [
    ("Text Jordan the guest Wi-Fi password", "Text Jordan the password for the guest Wi-Fi"),
    ("What's my landlord's number?", "What's my landlord's phone number?"),
    ("Tell me how many unread mails I have", "How many unread e-mails do I have?"),
    ("Play Take Five", "Put on Take Five"),
    ("Remind me to get stamps", "Remind me to buy stamps"),
    ("Delete the Rose City Data newsletter", "Throw away the Rose City Data newsletter"),
    ("Send my car title to my insurer", "Please send my car title to my insurance company"),
    ("Tell me a random number from 1 to 100", "Please tell me a random number between 1 and 100"),
    ("Set the volume to 25", "Turn the volume down to 25"),
    ("I got the furnace filter, check it off", "I bought the furnace filter, tick it off my reminders"),
    ("What is on the calendar for tomorrow", "What's on my calendar tomorrow?"),
    ("What's the humidity in the living room?", "How humid is it in the living room right now?"),
]  # fmt: skip
# Intents of no suite and no example, and the app the best example must use.
PROBES = [
    ("Play some Taylor Swift", "media"),
    ("text dana that dinner is at 8", "messages"),
    ("remind me on friday at noon to call grandma", "reminders"),
    ("summarise https://blog.example/post", "web"),
    ("how much battery is left on this thing", "sensors"),
    ("Which notes mention Subaru?", "shell"),
    ("Forward the dentist's mail to Jordan", "mail"),
    ("roll two dice", "system"),
    ("Copy the lease into my Backups folder", "files"),
    ("whats on my calender next week", "calendar"),
]


def jaccard(first: str, second: str) -> float:
    a, b = set(word_features(first)), set(word_features(second))
    return len(a & b) / len(a | b) if a | b else 0.0


def too_close(first: str, second: str) -> bool:
    return (
        LIBRARY.similarity(first, second) >= CLOSE_SIMILARITY
        or jaccard(first, second) >= CLOSE_JACCARD
    )


# the library


def test_the_library_is_large_and_its_intents_unique() -> None:
    assert len(LIBRARY.examples) >= MIN_EXAMPLES
    intents = [example.intent.casefold() for example in LIBRARY.examples]
    assert len(intents) == len(set(intents))


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_examples(app: str) -> None:
    assert sum(app in example.apps for example in LIBRARY.examples) >= 3


@pytest.mark.parametrize("tier", TIERS)
def test_every_tier_has_examples(tier: str) -> None:
    assert sum(example.tier == tier for example in LIBRARY.examples) >= 3


def test_examples_are_short() -> None:
    lines = [len(example.code.strip().splitlines()) for example in LIBRARY.examples]
    assert max(lines) <= MAX_LINES
    assert sum(count <= SHORT_LINES for count in lines) >= SHORT_SHARE * len(lines)


def test_summaries_send_a_bounded_part_to_the_model() -> None:
    """A file's or a mail's text is cut in the workflow; a web page goes whole, because
    query_llm reads a page as its article and cuts that (a slice of the HTML is its menus)."""
    for example in LIBRARY.examples:
        if "query_llm(" not in example.code:
            continue
        if "http_get_request(" in example.code:
            assert not re.search(r"(page|\))\[:\d+\]", example.code), example.intent
        elif re.search(r"(body|text)\b", example.code):
            assert "[:4000]" in example.code, example.intent


def test_refusals_do_nothing_but_say_so() -> None:
    refusals = [example for example in LIBRARY.examples if example.tier == "refuse"]
    for example in refusals:
        assert set(example.api_calls()) == {"print"}, example.intent


# closeness to the suites


@pytest.mark.parametrize("suite_intent", SUITE_INTENTS)
def test_no_example_is_close_to_a_suite_intent(suite_intent: str) -> None:
    close = [e.intent for e in LIBRARY.examples if too_close(e.intent, suite_intent)]
    assert not close, f"too close to {suite_intent!r}: {close}"


@pytest.mark.parametrize(("paraphrase", "suite_intent"), NEAR_COPIES)
def test_the_closeness_bound_catches_paraphrases(paraphrase: str, suite_intent: str) -> None:
    assert too_close(paraphrase, suite_intent)


# every example runs


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_passes_the_static_check(example: WorkedExample, registry: Registry) -> None:
    result = check(example.code, registry.table(example.profile).keys())
    assert result.ok, result.message()


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs_on_the_default_world(
    example: WorkedExample, device: Device, sandbox: Sandbox
) -> None:
    record = execute(
        example.code,
        device,
        profile=example.profile,
        approve=approve_all,
        sandbox=sandbox,
        query_llm=excerpt_llm(),
        extract_code=False,
    )
    assert record.status == "ok", record.error
    assert any(line.text.strip() for line in record.screen), "the person is told nothing"
    search = device_search(device, default_registry(), example.profile)
    wish = Wish(example.intent, people=lambda: people_on(device), search=search)
    for name, review in REVIEWS:
        judged = review(record, wish)
        assert judged is None, f"the {name} review would send the example back: {judged}"


# retrieval


@pytest.mark.parametrize(("intent", "app"), PROBES)
def test_the_best_example_uses_the_same_app(intent: str, app: str) -> None:
    best = FULL_API.select(intent, k=1)[0]
    assert app in best.apps, f"{intent!r} got {best.intent!r}"


def test_selection_is_deterministic_and_keeps_library_order_on_ties() -> None:
    intent = "Email my sister the lease agreement"
    assert LIBRARY.select(intent) == LIBRARY.select(intent)
    assert len(LIBRARY.select(intent, k=5)) == 5 and LIBRARY.select(intent, k=0) == []
    # shares no word or trigram with any example: every score is 0, so library order
    assert LIBRARY.select("zq", k=3) == list(LIBRARY.examples[:3])
    scores = LIBRARY.scores(intent)
    chosen = [scores[LIBRARY.examples.index(e)] for e in LIBRARY.select(intent, k=10)]
    assert chosen == sorted(chosen, reverse=True) and all(0 <= s <= 1 + 1e-9 for s in scores)


def test_an_example_finds_itself() -> None:
    for example in LIBRARY.examples:
        assert LIBRARY.select(example.intent, k=1) == [example]


def test_a_tier_can_be_guaranteed() -> None:
    intent = "Play some Taylor Swift"
    top = LIBRARY.select(intent, k=2)
    missing = next(tier for tier in TIERS if all(example.tier != tier for example in top))
    chosen = LIBRARY.select(intent, k=2, ensure_tier=missing)
    assert chosen[0] == top[0] and chosen[1].tier == missing
    assert LIBRARY.select(intent, k=2, ensure_tier=top[1].tier) == top


def test_selection_is_fast() -> None:
    intents = [example.intent for example in LIBRARY.examples]
    assert benchmark(LIBRARY, intents, rounds=3) < MAX_SELECT_MS


def test_library_errors_name_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "examples:\n"
        "  - {intent: Roll a die, apps: [system], tier: single, code: 'print(1)'}\n"
        "  - {intent: Turn on the kettle, apps: [kitchen], tier: refuse, code: 'print(2)'}\n"
    )
    with pytest.raises(ExampleError) as raised:
        read_library(path, "broken")
    assert str(path) in str(raised.value)
    assert "examples[1] 'Turn on the kettle'.apps" in str(raised.value)
    path.write_text(
        "examples:\n"
        "  - {intent: Roll a die, apps: [system], tier: single, code: 'print(1)'}\n"
        "  - {intent: roll a die, apps: [system], tier: single, code: 'print(2)'}\n"
    )
    with pytest.raises(ExampleError, match="more than once"):
        read_library(path, "broken")


# the prompt


def test_the_prompt_shows_the_chosen_examples_before_the_intent(registry: Registry) -> None:
    template = load_prompt("intentos")
    functions = list(registry.table("full").values())
    intent = "Text Dana that I {will} be late"
    system, user = template.messages(intent, functions)
    assert system.role == "system" and "{" + "functions}" not in system.content
    for example in template.chosen_examples(intent):
        assert f"Wish: {example.intent}\n```python\n{example.code}```" in user.content
    assert user.content.endswith(f"The person's wish: {intent}")
    assert system == template.messages("Roll a die", functions)[0]


@pytest.mark.parametrize("profile", ["full", "paper1", "paper2"])
def test_an_example_calling_a_function_the_table_lacks_is_never_shown(
    registry: Registry, profile: str
) -> None:
    template = load_prompt("intentos")
    table = registry.table(profile)
    others = {function.name for function in registry.all_functions()} - set(table)
    shown = [
        example
        for intent in [
            "Please tell me all files in the current directory",
            *(str(param.values[0]) for param in SUITE_INTENTS[:40]),
        ]
        for example in template.chosen_examples(intent, list(table.values()))
    ]
    assert all(others.isdisjoint(example.api_calls()) for example in shown)
    if profile == "full":
        assert len(shown) == 3 * 41
    usable = [e for e in LIBRARY.examples if others.isdisjoint(e.api_calls())]
    assert {e.intent for e in shown} <= {e.intent for e in usable}


def test_an_example_can_be_written_for_every_profile_and_no_other(registry: Registry) -> None:
    assert sorted(PROFILES) == sorted(registry.profiles)


@pytest.mark.parametrize("profile", ["full", "paper1", "paper2"])
def test_an_example_written_for_a_profile_is_shown_only_with_its_table(
    registry: Registry, profile: str
) -> None:
    template = load_prompt("intentos")
    functions = list(registry.table(profile).values())
    for param in SUITE_INTENTS:
        shown = template.chosen_examples(str(param.values[0]), functions)
        assert len(shown) == 3
        assert {example.profile for example in shown} <= {"full", profile}


def test_the_full_api_ranks_its_examples_as_if_the_papers_had_none(registry: Registry) -> None:
    """Examples for the papers' tables are indexed apart: adding them leaves what the full
    profile's prompt shows for every intent exactly as it was."""
    written_for_full = read_library_of(lambda example: example.profile == "full")
    functions = list(registry.table("full").values())
    template = load_prompt("intentos")
    for param in SUITE_INTENTS:
        intent = str(param.values[0])
        assert template.chosen_examples(intent, functions) == written_for_full.select(intent)


def read_library_of(keep: Callable[[WorkedExample], bool]) -> ExampleLibrary:
    """The library file cut down to the entries ``keep`` accepts, indexed as its own file."""
    kept = tuple(example for example in LIBRARY.examples if keep(example))
    return ExampleLibrary("cut", kept, "")


def test_an_example_whose_call_the_tables_signature_refuses_is_never_shown(
    registry: Registry,
) -> None:
    """paper2's send_email takes (email, subject, text, attachment_paths), ours attachments=."""
    template = load_prompt("intentos")
    intent = "Please send my car title to my insurance company"
    assert any("attachments=" in e.code for e in template.chosen_examples(intent))
    shown = template.chosen_examples(intent, list(registry.table("paper2").values()))
    assert len(shown) == 3 and not any("attachments=" in e.code for e in shown)


def test_the_prompt_hash_covers_the_library() -> None:
    template = load_prompt("intentos")
    raw = (Path(__file__).parent.parent / "prompts" / "intentos.yaml").read_bytes()
    digest = hashlib.sha256(raw)
    digest.update(LIBRARY.digest.encode())
    assert template.example_library == "default"
    assert template.hash == digest.hexdigest()[:12]


def test_a_template_with_a_library_must_place_the_examples() -> None:
    fields = {"id": "x", "version": 1, "description": "x", "system": "s", "repair": "{error}"}
    with pytest.raises(ValueError, match="examples"):
        PromptTemplate.model_validate(
            {**fields, "user": "{intent}", "user_plan": "{intent}", "example_library": "default"}
        )
