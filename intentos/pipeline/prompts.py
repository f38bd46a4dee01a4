"""Prompt templates: YAML files in ``prompts/``, identified by id and content hash.

A template renders to chat messages whose long stable part — system text, function table,
worked examples — comes first and whose intent comes last, so a local model can reuse the
evaluated prefix between intents.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from intentos.api.registry import ApiFunction
from intentos.api.render import Style, render_table
from intentos.backends.base import Message
from intentos.errors import IntentosError
from intentos.resources import resource_dir

DEFAULT_PROMPT_FOR_PROFILE = {"paper1": "paper1", "paper2": "paper2"}
DEFAULT_PROMPT = "intentos"


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
    hash: str = ""

    def messages(
        self,
        intent: str,
        functions: list[ApiFunction],
        mode: Literal["code", "plan"] = "code",
        plan_format: str = "",
    ) -> list[Message]:
        """System, worked examples (as earlier turns), then the intent. The function table is
        rendered once and goes wherever the template names ``{functions}``."""
        table = render_table(functions, self.table_style)
        result = [Message("system", self.system.replace("{functions}", table))]
        for example in self.examples:
            result.append(Message("user", example.intent))
            result.append(Message("assistant", f"```python\n{example.code.rstrip()}\n```"))
        template = self.user_plan if mode == "plan" else self.user
        user = (
            template.replace("{functions}", table)
            .replace("{plan_format}", plan_format)
            .replace("{intent}", intent)  # last: braces in the intent are not expanded
        )
        result.append(Message("user", user))
        return result

    def repair_message(self, error: str) -> Message:
        return Message("user", self.repair.replace("{error}", error))


def available_prompts() -> list[str]:
    return sorted(path.stem for path in resource_dir("prompts").glob("*.yaml"))


@cache
def load_prompt(prompt_id: str) -> PromptTemplate:
    path = resource_dir("prompts") / f"{prompt_id}.yaml"
    if not path.is_file():
        raise PromptError(
            f"no prompt {prompt_id!r}; choose one of {', '.join(available_prompts())}"
        )
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
        template = PromptTemplate.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise PromptError(f"{path}: not a valid prompt template: {exc}") from exc
    if template.id != prompt_id:
        raise PromptError(f"{path}: its id is {template.id!r}, expected {prompt_id!r}")
    return template.model_copy(update={"hash": hashlib.sha256(raw).hexdigest()[:12]})


def prompt_for(profile: str, requested: str | None) -> PromptTemplate:
    return load_prompt(requested or DEFAULT_PROMPT_FOR_PROFILE.get(profile, DEFAULT_PROMPT))
