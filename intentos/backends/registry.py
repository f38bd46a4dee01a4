"""Model ids to backends: ``resolve("provider:rest")``.

The real backends are imported only when asked for: ``openai`` takes over a second to import,
and ``llama_cpp`` may not be installed at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from intentos.backends.base import Backend, BackendError
from intentos.backends.models import CATALOGUE, Progress
from intentos.backends.testing import ScriptedBackend

PROVIDERS: dict[str, str] = {
    "llama": f"llama:NAME_OR_PATH — an embedded model ({', '.join(CATALOGUE)}) or a GGUF "
    "file, run in-process by llama.cpp; e.g. llama:qwen2.5-coder-1.5b",
    "openai": "openai:MODEL[@URL] — OpenAI (OPENAI_API_KEY, OPENAI_BASE_URL) or the server at "
    "URL; e.g. openai:gpt-4o-mini",
    "openai-compat": "openai-compat:NAME@URL — any OpenAI-compatible server, no key sent "
    "(llama.cpp, vLLM, LM Studio); e.g. openai-compat:qwen@http://127.0.0.1:8080/v1",
    "ollama": "ollama:MODEL[@URL] — a model served by Ollama (OLLAMA_HOST); "
    "e.g. ollama:qwen2.5-coder:1.5b",
    "scripted": "scripted:PATH — replies from a JSON array of strings, for tests and demos; "
    "e.g. scripted:replies.json",
    "replay": "replay:RUNLOG[?model=ID&prompt=ID] — the workflows a run log recorded, answered "
    "again to grade them on this tree without a model; e.g. replay:~/bench-1/runs.sqlite",
}

_NAME_AT_URL = re.compile(r"(?P<name>[^@\s]+)(?:@(?P<url>https?://[^@\s]+))?")


def resolve(model_id: str, *, progress: Progress | None = None) -> Backend:
    """The backend a model id names; ``BackendError("unknown_model")`` if it names none.

    ``progress`` sees (bytes done, bytes total) while an embedded model is prepared.
    """
    provider, colon, rest = model_id.strip().partition(":")
    make = _FACTORIES.get(provider)
    if not colon or make is None:
        raise _unknown(model_id, f"unknown provider {provider!r}" if colon else "no provider")
    if not rest:
        raise _unknown(model_id, f"nothing after {provider}:")
    return make(model_id.strip(), rest, progress)


def help_text() -> str:
    """The model id forms, one a line, for error messages and ``--help``."""
    return "\n".join(f"  {description}" for description in PROVIDERS.values())


def _unknown(model_id: str, problem: str) -> BackendError:
    return BackendError(
        "unknown_model", f"cannot use model {model_id!r} ({problem}); the forms are:\n{help_text()}"
    )


def _name_and_url(model_id: str, rest: str) -> tuple[str, str | None]:
    match = _NAME_AT_URL.fullmatch(rest)
    if match is None:
        raise _unknown(model_id, "expected NAME or NAME@http://host:port/...")
    return match["name"], match["url"]


def _scripted(model_id: str, rest: str, progress: Progress | None) -> Backend:
    return ScriptedBackend.from_file(Path(rest).expanduser())


def _replay(model_id: str, rest: str, progress: Progress | None) -> Backend:
    from intentos.backends.replay import ReplayBackend  # noqa: PLC0415 - rarely used

    return ReplayBackend.from_spec(rest, model_id=model_id)


def _openai(model_id: str, rest: str, progress: Progress | None) -> Backend:
    from intentos.backends.openai_backend import OpenAIBackend  # noqa: PLC0415 - slow import

    name, url = _name_and_url(model_id, rest)
    return OpenAIBackend(name, base_url=url, model_id=model_id)


def _openai_compat(model_id: str, rest: str, progress: Progress | None) -> Backend:
    from intentos.backends.openai_backend import NO_KEY, OpenAIBackend  # noqa: PLC0415

    name, url = _name_and_url(model_id, rest)
    if url is None:
        raise _unknown(model_id, "openai-compat needs the server: NAME@http://host:port/v1")
    return OpenAIBackend(name, base_url=url, api_key=NO_KEY, model_id=model_id)


def _ollama(model_id: str, rest: str, progress: Progress | None) -> Backend:
    from intentos.backends.ollama_backend import OllamaBackend  # noqa: PLC0415 - slow import

    name, url = _name_and_url(model_id, rest)
    return OllamaBackend(name, host=url, model_id=model_id)


def _llama(model_id: str, rest: str, progress: Progress | None) -> Backend:
    from intentos.backends.llama_backend import LlamaBackend  # noqa: PLC0415 - needs llama_cpp

    return LlamaBackend(rest, progress=progress)


_FACTORIES: dict[str, Callable[[str, str, Progress | None], Backend]] = {
    "llama": _llama,
    "openai": _openai,
    "openai-compat": _openai_compat,
    "ollama": _ollama,
    "scripted": _scripted,
    "replay": _replay,
}
