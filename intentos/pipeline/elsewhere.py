"""A run that found nothing, where the device holds it in another app, is not done yet.

"Throw away the Rose City Data newsletter": the 1.5B looked with ``find_files("newsletter")``,
found no file, and printed "I found no Rose City Data newsletter." The newsletter is a mail in
the inbox. "Save the ingredient list of the lentil soup recipe as a note": ``find_file("lentil
soup recipe")`` found nothing and the run said so; the recipe is a web page. Both runs ended
``ok`` and told the person something untrue about their device.

**The rule.** A run that ended ``ok``, changed nothing and queued nothing is an error
(:data:`FOUND_ELSEWHERE`), rolled back and sent back through the repair loop, when

- it looked things up by words (:data:`APPS`: ``find_files``, ``search_emails``,
  ``find_notes``, ``find_events``, ``find_contacts``, ``find_songs``, ``search_web`` and their
  one-result forms) and every such look-up, and every read (:data:`READS`), found nothing;
- and the same words, looked up in an app the run did not look in (one the workflow could
  call), find something there; the web cache counts only for words looked for among files
  or notes (:data:`ONLY_FOR`).

The error names the look-up that would have found it and what it finds, so the repair turn
can go there. A run that looked in the right place and found nothing, or whose words find
nothing anywhere, passes: "I found no such file" is then the truth. Every reference and
alternative workflow of every suite, and every worked example, passes
(tests/test_bench_suites.py, tests/test_examples.py).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord
from intentos.pipeline.honesty import changed_something

FOUND_ELSEWHERE = "found_elsewhere"

# Each app a wish's thing may live in: the look-up that searches it by words, and every
# function whose call means the run looked there.
APPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("files", "find_files", frozenset({"find_files", "find_file", "list_files"})),
    ("mail", "search_emails", frozenset({"search_emails", "find_email", "list_emails"})),
    ("notes", "find_notes", frozenset({"find_notes", "list_notes"})),
    ("calendar", "find_events", frozenset({"find_events", "list_events"})),
    ("contacts", "find_contacts", frozenset({"find_contacts", "find_contact_id"})),
    ("music", "find_songs", frozenset({"find_songs", "find_all_audio_files"})),
    ("web", "search_web", frozenset({"search_web"})),
)
# Apps named only for a look-up in some others: the web cache finds a page for almost any
# words, so it stands in for a document looked for among files or notes (a recipe, an
# article), never for a person or an appointment ("flight to Boston on 2026-04-02" is not on
# the web).
ONLY_FOR: dict[str, frozenset[str]] = {"web": frozenset({"files", "notes"})}
# Look-ups that take the words to look for as their first argument.
BY_WORDS = frozenset(
    {"find_files", "find_file", "search_emails", "find_email", "find_notes", "find_events"}
    | {"find_contacts", "find_contact_id", "find_songs", "search_web"}
)
# Calls that read something the run already had in hand; one that returned something means
# the run found something.
READS = frozenset(
    {"read_file", "read_email", "get_contact", "list_messages", "list_reminders"}
    | {"http_get_request", "list_files", "list_emails", "list_notes", "list_events"}
)
# Every call whose result says whether the run found something.
FINDS = BY_WORDS | READS
# How a found item is named in the error, by the first field it has.
LABELS = ("subject", "title", "name", "text", "path")

Search = Callable[[str, str], Any]  # (function, words) -> what the look-up returns


@dataclass(frozen=True)
class Elsewhere:
    """What a look-up in another app finds for the words an empty look-up used."""

    tried: str  # e.g. "find_files('newsletter')"
    function: str
    words: str
    found: list[Any]

    def message(self) -> str:
        more = len(self.found) - 1
        found = _label(self.found[0]) + (f" and {more} more" if more else "")
        return (
            f"{self.tried} found nothing, so the workflow said nothing was there, but the "
            f"device has it elsewhere: {self.function}({self.words!r}) finds {found}; "
            "nothing was changed. Look it up there and do what the wish asks with what it "
            "finds"
        )


def review_elsewhere(
    record: ExecutionRecord, search: Search | None, offered: Collection[str] | None = None
) -> ErrorInfo | None:
    """The error of a run that found nothing where the device holds it in an app the run did
    not look in (see the module docstring), or None. ``search`` runs a look-up on the device
    as the run left it; ``offered`` are the functions the workflow could call (None: any)."""
    if search is None or record.status != "ok" or record.outbox or changed_something(record):
        return None
    done = [call for call in record.calls if call.error is None]
    empty = [call for call in done if call.name in BY_WORDS and _words(call)]
    if not empty or any(_found(call) for call in done if call.name in FINDS):
        return None
    looked = {app for app, _, functions in APPS if any(c.name in functions for c in done)}
    for call in empty:
        words = _words(call)
        searched = {app for app, _, functions in APPS if call.name in functions}
        for app, function, _ in APPS:
            if app in looked or (offered is not None and function not in offered):
                continue
            if app in ONLY_FOR and not searched & ONLY_FOR[app]:
                continue
            found = _as_list(search(function, words))
            if found:
                tried = f"{call.name}({words!r})"
                return ErrorInfo(
                    kind=FOUND_ELSEWHERE,
                    message=Elsewhere(tried, function, words, found).message(),
                )
    return None


def _words(call: CallRecord) -> str:
    value = call.args[0] if call.args else call.kwargs.get("expression", call.kwargs.get("query"))
    return value.strip() if isinstance(value, str) else ""


def _found(call: CallRecord) -> bool:
    return bool(_as_list(call.result))


def _as_list(value: Any) -> list[Any]:
    if value is None or value in ("", []):
        return []
    return value if isinstance(value, list) else [value]


def _label(item: Any) -> str:
    if isinstance(item, dict):
        for field in LABELS:
            if item.get(field):
                return repr(str(item[field]))
    return repr(str(item))
