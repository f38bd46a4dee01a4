"""The in-process llama.cpp backend, with the embedded 0.5B model (``-m model``)."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp")  # never skipped in CI: see pytest_configure in conftest.py

from intentos.api.registry import Registry
from intentos.backends.base import (
    BackendError,
    Message,
    Request,
    allow_model_requests,
    model_requests_allowed,
)
from intentos.backends.llama_backend import (
    STATE_SUFFIX,
    LlamaBackend,
    PrefixStore,
    check_grammar,
)
from intentos.codegen.policy import SAFE_BUILTINS
from intentos.pipeline.grammar import python_grammar

N_CTX = 2048
SYSTEM = "You answer questions about the functions below in one short sentence.\n" + "\n".join(
    f"def f{n}(x: int) -> int:  # returns x plus {n}, or x times {n} when x is even"
    for n in range(7)
)


@pytest.fixture(autouse=True)
def _real_requests() -> Iterator[None]:
    previous = model_requests_allowed()
    allow_model_requests(True)
    yield
    allow_model_requests(previous)


@pytest.fixture(scope="module")
def backend(small_model: Path) -> Iterator[LlamaBackend]:
    opened = LlamaBackend(str(small_model), n_ctx=N_CTX, prefix_cache=False)
    yield opened
    opened.close()


def ask(
    question: str,
    *,
    max_tokens: int = 16,
    grammar: str | None = None,
    json_schema: dict[str, object] | None = None,
) -> Request:
    messages = (Message("system", "You are terse."), Message("user", question))
    return Request(messages, max_tokens=max_tokens, grammar=grammar, json_schema=json_schema)


def with_prefix(question: str) -> Request:
    messages = (
        Message("system", SYSTEM),
        Message("user", "What does f2 return for 3?"),
        Message("assistant", "5"),
        Message("user", question),
    )
    return Request(messages, max_tokens=12)


@pytest.mark.model
def test_streamed_completion_is_deterministic(backend: LlamaBackend) -> None:
    deltas = list(backend.stream(ask("Name the three primary colours.")))
    text = "".join(delta.text for delta in deltas)
    assert sum(1 for delta in deltas if delta.text) > 1  # streamed in pieces
    usage = deltas[-1].usage
    assert usage is not None and usage.prompt_tokens is not None
    assert usage.completion_tokens is not None
    assert usage.prompt_tokens > 10 and 0 < usage.completion_tokens <= 16
    assert backend.complete(ask("Name the three primary colours.")).text == text != ""


@pytest.mark.model
def test_an_answer_stopped_at_max_tokens_is_cut_off(backend: LlamaBackend) -> None:
    cut = backend.complete(ask("Count from 1 to 100, separated by commas.", max_tokens=5))
    assert cut.cut_off and cut.usage.completion_tokens == 5
    finished = backend.complete(ask("Is the sky green?", grammar='root ::= "yes" | "no"'))
    assert not finished.cut_off


@pytest.mark.model
def test_gbnf_grammar_constrains_the_answer(backend: LlamaBackend) -> None:
    request = ask("Is the sky green? Explain at length.", grammar='root ::= "yes" | "no"')
    assert backend.complete(request).text in {"yes", "no"}
    with pytest.raises(BackendError) as caught:
        backend.complete(ask("Hi", grammar="root ::= undefined-rule"))
    assert caught.value.kind == "request" and "undefined-rule" in str(caught.value)


@pytest.mark.model
def test_json_schema_constrains_the_answer(backend: LlamaBackend) -> None:
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string", "maxLength": 24},
            "population": {"type": "integer"},
        },
        "required": ["city", "population"],
        "additionalProperties": False,
    }
    answer = backend.complete(
        ask("The largest city of France, as JSON.", json_schema=schema, max_tokens=40)
    )
    value = json.loads(answer.text)
    assert set(value) == {"city", "population"}
    assert isinstance(value["city"], str) and isinstance(value["population"], int)


@pytest.mark.model
@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (None, "model_missing"),
        (b"not a model at all\n", "model_corrupt"),
        ("head", "model_corrupt"),
    ],
    ids=["missing", "not-gguf", "truncated-gguf"],
)
def test_bad_model_files_are_backend_errors(
    small_model: Path, tmp_path: Path, content: bytes | str | None, kind: str
) -> None:
    path = tmp_path / "model.gguf"
    if content == "head":
        with small_model.open("rb") as source:
            path.write_bytes(source.read(1 << 20))
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(BackendError) as caught:
        LlamaBackend(str(path), n_ctx=N_CTX).complete(ask("Hi"))
    assert caught.value.kind == kind
    assert str(path) in str(caught.value)


@pytest.mark.model
def test_prefix_state_is_saved_and_restored_by_a_fresh_backend(
    small_model: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "prefix-cache"
    question = with_prefix("What does f7 return for 4?")

    cold = LlamaBackend(str(small_model), n_ctx=N_CTX, cache_dir=cache)
    cold_text = cold.complete(question).text
    assert cold.last_prefix.evaluated > 100 and cold.last_prefix.saved
    assert len(list(cache.glob(f"*{STATE_SUFFIX}"))) == 1
    cold.close()

    fresh = LlamaBackend(str(small_model), n_ctx=N_CTX, cache_dir=cache)
    assert fresh.complete(question).text == cold_text
    assert fresh.last_prefix_tokens_restored == cold.last_prefix.prefix_tokens > 100
    assert fresh.last_prefix.evaluated == 0

    fresh.complete(with_prefix("What does f3 return for 5?"))  # warm: same process
    assert fresh.last_prefix.reused > 100 and fresh.last_prefix.restored == 0
    assert fresh.complete(question).text == cold_text
    fresh.close()

    warmed = LlamaBackend(str(small_model), n_ctx=N_CTX, cache_dir=cache)
    assert warmed.warm(question.messages[:-1]) == cold.last_prefix.prefix_tokens
    assert warmed.last_prefix.restored == cold.last_prefix.prefix_tokens
    warmed.close()


@pytest.mark.model
def test_a_damaged_state_file_is_replaced(small_model: Path, tmp_path: Path) -> None:
    cache = tmp_path / "prefix-cache"
    question = with_prefix("What does f1 return for 1?")
    first = LlamaBackend(str(small_model), n_ctx=N_CTX, cache_dir=cache)
    answer = first.complete(question).text
    first.close()
    (state,) = cache.glob(f"*{STATE_SUFFIX}")
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])

    second = LlamaBackend(str(small_model), n_ctx=N_CTX, cache_dir=cache)
    assert second.complete(question).text == answer
    assert second.last_prefix.restored == 0 and second.last_prefix.saved
    second.close()


def test_the_store_keeps_the_most_recently_used_files(tmp_path: Path) -> None:
    store = PrefixStore(tmp_path, "namespace", max_files=3, max_bytes=1000)
    paths = [store.path_for([n, n + 1]) for n in range(5)]
    assert len(set(paths)) == 5 and store.path_for([0, 1]) == paths[0]
    now = time.time()
    for age, path in enumerate(reversed(paths)):
        path.write_bytes(b"x" * 300)
        os.utime(path, (now - age, now - age))
    store.prune()
    assert [path.exists() for path in paths] == [False, False, True, True, True]
    paths[2].write_bytes(b"x" * 600)  # now over the byte bound: the oldest goes too
    os.utime(paths[2], (now - 10, now - 10))
    store.prune()
    assert [path.exists() for path in paths[2:]] == [False, True, True]


@pytest.mark.model
@pytest.mark.parametrize("profile", ["paper1", "paper2", "full"])
def test_the_code_grammar_of_every_profile_parses_in_llama_cpp(
    backend: LlamaBackend, registry: Registry, profile: str
) -> None:
    check_grammar(backend.load(), python_grammar(registry.table(profile).values()))


@pytest.mark.model
def test_sampling_under_the_code_grammar_admits_only_profile_calls(
    backend: LlamaBackend, registry: Registry
) -> None:
    grammar = python_grammar(registry.table("paper2").values())
    request = ask("Print the temperature with get_temperature(). Only code.", max_tokens=24,
                  grammar=grammar)  # fmt: skip
    text = backend.complete(request).text
    assert text.startswith("```python\n")
    for call in re.findall(r"(?<![.\w])([A-Za-z_]\w*)\(", text):  # not methods
        assert call in registry.table("paper2") or call in SAFE_BUILTINS, text
