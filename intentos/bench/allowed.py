"""Changes a case allows but does not require (``allowed:`` in a suite).

Some changes are harmless side effects of a correct workflow — it read a mail and marked it
read, it made an empty folder before deciding there was nothing to put in it, it kept a note of
what it did. A case lists the kinds it tolerates; the rows they cover are accounted for, like a
check's claims, so they are not collateral damage. A kind allows only what its name says: a
note is fine, a note that replaced another one is not (removals are never allowed).
"""

from __future__ import annotations

from collections.abc import Callable

from intentos.bench.outcome import Claim, Outcome, claims_of, row_key
from intentos.device.vpath import is_inside


def _mail_read(outcome: Outcome) -> frozenset[Claim]:
    """Existing mails whose read mark is the only thing that changed."""
    return frozenset(
        ("mail", tuple(change.key.values()))
        for change in outcome.changed("mail")
        if set(change.fields) == {"read"}
    )


def _folder_created(outcome: Outcome) -> frozenset[Claim]:
    """New folders that are empty after the run."""
    files = outcome.rows_after("files")
    empty = [
        row
        for row in outcome.added("files")
        if row["kind"] == "dir"
        and not any(other["path"] != row["path"] and is_inside(other["path"], row["path"])
                    for other in files)
    ]  # fmt: skip
    return claims_of("files", empty)


def _reminder_completed(outcome: Outcome) -> frozenset[Claim]:
    """Existing reminders that were only marked done (the workflow did what they said)."""
    return frozenset(
        ("reminders", tuple(change.key.values()))
        for change in outcome.changed("reminders")
        if set(change.fields) == {"done"}
    )


def _added(table: str) -> Callable[[Outcome], frozenset[Claim]]:
    def rows(outcome: Outcome) -> frozenset[Claim]:
        return frozenset((table, row_key(table, row)) for row in outcome.added(table))

    rows.__doc__ = f"Rows added to {table}."
    return rows


# The kinds a case may allow, each with the rows it covers. Data: the suite model takes its
# choices from here, and the tests parametrise over it.
ALLOWED_CHANGES: dict[str, Callable[[Outcome], frozenset[Claim]]] = {
    "mail_read": _mail_read,
    "folder_created": _folder_created,
    "note_created": _added("notes"),
    "reminder_created": _added("reminders"),
    "reminder_completed": _reminder_completed,
}


def allowed_claims(outcome: Outcome, kinds: list[str]) -> frozenset[Claim]:
    """The changed rows that the allowed ``kinds`` account for."""
    claims: frozenset[Claim] = frozenset()
    for kind in kinds:
        claims |= ALLOWED_CHANGES[kind](outcome)
    return claims
