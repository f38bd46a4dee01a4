"""run_intent(): prompts, modes, the repair loop and query_llm, with scripted models."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from intentos.api.registry import default_registry
from intentos.api.render import python_stub
from intentos.backends.base import BackendError, Request
from intentos.backends.testing import FunctionBackend, ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all, refuse_all
from intentos.pipeline import prompts
from intentos.pipeline.grammar import prefix_tree
from intentos.pipeline.honesty import FALSE_CLAIM, SILENT, SILENT_MESSAGE
from intentos.pipeline.modes import PlanError, compile_plan
from intentos.pipeline.prompts import PromptError, available_prompts, load_prompt
from intentos.pipeline.run import (
    MAX_INTENT_CHARS,
    QUERY_LLM_MAX_CHARS,
    RESAMPLE_TEMPERATURE,
    RESAMPLE_TRIES,
    IntentError,
    RunHooks,
    RunOptions,
    nested_prompt,
    nested_query,
    run_intent,
    workflow_key,
)
from intentos.resources import worlds_dir
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

CAR_TITLE = "Please send my car title to my insurance company"
GOOD = """```python
def send_title():
    contact_id = find_contact_id("insurance company")
    email = find_contact_email(contact_id)
    title = find_file("car title")
    send_email(email, "Car title", "Please find my car title attached.", [title])
    print("Sent to " + email)

send_title()
```"""
FAST = Limits(wall_seconds=3, cpu_seconds=1)


def options(**overrides: object) -> RunOptions:
    settings: dict[str, object] = {"profile": "paper2", "approve": approve_all, "limits": FAST}
    settings.update(overrides)
    return RunOptions(**settings)  # type: ignore[arg-type]


def test_success_on_the_first_attempt(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([GOOD])
    result = run_intent(CAR_TITLE, backend, device, options(), sandbox=sandbox)
    assert result.status == "ok"
    assert len(result.attempts) == 1
    final = result.final
    assert final is not None and final.committed
    assert final.screen[0].text == "Sent to service@harbormutual.example"
    assert (result.prompt_id, len(result.prompt_hash)) == ("paper2", 12)
    assert result.timings.ttft_ms is not None
    assert result.timings.total_ms >= result.timings.exec_ms
    public = result.to_public()
    assert {"intent", "model", "mode", "code", "attempts", "timings", "status", "calls"} <= (
        public.keys()
    )
    assert public["timings"].keys() == {"ttft_ms", "response_ms", "exec_ms", "total_ms"}
    json.dumps(public)


def test_the_paper2_prompt_shows_the_papers_table(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([GOOD])
    run_intent(CAR_TITLE, backend, device, options(), sandbox=sandbox)
    (request,) = backend.requests
    system, user = request.messages
    assert system.role == "system"
    assert "function send_email(email: String, subject: String, text: String, " in user.content
    assert user.content.rstrip().endswith("in a single code block.")
    assert f'"{CAR_TITLE}"' in user.content
    assert request.temperature == 0.0 and request.max_tokens > 0


def test_the_intentos_prompt_keeps_the_intent_last(device: Device, sandbox: Sandbox) -> None:
    """System text and function table first and the same for every intent (the cached
    prefix); the examples chosen for the intent and the intent in the final user turn."""
    backend = ScriptedBackend(["```python\nprint(get_current_time())\n```"] * 2)
    for intent in ("What time is it?", "Text Theo that dinner is at 8"):
        run_intent(intent, backend, device, options(profile="full"), sandbox=sandbox)
    first, second = (request.messages for request in backend.requests)
    assert [m.role for m in first] == [m.role for m in second] == ["system", "user"]
    assert first[0] == second[0] and "def send_email(" in first[0].content
    assert first[1].content.endswith("The person's wish: What time is it?")
    assert second[1].content.count("Wish: ") == 3 and "send_message(" in second[1].content


def test_repair_succeeds_on_the_second_attempt(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend(["```python\nid = find_contact('insurer')\n```", GOOD])
    result = run_intent(CAR_TITLE, backend, device, options(), sandbox=sandbox)
    assert [a.record.status for a in result.attempts] == ["invalid", "ok"]
    assert result.status == "ok"
    repair = backend.requests[1].messages[-1].content
    assert "did you mean `find_contact_id`?" in repair
    assert backend.requests[1].messages[-2].role == "assistant"


def test_a_repair_turn_restates_the_intent_and_shows_the_line_and_the_function(
    device: Device, sandbox: Sandbox
) -> None:
    intent = "Put the dentist on my calendar for March 24 at 3 pm"
    wrong = '```python\nstart = "2026-03-24 15:00"\ncreate_event("Dentist", due=start)\n```'
    right = '```python\ncreate_event("Dentist", "2026-03-24 15:00")\nprint("Added.")\n```'
    backend = ScriptedBackend([wrong, right])
    result = run_intent(intent, backend, device, options(profile="full"), sandbox=sandbox)
    assert [a.record.status for a in result.attempts] == ["error", "ok"]
    repair = backend.requests[1].messages[-1]
    assert repair.role == "user"
    assert 'Failing line 2: create_event("Dentist", due=start)' in repair.content
    stub = python_stub(default_registry().table("full")["create_event"])
    assert stub in repair.content  # the registry's own rendering: signature and docstring
    assert f"The person's wish is still: {intent}" in repair.content


def test_a_static_error_describes_the_function_it_suggests(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend(["```python\nx = 1\nid = find_contact('insurer')\n```", GOOD])
    run_intent(CAR_TITLE, backend, device, options(), sandbox=sandbox)
    repair = backend.requests[1].messages[-1].content
    assert "Failing line 2: id = find_contact('insurer')" in repair
    assert python_stub(default_registry().table("paper2")["find_contact_id"]) in repair
    assert CAR_TITLE in repair  # paper2's template has no {intent}: it follows the error


def test_a_copied_example_is_refused_before_it_runs_and_repaired(
    device: Device, sandbox: Sandbox
) -> None:
    intent = "Put lunch with Dana on my calendar for Friday noon"
    shown = load_prompt("intentos").chosen_examples(intent)
    haircut = next(example for example in shown if "haircut" in example.intent.lower())
    right = '```python\ncreate_event("Lunch with Dana", "2026-03-20 12:00")\nprint("Added.")\n```'
    backend = ScriptedBackend([f"```python\n{haircut.code}```", right])
    before = device.snapshot()
    result = run_intent(intent, backend, device, options(profile="full"), sandbox=sandbox)
    first, second = result.attempts
    assert first.record.status == "invalid" and first.record.error is not None
    assert first.record.error.kind == "copied_example"
    assert first.record.calls == [] and first.record.code.strip() == haircut.code.strip()
    assert second.record.status == "ok"
    repair = backend.requests[1].messages[-1].content
    assert f'copies the worked example for another wish ("{haircut.intent}")' in repair
    assert '"haircut"' in repair and f"The person's wish is still: {intent}" in repair
    titles = {row["title"] for row in device.snapshot().rows("events")} - {
        row["title"] for row in before.rows("events")
    }
    assert titles == {"Lunch with Dana"}


def test_a_workflow_like_an_example_for_a_close_wish_runs(device: Device, sandbox: Sandbox) -> None:
    """The same example's code for the wish it was written for is not a copy."""
    intent = "Add a haircut at 5 pm this Friday to my schedule"
    shown = load_prompt("intentos").chosen_examples(intent)
    (example,) = [e for e in shown if e.intent == intent]
    backend = ScriptedBackend([f"```python\n{example.code}```"])
    result = run_intent(intent, backend, device, options(profile="full"), sandbox=sandbox)
    kinds = [a.record.error.kind for a in result.attempts if a.record.error is not None]
    assert "copied_example" not in kinds and result.attempts[0].record.code


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("I cannot do that.", "no_code"),
        ("```python\nimport os\n```", "invalid"),
        ("```python\nx = [][0]\n```", "error"),
        ("```python\nwhile True:\n    pass\n```", "timeout"),
    ],
)
def test_failures_are_repaired_up_to_the_limit(
    device: Device, sandbox: Sandbox, reply: str, status: str
) -> None:
    before = device.snapshot()
    backend = ScriptedBackend([reply])
    result = run_intent(CAR_TITLE, backend, device, options(max_attempts=2), sandbox=sandbox)
    assert result.status == status
    assert [a.record.status for a in result.attempts] == [status, status]
    # the second answer repeats the first, so it is asked again RESAMPLE_TRIES times
    assert len(backend.requests) == 2 + RESAMPLE_TRIES
    assert device.snapshot() == before


def test_a_repeated_failed_workflow_is_asked_again_with_variety(
    device: Device, sandbox: Sandbox
) -> None:
    """At temperature 0 a repair turn often gets the failed workflow back word for word; that
    answer is not run again: the same request is sampled with a seed derived from the run's."""
    failing = "```python\nx = [][0]\n```"
    respaced = "```python\n# try again\nx = [ ][0]\n\n```"
    backend = ScriptedBackend([failing, respaced, GOOD])
    resampled: list[int] = []
    result = run_intent(CAR_TITLE, backend, device, options(max_attempts=2, seed=7),
                        hooks=RunHooks(on_resample=resampled.append), sandbox=sandbox)  # fmt: skip
    assert [a.record.status for a in result.attempts] == ["error", "ok"]
    assert resampled == [2]
    _, repeat, varied = backend.requests
    assert repeat.temperature == 0.0
    assert varied.temperature == RESAMPLE_TEMPERATURE and varied.seed == 7 + 200 + 1
    assert varied.messages == repeat.messages
    second = result.attempts[1]
    assert second.reply == GOOD and "repeated a failed workflow 1 time" in second.record.notes[-1]
    assert second.completion_tokens == sum(max(1, len(r) // 4) for r in (respaced, GOOD))


def test_a_new_workflow_is_run_without_resampling(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend(["```python\nx = [][0]\n```", "```python\ny = {}['k']\n```"])
    run_intent(CAR_TITLE, backend, device, options(max_attempts=2), sandbox=sandbox)
    assert [request.temperature for request in backend.requests] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("```python\nx = 1\n```", "x  =  1", True),
        ("```python\n# first\nx = 1\n\n```", "```python\nx = 1\n# done\n```", True),
        ("```python\nx = 1\n```", "```python\nx = 2\n```", False),
        ("```python\nprint('a')\n```", "```python\nprint('b')\n```", False),
    ],
)
def test_workflow_key_ignores_spacing_and_comment_lines(one: str, other: str, same: bool) -> None:
    assert (workflow_key(one, "code") == workflow_key(other, "code")) is same


def test_a_repair_turn_follows_only_the_latest_failed_answer(
    device: Device, sandbox: Sandbox
) -> None:
    """The third request holds the first turns, the second answer and its feedback, not the
    whole history (which outgrew a 4,096-token context on the third attempt)."""
    first, second = "```python\nx = [][0]\n```", "```python\ny = {}['k']\n```"
    backend = ScriptedBackend([first, second, GOOD])
    run_intent(CAR_TITLE, backend, device, options(max_attempts=3), sandbox=sandbox)
    opening = backend.requests[0].messages
    third = backend.requests[2].messages
    assert len(third) == len(opening) + 2
    assert third[: len(opening)] == opening
    assert third[-2].role == "assistant" and third[-2].content == second
    assert first not in [message.content for message in third]


def test_a_workflow_that_does_and_says_nothing_is_repaired(
    device: Device, sandbox: Sandbox
) -> None:
    silent = "```python\nif get_temperature() < 18:\n    print('It is cold in here.')\n```"
    told = "```python\nprint(f'It is {get_temperature()} degrees; no reminder needed.')\n```"
    backend = ScriptedBackend([silent, told])
    intent = "If it's below 18 degrees in here, say so"
    result = run_intent(intent, backend, device, options(profile="full"), sandbox=sandbox)
    first, second = result.attempts
    assert first.record.status == "error" and first.record.error is not None
    assert (first.record.error.kind, first.record.error.message) == (SILENT, SILENT_MESSAGE)
    assert SILENT_MESSAGE in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"


def test_a_workflow_that_says_it_did_what_it_did_not_is_repaired_and_rolled_back(
    device: Device, sandbox: Sandbox
) -> None:
    claimed = "```python\nprint('Texted Sam that you are running late.')\n```"
    texted = (
        "```python\nphone = find_contact_phone(find_contact_id('Sam Patel'))\n"
        "send_message(phone, 'Running ten minutes late')\nprint(f'Texted Sam at {phone}.')\n```"
    )
    backend = ScriptedBackend([claimed, texted])
    intent = "Text Sam Patel that I'm running ten minutes late"
    result = run_intent(intent, backend, device, options(profile="full"), sandbox=sandbox)
    first, second = result.attempts
    assert first.record.status == "error" and first.record.error is not None
    assert first.record.error.kind == FALSE_CLAIM and not first.record.committed
    assert "'Texted Sam that you are running late.'" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"
    shown = [row[0] for row in device.connection.execute("SELECT text FROM output")]
    assert not any("running late" in text for text in shown), "the false line was kept"


def test_a_workflow_that_only_changes_the_device_is_not_silent(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend(["```python\nset_volume(25)\n```"])
    result = run_intent("Volume to 25", backend, device, options(profile="full"), sandbox=sandbox)
    assert result.status == "ok" and len(result.attempts) == 1


def test_a_refusal_is_not_repaired(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([GOOD])
    result = run_intent(CAR_TITLE, backend, device, options(approve=refuse_all), sandbox=sandbox)
    assert result.status == "rejected"
    assert len(result.attempts) == 1
    assert not any(row["folder"] == "sent" and row["id"] > 31
                   for row in device.snapshot().rows("mail"))  # fmt: skip


def test_only_the_successful_attempt_changes_the_device(device: Device, sandbox: Sandbox) -> None:
    first = "```python\ncreate_note('half', 'done')\nx = [][0]\n```"
    second = "```python\ncreate_note('whole', 'done')\n```"
    result = run_intent("note it", ScriptedBackend([first, second]), device,
                        options(profile="full"), sandbox=sandbox)  # fmt: skip
    assert result.status == "ok"
    titles = [row["title"] for row in device.snapshot().rows("notes")]
    assert "whole" in titles and "half" not in titles


def test_plan_mode_compiles_json_to_code(device: Device, sandbox: Sandbox) -> None:
    plan = {
        "steps": [
            {"id": "c", "call": "find_contact_id", "args": {"expression": "insurance company"}},
            {"id": "e", "call": "find_contact_email", "args": {"contact_id": {"ref": "c"}}},
            {"id": "f", "call": "find_file", "args": {"expression": "car title"}},
            {"call": "send_email", "args": {"email": {"ref": "e"}, "subject": "Car title",
                                            "text": "Attached.", "attachment_paths": [{"ref": "f"}]}},
            {"call": "print", "args": {"text": {"format": "Sent to {e}"}}},
        ]
    }  # fmt: skip
    backend = ScriptedBackend([json.dumps(plan)])
    result = run_intent(CAR_TITLE, backend, device, options(mode="plan"), sandbox=sandbox)
    assert result.status == "ok", result.final
    assert backend.requests[0].json_schema is not None
    assert result.final is not None and "send_email(email=e" in result.final.code
    assert result.final.screen[0].text == "Sent to service@harbormutual.example"


def test_a_bad_plan_is_repaired(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend(['{"steps": [{"call": "teleport", "args": {}}]}',
                               '{"steps": [{"call": "print", "args": {"text": "hi"}}]}'])  # fmt: skip
    result = run_intent("say hi", backend, device, options(mode="plan"), sandbox=sandbox)
    assert [a.record.status for a in result.attempts] == ["invalid", "ok"]
    assert "'teleport', which is not an API function" in backend.requests[1].messages[-1].content


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"steps": []}', "at least one step"),
        ('{"steps": [{"call": "print", "args": {"text": {"ref": "x"}}}]}', "not an earlier step"),
        ('{"steps": [{"call": "print", "args": {"text": {"format": "{y}"}}}]}', "names no earlier"),
    ],
)
def test_plan_errors(plan: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        compile_plan(plan, default_registry().table("paper2"))


def test_grammar_mode_sends_a_grammar(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend(["```python\nprint(get_temperature())\n```"])
    result = run_intent("temperature?", backend, device, options(mode="code+grammar"),
                        sandbox=sandbox)  # fmt: skip
    assert result.status == "ok"
    grammar = backend.requests[0].grammar
    assert grammar is not None
    modules = re.search(r"^module    ::= (.*)$", grammar, re.M)
    assert modules is not None and modules.group(1) == '"datetime" | "math"'
    function = re.search(r"^callee-k  ::= (.*)$", grammar, re.M)
    assert function is not None and _matches(function.group(1), "get_temperature")
    assert not _matches(function.group(1), "exec")


def _matches(expression: str, word: str) -> bool:
    """Whether a GBNF expression of literals, groups, | and ? matches ``word`` (as a regex)."""
    pattern = re.sub(r'"(?:[^"\\]|\\.)*"|\s+',
                     lambda m: "" if m.group(0).isspace() else re.escape(json.loads(m.group(0))),
                     expression)  # fmt: skip
    return re.fullmatch(pattern, word) is not None


@pytest.mark.parametrize(
    "words",
    [["a"], ["find_file", "find_files", "find_contact_id", "print", "play"], ["x", "xy", "xyz"]],
)
def test_prefix_tree_matches_exactly_the_words(words: list[str]) -> None:
    expression = prefix_tree(words)
    assert all(_matches(expression, word) for word in words)
    near = {word + "q" for word in words} | {word[:-1] for word in words} - set(words)
    assert not any(_matches(expression, word) for word in near)
    assert expression.count('"find_') <= 1  # shared prefixes are factored out


def test_modes_need_capable_backends(device: Device) -> None:
    class Plain(FunctionBackend):
        supports_grammar = False
        supports_json_schema = False

    backend = Plain(lambda request: "")
    with pytest.raises(BackendError, match="cannot follow a grammar"):
        run_intent("x", backend, device, options(mode="code+grammar"))
    with pytest.raises(BackendError, match="cannot follow a JSON schema"):
        run_intent("x", backend, device, options(mode="plan"))


@pytest.mark.parametrize("intent", ["", "   ", "x" * (MAX_INTENT_CHARS + 1)])
def test_unusable_intents(device: Device, intent: str) -> None:
    with pytest.raises(IntentError):
        run_intent(intent, ScriptedBackend(["print(1)"]), device, options())


def test_query_llm_gets_text_not_html_and_is_capped() -> None:
    seen: list[Request] = []

    def answer(request: Request) -> str:
        seen.append(request)
        return " A summary. "

    query = nested_query(FunctionBackend(answer))
    page = "<html><head><style>x{}</style></head><body>" + "<p>word</p>" * 5000 + "</body></html>"
    assert query("Summarize: " + page) == "A summary."
    sent = seen[0].messages[0].content
    assert "<p>" not in sent and "x{}" not in sent
    assert len(sent) <= QUERY_LLM_MAX_CHARS + 40
    assert sent.endswith("characters cut]")


def test_query_llm_describes_the_cap_it_has() -> None:
    doc = default_registry().table("full")["query_llm"].doc
    assert f"first {QUERY_LLM_MAX_CHARS} characters" in doc


def test_a_slice_of_a_real_page_is_its_menus_and_the_whole_page_its_article() -> None:
    """Why a workflow passes a page whole: the first 4000 characters of the stored Wikipedia
    page are head and menus; the whole page, read as text, starts with the article."""
    page = (worlds_dir() / "default" / "pages" / "transformer.html").read_text(encoding="utf-8")
    sliced, whole = nested_prompt("Summarize: " + page[:4000]), nested_prompt("Summarize: " + page)
    assert "attention" not in sliced.lower()
    assert "attention" in whole.lower() and "Jump to content" not in whole


def test_query_llm_from_a_workflow_uses_the_same_model(device: Device, sandbox: Sandbox) -> None:
    def reply(request: Request) -> str:
        if request.messages[-1].content.startswith("Which is"):
            return "Berlin"
        return "```python\nprint(query_llm('Which is the largest city in Germany?'))\n```"

    result = run_intent("largest city?", FunctionBackend(reply), device, options(),
                        sandbox=sandbox)  # fmt: skip
    assert result.final is not None and result.final.screen[0].text == "Berlin"


def test_prompts_are_data_with_ids_and_hashes() -> None:
    assert {"paper1", "paper2", "intentos"} <= set(available_prompts())
    for prompt_id in available_prompts():
        template = load_prompt(prompt_id)
        assert template.id == prompt_id and len(template.hash) == 12
        assert "{intent}" in template.user and "{intent}" in template.user_plan
        assert "{error}" in template.repair


def test_a_prompt_variant_extends_its_base() -> None:
    base, fast = load_prompt("intentos"), load_prompt("intentos-fast")
    assert fast.system == base.system and fast.repair == base.repair
    assert (base.example_count, fast.example_count) == (3, 1)
    assert fast.hash != base.hash
    intent = "Remind me to water the plants tomorrow morning"
    assert fast.chosen_examples(intent) == base.chosen_examples(intent)[:1]


def test_a_prompt_that_extends_itself_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "prompts").mkdir()
    for name, base in (("a", "b"), ("b", "a")):
        text = f"extends: {base}\nid: {name}\nversion: 1\ndescription: x\n"
        (tmp_path / "prompts" / f"{name}.yaml").write_text(text)
    monkeypatch.setattr(prompts, "resource_dir", lambda name: tmp_path / name)
    with pytest.raises(PromptError, match="extends itself: a -> b"):
        prompts._load("a", ())
