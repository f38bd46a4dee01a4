"""Measure the cost of the execution boundary.

Usage: ``python -m intentos.perf.sandbox [--runs N] [--json]``. Reports the median time of a
5-call workflow end to end (extract, check, fork a confined child, serve the calls, diff, roll
back) and of one API round trip across the pipe (from a run making 1,000 calls of a trivial
function, minus a run making none).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from intentos.device.store import Device, load_seed
from intentos.execution.approval import approve_all
from intentos.execution.executor import execute
from intentos.perf.timing import Timing, measure
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

CAR_TITLE = """\
contact_id = find_contact_id("insurance company")
email = find_contact_email(contact_id)
title = find_file("car title")
send_email(email, "Car title", "Please find my car title attached.", [title])
print("sent")
"""
ROUND_TRIPS = 1000


def _round_trip_ms(device: Device, sandbox: Sandbox, runs: int) -> float:
    many = f"for i in range({ROUND_TRIPS}):\n    get_current_time()\n"
    none = f"for i in range({ROUND_TRIPS}):\n    x = i\n"
    limits = Limits(max_calls=ROUND_TRIPS + 10)
    samples = []
    for _ in range(max(runs // 20, 5)):
        timings = []
        for code in (many, none):
            started = time.perf_counter()
            execute(code, device, sandbox=sandbox, dry_run=True, limits=limits, extract_code=False)
            timings.append(time.perf_counter() - started)
        samples.append((timings[0] - timings[1]) * 1000 / ROUND_TRIPS)
    return statistics.median(samples)


def run(runs: int) -> tuple[list[Timing], float, float]:
    sandbox = Sandbox()
    started = time.perf_counter()
    sandbox.start()
    startup_ms = (time.perf_counter() - started) * 1000
    results: list[Timing] = []
    with tempfile.TemporaryDirectory() as directory:
        device = Device.create(Path(directory) / "bench.sqlite", load_seed("default"))
        with device:
            results.append(
                measure(
                    "5-call workflow end to end (paper2 car title)",
                    lambda: execute(
                        CAR_TITLE,
                        device,
                        profile="paper2",
                        approve=approve_all,
                        dry_run=True,
                        sandbox=sandbox,
                        extract_code=False,
                    ),
                    runs,
                )
            )
            results.append(
                measure(
                    "empty workflow end to end",
                    lambda: execute("x = 1", device, dry_run=True, sandbox=sandbox),
                    runs,
                )
            )
            round_trip = _round_trip_ms(device, sandbox, runs)
    sandbox.close()
    return results, round_trip, startup_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    results, round_trip, startup = run(arguments.runs)
    if arguments.json:
        report = {
            "machine": platform.platform(),
            "worker_start_ms": startup,
            "api_round_trip_ms": round_trip,
            "results": [asdict(result) for result in results],
        }
        print(json.dumps(report, indent=2))
        return
    print(f"python {platform.python_version()} on {platform.platform()}")
    print(f"{'fork server start (once per process)':<44} {startup:8.1f} ms")
    for result in results:
        print(result.line())
    print(f"{'one API round trip (median of differences)':<44} {round_trip:8.4f} ms")


if __name__ == "__main__":
    main()
