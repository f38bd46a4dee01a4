"""Measure the device's costs on the default world: creating it, snapshots, diffs, API calls.

Usage: ``python -m intentos.perf.device [--runs N] [--json]``. The numbers in README come
from this script; rerun it to check them on your machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import tempfile
from dataclasses import asdict
from pathlib import Path

from intentos.api.context import ApiContext
from intentos.api.registry import default_registry
from intentos.device.snapshot import diff
from intentos.device.store import Device, load_seed
from intentos.perf.timing import Timing, measure


def run(runs: int) -> list[Timing]:
    world = load_seed("default")
    registry = default_registry()
    results: list[Timing] = []
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.sqlite"
        results.append(
            measure(
                "create device from default seed",
                lambda: Device.create(path, world).close(),
                max(runs // 10, 5),
                warmup=1,
            )
        )
        with Device.open(path) as device:
            before = device.snapshot()
            results.append(measure("snapshot", device.snapshot, runs))
            results.append(
                measure(
                    "diff of two equal snapshots", lambda: diff(before, device.snapshot()), runs
                )
            )

            def five_calls_then_diff_and_rollback() -> None:
                transaction = device.begin()
                context = ApiContext(db=device.connection, profile="paper2", rng=random.Random(1))
                contact = registry.call(context, "find_contact_id", ["insurance company"]).value
                email = registry.call(context, "find_contact_email", [contact]).value
                title = registry.call(context, "find_file", ["car title"]).value
                registry.call(context, "send_email", [email, "Car title", "Attached.", [title]])
                registry.call(context, "print", ["sent"])
                transaction.diff()
                transaction.rollback()

            results.append(
                measure(
                    "run: begin + 5 API calls + diff + rollback",
                    five_calls_then_diff_and_rollback,
                    runs,
                )
            )
            transaction = device.begin()
            context = ApiContext(db=device.connection, profile="full")
            results.append(
                measure(
                    "one API call (find_contact_id)",
                    lambda: registry.call(context, "find_contact_id", ["landlord"]),
                    runs,
                )
            )
            results.append(
                measure(
                    "one API call (get_current_time)",
                    lambda: registry.call(context, "get_current_time"),
                    runs,
                )
            )
            transaction.rollback()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    results = run(arguments.runs)
    if arguments.json:
        print(
            json.dumps(
                {"machine": platform.platform(), "results": [asdict(r) for r in results]}, indent=2
            )
        )
        return
    print(f"python {platform.python_version()} on {platform.platform()}")
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
