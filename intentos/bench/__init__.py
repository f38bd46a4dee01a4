"""The benchmark harness: suites of intents, checks on the device's outcome, and grading.

A suite (YAML under ``evals/suites/``) lists cases; each case has an intent, checks on what the
run did to the device, a hand-written reference workflow that must pass and, often, a plausible
wrong workflow that must fail. :func:`intentos.bench.grade.grade` turns an execution record and
the device's state before and after the run into a :class:`~intentos.bench.grade.Verdict`.
"""

from __future__ import annotations
