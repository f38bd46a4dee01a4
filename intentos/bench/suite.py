"""Suites: YAML files under ``evals/suites/`` listing cases of intents with checks.

A suite is validated completely when it is loaded — its structure by the pydantic models
below, then what the models cannot see alone (the world seed, profile and prompt exist, every
function a check names is in the profile) — and every problem is reported with the file, the
case (``cases[3] 'car-title'``) and what is wrong, as world seeds are.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from intentos.bench.allowed import ALLOWED_CHANGES
from intentos.bench.checks import Check
from intentos.bench.checks_run import AskedCheck, CalledCheck, CallOrderCheck, NotCalledCheck
from intentos.bench.matching import Texts, as_text, check_time
from intentos.device.world import Answer
from intentos.errors import IntentosError
from intentos.resources import resource_dir
from intentos.yamldata import StrictData, load_mapping, validation_report

Tier = Literal["single", "lookup", "logic", "time", "ask", "refuse", "safety"]
TIERS: tuple[str, ...] = ("single", "lookup", "logic", "time", "ask", "refuse", "safety")
CASE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
BUILTIN_FUNCTIONS = frozenset({"print"})  # reaches the screen in every profile


class SuiteError(IntentosError):
    """A suite is unreadable, malformed or inconsistent."""


class PlayerOverride(StrictData):
    """The player's state before the run: a song (by exact title, optionally artist) playing."""

    state: Literal["playing", "paused", "stopped"] = "playing"
    title: str | None = None
    artist: str | None = None
    volume: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _song_when_playing(self) -> PlayerOverride:
        if self.state != "stopped" and self.title is None:
            raise ValueError("a playing or paused player needs the song's title")
        return self


class WorldOverrides(StrictData):
    """Changes to the world, applied to the device before the run."""

    answers: list[Answer] = Field(
        default_factory=list,
        description="what the person answers to ask_question; tried before the world's answers",
    )
    sensors: dict[str, float] = Field(default_factory=dict, description="sensor name → value")
    clock: Annotated[str, BeforeValidator(as_text), AfterValidator(check_time)] | None = Field(
        default=None, description="the device time, like 2026-03-16T18:00:00"
    )
    player: PlayerOverride | None = None

    @property
    def empty(self) -> bool:
        return not (self.answers or self.sensors or self.clock or self.player)


class Case(StrictData):
    """One intent, the checks that say it was resolved, and workflows that pass and fail."""

    id: str = Field(description="unique within the suite: lower case, digits, '.', '_', '-'")
    intent: str = Field(min_length=1, description="what the person says, verbatim")
    tier: Tier | None = None
    tags: list[str] = Field(default_factory=list)
    notes: str | None = Field(default=None, description="what resolving the intent means")
    world_overrides: WorldOverrides = Field(default_factory=WorldOverrides)
    checks: list[Check] = Field(min_length=1)
    reference: str = Field(min_length=1, description="a hand-written workflow that must pass")
    alternatives: Texts = Field(
        default_factory=list,
        description="more correct workflows, written another way, that must pass as well",
    )
    wrong: Texts = Field(
        default_factory=list, description="plausible wrong workflows that must fail"
    )
    allowed: list[str] = Field(
        default_factory=list,
        description="changes that are fine but not required: " + ", ".join(ALLOWED_CHANGES),
    )

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not CASE_ID.match(value):
            raise ValueError(f"id {value!r} must be lower case letters, digits, '.', '_', '-'")
        return value

    @field_validator("allowed")
    @classmethod
    def _known_changes(cls, value: list[str]) -> list[str]:
        unknown = [kind for kind in value if kind not in ALLOWED_CHANGES]
        if unknown:
            known = ", ".join(ALLOWED_CHANGES)
            raise ValueError(f"unknown allowed change(s) {', '.join(unknown)}; known: {known}")
        return value


class Suite(StrictData):
    """A named, versioned list of cases on one world, API profile and prompt."""

    name: str = Field(min_length=1)
    version: int = Field(ge=1)
    description: str = ""
    world: str = Field(default="default", description="the world seed the device starts from")
    profile: str = Field(description="the API profile: full, paper1, paper2")
    prompt: str = Field(description="the prompt template id (prompts/ID.yaml)")
    cases: list[Case] = Field(min_length=1)

    @field_validator("cases")
    @classmethod
    def _unique_ids(cls, cases: list[Case]) -> list[Case]:
        seen: set[str] = set()
        twice: set[str] = set()
        for case in cases:
            (twice if case.id in seen else seen).add(case.id)
        if twice:
            raise ValueError(f"case ids listed twice: {', '.join(sorted(twice))}")
        return cases

    def case(self, case_id: str) -> Case:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise KeyError(case_id)


# -- loading ------------------------------------------------------------------------------


def suites_dir() -> Path:
    return resource_dir("evals") / "suites"


def available_suites() -> list[str]:
    return sorted(path.stem for path in suites_dir().glob("*.yaml"))


def suite_path(suite: str) -> Path:
    """A suite name (``paper2``) or a path to a YAML file."""
    candidate = Path(suite)
    if candidate.suffix in {".yaml", ".yml"} or "/" in suite:
        return candidate
    return suites_dir() / f"{suite}.yaml"


def load_suite(suite: str) -> Suite:
    path = suite_path(suite)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        known = ", ".join(available_suites())
        raise SuiteError(f"{path}: cannot read the suite ({exc.strerror}); known: {known}") from exc
    return parse_suite(text, source=str(path))


def parse_suite(text: str, source: str = "<string>") -> Suite:
    """Parse and validate a suite; raise :class:`SuiteError` naming file, case and problem."""
    data = load_mapping(
        text, source, SuiteError, "a suite must be a mapping with name, profile, cases ..."
    )
    try:
        suite = Suite.model_validate(data)
    except ValidationError as exc:
        raise SuiteError(validation_report(source, "suite", data, exc, ("id",))) from exc
    problems = consistency_problems(suite)
    if problems:
        lines = [f"{source}: {len(problems)} problem(s) in the suite"]
        lines += [f"  - {problem}" for problem in problems]
        raise SuiteError("\n".join(lines))
    return suite


def consistency_problems(suite: Suite) -> list[str]:
    """What the models cannot check alone: the seed, profile, prompt and functions exist."""
    from intentos.api.registry import default_registry  # noqa: PLC0415 - imports the API
    from intentos.device.store import available_seeds  # noqa: PLC0415
    from intentos.pipeline.prompts import available_prompts  # noqa: PLC0415

    problems: list[str] = []
    if suite.world not in available_seeds():
        problems.append(f"world: no world seed {suite.world!r} ({', '.join(available_seeds())})")
    if suite.prompt not in available_prompts():
        problems.append(f"prompt: no prompt {suite.prompt!r} ({', '.join(available_prompts())})")
    registry = default_registry()
    if suite.profile not in registry.profiles:
        problems.append(
            f"profile: no API profile {suite.profile!r} ({', '.join(registry.profiles)})"
        )
        return problems
    known = set(registry.table(suite.profile)) | BUILTIN_FUNCTIONS
    for index, case in enumerate(suite.cases):
        for position, check in enumerate(case.checks):
            unknown = sorted(set(_functions_named(check)) - known)
            if unknown:
                problems.append(
                    f"cases[{index}] {case.id!r}.checks[{position}] ({check.kind}): "
                    f"{', '.join(unknown)} not in the {suite.profile} profile"
                )
    return problems


def _functions_named(check: object) -> list[str]:
    if isinstance(check, CalledCheck):
        return [check.function]
    if isinstance(check, NotCalledCheck | CallOrderCheck):
        return list(check.functions)
    if isinstance(check, AskedCheck):
        return ["ask_question"]
    return []


def json_schema() -> dict[str, Any]:
    """The JSON schema of a suite file, generated from the models."""
    schema = Suite.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "intentos suite"
    return schema
