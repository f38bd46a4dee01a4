"""One sentence for how a run ended, and its tone: what the notice line says."""

from __future__ import annotations

from intentos.execution.outbox import count_words
from intentos.execution.record import ExecutionRecord
from intentos.tui.runner import RunOutcome
from intentos.tui.widgets.status import Tone

ROLLED_BACK = "the run was rolled back and nothing was kept"


def describe_outcome(outcome: RunOutcome) -> tuple[str, Tone]:
    text, tone = _describe(outcome)
    result = outcome.result
    if result is not None and result.run_id is not None:
        text += f" Logged as run {result.run_id}."
    if outcome.log_error:
        text += f" ({outcome.log_error})"
    return text, tone


def _describe(outcome: RunOutcome) -> tuple[str, Tone]:
    if outcome.cancelled:
        return f"Cancelled: {ROLLED_BACK}; the device is unchanged.", "warning"
    if outcome.error is not None:
        return outcome.error, "error"
    result = outcome.result
    final = result.final if result is not None else None
    if result is None or final is None:
        return "The model could not be asked.", "error"
    attempts = f" after {len(result.attempts)} attempts" if len(result.attempts) > 1 else ""
    sent = [item for item in final.outbox if item.delivery == "delivered"]
    if final.status == "ok":
        changed = "the device kept its changes" if not final.diff.empty else "nothing changed"
        if sent:
            changed = f"sent {count_words(sent)} and {changed}"
        return f"ok{attempts}: {changed}.", "ok"
    if final.status == "rejected":
        refused = next((call for call in final.calls if call.approved is False), None)
        if refused is None:
            return f"You discarded the run: nothing was sent; {ROLLED_BACK}.", "warning"
        return f"You refused {refused.name}(…): {ROLLED_BACK}{_not_undone(final)}.", "warning"
    error = final.error
    reason = f"{error.kind}: {error.message}" if error is not None else "it failed"
    return f"{final.status}{attempts} — {reason}; {ROLLED_BACK}{_not_undone(final)}.", "error"


def _not_undone(record: ExecutionRecord) -> str:
    executed = [call.name for call in record.calls if call.delivery == "executed"]
    if not executed:
        return ""
    return (
        f", except {', '.join(f'{name}(…)' for name in executed)}, which ran and cannot be undone"
    )
