"""A question about one app is not answered from another.

"What reminders do I have coming up this week?": the 1.5B listed the week's calendar events
and printed each as "Reminder: Analytics team sync …". The run ended ``ok``; the person's
reminders (the dentist, the rent) were never looked at.

**The rule.** A run that ended ``ok``, changed nothing and queued nothing is an error
(:data:`OTHER_APP`), rolled back and sent through the repair loop, when the wish names an
app's things by a word of :data:`APP_WORDS` ("reminders", "calendar", "inbox", "notes",
"contacts", "folder" …), the run looked things up in some app (:data:`LOOKS`), and it called
no function of any app the wish names (one the workflow could call). Words that name a thing
that may live in several apps ("appointment", "meeting", "document") are not in the table: a
dentist appointment may be a calendar event or a confirmation mail. Every reference and
alternative workflow of every suite, and every worked example, passes (tests/test_other_app.py).
"""

from __future__ import annotations

from collections.abc import Collection

from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.honesty import changed_something
from intentos.pipeline.wish_words import whole_words

OTHER_APP = "other_app"

# Each app: the words of a wish that name its things (with a wish that holds them; the tests
# parametrise over both), the functions whose call means the run looked there, and the one
# the error suggests.
APP_WORDS: tuple[tuple[str, str, frozenset[str], str], ...] = (
    (
        r"reminders",
        "What reminders do I have coming up this week?",
        frozenset({"list_reminders"}),
        "list_reminders()",
    ),
    (
        r"calendar",
        "What's on my calendar on Friday?",
        frozenset({"list_events", "find_events"}),
        "list_events(start, end)",
    ),
    (
        r"inbox|e-?mails|mails|mailbox",
        "Any e-mails from Greg this week?",
        frozenset({"list_emails", "search_emails", "find_email", "read_email"}),
        "search_emails(expression)",
    ),
    (
        r"notes",
        "Check my notes for the wifi password",
        frozenset({"list_notes", "find_notes"}),
        "find_notes(expression)",
    ),
    (
        r"contacts|address\s+book",
        "Who in my contacts works at Northwind?",
        frozenset({"find_contacts", "find_contact_id", "get_contact"}),
        "find_contacts(expression)",
    ),
    (
        r"folders?|downloads|desktop",
        "What's in my Downloads folder?",
        frozenset({"list_files", "find_files", "find_file", "read_file", "file_info"}),
        "list_files(folder)",
    ),
)
# Every function whose call means the run looked in some app.
LOOKS: frozenset[str] = frozenset().union(*(functions for _, _, functions, _ in APP_WORDS))
_NAMES = [
    (whole_words([(words, wish)]), functions, hint) for words, wish, functions, hint in APP_WORDS
]


def named_apps(intent: str) -> list[tuple[frozenset[str], str]]:
    """The apps the wish names: each one's functions and the call the error suggests."""
    return [(functions, hint) for words, functions, hint in _NAMES if words.search(intent)]


def review_other_app(
    record: ExecutionRecord, intent: str, offered: Collection[str] | None
) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` answering a question about one app from others
    only (see the module docstring), or None."""
    if record.status != "ok" or record.outbox or changed_something(record):
        return None
    called = {call.name for call in record.calls}
    looked = sorted(called & LOOKS)
    apps = [
        (functions, hint)
        for functions, hint in named_apps(intent)
        if offered is None or functions & set(offered)
    ]
    if not looked or not apps or any(called & functions for functions, _ in apps):
        return None
    return ErrorInfo(
        kind=OTHER_APP,
        message=(
            f"the wish asks about the person's {_word(intent)}, but the workflow looked only "
            f"with {', '.join(looked)}, which do not read them; nothing was changed. Look "
            f"where they are, e.g. {apps[0][1]}, and answer from what it returns"
        ),
    )


def _word(intent: str) -> str:
    for words, _, _ in _NAMES:
        if found := words.search(intent):
            return found[0].lower()
    return "things"
