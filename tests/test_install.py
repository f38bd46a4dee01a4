"""A built wheel carries apis/, prompts/ and evals/ inside the intentos package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
import intentos
from intentos.resources import resource_dir, worlds_dir
from intentos.api.registry import default_registry
from intentos.device.store import load_seed
from intentos.bench.suite import load_suite
from intentos.bench.published import published_results
registry = default_registry()
print(json.dumps({
    "package": intentos.__file__,
    "apis": str(resource_dir("apis")),
    "prompts": str(resource_dir("prompts")),
    "worlds": str(worlds_dir()),
    "paper2": len(registry.table("paper2")),
    "full": len(registry.table("full")),
    "contacts": len(load_seed("default").contacts),
    "apis_module": sys.modules["intentos.apis"].__file__,
    "core": len(load_suite("core").cases),
    "published": sorted(published_results()),
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    (built,) = out.glob("intentos-*.whl")
    return built


@pytest.mark.install
def test_wheel_ships_the_data_under_the_package_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "intentos/apis/__init__.py" in names
    assert "intentos/apis/mail.py" in names
    assert "intentos/evals/worlds/default.yaml" in names
    assert "intentos/evals/worlds/default/pages/transformer.html" in names
    assert any(name.startswith("intentos/prompts/") for name in names)
    assert "intentos/evals/suites/core.yaml" in names
    assert "intentos/evals/reference/paper2-published.yaml" in names
    assert not any(name.startswith(("intentos/evals/results/", "intentos/evals/screenshots/"))
                   for name in names)  # fmt: skip
    assert not any(name.startswith(("apis/", "evals/", "prompts/")) for name in names)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a fresh directory (used through PYTHONPATH)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return target


@pytest.mark.install
def test_an_installed_copy_finds_its_data(installed: Path, tmp_path: Path) -> None:
    target = installed
    assert not (target / "apis").exists()
    env = {**os.environ, "PYTHONPATH": str(target), "INTENTOS_HOME": str(tmp_path / "home")}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    found = json.loads(completed.stdout)
    package_dir = str(target / "intentos")
    for key in ("package", "apis", "prompts", "worlds", "apis_module"):
        assert found[key].startswith(package_dir), (key, found[key])
    assert found["paper2"] == 16
    assert found["full"] >= 40
    assert found["contacts"] >= 30
    assert found["core"] >= 120 and found["published"] == ["paper2"]
    cli = subprocess.run(
        [sys.executable, "-m", "intentos.cli.main", "world", "show", "contacts", "--json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert len(json.loads(cli.stdout)) >= 30


@pytest.mark.install
def test_an_installed_copy_runs_workflows_in_its_sandbox(installed: Path, tmp_path: Path) -> None:
    target = installed
    env = {**os.environ, "PYTHONPATH": str(target), "INTENTOS_HOME": str(tmp_path / "home")}
    completed = subprocess.run(
        [sys.executable, "-m", "intentos.cli.main", "exec", "-", "--json"],
        check=False,
        input="print(get_temperature())",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    record = json.loads(completed.stdout)
    assert record["status"] == "ok", completed.stderr
    assert record["screen"][0]["text"] == "21.0"
