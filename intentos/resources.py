"""Find the data shipped with intentos: ``apis/``, ``prompts/`` and ``evals/``.

In the repository they sit beside the ``intentos`` package; in an installed wheel they are
inside it (``intentos/apis`` ...), so that no generic top-level ``apis`` module is installed.
Both layouts are found the same way, and the OS API modules are always imported under the
name ``intentos.apis``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Literal

ResourceName = Literal["apis", "prompts", "evals"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: ResourceName) -> Path:
    """The directory holding the bundled resource ``name``."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"intentos cannot find its {name}/ directory (looked in {_PACKAGE_DIR} and "
        f"{_PACKAGE_DIR.parent}); reinstall the package"
    )


def worlds_dir() -> Path:
    return resource_dir("evals") / "worlds"


def apis_package() -> ModuleType:
    """Import and return the ``intentos.apis`` package from wherever it lives."""
    existing = sys.modules.get("intentos.apis")
    if existing is not None:
        return existing
    directory = resource_dir("apis")
    if directory.parent == _PACKAGE_DIR:
        return importlib.import_module("intentos.apis")
    spec = importlib.util.spec_from_file_location(
        "intentos.apis", directory / "__init__.py", submodule_search_locations=[str(directory)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - a broken checkout
        raise ImportError(f"cannot load the OS API package from {directory}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["intentos.apis"] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules["intentos.apis"]
        raise
    return module
