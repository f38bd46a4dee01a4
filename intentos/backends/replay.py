"""``replay:RUNLOG``: answer each intent with the workflow a model wrote for it before.

A change to the API, the checks or the grading does not change what a model writes at
temperature 0 on the same prompt; it changes what becomes of it. Re-running a suite with the
answers a run log recorded grades every recorded workflow again on the current tree in
seconds, with no model: ``intentos bench core -m replay:~/bench-1/runs.sqlite
--max-attempts 1``. What the model would write after a changed prompt, or in a repair turn
after a changed error message, cannot be replayed; that needs the model again.

A request is answered with the reply recorded for the longest recorded intent found in its
last message, for the attempt the request is (one more than the model replies it holds);
a request for ``query_llm`` is answered with the answer recorded for the same query. When
the log holds runs of several models or prompts, ``?model=ID&prompt=ID`` picks one. A reply
is replayed as a finished answer: whether the model was cut off at the token limit is not
recorded per reply (``Response.cut_off`` stays False).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs

from intentos.backends.base import Backend, BackendError, Delta, Request
from intentos.backends.testing import streamed
from intentos.html_text import readable

# A query_llm question is recognised by its start, read as the nested model is given it (a page
# in it turned into text).
QUERY_KEY_CHARS = 60


def _query_key(query: str) -> str:
    return readable(query)[:QUERY_KEY_CHARS]


class ReplayBackend(Backend):
    """Recorded replies of one model and prompt, looked up by intent and attempt."""

    provider = "replay"
    supports_json_schema = True
    supports_grammar = True
    is_real = False

    def __init__(
        self,
        replies: dict[str, list[str]],
        answers: dict[str, str] | None = None,
        model_id: str = "replay:",
    ) -> None:
        super().__init__(model_id)
        if not replies:
            raise BackendError("request", f"{model_id}: the run log holds no workflow to replay")
        self.replies = replies
        self.answers = answers or {}
        # longest first: "Play Beat It" must not answer "Play the Fall Out Boy version of Beat It"
        self._intents = sorted(replies, key=len, reverse=True)

    @classmethod
    def from_spec(cls, spec: str, model_id: str | None = None) -> ReplayBackend:
        """``PATH`` or ``PATH?model=ID&prompt=ID``: the run log and, if it holds several, the
        model and prompt whose answers to replay."""
        path_text, _, query = spec.partition("?")
        wanted = {key: values[-1] for key, values in parse_qs(query).items()}
        unknown = set(wanted) - {"model", "prompt"}
        if unknown:
            raise BackendError(
                "unknown_model", f"replay takes ?model=ID&prompt=ID, not {sorted(unknown)}"
            )
        path = Path(path_text).expanduser()
        if not path.is_file():
            raise BackendError("model_missing", f"no run log at {path}")
        try:
            # closing(): a connection's own `with` ends a transaction, it does not close
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                replies, answers = _recorded(db, wanted.get("model"), wanted.get("prompt"))
        except sqlite3.DatabaseError as exc:
            raise BackendError("model_corrupt", f"{path} is not a run log ({exc})") from exc
        return cls(replies, answers, model_id=model_id or f"replay:{spec}")

    def stream(self, request: Request) -> Iterator[Delta]:
        yield from streamed(self._reply(request), request)

    def _reply(self, request: Request) -> str:
        text = request.messages[-1].content if request.messages else ""
        intent = next((intent for intent in self._intents if intent in text), None)
        if intent is None:
            answer = next((a for key, a in self.answers.items() if key in text), None)
            if answer is None:
                raise BackendError(
                    "request", f"{self.model_id}: the run log holds no answer to {text[-200:]!r}"
                )
            return answer
        attempt = 1 + sum(message.role == "assistant" for message in request.messages)
        recorded = self.replies[intent]
        if attempt > len(recorded):
            raise BackendError(
                "request",
                f"{self.model_id}: the run log holds {len(recorded)} attempt(s) for {intent!r}, "
                f"not attempt {attempt}; replay with --max-attempts {len(recorded)}",
            )
        return recorded[attempt - 1]


def _recorded(
    db: sqlite3.Connection, model: str | None, prompt: str | None
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The replies per intent (in attempt order) and query_llm answers of the chosen runs."""
    runs = db.execute(
        "SELECT id, intent, model, prompt_id FROM runs WHERE (? IS NULL OR model = ?) "
        "AND (? IS NULL OR prompt_id = ?) ORDER BY id",
        (model, model, prompt, prompt),
    ).fetchall()
    kinds = sorted({(run_model, run_prompt) for _, _, run_model, run_prompt in runs})
    if len(kinds) > 1:
        listed = ", ".join(f"?model={m}&prompt={p}" for m, p in kinds)
        raise BackendError(
            "unknown_model",
            f"the run log holds runs of several models or prompts; pick one: {listed}",
        )
    replies: dict[str, list[str]] = {}
    answers: dict[str, str] = {}
    for run_id, intent, _, _ in runs:
        if intent in replies:  # the first run of an intent is the one replayed
            continue
        replies[intent] = [
            reply
            for (reply,) in db.execute(
                "SELECT reply FROM attempts WHERE run_id = ? ORDER BY idx", (run_id,)
            )
        ]
        for args, kwargs, result in db.execute(
            "SELECT args, kwargs, result FROM calls WHERE run_id = ? AND name = 'query_llm' "
            "AND error IS NULL",
            (run_id,),
        ):
            query = str((json.loads(args) or [json.loads(kwargs).get("query", "")])[0])
            if query.strip():
                answers.setdefault(_query_key(query), json.loads(result))
    return replies, answers
