"""``intentos report [SUITE...] [--out DIR]``: Markdown, HTML and PNG plots from the run log."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from intentos.bench.external.agentdojo.names import is_agentdojo, parse_name
from intentos.bench.report.collect import Row, select
from intentos.bench.suite import Suite, SuiteError, load_suite
from intentos.cli.common import EXIT_BAD_DATA, EXIT_FAILED, fail
from intentos.errors import IntentosError
from intentos.pipeline.modes import MODES

DEFAULT_OUT = Path("intentos-report")


@click.command(name="report")
@click.argument("suites", nargs=-1)
@click.option("--model", "-m", "models", multiple=True, help="Only this model; repeatable.")
@click.option(
    "--mode",
    "modes",
    type=click.Choice(MODES),
    multiple=True,
    help="Only this generation mode; repeatable.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Directory to write the report into.",
)
@click.option(
    "--no-published", is_flag=True, help="Leave out the published results of the second paper."
)
def report(
    suites: tuple[str, ...],
    models: tuple[str, ...],
    modes: tuple[str, ...],
    out: Path,
    no_published: bool,
) -> None:
    """Report the benchmark results in the run log (all suites, or SUITE...): report.md,
    a self-contained report.html and PNG plots (heat map, timings, modes compared).

    An AgentDojo SUITE (agentdojo:workspace) reports its runs of every version and with or
    without an attack; agentdojo:workspace@v1.2+important_instructions only those."""
    from intentos.store.runlog import RunLog  # noqa: PLC0415 - sqlite-utils only when needed

    # AgentDojo suites are not YAML files: their runs are found by name, and reporting them
    # needs no AgentDojo package (the cases come from the rows).
    external = [name for name in suites if is_agentdojo(name)]
    for name in external:
        if parse_name(name) is None:
            fail(f"{name!r} is not an AgentDojo suite name; expected "
                 "agentdojo:SUITE[@VERSION][+ATTACK], e.g. agentdojo:workspace@v1.2",
                 EXIT_BAD_DATA)  # fmt: skip
    try:
        loaded = {
            suite.name: suite
            for suite in (load_suite(name) for name in suites if not is_agentdojo(name))
        }
    except SuiteError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    wanted = [*loaded, *external]
    try:
        with RunLog() as log:
            rows = select(log.bench_rows(), suites=wanted, models=models, modes=modes)
            where = log.path
    except IntentosError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    if not rows:
        fail(
            f"no benchmark results in {where}{_filters(wanted, models, modes)}; run "
            "`intentos bench SUITE -m MODEL` first",
            EXIT_FAILED,
        )
    write(rows, out, loaded, with_published=not no_published)


def write(
    rows: Sequence[Row], out: Path, suites: dict[str, Suite], *, with_published: bool
) -> None:
    """Write the report and say where it is (shared with ``intentos bench --out``)."""
    from intentos.bench.report.make import make_report  # noqa: PLC0415 - matplotlib loads slowly

    try:
        written = make_report(rows, out, suites=suites, with_published=with_published)
    except OSError as exc:
        fail(f"cannot write the report into {out}: {exc.strerror or exc}", EXIT_FAILED)
    except IntentosError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    pictures = sum(path.suffix == ".png" for path in written)
    click.echo(
        f"wrote {out / 'report.md'}, {out / 'report.html'} and {pictures} plot(s) "
        f"from {len(rows)} run(s)"
    )


def _filters(suites: Sequence[str], models: Sequence[str], modes: Sequence[str]) -> str:
    parts = [
        f"suite {', '.join(suites)}" if suites else "",
        f"model {', '.join(models)}" if models else "",
        f"mode {', '.join(modes)}" if modes else "",
    ]
    text = "; ".join(part for part in parts if part)
    return f" for {text}" if text else ""
