"""``replay:RUNLOG`` (intentos/backends/replay.py): a run log's recorded workflows are answered
again, so a bench grades them on this tree with no model and reaches the same verdicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intentos.backends.base import BackendError, Message, Request
from intentos.backends.registry import resolve
from intentos.backends.replay import ReplayBackend
from intentos.backends.testing import FunctionBackend
from intentos.bench.runner import BenchOptions, run_bench
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox
from intentos.store.runlog import RunLog
from tests.test_bench_runner import PAPER1, _backends, _verdicts

ONE_ATTEMPT = BenchOptions(max_attempts=1)


@pytest.fixture
def recorded(tmp_path: Path, sandbox: Sandbox) -> Path:
    """A run log of paper1 by two scripted models, "right" and "wrong"."""
    path = tmp_path / "recorded.sqlite"
    with RunLog(path) as log:
        run_bench([PAPER1], ["right", "wrong"], ONE_ATTEMPT, log=log,
                  backend_for=_backends(PAPER1), sandbox=sandbox)  # fmt: skip
    return path


def test_a_replayed_bench_reaches_the_recorded_verdicts(
    recorded: Path, tmp_path: Path, sandbox: Sandbox
) -> None:
    with RunLog(recorded) as log:
        before = _verdicts(log)
    for model in ("right", "wrong"):
        spec = f"replay:{recorded}?model={model}"
        with RunLog(tmp_path / f"{model}.sqlite") as log:
            outcome = run_bench([PAPER1], [spec], ONE_ATTEMPT, log=log, backend_for=resolve,
                                sandbox=sandbox)  # fmt: skip
            assert (outcome.ran, outcome.failed) == (len(PAPER1.cases), [])
            again = {case: verdict for (_, case), verdict in _verdicts(log).items()}
        assert again == {case: v for (m, case), v in before.items() if m == model}


def test_a_log_of_several_models_asks_which_one(recorded: Path) -> None:
    with pytest.raises(BackendError) as caught:
        resolve(f"replay:{recorded}")
    assert "several models or prompts" in str(caught.value)
    assert "?model=right&prompt=paper1" in str(caught.value)
    assert "?model=wrong&prompt=paper1" in str(caught.value)


@pytest.mark.parametrize(
    ("spec", "kind", "words"),
    [
        ("{missing}", "model_missing", "no run log at"),
        ("{text}", "model_corrupt", "is not a run log"),
        ("{log}?model=nobody", "request", "holds no workflow to replay"),
        ("{log}?modle=right", "unknown_model", "?model=ID&prompt=ID"),
    ],
)
def test_a_bad_replay_spec_says_what_is_wrong(
    recorded: Path, tmp_path: Path, spec: str, kind: str, words: str
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just text\n" * 200)
    filled = spec.format(missing=tmp_path / "none.sqlite", text=text, log=recorded)
    with pytest.raises(BackendError) as caught:
        resolve(f"replay:{filled}")
    assert caught.value.kind == kind and words in str(caught.value)


def test_only_recorded_attempts_and_intents_are_answered(recorded: Path) -> None:
    backend = ReplayBackend.from_spec(f"{recorded}?model=wrong")
    intent = PAPER1.cases[0].intent
    first = Request(messages=(Message("system", "API"), Message("user", f"Wish: {intent}")))
    assert "```python" in "".join(delta.text for delta in backend.stream(first))
    repair = Request(
        messages=(*first.messages, Message("assistant", "x"), Message("user", f"Again: {intent}"))
    )
    with pytest.raises(BackendError, match=r"1 attempt\(s\) for .*replay with --max-attempts 1"):
        list(backend.stream(repair))
    unknown = Request(messages=(Message("user", "Wish: something never asked"),))
    with pytest.raises(BackendError, match="holds no answer to"):
        list(backend.stream(unknown))


PAGE = "<!DOCTYPE html><html><body><p>Berlin has 3.7 million people.</p></body></html>"


@pytest.mark.parametrize(
    "query",
    [
        "'Which is the largest city in Germany?'",
        f"'Which is the largest city here?\\n\\n' + {PAGE!r}",  # the page is read as text
    ],
)
def test_query_llm_is_answered_as_recorded(
    template_device: Path, tmp_path: Path, sandbox: Sandbox, query: str
) -> None:
    def reply(request: Request) -> str:
        if request.messages[-1].content.startswith("Which is"):
            return "Berlin"
        return f"```python\nprint(query_llm({query}))\n```"

    options = RunOptions(profile="paper2", approve=approve_all, limits=Limits(wall_seconds=3))
    path = tmp_path / "runs.sqlite"
    for backend in (FunctionBackend(reply), None):
        copy = tmp_path / f"device-{backend is None}.sqlite"
        shutil.copyfile(template_device, copy)
        with Device.open(copy) as device:
            used = backend or ReplayBackend.from_spec(str(path))
            result = run_intent("largest city?", used, device, options, sandbox=sandbox)
        assert result.final is not None and result.final.screen[0].text == "Berlin"
        if backend is not None:
            with RunLog(path) as log:
                log.log(result)
