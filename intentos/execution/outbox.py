"""The outbox: outbound effects wait here until the run commits.

Sending mail or a text message leaves the device for good, and a workflow needs nothing back
from it but an id. So such a call is **queued**: it runs against the device inside the run's
transaction, as every other call does — the mail gets its real id and sits in ``sent``, the
message in the conversation, so whatever the workflow reads afterwards is consistent with what
it did — and the outbox keeps, from the rows the call wrote, exactly what would leave: the
recipients, subject, body and attachments. Nothing leaves while the workflow runs.

When the workflow has finished, the person sees the whole preview once (every queued effect in
full and the device diff) and either approves — the transaction commits, which is the delivery
— or refuses, and the rollback discards everything: nothing has left. A dry run, a failed
workflow and a run nobody could approve discard the queue the same way.

Why the rows are written at once rather than recorded and applied at commit: the workflow sees
the device it expects (``read_email(id)`` and ``list_emails("sent")`` find the mail), the ids are
the device's own, and the one-transaction-per-run rule already guarantees that no row survives
a run that did not commit. An ``outbox`` mail folder would have shown the workflow a state no
mail program shows after "send".

Effects whose result the workflow must read at once (the simulated ``shell``) cannot wait: they
are approved per call and run **immediately**; the record says they cannot be undone.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from intentos.api.context import ApiContext

Delivery = Literal["queued", "delivered", "discarded", "executed"]
"""What became of an irreversible call: ``queued`` in the outbox while the run goes on,
``delivered`` when the run committed, ``discarded`` when it did not (or the person refused the
call), ``executed`` when it ran at once and cannot be undone."""

# Outbound functions (in every profile that has them) and the device table their effect is
# written to. Anything else irreversible runs immediately, after its own approval.
OUTBOUND: dict[str, str] = {
    "send_email": "mail",
    "reply_to_email": "mail",
    "forward_email": "mail",
    "send_message": "messages",
}
IMMEDIATE: frozenset[str] = frozenset({"shell"})


class QueuedEffect(BaseModel):
    """One outbound effect, in full, as the person approves it."""

    call: int = Field(description="index of the call in the record's call list")
    function: str
    kind: Literal["mail", "message"]
    id: int
    to: list[str]
    cc: list[str] = Field(default_factory=list)
    subject: str = ""
    body: str
    attachments: list[str] = Field(default_factory=list)
    delivery: Delivery = "queued"

    def headline(self) -> str:
        """``mail to a@b.example: "Car title" (1 attachment)``"""
        if self.kind == "message":
            return f"text message to {', '.join(self.to)}"
        attached = len(self.attachments)
        files = f" ({attached} attachment{'s' if attached != 1 else ''})" if attached else ""
        return f'mail to {", ".join(self.to)}: "{self.subject}"{files}'


def count_words(items: list[QueuedEffect]) -> str:
    """``2 mails and 1 text message``."""
    mails = sum(1 for item in items if item.kind == "mail")
    parts = [
        f"{count} {noun}{'s' if count != 1 else ''}"
        for count, noun in ((mails, "mail"), (len(items) - mails, "text message"))
        if count
    ]
    return " and ".join(parts) or "nothing"


def holds(name: str) -> bool:
    """Whether a call of ``name`` goes to the outbox rather than running immediately."""
    return name in OUTBOUND


class Outbox:
    """The queued effects of one run, read from the rows their calls wrote."""

    def __init__(self) -> None:
        self.items: list[QueuedEffect] = []

    def mark(self, context: ApiContext, name: str) -> int:
        """Before a call of ``name``: the highest row id of its table so far."""
        row = context.row(f'SELECT coalesce(max(id), 0) AS top FROM "{OUTBOUND[name]}"')
        return int(row["top"]) if row is not None else 0

    def queue(self, context: ApiContext, name: str, call: int, mark: int) -> list[QueuedEffect]:
        """After a successful call of ``name``: queue what it wrote past ``mark``."""
        table = OUTBOUND[name]
        rows = context.rows(f'SELECT * FROM "{table}" WHERE id > ? ORDER BY id', (mark,))
        made = [
            _mail(context, name, call, row) if table == "mail" else _message(name, call, row)
            for row in rows
        ]
        self.items += made
        return made

    def settle(self, delivered: bool) -> None:
        """The run committed (``delivered``) or was rolled back."""
        for item in self.items:
            item.delivery = "delivered" if delivered else "discarded"


def _mail(context: ApiContext, name: str, call: int, row: dict[str, Any]) -> QueuedEffect:
    attachments = context.rows(
        "SELECT path FROM mail_attachments WHERE mail_id = ? ORDER BY position", (row["id"],)
    )
    return QueuedEffect(
        call=call,
        function=name,
        kind="mail",
        id=row["id"],
        to=json.loads(row["recipients"]),
        cc=json.loads(row["cc"]),
        subject=row["subject"],
        body=row["body"],
        attachments=[str(a["path"]) for a in attachments],
    )


def _message(name: str, call: int, row: dict[str, Any]) -> QueuedEffect:
    return QueuedEffect(
        call=call, function=name, kind="message", id=row["id"], to=[row["number"]],
        body=row["body"],
    )  # fmt: skip
