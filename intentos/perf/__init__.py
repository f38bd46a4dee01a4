"""Benchmark scripts (run with ``python -m intentos.perf.NAME``); never timed tests."""
