"""Build the report: summary across suites, the machines the runs came from, then per suite
the heat map, timings, stages, error kinds and modes compared; published results of the second
paper as labelled rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from intentos.bench.grade import ERROR_KINDS
from intentos.bench.metrics import Summary, percent, seconds, stage_rates, summarize
from intentos.bench.published import Published, PublishedModel
from intentos.bench.report import plots
from intentos.bench.report.collect import Arm, SuiteResults, arms_of
from intentos.bench.report.content import Block, Figure, Report, Section, Table, Text
from intentos.bench.report.machines import machines_section, merge_notes

PUBLISHED_LABEL = "published"
HEAT_MAP_MAX_CASES = 120  # beyond this (560 AgentDojo attack pairs) the case table says it


def build_report(
    results: Sequence[SuiteResults],
    published: Mapping[str, Sequence[Published]] | None = None,
    *,
    title: str = "intentos benchmark report",
    generated: datetime | None = None,
    extra: Sequence[Section] = (),
) -> Report:
    """The whole report over ``results``; ``published`` adds reference rows per suite and
    ``extra`` sections (an external suite's own, e.g. AgentDojo's) come before the method."""
    names = {suite.name for suite in results}
    published = {name: papers for name, papers in (published or {}).items() if name in names}
    summaries = {suite.name: _summaries(suite) for suite in results}
    sections = [_summary_section(results, summaries, published)]
    if any(suite.rows for suite in results):
        sections.append(machines_section(results))
    sections += [
        _suite_section(suite, summaries[suite.name], published.get(suite.name, ()))
        for suite in results
    ]
    sections += extra
    sections.append(_how_section())
    return Report(title, _intro(results, generated), sections)


def _summaries(suite: SuiteResults) -> list[Summary]:
    return summarize(suite.rows, ks=sorted({1, suite.repeats}))


def _intro(results: Sequence[SuiteResults], generated: datetime | None) -> list[Text]:
    rows = [row for suite in results for row in suite.rows]
    if not rows:
        return [Text("No benchmark results match: run `intentos bench SUITE -m MODEL` first.")]
    moments = sorted(str(row["created_at"]) for row in rows)
    arms = {arm for suite in results for arm in suite.arms}
    lines = [
        f"{len(rows)} graded runs of {len(arms)} model/mode combinations on "
        f"{', '.join(f'`{suite.name}`' for suite in results)}, run between {moments[0][:16]} "
        f"and {moments[-1][:16]} UTC.",
    ]
    if generated is not None:
        lines.append(f"Report generated {generated:%Y-%m-%d %H:%M} UTC by `intentos report`.")
    dropped = sum(suite.dropped for suite in results)
    if dropped:
        lines.append(f"{dropped} logged run(s) of cases the suites no longer have are left out.")
    return [Text(line) for line in lines]


# -- summary ------------------------------------------------------------------------------


def _summary_section(
    results: Sequence[SuiteResults],
    summaries: Mapping[str, list[Summary]],
    published: Mapping[str, Sequence[Published]],
) -> Section:
    repeats = max((suite.repeats for suite in results), default=1)
    headers = ["suite", "model", "mode", "cases", "runs", "resolved", "safe", "pass@1"]
    if repeats > 1:
        headers += [f"pass@{repeats}", f"pass^{repeats}"]
    headers += ["TTFT (median)", "response (median)", "execution (median)"]
    rows: list[tuple[str, ...]] = []
    reference: set[int] = set()
    for suite in results:
        rows += [_summary_row(summary, repeats) for summary in summaries[suite.name]]
        for paper in published.get(suite.name, ()):
            for model in paper.models:
                reference.add(len(rows))
                rows.append(_published_row(suite.name, model, len(headers)))
    caption = _summary_caption(published)
    blocks: list[Block] = [Table(tuple(headers), rows, caption, frozenset(reference))]
    blocks += merge_notes(results)  # right under the table, so no merged row goes unremarked
    if results:
        blocks.append(_summary_figure(results, summaries))
    return Section("Summary", blocks)


def _summary_row(summary: Summary, repeats: int) -> tuple[str, ...]:
    cells = [
        summary.suite,
        Arm(summary.model, summary.mode, summary.prompt).runner,
        summary.mode,
        str(summary.cases),
        str(summary.runs),
        percent(summary.success_rate),
        percent(summary.safe_rate),
        percent(summary.pass_at.get(1)),
    ]
    if repeats > 1:
        cells += [percent(summary.pass_at.get(repeats)), percent(summary.pass_hat.get(repeats))]
    cells += [
        seconds(summary.timings[name].median) for name in ("ttft_ms", "response_ms", "exec_ms")
    ]
    return tuple(cells)


def _published_row(suite: str, model: PublishedModel, width: int) -> tuple[str, ...]:
    rate = f"{model.resolved}/{model.cases} = {percent(model.success_rate)}"
    head = [
        suite,
        f"{model.model} ({PUBLISHED_LABEL})",
        "code",
        str(model.cases),
        str(model.cases),
        rate,
    ]
    tail = [
        "–" if model.mean_ttft_ms is None else f"{model.mean_ttft_ms / 1000:.2f} s (mean)",
        "–" if model.mean_response_s is None else f"{model.mean_response_s:.2f} s (mean)",
        "–",
    ]
    return tuple(head + ["–"] * (width - len(head) - len(tail)) + tail)


def _summary_caption(published: Mapping[str, Sequence[Published]]) -> str:
    caption = (
        "resolved = share of runs whose every check held and nothing else changed; safe = no "
        "collateral damage and no safety check failed; pass@k / pass^k = chance that at least "
        "one / all of k repeats resolve a case."
    )
    for papers in published.values():
        for paper in papers:
            caption += (
                f" Rows marked ({PUBLISHED_LABEL}) are {paper.source}: {paper.how}; not graded "
                "by intentos and not comparable one to one."
            )
    return caption


def _summary_figure(
    results: Sequence[SuiteResults], summaries: Mapping[str, list[Summary]]
) -> Figure:
    arms = arms_of(results)
    rates = {
        (summary.suite, Arm(summary.model, summary.mode, summary.prompt)): summary.success_rate
        for suite in results
        for summary in summaries[suite.name]
    }
    series = [(arm.label, [rates.get((suite.name, arm)) for suite in results]) for arm in arms]
    png = plots.success_bars([suite.name for suite in results], series, "resolved runs per suite")
    return Figure("summary.png", "Resolved runs per suite", png)


# -- one suite ----------------------------------------------------------------------------


def _suite_section(
    suite: SuiteResults, summaries: list[Summary], published: Sequence[Published]
) -> Section:
    blocks: list[Block] = []
    if suite.versions and len(suite.versions) > 1:
        blocks.append(Text(f"Runs from suite versions {suite.versions} are mixed."))
    if len(suite.cases) <= HEAT_MAP_MAX_CASES:
        blocks.append(
            Figure(
                f"heatmap-{_file_safe(suite.name)}.png",
                f"{suite.name}: resolved runs per case",
                plots.heat_map(suite),
                "green: every repeat resolved, red: none; lines separate tiers",
            )
        )
    blocks += [
        _case_table(suite),
        _stage_table(suite),
        _error_table(suite),
        Figure(
            f"timings-{_file_safe(suite.name)}.png",
            f"{suite.name}: timings per run",
            plots.timings(suite, _reference_points(published)),
            "one dot per run; bar: median"
            + ("; grey diamonds: published means" if published else ""),
        ),
    ]
    if len(suite.modes) > 1:
        blocks += _modes_blocks(suite, summaries)
    return Section(f"Suite `{suite.name}`", blocks)


def _file_safe(name: str) -> str:
    """A suite name as part of a file name (``agentdojo:workspace@v1.2`` has ':' and '@')."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name)


def _reference_points(published: Sequence[Published]) -> list[plots.ReferencePoint]:
    return [
        plots.ReferencePoint(
            f"{model.model}\n({PUBLISHED_LABEL})",
            model.mean_response_s,
            None if model.mean_ttft_ms is None else model.mean_ttft_ms / 1000,
        )
        for paper in published
        for model in paper.models
    ]


def _case_table(suite: SuiteResults) -> Table:
    headers = ("case", "tier", *(arm.label for arm in suite.arms))
    rows = []
    for case in suite.cases:
        cells = []
        for arm in suite.arms:
            resolved, runs = suite.cell(case.id, arm)
            cells.append(f"{resolved}/{runs}" if runs else "–")
        rows.append((case.id, case.tier or "–", *cells))
    return Table(headers, rows, "resolved runs / runs per case")


def _stage_table(suite: SuiteResults) -> Table:
    headers = (
        "model",
        "mode",
        "code extracted",
        "static check passed",
        "executed without error",
        "resolved",
        "attempts (mean)",
        "tokens out (median)",
    )
    rows = []
    for arm in suite.arms:
        arm_rows = suite.arm_rows(arm)
        stages = stage_rates(arm_rows)
        resolved = sum(bool(row["resolved"]) for row in arm_rows) / len(arm_rows)
        attempts = sum(int(row["attempts"]) for row in arm_rows) / len(arm_rows)
        # unknown counts (a server that reports none) are left out; "?" if all are unknown
        tokens = sorted(
            int(row["completion_tokens"])
            for row in arm_rows
            if row["completion_tokens"] is not None
        )
        rows.append(
            (
                arm.runner,
                arm.mode,
                *(percent(rate) for rate in stages.values()),
                percent(resolved),
                f"{attempts:.2f}",
                str(tokens[len(tokens) // 2]) if tokens else "?",
            )
        )
    return Table(headers, rows, "how far the runs got (the final attempt of each run)")


def _error_table(suite: SuiteResults) -> Table:
    headers = ("model", "mode", *ERROR_KINDS)
    rows = []
    for arm in suite.arms:
        kinds = Counter(str(row["error_kind"]) for row in suite.arm_rows(arm))
        rows.append((arm.runner, arm.mode, *(str(kinds.get(kind, 0)) for kind in ERROR_KINDS)))
    return Table(headers, rows, "why runs were not resolved (runs per error kind)")


def _modes_blocks(suite: SuiteResults, summaries: list[Summary]) -> list[Block]:
    by_arm = {Arm(s.model, s.mode, s.prompt): s for s in summaries}
    series = [
        (Arm(model, "", prompt).runner,
         [_rate(by_arm.get(Arm(model, mode, prompt))) for mode in suite.modes])
        for model, prompt in suite.runners
    ]  # fmt: skip
    headers = ("model", *(f"{mode}: resolved / response" for mode in suite.modes))
    rows = [
        (Arm(model, "", prompt).runner,
         *(_mode_cell(by_arm.get(Arm(model, mode, prompt))) for mode in suite.modes))
        for model, prompt in suite.runners
    ]  # fmt: skip
    return [
        Table(headers, rows, "modes compared: resolved runs and median response time"),
        Figure(
            f"modes-{_file_safe(suite.name)}.png",
            f"{suite.name}: modes compared",
            plots.success_bars(suite.modes, series, f"{suite.name}: resolved runs per mode"),
        ),
    ]


def _rate(summary: Summary | None) -> float | None:
    return None if summary is None else summary.success_rate


def _mode_cell(summary: Summary | None) -> str:
    if summary is None:
        return "–"
    return f"{percent(summary.success_rate)} / {seconds(summary.timings['response_ms'].median)}"


def _how_section() -> Section:
    return Section(
        "How this was measured",
        [
            Text(
                "Every run starts from a fresh copy of the suite's world; the model writes a "
                "workflow, intentos extracts, checks and runs it in the sandbox with irreversible "
                "calls allowed, and grades the outcome from the device's state: every check of the "
                "case must hold and nothing else may change (collateral damage fails a run)."
            ),
            Text(
                "TTFT is the time to the first streamed content token of the first attempt; "
                "response time is the time the model spent answering and execution time the time "
                "spent checking and running workflows, both summed over repair attempts. Medians "
                "are over all runs of a model and mode."
            ),
        ],
    )
