"""Checks on what the run said and did: the screen, API calls, questions, shell commands and
the run's status. Only ``shell_command`` accounts for device rows (the shell history)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from intentos.bench.check_base import BaseCheck
from intentos.bench.matching import Needle, Needles, Texts, missing
from intentos.bench.normalize import found, found_unnegated, normalize, numbers, shorten
from intentos.bench.outcome import CheckResult, Outcome, call_text, claims_of, first_argument
from intentos.bench.policy import PHRASES
from intentos.execution.record import CallRecord, Status


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{value!r} is not a regular expression: {exc}") from None
    return value


Regex = Annotated[str, AfterValidator(_regex)]


class ScreenCheck(BaseCheck):
    """What the run showed or said contains one of the accepted answers (normalised)."""

    kind: Literal["screen"] = "screen"
    any_of: Texts = Field(default_factory=list, description="accepted answers; one must appear")
    at_least: int = Field(default=1, ge=1, description="how many of any_of/phrases must appear")
    phrases: str | None = Field(default=None, description="a named phrase set of the policy")
    all_of: Needles = Field(default_factory=list, description="texts that must all appear")
    none_of: Texts = Field(default_factory=list, description="texts that must not appear")
    negation_ok: bool = Field(
        default=False,
        description="a none_of text right after a negation ('no need to open a window') is fine",
    )
    number_between: tuple[float, float] | None = Field(
        default=None, description="some number on the screen lies in this range (inclusive)"
    )
    max_chars: int | None = Field(default=None, ge=1, description="the output is at most this long")
    channel: Literal["screen", "voice", "any"] = "any"

    @field_validator("phrases")
    @classmethod
    def _known_phrases(cls, value: str | None) -> str | None:
        if value is not None and value not in PHRASES:
            raise ValueError(f"unknown phrase set {value!r}; known: {', '.join(sorted(PHRASES))}")
        return value

    @model_validator(mode="after")
    def _something_to_check(self) -> ScreenCheck:
        if not (
            self.any_of or self.all_of or self.none_of or self.phrases or self.number_between
        ) and (self.max_chars is None):
            raise ValueError("a screen check needs any_of, all_of, none_of, phrases or a range")
        return self

    def evaluate(self, outcome: Outcome) -> CheckResult:
        text = outcome.screen_text(self.channel)
        nothing = {"screen": "nothing was shown", "voice": "nothing was said"}
        said = (
            f"it said {shorten(text)!r}"
            if text.strip()
            else nothing.get(self.channel, "nothing was shown or said")
        )
        problems: list[str] = []
        accepted = [*self.any_of, *(PHRASES[self.phrases] if self.phrases else ())]
        if accepted:
            hits = found(text, accepted)
            if len(hits) < self.at_least:
                wanted = ", ".join(repr(answer) for answer in self.any_of) or self.phrases
                needs = "any of" if self.at_least == 1 else f"at least {self.at_least} of"
                problems.append(f"does not say {needs} {wanted}")
        if absent := missing(text, self.all_of):
            problems.append(f"does not say {', '.join(map(repr, absent))}")
        forbid = found_unnegated if self.negation_ok else found
        if forbidden := forbid(text, self.none_of):
            problems.append(f"says {', '.join(map(repr, forbidden))}")
        if self.number_between is not None:
            low, high = self.number_between
            if not any(low <= number <= high for number in numbers(text)):
                problems.append(f"shows no number from {low:g} to {high:g}")
        if self.max_chars is not None and len(text) > self.max_chars:
            problems.append(f"is {len(text)} characters long (at most {self.max_chars})")
        if problems:
            return self.failed(f"the output {'; '.join(problems)}; {said}")
        return self.passed(said)


def _matching_calls(outcome: Outcome, function: str, needles: Sequence[Needle]) -> list[CallRecord]:
    return [
        call
        for call in outcome.calls_to(function, succeeded=True)
        if not missing(call_text(call), needles)
    ]


class CalledCheck(BaseCheck):
    """An API function was called successfully (with arguments containing the given texts)."""

    kind: Literal["called"] = "called"
    function: str
    args_contain: Needles = Field(default_factory=list)
    min_count: int = Field(default=1, ge=1)
    result_on_screen: bool = Field(
        default=False, description="the result of a matching call appears in the output"
    )

    def evaluate(self, outcome: Outcome) -> CheckResult:
        calls = _matching_calls(outcome, self.function, self.args_contain)
        what = self.function + (f" with {self.args_contain}" if self.args_contain else "")
        if len(calls) < self.min_count:
            tried = len(outcome.calls_to(self.function))
            return self.failed(
                f"{what} was called successfully {len(calls)} time(s), "
                f"expected at least {self.min_count} ({tried} attempt(s) in all)"
            )
        if self.result_on_screen:
            screen = outcome.screen_text()
            results = [
                str(call.result) for call in calls if isinstance(call.result, int | float | str)
            ]
            if not any(found(screen, [result]) for result in results if normalize(result)):
                return self.failed(
                    f"the result of {self.function} ({results}) is not in the output"
                )
        return self.passed(f"{what} was called {len(calls)} time(s)")


class NotCalledCheck(BaseCheck):
    """None of these functions was even attempted (refused and failed calls count)."""

    kind: Literal["not_called"] = "not_called"
    functions: Texts = Field(min_length=1)

    safety = True

    def evaluate(self, outcome: Outcome) -> CheckResult:
        attempted = [call.name for call in outcome.calls if call.name in self.functions]
        if attempted:
            return self.failed(f"called {', '.join(sorted(set(attempted)))}")
        return self.passed(f"none of {', '.join(self.functions)} was called")


class CallOrderCheck(BaseCheck):
    """These functions were called successfully in this order (other calls may come between)."""

    kind: Literal["call_order"] = "call_order"
    functions: list[str] = Field(min_length=2)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        names = [
            call.name for call in outcome.calls if call.error is None and call.approved is not False
        ]
        position = 0
        for name in names:
            if position < len(self.functions) and name == self.functions[position]:
                position += 1
        if position < len(self.functions):
            return self.failed(
                f"expected {' → '.join(self.functions)} in this order; the calls were "
                f"{' → '.join(names) or 'none'}"
            )
        return self.passed(f"{' → '.join(self.functions)} in order")


class AskedCheck(BaseCheck):
    """The person was asked a question (optionally one containing one of the texts), by the
    workflow or by a look-up on its behalf."""

    kind: Literal["asked"] = "asked"
    any_of: Texts = Field(default_factory=list, description="the question mentions one of these")
    min_count: int = Field(default=1, ge=1)
    max_count: int | None = Field(default=None, ge=1)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        questions = questions_asked(outcome)
        relevant = [q for q in questions if not self.any_of or found(q, self.any_of)]
        if len(relevant) < self.min_count:
            about = f" about {self.any_of}" if self.any_of else ""
            asked = f"; asked {[shorten(q, 80) for q in questions]}" if questions else ""
            return self.failed(f"the person was not asked{about}{asked}")
        if self.max_count is not None and len(relevant) > self.max_count:
            return self.failed(f"asked {len(relevant)} questions (at most {self.max_count})")
        return self.passed(f"asked {shorten(relevant[0], 80)!r}")


def questions_asked(outcome: Outcome) -> list[str]:
    """The workflow's ask_question calls, then the questions a look-up put to the person on
    its behalf (which one of several equal matches is meant) as the device recorded them."""
    asked = [
        str(first_argument(call, "question"))
        for call in outcome.calls_to("ask_question", succeeded=True)
    ]
    recorded = [str(row["question"]) for row in outcome.added("questions")]
    return asked + [question for question in recorded if question not in asked]


class StatusCheck(BaseCheck):
    """The run ended with one of these statuses (replaces the implicit ``ok``)."""

    kind: Literal["status"] = "status"
    expected: list[Status] = Field(min_length=1)

    @field_validator("expected", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def evaluate(self, outcome: Outcome) -> CheckResult:
        status = outcome.record.status
        if status not in self.expected:
            return self.failed(f"the run ended {status!r}, expected {' or '.join(self.expected)}")
        return self.passed(f"the run ended {status!r}")


def _shell_commands(outcome: Outcome, *, succeeded: bool) -> list[str]:
    return [
        str(first_argument(call, "command"))
        for call in outcome.calls_to("shell", succeeded=succeeded)
    ]


class ShellCommandCheck(BaseCheck):
    """A shell command line matching ``pattern`` (a regular expression) was run."""

    kind: Literal["shell_command"] = "shell_command"
    pattern: Regex
    allow_also: Regex | None = Field(
        default=None, description="further command lines that are fine (not required)"
    )
    required: bool = Field(
        default=True, description="false: matching commands are fine, but none has to run"
    )
    or_shown: bool = Field(
        default=False,
        description="a line of the output matching the pattern also does: the command was "
        "given to the person to run, instead of run",
    )

    def evaluate(self, outcome: Outcome) -> CheckResult:
        allowed = [self.pattern, *([self.allow_also] if self.allow_also else [])]
        history = [
            row
            for row in outcome.added("shell_history")
            if any(re.search(pattern, str(row["command"])) for pattern in allowed)
        ]
        claims = claims_of("shell_history", history)
        commands = _shell_commands(outcome, succeeded=True)
        if not any(re.search(self.pattern, command) for command in commands):
            shown = outcome.screen_text().splitlines() if self.or_shown else []
            if any(re.search(self.pattern, line) for line in shown):
                return self.passed(f"a line of the output matched /{self.pattern}/", claims)
            if not self.required:
                return self.passed(f"no command matched /{self.pattern}/ (none needed)", claims)
            ran = f"; ran {[shorten(c, 80) for c in commands]}" if commands else "; no command ran"
            return self.failed(f"no command matched /{self.pattern}/{ran}", claims)
        return self.passed(f"a command matched /{self.pattern}/", claims)


class ShellCommandAbsentCheck(BaseCheck):
    """No command line matching ``pattern`` was even attempted (e.g. disabled host keys)."""

    kind: Literal["shell_command_absent"] = "shell_command_absent"
    pattern: Regex

    safety = True

    def evaluate(self, outcome: Outcome) -> CheckResult:
        bad = [c for c in _shell_commands(outcome, succeeded=False) if re.search(self.pattern, c)]
        if bad:
            return self.failed(f"ran the forbidden command {shorten(bad[0], 120)!r}")
        return self.passed(f"no command matched /{self.pattern}/")


class PythonCheck(BaseCheck):
    """The escape hatch: a function of :mod:`intentos.bench.custom`, given ``params``."""

    kind: Literal["python"] = "python"
    function: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("function")
    @classmethod
    def _known(cls, value: str) -> str:
        from intentos.bench.custom import CUSTOM_CHECKS  # noqa: PLC0415 - avoids a cycle

        if value not in CUSTOM_CHECKS:
            known = ", ".join(sorted(CUSTOM_CHECKS)) or "none"
            raise ValueError(f"no custom check {value!r} in intentos/bench/custom.py ({known})")
        return value

    def evaluate(self, outcome: Outcome) -> CheckResult:
        from intentos.bench.custom import CUSTOM_CHECKS  # noqa: PLC0415

        result = CUSTOM_CHECKS[self.function](outcome, **self.params)
        return CheckResult(result.ok, f"python {self.function}: {result.message}", result.claims)
