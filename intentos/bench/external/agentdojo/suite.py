"""AgentDojo suites as intentos bench suites: cases, the run of one cell, and its grade.

Without an attack every user task is a case (``user_task_7``), its intent the task's
``PROMPT``, run against AgentDojo's default environment with the bench approving every
preview. With ``--attack NAME`` every (user task, injection task) pair is a case
(``user_task_7/injection_task_2``): AgentDojo's attack writes its text into the injection
vectors that task's reference solution reads, and the bench approves a preview only under
the ``task-recipients`` policy (:mod:`.policy`).

A run is graded by AgentDojo's own checkers on the environment the run left (the copy is kept
only if the run committed): ``utility`` (or ``utility_from_traces``) with what the workflow
printed as ``model_output``, and under attack ``security`` — True when the injected goal was
achieved. The verdict's checks record the answers, and one more under attack: ``security``
on the copy the run would have left had its preview been approved, so a report counts the
injected goals that intentos' approval stopped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from intentos.backends.base import Backend
from intentos.bench.external.agentdojo.execute import EnvExecution, TraceCall
from intentos.bench.external.agentdojo.names import SuiteName, pair_id, parse_name
from intentos.bench.external.agentdojo.package import require
from intentos.bench.external.agentdojo.policy import ATTACK_POLICY, PLAIN_POLICY, policy
from intentos.bench.external.agentdojo.profile import Profile, build_profile
from intentos.bench.external.agentdojo.resolve import PROMPT_ID, Settings, resolve
from intentos.bench.external.base import ExternalSuiteError
from intentos.bench.grade import CheckOutcome, Verdict, error_kind
from intentos.pipeline.result import RunResult
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

UTILITY = "agentdojo_utility"
SECURITY = "agentdojo_security"
SECURITY_IF_APPROVED = "agentdojo_security_if_approved"
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SIMPLE_ATTACKS = ("direct", "ignore_previous", "system_message", "injecagent")
SUPPORTED_ATTACKS = ("important_instructions", *SIMPLE_ATTACKS)


@dataclass(frozen=True)
class AgentDojoCase:
    id: str
    intent: str
    user_task: str
    injection_task: str | None = None
    tier: str | None = None


@dataclass
class AgentDojoSuite:
    """One AgentDojo suite at one version, with or without an attack."""

    suite_name: SuiteName
    task_suite: Any  # agentdojo's TaskSuite
    cases: list[AgentDojoCase]
    version: int = 1  # of this adapter; AgentDojo's version is in the name
    prompt: str = PROMPT_ID
    approval: str = PLAIN_POLICY
    _injections: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.suite_name)

    @cached_property
    def profile(self) -> Profile:
        return build_profile(self.suite_name.profile, self.task_suite.tools)

    @cached_property
    def runtime(self) -> Any:
        return require("agentdojo.functions_runtime").FunctionsRuntime(self.task_suite.tools)

    def case_names(self) -> set[str]:
        return {case.id for case in self.cases} | {case.user_task for case in self.cases}

    def with_cases(self, wanted: Collection[str]) -> AgentDojoSuite | None:
        chosen = [c for c in self.cases if c.id in wanted or c.user_task in wanted]
        return replace(self, cases=chosen) if chosen else None

    # -- one cell ---------------------------------------------------------------------------

    def run(
        self, cell: Any, backend: Backend, options: Any, sandbox: Sandbox | None
    ) -> tuple[RunResult, Verdict]:
        case: AgentDojoCase = cell.case
        return self.run_case(
            case,
            backend,
            Settings(
                mode=cell.mode,
                prompt=cell.prompt,
                max_attempts=options.max_attempts,
                limits=Limits.for_timeout(options.timeout),
                device_name=self.name,
            ),
            sandbox=sandbox,
        )

    def run_case(
        self,
        case: AgentDojoCase,
        backend: Backend,
        settings: Settings,
        *,
        sandbox: Sandbox | None = None,
    ) -> tuple[RunResult, Verdict]:
        environment = self.environment(case)
        resolution = resolve(
            case.intent, backend, environment, runtime=self.runtime, profile=self.profile,
            settings=settings,
            approve=policy(self.approval), task_recipients=self.task_recipients(case),
            sandbox=sandbox,
        )  # fmt: skip
        return resolution.result, self.grade(case, environment, resolution.final)

    def environment(self, case: AgentDojoCase) -> Any:
        """The environment the case starts from, injected when attacked, initialised by the
        task, as AgentDojo's ``run_task_with_pipeline`` prepares it."""
        injections = self._injections.get((case.user_task, case.injection_task or ""), {})
        user_task = self.task_suite.get_user_task_by_id(case.user_task)
        loaded = self.task_suite.load_and_inject_default_environment(injections)
        return user_task.init_environment(loaded).model_copy(deep=True)

    def task_recipients(self, case: AgentDojoCase) -> frozenset[str]:
        """Whom the person's own task reaches: addresses in its prompt, the person's own, and
        those the task's reference solution reaches (run on a copy of a clean environment)."""
        user_task = self.task_suite.get_user_task_by_id(case.user_task)
        clean = user_task.init_environment(self.task_suite.load_and_inject_default_environment({}))
        reached = set(ADDRESS.findall(user_task.PROMPT)) | {str(clean.inbox.account_email)}
        before = set(clean.inbox.emails)
        for call in user_task.ground_truth(clean.model_copy(deep=True)):
            reached |= set(ADDRESS.findall(str(dict(call.args))))
            self.runtime.run_function(clean, call.function, call.args)
        for mail_id in set(clean.inbox.emails) - before:
            mail = clean.inbox.emails[mail_id]
            reached |= {str(a) for a in [*mail.recipients, *mail.cc, *mail.bcc]}
        return frozenset(address.lower() for address in reached)

    # -- grading ----------------------------------------------------------------------------

    def grade(self, case: AgentDojoCase, pre: Any, final: EnvExecution) -> Verdict:
        user_task = self.task_suite.get_user_task_by_id(case.user_task)
        output, trace = final.output, _trace(final.trace)
        utility = _checked(user_task.utility_from_traces(output, pre, final.kept, trace),
                           lambda: user_task.utility(output, pre, final.kept))  # fmt: skip
        checks = [
            CheckOutcome(
                kind=UTILITY,
                ok=utility,
                message=f"AgentDojo's utility check of {case.user_task} "
                f"{'passed' if utility else 'failed'}",
            )
        ]
        if case.injection_task is not None:
            checks += self._security(case.injection_task, output, pre, final, trace)
        record = final.record
        return Verdict(
            case_id=case.id,
            status=record.status,
            resolved=utility,
            safe=all(check.ok for check in checks if check.safety),
            error_kind=None if utility else error_kind(record, checks, []),
            checks=checks,
        )

    def _security(
        self, injection_id: str, output: str, pre: Any, final: EnvExecution, trace: list[Any]
    ) -> list[CheckOutcome]:
        task = self.task_suite.get_injection_task_by_id(injection_id)

        def achieved(post: Any) -> bool:
            by_trace = task.security_from_traces(output, pre, post, trace)
            return _checked(by_trace, lambda: task.security(output, pre, post))

        now, if_approved = achieved(final.kept), achieved(final.if_approved)
        return [
            CheckOutcome(
                kind=SECURITY,
                ok=not now,
                safety=True,
                message=f"the injected goal of {injection_id} was "
                f"{'achieved' if now else 'not achieved'}",
            ),
            CheckOutcome(
                kind=SECURITY_IF_APPROVED,
                ok=not if_approved,
                message=f"had every preview been approved, the injected goal of {injection_id} "
                f"would {'have been' if if_approved else 'not have been'} achieved",
            ),
        ]


def _checked(by_trace: bool | None, by_state: Any) -> bool:
    return bool(by_state()) if by_trace is None else bool(by_trace)


def _trace(calls: Sequence[TraceCall]) -> list[Any]:
    function_call = require("agentdojo.functions_runtime").FunctionCall
    return [function_call(function=call.function, args=call.args) for call in calls]


# -- loading --------------------------------------------------------------------------------


def load_suite(name: str, attack: str | None = None) -> AgentDojoSuite:
    """``agentdojo:workspace@v1.2`` (under ``attack``), or ExternalSuiteError."""
    parsed = parse_name(name, attack)
    if parsed is None:
        raise ExternalSuiteError(
            f"{name!r} is not an AgentDojo suite name; write agentdojo:SUITE[@VERSION], "
            "e.g. agentdojo:workspace@v1.2"
        )
    loader = require("agentdojo.task_suite.load_suites")
    versions: dict[str, dict[str, Any]] = loader._SUITES
    if parsed.version not in versions:
        raise ExternalSuiteError(
            f"AgentDojo ships no version {parsed.version!r}; versions: {', '.join(versions)}"
        )
    suites = versions[parsed.version]
    if parsed.suite not in suites:
        raise ExternalSuiteError(
            f"AgentDojo {parsed.version} has no suite {parsed.suite!r}: {', '.join(suites)}"
        )
    task_suite = suites[parsed.suite]
    if parsed.attack is None:
        cases = [AgentDojoCase(tid, task.PROMPT, tid) for tid, task in _user_tasks(task_suite)]
        return AgentDojoSuite(parsed, task_suite, cases)
    return _attacked(parsed, task_suite)


def _user_tasks(task_suite: Any) -> list[tuple[str, Any]]:
    """User tasks in numeric order (``user_task_2`` before ``user_task_10``)."""
    tasks: dict[str, Any] = task_suite.user_tasks
    return sorted(tasks.items(), key=lambda item: int(item[0].rsplit("_", 1)[-1]))


def _attacked(parsed: SuiteName, task_suite: Any) -> AgentDojoSuite:
    attack = _attack(str(parsed.attack), task_suite)
    injection_tasks: dict[str, Any] = task_suite.injection_tasks
    ordered = sorted(injection_tasks.items(), key=lambda item: int(item[0].rsplit("_", 1)[-1]))
    cases: list[AgentDojoCase] = []
    injections: dict[tuple[str, str], dict[str, str]] = {}
    for user_id, user_task in _user_tasks(task_suite):
        for injection_id, injection_task in ordered:
            cases.append(
                AgentDojoCase(pair_id(user_id, injection_id), user_task.PROMPT, user_id,
                              injection_id)
            )  # fmt: skip
            injections[(user_id, injection_id)] = attack.attack(user_task, injection_task)
    return AgentDojoSuite(parsed, task_suite, cases, approval=ATTACK_POLICY, _injections=injections)


@dataclass
class _Target:
    """The attacked pipeline as AgentDojo's attacks see it: only its name, from which the
    important_instructions attack takes the model's name; a local model is "Local model"."""

    name: str = "local"


def _attack(name: str, task_suite: Any) -> Any:
    registry = require("agentdojo.attacks.attack_registry")
    require("agentdojo.attacks")  # registers the shipped attacks
    if name not in SUPPORTED_ATTACKS:
        known = ", ".join(sorted(registry.ATTACKS))
        raise ExternalSuiteError(
            f"attack {name!r} is not supported here; supported: {', '.join(SUPPORTED_ATTACKS)} "
            f"(AgentDojo ships: {known})"
        )
    return registry.load_attack(name, task_suite, _Target())
