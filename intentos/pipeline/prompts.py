"""Prompt templates: YAML files in ``prompts/``, identified by id and content hash.

A template renders to chat messages whose long stable part comes first and whose intent comes
last, so a local model can reuse the evaluated prefix between intents. intentos' own prompt
sends two messages:

1. **system** — the rules and the function table; the same for every intent, so it is the
   prefix the llama backend evaluates once and persists (everything before the final user turn);
2. **user** — the worked examples closest to this intent, chosen from a library in
   ``prompts/examples/`` (:mod:`intentos.pipeline.examples`), then the intent itself.

The chosen examples change with the intent, so they go in the final user turn: as earlier
turns they would become part of the prefix and make it differ from one intent to the next.
A template may also carry fixed ``examples``, shown as earlier user/assistant turns.
A template's hash covers its file and the example library it draws from.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from intentos.api.registry import ApiFunction, default_registry
from intentos.api.render import Style, render_table
from intentos.backends.base import Message
from intentos.errors import IntentosError
from intentos.pipeline.examples import (
    DEFAULT_K,
    ExampleError,
    ExampleLibrary,
    WorkedExample,
    load_library,
)
from intentos.pipeline.relevant import DEFAULT_RELEVANT_COUNT, relevant_functions
from intentos.resources import resource_dir

DEFAULT_PROMPT_FOR_PROFILE = {"paper1": "paper1", "paper2": "paper2"}
DEFAULT_PROMPT = "intentos"
_PLACEHOLDER = re.compile(r"\{(functions|plan_format|examples|intent|code)\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with its ``{name}`` placeholders of ``values`` replaced in one pass, so
    braces in the inserted text (an intent, a workflow's f-strings) are never expanded."""
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), template)


class PromptError(IntentosError):
    """A prompt template is missing or malformed."""


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intent: str
    code: str


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    version: int
    description: str
    table_style: Style = "paper"
    system: str
    user: str
    user_plan: str
    repair: str
    examples: list[Example] = Field(default_factory=list)
    # The examples closest to the intent, from prompts/examples/<example_library>.yaml, go
    # where the user templates say {examples}: examples_intro, then each in example_format.
    example_library: str | None = None
    example_count: int = Field(default=DEFAULT_K, ge=0)
    examples_intro: str = ""
    example_format: str = "{intent}\n```python\n{code}```\n\n"
    # "all" describes every function where a template says {functions}; "relevant" describes
    # the few the intent most likely needs (intentos/pipeline/relevant.py) and names the rest
    # in other_functions. Only "all" keeps {functions} the same for every intent.
    function_table: Literal["all", "relevant"] = "all"
    relevant_count: int = Field(default=DEFAULT_RELEVANT_COUNT, ge=1)
    other_functions: str = "Other API functions, not described here: {names}\n"
    hash: str = ""

    @model_validator(mode="after")
    def _relevant_table_stays_out_of_the_prefix(self) -> PromptTemplate:
        if self.function_table == "relevant" and "{functions}" in self.system:
            raise ValueError(
                "function_table: relevant changes {functions} with every intent; put it in the "
                "user templates, not in system (the prefix a local model keeps evaluated)"
            )
        return self

    @model_validator(mode="after")
    def _examples_have_a_place(self) -> PromptTemplate:
        if self.example_library is not None:
            for name in ("user", "user_plan"):
                if "{examples}" not in getattr(self, name):
                    raise ValueError(f"{name} must say where the chosen examples go: {{examples}}")
        return self

    def chosen_examples(
        self, intent: str, functions: Sequence[ApiFunction] | None = None
    ) -> list[WorkedExample]:
        """The library examples this template shows for ``intent`` (none without a library),
        drawn from those that fit the table of ``functions`` (:func:`examples_for_table`;
        without ``functions``, those written for the full API)."""
        if self.example_library is None:
            return []
        table = None
        if functions is not None:
            table = tuple((function.name, function.signature) for function in functions)
        library = examples_for_table(self.example_library, table)
        return library.select(intent, self.example_count)

    def examples_text(self, intent: str, chosen: list[WorkedExample] | None = None) -> str:
        chosen = self.chosen_examples(intent) if chosen is None else chosen
        if not chosen:
            return ""
        shown = (fill(self.example_format, {"intent": e.intent, "code": e.code}) for e in chosen)
        return self.examples_intro + "".join(shown)

    def messages(
        self,
        intent: str,
        functions: list[ApiFunction],
        mode: Literal["code", "plan"] = "code",
        plan_format: str = "",
    ) -> list[Message]:
        """System, fixed examples (as earlier turns), then the final user turn: the examples
        chosen for this intent and the intent. The function table is rendered once and goes
        wherever the template names ``{functions}``."""
        chosen = self.chosen_examples(intent, functions)
        table = self.function_table_text(intent, functions, chosen)
        result = [Message("system", fill(self.system, {"functions": table}))]
        for example in self.examples:
            result.append(Message("user", example.intent))
            result.append(Message("assistant", f"```python\n{example.code.rstrip()}\n```"))
        template = self.user_plan if mode == "plan" else self.user
        values = {
            "functions": table,
            "plan_format": plan_format,
            "examples": self.examples_text(intent, chosen),
            "intent": intent,
        }
        result.append(Message("user", fill(template, values)))
        return result

    def function_table_text(
        self, intent: str, functions: list[ApiFunction], chosen: list[WorkedExample]
    ) -> str:
        """What ``{functions}`` becomes: every function described, or (``relevant``) the few
        the intent most likely needs described and the others named."""
        if self.function_table == "all":
            return render_table(functions, self.table_style)
        shown = relevant_functions(intent, functions, chosen, self.relevant_count)
        names = {function.name for function in shown}
        others = [function.name for function in functions if function.name not in names]
        table = render_table(shown, self.table_style)
        if not others:
            return table
        return f"{table.rstrip()}\n{self.other_functions.replace('{names}', ', '.join(others))}"

    def repair_message(self, error: str) -> Message:
        return Message("user", self.repair.replace("{error}", error))


@cache
def examples_for_table(
    library: str, table: tuple[tuple[str, inspect.Signature], ...] | None
) -> ExampleLibrary:
    """The part of ``library`` a prompt showing ``table`` (names and signatures) draws on:

    * the examples written for the full API that call no API function (of any profile)
      outside ``table``, and call those with arguments its signatures take (paper2's
      ``send_email`` has ``attachment_paths`` where ours has ``attachments``): the paper2
      profile was shown examples calling ``list_files`` and ``search_web``, and the 1.5B
      called them;
    * the examples written for the profile whose table this is (``profile: paper2``), which
      no other table is shown.

    ``table=None`` means the full API's examples. Worked out once per table: parsing every
    example for every prompt doubled a run's overhead."""
    whole = load_library(library)
    if table is None:
        return whole.restricted(lambda example: example.profile == "full")
    signatures = dict(table)
    registry = default_registry()
    elsewhere = {function.name for function in registry.all_functions()} - set(signatures)
    own = {
        profile
        for profile in registry.profiles
        if tuple((f.name, f.signature) for f in registry.table(profile).values()) == table
    }

    def fits(example: WorkedExample) -> bool:
        if example.profile != "full" and example.profile not in own:
            return False
        return elsewhere.isdisjoint(example.api_calls()) and _fits(example.code, signatures)

    return whole.restricted(fits)


def _fits(code: str, signatures: Mapping[str, inspect.Signature]) -> bool:
    for node in ast.walk(ast.parse(code)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        signature = signatures.get(node.func.id)
        if signature is None or any(isinstance(a, ast.Starred) for a in node.args):
            continue
        if any(keyword.arg is None for keyword in node.keywords):
            continue
        try:
            signature.bind(*node.args, **{k.arg: k.value for k in node.keywords if k.arg})
        except TypeError:
            return False
    return True


def available_prompts() -> list[str]:
    return sorted(path.stem for path in resource_dir("prompts").glob("*.yaml"))


@cache
def load_prompt(prompt_id: str) -> PromptTemplate:
    """The template ``prompts/<prompt_id>.yaml``; one that says ``extends: BASE`` takes BASE's
    fields and replaces those it gives."""
    return _load(prompt_id, ())


def _load(prompt_id: str, extending: tuple[str, ...]) -> PromptTemplate:
    if prompt_id in extending:
        raise PromptError(f"prompt {prompt_id!r} extends itself: {' -> '.join(extending)}")
    path = resource_dir("prompts") / f"{prompt_id}.yaml"
    if not path.is_file():
        raise PromptError(
            f"no prompt {prompt_id!r}; choose one of {', '.join(available_prompts())}"
        )
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
        base = data.pop("extends", None) if isinstance(data, dict) else None
        if base is not None:  # a variant: the base template's fields, some replaced
            parent = _load(str(base), (*extending, prompt_id))
            data = {**parent.model_dump(exclude={"hash"}), **data}
            raw += parent.hash.encode()
        template = PromptTemplate.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise PromptError(f"{path}: not a valid prompt template: {exc}") from exc
    if template.id != prompt_id:
        raise PromptError(f"{path}: its id is {template.id!r}, expected {prompt_id!r}")
    digest = hashlib.sha256(raw)
    if template.example_library is not None:
        try:
            digest.update(load_library(template.example_library).digest.encode())
        except ExampleError as exc:
            raise PromptError(f"{path}: {exc}") from exc
    return template.model_copy(update={"hash": digest.hexdigest()[:12]})


def prompt_for(profile: str, requested: str | None) -> PromptTemplate:
    return load_prompt(requested or DEFAULT_PROMPT_FOR_PROFILE.get(profile, DEFAULT_PROMPT))
