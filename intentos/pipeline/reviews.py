"""Every review a finished run passes before it is kept, in the order they are asked.

A review reads a run that ended ``ok`` (its calls, what it showed, what it queued to send,
what it changed) against the wish, and returns the error the run still deserves or None. The
executor rolls back a run that a review judged, and the repair loop sends the error to the
model like any other. Each review lives in its own module, which says what it catches and
why; this list is the one place that says which reviews run, so the pipeline and the tests
that hold every suite's correct workflows to them (tests/test_bench_suites.py) cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from intentos.api.context import ApiContext
from intentos.api.registry import Registry
from intentos.device.store import Device
from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.attachments import review_attachments
from intentos.pipeline.elsewhere import Search, review_elsewhere
from intentos.pipeline.honesty import review as review_honesty
from intentos.pipeline.lengths import review_lengths
from intentos.pipeline.levels import review_levels
from intentos.pipeline.made_up import review_made_up
from intentos.pipeline.moves import review_moves, review_unasked_changes
from intentos.pipeline.named_days import review_named_days
from intentos.pipeline.other_app import review_other_app
from intentos.pipeline.totals import review_totals
from intentos.pipeline.unasked import Person, review_sends
from intentos.pipeline.unsent import review_unsent


@dataclass(frozen=True)
class Wish:
    """What a review may read besides the run: the wish, the functions the workflow was
    offered (None: any), the device's contacts and a look-up on the device as the run left
    it (each used only when a review needs it)."""

    intent: str
    offered: Collection[str] | None = None
    people: Callable[[], Iterable[Person]] = tuple
    search: Search | None = None


Review = Callable[[ExecutionRecord, Wish], ErrorInfo | None]

REVIEWS: tuple[tuple[str, Review], ...] = (
    ("honesty", lambda record, wish: review_honesty(record, wish.offered)),
    ("unasked", lambda record, wish: review_sends(record, wish.intent, wish.people)),
    ("moves", lambda record, wish: review_moves(record, wish.intent)),
    ("unasked_changes", lambda record, wish: review_unasked_changes(record, wish.intent)),
    ("unsent", lambda record, wish: review_unsent(record, wish.intent)),
    ("attachments", lambda record, wish: review_attachments(record, wish.intent)),
    ("named_days", lambda record, wish: review_named_days(record, wish.intent)),
    ("made_up", lambda record, wish: review_made_up(record, wish.intent)),
    ("totals", lambda record, wish: review_totals(record, wish.intent)),
    ("lengths", lambda record, wish: review_lengths(record, wish.intent)),
    ("levels", lambda record, wish: review_levels(record, wish.intent)),
    ("other_app", lambda record, wish: review_other_app(record, wish.intent, wish.offered)),
    ("elsewhere", lambda record, wish: review_elsewhere(record, wish.search, wish.offered)),
)


def review_run(record: ExecutionRecord, wish: Wish) -> ErrorInfo | None:
    """The first error any review finds in ``record``, or None when every review passes."""
    for _, review in REVIEWS:
        judged = review(record, wish)
        if judged is not None:
            return judged
    return None


def device_search(device: Device, registry: Registry, profile: str) -> Search:
    """A look-up on ``device`` by one of the profile's functions, as a workflow would call it;
    what it returns, or None when the call fails."""

    def search(function: str, words: str) -> object:
        context = ApiContext.for_run(device.connection, profile)
        outcome = registry.call(context, function, [words])
        return outcome.value if outcome.ok else None

    return search
