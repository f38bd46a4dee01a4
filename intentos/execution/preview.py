"""How a run is shown to a person, in the CLI and the TUI alike: the approval preview, the call
list with what became of each irreversible call, the queued effects in full, the device diff.

Everything here returns Rich renderables or plain lines; nothing prints and nothing imports a
UI toolkit. ``intentos.cli.render`` and the TUI's widgets lay these out on their screens.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from intentos.device.snapshot import DeviceDiff
from intentos.execution.approval import Preview
from intentos.execution.outbox import Delivery, QueuedEffect, count_words
from intentos.execution.record import CallRecord, ExecutionRecord

VALUE_WIDTH = 70
MARK_STYLE = {"+": "green", "-": "red", "~": "yellow"}

# What became of an irreversible call, in the call list (kept short: it is a table column).
DELIVERY_LABEL: dict[Delivery, tuple[str, str]] = {
    "queued": ("queued", "yellow"),
    "delivered": ("sent", "bold green"),
    "discarded": ("not sent", "dim"),
    "executed": ("ran; no undo", "bold magenta"),
}
# The same, in a sentence, above each queued effect.
DELIVERY_SENTENCE: dict[Delivery, str] = {
    "queued": "waits for your approval",
    "delivered": "sent when the run was approved",
    "discarded": "discarded — it never left the device",
    "executed": "ran at once — it cannot be undone",
}


def short(value: Any, width: int = VALUE_WIDTH) -> str:
    """One line of at most ``width`` characters (JSON for anything but a string)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- calls -------------------------------------------------------------------------------------


def call_text(call: CallRecord, width: int = 60, argument_width: int = 30) -> str:
    """``send_email("a@b.example", "Car title", …)`` in at most ``width`` characters."""
    arguments = [short(json.dumps(arg, ensure_ascii=False), argument_width) for arg in call.args]
    arguments += [
        f"{key}={short(json.dumps(value, ensure_ascii=False), argument_width)}"
        for key, value in call.kwargs.items()
    ]
    return short(f"{call.name}({', '.join(arguments)})", width)


def effect_text(call: CallRecord) -> Text:
    """The effect class, or for an irreversible call what became of it."""
    if call.approved is False:
        return Text("✘ refused", style="bold red")
    if call.delivery is not None:
        label, style = DELIVERY_LABEL[call.delivery]
        return Text(label, style=style)
    text = Text(call.effect or "")
    if call.approved is True:
        text.append(" ✔", style="bold green")
    return text


def result_text(call: CallRecord, width: int = 40) -> Text:
    if call.error:
        return Text(short(call.error, width), style="red")
    return Text(short(call.result, width))


def calls_table(
    calls: list[CallRecord], *, call_width: int = 60, title: str | None = None
) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for column in ("#", "call", "effect", "result"):
        table.add_column(column, overflow="fold")
    for index, call in enumerate(calls, 1):
        table.add_row(str(index), call_text(call, call_width), effect_text(call), result_text(call))
    return table


# -- the device diff ---------------------------------------------------------------------------


def diff_lines(diff: DeviceDiff) -> list[str]:
    """One line per changed row: ``+ mail #32 to=[...] subject=...``."""
    lines: list[str] = []
    for name, table in diff.tables.items():
        lines += [f"+ {name} {_row_label(row)}" for row in table.added]
        lines += [f"- {name} {_row_label(row)}" for row in table.removed]
        for change in table.changed:
            key = ",".join(str(value) for value in change.key.values())
            fields = "; ".join(
                f"{field}: {short(values.before, 30)} → {short(values.after, 30)}"
                for field, values in change.fields.items()
            )
            lines.append(f"~ {name} {key}: {fields}")
    return lines


def _row_label(row: dict[str, Any]) -> str:
    shown = {k: v for k, v in row.items() if v not in (None, "", "[]", "{}")}
    return short(", ".join(f"{k}={short(v, 40)}" for k, v in shown.items()), 110)


def diff_text(lines: Iterable[str]) -> Text:
    text = Text()
    for line in lines:
        text.append(line + "\n", style=MARK_STYLE[line[0]])
    text.rstrip()
    return text


# -- queued effects ----------------------------------------------------------------------------


def queued_view(item: QueuedEffect) -> Table:
    """One outbound effect in full: recipients, subject, attachments, the whole text."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("to", Text(", ".join(item.to)))
    if item.cc:
        table.add_row("cc", Text(", ".join(item.cc)))
    if item.kind == "mail":
        table.add_row("subject", Text(item.subject))
        table.add_row("attached", Text("\n".join(item.attachments) or "nothing"))
    table.add_row("text", Text(item.body or "(empty)"))
    return table


def outbox_view(items: Iterable[QueuedEffect]) -> Group:
    """Every queued effect, numbered, with what became of it."""
    parts: list[RenderableType] = []
    for number, item in enumerate(items, 1):
        head = Text(f"✉ {number}. {item.headline()}", style="bold")
        head.append(f" — {DELIVERY_SENTENCE[item.delivery]}", style="")
        parts += [head, queued_view(item)]
    return Group(*parts)


def preview_view(preview: Preview) -> Group:
    """What the person approves at the end of a run, all of it."""
    parts: list[RenderableType] = [
        Text(f"The workflow finished. Approving will {preview.describe()}:", style="bold"),
        outbox_view(preview.queued),
    ]
    if preview.executed:
        parts.append(Text("Already done during the run (cannot be undone):", style="bold"))
        parts += [Text(f"  {line}", style="magenta") for line in preview.executed]
    lines = diff_lines(preview.diff)
    parts.append(Text("The device would change:" if lines else "The device would not change."))
    if lines:
        parts.append(diff_text(lines))
    return Group(*parts)


# -- the whole record --------------------------------------------------------------------------


def diff_heading(record: ExecutionRecord) -> str:
    if record.dry_run:
        return "The device would change (dry run, nothing kept):"
    if record.committed:
        return "The device changed:"
    return "The device tried to change (rolled back):"


def aftermath(record: ExecutionRecord) -> list[str]:
    """Sentences on what left the device and what did not, for the end of a run's report."""
    lines: list[str] = []
    executed = [call for call in record.calls if call.delivery == "executed"]
    sent = [item for item in record.outbox if item.delivery == "delivered"]
    dropped = [item for item in record.outbox if item.delivery == "discarded"]
    if sent:
        lines.append(f"Sent: {count_words(sent)} left the device when the run was approved.")
    if dropped:
        why = "dry run" if record.dry_run else "the run was not committed"
        lines.append(
            f"Not sent: {count_words(dropped)} discarded ({why}); nothing left the device."
        )
    if executed and not record.committed:
        calls = ", ".join(call_text(call, 50) for call in executed)
        lines.append(
            f"Done and not undone: {calls} ran immediately and cannot be undone; "
            "only the rest of the run was rolled back."
        )
    return lines
