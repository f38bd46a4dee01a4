"""Run a GGUF model in-process with llama.cpp (llama-cpp-python), reusing the prompt prefix.

``llama:qwen2.5-coder-1.5b`` (the default) and ``llama:qwen2.5-coder-0.5b`` are the embedded
models (joined and verified by :mod:`intentos.backends.models`); ``llama:/path/model.gguf``
is any GGUF file. The model loads on the first request, opened with the llama.cpp settings
that are safe on this CPU (:mod:`intentos.backends.llama_runtime`: no extra buffer types where
AMX is advertised) and checked once in a child process first
(:mod:`intentos.backends.llama_probe`): a llama.cpp that crashes here is a ``runtime_broken``
error with advice, not a silent exit.

intentos' prompts keep a long stable prefix (system text, function table, worked examples)
and put the intent last, so almost all prompt tokens are the same from one request to the
next. Evaluating 1,500 prefix tokens takes over 10 s on a 2-core CPU; this backend avoids it:

* **In one process** llama-cpp-python keeps the KV cache of the last prompt and re-evaluates
  only what follows the longest common token prefix. Nothing here resets it.
* **Across processes** the KV cells of the *prefix* — everything before the final user turn,
  or what :meth:`LlamaBackend.warm` was given — are written to a sequence-state file with
  llama.cpp's ``llama_state_seq_save_file`` (only the used cells: ~12 KB a token for the 0.5B
  model, not the 360 MB of ``Llama.save_state``). A fresh process loads the file into the
  context and tells the ``Llama`` object which tokens it now holds, so generation continues
  after the prefix. Files live in ``data_home()/prefix-cache/``, are named by the SHA-256 of
  (model file identity, n_ctx, llama_cpp version, the exact prefix token ids), are written
  atomically, and the least recently used beyond :data:`MAX_CACHE_FILES` /
  :data:`MAX_CACHE_BYTES` are deleted. On a request the longest prefix that is cached is
  used, trying the end of each earlier message from the last user turn backwards.

The prefix is evaluated on its own, from token 0 to its boundary, and the final turn after it
in one more batch, whether the prefix was just evaluated, restored from a file or still in
memory. llama.cpp's CPU kernels give slightly different logits for different batch splits
(up to 0.4 measured), so splitting the same way every time is what keeps a temperature-0
answer identical whether the prefix came from a file, from memory, or was evaluated cold.
In-memory cells that do not end at the boundary are used anyway when that saves at least
:data:`MIN_ODD_REUSE` tokens (a prompt whose stable part runs into the final user turn; a
prefix that shares a long start with the previous one): speed first there.
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import hashlib
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import llama_cpp
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
from llama_cpp.llama_grammar import LlamaGrammar, json_schema_to_gbnf
from llama_cpp.llama_types import ChatCompletionRequestMessage, CreateChatCompletionStreamResponse

from intentos import paths
from intentos.backends.base import Backend, BackendError, Delta, Message, Request, Usage
from intentos.backends.llama_probe import RuntimeCheck
from intentos.backends.llama_runtime import (
    RuntimeSettings,
    SettingError,
    current_settings,
    open_llama,
)
from intentos.backends.models import CATALOGUE, DEFAULT_MODEL, Progress, check_gguf, ensure_model

CACHE_DIR_NAME = "prefix-cache"
STATE_SUFFIX = ".kvseq"
MAX_CACHE_FILES = 8
MAX_CACHE_BYTES = 1 << 30
# The intentos prompt is ~3,300 tokens (rules, the full function table with record fields,
# the examples closest to the intent); an answer may take 768 more and a repair turn adds the
# failed answer and the feedback. 4,096 overflowed on the third attempt; the 1.5B's KV cache
# for 8,192 tokens is ~235 MB, and the Qwen2.5 models are trained for 32k.
DEFAULT_N_CTX = 8192
MIN_PREFIX_TOKENS = 32  # shorter prefixes are cheap to evaluate: leave them to llama.cpp
# Reuse in-memory KV cells that do not end at the prefix boundary only if that saves at least
# this many tokens; otherwise evaluate the canonical way (see the module docstring).
MIN_ODD_REUSE = 64
STALE_TEMP_SECONDS = 3600
LOCK_TIMEOUT_S = 300.0  # how long warm() and close() wait for a running request
SEQ_ID = 0
TEMPLATE_KEY = "tokenizer.chat_template"
TEMPLATE_FORMAT = "chat_template.default"  # the name llama_cpp gives the GGUF's own template


@dataclass
class PrefixReport:
    """What the last request (or :meth:`LlamaBackend.warm`) did with the prompt prefix."""

    prompt_tokens: int = 0
    prefix_tokens: int = 0  # the stable part: everything before the final user turn
    reused: int = 0  # prefix tokens already in this process's KV cache
    restored: int = 0  # prefix tokens loaded from a state file
    evaluated: int = 0  # prefix tokens evaluated by this request
    saved: bool = False  # a state file was written
    restore_ms: float = 0.0  # time to load the state file


@dataclass(frozen=True)
class ModelFile:
    path: Path
    identity: str  # what the prefix cache is keyed on


def resolve_model(name_or_path: str, progress: Progress | None = None) -> ModelFile:
    """The GGUF file that ``llama:NAME_OR_PATH`` names, checked before llama.cpp opens it."""
    name = _model_name(name_or_path)
    model = CATALOGUE.get(name)
    if model is not None:
        return ModelFile(ensure_model(name, progress), f"{name}:sha256={model.sha256}")
    if not _looks_like_path(name):
        ensure_model(name)  # raises unknown_model with the list of embedded models
    path = Path(name).expanduser()
    check_gguf(path)
    stat = path.stat()
    return ModelFile(path, f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")


def _model_name(name_or_path: str) -> str:
    return name_or_path.strip().removeprefix("llama:").strip() or DEFAULT_MODEL


def _looks_like_path(name: str) -> bool:
    return "/" in name or os.sep in name or name.startswith("~") or name.endswith(".gguf")


def _default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def common_prefix(first: Sequence[int], second: Sequence[int]) -> int:
    """How many leading tokens two sequences share."""
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count


# --- the state files ------------------------------------------------------------------------


def _clear_memory(llm: Llama) -> None:
    memory = llama_cpp.llama_get_memory(llm.ctx)
    if memory is not None:
        llama_cpp.llama_memory_clear(memory, True)


class PrefixStore:
    """Sequence-state files of evaluated prompt prefixes, one per exact token sequence."""

    def __init__(
        self,
        directory: Path,
        namespace: str,
        max_files: int = MAX_CACHE_FILES,
        max_bytes: int = MAX_CACHE_BYTES,
    ) -> None:
        self.directory = directory
        self.namespace = namespace
        self.max_files = max_files
        self.max_bytes = max_bytes

    def path_for(self, tokens: Sequence[int]) -> Path:
        digest = hashlib.sha256(self.namespace.encode("utf-8") + b"\0")
        digest.update(array.array("i", tokens).tobytes())
        return self.directory / f"{digest.hexdigest()[:40]}{STATE_SUFFIX}"

    def contains(self, tokens: Sequence[int]) -> bool:
        return self.path_for(tokens).is_file()

    def load(self, llm: Llama, tokens: Sequence[int]) -> bool:
        """Load the state of ``tokens`` into sequence 0 (the rest of the cache is cleared).

        A file that cannot be read, or holds other tokens, is deleted; the cache is then empty.
        """
        path = self.path_for(tokens)
        capacity = len(tokens)
        read_tokens = (llama_cpp.llama_token * capacity)()
        count = ctypes.c_size_t(0)
        _clear_memory(llm)
        read = llama_cpp.llama_state_seq_load_file(
            llm.ctx, os.fsencode(path), SEQ_ID, read_tokens, capacity, ctypes.byref(count)
        )
        if read == 0 or count.value != capacity or list(read_tokens) != list(tokens):
            _clear_memory(llm)
            path.unlink(missing_ok=True)
            return False
        self.touch(tokens)
        return True

    def touch(self, tokens: Sequence[int]) -> bool:
        """Mark the file of ``tokens`` as just used (pruned last); whether it exists."""
        try:
            os.utime(self.path_for(tokens))
        except OSError:
            return False
        return True

    def save(self, llm: Llama, tokens: Sequence[int]) -> bool:
        """Write the state of sequence 0, which must hold exactly ``tokens``; best effort."""
        final = self.path_for(tokens)
        temporary = final.with_name(f".{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        token_array = (llama_cpp.llama_token * len(tokens))(*tokens)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            written = llama_cpp.llama_state_seq_save_file(
                llm.ctx, os.fsencode(temporary), SEQ_ID, token_array, len(tokens)
            )
            if written == 0:
                return False
            temporary.replace(final)
        except OSError:
            return False
        finally:
            temporary.unlink(missing_ok=True)
        self.prune()
        return True

    def prune(self) -> None:
        """Keep the most recently used files within the count and size bounds."""
        entries: list[tuple[float, int, Path]] = []
        now = time.time()
        for path in self.directory.glob("*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.name.endswith(".tmp"):
                if now - stat.st_mtime > STALE_TEMP_SECONDS:
                    path.unlink(missing_ok=True)  # left behind by a process that died
            elif path.suffix == STATE_SUFFIX:
                entries.append((stat.st_mtime, stat.st_size, path))
        entries.sort(reverse=True)  # newest first
        kept_files = kept_bytes = 0
        for _, size, path in entries:
            if kept_files >= self.max_files or kept_bytes + size > self.max_bytes:
                path.unlink(missing_ok=True)
            else:
                kept_files += 1
                kept_bytes += size


# --- prompts --------------------------------------------------------------------------------


class ChatTemplate:
    """The GGUF's chat template, rendered exactly as llama_cpp's chat handler renders it."""

    def __init__(self, llm: Llama, template: str) -> None:
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        eos = _token_text(vocab, llm.token_eos())
        bos = _token_text(vocab, llm.token_bos())
        self._open = Jinja2ChatFormatter(template, eos, bos, add_generation_prompt=True)
        self._closed = Jinja2ChatFormatter(template, eos, bos, add_generation_prompt=False)
        self._llm = llm

    def tokens(self, messages: Sequence[Message], generation_prompt: bool) -> list[int]:
        formatter = self._open if generation_prompt else self._closed
        text = formatter(messages=chat_messages(messages)).prompt
        return self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)


def _token_text(vocab: Any, token: int) -> str:
    if token < 0 or vocab is None:
        return ""
    return cast(bytes, llama_cpp.llama_vocab_get_text(vocab, token)).decode("utf-8", "replace")


def chat_messages(messages: Sequence[Message]) -> list[ChatCompletionRequestMessage]:
    return [
        cast(ChatCompletionRequestMessage, {"role": message.role, "content": message.content})
        for message in messages
    ]


# --- grammars -------------------------------------------------------------------------------


def grammar_text(request: Request) -> str | None:
    """The GBNF that constrains the answer: the request's own, or one from its JSON schema."""
    if request.grammar is not None and request.json_schema is not None:
        raise BackendError("request", "give either a grammar or a JSON schema, not both")
    if request.json_schema is not None:
        try:
            return str(json_schema_to_gbnf(json.dumps(request.json_schema)))
        except Exception as exc:  # the converter raises many kinds
            raise BackendError(
                "request",
                f"the JSON schema cannot be turned into a grammar ({type(exc).__name__}: {exc}); "
                "simplify it (plain objects, arrays, strings, numbers, enums)",
            ) from exc
    if request.grammar is not None and not request.grammar.strip():
        raise BackendError("request", "the grammar is empty; give GBNF with a root rule")
    return request.grammar


def check_grammar(llm: Llama, grammar: str) -> None:
    """Parse the grammar with llama.cpp first: a grammar that fails to parse crashes sampling."""
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    sampler, complaint = _with_stderr(
        lambda: llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    )
    if not sampler:
        detail = " ".join(complaint.split())[:300] or "no rule named root, or an undefined rule"
        raise BackendError(
            "request", f"the GBNF grammar does not parse: {detail}; fix it (it needs a root rule)"
        )
    llama_cpp.llama_sampler_free(sampler)


def _with_stderr(action: Callable[[], Any]) -> tuple[Any, str]:
    """Run ``action`` and return its result with what the C library wrote to stderr."""
    sys.stderr.flush()
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            result = action()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return result, sink.read().decode("utf-8", "replace")


# --- the backend ----------------------------------------------------------------------------


class LlamaBackend(Backend):
    """A GGUF model run by llama.cpp in this process, with a persistent prompt-prefix cache."""

    provider = "llama"
    supports_grammar = True
    supports_json_schema = True
    is_local = True

    def __init__(
        self,
        name_or_path: str = DEFAULT_MODEL,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
        progress: Progress | None = None,
        prefix_cache: bool = True,
        cache_dir: Path | None = None,
        max_cache_files: int = MAX_CACHE_FILES,
        runtime_check: bool = True,
    ) -> None:
        self.name = _model_name(name_or_path)
        super().__init__(f"llama:{self.name}")
        self.n_ctx = n_ctx
        self.n_threads = n_threads or _default_threads()
        self.progress = progress
        self.prefix_cache = prefix_cache
        self.cache_dir = cache_dir
        self.max_cache_files = max_cache_files
        self.runtime_check = runtime_check  # probe llama.cpp in a child before first use
        self.runtime: RuntimeSettings | None = None  # what the model was opened with
        self.probe_ms = 0.0  # what the check cost on this load (0 when remembered)
        self.last_prefix = PrefixReport()
        self.load_ms = 0.0
        self._llm: Llama | None = None
        self._template: ChatTemplate | None = None
        self._store: PrefixStore | None = None
        self._lock = threading.Lock()  # held while a request or warm() uses the model
        self._owner: int | None = None  # the thread holding it
        self._load_lock = threading.Lock()

    @property
    def last_prefix_tokens_restored(self) -> int:
        return self.last_prefix.restored

    # loading

    def prepare(self) -> None:
        """Join and verify the embedded model (or check the GGUF path) without loading it."""
        resolve_model(self.name, self.progress)

    def load(self) -> Llama:
        """Open the model now (it otherwise opens on the first request)."""
        with self._load_lock:
            if self._llm is None:
                self._llm = self._load()
            return self._llm

    def _load(self) -> Llama:
        started = time.perf_counter()
        model = resolve_model(self.name, self.progress)
        llm = self._open_checked(model)
        template = llm.metadata.get(TEMPLATE_KEY)
        if not template:
            llm.close()
            raise BackendError(
                "request",
                f"{model.path} has no chat template; use an instruction-tuned (chat) GGUF "
                "such as llama:qwen2.5-coder-1.5b",
            )
        llm.chat_format = TEMPLATE_FORMAT  # the GGUF's own template, never a guessed one
        self._template = ChatTemplate(llm, template)
        if self.prefix_cache:
            directory = self.cache_dir or paths.data_home() / CACHE_DIR_NAME
            namespace = (
                f"intentos-prefix-v1|llama_cpp={llama_cpp.__version__}|{model.identity}"
                f"|n_ctx={self.n_ctx}"
            )
            self._store = PrefixStore(directory, namespace, max_files=self.max_cache_files)
        self.load_ms = (time.perf_counter() - started) * 1000
        return llm

    def _open_checked(self, model: ModelFile) -> Llama:
        """Open the model with the settings that are safe here, checked in a child first.

        The child (see :mod:`intentos.backends.llama_probe`) runs while this process opens
        the model; a crash there raises ``runtime_broken`` before anything is evaluated here.
        """
        try:
            settings = current_settings()
        except SettingError as exc:
            raise BackendError("request", str(exc)) from exc
        check = None
        if self.runtime_check:
            check = RuntimeCheck(model.path, model.identity, settings, self.n_threads)
        try:
            llm = self._open(model.path, settings)
        except BaseException:
            if check is not None:
                check.cancel()
            raise
        if check is None:
            self.runtime = settings
            return llm
        try:
            checked = check.result()
        except BackendError:
            llm.close()
            raise
        self.probe_ms = check.probe_ms
        self.runtime = checked
        if checked.extra_bufts != settings.extra_bufts:
            llm.close()
            llm = self._open(model.path, checked)
        return llm

    def _open(self, path: Path, settings: RuntimeSettings) -> Llama:
        try:
            return open_llama(
                path,
                settings,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                verbose=False,
            )
        except SettingError as exc:
            raise BackendError("request", str(exc)) from exc
        except ValueError as exc:
            if "context" in str(exc):
                raise BackendError(
                    "request",
                    f"llama.cpp could not make a {self.n_ctx}-token context for {path} "
                    "(not enough memory?); use a smaller n_ctx",
                ) from exc
            raise BackendError(
                "model_corrupt",
                f"llama.cpp could not load {path}: the file is truncated, damaged or not a "
                f"model this llama.cpp supports (llama-cpp-python {llama_cpp.__version__}); "
                f"{_reinstall_hint(self.name)}",
            ) from exc

    def close(self) -> None:
        with self._exclusive(timeout_s=LOCK_TIMEOUT_S):
            if self._llm is not None:
                self._llm.close()
            self._llm = None
            self._template = None
            self._store = None

    # requests

    def stream(self, request: Request) -> Iterator[Delta]:
        self.check_allowed()
        grammar = grammar_text(request)
        with self._exclusive(request.timeout_s):
            llm = self.load()
            if grammar is not None:
                check_grammar(llm, grammar)
            yield from self._generate(llm, request, grammar)

    @contextlib.contextmanager
    def _exclusive(self, timeout_s: float) -> Iterator[None]:
        """One request at a time: the model's KV cache is a single sequence."""
        if self._owner == threading.get_ident():
            raise BackendError(
                "request",
                f"a stream of {self.model_id} is still open in this thread; read it to the end "
                "or close it before the next request",
            )
        if not self._lock.acquire(timeout=timeout_s):
            raise BackendError(
                "timeout", f"{self.model_id} stayed busy with another request; try again later"
            )
        self._owner = threading.get_ident()
        try:
            yield
        finally:
            self._owner = None
            self._lock.release()

    def warm(self, prefix_messages: Sequence[Message]) -> int:
        """Evaluate (or restore) the state of these leading messages and save it; its tokens.

        A later request whose messages start with ``prefix_messages`` then evaluates only
        what follows, in this process and, through the state file, in fresh ones.
        """
        self.check_allowed()
        if not prefix_messages:
            return 0
        with self._exclusive(timeout_s=LOCK_TIMEOUT_S):
            llm = self.load()
            tokens = self._tokens(prefix_messages, generation_prompt=False)
            self.last_prefix = PrefixReport(prompt_tokens=len(tokens))
            self._settle_prefix(llm, prefix_messages, len(prefix_messages), tokens)
            return len(tokens)

    def prompt_tokens(self, messages: Sequence[Message], generation_prompt: bool = True) -> int:
        """How many tokens these messages take in the model's chat template."""
        self.load()
        assert self._template is not None  # set by load()
        return len(self._template.tokens(messages, generation_prompt))

    def _tokens(self, messages: Sequence[Message], generation_prompt: bool) -> list[int]:
        assert self._template is not None  # set by load()
        tokens = self._template.tokens(messages, generation_prompt)
        if len(tokens) >= self.n_ctx:
            raise BackendError(
                "request",
                f"the prompt is {len(tokens)} tokens but the context holds {self.n_ctx}; "
                "shorten the prompt or give the backend a larger n_ctx",
            )
        return tokens

    def _generate(self, llm: Llama, request: Request, grammar: str | None) -> Iterator[Delta]:
        started = time.perf_counter()
        tokens = self._tokens(request.messages, generation_prompt=True)
        self.last_prefix = PrefixReport(prompt_tokens=len(tokens))
        stable = _last_user_turn(request.messages)
        if stable > 0:
            self._settle_prefix(llm, request.messages, stable, tokens)
        pieces: list[str] = []
        finish: str | None = None
        chunks = self._chunks(llm, request, grammar)
        try:
            for chunk in _llama_errors(chunks):
                choice = chunk["choices"][0]
                text = cast(dict[str, Any], choice["delta"]).get("content")
                finish = choice["finish_reason"] or finish
                if text:
                    pieces.append(text)
                    yield Delta(text)
                if time.perf_counter() - started > request.timeout_s:
                    raise BackendError(
                        "timeout",
                        f"{self.model_id} took over {request.timeout_s:.0f} s; lower max_tokens "
                        "or raise the timeout",
                    )
        finally:
            chunks.close()
        text = "".join(pieces)
        if finish == "length":  # llama_cpp caps max_tokens at what the context has left
            room = self.n_ctx - len(tokens)
            completion = min(request.max_tokens, room) if request.max_tokens > 0 else room
        else:
            completion = len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
        usage = Usage(prompt_tokens=len(tokens), completion_tokens=completion)
        yield Delta("", usage, cut_off=finish == "length")

    def _chunks(
        self, llm: Llama, request: Request, grammar: str | None
    ) -> Generator[CreateChatCompletionStreamResponse, None, None]:
        stream = llm.create_chat_completion(
            messages=chat_messages(request.messages),
            temperature=request.temperature,
            seed=request.seed,
            max_tokens=request.max_tokens,
            stop=list(request.stop),
            grammar=None if grammar is None else LlamaGrammar.from_string(grammar, verbose=False),
            stream=True,
        )
        return cast(Generator[CreateChatCompletionStreamResponse, None, None], stream)

    # the prefix

    def _settle_prefix(
        self, llm: Llama, messages: Sequence[Message], stable: int, tokens: list[int]
    ) -> None:
        """Make the KV cache hold exactly the first ``stable`` messages' tokens, cheaply.

        In order of preference: what this process already holds, the longest state file of a
        message boundary, evaluation (whose result is then saved).
        """
        report = self.last_prefix
        boundaries = self._boundaries(messages, stable, tokens)
        target = next(boundaries)
        report.prefix_tokens = target
        if target < MIN_PREFIX_TOKENS:
            return
        held = common_prefix(llm.input_ids[: llm.n_tokens].tolist(), tokens)
        if held >= target:
            report.reused = target
            if self._store is not None and not self._store.touch(tokens[:target]):
                _truncate(llm, target)
                report.saved = self._store.save(llm, tokens[:target])
            elif held - target < MIN_ODD_REUSE:
                _truncate(llm, target)
            return
        if held < MIN_ODD_REUSE:
            held = 0
        start = self._restore(llm, itertools.chain([target], boundaries), tokens, held)
        if not report.restored:
            report.reused = start
        _truncate(llm, start)
        self._evaluate(llm, tokens[start:target])
        report.evaluated = target - start
        if self._store is not None and report.restored < target:
            report.saved = self._store.save(llm, tokens[:target])

    def _boundaries(
        self, messages: Sequence[Message], stable: int, tokens: list[int]
    ) -> Iterator[int]:
        """Token counts at the end of messages ``stable``, ``stable - 1`` ... 1, in ``tokens``."""
        for count in range(stable, 0, -1):
            prefix = self._tokens(messages[:count], generation_prompt=False)
            yield common_prefix(prefix, tokens)

    def _restore(self, llm: Llama, boundaries: Iterator[int], tokens: list[int], held: int) -> int:
        """Load the longest state file of a boundary beyond ``held``; the tokens now held."""
        store = self._store
        if store is None:
            return held
        for boundary in boundaries:
            if boundary <= held:
                break
            prefix = tokens[:boundary]
            if not store.contains(prefix):
                continue
            started = time.perf_counter()
            loaded = store.load(llm, prefix)
            if not loaded:
                held = 0  # the failed load cleared the cache
                llm.n_tokens = 0
                continue
            llm.input_ids[:boundary] = prefix
            llm.n_tokens = boundary
            self.last_prefix.restored = boundary
            self.last_prefix.restore_ms = (time.perf_counter() - started) * 1000
            return boundary
        return held

    @staticmethod
    def _evaluate(llm: Llama, tokens: list[int]) -> None:
        try:
            llm.eval(tokens)
        except RuntimeError as exc:
            _truncate(llm, 0)
            raise BackendError(
                "request", f"llama.cpp could not evaluate the prompt: {exc}"
            ) from exc


def _truncate(llm: Llama, count: int) -> None:
    """Keep the first ``count`` tokens of the KV cache and tell the ``Llama`` object so."""
    memory = llama_cpp.llama_get_memory(llm.ctx)
    if memory is not None:
        llama_cpp.llama_memory_seq_rm(memory, -1, count, -1)
    llm.n_tokens = count
    # The logits are stale now: generate() must decode at least one token before sampling.
    llm._requires_eval = True  # llama-cpp-python 0.3.36


def _reinstall_hint(name: str) -> str:
    model = CATALOGUE.get(name)
    if model is None:
        return "copy or download the file again"
    return f'reinstall its packages: pip install --force-reinstall "intentos[{model.extra}]"'


def _last_user_turn(messages: Sequence[Message]) -> int:
    """How many messages come before the final user turn (0: no stable prefix)."""
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].role == "user":
            return index
    return 0


def _llama_errors(
    chunks: Iterator[CreateChatCompletionStreamResponse],
) -> Iterator[CreateChatCompletionStreamResponse]:
    """llama_cpp raises ValueError/RuntimeError for bad requests and decode failures."""
    try:
        yield from chunks
    except (ValueError, RuntimeError) as exc:
        raise BackendError("request", f"llama.cpp refused the request: {exc}") from exc
