"""A wish to send something is not answered by changing something else.

"E-mail everyone invited to Jordan's birthday dinner that the table is booked for 7 pm": the
1.5B sent no mail, added a second "Jordan's birthday dinner" to today's calendar at 19:00, and
printed that it had. The mirror image of :mod:`intentos.pipeline.unasked` (mail nobody asked
for): here the mail was asked for, and what happened instead was not.

**The rule.** A run that ended ``ok`` with nothing queued to send, but with a change to the
calendar, files, contacts, notes or reminders (:data:`CHANGES`), is an error
(:data:`CHANGED_INSTEAD`) when the wish opens with a verb that sends (:data:`SEND_FIRST`:
"E-mail …", "Text …", "Send …", "Reply …", "Forward …", after "please" and the like). A run
that sends, or that changes nothing (it found nothing, or it explains why it will not send),
passes; so does a wish that opens otherwise ("Move the dinner to 7 and text everyone"). Every
reference and alternative workflow of every suite passes (tests/test_unsent.py).
"""

from __future__ import annotations

import re

from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.wish_words import one_of

CHANGED_INSTEAD = "changed_instead"

# Verbs that open a wish to send, each with a wish that opens with it (the tests parametrise
# over both). Matched at the start, after courtesy words, any case.
SEND_FIRST: tuple[tuple[str, str], ...] = (
    (r"e-?mail", "E-mail everyone invited to the dinner that the table is booked"),
    (r"text|message|sms", "Text Sam that I'm running late"),
    (r"send|resend", "Send Rosa the photo of our car"),
    (r"reply|respond|answer", "Reply to Greg's e-mail and tell him that's fine with us"),
    (r"forward", "Forward the Harbor Mutual mail to Jordan"),
)
COURTESY = r"(?:(?:please|pls|kindly|can\s+you|could\s+you|would\s+you|go\s+ahead\s+and)\s*,?\s*)*"
_SEND_FIRST = re.compile(
    rf"^\s*{COURTESY}(?:{one_of(SEND_FIRST)})\b",
    re.IGNORECASE,
)
# API calls that change what the person keeps; output, questions, the player and marking mail
# read do not count, nor a draft (a wish to send may end in one the person sends).
CHANGES = frozenset(
    {
        *("create_event", "update_event", "delete_event", "add_contact", "update_contact"),
        *("delete_contact", "write_file", "append_to_file", "copy_file", "move_file"),
        *("delete_file", "create_folder", "create_note", "create_reminder", "delete_email"),
        "complete_reminder",
    }
)


def opens_with_send(intent: str) -> bool:
    """Whether the wish opens with a verb that sends."""
    return _SEND_FIRST.search(intent) is not None


def review_unsent(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` having sent nothing but changed something else,
    while its wish opens with a verb that sends (see the module docstring), or None."""
    if record.status != "ok" or record.outbox or not opens_with_send(intent):
        return None
    changed = [call.name for call in record.calls if call.error is None and call.name in CHANGES]
    if not changed:
        return None
    return ErrorInfo(
        kind=CHANGED_INSTEAD,
        message=(
            f"the wish asks to send something, but the workflow sent nothing and called "
            f"{', '.join(dict.fromkeys(changed))}, which the wish did not ask for; nothing was "
            "changed. Send what the wish asks (send_email, send_message, reply_to_email or "
            "forward_email), or print() why it cannot be sent, without changing anything else"
        ),
    )
