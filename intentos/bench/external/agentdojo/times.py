"""Times between a workflow and AgentDojo's tools, in the form the tools document.

AgentDojo's tools take times as text of one form, stated in each parameter's description
("Must be in format YYYY-MM-DD HH:MM"), and fail on any other. A workflow handles times as
intentos' do: a ``datetime`` from its own ``datetime`` module crosses the sandbox as ISO text
('2024-05-19T12:00:00'), and the 1.5B wrote ISO text in 4 of the 40 v1 workspace tasks. So:

* a time given to a tool is written in the form that parameter requires, when it is a time
  at all (ISO text in any of Python's forms); anything else reaches the tool as it was, and a
  date where a time of day is required is left for the tool to refuse;
* a time a tool returns reaches the workflow in its tools' form (:data:`TOOL_TIME`), so what
  a workflow reads it can hand back and parse as the descriptions say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

TOOL_TIME = "%Y-%m-%d %H:%M"
# A form as the descriptions write it, and as strftime does; longest first.
FORMS: tuple[tuple[str, str], ...] = (("YYYY-MM-DD HH:MM", TOOL_TIME), ("YYYY-MM-DD", "%Y-%m-%d"))


def required_form(description: str) -> str | None:
    """The strftime form a parameter's description requires, if it names one."""
    return next((form for written, form in FORMS if f"format {written}" in description), None)


def in_form(value: Any, form: str) -> Any:
    """``value`` written in ``form`` when it is ISO time text; otherwise as it is."""
    if not isinstance(value, str):
        return value
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return value
    has_time = len(value.strip()) > len("2024-05-19")
    if "%H" in form and not has_time:
        return value  # a day where a time of day is required: the tool says what is wrong
    return moment.strftime(form)


def arguments_in_form(arguments: dict[str, Any], forms: Mapping[str, str]) -> dict[str, Any]:
    """The bound ``arguments`` of one call with each time in its parameter's form."""
    return {name: in_form(value, forms[name]) if name in forms else value
            for name, value in arguments.items()}  # fmt: skip


def results_in_form(value: Any) -> Any:
    """A tool's result as plain data with every datetime in it written in :data:`TOOL_TIME`."""
    if isinstance(value, dt.datetime):
        return value.strftime(TOOL_TIME)
    if isinstance(value, BaseModel):
        return {name: results_in_form(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {key: results_in_form(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [results_in_form(item) for item in value]
    return value
