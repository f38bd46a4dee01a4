"""From run-log rows to the files of a report: the one entry point the CLI uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from intentos.bench.external import report_sections
from intentos.bench.published import published_results
from intentos.bench.report.build import build_report
from intentos.bench.report.collect import Row, collect
from intentos.bench.report.render import write_report
from intentos.bench.suite import Suite


def make_report(
    rows: Iterable[Row],
    out: Path,
    *,
    suites: Mapping[str, Suite] | None = None,
    with_published: bool = True,
    generated: datetime | None = None,
) -> list[Path]:
    """Write the report over ``rows`` into ``out``; return the files written."""
    rows = list(rows)
    results = collect(rows, suites)
    published = published_results() if with_published else {}
    extra = report_sections(rows, with_published=with_published)
    report = build_report(results, published, generated=generated or datetime.now(UTC), extra=extra)
    return write_report(report, out)
