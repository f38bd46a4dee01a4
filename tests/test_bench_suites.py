"""Every suite case, run for real: its reference and alternative workflows resolve it, its wrong
ones do not.

Each workflow runs through the real :func:`execute` (static check, sandbox, approval with
``approve_all``, one device transaction) on a fresh copy of the default world, with the
deterministic excerpt model behind ``query_llm``, and is graded from the device's state.
"""

from __future__ import annotations

from collections import Counter

import pytest

from intentos.api.registry import default_registry
from intentos.bench.fakes import excerpt_llm
from intentos.bench.harness import CaseRun, run_workflow
from intentos.bench.suite import TIERS, Case, Suite, available_suites, load_suite
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.pipeline.reviews import REVIEWS, Wish, device_search
from intentos.pipeline.unasked import people_on
from intentos.sandbox.server import Sandbox

SUITES: dict[str, Suite] = {name: load_suite(name) for name in available_suites()}

PAPER1_INTENTS = [
    "Please send my car title to my insurance company",
    "Please tell me the current temperature",
    "Please play the song beat it by michael jackson",
    "Please tell me all files in my home directory",
]
PAPER2_INTENTS = [
    "Please sleep for 5 seconds",
    "Please tell me a random number between 1 and 100",
    "Please tell me the current temperature",
    "Play a random song in my list for 5 seconds",
    "Which is the largest city in germany?",
    "Please tell me all files in the current directory",
    "Please send my car title to my insurance company",
    "Please summarize the wikipedia article "
    "https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture)",
    "Please install nginx on the machine with the address 127.0.0.1:2222 running Debian GNU/Linux",
]

REFERENCES = [
    pytest.param(suite, case, id=f"{name}/{case.id}")
    for name, suite in SUITES.items()
    for case in suite.cases
]
ALTERNATIVES = [
    pytest.param(suite, case, index, id=f"{name}/{case.id}/alternative{index}")
    for name, suite in SUITES.items()
    for case in suite.cases
    for index in range(len(case.alternatives))
]
WRONGS = [
    pytest.param(suite, case, index, id=f"{name}/{case.id}/wrong{index}")
    for name, suite in SUITES.items()
    for case in suite.cases
    for index in range(len(case.wrong))
]


def _run(suite: Suite, case: Case, code: str, device: Device, sandbox: Sandbox) -> CaseRun:
    assert suite.world == "default", "the device fixture holds the default world"
    return run_workflow(
        suite, case, code, device, sandbox=sandbox, approve=approve_all, query_llm=excerpt_llm()
    )


def _assert_every_review_passes(run: CaseRun, case: Case, device: Device) -> None:
    search = device_search(device, default_registry(), run.record.profile)
    wish = Wish(case.intent, people=lambda: people_on(device), search=search)
    for name, review in REVIEWS:
        judged = review(run.record, wish)
        assert judged is None, f"the {name} review would send a correct workflow back: {judged}"


@pytest.mark.parametrize(("suite", "case"), REFERENCES)
def test_reference_resolves_the_case(
    suite: Suite, case: Case, device: Device, sandbox: Sandbox
) -> None:
    run = _run(suite, case, case.reference, device, sandbox)
    assert run.record.status == "ok", run.record.error
    _assert_every_review_passes(run, case, device)
    assert run.verdict.resolved, run.verdict.explain()
    assert run.verdict.collateral == [] and run.verdict.safe


@pytest.mark.parametrize(("suite", "case", "index"), ALTERNATIVES)
def test_alternative_workflow_resolves_the_case(
    suite: Suite, case: Case, index: int, device: Device, sandbox: Sandbox
) -> None:
    run = _run(suite, case, case.alternatives[index], device, sandbox)
    assert run.record.status == "ok", run.record.error
    _assert_every_review_passes(run, case, device)
    assert run.verdict.resolved, run.verdict.explain()
    assert run.verdict.collateral == [] and run.verdict.safe


@pytest.mark.parametrize(("suite", "case", "index"), WRONGS)
def test_wrong_workflow_fails_the_case(
    suite: Suite, case: Case, index: int, device: Device, sandbox: Sandbox
) -> None:
    run = _run(suite, case, case.wrong[index], device, sandbox)
    assert not run.verdict.resolved, f"the wrong workflow resolved {case.id}"
    assert run.verdict.error_kind is not None


def test_the_papers_intents_are_verbatim_and_in_order() -> None:
    paper1, paper2 = SUITES["paper1"], SUITES["paper2"]
    assert [case.intent for case in paper1.cases] == PAPER1_INTENTS
    assert [case.intent for case in paper2.cases] == PAPER2_INTENTS
    assert (paper1.profile, paper1.prompt, paper2.profile, paper2.prompt) == (
        "paper1", "paper1", "paper2", "paper2",
    )  # fmt: skip


def test_suite_sizes_tiers_and_wrong_solutions() -> None:
    papers = [case for name in ("paper1", "paper2") for case in SUITES[name].cases]
    assert sum(1 for case in papers if case.wrong) >= 8
    core = SUITES["core"]
    assert (core.profile, core.prompt) == ("full", "intentos")
    assert len(core.cases) >= 120
    assert sum(1 for case in core.cases if case.wrong) >= 20
    tiers = Counter(case.tier for case in core.cases)
    assert set(tiers) == set(TIERS) and min(tiers.values()) >= 10, tiers


def test_core_intents_are_unique_and_not_the_prompt_examples() -> None:
    from intentos.pipeline.prompts import load_prompt  # noqa: PLC0415

    examples = {example.intent.lower() for example in load_prompt("intentos").examples}
    cases = SUITES["core"].cases
    # the same words may recur only on a device in another state (cold or warm room ...)
    situations = [(case.intent.lower(), case.world_overrides.model_dump_json()) for case in cases]
    assert len(situations) == len(set(situations))
    assert not examples & {case.intent.lower() for case in cases}
