"""Whether what a finished run told the person matches what it did.

Two kinds of run end without an error and still leave the person misled, so the pipeline
judges every run before it is committed (:func:`review`) and sends these back to the model
like any error:

``silent``      nothing shown, said, asked or changed: the person gets no answer at all (the
                1.5B saw the room was warm enough and stopped without a word);
``false_claim`` a line reports an action ("Texted Sam at 08:40.", "Deleted duplicates from
                contacts.") but the run changed nothing: no message, mail, file, event, note,
                reminder or setting was touched.

A claim is a printed or spoken line that begins with one of :data:`CLAIM_VERBS` (after an
optional "I", "I've", "Done," …), unless what follows says that nothing was done ("Sent
nothing", "Moved 0 photos") or speaks of what would happen ("Playing them all would take …").
Only runs that changed nothing are judged: a run that did something else than it says is the
grader's business, not a pattern's. The references and alternatives of every suite pass it
(tests/test_bench_suites.py).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from intentos.api.registry import Effect
from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord

SILENT = "silent"
SILENT_MESSAGE = (
    "the workflow finished without showing the person anything or changing anything: the "
    "branch that ran printed nothing; every way through the workflow must end with a print(), "
    "so add an else: (or a print after the loop) that tells the person what was found, or why "
    "nothing needed doing"
)
FALSE_CLAIM = "false_claim"

# Verbs that report a change made to the device or sent from it, in the forms a workflow
# prints them ("Texted …", "I've moved …", "Now playing …"), each with the API functions that
# make such a change: the error names them, so the repair turn shows the first one in full.
CLAIM_VERBS: dict[str, tuple[str, ...]] = {
    "texted": ("send_message",),
    "messaged": ("send_message",),
    "sent": ("send_email", "send_message", "reply_to_email"),
    "e-mailed": ("send_email",),
    "emailed": ("send_email",),
    "mailed": ("send_email",),
    "replied": ("reply_to_email",),
    "forwarded": ("forward_email",),
    "deleted": ("delete_file", "delete_email", "delete_event", "delete_contact"),
    "removed": ("delete_file", "delete_event", "write_file"),
    "trashed": ("delete_email", "delete_file"),
    "moved": ("move_file", "update_event"),
    "filed": ("move_file",),
    "renamed": ("move_file",),
    "copied": ("copy_file",),
    "archived": ("move_file",),
    "created": ("create_event", "create_note", "create_reminder", "create_folder"),
    "added": ("create_event", "add_contact", "append_to_file", "create_reminder"),
    "saved": ("create_note", "write_file", "save_draft"),
    "wrote": ("write_file", "create_note"),
    "scheduled": ("create_event",),
    "booked": ("create_event",),
    "blocked": ("create_event",),
    "invited": ("create_event", "update_event"),
    "rescheduled": ("update_event",),
    "pushed": ("update_event",),
    "updated": ("update_event", "update_contact", "write_file"),
    "changed": ("update_event", "update_contact", "write_file"),
    "cancelled": ("delete_event",),
    "canceled": ("delete_event",),
    "marked": ("mark_email_read", "complete_reminder"),
    "ticked": ("complete_reminder",),
    "crossed": ("complete_reminder", "write_file"),
    "completed": ("complete_reminder",),
    "set": ("create_reminder", "set_volume"),
    "turned": ("set_volume",),
    "started": ("play_song", "resume_audio_player"),
    "played": ("play_song", "play_audio_file"),
    "playing": ("play_song", "play_audio_file"),
    "now playing": ("play_song", "play_audio_file"),
}
# Calls that only talk to the person (or wait): a run made of them changed nothing.
TALK_ONLY: frozenset[str] = frozenset({"print", "speak", "ask_question", "ask_choice", "sleep"})
# Words after the verb that say nothing was done, or that the line is about what would be.
NOTHING_DONE = re.compile(r"\b(0|no|nothing|none|zero|not|would|could|will)\b", re.IGNORECASE)
_OPENING = r"(?:(?:ok|okay|done|alright)\b[,.:!]?\s*)?(?:i(?:'ve| have)?\s+)?(?:just\s+)?"
_CLAIM = re.compile(
    rf"^\s*{_OPENING}({'|'.join(re.escape(verb) for verb in CLAIM_VERBS)})\b(.*)$",
    re.IGNORECASE,
)


def review(record: ExecutionRecord, offered: Collection[str] | None = None) -> ErrorInfo | None:
    """The error a run that ended ``ok`` still deserves (see the module docstring), or None.
    ``offered`` are the API functions the workflow could call (None: any); a false claim's
    error names only those."""
    if record.status != "ok" or changed_something(record):
        return None
    if not record.screen and not any(_succeeded(call) for call in record.calls):
        return ErrorInfo(kind=SILENT, message=SILENT_MESSAGE)
    claim = first_claim(line.text for line in record.screen)
    if claim is not None:
        return ErrorInfo(kind=FALSE_CLAIM, message=false_claim_message(claim, offered))
    return None


def claimed_verb(line: str) -> str | None:
    """The verb of :data:`CLAIM_VERBS` that ``line`` reports an action with, or None."""
    match = _CLAIM.match(line)
    if match is None or NOTHING_DONE.search(match[2]) is not None:
        return None
    return " ".join(match[1].lower().split())


def changed_something(record: ExecutionRecord) -> bool:
    """Whether a call that changes the device or leaves it succeeded (talking does not count)."""
    return any(_succeeded(call) and call.name not in TALK_ONLY for call in record.calls)


def _succeeded(call: CallRecord) -> bool:
    """A call that wrote to the device (or queued something to leave it) without error."""
    return call.error is None and call.effect not in (None, Effect.READ)


def first_claim(texts: Iterable[str]) -> str | None:
    """The first line of the shown or spoken ``texts`` that reports an action, or None."""
    for text in texts:
        for line in text.splitlines():
            if is_claim(line):
                return line.strip()
    return None


def is_claim(line: str) -> bool:
    return claimed_verb(line) is not None


def false_claim_message(claim: str, offered: Collection[str] | None = None) -> str:
    shown = claim if len(claim) <= 120 else claim[:117] + "..."
    verb = claimed_verb(claim)
    calls = " or ".join(
        f"{name}(...)"
        for name in CLAIM_VERBS.get(verb or "", ())
        if offered is None or name in offered
    )
    doing = f"call {calls}" if calls else "call the API function that does it"
    return (
        f"the workflow printed {shown!r} but changed nothing: no message, mail, file, event, "
        f"note, reminder or setting was touched, so that line is not true. To do what it "
        f"says, {doing}; or print what actually happened (for example that nothing was "
        "found)"
    )
