"""An answer about the person's own things comes from the device, not from the workflow's text.

"How many days until my flight to Boston?": the 1.5B wrote ``flight_date =
datetime.strptime("2026-03-25", ...)``, never looked at the calendar, and printed "The flight
to Boston is in 8 day(s)." "Take the eggs off my shopping list": it wrote
``shopping_list = ["eggs", "bread", "milk"]`` and printed that. Both runs ended ``ok`` and
told the person something the device never said.

**The rule.** A run that ended ``ok`` is an error (:data:`LOOKED_NOTHING_UP`), rolled back
and sent back through the repair loop, when all of these hold:

- the wish speaks of the person's own things (:data:`OWNED`: "my", "our", "mine", "ours");
- the workflow looked nothing up: every call that succeeded only talked, waited, did
  arithmetic on the clock or asked the nested model (:data:`NOT_LOOKUPS`), and it asked the
  person nothing;
- it changed nothing and queued nothing to send;
- what it showed or said does not tell the person that it cannot help (:data:`CANNOT`: "I
  can't", "not able", "no way to", "sorry" ...), because a refusal needs no look-up ("Order
  my usual pizza": this device cannot order food).

A wish about the world rather than the person's things ("Which is the largest city in
Germany?", "Tell me a joke") is not judged. A wish that speaks of "my" things and is rightly
answered from the text alone ("Tell me a joke about my cat") would be sent back; no wish of
any suite or worked example is, and the message lets the model say the device cannot tell.
Every reference and alternative workflow of every suite, and every worked example, passes
(tests/test_bench_suites.py, tests/test_examples.py).
"""

from __future__ import annotations

from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.honesty import changed_something
from intentos.pipeline.wish_words import whole_words

LOOKED_NOTHING_UP = "looked_nothing_up"

# Words of a wish that make it about the person's own things, each with a wish holding it
# (the tests parametrise over both). Matched as whole words, any case.
OWNED: tuple[tuple[str, str], ...] = (
    (r"my", "How many days until my flight to Boston?"),
    (r"our", "What did we spend on our car in January?"),
    (r"mine", "Is the blue umbrella in the photos mine?"),
    (r"ours", "Which of the parking spots is ours?"),
)
# API functions that find nothing out about the person: talking, waiting, arithmetic on the
# device clock, and the nested model (it knows nothing of the device). Any other call that
# succeeded looked something up, asked the person, or did something.
NOT_LOOKUPS: frozenset[str] = frozenset(
    {
        *("print", "speak", "sleep", "query_llm"),
        *("get_current_time", "shift_time", "get_weekday", "resolve_time", "minutes_between"),
    }
)
# What a shown line says when the workflow tells the person it cannot help, each with such a
# line. Matched as whole words, any case.
CANNOT: tuple[tuple[str, str], ...] = (
    (r"can(?:no|')t|can\s+not|could(?:n't|\s+not)", "I can't order food from this device."),
    (r"unable|not\s+able", "I'm not able to reach your bank."),
    (r"no\s+(?:way|access)", "This device has no access to your bank account."),
    (r"won't|will\s+not|don't\s+have|do\s+not\s+have", "I don't have your flight details."),
    (r"sorry|unfortunately", "Sorry, there is no thermostat connected."),
    (r"not\s+(?:possible|supported|available)", "Turning the lights off is not supported."),
)

_OWNED = whole_words(OWNED)
_CANNOT = whole_words(CANNOT)


def speaks_of_own_things(intent: str) -> bool:
    """Whether the wish speaks of the person's own things."""
    return _OWNED.search(intent) is not None


def says_it_cannot(text: str) -> bool:
    """Whether ``text`` tells the person the workflow cannot help."""
    return _CANNOT.search(text) is not None


def looked_something_up(record: ExecutionRecord) -> bool:
    """Whether a call that finds something out (or asks the person) succeeded."""
    return any(call.error is None and call.name not in NOT_LOOKUPS for call in record.calls)


def review_made_up(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` answering a wish about the person's own things
    without looking anything up (see the module docstring), or None."""
    if record.status != "ok" or record.outbox or changed_something(record):
        return None
    if looked_something_up(record) or not speaks_of_own_things(intent):
        return None
    if any(says_it_cannot(line.text) for line in record.screen):
        return None
    return ErrorInfo(
        kind=LOOKED_NOTHING_UP,
        message=(
            "the wish is about the person's own things, but the workflow looked nothing up on "
            "the device: whatever it showed was written into the code, not found. Find it "
            "with the API (find_events, find_files and read_file, find_notes, search_emails, "
            "find_contacts, list_reminders ...) and answer from what it returns; if the device "
            "cannot tell, print() that"
        ),
    )
