"""An OpenAI-compatible llama.cpp server started with the settings that are safe on this CPU.

``python -m intentos.serve --model qwen2.5-coder-1.5b --port 8080`` serves llama-cpp-python's
own server app (``llama_cpp.server``: same API, same options as ``python -m llama_cpp.server``)
with two differences that make it start on every x86-64 machine:

* ``llama_cpp.server`` builds its ``Llama`` with llama.cpp's default model parameters, and has
  no option for extra buffer types; this opens every model of the server with the setting
  :mod:`intentos.backends.llama_runtime` decides for this CPU (off where AMX is advertised, or
  as ``INTENTOS_LLAMA_EXTRA_BUFTS`` says);
* before serving, the model is checked in a child process (:mod:`intentos.backends.llama_probe`):
  if llama.cpp crashes on this machine the server exits with status 8 and says what to do,
  instead of dying silently on the first request.

``--model`` also takes the embedded model names (joined and verified like ``llama:NAME``). A
``--config_file`` (several models) is not supported here: start one server per model.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from intentos.backends.base import BackendError
from intentos.backends.llama_backend import resolve_model
from intentos.backends.llama_probe import RuntimeCheck
from intentos.backends.llama_runtime import (
    RuntimeSettings,
    SettingError,
    current_settings,
    model_defaults,
)
from intentos.cli.common import EXIT_MODEL_FILE, EXIT_MODEL_RUNTIME, EXIT_USAGE


def _say(message: str) -> None:
    print(f"intentos.serve: {message}", file=sys.stderr, flush=True)


def checked_settings(model_path: str, n_threads: int) -> RuntimeSettings:
    """The settings for this CPU, proven in a child process; exits when llama.cpp crashes."""
    try:
        model = resolve_model(model_path)
        settings = current_settings()
        return RuntimeCheck(model.path, model.identity, settings, n_threads).result()
    except SettingError as exc:
        _say(str(exc))
        sys.exit(EXIT_USAGE)
    except BackendError as exc:
        _say(str(exc))
        sys.exit(EXIT_MODEL_RUNTIME if exc.kind == "runtime_broken" else EXIT_MODEL_FILE)


def main(argv: Sequence[str] | None = None) -> None:
    import uvicorn  # noqa: PLC0415
    from llama_cpp.server.app import create_app  # noqa: PLC0415 - the [server] extra
    from llama_cpp.server.cli import add_args_from_model  # noqa: PLC0415
    from llama_cpp.server.settings import ModelSettings, ServerSettings, Settings  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="python -m intentos.serve", description=__doc__.split("\n\n")[0]
    )
    add_args_from_model(parser, Settings)
    options = parser.parse_args(argv)
    given = {name: value for name, value in vars(options).items() if value is not None}
    server_settings = ServerSettings(
        **{name: value for name, value in given.items() if name in ServerSettings.model_fields}
    )
    model_settings = ModelSettings(
        **{name: value for name, value in given.items() if name in ModelSettings.model_fields}
    )
    try:
        model_settings.model = str(resolve_model(model_settings.model).path)
    except BackendError as exc:
        _say(str(exc))
        sys.exit(EXIT_MODEL_FILE)
    settings = checked_settings(model_settings.model, model_settings.n_threads)
    host = os.getenv("HOST", server_settings.host)
    port = int(os.getenv("PORT", str(server_settings.port)))
    _say(f"llama.cpp {settings.describe()}; serving on http://{host}:{port}/v1")
    with model_defaults(settings.extra_bufts):  # models are (re)built in worker threads too
        app = create_app(server_settings=server_settings, model_settings=[model_settings])
        uvicorn.run(
            app,
            host=host,
            port=port,
            ssl_keyfile=server_settings.ssl_keyfile,
            ssl_certfile=server_settings.ssl_certfile,
        )


if __name__ == "__main__":
    main()
